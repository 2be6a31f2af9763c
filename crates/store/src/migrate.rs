//! A small migration runner: numbered SQL files per dialect, applied in
//! order inside a transaction each, recorded in `schema_migrations`.

use sqlx::SqlitePool;

use crate::Result;

/// (version, name, SQL) for SQLite, oldest first. Never edit an applied one: add a new one.
const SQLITE: &[(i64, &str, &str)] = &[(
    1,
    "accounts",
    include_str!("../migrations/sqlite/0001_accounts.sql"),
)];

pub(crate) async fn run(pool: &SqlitePool) -> Result<()> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        )",
    )
    .execute(pool)
    .await?;
    let done = current(pool).await?;
    for &(version, name, sql) in SQLITE {
        if version <= done {
            continue;
        }
        let mut tx = pool.begin().await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(version)
        .bind(name)
        .bind(chrono::Utc::now().timestamp())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

pub(crate) async fn current(pool: &SqlitePool) -> Result<i64> {
    let v: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
        .fetch_one(pool)
        .await?;
    Ok(v.unwrap_or(0))
}
