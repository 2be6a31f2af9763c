//! Random secrets (session and API tokens, CSRF values, identifiers) and
//! their SHA-256 digests, the only form in which a token is stored.

use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}
