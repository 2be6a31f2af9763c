//! Each patient's signed record of its register rows: a row deleted by SQL
//! without the key is seen as deleted (never as absent), an older signed
//! version of a row put back is not believed nor changed, a record put
//! back with its rows is refused by the store that saw a later one, and
//! `sceau register attest` records what the administrator confirms.
//! SQLite, or PostgreSQL with SCEAU_TEST_DATABASE_URL. Every test here
//! fails on the code before schema 21 (a deleted row was simply missing,
//! an older row put back was believed).

use crate::common;

use sceau_store::register::{NewConsent, NewMember, NewOpposition};
use sceau_store::{RowState, StoreError};

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn opposition() -> NewOpposition {
    NewOpposition {
        scope: "tout".into(),
        what: "Ne rien transmettre".into(),
        since: Some(day("2026-01-01")),
        informed_on: None,
    }
}

fn consent() -> NewConsent {
    NewConsent {
        recipient: "medecin_traitant".into(),
        what: "Bilan".into(),
        method: "ecrit".into(),
        given_on: Some(day("2026-01-02")),
        ..Default::default()
    }
}

/// The columns of a row that an intruder copies before a change, to put
/// them back after it.
async fn copy_row(pool: &sqlx::AnyPool, table: &str, id: &str) -> sqlx::any::AnyRow {
    sqlx::query(&format!("SELECT * FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_row_deleted_or_put_back_without_the_key_is_seen_until_attested() {
    use sqlx::Row;
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let pa = common::patient(&s, a, "Patient A").await;
    let other = common::patient(&s, a, "Patient B").await;
    let opp = s.add_opposition(a, &pa.id, &opposition()).await.unwrap();
    let cst = s.add_consent(a, &pa.id, &consent()).await.unwrap();
    s.add_member(
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
            "Informer",
            Some(&pa.id),
        )
        .await
        .unwrap();
    let loose = s
        .add_duty(a, "alice", "inform_victim_of_report", "Sans patient", None)
        .await
        .unwrap();
    s.add_opposition(a, &other.id, &opposition()).await.unwrap();
    let pool = db.raw().await;
    let duty_before = copy_row(&pool, "duties", &duty.id).await;
    let consent_before = copy_row(&pool, "consents", &cst.id).await;

    // Sceau's own writes: a withdrawal, a duty done; all believed.
    s.withdraw_consent(a, &pa.id, &cst.id, day("2026-02-01"))
        .await
        .unwrap();
    s.complete_duty(a, "alice", &duty.id, day("2026-02-02"), "oralement")
        .await
        .unwrap();
    assert!(s.unsigned_register_rows(None).await.unwrap().is_empty());
    assert!(s
        .duties(a, true)
        .await
        .unwrap()
        .iter()
        .all(|d| d.id == loose.id));

    // The intruder: the opposition and the duty about no patient deleted,
    // the consent and the duty put back as they were before.
    for (table, id) in [("oppositions", &opp.id), ("duties", &loose.id)] {
        sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE consents SET withdrawn_on = NULL, mac = $1 WHERE id = $2")
        .bind(consent_before.try_get::<String, _>("mac").unwrap())
        .bind(&cst.id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE duties SET done_on = NULL, done_how = NULL, done_at = NULL, done_by = NULL, mac = $1 WHERE id = $2",
    )
    .bind(duty_before.try_get::<String, _>("mac").unwrap())
    .bind(&duty.id)
    .execute(&pool)
    .await
    .unwrap();

    // The deleted opposition is there, deleted, and altered: never absent.
    let opps = s.oppositions(a, &pa.id).await.unwrap();
    assert_eq!(opps.len(), 1, "{opps:?}");
    assert!(opps[0].id == opp.id && opps[0].deleted && opps[0].altered);
    // The consent put back (not withdrawn) is not believed.
    let cs = s.consents(a, &pa.id).await.unwrap();
    assert!(cs.len() == 1 && cs[0].altered && !cs[0].deleted, "{cs:?}");
    // The duty put back (not done) is altered, and not completed again.
    let pending = s.duties(a, true).await.unwrap();
    assert!(
        pending
            .iter()
            .any(|d| d.id == duty.id && d.altered && !d.deleted),
        "{pending:?}"
    );
    assert!(
        pending
            .iter()
            .any(|d| d.id == loose.id && d.deleted && d.patient.is_none()),
        "{pending:?}"
    );
    assert!(matches!(
        s.complete_duty(a, "alice", &duty.id, day("2026-03-01"), "x")
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.withdraw_consent(a, &pa.id, &cst.id, day("2026-03-01"))
            .await,
        Err(StoreError::Invalid(_))
    ));
    // The patient's record itself still holds: Sceau writes beside it, and
    // the deletion stays seen.
    let pa_read = s.patient(a, &pa.id).await.unwrap();
    assert!(!pa_read.record_altered && !pa_read.dates_altered);
    s.add_consent(a, &pa.id, &consent()).await.unwrap();
    assert!(s.oppositions(a, &pa.id).await.unwrap()[0].deleted);
    // The other patient is untouched, and a patient with no rows reads.
    let o = s.oppositions(a, &other.id).await.unwrap();
    assert!(o.len() == 1 && !o[0].altered);
    let fresh = common::patient(&s, a, "Patient C").await;
    let f = s.patient(a, &fresh.id).await.unwrap();
    assert!(!f.record_altered && !f.dates_altered);
    assert!(s.oppositions(a, &fresh.id).await.unwrap().is_empty());
    assert!(s.consents(a, &fresh.id).await.unwrap().is_empty());
    assert!(s.care_team(a, &fresh.id).await.unwrap().is_empty());
    assert!(s.patient_duties(a, &fresh.id).await.unwrap().is_empty());
    assert!(s.patient_archiving(a, &fresh.id).await.unwrap().is_none());

    // The attestation lists what it would record, as it is.
    let todo = s.unsigned_register_rows(Some(a)).await.unwrap();
    let state = |id: &str| todo.iter().find(|r| r.id == id).map(|r| r.state);
    assert_eq!(state(&opp.id), Some(RowState::Deleted), "{todo:?}");
    assert_eq!(state(&loose.id), Some(RowState::Deleted), "{todo:?}");
    assert_eq!(state(&cst.id), Some(RowState::Unrecorded), "{todo:?}");
    assert_eq!(state(&duty.id), Some(RowState::Unrecorded), "{todo:?}");
    assert_eq!(todo.len(), 4, "{todo:?}");
    assert_eq!(s.attest_register_rows(&todo).await.unwrap(), 4);
    assert!(s.unsigned_register_rows(None).await.unwrap().is_empty());
    assert!(s.oppositions(a, &pa.id).await.unwrap().is_empty());
    assert!(s
        .consents(a, &pa.id)
        .await
        .unwrap()
        .iter()
        .all(|c| !c.altered));
    assert!(s.journal_verify(a).await.unwrap().intact());
    let info = s
        .journal_entries(a, None)
        .await
        .unwrap()
        .last()
        .unwrap()
        .information
        .clone()
        .unwrap_or_default();
    assert!(
        info.contains(&format!("opposition {} (supprimée hors de Sceau)", opp.id)),
        "{info}"
    );
    // Attested as it was: the duty is pending, and Sceau completes it.
    s.complete_duty(a, "alice", &duty.id, day("2026-03-02"), "oralement")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_record_put_back_with_its_rows_or_deleted_believes_no_row_of_its_patient() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let pa = common::patient(&s, a, "Patient A").await;
    let other = common::patient(&s, a, "Patient B").await;
    let opp = s.add_opposition(a, &pa.id, &opposition()).await.unwrap();
    let pool = db.raw().await;
    let record: (i64, String, String) = {
        use sqlx::Row;
        let r = sqlx::query(
            "SELECT counter, body, mac FROM register_records WHERE practice_id = $1 AND patient_id = $2",
        )
        .bind(a)
        .bind(&pa.id)
        .fetch_one(&pool)
        .await
        .unwrap();
        (r.get(0), r.get(1), r.get(2))
    };
    let opp_before = copy_row(&pool, "oppositions", &opp.id).await;
    s.lift_opposition(a, &pa.id, &opp.id, day("2026-02-01"))
        .await
        .unwrap();
    assert!(s.oppositions(a, &pa.id).await.unwrap()[0]
        .lifted_on
        .is_some());

    // The lifting undone: the row and the record of its time put back.
    {
        use sqlx::Row;
        sqlx::query("UPDATE oppositions SET lifted_on = NULL, mac = $1 WHERE id = $2")
            .bind(opp_before.try_get::<String, _>("mac").unwrap())
            .bind(&opp.id)
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query(
        "UPDATE register_records SET counter = $1, body = $2, mac = $3 WHERE practice_id = $4 AND patient_id = $5",
    )
    .bind(record.0)
    .bind(&record.1)
    .bind(&record.2)
    .bind(a)
    .bind(&pa.id)
    .execute(&pool)
    .await
    .unwrap();
    // The running store saw a later record: none of the patient's rows.
    let p = s.patient(a, &pa.id).await.unwrap();
    assert!(p.record_altered && p.dates_altered);
    assert!(s.oppositions(a, &pa.id).await.unwrap()[0].altered);
    assert!(matches!(
        s.add_consent(a, &pa.id, &consent()).await,
        Err(StoreError::Invalid(_))
    ));
    // The record deleted: the same, and the other patient reads as before.
    sqlx::query("DELETE FROM register_records WHERE practice_id = $1 AND patient_id = $2")
        .bind(a)
        .bind(&pa.id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(s.patient(a, &pa.id).await.unwrap().record_altered);
    let o = s.patient(a, &other.id).await.unwrap();
    assert!(!o.record_altered && !o.dates_altered);
    // The attestation records the rows as they are (the administrator
    // sees the opposition in force again, on its page, before saying yes).
    let todo = s.unsigned_register_rows(Some(a)).await.unwrap();
    assert!(
        todo.iter()
            .all(|r| r.patient == pa.id && r.state == RowState::Unrecorded),
        "{todo:?}"
    );
    assert_eq!(todo.len(), 2, "{todo:?}");
    s.attest_register_rows(&todo).await.unwrap();
    assert!(!s.patient(a, &pa.id).await.unwrap().record_altered);
    s.add_consent(a, &pa.id, &consent()).await.unwrap();
}

/// A listing changed between the display and the confirmation is not
/// attested: a row deleted meanwhile would otherwise be recorded unseen.
#[tokio::test]
async fn an_attestation_refuses_a_listing_that_changed_since_it_was_shown() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let pa = common::patient(&s, a, "Patient A").await;
    let o1 = s.add_opposition(a, &pa.id, &opposition()).await.unwrap();
    let o2 = s.add_opposition(a, &pa.id, &opposition()).await.unwrap();
    let pool = db.raw().await;
    sqlx::query("DELETE FROM oppositions WHERE id = $1")
        .bind(&o1.id)
        .execute(&pool)
        .await
        .unwrap();
    let shown = s.unsigned_register_rows(Some(a)).await.unwrap();
    assert_eq!(shown.len(), 1, "{shown:?}");
    sqlx::query("DELETE FROM oppositions WHERE id = $1")
        .bind(&o2.id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(matches!(
        s.attest_register_rows(&shown).await,
        Err(StoreError::Invalid(_))
    ));
    let opps = s.oppositions(a, &pa.id).await.unwrap();
    assert!(
        opps.len() == 2 && opps.iter().all(|o| o.deleted),
        "{opps:?}"
    );
}
