//! How the journal sits in its rows, shared by the journal and by the
//! resumption after tampering: hashes as canonical hex, checkpoints, and
//! what a re-typed column looks like when read.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use sceau_journal::{Anchor, Body, Entry, Hash};

use crate::{Dialect, Result, Store, StoreError};

/// A checkpoint every this many entries.
pub const CHECKPOINT_EVERY: u64 = 100;

/// A stored checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: u64,
    pub hash: String,
    pub at: i64,
    pub mac: String,
}

pub(crate) fn hash_hex(h: &Hash) -> String {
    hex::encode(h)
}

pub(crate) fn parse_hash(s: &str) -> Hash {
    // Only the canonical form (64 lower-case hex digits) is read; anything
    // else reads as zeros, and verification then names the entry.
    hex::decode(s)
        .ok()
        .filter(|v| hex::encode(v) == s)
        .and_then(|v| v.try_into().ok())
        .unwrap_or([0u8; 32])
}

/// What one verification reads, from one snapshot of the database: the
/// entries with their MACs (hex; `None` before schema 6), the checkpoints
/// and the signed head (`None` when its row is gone; a missing MAC reads
/// as zeros).
///
/// Read apart, these disagree whenever another process (a second web node)
/// appends in between: the head then seems ahead of the rows, « la fin du
/// journal a été coupée ». One transaction reads them as of one instant:
/// a deferred SQLite transaction keeps the snapshot of its first read (WAL),
/// PostgreSQL's REPEATABLE READ keeps the snapshot of its first query.
pub(crate) struct JournalSnapshot {
    pub rows: Vec<(Entry, Option<String>)>,
    pub checkpoints: Vec<Checkpoint>,
    pub head: Option<Anchor>,
}

impl Store {
    /// Reads a practice's journal in one snapshot (see [`JournalSnapshot`]),
    /// on the primary: a PostgreSQL server in recovery (a standby, or a
    /// server that is being promoted) may lag behind what was acknowledged,
    /// so it is refused as unavailable (503, « réessayez »), never read as
    /// a journal whose end was cut.
    pub(crate) async fn journal_snapshot(&self, practice_id: i64) -> Result<JournalSnapshot> {
        let mut tx = self.pool().begin().await?;
        if self.dialect() == Dialect::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
            let standby: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
                .fetch_one(&mut *tx)
                .await?;
            if standby {
                return Err(StoreError::Internal(
                    "le serveur PostgreSQL joint est un serveur de secours (en restauration) : le journal n’y est pas lu".into(),
                ));
            }
        }
        let rows = sqlx::query("SELECT * FROM journal_entries WHERE practice_id = $1 ORDER BY seq")
            .bind(practice_id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((entry_from_row(r)?, r.try_get::<Option<String>, _>("mac")?)))
            .collect::<Result<Vec<_>>>()?;
        let checkpoints = sqlx::query(
            "SELECT seq, hash, at, mac FROM journal_checkpoints WHERE practice_id = $1 ORDER BY seq",
        )
        .bind(practice_id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(checkpoint_from_row)
        .collect::<Result<Vec<_>>>()?;
        let head = sqlx::query("SELECT seq, hash, mac FROM journal_heads WHERE practice_id = $1")
            .bind(practice_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| head_from_row(practice_id, &r))
            .transpose()?;
        tx.rollback().await?;
        Ok(JournalSnapshot {
            rows,
            checkpoints,
            head,
        })
    }
}

pub(crate) fn checkpoint_from_row(r: &AnyRow) -> Result<Checkpoint> {
    Ok(Checkpoint {
        seq: r.try_get::<i64, _>("seq")? as u64,
        hash: r.try_get("hash")?,
        at: r.try_get("at")?,
        mac: r.try_get("mac")?,
    })
}

/// The signed head from its row (`seq`, `hash`, `mac`).
pub(crate) fn head_from_row(practice_id: i64, r: &AnyRow) -> Result<Anchor> {
    Ok(Anchor {
        practice: Store::journal_practice(practice_id),
        seq: r.try_get::<i64, _>("seq")?.max(0) as u64,
        hash: parse_hash(&r.try_get::<String, _>("hash")?),
        mac: parse_hash(&r.try_get::<Option<String>, _>("mac")?.unwrap_or_default()),
    })
}

pub(crate) fn entry_from_row(r: &AnyRow) -> Result<Entry> {
    let basis: String = r.try_get("basis")?;
    let seq: i64 = r.try_get("seq")?;
    Ok(Entry {
        seq: seq.max(0) as u64,
        body: Body {
            at: r.try_get("at")?,
            practice: r.try_get("practice")?,
            author: r.try_get("author")?,
            patient: r.try_get("patient")?,
            recipient: r.try_get("recipient")?,
            purpose: r.try_get("purpose")?,
            action: r.try_get("action")?,
            verdict: r.try_get("verdict")?,
            // A damaged list still hashes differently: keep its raw text as one item.
            basis: serde_json::from_str(&basis).unwrap_or_else(|_| vec![basis.clone()]),
            information: r.try_get("information")?,
            // NULL: an entry of version 1. Anything but a canonical hex
            // digest reads as zeros, and the entry's hash then names it.
            information_digest: r
                .try_get::<Option<String>, _>("information_digest")?
                .map(|d| parse_hash(&d)),
        },
        prev: parse_hash(&r.try_get::<String, _>("prev")?),
        hash: parse_hash(&r.try_get::<String, _>("hash")?),
    })
}

/// Stores the checkpoint of an entry: `signed` names it (its number and
/// hash, with their MAC), `at` is the entry's time.
pub(crate) async fn insert_checkpoint(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    practice_id: i64,
    signed: &Anchor,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO journal_checkpoints (practice_id, seq, hash, at, mac) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(practice_id)
    .bind(signed.seq as i64)
    .bind(hash_hex(&signed.hash))
    .bind(at)
    .bind(hash_hex(&signed.mac))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves the practice's signed head row to `head`; the rows updated (0 when
/// the row is gone).
pub(crate) async fn update_head(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    practice_id: i64,
    head: &Anchor,
) -> Result<u64> {
    Ok(
        sqlx::query(
            "UPDATE journal_heads SET seq = $1, hash = $2, mac = $3 WHERE practice_id = $4",
        )
        .bind(head.seq as i64)
        .bind(hash_hex(&head.hash))
        .bind(hash_hex(&head.mac))
        .bind(practice_id)
        .execute(&mut **tx)
        .await?
        .rows_affected(),
    )
}
