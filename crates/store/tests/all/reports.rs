//! Issue 19 at the store level, on SQLite or (with SCEAU_TEST_DATABASE_URL)
//! PostgreSQL: a report's life (brouillon → relu → envoyé), where only
//! sending writes the journal entry and the duty; drafting twice keeps one
//! report; a patient corrected and archived, the journal untouched.

use crate::common;

use chrono::NaiveDate;
use sceau_store::journal::NewEntry;
use sceau_store::register::NewPatient;
use sceau_store::reports::{ReportDraft, INFORM_VICTIM};
use sceau_store::StoreError;

const ID: &str = "rep_0123456789abcdef0123456789abcdef";

fn draft(letter: &str) -> ReportDraft {
    ReportDraft {
        recipient: "procureur".into(),
        verdict: "allowed".into(),
        basis: vec!["cp:226-14:3".into()],
        letter: letter.into(),
        duty_subject: Some("Informer Mme Ysolde Kervadec du signalement".into()),
        kept: vec![(
            "Suivie au cabinet depuis le 3 mars 2026".into(),
            "Situe les faits dans le temps".into(),
        )],
        patient: None,
    }
}

#[tokio::test]
async fn a_report_is_journaled_once_when_sent_never_when_drafted_or_reviewed() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let r = s
        .save_report_draft(a, "alice", ID, &draft("premier jet"))
        .await
        .unwrap();
    assert_eq!((r.status.as_str(), r.drafts), ("brouillon", 1));
    // Drafting again under the same id: one report, the new text.
    let r = s
        .save_report_draft(a, "alice", ID, &draft("texte corrigé"))
        .await
        .unwrap();
    assert_eq!(
        (r.status.as_str(), r.drafts, r.letter.as_str()),
        ("brouillon", 2, "texte corrigé")
    );
    assert_eq!(s.reports(a).await.unwrap().len(), 1);
    assert_eq!(
        r.kept,
        draft("").kept,
        "the passages kept and their reasons"
    );
    // Another practice cannot see or take over that id.
    assert!(matches!(s.report(b, ID).await, Err(StoreError::NotFound)));
    assert!(s
        .save_report_draft(b, "bob", ID, &draft("x"))
        .await
        .is_err());
    assert!(
        s.journal_entries(a, None).await.unwrap().is_empty(),
        "a draft is not journaled"
    );
    assert!(
        s.duties(a, true).await.unwrap().is_empty(),
        "a draft leaves no duty"
    );
    // Sending before reviewing is refused; reviewing writes nothing either.
    let on = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    assert!(matches!(
        s.send_report(a, ID, "alice", on, "mssante").await,
        Err(StoreError::Invalid(_))
    ));
    let r = s.review_report(a, ID, "alice").await.unwrap();
    assert_eq!(r.status, "relu");
    assert!(s.journal_entries(a, None).await.unwrap().is_empty());
    assert!(matches!(
        s.send_report(a, ID, "alice", on, "pigeon").await,
        Err(StoreError::Invalid(_))
    ));
    // Sent: one disclosure, the duty follows.
    let r = s.send_report(a, ID, "alice", on, "mssante").await.unwrap();
    assert_eq!(
        (r.status.as_str(), r.sent_on, r.sent_means.as_deref()),
        ("envoye", Some(on), Some("mssante"))
    );
    let entries = s.journal_entries(a, None).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].action.as_str(), entries[0].recipient.as_str()),
        ("disclosed", "procureur")
    );
    assert_eq!(r.journal_seq, Some(entries[0].seq as i64));
    let duties = s.duties(a, true).await.unwrap();
    assert_eq!(duties.len(), 1);
    assert_eq!(duties[0].kind, INFORM_VICTIM);
    assert!(duties[0].subject.contains("Kervadec"));
    // Sent once: again is refused, and so is drafting over it.
    assert!(s.send_report(a, ID, "alice", on, "courrier").await.is_err());
    assert!(s
        .save_report_draft(a, "alice", ID, &draft("y"))
        .await
        .is_err());
    assert_eq!(s.journal_entries(a, None).await.unwrap().len(), 1);
    assert!(s.journal_verify(a).await.unwrap().intact());
    // Nothing named in clear in the database.
    if db.is_sqlite() {
        let bytes = std::fs::read(db.sqlite_file()).unwrap();
        for secret in ["Kervadec", "texte corrigé", "Situe les faits"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in clear"
            );
        }
    }
}

#[tokio::test]
async fn a_patient_corrected_then_archived_leaves_the_lists_and_the_journal_keeps_its_entries() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let a = s
        .create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap()
        .practice_id;
    let p = common::patient(&s, a, "Gwenaëlle Trégorrois").await;
    s.journal_append(
        a,
        "alice",
        &[NewEntry {
            patient: Some(p.id.clone()),
            recipient: "equipe_de_soins".into(),
            purpose: "coordination_soins".into(),
            action: "disclosed".into(),
            verdict: "allowed".into(),
            basis: vec![],
            information: String::new(),
        }],
    )
    .await
    .unwrap();
    let fixed = s
        .update_patient(
            a,
            &p.id,
            &NewPatient {
                display_name: "Gwenaëlle Trégorrois-Le Bihan".into(),
                birth_date: NaiveDate::from_ymd_opt(1990, 2, 3),
                reference: Some("DOS-7".into()),
                deceased_on: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(fixed.display_name, "Gwenaëlle Trégorrois-Le Bihan");
    assert_eq!(fixed.reference.as_deref(), Some("DOS-7"));
    assert!(matches!(
        s.update_patient(
            a,
            &p.id,
            &NewPatient {
                display_name: " ".into(),
                ..Default::default()
            }
        )
        .await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(s.list_patients(a).await.unwrap().len(), 1);
    s.archive_patient(a, &p.id, "alice").await.unwrap();
    assert!(
        s.list_patients(a).await.unwrap().is_empty(),
        "archived: out of the list"
    );
    assert!(s.patient_archived_on(a, &p.id).await.unwrap().is_some());
    assert_eq!(s.archived_patients(a).await.unwrap(), vec![p.id.clone()]);
    assert!(
        s.archive_patient(a, &p.id, "alice").await.is_err(),
        "archived once"
    );
    let entries = s.journal_entries(a, Some(&p.id)).await.unwrap();
    assert_eq!(entries.len(), 1, "the journal keeps the entry");
    assert_eq!(
        entries[0].patient.as_deref(),
        Some(p.id.as_str()),
        "under the register's reference"
    );
    assert!(s.journal_verify(a).await.unwrap().intact());
}

#[tokio::test]
async fn a_report_about_a_registered_patient_names_it_in_the_journal_and_in_the_duty() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let new = |name: &str| NewPatient {
        display_name: name.into(),
        ..Default::default()
    };
    let p = s
        .create_patient(a, "alice", &new("Ysolde Kervadec"))
        .await
        .unwrap();
    let other = s
        .create_patient(b, "bob", &new("Autre Cabinet"))
        .await
        .unwrap();
    // A patient of another practice, or no patient id at all, is refused.
    for wrong in [other.id.clone(), "pat_nope".into()] {
        let d = ReportDraft {
            patient: Some(wrong),
            ..draft("x")
        };
        assert!(matches!(
            s.save_report_draft(a, "alice", ID, &d).await,
            Err(StoreError::Invalid(_))
        ));
    }
    let d = ReportDraft {
        patient: Some(p.id.clone()),
        ..draft("lettre")
    };
    s.save_report_draft(a, "alice", ID, &d).await.unwrap();
    s.review_report(a, ID, "alice").await.unwrap();
    let on = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let r = s.send_report(a, ID, "alice", on, "courrier").await.unwrap();
    assert_eq!(r.patient.as_deref(), Some(p.id.as_str()));
    let entries = s.journal_entries(a, Some(&p.id)).await.unwrap();
    assert_eq!(
        entries.len(),
        1,
        "the disclosure is on the patient's journal"
    );
    let duties = s.patient_duties(a, &p.id).await.unwrap();
    assert_eq!(duties.len(), 1);
    assert_eq!(duties[0].patient.as_deref(), Some(p.id.as_str()));
    assert!(s.patient_duties(b, &p.id).await.unwrap().is_empty());
    // Done: its patient comes back for the journal entry that records it,
    // and it stays on the patient's page, done.
    let who = s
        .complete_duty(a, "alice", &duties[0].id, on, "en séance")
        .await
        .unwrap();
    assert_eq!(who.as_deref(), Some(p.id.as_str()));
    let duties = s.patient_duties(a, &p.id).await.unwrap();
    assert_eq!(duties[0].done_on, Some(on));
}

#[tokio::test]
async fn an_account_profile_checks_the_rpps_key_and_is_stored_encrypted() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let alice = s
        .create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap();
    let a = alice.practice_id;
    let b = s
        .create_practice("Cabinet B", "bob", "Bob", "motdepasse-solide")
        .await
        .unwrap()
        .practice_id;
    assert_eq!(s.profile(a, alice.id).await.unwrap(), Default::default());
    // The last digit is a Luhn key: a typo in any digit is caught.
    for bad in ["12345678904", "1234567890", "123456789030", "1234567890a"] {
        assert!(
            matches!(
                s.save_profile(a, alice.id, bad, "").await,
                Err(StoreError::Invalid(m)) if m.contains("RPPS") && !m.contains(bad)
            ),
            "{bad}"
        );
    }
    let p = s
        .save_profile(
            a,
            alice.id,
            "123 456 789 03",
            "12 rue Quimpéroise\r\n\n29000 Kemperle",
        )
        .await
        .unwrap();
    assert_eq!(p.rpps.as_deref(), Some("12345678903"));
    assert_eq!(p.address, vec!["12 rue Quimpéroise", "29000 Kemperle"]);
    assert_eq!(s.profile(a, alice.id).await.unwrap(), p);
    // Changed, then cleared; never another practice's account.
    s.save_profile(a, alice.id, "10000000009", "1 place Haute")
        .await
        .unwrap();
    assert_eq!(
        s.profile(a, alice.id).await.unwrap().rpps.as_deref(),
        Some("10000000009")
    );
    assert!(matches!(
        s.save_profile(b, alice.id, "10000000009", "x").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.profile(b, alice.id).await.unwrap(), Default::default());
    if db.is_sqlite() {
        let bytes = std::fs::read(db.sqlite_file()).unwrap();
        for secret in ["10000000009", "place Haute"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in clear"
            );
        }
    }
    s.save_profile(a, alice.id, " ", "").await.unwrap();
    assert_eq!(s.profile(a, alice.id).await.unwrap(), Default::default());
}

/// Finding 7 of the 2026-11-30 HTTP audit, at the store: a report not sent
/// is deleted by its own practice only (another practice's deletion is
/// « not found » and leaves it), without a journal entry; a sent report
/// is refused and stays.
#[tokio::test]
async fn a_draft_is_deleted_by_its_practice_only_and_a_sent_report_never() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    s.save_report_draft(a, "alice", ID, &draft("à supprimer"))
        .await
        .unwrap();
    assert!(matches!(
        s.delete_report_draft(b, ID).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.reports(a).await.unwrap().len(), 1, "still there");
    s.delete_report_draft(a, ID).await.unwrap();
    assert!(s.reports(a).await.unwrap().is_empty());
    assert!(matches!(
        s.delete_report_draft(a, ID).await,
        Err(StoreError::NotFound)
    ));
    assert!(s.journal_entries(a, None).await.unwrap().is_empty());

    let on = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    s.save_report_draft(a, "alice", ID, &draft("envoyé"))
        .await
        .unwrap();
    s.review_report(a, ID, "alice").await.unwrap();
    s.send_report(a, ID, "alice", on, "courrier").await.unwrap();
    assert!(matches!(
        s.delete_report_draft(a, ID).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(s.report(a, ID).await.unwrap().status, "envoye");
    assert!(s.journal_verify(a).await.unwrap().intact());
}
