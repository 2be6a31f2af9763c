//! A key per practice, wrapped by the master key (envelope encryption,
//! issue 17).
//!
//! The master key ([`Key`], `SCEAU_KEY` or `<data-dir>/sceau.key`) encrypts
//! no patient datum any more: it wraps (XChaCha20-Poly1305, the place
//! `practice-key/<practice>/<version>` as associated data) the keys of
//! each practice, kept in the table `practice_keys` (migration 0010):
//!
//! - version 0, the practice's **journal key**: it signs the journal's
//!   entries, head, checkpoints and receipts, and seals each entry's
//!   category of information. A rotation never changes it: the chain
//!   covers the sealed bytes (re-encrypting them would be rewriting the
//!   journal) and the receipts given out are checked with it. For a
//!   practice that predates this schema it is the former single key, which
//!   sealed and signed its journal until then;
//! - versions 1, 2, …, its **data keys**: the highest seals the register
//!   (patients, consents, oppositions, duties, reports, audits). A rotation
//!   re-encrypts these rows under a new version in one transaction and
//!   deletes the previous one.
//!
//! `sceau backup` leaves this table out and the key backup carries it
//! (with the master key), so that deleting a practice, which deletes its
//! rows here, leaves its rows unreadable in the backups made before
//! (SECURITY.md, « Clés »). Every sealed value names the version that
//! sealed it ([`crate::crypto::sealed_version`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::crypto::sealed_version;
use crate::{now, Key, Result, Store, StoreError};

/// The schema version (migration 0010) from which each practice has its keys.
pub(crate) const KEYRING_SCHEMA: i64 = 10;

/// The label of a practice's pseudonym key ([`PracticeKeys::pseudonym_key`]).
const PSEUDONYMS: &str = "sceau-anonymise-pseudonyms-practice-v1";

/// The version of the journal's key (and of the former single key).
pub const JOURNAL_VERSION: u32 = 0;

/// A practice's keys, unwrapped: never printed, never logged.
pub struct PracticeKeys {
    current: u32,
    keys: BTreeMap<u32, Key>,
}

impl std::fmt::Debug for PracticeKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PracticeKeys(current version {})", self.current)
    }
}

impl PracticeKeys {
    /// The version of the data key that seals new values.
    pub fn version(&self) -> u32 {
        self.current
    }

    fn journal(&self) -> Result<&Key> {
        self.keys.get(&JOURNAL_VERSION).ok_or(StoreError::Crypto)
    }

    /// Seals a register value with the current data key.
    pub fn seal_str(&self, aad: &str, plain: &str) -> Vec<u8> {
        let key = &self.keys[&self.current];
        key.seal_versioned(self.current, aad, plain.as_bytes())
    }

    pub fn seal_opt(&self, aad: &str, v: Option<&str>) -> Option<Vec<u8>> {
        v.map(|s| self.seal_str(aad, s))
    }

    /// Seals a journal entry's category of information with the journal
    /// key (for an entry of version 2, its salt and text:
    /// `crate::journal_information`).
    pub fn seal_journal(&self, aad: &str, plain: &[u8]) -> Result<Vec<u8>> {
        Ok(self.journal()?.seal_versioned(JOURNAL_VERSION, aad, plain))
    }

    /// Opens a value with the key of the version that sealed it.
    pub fn open(&self, aad: &str, sealed: &[u8]) -> Result<Vec<u8>> {
        let key = sealed_version(sealed)
            .and_then(|v| self.keys.get(&v))
            .ok_or(StoreError::Crypto)?;
        key.open(aad, sealed)
    }

    pub fn open_str(&self, aad: &str, sealed: &[u8]) -> Result<String> {
        String::from_utf8(self.open(aad, sealed)?).map_err(|_| StoreError::Crypto)
    }

    pub fn open_opt(&self, aad: &str, v: Option<Vec<u8>>) -> Result<Option<String>> {
        v.map(|b| self.open_str(aad, &b)).transpose()
    }

    /// The key that signs each journal entry (`sceau_journal::entry_mac`).
    pub fn entry_key(&self) -> Result<[u8; 32]> {
        Ok(self.journal()?.entry_key())
    }

    /// The key of the journal's head, anchors, checkpoints and receipts.
    pub fn anchor_key(&self) -> Result<[u8; 32]> {
        Ok(self.journal()?.anchor_key())
    }

    /// The key that signs one kind of the practice's rows (see
    /// [`crate::row_macs`]). Derived from the journal key, not from a data
    /// key: neither a practice's rotation nor the master key's changes it,
    /// and a session or an API token cannot be signed again (its secret is
    /// not kept), so its signature must outlive both.
    pub(crate) fn row_key(&self, label: &str) -> Result<[u8; 32]> {
        Ok(self.journal()?.derived(label))
    }

    /// The key of the anonymiser's pseudonym tables for this practice's
    /// texts (HMAC of the names). One per practice, so that a table, or
    /// the digests the server computes for any name on request, mean
    /// nothing to another practice's accounts and tokens. Derived from the
    /// journal key, like [`PracticeKeys::row_key`], because that key never
    /// rotates: a table kept with earlier texts goes on matching.
    pub fn pseudonym_key(&self) -> Result<[u8; 32]> {
        Ok(self.journal()?.derived(PSEUDONYMS))
    }
}

/// One practice key as stored: wrapped by the master key (what the key
/// backup carries).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WrappedKey {
    pub practice_id: i64,
    pub version: u32,
    /// Base64 of the sealed key.
    pub wrapped: String,
    pub created_at: i64,
}

const KEYS_FORMAT: &str = "sceau-practice-keys-v1";

#[derive(Serialize, Deserialize)]
struct KeysFile {
    format: String,
    master_fingerprint: String,
    practice_keys: Vec<WrappedKey>,
}

/// What the administration shows of the keys.
#[derive(Debug, Clone, Serialize)]
pub struct KeyStatus {
    /// Version of the master key (1 until the first `sceau key rotate`).
    pub master_version: i64,
    pub master_rotated_at: Option<i64>,
    /// Version of the practice's data key (1 until its first rotation).
    pub practice_version: u32,
    /// When the practice's data key was made by a rotation (None: never rotated).
    pub practice_rotated_at: Option<i64>,
}

/// The register's sealed columns: (table, key columns, sealed columns).
/// Each value's associated data is `<table>.<column>/<practice>/<keys joined by />`.
const SEALED: &[(&str, &[&str], &[&str])] = &[
    (
        "patients",
        &["id"],
        &["display_name", "birth_date", "reference", "deceased_on"],
    ),
    ("consents", &["id"], &["what"]),
    ("oppositions", &["id"], &["what"]),
    ("duties", &["id"], &["subject", "done_how"]),
    ("reports", &["id"], &["letter", "duty_subject", "kept"]),
    ("audit_answers", &["audit_id", "point"], &["comment"]),
    ("account_profiles", &["account_id"], &["rpps", "address"]),
];

fn wrap_aad(practice_id: i64, version: u32) -> String {
    format!("practice-key/{practice_id}/{version}")
}

fn wrap(master: &Key, practice_id: i64, version: u32, key: &Key) -> Vec<u8> {
    master.seal(&wrap_aad(practice_id, version), key.raw())
}

fn unwrap(master: &Key, practice_id: i64, version: u32, wrapped: &[u8]) -> Result<Key> {
    let raw = master
        .open(&wrap_aad(practice_id, version), wrapped)
        .map_err(|_| {
            StoreError::Key(format!(
                "la clé n° {version} du cabinet n° {practice_id} ne s’ouvre pas avec la clé maîtresse ({}) : clé maîtresse d’une autre installation, ou clé du cabinet endommagée",
                master.origin
            ))
        })?;
    let bytes: [u8; 32] = raw.try_into().map_err(|_| StoreError::Crypto)?;
    Ok(Key::from_bytes(
        bytes,
        format!("cabinet {practice_id}, version {version}"),
    ))
}

pub(crate) async fn meta(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    name: &str,
    value: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM store_meta WHERE name = $1")
        .bind(name)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO store_meta (name, value) VALUES ($1, $2)")
        .bind(name)
        .bind(value)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// The practice's keys, read and unwrapped at each call (a query and
    /// two AEAD openings): no copy outlives a rotation or a deletion made
    /// by another process, nor a practice number reused after one.
    pub async fn practice_keys(&self, practice_id: i64) -> Result<Arc<PracticeKeys>> {
        self.practice_keys_in(self.pool(), practice_id).await
    }

    /// [`Store::practice_keys`] read through `db` (a transaction that may
    /// have just created them).
    pub(crate) async fn practice_keys_in<'e, E>(
        &self,
        db: E,
        practice_id: i64,
    ) -> Result<Arc<PracticeKeys>>
    where
        E: sqlx::Executor<'e, Database = sqlx::Any>,
    {
        let rows = sqlx::query(
            "SELECT version, wrapped FROM practice_keys WHERE practice_id = $1 ORDER BY version",
        )
        .bind(practice_id)
        .fetch_all(db)
        .await?;
        let mut keys = BTreeMap::new();
        for r in &rows {
            let v = r.try_get::<i64, _>("version")? as u32;
            let w: Vec<u8> = r.try_get("wrapped")?;
            keys.insert(v, unwrap(self.key(), practice_id, v, &w)?);
        }
        let current = match keys.keys().next_back() {
            Some(&v) if v > JOURNAL_VERSION => v,
            _ => {
                return Err(StoreError::Key(format!(
                    "les clés du cabinet n° {practice_id} sont introuvables : détruites à la suppression du cabinet, ou pas encore restaurées (sceau key restore) ; ses données chiffrées ne se lisent pas"
                )))
            }
        };
        Ok(Arc::new(PracticeKeys { current, keys }))
    }

    async fn insert_key(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        practice_id: i64,
        version: u32,
        key: &Key,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO practice_keys (practice_id, version, wrapped, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(practice_id)
        .bind(version as i64)
        .bind(wrap(self.key(), practice_id, version, key))
        .bind(now())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// A new practice's keys (journal key and first data key), in its
    /// creating transaction; returns its journal key's anchor key, to sign
    /// the journal's origin. Keys left by a deleted practice of the same
    /// number (SQLite may reuse it) are destroyed first.
    pub(crate) async fn create_practice_keys(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        practice_id: i64,
    ) -> Result<[u8; 32]> {
        sqlx::query("DELETE FROM practice_keys WHERE practice_id = $1")
            .bind(practice_id)
            .execute(&mut **tx)
            .await?;
        let journal = Key::generate("journal");
        self.insert_key(tx, practice_id, JOURNAL_VERSION, &journal)
            .await?;
        self.insert_key(tx, practice_id, 1, &Key::generate("data"))
            .await?;
        Ok(journal.anchor_key())
    }

    /// Destroys a practice's keys, in its deleting transaction.
    pub(crate) async fn destroy_practice_keys(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        practice_id: i64,
    ) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM practice_keys WHERE practice_id = $1")
                .bind(practice_id)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        )
    }

    /// Re-encrypts every sealed register value of the practice from `old`
    /// to the data key `version`, in `tx`. A value that does not open is an
    /// error: the transaction is then rolled back, nothing is lost.
    async fn reseal(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        practice_id: i64,
        old: &PracticeKeys,
        version: u32,
        new: &Key,
    ) -> Result<u64> {
        let mut n = 0;
        for (table, ids, cols) in SEALED {
            // Table and column names are this module's constants, never input.
            let sql = format!(
                "SELECT {}, {} FROM {table} WHERE practice_id = $1",
                ids.join(", "),
                cols.join(", ")
            );
            let rows = sqlx::query(&sql)
                .bind(practice_id)
                .fetch_all(&mut **tx)
                .await?;
            let filter: Vec<String> = ids
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ${}", i + 3))
                .collect();
            for r in &rows {
                let keys: Vec<String> = (0..ids.len())
                    .map(|i| r.try_get::<String, _>(i))
                    .collect::<std::result::Result<_, _>>()?;
                for (j, col) in cols.iter().enumerate() {
                    let Some(sealed) = r.try_get::<Option<Vec<u8>>, _>(ids.len() + j)? else {
                        continue;
                    };
                    let aad = format!("{table}.{col}/{practice_id}/{}", keys.join("/"));
                    let plain = old.open(&aad, &sealed)?;
                    let update = format!(
                        "UPDATE {table} SET {col} = $1 WHERE practice_id = $2 AND {}",
                        filter.join(" AND ")
                    );
                    let mut q = sqlx::query(&update)
                        .bind(new.seal_versioned(version, &aad, &plain))
                        .bind(practice_id);
                    for k in &keys {
                        q = q.bind(k.clone());
                    }
                    q.execute(&mut **tx).await?;
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    /// `sceau key rotate --practice ID`: a new data key for the practice;
    /// its register is re-encrypted under it and the previous data key
    /// deleted, in one transaction; the journal (its key, its rows) and
    /// the other practices are untouched. Returns (new version, values
    /// re-encrypted).
    pub async fn rotate_practice_key(&self, practice_id: i64) -> Result<(u32, u64)> {
        self.practice(practice_id).await?;
        let old = self.practice_keys(practice_id).await?;
        let version = old.current + 1;
        let new = Key::generate("data");
        let mut tx = self.pool().begin().await?;
        // The journal head's row lock: no append of this practice runs
        // between the re-encryption and the commit (on any server).
        sqlx::query("UPDATE journal_heads SET seq = seq WHERE practice_id = $1")
            .bind(practice_id)
            .execute(&mut *tx)
            .await?;
        self.insert_key(&mut tx, practice_id, version, &new).await?;
        let n = self
            .reseal(&mut tx, practice_id, &old, version, &new)
            .await?;
        sqlx::query(
            "DELETE FROM practice_keys WHERE practice_id = $1 AND version <> $2 AND version <> $3",
        )
        .bind(practice_id)
        .bind(JOURNAL_VERSION as i64)
        .bind(version as i64)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((version, n))
    }

    /// `sceau key rotate`: every practice key re-wrapped by `new` in one
    /// transaction (nothing re-encrypted), and the database now recognising
    /// `new` only. The caller writes `new` where the old key was, after
    /// this returns (see `sceau key rotate`). Returns the new master version.
    pub async fn rotate_master_key(&self, new: &Key) -> Result<i64> {
        let version = self.master_version().await? + 1;
        let mut tx = self.pool().begin().await?;
        // Writes first: the transaction holds the write lock (SQLite), and
        // no practice key is added meanwhile (PostgreSQL) before it reads them.
        meta(&mut tx, "key_fingerprint", &new.fingerprint()).await?;
        if self.dialect() == crate::Dialect::Postgres {
            sqlx::query("LOCK TABLE practice_keys IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let rows = sqlx::query("SELECT practice_id, version, wrapped FROM practice_keys")
            .fetch_all(&mut *tx)
            .await?;
        for r in &rows {
            let p: i64 = r.try_get("practice_id")?;
            let v = r.try_get::<i64, _>("version")? as u32;
            let w: Vec<u8> = r.try_get("wrapped")?;
            let k = unwrap(self.key(), p, v, &w)?;
            sqlx::query(
                "UPDATE practice_keys SET wrapped = $1 WHERE practice_id = $2 AND version = $3",
            )
            .bind(wrap(new, p, v, &k))
            .bind(p)
            .bind(v as i64)
            .execute(&mut *tx)
            .await?;
        }
        self.reseal_practice_count(&mut tx, new).await?;
        meta(&mut tx, "master_version", &version.to_string()).await?;
        meta(&mut tx, "master_rotated_at", &now().to_string()).await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn meta_value(&self, name: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM store_meta WHERE name = $1")
                .bind(name)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    async fn master_version(&self) -> Result<i64> {
        Ok(self
            .meta_value("master_version")
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(1))
    }

    /// Which keys are in use, for the administration page.
    pub async fn key_status(&self, practice_id: i64) -> Result<KeyStatus> {
        let keys = self.practice_keys(practice_id).await?;
        let practice_rotated_at = if keys.current > 1 {
            sqlx::query_scalar(
                "SELECT created_at FROM practice_keys WHERE practice_id = $1 AND version = $2",
            )
            .bind(practice_id)
            .bind(keys.current as i64)
            .fetch_optional(self.pool())
            .await?
        } else {
            None
        };
        Ok(KeyStatus {
            master_version: self.master_version().await?,
            master_rotated_at: self
                .meta_value("master_rotated_at")
                .await?
                .and_then(|v| v.parse().ok()),
            practice_version: keys.current,
            practice_rotated_at,
        })
    }

    /// The wrapped keys of one practice, or of all (`None`), for the key backup.
    pub async fn wrapped_keys(&self, practice_id: Option<i64>) -> Result<Vec<WrappedKey>> {
        let rows = sqlx::query(
            "SELECT practice_id, version, wrapped, created_at FROM practice_keys
             WHERE $1 < 0 OR practice_id = $1 ORDER BY practice_id, version",
        )
        .bind(practice_id.unwrap_or(-1))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(WrappedKey {
                    practice_id: r.try_get("practice_id")?,
                    version: r.try_get::<i64, _>("version")? as u32,
                    wrapped: B64.encode(r.try_get::<Vec<u8>, _>("wrapped")?),
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Puts wrapped keys back from a key backup (`sceau key restore`): each
    /// must open with this store's master key; a key already here is kept.
    /// Returns how many were added.
    pub async fn import_wrapped_keys(&self, keys: &[WrappedKey]) -> Result<usize> {
        let mut tx = self.pool().begin().await?;
        let mut added = 0;
        for k in keys {
            let w = B64.decode(&k.wrapped).map_err(|_| {
                StoreError::Invalid("sauvegarde de clé : clé de cabinet illisible".into())
            })?;
            unwrap(self.key(), k.practice_id, k.version, &w)?;
            added += sqlx::query(
                "INSERT INTO practice_keys (practice_id, version, wrapped, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (practice_id, version) DO NOTHING",
            )
            .bind(k.practice_id)
            .bind(k.version as i64)
            .bind(w)
            .bind(k.created_at)
            .execute(&mut *tx)
            .await?
            .rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Every practice's wrapped keys as a file to keep beside a backup
    /// archive (`sceau backup` writes it as `FILE.keys`): the archive
    /// leaves them out, so that destroying these files (and the key
    /// backups) made before a practice's deletion makes its rows in the
    /// archives unreadable. Useless without the master key.
    pub async fn keys_file(&self) -> Result<String> {
        let f = KeysFile {
            format: KEYS_FORMAT.into(),
            master_fingerprint: self.key().fingerprint(),
            practice_keys: self.wrapped_keys(None).await?,
        };
        serde_json::to_string_pretty(&f).map_err(|e| StoreError::Internal(e.to_string()))
    }

    /// Puts back the keys of a file written by [`Store::keys_file`] (made
    /// with this master key); returns how many were missing.
    pub async fn import_keys_file(&self, text: &str) -> Result<usize> {
        let f: KeysFile = serde_json::from_str(text)
            .ok()
            .filter(|f: &KeysFile| f.format == KEYS_FORMAT)
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "ce fichier n’est pas un fichier de clés de cabinets de Sceau (format « {KEYS_FORMAT} » attendu)"
                ))
            })?;
        if f.master_fingerprint != self.key().fingerprint() {
            return Err(StoreError::Key(
                "ce fichier de clés de cabinets a été fait avec une autre clé maîtresse".into(),
            ));
        }
        self.import_wrapped_keys(&f.practice_keys).await
    }

    /// The practices of a database written before schema 10, whose rows are
    /// sealed with the master key itself: each gets, in one transaction,
    /// the master key's bytes as its version 0 (what sealed and signed its
    /// journal, whose bytes the chain covers) and a new data key 1, under
    /// which its register is re-encrypted. Runs while migration 0010's
    /// mark `legacy_keys` is there (and after restoring an older backup);
    /// a practice that already has keys is skipped, so a crash midway
    /// resumes where it stopped.
    pub(crate) async fn migrate_legacy_keys(&self) -> Result<()> {
        if self.meta_value("legacy_keys").await?.is_none() {
            return Ok(());
        }
        let todo: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM practices WHERE id NOT IN (SELECT practice_id FROM practice_keys) ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        let legacy = Key::from_bytes(*self.key().raw(), "ancienne clé unique");
        for practice_id in todo {
            let old = PracticeKeys {
                current: JOURNAL_VERSION,
                keys: BTreeMap::from([(JOURNAL_VERSION, legacy.clone())]),
            };
            let new = Key::generate("data");
            let mut tx = self.pool().begin().await?;
            self.insert_key(&mut tx, practice_id, JOURNAL_VERSION, &legacy)
                .await?;
            self.insert_key(&mut tx, practice_id, 1, &new).await?;
            self.reseal(&mut tx, practice_id, &old, 1, &new).await?;
            tx.commit().await?;
        }
        sqlx::query("DELETE FROM store_meta WHERE name = 'legacy_keys'")
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Marks the practices just restored from a backup older than schema 10
    /// for [`Store::migrate_legacy_keys`].
    pub(crate) async fn mark_legacy_keys(&self) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        meta(&mut tx, "legacy_keys", "pending").await?;
        tx.commit().await?;
        Ok(())
    }
}
