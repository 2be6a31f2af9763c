//! Reports (signalements) and their life: brouillon → relu → envoyé (date
//! and means) → suites (the duties that follow). Only sending is a
//! disclosure: the journal entry and the duty « informer la victime » are
//! written then, once. Drafting again under the same id (a typo fixed)
//! replaces the draft: one report, no journal entry. A report not sent
//! can be deleted, without a journal entry either.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::fields::{ident, parse_date, text, valid_id};
use crate::journal::NewEntry;
use crate::keyring::PracticeKeys;
use crate::{now, Result, Store, StoreError};

/// The duty a report may leave: inform the victim that it was made.
pub const INFORM_VICTIM: &str = "inform_victim_of_report";

/// How a report left the practice.
pub const MEANS: [(&str, &str); 3] = [
    ("courrier", "par courrier"),
    ("mssante", "par messagerie sécurisée de santé (MSSanté)"),
    ("main_propre", "remis en main propre"),
];

/// The steps of a report's life, in order, with their French label.
pub const STATUSES: [(&str, &str); 3] = [
    ("brouillon", "Brouillon"),
    ("relu", "Relu"),
    ("envoye", "Envoyé"),
];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// `rep_…`, chosen when the form is first shown.
    pub id: String,
    pub status: String,
    /// The recipient's kind (`procureur`, `crip`, `prefet`).
    pub recipient: String,
    pub verdict: String,
    pub basis: Vec<String>,
    /// The letter's text as last drafted.
    pub letter: String,
    /// The duty to create when sent (« informer la victime… »), if any.
    pub duty_subject: Option<String>,
    /// Flagged passages kept, each with why it is necessary.
    pub kept: Vec<(String, String)>,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
    /// How many times it was drafted.
    pub drafts: i64,
    pub reviewed_by: Option<String>,
    pub sent_on: Option<NaiveDate>,
    pub sent_means: Option<String>,
    pub sent_by: Option<String>,
    /// The journal entry written when it was sent.
    pub journal_seq: Option<i64>,
    /// The register's patient it is about, if the author named one: the
    /// journal entry and the duty name that patient.
    pub patient: Option<String>,
}

/// What a drafting gives: the letter and what sending it will record.
#[derive(Debug, Clone)]
pub struct ReportDraft {
    pub recipient: String,
    pub verdict: String,
    pub basis: Vec<String>,
    pub letter: String,
    pub duty_subject: Option<String>,
    /// Flagged passages the author confirmed, each with the reason given.
    pub kept: Vec<(String, String)>,
    /// The register's patient it is about, if any.
    pub patient: Option<String>,
}

impl Store {
    fn report_aad(col: &str, practice_id: i64, id: &str) -> String {
        format!("reports.{col}/{practice_id}/{id}")
    }

    /// Saves a draft under `id`: a new report, or the same one drafted again
    /// (back to « brouillon » if it was « relu »). A report already sent is
    /// not changed.
    pub async fn save_report_draft(
        &self,
        practice_id: i64,
        author: &str,
        id: &str,
        d: &ReportDraft,
    ) -> Result<Report> {
        let keys = self.practice_keys(practice_id).await?;
        self.practice(practice_id).await?;
        if !valid_id("rep", id) {
            return Err(StoreError::Invalid(
                "Référence du signalement\u{a0}: valeur non reconnue.".into(),
            ));
        }
        let recipient = ident("Destinataire", &d.recipient)?;
        let verdict = ident("Réponse", &d.verdict)?;
        for b in &d.basis {
            if b.len() > 64 || b.chars().any(char::is_whitespace) {
                return Err(StoreError::Invalid(
                    "Fondement\u{a0}: valeur non reconnue.".into(),
                ));
            }
        }
        if let Some(p) = &d.patient {
            let unknown = || {
                StoreError::Invalid(
                    "Patient du registre\u{a0}: ce patient n’est pas dans le registre du cabinet."
                        .into(),
                )
            };
            if !valid_id("pat", p) {
                return Err(unknown());
            }
            match self.patient(practice_id, p).await {
                Err(StoreError::NotFound) => return Err(unknown()),
                r => r?,
            };
        }
        let letter = text("Texte de la lettre", &d.letter, 100_000, true)?.unwrap_or_default();
        let letter = keys.seal_str(&Self::report_aad("letter", practice_id, id), &letter);
        let duty = match &d.duty_subject {
            Some(s) => Some(keys.seal_str(
                &Self::report_aad("duty_subject", practice_id, id),
                &text("Objet de l’obligation", s, 500, true)?.unwrap_or_default(),
            )),
            None => None,
        };
        for (passage, reason) in &d.kept {
            text("Passage gardé", passage, 2_000, true)?;
            text("Raison de garder le passage", reason, 300, true)?;
        }
        let kept = keys.seal_str(
            &Self::report_aad("kept", practice_id, id),
            &serde_json::to_string(&d.kept).map_err(|e| StoreError::Internal(e.to_string()))?,
        );
        let basis = d.basis.join(" ");
        let t = now();
        let mut tx = self.pool().begin().await?;
        let existing: Option<(String,)> =
            sqlx::query_as("SELECT status FROM reports WHERE id = $1 AND practice_id = $2")
                .bind(id)
                .bind(practice_id)
                .fetch_optional(&mut *tx)
                .await?;
        match existing {
            Some((status,)) if status == "envoye" => {
                return Err(StoreError::Invalid(
                    "Ce signalement est déjà envoyé\u{a0}: il ne peut plus être modifié. Commencez-en un nouveau.".into(),
                ))
            }
            Some(_) => {
                sqlx::query(
                    "UPDATE reports SET status = 'brouillon', recipient = $1, verdict = $2, basis = $3,
                     letter = $4, duty_subject = $5, updated_at = $6, drafts = drafts + 1,
                     reviewed_at = NULL, reviewed_by = NULL, kept = $9, patient_id = $10
                     WHERE id = $7 AND practice_id = $8",
                )
                .bind(&recipient)
                .bind(&verdict)
                .bind(&basis)
                .bind(letter)
                .bind(duty)
                .bind(t)
                .bind(id)
                .bind(practice_id)
                .bind(kept)
                .bind(d.patient.clone())
                .execute(&mut *tx)
                .await?;
            }
            None => {
                // An id of another practice is refused by the primary key.
                sqlx::query(
                    "INSERT INTO reports (id, practice_id, status, recipient, verdict, basis, letter,
                     duty_subject, created_at, created_by, updated_at, drafts, kept, patient_id)
                     VALUES ($1, $2, 'brouillon', $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12)",
                )
                .bind(id)
                .bind(practice_id)
                .bind(&recipient)
                .bind(&verdict)
                .bind(&basis)
                .bind(letter)
                .bind(duty)
                .bind(t)
                .bind(author)
                .bind(t)
                .bind(kept)
                .bind(d.patient.clone())
                .execute(&mut *tx)
                .await
                .map_err(|e| match e {
                    sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::NotFound,
                    e => e.into(),
                })?;
            }
        }
        tx.commit().await?;
        self.report(practice_id, id).await
    }

    /// « Relu »: the draft was read again before sending.
    pub async fn review_report(&self, practice_id: i64, id: &str, by: &str) -> Result<Report> {
        let r = self.report(practice_id, id).await?;
        if r.status != "brouillon" {
            return Err(StoreError::Invalid(match r.status.as_str() {
                "relu" => "Ce signalement est déjà relu.".into(),
                _ => "Ce signalement est déjà envoyé.".into(),
            }));
        }
        sqlx::query(
            "UPDATE reports SET status = 'relu', reviewed_at = $1, reviewed_by = $2
             WHERE id = $3 AND practice_id = $4 AND status = 'brouillon'",
        )
        .bind(now())
        .bind(by)
        .bind(id)
        .bind(practice_id)
        .execute(self.pool())
        .await?;
        self.report(practice_id, id).await
    }

    /// Deletes a report not sent (« brouillon » or « relu »): a draft that
    /// will not be sent must not stay readable in the practice for good
    /// (finding 7 of the 2026-11-30 HTTP audit). Nothing was disclosed,
    /// so, as for drafting, no journal entry is written; a sent report,
    /// which the journal and the duties refer to, is refused.
    pub async fn delete_report_draft(&self, practice_id: i64, id: &str) -> Result<()> {
        let sent = || {
            StoreError::Invalid(
                "Ce signalement est déjà envoyé\u{a0}: il reste dans le registre, avec son entrée au journal.".into(),
            )
        };
        if self.report(practice_id, id).await?.status == "envoye" {
            return Err(sent());
        }
        // The status in the condition: a report sent meanwhile stays.
        let done = sqlx::query(
            "DELETE FROM reports WHERE id = $1 AND practice_id = $2 AND status <> 'envoye'",
        )
        .bind(id)
        .bind(practice_id)
        .execute(self.pool())
        .await?
        .rows_affected();
        if done == 0 {
            // Sent or deleted in between: say which.
            self.report(practice_id, id).await?;
            return Err(sent());
        }
        Ok(())
    }

    /// « Envoyé »: the disclosure. Appends the journal entry (`disclosed`)
    /// and the duty that follows, once; a report not yet « relu » or
    /// already sent is refused.
    pub async fn send_report(
        &self,
        practice_id: i64,
        id: &str,
        by: &str,
        on: NaiveDate,
        means: &str,
    ) -> Result<Report> {
        let r = self.report(practice_id, id).await?;
        if !MEANS.iter().any(|(m, _)| *m == means) {
            return Err(StoreError::Invalid(
                "Moyen d’envoi\u{a0}: choisissez le courrier, la messagerie MSSanté ou la remise en main propre.".into(),
            ));
        }
        match r.status.as_str() {
            "relu" => {}
            "brouillon" => return Err(StoreError::Invalid(
                "Relisez le signalement avant de l’envoyer\u{a0}: marquez-le d’abord comme relu."
                    .into(),
            )),
            _ => {
                return Err(StoreError::Invalid(
                    "Ce signalement est déjà envoyé.".into(),
                ))
            }
        }
        // The status moves first, guarded, so that two clicks cannot both
        // reach the journal.
        let moved = sqlx::query(
            "UPDATE reports SET status = 'envoye', sent_on = $1, sent_means = $2, sent_by = $3
             WHERE id = $4 AND practice_id = $5 AND status = 'relu'",
        )
        .bind(on.format("%Y-%m-%d").to_string())
        .bind(means)
        .bind(by)
        .bind(id)
        .bind(practice_id)
        .execute(self.pool())
        .await?;
        if moved.rows_affected() != 1 {
            return Err(StoreError::Invalid(
                "Ce signalement est déjà envoyé.".into(),
            ));
        }
        let entry = NewEntry {
            patient: r.patient.clone(),
            recipient: r.recipient.clone(),
            purpose: "signalement".into(),
            action: "disclosed".into(),
            verdict: r.verdict.clone(),
            basis: r.basis.clone(),
            information: format!(
                "Signalement (article 226-14 du code pénal), envoyé le {} {}",
                on.format("%d/%m/%Y"),
                MEANS
                    .iter()
                    .find(|(m, _)| *m == means)
                    .map(|(_, l)| *l)
                    .unwrap_or(means)
            ),
        };
        let seqs = self.journal_append(practice_id, by, &[entry]).await?;
        let seq = seqs.first().copied().unwrap_or(0) as i64;
        sqlx::query("UPDATE reports SET journal_seq = $1 WHERE id = $2 AND practice_id = $3")
            .bind(seq)
            .bind(id)
            .bind(practice_id)
            .execute(self.pool())
            .await?;
        if let Some(subject) = &r.duty_subject {
            self.add_duty(
                practice_id,
                by,
                INFORM_VICTIM,
                &format!("{subject} (journal n° {seq})"),
                r.patient.as_deref(),
            )
            .await?;
        }
        self.report(practice_id, id).await
    }

    pub async fn report(&self, practice_id: i64, id: &str) -> Result<Report> {
        if !valid_id("rep", id) {
            return Err(StoreError::NotFound);
        }
        let row = sqlx::query("SELECT * FROM reports WHERE id = $1 AND practice_id = $2")
            .bind(id)
            .bind(practice_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let keys = self.practice_keys(practice_id).await?;
        Self::report_of(&keys, practice_id, &row)
    }

    /// The practice's reports, newest first.
    pub async fn reports(&self, practice_id: i64) -> Result<Vec<Report>> {
        let keys = self.practice_keys(practice_id).await?;
        let rows = sqlx::query(
            "SELECT * FROM reports WHERE practice_id = $1 ORDER BY created_at DESC, id",
        )
        .bind(practice_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Self::report_of(&keys, practice_id, r))
            .collect()
    }

    fn report_of(keys: &PracticeKeys, practice_id: i64, r: &sqlx::any::AnyRow) -> Result<Report> {
        let id: String = r.try_get("id")?;
        let letter: Vec<u8> = r.try_get("letter")?;
        let duty: Option<Vec<u8>> = r.try_get("duty_subject")?;
        let basis: String = r.try_get("basis")?;
        let kept: Vec<u8> = r.try_get("kept")?;
        let kept = keys.open_str(&Self::report_aad("kept", practice_id, &id), &kept)?;
        Ok(Report {
            kept: serde_json::from_str(&kept)
                .map_err(|_| StoreError::Internal("passages gardés illisibles en base".into()))?,
            letter: keys.open_str(&Self::report_aad("letter", practice_id, &id), &letter)?,
            duty_subject: match duty {
                None => None,
                Some(d) => {
                    Some(keys.open_str(&Self::report_aad("duty_subject", practice_id, &id), &d)?)
                }
            },
            status: r.try_get("status")?,
            recipient: r.try_get("recipient")?,
            verdict: r.try_get("verdict")?,
            basis: basis.split_whitespace().map(str::to_string).collect(),
            created_at: r.try_get("created_at")?,
            created_by: r.try_get("created_by")?,
            updated_at: r.try_get("updated_at")?,
            drafts: r.try_get("drafts")?,
            reviewed_by: r.try_get("reviewed_by")?,
            sent_on: parse_date(r.try_get("sent_on")?)?,
            sent_means: r.try_get("sent_means")?,
            sent_by: r.try_get("sent_by")?,
            journal_seq: r.try_get("journal_seq")?,
            patient: r.try_get("patient_id")?,
            id,
        })
    }
}
