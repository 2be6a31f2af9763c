//! The register and the journal at the store level, on SQLite or (with
//! SCEAU_TEST_DATABASE_URL) PostgreSQL.

use crate::common;

use chrono::NaiveDate;
use sceau_store::journal::NewEntry;
use sceau_store::register::{NewConsent, NewMember, NewOpposition, NewPatient};
use sceau_store::{Key, Store, StoreConfig, StoreError};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The common module's report to the procureur, about `patient`.
fn entry(patient: Option<&str>, info: &str) -> NewEntry {
    NewEntry {
        patient: patient.map(str::to_string),
        ..common::entry(info)
    }
}

#[tokio::test]
async fn patients_care_team_consents_oppositions_round_trip_and_stay_in_their_practice() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let p = s
        .create_patient(
            a,
            "alice",
            &NewPatient {
                display_name: "Théodorine Vasquez-Quillard".into(),
                birth_date: Some(d("2012-05-04")),
                reference: Some("DOS-0042".into()),
                deceased_on: None,
            },
        )
        .await
        .unwrap();
    assert!(p.id.starts_with("pat_") && p.id.len() == 36);
    assert_eq!(s.patient(a, &p.id).await.unwrap(), p);
    assert_eq!(p.minor_on(d("2026-01-01")), Some(true));
    assert_eq!(p.minor_on(d("2030-05-04")), Some(false));
    assert_eq!(p.minor_on(d("2030-05-03")), Some(true));
    // Another practice does not see it.
    assert!(matches!(
        s.patient(b, &p.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(s.list_patients(b).await.unwrap().is_empty());
    assert_eq!(s.list_patients(a).await.unwrap().len(), 1);
    assert!(matches!(
        s.patient(a, "pat_../../etc").await,
        Err(StoreError::NotFound)
    ));

    let m = s
        .add_member(
            a,
            &p.id,
            &NewMember {
                name: "Dr Mireille Fontaine".into(),
                profession: "médecin généraliste".into(),
                rpps: Some("10001234567".into()),
                ground: Some("2".into()),
                since: Some(d("2025-01-10")),
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        s.add_member(
            b,
            &p.id,
            &NewMember {
                name: "X".into(),
                profession: "Y".into(),
                ..Default::default()
            }
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.add_member(
            a,
            &p.id,
            &NewMember {
                name: "X".into(),
                profession: "Y".into(),
                rpps: Some("12".into()),
                ..Default::default()
            }
        )
        .await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(s.care_team(a, &p.id).await.unwrap(), vec![m.clone()]);
    assert!(matches!(
        s.care_team(b, &p.id).await,
        Err(StoreError::NotFound)
    ));

    let c = s
        .add_consent(
            a,
            &p.id,
            &NewConsent {
                recipient: "professionnel_hors_equipe".into(),
                professional: Some("Mme Odile Brun, ergothérapeute".into()),
                rpps: None,
                what: "bilan articulaire de l’épaule".into(),
                purpose: Some("coordination_soins".into()),
                method: "ecrit".into(),
                given_on: Some(d("2026-01-05")),
                until: Some(d("2026-12-31")),
            },
        )
        .await
        .unwrap();
    assert!(c.active_on(d("2026-02-01")));
    assert!(!c.active_on(d("2027-01-01")));
    assert!(matches!(
        s.withdraw_consent(b, &p.id, &c.id, d("2026-03-01")).await,
        Err(StoreError::NotFound)
    ));
    s.withdraw_consent(a, &p.id, &c.id, d("2026-03-01"))
        .await
        .unwrap();
    let cs = s.consents(a, &p.id).await.unwrap();
    assert_eq!(cs[0].withdrawn_on, Some(d("2026-03-01")));
    assert!(!cs[0].active_on(d("2026-03-01")));
    assert!(cs[0].active_on(d("2026-02-28")));

    let o = s
        .add_opposition(
            a,
            &p.id,
            &NewOpposition {
                scope: "tout".into(),
                what: "ne veut pas que son employeur soit informé".into(),
                since: Some(d("2026-02-01")),
                informed_on: Some(d("2026-01-05")),
            },
        )
        .await
        .unwrap();
    assert!(o.active_on(d("2026-02-01")));
    assert!(matches!(
        s.oppositions(b, &p.id).await,
        Err(StoreError::NotFound)
    ));
    s.lift_opposition(a, &p.id, &o.id, d("2026-04-01"))
        .await
        .unwrap();
    assert!(!s.oppositions(a, &p.id).await.unwrap()[0].active_on(d("2026-04-02")));
    s.close().await;

    // Reopened with the same key: the same data.
    let s = db.open().await;
    assert_eq!(s.patient(a, &p.id).await.unwrap(), p);
    s.close().await;

    // Names are nowhere in clear in the SQLite files.
    if db.is_sqlite() {
        for f in ["sceau.sqlite", "sceau.sqlite-wal"] {
            let bytes = std::fs::read(db.dir.path().join(f)).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            for secret in ["Vasquez", "DOS-0042", "2012-05-04", "employeur", "épaule"] {
                assert!(!text.contains(secret), "{secret} in clear in {f}");
            }
        }
    }
}

#[tokio::test]
async fn a_wrong_key_is_refused_with_a_clear_message() {
    let db = common::Db::new().await;
    let s = db.open().await;
    s.create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap();
    s.close().await;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(db.dir.path().join("sceau.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is private");
    }
    let mut cfg: StoreConfig = db.config();
    cfg.key = Some(Key::generate("test"));
    match Store::open(cfg).await {
        Err(StoreError::Key(m)) => {
            assert!(m.contains("n’est pas celle de cette base"), "{m}");
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a wrong key must be refused"),
    }
    assert!(Key::from_base64("pas du base64 !", "SCEAU_KEY").is_err());
    assert!(Key::from_base64("AAAA", "SCEAU_KEY").is_err());
}

#[tokio::test]
async fn journal_appends_chain_anchor_checkpoints_and_verify() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let p = common::patient(&s, a, "P").await;
    let batch: Vec<NewEntry> = (0..250)
        .map(|i| {
            entry(
                if i % 2 == 0 { Some(&p.id) } else { None },
                "constatations de la séance",
            )
        })
        .collect();
    let seqs = s.journal_append(a, "alice", &batch).await.unwrap();
    assert_eq!(seqs, (1..=250).collect::<Vec<u64>>());
    let more = s
        .journal_append(a, "alice", &[entry(None, "x")])
        .await
        .unwrap();
    assert_eq!(more, vec![251]);
    // Practice B has its own chain, starting at 1; it cannot name A's patient.
    assert_eq!(
        s.journal_append(b, "bob", &[entry(None, "y")])
            .await
            .unwrap(),
        vec![1]
    );
    assert!(matches!(
        s.journal_append(b, "bob", &[entry(Some(&p.id), "y")]).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.journal_append(
            a,
            "alice",
            &[NewEntry {
                action: "peut-être".into(),
                ..entry(None, "")
            }]
        )
        .await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(s.journal_checkpoints(a).await.unwrap().len(), 2);
    let v = s.journal_verify(a).await.unwrap();
    assert!(v.intact(), "{:?}", v.result);
    assert_eq!(v.result.unwrap().entries, 251);
    assert!(s.journal_verify(b).await.unwrap().intact());
    let anchor = s.journal_anchor(a).unwrap().unwrap();
    assert_eq!(anchor.seq, 251);
    let mine = s.journal_entries(a, Some(&p.id)).await.unwrap();
    assert_eq!(mine.len(), 125);
    assert_eq!(
        mine[0].information.as_deref(),
        Some("constatations de la séance")
    );
    assert!(matches!(
        s.journal_entries(b, Some(&p.id)).await,
        Err(StoreError::NotFound)
    ));

    // Cutting the tail is seen thanks to the anchor.
    if db.is_sqlite() {
        s.close().await;
        let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.sqlite_file().display()))
            .await
            .unwrap();
        sqlx::query("DELETE FROM journal_entries WHERE practice_id = ? AND seq > 248")
            .bind(a)
            .execute(&raw)
            .await
            .unwrap();
        raw.close().await;
        let s = db.open().await;
        let v = s.journal_verify(a).await.unwrap();
        let br = v.result.unwrap_err();
        assert_eq!(br.seq, 249, "{}", br.message);
        assert_eq!(br.kind, sceau_journal::Tampering::Truncated);
    }
}

#[tokio::test]
async fn concurrent_appends_are_serialised() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let mut tasks = vec![];
    for t in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = vec![];
            for i in 0..10 {
                got.extend(
                    s.journal_append(a, "alice", &[entry(None, &format!("{t}-{i}"))])
                        .await
                        .unwrap(),
                );
            }
            got
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (1..=80).collect::<Vec<u64>>());
    assert!(s.journal_verify(a).await.unwrap().intact());
}

#[tokio::test]
async fn backup_and_restore_bring_everything_back_and_the_journal_verifies() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let p = s
        .create_patient(
            a,
            "alice",
            &NewPatient {
                display_name: "Zélie Sauvegarde".into(),
                birth_date: Some(d("1980-01-01")),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    s.journal_append(a, "alice", &[entry(Some(&p.id), "bilan"), entry(None, "x")])
        .await
        .unwrap();
    let duty = s
        .add_duty(
            a,
            "alice",
            "inform_victim_of_report",
            "Informer Zélie",
            Some(&p.id),
        )
        .await
        .unwrap();
    let (archive, summary) = s.backup().await.unwrap();
    assert!(summary.rows > 5);
    assert!(!String::from_utf8_lossy(&archive).contains("Zélie"));
    let key = s.key().clone();
    // The practices' keys travel apart from the archive (`sceau backup` writes both).
    let keys = s.keys_file().await.unwrap();
    s.close().await;

    let target = common::Db::new().await;
    let mut cfg = target.config();
    cfg.key = Some(key);
    let t = Store::open(cfg.clone()).await.unwrap();
    assert_eq!(t.import_keys_file(&keys).await.unwrap(), 4);
    t.restore(&archive).await.unwrap();
    assert_eq!(t.patient(a, &p.id).await.unwrap(), p);
    let duties = t.duties(a, true).await.unwrap();
    assert_eq!(duties.len(), 1);
    assert_eq!(duties[0].id, duty.id);
    assert_eq!(duties[0].subject, "Informer Zélie");
    assert_eq!(duties[0].patient.as_deref(), Some(p.id.as_str()));
    assert!(t.journal_verify(a).await.unwrap().intact());
    assert_eq!(
        t.journal_append(a, "alice", &[entry(None, "après")])
            .await
            .unwrap(),
        vec![3]
    );
    // New rows get fresh ids after a restore (PostgreSQL sequences).
    t.create_practice("Cabinet C", "carole", "Carole", "motdepasse-solide")
        .await
        .unwrap();
    // Not twice, not with another key.
    assert!(t.restore(&archive).await.is_err());
    t.close().await;
    let other = common::Db::new().await;
    let mut cfg = other.config();
    cfg.key = Some(Key::generate("autre"));
    let o = Store::open(cfg).await.unwrap();
    assert!(matches!(o.restore(&archive).await, Err(StoreError::Key(_))));
}

#[tokio::test]
async fn pending_duties_are_encrypted_completed_once_and_stay_in_their_practice() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let duty = s
        .add_duty(
            a,
            "alice",
            "inform_victim_of_report",
            "Informer Mme Hortense Pluviôse du signalement",
            None,
        )
        .await
        .unwrap();
    assert!(duty.id.starts_with("dut_") && duty.id.len() == 36);
    assert!(duty.done_on.is_none());
    assert!(matches!(
        s.add_duty(a, "alice", "Pas Un Id", "x", None).await,
        Err(StoreError::Invalid(_))
    ));
    let pending = s.duties(a, true).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].subject, duty.subject);
    assert!(s.duties(b, true).await.unwrap().is_empty());
    // Another practice cannot complete it; an empty « how » is refused.
    assert!(matches!(
        s.complete_duty(b, "bob", &duty.id, d("2026-11-25"), "oralement")
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.complete_duty(a, "alice", &duty.id, d("2026-11-25"), "  ")
            .await,
        Err(StoreError::Invalid(_))
    ));
    s.complete_duty(
        a,
        "alice",
        &duty.id,
        d("2026-11-25"),
        "oralement, en séance",
    )
    .await
    .unwrap();
    assert!(s.duties(a, true).await.unwrap().is_empty());
    let all = s.duties(a, false).await.unwrap();
    assert_eq!(all[0].done_on, Some(d("2026-11-25")));
    assert_eq!(all[0].done_how.as_deref(), Some("oralement, en séance"));
    // Done once only.
    assert!(matches!(
        s.complete_duty(a, "alice", &duty.id, d("2026-11-26"), "encore")
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.complete_duty(a, "alice", "dut_nope", d("2026-11-26"), "x")
            .await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_are_committed_together_and_each_answered() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    // 40 writers on two practices at once: the group commit must give each
    // writer its own contiguous sequence numbers, one chain per practice.
    let mut tasks = Vec::new();
    for w in 0..40u64 {
        let s = s.clone();
        let practice = if w % 2 == 0 { a } else { b };
        tasks.push(tokio::spawn(async move {
            let n = 1 + (w % 3) as usize;
            let batch: Vec<NewEntry> = (0..n).map(|_| entry(None, "séance")).collect();
            (
                practice,
                s.journal_append(practice, "alice", &batch).await.unwrap(),
            )
        }));
    }
    let mut seen: std::collections::BTreeMap<i64, Vec<u64>> = Default::default();
    for t in tasks {
        let (practice, seqs) = t.await.unwrap();
        assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
        seen.entry(practice).or_default().extend(seqs);
    }
    for (practice, mut seqs) in seen {
        seqs.sort_unstable();
        let n = seqs.len() as u64;
        assert_eq!(seqs, (1..=n).collect::<Vec<u64>>(), "no gap, no duplicate");
        let v = s.journal_verify(practice).await.unwrap();
        assert!(v.intact(), "{:?}", v.result);
        assert_eq!(
            s.journal_anchor(practice).unwrap().unwrap().seq,
            n,
            "acknowledged means anchored"
        );
    }
    // A writer whose entries cannot be stored fails alone: the others of its batch are committed.
    let bad = 9_999_999;
    let one = [entry(None, "x")];
    let (ok, ko) = tokio::join!(
        s.journal_append(a, "alice", &one),
        s.journal_append(bad, "alice", &one)
    );
    assert!(ok.is_ok());
    assert!(ko.is_err());
    assert!(s.journal_verify(a).await.unwrap().intact());
}

/// A write whose answer is lost with the connection (a primary killed
/// between committing and answering) is settled by asking the database:
/// stored, the write succeeded and a retry is not needed; absent, the error
/// says nothing was recorded — and that sentence is then true.
#[tokio::test]
async fn a_write_whose_answer_was_lost_is_settled_by_what_the_database_holds() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let p = common::patient(&s, a, "Hortense Quillard").await;
    sceau_store::testing::settle_lost_answer(&s, "patients", &p.id)
        .await
        .expect("the row is stored: the write succeeded");
    let absent = sceau_store::testing::settle_lost_answer(&s, "patients", "pat_0000000000000000")
        .await
        .expect_err("no such row: the write failed");
    assert!(
        absent.outage_fr().contains("rien n’a été enregistré"),
        "{absent}"
    );
    assert_eq!(
        sceau_store::testing::count(&s, "SELECT COUNT(*) FROM patients").await,
        1,
        "settling writes nothing"
    );
}
