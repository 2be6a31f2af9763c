//! The key backup that a practice's administrator downloads from the web
//! page « Clé et sauvegarde ». Two rules hold it:
//! - the file holds the master key, which opens every practice's keys: a
//!   store that hosts several practices never gives it to one of their
//!   administrators (an independent audit took practice 1's patients in
//!   clear with the file downloaded by practice 2's administrator); there
//!   the master key is the host's, backed up with `sceau key backup`;
//! - sealing it runs Argon2id with 64 MiB: it runs on the store's bounded
//!   hashing threads, like the password hashes, so that a flood of
//!   downloads is refused (`Busy`) instead of taking the server's memory.

use crate::{Result, Store, StoreError};

/// Why the page gives no key on a shared server (the web shows it).
pub const SHARED_SERVER: &str = "Ce serveur héberge, ou a hébergé, plusieurs cabinets, ou ne peut pas prouver le contraire (base créée avant cette vérification)\u{a0}: la clé maîtresse, qui ouvre les clés de tous, est celle de l’hébergeur et ne se télécharge pas depuis un cabinet. L’hébergeur la sauvegarde sur le serveur avec «\u{a0}sceau key backup\u{a0}».";

impl Store {
    /// Whether the store is, or may be, shared: it holds more than one
    /// practice (installed or awaiting installation), or its signed count
    /// of practices ever created (`practice_count`) is missing, does not
    /// verify, or is above 1. Only that count, which cannot be lowered
    /// without the key, lets a store be taken as single.
    pub async fn hosts_several_practices(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM practices")
            .fetch_one(self.pool())
            .await?;
        Ok(n > 1 || self.practices_ever_created().await? != Some(1))
    }

    /// The master key and `practice_id`'s wrapped keys, sealed under
    /// `passphrase` (`key_backup::export_with_keys`), for that practice's
    /// administrator. Refused (`Invalid`) when the store hosts several
    /// practices; `Busy` when the hashing threads are full.
    pub async fn practice_key_backup(
        &self,
        practice_id: i64,
        passphrase: String,
    ) -> Result<String> {
        if self.hosts_several_practices().await? {
            return Err(StoreError::Invalid(SHARED_SERVER.into()));
        }
        let wrapped = self.wrapped_keys(Some(practice_id)).await?;
        let key = self.key().clone();
        self.hashes
            .run(move || crate::key_backup::export_with_keys(&key, &wrapped, &passphrase))
            .await?
    }
}
