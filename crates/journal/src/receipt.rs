//! Receipts: the journal's head (sequence number and hash) at one moment,
//! signed with the practice's key, carried by every document that leaves
//! the practice and by the checkpoints written to a second place.
//!
//! The chain makes a receipt a commitment to every entry up to its head: a
//! journal "still extends" a receipt when its entry at the receipt's
//! sequence number has the receipt's hash and the chain from the genesis
//! hash up to there holds (for a hash chain this is what a consistency
//! proof of a Merkle tree shows, RFC 6962 §2.1.2, with the whole prefix as
//! the proof). Whoever holds a receipt and an export can check it without
//! the key; the MAC, which shows the receipt came from the practice, needs
//! the key (`sceau journal verify --receipt`).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::{genesis, hex_hash, Entry, Hash};

/// The receipt format this crate writes and reads.
pub const RECEIPT_FORMAT: &str = "sceau-journal-receipt-v1";

/// A signed head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub format: String,
    pub practice: String,
    pub seq: u64,
    #[serde(with = "hex_hash")]
    pub hash: Hash,
    /// Unix time, seconds, when the head was read.
    pub at: i64,
    /// HMAC-SHA256 of the fields above with the practice's anchoring key.
    #[serde(with = "hex_hash")]
    pub mac: Hash,
}

fn input(practice: &str, seq: u64, hash: &Hash, at: i64) -> Vec<u8> {
    let mut v = b"sceau-receipt-v1\0".to_vec();
    v.extend_from_slice(&(practice.len() as u64).to_be_bytes());
    v.extend_from_slice(practice.as_bytes());
    v.extend_from_slice(&seq.to_be_bytes());
    v.extend_from_slice(hash);
    v.extend_from_slice(&at.to_be_bytes());
    v
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length")
}

impl Receipt {
    pub fn new(key: &[u8], practice: &str, seq: u64, hash: Hash, at: i64) -> Receipt {
        let mut m = mac(key);
        m.update(&input(practice, seq, &hash, at));
        Receipt {
            format: RECEIPT_FORMAT.into(),
            practice: practice.into(),
            seq,
            hash,
            at,
            mac: m.finalize().into_bytes().into(),
        }
    }

    /// Whether the practice's key signed this receipt.
    pub fn authentic(&self, key: &[u8]) -> bool {
        let mut m = mac(key);
        m.update(&input(&self.practice, self.seq, &self.hash, self.at));
        self.format == RECEIPT_FORMAT && m.verify_slice(&self.mac).is_ok()
    }

    /// The receipt as one line of words, printed at the foot of documents:
    /// it survives typesetting, wrapping and text extraction from a PDF
    /// (only ASCII letters, digits, `-` and `=`).
    pub fn to_line(&self) -> String {
        format!(
            "{RECEIPT_FORMAT} practice={} seq={} hash={} at={} mac={}",
            self.practice,
            self.seq,
            hex::encode(self.hash),
            self.at,
            hex::encode(self.mac)
        )
    }

    /// Reads a receipt: a JSON file (`sceau journal receipt`, the receipt
    /// line of an export) or any text holding the line of [`Receipt::to_line`]
    /// (a document's text, a PDF's extracted text). The error is French and
    /// names no value.
    pub fn parse(text: &str) -> Result<Receipt, String> {
        if let Ok(r) = serde_json::from_str::<Receipt>(text.trim()) {
            if r.format != RECEIPT_FORMAT {
                return Err(format!(
                    "format de reçu inconnu : « {RECEIPT_FORMAT} » attendu"
                ));
            }
            return Ok(r);
        }
        let word = format!("{RECEIPT_FORMAT} ");
        match text.find(&word) {
            Some(at) => from_line(&text[at + word.len()..]),
            None => Err(format!(
                "aucun reçu dans ce fichier : un objet JSON au format « {RECEIPT_FORMAT} » ou la ligne « {RECEIPT_FORMAT} practice=… » est attendu"
            )),
        }
    }

    /// Whether `entries` (a whole chain, by sequence number, already
    /// verified from the genesis hash) extends this receipt's head; the
    /// error says in French what does not hold.
    pub fn extended_by(&self, practice: &str, entries: &[Entry]) -> Result<(), String> {
        if self.practice != practice {
            return Err("ce reçu est celui d’un autre cabinet".into());
        }
        if self.seq == 0 {
            return if self.hash == genesis(practice) {
                Ok(())
            } else {
                Err("le reçu ne désigne pas l’origine de ce journal".into())
            };
        }
        match entries.iter().find(|e| e.seq == self.seq) {
            None => Err(format!(
                "le journal ne va plus jusqu’à l’entrée n° {} que le reçu atteste : sa fin a été coupée ou le journal remplacé",
                self.seq
            )),
            Some(e) if e.hash != self.hash => Err(format!(
                "l’entrée n° {} n’est plus celle que le reçu atteste : le journal a été réécrit jusqu’à ce point",
                self.seq
            )),
            Some(_) => Ok(()),
        }
    }
}

/// The words after the format name: `practice= seq= hash= at= mac=`, in
/// that order, separated by any white space (a wrapped line).
fn from_line(rest: &str) -> Result<Receipt, String> {
    let bad = || {
        format!("reçu illisible : la ligne « {RECEIPT_FORMAT} practice=… seq=… hash=… at=… mac=… » est incomplète")
    };
    let mut words = rest.split_whitespace();
    let mut field = |name: &str| {
        words
            .next()
            .and_then(|w| w.strip_prefix(name))
            .and_then(|w| w.strip_prefix('='))
            // The value ends where its characters do (a JSON string's quote, a tag).
            .map(|w| {
                w.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect::<String>()
            })
            .ok_or_else(bad)
    };
    let practice = field("practice")?;
    let seq = field("seq")?.parse::<u64>().map_err(|_| bad())?;
    let hash = field("hash")?;
    let at = field("at")?.parse::<i64>().map_err(|_| bad())?;
    let mac = field("mac")?;
    let hex32 = |h: &str| -> Result<Hash, String> {
        hex::decode(h)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(bad)
    };
    Ok(Receipt {
        format: RECEIPT_FORMAT.into(),
        practice,
        seq,
        hash: hex32(&hash)?,
        at,
        mac: hex32(&mac)?,
    })
}
