//! The register's upkeep (issue 19): a patient's identity corrected, a
//! patient archived. Archiving keeps everything the law asks to keep — the
//! journal's entries stay as written (they name the patient by the random
//! reference only) — and takes the patient out of the lists; the pages then
//! show the reference instead of the name.

use chrono::NaiveDate;

use sqlx::Row;

use crate::fields::{fmt_date, opt_text, text, valid_id};
use crate::register::{NewPatient, Patient};
use crate::register_facts::{facts_key, ArchiveCols, SignedFact};
use crate::register_record::{named, RecordBook, RegisterRecord, RowKind};
use crate::{now, Result, Store, StoreError};

/// A patient's archiving as the register reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Archiving {
    pub on: NaiveDate,
    /// Not as Sceau signed it (written without the key, or before schema
    /// 17 and not yet attested): the patient is not taken as archived and
    /// stays in the lists.
    pub altered: bool,
    /// The patient's signed record names an archiving that is not found:
    /// deleted without Sceau (the patient is back in the lists); altered
    /// too.
    pub deleted: bool,
}

impl Store {
    /// Corrects a patient's name, date of birth and reference (the date of
    /// death has its own action).
    pub async fn update_patient(
        &self,
        practice_id: i64,
        id: &str,
        p: &NewPatient,
    ) -> Result<Patient> {
        let keys = self.practice_keys(practice_id).await?;
        self.patient(practice_id, id).await?;
        let name = text("Nom du patient", &p.display_name, 120, true)?.unwrap_or_default();
        let reference = opt_text("Référence interne", &p.reference, 60)?;
        if p.birth_date.is_some_and(|b| b > sceau_clock::legal_today()) {
            return Err(StoreError::Invalid(
                "Date de naissance\u{a0}: elle ne peut pas être dans le futur.".into(),
            ));
        }
        // The date of birth first: it is refused on a row whose dates are
        // altered, and then nothing is changed.
        self.resign_patient_dates(&keys, practice_id, id, |d| {
            d.birth_date = fmt_date(p.birth_date)
        })
        .await?;
        sqlx::query(
            "UPDATE patients SET display_name = $1, reference = $2
             WHERE practice_id = $3 AND id = $4",
        )
        .bind(keys.seal_str(&Self::aad("patients.display_name", practice_id, id), &name))
        .bind(keys.seal_opt(
            &Self::aad("patients.reference", practice_id, id),
            reference.as_deref(),
        ))
        .bind(practice_id)
        .bind(id)
        .execute(self.pool())
        .await?;
        self.patient(practice_id, id).await
    }

    /// Archives a patient: out of the lists, the journal untouched.
    pub async fn archive_patient(&self, practice_id: i64, id: &str, by: &str) -> Result<()> {
        self.patient(practice_id, id).await?;
        match self.patient_archiving(practice_id, id).await? {
            Some(a) if a.altered => return Err(StoreError::Invalid(ALTERED_ARCHIVE.into())),
            Some(_) => return Err(StoreError::Invalid("Ce patient est déjà archivé.".into())),
            None => {}
        }
        let cols = ArchiveCols {
            patient_id: id.to_string(),
            practice_id,
            archived_at: now(),
            archived_by: by.to_string(),
        };
        let keys = self.practice_keys(practice_id).await?;
        let mac = cols.sign(&facts_key(&keys)?);
        let statement = sqlx::query(
            "INSERT INTO patient_archive (patient_id, practice_id, archived_at, archived_by, mac)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(practice_id)
        .bind(cols.archived_at)
        .bind(by)
        .bind(mac.clone());
        self.write_recorded(
            &keys,
            practice_id,
            id,
            (RowKind::Archive, id, &mac),
            None,
            false,
            None,
            statement,
        )
        .await?;
        Ok(())
    }

    /// A patient's archiving, signed or not, if there is a row for it (one
    /// that does not read counts as altered).
    pub async fn patient_archiving(&self, practice_id: i64, id: &str) -> Result<Option<Archiving>> {
        if !valid_id("pat", id) {
            return Err(StoreError::NotFound);
        }
        let row =
            sqlx::query("SELECT * FROM patient_archive WHERE practice_id = $1 AND patient_id = $2")
                .bind(practice_id)
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        let keys = self.practice_keys(practice_id).await?;
        let record = self.register_record(&keys, practice_id, id).await?;
        let Some(row) = row else {
            // Named by the record and not there: deleted without Sceau.
            let gone = record
                .as_ref()
                .is_some_and(|r| !r.missing(RowKind::Archive, []).is_empty());
            return Ok(gone.then(|| Archiving {
                on: NaiveDate::default(),
                altered: true,
                deleted: true,
            }));
        };
        Ok(Some(archiving_of(
            &keys,
            &facts_key(&keys)?,
            practice_id,
            record.as_ref(),
            &row,
        )))
    }

    /// The archivings of a practice's patients, each checked against its
    /// patient's record in `book`: (patient, altered).
    pub(crate) async fn archivings(
        &self,
        practice_id: i64,
        book: &RecordBook,
    ) -> Result<Vec<(String, bool)>> {
        let rows = sqlx::query("SELECT * FROM patient_archive WHERE practice_id = $1")
            .bind(practice_id)
            .fetch_all(self.pool())
            .await?;
        let keys = self.practice_keys(practice_id).await?;
        let key = facts_key(&keys)?;
        Ok(rows
            .iter()
            .map(|r| {
                let patient = r.try_get::<String, _>("patient_id").unwrap_or_default();
                let a = archiving_of(&keys, &key, practice_id, book.of(&patient), r);
                (patient, a.altered)
            })
            .collect())
    }

    /// When a patient was archived, if it was (an altered archiving is
    /// not one).
    pub async fn patient_archived_on(
        &self,
        practice_id: i64,
        id: &str,
    ) -> Result<Option<NaiveDate>> {
        Ok(self
            .patient_archiving(practice_id, id)
            .await?
            .filter(|a| !a.altered)
            .map(|a| a.on))
    }

    /// The references of the practice's archived patients (signed
    /// archivings only).
    pub async fn archived_patients(&self, practice_id: i64) -> Result<Vec<String>> {
        let keys = self.practice_keys(practice_id).await?;
        let book = self.register_records(&keys, practice_id).await?;
        Ok(self
            .archivings(practice_id, &book)
            .await?
            .into_iter()
            .filter(|(_, altered)| !altered)
            .map(|(id, _)| id)
            .collect())
    }
}

/// Why Sceau does not archive again a patient whose archiving is altered.
const ALTERED_ARCHIVE: &str = "L’archivage de ce patient est marqué «\u{a0}altéré\u{a0}»\u{a0}: Sceau ne le modifie pas tant que l’administrateur du serveur ne l’a pas vérifié et attesté (sceau register attest).";

/// An archiving row read and checked, signed and named by its patient's
/// `record`; one that does not read is altered.
fn archiving_of(
    keys: &crate::keyring::PracticeKeys,
    key: &[u8; 32],
    practice_id: i64,
    record: Option<&RegisterRecord>,
    row: &sqlx::any::AnyRow,
) -> Archiving {
    match ArchiveCols::checked(keys, key, practice_id, row) {
        Ok((a, signed)) => Archiving {
            on: chrono::DateTime::from_timestamp(a.archived_at, 0)
                .map(|d| d.date_naive())
                .unwrap_or_default(),
            altered: !signed
                || !named(
                    record,
                    RowKind::Archive,
                    &a.patient_id,
                    crate::register_facts::stored_mac(row).as_deref(),
                ),
            deleted: false,
        },
        Err(_) => Archiving {
            on: NaiveDate::default(),
            altered: true,
            deleted: false,
        },
    }
}
