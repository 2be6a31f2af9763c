//! The encryption key of the store and the AEAD that protects patient data
//! at rest (XChaCha20-Poly1305, a random 192-bit nonce per value).
//!
//! The key is 32 random bytes, read from the environment variable
//! `SCEAU_KEY` (base64) or from `<data-dir>/sceau.key` (base64, created on
//! first start with permissions 0600). A fingerprint of the key (an HMAC,
//! not the key) is kept in the database so that a wrong key is refused
//! with a clear message instead of producing garbage. Every ciphertext is
//! bound to its place (table, column, practice) by the associated data, so
//! that a value moved to another row or practice does not decrypt.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::Sha256;

use crate::StoreError;

/// Name of the key file in the data directory.
pub const KEY_FILE: &str = "sceau.key";
/// Where `sceau key rotate` writes the new master key before the database
/// changes; it is moved over the key file once the database uses it.
pub const PENDING_KEY_FILE: &str = "sceau.key.new";
/// Environment variable holding the key in base64 (takes precedence over the file).
pub const KEY_ENV: &str = "SCEAU_KEY";
/// Format byte of a value sealed with one key, no key version (the single
/// key of schemas before 10: read as a practice's key version 0).
const VERSION: u8 = 1;
/// Format byte of a value sealed with a practice's key: the key's version
/// follows (4 bytes, big-endian), so that a reader picks the right key.
const VERSIONED: u8 = 2;

/// The version of the practice key that sealed `sealed` (0 for the former
/// single key's format); `None` for bytes that are no sealed value.
pub fn sealed_version(sealed: &[u8]) -> Option<u32> {
    match sealed.first() {
        Some(&VERSION) => Some(0),
        Some(&VERSIONED) if sealed.len() >= 5 => Some(u32::from_be_bytes([
            sealed[1], sealed[2], sealed[3], sealed[4],
        ])),
        _ => None,
    }
}

/// The store's secret key. Never printed, never logged.
#[derive(Clone)]
pub struct Key {
    bytes: [u8; 32],
    /// Where it came from, for messages (`SCEAU_KEY` or the file's path).
    pub origin: String,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key(from {})", self.origin)
    }
}

fn derive(key: &[u8; 32], label: &str) -> [u8; 32] {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(label.as_bytes());
    m.finalize().into_bytes().into()
}

impl Key {
    pub fn from_bytes(bytes: [u8; 32], origin: impl Into<String>) -> Key {
        Key {
            bytes,
            origin: origin.into(),
        }
    }

    /// Decodes a base64 key (as in `SCEAU_KEY` or the key file).
    pub fn from_base64(text: &str, origin: &str) -> Result<Key, StoreError> {
        let raw = B64.decode(text.trim()).map_err(|_| {
            StoreError::Key(format!(
                "la clé de chiffrement ({origin}) n’est pas du base64 valide : 32 octets encodés en base64 sont attendus"
            ))
        })?;
        let bytes: [u8; 32] = raw.try_into().map_err(|_| {
            StoreError::Key(format!(
                "la clé de chiffrement ({origin}) doit faire exactement 32 octets (44 caractères en base64)"
            ))
        })?;
        Ok(Key::from_bytes(bytes, origin))
    }

    /// A key of its own for one use, derived from this one by its label.
    pub(crate) fn derived(&self, label: &str) -> [u8; 32] {
        derive(&self.bytes, label)
    }

    /// A new random key.
    pub fn generate(origin: &str) -> Key {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Key::from_bytes(bytes, origin)
    }

    /// The raw key, for the encrypted key backup of [`crate::key_backup`].
    pub(crate) fn raw(&self) -> &[u8; 32] {
        &self.bytes
    }

    pub fn to_base64(&self) -> String {
        B64.encode(self.bytes)
    }

    /// `SCEAU_KEY` if set, else `<data_dir>/sceau.key`, created (0600) when absent.
    pub fn load_or_create(data_dir: &Path) -> Result<Key, StoreError> {
        if let Ok(v) = std::env::var(KEY_ENV) {
            if !v.trim().is_empty() {
                return Key::from_base64(&v, KEY_ENV);
            }
        }
        let path = data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Key::from_base64(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Key::generate(&path.display().to_string());
                write_key_file(&path, &key)?;
                Ok(key)
            }
            Err(e) => Err(StoreError::Key(format!(
                "impossible de lire la clé de chiffrement {} : {e}",
                path.display()
            ))),
        }
    }

    /// The key in the file `path` (base64), created (0600) when absent; for
    /// keys kept apart from the store, such as the CLI's pseudonym tables.
    pub fn load_or_create_at(path: &Path) -> Result<Key, StoreError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Key::from_base64(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Key::generate(&path.display().to_string());
                write_key_file(path, &key)?;
                Ok(key)
            }
            Err(e) => Err(StoreError::Key(format!(
                "impossible de lire la clé {} : {e}",
                path.display()
            ))),
        }
    }

    /// `SCEAU_KEY` if set, else `<data_dir>/sceau.key` if it exists (never creates one).
    pub fn load_existing(data_dir: &Path) -> Result<Option<Key>, StoreError> {
        if let Ok(v) = std::env::var(KEY_ENV) {
            if !v.trim().is_empty() {
                return Key::from_base64(&v, KEY_ENV).map(Some);
            }
        }
        let path = data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Key::from_base64(&text, &path.display().to_string()).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Key(format!(
                "impossible de lire la clé de chiffrement {} : {e}",
                path.display()
            ))),
        }
    }

    /// What the database keeps to recognise this key (an HMAC, not the key).
    pub fn fingerprint(&self) -> String {
        hex::encode(derive(&self.bytes, "sceau-key-fingerprint-v1"))
    }

    /// The key that authenticates journal anchors and checkpoints.
    pub fn anchor_key(&self) -> [u8; 32] {
        derive(&self.bytes, "sceau-journal-anchor-v1")
    }

    /// The key that signs each journal entry (see `sceau_journal::entry_mac`).
    pub fn entry_key(&self) -> [u8; 32] {
        derive(&self.bytes, "sceau-journal-entry-v1")
    }

    /// The key of the pseudonym tables of `sceau anonymise` (HMAC of the
    /// names), derived from a key file of its own: a table reveals nothing
    /// without it. The server keys each practice's tables with
    /// [`crate::keyring::PracticeKeys::pseudonym_key`] instead.
    pub fn pseudonym_key(&self) -> [u8; 32] {
        derive(&self.bytes, "sceau-anonymise-pseudonyms-v1")
    }

    /// Encrypts `plain` for the place `aad` (e.g. `patients.display_name/3`).
    pub fn seal(&self, aad: &str, plain: &[u8]) -> Vec<u8> {
        let mut out = vec![VERSION];
        self.seal_into(&mut out, aad, plain);
        out
    }

    /// Encrypts `plain` for `aad` as this practice key's `version` (the
    /// version is written before the nonce; see [`sealed_version`]).
    pub fn seal_versioned(&self, version: u32, aad: &str, plain: &[u8]) -> Vec<u8> {
        let mut out = vec![VERSIONED];
        out.extend_from_slice(&version.to_be_bytes());
        self.seal_into(&mut out, aad, plain);
        out
    }

    fn seal_into(&self, out: &mut Vec<u8>, aad: &str, plain: &[u8]) {
        let cipher = XChaCha20Poly1305::new((&self.bytes).into());
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .expect("encryption does not fail");
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
    }

    /// Decrypts a value sealed for `aad`; a wrong key or a damaged value is an error.
    /// (The version of a versioned value is not checked here: the caller
    /// chose this key by it.)
    pub fn open(&self, aad: &str, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        let start = match sealed.first() {
            Some(&VERSION) => 1,
            Some(&VERSIONED) => 5,
            _ => return Err(StoreError::Crypto),
        };
        if sealed.len() < start + 24 + 16 {
            return Err(StoreError::Crypto);
        }
        let cipher = XChaCha20Poly1305::new((&self.bytes).into());
        cipher
            .decrypt(
                XNonce::from_slice(&sealed[start..start + 24]),
                Payload {
                    msg: &sealed[start + 24..],
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Crypto)
    }

    pub fn seal_str(&self, aad: &str, plain: &str) -> Vec<u8> {
        self.seal(aad, plain.as_bytes())
    }

    pub fn open_str(&self, aad: &str, sealed: &[u8]) -> Result<String, StoreError> {
        String::from_utf8(self.open(aad, sealed)?).map_err(|_| StoreError::Crypto)
    }

    /// Encrypts a whole archive (backups): no associated place.
    pub fn seal_archive(&self, plain: &[u8]) -> Vec<u8> {
        self.seal("sceau-backup-v1", plain)
    }

    pub fn open_archive(&self, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        self.open("sceau-backup-v1", sealed)
    }
}

fn write_key_file(path: &Path, key: &Key) -> Result<(), StoreError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Key(format!("impossible de créer {} : {e}", dir.display())))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| {
        StoreError::Key(format!(
            "impossible de créer la clé de chiffrement {} : {e}",
            path.display()
        ))
    })?;
    f.write_all(format!("{}\n", key.to_base64()).as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| {
            StoreError::Key(format!(
                "impossible d’écrire la clé de chiffrement {} : {e}",
                path.display()
            ))
        })?;
    Ok(())
}

/// Writes a file atomically: a temporary file beside it, synced, renamed
/// over it, then the directory synced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut tmp = PathBuf::from(path);
    let mut rnd = [0u8; 6];
    OsRng.fill_bytes(&mut rnd);
    tmp.set_file_name(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("f"),
        hex::encode(rnd)
    ));
    {
        // Owner-only, like every file of the data directory.
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
