//! The two versions of an API token row's MAC (`api_tokens.mac`).
//!
//! The first covered what the token opens — its digest, practice, owner,
//! creation, expiry and scope — but not the name and the prefix that the
//! administration page shows: whoever wrote the database without the key
//! could rename a token, or give it another token's prefix, and the page
//! showed it as written (SECURITY.md, « What writing the database without
//! the key still allows »). The second covers them too. Sceau writes only
//! the second, at every creation and every re-signing; a row of the first
//! still opens (no token is refused for being older), but its name and
//! prefix are shown as unverified until the host's administrator attests
//! them (`tokens_attest`). The practice's access record names each live
//! token by its MAC, version mark included, so that a row of the first
//! version put back over its attested one is not the current one.

use crate::row_macs::{self, Field};

/// What starts a MAC of the second version, before its hex: a row of the
/// first version holds bare hex. The mark is not what proves the version
/// (each is keyed under its own kind), only what says which to check.
const V2_MARK: &str = "v2:";

/// The kind (HMAC domain) of each version.
const KIND_V1: &str = "api-token";
const KIND_V2: &str = "api-token-v2";

/// Which version of the MAC holds over a token row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenMac {
    /// The first: what the token opens; its name and prefix are unverified.
    V1,
    /// The second: also its name and prefix.
    V2,
}

/// The columns of a token row that a MAC may cover.
pub(crate) struct TokenRow<'a> {
    pub(crate) digest: &'a str,
    pub(crate) practice_id: i64,
    pub(crate) created_by: Option<i64>,
    pub(crate) created_at: i64,
    pub(crate) expires_at: Option<i64>,
    pub(crate) scope: &'a str,
    pub(crate) name: &'a str,
    pub(crate) prefix: &'a str,
}

impl TokenRow<'_> {
    /// What the first version covers: every column that decides what the
    /// row opens. `revoked_at` is in neither: revoking erases the MAC, so
    /// that a revocation undone in the database leaves a token that opens
    /// nothing.
    fn opening(&self) -> [Field<'_>; 6] {
        [
            Field::Text(self.digest),
            Field::Int(self.practice_id),
            Field::OptInt(self.created_by),
            Field::Int(self.created_at),
            Field::OptInt(self.expires_at),
            Field::Text(self.scope),
        ]
    }

    /// What the second version covers: the same, then the name and the
    /// prefix shown.
    fn shown(&self) -> [Field<'_>; 8] {
        let [a, b, c, d, e, f] = self.opening();
        [
            a,
            b,
            c,
            d,
            e,
            f,
            Field::Text(self.name),
            Field::Text(self.prefix),
        ]
    }
}

/// The MAC Sceau writes with a token row: the second version.
pub(crate) fn sign(key: &[u8; 32], row: &TokenRow<'_>) -> String {
    format!("{V2_MARK}{}", row_macs::sign(key, KIND_V2, &row.shown()))
}

/// The MAC the builds before the second version wrote: only for the tests
/// that a row of that time still opens and is attested.
#[cfg(any(test, feature = "testing"))]
pub(crate) fn sign_v1(key: &[u8; 32], row: &TokenRow<'_>) -> String {
    row_macs::sign(key, KIND_V1, &row.opening())
}

/// Which version of the MAC `stored` is over `row`, if any holds.
pub(crate) fn holding(
    key: &[u8; 32],
    row: &TokenRow<'_>,
    stored: Option<&str>,
) -> Option<TokenMac> {
    let stored = stored?;
    match stored.strip_prefix(V2_MARK) {
        Some(v2) => row_macs::holds(key, KIND_V2, &row.shown(), Some(v2)).then_some(TokenMac::V2),
        None => row_macs::holds(key, KIND_V1, &row.opening(), Some(stored)).then_some(TokenMac::V1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(name: &'a str, prefix: &'a str) -> TokenRow<'a> {
        TokenRow {
            digest: "d",
            practice_id: 1,
            created_by: Some(2),
            created_at: 3,
            expires_at: Some(4),
            scope: "lecture",
            name,
            prefix,
        }
    }

    #[test]
    fn the_second_version_covers_the_name_and_the_prefix() {
        let k = [5u8; 32];
        let mac = sign(&k, &row("n", "sceau_aaaaaa"));
        assert_eq!(
            holding(&k, &row("n", "sceau_aaaaaa"), Some(&mac)),
            Some(TokenMac::V2)
        );
        assert_eq!(holding(&k, &row("m", "sceau_aaaaaa"), Some(&mac)), None);
        assert_eq!(holding(&k, &row("n", "sceau_bbbbbb"), Some(&mac)), None);
        // Without its mark, it is no MAC of the first version either.
        assert_eq!(
            holding(&k, &row("n", "sceau_aaaaaa"), mac.strip_prefix(V2_MARK)),
            None
        );
        assert_eq!(holding(&k, &row("n", "sceau_aaaaaa"), None), None);
    }

    #[test]
    fn the_first_version_ignores_the_name_and_the_prefix() {
        let k = [5u8; 32];
        let mac = sign_v1(&k, &row("n", "sceau_aaaaaa"));
        assert_eq!(
            holding(&k, &row("m", "sceau_bbbbbb"), Some(&mac)),
            Some(TokenMac::V1)
        );
        // A mark put before it makes it no MAC at all.
        assert_eq!(
            holding(
                &k,
                &row("n", "sceau_aaaaaa"),
                Some(&format!("{V2_MARK}{mac}"))
            ),
            None
        );
    }
}
