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
