//! Audit finding 8 (2026-11-29): an export whose information in clear was
//! edited still checked without the key, because the chain covered only the
//! sealed bytes. Entries are now written as version 2, chaining a salted
//! digest of the clear text; entries of version 1 (written before) still
//! verify unchanged and their exports say they are not covered.
//! SQLite, and PostgreSQL with SCEAU_TEST_DATABASE_URL.

use crate::common;

use sceau_journal::export::{check_export, check_export_against};
use sceau_journal::Receipt;
use sceau_store::testing::append_version_1_entry;
use sceau_store::Store;

/// The export's lines, entry `seq`'s line edited by `f`.
fn edit_entry(export: &str, seq: u64, f: impl Fn(&mut serde_json::Value)) -> String {
    export
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            if v["type"] == "entry" && v["seq"] == seq {
                f(&mut v);
            }
            v.to_string() + "\n"
        })
        .collect()
}

async fn practice(s: &Store) -> i64 {
    s.create_first_admin("Cabinet Empreinte", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap()
        .practice_id
}

#[tokio::test]
async fn an_edited_information_is_refused_and_an_untouched_export_passes() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let a = practice(&s).await;
    let p = common::patient(&s, a, "Zénobie Empreinte").await;
    let mut e = common::entry("bilan articulaire");
    e.patient = Some(p.id.clone());
    s.journal_append(
        a,
        "alice",
        &[common::entry("compte rendu"), e, common::entry("arrêt")],
    )
    .await
    .unwrap();
    let export = s.journal_export(a, None).await.unwrap();
    let ok = check_export(&export).unwrap();
    assert_eq!((ok.entries, ok.uncovered.len()), (3, 0), "{export}");
    assert!(ok.without_information.is_empty());
    let receipt = Receipt::parse(
        export
            .lines()
            .find(|l| l.contains("\"type\":\"receipt\""))
            .unwrap(),
    )
    .unwrap();
    assert!(check_export_against(&export, Some(&receipt)).is_ok());
    // The digest and its salt are in the export, never the salt in the database.
    let line2: serde_json::Value = serde_json::from_str(export.lines().nth(2).unwrap()).unwrap();
    assert_eq!(line2["version"], 2);
    assert_eq!(line2["information"], "bilan articulaire");
    let salt = line2["information_salt"].as_str().unwrap().to_string();
    let stored: i64 = sceau_store::testing::count(
        &s,
        &format!(
            "SELECT COUNT(*) FROM journal_entries WHERE information_digest = '{}'",
            line2["information_digest"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(stored, 1);

    // The audit's edit: the clear text of entry 2 changed, nothing else.
    let edited = edit_entry(&export, 2, |v| v["information"] = "rien de grave".into());
    let e = check_export(&edited).unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(
        e.message.contains("information en clair de l’entrée n° 2"),
        "{e}"
    );
    assert!(!e.message.contains("rien de grave"), "{e}");
    assert!(check_export_against(&edited, Some(&receipt)).is_err());
    // The same in the one patient's export (right of access).
    let mine = s.journal_export(a, Some(&p.id)).await.unwrap();
    assert_eq!(check_export(&mine).unwrap().entries, 1);
    let edited = edit_entry(&mine, 2, |v| v["information"] = "rien de grave".into());
    assert!(check_export(&edited).is_err());
    // Another salt, the digest recomputed for the new text, the entry made
    // to look older: each breaks the entry's hash.
    let other = edit_entry(&export, 2, |v| {
        v["information_salt"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into()
    });
    assert!(check_export(&other).is_err());
    let older = edit_entry(&export, 2, |v| {
        v["version"] = 1.into();
        v.as_object_mut().unwrap().remove("information_salt");
        v.as_object_mut().unwrap().remove("information_digest");
    });
    let e = check_export(&older).unwrap_err();
    assert!(e.message.contains("a été modifiée"), "{e}");
    let no_salt = edit_entry(&export, 2, |v| {
        v.as_object_mut().unwrap().remove("information_salt");
    });
    assert!(check_export(&no_salt).is_err());
    assert_ne!(salt, "");
    s.close().await;
}

#[tokio::test]
async fn entries_of_version_1_verify_unchanged_and_exports_say_they_are_not_covered() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let a = practice(&s).await;
    let p = common::patient(&s, a, "Octave Ancien").await;
    // A journal written before schema 19, then continued by this version.
    append_version_1_entry(&s, a, None, "constatations anciennes").await;
    append_version_1_entry(&s, a, Some(&p.id), "compte rendu ancien").await;
    let v = s.journal_verify(a).await.unwrap();
    assert!(v.intact(), "{:?}", v.result);
    s.close().await;
    let s = db.open().await;
    assert!(s.journal_verify(a).await.unwrap().intact());
    let seqs = s
        .journal_append(a, "alice", &[common::entry("constatations nouvelles")])
        .await
        .unwrap();
    assert_eq!(seqs, vec![3]);
    let v = s.journal_verify(a).await.unwrap();
    assert!(v.intact(), "{:?}", v.result);
    let texts: Vec<Option<String>> = s
        .journal_entries(a, None)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.information)
        .collect();
    assert_eq!(
        texts,
        [
            "constatations anciennes",
            "compte rendu ancien",
            "constatations nouvelles"
        ]
        .map(|t| Some(t.to_string()))
    );

    let export = s.journal_export(a, None).await.unwrap();
    let ok = check_export(&export).unwrap();
    assert_eq!((ok.entries, ok.uncovered.clone()), (3, vec![1, 2]));
    let header: serde_json::Value = serde_json::from_str(export.lines().next().unwrap()).unwrap();
    assert!(
        header["information_not_covered"]
            .as_str()
            .unwrap()
            .contains("information non couverte pour 2 entrée(s) (n°\u{a0}1 à 2)"),
        "{header}"
    );
    let old: serde_json::Value = serde_json::from_str(export.lines().nth(1).unwrap()).unwrap();
    assert_eq!(old["version"], 1);
    assert!(old["information_note"]
        .as_str()
        .unwrap()
        .starts_with("information non couverte"));
    assert!(old.get("information_digest").is_none());
    // Its clear text is what the export cannot vouch for; the new entry's is.
    let edited = edit_entry(&export, 1, |v| v["information"] = "autre".into());
    assert_eq!(check_export(&edited).unwrap().uncovered, vec![1, 2]);
    let edited = edit_entry(&export, 3, |v| v["information"] = "autre".into());
    assert!(check_export(&edited).is_err());
    // The patient's export names its old entry too.
    let mine = s.journal_export(a, Some(&p.id)).await.unwrap();
    assert_eq!(check_export(&mine).unwrap().uncovered, vec![2]);
    s.close().await;
}

#[tokio::test]
async fn a_digest_removed_or_changed_in_the_database_is_an_alteration() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let a = practice(&s).await;
    s.journal_append(
        a,
        "alice",
        &[
            common::entry("un"),
            common::entry("deux"),
            common::entry("trois"),
        ],
    )
    .await
    .unwrap();
    let pool = db.raw().await;
    let saved: String =
        sqlx::query_scalar("SELECT information_digest FROM journal_entries WHERE seq = 2")
            .fetch_one(&pool)
            .await
            .unwrap();
    let flipped = format!(
        "{}{}",
        if saved.starts_with('a') { 'b' } else { 'a' },
        &saved[1..]
    );
    // Taken away (the entry made to look written before the digest), or
    // replaced: the entry's hash no longer matches.
    for digest in [None, Some(flipped)] {
        sqlx::query("UPDATE journal_entries SET information_digest = $1 WHERE seq = 2")
            .bind(digest.clone())
            .execute(&pool)
            .await
            .unwrap();
        let b = s.journal_verify(a).await.unwrap().result.unwrap_err();
        assert_eq!(b.seq, 2, "{digest:?}: {}", b.message);
        sqlx::query("UPDATE journal_entries SET information_digest = $1 WHERE seq = 2")
            .bind(saved.clone())
            .execute(&pool)
            .await
            .unwrap();
        assert!(s.journal_verify(a).await.unwrap().intact(), "{digest:?}");
    }
    pool.close().await;
    s.close().await;
}
