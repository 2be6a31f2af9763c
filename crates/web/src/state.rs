//! The shared state of every handler, and the limits it is built with: the
//! bottom of the crate (every module may use it, it uses none of them but
//! the plumbing it holds).

use std::sync::Arc;

use rand::RngCore;
use sceau_engine::Law;
use sceau_store::Store;

use crate::anonymiser_slots::{default_slots, AnonymiserSlots};
use crate::render::Templates;
use crate::throttle::{Limiters, Limits};

/// Largest request body accepted (a situation is a few hundred bytes).
pub const BODY_LIMIT: usize = 64 * 1024;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub law: &'static Law,
    pub store: Store,
    pub private_api: bool,
    pub templates: Templates,
    pub limiters: Limiters,
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// What the installation form must be given (see [`AppState::install_code`]).
    pub install_code: String,
    /// Addresses besides loopback that `/metrics` answers (`--metrics-from`).
    pub metrics_from: Arc<Vec<std::net::IpAddr>>,
    /// Texts anonymised at once, off the request threads.
    pub anonymiser_slots: AnonymiserSlots,
}

impl AppState {
    pub fn new(law: &'static Law, store: Store, private_api: bool, limits: Limits) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                law,
                store,
                private_api,
                templates: Templates::new(),
                limiters: Limiters::new(limits),
                trusted_proxies: Arc::new(Vec::new()),
                install_code: new_install_code(),
                metrics_from: Arc::new(Vec::new()),
                anonymiser_slots: AnonymiserSlots::new(default_slots()),
            }),
        }
    }

    /// Believe `X-Forwarded-For` / `-Proto` from these addresses only.
    /// Call before the state is shared.
    pub fn with_trusted_proxies(mut self, proxies: Vec<std::net::IpAddr>) -> AppState {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.trusted_proxies = Arc::new(proxies);
        }
        self
    }

    /// Use this installation code instead of a random one. Call before the
    /// state is shared.
    pub fn with_install_code(mut self, code: &str) -> AppState {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.install_code = code.trim().to_string();
        }
        self
    }

    /// Serve `/metrics` to these addresses too (a Prometheus on another
    /// machine). Call before the state is shared.
    pub fn with_metrics_from(mut self, addresses: Vec<std::net::IpAddr>) -> AppState {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.metrics_from = Arc::new(addresses);
        }
        self
    }

    /// Anonymise at most `slots` texts at once (see
    /// [`crate::anonymiser_slots`]). Call before the state is shared.
    pub fn with_anonymiser_slots(mut self, slots: usize) -> AppState {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.anonymiser_slots = AnonymiserSlots::new(slots);
        }
        self
    }

    /// The one-time code the installation form asks for: whoever reaches
    /// the page first cannot take the server without it. `sceau serve`
    /// prints it on the console and writes it to `installation.code` in the
    /// data directory (mode 0600).
    pub fn install_code(&self) -> &str {
        &self.inner.install_code
    }

    pub fn law(&self) -> &'static Law {
        self.inner.law
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

impl AsRef<Templates> for AppState {
    fn as_ref(&self) -> &Templates {
        &self.inner.templates
    }
}

/// A new installation code: 12 characters of an alphabet without look-alikes
/// (no 0/O, 1/I/L), in three groups — about 60 bits.
pub fn new_install_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut b = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut b);
    let chars: Vec<char> = b
        .iter()
        .map(|x| ALPHABET[usize::from(*x) % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}
