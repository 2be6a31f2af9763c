//! One-row inserts whose answer may be lost with the connection.
//!
//! When a PostgreSQL primary dies between committing a statement and
//! answering it (a failover), the client sees a broken connection while the
//! row may be stored, on the promoted standby. Telling the user « rien n’a
//! été enregistré » would then be false, and a retry would record the
//! patient, the consent or the opposition twice. So a write that failed
//! without a definite refusal asks the database whether its row is there,
//! once the database answers again, as the journal does for its entries
//! (`journal.rs`, `stored`): found, the write succeeded; absent on a primary,
//! nothing was recorded; no answer, the user is told the outcome is unknown.

use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::{Any, Row};

use crate::{Dialect, Result, Store, StoreError};

/// How long to wait for the database to answer whether a row is stored:
/// the promotion of a standby takes seconds (the failover test measures it).
const ASK_FOR: Duration = Duration::from_secs(15);

/// Tables whose inserts may be settled (`register_record::write_recorded`);
/// the table name is interpolated into SQL, so only these are accepted.
const TABLES: &[&str] = &[
    "patients",
    "care_team",
    "consents",
    "oppositions",
    "duties",
    "recipients",
];

/// Whether the database refused the statement itself, so that it certainly
/// did not commit: SQLite runs in this process (an error is the statement's
/// own); PostgreSQL's data, integrity, syntax, resource and read-only errors
/// are raised before the commit. Anything else — a broken connection, a
/// server shutting down (57P01, which can arrive after a local commit that
/// waited for a synchronous standby) — leaves the outcome open.
fn refused_outright(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            let code = d.code().map(|c| c.to_string()).unwrap_or_default();
            code.parse::<i64>().is_ok()
                || ["22", "23", "25", "42", "53"]
                    .iter()
                    .any(|class| code.starts_with(class))
        }
        sqlx::Error::Encode(_) | sqlx::Error::TypeNotFound { .. } => true,
        _ => false,
    }
}

impl Store {
    /// A connection to a primary: a PostgreSQL server in recovery (a
    /// standby, or one being promoted) may not have replayed a write that
    /// was committed, so it cannot say that the write is absent.
    pub(crate) async fn primary_connection(&self) -> Result<PoolConnection<Any>> {
        let mut conn = self.pool().acquire().await?;
        if self.dialect() == Dialect::Postgres {
            let standby: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
                .fetch_one(&mut *conn)
                .await?;
            if standby {
                return Err(StoreError::Internal(
                    "le serveur PostgreSQL joint est un serveur de secours (en restauration)"
                        .into(),
                ));
            }
        }
        Ok(conn)
    }

    /// What a failed insert means: `Ok` when its row is stored after all,
    /// the error when the row is absent from a primary (nothing recorded),
    /// [`StoreError::Unconfirmed`] when the database did not answer.
    pub(crate) async fn settle(
        &self,
        table: &'static str,
        id: &str,
        outcome: std::result::Result<(), sqlx::Error>,
    ) -> Result<()> {
        let e = match outcome {
            Ok(()) => return Ok(()),
            Err(e) if refused_outright(&e) => return Err(e.into()),
            Err(e) => e,
        };
        assert!(TABLES.contains(&table), "settle: table {table} not listed");
        let ask = async {
            loop {
                match self.row_on_primary(table, id).await {
                    Ok(there) => return there,
                    Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
                }
            }
        };
        match tokio::time::timeout(ASK_FOR, ask).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(e.into()),
            Err(_) => Err(StoreError::Unconfirmed),
        }
    }

    /// Whether the row is stored, asked of a primary: a PostgreSQL server in
    /// recovery may not have replayed it yet, so it does not answer.
    async fn row_on_primary(&self, table: &str, id: &str) -> Result<bool> {
        let mut conn = self.primary_connection().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        if self.dialect() == Dialect::Postgres {
            // The lost insert may still be in flight: committed in the WAL
            // and streamed to the synchronous standby, but invisible here
            // until the standby acknowledges it — so a primary being
            // killed would answer « absent » while its standby, once
            // promoted, holds the row. SHARE conflicts with the ROW
            // EXCLUSIVE lock every writer of the table holds until its
            // transaction ends (or its server dies with it): the answer
            // waits for the outcome. Only a failed write takes this path.
            sqlx::query(&format!("LOCK TABLE {table} IN SHARE MODE"))
                .execute(&mut *tx)
                .await?;
        }
        let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_connection_leaves_the_outcome_open() {
        let io = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(!refused_outright(&io));
        assert!(!refused_outright(&sqlx::Error::PoolTimedOut));
        assert!(!refused_outright(&sqlx::Error::Protocol("eof".into())));
    }
}
