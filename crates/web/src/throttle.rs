//! Login throttling: failed attempts are counted per account — a practice
//! and a login name, as names are unique per practice only — (whatever the
//! address they come from) and per client address (whatever the account),
//! and after a few free failures each further attempt must wait a delay
//! that doubles with every failure, up to [`WAIT_MAX`]. A success clears
//! the account's count.
//!
//! Per account, so that guesses spread over many addresses add up; per
//! address, so that one address cannot try many accounts. A browser that
//! has already signed in to an account carries a device cookie (an HMAC of
//! the login name under a secret of this process): its attempts on that
//! account skip both counts, so that someone guessing from the same
//! shared address (a NAT, the TLS proxy) cannot lock the real user out.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Rate limits (requests per minute per client address, and bursts).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open API endpoints: requests per minute per address.
    pub api_per_minute: u32,
    pub api_burst: u32,
    /// Failed logins per account (whatever the address) before the first
    /// wait of `login_period`, which then doubles with every failure up to
    /// 15 minutes; per address (whatever the account), four times as many
    /// failures before a first wait of a quarter of `login_period`.
    pub login_burst: u32,
    pub login_period: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            api_per_minute: 120,
            api_burst: 60,
            login_burst: 5,
            login_period: Duration::from_secs(30),
        }
    }
}

/// The longest wait between two attempts.
pub const WAIT_MAX: Duration = Duration::from_secs(15 * 60);

/// Failures forgotten after this long without a new one.
const FORGET_AFTER: Duration = Duration::from_secs(3600);

/// Keys kept at most per counter: past it, those still within their free
/// failures are dropped (random login names must not fill the memory).
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Failures of one kind of key, with its free count and first delay.
struct Counter<K> {
    map: Mutex<HashMap<K, Failures>>,
    free: u32,
    first_wait: Duration,
}

impl<K: Hash + Eq + Clone> Counter<K> {
    fn new(free: u32, first_wait: Duration) -> Self {
        Counter {
            map: Mutex::new(HashMap::new()),
            free,
            first_wait,
        }
    }

    /// The wait still due before the next attempt, if any.
    fn wait(&self, key: &K, now: Instant) -> Option<Duration> {
        let m = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let f = m.get(key)?;
        if f.count < self.free {
            return None;
        }
        let doublings = (f.count - self.free).min(20);
        let delay = self
            .first_wait
            .saturating_mul(1u32 << doublings)
            .min(WAIT_MAX);
        let ready = f.last + delay;
        (ready > now).then(|| ready - now)
    }

    fn fail(&self, key: K, now: Instant) {
        let mut m = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if m.len() >= MAX_KEYS {
            let free = self.free;
            m.retain(|_, f| f.count >= free);
        }
        let f = m.entry(key).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now.duration_since(f.last) > FORGET_AFTER {
            f.count = 0;
        }
        f.count = f.count.saturating_add(1);
        f.last = now;
    }

    fn clear(&self, key: &K) {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }

    fn forget_idle(&self, now: Instant) {
        let mut m = self.map.lock().unwrap_or_else(|e| e.into_inner());
        m.retain(|_, f| now.duration_since(f.last) <= FORGET_AFTER);
        m.shrink_to_fit();
    }
}

pub(crate) struct LoginThrottle {
    account: Counter<String>,
    address: Counter<IpAddr>,
    secret: [u8; 32],
}

/// The account as the store finds it: its practice and its login name as
/// the store compares it.
fn key(practice: i64, username: &str) -> String {
    let name: String = username.trim().to_lowercase().chars().take(64).collect();
    format!("{practice}/{name}")
}

impl LoginThrottle {
    pub(crate) fn new(l: Limits) -> LoginThrottle {
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        LoginThrottle {
            account: Counter::new(l.login_burst.max(1), l.login_period),
            address: Counter::new(l.login_burst.max(1) * 4, l.login_period / 4),
            secret,
        }
    }

    /// May this attempt go ahead? `Err(seconds to wait)` otherwise. A
    /// browser with the account's device cookie is never held back.
    pub(crate) fn check(
        &self,
        ip: IpAddr,
        practice: i64,
        username: &str,
        device: Option<&str>,
    ) -> Result<(), u64> {
        if self.knows_device(practice, username, device) {
            return Ok(());
        }
        let now = Instant::now();
        let wait = [
            self.account.wait(&key(practice, username), now),
            self.address.wait(&ip, now),
        ]
        .into_iter()
        .flatten()
        .max();
        match wait {
            None => Ok(()),
            Some(d) => Err(d.as_secs() + u64::from(d.subsec_nanos() > 0)),
        }
    }

    pub(crate) fn failed(&self, ip: IpAddr, practice: i64, username: &str, device: Option<&str>) {
        if self.knows_device(practice, username, device) {
            return;
        }
        let now = Instant::now();
        self.account.fail(key(practice, username), now);
        self.address.fail(ip, now);
    }

    pub(crate) fn succeeded(&self, practice: i64, username: &str) {
        self.account.clear(&key(practice, username));
    }

    /// The device cookie's value for an account.
    pub(crate) fn device_value(&self, practice: i64, username: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        mac.update(key(practice, username).as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn knows_device(&self, practice: i64, username: &str, device: Option<&str>) -> bool {
        device.is_some_and(|d| {
            d.as_bytes()
                .ct_eq(self.device_value(practice, username).as_bytes())
                .into()
        })
    }

    pub(crate) fn forget_idle(&self) {
        let now = Instant::now();
        self.account.forget_idle(now);
        self.address.forget_idle(now);
    }
}

/// The rate limiters of the server: the open API per address, the logins.
pub(crate) struct Limiters {
    api: DefaultKeyedRateLimiter<IpAddr>,
    pub(crate) login: LoginThrottle,
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).expect("non-zero")
}

impl Limiters {
    pub(crate) fn new(l: Limits) -> Limiters {
        let api = Quota::per_minute(nz(l.api_per_minute)).allow_burst(nz(l.api_burst));
        Limiters {
            api: RateLimiter::keyed(api),
            login: LoginThrottle::new(l),
        }
    }

    pub(crate) fn api_ok(&self, ip: IpAddr) -> bool {
        self.api.check_key(&ip).is_ok()
    }

    pub(crate) fn forget_idle(&self) {
        self.api.retain_recent();
        self.api.shrink_to_fit();
        self.login.forget_idle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_and_is_capped() {
        let c: Counter<u8> = Counter::new(2, Duration::from_secs(30));
        let t = Instant::now();
        c.fail(1, t);
        assert_eq!(c.wait(&1, t), None);
        c.fail(1, t);
        assert_eq!(c.wait(&1, t), Some(Duration::from_secs(30)));
        c.fail(1, t);
        assert_eq!(c.wait(&1, t), Some(Duration::from_secs(60)));
        for _ in 0..30 {
            c.fail(1, t);
        }
        assert_eq!(c.wait(&1, t), Some(WAIT_MAX));
        assert_eq!(c.wait(&1, t + WAIT_MAX), None);
        c.clear(&1);
        assert_eq!(c.wait(&1, t), None);
    }

    /// The same login name in two practices is two accounts: failures on
    /// one never hold the other back, and a device cookie of one is not
    /// the other's.
    #[test]
    fn accounts_are_counted_per_practice_and_name() {
        let l = Limits {
            login_burst: 2,
            ..Limits::default()
        };
        let th = LoginThrottle::new(l);
        let ip = IpAddr::from([192, 0, 2, 1]);
        let other = IpAddr::from([192, 0, 2, 2]);
        th.failed(ip, 1, "Marie", None);
        th.failed(other, 1, " marie ", None);
        assert!(th
            .check(IpAddr::from([192, 0, 2, 3]), 1, "marie", None)
            .is_err());
        assert_eq!(
            th.check(IpAddr::from([192, 0, 2, 3]), 2, "marie", None),
            Ok(())
        );
        assert_ne!(th.device_value(1, "marie"), th.device_value(2, "marie"));
        let d = th.device_value(1, "marie");
        assert_eq!(th.check(ip, 1, "marie", Some(&d)), Ok(()));
        assert!(th
            .check(ip, 1, "marie", Some(&th.device_value(2, "marie")))
            .is_err());
        th.succeeded(1, "marie");
        assert_eq!(
            th.check(IpAddr::from([192, 0, 2, 3]), 1, "marie", None),
            Ok(())
        );
    }
}
