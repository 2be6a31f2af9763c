//! The other signed facts of the register (audit finding 6): the care
//! team, a patient's dates of birth and death, archiving, and the duties.
//! Each feeds a decision or what the practice is shown it still has to do:
//! a member of the care team is a recipient without consent (CSP
//! L.1110-4), the dates answer `patient_alive` and `patient_minor`, an
//! archived patient leaves the lists, a duty done leaves the home page.
//!
//! Each row carries an HMAC-SHA-256 ([`crate::row_macs`], key label
//! [`FACTS`], one kind per table) over every column that states the fact,
//! encrypted ones decrypted (their ciphertext is bound to its row by the
//! AEAD's associated data, and a rotation of the data key re-encrypts
//! them). A row whose MAC is missing or wrong is altered: shown, never
//! used to decide; only Sceau's own writes and `sceau register attest`
//! sign one.

use sqlx::Row;

use crate::keyring::PracticeKeys;
use crate::row_macs::{self, Field};
use crate::{Result, Store};

/// The label of the key that signs the care team, the patients' dates,
/// archiving and the duties.
pub(crate) const FACTS: &str = "sceau-register-facts-v1";

/// The key that signs a practice's register facts.
pub(crate) fn facts_key(keys: &PracticeKeys) -> Result<[u8; 32]> {
    row_macs::key(keys, FACTS)
}

/// The stored MAC of a row (a column of another type reads as none).
pub(crate) fn stored_mac(r: &sqlx::any::AnyRow) -> Option<String> {
    r.try_get::<Option<String>, _>("mac").ok().flatten()
}

/// A row of a signed table: its columns as stored (dates in their text
/// form, encrypted ones decrypted), and the kind its MAC is made under.
pub(crate) trait SignedFact: Sized {
    const KIND: &'static str;
    fn fields(&self) -> Vec<Field<'_>>;
    fn read(keys: &PracticeKeys, practice_id: i64, r: &sqlx::any::AnyRow) -> Result<Self>;
    /// The patient the row is about (empty for a duty about none).
    fn patient_of(&self) -> String;

    fn sign(&self, key: &[u8; 32]) -> String {
        row_macs::sign(key, Self::KIND, &self.fields())
    }

    fn holds(&self, key: &[u8; 32], mac: Option<&str>) -> bool {
        row_macs::holds(key, Self::KIND, &self.fields(), mac)
    }

    /// The row read, and whether its MAC holds; an error if a column does
    /// not read.
    fn checked(
        keys: &PracticeKeys,
        key: &[u8; 32],
        practice_id: i64,
        r: &sqlx::any::AnyRow,
    ) -> Result<(Self, bool)> {
        let cols = Self::read(keys, practice_id, r)?;
        let held = cols.holds(key, stored_mac(r).as_deref());
        Ok((cols, held))
    }
}

/// A member of a patient's care team as stored.
pub(crate) struct MemberCols {
    pub id: String,
    pub practice_id: i64,
    pub patient_id: String,
    pub name: String,
    pub profession: String,
    pub rpps: Option<String>,
    pub ground: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub created_at: i64,
}

impl SignedFact for MemberCols {
    const KIND: &'static str = "care-team";
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            Field::Text(&self.id),
            Field::Int(self.practice_id),
            Field::Text(&self.patient_id),
            Field::Text(&self.name),
            Field::Text(&self.profession),
            Field::OptText(self.rpps.as_deref()),
            Field::OptText(self.ground.as_deref()),
            Field::OptText(self.since.as_deref()),
            Field::OptText(self.until.as_deref()),
            Field::Int(self.created_at),
        ]
    }
    fn patient_of(&self) -> String {
        self.patient_id.clone()
    }
    fn read(_: &PracticeKeys, _: i64, r: &sqlx::any::AnyRow) -> Result<Self> {
        Ok(MemberCols {
            id: r.try_get("id")?,
            practice_id: r.try_get("practice_id")?,
            patient_id: r.try_get("patient_id")?,
            name: r.try_get("name")?,
            profession: r.try_get("profession")?,
            rpps: r.try_get("rpps")?,
            ground: r.try_get("ground")?,
            since: r.try_get("since")?,
            until: r.try_get("until")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

/// The columns of a patient that decide: its dates of birth and death
/// (decrypted). The name and the practice's reference decide nothing and
/// are corrected on their own.
pub(crate) struct PatientDates {
    pub id: String,
    pub practice_id: i64,
    pub birth_date: Option<String>,
    pub deceased_on: Option<String>,
}

impl SignedFact for PatientDates {
    const KIND: &'static str = "patient-dates";
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            Field::Text(&self.id),
            Field::Int(self.practice_id),
            Field::OptText(self.birth_date.as_deref()),
            Field::OptText(self.deceased_on.as_deref()),
        ]
    }
    fn patient_of(&self) -> String {
        self.id.clone()
    }
    fn read(keys: &PracticeKeys, practice_id: i64, r: &sqlx::any::AnyRow) -> Result<Self> {
        let id: String = r.try_get("id")?;
        let date = |col: &str| -> Result<Option<String>> {
            let v: Option<Vec<u8>> = r.try_get(col)?;
            keys.open_opt(&Store::aad(&format!("patients.{col}"), practice_id, &id), v)
        };
        Ok(PatientDates {
            birth_date: date("birth_date")?,
            deceased_on: date("deceased_on")?,
            practice_id: r.try_get("practice_id")?,
            id,
        })
    }
}

/// A patient's archiving as stored.
pub(crate) struct ArchiveCols {
    pub patient_id: String,
    pub practice_id: i64,
    pub archived_at: i64,
    pub archived_by: String,
}

impl SignedFact for ArchiveCols {
    const KIND: &'static str = "patient-archive";
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            Field::Text(&self.patient_id),
            Field::Int(self.practice_id),
            Field::Int(self.archived_at),
            Field::Text(&self.archived_by),
        ]
    }
    fn patient_of(&self) -> String {
        self.patient_id.clone()
    }
    fn read(_: &PracticeKeys, _: i64, r: &sqlx::any::AnyRow) -> Result<Self> {
        Ok(ArchiveCols {
            patient_id: r.try_get("patient_id")?,
            practice_id: r.try_get("practice_id")?,
            archived_at: r.try_get("archived_at")?,
            archived_by: r.try_get("archived_by")?,
        })
    }
}

/// A duty as stored, its subject and how it was done decrypted.
pub(crate) struct DutyCols {
    pub id: String,
    pub practice_id: i64,
    pub kind: String,
    pub subject: String,
    pub created_at: i64,
    pub created_by: String,
    pub done_on: Option<String>,
    pub done_how: Option<String>,
    pub done_at: Option<i64>,
    pub done_by: Option<String>,
    pub patient_id: Option<String>,
}

impl SignedFact for DutyCols {
    const KIND: &'static str = "duty";
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            Field::Text(&self.id),
            Field::Int(self.practice_id),
            Field::Text(&self.kind),
            Field::Text(&self.subject),
            Field::Int(self.created_at),
            Field::Text(&self.created_by),
            Field::OptText(self.done_on.as_deref()),
            Field::OptText(self.done_how.as_deref()),
            Field::OptInt(self.done_at),
            Field::OptText(self.done_by.as_deref()),
            Field::OptText(self.patient_id.as_deref()),
        ]
    }
    fn patient_of(&self) -> String {
        self.patient_id.clone().unwrap_or_default()
    }
    fn read(keys: &PracticeKeys, practice_id: i64, r: &sqlx::any::AnyRow) -> Result<Self> {
        let id: String = r.try_get("id")?;
        let subject: Vec<u8> = r.try_get("subject")?;
        let how: Option<Vec<u8>> = r.try_get("done_how")?;
        Ok(DutyCols {
            subject: keys.open_str(&Store::aad("duties.subject", practice_id, &id), &subject)?,
            done_how: match how {
                None => None,
                Some(h) => {
                    Some(keys.open_str(&Store::aad("duties.done_how", practice_id, &id), &h)?)
                }
            },
            practice_id: r.try_get("practice_id")?,
            kind: r.try_get("kind")?,
            created_at: r.try_get("created_at")?,
            created_by: r.try_get("created_by")?,
            done_on: r.try_get("done_on")?,
            done_at: r.try_get("done_at")?,
            done_by: r.try_get("done_by")?,
            patient_id: r.try_get("patient_id")?,
            id,
        })
    }
}

/// An entry of the recipients' directory as stored (audit of 2026-11-30,
/// finding 7): where a drafted CP 226-14 report is addressed, and whether
/// it is an example still to check. Its creation time decides nothing and
/// is left out, so that a change signs without reading it first.
pub(crate) struct RecipientCols {
    pub id: String,
    pub practice_id: i64,
    pub kind: String,
    pub department: String,
    pub name: String,
    /// The address lines joined by newlines, as stored.
    pub address: String,
    pub salutation: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub example: i64,
    pub updated_at: i64,
    pub updated_by: String,
}

impl SignedFact for RecipientCols {
    const KIND: &'static str = "recipient";
    fn fields(&self) -> Vec<Field<'_>> {
        vec![
            Field::Text(&self.id),
            Field::Int(self.practice_id),
            Field::Text(&self.kind),
            Field::Text(&self.department),
            Field::Text(&self.name),
            Field::Text(&self.address),
            Field::OptText(self.salutation.as_deref()),
            Field::OptText(self.email.as_deref()),
            Field::OptText(self.phone.as_deref()),
            Field::Int(self.example),
            Field::Int(self.updated_at),
            Field::Text(&self.updated_by),
        ]
    }
    fn patient_of(&self) -> String {
        String::new()
    }
    fn read(_: &PracticeKeys, _: i64, r: &sqlx::any::AnyRow) -> Result<Self> {
        RecipientCols::read_plain(r)
    }
}

impl RecipientCols {
    /// The columns of a `SELECT *` row (nothing in it is encrypted).
    pub(crate) fn read_plain(r: &sqlx::any::AnyRow) -> Result<Self> {
        Ok(RecipientCols {
            id: r.try_get("id")?,
            practice_id: r.try_get("practice_id")?,
            kind: r.try_get("kind")?,
            department: r.try_get("department")?,
            name: r.try_get("name")?,
            address: r.try_get("address")?,
            salutation: r.try_get("salutation")?,
            email: r.try_get("email")?,
            phone: r.try_get("phone")?,
            example: r.try_get("example")?,
            updated_at: r.try_get("updated_at")?,
            updated_by: r.try_get("updated_by")?,
        })
    }
}
