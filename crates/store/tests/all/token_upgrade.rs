//! The upgrade of a database of schema 5 with tokens: schema 7 gave them an
//! owner, an expiry (90 more days) and a scope, and revoked a token without
//! a creator; since schema 14 a token is signed with the key when it is
//! issued, so these older ones, which cannot be signed after the fact (the
//! token is not kept), are refused and listed as to be replaced. SQLite, or
//! PostgreSQL with SCEAU_TEST_DATABASE_URL.

use crate::common;

use sha2::{Digest, Sha256};
use sqlx::any::AnyPoolOptions;

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn tokens_of_schema_5_are_refused_and_listed_to_replace_after_the_upgrade() {
    let db = common::Db::new().await;
    sqlx::any::install_default_drivers();
    let url = match &db.url {
        Some(u) => u.clone(),
        None => format!("sqlite://{}?mode=rwc", db.sqlite_file().display()),
    };
    let old: [&str; 5] = if db.is_sqlite() {
        [
            include_str!("../../migrations/sqlite/0001_accounts.sql"),
            include_str!("../../migrations/sqlite/0002_register.sql"),
            include_str!("../../migrations/sqlite/0003_duties.sql"),
            include_str!("../../migrations/sqlite/0004_audits.sql"),
            include_str!("../../migrations/sqlite/0005_recipients.sql"),
        ]
    } else {
        [
            include_str!("../../migrations/postgres/0001_accounts.sql"),
            include_str!("../../migrations/postgres/0002_register.sql"),
            include_str!("../../migrations/postgres/0003_duties.sql"),
            include_str!("../../migrations/postgres/0004_audits.sql"),
            include_str!("../../migrations/postgres/0005_recipients.sql"),
        ]
    };
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    sqlx::raw_sql(
        "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(&pool)
    .await
    .unwrap();
    for (i, sql) in old.iter().enumerate() {
        sqlx::raw_sql(sql).execute(&pool).await.unwrap();
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'old', 0)",
        )
        .bind(i as i64 + 1)
        .execute(&pool)
        .await
        .unwrap();
    }
    let t = chrono::Utc::now().timestamp();
    sqlx::query("INSERT INTO practices (id, name, created_at) VALUES (1, 'Cabinet Ancien', $1)")
        .bind(t)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO accounts (id, practice_id, username, display_name, role, password_hash, active, created_at, updated_at)
         VALUES (1, 1, 'alice', 'Alice', 'administrateur', 'x', 1, $1, $1)",
    )
    .bind(t)
    .execute(&pool)
    .await
    .unwrap();
    let owned = format!("sceau_{}", "a1".repeat(32));
    let orphan = format!("sceau_{}", "b2".repeat(32));
    for (id, clear, by) in [(1i64, &owned, Some(1i64)), (2, &orphan, None)] {
        sqlx::query(
            "INSERT INTO api_tokens (id, practice_id, name, prefix, token_hash, created_by, created_at)
             VALUES ($1, 1, 'ancien', 'sceau_xx', $2, $3, $4)",
        )
        .bind(id)
        .bind(sha256_hex(clear))
        .bind(by)
        .bind(t - 1000)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    let store = db.open().await;
    assert!(store.schema_version().await.unwrap() >= 6);
    match store.authenticate_token(&owned).await {
        Err(sceau_store::StoreError::TokenToReplace) => {}
        other => panic!("a token of schema 5 must be refused as to replace: {other:?}"),
    }
    assert!(store.authenticate_token(&orphan).await.unwrap().is_none());
    let list = store.list_tokens(1).await.unwrap();
    let tok = list.iter().find(|t| t.id == 1).unwrap();
    assert!(tok.to_replace && tok.revoked_at.is_none());
    assert_eq!(tok.scope, sceau_store::TokenScope::Ecriture);
    assert_eq!(tok.created_by_name.as_deref(), Some("Alice"));
    let ninety = 90 * 86_400;
    assert!(
        (tok.expires_at - (t + ninety)).abs() < 120,
        "expiry {} for an upgrade at {t}",
        tok.expires_at
    );
    assert!(list
        .iter()
        .any(|t| t.id == 2 && t.revoked_at.is_some() && !t.to_replace));
    assert_eq!(store.tokens_to_replace().await.unwrap(), 1);
}
