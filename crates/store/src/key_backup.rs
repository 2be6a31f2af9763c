//! The key's encrypted backup, downloadable from the web administration
//! and written by `sceau key backup`: the 32-byte master key sealed with XChaCha20-Poly1305 under a key derived from
//! a passphrase with Argon2id (64 MiB, 3 passes), so that the file can be
//! kept away from the server (a USB key, a safe) without being the key in
//! clear. Without the passphrase the file is useless; without the key, the
//! encrypted data and the journal's signatures are lost (see SECURITY.md).
//! Beside it, the practices' keys as the database keeps them (wrapped by
//! the master key, `keyring`): `sceau backup` leaves them out, so this file
//! is what restores them.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::keyring::WrappedKey;
use crate::{Key, Result, StoreError};

pub const FORMAT: &str = "sceau-key-backup-v1";
/// Shortest passphrase accepted, in characters.
pub const PASSPHRASE_MIN: usize = 12;
const M_KIB: u32 = 64 * 1024;
const PASSES: u32 = 3;

#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    kdf: String,
    m_kib: u32,
    t: u32,
    p: u32,
    salt: String,
    nonce: String,
    sealed: String,
    /// The key's fingerprint (as kept in the database), to tell which base it opens.
    fingerprint: String,
    /// The practices' keys, wrapped by the master key (absent from the
    /// files made before schema 10).
    #[serde(default)]
    practice_keys: Vec<WrappedKey>,
}

fn derive(passphrase: &str, salt: &[u8], m_kib: u32, t: u32) -> Result<[u8; 32]> {
    let params = Params::new(m_kib, t, 1, Some(32))
        .map_err(|_| StoreError::Invalid("sauvegarde de clé : paramètres illisibles".into()))?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .map_err(|e| StoreError::Internal(format!("dérivation de la phrase de passe : {e}")))?;
    Ok(out)
}

fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < PASSPHRASE_MIN {
        return Err(StoreError::Invalid(format!(
            "Phrase de passe : au moins {PASSPHRASE_MIN} caractères."
        )));
    }
    Ok(())
}

/// The key, encrypted under `passphrase`, as a JSON file.
pub fn export(key: &Key, passphrase: &str) -> Result<String> {
    export_with_keys(key, &[], passphrase)
}

/// The master key, encrypted under `passphrase`, and the practices' keys
/// wrapped by it, as a JSON file.
pub fn export_with_keys(
    key: &Key,
    practice_keys: &[WrappedKey],
    passphrase: &str,
) -> Result<String> {
    check_passphrase(passphrase)?;
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut nonce);
    let k = derive(passphrase, &salt, M_KIB, PASSES)?;
    let sealed = XChaCha20Poly1305::new((&k).into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.raw(),
                aad: FORMAT.as_bytes(),
            },
        )
        .map_err(|_| StoreError::Internal("chiffrement de la clé".into()))?;
    let f = File {
        format: FORMAT.into(),
        kdf: "argon2id".into(),
        m_kib: M_KIB,
        t: PASSES,
        p: 1,
        salt: B64.encode(salt),
        nonce: B64.encode(nonce),
        sealed: B64.encode(sealed),
        fingerprint: key.fingerprint(),
        practice_keys: practice_keys.to_vec(),
    };
    serde_json::to_string_pretty(&f).map_err(|e| StoreError::Internal(e.to_string()))
}

/// The key back from its encrypted backup; a wrong passphrase or a damaged
/// file is a French error naming neither.
pub fn import(text: &str, passphrase: &str, origin: &str) -> Result<Key> {
    import_with_keys(text, passphrase, origin).map(|(k, _)| k)
}

/// The master key and the practices' wrapped keys back from a key backup.
pub fn import_with_keys(
    text: &str,
    passphrase: &str,
    origin: &str,
) -> Result<(Key, Vec<WrappedKey>)> {
    let bad = || {
        StoreError::Invalid(format!(
            "ce fichier n’est pas une sauvegarde de clé de Sceau (format « {FORMAT} » attendu)"
        ))
    };
    let f: File = serde_json::from_str(text.trim()).map_err(|_| bad())?;
    if f.format != FORMAT || f.kdf != "argon2id" || f.m_kib > 1024 * 1024 || f.t > 16 {
        return Err(bad());
    }
    let salt = B64.decode(&f.salt).map_err(|_| bad())?;
    let nonce = B64.decode(&f.nonce).map_err(|_| bad())?;
    let sealed = B64.decode(&f.sealed).map_err(|_| bad())?;
    if nonce.len() != 24 {
        return Err(bad());
    }
    let k = derive(passphrase, &salt, f.m_kib, f.t)?;
    let plain = XChaCha20Poly1305::new((&k).into())
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &sealed,
                aad: FORMAT.as_bytes(),
            },
        )
        .map_err(|_| {
            StoreError::Key(
                "la sauvegarde de clé ne s’ouvre pas : mauvaise phrase de passe, ou fichier endommagé".into(),
            )
        })?;
    let bytes: [u8; 32] = plain.try_into().map_err(|_| bad())?;
    Ok((Key::from_bytes(bytes, origin), f.practice_keys))
}
