//! Self-audits in the register, on SQLite or (with SCEAU_TEST_DATABASE_URL)
//! PostgreSQL: numbered per practice, answers and encrypted comments read
//! back, the previous audit found, bad answers refused, backups carry them.
use crate::common;

use sceau_store::audit::AuditAnswer;
use sceau_store::StoreError;

fn ans(point: &str, answer: &str, comment: Option<&str>) -> AuditAnswer {
    AuditAnswer {
        point: point.into(),
        answer: answer.into(),
        comment: comment.map(str::to_string),
    }
}

#[tokio::test]
async fn audits_are_numbered_per_practice_and_compared_with_the_previous_one() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let a = s
        .create_first_admin("Cabinet A", "alice", "Alice Martin", "motdepasse-solide")
        .await
        .unwrap()
        .practice_id;
    let b = s
        .create_practice("Cabinet B", "bob", "Bob", "motdepasse-solide")
        .await
        .unwrap()
        .practice_id;
    let first = s
        .record_audit(
            a,
            "alice",
            "Alice Martin",
            "2026-11-24",
            &[
                ans("locaux_occultation", "non", Some("vitrine côté rue")),
                ans("partage_bureaux", "sans_objet", None),
            ],
        )
        .await
        .unwrap();
    assert_eq!(first.number, 1);
    let other = s
        .record_audit(
            b,
            "bob",
            "Bob",
            "2026-11-24",
            &[ans("locaux_occultation", "oui", None)],
        )
        .await
        .unwrap();
    assert_eq!(other.number, 1, "numbers are per practice");
    let second = s
        .record_audit(
            a,
            "alice",
            "Alice Martin",
            "2026-11-24",
            &[
                ans("locaux_occultation", "oui", None),
                ans("partage_bureaux", "non", None),
            ],
        )
        .await
        .unwrap();
    assert_eq!(second.number, 2);

    let list = s.audits(a).await.unwrap();
    assert_eq!(
        list.iter().map(|x| x.number).collect::<Vec<_>>(),
        vec![2, 1],
        "newest first"
    );
    let read = s.audit(a, &first.id).await.unwrap();
    assert_eq!(read.author_name, "Alice Martin");
    assert_eq!(read.created_by, "alice");
    assert_eq!(
        read.answers,
        vec![
            ans("locaux_occultation", "non", Some("vitrine côté rue")),
            ans("partage_bureaux", "sans_objet", None),
        ]
    );
    let prev = s.previous_audit(a, &second).await.unwrap().unwrap();
    assert_eq!(prev.id, first.id);
    assert_eq!(prev.answers.len(), 2);
    assert!(s.previous_audit(a, &first).await.unwrap().is_none());

    // another practice's audit is not found
    assert!(matches!(
        s.audit(b, &first.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.audit(a, "aud_../../x").await,
        Err(StoreError::NotFound)
    ));

    // the backup carries audits; a restore into a fresh store reads them back
    let (bytes, _) = s.backup().await.unwrap();
    let db2 = common::Db::new().await;
    let mut cfg = db2.config();
    cfg.key = Some(s.key().clone());
    let s2 = sceau_store::Store::open(cfg).await.unwrap();
    // The practices' keys travel apart from the archive (`sceau backup` writes both).
    s2.import_keys_file(&s.keys_file().await.unwrap())
        .await
        .unwrap();
    s2.restore(&bytes).await.unwrap();
    let back = s2.audit(a, &first.id).await.unwrap();
    assert_eq!(back.answers, read.answers);
}

#[tokio::test]
async fn bad_answers_are_refused_with_the_point_named() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let a = s
        .create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap()
        .practice_id;
    let err = |r: sceau_store::Result<sceau_store::audit::Audit>| match r {
        Err(StoreError::Invalid(m)) => m,
        other => panic!("expected Invalid, got {other:?}"),
    };
    let m = err(s
        .record_audit(
            a,
            "alice",
            "Alice",
            "v",
            &[ans("locaux_occultation", "peut-être", None)],
        )
        .await);
    assert!(
        m.contains("locaux_occultation") && m.contains("sans objet"),
        "{m}"
    );
    assert!(!m.contains("peut-être"), "never echoes the value: {m}");
    let long = "x".repeat(501);
    let m = err(s
        .record_audit(
            a,
            "alice",
            "Alice",
            "v",
            &[ans("locaux_occultation", "oui", Some(&long))],
        )
        .await);
    assert!(m.contains("500"), "{m}");
    err(s
        .record_audit(
            a,
            "alice",
            "Alice",
            "v",
            &[
                ans("locaux_occultation", "oui", None),
                ans("locaux_occultation", "non", None),
            ],
        )
        .await);
    err(s.record_audit(a, "alice", "Alice", "v", &[]).await);
    assert!(
        s.audits(a).await.unwrap().is_empty(),
        "nothing half-written"
    );
}
