//! A patient's consents and oppositions as the register reads them: the
//! rows' types, apart from the register's queries, so that the MACs that
//! check them (`register_macs`) and the queries that read them (`register`)
//! both use them without depending on each other.
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Consent {
    pub id: String,
    pub patient: String,
    /// The category of recipient (a value of the fact `recipient`).
    pub recipient: String,
    /// A named professional, when the consent is for one person.
    pub professional: Option<String>,
    pub rpps: Option<String>,
    /// What may be shared.
    pub what: String,
    /// The purpose (a value of the fact `purpose`); `None`: any purpose.
    pub purpose: Option<String>,
    /// `oral`, `ecrit` or `electronique`.
    pub method: String,
    pub given_on: NaiveDate,
    pub until: Option<NaiveDate>,
    pub withdrawn_on: Option<NaiveDate>,
    pub created_at: i64,
    /// The row is not as Sceau signed it (changed without the key, or
    /// written before schema 16 and not yet attested): shown, never used
    /// to decide.
    pub altered: bool,
    /// A column does not read (a date that is not one, a text that does
    /// not decrypt): the other fields are empty; altered too.
    pub unreadable: bool,
    /// A row that its patient's signed record names was not found: it was
    /// deleted (or moved) without Sceau. Shown so, never read as absent;
    /// the other fields are empty; altered and unreadable too.
    pub deleted: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Opposition {
    pub id: String,
    pub patient: String,
    /// `tout` (every exchange and sharing) or a category of recipient.
    pub scope: String,
    /// What the patient opposed, in the patient's words.
    pub what: String,
    pub since: NaiveDate,
    /// When the patient was informed of the right to oppose.
    pub informed_on: Option<NaiveDate>,
    pub lifted_on: Option<NaiveDate>,
    pub created_at: i64,
    /// As for [`Consent::altered`].
    pub altered: bool,
    /// As for [`Consent::unreadable`].
    pub unreadable: bool,
    /// As for [`Consent::deleted`].
    pub deleted: bool,
}

impl Consent {
    /// A row that does not read (`deleted`: that is not there): only its
    /// id is known.
    pub(crate) fn blank(id: String, patient: &str, deleted: bool) -> Consent {
        Consent {
            id,
            patient: patient.to_string(),
            recipient: String::new(),
            professional: None,
            rpps: None,
            what: String::new(),
            purpose: None,
            method: String::new(),
            given_on: NaiveDate::default(),
            until: None,
            withdrawn_on: None,
            created_at: 0,
            altered: true,
            unreadable: true,
            deleted,
        }
    }

    /// In force on `day`: given, not expired, not withdrawn.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.given_on <= day
            && self.until.is_none_or(|u| day <= u)
            && self.withdrawn_on.is_none_or(|w| day < w)
    }
}

impl Opposition {
    /// As [`Consent::blank`].
    pub(crate) fn blank(id: String, patient: &str, deleted: bool) -> Opposition {
        Opposition {
            id,
            patient: patient.to_string(),
            scope: String::new(),
            what: String::new(),
            since: NaiveDate::default(),
            informed_on: None,
            lifted_on: None,
            created_at: 0,
            altered: true,
            unreadable: true,
            deleted,
        }
    }

    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.since <= day && self.lifted_on.is_none_or(|l| day < l)
    }
}
