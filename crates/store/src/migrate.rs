//! A small migration runner: numbered SQL files per dialect, applied in
//! order inside a transaction each, recorded in `schema_migrations`.

use sqlx::AnyPool;

use crate::{Dialect, Result};

/// (version, name, SQL) per dialect, oldest first. Never edit an applied one: add a new one.
const SQLITE: &[(i64, &str, &str)] = &[
    (
        1,
        "accounts",
        include_str!("../migrations/sqlite/0001_accounts.sql"),
    ),
    (
        2,
        "register",
        include_str!("../migrations/sqlite/0002_register.sql"),
    ),
    (
        3,
        "duties",
        include_str!("../migrations/sqlite/0003_duties.sql"),
    ),
    (
        4,
        "audits",
        include_str!("../migrations/sqlite/0004_audits.sql"),
    ),
    (
        5,
        "recipients",
        include_str!("../migrations/sqlite/0005_recipients.sql"),
    ),
    (
        6,
        "journal_keyed",
        include_str!("../migrations/sqlite/0006_journal_keyed.sql"),
    ),
    (
        7,
        "token_owner",
        include_str!("../migrations/sqlite/0007_token_owner.sql"),
    ),
    (
        8,
        "report_lifecycle",
        include_str!("../migrations/sqlite/0008_report_lifecycle.sql"),
    ),
    (
        9,
        "practice_tenancy",
        include_str!("../migrations/sqlite/0009_practice_tenancy.sql"),
    ),
];

const POSTGRES: &[(i64, &str, &str)] = &[
    (
        1,
        "accounts",
        include_str!("../migrations/postgres/0001_accounts.sql"),
    ),
    (
        2,
        "register",
        include_str!("../migrations/postgres/0002_register.sql"),
    ),
    (
        3,
        "duties",
        include_str!("../migrations/postgres/0003_duties.sql"),
    ),
    (
        4,
        "audits",
        include_str!("../migrations/postgres/0004_audits.sql"),
    ),
    (
        5,
        "recipients",
        include_str!("../migrations/postgres/0005_recipients.sql"),
    ),
    (
        6,
        "journal_keyed",
        include_str!("../migrations/postgres/0006_journal_keyed.sql"),
    ),
    (
        7,
        "token_owner",
        include_str!("../migrations/postgres/0007_token_owner.sql"),
    ),
    (
        8,
        "report_lifecycle",
        include_str!("../migrations/postgres/0008_report_lifecycle.sql"),
    ),
    (
        9,
        "practice_tenancy",
        include_str!("../migrations/postgres/0009_practice_tenancy.sql"),
    ),
];

/// Applies the migrations not yet applied; returns the versions applied now.
pub(crate) async fn run(pool: &AnyPool, dialect: Dialect) -> Result<Vec<i64>> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    BIGINT PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )",
    )
    .execute(pool)
    .await?;
    // Every migration not recorded is applied, in order — not only those
    // above the highest recorded: a database may miss a lower one (a
    // migration added beside another, a schema taken back by hand).
    let done: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
        .fetch_all(pool)
        .await?;
    let list = match dialect {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    };
    let mut applied = vec![];
    for &(version, name, sql) in list {
        if done.contains(&version) {
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
        applied.push(version);
    }
    Ok(applied)
}

/// The versions this build knows and the database has not recorded (for
/// `/readyz`: a node must not serve a schema it does not expect).
pub(crate) async fn pending(pool: &AnyPool, dialect: Dialect) -> Result<Vec<i64>> {
    let done: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
        .fetch_all(pool)
        .await?;
    let list = match dialect {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    };
    Ok(list
        .iter()
        .map(|m| m.0)
        .filter(|v| !done.contains(v))
        .collect())
}

pub(crate) async fn current(pool: &AnyPool) -> Result<i64> {
    let v: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
        .fetch_one(pool)
        .await?;
    Ok(v.unwrap_or(0))
}
