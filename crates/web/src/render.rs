//! Templates (minijinja, HTML auto-escaping, embedded in the binary) and the
//! helpers that turn engine values into French text.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{context, AutoEscape, Environment, UndefinedBehavior, Value};
use sceau_engine::Law;
use sceau_store::Session;
use serde::Serialize;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("question.html", include_str!("../templates/question.html")),
    ("decision.html", include_str!("../templates/decision.html")),
    ("texts.html", include_str!("../templates/texts.html")),
    ("text.html", include_str!("../templates/text.html")),
    ("setup.html", include_str!("../templates/setup.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("account.html", include_str!("../templates/account.html")),
    (
        "admin_cle.html",
        include_str!("../templates/admin_cle.html"),
    ),
    ("admin.html", include_str!("../templates/admin.html")),
    ("tokens.html", include_str!("../templates/tokens.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("patients.html", include_str!("../templates/patients.html")),
    ("patient.html", include_str!("../templates/patient.html")),
    ("journal.html", include_str!("../templates/journal.html")),
    ("rapports.html", include_str!("../templates/rapports.html")),
    ("rapport.html", include_str!("../templates/rapport.html")),
    (
        "signalement.html",
        include_str!("../templates/signalement.html"),
    ),
    (
        "signalement_result.html",
        include_str!("../templates/signalement_result.html"),
    ),
    (
        "anonymise.html",
        include_str!("../templates/anonymise.html"),
    ),
    (
        "anonymise_form.html",
        include_str!("../templates/anonymise_form.html"),
    ),
    (
        "anonymise_result.html",
        include_str!("../templates/anonymise_result.html"),
    ),
    ("audits.html", include_str!("../templates/audits.html")),
    (
        "audit_form.html",
        include_str!("../templates/audit_form.html"),
    ),
    ("audit.html", include_str!("../templates/audit.html")),
    ("annuaire.html", include_str!("../templates/annuaire.html")),
    (
        "requisition.html",
        include_str!("../templates/requisition.html"),
    ),
    (
        "expertise.html",
        include_str!("../templates/expertise.html"),
    ),
    (
        "lettre_result.html",
        include_str!("../templates/lettre_result.html"),
    ),
    (
        "auteur_champs.html",
        include_str!("../templates/auteur_champs.html"),
    ),
    (
        "annuaire_champs.html",
        include_str!("../templates/annuaire_champs.html"),
    ),
    (
        "annuaire_entree.html",
        include_str!("../templates/annuaire_entree.html"),
    ),
];

/// How long a drafted document (report, letter) stays downloadable, in
/// minutes: the signalement feature keeps its drafts this long, and every
/// result page says so (the templates' `draft_minutes`).
pub const KEEP_MINUTES: u64 = 30;

pub struct Templates {
    env: Environment<'static>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates::new()
    }
}

impl Templates {
    pub fn new() -> Templates {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        // A misspelt or missing variable is an error, not an empty string
        // that would silently drop a legal mention from a page.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_filter("typo", |s: String| typo(&s));
        // What the result pages say of how long a drafted document is kept.
        env.add_global("draft_minutes", KEEP_MINUTES);
        env.add_filter("date_fr", |s: String| {
            chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map(sceau_engine::model::date_fr)
                .unwrap_or(s)
        });
        for (name, src) in TEMPLATES {
            env.add_template(name, src)
                .unwrap_or_else(|e| panic!("template {name}: {e:#}"));
        }
        Templates { env }
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(ctx)
    }
}

/// What every page needs: its title, the signed-in person, the CSRF token.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Chrome {
    pub title: String,
    /// Which navigation entry is current: `home`, `interview`, `texts`, `patients`, `journal`, `account`, `admin`.
    pub nav: &'static str,
    pub user: Option<UserView>,
    pub csrf: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub role_label: &'static str,
    pub is_admin: bool,
    pub clinical: bool,
    pub register: bool,
    pub notes: bool,
    pub practice: String,
}

impl Chrome {
    pub fn new(title: impl Into<String>, nav: &'static str, session: Option<&Session>) -> Chrome {
        Chrome {
            title: title.into(),
            nav,
            user: session.map(|s| UserView {
                username: s.account.username.clone(),
                display_name: s.account.display_name.clone(),
                role: s.account.role.as_str(),
                role_label: s.account.role.label_fr(),
                is_admin: s.account.role.is_admin(),
                clinical: s.account.role.reads_clinical(),
                register: s.account.role.keeps_register(),
                notes: s.account.role.writes_notes(),
                practice: s.practice.name.clone(),
            }),
            csrf: session.map(|s| s.csrf.clone()).unwrap_or_default(),
        }
    }

    pub fn with_csrf(mut self, csrf: &str) -> Chrome {
        self.csrf = csrf.to_string();
        self
    }
}

/// Renders a page; a template error is logged and answered with a plain 500.
pub fn page(
    state: &impl AsRef<Templates>,
    status: StatusCode,
    name: &str,
    chrome: &Chrome,
    data: Value,
) -> Response {
    let ctx = context! { page => chrome, ..page_data(data) };
    match state.as_ref().render(name, ctx) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(template = name, error = %e, "rendu de page");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><title>Erreur</title><p>Erreur interne.</p>"),
            )
                .into_response()
        }
    }
}

/// The data of a page under strict templates, with the two conventions
/// every page shares: `error` and `notice` (the red and green messages of
/// `base.html`'s pages) are none unless given, and `form` (what the person
/// typed) answers the empty string for a field not submitted, as an empty
/// input would. Any other missing variable or attribute stays an error.
fn page_data(data: Value) -> Value {
    let Ok(keys) = data.try_iter() else {
        return data;
    };
    let mut out = std::collections::BTreeMap::new();
    for key in keys {
        let Some(name) = key.as_str().map(str::to_string) else {
            continue;
        };
        let v = data.get_item(&key).unwrap_or_default();
        let v = if name == "form" && v.kind() == minijinja::value::ValueKind::Map {
            Value::from_object(FormFields(v))
        } else {
            v
        };
        out.insert(name, v);
    }
    for optional in ["error", "notice"] {
        out.entry(optional.to_string()).or_insert(Value::from(()));
    }
    Value::from(out)
}

/// A form's submitted fields; a field absent is the empty string.
#[derive(Debug)]
struct FormFields(Value);

impl minijinja::value::Object for FormFields {
    fn get_value(self: &std::sync::Arc<Self>, key: &Value) -> Option<Value> {
        Some(
            self.0
                .get_item(key)
                .ok()
                .filter(|v| !v.is_undefined())
                .unwrap_or_else(|| Value::from("")),
        )
    }
}

/// An error page (404, 403, 400, 429…).
pub fn error_page(
    state: &impl AsRef<Templates>,
    status: StatusCode,
    session: Option<&Session>,
    title: &str,
    message: &str,
) -> Response {
    let chrome = Chrome::new(title, "", session);
    page(
        state,
        status,
        "error.html",
        &chrome,
        context! { heading => title, message => message, status => status.as_u16() },
    )
}

/// French typography for text we show (questions, labels): non-breaking
/// spaces before `? ! ; :` and inside « », typographic apostrophe. The one
/// implementation is `sceau_documents::typo::label`, shared with `sceau-app`.
pub fn typo(s: &str) -> String {
    sceau_documents::typo::label(s)
}

/// `csp` → `Code de la santé publique`.
pub fn code_label(code: &str) -> &'static str {
    match code {
        "csp" => "Code de la santé publique",
        "cp" => "Code pénal",
        "cpp" => "Code de procédure pénale",
        "cc" => "Code civil",
        _ => "Autre texte",
    }
}

/// Order in which codes are listed.
pub fn code_rank(code: &str) -> usize {
    ["csp", "cp", "cpp", "cc"]
        .iter()
        .position(|c| *c == code)
        .unwrap_or(9)
}

/// A term (condition, duty, warning) in French, the identifier if unknown.
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    pub id: String,
    pub label: String,
    pub detail: String,
}

/// A term in the wording in force on `date` (a term follows the version of
/// the article it comes from).
pub fn term_on(law: &Law, id: &str, date: chrono::NaiveDate) -> TermView {
    match law.term(id) {
        Some(t) => {
            let (label, detail) = t.on(date);
            TermView {
                id: id.to_string(),
                label: typo(label),
                detail: typo(detail),
            }
        }
        None => term(law, id),
    }
}

pub fn term(law: &Law, id: &str) -> TermView {
    match law.term(id) {
        Some(t) => TermView {
            id: id.to_string(),
            label: typo(&t.label),
            detail: typo(&t.detail),
        },
        None => TermView {
            id: id.to_string(),
            label: id.replace('_', " "),
            detail: String::new(),
        },
    }
}

/// French label of a trace outcome.
pub fn outcome_fr(outcome: &str) -> &'static str {
    match outcome {
        "applied" => "appliquée",
        "defeated" => "écartée",
        "not_applicable" => "non applicable",
        "unknown" => "indéterminée",
        _ => "—",
    }
}

/// Lower case without accents: the searches of « Les textes » and of the register.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '’' => '\'',
            '.' | '\u{a0}' => ' ',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A file to download: never cached, never sniffed, never shown inline.
pub fn attachment(name: &str, mime: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// Fields a refused form never gets back: passwords, the key's passphrase,
/// the installation code, and the CSRF token (the page brings its own).
pub const SECRET_FIELDS: &[&str] = &[
    "csrf",
    "mot_de_passe",
    "actuel",
    "nouveau",
    "confirmation",
    "phrase",
    "code",
];

/// What a refused form keeps of what its author typed: every field but the
/// secrets. The page puts it back only inside the form's own fields (the
/// templates escape it), never in the message, which names the field; the
/// page is `Cache-Control: no-store` and nothing of it is logged.
pub fn kept(
    form: &std::collections::HashMap<String, String>,
) -> std::collections::HashMap<String, String> {
    form.iter()
        .filter(|(k, _)| !SECRET_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrome() -> Chrome {
        Chrome::new("Erreur", "", None)
    }

    #[test]
    fn a_missing_variable_is_an_error_not_an_empty_string() {
        let t = Templates::new();
        let ok = t.render(
            "error.html",
            context! { page => chrome(), heading => "Introuvable", message => "Cette page n’existe pas.", status => 404 },
        );
        assert!(ok.unwrap().contains("Cette page n’existe pas."));
        // `message` misspelt: the page must not render without it.
        let err = t
            .render(
                "error.html",
                context! { page => chrome(), heading => "Introuvable", mesage => "Cette page n’existe pas.", status => 404 },
            )
            .unwrap_err();
        assert_eq!(err.kind(), minijinja::ErrorKind::UndefinedError, "{err:#}");
        // And a missing attribute of a given object too.
        let err = t
            .render(
                "error.html",
                context! { page => context! { title => "Erreur" }, heading => "Introuvable", message => "x", status => 404 },
            )
            .unwrap_err();
        assert_eq!(err.kind(), minijinja::ErrorKind::UndefinedError, "{err:#}");
    }
}
