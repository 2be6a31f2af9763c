//! What a device cookie of the login throttle is bound to: the account's
//! current password hash, digested. The web server signs the digest into
//! the cookie, so that a password change, an administrator's reset or a
//! deactivation revokes every device cookie of the account, without a
//! table of devices.

use crate::secrets::sha256_hex;
use crate::{Result, Store};

impl Store {
    /// The SHA-256 of the current password hash of the active account of
    /// this practice with this login name (compared as at login), `None`
    /// for an unknown or deactivated account. Never the hash itself: it
    /// leaves the store only digested, to be signed.
    pub async fn login_binding(&self, practice_id: i64, username: &str) -> Result<Option<String>> {
        let username = username.trim().to_lowercase();
        let hash: Option<String> = sqlx::query_scalar(
            "SELECT password_hash FROM accounts WHERE practice_id = $1 AND username = $2 AND active = 1",
        )
        .bind(practice_id)
        .bind(&username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(hash.map(|h| sha256_hex(&h)))
    }
}
