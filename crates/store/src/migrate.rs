//! The schema migrations: numbered SQL files per dialect
//! (`migrations/sqlite/`, `migrations/postgres/`), embedded in the binary
//! and applied by sqlx's migrator, one transaction each. It records every
//! migration in `_sqlx_migrations` with the SHA-384 of its SQL, and refuses
//! to open a database where an applied migration's file has changed since.
//!
//! Before it, the store ran its own runner, which recorded versions in
//! `schema_migrations`. A database it created is bridged once, in one
//! transaction, before sqlx's migrator runs: each version recorded there is
//! recorded in `_sqlx_migrations` with the checksum of this build's file of
//! that version (the files are never edited once applied, so it is the SQL
//! that ran). `schema_migrations` stays as it was, frozen: nothing reads or
//! writes it afterwards, and nothing is dropped.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migrate, MigrateError, Migration, MigrationSource, MigrationType, Migrator};
use sqlx::AnyPool;

use crate::{Dialect, Result, StoreError};

/// (version, name, SQL) per dialect, oldest first. Never edit an applied one
/// (the migrator refuses a changed checksum): add a new one.
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
    (
        10,
        "practice_keys",
        include_str!("../migrations/sqlite/0010_practice_keys.sql"),
    ),
    (
        11,
        "username_per_practice",
        include_str!("../migrations/sqlite/0011_username_per_practice.sql"),
    ),
    (
        13,
        "profiles_duty_patients",
        include_str!("../migrations/sqlite/0013_profiles_duty_patients.sql"),
    ),
    (
        14,
        "access_macs",
        include_str!("../migrations/sqlite/0014_access_macs.sql"),
    ),
    (
        15,
        "account_macs",
        include_str!("../migrations/sqlite/0015_account_macs.sql"),
    ),
    (
        16,
        "register_macs",
        include_str!("../migrations/sqlite/0016_register_macs.sql"),
    ),
    (
        17,
        "register_facts_macs",
        include_str!("../migrations/sqlite/0017_register_facts_macs.sql"),
    ),
    (
        18,
        "access_records",
        include_str!("../migrations/sqlite/0018_access_records.sql"),
    ),
    (
        19,
        "journal_information_digest",
        include_str!("../migrations/sqlite/0019_journal_information_digest.sql"),
    ),
    (
        20,
        "recipients_macs",
        include_str!("../migrations/sqlite/0020_recipients_macs.sql"),
    ),
    (
        21,
        "register_records",
        include_str!("../migrations/sqlite/0021_register_records.sql"),
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
    (
        10,
        "practice_keys",
        include_str!("../migrations/postgres/0010_practice_keys.sql"),
    ),
    (
        11,
        "username_per_practice",
        include_str!("../migrations/postgres/0011_username_per_practice.sql"),
    ),
    (
        13,
        "profiles_duty_patients",
        include_str!("../migrations/postgres/0013_profiles_duty_patients.sql"),
    ),
    (
        14,
        "access_macs",
        include_str!("../migrations/postgres/0014_access_macs.sql"),
    ),
    (
        15,
        "account_macs",
        include_str!("../migrations/postgres/0015_account_macs.sql"),
    ),
    (
        16,
        "register_macs",
        include_str!("../migrations/postgres/0016_register_macs.sql"),
    ),
    (
        17,
        "register_facts_macs",
        include_str!("../migrations/postgres/0017_register_facts_macs.sql"),
    ),
    (
        18,
        "access_records",
        include_str!("../migrations/postgres/0018_access_records.sql"),
    ),
    (
        19,
        "journal_information_digest",
        include_str!("../migrations/postgres/0019_journal_information_digest.sql"),
    ),
    (
        20,
        "recipients_macs",
        include_str!("../migrations/postgres/0020_recipients_macs.sql"),
    ),
    (
        21,
        "register_records",
        include_str!("../migrations/postgres/0021_register_records.sql"),
    ),
];

/// The migrations of one dialect, as sqlx's migrator reads them.
#[derive(Debug, Clone, Copy)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = std::result::Result<Vec<Migration>, BoxDynError>> + Send + 's>>
    {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|&(version, name, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(name),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// The migrator of a dialect. A database with migrations this build does
/// not know (written by a newer build) still opens, as before: readiness
/// only asks that every migration this build knows be applied.
async fn migrator(dialect: Dialect) -> Result<Migrator> {
    let list = match dialect {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    };
    let mut m = Migrator::new(Embedded(list)).await.map_err(store_error)?;
    m.set_ignore_missing(true);
    Ok(m)
}

/// A migration error as the store reports it: a database error keeps its
/// code, so that a full disk or a read-only database is told as such.
fn store_error(e: MigrateError) -> StoreError {
    match e {
        MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => StoreError::Db(e),
        e => StoreError::Internal(format!("migrations : {e}")),
    }
}

/// Applies the migrations not yet applied; returns the versions applied now.
pub(crate) async fn run(pool: &AnyPool, dialect: Dialect) -> Result<Vec<i64>> {
    let migrator = migrator(dialect).await?;
    // sqlx's own table, created as sqlx creates it for this dialect.
    pool.acquire()
        .await?
        .ensure_migrations_table()
        .await
        .map_err(store_error)?;
    bridge(pool, dialect, &migrator).await?;
    let before = applied(pool).await?;
    migrator.run(pool).await.map_err(store_error)?;
    let after = applied(pool).await?;
    Ok(after.into_iter().filter(|v| !before.contains(v)).collect())
}

/// Records in `_sqlx_migrations` what the store's former runner recorded in
/// `schema_migrations`, when sqlx's table is still empty. One transaction:
/// an interruption leaves it empty, and the next start bridges again; two
/// nodes starting together insert the same rows, the second one's ignored.
async fn bridge(pool: &AnyPool, dialect: Dialect, migrator: &Migrator) -> Result<()> {
    let exists_sql = match dialect {
        Dialect::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        }
        Dialect::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
        }
    };
    let exists: i64 = sqlx::query_scalar(exists_sql).fetch_one(pool).await?;
    if exists == 0 {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&mut *tx)
        .await?;
    if recorded > 0 {
        return Ok(());
    }
    let old: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
        .fetch_all(&mut *tx)
        .await?;
    // Only the versions this build knows: their checksum is that of the
    // file that ran. An unknown one (a newer build's) is left to it.
    for m in migrator.iter().filter(|m| old.contains(&m.version)) {
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES ($1, $2, TRUE, $3, 0) ON CONFLICT (version) DO NOTHING",
        )
        .bind(m.version)
        .bind(m.description.to_string())
        .bind(m.checksum.to_vec())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The versions recorded as applied.
async fn applied(pool: &AnyPool) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_all(pool)
            .await?,
    )
}

/// The versions this build knows and the database has not recorded (for
/// `/readyz`: a node must not serve a schema it does not expect).
pub(crate) async fn pending(pool: &AnyPool, dialect: Dialect) -> Result<Vec<i64>> {
    let done = applied(pool).await?;
    Ok(migrator(dialect)
        .await?
        .iter()
        .map(|m| m.version)
        .filter(|v| !done.contains(v))
        .collect())
}

pub(crate) async fn current(pool: &AnyPool) -> Result<i64> {
    let v: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(pool)
            .await?;
    Ok(v.unwrap_or(0))
}
