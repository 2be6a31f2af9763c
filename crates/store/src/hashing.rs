//! The password hashes (Argon2id, 19 MiB each) run on a small fixed set of
//! threads fed by a bounded queue. Each hash holds its memory while it
//! runs, and the allocator keeps what a thread used: an unbounded number of
//! concurrent hashes (one blocking thread each) is how 100 wrong logins
//! took the server to 2.4 GB and kept it there. Here at most `workers`
//! hashes run at once and at most `queue` wait; a further one is refused
//! with [`StoreError::Busy`] (the web answers 429), so the memory stays
//! flat whatever the flood.
//!
//! The Argon2id cost ([`HashCost`]) and the store's two uses of the pool,
//! hashing a new password and checking one, live here too.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;

use crate::{Result, Store, StoreError};

type Job = Box<dyn FnOnce() + Send>;

pub(crate) struct HashPool {
    jobs: SyncSender<Job>,
}

impl HashPool {
    /// A pool of `workers` threads (at least one) and `queue` waiting places.
    pub(crate) fn new(workers: usize, queue: usize) -> HashPool {
        let (jobs, rx) = sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..workers.max(1) {
            let rx: Arc<Mutex<Receiver<Job>>> = rx.clone();
            // If a thread cannot be started the pool runs with fewer; with
            // none, every job waits in the queue and then comes back Busy.
            let _ = std::thread::Builder::new()
                .name(format!("sceau-hash-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        // Every sender is gone: the store was dropped.
                        Err(_) => return,
                    }
                });
        }
        HashPool { jobs }
    }

    /// The default size: half the cores (at least one, at most four)
    /// hashing, eight waiting per hashing thread.
    pub(crate) fn standard() -> HashPool {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let workers = (cores / 2).clamp(1, 4);
        HashPool::new(workers, workers * 8)
    }

    /// Runs `f` on a hashing thread; `Busy` when the queue is full.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(StoreError::Busy),
            Err(TrySendError::Disconnected(_)) => {
                return Err(StoreError::Internal("hachage : aucun fil de calcul".into()))
            }
        }
        rx.await
            .map_err(|_| StoreError::Internal("hachage interrompu".into()))
    }
}

/// Argon2id cost. `Standard` is OWASP's recommendation (19 MiB, 2 passes);
/// `Fast` is for tests only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HashCost {
    #[default]
    Standard,
    Fast,
}

impl HashCost {
    fn hasher(self) -> Argon2<'static> {
        let params = match self {
            HashCost::Standard => Params::new(19 * 1024, 2, 1, None),
            HashCost::Fast => Params::new(64, 1, 1, None),
        }
        .expect("valid Argon2 parameters");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
}

impl Store {
    pub(crate) async fn hash_password(&self, password: &str) -> Result<String> {
        let cost = self.cost;
        let password = password.to_string();
        self.hashes
            .run(move || {
                let salt = SaltString::generate(&mut OsRng);
                cost.hasher()
                    .hash_password(password.as_bytes(), &salt)
                    .map(|h| h.to_string())
                    .map_err(|e| StoreError::Internal(format!("hachage : {e}")))
            })
            .await?
    }

    /// Whether `password` matches `hash`; `Busy` when too many checks wait.
    pub(crate) async fn verify_password(&self, hash: String, password: &str) -> Result<bool> {
        let password = password.to_string();
        let cost = self.cost;
        self.hashes
            .run(move || match PasswordHash::new(&hash) {
                // The parameters are read from the stored hash.
                Ok(parsed) => cost
                    .hasher()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
                Err(_) => false,
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// Never more than `workers` jobs at once, and the overflow is refused.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn bounded_concurrency_and_queue() {
        let pool = Arc::new(HashPool::new(2, 3));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (pool, running, peak) = (pool.clone(), running.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                pool.run(move || {
                    let n = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(n, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(50));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            }));
        }
        let mut done = 0;
        let mut busy = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => done += 1,
                Err(StoreError::Busy) => busy += 1,
                Err(e) => panic!("{e}"),
            }
        }
        assert!(
            peak.load(Ordering::SeqCst) <= 2,
            "peak {}",
            peak.load(Ordering::SeqCst)
        );
        assert!((3..=5).contains(&done), "done {done}");
        assert_eq!(done + busy, 20);
    }
}
