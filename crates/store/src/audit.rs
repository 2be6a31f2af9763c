//! The practice's self-audits of professional secrecy (CSP R. 4321-114 to
//! R. 4321-116), kept in the register so that one audit can be compared
//! with the previous one. The checklist itself (`law/audit.toml`) is read
//! by `sceau-documents`; the store only keeps, per practice, a numbered
//! audit with its author and date and the answer to each point (« oui »,
//! « non », « sans objet ») with an optional comment, encrypted at rest.

use serde::Serialize;
use sqlx::Row;

use crate::fields::{ident, new_id, text, valid_id};
use crate::{now, Result, Store, StoreError};

/// The accepted answers.
pub const ANSWERS: [&str; 3] = ["oui", "non", "sans_objet"];

/// Longest comment, in characters.
pub const COMMENT_MAX: usize = 500;

/// One answered point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditAnswer {
    pub point: String,
    /// `oui`, `non` or `sans_objet`.
    pub answer: String,
    pub comment: Option<String>,
}

/// An audit: who, when, against which version of the checklist, and its answers.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub id: String,
    /// 1, 2, … within the practice.
    pub number: i64,
    /// The `version` of `law/audit.toml` it was answered against.
    pub checklist: String,
    pub created_at: i64,
    /// The account's login name.
    pub created_by: String,
    /// The account's display name when the audit was made.
    pub author_name: String,
    /// In the order they were given (empty in listings).
    pub answers: Vec<AuditAnswer>,
}

fn audit_of(r: &sqlx::any::AnyRow) -> Result<Audit> {
    Ok(Audit {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        checklist: r.try_get("checklist")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        author_name: r.try_get("author_name")?,
        answers: vec![],
    })
}

impl Store {
    /// Records an audit of a practice; its number follows the last one.
    /// Answers are checked (identifier, one of [`ANSWERS`], comment length);
    /// which points exist is the caller's business (the checklist).
    pub async fn record_audit(
        &self,
        practice_id: i64,
        username: &str,
        author_name: &str,
        checklist: &str,
        answers: &[AuditAnswer],
    ) -> Result<Audit> {
        let keys = self.practice_keys(practice_id).await?;
        self.practice(practice_id).await?;
        if answers.is_empty() {
            return Err(StoreError::Invalid("Audit : aucune réponse.".into()));
        }
        let mut clean = Vec::with_capacity(answers.len());
        for a in answers {
            let point = ident("Point de l’audit", &a.point)?;
            if clean.iter().any(|c: &AuditAnswer| c.point == point) {
                return Err(StoreError::Invalid(format!(
                    "Point « {point} » : répondu deux fois."
                )));
            }
            if !ANSWERS.contains(&a.answer.as_str()) {
                return Err(StoreError::Invalid(format!(
                    "Point « {point} » : réponse attendue « oui », « non » ou « sans objet »."
                )));
            }
            let comment = match &a.comment {
                None => None,
                Some(c) => text(
                    &format!("Commentaire du point « {point} »"),
                    c,
                    COMMENT_MAX,
                    false,
                )?,
            };
            clean.push(AuditAnswer {
                point,
                answer: a.answer.clone(),
                comment,
            });
        }
        let id = new_id("aud");
        let t = now();
        let mut tx = self.pool().begin().await?;
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(number) FROM audits WHERE practice_id = $1")
                .bind(practice_id)
                .fetch_one(&mut *tx)
                .await?;
        let number = last.unwrap_or(0) + 1;
        sqlx::query(
            "INSERT INTO audits (id, practice_id, number, checklist, created_at, created_by, author_name)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(practice_id)
        .bind(number)
        .bind(checklist)
        .bind(t)
        .bind(username)
        .bind(author_name)
        .execute(&mut *tx)
        .await?;
        for a in &clean {
            let sealed = a
                .comment
                .as_deref()
                .map(|c| keys.seal_str(&Self::audit_aad(practice_id, &id, &a.point), c));
            sqlx::query(
                "INSERT INTO audit_answers (audit_id, point, practice_id, answer, comment)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(&a.point)
            .bind(practice_id)
            .bind(&a.answer)
            .bind(sealed)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Audit {
            id,
            number,
            checklist: checklist.into(),
            created_at: t,
            created_by: username.into(),
            author_name: author_name.into(),
            answers: clean,
        })
    }

    fn audit_aad(practice_id: i64, id: &str, point: &str) -> String {
        format!("audit_answers.comment/{practice_id}/{id}/{point}")
    }

    /// The audits of a practice, newest first, without their answers.
    pub async fn audits(&self, practice_id: i64) -> Result<Vec<Audit>> {
        let rows = sqlx::query("SELECT * FROM audits WHERE practice_id = $1 ORDER BY number DESC")
            .bind(practice_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(audit_of).collect()
    }

    /// One audit of a practice with its answers.
    pub async fn audit(&self, practice_id: i64, id: &str) -> Result<Audit> {
        if !valid_id("aud", id) {
            return Err(StoreError::NotFound);
        }
        let row = sqlx::query("SELECT * FROM audits WHERE practice_id = $1 AND id = $2")
            .bind(practice_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        self.with_answers(practice_id, audit_of(&row)?).await
    }

    /// The audit made just before `audit` in the same practice, with its answers.
    pub async fn previous_audit(&self, practice_id: i64, audit: &Audit) -> Result<Option<Audit>> {
        let row = sqlx::query(
            "SELECT * FROM audits WHERE practice_id = $1 AND number < $2 ORDER BY number DESC LIMIT 1",
        )
        .bind(practice_id)
        .bind(audit.number)
        .fetch_optional(self.pool())
        .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some(self.with_answers(practice_id, audit_of(&r)?).await?)),
        }
    }

    async fn with_answers(&self, practice_id: i64, mut audit: Audit) -> Result<Audit> {
        let keys = self.practice_keys(practice_id).await?;
        let rows = sqlx::query(
            "SELECT point, answer, comment FROM audit_answers WHERE practice_id = $1 AND audit_id = $2 ORDER BY point",
        )
        .bind(practice_id)
        .bind(&audit.id)
        .fetch_all(self.pool())
        .await?;
        for r in rows {
            let point: String = r.try_get("point")?;
            let comment: Option<Vec<u8>> = r.try_get("comment")?;
            let comment = match comment {
                None => None,
                Some(c) => {
                    Some(keys.open_str(&Self::audit_aad(practice_id, &audit.id, &point), &c)?)
                }
            };
            audit.answers.push(AuditAnswer {
                answer: r.try_get("answer")?,
                point,
                comment,
            });
        }
        Ok(audit)
    }
}
