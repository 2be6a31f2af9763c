//! Resuming a journal after tampering: an administrator acknowledges what
//! verification found, and the journal continues on a new *segment*.
//!
//! Nothing is overwritten or removed: the rows found (entries, checkpoints)
//! stay as they are. The decision is itself an entry of the journal — the
//! first of the new segment — written by the key holder: its author is the
//! administrator, its time the decision's, its sealed field says what was
//! found, and its link (`prev`) is not the hash of the entry before it but
//! the *digest* of every row found before it. Verification then checks that
//! the rows found are still exactly those the decision saw (so the history
//! of the tampering stays verifiable: a later change to them shows) and
//! verifies the new segment from that entry on as a whole journal (MACs,
//! signed head, checkpoints). Receipts issued before the decision are still
//! checked against the rows found, from the genesis hash.
//!
//! Without the key no one can write a decision entry (its MAC), and
//! deleting one breaks the chain of the segment it opened.

use serde::Serialize;
use sha2::{Digest, Sha256};

use sceau_journal::{Anchor, Body, Entry, Hash};

use crate::error::is_decode_error;
use crate::journal_rows::{hash_hex, insert_checkpoint, update_head, Checkpoint, CHECKPOINT_EVERY};
use crate::{now, Result, Store, StoreError};

pub use sceau_journal::{
    DECISION_ACTION as ACTION, DECISION_PURPOSE as PURPOSE, DECISION_RECIPIENT as RECIPIENT,
    DECISION_VERDICT as VERDICT,
};

/// One decision to resume, as read from the journal.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Resumption {
    /// The decision's entry, the first of its segment.
    pub seq: u64,
    pub at: i64,
    /// The administrator who decided.
    pub author: String,
}

/// Whether this entry is a decision to resume (its MAC checked by the caller).
pub(crate) fn is_decision(e: &Entry) -> bool {
    sceau_journal::is_decision(&e.body)
}

/// The digest of the rows found before a decision at `first`: every entry
/// (its canonical encoding, link, hash and MAC as stored) and every
/// checkpoint below `first`, in order.
pub(crate) fn found_digest(
    practice: &str,
    rows: &[(Entry, Option<String>)],
    checkpoints: &[Checkpoint],
    first: u64,
) -> Hash {
    fn put(h: &mut Sha256, b: &[u8]) {
        h.update((b.len() as u64).to_be_bytes());
        h.update(b);
    }
    let mut h = Sha256::new();
    put(&mut h, b"sceau-journal-found-v1");
    put(&mut h, practice.as_bytes());
    put(&mut h, &first.to_be_bytes());
    for (e, mac) in rows.iter().filter(|r| r.0.seq < first) {
        put(&mut h, b"entry");
        put(&mut h, &sceau_journal::canonical(e.seq, &e.body));
        put(&mut h, &e.prev);
        put(&mut h, &e.hash);
        put(&mut h, mac.as_deref().unwrap_or("-").as_bytes());
    }
    for c in checkpoints.iter().filter(|c| c.seq < first) {
        put(&mut h, b"checkpoint");
        put(&mut h, &c.seq.to_be_bytes());
        put(&mut h, c.hash.as_bytes());
        put(&mut h, &c.at.to_be_bytes());
        put(&mut h, c.mac.as_bytes());
    }
    h.finalize().into()
}

impl Store {
    /// Entries that are decisions to resume, signed with this key, in order.
    pub(crate) fn decisions(
        &self,
        key: &[u8; 32],
        practice_id: i64,
        rows: &[(Entry, Option<String>)],
    ) -> Vec<usize> {
        let practice = Self::journal_practice(practice_id);
        rows.iter()
            .enumerate()
            .filter(|(_, (e, mac))| {
                is_decision(e)
                    && sceau_journal::entry_hash(&e.prev, e.seq, &e.body) == e.hash
                    && sceau_journal::entry_mac_ok(
                        key,
                        &practice,
                        e.seq,
                        &e.hash,
                        &hex::decode(mac.as_deref().unwrap_or_default()).unwrap_or_default(),
                    )
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The decisions to resume recorded in a practice's journal (signed ones).
    pub async fn journal_resumptions(&self, practice_id: i64) -> Result<Vec<Resumption>> {
        let rows = self.journal_rows(practice_id).await?;
        let key = self.practice_keys(practice_id).await?.entry_key()?;
        Ok(self
            .decisions(&key, practice_id, &rows)
            .into_iter()
            .map(|i| Resumption {
                seq: rows[i].0.seq,
                at: rows[i].0.body.at,
                author: rows[i].0.body.author.clone(),
            })
            .collect())
    }

    /// An administrator's decision, after tampering, to continue the journal
    /// on a new segment (see the module): refused when the journal verifies.
    /// `by` is who decides (recorded in the journal). Nothing found is
    /// changed; the decision entry, a signed head and the anchor are written.
    pub async fn journal_resume(&self, practice_id: i64, by: &str) -> Result<Resumption> {
        let by = crate::names::check_text("by", by, 120)?;
        self.practice(practice_id).await?;
        // One decision or append at a time in this process.
        let _guard = self.append_queue.lock.lock().await;
        let found = match self.journal_verify(practice_id).await?.result {
            Ok(_) => {
                return Err(StoreError::Invalid(
                    "Le journal des révélations se vérifie : il n’y a aucune altération à constater, rien n’a été fait.".into(),
                ))
            }
            Err(b) => b,
        };
        let keys = self.practice_keys(practice_id).await?;
        let unreadable = |e: StoreError| {
            match e {
            StoreError::Db(d) if is_decode_error(&d) => StoreError::Invalid(
                "Les tables du journal ne se relisent plus (une colonne a changé de type) : la reprise ne peut pas constater ce qui s’y trouve. Rétablissez le schéma ou restaurez une sauvegarde ; rien n’a été fait.".into(),
            ),
            e => e,
        }
        };
        let anchor = self.journal_anchor(practice_id)?;
        let crate::journal_rows::JournalSnapshot {
            rows,
            checkpoints,
            head,
        } = self
            .journal_snapshot(practice_id)
            .await
            .map_err(unreadable)?;
        // Never reuse a number seen anywhere: a receipt for an old number
        // must not match a new entry.
        let first = [
            rows.last().map_or(0, |r| r.0.seq),
            head.as_ref().map_or(0, |h| h.seq),
            checkpoints.iter().map(|c| c.seq).max().unwrap_or(0),
            anchor.as_ref().map_or(0, |a| a.seq),
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
            + 1;
        let practice = Self::journal_practice(practice_id);
        let digest = found_digest(&practice, &rows, &checkpoints, first);
        let at = now();
        // Entries found without any MAC (a journal written before entries
        // were signed, or whose MACs were erased): the decision keeps them
        // and says they were never attested — it signs nothing but itself.
        let unsigned: Vec<u64> = rows
            .iter()
            .filter(|r| r.1.as_deref().is_none_or(str::is_empty))
            .map(|r| r.0.seq)
            .collect();
        let never_attested = match (unsigned.first(), unsigned.last()) {
            (Some(a), Some(b)) => format!(
                " {} entrée(s) trouvée(s), du n° {a} au n° {b}, ne portent aucune signature\u{a0}: elles n’ont jamais été attestées par la clé du cabinet, et cette décision ne les atteste pas.",
                unsigned.len()
            ),
            _ => String::new(),
        };
        let text = format!(
            "Altération du journal constatée\u{a0}: {} (entrée n° {}). Décision de {by}\u{a0}: le journal reprend au n° {first} sur un nouveau segment\u{a0}; les lignes trouvées avant ce numéro sont conservées telles quelles, rien n’a été écrasé ni signé.{never_attested}",
            found.message, found.seq
        );
        let (sealed, text_digest) =
            crate::journal_information::seal(&keys, practice_id, first, &text)?;
        let body = Body {
            at,
            practice: practice.clone(),
            author: by.clone(),
            patient: None,
            recipient: RECIPIENT.into(),
            purpose: PURPOSE.into(),
            action: ACTION.into(),
            verdict: VERDICT.into(),
            basis: vec![],
            information: sealed,
            information_digest: Some(text_digest),
        };
        let hash = sceau_journal::entry_hash(&digest, first, &body);
        let e = Entry {
            seq: first,
            body,
            prev: digest,
            hash,
        };
        let (entry_key, anchor_key) = (keys.entry_key()?, keys.anchor_key()?);
        let mac = sceau_journal::entry_mac(&entry_key, &practice, first, &hash);
        let signed = Anchor::new(&anchor_key, &practice, first, hash);
        let mut tx = self.pool().begin().await?;
        Self::insert_entry(&mut tx, practice_id, &e, &mac).await?;
        if first.is_multiple_of(CHECKPOINT_EVERY) {
            insert_checkpoint(&mut tx, practice_id, &signed, at).await?;
        }
        let updated = update_head(&mut tx, practice_id, &signed).await?;
        if updated == 0 {
            sqlx::query(
                "INSERT INTO journal_heads (practice_id, seq, hash, mac) VALUES ($1, $2, $3, $4)",
            )
            .bind(practice_id)
            .bind(first as i64)
            .bind(hash_hex(&hash))
            .bind(hash_hex(&signed.mac))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        // The local anchor follows the decision (it may lie behind or be forged).
        let bytes =
            serde_json::to_vec_pretty(&signed).map_err(|x| StoreError::Internal(x.to_string()))?;
        crate::crypto::write_atomic(&self.anchor_path(practice_id), &bytes)
            .map_err(|x| StoreError::Internal(format!("écriture de l’ancre du journal : {x}")))?;
        self.remember_verified(practice_id, first, hash);
        Ok(Resumption {
            seq: first,
            at,
            author: by,
        })
    }
}
