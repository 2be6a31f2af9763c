//! Reading back a journal export (`sceau journal export`, the API's
//! `/api/v1/journal/export`): JSON lines — a header, the entries with their
//! links and hashes, the checkpoints, the anchor, the verification the
//! exporting server made. Whoever receives an export (the patient exercising
//! the right of access, an auditor) can check it without the database and
//! without the key: every entry's hash is recomputed from its fields, a full
//! export must chain from the genesis hash, and the anchor's position must
//! hold the hash it names. The anchor's HMAC needs the practice's key and is
//! not checked here.
//!
//! An entry of version 2 also gives its information in clear with the salt
//! of its digest ([`crate::information`]): the digest is recomputed from
//! them, so an edited `information` is refused. An entry of version 1
//! (written before) chains only its sealed bytes: its information in clear
//! is reported as not covered ([`ExportCheck::uncovered`]), never passed
//! silently. Exports of format `sceau-journal-export-v1` (made before
//! version 2) are read too: all their entries are of version 1.
//!
//! Errors name the line and what is wrong, never a value read.

use base64::Engine;
use serde::Deserialize;

use crate::information::{self, SALT_LEN};
use crate::receipt::RECEIPT_FORMAT;
use crate::{entry_hash, genesis, hex_hash, Body, Entry, Hash, Receipt};

/// The export format written now: entries carry their version, and those
/// of version 2 the salt and digest of their information.
pub const FORMAT: &str = "sceau-journal-export-v2";

/// The format of exports made before entries of version 2, still read.
pub const FORMAT_V1: &str = "sceau-journal-export-v1";

// One line is parsed at a time and taken apart at once, never stored: the
// size of its largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line {
    Header {
        format: String,
        practice: String,
        patient: Option<String>,
        #[serde(with = "hex_hash")]
        genesis: Hash,
    },
    Entry {
        seq: u64,
        at: i64,
        practice: String,
        author: String,
        patient: Option<String>,
        recipient: String,
        purpose: String,
        action: String,
        verdict: String,
        basis: Vec<String>,
        /// Absent in exports of format v1: version 1.
        #[serde(default)]
        version: Option<u8>,
        /// The information in clear (`null` when the exporting server could not decrypt it).
        #[serde(default)]
        information: Option<String>,
        /// Version 2: base64 of the salt sealed with the information.
        #[serde(default)]
        information_salt: Option<String>,
        /// Version 2: hex of the salted digest chained in the entry.
        #[serde(default)]
        information_digest: Option<String>,
        information_sealed: String,
        #[serde(with = "hex_hash")]
        prev: Hash,
        #[serde(with = "hex_hash")]
        hash: Hash,
    },
    Checkpoint {
        seq: u64,
        #[serde(with = "hex_hash")]
        hash: Hash,
    },
    Anchor {
        practice: String,
        seq: u64,
        #[serde(with = "hex_hash")]
        hash: Hash,
    },
    Verification {},
    /// The signed head at export time (see [`crate::receipt`]).
    Receipt {
        practice: String,
        seq: u64,
        #[serde(with = "hex_hash")]
        hash: Hash,
        at: i64,
        #[serde(with = "hex_hash")]
        mac: Hash,
    },
}

/// What a valid export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportCheck {
    pub practice: String,
    /// The patient of a right-of-access export, `None` for the whole journal.
    pub patient: Option<String>,
    pub entries: u64,
    /// The anchored position, when the export carries the anchor.
    pub anchor_seq: Option<u64>,
    /// The signed head the export carries, if any.
    pub receipt: Option<Receipt>,
    /// After an administrator's decision to resume: the entry it starts
    /// from (the rows before it are as found, their digest checked only with the key).
    pub segment_from: Option<u64>,
    /// Entries of version 1: their information in clear is not covered by
    /// the chain (only its sealed bytes are), « information non couverte ».
    pub uncovered: Vec<u64>,
    /// Entries of version 2 exported without their information in clear
    /// (the exporting server could not decrypt it): nothing to compare.
    pub without_information: Vec<u64>,
}

/// Why an export does not check, and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ligne {} : {}", self.line, self.message)
    }
}

fn err(line: usize, message: impl Into<String>) -> ExportError {
    ExportError {
        line,
        message: message.into(),
    }
}

/// Checks a journal export (see the module's documentation).
pub fn check_export(text: &str) -> Result<ExportCheck, ExportError> {
    check_export_against(text, None)
}

/// Checks an export and, with `receipt` (a receipt kept from earlier: a
/// report, a reply, a checkpoint written elsewhere), that the exported
/// journal still extends the head the receipt attests. Only a whole-journal
/// export can show it; the receipt's MAC is not checked here (it needs the key).
pub fn check_export_against(
    text: &str,
    receipt: Option<&Receipt>,
) -> Result<ExportCheck, ExportError> {
    let mut header: Option<(String, Option<String>)> = None;
    let mut entries: Vec<Entry> = vec![];
    // Entries whose hash does not match their content: (line, number).
    let mut bad_hashes: Vec<(usize, u64)> = vec![];
    let mut entry_lines: Vec<usize> = vec![];
    let mut checkpoints: Vec<(usize, u64, Hash)> = vec![];
    let mut anchor: Option<(usize, u64, Hash)> = None;
    let mut carried: Option<(usize, Receipt)> = None;
    // Entries whose information in clear no longer matches its digest: (line, number).
    let mut bad_information: Vec<(usize, u64)> = vec![];
    let mut uncovered: Vec<u64> = vec![];
    let mut without_information: Vec<u64> = vec![];
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(raw).map_err(|_| {
            err(
                n,
                "ligne illisible : un objet JSON d’export du journal est attendu (type header, entry, checkpoint, anchor, receipt ou verification)",
            )
        })?;
        if header.is_none() && !matches!(line, Line::Header { .. }) {
            return Err(err(
                n,
                "l’export doit commencer par son en-tête (type header)",
            ));
        }
        match line {
            Line::Header {
                format,
                practice,
                patient,
                genesis: g,
            } => {
                if header.is_some() {
                    return Err(err(n, "un seul en-tête est attendu"));
                }
                if format != FORMAT && format != FORMAT_V1 {
                    return Err(err(
                        n,
                        format!("format inconnu\u{a0}: «\u{a0}{FORMAT}\u{a0}» ou «\u{a0}{FORMAT_V1}\u{a0}» attendu"),
                    ));
                }
                if g != genesis(&practice) {
                    return Err(err(
                        n,
                        "le hash d’origine ne correspond pas au cabinet de l’en-tête",
                    ));
                }
                header = Some((practice, patient));
            }
            Line::Entry {
                seq,
                at,
                practice,
                author,
                patient,
                recipient,
                purpose,
                action,
                verdict,
                basis,
                version,
                information: clear,
                information_salt,
                information_digest,
                information_sealed,
                prev,
                hash,
            } => {
                let information = base64::engine::general_purpose::STANDARD
                    .decode(information_sealed.as_bytes())
                    .map_err(|_| err(n, "champ « information_sealed » : base64 attendu"))?;
                let digest = match version.unwrap_or(1) {
                    1 => {
                        if information_digest.is_some() || information_salt.is_some() {
                            return Err(err(
                                n,
                                "une entrée de version 1 n’a ni sel ni empreinte de son information",
                            ));
                        }
                        uncovered.push(seq);
                        None
                    }
                    2 => {
                        let d = information_digest
                            .as_deref()
                            .and_then(|h| hex::decode(h).ok())
                            .and_then(|v| Hash::try_from(v).ok())
                            .ok_or_else(|| {
                                err(n, "champ « information_digest » : empreinte hexadécimale de 32 octets attendue")
                            })?;
                        match (&clear, &information_salt) {
                            (Some(text), Some(salt)) => {
                                let salt: [u8; SALT_LEN] = base64::engine::general_purpose::STANDARD
                                    .decode(salt.as_bytes())
                                    .ok()
                                    .and_then(|v| v.try_into().ok())
                                    .ok_or_else(|| {
                                        err(n, "champ « information_salt » : base64 de 32 octets attendu")
                                    })?;
                                if information::digest(&salt, text) != d {
                                    // Reported below, unless it lies before a decision to resume.
                                    bad_information.push((n, seq));
                                }
                            }
                            (Some(_), None) => {
                                return Err(err(
                                    n,
                                    "champ « information_salt » manquant : l’information en clair d’une entrée de version 2 se vérifie avec son sel",
                                ))
                            }
                            (None, _) => without_information.push(seq),
                        }
                        Some(d)
                    }
                    _ => return Err(err(n, "version d’entrée inconnue : 1 ou 2 attendue")),
                };
                let body = Body {
                    at,
                    practice,
                    author,
                    patient,
                    recipient,
                    purpose,
                    action,
                    verdict,
                    basis,
                    information,
                    information_digest: digest,
                };
                if seq == 0 {
                    return Err(err(
                        n,
                        "l’entrée n° 0 n’existe pas : les numéros commencent à 1",
                    ));
                }
                if entry_hash(&prev, seq, &body) != hash {
                    // Reported below, unless it lies before a decision to resume.
                    bad_hashes.push((n, seq));
                }
                if entries.last().is_some_and(|l| l.seq >= seq) {
                    return Err(err(
                        n,
                        "les entrées doivent suivre l’ordre de leurs numéros",
                    ));
                }
                entries.push(Entry {
                    seq,
                    body,
                    prev,
                    hash,
                });
                entry_lines.push(n);
            }
            Line::Checkpoint { seq, hash } => checkpoints.push((n, seq, hash)),
            Line::Anchor {
                practice,
                seq,
                hash,
                ..
            } => {
                if header.as_ref().is_some_and(|(p, _)| *p != practice) {
                    return Err(err(n, "l’ancre est celle d’un autre cabinet"));
                }
                anchor = Some((n, seq, hash));
            }
            Line::Verification {} => {}
            Line::Receipt {
                practice,
                seq,
                hash,
                at,
                mac,
            } => {
                carried = Some((
                    n,
                    Receipt {
                        format: RECEIPT_FORMAT.into(),
                        practice,
                        seq,
                        hash,
                        at,
                        mac,
                    },
                ))
            }
        }
    }
    let Some((practice, patient)) = header else {
        return Err(err(1, "export vide : l’en-tête (type header) manque"));
    };
    for (e, &n) in entries.iter().zip(&entry_lines) {
        if e.body.practice != practice {
            return Err(err(
                n,
                format!("l’entrée n° {} est d’un autre cabinet", e.seq),
            ));
        }
        if patient.is_some() && e.body.patient != patient {
            return Err(err(
                n,
                format!(
                    "l’entrée n° {} concerne un autre patient que celui de l’en-tête",
                    e.seq
                ),
            ));
        }
    }
    let mut segment_from = None;
    if patient.is_none() {
        segment_from = entries.iter().rposition(|e| {
            crate::is_decision(&e.body) && crate::entry_hash(&e.prev, e.seq, &e.body) == e.hash
        });
    }
    let first = segment_from.map_or(1, |i| entries[i].seq);
    if let Some(&(n, seq)) = bad_hashes.iter().find(|b| b.1 >= first) {
        return Err(err(
            n,
            format!("l’entrée n° {seq} a été modifiée : son hash ne correspond plus à son contenu"),
        ));
    }
    if let Some(&(n, seq)) = bad_information.iter().find(|b| b.1 >= first) {
        return Err(err(
            n,
            format!("l’information en clair de l’entrée n° {seq} a été modifiée\u{a0}: elle ne correspond plus à l’empreinte que la chaîne couvre"),
        ));
    }
    if patient.is_none() {
        // The whole journal: it must chain from the genesis hash, entry by
        // entry — or, after an administrator's decision to resume, from that
        // decision on (its link to the rows kept before it is a digest that
        // only the key holder's `sceau journal verify` checks).
        let (start, checked) = match segment_from {
            Some(i) => (entries[i].prev, &entries[i..]),
            None => (crate::genesis(&practice), &entries[..]),
        };
        if let Err(b) = crate::verify_from(&practice, first, start, checked, None, &[]) {
            let n = entries
                .iter()
                .position(|e| e.seq >= b.seq)
                .map(|i| entry_lines[i])
                .unwrap_or(1);
            return Err(err(n, b.message));
        }
    }
    let at = |seq: u64| entries.iter().find(|e| e.seq == seq);
    for &(n, seq, hash) in &checkpoints {
        if at(seq).is_some_and(|e| e.hash != hash) {
            return Err(err(
                n,
                format!("le point de contrôle n° {seq} ne correspond pas à l’entrée n° {seq}"),
            ));
        }
    }
    if let Some((n, seq, hash)) = anchor {
        let last = entries.last().map_or(0, |e| e.seq);
        if patient.is_none() && seq > last {
            return Err(err(
                n,
                format!("la fin du journal a été coupée : l’ancre désigne l’entrée n° {seq}, l’export s’arrête au n° {last}"),
            ));
        }
        if at(seq).is_some_and(|e| e.hash != hash) {
            return Err(err(
                n,
                format!("l’ancre ne correspond pas à l’entrée n° {seq}"),
            ));
        }
    }
    if let Some((n, r)) = &carried {
        if r.practice != practice {
            return Err(err(*n, "le reçu est celui d’un autre cabinet"));
        }
        let held = if patient.is_none() {
            r.extended_by(&practice, &entries)
        } else {
            // One patient's entries: only a receipt on one of them can be checked.
            match at(r.seq) {
                Some(e) if e.hash != r.hash => {
                    Err(format!("le reçu ne correspond pas à l’entrée n° {}", r.seq))
                }
                _ => Ok(()),
            }
        };
        held.map_err(|m| err(*n, m))?;
    }
    if let Some(r) = receipt {
        if patient.is_some() {
            return Err(err(
                1,
                "un reçu ne se vérifie que sur l’export du journal entier, pas sur celui d’un patient",
            ));
        }
        r.extended_by(&practice, &entries)
            .map_err(|m| err(1, format!("reçu : {m}")))?;
    }
    Ok(ExportCheck {
        practice,
        patient,
        entries: entries.len() as u64,
        anchor_seq: anchor.map(|a| a.1),
        receipt: carried.map(|c| c.1),
        segment_from: segment_from.map(|i| entries[i].seq),
        uncovered,
        without_information,
    })
}

/// What an export says beside each entry of version 1.
pub const NOT_COVERED: &str = "information non couverte\u{a0}: entrée écrite avant que le journal chaîne l’empreinte de l’information en clair\u{a0}; la chaîne ne couvre que son texte chiffré (information_sealed), et le texte en clair donné ici ne se vérifie qu’avec la clé du cabinet";

/// What is said of the entries of version 1 of an export, all together
/// (its header, `sceau journal check-export`).
pub fn not_covered(seqs: &[u64]) -> String {
    format!(
        "information non couverte pour {} entrée(s) (n°\u{a0}{})\u{a0}: écrites avant que le journal chaîne l’empreinte de l’information en clair, elles ne lient à la chaîne que leur texte chiffré\u{a0}; leur information en clair, dans l’export, peut avoir été modifiée sans que la vérification sans la clé le voie",
        seqs.len(),
        numbers(seqs)
    )
}

/// Entry numbers as a French list with ranges: « 1 à 3, 7, 9 à 12 ».
pub fn numbers(seqs: &[u64]) -> String {
    let mut parts: Vec<String> = vec![];
    let mut i = 0;
    while i < seqs.len() {
        let mut j = i;
        while j + 1 < seqs.len() && seqs[j + 1] == seqs[j] + 1 {
            j += 1;
        }
        parts.push(if j == i {
            seqs[i].to_string()
        } else {
            format!("{} à {}", seqs[i], seqs[j])
        });
        i = j + 1;
    }
    parts.join(", ")
}
