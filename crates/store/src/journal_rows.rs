//! How the journal sits in its rows, shared by the journal and by the
//! resumption after tampering: hashes as canonical hex, checkpoints, and
//! what a re-typed column looks like when read.

use serde::{Deserialize, Serialize};

use sceau_journal::Hash;

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

/// A value that no longer reads as its column's type (a re-typed column).
/// On PostgreSQL a connection that prepared the query before the change
/// answers « cached plan must not change result type » (SQLSTATE 0A000)
/// instead: the same tampering, seen from a running server.
pub(crate) fn is_decode_error(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::TypeNotFound { .. } => true,
        sqlx::Error::Database(d) => {
            d.code().as_deref() == Some("0A000") && d.message().contains("cached plan")
        }
        _ => false,
    }
}
