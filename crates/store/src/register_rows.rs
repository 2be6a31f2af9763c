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
}

impl Consent {
    /// In force on `day`: given, not expired, not withdrawn.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.given_on <= day
            && self.until.is_none_or(|u| day <= u)
            && self.withdrawn_on.is_none_or(|w| day < w)
    }
}

impl Opposition {
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.since <= day && self.lifted_on.is_none_or(|l| day < l)
    }
}
