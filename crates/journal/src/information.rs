//! The digest of an entry's information in clear (entries of version 2).
//!
//! The chain covers the information as stored, sealed: whoever checks an
//! export without the key cannot tell the clear text beside it from any
//! other. An entry of version 2 therefore also chains a digest of the
//! clear text, salted: SHA-256 over a domain, a random salt and the text.
//! The salt is sealed with the text (it is the first [`SALT_LEN`] bytes of
//! the sealed plaintext) and given in exports beside the clear text, so
//! that a reader of an export recomputes the digest and an edited text
//! breaks the chain, while whoever holds only a copy of the database — the
//! digest without the salt — cannot test guesses of the text against it.
//!
//! Entries of version 1 (written before) have no digest: their encoding
//! and hash are unchanged, and a check of an export says their information
//! is not covered.

use sha2::{Digest, Sha256};

use crate::Hash;

/// Bytes of random salt sealed before the text.
pub const SALT_LEN: usize = 32;

const DOMAIN: &[u8] = b"sceau-journal-information-v2\0";

/// The salted digest of an entry's information in clear.
pub fn digest(salt: &[u8; SALT_LEN], text: &str) -> Hash {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(salt);
    h.update((text.len() as u64).to_be_bytes());
    h.update(text.as_bytes());
    h.finalize().into()
}

/// What is sealed for an entry of version 2: the salt, then the text.
pub fn plaintext(salt: &[u8; SALT_LEN], text: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(SALT_LEN + text.len());
    v.extend_from_slice(salt);
    v.extend_from_slice(text.as_bytes());
    v
}

/// The salt and the text of a version 2 plaintext, if it has that form.
pub fn split(plain: &[u8]) -> Option<([u8; SALT_LEN], String)> {
    if plain.len() < SALT_LEN {
        return None;
    }
    let (salt, text) = plain.split_at(SALT_LEN);
    let text = String::from_utf8(text.to_vec()).ok()?;
    Some((salt.try_into().ok()?, text))
}
