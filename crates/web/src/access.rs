//! Who may use a route: the policy each line of the route table carries,
//! enforced by the router (`middleware::access_guard`) for pages and API.

use sceau_store::Role;

/// Who may use a route. The access matrix test (`tests/access.rs`) checks
/// every route of [`routes`] against every role with this policy in mind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (home, texts, login, static files).
    Public,
    /// Anyone until the first administrator exists; then a redirection to the login.
    Installation,
    /// The open API: anyone, rate-limited per address; a bearer token under `--private-api`.
    OpenApi,
    /// A signed-in account of the practice, whatever its role.
    Account,
    /// The register's administrative part (patients, care team, consents,
    /// oppositions): every role but the student ([`Role::keeps_register`]).
    Register,
    /// Clinical content (the journal decrypted, reports, letters, exports):
    /// kinésithérapeutes and administrators ([`Role::reads_clinical`]).
    Clinical,
    /// Pasting notes into the anonymiser: every role but the assistant
    /// ([`Role::writes_notes`]).
    Notes,
    /// A signed-in administrator of the practice.
    Administrator,
    /// A bearer API token of the practice (data of that practice only).
    Token,
}

impl Access {
    /// Whether a signed-in account of this role may use a route of this
    /// policy (the policies that need a session; `None` for the others).
    pub fn allows(self, role: Role) -> Option<bool> {
        match self {
            Access::Account => Some(true),
            Access::Register => Some(role.keeps_register()),
            Access::Clinical => Some(role.reads_clinical()),
            Access::Notes => Some(role.writes_notes()),
            Access::Administrator => Some(role.is_admin()),
            Access::Public | Access::Installation | Access::OpenApi | Access::Token => None,
        }
    }
}
