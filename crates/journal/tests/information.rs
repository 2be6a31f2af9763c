//! Entries of version 2 chain a salted digest of their information in
//! clear; entries of version 1 (written before) keep their encoding, and an
//! export of them still checks, its entries reported as not covered.

use sceau_journal::export::{check_export, check_export_against, numbers};
use sceau_journal::information::{digest, plaintext, split, SALT_LEN};
use sceau_journal::*;

/// An export made by `sceau journal export` before entries of version 2
/// (main at 78008e5, three entries), with the receipt of its head.
const EXPORT_V1: &str = include_str!("fixtures/export-v1.jsonl");

fn body(i: u64, text: &str, salt: &[u8; SALT_LEN]) -> Body {
    Body {
        at: 1_764_000_000 + i as i64,
        practice: "cabinet-1".into(),
        author: "kine-1".into(),
        patient: None,
        recipient: "procureur".into(),
        purpose: "signalement".into(),
        action: "disclosed".into(),
        verdict: "allowed".into(),
        basis: vec!["cp:226-14:3".into()],
        information: plaintext(salt, text),
        information_digest: Some(digest(salt, text)),
    }
}

#[test]
fn an_export_made_before_version_2_still_checks_and_says_what_is_not_covered() {
    let ok = check_export(EXPORT_V1).unwrap();
    assert_eq!((ok.entries, ok.anchor_seq), (3, Some(3)));
    assert_eq!(ok.uncovered, vec![1, 2, 3]);
    assert!(ok.without_information.is_empty());
    // Its own receipt still holds: the hashes of version 1 are unchanged.
    let receipt = Receipt::parse(
        EXPORT_V1
            .lines()
            .find(|l| l.contains("\"type\":\"receipt\""))
            .unwrap(),
    )
    .unwrap();
    assert!(check_export_against(EXPORT_V1, Some(&receipt)).is_ok());
    // The limit it reports: the clear text of a version 1 entry is not chained.
    let edited = EXPORT_V1.replace("séance n° 2\"", "séance n° 9\"");
    assert_ne!(edited, EXPORT_V1);
    assert_eq!(check_export(&edited).unwrap().uncovered, vec![1, 2, 3]);
    // Relabelling an entry as version 2, with a digest of its own, breaks its hash.
    let salt = [7u8; SALT_LEN];
    let forged = EXPORT_V1.replacen(
        "\"seq\":2,",
        &format!(
            "\"seq\":2,\"version\":2,\"information_salt\":\"{}\",\"information_digest\":\"{}\",",
            base64_of(&salt),
            hex(&digest(&salt, "constatations de la séance n° 2"))
        ),
        1,
    );
    let e = check_export(&forged).unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("a été modifiée"), "{e}");
}

#[test]
fn version_2_chains_the_digest_and_version_1_is_encoded_as_before() {
    let salt = [3u8; SALT_LEN];
    let b = body(1, "bilan", &salt);
    assert_eq!(b.version(), 2);
    let v2 = canonical(1, &b);
    let mut old = b.clone();
    old.information_digest = None;
    assert_eq!(old.version(), 1);
    let v1 = canonical(1, &old);
    assert!(v1.starts_with(b"sceau-journal-v1\0"));
    assert!(v2.starts_with(b"sceau-journal-v2\0"));
    assert_eq!(v2.len(), v1.len() + 32);
    // A chain of version 2 entries verifies; its digest changed, or taken
    // away (the entry made to look older), is an alteration.
    let mut entries: Vec<Entry> = vec![];
    for i in 1..=5 {
        let e = chain(entries.last(), body(i, &format!("texte {i}"), &salt));
        entries.push(e);
    }
    assert!(verify("cabinet-1", &entries, None, &[]).is_ok());
    for edit in [
        |e: &mut Entry| e.body.information_digest.as_mut().unwrap()[0] ^= 1,
        |e: &mut Entry| e.body.information_digest = None,
    ] {
        let mut t = entries.clone();
        edit(&mut t[2]);
        let b = verify("cabinet-1", &t, None, &[]).unwrap_err();
        assert_eq!((b.seq, b.kind), (3, Tampering::Altered), "{b:?}");
    }
}

#[test]
fn the_digest_depends_on_the_salt_and_the_text_and_the_plaintext_splits_back() {
    let (a, b) = ([1u8; SALT_LEN], [2u8; SALT_LEN]);
    assert_ne!(digest(&a, "bilan"), digest(&b, "bilan"));
    assert_ne!(digest(&a, "bilan"), digest(&a, "bilan "));
    assert_eq!(
        split(&plaintext(&a, "évolution")),
        Some((a, "évolution".into()))
    );
    assert_eq!(split(&[0u8; SALT_LEN - 1]), None);
}

#[test]
fn numbers_are_listed_with_ranges() {
    assert_eq!(numbers(&[1, 2, 3, 7, 9, 10]), "1 à 3, 7, 9 à 10");
    assert_eq!(numbers(&[4]), "4");
    assert_eq!(numbers(&[]), "");
}

fn hex(h: &[u8]) -> String {
    hex::encode(h)
}

fn base64_of(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}
