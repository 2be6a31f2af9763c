//! An entry's information, sealed and opened by version
//! (`sceau_journal::information`): version 2 seals a random salt before
//! the text and chains the salted digest of the text; version 1, written
//! before, sealed the text alone and chains no digest.
//!
//! The salt exists only inside the sealed bytes (and in exports, beside
//! the clear text): a copy of the database holds the digest without it,
//! so guesses of the text cannot be tested against the digest.

use rand::rngs::OsRng;
use rand::RngCore;
use sceau_journal::information::{self, SALT_LEN};
use sceau_journal::{Entry, Hash};

use crate::keyring::PracticeKeys;
use crate::{Result, Store, StoreError};

/// An entry's information as opened with the key.
pub(crate) struct Opened {
    pub text: String,
    /// The salt of the digest (version 2 only).
    pub salt: Option<[u8; SALT_LEN]>,
}

/// Seals `text` for the entry `seq` of a practice as version 2: the sealed
/// bytes and the digest to chain.
pub(crate) fn seal(
    keys: &PracticeKeys,
    practice_id: i64,
    seq: u64,
    text: &str,
) -> Result<(Vec<u8>, Hash)> {
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let sealed = keys.seal_journal(
        &Store::info_aad(practice_id, seq),
        &information::plaintext(&salt, text),
    )?;
    Ok((sealed, information::digest(&salt, text)))
}

/// Opens an entry's information by its version. For version 2 the text
/// must also match the digest the chain covers: only the key holder can
/// seal, so a mismatch is a rewrite with the key, reported like bytes that
/// do not decrypt.
pub(crate) fn open(keys: &PracticeKeys, practice_id: i64, e: &Entry) -> Result<Opened> {
    let plain = keys.open(&Store::info_aad(practice_id, e.seq), &e.body.information)?;
    match e.body.information_digest {
        None => Ok(Opened {
            text: String::from_utf8(plain).map_err(|_| StoreError::Crypto)?,
            salt: None,
        }),
        Some(d) => {
            let (salt, text) = information::split(&plain).ok_or(StoreError::Crypto)?;
            if information::digest(&salt, &text) != d {
                return Err(StoreError::Crypto);
            }
            Ok(Opened {
                text,
                salt: Some(salt),
            })
        }
    }
}
