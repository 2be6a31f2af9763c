//! The journal's export: JSON lines that whoever receives them checks
//! without the database or the key (`sceau_journal::export`).
//!
//! Each entry is given as stored (its information sealed, as hashed) and
//! with its information decrypted. An entry of version 2 also gives the
//! salt and the digest of that text, so that the reader recomputes the
//! digest the chain covers; an entry of version 1 (written before schema
//! 19) says in French that its clear text is not covered.

use base64::Engine;
use serde_json::{Map, Value};

use sceau_journal::export::{not_covered, FORMAT, NOT_COVERED};
use sceau_journal::Entry;

use crate::journal_information;
use crate::journal_rows::hash_hex;
use crate::keyring::PracticeKeys;
use crate::{now, Result, Store, StoreError};

/// One entry's line of the export.
fn entry_line(keys: &PracticeKeys, practice_id: i64, e: &Entry) -> Value {
    let b64 = base64::engine::general_purpose::STANDARD;
    let opened = journal_information::open(keys, practice_id, e).ok();
    let mut fields: Vec<(&str, Value)> = vec![
        ("type", "entry".into()),
        ("seq", e.seq.into()),
        ("version", e.body.version().into()),
        ("at", e.body.at.into()),
        (
            "at_iso",
            chrono::DateTime::from_timestamp(e.body.at, 0)
                .map(|d| d.to_rfc3339())
                .into(),
        ),
        ("practice", e.body.practice.clone().into()),
        ("author", e.body.author.clone().into()),
        ("patient", e.body.patient.clone().into()),
        ("recipient", e.body.recipient.clone().into()),
        ("purpose", e.body.purpose.clone().into()),
        ("action", e.body.action.clone().into()),
        ("verdict", e.body.verdict.clone().into()),
        ("basis", e.body.basis.clone().into()),
        (
            "information",
            opened.as_ref().map(|o| o.text.clone()).into(),
        ),
    ];
    match &e.body.information_digest {
        Some(d) => {
            fields.push((
                "information_salt",
                opened
                    .as_ref()
                    .and_then(|o| o.salt)
                    .map(|s| b64.encode(s))
                    .into(),
            ));
            fields.push(("information_digest", hash_hex(d).into()));
        }
        None => fields.push(("information_note", NOT_COVERED.into())),
    }
    fields.extend([
        ("information_sealed", b64.encode(&e.body.information).into()),
        ("prev", hash_hex(&e.prev).into()),
        ("hash", hash_hex(&e.hash).into()),
    ]);
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Map<String, Value>>(),
    )
}

impl Store {
    /// The journal with its proofs, as JSON lines: a header, every entry as
    /// stored (the category of information both sealed, as hashed, and
    /// decrypted, with the salt and digest of version 2), the checkpoints,
    /// the anchor and the verification result. With `patient`, only that
    /// patient's entries (right of access): each one still carries its link
    /// and hash, checkable against the anchor.
    pub async fn journal_export(&self, practice_id: i64, patient: Option<&str>) -> Result<String> {
        let keys = self.practice_keys(practice_id).await?;
        if let Some(p) = patient {
            self.patient(practice_id, p).await?;
        }
        let practice = self.practice(practice_id).await?;
        let entries: Vec<Entry> = self
            .journal_raw(practice_id)
            .await?
            .into_iter()
            .filter(|e| patient.is_none() || e.body.patient.as_deref() == patient)
            .collect();
        let mut out = String::new();
        let mut line = |v: Value| {
            out.push_str(&v.to_string());
            out.push('\n');
        };
        let mut header = serde_json::json!({
            "type": "header",
            "format": FORMAT,
            "practice": Self::journal_practice(practice_id),
            "practice_name": practice.name,
            "patient": patient,
            "exported_at": now(),
            "hash": "SHA-256 over sceau-journal's canonical encoding; prev of entry 1 = genesis(practice)",
            "information_digest": "version 2: SHA-256 of \"sceau-journal-information-v2\\0\", the salt, the text's length (u64, big-endian) and the text, chained after information_sealed; version 1 has none",
            "genesis": hash_hex(&sceau_journal::genesis(&Self::journal_practice(practice_id))),
        });
        let uncovered: Vec<u64> = entries
            .iter()
            .filter(|e| e.body.information_digest.is_none())
            .map(|e| e.seq)
            .collect();
        if !uncovered.is_empty() {
            header["information_not_covered"] = not_covered(&uncovered).into();
        }
        line(header);
        for e in &entries {
            line(entry_line(&keys, practice_id, e));
        }
        if patient.is_none() {
            for c in self.journal_checkpoints(practice_id).await? {
                line(serde_json::json!({
                    "type": "checkpoint", "seq": c.seq, "hash": c.hash, "at": c.at, "mac": c.mac,
                }));
            }
        }
        // The signed head in the database (shared by every process), and the
        // receipt that a reader can check a later export against.
        if let Some(a) = self.journal_head(practice_id).await? {
            let mut v =
                serde_json::to_value(&a).map_err(|e| StoreError::Internal(e.to_string()))?;
            v["type"] = "anchor".into();
            line(v);
        }
        if let Ok(r) = self.journal_receipt(practice_id).await {
            let mut v =
                serde_json::to_value(&r).map_err(|e| StoreError::Internal(e.to_string()))?;
            v["type"] = "receipt".into();
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
