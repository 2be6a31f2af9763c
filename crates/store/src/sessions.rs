//! Browser sessions: the cookie's token (stored as its digest), its CSRF
//! value and its expiry, signed (`row_macs`): a row written without the key
//! opens no session. A session is open only while its practice's access
//! record lists it (`access_record`): a row deleted at logout or at a
//! password change, inserted again, opens nothing either.

use serde::Serialize;
use sqlx::Row;

use crate::accounts::Account;
use crate::practices::Practice;
use crate::row_macs::{self, Field, ACCESS};
use crate::secrets::{random_hex, sha256_hex};
use crate::{now, Result, Store};

/// What a session's MAC covers: every column of its row.
fn session_fields<'a>(
    digest: &'a str,
    account_id: i64,
    csrf: &'a str,
    created_at: i64,
    expires_at: i64,
) -> [Field<'a>; 5] {
    [
        Field::Text(digest),
        Field::Int(account_id),
        Field::Text(csrf),
        Field::Int(created_at),
        Field::Int(expires_at),
    ]
}

/// How long a browser session lasts after login.
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// A valid browser session with its account.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub account: Account,
    pub practice: Practice,
    /// The CSRF token every form of this session must carry.
    pub csrf: String,
    pub expires_at: i64,
}

impl Store {
    /// Opens a session: returns the secret token to put in the cookie.
    pub async fn create_session(&self, account_id: i64) -> Result<String> {
        let token = random_hex(32);
        let t = now();
        let account = self.account(account_id).await?;
        let key = row_macs::key(&*self.practice_keys(account.practice_id).await?, ACCESS)?;
        let (digest, csrf, expires_at) =
            (sha256_hex(&token), random_hex(32), t + self.session_seconds);
        let mac = row_macs::sign(
            &key,
            "session",
            &session_fields(&digest, account_id, &csrf, t, expires_at),
        );
        let mut tx = self.pool.begin().await?;
        self.lock_access_record(&mut tx, account.practice_id)
            .await?;
        // Expired sessions are cleaned up on each login.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(t)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at, mac) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&digest)
            .bind(account_id)
            .bind(&csrf)
            .bind(t)
            .bind(expires_at)
            .bind(mac)
            .execute(&mut *tx)
            .await?;
        let recorded = self
            .change_access_record(&mut tx, account.practice_id, |r| {
                r.open_session(digest, account_id, expires_at)
            })
            .await?;
        if !recorded {
            return Err(crate::StoreError::AccountAltered);
        }
        tx.commit().await?;
        Ok(token)
    }

    /// The live session for a cookie token (expired, deactivated, or a
    /// row Sceau did not sign: none).
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        let digest = sha256_hex(token);
        let row = sqlx::query(
            "SELECT account_id, csrf, created_at, expires_at, mac FROM sessions WHERE token_hash = $1",
        )
        .bind(&digest)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: i64 = row.try_get("expires_at")?;
        if expires_at < now() {
            return Ok(None);
        }
        let account_id: i64 = row.try_get("account_id")?;
        let csrf: String = row.try_get("csrf")?;
        let mac: Option<String> = row.try_get("mac")?;
        let (account, record) = self.account_and_record(account_id).await?;
        let key = row_macs::key(&*self.practice_keys(account.practice_id).await?, ACCESS)?;
        // Ended (logout, password change, deactivation) or never recorded:
        // the row alone opens nothing.
        let open = record
            .as_ref()
            .is_some_and(|r| r.session_is_open(&digest, account_id));
        if !open {
            return Ok(None);
        }
        let fields = session_fields(
            &digest,
            account_id,
            &csrf,
            row.try_get("created_at")?,
            expires_at,
        );
        if !row_macs::holds(&key, "session", &fields, mac.as_deref()) {
            return Ok(None);
        }
        if !account.active {
            return Ok(None);
        }
        // A role or an activity Sceau did not write: refused, said.
        if account.altered {
            return Err(crate::StoreError::AccountAltered);
        }
        let practice = self
            .practice_with(account.practice_id, record.as_ref())
            .await?;
        // Suspended by the operator (or in a state Sceau did not sign):
        // checked on every request, so that a session opened on another
        // node before the suspension stops too.
        if practice.suspended() {
            return Ok(None);
        }
        Ok(Some(Session {
            account,
            practice,
            csrf,
            expires_at,
        }))
    }

    /// Ends a session: its row is deleted and its practice's record no
    /// longer lists it, so that the row put back opens nothing. Its
    /// practice is found by its row, or, for a row already gone (deleted
    /// by someone else, to be put back after the logout), by the records.
    pub async fn delete_session(&self, token: &str) -> Result<()> {
        let digest = sha256_hex(token);
        let practice: Option<i64> = sqlx::query_scalar(
            "SELECT a.practice_id FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1",
        )
        .bind(&digest)
        .fetch_optional(&self.pool)
        .await?;
        let practices = match practice {
            Some(p) => vec![p],
            None => self.practices().await?.into_iter().map(|p| p.id).collect(),
        };
        for practice_id in practices {
            let mut tx = self.pool.begin().await?;
            self.lock_access_record(&mut tx, practice_id).await?;
            let listed = self
                .access_record_in(&mut tx, practice_id)
                .await?
                .is_some_and(|r| r.sessions_listed(&digest));
            if listed {
                self.change_access_record(&mut tx, practice_id, |r| r.end_session(&digest))
                    .await?;
            }
            tx.commit().await?;
        }
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&digest)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The sessions of a practice whose row's own MAC holds (what a record
    /// adopts: `access_record`): digest, account, expiry.
    pub(crate) async fn signed_sessions(
        &self,
        practice_id: i64,
    ) -> Result<Vec<(String, i64, i64)>> {
        let rows = sqlx::query(
            "SELECT s.token_hash, s.account_id, s.csrf, s.created_at, s.expires_at, s.mac FROM sessions s \
             JOIN accounts a ON a.id = s.account_id WHERE a.practice_id = $1 AND s.expires_at >= $2",
        )
        .bind(practice_id)
        .bind(now())
        .fetch_all(&self.pool)
        .await?;
        let key = row_macs::key(&*self.practice_keys(practice_id).await?, ACCESS)?;
        let mut out = Vec::new();
        for row in &rows {
            let (Ok(digest), Ok(account_id), Ok(csrf), Ok(created_at), Ok(expires_at), Ok(mac)) = (
                row.try_get::<String, _>("token_hash"),
                row.try_get::<i64, _>("account_id"),
                row.try_get::<String, _>("csrf"),
                row.try_get::<i64, _>("created_at"),
                row.try_get::<i64, _>("expires_at"),
                row.try_get::<Option<String>, _>("mac"),
            ) else {
                continue;
            };
            let fields = session_fields(&digest, account_id, &csrf, created_at, expires_at);
            if row_macs::holds(&key, "session", &fields, mac.as_deref()) {
                out.push((digest, account_id, expires_at));
            }
        }
        Ok(out)
    }
}
