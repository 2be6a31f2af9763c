//! Where the anonymiser runs: on Tokio's blocking pool, a few texts at a
//! time. A text of 100 000 characters can take seconds; run inline, a few
//! of them held every worker thread of the server, and `/healthz` and every
//! page of every practice waited as long. Past the slots, an anonymisation
//! is refused at once (429 with `Retry-After`), never queued: a queue
//! would only move the wait to the client, with its connection held.
//!
//! One account holds at most one slot at a time (its pages and its API
//! tokens together): otherwise one account sending texts in parallel
//! would take every slot, and the other accounts, of its practice and of
//! every other, would get nothing but 429.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

/// How many texts are anonymised at once by default: half the cores, one
/// to four (the same share as the password hashes), so that the other
/// half keeps answering pages.
pub fn default_slots() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores / 2).clamp(1, 4)
}

/// Seconds a refused client is told to wait: about the longest a text of
/// the maximum length takes.
pub const RETRY_AFTER_SECONDS: u64 = 5;

/// The anonymiser's slots, and the accounts that hold one.
#[derive(Clone)]
pub(crate) struct AnonymiserSlots {
    slots: Arc<Semaphore>,
    holders: Arc<Mutex<HashSet<Holder>>>,
}

/// Who asks: an account of a practice (a token counts as its owner's
/// account; a token without an owner counts as itself).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Holder {
    Account { practice: i64, account: i64 },
    Token { practice: i64, token: i64 },
}

/// Gives the holder's place back when the work ends, panic included.
struct Held {
    holders: Arc<Mutex<HashSet<Holder>>>,
    holder: Holder,
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Ok(mut h) = self.holders.lock() {
            h.remove(&self.holder);
        }
    }
}

/// Every slot is taken: the caller answers 429.
pub(crate) struct Busy;

impl AnonymiserSlots {
    pub(crate) fn new(slots: usize) -> AnonymiserSlots {
        AnonymiserSlots {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            holders: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    /// Runs `work` on the blocking pool if a slot is free and `holder`
    /// holds none already. The slot is held by the work itself, so that it
    /// is given back when the work ends, even when the client has gone away
    /// meanwhile.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        holder: Holder,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let held = {
            let mut h = self.holders.lock().map_err(|_| Busy)?;
            if !h.insert(holder) {
                return Err(Busy);
            }
            Held {
                holders: self.holders.clone(),
                holder,
            }
        };
        let permit = self.slots.clone().try_acquire_owned().map_err(|_| Busy)?;
        let task = tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            drop(held);
            out
        });
        match task.await {
            Ok(out) => Ok(out),
            // A panic in the anonymiser: the panic hook has logged where.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}
