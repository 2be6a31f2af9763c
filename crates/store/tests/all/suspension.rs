//! A practice's suspension written without the key (audit of 2026-11-30,
//! finding 11): `UPDATE practices SET suspended_at = NULL` lifted it. The
//! practice's access record now states it, and a row that disagrees with
//! a believed record counts as suspended. On SQLite or (with
//! SCEAU_TEST_DATABASE_URL) PostgreSQL.

use crate::common;

use sceau_store::{Store, StoreError};

const PASSWORD: &str = "motdepasse-solide";

async fn id_of(s: &Store, practice: i64, name: &str) -> i64 {
    s.list_accounts(practice)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.username == name)
        .unwrap()
        .id
}

async fn login(s: &Store, practice: i64, name: &str) -> Result<bool, StoreError> {
    Ok(s.verify_login(Some(practice), name, PASSWORD)
        .await?
        .is_some())
}

async fn token_practice_suspended(s: &Store, token: &str) -> bool {
    let (_, p) = s.authenticate_token(token).await.unwrap().expect("live");
    p.suspended()
}

#[tokio::test]
async fn a_suspension_lifted_without_the_key_still_suspends() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let alice = id_of(&s, a, "alice").await;
    let (token, _) = s.create_token(a, alice, "w").await.unwrap();
    assert!(!s.practice(a).await.unwrap().suspended());
    assert!(login(&s, a, "alice").await.unwrap());
    assert!(!token_practice_suspended(&s, &token).await);

    s.suspend_practice(a).await.unwrap();
    assert!(matches!(
        login(&s, a, "alice").await,
        Err(StoreError::Suspended)
    ));
    assert!(token_practice_suspended(&s, &token).await);

    // The audit's statement.
    let raw = db.raw().await;
    sqlx::query("UPDATE practices SET suspended_at = NULL WHERE id = $1")
        .bind(a)
        .execute(&raw)
        .await
        .unwrap();
    let p = s.practice(a).await.unwrap();
    assert!(p.suspended_at.is_none());
    assert!(p.suspended() && p.state_altered, "{p:?}");
    assert!(matches!(
        login(&s, a, "alice").await,
        Err(StoreError::Suspended)
    ));
    // The token's practice is read again after the recheck delay.
    tokio::time::sleep(sceau_store::TOKEN_RECHECK + std::time::Duration::from_millis(200)).await;
    assert!(token_practice_suspended(&s, &token).await);
    // Another time written: refused too; and by a store opened afterwards.
    sqlx::query("UPDATE practices SET suspended_at = 1 WHERE id = $1")
        .bind(a)
        .execute(&raw)
        .await
        .unwrap();
    assert!(s.practice(a).await.unwrap().state_altered);
    sqlx::query("UPDATE practices SET suspended_at = NULL WHERE id = $1")
        .bind(a)
        .execute(&raw)
        .await
        .unwrap();
    let s2 = db.open().await;
    assert!(s2.practice(a).await.unwrap().suspended());
    assert!(s2
        .practices()
        .await
        .unwrap()
        .iter()
        .any(|p| p.id == a && p.suspended()));
    // The other practice is as it was.
    assert!(!s.practice(b).await.unwrap().suspended());
    assert!(login(&s, b, "bob").await.unwrap());

    // The record deleted with the row cleared: suspended, and the
    // operator cannot resume it until its accounts are attested.
    sqlx::query("DELETE FROM access_records WHERE practice_id = $1")
        .bind(a)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;
    let s3 = db.open().await;
    assert!(s3.practice(a).await.unwrap().suspended());
    assert!(matches!(
        s3.resume_practice(a).await,
        Err(StoreError::Invalid(_))
    ));
    // Attesting the accounts restarts the record suspended: the operator
    // resumes the practice himself.
    let todo = s3.unsigned_accounts(Some(a)).await.unwrap();
    s3.attest_accounts(&todo).await.unwrap();
    assert!(s3.practice(a).await.unwrap().suspended());
    let p = s3.resume_practice(a).await.unwrap();
    assert!(!p.suspended(), "{p:?}");
    // Not refused as suspended (the password itself is the attestation's
    // business: « Accounts written without the key »).
    assert!(!matches!(
        login(&s3, a, "alice").await,
        Err(StoreError::Suspended)
    ));
}

#[tokio::test]
async fn the_upgrade_records_each_practice_state_once_and_locks_none_out() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    s.suspend_practice(b).await.unwrap();
    // Records as a build of before schema 20 left them: they state
    // nothing of the suspension, which reads as suspended.
    sceau_store::testing::write_record_of_an_older_build(&s, a).await;
    sceau_store::testing::write_record_of_an_older_build(&s, b).await;
    assert!(s.practice(a).await.unwrap().suspended());
    drop(s);

    // The start records each practice's state as its row has it.
    let s = db.open().await;
    assert!(!s.practice(a).await.unwrap().suspended());
    assert!(login(&s, a, "alice").await.unwrap());
    assert!(s.practice(b).await.unwrap().suspended());
    assert!(matches!(
        login(&s, b, "bob").await,
        Err(StoreError::Suspended)
    ));
    drop(s);

    // Once: the row cleared afterwards, then a restart, lifts nothing.
    let raw = db.raw().await;
    sqlx::query("UPDATE practices SET suspended_at = NULL WHERE id = $1")
        .bind(b)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;
    let s = db.open().await;
    assert!(s.practice(b).await.unwrap().suspended());
    assert!(matches!(
        login(&s, b, "bob").await,
        Err(StoreError::Suspended)
    ));
}
