//! `sceau register attest`: the rows of the register whose MAC does not
//! hold — consents and oppositions (written before schema 16), members of
//! the care team, patients' dates, archivings and duties (before schema
//! 17), the entries of the recipients' directory (before schema 20), or
//! any of them restored from an older backup or changed without the key —
//! are listed to the host's administrator, who signs them as
//! they are once he has checked them. Nothing else ever signs a row found
//! in the database (audit findings 1, 3 and 6); each practice's journal
//! records how many rows were attested, and which.

use sqlx::Row;

use crate::keyring::PracticeKeys;
use crate::register_facts::{
    facts_key, ArchiveCols, DutyCols, MemberCols, PatientDates, RecipientCols, SignedFact,
};
use crate::register_macs::{register_key, ConsentCols, OppositionCols};
use crate::{Result, Store, StoreError};

/// Who the journal names for an attestation of the register.
const ATTEST_AUTHOR: &str = "administrateur de l’hôte (sceau register attest)";

/// Which table a row of the register is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterTable {
    Consents,
    Oppositions,
    CareTeam,
    /// A patient's dates of birth and death.
    PatientDates,
    Archive,
    Duties,
    /// An entry of the recipients' directory (about no patient).
    Recipients,
}

impl RegisterTable {
    /// Every signed table of the register, in the order they are listed.
    pub const ALL: [RegisterTable; 7] = [
        RegisterTable::PatientDates,
        RegisterTable::CareTeam,
        RegisterTable::Consents,
        RegisterTable::Oppositions,
        RegisterTable::Archive,
        RegisterTable::Duties,
        RegisterTable::Recipients,
    ];

    fn name(self) -> &'static str {
        match self {
            RegisterTable::Consents => "consents",
            RegisterTable::Oppositions => "oppositions",
            RegisterTable::CareTeam => "care_team",
            RegisterTable::PatientDates => "patients",
            RegisterTable::Archive => "patient_archive",
            RegisterTable::Duties => "duties",
            RegisterTable::Recipients => "recipients",
        }
    }

    /// The column that names a row of the table.
    fn key_column(self) -> &'static str {
        match self {
            RegisterTable::Archive => "patient_id",
            _ => "id",
        }
    }

    /// The column that names the patient a row is about, if any.
    fn patient_column(self) -> Option<&'static str> {
        match self {
            RegisterTable::PatientDates => Some("id"),
            RegisterTable::Recipients => None,
            _ => Some("patient_id"),
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            RegisterTable::Consents => "consentement",
            RegisterTable::Oppositions => "opposition",
            RegisterTable::CareTeam => "membre de l’équipe de soins",
            RegisterTable::PatientDates => "dates de naissance et de décès",
            RegisterTable::Archive => "archivage",
            RegisterTable::Duties => "obligation",
            RegisterTable::Recipients => "destinataire de l’annuaire",
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

fn member_summary(m: &MemberCols) -> String {
    format!(
        "{}, {}, RPPS {}, fondement {}, depuis le {}, jusqu’au {}",
        m.name,
        m.profession,
        or_dash(&m.rpps),
        or_dash(&m.ground),
        or_dash(&m.since),
        or_dash(&m.until)
    )
}

/// Whether a date is there, never the date itself: the host's
/// administrator reads it on the patient page, not on his terminal.
fn given(v: &Option<String>) -> &'static str {
    if v.is_some() {
        "renseignée"
    } else {
        "—"
    }
}

fn dates_summary(d: &PatientDates) -> String {
    format!(
        "date de naissance {}, date de décès {}",
        given(&d.birth_date),
        given(&d.deceased_on)
    )
}

fn archive_summary(a: &ArchiveCols) -> String {
    format!("archivé par {}", a.archived_by)
}

/// The duty's kind and state, never its subject (it names the victim).
fn duty_summary(d: &DutyCols) -> String {
    format!(
        "{}, créée par {}, faite le {} par {}",
        d.kind,
        d.created_by,
        or_dash(&d.done_on),
        or_dash(&d.done_by)
    )
}

/// The whole entry: the host's administrator attests the address a
/// letter will carry, so he reads all of it (nothing in it is a patient's).
fn recipient_summary(r: &RecipientCols) -> String {
    format!(
        "{} ({}), département {}, {}, {}{}",
        r.name,
        crate::directory::kind_label(&r.kind),
        r.department,
        r.address.lines().collect::<Vec<_>>().join(" / "),
        [
            r.salutation.as_deref(),
            r.email.as_deref(),
            r.phone.as_deref()
        ]
        .iter()
        .flatten()
        .map(|v| format!("{v}, "))
        .collect::<String>(),
        if r.example != 0 {
            "exemple à vérifier"
        } else {
            "vérifiée par l’administrateur"
        }
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
            for table in RegisterTable::ALL {
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
            for table in RegisterTable::ALL {
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
                        "UPDATE {} SET mac = $1 WHERE {} = $2 AND practice_id = $3",
                        table.name(),
                        table.key_column()
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
    let facts = facts_key(keys)?;
    // The table's name is this module's constant, never input.
    let rows = sqlx::query(&format!(
        "SELECT * FROM {} WHERE practice_id = $1 ORDER BY {}",
        table.name(),
        table.key_column()
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
            RegisterTable::CareTeam => fact_of(keys, &facts, practice_id, r, member_summary),
            RegisterTable::PatientDates => fact_of(keys, &facts, practice_id, r, dates_summary),
            RegisterTable::Archive => fact_of(keys, &facts, practice_id, r, archive_summary),
            RegisterTable::Duties => fact_of(keys, &facts, practice_id, r, duty_summary),
            RegisterTable::Recipients => fact_of(keys, &facts, practice_id, r, recipient_summary),
        };
        let id = r
            .try_get::<String, _>(table.key_column())
            .unwrap_or_default();
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
                patient: table
                    .patient_column()
                    .and_then(|c| r.try_get::<Option<String>, _>(c).ok().flatten())
                    .unwrap_or_default(),
                summary: "ligne illisible (une colonne ne se lit pas)".into(),
                unreadable: true,
                would_be: String::new(),
            }),
        }
    }
    Ok(out)
}

/// A row of a table of register facts, read: whether its MAC holds, its
/// patient, its summary and the MAC it would get.
fn fact_of<T: SignedFact>(
    keys: &PracticeKeys,
    key: &[u8; 32],
    practice_id: i64,
    r: &sqlx::any::AnyRow,
    summary: fn(&T) -> String,
) -> Result<(bool, String, String, String)> {
    let (cols, held) = T::checked(keys, key, practice_id, r)?;
    let patient = T::patient_of(&cols);
    Ok((held, patient, summary(&cols), cols.sign(key)))
}
