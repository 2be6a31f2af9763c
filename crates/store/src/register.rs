//! The patient register: patients (kept to the minimum), their care team
//! (CSP L.1110-12), consents to share outside it (L.1110-4 III) and
//! oppositions (L.1110-4 IV).
//!
//! Identity fields (display name, date of birth, internal reference, date
//! of death) and free-text descriptions are encrypted; identifiers are
//! random (128 bits) and every query is restricted to the caller's
//! practice, so that another practice's objects are simply « not found ».

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::fields::{fmt_date, ident, new_id, opt_text, parse_date, text};
use crate::keyring::PracticeKeys;
use crate::register_facts::{
    facts_key, stored_mac, DutyCols, MemberCols, PatientDates, SignedFact,
};
use crate::register_macs::{
    checked_consent, checked_opposition, register_key, ConsentCols, EndedRow, OppositionCols,
};
use crate::register_record::{named, RecordBook, RegisterRecord, RowKind};
use crate::{now, Result, Store, StoreError};

pub use crate::fields::valid_id;
pub use crate::register_rows::{Consent, Opposition};

/// How a consent was collected (« recueilli par tout moyen, y compris de façon dématérialisée »).
pub const CONSENT_METHODS: [(&str, &str); 3] = [
    ("oral", "oralement"),
    ("ecrit", "par écrit"),
    ("electronique", "par voie électronique"),
];

/// The three grounds of membership of a care team (CSP L.1110-12).
pub const TEAM_GROUNDS: [(&str, &str); 3] = [
    (
        "1",
        "1° même établissement ou structure de coordination (MSP, centre de santé…)",
    ),
    (
        "2",
        "2° reconnu par le patient (soins prescrits par le médecin qui le suit)",
    ),
    (
        "3",
        "3° ensemble à organisation formalisée (cahier des charges)",
    ),
];

/// The scope of an opposition that covers every exchange and sharing.
pub const OPPOSITION_ALL: &str = "tout";

/// Why an altered consent is not withdrawn by Sceau.
const ALTERED_CONSENT: &str = "Ce consentement est marqué «\u{a0}altéré\u{a0}»\u{a0}: Sceau ne le modifie pas tant que l’administrateur du serveur ne l’a pas vérifié et attesté (sceau register attest).";

/// Why Sceau does not change a patient's dates when they are altered.
pub(crate) const ALTERED_DATES: &str = "Les dates de naissance et de décès de ce patient sont marquées «\u{a0}altérées\u{a0}»\u{a0}: Sceau ne les modifie pas tant que l’administrateur du serveur ne les a pas vérifiées et attestées (sceau register attest).";

/// Why Sceau does not end an altered member's membership.
const ALTERED_MEMBER: &str = "Ce membre de l’équipe de soins est marqué «\u{a0}altéré\u{a0}»\u{a0}: Sceau ne le modifie pas tant que l’administrateur du serveur ne l’a pas vérifié et attesté (sceau register attest).";

/// Why Sceau does not complete an altered duty.
const ALTERED_DUTY: &str = "Cette obligation est marquée «\u{a0}altérée\u{a0}»\u{a0}: Sceau ne la modifie pas tant que l’administrateur du serveur ne l’a pas vérifiée et attestée (sceau register attest).";

/// Why an altered opposition is not lifted by Sceau.
const ALTERED_OPPOSITION: &str = "Cette opposition est marquée «\u{a0}altérée\u{a0}»\u{a0}: Sceau ne la modifie pas tant que l’administrateur du serveur ne l’a pas vérifiée et attestée (sceau register attest).";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Patient {
    /// The register reference (`pat_…`), unguessable.
    pub id: String,
    pub display_name: String,
    pub birth_date: Option<NaiveDate>,
    /// The practice's own reference (file number…).
    pub reference: Option<String>,
    pub deceased_on: Option<NaiveDate>,
    pub created_at: i64,
    /// A column of the row does not read (a ciphertext that does not open,
    /// a date that is not one): the other fields are empty, and the
    /// register supplies nothing about this patient to a decision.
    pub unreadable: bool,
    /// The dates of birth and death are not as Sceau signed them (changed
    /// without the key, or written before schema 17 and not yet attested):
    /// shown, never used to decide (alive and minor are then unknown).
    pub dates_altered: bool,
    /// The patient's signed record of its register rows is missing, does
    /// not verify or went backwards (written without the key, or not yet
    /// attested since schema 21): none of its rows is believed, and what
    /// was deleted cannot be known, so the register supplies nothing about
    /// this patient to a decision.
    pub record_altered: bool,
}

#[derive(Debug, Clone, Default)]
pub struct NewPatient {
    pub display_name: String,
    pub birth_date: Option<NaiveDate>,
    pub reference: Option<String>,
    pub deceased_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CareTeamMember {
    pub id: String,
    pub patient: String,
    pub name: String,
    pub profession: String,
    pub rpps: Option<String>,
    /// `1`, `2` or `3`: the paragraph of L.1110-12.
    pub ground: Option<String>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub created_at: i64,
    /// A column of the row does not read: the other fields are empty, and
    /// the member is no one's recipient.
    pub unreadable: bool,
    /// The row is not as Sceau signed it: shown, not taken as a member of
    /// the care team (the interview asks who the recipient is).
    pub altered: bool,
    /// As for [`Consent::deleted`]: a member its patient's record names
    /// was not found.
    pub deleted: bool,
}

#[derive(Debug, Clone, Default)]
pub struct NewMember {
    pub name: String,
    pub profession: String,
    pub rpps: Option<String>,
    pub ground: Option<String>,
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct NewConsent {
    pub recipient: String,
    pub professional: Option<String>,
    pub rpps: Option<String>,
    pub what: String,
    pub purpose: Option<String>,
    pub method: String,
    pub given_on: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct NewOpposition {
    pub scope: String,
    pub what: String,
    pub since: Option<NaiveDate>,
    pub informed_on: Option<NaiveDate>,
}

impl CareTeamMember {
    /// A row that does not read (`deleted`: that is not there): only its
    /// id is known; altered.
    fn blank(id: String, patient: &str, deleted: bool) -> CareTeamMember {
        CareTeamMember {
            id,
            patient: patient.to_string(),
            name: String::new(),
            profession: String::new(),
            rpps: None,
            ground: None,
            since: None,
            until: None,
            created_at: 0,
            unreadable: true,
            altered: true,
            deleted,
        }
    }

    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.since.is_none_or(|s| s <= day) && self.until.is_none_or(|u| day <= u)
    }
}

impl Patient {
    /// Whether the patient is a minor on `day` (unknown without a date of
    /// birth, or when the dates are altered).
    pub fn minor_on(&self, day: NaiveDate) -> Option<bool> {
        if self.dates_altered {
            return None;
        }
        let b = self.birth_date?;
        let adult = b
            .checked_add_months(chrono::Months::new(18 * 12))
            .unwrap_or(NaiveDate::MAX);
        Some(day < adult)
    }

    pub fn alive_on(&self, day: NaiveDate) -> bool {
        self.deceased_on.is_none_or(|d| day < d)
    }
}

fn rpps(value: &Option<String>) -> Result<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.len() == 11 && v.chars().all(|c| c.is_ascii_digit()) => Ok(Some(v.into())),
        Some(_) => Err(StoreError::Invalid(
            "Numéro RPPS : 11 chiffres (ou laissez vide).".into(),
        )),
    }
}

impl Store {
    pub(crate) fn aad(table_col: &str, practice_id: i64, id: &str) -> String {
        format!("{table_col}/{practice_id}/{id}")
    }

    // ------------------------------------------------------------ patients

    pub async fn create_patient(
        &self,
        practice_id: i64,
        author: &str,
        p: &NewPatient,
    ) -> Result<Patient> {
        let keys = self.practice_keys(practice_id).await?;
        let name = text("Nom du patient", &p.display_name, 120, true)?.unwrap_or_default();
        let reference = opt_text("Référence interne", &p.reference, 60)?;
        let today = sceau_clock::legal_today();
        if p.birth_date.is_some_and(|b| b > today) {
            return Err(StoreError::Invalid(
                "Date de naissance : elle ne peut pas être dans le futur.".into(),
            ));
        }
        let id = new_id("pat");
        let t = now();
        let birth = fmt_date(p.birth_date);
        let death = fmt_date(p.deceased_on);
        let mac = PatientDates {
            id: id.clone(),
            practice_id,
            birth_date: birth.clone(),
            deceased_on: death.clone(),
        }
        .sign(&facts_key(&keys)?);
        self.write_recorded(
            &keys,
            practice_id,
            &id,
            (RowKind::Dates, &id, &mac),
            None,
            true,
            Some("patients"),
            sqlx::query(
                "INSERT INTO patients (id, practice_id, display_name, birth_date, reference, deceased_on, created_at, created_by, mac)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&id)
            .bind(practice_id)
            .bind(keys.seal_str(&Self::aad("patients.display_name", practice_id, &id), &name))
            .bind(keys.seal_opt(&Self::aad("patients.birth_date", practice_id, &id), birth.as_deref()))
            .bind(keys.seal_opt(&Self::aad("patients.reference", practice_id, &id), reference.as_deref()))
            .bind(keys.seal_opt(&Self::aad("patients.deceased_on", practice_id, &id), death.as_deref()))
            .bind(t)
            .bind(author)
            .bind(mac.clone()),
        )
        .await?;
        Ok(Patient {
            id,
            display_name: name,
            birth_date: p.birth_date,
            reference,
            deceased_on: p.deceased_on,
            created_at: t,
            unreadable: false,
            dates_altered: false,
            record_altered: false,
        })
    }

    /// A patient from its row; one that does not read is marked so (its id
    /// kept when it reads), never an error that would take the whole list
    /// or page down (audit finding 10).
    fn patient_from_row(
        keys: &PracticeKeys,
        key: &[u8; 32],
        practice_id: i64,
        record: Option<&RegisterRecord>,
        row: &sqlx::any::AnyRow,
    ) -> Patient {
        Self::read_patient(keys, key, practice_id, record, row).unwrap_or_else(|_| Patient {
            id: row.try_get::<String, _>("id").unwrap_or_default(),
            display_name: String::new(),
            birth_date: None,
            reference: None,
            deceased_on: None,
            created_at: 0,
            unreadable: true,
            dates_altered: true,
            record_altered: record.is_none(),
        })
    }

    fn read_patient(
        keys: &PracticeKeys,
        key: &[u8; 32],
        practice_id: i64,
        record: Option<&RegisterRecord>,
        row: &sqlx::any::AnyRow,
    ) -> Result<Patient> {
        let (_, signed) = PatientDates::checked(keys, key, practice_id, row)?;
        let id: String = row.try_get("id")?;
        // Signed once is not enough: the version its record names.
        let current = named(record, RowKind::Dates, &id, stored_mac(row).as_deref());
        let name: Vec<u8> = row.try_get("display_name")?;
        let date = |col: &str| -> Result<Option<NaiveDate>> {
            let v: Option<Vec<u8>> = row.try_get(col)?;
            parse_date(keys.open_opt(&Self::aad(&format!("patients.{col}"), practice_id, &id), v)?)
        };
        Ok(Patient {
            display_name: keys
                .open_str(&Self::aad("patients.display_name", practice_id, &id), &name)?,
            birth_date: date("birth_date")?,
            deceased_on: date("deceased_on")?,
            reference: keys.open_opt(
                &Self::aad("patients.reference", practice_id, &id),
                row.try_get("reference")?,
            )?,
            created_at: row.try_get("created_at")?,
            unreadable: false,
            dates_altered: !signed || !current,
            record_altered: record.is_none(),
            id,
        })
    }

    /// The practice's patients, sorted by name (decrypted here: the database cannot sort them).
    pub async fn list_patients(&self, practice_id: i64) -> Result<Vec<Patient>> {
        let keys = self.practice_keys(practice_id).await?;
        // Archived patients leave the list (`patient_records`); an altered
        // archiving is not one, checked here since the database cannot.
        let rows = sqlx::query("SELECT * FROM patients WHERE practice_id = $1")
            .bind(practice_id)
            .fetch_all(self.pool())
            .await?;
        let book = self.register_records(&keys, practice_id).await?;
        let archived: Vec<String> = self
            .archivings(practice_id, &book)
            .await?
            .into_iter()
            .filter(|(_, altered)| !altered)
            .map(|(id, _)| id)
            .collect();
        let key = facts_key(&keys)?;
        let mut out: Vec<Patient> = rows
            .iter()
            .map(|r| {
                let id = r.try_get::<String, _>("id").unwrap_or_default();
                Self::patient_from_row(&keys, &key, practice_id, book.of(&id), r)
            })
            .filter(|p| !archived.contains(&p.id))
            .collect();
        // The unreadable ones last, to be seen without hiding the others.
        out.sort_by_key(|p| (p.unreadable, p.display_name.to_lowercase(), p.id.clone()));
        Ok(out)
    }

    /// One patient of the practice; another practice's (or an unknown) id is `NotFound`.
    pub async fn patient(&self, practice_id: i64, id: &str) -> Result<Patient> {
        if !valid_id("pat", id) {
            return Err(StoreError::NotFound);
        }
        let row = sqlx::query("SELECT * FROM patients WHERE practice_id = $1 AND id = $2")
            .bind(practice_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let keys = self.practice_keys(practice_id).await?;
        let record = self.register_record(&keys, practice_id, id).await?;
        Ok(Self::patient_from_row(
            &keys,
            &facts_key(&keys)?,
            practice_id,
            record.as_ref(),
            &row,
        ))
    }

    /// Rewrites a patient's dates, signed, if the row still holds the
    /// signed dates it had: a change never attests what someone else wrote
    /// (`ALTERED_DATES` otherwise). `change` sets the new dates (stored
    /// text form) on the dates read.
    pub(crate) async fn resign_patient_dates(
        &self,
        keys: &PracticeKeys,
        practice_id: i64,
        id: &str,
        change: impl FnOnce(&mut PatientDates),
    ) -> Result<()> {
        let key = facts_key(keys)?;
        let row = sqlx::query("SELECT * FROM patients WHERE practice_id = $1 AND id = $2")
            .bind(practice_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let mac = stored_mac(&row);
        let mut dates = match PatientDates::checked(keys, &key, practice_id, &row) {
            Ok((d, true)) => d,
            _ => return Err(StoreError::Invalid(ALTERED_DATES.into())),
        };
        change(&mut dates);
        let signed = dates.sign(&key);
        let statement = sqlx::query(
            "UPDATE patients SET birth_date = $1, deceased_on = $2, mac = $3
             WHERE practice_id = $4 AND id = $5 AND mac = $6",
        )
        .bind(keys.seal_opt(
            &Self::aad("patients.birth_date", practice_id, id),
            dates.birth_date.as_deref(),
        ))
        .bind(keys.seal_opt(
            &Self::aad("patients.deceased_on", practice_id, id),
            dates.deceased_on.as_deref(),
        ))
        .bind(signed.clone())
        .bind(practice_id)
        .bind(id)
        .bind(mac.clone());
        if !self
            .replace_recorded(
                keys,
                practice_id,
                id,
                (RowKind::Dates, id, &signed),
                mac.as_deref(),
                statement,
            )
            .await?
        {
            // Changed between the read and the write: nothing signed.
            return Err(StoreError::Invalid(ALTERED_DATES.into()));
        }
        Ok(())
    }

    /// Records a patient's death (the register then answers `patient_alive`).
    pub async fn set_patient_deceased(
        &self,
        practice_id: i64,
        id: &str,
        on: Option<NaiveDate>,
    ) -> Result<()> {
        let keys = self.practice_keys(practice_id).await?;
        self.patient(practice_id, id).await?;
        self.resign_patient_dates(&keys, practice_id, id, |d| d.deceased_on = fmt_date(on))
            .await
    }

    // ------------------------------------------------------------ care team

    pub async fn add_member(
        &self,
        practice_id: i64,
        patient: &str,
        m: &NewMember,
    ) -> Result<CareTeamMember> {
        self.patient(practice_id, patient).await?;
        let name = text("Nom du professionnel", &m.name, 120, true)?.unwrap_or_default();
        let profession = text("Profession", &m.profession, 80, true)?.unwrap_or_default();
        let rpps = rpps(&m.rpps)?;
        let ground = match m.ground.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(g) if TEAM_GROUNDS.iter().any(|(k, _)| *k == g) => Some(g.to_string()),
            Some(_) => {
                return Err(StoreError::Invalid(
                    "Fondement de l’appartenance : 1°, 2° ou 3° de l’article L. 1110-12.".into(),
                ))
            }
        };
        let id = new_id("eqp");
        let t = now();
        let keys = self.practice_keys(practice_id).await?;
        let mac = MemberCols {
            id: id.clone(),
            practice_id,
            patient_id: patient.to_string(),
            name: name.clone(),
            profession: profession.clone(),
            rpps: rpps.clone(),
            ground: ground.clone(),
            since: fmt_date(m.since),
            until: None,
            created_at: t,
        }
        .sign(&facts_key(&keys)?);
        self.write_recorded(
            &keys,
            practice_id,
            patient,
            (RowKind::Member, &id, &mac),
            None,
            false,
            Some("care_team"),
            sqlx::query(
                "INSERT INTO care_team (id, practice_id, patient_id, name, profession, rpps, ground, since, until, created_at, mac)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)",
            )
            .bind(&id)
            .bind(practice_id)
            .bind(patient)
            .bind(&name)
            .bind(&profession)
            .bind(&rpps)
            .bind(&ground)
            .bind(fmt_date(m.since))
            .bind(t)
            .bind(mac.clone()),
        )
        .await?;
        Ok(CareTeamMember {
            id,
            patient: patient.into(),
            name,
            profession,
            rpps,
            ground,
            since: m.since,
            until: None,
            created_at: t,
            unreadable: false,
            altered: false,
            deleted: false,
        })
    }

    pub async fn care_team(&self, practice_id: i64, patient: &str) -> Result<Vec<CareTeamMember>> {
        self.patient(practice_id, patient).await?;
        let rows = sqlx::query(
            "SELECT * FROM care_team WHERE practice_id = $1 AND patient_id = $2 ORDER BY created_at, id",
        )
        .bind(practice_id)
        .bind(patient)
        .fetch_all(self.pool())
        .await?;
        let keys = self.practice_keys(practice_id).await?;
        let key = facts_key(&keys)?;
        let record = self.register_record(&keys, practice_id, patient).await?;
        let read = |r: &sqlx::any::AnyRow| -> Result<CareTeamMember> {
            let (m, signed) = MemberCols::checked(&keys, &key, practice_id, r)?;
            let current = named(
                record.as_ref(),
                RowKind::Member,
                &m.id,
                stored_mac(r).as_deref(),
            );
            Ok(CareTeamMember {
                since: parse_date(m.since)?,
                until: parse_date(m.until)?,
                id: m.id,
                patient: m.patient_id,
                name: m.name,
                profession: m.profession,
                rpps: m.rpps,
                ground: m.ground,
                created_at: m.created_at,
                unreadable: false,
                altered: !signed || !current,
                deleted: false,
            })
        };
        // A row that does not read is marked, not an error for the page.
        let mut out: Vec<CareTeamMember> = rows
            .iter()
            .map(|r| {
                read(r).unwrap_or_else(|_| {
                    let id = r.try_get::<String, _>("id").unwrap_or_default();
                    CareTeamMember::blank(id, patient, false)
                })
            })
            .collect();
        if let Some(rec) = &record {
            let gone = rec.missing(RowKind::Member, out.iter().map(|m| m.id.as_str()));
            out.extend(
                gone.into_iter()
                    .map(|id| CareTeamMember::blank(id, patient, true)),
            );
        }
        Ok(out)
    }

    /// The member leaves the care team on `on`.
    pub async fn end_member(
        &self,
        practice_id: i64,
        patient: &str,
        id: &str,
        on: NaiveDate,
    ) -> Result<()> {
        // Checked before any query: PostgreSQL refuses a NUL byte in text.
        if !valid_id("pat", patient) || !valid_id("eqp", id) {
            return Err(StoreError::NotFound);
        }
        let keys = self.practice_keys(practice_id).await?;
        let key = facts_key(&keys)?;
        let row = sqlx::query(
            "SELECT * FROM care_team WHERE practice_id = $1 AND patient_id = $2 AND id = $3 AND until IS NULL",
        )
        .bind(practice_id)
        .bind(patient)
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        // A change never attests what someone else wrote.
        let mut m = match MemberCols::checked(&keys, &key, practice_id, &row) {
            Ok((m, true)) => m,
            _ => return Err(StoreError::Invalid(ALTERED_MEMBER.into())),
        };
        m.until = fmt_date(Some(on));
        let (previous, signed) = (stored_mac(&row), m.sign(&key));
        let statement = sqlx::query(
            "UPDATE care_team SET until = $1, mac = $2 WHERE practice_id = $3 AND patient_id = $4 AND id = $5 AND until IS NULL AND mac = $6",
        )
        .bind(m.until.clone())
        .bind(signed.clone())
        .bind(practice_id)
        .bind(patient)
        .bind(id)
        .bind(previous.clone());
        if !self
            .replace_recorded(
                &keys,
                practice_id,
                patient,
                (RowKind::Member, id, &signed),
                previous.as_deref(),
                statement,
            )
            .await?
        {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    // ------------------------------------------------------------ consents

    pub async fn add_consent(
        &self,
        practice_id: i64,
        patient: &str,
        c: &NewConsent,
    ) -> Result<Consent> {
        let keys = self.practice_keys(practice_id).await?;
        self.patient(practice_id, patient).await?;
        let recipient = ident("Destinataire", &c.recipient)?;
        let professional = opt_text("Professionnel désigné", &c.professional, 120)?;
        let rpps = rpps(&c.rpps)?;
        let what = text("Informations concernées", &c.what, 500, true)?.unwrap_or_default();
        let purpose = match c.purpose.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(ident("Finalité", p)?),
        };
        if !CONSENT_METHODS.iter().any(|(k, _)| *k == c.method) {
            return Err(StoreError::Invalid(
                "Mode de recueil : oral, écrit ou électronique.".into(),
            ));
        }
        let given_on = c
            .given_on
            .ok_or_else(|| StoreError::Invalid("Date du consentement : obligatoire.".into()))?;
        if c.until.is_some_and(|u| u < given_on) {
            return Err(StoreError::Invalid(
                "Fin de validité : elle ne peut pas précéder la date du consentement.".into(),
            ));
        }
        let id = new_id("cst");
        let t = now();
        let signed = ConsentCols {
            id: id.clone(),
            practice_id,
            patient_id: patient.to_string(),
            recipient: recipient.clone(),
            professional: professional.clone(),
            rpps: rpps.clone(),
            what: what.clone(),
            purpose: purpose.clone(),
            method: c.method.clone(),
            given_on: fmt_date(Some(given_on)).unwrap_or_default(),
            until: fmt_date(c.until),
            withdrawn_on: None,
            created_at: t,
        };
        let mac = signed.sign(&register_key(&keys)?);
        self.write_recorded(
            &keys,
            practice_id,
            patient,
            (RowKind::Consent, &id, &mac),
            None,
            false,
            Some("consents"),
            sqlx::query(
                "INSERT INTO consents (id, practice_id, patient_id, recipient, professional, rpps, what, purpose, method, given_on, until, withdrawn_on, created_at, mac)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12, $13)",
            )
            .bind(&id)
            .bind(practice_id)
            .bind(patient)
            .bind(&recipient)
            .bind(&professional)
            .bind(&rpps)
            .bind(keys.seal_str(&Self::aad("consents.what", practice_id, &id), &what))
            .bind(&purpose)
            .bind(&c.method)
            .bind(fmt_date(Some(given_on)))
            .bind(fmt_date(c.until))
            .bind(t)
            .bind(mac.clone()),
        )
        .await?;
        Ok(Consent {
            id,
            patient: patient.into(),
            recipient,
            professional,
            rpps,
            what,
            purpose,
            method: c.method.clone(),
            given_on,
            until: c.until,
            withdrawn_on: None,
            created_at: t,
            altered: false,
            unreadable: false,
            deleted: false,
        })
    }

    pub async fn consents(&self, practice_id: i64, patient: &str) -> Result<Vec<Consent>> {
        let keys = self.practice_keys(practice_id).await?;
        self.patient(practice_id, patient).await?;
        let rows = sqlx::query(
            "SELECT * FROM consents WHERE practice_id = $1 AND patient_id = $2 ORDER BY given_on, created_at, id",
        )
        .bind(practice_id)
        .bind(patient)
        .fetch_all(self.pool())
        .await?;
        let key = register_key(&keys)?;
        let record = self.register_record(&keys, practice_id, patient).await?;
        let mut out: Vec<Consent> = rows
            .iter()
            .map(|r| checked_consent(&keys, &key, practice_id, record.as_ref(), patient, r))
            .collect();
        if let Some(rec) = &record {
            let gone = rec.missing(RowKind::Consent, out.iter().map(|c| c.id.as_str()));
            out.extend(gone.into_iter().map(|id| Consent::blank(id, patient, true)));
        }
        Ok(out)
    }

    /// The patient withdraws a consent (« à tout moment »).
    pub async fn withdraw_consent(
        &self,
        practice_id: i64,
        patient: &str,
        id: &str,
        on: NaiveDate,
    ) -> Result<()> {
        self.end_row::<ConsentCols>(practice_id, patient, id, on, ALTERED_CONSENT)
            .await
    }

    /// Ends a signed row of the register (`T`'s end column set to `on`),
    /// signed again; `altered` is the refusal when its MAC does not hold.
    async fn end_row<T: EndedRow>(
        &self,
        practice_id: i64,
        patient: &str,
        id: &str,
        on: NaiveDate,
        altered: &str,
    ) -> Result<()> {
        // Checked before any query: PostgreSQL refuses a NUL byte in text.
        if !valid_id("pat", patient) || !valid_id(T::ID_PREFIX, id) {
            return Err(StoreError::NotFound);
        }
        let keys = self.practice_keys(practice_id).await?;
        let key = register_key(&keys)?;
        let (table, end) = (T::TABLE, T::END_COLUMN);
        let row = sqlx::query(&format!(
            "SELECT * FROM {table} WHERE practice_id = $1 AND patient_id = $2 AND id = $3 AND {end} IS NULL"
        ))
        .bind(practice_id)
        .bind(patient)
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        // A change never attests what someone else wrote: an altered row
        // stays so until the host's administrator attests it.
        let mac: Option<String> = row.try_get("mac")?;
        let mut cols = T::read(&keys, practice_id, &row)
            .ok()
            .filter(|c| c.holds(&key, mac.as_deref()))
            .ok_or_else(|| StoreError::Invalid(altered.into()))?;
        let ended = cols.end(fmt_date(Some(on)));
        let signed = cols.sign(&key);
        let sql = format!(
            "UPDATE {table} SET {end} = $1, mac = $2 WHERE practice_id = $3 AND patient_id = $4 AND id = $5 AND {end} IS NULL AND mac = $6"
        );
        let statement = sqlx::query(&sql)
            .bind(ended)
            .bind(signed.clone())
            .bind(practice_id)
            .bind(patient)
            .bind(id)
            .bind(mac.clone());
        if !self
            .replace_recorded(
                &keys,
                practice_id,
                patient,
                (T::KIND, id, &signed),
                mac.as_deref(),
                statement,
            )
            .await?
        {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    // ------------------------------------------------------------ oppositions

    pub async fn add_opposition(
        &self,
        practice_id: i64,
        patient: &str,
        o: &NewOpposition,
    ) -> Result<Opposition> {
        let keys = self.practice_keys(practice_id).await?;
        self.patient(practice_id, patient).await?;
        let scope = ident("Portée de l’opposition", &o.scope)?;
        let what = text("Objet de l’opposition", &o.what, 500, true)?.unwrap_or_default();
        let since = o
            .since
            .ok_or_else(|| StoreError::Invalid("Date de l’opposition : obligatoire.".into()))?;
        let id = new_id("opp");
        let t = now();
        let mac = OppositionCols {
            id: id.clone(),
            practice_id,
            patient_id: patient.to_string(),
            scope: scope.clone(),
            what: what.clone(),
            since: fmt_date(Some(since)).unwrap_or_default(),
            informed_on: fmt_date(o.informed_on),
            lifted_on: None,
            created_at: t,
        }
        .sign(&register_key(&keys)?);
        self.write_recorded(
            &keys,
            practice_id,
            patient,
            (RowKind::Opposition, &id, &mac),
            None,
            false,
            Some("oppositions"),
            sqlx::query(
                "INSERT INTO oppositions (id, practice_id, patient_id, scope, what, since, informed_on, lifted_on, created_at, mac)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9)",
            )
            .bind(&id)
            .bind(practice_id)
            .bind(patient)
            .bind(&scope)
            .bind(keys.seal_str(&Self::aad("oppositions.what", practice_id, &id), &what))
            .bind(fmt_date(Some(since)))
            .bind(fmt_date(o.informed_on))
            .bind(t)
            .bind(mac.clone()),
        )
        .await?;
        Ok(Opposition {
            id,
            patient: patient.into(),
            scope,
            what,
            since,
            informed_on: o.informed_on,
            lifted_on: None,
            created_at: t,
            altered: false,
            unreadable: false,
            deleted: false,
        })
    }

    pub async fn oppositions(&self, practice_id: i64, patient: &str) -> Result<Vec<Opposition>> {
        let keys = self.practice_keys(practice_id).await?;
        self.patient(practice_id, patient).await?;
        let rows = sqlx::query(
            "SELECT * FROM oppositions WHERE practice_id = $1 AND patient_id = $2 ORDER BY since, created_at, id",
        )
        .bind(practice_id)
        .bind(patient)
        .fetch_all(self.pool())
        .await?;
        let key = register_key(&keys)?;
        let record = self.register_record(&keys, practice_id, patient).await?;
        let mut out: Vec<Opposition> = rows
            .iter()
            .map(|r| checked_opposition(&keys, &key, practice_id, record.as_ref(), patient, r))
            .collect();
        if let Some(rec) = &record {
            let gone = rec.missing(RowKind::Opposition, out.iter().map(|o| o.id.as_str()));
            out.extend(
                gone.into_iter()
                    .map(|id| Opposition::blank(id, patient, true)),
            );
        }
        Ok(out)
    }

    /// The patient lifts an opposition.
    pub async fn lift_opposition(
        &self,
        practice_id: i64,
        patient: &str,
        id: &str,
        on: NaiveDate,
    ) -> Result<()> {
        self.end_row::<OppositionCols>(practice_id, patient, id, on, ALTERED_OPPOSITION)
            .await
    }
}

// ---------------------------------------------------------------- duties

/// A duty still to do after a disclosure (`inform_victim_of_report`…).
#[derive(Debug, Clone, Serialize)]
pub struct Duty {
    pub id: String,
    /// The vocabulary id of the duty.
    pub kind: String,
    /// What it is about, in French (stored encrypted).
    pub subject: String,
    pub created_at: i64,
    pub created_by: String,
    pub done_on: Option<NaiveDate>,
    /// How it was done (stored encrypted).
    pub done_how: Option<String>,
    /// The register's patient the disclosure it follows was about, if any.
    pub patient: Option<String>,
    /// The row is not as Sceau signed it (marked done, or written, without
    /// the key; or written before schema 17 and not yet attested): shown
    /// among the pending duties whatever it says, never completed by Sceau.
    pub altered: bool,
    /// A column does not read (a ciphertext that does not open, a date
    /// that is not one): the other fields are empty; altered too, shown
    /// among the pending duties without hiding the others (audit of
    /// 2026-11-30, finding 9).
    pub unreadable: bool,
    /// A duty its patient's (or the practice's) signed record names was not
    /// found: deleted without Sceau. Shown pending, the other fields empty;
    /// altered and unreadable too.
    pub deleted: bool,
}

impl Duty {
    /// A row that does not read (`deleted`: that is not there).
    fn blank(id: String, patient: Option<String>, deleted: bool) -> Duty {
        Duty {
            id,
            kind: String::new(),
            subject: String::new(),
            created_at: 0,
            created_by: String::new(),
            done_on: None,
            done_how: None,
            patient,
            altered: true,
            unreadable: true,
            deleted,
        }
    }

    /// Still to do as far as Sceau can tell: not done, or altered (a duty
    /// marked done without the key is not taken as done).
    pub fn pending(&self) -> bool {
        self.done_on.is_none() || self.altered
    }
}

impl Store {
    /// Records a pending duty for a practice, about a patient of its
    /// register when the disclosure it follows names one.
    pub async fn add_duty(
        &self,
        practice_id: i64,
        author: &str,
        kind: &str,
        subject: &str,
        patient: Option<&str>,
    ) -> Result<Duty> {
        let keys = self.practice_keys(practice_id).await?;
        self.practice(practice_id).await?;
        if let Some(p) = patient {
            // Of this practice: the register's own check.
            self.patient(practice_id, p).await?;
        }
        let kind = ident("Obligation", kind)?;
        let subject = text("Objet de l’obligation", subject, 500, true)?.unwrap_or_default();
        let id = new_id("dut");
        let t = now();
        let mac = DutyCols {
            id: id.clone(),
            practice_id,
            kind: kind.clone(),
            subject: subject.clone(),
            created_at: t,
            created_by: author.to_string(),
            done_on: None,
            done_how: None,
            done_at: None,
            done_by: None,
            patient_id: patient.map(str::to_string),
        }
        .sign(&facts_key(&keys)?);
        self.write_recorded(
            &keys,
            practice_id,
            patient.unwrap_or_default(),
            (RowKind::Duty, &id, &mac),
            None,
            false,
            Some("duties"),
            sqlx::query(
                "INSERT INTO duties (id, practice_id, kind, subject, created_at, created_by, done_on, done_how, done_at, done_by, patient_id, mac)
                 VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, NULL, NULL, $7, $8)",
            )
            .bind(&id)
            .bind(practice_id)
            .bind(&kind)
            .bind(keys.seal_str(&Self::aad("duties.subject", practice_id, &id), &subject))
            .bind(t)
            .bind(author)
            .bind(patient)
            .bind(mac.clone()),
        )
        .await?;
        Ok(Duty {
            id,
            kind,
            subject,
            created_at: t,
            created_by: author.into(),
            done_on: None,
            done_how: None,
            patient: patient.map(str::to_string),
            altered: false,
            unreadable: false,
            deleted: false,
        })
    }

    /// The duties of a practice (pending only when `pending_only`: an
    /// altered one counts as pending), oldest first.
    pub async fn duties(&self, practice_id: i64, pending_only: bool) -> Result<Vec<Duty>> {
        // Every row read: whether one is done is known only once its MAC
        // is checked, which the database cannot do.
        let rows =
            sqlx::query("SELECT * FROM duties WHERE practice_id = $1 ORDER BY created_at, id")
                .bind(practice_id)
                .fetch_all(self.pool())
                .await?;
        let keys = self.practice_keys(practice_id).await?;
        let book = self.register_records(&keys, practice_id).await?;
        let mut all = self.duties_of(practice_id, &rows, &book).await?;
        if pending_only {
            all.retain(Duty::pending);
        }
        Ok(all)
    }

    /// The duties about one patient of the register, pending first, then
    /// those done, each oldest first.
    pub async fn patient_duties(&self, practice_id: i64, patient: &str) -> Result<Vec<Duty>> {
        if !valid_id("pat", patient) {
            return Err(StoreError::NotFound);
        }
        let rows = sqlx::query(
            "SELECT * FROM duties WHERE practice_id = $1 AND patient_id = $2
             ORDER BY CASE WHEN done_on IS NULL THEN 0 ELSE 1 END, created_at, id",
        )
        .bind(practice_id)
        .bind(patient)
        .fetch_all(self.pool())
        .await?;
        let keys = self.practice_keys(practice_id).await?;
        let record = self.register_record(&keys, practice_id, patient).await?;
        let book = RecordBook::single(patient, record);
        self.duties_of(practice_id, &rows, &book).await
    }

    /// The duties of `rows`, each checked against its patient's record in
    /// `book` (the practice's own for a duty about no patient), followed
    /// by the duties the records of `book` name that are not among them.
    async fn duties_of(
        &self,
        practice_id: i64,
        rows: &[sqlx::any::AnyRow],
        book: &RecordBook,
    ) -> Result<Vec<Duty>> {
        let keys = self.practice_keys(practice_id).await?;
        let key = facts_key(&keys)?;
        let read = |r: &sqlx::any::AnyRow| -> Result<Duty> {
            let (d, signed) = DutyCols::checked(&keys, &key, practice_id, r)?;
            let current = named(
                book.of(d.patient_id.as_deref().unwrap_or_default()),
                RowKind::Duty,
                &d.id,
                stored_mac(r).as_deref(),
            );
            Ok(Duty {
                done_on: parse_date(d.done_on)?,
                id: d.id,
                kind: d.kind,
                subject: d.subject,
                created_at: d.created_at,
                created_by: d.created_by,
                done_how: d.done_how,
                patient: d.patient_id,
                altered: !signed || !current,
                unreadable: false,
                deleted: false,
            })
        };
        // A row that does not read is marked, never an error that would
        // hide the practice's other duties.
        let mut out: Vec<Duty> = rows
            .iter()
            .map(|r| {
                read(r).unwrap_or_else(|_| {
                    let id = r.try_get::<String, _>("id").unwrap_or_default();
                    let patient = r.try_get::<Option<String>, _>("patient_id").ok().flatten();
                    Duty::blank(id, patient, false)
                })
            })
            .collect();
        let found: Vec<String> = out.iter().map(|d| d.id.clone()).collect();
        for (patient, record) in book.iter() {
            let Some(record) = record else { continue };
            for id in record.missing(RowKind::Duty, found.iter().map(String::as_str)) {
                let about = (!patient.is_empty()).then(|| patient.clone());
                out.push(Duty::blank(id, about, true));
            }
        }
        Ok(out)
    }

    /// Marks a pending duty done (date and how); gives the patient it is
    /// about, if any, for the journal entry that records it.
    pub async fn complete_duty(
        &self,
        practice_id: i64,
        author: &str,
        id: &str,
        on: NaiveDate,
        how: &str,
    ) -> Result<Option<String>> {
        let keys = self.practice_keys(practice_id).await?;
        if !valid_id("dut", id) {
            return Err(StoreError::NotFound);
        }
        let how = text("Comment", how, 500, true)?.unwrap_or_default();
        let key = facts_key(&keys)?;
        let row = sqlx::query(
            "SELECT * FROM duties WHERE practice_id = $1 AND id = $2 AND done_on IS NULL",
        )
        .bind(practice_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        // A change never attests what someone else wrote.
        let mut d = match DutyCols::checked(&keys, &key, practice_id, &row) {
            Ok((d, true)) => d,
            _ => return Err(StoreError::Invalid(ALTERED_DUTY.into())),
        };
        d.done_on = fmt_date(Some(on));
        d.done_how = Some(how);
        d.done_at = Some(now());
        d.done_by = Some(author.to_string());
        let (previous, signed) = (stored_mac(&row), d.sign(&key));
        let statement = sqlx::query(
            "UPDATE duties SET done_on = $1, done_how = $2, done_at = $3, done_by = $4, mac = $5
             WHERE practice_id = $6 AND id = $7 AND done_on IS NULL AND mac = $8",
        )
        .bind(&d.done_on)
        .bind(keys.seal_str(
            &Self::aad("duties.done_how", practice_id, id),
            d.done_how.as_deref().unwrap_or_default(),
        ))
        .bind(d.done_at)
        .bind(author)
        .bind(signed.clone())
        .bind(practice_id)
        .bind(id)
        .bind(previous.clone());
        if !self
            .replace_recorded(
                &keys,
                practice_id,
                d.patient_id.as_deref().unwrap_or_default(),
                (RowKind::Duty, id, &signed),
                previous.as_deref(),
                statement,
            )
            .await?
        {
            return Err(StoreError::NotFound);
        }
        Ok(d.patient_id)
    }
}
