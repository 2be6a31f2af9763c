//! The journal of disclosures, independent of where it is stored.
//!
//! Each entry is hashed with SHA-256 over a canonical encoding of its
//! fields and the hash of the entry before it, so that changing, removing,
//! inserting or reordering an entry breaks the chain from that entry on.
//! Cutting the tail off leaves a valid but shorter chain: the *anchor*, the
//! sequence number and hash of the last entry written, kept outside the
//! database and authenticated with an HMAC, shows it. Checkpoints record
//! the hash every so many entries, for exports and partial proofs.
//!
//! Fields that hold patient data are stored encrypted by the caller; the
//! chain covers the bytes as stored, so it can be verified without the
//! decryption key. From version 2 of the encoding it also covers a salted
//! digest of the information in clear ([`information`]), so that an export,
//! which shows that text beside its sealed bytes, cannot be edited unseen.

pub mod export;
pub mod information;
pub mod receipt;

pub use receipt::Receipt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Hashes are hex strings of 64 characters in storage and exports.
pub type Hash = [u8; 32];

const DOMAIN: &[u8] = b"sceau-journal-v1\0";

/// The domain of version 2 entries, which chain the digest of their
/// information in clear: no entry of one version encodes like one of the other.
const DOMAIN_V2: &[u8] = b"sceau-journal-v2\0";

/// What is recorded for one disclosure (or one declined disclosure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// Unix time, seconds.
    pub at: i64,
    /// The practice whose chain this is.
    pub practice: String,
    /// Who recorded it (account identifier).
    pub author: String,
    /// Register reference of the patient, if any (never a name).
    pub patient: Option<String>,
    pub recipient: String,
    pub purpose: String,
    /// `disclosed` or `declined`.
    pub action: String,
    pub verdict: String,
    pub basis: Vec<String>,
    /// Category of information, as stored (encrypted by the caller when it
    /// may hold patient data).
    pub information: Vec<u8>,
    /// The salted digest of the information in clear ([`information`]):
    /// present from version 2 on, `None` for entries written before.
    #[serde(default)]
    pub information_digest: Option<Hash>,
}

impl Body {
    /// The version of the entry's encoding: 2 when it chains the digest of
    /// its information in clear, 1 before.
    pub fn version(&self) -> u8 {
        if self.information_digest.is_some() {
            2
        } else {
            1
        }
    }
}

/// An entry as stored: its place, its body, its link and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub body: Body,
    #[serde(with = "hex_hash")]
    pub prev: Hash,
    #[serde(with = "hex_hash")]
    pub hash: Hash,
}

/// The head of a chain, kept outside the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub practice: String,
    pub seq: u64,
    #[serde(with = "hex_hash")]
    pub hash: Hash,
    /// HMAC-SHA256 of the three fields above, with the anchoring key.
    #[serde(with = "hex_hash")]
    pub mac: Hash,
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The canonical encoding: fixed field order, each field length-prefixed,
/// so that no two different entries encode alike. Version 1 (no digest of
/// the information) is the encoding of the entries written before version
/// 2, byte for byte; version 2 has its own domain and ends with the digest.
pub fn canonical(seq: u64, body: &Body) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(match body.information_digest {
        None => DOMAIN,
        Some(_) => DOMAIN_V2,
    });
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&body.at.to_be_bytes());
    put(&mut out, body.practice.as_bytes());
    put(&mut out, body.author.as_bytes());
    match &body.patient {
        None => out.push(0),
        Some(p) => {
            out.push(1);
            put(&mut out, p.as_bytes());
        }
    }
    put(&mut out, body.recipient.as_bytes());
    put(&mut out, body.purpose.as_bytes());
    put(&mut out, body.action.as_bytes());
    put(&mut out, body.verdict.as_bytes());
    out.extend_from_slice(&(body.basis.len() as u64).to_be_bytes());
    for b in &body.basis {
        put(&mut out, b.as_bytes());
    }
    put(&mut out, &body.information);
    if let Some(d) = &body.information_digest {
        out.extend_from_slice(d);
    }
    out
}

/// The fields of an administrator's decision, after tampering, to continue
/// the journal on a new segment (`sceau_store::resumption`): the decision's
/// entry links to a digest of the rows found before it, not to the entry
/// before it, and starts a segment verified on its own.
pub const DECISION_RECIPIENT: &str = "sceau";
pub const DECISION_PURPOSE: &str = "reprise_apres_alteration";
pub const DECISION_ACTION: &str = "acknowledged";
pub const DECISION_VERDICT: &str = "tampering_found";

/// Whether this body is a decision to resume (its MAC is checked by whoever has the key).
pub fn is_decision(body: &Body) -> bool {
    body.recipient == DECISION_RECIPIENT
        && body.purpose == DECISION_PURPOSE
        && body.action == DECISION_ACTION
        && body.verdict == DECISION_VERDICT
        && body.patient.is_none()
}

/// The hash that starts a practice's chain.
pub fn genesis(practice: &str) -> Hash {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(b"genesis\0");
    h.update(practice.as_bytes());
    h.finalize().into()
}

pub fn entry_hash(prev: &Hash, seq: u64, body: &Body) -> Hash {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(canonical(seq, body));
    h.finalize().into()
}

/// Builds the entry that follows `prev` (or starts the chain).
pub fn chain(prev: Option<&Entry>, body: Body) -> Entry {
    let (seq, prev_hash) = match prev {
        Some(p) => (p.seq + 1, p.hash),
        None => (1, genesis(&body.practice)),
    };
    let hash = entry_hash(&prev_hash, seq, &body);
    Entry {
        seq,
        body,
        prev: prev_hash,
        hash,
    }
}

impl Anchor {
    pub fn new(key: &[u8], practice: &str, seq: u64, hash: Hash) -> Anchor {
        let mac = anchor_mac(key, practice, seq, &hash);
        Anchor {
            practice: practice.to_string(),
            seq,
            hash,
            mac,
        }
    }

    pub fn authentic(&self, key: &[u8]) -> bool {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
        m.update(&anchor_input(&self.practice, self.seq, &self.hash));
        m.verify_slice(&self.mac).is_ok()
    }
}

/// The MAC of one entry: HMAC-SHA256, under the practice's entry key, of
/// its place and its hash (which covers its content and its link). The
/// SHA-256 chain alone can be recomputed by anyone who can write the
/// database; this MAC cannot without the key, so a forged, appended or
/// rewritten entry shows even when its chain is consistent.
pub fn entry_mac(key: &[u8], practice: &str, seq: u64, hash: &Hash) -> Hash {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(b"sceau-entry-v1\0");
    m.update(&anchor_input(practice, seq, hash));
    m.finalize().into_bytes().into()
}

/// Whether `mac` is the entry MAC of (practice, seq, hash), in constant time.
pub fn entry_mac_ok(key: &[u8], practice: &str, seq: u64, hash: &Hash, mac: &[u8]) -> bool {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(b"sceau-entry-v1\0");
    m.update(&anchor_input(practice, seq, hash));
    m.verify_slice(mac).is_ok()
}

fn anchor_input(practice: &str, seq: u64, hash: &Hash) -> Vec<u8> {
    let mut v = b"sceau-anchor-v1\0".to_vec();
    put(&mut v, practice.as_bytes());
    v.extend_from_slice(&seq.to_be_bytes());
    v.extend_from_slice(hash);
    v
}

fn anchor_mac(key: &[u8], practice: &str, seq: u64, hash: &Hash) -> Hash {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(&anchor_input(practice, seq, hash));
    m.finalize().into_bytes().into()
}

/// How the chain is broken, at the first bad entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tampering {
    /// The entry's content no longer matches its hash.
    Altered,
    /// Entries are missing before this one.
    Removed,
    /// An entry that does not belong to the chain stands here.
    Inserted,
    /// Entries are out of their written order.
    Reordered,
    /// The last entries written are gone (the anchor is further on).
    Truncated,
    /// The anchor itself was forged or damaged.
    AnchorForged,
    /// The entry's chain holds but its MAC does not: written or rewritten
    /// without the key (a forged tail, a recomputed chain).
    Unsigned,
    /// The entry's sealed field does not decrypt with the practice's key.
    Undecryptable,
    /// The signed head, an anchor or a checkpoint is missing.
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct Break {
    /// The first bad entry (for `Truncated`, the first missing one).
    pub seq: u64,
    pub kind: Tampering,
    /// French, for people.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    pub entries: u64,
    pub head_seq: u64,
    #[serde(with = "hex_hash")]
    pub head: Hash,
}

/// Verifies one practice's chain, entries in the order storage returns them
/// (by sequence number), against its anchor if there is one.
pub fn verify(
    practice: &str,
    entries: &[Entry],
    anchor: Option<&Anchor>,
    key: &[u8],
) -> Result<Verified, Break> {
    verify_from(practice, 1, genesis(practice), entries, anchor, key)
}

/// Verifies a segment of a chain: `entries` start at number `first`, whose
/// `prev` must be `start` (the genesis hash for a whole chain; for a segment
/// opened after tampering was acknowledged, the digest of what was found).
/// The anchor, if any, must lie within the segment (or at `first - 1`).
pub fn verify_from(
    practice: &str,
    first: u64,
    start: Hash,
    entries: &[Entry],
    anchor: Option<&Anchor>,
    key: &[u8],
) -> Result<Verified, Break> {
    if let Some(a) = anchor {
        if a.practice != practice || !a.authentic(key) {
            return Err(Break {
                seq: a.seq,
                kind: Tampering::AnchorForged,
                message: "l’ancre du journal est falsifiée ou endommagée".into(),
            });
        }
    }
    let mut prev = start;
    let mut expected = first.max(1);
    for (i, e) in entries.iter().enumerate() {
        if let Some(kind) = check_one(practice, entries, i, expected, &prev) {
            // A removal is named by the first missing number, anything else by the entry itself.
            let seq = if kind == Tampering::Removed {
                expected
            } else {
                e.seq.min(expected)
            };
            return Err(Break {
                seq,
                kind,
                message: describe(kind, seq),
            });
        }
        prev = e.hash;
        expected += 1;
    }
    let last = expected - 1;
    if let Some(a) = anchor {
        if a.seq > last {
            return Err(Break {
                seq: last + 1,
                kind: Tampering::Truncated,
                message: format!(
                    "la fin du journal a été coupée : {} entrée(s) manquent à partir du n° {}",
                    a.seq - last,
                    last + 1
                ),
            });
        }
        let before = first.max(1) - 1;
        let at = if a.seq <= before {
            None
        } else {
            entries.get((a.seq - first.max(1)) as usize)
        };
        if a.seq > before && at.map(|e| e.hash) != Some(a.hash) {
            return Err(Break {
                seq: a.seq,
                kind: Tampering::Altered,
                message: describe(Tampering::Altered, a.seq),
            });
        }
    }
    Ok(Verified {
        entries: entries.len() as u64,
        head_seq: last,
        head: prev,
    })
}

/// Recomputes with another sequence number: was this entry moved?
fn valid_at(e: &Entry, seq: u64) -> bool {
    seq > 0 && entry_hash(&e.prev, seq, &e.body) == e.hash
}

/// What is wrong with entry `i` (expected to be number `expected`, after
/// `prev`), if anything. Looks at the next entry to tell an insertion or a
/// swap from a plain alteration.
fn check_one(
    practice: &str,
    entries: &[Entry],
    i: usize,
    expected: u64,
    prev: &Hash,
) -> Option<Tampering> {
    let e = &entries[i];
    let next = entries.get(i + 1);
    if e.seq < expected {
        return Some(if e.seq + 1 == expected {
            Tampering::Inserted
        } else {
            Tampering::Reordered
        });
    }
    if e.seq > expected {
        let later = entries[i + 1..].iter().any(|x| x.seq == expected);
        return Some(if later {
            Tampering::Reordered
        } else {
            Tampering::Removed
        });
    }
    if e.body.practice != practice {
        return Some(Tampering::Inserted);
    }
    let own = valid_at(e, e.seq);
    if !own {
        // Written as the next entry, and the next written as this one: a swap.
        if valid_at(e, e.seq + 1) && next.is_some_and(|n| valid_at(n, e.seq)) {
            return Some(Tampering::Reordered);
        }
        // The next entry was written one place earlier: this one was slipped in.
        if next.is_some_and(|n| valid_at(n, n.seq - 1) && n.prev == *prev) {
            return Some(Tampering::Inserted);
        }
        // Written one place further on: the entry before it was taken out.
        if valid_at(e, e.seq + 1) && e.prev != *prev {
            return Some(Tampering::Removed);
        }
        if (2..=8).any(|d| valid_at(e, e.seq + d) || (e.seq > d && valid_at(e, e.seq - d))) {
            return Some(Tampering::Reordered);
        }
        return Some(Tampering::Altered);
    }
    if e.prev != *prev {
        let earlier = entries[..i].iter().any(|x| x.hash == e.prev);
        return Some(if earlier {
            Tampering::Reordered
        } else {
            Tampering::Inserted
        });
    }
    None
}

pub fn describe(kind: Tampering, seq: u64) -> String {
    match kind {
        Tampering::Altered => format!("l’entrée n° {seq} a été modifiée"),
        Tampering::Removed => format!("l’entrée n° {seq} a été supprimée"),
        Tampering::Inserted => {
            format!("une entrée étrangère à la chaîne a été insérée en n° {seq}")
        }
        Tampering::Reordered => {
            format!("l’entrée n° {seq} n’est plus à sa place : des entrées ont été interverties")
        }
        Tampering::Truncated => format!("la fin du journal a été coupée à partir du n° {seq}"),
        Tampering::AnchorForged => "l’ancre du journal est falsifiée ou endommagée".into(),
        Tampering::Unsigned => format!(
            "l’entrée n° {seq} n’est pas signée par la clé du cabinet : elle a été écrite ou réécrite sans la clé"
        ),
        Tampering::Undecryptable => format!(
            "l’entrée n° {seq} est indéchiffrable avec la clé du cabinet : son contenu a été remplacé"
        ),
        Tampering::Missing => format!(
            "la tête signée ou un point de contrôle du journal manque (n° {seq})"
        ),
    }
}

mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(h: &super::Hash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<super::Hash, D::Error> {
        let s = String::deserialize(d)?;
        let v = hex::decode(&s).map_err(serde::de::Error::custom)?;
        v.try_into()
            .map_err(|_| serde::de::Error::custom("a hash has 32 bytes"))
    }
}
