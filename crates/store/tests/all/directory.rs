//! The recipients' directory of a practice, on SQLite or (with
//! SCEAU_TEST_DATABASE_URL) PostgreSQL: add, edit, delete, import without
//! duplicates, validation naming the field, isolation between practices,
//! backup and restore.

use crate::common;

use sceau_store::directory::{normalise_department, NewRecipient};
use sceau_store::{Store, StoreError};

fn lyon() -> NewRecipient {
    NewRecipient {
        kind: "procureur".into(),
        department: "69".into(),
        name: "Tribunal judiciaire de Lyon".into(),
        address: "67 rue Servient\n\n 69003 Lyon ".into(),
        salutation: None,
        email: Some("signalement.tj-lyon@justice.fr".into()),
        phone: Some("04 72 60 70 12".into()),
        example: false,
    }
}

/// Lyon's parquet added, and an example imported, in practice `a`: Lyon's.
async fn lyon_and_an_example(s: &Store, a: i64) -> sceau_store::directory::Recipient {
    let lyon = s.add_recipient(a, "alice", &lyon()).await.unwrap();
    let example = NewRecipient {
        kind: "prefet".into(),
        name: "Préfecture du Rhône".into(),
        example: true,
        ..self::lyon()
    };
    assert_eq!(
        s.import_recipients(a, "alice", &[example]).await.unwrap(),
        1
    );
    lyon
}

/// The directory's entries `sceau register attest` would list for `a`.
async fn listed_entries(s: &Store, a: i64) -> Vec<sceau_store::UnsignedRow> {
    s.unsigned_register_rows(Some(a))
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.table == sceau_store::RegisterTable::Recipients)
        .collect()
}

fn invalid_message(r: Result<impl std::fmt::Debug, StoreError>) -> String {
    match r {
        Err(StoreError::Invalid(m)) => m,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn entries_are_added_edited_deleted_and_stay_in_their_practice() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    assert!(s.recipients(a).await.unwrap().is_empty());

    let r = s.add_recipient(a, "alice", &lyon()).await.unwrap();
    assert!(r.id.starts_with("rcp_"));
    assert_eq!(r.address, vec!["67 rue Servient", "69003 Lyon"]);
    assert_eq!(r.department, "69");
    assert!(!r.example);
    assert_eq!(r.updated_by, "alice");

    // « 1 » is stored as « 01 ».
    let ain = NewRecipient {
        department: "1".into(),
        name: "Tribunal judiciaire de Bourg-en-Bresse".into(),
        ..lyon()
    };
    assert_eq!(
        s.add_recipient(a, "alice", &ain).await.unwrap().department,
        "01"
    );
    let pp = NewRecipient {
        kind: "prefet_police".into(),
        department: "75".into(),
        name: "Préfecture de police".into(),
        address: "1 bis rue de Lutèce\n75004 Paris".into(),
        ..Default::default()
    };
    s.add_recipient(a, "alice", &pp).await.unwrap();
    let deps: Vec<String> = s
        .recipients(a)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.department)
        .collect();
    assert_eq!(deps, vec!["01", "69", "75"], "sorted by département");

    // Another practice sees nothing and can touch nothing.
    assert!(s.recipients(b).await.unwrap().is_empty());
    assert!(matches!(
        s.recipient(b, &r.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.update_recipient(b, "bob", &r.id, &lyon()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.delete_recipient(b, &r.id).await,
        Err(StoreError::NotFound)
    ));

    // Edit.
    let edited = NewRecipient {
        name: "Tribunal judiciaire de Villefranche-sur-Saône".into(),
        address: "350 boulevard Gambetta\n69400 Villefranche-sur-Saône".into(),
        email: None,
        ..lyon()
    };
    let e = s
        .update_recipient(a, "alice", &r.id, &edited)
        .await
        .unwrap();
    assert_eq!(e.name, "Tribunal judiciaire de Villefranche-sur-Saône");
    assert_eq!(e.email, None);
    assert_eq!(s.recipient(a, &r.id).await.unwrap(), e);

    // Delete.
    s.delete_recipient(a, &r.id).await.unwrap();
    assert!(matches!(
        s.recipient(a, &r.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.delete_recipient(a, &r.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.delete_recipient(a, "rcp_pas-un-identifiant").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.recipients(a).await.unwrap().len(), 2);
}

#[tokio::test]
async fn validation_names_the_field_and_never_echoes_the_value() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let secret = "valeur-secrete-42";
    let cases: Vec<(NewRecipient, &str)> = vec![
        (
            NewRecipient {
                kind: secret.into(),
                ..lyon()
            },
            "Type de destinataire",
        ),
        (
            NewRecipient {
                department: secret.into(),
                ..lyon()
            },
            "Département",
        ),
        (
            NewRecipient {
                department: "20".into(),
                ..lyon()
            },
            "Département",
        ),
        (
            NewRecipient {
                name: "  ".into(),
                ..lyon()
            },
            "Nom",
        ),
        (
            NewRecipient {
                address: " \n ".into(),
                ..lyon()
            },
            "Adresse",
        ),
        (
            NewRecipient {
                email: Some(secret.into()),
                ..lyon()
            },
            "Courriel",
        ),
        (
            NewRecipient {
                phone: Some(secret.into()),
                ..lyon()
            },
            "Téléphone",
        ),
    ];
    for (n, field) in cases {
        let m = invalid_message(s.add_recipient(a, "alice", &n).await);
        assert!(m.contains(&format!("« {field} »")), "{field}: {m}");
        assert!(!m.contains(secret), "{m}");
    }
    assert!(s.recipients(a).await.unwrap().is_empty());
    assert_eq!(normalise_department("2a").as_deref(), Some("2A"));
    assert_eq!(normalise_department("974").as_deref(), Some("974"));
    assert_eq!(normalise_department("977"), None);
    assert_eq!(normalise_department("96"), None);
}

#[tokio::test]
async fn import_skips_existing_entries_checks_all_first_and_survives_backup() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let example = NewRecipient {
        example: true,
        ..lyon()
    };
    let crip = NewRecipient {
        kind: "crip".into(),
        name: "CRIP du Rhône".into(),
        example: true,
        ..lyon()
    };
    assert_eq!(
        s.import_recipients(a, "alice", &[example.clone(), crip.clone()])
            .await
            .unwrap(),
        2
    );
    // Again: nothing new.
    assert_eq!(
        s.import_recipients(a, "alice", &[example.clone(), crip])
            .await
            .unwrap(),
        0
    );
    let all = s.recipients(a).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|r| r.example));
    // One invalid entry: nothing is imported.
    let bad = NewRecipient {
        department: "00".into(),
        name: "Autre".into(),
        ..lyon()
    };
    let other = NewRecipient {
        name: "Tribunal judiciaire de Villefranche-sur-Saône".into(),
        ..lyon()
    };
    assert!(s
        .import_recipients(a, "alice", &[other, bad])
        .await
        .is_err());
    assert_eq!(s.recipients(a).await.unwrap().len(), 2);
    // Saving an imported entry as checked clears the example mark.
    let id = all[0].id.clone();
    let checked = s
        .update_recipient(
            a,
            "alice",
            &id,
            &NewRecipient {
                example: false,
                ..lyon()
            },
        )
        .await
        .unwrap();
    assert!(!checked.example);

    // Backup and restore keep the directory.
    let (bytes, _) = s.backup().await.unwrap();
    let db2 = common::Db::new().await;
    let mut cfg = db2.config();
    cfg.key = Some(s.key().clone());
    let s2 = Store::open(cfg).await.unwrap();
    s2.restore(&bytes).await.unwrap();
    // Without the practice's keys nothing verifies: every entry lists,
    // altered (no letter's address); with them, as they were.
    let unchecked = s2.recipients(a).await.unwrap();
    assert!(unchecked.iter().all(|r| r.altered));
    let as_is = |list: Vec<sceau_store::directory::Recipient>| {
        list.into_iter()
            .map(|r| sceau_store::directory::Recipient {
                altered: false,
                ..r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(as_is(unchecked), s.recipients(a).await.unwrap());
    s2.import_wrapped_keys(&s.wrapped_keys(Some(a)).await.unwrap())
        .await
        .unwrap();
    assert_eq!(
        s2.recipients(a).await.unwrap(),
        s.recipients(a).await.unwrap()
    );
}

/// Audit of 2026-11-30, finding 7: an entry written by SQL without the key
/// — an address replaced, an « exemple » flag cleared, an entry inserted —
/// was taken as the practice's own. Each is now « altered » until the
/// administrator saves it again (his check) or the host's administrator
/// attests it, reading the whole address.
#[tokio::test]
async fn entries_written_without_the_key_are_altered_until_saved_or_attested() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let lyon = lyon_and_an_example(&s, a).await;
    let other = s.add_recipient(b, "bob", &self::lyon()).await.unwrap();
    let all = s.recipients(a).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(
        all.iter().all(|r| !r.altered),
        "Sceau's own writes are signed"
    );
    assert!(s
        .unsigned_register_rows(None)
        .await
        .unwrap()
        .iter()
        .all(|r| r.table != sceau_store::RegisterTable::Recipients));

    let raw = db.raw().await;
    sqlx::query("UPDATE recipients SET address = $1 WHERE id = $2")
        .bind("BP 666\n99999 BOITE-DU-PIRATE")
        .bind(&lyon.id)
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("UPDATE recipients SET example = 0 WHERE practice_id = $1 AND example = 1")
        .bind(a)
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO recipients (id, practice_id, kind, department, name, address, example, created_at, updated_at, updated_by)
         VALUES ('rcp_0123456789abcdef0123456789abcdef', $1, 'prefet', '75', 'Préfecture de police', 'BP 666, 99999 BOITE-DU-PIRATE', 0, 1796014786, 1796014786, 'alice')",
    )
    .bind(a)
    .execute(&raw)
    .await
    .unwrap();
    // The same entry's MAC copied onto another practice's row moves nothing.
    sqlx::query("UPDATE recipients SET practice_id = $1 WHERE id = $2")
        .bind(a)
        .bind(&other.id)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;

    let all = s.recipients(a).await.unwrap();
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|r| r.altered), "{all:?}");
    assert!(s.recipient(a, &lyon.id).await.unwrap().altered);

    let listed = listed_entries(&s, a).await;
    assert_eq!(listed.len(), 4);
    // The host's administrator reads the address he attests.
    let shown = listed.iter().find(|r| r.id == lyon.id).unwrap();
    assert!(
        shown.summary.contains("BP 666 / 99999 BOITE-DU-PIRATE"),
        "{}",
        shown.summary
    );

    // Saving an entry in the form signs it as submitted.
    let saved = s
        .update_recipient(a, "alice", &lyon.id, &self::lyon())
        .await
        .unwrap();
    assert!(!saved.altered);
    assert_eq!(saved.address, vec!["67 rue Servient", "69003 Lyon"]);

    // The others are signed by the attestation, as listed.
    let rest: Vec<_> = listed.into_iter().filter(|r| r.id != lyon.id).collect();
    assert_eq!(s.attest_register_rows(&rest).await.unwrap(), 3);
    assert!(s.recipients(a).await.unwrap().iter().all(|r| !r.altered));
    assert!(s.unsigned_register_rows(Some(a)).await.unwrap().is_empty());
}

/// An entry's columns and MAC as stored, to put back later.
async fn copy_of(raw: &sqlx::AnyPool, id: &str) -> (String, i64, String, String) {
    use sqlx::Row;
    let r =
        sqlx::query("SELECT address, updated_at, updated_by, mac FROM recipients WHERE id = $1")
            .bind(id)
            .fetch_one(raw)
            .await
            .unwrap();
    (
        r.get("address"),
        r.get("updated_at"),
        r.get("updated_by"),
        r.get("mac"),
    )
}

#[tokio::test]
async fn an_entry_deleted_or_put_back_without_the_key_is_seen_until_attested() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let lyon = s.add_recipient(a, "alice", &lyon()).await.unwrap();
    let bourg = s
        .add_recipient(
            a,
            "alice",
            &NewRecipient {
                department: "01".into(),
                name: "Tribunal judiciaire de Bourg-en-Bresse".into(),
                ..self::lyon()
            },
        )
        .await
        .unwrap();
    let other = s.add_recipient(b, "bob", &self::lyon()).await.unwrap();
    let raw = db.raw().await;
    let before = copy_of(&raw, &lyon.id).await;
    // The administrator corrects the address: the old one is signed too.
    let moved = NewRecipient {
        address: "1 rue Nouvelle\n69003 Lyon".into(),
        ..self::lyon()
    };
    s.update_recipient(a, "alice", &lyon.id, &moved)
        .await
        .unwrap();
    assert_ne!(copy_of(&raw, &lyon.id).await.3, before.3);
    let listing = s.directory(a).await.unwrap();
    assert!(listing.entries.iter().all(|r| !r.altered));
    assert!(listing.deleted.is_empty() && !listing.record_altered);

    // The older signed version put back, the other entry deleted.
    sqlx::query(
        "UPDATE recipients SET address = $1, updated_at = $2, updated_by = $3, mac = $4 WHERE id = $5",
    )
    .bind(&before.0)
    .bind(before.1)
    .bind(&before.2)
    .bind(&before.3)
    .bind(&lyon.id)
    .execute(&raw)
    .await
    .unwrap();
    sqlx::query("DELETE FROM recipients WHERE id = $1")
        .bind(&bourg.id)
        .execute(&raw)
        .await
        .unwrap();

    // Seen by the running store and by one opened afterwards.
    for store in [&s, &db.open().await] {
        let put_back = store.recipient(a, &lyon.id).await.unwrap();
        assert_eq!(put_back.address, vec!["67 rue Servient", "69003 Lyon"]);
        assert!(put_back.altered, "an older signed version is not current");
        let listing = store.directory(a).await.unwrap();
        assert_eq!(listing.entries.len(), 1);
        assert!(listing.entries[0].altered);
        assert_eq!(listing.deleted, vec![bourg.id.clone()]);
        assert!(!listing.record_altered);
        // The other practice is as it was.
        let theirs = store.directory(b).await.unwrap();
        assert_eq!(theirs.entries, vec![other.clone()]);
        assert!(theirs.deleted.is_empty());
    }

    // The attestation lists both, and records what it found.
    let listed = listed_entries(&s, a).await;
    let states: Vec<_> = listed.iter().map(|r| (r.id.clone(), r.state)).collect();
    assert!(states.contains(&(lyon.id.clone(), sceau_store::RowState::Unrecorded)));
    assert!(states.contains(&(bourg.id.clone(), sceau_store::RowState::Deleted)));
    assert_eq!(listed.len(), 2, "{states:?}");
    assert_eq!(s.attest_register_rows(&listed).await.unwrap(), 2);
    let listing = s.directory(a).await.unwrap();
    assert!(listing.deleted.is_empty() && !listing.entries[0].altered);

    // The practice's record deleted: this store believes no entry and
    // writes none; one opened afterwards reads the entries as not named
    // (altered) until saved or attested, as at the upgrade.
    sqlx::query("DELETE FROM register_records WHERE practice_id = $1 AND patient_id = ''")
        .bind(a)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;
    let listing = s.directory(a).await.unwrap();
    assert!(listing.record_altered && listing.entries.iter().all(|r| r.altered));
    assert!(matches!(
        s.add_recipient(a, "alice", &self::lyon()).await,
        Err(StoreError::Invalid(m)) if m.contains("registre signé du cabinet")
    ));
    let restarted = db.open().await;
    let listing = restarted.directory(a).await.unwrap();
    assert!(!listing.record_altered && listing.entries.iter().all(|r| r.altered));
    let saved = restarted
        .update_recipient(a, "alice", &lyon.id, &moved)
        .await
        .unwrap();
    assert!(!saved.altered);
}

#[tokio::test]
async fn the_directory_record_follows_adds_imports_edits_and_deletions() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let lyon = lyon_and_an_example(&s, a).await;
    s.update_recipient(a, "alice", &lyon.id, &self::lyon())
        .await
        .unwrap();
    s.delete_recipient(a, &lyon.id).await.unwrap();
    for store in [&s, &db.open().await] {
        let listing = store.directory(a).await.unwrap();
        assert_eq!(listing.entries.len(), 1);
        assert!(!listing.entries[0].altered, "{listing:?}");
        assert!(
            listing.deleted.is_empty(),
            "a deletion by Sceau is not reported"
        );
        assert!(store
            .unsigned_register_rows(Some(a))
            .await
            .unwrap()
            .is_empty());
    }
}
