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
//! Entries written from schema 19 on (version 2) also chain a salted
//! digest of the clear text, its salt sealed with it
//! ([`crate::journal_information`]): an export, which shows the clear text,
//! cannot have it edited unseen.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use sceau_journal::{Anchor, Body, Break, Entry, Hash, Receipt, Tampering, Verified};

use crate::error::is_decode_error;
use crate::journal_information;
use crate::journal_rows::{
    entry_from_row, hash_hex, head_from_row, insert_checkpoint, parse_hash, update_head,
    JournalSnapshot,
};
use crate::names::check_text;
use crate::resumption::Resumption;
use crate::{now, Dialect, Result, Store, StoreError};

pub use crate::journal_rows::{Checkpoint, CHECKPOINT_EVERY};

/// The schema version (migration 0006) from which entries and heads carry a MAC.
pub(crate) const KEYED_SCHEMA: i64 = 6;

/// The schema version (migration 0019) from which entries are written as
/// version 2, with the digest of their information in clear.
pub(crate) const INFORMATION_DIGEST_SCHEMA: i64 = 19;

/// The longest category of information of an entry, in characters as
/// submitted.
pub const INFORMATION_MAX: usize = 500;

/// How long (seconds) a full verification stands before an append runs
/// another one. Every append also checks, under the head's lock, the
/// signed head and the last entry's MAC: a forged tail, a recomputed chain
/// or a wiped journal are refused at once; this bounds how long an append
/// can follow an edit deeper in the chain (which stays detected: an append
/// signs only its own entry, never the ones before).
pub const REVERIFY_SECONDS: u64 = 60;

/// The purpose of the journal's record of `sceau accounts attest`.
pub const ATTEST_ACCOUNTS_PURPOSE: &str = "attestation_des_comptes";

/// The purpose of the journal's record of a practice's first administrator,
/// created with its installation code.
pub const INSTALL_ADMIN_PURPOSE: &str = "installation_du_cabinet";

/// The purpose of the journal's record of `sceau register attest`.
pub const ATTEST_REGISTER_PURPOSE: &str = "attestation_du_registre";

/// The verdict of a record of rows attested by an administrator.
pub const ATTESTED_VERDICT: &str = "attested";

/// Appends waiting for the next group commit, and the lock that makes
/// one commit at a time in this process (the head row's lock serialises
/// processes).
#[derive(Default)]
pub(crate) struct AppendQueue {
    pending: std::sync::Mutex<Vec<Pending>>,
    pub(crate) lock: tokio::sync::Mutex<()>,
    /// Per practice: the head the last full verification found, and when.
    verified: std::sync::Mutex<std::collections::HashMap<i64, (u64, Hash, std::time::Instant)>>,
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

/// The outcome of verifying one practice's journal.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub practice_id: i64,
    pub practice: String,
    pub result: std::result::Result<Verified, Break>,
    /// Decisions, after tampering, to continue on a new segment (signed
    /// entries of the journal); the last one starts the segment verified.
    pub resumptions: Vec<Resumption>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.result.is_ok()
    }
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

/// Journal entries this process appended and had acknowledged (for the
/// `sceau_journal_appends_total` metric: a count, no content).
static APPENDED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The part of a snapshot one verification covers: the entries from number
/// `first` (linked to `start`: the genesis, or the digest a decision to
/// resume recorded), with the checkpoints, the signed head read with them
/// and this data folder's anchor file.
struct Segment<'a> {
    first: u64,
    start: Hash,
    rows: &'a [(Entry, Option<String>)],
    checkpoints: &'a [Checkpoint],
    head: Option<Anchor>,
    anchor: Option<Anchor>,
}

/// How many journal entries this process appended since it started.
pub fn appended_total() -> u64 {
    APPENDED.load(std::sync::atomic::Ordering::Relaxed)
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

    pub(crate) fn info_aad(practice_id: i64, seq: u64) -> String {
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

    fn write_anchor(&self, key: &[u8; 32], practice_id: i64, seq: u64, hash: Hash) -> Result<()> {
        if let Some(cur) = self.journal_anchor(practice_id)? {
            // Never move the anchor backwards (another process may have written further).
            if cur.authentic(key) && cur.seq >= seq && seq > 0 {
                return Ok(());
            }
        }
        let a = Anchor::new(key, &Self::journal_practice(practice_id), seq, hash);
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
            // The length as submitted, blanks included: the API's schema
            // states it (maxLength), and a client checks it before any trim.
            if e.information.chars().count() > INFORMATION_MAX {
                return Err(StoreError::Invalid(format!(
                    "information\u{a0}: au plus {INFORMATION_MAX} caractères, espaces compris."
                )));
            }
            let information = if e.information.trim().is_empty() {
                "non précisée".to_string()
            } else {
                check_text("information", &e.information, INFORMATION_MAX)?
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
                    information_digest: None,
                },
                information,
            ));
        }
        self.enqueue(practice_id, bodies).await
    }

    /// Records an act of Sceau's own administration in the practice's
    /// journal (recipient « sceau », action « acknowledged »; the text is
    /// sealed like any entry's information): how many rows an
    /// administrator attested, for instance.
    pub(crate) async fn journal_record(
        &self,
        practice_id: i64,
        author: &str,
        purpose: &str,
        text: &str,
    ) -> Result<u64> {
        let body = Body {
            at: now(),
            practice: Self::journal_practice(practice_id),
            author: author.to_string(),
            patient: None,
            recipient: sceau_journal::DECISION_RECIPIENT.into(),
            purpose: purpose.into(),
            action: sceau_journal::DECISION_ACTION.into(),
            verdict: ATTESTED_VERDICT.into(),
            basis: vec![],
            information: vec![],
            information_digest: None,
        };
        let seqs = self
            .enqueue(practice_id, vec![(body, text.to_string())])
            .await?;
        Ok(seqs.first().copied().unwrap_or_default())
    }

    /// Queues entries for the next group commit and waits for their numbers.
    async fn enqueue(&self, practice_id: i64, bodies: Vec<(Body, String)>) -> Result<Vec<u64>> {
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
        let seqs = answer.await.map_err(|_| {
            StoreError::Internal(
                "l’écriture du journal a été interrompue : lancez `sceau journal verify`".into(),
            )
        })??;
        APPENDED.fetch_add(seqs.len() as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(seqs)
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
        let mut again = true;
        match self.commit_batch(&requests, &mut again).await {
            Ok(seqs) => {
                for (p, s) in batch.into_iter().zip(seqs) {
                    let _ = p.reply.send(Ok(s));
                }
            }
            // One writer's failure must not become the others': each again
            // alone, but only when the batch is known not to be stored (a
            // batch committed without an answer, written again, would put
            // every entry in the journal twice).
            Err(_) if again && batch.len() > 1 => {
                for p in batch {
                    let r = self
                        .commit_batch(&[(p.practice_id, p.bodies.as_slice())], &mut again)
                        .await
                        .map(|mut s| s.pop().unwrap_or_default());
                    let _ = p.reply.send(r);
                }
            }
            Err(e) => {
                let mut batch = batch.into_iter();
                if let Some(first) = batch.next() {
                    for p in batch {
                        let _ = p.reply.send(Err(e.for_another_writer()));
                    }
                    let _ = first.reply.send(Err(e));
                }
            }
        }
    }

    /// Chains and stores the requests' entries in one transaction and
    /// returns each request's sequence numbers once durable and anchored.
    /// `again` says, on an error, whether the entries are known not to be
    /// stored (the COMMIT was not sent, or the database shows it failed).
    async fn commit_batch(
        &self,
        requests: &[(i64, &[(Body, String)])],
        again: &mut bool,
    ) -> Result<Vec<Vec<u64>>> {
        *again = true;
        // Heads are locked in practice order: two processes batching the
        // same practices cannot deadlock.
        let mut practices: Vec<i64> = requests.iter().map(|r| r.0).collect();
        practices.sort_unstable();
        practices.dedup();
        let mut keys = std::collections::BTreeMap::new();
        for &practice_id in &practices {
            // Nothing goes on top of a journal that does not verify.
            self.ensure_verified(practice_id).await?;
            keys.insert(practice_id, self.practice_keys(practice_id).await?);
        }
        let mut tx = self.pool().begin().await?;
        let mut heads: std::collections::BTreeMap<i64, Option<Entry>> = Default::default();
        for &practice_id in &practices {
            let prev = self.lock_head(&mut tx, practice_id, requests).await?;
            heads.insert(practice_id, prev);
        }
        let mut out = Vec::with_capacity(requests.len());
        for &(practice_id, bodies) in requests {
            let k = &keys[&practice_id];
            let (anchor_key, entry_key) = (k.anchor_key()?, k.entry_key()?);
            let practice = Self::journal_practice(practice_id);
            let prev = heads.get_mut(&practice_id).expect("head locked above");
            let mut seqs = Vec::with_capacity(bodies.len());
            for (body, info) in bodies {
                let mut body = body.clone();
                let seq = prev.as_ref().map_or(1, |p| p.seq + 1);
                let (sealed, digest) = journal_information::seal(k, practice_id, seq, info)?;
                body.information = sealed;
                body.information_digest = Some(digest);
                let e = sceau_journal::chain(prev.as_ref(), body);
                let mac = sceau_journal::entry_mac(&entry_key, &practice, e.seq, &e.hash);
                Self::insert_entry(&mut tx, practice_id, &e, &mac).await?;
                if e.seq.is_multiple_of(CHECKPOINT_EVERY) {
                    let a = Anchor::new(&anchor_key, &practice, e.seq, e.hash);
                    insert_checkpoint(&mut tx, practice_id, &a, e.body.at).await?;
                }
                seqs.push(e.seq);
                *prev = Some(e);
            }
            out.push(seqs);
        }
        for (&practice_id, last) in &heads {
            let last = last.as_ref().expect("every practice has entries");
            let head = Anchor::new(
                &keys[&practice_id].anchor_key()?,
                &Self::journal_practice(practice_id),
                last.seq,
                last.hash,
            );
            update_head(&mut tx, practice_id, &head).await?;
        }
        *again = false;
        if let Err(e) = tx.commit().await {
            // The connection broke during the COMMIT (a PostgreSQL primary
            // killed between committing and answering, whose synchronous
            // standby has the entries and is promoted): the database says
            // whether it is stored, once it answers again.
            let last: Vec<(i64, u64, Hash)> = heads
                .iter()
                .filter_map(|(&p, l)| l.as_ref().map(|l| (p, l.seq, l.hash)))
                .collect();
            match self.stored(&last).await {
                Some(true) => {}
                Some(false) => {
                    *again = true;
                    return Err(e.into());
                }
                // Never « rien n’a été enregistré » when that is not known.
                None => return Err(StoreError::Unconfirmed),
            }
        }
        for (&practice_id, last) in &heads {
            let last = last.as_ref().expect("every practice has entries");
            self.remember_verified(practice_id, last.seq, last.hash);
            let anchor_key = keys[&practice_id].anchor_key()?;
            self.write_anchor(&anchor_key, practice_id, last.seq, last.hash)?;
        }
        Ok(out)
    }

    /// Whether the entries ending at these (practice, seq, hash) are in the
    /// database, asked until it answers (15 s at most: a failover's
    /// promotion); `None` when it did not answer.
    pub(crate) async fn stored(&self, last: &[(i64, u64, Hash)]) -> Option<bool> {
        let ask = async {
            loop {
                match self.entries_there(last).await {
                    Ok(there) => return there,
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
                }
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(15), ask)
            .await
            .ok()
    }

    /// Whether each practice's entry at that seq has that hash (one
    /// transaction: its last entries there means all of it is).
    async fn entries_there(&self, last: &[(i64, u64, Hash)]) -> Result<bool> {
        // On a primary: a standby may not have replayed what was committed.
        let mut conn = self.primary_connection().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        if self.dialect() == Dialect::Postgres {
            // The lost COMMIT may still be in flight: committed in the WAL
            // and streamed to the synchronous standby, but invisible to
            // other sessions until the standby's acknowledgement. A primary
            // being killed answers « absent » then, and its standby, once
            // promoted, holds the entries. That commit holds its heads' row
            // locks until it ends (or its server dies with it), so taking
            // them first waits for the outcome; `last` is in practice
            // order, as appends lock them, so no deadlock.
            for &(practice_id, _, _) in last {
                sqlx::query("SELECT seq FROM journal_heads WHERE practice_id = $1 FOR UPDATE")
                    .bind(practice_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            }
        }
        for &(practice_id, seq, hash) in last {
            let h: Option<String> = sqlx::query_scalar(
                "SELECT hash FROM journal_entries WHERE practice_id = $1 AND seq = $2",
            )
            .bind(practice_id)
            .bind(seq as i64)
            .fetch_optional(&mut *tx)
            .await?;
            if h.as_deref() != Some(hash_hex(&hash).as_str()) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Takes the practice's head row (the lock that serialises appends
    /// across processes) and returns the last entry's chain fields, after
    /// checking under that lock that the head is signed and that the last
    /// stored entry is the signed head's, signed too: an entry forged after
    /// the head, a recomputed chain or a removed head refuses the append.
    async fn lock_head(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        practice_id: i64,
        requests: &[(i64, &[(Body, String)])],
    ) -> Result<Option<Entry>> {
        let practice = Self::journal_practice(practice_id);
        let locked = sqlx::query(
            "UPDATE journal_heads SET seq = seq WHERE practice_id = $1 RETURNING seq, hash, mac",
        )
        .bind(practice_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(r) = locked else {
            return Err(refusal(&Break {
                seq: 0,
                kind: Tampering::Missing,
                message: "la tête signée du journal a disparu".into(),
            }));
        };
        let head = head_from_row(practice_id, &r)?;
        let keys = self.practice_keys(practice_id).await?;
        if !head.authentic(&keys.anchor_key()?) {
            return Err(refusal(&Break {
                seq: head.seq,
                kind: Tampering::AnchorForged,
                message: "la tête du journal n’est pas signée par la clé du cabinet".into(),
            }));
        }
        // The whole last row is read back: its hash recomputed, its MAC and
        // its sealed field checked (a row that no longer decodes, a
        // re-typed column, refuses the append too).
        let last = sqlx::query(
            "SELECT * FROM journal_entries WHERE practice_id = $1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(practice_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(|e| {
            if is_decode_error(&e) {
                refusal(&retyped())
            } else {
                e.into()
            }
        })?;
        let last: Option<(Entry, String)> = match last {
            Some(r) => {
                let read = entry_from_row(&r).and_then(|e| {
                    Ok((
                        e,
                        r.try_get::<Option<String>, _>("mac")?.unwrap_or_default(),
                    ))
                });
                match read {
                    Ok(x) => Some(x),
                    Err(StoreError::Db(e)) if is_decode_error(&e) => {
                        return Err(refusal(&retyped()));
                    }
                    Err(e) => return Err(e),
                }
            }
            None => None,
        };
        let agrees = match &last {
            None => head.seq == 0,
            Some((e, mac)) => {
                e.seq == head.seq
                    && e.hash == head.hash
                    && sceau_journal::entry_hash(&e.prev, e.seq, &e.body) == e.hash
                    && sceau_journal::entry_mac_ok(
                        &keys.entry_key()?,
                        &practice,
                        e.seq,
                        &e.hash,
                        &hex::decode(mac).unwrap_or_default(),
                    )
                    && journal_information::open(&keys, practice_id, e).is_ok()
            }
        };
        if !agrees {
            let seq = last.as_ref().map_or(0, |l| l.0.seq);
            return Err(refusal(&Break {
                seq,
                kind: if seq > head.seq {
                    Tampering::Inserted
                } else {
                    Tampering::Altered
                },
                message: format!(
                    "la dernière entrée du journal (n° {seq}) n’est pas la tête signée (n° {})",
                    head.seq
                ),
            }));
        }
        if head.seq == 0 {
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
            seq: head.seq,
            body,
            prev: [0u8; 32],
            hash: head.hash,
        }))
    }

    /// Runs a full verification unless one found the current head less
    /// than [`REVERIFY_SECONDS`] ago; a journal that does not verify
    /// refuses the append with what was found.
    async fn ensure_verified(&self, practice_id: i64) -> Result<()> {
        let cached = self
            .append_queue
            .verified
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&practice_id)
            .copied();
        if let Some((seq, hash, when)) = cached {
            if when.elapsed().as_secs() < REVERIFY_SECONDS {
                let head = self.journal_head(practice_id).await?;
                if head.is_some_and(|h| h.seq == seq && h.hash == hash) {
                    return Ok(());
                }
            }
        }
        let v = self.journal_verify(practice_id).await?;
        match v.result {
            Ok(ok) => {
                self.remember_verified(practice_id, ok.head_seq, ok.head);
                Ok(())
            }
            Err(b) => Err(refusal(&b)),
        }
    }

    pub(crate) fn remember_verified(&self, practice_id: i64, seq: u64, hash: Hash) {
        self.append_queue
            .verified
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(practice_id, (seq, hash, std::time::Instant::now()));
    }

    /// Inserts the signed head at the origin of a new practice's journal (in
    /// the practice's creating transaction): from then on, a missing head is
    /// a sign of tampering, even with no entry.
    pub(crate) async fn start_journal(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        practice_id: i64,
    ) -> Result<()> {
        let practice = Self::journal_practice(practice_id);
        let g = sceau_journal::genesis(&practice);
        let anchor_key = self.create_practice_keys(tx, practice_id).await?;
        let head = Anchor::new(&anchor_key, &practice, 0, g);
        sqlx::query(
            "INSERT INTO journal_heads (practice_id, seq, hash, mac) VALUES ($1, 0, $2, $3) ON CONFLICT (practice_id) DO NOTHING",
        )
        .bind(practice_id)
        .bind(hash_hex(&g))
        .bind(hash_hex(&head.mac))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The signed head as stored in the database (shared by every process on
    /// it); `None` when its row is gone. A missing MAC reads as zeros.
    pub async fn journal_head(&self, practice_id: i64) -> Result<Option<Anchor>> {
        sqlx::query("SELECT seq, hash, mac FROM journal_heads WHERE practice_id = $1")
            .bind(practice_id)
            .fetch_optional(self.pool())
            .await?
            .map(|r| head_from_row(practice_id, &r))
            .transpose()
    }

    pub(crate) async fn insert_entry(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        practice_id: i64,
        e: &Entry,
        mac: &Hash,
    ) -> Result<()> {
        let basis = serde_json::to_string(&e.body.basis)
            .map_err(|x| StoreError::Internal(x.to_string()))?;
        sqlx::query(
            "INSERT INTO journal_entries (practice_id, seq, at, practice, author, patient, recipient, purpose, action, verdict, basis, information, prev, hash, mac, information_digest)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
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
        .bind(hash_hex(mac))
        .bind(e.body.information_digest.as_ref().map(hash_hex))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The practice's entries as stored, by sequence number.
    pub async fn journal_raw(&self, practice_id: i64) -> Result<Vec<Entry>> {
        Ok(self
            .journal_rows(practice_id)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect())
    }

    /// The entries as stored with their MACs (hex; `None` before schema 6).
    pub(crate) async fn journal_rows(
        &self,
        practice_id: i64,
    ) -> Result<Vec<(Entry, Option<String>)>> {
        let rows = sqlx::query("SELECT * FROM journal_entries WHERE practice_id = $1 ORDER BY seq")
            .bind(practice_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| Ok((entry_from_row(r)?, r.try_get::<Option<String>, _>("mac")?)))
            .collect()
    }

    /// The practice's entries, decrypted; `patient` restricts to one patient.
    pub async fn journal_entries(
        &self,
        practice_id: i64,
        patient: Option<&str>,
    ) -> Result<Vec<JournalEntry>> {
        let keys = self.practice_keys(practice_id).await?;
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
                    information: journal_information::open(&keys, practice_id, &e)
                        .ok()
                        .map(|o| o.text),
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
        sqlx::query(
            "SELECT seq, hash, at, mac FROM journal_checkpoints WHERE practice_id = $1 ORDER BY seq",
        )
        .bind(practice_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(crate::journal_rows::checkpoint_from_row)
        .collect()
    }

    /// Verifies one practice's journal: the signed head (in the database),
    /// the chain from the genesis hash up to that head and nothing beyond,
    /// every entry's MAC, every entry's sealed field decrypting, every
    /// checkpoint present and signed, and the anchor file of this data
    /// folder when there is one. A missing head is tampering, even with no
    /// entry. A column of another type is reported, not raised.
    ///
    /// Everything is read in one snapshot of the database, on the primary
    /// ([`Store::journal_snapshot`]): another process (a second `sceau
    /// serve` node) appending meanwhile is either wholly in it or wholly
    /// out of it, never a head ahead of its rows. The anchor file is read
    /// before the snapshot, so that every entry it covers is in it.
    pub async fn journal_verify(&self, practice_id: i64) -> Result<Verification> {
        let name = self
            .practice(practice_id)
            .await
            .map(|p| p.name)
            .unwrap_or_default();
        let (result, resumptions) = match self.verify_chain(practice_id).await {
            Ok(r) => r,
            Err(StoreError::Db(e)) if is_decode_error(&e) => (Err(retyped()), vec![]),
            Err(e) => return Err(e),
        };
        Ok(Verification {
            practice_id,
            practice: name,
            result,
            resumptions,
        })
    }

    async fn verify_chain(
        &self,
        practice_id: i64,
    ) -> Result<(std::result::Result<Verified, Break>, Vec<Resumption>)> {
        let practice = Self::journal_practice(practice_id);
        let keys = match self.practice_keys(practice_id).await {
            Ok(k) => k,
            // Destroyed with the practice, or not restored: said, not raised.
            Err(StoreError::Key(m)) => {
                return Ok((
                    Err(Break {
                        seq: 0,
                        kind: Tampering::Undecryptable,
                        message: m,
                    }),
                    vec![],
                ))
            }
            Err(e) => return Err(e),
        };
        let entry_key = keys.entry_key()?;
        let anchor = self.journal_anchor(practice_id)?;
        let JournalSnapshot {
            rows: all_rows,
            checkpoints,
            head,
        } = self.journal_snapshot(practice_id).await?;
        let decisions = self.decisions(&entry_key, practice_id, &all_rows);
        let resumptions: Vec<Resumption> = decisions
            .iter()
            .map(|&i| Resumption {
                seq: all_rows[i].0.seq,
                at: all_rows[i].0.body.at,
                author: all_rows[i].0.body.author.clone(),
            })
            .collect();
        // After a decision to resume, the segment it opened is verified as a
        // whole journal, from the digest of the rows found before it, which
        // must still be exactly those rows.
        let (first, start, rows) = match decisions.last() {
            Some(&i) => {
                let d = &all_rows[i].0;
                let found =
                    crate::resumption::found_digest(&practice, &all_rows, &checkpoints, d.seq);
                if d.prev != found {
                    return Ok((
                        Err(Break {
                            seq: d.seq,
                            kind: Tampering::Altered,
                            message: format!(
                                "les lignes conservées avant la reprise du n° {} (décidée par {}) ont été modifiées depuis cette décision",
                                d.seq, d.body.author
                            ),
                        }),
                        resumptions,
                    ));
                }
                (d.seq, found, &all_rows[i..])
            }
            None => (1, sceau_journal::genesis(&practice), &all_rows[..]),
        };
        let result = self.verify_segment(
            practice_id,
            Segment {
                first,
                start,
                rows,
                checkpoints: &checkpoints,
                head,
                anchor,
            },
            &keys,
        )?;
        Ok((result, resumptions))
    }

    /// Verifies the entries from number `first` (linked to `start`) to the
    /// signed head; see [`Store::journal_verify`].
    fn verify_segment(
        &self,
        practice_id: i64,
        segment: Segment<'_>,
        keys: &crate::keyring::PracticeKeys,
    ) -> Result<std::result::Result<Verified, Break>> {
        let Segment {
            first,
            start,
            rows,
            checkpoints,
            head,
            anchor,
        } = segment;
        // The keys the chain was read with: one read of the keyring per verification.
        let (anchor_key, entry_key) = (&keys.anchor_key()?, &keys.entry_key()?);
        let practice = Self::journal_practice(practice_id);
        let entries: Vec<Entry> = rows.iter().map(|r| r.0.clone()).collect();
        let Some(head) = head else {
            return Ok(Err(Break {
                seq: 0,
                kind: Tampering::Missing,
                message: format!(
                    "la tête signée du journal a disparu ({} entrée(s) restent) : des entrées ont pu être effacées",
                    entries.len()
                ),
            }));
        };
        // The chain itself first, entry by entry: it names the first bad
        // entry and the kind of change most precisely.
        if let Err(b) =
            sceau_journal::verify_from(&practice, first, start, &entries, None, anchor_key)
        {
            return Ok(Err(b));
        }
        // Every entry's MAC next, in order, before any witness is compared:
        // an entry written or rewritten without the key is named itself,
        // not a later one where a recomputed chain first disagrees with the
        // anchor or the head. An entry without a MAC is never adopted:
        // nothing signs a chain it did not write (see `journal_resume`).
        for (e, mac) in rows {
            let stored = mac.as_deref().filter(|m| !m.is_empty());
            let signed = stored.is_some_and(|m| {
                sceau_journal::entry_mac_ok(
                    entry_key,
                    &practice,
                    e.seq,
                    &e.hash,
                    &hex::decode(m).unwrap_or_default(),
                )
            });
            if signed {
                continue;
            }
            if e.seq > head.seq && head.authentic(anchor_key) {
                return Ok(Err(added_after_head(
                    head.seq,
                    entries.last().map_or(e.seq, |l| l.seq),
                )));
            }
            return Ok(Err(match stored {
                None => never_signed(e.seq),
                Some(_) => broken(Tampering::Unsigned, e.seq),
            }));
        }
        // The anchor file of this data folder, a second witness when present
        // (a process that never appended has none: the head is in the base;
        // one older than the last decision to resume was replaced by it).
        if let Some(a) = anchor {
            if a.seq >= first || first == 1 {
                if let Err(b) = sceau_journal::verify_from(
                    &practice,
                    first,
                    start,
                    &entries,
                    Some(&a),
                    anchor_key,
                ) {
                    return Ok(Err(b));
                }
            }
        }
        if head.mac == [0u8; 32] {
            return Ok(Err(Break {
                seq: head.seq,
                kind: Tampering::AnchorForged,
                message: "la tête du journal ne porte aucune signature\u{a0}: elle a été écrite sans la clé du cabinet, ou sa signature a été effacée".into(),
            }));
        }
        if let Err(b) =
            sceau_journal::verify_from(&practice, first, start, &entries, Some(&head), anchor_key)
        {
            return Ok(Err(match b.kind {
                Tampering::AnchorForged => Break {
                    message: "la tête du journal n’est pas signée par la clé du cabinet : elle a été modifiée sans la clé".into(),
                    ..b
                },
                _ => b,
            }));
        }
        let last = entries.last().map_or(0, |e| e.seq);
        if last > head.seq {
            return Ok(Err(added_after_head(head.seq, last)));
        }
        for (e, _) in rows {
            if journal_information::open(keys, practice_id, e).is_err() {
                return Ok(Err(broken(Tampering::Undecryptable, e.seq)));
            }
        }
        // Checkpoints: one at every multiple of CHECKPOINT_EVERY, signed,
        // matching the entry it names (those before the segment are part of
        // the rows found, covered by the decision's digest).
        for k in (1..=head.seq / CHECKPOINT_EVERY)
            .map(|i| i * CHECKPOINT_EVERY)
            .filter(|&k| k >= first)
        {
            if !checkpoints.iter().any(|c| c.seq == k) {
                return Ok(Err(Break {
                    seq: k,
                    kind: Tampering::Missing,
                    message: format!("le point de contrôle n° {k} a disparu"),
                }));
            }
        }
        for c in checkpoints.iter().filter(|c| c.seq >= first) {
            let a = Anchor {
                practice: practice.clone(),
                seq: c.seq,
                hash: parse_hash(&c.hash),
                mac: parse_hash(&c.mac),
            };
            let at = entries.iter().find(|e| e.seq == c.seq);
            if !a.authentic(anchor_key) || at.map(|e| e.hash) != Some(a.hash) {
                return Ok(Err(Break {
                    seq: c.seq,
                    kind: Tampering::Altered,
                    message: format!(
                        "le point de contrôle n° {} ne correspond plus à l’entrée n° {} : entrée ou point de contrôle modifié",
                        c.seq, c.seq
                    ),
                }));
            }
        }
        Ok(Ok(Verified {
            entries: entries.len() as u64,
            head_seq: head.seq,
            head: head.hash,
        }))
    }

    /// The signed head now, as a receipt to carry in a document that leaves
    /// the practice; refused (with what was found) when the journal does not verify.
    pub async fn journal_receipt(&self, practice_id: i64) -> Result<Receipt> {
        self.ensure_verified(practice_id).await?;
        let head = self.journal_head(practice_id).await?.ok_or_else(|| {
            refusal(&Break {
                seq: 0,
                kind: Tampering::Missing,
                message: "la tête signée du journal a disparu".into(),
            })
        })?;
        Ok(Receipt::new(
            &self.practice_keys(practice_id).await?.anchor_key()?,
            &head.practice,
            head.seq,
            head.hash,
            now(),
        ))
    }

    /// Checks a receipt kept from earlier: signed with this key, and the
    /// journal, verified, still extends the head it attests. The `Err` of
    /// the inner result says in French what does not hold.
    pub async fn journal_check_receipt(
        &self,
        receipt: &Receipt,
    ) -> Result<std::result::Result<(i64, u64), String>> {
        let Ok(practice_id) = receipt.practice.parse::<i64>() else {
            return Ok(Err("ce reçu ne désigne pas un cabinet".into()));
        };
        let signed = match self.practice_keys(practice_id).await {
            Ok(k) => receipt.authentic(&k.anchor_key()?),
            Err(StoreError::Key(_)) => false,
            Err(e) => return Err(e),
        };
        if !signed {
            return Ok(Err(
                "ce reçu n’est pas signé par la clé de ce cabinet (reçu modifié, ou d’une autre installation)".into(),
            ));
        }
        let v = self.journal_verify(practice_id).await?;
        if let Err(b) = &v.result {
            return Ok(Err(format!("le journal ne se vérifie pas : {}", b.message)));
        }
        let entries = self.journal_raw(practice_id).await?;
        // A receipt from before the last decision to resume is checked
        // against the rows found then, from the genesis hash.
        if let Some(r) = v.resumptions.last().filter(|r| receipt.seq < r.seq) {
            let before: Vec<Entry> = entries
                .into_iter()
                .filter(|e| e.seq <= receipt.seq)
                .collect();
            let held = sceau_journal::verify(&receipt.practice, &before, None, &[])
                .ok()
                .filter(|ok| ok.head_seq == receipt.seq && ok.head == receipt.hash);
            return Ok(match held {
                Some(_) => Ok((practice_id, receipt.seq)),
                None => Err(format!(
                    "le journal conservé avant la reprise du n° {} ne mène plus à l’entrée n° {} que le reçu atteste : il a été altéré jusqu’à ce point",
                    r.seq, receipt.seq
                )),
            });
        }
        Ok(receipt
            .extended_by(&receipt.practice, &entries)
            .map(|_| (practice_id, receipt.seq)))
    }

    /// Ids of every practice, and of practices that only have journal rows or anchors.
    pub async fn practice_ids(&self) -> Result<Vec<i64>> {
        let mut ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM practices UNION SELECT DISTINCT practice_id FROM journal_entries UNION SELECT practice_id FROM journal_heads ORDER BY 1",
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

/// What an append refused on a journal that does not verify says.
fn refusal(b: &Break) -> StoreError {
    StoreError::Tampered(format!(
        "Le journal des révélations ne se vérifie plus : {}. Rien n’a été ajouté et rien n’a été écrasé : une personne qui administre Sceau doit examiner le journal (page Journal, ou `sceau journal verify`) et décider de la suite (restauration d’une sauvegarde, signalement).",
        b.message
    ))
}

/// What a table of the journal that no longer reads back is reported as.
fn retyped() -> Break {
    Break {
        seq: 0,
        kind: Tampering::Altered,
        message: "les tables du journal ont été modifiées : une colonne n’a plus le type attendu, le journal ne peut plus être relu".into(),
    }
}

/// Entries chained after the signed head (numbers `head + 1` to `last`).
fn added_after_head(head: u64, last: u64) -> Break {
    Break {
        seq: head + 1,
        kind: Tampering::Inserted,
        message: format!(
            "des entrées ont été ajoutées après la tête signée du journal (n° {} à {last})",
            head + 1
        ),
    }
}

/// An entry that carries no MAC at all: written without the key, its MAC
/// erased, or written before entries were signed (schema 6). Only an
/// administrator's decision to take the journal back lets it continue.
fn never_signed(seq: u64) -> Break {
    Break {
        seq,
        kind: Tampering::Unsigned,
        message: format!(
            "l’entrée n° {seq} ne porte aucune signature\u{a0}: elle a été écrite sans la clé du cabinet, ou sa signature a été effacée (un journal antérieur aux signatures n’est jamais signé après coup\u{a0}: seule une personne qui administre Sceau peut le reprendre, sans que ses entrées soient attestées)"
        ),
    }
}

fn broken(kind: Tampering, seq: u64) -> Break {
    Break {
        seq,
        kind,
        message: sceau_journal::describe(kind, seq),
    }
}
