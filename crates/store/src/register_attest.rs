//! `sceau register attest`: the consents and oppositions whose row is not
//! signed (written before schema 16, restored from an older backup, or
//! changed without the key) are listed to the host's administrator, who
//! signs them as they are once he has checked them. Nothing else ever signs
//! a row found in the database (audit findings 1 and 3); each practice's
//! journal records how many rows were attested, and which.

use sqlx::Row;

use crate::keyring::PracticeKeys;
use crate::register_macs::{register_key, ConsentCols, OppositionCols};
use crate::{Result, Store, StoreError};

/// Who the journal names for an attestation of the register.
const ATTEST_AUTHOR: &str = "administrateur de l’hôte (sceau register attest)";

/// Which table a row of the register is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterTable {
    Consents,
    Oppositions,
}

impl RegisterTable {
    fn name(self) -> &'static str {
        match self {
            RegisterTable::Consents => "consents",
            RegisterTable::Oppositions => "oppositions",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            RegisterTable::Consents => "consentement",
            RegisterTable::Oppositions => "opposition",
        }
    }
}

/// A consent or an opposition not signed by Sceau, as listed for the
/// attestation: its columns in clear (never its text, which the patient
/// page shows), and the MAC it would get, to refuse a row changed between
/// the listing and the confirmation.
#[derive(Debug, Clone)]
pub struct UnsignedRow {
    pub practice_id: i64,
    pub table: RegisterTable,
    pub id: String,
    pub patient: String,
    /// The row's columns but its text, in French.
    pub summary: String,
    /// A column does not read: it cannot be attested (it stays altered).
    pub unreadable: bool,
    would_be: String,
}

fn or_dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("—")
}

fn consent_summary(c: &ConsentCols) -> String {
    format!(
        "destinataire {}{}, finalité {}, recueilli ({}) le {}, jusqu’au {}, retiré le {}",
        c.recipient,
        c.professional
            .as_deref()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default(),
        c.purpose.as_deref().unwrap_or("toute"),
        c.method,
        c.given_on,
        or_dash(&c.until),
        or_dash(&c.withdrawn_on)
    )
}

fn opposition_summary(o: &OppositionCols) -> String {
    format!(
        "portée {}, depuis le {}, informé le {}, levée le {}",
        o.scope,
        o.since,
        or_dash(&o.informed_on),
        or_dash(&o.lifted_on)
    )
}

impl Store {
    /// The consents and oppositions of every practice (or of one) whose
    /// row is not signed: what `sceau register attest` would sign (the
    /// unreadable ones are listed but cannot be signed).
    pub async fn unsigned_register_rows(&self, practice: Option<i64>) -> Result<Vec<UnsignedRow>> {
        let mut out = Vec::new();
        for p in self.practices().await? {
            if practice.is_some_and(|id| id != p.id) {
                continue;
            }
            for table in [RegisterTable::Consents, RegisterTable::Oppositions] {
                let keys = self.practice_keys(p.id).await?;
                out.extend(unsigned_of(&keys, p.id, table, self.pool()).await?);
            }
        }
        Ok(out)
    }

    /// `sceau register attest`: signs the readable rows of `rows` (as
    /// listed by [`Store::unsigned_register_rows`] and confirmed by the
    /// host's administrator) as they are now, and records in each
    /// practice's journal how many were attested, and which. A row changed
    /// since it was listed is not signed (`Invalid`, nothing written for
    /// its practice). Returns how many were signed.
    pub async fn attest_register_rows(&self, rows: &[UnsignedRow]) -> Result<usize> {
        let mut practices: Vec<i64> = rows.iter().map(|r| r.practice_id).collect();
        practices.sort_unstable();
        practices.dedup();
        let mut signed = 0;
        for practice_id in practices {
            let mine: Vec<&UnsignedRow> = rows
                .iter()
                .filter(|r| r.practice_id == practice_id && !r.unreadable)
                .collect();
            if mine.is_empty() {
                continue;
            }
            let keys = self.practice_keys(practice_id).await?;
            let mut tx = self.pool.begin().await?;
            for table in [RegisterTable::Consents, RegisterTable::Oppositions] {
                let now_rows = unsigned_of(&keys, practice_id, table, &mut *tx).await?;
                for shown in mine.iter().filter(|r| r.table == table) {
                    let same = now_rows.iter().find(|n| n.id == shown.id).is_some_and(|n| {
                        !n.unreadable && n.would_be == shown.would_be && n.patient == shown.patient
                    });
                    if !same {
                        return Err(StoreError::Invalid(format!(
                            "{} {} a changé depuis la liste affichée\u{a0}: rien n’a été attesté pour son cabinet, relancez la commande",
                            shown.table.label_fr(),
                            shown.id
                        )));
                    }
                    sqlx::query(&format!(
                        "UPDATE {} SET mac = $1 WHERE id = $2 AND practice_id = $3",
                        table.name()
                    ))
                    .bind(&shown.would_be)
                    .bind(&shown.id)
                    .bind(practice_id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            signed += mine.len();
            let list = mine
                .iter()
                .map(|r| format!("{} {}", r.table.label_fr(), r.id))
                .collect::<Vec<_>>()
                .join(", ");
            self.journal_record(
                practice_id,
                ATTEST_AUTHOR,
                crate::journal::ATTEST_REGISTER_PURPOSE,
                &format!(
                    "{} ligne(s) du registre attestée(s) par l’administrateur de l’hôte\u{a0}: {list}",
                    mine.len()
                ),
            )
            .await?;
        }
        Ok(signed)
    }
}

/// The unsigned rows of one table of a practice, read through `db`.
async fn unsigned_of<'e, E>(
    keys: &PracticeKeys,
    practice_id: i64,
    table: RegisterTable,
    db: E,
) -> Result<Vec<UnsignedRow>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let key = register_key(keys)?;
    // The table's name is this module's constant, never input.
    let rows = sqlx::query(&format!(
        "SELECT * FROM {} WHERE practice_id = $1 ORDER BY created_at, id",
        table.name()
    ))
    .bind(practice_id)
    .fetch_all(db)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let mac: Option<String> = r.try_get::<Option<String>, _>("mac").ok().flatten();
        let read = match table {
            RegisterTable::Consents => ConsentCols::read(keys, practice_id, r).map(|c| {
                let held = c.holds(&key, mac.as_deref());
                (
                    held,
                    c.patient_id.clone(),
                    consent_summary(&c),
                    c.sign(&key),
                )
            }),
            RegisterTable::Oppositions => OppositionCols::read(keys, practice_id, r).map(|o| {
                let held = o.holds(&key, mac.as_deref());
                (
                    held,
                    o.patient_id.clone(),
                    opposition_summary(&o),
                    o.sign(&key),
                )
            }),
        };
        let id = r.try_get::<String, _>("id").unwrap_or_default();
        match read {
            Ok((true, ..)) => {}
            Ok((false, patient, summary, would_be)) => out.push(UnsignedRow {
                practice_id,
                table,
                id,
                patient,
                summary,
                unreadable: false,
                would_be,
            }),
            Err(_) => out.push(UnsignedRow {
                practice_id,
                table,
                id,
                patient: r.try_get::<String, _>("patient_id").unwrap_or_default(),
                summary: "ligne illisible (une colonne ne se lit pas)".into(),
                unreadable: true,
                would_be: String::new(),
            }),
        }
    }
    Ok(out)
}
