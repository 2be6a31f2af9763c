//! Audit finding 2 (2026-11-30): the web download of the master key was
//! refused on a shared server by counting the rows of `practices`; moving
//! practice 2's row away for one request gave practice 1's administrator
//! the master key. The store now also needs its signed count of practices
//! ever created to say 1. SQLite (the audit's SQL), or PostgreSQL with
//! SCEAU_TEST_DATABASE_URL (the count erased or forged).

use crate::common;

use sceau_store::StoreError;

const PASSPHRASE: &str = "phrase-de-passe-longue-pirate";

async fn download(s: &sceau_store::Store, practice: i64) -> Result<String, StoreError> {
    s.practice_key_backup(practice, PASSPHRASE.into()).await
}

#[tokio::test]
async fn hiding_a_practice_or_its_count_gives_no_master_key() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let a = s
        .create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap()
        .practice_id;
    // Alone on the server: the download is given.
    assert_eq!(s.practices_ever_created().await.unwrap(), Some(1));
    assert!(!s.hosts_several_practices().await.unwrap());
    assert!(download(&s, a).await.is_ok());
    let pool = db.raw().await;
    let single: String =
        sqlx::query_scalar("SELECT value FROM store_meta WHERE name = 'practices_created'")
            .fetch_one(&pool)
            .await
            .unwrap();

    // The count erased, or replaced by a value of the intruder's choice:
    // refused, although only one practice exists.
    sqlx::query("DELETE FROM store_meta WHERE name = 'practices_created'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(matches!(download(&s, a).await, Err(StoreError::Invalid(_))));
    sqlx::query("INSERT INTO store_meta (name, value) VALUES ('practices_created', $1)")
        .bind(format!("1:{}", "0".repeat(64)))
        .execute(&pool)
        .await
        .unwrap();
    assert!(matches!(download(&s, a).await, Err(StoreError::Invalid(_))));
    sqlx::query("UPDATE store_meta SET value = $1 WHERE name = 'practices_created'")
        .bind(&single)
        .execute(&pool)
        .await
        .unwrap();
    assert!(download(&s, a).await.is_ok());

    // A second practice: refused, and still refused with its row moved
    // away for the request (the audit's SQL; SQLite's shell enforces no
    // foreign key, PostgreSQL's constraints refuse the DELETE).
    let b = s
        .create_tenant("Cabinet B", "CODE-BBBB-0002")
        .await
        .unwrap()
        .id;
    assert_eq!(s.practices_ever_created().await.unwrap(), Some(2));
    assert!(matches!(download(&s, a).await, Err(StoreError::Invalid(_))));
    if db.is_sqlite() {
        let mut c = pool.acquire().await.unwrap();
        for q in [
            "PRAGMA foreign_keys = OFF".to_string(),
            format!("CREATE TABLE hidden AS SELECT * FROM practices WHERE id = {b}"),
            format!("DELETE FROM practices WHERE id = {b}"),
        ] {
            sqlx::query(&q).execute(&mut *c).await.unwrap();
        }
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM practices")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(left, 1);
        assert!(matches!(download(&s, a).await, Err(StoreError::Invalid(_))));
        // The row put back, as the audit did.
        sqlx::query("INSERT INTO practices SELECT * FROM hidden")
            .execute(&mut *c)
            .await
            .unwrap();
    }
    // A practice deleted does not make the store single again.
    s.delete_practice(b).await.unwrap();
    assert!(matches!(download(&s, a).await, Err(StoreError::Invalid(_))));
}

#[tokio::test]
async fn the_count_survives_a_rotation_of_the_master_key() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let a = s
        .create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap()
        .practice_id;
    let new = sceau_store::Key::generate("test");
    s.rotate_master_key(&new).await.unwrap();
    let mut c = db.config();
    c.key = Some(new);
    let s = sceau_store::Store::open(c).await.unwrap();
    assert_eq!(s.practices_ever_created().await.unwrap(), Some(1));
    assert!(download(&s, a).await.is_ok());
}
