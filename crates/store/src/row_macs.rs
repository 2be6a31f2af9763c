//! Signatures (HMAC-SHA-256) over the rows that grant access or state a
//! fact: sessions, API tokens, accounts, and the register (consents,
//! oppositions: `register_macs`; the care team, patients' dates, archiving,
//! duties: `register_facts`).
//!
//! Someone who can write the database without the key could otherwise
//! insert a session or a token whose SHA-256 he chose, raise a role, or
//! move a consent (SECURITY.md, « What writing the database without the
//! key still allows »). Each such row carries a MAC, under a key derived
//! from its practice's journal key with a label of its own (one per kind
//! of row), over every column that matters, each length-prefixed so that
//! no two rows encode alike. A row without a MAC, or whose MAC does not
//! match, grants nothing and states nothing; nothing here ever signs a
//! row found in the database (the trap of migration 6, audit finding 1):
//! only a write by Sceau, or an administrator's explicit attestation.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::keyring::PracticeKeys;
use crate::Result;

/// The label of the key that signs sessions and API tokens.
pub(crate) const ACCESS: &str = "sceau-access-rows-v1";

/// One column's value, as signed.
pub(crate) enum Field<'a> {
    Int(i64),
    OptInt(Option<i64>),
    Text(&'a str),
    OptText(Option<&'a str>),
}

fn mac_of(key: &[u8; 32], kind: &str, fields: &[Field<'_>]) -> Hmac<Sha256> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    let mut put = |tag: u8, bytes: &[u8]| {
        m.update(&[tag]);
        m.update(&(bytes.len() as u64).to_be_bytes());
        m.update(bytes);
    };
    put(b'k', kind.as_bytes());
    for f in fields {
        match f {
            Field::Int(v) | Field::OptInt(Some(v)) => put(b'i', &v.to_be_bytes()),
            Field::Text(v) | Field::OptText(Some(v)) => put(b't', v.as_bytes()),
            Field::OptInt(None) | Field::OptText(None) => put(b'0', &[]),
        }
    }
    m
}

/// The MAC to store with a row, as hex.
pub(crate) fn sign(key: &[u8; 32], kind: &str, fields: &[Field<'_>]) -> String {
    hex::encode(mac_of(key, kind, fields).finalize().into_bytes())
}

/// Whether `stored` is the row's MAC (in constant time); a missing or
/// malformed one is not.
pub(crate) fn holds(
    key: &[u8; 32],
    kind: &str,
    fields: &[Field<'_>],
    stored: Option<&str>,
) -> bool {
    let Some(raw) = stored.and_then(|s| hex::decode(s).ok()) else {
        return false;
    };
    mac_of(key, kind, fields).verify_slice(&raw).is_ok()
}

/// The key of `label` for a practice whose keys are `keys`.
pub(crate) fn key(keys: &PracticeKeys, label: &str) -> Result<[u8; 32]> {
    keys.row_key(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mac_covers_every_field_and_its_boundaries() {
        let k = [7u8; 32];
        let base = sign(&k, "x", &[Field::Text("ab"), Field::Text("c")]);
        assert!(holds(
            &k,
            "x",
            &[Field::Text("ab"), Field::Text("c")],
            Some(&base)
        ));
        // The same bytes split otherwise, another kind, a NULL, another key.
        assert!(!holds(
            &k,
            "x",
            &[Field::Text("a"), Field::Text("bc")],
            Some(&base)
        ));
        assert!(!holds(
            &k,
            "y",
            &[Field::Text("ab"), Field::Text("c")],
            Some(&base)
        ));
        assert!(!holds(
            &k,
            "x",
            &[Field::Text("ab"), Field::OptText(None)],
            Some(&base)
        ));
        assert!(!holds(
            &[8u8; 32],
            "x",
            &[Field::Text("ab"), Field::Text("c")],
            Some(&base)
        ));
        assert!(!holds(
            &k,
            "x",
            &[Field::Text("ab"), Field::Text("c")],
            None
        ));
        assert!(!holds(
            &k,
            "x",
            &[Field::Text("ab"), Field::Text("c")],
            Some("zz")
        ));
    }
}
