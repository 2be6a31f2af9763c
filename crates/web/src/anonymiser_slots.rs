//! Where the anonymiser runs: on Tokio's blocking pool, a few texts at a
//! time. A text of 100 000 characters can take seconds; run inline, a few
//! of them held every worker thread of the server, and `/healthz` and every
//! page of every practice waited as long. Past the slots, an anonymisation
//! is refused at once (429 with `Retry-After`), never queued: a queue
//! would only move the wait to the client, with its connection held.

use std::sync::Arc;

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

/// The anonymiser's slots.
#[derive(Clone)]
pub(crate) struct AnonymiserSlots(Arc<Semaphore>);

/// Every slot is taken: the caller answers 429.
pub(crate) struct Busy;

impl AnonymiserSlots {
    pub(crate) fn new(slots: usize) -> AnonymiserSlots {
        AnonymiserSlots(Arc::new(Semaphore::new(slots.max(1))))
    }

    /// Runs `work` on the blocking pool if a slot is free. The slot is held
    /// by the work itself, so that it is given back when the work ends, even
    /// when the client has gone away meanwhile.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let permit = self.0.clone().try_acquire_owned().map_err(|_| Busy)?;
        let task = tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        });
        match task.await {
            Ok(out) => Ok(out),
            // A panic in the anonymiser: the panic hook has logged where.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}
