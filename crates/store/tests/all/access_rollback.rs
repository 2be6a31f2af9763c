//! Audit of 2026-11-30, findings 3 and 4: an older signed version of an
//! access row, put back by SQL without the key, or a session row deleted at
//! logout and inserted again, must open nothing. The intruder works on a
//! connection of his own beside the running store. SQLite, or PostgreSQL
//! with SCEAU_TEST_DATABASE_URL.

use crate::common;

use sceau_store::{Role, Store, StoreError};
use sha2::{Digest, Sha256};

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn id_of(s: &Store, practice: i64, username: &str) -> i64 {
    s.list_accounts(practice)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.username == username)
        .unwrap()
        .id
}

/// Signs in, as the login page does: `Ok(true)` in, `Ok(false)` a wrong
/// password, `Err` refused (altered, suspended).
async fn signs_in(s: &Store, practice: i64, user: &str, pw: &str) -> Result<bool, StoreError> {
    s.verify_login(Some(practice), user, pw)
        .await
        .map(|a| a.is_some())
}

/// The account's row as the intruder copies it.
async fn account_row(pool: &sqlx::AnyPool, id: i64) -> (String, i64, String, String) {
    use sqlx::Row;
    let r = sqlx::query("SELECT role, active, password_hash, mac FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
    (
        r.get("role"),
        r.get("active"),
        r.get("password_hash"),
        r.get("mac"),
    )
}

async fn put_back_account(pool: &sqlx::AnyPool, id: i64, row: &(String, i64, String, String)) {
    sqlx::query(
        "UPDATE accounts SET role = $1, active = $2, password_hash = $3, mac = $4 WHERE id = $5",
    )
    .bind(&row.0)
    .bind(row.1)
    .bind(&row.2)
    .bind(&row.3)
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
}

/// The record's row as the intruder copies it: (counter, body, mac).
async fn record_row(pool: &sqlx::AnyPool, practice: i64) -> (i64, String, String) {
    use sqlx::Row;
    let r = sqlx::query("SELECT counter, body, mac FROM access_records WHERE practice_id = $1")
        .bind(practice)
        .fetch_one(pool)
        .await
        .unwrap();
    (r.get("counter"), r.get("body"), r.get("mac"))
}

async fn token_refused(s: &Store, token: &str) {
    match s.authenticate_token(token).await {
        Err(StoreError::TokenToReplace) | Ok(None) => {}
        Ok(Some(_)) => panic!("a token put back after its revocation opened the API"),
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// The password of every account of these tests.
const PW: &str = "motdepasse-solide";

/// The ids of the two practices, of « alice » and of « exadmin », a
/// second administrator of practice A.
struct Practices {
    a: i64,
    b: i64,
    alice: i64,
    ex: i64,
}

async fn with_a_second_admin() -> (common::Db, Store, Practices) {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let alice = id_of(&s, a, "alice").await;
    let ex = s
        .create_account(a, "exadmin", "Ex", Role::Administrateur, PW)
        .await
        .unwrap()
        .id;
    (db, s, Practices { a, b, alice, ex })
}

#[tokio::test]
async fn an_older_signed_access_row_put_back_opens_nothing() {
    let (db, s, Practices { a, b, alice, ex }) = with_a_second_admin().await;
    let pw = PW;
    let kine = s
        .create_account(a, "kine", "Kiné", Role::Kinesitherapeute, pw)
        .await
        .unwrap()
        .id;
    let (token, t) = s.create_token(a, alice, "w").await.unwrap();
    let (ex_token, _) = s.create_token(a, ex, "x").await.unwrap();
    assert!(s.authenticate_token(&token).await.unwrap().is_some());
    let pool = db.raw().await;

    // Copies taken earlier (a backup, a copy of the database).
    let ex_before = account_row(&pool, ex).await;
    let kine_before = account_row(&pool, kine).await;
    let token_before: (Option<i64>, String) = {
        use sqlx::Row;
        let r = sqlx::query("SELECT revoked_at, mac FROM api_tokens WHERE id = $1")
            .bind(t.id)
            .fetch_one(&pool)
            .await
            .unwrap();
        (r.get("revoked_at"), r.get("mac"))
    };
    let ex_token_before: String =
        sqlx::query_scalar("SELECT mac FROM api_tokens WHERE created_by = $1")
            .bind(ex)
            .fetch_one(&pool)
            .await
            .unwrap();

    // The administrator demotes and deactivates « exadmin » (his token is
    // revoked with him), revokes « w », resets « kine »'s password.
    s.update_account(a, ex, Role::Kinesitherapeute, false)
        .await
        .unwrap();
    s.revoke_token(a, t.id).await.unwrap();
    s.reset_password(a, kine, "nouveau-motdepasse-solide")
        .await
        .unwrap();
    token_refused(&s, &token).await;

    // The intruder puts every row back as it was.
    put_back_account(&pool, ex, &ex_before).await;
    put_back_account(&pool, kine, &kine_before).await;
    sqlx::query("UPDATE api_tokens SET revoked_at = $1, mac = $2 WHERE id = $3")
        .bind(token_before.0)
        .bind(&token_before.1)
        .bind(t.id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE api_tokens SET revoked_at = NULL, mac = $1 WHERE created_by = $2")
        .bind(&ex_token_before)
        .bind(ex)
        .execute(&pool)
        .await
        .unwrap();

    // Each row's own MAC holds, and none opens anything: by the running
    // store, and by one opened afterwards (another server, a restart).
    for store in [s.clone(), db.open().await] {
        assert!(matches!(
            signs_in(&store, a, "exadmin", pw).await,
            Err(StoreError::AccountAltered)
        ));
        assert!(store.account(ex).await.unwrap().altered);
        assert!(matches!(
            signs_in(&store, a, "kine", pw).await,
            Err(StoreError::AccountAltered)
        ));
        token_refused(&store, &token).await;
        token_refused(&store, &ex_token).await;
        assert!(
            store
                .list_tokens(a)
                .await
                .unwrap()
                .iter()
                .filter(|t| t.revoked_at.is_none())
                .all(|t| t.to_replace),
            "a token put back is listed to replace"
        );
        // The rows not touched still work.
        assert!(signs_in(&store, a, "alice", pw).await.unwrap());
        assert!(signs_in(&store, b, "bob", pw).await.unwrap());
    }
}

#[tokio::test]
async fn a_record_put_back_with_its_rows_or_deleted_believes_no_row_until_attested() {
    let (db, s, Practices { a, b, alice, ex }) = with_a_second_admin().await;
    let pw = PW;
    let (token, _) = s.create_token(a, alice, "w").await.unwrap();
    let pool = db.raw().await;
    let ex_before = account_row(&pool, ex).await;
    let record_before = record_row(&pool, a).await;
    s.update_account(a, ex, Role::Kinesitherapeute, false)
        .await
        .unwrap();
    put_back_account(&pool, ex, &ex_before).await;

    // The record put back too, with the rows it named: a store that saw a
    // later record refuses it (every access row of the practice is then
    // unbelieved), and the other practice is untouched.
    sqlx::query(
        "UPDATE access_records SET counter = $1, body = $2, mac = $3 WHERE practice_id = $4",
    )
    .bind(record_before.0)
    .bind(&record_before.1)
    .bind(&record_before.2)
    .bind(a)
    .execute(&pool)
    .await
    .unwrap();
    assert!(matches!(
        signs_in(&s, a, "exadmin", pw).await,
        Err(StoreError::AccountAltered)
    ));
    assert!(s.account(alice).await.unwrap().altered);
    assert!(signs_in(&s, b, "bob", pw).await.unwrap());

    // The record deleted: every account of the practice is unbelieved,
    // until the host's administrator attests them, which writes a new
    // record (the attested rows as they are: the intruder's rollback of
    // « exadmin » is what the listing shows, role and activity).
    sqlx::query("DELETE FROM access_records WHERE practice_id = $1")
        .bind(a)
        .execute(&pool)
        .await
        .unwrap();
    let fresh = db.open().await;
    assert!(matches!(
        signs_in(&fresh, a, "alice", pw).await,
        Err(StoreError::AccountAltered)
    ));
    let unsigned = fresh.unsigned_accounts(Some(a)).await.unwrap();
    assert_eq!(unsigned.len(), 2);
    let shown = unsigned.iter().find(|x| x.id == ex).unwrap();
    assert!(shown.role.is_admin() && shown.active);
    // No record left to vouch for a password hash: each gets a new one.
    let done = fresh.attest_accounts(&unsigned).await.unwrap();
    assert_eq!(done.new_passwords.len(), 2);
    assert!(fresh.practice(a).await.unwrap().suspended());
    fresh.resume_practice(a).await.unwrap();
    assert!(!signs_in(&fresh, a, "alice", pw).await.unwrap());
    let new = &done
        .new_passwords
        .iter()
        .find(|(id, _)| *id == alice)
        .unwrap()
        .1;
    assert!(signs_in(&fresh, a, "alice", new).await.unwrap());
    // Tokens are not attested: they are to replace.
    token_refused(&fresh, &token).await;
}

#[tokio::test]
async fn a_session_row_put_back_after_logout_or_a_password_change_opens_nothing() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _b) = common::two_practices(&s).await;
    let alice = id_of(&s, a, "alice").await;
    let kine = s
        .create_account(
            a,
            "kine",
            "Kiné",
            Role::Kinesitherapeute,
            "motdepasse-solide",
        )
        .await
        .unwrap()
        .id;
    let pool = db.raw().await;
    let copy = |token: &str| {
        let pool = pool.clone();
        let digest = sha256_hex(token);
        async move {
            use sqlx::Row;
            let r = sqlx::query(
                "SELECT token_hash, account_id, csrf, created_at, expires_at, mac FROM sessions WHERE token_hash = $1",
            )
            .bind(&digest)
            .fetch_one(&pool)
            .await
            .unwrap();
            (
                r.get::<String, _>("token_hash"),
                r.get::<i64, _>("account_id"),
                r.get::<String, _>("csrf"),
                r.get::<i64, _>("created_at"),
                r.get::<i64, _>("expires_at"),
                r.get::<String, _>("mac"),
            )
        }
    };
    let put_back = |row: (String, i64, String, i64, i64, String)| {
        let pool = pool.clone();
        async move {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&row.0)
                .execute(&pool)
                .await
                .unwrap();
            sqlx::query(
                "INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at, mac) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(row.0)
            .bind(row.1)
            .bind(row.2)
            .bind(row.3)
            .bind(row.4)
            .bind(row.5)
            .execute(&pool)
            .await
            .unwrap();
        }
    };

    // The audit's reproducer: a logout, the row put back.
    let c = s.create_session(kine).await.unwrap();
    let row = copy(&c).await;
    s.delete_session(&c).await.unwrap();
    assert!(s.session(&c).await.unwrap().is_none());
    put_back(row).await;
    assert!(s.session(&c).await.unwrap().is_none());
    assert!(db.open().await.session(&c).await.unwrap().is_none());

    // The row hidden before the logout (so that the logout finds none),
    // then put back.
    let c = s.create_session(kine).await.unwrap();
    let row = copy(&c).await;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&row.0)
        .execute(&pool)
        .await
        .unwrap();
    s.delete_session(&c).await.unwrap();
    put_back(row).await;
    assert!(s.session(&c).await.unwrap().is_none());

    // One's own password change ends the other sessions, not this one.
    let mine = s.create_session(kine).await.unwrap();
    let other = s.create_session(kine).await.unwrap();
    let row = copy(&other).await;
    assert!(s
        .change_password(kine, "motdepasse-solide", "autre-motdepasse-solide", &mine)
        .await
        .unwrap());
    put_back(row).await;
    assert!(s.session(&other).await.unwrap().is_none());
    assert!(s.session(&mine).await.unwrap().is_some());

    // An administrator's reset, and a deactivation.
    let row = copy(&mine).await;
    s.reset_password(a, kine, "troisieme-motdepasse-solide")
        .await
        .unwrap();
    put_back(row).await;
    assert!(s.session(&mine).await.unwrap().is_none());
    let admin_session = s.create_session(alice).await.unwrap();
    let c = s.create_session(kine).await.unwrap();
    let row = copy(&c).await;
    s.update_account(a, kine, Role::Kinesitherapeute, false)
        .await
        .unwrap();
    s.update_account(a, kine, Role::Kinesitherapeute, true)
        .await
        .unwrap();
    put_back(row).await;
    assert!(s.session(&c).await.unwrap().is_none());

    // Sessions untouched are still open, here and on another store.
    assert!(s.session(&admin_session).await.unwrap().is_some());
    assert!(db
        .open()
        .await
        .session(&admin_session)
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn the_access_rows_of_a_database_before_schema_18_are_recorded_once_at_the_upgrade() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _b) = common::two_practices(&s).await;
    let alice = id_of(&s, a, "alice").await;
    let (token, _) = s.create_token(a, alice, "w").await.unwrap();
    let session = s.create_session(alice).await.unwrap();
    drop(s);
    // The database as schema 16 left it: no record, migration 18 not applied.
    let pool = db.raw().await;
    sqlx::query("DROP TABLE access_records")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 18")
        .execute(&pool)
        .await
        .unwrap();
    let s = db.open().await;
    assert!(signs_in(&s, a, "alice", "motdepasse-solide").await.unwrap());
    assert!(s.authenticate_token(&token).await.unwrap().is_some());
    assert!(s.session(&session).await.unwrap().is_some());
    assert!(!s.account(alice).await.unwrap().altered);
}
