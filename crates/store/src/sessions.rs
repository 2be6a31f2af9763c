//! Browser sessions: the cookie's token (stored as its digest), its CSRF
//! value and its expiry.

use serde::Serialize;
use sqlx::Row;

use crate::accounts::Account;
use crate::practices::Practice;
use crate::secrets::{random_hex, sha256_hex};
use crate::{now, Result, Store};

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
        // Expired sessions are cleaned up on each login.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(t)
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(sha256_hex(&token))
            .bind(account_id)
            .bind(random_hex(32))
            .bind(t)
            .bind(t + self.session_seconds)
            .execute(&self.pool)
            .await?;
        Ok(token)
    }

    /// The live session for a cookie token (expired or deactivated: none).
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        let row =
            sqlx::query("SELECT account_id, csrf, expires_at FROM sessions WHERE token_hash = $1")
                .bind(sha256_hex(token))
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: i64 = row.try_get("expires_at")?;
        if expires_at < now() {
            return Ok(None);
        }
        let account = self.account(row.try_get("account_id")?).await?;
        if !account.active {
            return Ok(None);
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
            csrf: row.try_get("csrf")?,
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
