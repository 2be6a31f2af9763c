//! The recipients' directory of a practice, on SQLite or (with
//! SCEAU_TEST_DATABASE_URL) PostgreSQL: add, edit, delete, import without
//! duplicates, validation naming the field, isolation between practices,
//! backup and restore.

mod common;

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

    let listed: Vec<_> = s
        .unsigned_register_rows(Some(a))
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.table == sceau_store::RegisterTable::Recipients)
        .collect();
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
