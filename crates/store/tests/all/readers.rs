//! The readers of files that come back from outside: the journal export
//! (checked without the database by `sceau_journal::export::check_export`)
//! and the backup archive (`backup::inspect`), on files made by the real
//! code. `SCEAU_FUZZ_SEEDS=DIR` also writes them as seeds of the fuzz
//! corpora (DIR/journal_export, DIR/backup), as fuzz/README.md explains.

use crate::common;

use sceau_journal::export::check_export;
use sceau_store::journal::NewEntry;
use sceau_store::register::NewPatient;
use sceau_store::{backup, Key, Store};

/// A practice with two patients and five journal entries (one without a patient).
async fn populated(s: &Store) -> (i64, String) {
    let a = s
        .create_first_admin("Cabinet Lecture", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap();
    let mut ids = vec![];
    for name in ["Zénobie Exportwell", "Octave Archivon"] {
        let p = s
            .create_patient(
                a.practice_id,
                "alice",
                &NewPatient {
                    display_name: name.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        ids.push(p.id);
    }
    let entry = |patient: Option<&String>, info: &str| NewEntry {
        patient: patient.cloned(),
        recipient: "equipe_de_soins".into(),
        purpose: "coordination_soins".into(),
        verdict: "allowed".into(),
        basis: vec!["csp:L1110-4:III".into()],
        information: info.into(),
        action: "disclosed".into(),
    };
    let batch = [
        entry(Some(&ids[0]), "bilan articulaire"),
        entry(Some(&ids[1]), "compte rendu"),
        entry(None, "statistique"),
        entry(Some(&ids[0]), "évolution"),
        entry(Some(&ids[1]), "arrêt des séances"),
    ];
    s.journal_append(a.practice_id, "alice", &batch)
        .await
        .unwrap();
    (a.practice_id, ids[0].clone())
}

fn seed(kind: &str, name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("SCEAU_FUZZ_SEEDS") {
        let d = std::path::Path::new(&dir).join(kind);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), bytes).unwrap();
    }
}

#[tokio::test]
async fn a_real_export_checks_and_any_edit_is_named_by_its_line() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (practice, patient) = populated(&s).await;
    let full = s.journal_export(practice, None).await.unwrap();
    let ok = check_export(&full).unwrap();
    assert_eq!(
        (ok.entries, ok.patient.as_deref(), ok.anchor_seq),
        (5, None, Some(5))
    );
    let one = s.journal_export(practice, Some(&patient)).await.unwrap();
    let ok = check_export(&one).unwrap();
    assert_eq!(
        (ok.entries, ok.patient.as_deref()),
        (2, Some(patient.as_str()))
    );
    seed("journal_export", "full.jsonl", full.as_bytes());
    seed("journal_export", "patient.jsonl", one.as_bytes());

    let lines: Vec<&str> = full.lines().collect();
    // An edited field of entry 2 (line 3): named, and the value is not repeated.
    // (The decrypted `information` is covered through its salted digest:
    // tests/journal_information.rs.)
    let edited = lines[2].replace("\"coordination_soins\"", "\"recherche\"");
    let e = check_export(&[lines[0], lines[1], &edited, lines[3]].join("\n")).unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(!e.message.contains("recherche"), "{e}");
    // An entry taken out of a full export breaks the chain at the next one.
    let mut cut: Vec<&str> = lines.clone();
    cut.remove(2);
    assert!(check_export(&cut.join("\n")).is_err());
    // The tail cut off while the anchor stays: the anchor shows it.
    let anchor = lines
        .iter()
        .find(|l| l.contains("\"type\":\"anchor\""))
        .unwrap();
    let truncated = [lines[0], lines[1], lines[2], anchor].join("\n");
    assert!(check_export(&truncated)
        .unwrap_err()
        .message
        .contains("coupée"));
    // Not an export at all.
    assert_eq!(check_export("{}").unwrap_err().line, 1);
    assert!(check_export("").is_err());
    assert!(check_export(&format!("{}\n{{\"type\":\"entry\"}}", lines[0])).is_err());
    s.close().await;
}

#[tokio::test]
async fn a_backup_is_read_and_checked_before_anything_is_written() {
    let db = common::Db::new().await;
    let s = db.open().await;
    populated(&s).await;
    let (file, summary) = s.backup().await.unwrap();
    let read = backup::inspect(s.key(), &file).unwrap();
    assert_eq!((read.rows, read.tables), (summary.rows, summary.tables));
    // Another key, a damaged byte, another file: refused, nothing read.
    let other = Key::from_bytes([9u8; 32], "autre");
    assert!(backup::inspect(&other, &file).is_err());
    let mut damaged = file.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert!(backup::inspect(s.key(), &damaged).is_err());
    assert!(backup::inspect(s.key(), b"PK\x03\x04").is_err());

    // Behind the authentication: rows that do not fit the schema are refused.
    let magic = b"SCEAU-BACKUP-1\n";
    let plain = s.key().open_archive(&file[magic.len()..]).unwrap();
    let fuzz_key = Key::from_bytes([7u8; 32], "fuzz");
    let sealed = |plain: &[u8]| {
        let mut f = magic.to_vec();
        f.extend_from_slice(&fuzz_key.seal_archive(plain));
        f
    };
    assert!(backup::inspect(&fuzz_key, &sealed(&plain)).is_ok());
    let mut v: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    v["tables"][0][1][0][0] = "pas un nombre".into();
    let e = backup::inspect(&fuzz_key, &sealed(v.to_string().as_bytes())).unwrap_err();
    assert!(e.to_string().contains("practices"), "{e}");
    let mut v: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    v["tables"][0][0] = "secret_table".into();
    let e = backup::inspect(&fuzz_key, &sealed(v.to_string().as_bytes())).unwrap_err();
    assert!(!e.to_string().contains("secret_table"), "{e}");
    // The fuzz target's two modes: 0 = the file as on disk, else the plain archive.
    seed("backup", "file", &[&[0u8][..], &sealed(&plain)].concat());
    seed("backup", "plain", &[&[1u8][..], &plain].concat());
    s.close().await;
}
