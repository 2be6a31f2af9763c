//! A count of the writes that can take access away from an API token: the
//! token revoked or its expiry moved, its owner deactivated or no longer an
//! administrator, its practice suspended, resumed or deleted, a restore
//! (and a test moving a token's expiry). What this process remembers of the tokens it authenticated
//! (`tokens`) is tagged with the count at the time it was read, and is no
//! longer believed once the count moves: a change made through this process
//! takes effect on its next request. Other processes sharing the database
//! (another node on PostgreSQL, the command line on the SQLite file) do not
//! move this count; their changes are seen when the memory of a token
//! expires (`TOKEN_RECHECK`).

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub(crate) struct Revocations(AtomicU64);

impl Revocations {
    /// The count now: read it *before* reading a token from the database.
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Called *after* the write is committed, so that a request which read
    /// the token before the commit cannot keep what it read.
    pub fn happened(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}
