//! The register's upkeep (issue 19): a patient's identity corrected, a
//! patient archived. Archiving keeps everything the law asks to keep — the
//! journal's entries stay as written (they name the patient by the random
//! reference only) — and takes the patient out of the lists; the pages then
//! show the reference instead of the name.

use chrono::NaiveDate;

use crate::fields::{fmt_date, opt_text, text, valid_id};
use crate::register::{NewPatient, Patient};
use crate::{now, Result, Store, StoreError};

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
        let birth = fmt_date(p.birth_date);
        sqlx::query(
            "UPDATE patients SET display_name = $1, birth_date = $2, reference = $3
             WHERE practice_id = $4 AND id = $5",
        )
        .bind(keys.seal_str(&Self::aad("patients.display_name", practice_id, id), &name))
        .bind(keys.seal_opt(
            &Self::aad("patients.birth_date", practice_id, id),
            birth.as_deref(),
        ))
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
        if self.patient_archived_on(practice_id, id).await?.is_some() {
            return Err(StoreError::Invalid("Ce patient est déjà archivé.".into()));
        }
        sqlx::query(
            "INSERT INTO patient_archive (patient_id, practice_id, archived_at, archived_by)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(practice_id)
        .bind(now())
        .bind(by)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// When a patient was archived, if it was.
    pub async fn patient_archived_on(
        &self,
        practice_id: i64,
        id: &str,
    ) -> Result<Option<NaiveDate>> {
        if !valid_id("pat", id) {
            return Err(StoreError::NotFound);
        }
        let at: Option<(i64,)> = sqlx::query_as(
            "SELECT archived_at FROM patient_archive WHERE practice_id = $1 AND patient_id = $2",
        )
        .bind(practice_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(at.and_then(|(t,)| chrono::DateTime::from_timestamp(t, 0).map(|d| d.date_naive())))
    }

    /// The references of the practice's archived patients.
    pub async fn archived_patients(&self, practice_id: i64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT patient_id FROM patient_archive WHERE practice_id = $1")
                .bind(practice_id)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
