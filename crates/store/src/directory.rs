//! The recipients' directory of a practice: where reports under article
//! 226-14 of the code pénal are sent (parquets of the tribunaux judiciaires,
//! CRIP, préfectures, préfecture de police, medical or administrative
//! authorities). The administrator keeps it up to date: Sceau fetches no
//! address at run time. Nothing in it concerns a patient, so it is stored
//! in clear; every query is restricted to the caller's practice.
//!
//! Each row is signed (audit of 2026-11-30, finding 7: an address written
//! by SQL without the key was where a drafted report went, its « exemple »
//! flag cleared). A row whose MAC is missing or wrong is `altered`: shown
//! « Altérée », never a letter's address. Sceau signs a row when it writes
//! it from what the administrator submitted (added, saved in the form,
//! imported from the shipped examples), and `sceau register attest` signs
//! the rows found unsigned after the host's administrator read them.
//!
//! A row's MAC proves that Sceau wrote it once, not that it is still there
//! nor that it is its latest version: the practice's signed register record
//! (patient `''`, `register_record`) also names each entry with its current
//! MAC, rewritten in the same transaction as each write. An entry it does
//! not name (an older version put back, or one found at the upgrade and
//! not yet saved or attested) is altered; an entry it names that is not
//! found was deleted without Sceau, and is listed so.

use serde::Serialize;
use sqlx::Row;

use crate::fields::{new_id, text, valid_id};
use crate::keyring::PracticeKeys;
use crate::register_facts::{facts_key, RecipientCols, SignedFact};
use crate::register_record::{named, RegisterRecord, RowKind};
use crate::{now, Result, Store, StoreError};

/// The schema from which the directory's rows carry a MAC
/// (`0020_recipients_macs`): an older backup restores them unsigned.
pub(crate) const SIGNED_SCHEMA: i64 = 20;

/// The kinds of recipient, with their French label. The identifiers are the
/// contract's `recipient` values, except `prefet_police` (the préfet de
/// police, who receives in Paris what the préfet receives elsewhere: CP
/// 226-14 4°); `sceau_documents::directory::serves` matches them to the
/// engine's recipient.
pub const RECIPIENT_KINDS: [(&str, &str); 6] = [
    (
        "procureur",
        "Procureur de la République (tribunal judiciaire)",
    ),
    (
        "crip",
        "Cellule de recueil des informations préoccupantes (CRIP)",
    ),
    ("prefet", "Préfet"),
    ("prefet_police", "Préfet de police (Paris)"),
    ("autorite_medicale", "Autorité médicale"),
    ("autorite_administrative", "Autorité administrative"),
];

/// The French label of a kind (the identifier when unknown).
pub fn kind_label(kind: &str) -> &str {
    RECIPIENT_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or(kind)
}

/// One entry of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    /// `rcp_…`, unguessable.
    pub id: String,
    pub kind: String,
    /// Département code: « 01 » … « 95 », « 2A », « 2B », « 971 » … « 976 ».
    pub department: String,
    /// The institution (« Tribunal judiciaire de Lyon »).
    pub name: String,
    /// The postal address, one line per element.
    pub address: Vec<String>,
    /// Formule d'appel; by kind when absent.
    pub salutation: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Imported from the examples shipped with Sceau and not yet checked.
    pub example: bool,
    pub updated_at: i64,
    pub updated_by: String,
    /// The row is not as Sceau signed it (written without the key, or
    /// before schema 20 and not yet attested): shown « Altérée », never
    /// used as a letter's address.
    pub altered: bool,
}

/// The practice's directory as read at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Listing {
    /// Its entries, by département, kind and name.
    pub entries: Vec<Recipient>,
    /// The ids of the entries the practice's signed record names that are
    /// not in the database: deleted without Sceau (what they said is gone).
    pub deleted: Vec<String>,
    /// The practice's signed record cannot be believed (deleted after this
    /// server saw it, not signed by the key, or put back in an earlier
    /// version): every entry is altered, and a deletion cannot be told.
    pub record_altered: bool,
}

/// An entry as the administrator submits it.
#[derive(Debug, Clone, Default)]
pub struct NewRecipient {
    pub kind: String,
    pub department: String,
    pub name: String,
    /// Lines separated by newlines.
    pub address: String,
    pub salutation: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub example: bool,
}

/// Normalises a département code (« 1 » → « 01 », « 2a » → « 2A »); `None`
/// when it is not one of metropolitan France's or overseas départements.
pub fn normalise_department(value: &str) -> Option<String> {
    let v = value.trim().to_uppercase();
    if v == "2A" || v == "2B" {
        return Some(v);
    }
    if v.is_empty() || v.len() > 3 || !v.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u32 = v.parse().ok()?;
    match n {
        1..=19 | 21..=95 => Some(format!("{n:02}")),
        971..=976 => Some(n.to_string()),
        _ => None,
    }
}

fn invalid(field: &str, what: &str) -> StoreError {
    StoreError::Invalid(format!("Champ « {field} » : {what}"))
}

struct Checked {
    kind: String,
    department: String,
    name: String,
    address: String,
    salutation: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

/// Checks every field; the error names the field and what is accepted,
/// never the value submitted.
fn check(n: &NewRecipient) -> Result<Checked> {
    let kind = n.kind.trim();
    if !RECIPIENT_KINDS.iter().any(|(k, _)| *k == kind) {
        return Err(invalid(
            "Type de destinataire",
            "choisissez un type dans la liste (procureur, CRIP, préfet, préfet de police, autorité médicale ou administrative).",
        ));
    }
    let department = normalise_department(&n.department).ok_or_else(|| {
        invalid(
            "Département",
            "un code de département est attendu : 01 à 95, 2A, 2B ou 971 à 976.",
        )
    })?;
    let name = text("Nom", &n.name, 200, true)
        .map_err(|_| invalid("Nom", "de 1 à 200 caractères sur une ligne."))?
        .unwrap_or_default();
    if name.contains('\n') {
        return Err(invalid("Nom", "de 1 à 200 caractères sur une ligne."));
    }
    let lines: Vec<&str> = n
        .address
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty()
        || lines.len() > 8
        || lines.iter().any(|l| l.chars().count() > 120)
        || lines.iter().any(|l| crate::names::unreadable(l, false))
    {
        return Err(invalid(
            "Adresse",
            "de 1 à 8 lignes de 120 caractères au plus (rue, code postal et ville…).",
        ));
    }
    let one_line = |label: &str, v: &Option<String>, max: usize| -> Result<Option<String>> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) if s.chars().count() <= max && !crate::names::unreadable(s, false) => {
                Ok(Some(s.to_string()))
            }
            Some(_) => Err(invalid(
                label,
                &format!("au plus {max} caractères sur une ligne (ou laissez vide)."),
            )),
        }
    };
    let salutation = one_line("Formule d’appel", &n.salutation, 120)?;
    let email = one_line("Courriel", &n.email, 200)?;
    if let Some(e) = &email {
        let ok = e
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.starts_with('.'))
            && !e.contains(char::is_whitespace);
        if !ok {
            return Err(invalid(
                "Courriel",
                "une adresse de la forme nom@domaine.fr est attendue (ou laissez vide).",
            ));
        }
    }
    let phone = one_line("Téléphone", &n.phone, 30)?;
    if let Some(p) = &phone {
        if !p
            .chars()
            .all(|c| c.is_ascii_digit() || " +.()-".contains(c))
        {
            return Err(invalid(
                "Téléphone",
                "des chiffres, espaces, points, tirets ou « + » (ou laissez vide).",
            ));
        }
    }
    Ok(Checked {
        kind: kind.to_string(),
        department,
        name,
        address: lines.join("\n"),
        salutation,
        email,
        phone,
    })
}

/// An entry read from a `SELECT *` row, its signature checked with the
/// practice's keys (`None`: keys not restored yet, nothing verifies) and
/// with the practice's record (`None`: none believed, no entry is current).
fn from_row(
    keys: Option<&(std::sync::Arc<PracticeKeys>, [u8; 32])>,
    record: Option<&RegisterRecord>,
    practice_id: i64,
    r: &sqlx::any::AnyRow,
) -> Result<Recipient> {
    let (c, signed) = match keys {
        Some((keys, key)) => RecipientCols::checked(keys, key, practice_id, r)?,
        None => (RecipientCols::read_plain(r)?, false),
    };
    let mac: Option<String> = r.try_get("mac").ok().flatten();
    let current = named(record, RowKind::Recipient, &c.id, mac.as_deref());
    Ok(Recipient {
        id: c.id,
        kind: c.kind,
        department: c.department,
        name: c.name,
        address: c.address.lines().map(str::to_string).collect(),
        salutation: c.salutation,
        email: c.email,
        phone: c.phone,
        example: c.example != 0,
        updated_at: c.updated_at,
        updated_by: c.updated_by,
        altered: !(signed && current),
    })
}

/// The columns of an entry Sceau writes from what was submitted.
fn cols_of(
    practice_id: i64,
    id: &str,
    c: &Checked,
    example: bool,
    t: i64,
    author: &str,
) -> RecipientCols {
    RecipientCols {
        id: id.to_string(),
        practice_id,
        kind: c.kind.clone(),
        department: c.department.clone(),
        name: c.name.clone(),
        address: c.address.clone(),
        salutation: c.salutation.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        example: example as i64,
        updated_at: t,
        updated_by: author.to_string(),
    }
}

const ORDER: &str = "ORDER BY department, kind, name, id";

impl Store {
    /// The practice's keys and the key its entries are signed with; `None`
    /// when they are not restored yet (a backup restored without them):
    /// the entries then list, all altered.
    async fn directory_keys(
        &self,
        practice_id: i64,
    ) -> Result<Option<(std::sync::Arc<PracticeKeys>, [u8; 32])>> {
        match self.practice_keys(practice_id).await {
            Ok(keys) => {
                let key = facts_key(&keys)?;
                Ok(Some((keys, key)))
            }
            Err(StoreError::Key(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The practice's signed record as it verifies now (`None`: keys not
    /// restored, or a record that cannot be believed).
    async fn directory_record(
        &self,
        keys: Option<&(std::sync::Arc<PracticeKeys>, [u8; 32])>,
        practice_id: i64,
    ) -> Result<Option<RegisterRecord>> {
        match keys {
            Some((keys, _)) => self.register_record(keys, practice_id, "").await,
            None => Ok(None),
        }
    }

    /// The practice's whole directory, by département, kind and name.
    pub async fn recipients(&self, practice_id: i64) -> Result<Vec<Recipient>> {
        Ok(self.directory(practice_id).await?.entries)
    }

    /// The practice's whole directory, with the entries deleted without
    /// Sceau: what the directory page and the signalement form list.
    pub async fn directory(&self, practice_id: i64) -> Result<Listing> {
        let keys = self.directory_keys(practice_id).await?;
        // The record first: an entry written after it is read is not
        // named yet, and reads altered until the next listing, rather than
        // one deleted after the rows are read being missed.
        let record = self.directory_record(keys.as_ref(), practice_id).await?;
        let rows = sqlx::query(&format!(
            "SELECT * FROM recipients WHERE practice_id = $1 {ORDER}"
        ))
        .bind(practice_id)
        .fetch_all(self.pool())
        .await?;
        let entries: Vec<Recipient> = rows
            .iter()
            .map(|r| from_row(keys.as_ref(), record.as_ref(), practice_id, r))
            .collect::<Result<_>>()?;
        let deleted = record
            .as_ref()
            .map(|r| r.missing(RowKind::Recipient, entries.iter().map(|e| e.id.as_str())))
            .unwrap_or_default();
        Ok(Listing {
            record_altered: keys.is_some() && record.is_none(),
            entries,
            deleted,
        })
    }

    /// One entry of the practice.
    pub async fn recipient(&self, practice_id: i64, id: &str) -> Result<Recipient> {
        if !valid_id("rcp", id) {
            return Err(StoreError::NotFound);
        }
        let row = sqlx::query("SELECT * FROM recipients WHERE practice_id = $1 AND id = $2")
            .bind(practice_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let keys = self.directory_keys(practice_id).await?;
        let record = self.directory_record(keys.as_ref(), practice_id).await?;
        from_row(keys.as_ref(), record.as_ref(), practice_id, &row)
    }

    /// Adds an entry.
    pub async fn add_recipient(
        &self,
        practice_id: i64,
        author: &str,
        new: &NewRecipient,
    ) -> Result<Recipient> {
        self.practice(practice_id).await?;
        let c = check(new)?;
        let id = new_id("rcp");
        let t = now();
        let keys = self.practice_keys(practice_id).await?;
        let row = cols_of(practice_id, &id, &c, new.example, t, author);
        let mac = row.sign(&facts_key(&keys)?);
        // A lost answer is settled: the entry is never added twice by a retry.
        self.write_recorded(
            &keys,
            practice_id,
            "",
            (RowKind::Recipient, &id, &mac),
            None,
            false,
            Some("recipients"),
            insert(&row, &mac, t),
        )
        .await?;
        self.recipient(practice_id, &id).await
    }

    /// Replaces an entry; saving it marks it as checked (no longer an example)
    /// unless `example` is kept. It is signed as submitted, even when the row
    /// it replaces was altered: the administrator's form shows every field
    /// and marks the entry « Altérée », so saving it is his check.
    pub async fn update_recipient(
        &self,
        practice_id: i64,
        author: &str,
        id: &str,
        new: &NewRecipient,
    ) -> Result<Recipient> {
        if !valid_id("rcp", id) {
            return Err(StoreError::NotFound);
        }
        let c = check(new)?;
        let t = now();
        let keys = self.practice_keys(practice_id).await?;
        let mac = cols_of(practice_id, id, &c, new.example, t, author).sign(&facts_key(&keys)?);
        let statement = sqlx::query(
            "UPDATE recipients SET kind = $1, department = $2, name = $3, address = $4,
                salutation = $5, email = $6, phone = $7, example = $8, updated_at = $9, updated_by = $10,
                mac = $13
             WHERE practice_id = $11 AND id = $12",
        )
        .bind(&c.kind)
        .bind(&c.department)
        .bind(&c.name)
        .bind(&c.address)
        .bind(&c.salutation)
        .bind(&c.email)
        .bind(&c.phone)
        .bind(new.example as i64)
        .bind(t)
        .bind(author)
        .bind(practice_id)
        .bind(id)
        .bind(&mac);
        // Not conditioned on the previous version being current: saving an
        // altered entry is the administrator's check (above).
        let done = self
            .write_recorded(
                &keys,
                practice_id,
                "",
                (RowKind::Recipient, id, &mac),
                None,
                false,
                None,
                statement,
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        self.recipient(practice_id, id).await
    }

    /// Deletes an entry.
    pub async fn delete_recipient(&self, practice_id: i64, id: &str) -> Result<()> {
        if !valid_id("rcp", id) {
            return Err(StoreError::NotFound);
        }
        let keys = self.practice_keys(practice_id).await?;
        let mut tx = self.pool().begin().await?;
        let mut record = self
            .locked_record(&mut tx, &keys, practice_id, "", false)
            .await?;
        let done = sqlx::query("DELETE FROM recipients WHERE practice_id = $1 AND id = $2")
            .bind(practice_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        record.unset(RowKind::Recipient, id);
        self.write_register_record(&mut tx, &keys, practice_id, "", record)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds several entries in one transaction (import of the examples),
    /// skipping those the directory already holds (same kind, département
    /// and name); returns how many were added. All are checked first.
    pub async fn import_recipients(
        &self,
        practice_id: i64,
        author: &str,
        list: &[NewRecipient],
    ) -> Result<usize> {
        self.practice(practice_id).await?;
        let checked: Vec<(Checked, bool)> = list
            .iter()
            .map(|n| check(n).map(|c| (c, n.example)))
            .collect::<Result<_>>()?;
        let keys = self.practice_keys(practice_id).await?;
        let key = facts_key(&keys)?;
        let mut tx = self.pool().begin().await?;
        let mut record = self
            .locked_record(&mut tx, &keys, practice_id, "", false)
            .await?;
        let mut added = 0;
        let t = now();
        for (c, example) in &checked {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM recipients WHERE practice_id = $1 AND kind = $2 AND department = $3 AND name = $4",
            )
            .bind(practice_id)
            .bind(&c.kind)
            .bind(&c.department)
            .bind(&c.name)
            .fetch_one(&mut *tx)
            .await?;
            if n > 0 {
                continue;
            }
            let row = cols_of(practice_id, &new_id("rcp"), c, *example, t, author);
            let mac = row.sign(&key);
            insert(&row, &mac, t).execute(&mut *tx).await?;
            record.set(RowKind::Recipient, &row.id, &mac);
            added += 1;
        }
        if added > 0 {
            self.write_register_record(&mut tx, &keys, practice_id, "", record)
                .await?;
        }
        tx.commit().await?;
        Ok(added)
    }
}

/// The insert of `row`, created at `t`, with its MAC.
fn insert<'q>(
    row: &'q RecipientCols,
    mac: &'q str,
    t: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(
        "INSERT INTO recipients (id, practice_id, kind, department, name, address, salutation, email, phone, example, created_at, updated_at, updated_by, mac)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&row.id)
    .bind(row.practice_id)
    .bind(&row.kind)
    .bind(&row.department)
    .bind(&row.name)
    .bind(&row.address)
    .bind(&row.salutation)
    .bind(&row.email)
    .bind(&row.phone)
    .bind(row.example)
    .bind(t)
    .bind(row.updated_at)
    .bind(&row.updated_by)
    .bind(mac)
}
