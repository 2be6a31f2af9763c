//! Helpers for the test suites of the store, the web application and the
//! command line: the same tests run on SQLite and, when the environment
//! variable `SCEAU_TEST_DATABASE_URL` names a PostgreSQL server (a role
//! with CREATEDB), on a fresh PostgreSQL database per test.

use sqlx::{Connection, Executor, Row};

/// The variable that switches the test suites to PostgreSQL.
pub const TEST_DATABASE_ENV: &str = "SCEAU_TEST_DATABASE_URL";

/// A new empty PostgreSQL database for one test, when `SCEAU_TEST_DATABASE_URL`
/// is set; `None` means SQLite. Databases of earlier runs (older than three
/// hours) are dropped on the way.
pub async fn fresh_database_url() -> Option<String> {
    let base = std::env::var(TEST_DATABASE_ENV).ok()?;
    let base = base.trim().to_string();
    if base.is_empty() {
        return None;
    }
    let mut conn = sqlx::PgConnection::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("{TEST_DATABASE_ENV}: cannot connect: {e}"));
    let now = chrono::Utc::now().timestamp();
    let old = conn
        .fetch_all("SELECT datname FROM pg_database WHERE datname LIKE 'sceau_t_%'")
        .await
        .unwrap_or_default();
    for r in old {
        let name: String = r.get(0);
        let stamp = name
            .split('_')
            .nth(2)
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(now);
        if now - stamp > 3 * 3600 {
            let _ = conn
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await;
        }
    }
    let name = format!("sceau_t_{now}_{}", crate::secrets::random_hex(6));
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap_or_else(|e| panic!("{TEST_DATABASE_ENV}: cannot create a database: {e}"));
    let _ = conn.close().await;
    // Replace the database name (the last path segment) in the URL.
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h.to_string(), format!("?{q}")),
        None => (base.clone(), String::new()),
    };
    let cut = head.rfind('/').expect("a postgres://…/database URL");
    let prefix = &head[..=cut];
    Some(format!("{prefix}{name}{query}"))
}

/// Moves a token's expiry (tests of expiry, without waiting days).
pub async fn set_token_expiry(store: &crate::Store, token_id: i64, expires_at: i64) {
    sqlx::query("UPDATE api_tokens SET expires_at = $1 WHERE id = $2")
        .bind(expires_at)
        .bind(token_id)
        .execute(store.pool())
        .await
        .expect("token expiry moved");
    store
        .sign_token_for_tests(token_id, crate::token_macs::TokenMac::V2)
        .await
        .expect("token signed again");
    store.revocations.happened();
}

/// Signs a token's row as the builds before the MAC's second version did
/// (its name and prefix not covered), and names that MAC in the practice's
/// access record: a token issued by such a build, for the tests that it
/// still opens, is shown as unverified and is attested.
pub async fn sign_token_as_version_1(store: &crate::Store, token_id: i64) {
    store
        .sign_token_for_tests(token_id, crate::token_macs::TokenMac::V1)
        .await
        .expect("token signed as version 1");
    store.revocations.happened();
}

/// Makes a practice's installation code expire now (tests of expiry).
pub async fn expire_install_code(store: &crate::Store, practice_id: i64) {
    sqlx::query("UPDATE practices SET install_code_expires_at = $1 WHERE id = $2")
        .bind(chrono::Utc::now().timestamp() - 1)
        .bind(practice_id)
        .execute(store.pool())
        .await
        .expect("installation code expired");
}

/// The single number a `SELECT COUNT(*) …` of a test returns.
/// Rewrites a practice's access record as a build of before schema 20
/// wrote it: signed, without the line that states its suspension.
pub async fn write_record_of_an_older_build(store: &crate::Store, practice_id: i64) {
    let mut tx = store.pool().begin().await.unwrap();
    store
        .lock_access_record(&mut tx, practice_id)
        .await
        .unwrap();
    let mut record = store
        .access_record_in(&mut tx, practice_id)
        .await
        .unwrap()
        .expect("a believed record");
    record.suspension = crate::access_record::Suspension::Unrecorded;
    store
        .write_access_record(&mut tx, practice_id, record)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

pub async fn count(store: &crate::Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .expect("a count")
}

/// Removes a migration's record, as if it had not been applied (readiness tests).
pub async fn forget_migration(store: &crate::Store, version: i64) {
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(version)
        .execute(store.pool())
        .await
        .expect("migration record removed");
}

/// What a one-row insert of `table` (primary key `id`) answers when its
/// connection broke after the statement was sent: the store asks whether
/// the row is there (tests of the settlement of a lost answer).
pub async fn settle_lost_answer(
    store: &crate::Store,
    table: &'static str,
    id: &str,
) -> crate::Result<()> {
    let lost = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
    store.settle(table, id, Err(lost)).await
}

/// What an append whose COMMIT lost its answer concludes, asked as the
/// store asks after a failover: whether the entry at `seq` with `hash` is
/// in `practice_id`'s journal (`None`: the database did not answer).
pub async fn journal_lost_answer(
    store: &crate::Store,
    practice_id: i64,
    seq: u64,
    hash: sceau_journal::Hash,
) -> Option<bool> {
    store.stored(&[(practice_id, seq, hash)]).await
}

/// Appends one entry as the store wrote them before schema 19 (version 1:
/// the text sealed alone, no digest of it chained), signed, with the head,
/// the anchor and a checkpoint as an append made them: a journal of that
/// time, for the tests that it still verifies and how its exports read.
pub async fn append_version_1_entry(
    store: &crate::Store,
    practice_id: i64,
    patient: Option<&str>,
    text: &str,
) -> u64 {
    use crate::journal_rows::{insert_checkpoint, update_head, CHECKPOINT_EVERY};
    let practice = crate::Store::journal_practice(practice_id);
    let keys = store.practice_keys(practice_id).await.expect("keys");
    let (entry_key, anchor_key) = (keys.entry_key().unwrap(), keys.anchor_key().unwrap());
    let head = store
        .journal_head(practice_id)
        .await
        .unwrap()
        .expect("a signed head");
    let seq = head.seq + 1;
    let body = sceau_journal::Body {
        at: chrono::Utc::now().timestamp(),
        practice: practice.clone(),
        author: "alice".into(),
        patient: patient.map(str::to_string),
        recipient: "procureur".into(),
        purpose: "signalement".into(),
        action: "disclosed".into(),
        verdict: "allowed".into(),
        basis: vec!["cp:226-14:3".into()],
        information: keys
            .seal_journal(&crate::Store::info_aad(practice_id, seq), text.as_bytes())
            .unwrap(),
        information_digest: None,
    };
    let hash = sceau_journal::entry_hash(&head.hash, seq, &body);
    let e = sceau_journal::Entry {
        seq,
        body,
        prev: head.hash,
        hash,
    };
    let mac = sceau_journal::entry_mac(&entry_key, &practice, seq, &hash);
    let signed = sceau_journal::Anchor::new(&anchor_key, &practice, seq, hash);
    let mut tx = store.pool().begin().await.unwrap();
    crate::Store::insert_entry(&mut tx, practice_id, &e, &mac)
        .await
        .unwrap();
    if seq.is_multiple_of(CHECKPOINT_EVERY) {
        insert_checkpoint(&mut tx, practice_id, &signed, e.body.at)
            .await
            .unwrap();
    }
    update_head(&mut tx, practice_id, &signed).await.unwrap();
    tx.commit().await.unwrap();
    crate::crypto::write_atomic(
        &store.anchor_path(practice_id),
        &serde_json::to_vec_pretty(&signed).unwrap(),
    )
    .unwrap();
    seq
}
