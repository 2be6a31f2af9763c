//! Browser sessions: the cookie's token (stored as its digest), its CSRF
//! value and its expiry, signed (`row_macs`): a row written without the key
//! opens no session.

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
        // Expired sessions are cleaned up on each login.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(t)
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at, mac) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&digest)
            .bind(account_id)
            .bind(&csrf)
            .bind(t)
            .bind(expires_at)
            .bind(mac)
            .execute(&self.pool)
            .await?;
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
        let account = self.account(account_id).await?;
        let key = row_macs::key(&*self.practice_keys(account.practice_id).await?, ACCESS)?;
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
        let practice = self.practice(account.practice_id).await?;
        // Suspended by the operator: checked on every request, so that a
        // session opened on another node before the suspension stops too.
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

    pub async fn delete_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
