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
use crate::register_record::{RecordBook, RegisterRecord, RowKind};
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

    /// How a signed record names a row of the table (the directory's
    /// entries, about no patient, by the practice's record).
    fn kind(self) -> RowKind {
        match self {
            RegisterTable::Consents => RowKind::Consent,
            RegisterTable::Oppositions => RowKind::Opposition,
            RegisterTable::CareTeam => RowKind::Member,
            RegisterTable::PatientDates => RowKind::Dates,
            RegisterTable::Archive => RowKind::Archive,
            RegisterTable::Duties => RowKind::Duty,
            RegisterTable::Recipients => RowKind::Recipient,
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

/// Why a row of the register is listed for the attestation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    /// Its MAC does not hold (written before schema 16 or 17, restored
    /// from an older backup, or changed without the key): signing it as it
    /// is attests its content.
    Unsigned,
    /// Its MAC holds, but its patient's signed record does not name it
    /// (written before schema 21, an older version put back, or a record
    /// missing or rolled back): recording it attests that it is current.
    Unrecorded,
    /// Its patient's signed record names it, and it is not in the
    /// database: deleted without Sceau. Attesting records the deletion.
    Deleted,
}

/// A row of the register that Sceau does not believe, as listed for the
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
    pub state: RowState,
    would_be: String,
}

impl UnsignedRow {
    /// What identifies the row as listed, to compare a listing with the
    /// one the administrator confirmed.
    fn listed_as(&self) -> (RegisterTable, &str, &str, RowState, &str) {
        (
            self.table,
            &self.id,
            &self.patient,
            self.state,
            &self.would_be,
        )
    }
}

/// A row of a table of the register as found: whether its MAC holds, the
/// MAC stored and the MAC it would get.
struct Found {
    id: String,
    patient: String,
    summary: String,
    /// `None`: a column does not read.
    read: Option<(bool, Option<String>, String)>,
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
    /// The rows of the register of every practice (or of one) that Sceau
    /// does not believe: not signed, signed but not named by their
    /// patient's record, or named by it and deleted. What `sceau register
    /// attest` would attest (the unreadable ones are listed but cannot be).
    pub async fn unsigned_register_rows(&self, practice: Option<i64>) -> Result<Vec<UnsignedRow>> {
        let mut out = Vec::new();
        for p in self.practices().await? {
            if practice.is_some_and(|id| id != p.id) {
                continue;
            }
            let keys = self.practice_keys(p.id).await?;
            let mut conn = self.pool.acquire().await?;
            out.extend(self.listing_of(&mut conn, &keys, p.id).await?);
        }
        Ok(out)
    }

    /// The rows of one practice not believed, read through `conn`.
    async fn listing_of(
        &self,
        conn: &mut sqlx::AnyConnection,
        keys: &PracticeKeys,
        practice_id: i64,
    ) -> Result<Vec<UnsignedRow>> {
        let book = self
            .register_records_in(&mut *conn, keys, practice_id)
            .await?;
        let mut out = Vec::new();
        for table in RegisterTable::ALL {
            let found = found_in(keys, practice_id, table, &mut *conn).await?;
            out.extend(listed(practice_id, table, &found, &book));
        }
        Ok(out)
    }

    /// `sceau register attest`: signs the readable rows of `rows` (as
    /// listed by [`Store::unsigned_register_rows`] and confirmed by the
    /// host's administrator) as they are now, writes afresh the record of
    /// each patient concerned, naming its rows as they are (a deletion
    /// listed is recorded so), and records in each practice's journal how
    /// many rows were attested, and which. A practice whose listing changed
    /// since it was shown is not attested (`Invalid`, nothing written for
    /// it). Returns how many were attested.
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
            // The records' lock first (SQLite: the write lock), then the
            // listing again: exactly what was shown, for the patients shown.
            sqlx::query("UPDATE register_records SET counter = counter WHERE practice_id = $1")
                .bind(practice_id)
                .execute(&mut *tx)
                .await?;
            let patients: std::collections::BTreeSet<&str> =
                mine.iter().map(|r| r.patient.as_str()).collect();
            let mut now: Vec<UnsignedRow> = self
                .listing_of(&mut tx, &keys, practice_id)
                .await?
                .into_iter()
                .filter(|r| !r.unreadable && patients.contains(r.patient.as_str()))
                .collect();
            let mut shown: Vec<_> = mine.iter().map(|r| r.listed_as()).collect();
            let mut again: Vec<_> = now.iter().map(|r| r.listed_as()).collect();
            shown.sort_unstable_by_key(|k| format!("{k:?}"));
            again.sort_unstable_by_key(|k| format!("{k:?}"));
            if shown != again {
                let first = mine
                    .iter()
                    .find(|r| !again.contains(&r.listed_as()))
                    .copied()
                    .or_else(|| now.iter().find(|r| !shown.contains(&r.listed_as())));
                let (label, id) = first
                    .map(|r| (r.table.label_fr(), r.id.clone()))
                    .unwrap_or(("ligne", String::new()));
                return Err(StoreError::Invalid(format!(
                    "{label} {id} a changé depuis la liste affichée\u{a0}: rien n’a été attesté pour son cabinet, relancez la commande"
                )));
            }
            for r in now.iter().filter(|r| r.state == RowState::Unsigned) {
                sqlx::query(&format!(
                    "UPDATE {} SET mac = $1 WHERE {} = $2 AND practice_id = $3",
                    r.table.name(),
                    r.table.key_column()
                ))
                .bind(&r.would_be)
                .bind(&r.id)
                .bind(practice_id)
                .execute(&mut *tx)
                .await?;
            }
            // Each patient's record afresh: its rows whose MAC now holds.
            let mut records: std::collections::BTreeMap<&str, RegisterRecord> = patients
                .iter()
                .map(|p| (*p, RegisterRecord::default()))
                .collect();
            for table in RegisterTable::ALL {
                for f in found_in(&keys, practice_id, table, &mut tx).await? {
                    if let (Some(record), Some((true, Some(mac), _))) =
                        (records.get_mut(f.patient.as_str()), &f.read)
                    {
                        record.set(table.kind(), &f.id, mac);
                    }
                }
            }
            for (patient, record) in records {
                self.write_register_record(&mut tx, &keys, practice_id, patient, record)
                    .await?;
            }
            tx.commit().await?;
            now.retain(|r| !r.unreadable);
            signed += now.len();
            let list = now
                .iter()
                .map(|r| {
                    let what = format!("{} {}", r.table.label_fr(), r.id);
                    match r.state {
                        RowState::Deleted => format!("{what} (supprimée hors de Sceau)"),
                        _ => what,
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            self.journal_record(
                practice_id,
                ATTEST_AUTHOR,
                crate::journal::ATTEST_REGISTER_PURPOSE,
                &format!(
                    "{} ligne(s) du registre attestée(s) par l’administrateur de l’hôte\u{a0}: {list}",
                    now.len()
                ),
            )
            .await?;
        }
        Ok(signed)
    }
}

/// The rows of one table of a practice, read through `db`.
async fn found_in(
    keys: &PracticeKeys,
    practice_id: i64,
    table: RegisterTable,
    db: &mut sqlx::AnyConnection,
) -> Result<Vec<Found>> {
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
        out.push(match read {
            Ok((held, patient, summary, would_be)) => Found {
                id,
                patient,
                summary,
                read: Some((held, mac, would_be)),
            },
            Err(_) => Found {
                id,
                patient: table
                    .patient_column()
                    .and_then(|c| r.try_get::<Option<String>, _>(c).ok().flatten())
                    .unwrap_or_default(),
                summary: "ligne illisible (une colonne ne se lit pas)".into(),
                read: None,
            },
        });
    }
    Ok(out)
}

/// The rows of `found` (one table) not believed, and the rows of the
/// table that the records of `book` name and that are not found.
fn listed(
    practice_id: i64,
    table: RegisterTable,
    found: &[Found],
    book: &RecordBook,
) -> Vec<UnsignedRow> {
    let row = |f: &Found, state, unreadable, would_be: &str| UnsignedRow {
        practice_id,
        table,
        id: f.id.clone(),
        patient: f.patient.clone(),
        summary: f.summary.clone(),
        unreadable,
        state,
        would_be: would_be.to_string(),
    };
    let mut out = Vec::new();
    for f in found {
        match &f.read {
            None => out.push(row(f, RowState::Unsigned, true, "")),
            Some((false, _, would_be)) => out.push(row(f, RowState::Unsigned, false, would_be)),
            Some((true, mac, _)) => {
                let kind = table.kind();
                let record = book.of(&f.patient);
                if !crate::register_record::named(record, kind, &f.id, mac.as_deref()) {
                    out.push(row(
                        f,
                        RowState::Unrecorded,
                        false,
                        mac.as_deref().unwrap_or(""),
                    ));
                }
            }
        }
    }
    let kind = table.kind();
    for (patient, record) in book.iter() {
        let Some(record) = record else { continue };
        for id in record.missing(kind, found.iter().map(|f| f.id.as_str())) {
            out.push(UnsignedRow {
                practice_id,
                table,
                id,
                patient: patient.clone(),
                summary: if table == RegisterTable::Recipients {
                    "supprimée hors de Sceau\u{a0}: le registre signé du cabinet la nomme, elle n’est plus dans la base"
                } else {
                    "supprimée hors de Sceau\u{a0}: le registre signé du patient la nomme, elle n’est plus dans la base"
                }
                .into(),
                unreadable: false,
                state: RowState::Deleted,
                would_be: String::new(),
            });
        }
    }
    out
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
