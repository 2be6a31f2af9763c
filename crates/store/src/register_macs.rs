//! The signed rows of the register: consents and oppositions (audit
//! finding 3). Each row carries an HMAC-SHA-256 ([`crate::row_macs`], key
//! label [`REGISTER`]) over every column that states the fact: its id,
//! practice, patient, recipient or scope, what it covers (the decrypted
//! text: a rotation of the data key re-encrypts it, and the ciphertext is
//! bound to its row by the AEAD's associated data), purpose, method,
//! dates, and when it was recorded. A row whose MAC is missing or wrong is
//! `altered`: shown, never used to decide. A row one column of which does
//! not read (a date that is not one, a ciphertext that does not open) is
//! `unreadable` too, and shown as such instead of failing the whole page
//! (audit finding 10).

use chrono::NaiveDate;
use sqlx::Row;

use crate::fields::parse_date;
use crate::keyring::PracticeKeys;
use crate::register_record::{named, RegisterRecord, RowKind};
use crate::register_rows::{Consent, Opposition};
use crate::row_macs::{self, Field};
use crate::{Result, Store, StoreError};

/// The label of the key that signs consents and oppositions.
pub(crate) const REGISTER: &str = "sceau-register-rows-v1";

/// A consent's columns as stored (dates in their stored text form) and its
/// text decrypted: what its MAC covers.
pub(crate) struct ConsentCols {
    pub id: String,
    pub practice_id: i64,
    pub patient_id: String,
    pub recipient: String,
    pub professional: Option<String>,
    pub rpps: Option<String>,
    pub what: String,
    pub purpose: Option<String>,
    pub method: String,
    pub given_on: String,
    pub until: Option<String>,
    pub withdrawn_on: Option<String>,
    pub created_at: i64,
}

/// An opposition's columns as stored, its text decrypted.
pub(crate) struct OppositionCols {
    pub id: String,
    pub practice_id: i64,
    pub patient_id: String,
    pub scope: String,
    pub what: String,
    pub since: String,
    pub informed_on: Option<String>,
    pub lifted_on: Option<String>,
    pub created_at: i64,
}

/// A signed row of the register that the patient ends (a consent
/// withdrawn, an opposition lifted): what ending it needs to know of its
/// table, so that both are ended by one function.
pub(crate) trait EndedRow: Sized {
    /// The table, the prefix of its ids and the column that ends a row.
    const TABLE: &'static str;
    const ID_PREFIX: &'static str;
    const END_COLUMN: &'static str;
    /// How its patient's record names it.
    const KIND: crate::register_record::RowKind;
    fn read(keys: &PracticeKeys, practice_id: i64, r: &sqlx::any::AnyRow) -> Result<Self>;
    fn holds(&self, key: &[u8; 32], mac: Option<&str>) -> bool;
    fn sign(&self, key: &[u8; 32]) -> String;
    /// Sets the end column (a stored date) and returns it.
    fn end(&mut self, on: Option<String>) -> Option<String>;
}

impl EndedRow for ConsentCols {
    const TABLE: &'static str = "consents";
    const ID_PREFIX: &'static str = "cst";
    const END_COLUMN: &'static str = "withdrawn_on";
    const KIND: crate::register_record::RowKind = crate::register_record::RowKind::Consent;
    fn read(keys: &PracticeKeys, practice_id: i64, r: &sqlx::any::AnyRow) -> Result<Self> {
        ConsentCols::read(keys, practice_id, r)
    }
    fn holds(&self, key: &[u8; 32], mac: Option<&str>) -> bool {
        ConsentCols::holds(self, key, mac)
    }
    fn sign(&self, key: &[u8; 32]) -> String {
        ConsentCols::sign(self, key)
    }
    fn end(&mut self, on: Option<String>) -> Option<String> {
        self.withdrawn_on = on;
        self.withdrawn_on.clone()
    }
}

impl EndedRow for OppositionCols {
    const TABLE: &'static str = "oppositions";
    const ID_PREFIX: &'static str = "opp";
    const END_COLUMN: &'static str = "lifted_on";
    const KIND: crate::register_record::RowKind = crate::register_record::RowKind::Opposition;
    fn read(keys: &PracticeKeys, practice_id: i64, r: &sqlx::any::AnyRow) -> Result<Self> {
        OppositionCols::read(keys, practice_id, r)
    }
    fn holds(&self, key: &[u8; 32], mac: Option<&str>) -> bool {
        OppositionCols::holds(self, key, mac)
    }
    fn sign(&self, key: &[u8; 32]) -> String {
        OppositionCols::sign(self, key)
    }
    fn end(&mut self, on: Option<String>) -> Option<String> {
        self.lifted_on = on;
        self.lifted_on.clone()
    }
}

impl ConsentCols {
    fn fields(&self) -> [Field<'_>; 13] {
        [
            Field::Text(&self.id),
            Field::Int(self.practice_id),
            Field::Text(&self.patient_id),
            Field::Text(&self.recipient),
            Field::OptText(self.professional.as_deref()),
            Field::OptText(self.rpps.as_deref()),
            Field::Text(&self.what),
            Field::OptText(self.purpose.as_deref()),
            Field::Text(&self.method),
            Field::Text(&self.given_on),
            Field::OptText(self.until.as_deref()),
            Field::OptText(self.withdrawn_on.as_deref()),
            Field::Int(self.created_at),
        ]
    }

    pub fn sign(&self, key: &[u8; 32]) -> String {
        row_macs::sign(key, "consent", &self.fields())
    }

    pub fn holds(&self, key: &[u8; 32], mac: Option<&str>) -> bool {
        row_macs::holds(key, "consent", &self.fields(), mac)
    }

    /// The columns of a `SELECT *` row; an error if one does not read.
    pub fn read(keys: &PracticeKeys, practice_id: i64, r: &sqlx::any::AnyRow) -> Result<Self> {
        let id: String = r.try_get("id")?;
        let what: Vec<u8> = r.try_get("what")?;
        Ok(ConsentCols {
            what: keys.open_str(&Store::aad("consents.what", practice_id, &id), &what)?,
            practice_id: r.try_get("practice_id")?,
            patient_id: r.try_get("patient_id")?,
            recipient: r.try_get("recipient")?,
            professional: r.try_get("professional")?,
            rpps: r.try_get("rpps")?,
            purpose: r.try_get("purpose")?,
            method: r.try_get("method")?,
            given_on: r.try_get("given_on")?,
            until: r.try_get("until")?,
            withdrawn_on: r.try_get("withdrawn_on")?,
            created_at: r.try_get("created_at")?,
            id,
        })
    }

    fn consent(self) -> Result<Consent> {
        Ok(Consent {
            given_on: required_date(&self.given_on)?,
            until: parse_date(self.until)?,
            withdrawn_on: parse_date(self.withdrawn_on)?,
            id: self.id,
            patient: self.patient_id,
            recipient: self.recipient,
            professional: self.professional,
            rpps: self.rpps,
            what: self.what,
            purpose: self.purpose,
            method: self.method,
            created_at: self.created_at,
            altered: false,
            unreadable: false,
            deleted: false,
        })
    }
}

impl OppositionCols {
    fn fields(&self) -> [Field<'_>; 9] {
        [
            Field::Text(&self.id),
            Field::Int(self.practice_id),
            Field::Text(&self.patient_id),
            Field::Text(&self.scope),
            Field::Text(&self.what),
            Field::Text(&self.since),
            Field::OptText(self.informed_on.as_deref()),
            Field::OptText(self.lifted_on.as_deref()),
            Field::Int(self.created_at),
        ]
    }

    pub fn sign(&self, key: &[u8; 32]) -> String {
        row_macs::sign(key, "opposition", &self.fields())
    }

    pub fn holds(&self, key: &[u8; 32], mac: Option<&str>) -> bool {
        row_macs::holds(key, "opposition", &self.fields(), mac)
    }

    pub fn read(keys: &PracticeKeys, practice_id: i64, r: &sqlx::any::AnyRow) -> Result<Self> {
        let id: String = r.try_get("id")?;
        let what: Vec<u8> = r.try_get("what")?;
        Ok(OppositionCols {
            what: keys.open_str(&Store::aad("oppositions.what", practice_id, &id), &what)?,
            practice_id: r.try_get("practice_id")?,
            patient_id: r.try_get("patient_id")?,
            scope: r.try_get("scope")?,
            since: r.try_get("since")?,
            informed_on: r.try_get("informed_on")?,
            lifted_on: r.try_get("lifted_on")?,
            created_at: r.try_get("created_at")?,
            id,
        })
    }

    fn opposition(self) -> Result<Opposition> {
        Ok(Opposition {
            since: required_date(&self.since)?,
            informed_on: parse_date(self.informed_on)?,
            lifted_on: parse_date(self.lifted_on)?,
            id: self.id,
            patient: self.patient_id,
            scope: self.scope,
            what: self.what,
            created_at: self.created_at,
            altered: false,
            unreadable: false,
            deleted: false,
        })
    }
}

fn required_date(s: &str) -> Result<NaiveDate> {
    parse_date(Some(s.to_string()))?.ok_or(StoreError::Unreadable)
}

/// The stored MAC of a row (a column of another type reads as none).
fn stored_mac(r: &sqlx::any::AnyRow) -> Option<String> {
    r.try_get::<Option<String>, _>("mac").ok().flatten()
}

/// The id of a row for the page that marks it unreadable (empty if even
/// that does not read).
fn row_id(r: &sqlx::any::AnyRow) -> String {
    r.try_get::<String, _>("id").unwrap_or_default()
}

/// A consent as read from a `SELECT *` row of `patient`: its signature
/// checked, and that its patient's record names it (`record`: the record,
/// if it can be believed); unreadable (and altered) if a column does not
/// read.
pub(crate) fn checked_consent(
    keys: &PracticeKeys,
    key: &[u8; 32],
    practice_id: i64,
    record: Option<&RegisterRecord>,
    patient: &str,
    r: &sqlx::any::AnyRow,
) -> Consent {
    let read = ConsentCols::read(keys, practice_id, r).and_then(|cols| {
        let mac = stored_mac(r);
        let signed = cols.holds(key, mac.as_deref())
            && named(record, RowKind::Consent, &cols.id, mac.as_deref());
        Ok((signed, cols.consent()?))
    });
    match read {
        Ok((signed, mut c)) => {
            c.altered = !signed;
            c
        }
        Err(_) => Consent::blank(row_id(r), patient, false),
    }
}

/// An opposition as read from a `SELECT *` row of `patient`, as above.
pub(crate) fn checked_opposition(
    keys: &PracticeKeys,
    key: &[u8; 32],
    practice_id: i64,
    record: Option<&RegisterRecord>,
    patient: &str,
    r: &sqlx::any::AnyRow,
) -> Opposition {
    let read = OppositionCols::read(keys, practice_id, r).and_then(|cols| {
        let mac = stored_mac(r);
        let signed = cols.holds(key, mac.as_deref())
            && named(record, RowKind::Opposition, &cols.id, mac.as_deref());
        Ok((signed, cols.opposition()?))
    });
    match read {
        Ok((signed, mut o)) => {
            o.altered = !signed;
            o
        }
        Err(_) => Opposition::blank(row_id(r), patient, false),
    }
}

/// The key that signs a practice's consents and oppositions.
pub(crate) fn register_key(keys: &PracticeKeys) -> Result<[u8; 32]> {
    row_macs::key(keys, REGISTER)
}
