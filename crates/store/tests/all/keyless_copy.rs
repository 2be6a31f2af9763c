//! Audit of 2026-11-30, finding 13: a command run on a copy of the data
//! without its key created a new key beside it, and ran the migrations on
//! the copy before refusing the key. Now the store refuses first, creates
//! no key, and leaves the database as it was. SQLite (a copy of the data
//! directory), or PostgreSQL with SCEAU_TEST_DATABASE_URL.

use crate::common;

use sceau_store::{Store, StoreError};

#[tokio::test]
async fn a_copy_without_its_key_is_refused_before_anything_is_written() {
    let db = common::Db::new().await;
    let s = db.open().await;
    s.create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap();
    s.close().await;
    let key_file = db.dir.path().join("sceau.key");
    assert!(key_file.exists());
    std::fs::remove_file(&key_file).unwrap();

    // A migration row taken away: a store that migrated before checking
    // the key would run it again (and fail on its own error).
    let latest = db.latest_schema();
    let pool = db.raw().await;
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(latest)
        .execute(&pool)
        .await
        .unwrap();
    let count = |pool: sqlx::AnyPool| async move {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&pool)
            .await
            .unwrap();
        n
    };
    let before = count(pool.clone()).await;

    // No key at all: refused, no key created.
    match Store::open(db.config()).await {
        Err(StoreError::Key(m)) => assert!(m.contains("n’a ni créé de clé"), "{m}"),
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("a copy without its key was opened"),
    }
    assert!(!key_file.exists(), "a stray key was created");
    // Another key: refused before the migrations.
    let mut other = db.config();
    other.key = Some(sceau_store::Key::generate("test"));
    match Store::open(other).await {
        Err(StoreError::Key(m)) => assert!(m.contains("n’est pas celle de cette base"), "{m}"),
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("another key opened the database"),
    }
    assert_eq!(count(pool.clone()).await, before, "migrations ran");
}
