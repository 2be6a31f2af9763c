//! Audit finding 6: the care team, a patient's dates, archiving and the
//! duties written by SQL without the key are « altered » — never used to
//! decide, never completed or changed by Sceau — until the host's
//! administrator attests them; Sceau's own writes keep them signed. The
//! attacks are the audit's, on a connection of the attacker's own beside
//! the running store. SQLite, or PostgreSQL with SCEAU_TEST_DATABASE_URL.

use crate::common;

use sceau_store::register::{NewMember, NewPatient};
use sceau_store::StoreError;

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn care_team_dates_archiving_and_duties_written_without_the_key_are_altered_until_attested() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let pa = common::patient(&s, a, "Patient A").await;
    let pb = s
        .create_patient(
            a,
            "alice",
            &NewPatient {
                display_name: "Patient B".into(),
                birth_date: Some(day("2015-05-05")),
                deceased_on: Some(day("2025-01-02")),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let pc = common::patient(&s, a, "Patient C").await;
    let member = s
        .add_member(
            a,
            &pa.id,
            &NewMember {
                name: "Dr Membre".into(),
                profession: "médecin".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let duty = s
        .add_duty(
            a,
            "alice",
            "inform_victim_of_report",
            "Informer la victime",
            Some(&pa.id),
        )
        .await
        .unwrap();
    let kept = s
        .add_duty(a, "alice", "inform_victim_of_report", "Autre", None)
        .await
        .unwrap();

    // Sceau's own writes are signed, changes included.
    s.set_patient_deceased(a, &pb.id, Some(day("2025-01-03")))
        .await
        .unwrap();
    s.update_patient(
        a,
        &pb.id,
        &NewPatient {
            display_name: "Patient B".into(),
            birth_date: Some(day("2015-05-06")),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    s.archive_patient(a, &pc.id, "alice").await.unwrap();
    s.complete_duty(a, "alice", &kept.id, day("2026-02-01"), "oralement")
        .await
        .unwrap();
    let b_read = s.patient(a, &pb.id).await.unwrap();
    assert!(!b_read.dates_altered);
    assert_eq!(b_read.deceased_on, Some(day("2025-01-03")));
    assert_eq!(b_read.birth_date, Some(day("2015-05-06")));
    assert!(s
        .care_team(a, &pa.id)
        .await
        .unwrap()
        .iter()
        .all(|m| !m.altered));
    assert!(s.duties(a, false).await.unwrap().iter().all(|d| !d.altered));
    assert_eq!(s.archived_patients(a).await.unwrap(), vec![pc.id.clone()]);
    assert!(s.unsigned_register_rows(None).await.unwrap().is_empty());
    let pool = db.raw().await;

    // The audit's SQL: a death and a birth erased, a member inserted, a
    // duty marked done, a patient archived.
    sqlx::query("UPDATE patients SET deceased_on = NULL, birth_date = NULL WHERE id = $1")
        .bind(&pb.id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO care_team (id, practice_id, patient_id, name, profession, created_at)
         VALUES ('eqp_00000000000000000000000000000001', $1, $2, 'M. INTRUS', 'assureur', 1)",
    )
    .bind(a)
    .bind(&pa.id)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE duties SET done_on = '2026-11-30' WHERE id = $1")
        .bind(&duty.id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO patient_archive (patient_id, practice_id, archived_at, archived_by)
         VALUES ($1, $2, 1796014786, 'kine')",
    )
    .bind(&pa.id)
    .bind(a)
    .execute(&pool)
    .await
    .unwrap();

    // The dates are unknown, not « alive » nor « adult ».
    let b_read = s.patient(a, &pb.id).await.unwrap();
    assert!(b_read.dates_altered && !b_read.unreadable);
    assert_eq!(b_read.minor_on(day("2026-01-01")), None);
    let team = s.care_team(a, &pa.id).await.unwrap();
    assert_eq!(team.len(), 2);
    assert!(team.iter().any(|m| m.id == member.id && !m.altered));
    assert!(team
        .iter()
        .any(|m| m.name == "M. INTRUS" && m.altered && !m.unreadable));
    // The duty marked done without the key is still pending, altered.
    let pending = s.duties(a, true).await.unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert!(pending[0].id == duty.id && pending[0].altered);
    // The archiving written without the key archives nothing.
    assert!(s.patient_archived_on(a, &pa.id).await.unwrap().is_none());
    assert!(
        s.patient_archiving(a, &pa.id)
            .await
            .unwrap()
            .unwrap()
            .altered
    );
    assert!(s
        .list_patients(a)
        .await
        .unwrap()
        .iter()
        .any(|p| p.id == pa.id));
    assert!(!s
        .list_patients(a)
        .await
        .unwrap()
        .iter()
        .any(|p| p.id == pc.id));

    // Sceau never signs a change on top of an altered row.
    let refused = |r: Result<(), StoreError>| matches!(r, Err(StoreError::Invalid(_)));
    assert!(refused(
        s.set_patient_deceased(a, &pb.id, Some(day("2025-02-01")))
            .await
    ));
    assert!(refused(
        s.end_member(
            a,
            &pa.id,
            "eqp_00000000000000000000000000000001",
            day("2026-03-01")
        )
        .await
    ));
    assert!(matches!(
        s.complete_duty(a, "alice", &duty.id, day("2026-03-01"), "x")
            .await,
        Err(StoreError::NotFound) | Err(StoreError::Invalid(_))
    ));
    assert!(refused(s.archive_patient(a, &pa.id, "alice").await));

    // The explicit act: listed without the patient's dates nor a duty's
    // subject, attested, recorded in the journal, which stays intact.
    assert!(s.unsigned_register_rows(Some(b)).await.unwrap().is_empty());
    let todo = s.unsigned_register_rows(Some(a)).await.unwrap();
    assert_eq!(todo.len(), 4, "{todo:?}");
    assert!(todo.iter().all(|r| !r.unreadable
        && !r.summary.contains("2015")
        && !r.summary.contains("Informer la victime")));
    assert_eq!(s.attest_register_rows(&todo).await.unwrap(), 4);
    assert!(s.unsigned_register_rows(None).await.unwrap().is_empty());
    let b_read = s.patient(a, &pb.id).await.unwrap();
    assert!(!b_read.dates_altered && b_read.deceased_on.is_none());
    assert!(s
        .care_team(a, &pa.id)
        .await
        .unwrap()
        .iter()
        .all(|m| !m.altered));
    assert!(s.duties(a, true).await.unwrap().is_empty());
    assert!(s.patient_archived_on(a, &pa.id).await.unwrap().is_some());
    assert!(s.journal_verify(a).await.unwrap().intact());
    let entries = s.journal_entries(a, None).await.unwrap();
    let info = entries
        .last()
        .unwrap()
        .information
        .clone()
        .unwrap_or_default();
    assert!(
        info.starts_with("4 ligne(s) du registre attestée(s)") && info.contains(&duty.id),
        "{info}"
    );
}

/// Audit finding 9: one duty row that does not decrypt no longer hides the
/// practice's other duties: it is listed, marked unreadable (and pending).
#[tokio::test]
async fn a_damaged_duty_row_is_marked_and_the_others_still_listed() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let duty = s
        .add_duty(
            a,
            "alice",
            "inform_victim_of_report",
            "Informer la victime",
            None,
        )
        .await
        .unwrap();
    let pool = db.raw().await;
    sqlx::query(
        "INSERT INTO duties (id, practice_id, kind, subject, created_at, created_by)
         SELECT 'dut_damaged', practice_id, kind, $1, created_at, created_by FROM duties WHERE id = $2",
    )
    .bind(vec![0u8, 0x11, 0x22, 0x33])
    .bind(&duty.id)
    .execute(&pool)
    .await
    .unwrap();
    let pending = s.duties(a, true).await.unwrap();
    assert_eq!(pending.len(), 2, "{pending:?}");
    assert!(pending
        .iter()
        .any(|d| d.id == duty.id && !d.unreadable && !d.altered));
    assert!(pending
        .iter()
        .any(|d| d.id == "dut_damaged" && d.unreadable && d.altered));
}
