//! A signed count of the practices this store ever created, which only
//! grows: what tells a store that has only ever held one practice (its
//! administrator may download the master key from the web page) from a
//! shared one (the master key is the host's). A count of the rows of
//! `practices` is not enough: someone who writes the database without the
//! key moved practice 2's row away for one request and downloaded the
//! master key as practice 1's administrator (audit of 2026-11-30, finding
//! 2). This count is signed under a key derived from the master key and is
//! written in the transaction that creates a practice; a count that is
//! missing or does not verify reads as « shared ».

use crate::keyring::meta;
use crate::row_macs::{self, Field};
use crate::{Key, Result, Store};

/// Its name in `store_meta`.
const NAME: &str = "practices_created";
/// The label of the key (derived from the master key) that signs it.
const LABEL: &str = "sceau-practices-created-v1";

fn seal(key: &Key, n: i64) -> String {
    let mac = row_macs::sign(&key.derived(LABEL), "practices-created", &[Field::Int(n)]);
    format!("{n}:{mac}")
}

/// The count a stored value signs with `key`, if it does.
fn open(key: &Key, value: &str) -> Option<i64> {
    let (n, mac) = value.split_once(':')?;
    let n: i64 = n.parse().ok()?;
    row_macs::holds(
        &key.derived(LABEL),
        "practices-created",
        &[Field::Int(n)],
        Some(mac),
    )
    .then_some(n)
}

async fn stored<'e, E>(db: E) -> Result<Option<String>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_scalar("SELECT value FROM store_meta WHERE name = $1")
            .bind(NAME)
            .fetch_optional(db)
            .await?,
    )
}

impl Store {
    /// Counts a practice just inserted through `tx`. The first practice of
    /// an empty store starts the count at 1; a store that had practices
    /// before the count existed, or whose count does not verify, goes to 2
    /// at least: its history is unknown, so it is shared.
    pub(crate) async fn count_practice_created(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ) -> Result<()> {
        let found = stored(&mut **tx).await?;
        let practices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM practices")
            .fetch_one(&mut **tx)
            .await?;
        let n = match found.as_deref().map(|v| open(self.key(), v)) {
            Some(Some(n)) => n + 1,
            None if practices == 1 => 1,
            _ => 2,
        };
        meta(tx, NAME, &seal(self.key(), n.max(practices))).await
    }

    /// Re-signs the count under `new` (a rotation of the master key), in
    /// the rotation's transaction, if it verifies under the current key.
    pub(crate) async fn reseal_practice_count(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        new: &Key,
    ) -> Result<()> {
        if let Some(n) = stored(&mut **tx).await?.and_then(|v| open(self.key(), &v)) {
            meta(tx, NAME, &seal(new, n)).await?;
        }
        Ok(())
    }

    /// How many practices this store ever created, if the signed count
    /// says so (`None`: missing or not signed by this key).
    pub async fn practices_ever_created(&self) -> Result<Option<i64>> {
        Ok(stored(self.pool())
            .await?
            .and_then(|v| open(self.key(), &v)))
    }
}
