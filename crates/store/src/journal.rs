//! The journal of disclosures, persisted per practice, on `sceau-journal`'s
//! hash chain.
//!
//! An append takes the practice's row in `journal_heads` first (a write
//! lock in SQLite, a row lock in PostgreSQL), so appends from several
//! processes are serialised; within a process, concurrent appends are
//! committed together (group commit): the appends waiting while a commit
//! runs go into the next one, a single transaction, and each writer is
//! answered once that transaction and the anchor are on disk. SQLite commits with `synchronous=FULL` in WAL mode: an entry is
//! on disk when `journal_append` returns. Only then is the anchor file
//! `<data-dir>/journal-<practice>.anchor` rewritten (atomically: temporary
//! file, fsync, rename): every acknowledged entry is covered by the anchor,
//! and entries committed but not yet anchored (a crash in between) are
//! still accepted by verification, as the anchor only has to be a prefix.
//! A checkpoint (sequence number, hash, HMAC) is stored every
//! [`CHECKPOINT_EVERY`] entries, for exports and partial proofs.
//!
//! The category of information may hold patient data: it is stored
//! encrypted, and the chain covers the stored bytes, so the chain can be
//! verified without decrypting anything (the anchor's HMAC needs the key).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use sceau_journal::{Anchor, Body, Break, Entry, Hash, Tampering, Verified};

use crate::{now, Result, Store, StoreError};

/// A checkpoint every this many entries.
pub const CHECKPOINT_EVERY: u64 = 100;

/// Appends waiting for the next group commit, and the lock that makes
/// one commit at a time in this process (the head row's lock serialises
/// processes).
#[derive(Default)]
pub(crate) struct AppendQueue {
    pending: std::sync::Mutex<Vec<Pending>>,
    lock: tokio::sync::Mutex<()>,
}

/// One writer's validated entries (body, category of information in clear)
/// and where to send its sequence numbers.
struct Pending {
    practice_id: i64,
    bodies: Vec<(Body, String)>,
    reply: tokio::sync::oneshot::Sender<Result<Vec<u64>>>,
}

/// What a caller records (the chain fields are computed here).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    /// Register reference of the patient (`pat_…`), if any.
    #[serde(default)]
    pub patient: Option<String>,
    pub recipient: String,
    pub purpose: String,
    /// `disclosed` or `declined`.
    #[serde(default = "disclosed")]
    pub action: String,
    pub verdict: String,
    #[serde(default)]
    pub basis: Vec<String>,
    /// The category of information (stored encrypted).
    #[serde(default)]
    pub information: String,
}

fn disclosed() -> String {
    "disclosed".into()
}

/// An entry as read back, with its decrypted category of information.
#[derive(Debug, Clone, Serialize)]
pub struct JournalEntry {
    pub seq: u64,
    pub at: i64,
    pub author: String,
    pub patient: Option<String>,
    pub recipient: String,
    pub purpose: String,
    pub action: String,
    pub verdict: String,
    pub basis: Vec<String>,
    /// `None` when it does not decrypt (the entry was tampered with).
    pub information: Option<String>,
    pub hash: String,
}

/// A stored checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: u64,
    pub hash: String,
    pub at: i64,
    pub mac: String,
}

/// The outcome of verifying one practice's journal.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub practice_id: i64,
    pub practice: String,
    pub result: std::result::Result<Verified, Break>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.result.is_ok()
    }
}

fn check_text(label: &str, v: &str, max: usize) -> Result<String> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(StoreError::Invalid(format!(
            "{label} : de 1 à {max} caractères, sans caractère de contrôle."
        )));
    }
    Ok(v.to_string())
}

fn check_ident(label: &str, v: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty()
        || v.len() > 64
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-:.".contains(c))
    {
        return Err(StoreError::Invalid(format!(
            "{label} : identifiant attendu (lettres, chiffres, _ - : .)."
        )));
    }
    Ok(v.to_string())
}

fn hash_hex(h: &Hash) -> String {
    hex::encode(h)
}

fn parse_hash(s: &str) -> Hash {
    // Only the canonical form (64 lower-case hex digits) is read; anything
    // else reads as zeros, and verification then names the entry.
    hex::decode(s)
        .ok()
        .filter(|v| hex::encode(v) == s)
        .and_then(|v| v.try_into().ok())
        .unwrap_or([0u8; 32])
}

impl Store {
    /// The practice's identifier inside the chain.
    pub fn journal_practice(practice_id: i64) -> String {
        practice_id.to_string()
    }

    pub fn anchor_path(&self, practice_id: i64) -> PathBuf {
        self.data_dir()
            .join(format!("journal-{practice_id}.anchor"))
    }

    fn info_aad(practice_id: i64, seq: u64) -> String {
        format!("journal.information/{practice_id}/{seq}")
    }

    /// The anchor on disk, if any (unparseable: reported as forged by verification).
    pub fn journal_anchor(&self, practice_id: i64) -> Result<Option<Anchor>> {
        match std::fs::read(self.anchor_path(practice_id)) {
            Ok(bytes) => Ok(Some(serde_json::from_slice(&bytes).unwrap_or(Anchor {
                practice: Self::journal_practice(practice_id),
                seq: 0,
                hash: [0u8; 32],
                mac: [0u8; 32],
            }))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Internal(format!(
                "lecture de l’ancre du journal : {e}"
            ))),
        }
    }

    fn write_anchor(&self, practice_id: i64, seq: u64, hash: Hash) -> Result<()> {
        let key = self.key().anchor_key();
        if let Some(cur) = self.journal_anchor(practice_id)? {
            // Never move the anchor backwards (another process may have written further).
            if cur.authentic(&key) && cur.seq >= seq && seq > 0 {
                return Ok(());
            }
        }
        let a = Anchor::new(&key, &Self::journal_practice(practice_id), seq, hash);
        let bytes =
            serde_json::to_vec_pretty(&a).map_err(|e| StoreError::Internal(e.to_string()))?;
        crate::crypto::write_atomic(&self.anchor_path(practice_id), &bytes)
            .map_err(|e| StoreError::Internal(format!("écriture de l’ancre du journal : {e}")))
    }

    /// Appends entries for a practice in one transaction and returns their
    /// sequence numbers once they are durable and anchored.
    pub async fn journal_append(
        &self,
        practice_id: i64,
        author: &str,
        entries: &[NewEntry],
    ) -> Result<Vec<u64>> {
        if entries.is_empty() {
            return Ok(vec![]);
        }
        let practice = Self::journal_practice(practice_id);
        self.practice(practice_id).await?;
        // Validate everything before touching the chain.
        let mut bodies = Vec::with_capacity(entries.len());
        let at = now();
        for e in entries {
            let patient = match e.patient.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(p) => {
                    self.patient(practice_id, p).await?;
                    Some(p.to_string())
                }
            };
            let action = match e.action.trim() {
                "disclosed" | "declined" => e.action.trim().to_string(),
                _ => {
                    return Err(StoreError::Invalid(
                        "action : « disclosed » (communiqué) ou « declined » (refusé).".into(),
                    ))
                }
            };
            let basis = e
                .basis
                .iter()
                .map(|b| check_ident("basis", b))
                .collect::<Result<Vec<_>>>()?;
            if basis.len() > 20 {
                return Err(StoreError::Invalid("basis : au plus 20 textes.".into()));
            }
            let information = if e.information.trim().is_empty() {
                "non précisée".to_string()
            } else {
                check_text("information", &e.information, 500)?
            };
            bodies.push((
                Body {
                    at,
                    practice: practice.clone(),
                    author: check_text("author", author, 120)?,
                    patient,
                    recipient: check_ident("recipient", &e.recipient)?,
                    purpose: check_ident("purpose", &e.purpose)?,
                    action,
                    verdict: check_ident("verdict", &e.verdict)?,
                    basis,
                    information: vec![],
                },
                information,
            ));
        }
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.append_queue
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Pending {
                practice_id,
                bodies,
                reply,
            });
        // The commit runs in a task of its own: a caller that goes away
        // (an HTTP client that disconnects) cannot leave the entries of the
        // other writers in its batch unanswered.
        let store = self.clone();
        tokio::spawn(async move { store.commit_pending().await });
        answer.await.map_err(|_| {
            StoreError::Internal(
                "l’écriture du journal a été interrompue : lancez `sceau journal verify`".into(),
            )
        })?
    }

    /// Group commit: whoever takes the lock commits every append waiting at
    /// that moment in one transaction (one fsync of the WAL, one anchor
    /// write per practice), then answers each writer. A writer is answered
    /// only after the commit and the anchor: acknowledged means durable.
    async fn commit_pending(&self) {
        let _guard = self.append_queue.lock.lock().await;
        let batch = std::mem::take(
            &mut *self
                .append_queue
                .pending
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        );
        if batch.is_empty() {
            return; // an earlier commit took this writer's entries
        }
        let requests: Vec<(i64, &[(Body, String)])> = batch
            .iter()
            .map(|p| (p.practice_id, p.bodies.as_slice()))
            .collect();
        match self.commit_batch(&requests).await {
            Ok(seqs) => {
                for (p, s) in batch.into_iter().zip(seqs) {
                    let _ = p.reply.send(Ok(s));
                }
            }
            Err(e) if batch.len() == 1 => {
                let _ = batch.into_iter().next().map(|p| p.reply.send(Err(e)));
            }
            // One writer's failure must not become the others': each again alone.
            Err(_) => {
                for p in batch {
                    let r = self
                        .commit_batch(&[(p.practice_id, p.bodies.as_slice())])
                        .await
                        .map(|mut s| s.pop().unwrap_or_default());
                    let _ = p.reply.send(r);
                }
            }
        }
    }

    /// Chains and stores the requests' entries in one transaction and
    /// returns each request's sequence numbers once durable and anchored.
    async fn commit_batch(&self, requests: &[(i64, &[(Body, String)])]) -> Result<Vec<Vec<u64>>> {
        // Heads are locked in practice order: two processes batching the
        // same practices cannot deadlock.
        let mut practices: Vec<i64> = requests.iter().map(|r| r.0).collect();
        practices.sort_unstable();
        practices.dedup();
        for &practice_id in &practices {
            // A journal starts with an anchor at 0, so that a missing anchor file is always a sign.
            if self.journal_anchor(practice_id)?.is_none() {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM journal_entries WHERE practice_id = $1",
                )
                .bind(practice_id)
                .fetch_one(self.pool())
                .await?;
                if n == 0 {
                    let practice = Self::journal_practice(practice_id);
                    self.write_anchor(practice_id, 0, sceau_journal::genesis(&practice))?;
                }
            }
        }
        let mut tx = self.pool().begin().await?;
        let mut heads: std::collections::BTreeMap<i64, Option<Entry>> = Default::default();
        for &practice_id in &practices {
            let prev = Self::lock_head(&mut tx, practice_id, requests).await?;
            heads.insert(practice_id, prev);
        }
        let anchor_key = self.key().anchor_key();
        let mut out = Vec::with_capacity(requests.len());
        for &(practice_id, bodies) in requests {
            let practice = Self::journal_practice(practice_id);
            let prev = heads.get_mut(&practice_id).expect("head locked above");
            let mut seqs = Vec::with_capacity(bodies.len());
            for (body, info) in bodies {
                let mut body = body.clone();
                let seq = prev.as_ref().map_or(1, |p| p.seq + 1);
                body.information = self.key().seal_str(&Self::info_aad(practice_id, seq), info);
                let e = sceau_journal::chain(prev.as_ref(), body);
                Self::insert_entry(&mut tx, practice_id, &e).await?;
                if e.seq.is_multiple_of(CHECKPOINT_EVERY) {
                    let a = Anchor::new(&anchor_key, &practice, e.seq, e.hash);
                    sqlx::query(
                        "INSERT INTO journal_checkpoints (practice_id, seq, hash, at, mac) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(practice_id)
                    .bind(e.seq as i64)
                    .bind(hash_hex(&e.hash))
                    .bind(e.body.at)
                    .bind(hash_hex(&a.mac))
                    .execute(&mut *tx)
                    .await?;
                }
                seqs.push(e.seq);
                *prev = Some(e);
            }
            out.push(seqs);
        }
        for (&practice_id, last) in &heads {
            let last = last.as_ref().expect("every practice has entries");
            sqlx::query("UPDATE journal_heads SET seq = $1, hash = $2 WHERE practice_id = $3")
                .bind(last.seq as i64)
                .bind(hash_hex(&last.hash))
                .bind(practice_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        for (&practice_id, last) in &heads {
            let last = last.as_ref().expect("every practice has entries");
            self.write_anchor(practice_id, last.seq, last.hash)?;
        }
        Ok(out)
    }

    /// Takes the practice's head row (the lock that serialises appends
    /// across processes) and returns the last entry's chain fields.
    async fn lock_head(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        practice_id: i64,
        requests: &[(i64, &[(Body, String)])],
    ) -> Result<Option<Entry>> {
        let practice = Self::journal_practice(practice_id);
        let mut head: Option<(i64, String)> = None;
        for _ in 0..2 {
            let locked = sqlx::query(
                "UPDATE journal_heads SET seq = seq WHERE practice_id = $1 RETURNING seq, hash",
            )
            .bind(practice_id)
            .fetch_optional(&mut **tx)
            .await?;
            if let Some(r) = locked {
                head = Some((r.try_get("seq")?, r.try_get("hash")?));
                break;
            }
            sqlx::query(
                "INSERT INTO journal_heads (practice_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (practice_id) DO NOTHING",
            )
            .bind(practice_id)
            .bind(hash_hex(&sceau_journal::genesis(&practice)))
            .execute(&mut **tx)
            .await?;
        }
        let (head_seq, head_hash) =
            head.ok_or_else(|| StoreError::Internal("tête du journal introuvable".into()))?;
        // The head row must agree with the last stored entry.
        let last = sqlx::query(
            "SELECT seq, hash FROM journal_entries WHERE practice_id = $1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(practice_id)
        .fetch_optional(&mut **tx)
        .await?;
        let last: Option<(i64, String)> = match last {
            Some(r) => Some((r.try_get("seq")?, r.try_get("hash")?)),
            None => None,
        };
        let stored_head = last.clone().unwrap_or((0, head_hash.clone()));
        if stored_head.0 != head_seq || (head_seq > 0 && stored_head.1 != head_hash) {
            return Err(StoreError::Internal(
                "la tête du journal ne correspond plus à sa dernière entrée : lancez `sceau journal verify`".into(),
            ));
        }
        if head_seq == 0 {
            return Ok(None);
        }
        // Only seq and hash of the previous entry enter the chain.
        let body = requests
            .iter()
            .find(|r| r.0 == practice_id)
            .and_then(|r| r.1.first())
            .map(|b| b.0.clone())
            .ok_or_else(|| StoreError::Internal("lot du journal vide".into()))?;
        Ok(Some(Entry {
            seq: head_seq as u64,
            body,
            prev: [0u8; 32],
            hash: parse_hash(&head_hash),
        }))
    }

    async fn insert_entry(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        practice_id: i64,
        e: &Entry,
    ) -> Result<()> {
        let basis = serde_json::to_string(&e.body.basis)
            .map_err(|x| StoreError::Internal(x.to_string()))?;
        sqlx::query(
            "INSERT INTO journal_entries (practice_id, seq, at, practice, author, patient, recipient, purpose, action, verdict, basis, information, prev, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(practice_id)
        .bind(e.seq as i64)
        .bind(e.body.at)
        .bind(&e.body.practice)
        .bind(&e.body.author)
        .bind(&e.body.patient)
        .bind(&e.body.recipient)
        .bind(&e.body.purpose)
        .bind(&e.body.action)
        .bind(&e.body.verdict)
        .bind(basis)
        .bind(&e.body.information)
        .bind(hash_hex(&e.prev))
        .bind(hash_hex(&e.hash))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The practice's entries as stored, by sequence number.
    pub async fn journal_raw(&self, practice_id: i64) -> Result<Vec<Entry>> {
        let rows = sqlx::query("SELECT * FROM journal_entries WHERE practice_id = $1 ORDER BY seq")
            .bind(practice_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// The practice's entries, decrypted; `patient` restricts to one patient.
    pub async fn journal_entries(
        &self,
        practice_id: i64,
        patient: Option<&str>,
    ) -> Result<Vec<JournalEntry>> {
        let rows = match patient {
            None => {
                sqlx::query("SELECT * FROM journal_entries WHERE practice_id = $1 ORDER BY seq")
                    .bind(practice_id)
                    .fetch_all(self.pool())
                    .await?
            }
            Some(p) => {
                self.patient(practice_id, p).await?;
                sqlx::query(
                    "SELECT * FROM journal_entries WHERE practice_id = $1 AND patient = $2 ORDER BY seq",
                )
                .bind(practice_id)
                .bind(p)
                .fetch_all(self.pool())
                .await?
            }
        };
        rows.iter()
            .map(|r| {
                let e = entry_from_row(r)?;
                Ok(JournalEntry {
                    information: self
                        .key()
                        .open_str(&Self::info_aad(practice_id, e.seq), &e.body.information)
                        .ok(),
                    seq: e.seq,
                    at: e.body.at,
                    author: e.body.author,
                    patient: e.body.patient,
                    recipient: e.body.recipient,
                    purpose: e.body.purpose,
                    action: e.body.action,
                    verdict: e.body.verdict,
                    basis: e.body.basis,
                    hash: hash_hex(&e.hash),
                })
            })
            .collect()
    }

    pub async fn journal_checkpoints(&self, practice_id: i64) -> Result<Vec<Checkpoint>> {
        let rows = sqlx::query(
            "SELECT seq, hash, at, mac FROM journal_checkpoints WHERE practice_id = $1 ORDER BY seq",
        )
        .bind(practice_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Checkpoint {
                    seq: r.try_get::<i64, _>("seq")? as u64,
                    hash: r.try_get("hash")?,
                    at: r.try_get("at")?,
                    mac: r.try_get("mac")?,
                })
            })
            .collect()
    }

    /// Verifies one practice's chain against its anchor and checkpoints.
    pub async fn journal_verify(&self, practice_id: i64) -> Result<Verification> {
        let practice = Self::journal_practice(practice_id);
        let name = self
            .practice(practice_id)
            .await
            .map(|p| p.name)
            .unwrap_or_default();
        let entries = self.journal_raw(practice_id).await?;
        let anchor = self.journal_anchor(practice_id)?;
        let key = self.key().anchor_key();
        let mut result = sceau_journal::verify(&practice, &entries, anchor.as_ref(), &key);
        if result.is_ok() && anchor.is_none() && !entries.is_empty() {
            result = Err(Break {
                seq: entries.len() as u64,
                kind: Tampering::AnchorForged,
                message: format!(
                    "l’ancre du journal ({}) a disparu : une coupure de la fin du journal ne pourrait plus se voir",
                    self.anchor_path(practice_id).display()
                ),
            });
        }
        if result.is_ok() {
            // Checkpoints: authentic, and matching the entry they name.
            for c in self.journal_checkpoints(practice_id).await? {
                let a = Anchor {
                    practice: practice.clone(),
                    seq: c.seq,
                    hash: parse_hash(&c.hash),
                    mac: parse_hash(&c.mac),
                };
                let at = entries.get((c.seq as usize).wrapping_sub(1));
                if !a.authentic(&key) || at.map(|e| e.hash) != Some(a.hash) {
                    result = Err(Break {
                        seq: c.seq,
                        kind: Tampering::Altered,
                        message: format!(
                            "le point de contrôle n° {} ne correspond plus à l’entrée n° {} : entrée ou point de contrôle modifié",
                            c.seq, c.seq
                        ),
                    });
                    break;
                }
            }
        }
        Ok(Verification {
            practice_id,
            practice: name,
            result,
        })
    }

    /// Ids of every practice, and of practices that only have journal rows or anchors.
    pub async fn practice_ids(&self) -> Result<Vec<i64>> {
        let mut ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM practices UNION SELECT DISTINCT practice_id FROM journal_entries ORDER BY 1",
        )
        .fetch_all(self.pool())
        .await?;
        if let Ok(dir) = std::fs::read_dir(self.data_dir()) {
            for f in dir.flatten() {
                let name = f.file_name().to_string_lossy().to_string();
                if let Some(id) = name
                    .strip_prefix("journal-")
                    .and_then(|r| r.strip_suffix(".anchor"))
                    .and_then(|r| r.parse::<i64>().ok())
                {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// Verifies every practice's journal.
    pub async fn journal_verify_all(&self) -> Result<Vec<Verification>> {
        let mut out = vec![];
        for id in self.practice_ids().await? {
            out.push(self.journal_verify(id).await?);
        }
        Ok(out)
    }
}

impl Store {
    /// The journal with its proofs, as JSON lines: a header, every entry as
    /// stored (the category of information both sealed, as hashed, and
    /// decrypted), the checkpoints, the anchor and the verification result.
    /// With `patient`, only that patient's entries (right of access): each
    /// one still carries its link and hash, checkable against the anchor.
    pub async fn journal_export(&self, practice_id: i64, patient: Option<&str>) -> Result<String> {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        if let Some(p) = patient {
            self.patient(practice_id, p).await?;
        }
        let practice = self.practice(practice_id).await?;
        let mut out = String::new();
        let mut line = |v: serde_json::Value| {
            out.push_str(&v.to_string());
            out.push('\n');
        };
        line(serde_json::json!({
            "type": "header",
            "format": "sceau-journal-export-v1",
            "practice": Self::journal_practice(practice_id),
            "practice_name": practice.name,
            "patient": patient,
            "exported_at": now(),
            "hash": "SHA-256 over sceau-journal's canonical encoding; prev of entry 1 = genesis(practice)",
            "genesis": hash_hex(&sceau_journal::genesis(&Self::journal_practice(practice_id))),
        }));
        for e in self.journal_raw(practice_id).await? {
            if patient.is_some() && e.body.patient.as_deref() != patient {
                continue;
            }
            let info = self
                .key()
                .open_str(&Self::info_aad(practice_id, e.seq), &e.body.information)
                .ok();
            line(serde_json::json!({
                "type": "entry",
                "seq": e.seq,
                "at": e.body.at,
                "at_iso": chrono::DateTime::from_timestamp(e.body.at, 0).map(|d| d.to_rfc3339()),
                "practice": e.body.practice,
                "author": e.body.author,
                "patient": e.body.patient,
                "recipient": e.body.recipient,
                "purpose": e.body.purpose,
                "action": e.body.action,
                "verdict": e.body.verdict,
                "basis": e.body.basis,
                "information": info,
                "information_sealed": b64.encode(&e.body.information),
                "prev": hash_hex(&e.prev),
                "hash": hash_hex(&e.hash),
            }));
        }
        if patient.is_none() {
            for c in self.journal_checkpoints(practice_id).await? {
                line(serde_json::json!({
                    "type": "checkpoint", "seq": c.seq, "hash": c.hash, "at": c.at, "mac": c.mac,
                }));
            }
        }
        if let Some(a) = self.journal_anchor(practice_id)? {
            let mut v =
                serde_json::to_value(&a).map_err(|e| StoreError::Internal(e.to_string()))?;
            v["type"] = "anchor".into();
            line(v);
        }
        let v = self.journal_verify(practice_id).await?;
        line(match &v.result {
            Ok(ok) => serde_json::json!({
                "type": "verification", "intact": true, "entries": ok.entries, "head": hash_hex(&ok.head),
            }),
            Err(b) => serde_json::json!({
                "type": "verification", "intact": false, "first_bad_entry": b.seq, "kind": b.kind, "message": b.message,
            }),
        });
        Ok(out)
    }
}

fn entry_from_row(r: &sqlx::any::AnyRow) -> Result<Entry> {
    let basis: String = r.try_get("basis")?;
    let seq: i64 = r.try_get("seq")?;
    Ok(Entry {
        seq: seq.max(0) as u64,
        body: Body {
            at: r.try_get("at")?,
            practice: r.try_get("practice")?,
            author: r.try_get("author")?,
            patient: r.try_get("patient")?,
            recipient: r.try_get("recipient")?,
            purpose: r.try_get("purpose")?,
            action: r.try_get("action")?,
            verdict: r.try_get("verdict")?,
            // A damaged list still hashes differently: keep its raw text as one item.
            basis: serde_json::from_str(&basis).unwrap_or_else(|_| vec![basis.clone()]),
            information: r.try_get("information")?,
        },
        prev: parse_hash(&r.try_get::<String, _>("prev")?),
        hash: parse_hash(&r.try_get::<String, _>("hash")?),
    })
}
