//! Login throttling: failed attempts are counted per account — a practice
//! and a login name, as names are unique per practice only — (whatever the
//! address they come from) and per client address (whatever the account),
//! and after a few free failures each further attempt must wait a delay
//! that doubles with every failure, up to [`WAIT_MAX`]. A success clears
//! the account's count.
//!
//! Per account, so that guesses spread over many addresses add up; per
//! address, so that one address cannot try many accounts. A browser that
//! has signed in to an account carries a device cookie of its own: a
//! random nonce and an HMAC, under a secret of this process, of the
//! account, the digest of its current password hash and that nonce (so a
//! password change, a reset or a deactivation revokes it). Its attempts on
//! that account skip the address's count — someone guessing from the same
//! shared address (a NAT, the TLS proxy) cannot lock the real user out —
//! but not the account's: they are counted apart, with more free failures,
//! so that a copied cookie gives a bounded number of guesses too.

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
    /// The account's failures from a browser with one of its device
    /// cookies, per cookie (its nonce): a copied cookie is held back
    /// without holding back the user's other browsers.
    account_device: Counter<String>,
    address: Counter<IpAddr>,
    secret: [u8; 32],
}

/// The account as the store finds it: its practice and its login name as
/// the store compares it.
fn key(practice: i64, username: &str) -> String {
    let name: String = username.trim().to_lowercase().chars().take(64).collect();
    format!("{practice}/{name}")
}

/// Free failures of an account from a browser with its device cookie, as
/// a multiple of those without (the real user mistyping on his own
/// browser needs more room than a stranger).
const DEVICE_FREE_FACTOR: u32 = 4;

/// Bytes of the device cookie's random nonce.
const NONCE_LEN: usize = 16;

/// The key of one device cookie's failures on an account.
fn device_key(account: &str, nonce: &str) -> String {
    format!("{account}#{nonce}")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl LoginThrottle {
    pub(crate) fn new(l: Limits) -> LoginThrottle {
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let free = l.login_burst.max(1);
        LoginThrottle {
            account: Counter::new(free, l.login_period),
            account_device: Counter::new(free * DEVICE_FREE_FACTOR, l.login_period),
            address: Counter::new(free * 4, l.login_period / 4),
            secret,
        }
    }

    /// May this attempt go ahead? `Err(seconds to wait)` otherwise. A
    /// browser with one of the account's device cookies (`device`: its
    /// nonce, as [`LoginThrottle::verified_device`] gives it) skips the
    /// address's wait, never the account's (that cookie's own count).
    pub(crate) fn check(
        &self,
        ip: IpAddr,
        practice: i64,
        username: &str,
        device: Option<&str>,
    ) -> Result<(), u64> {
        let now = Instant::now();
        let k = key(practice, username);
        let wait = if let Some(nonce) = device {
            self.account_device.wait(&device_key(&k, nonce), now)
        } else {
            [self.account.wait(&k, now), self.address.wait(&ip, now)]
                .into_iter()
                .flatten()
                .max()
        };
        seconds(wait)
    }

    pub(crate) fn failed(&self, ip: IpAddr, practice: i64, username: &str, device: Option<&str>) {
        let now = Instant::now();
        let k = key(practice, username);
        if let Some(nonce) = device {
            self.account_device.fail(device_key(&k, nonce), now);
        } else {
            self.account.fail(k, now);
            self.address.fail(ip, now);
        }
    }

    pub(crate) fn succeeded(&self, practice: i64, username: &str, device: Option<&str>) {
        let k = key(practice, username);
        if let Some(nonce) = device {
            self.account_device.clear(&device_key(&k, nonce));
        }
        self.account.clear(&k);
    }

    /// A new device cookie for an account whose current password hash has
    /// this digest (`Store::login_binding`): a fresh nonce, so that each
    /// browser's is its own.
    pub(crate) fn device_value(&self, practice: i64, username: &str, binding: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let nonce = hex(&nonce);
        let mac = self.device_mac(practice, username, binding, &nonce);
        format!("{nonce}.{mac}")
    }

    fn device_mac(&self, practice: i64, username: &str, binding: &str, nonce: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        // Length-prefixed fields: no two different tuples sign alike.
        for part in [key(practice, username).as_str(), binding, nonce] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        hex(&mac.finalize().into_bytes())
    }

    /// The nonce of `device` if it is a device cookie this process issued
    /// for this account while its password hash had this digest; `None`
    /// otherwise, and without a binding (an unknown or deactivated account).
    pub(crate) fn verified_device<'d>(
        &self,
        practice: i64,
        username: &str,
        binding: Option<&str>,
        device: Option<&'d str>,
    ) -> Option<&'d str> {
        let binding = binding?;
        let (nonce, mac) = device?.split_once('.')?;
        if nonce.len() != 2 * NONCE_LEN || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let ok: bool = mac
            .as_bytes()
            .ct_eq(
                self.device_mac(practice, username, binding, nonce)
                    .as_bytes(),
            )
            .into();
        ok.then_some(nonce)
    }

    /// The address's wait alone (forms that check a secret but no account:
    /// the installation code).
    pub(crate) fn check_address(&self, ip: IpAddr) -> Result<(), u64> {
        seconds(self.address.wait(&ip, Instant::now()))
    }

    pub(crate) fn failed_address(&self, ip: IpAddr) {
        self.address.fail(ip, Instant::now());
    }

    /// The account's wait alone (the current password asked again in a
    /// session: the account's count, whatever the address).
    pub(crate) fn check_account(&self, practice: i64, username: &str) -> Result<(), u64> {
        seconds(self.account.wait(&key(practice, username), Instant::now()))
    }

    pub(crate) fn failed_account(&self, practice: i64, username: &str) {
        self.account.fail(key(practice, username), Instant::now());
    }

    pub(crate) fn forget_idle(&self) {
        let now = Instant::now();
        self.account.forget_idle(now);
        self.account_device.forget_idle(now);
        self.address.forget_idle(now);
    }
}

/// A wait as whole seconds, rounded up (`Retry-After`).
fn seconds(wait: Option<Duration>) -> Result<(), u64> {
    match wait {
        None => Ok(()),
        Some(d) => Err(d.as_secs() + u64::from(d.subsec_nanos() > 0)),
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
        let d = th.device_value(1, "marie", "h1");
        assert!(th
            .verified_device(1, " Marie", Some("h1"), Some(&d))
            .is_some());
        assert!(th
            .verified_device(2, "marie", Some("h1"), Some(&d))
            .is_none());
        th.succeeded(1, "marie", None);
        assert_eq!(
            th.check(IpAddr::from([192, 0, 2, 3]), 1, "marie", None),
            Ok(())
        );
    }

    /// Finding 4 of the 2026-11-30 audit: the device cookie was one value
    /// per account (every browser alike, forever) and lifted every limit.
    /// Now each is its own, dies with the password hash it was issued
    /// under, and its failures still count for the account.
    #[test]
    fn a_device_cookie_is_per_browser_bound_to_the_password_and_still_counted() {
        let l = Limits {
            login_burst: 2,
            ..Limits::default()
        };
        let th = LoginThrottle::new(l);
        let a = th.device_value(1, "marie", "h1");
        let b = th.device_value(1, "marie", "h1");
        assert_ne!(a, b, "one value per browser");
        let known = |d: &str| {
            th.verified_device(1, "marie", Some("h1"), Some(d))
                .is_some()
        };
        assert!(known(&a) && known(&b));
        // Another password hash (changed, reset), or none (deactivated).
        assert!(th
            .verified_device(1, "marie", Some("h2"), Some(&a))
            .is_none());
        assert!(th.verified_device(1, "marie", None, Some(&a)).is_none());
        // A nonce not signed, a value cut, another process's secret.
        let (nonce, mac) = a.split_once('.').unwrap();
        let flipped = if nonce.starts_with('0') { '1' } else { '0' };
        let forged = format!("{flipped}{}.{mac}", &nonce[1..]);
        assert!(!known(&forged) && !known(nonce));
        assert!(LoginThrottle::new(l)
            .verified_device(1, "marie", Some("h1"), Some(&a))
            .is_none());
        // The address's count does not hold the cookie back ...
        let ip = IpAddr::from([192, 0, 2, 9]);
        for i in 0..8 {
            th.failed(ip, 1, &format!("inconnu{i}"), None);
        }
        assert!(th.check(ip, 1, "autre", None).is_err());
        let na = a.split_once('.').map(|(n, _)| n);
        let nb = b.split_once('.').map(|(n, _)| n);
        assert_eq!(th.check(ip, 1, "marie", na), Ok(()));
        // ... but its own failures are counted for the account: 8 free,
        // then the wait; the user's other browser is not held back.
        for _ in 0..8 {
            assert_eq!(th.check(ip, 1, "marie", na), Ok(()));
            th.failed(ip, 1, "marie", na);
        }
        assert_eq!(th.check(ip, 1, "marie", na), Err(30));
        assert_eq!(th.check(ip, 1, "marie", nb), Ok(()));
    }
}
