//! Helpers shared by the test files that ask what was detected, and as
//! what kind (each test file is its own crate, so they are included with
//! `mod common;`).
use sceau_anonymise::{Anonymiser, Kind};

/// Every span detected in `text`, with its kind and its words.
pub fn kinds(text: &str) -> Vec<(Kind, String)> {
    Anonymiser::new()
        .detect(text)
        .into_iter()
        .map(|s| (s.kind, text[s.start..s.end].to_string()))
        .collect()
}

/// Whether `what` is detected in `text` as exactly one span of `kind`.
pub fn has(text: &str, kind: Kind, what: &str) -> bool {
    kinds(text).iter().any(|(k, s)| *k == kind && s == what)
}

/// The establishments detected in `text`, in the text's order.
#[allow(dead_code)] // each test file is a crate of its own and uses part of this module
pub fn etabs(text: &str) -> Vec<String> {
    kinds(text)
        .into_iter()
        .filter(|(k, _)| *k == Kind::Etablissement)
        .map(|(_, s)| s)
        .collect()
}

/// Fails unless `want` is detected in `text` as one establishment, and
/// says which were.
#[allow(dead_code)] // each test file is a crate of its own and uses part of this module
pub fn assert_etab(text: &str, want: &str) {
    assert!(
        has(text, Kind::Etablissement, want),
        "{text}: {:?}",
        etabs(text)
    );
}

/// Fails if any establishment is detected in `text`, and says which.
#[allow(dead_code)] // each test file is a crate of its own and uses part of this module
pub fn assert_no_etab(text: &str) {
    let found = etabs(text);
    assert!(found.is_empty(), "{text}: {found:?}");
}
