//! The current version of every row of a patient's register, signed as one
//! record: the MAC of its dates, of each member of its care team, each
//! consent, each opposition, its archiving and each duty about it.
//!
//! A row's own MAC (`register_macs`, `register_facts`) proves that Sceau
//! wrote it once, not that it is still there nor that it is its latest
//! version: an opposition or a duty deleted by SQL simply disappeared, and
//! an older signed row put back undid a lifting, a withdrawal or a duty
//! done. Each write of a register row now rewrites its patient's record in
//! the same transaction, and a row is believed only if the record names it
//! with its MAC; a row the record names that is not found was deleted, and
//! is shown so (never read as absent). One record per patient, not per
//! practice: a write rewrites a record of one patient's rows, and one
//! damaged record leaves the other patients as they are. The duties about
//! no patient have the practice's record of their own (patient `''`).
//!
//! The record carries a counter, signed with it, that only grows
//! (`max(previous + 1, now in ms)`); each process remembers the highest it
//! saw per patient, so that a record put back together with its rows is
//! refused by any process that saw a later one. A record that is missing
//! (while its patient exists, or while the practice has duties about no
//! patient), that does not verify or that went backwards believes none of
//! its rows, until the host's administrator runs `sceau register attest`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use sqlx::Row;

use crate::keyring::PracticeKeys;
use crate::row_macs::{self, Field};
use crate::{Result, Store, StoreError};

/// The label of the key that signs the records.
const RECORD: &str = "sceau-register-record-v1";

/// Why Sceau writes nothing more about a patient whose record does not hold.
pub(crate) const RECORD_ALTERED: &str = "Le registre signé de ce patient manque ou a été modifié hors de Sceau (une ligne supprimée ou remise dans une version antérieure)\u{a0}: Sceau n’y écrit plus rien tant que l’administrateur du serveur ne l’a pas vérifié et attesté (sceau register attest).";

/// Why Sceau writes nothing more about no patient (the duties about no
/// patient, the recipients' directory) while the practice's record does
/// not hold.
pub(crate) const PRACTICE_RECORD_ALTERED: &str = "Le registre signé du cabinet (obligations sans patient, annuaire des destinataires) manque ou a été modifié hors de Sceau (une ligne supprimée ou remise dans une version antérieure)\u{a0}: Sceau n’y écrit plus rien tant que l’administrateur du serveur ne l’a pas vérifié et attesté (sceau register attest).";

/// Why Sceau does not change a row that is not the version it wrote last.
pub(crate) const ROW_NOT_CURRENT: &str = "Cette ligne du registre n’est pas celle que Sceau a écrite en dernier (remise dans une version antérieure hors de Sceau, ou écrite avant la mise à jour et pas encore attestée)\u{a0}: Sceau ne la modifie pas tant que l’administrateur du serveur ne l’a pas vérifiée et attestée (sceau register attest).";

/// The kinds of rows a record names, each with the letter of its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum RowKind {
    /// A patient's dates (its id is the patient's).
    Dates,
    Member,
    Consent,
    Opposition,
    /// A patient's archiving (its id is the patient's).
    Archive,
    Duty,
    /// An entry of the recipients' directory: the practice's record
    /// (patient `''`) names them, so that an entry deleted or an older
    /// version put back is seen as a patient's row is.
    Recipient,
}

impl RowKind {
    fn letter(self) -> &'static str {
        match self {
            RowKind::Dates => "d",
            RowKind::Member => "m",
            RowKind::Consent => "c",
            RowKind::Opposition => "o",
            RowKind::Archive => "a",
            RowKind::Duty => "u",
            RowKind::Recipient => "r",
        }
    }

    fn of_letter(s: &str) -> Option<RowKind> {
        Some(match s {
            "d" => RowKind::Dates,
            "m" => RowKind::Member,
            "c" => RowKind::Consent,
            "o" => RowKind::Opposition,
            "a" => RowKind::Archive,
            "u" => RowKind::Duty,
            "r" => RowKind::Recipient,
            _ => return None,
        })
    }
}

/// What a patient's record says is current: (kind, id) → MAC.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RegisterRecord {
    counter: i64,
    rows: BTreeMap<(RowKind, String), String>,
}

impl RegisterRecord {
    /// Whether the row `id` of `kind` with the MAC `mac` is the current one.
    pub(crate) fn names(&self, kind: RowKind, id: &str, mac: Option<&str>) -> bool {
        mac.is_some_and(|m| {
            self.rows
                .get(&(kind, id.to_string()))
                .is_some_and(|c| c == m)
        })
    }

    /// The ids of `kind` the record names that are not among `found`: rows
    /// deleted without Sceau.
    pub(crate) fn missing<'a>(
        &self,
        kind: RowKind,
        found: impl IntoIterator<Item = &'a str>,
    ) -> Vec<String> {
        let found: std::collections::HashSet<&str> = found.into_iter().collect();
        self.rows
            .keys()
            .filter(|(k, id)| *k == kind && !found.contains(id.as_str()))
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// Records `mac` as the current version of a row. An id that would
    /// not fit on its line (written without Sceau) is never recorded.
    pub(crate) fn set(&mut self, kind: RowKind, id: &str, mac: &str) {
        if fits(id) && fits(mac) {
            self.rows.insert((kind, id.to_string()), mac.to_string());
        }
    }

    /// Takes a row deleted by Sceau out of the record.
    pub(crate) fn unset(&mut self, kind: RowKind, id: &str) {
        self.rows.remove(&(kind, id.to_string()));
    }

    /// The signed text: one line per row, sorted.
    fn body(&self) -> String {
        let mut out = String::new();
        for ((kind, id), mac) in &self.rows {
            out.push_str(&format!("{} {id} {mac}\n", kind.letter()));
        }
        out
    }

    fn parse(counter: i64, body: &str) -> Option<RegisterRecord> {
        let mut r = RegisterRecord {
            counter,
            ..Default::default()
        };
        for line in body.lines() {
            let f: Vec<&str> = line.split(' ').collect();
            let [kind, id, mac] = f.as_slice() else {
                return None;
            };
            r.rows
                .insert((RowKind::of_letter(kind)?, id.to_string()), mac.to_string());
        }
        Some(r)
    }
}

/// Whether a value can stand on a record's line (no separator in it).
fn fits(v: &str) -> bool {
    !v.is_empty() && !v.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn record_fields<'a>(
    practice_id: i64,
    patient: &'a str,
    counter: i64,
    body: &'a str,
) -> [Field<'a>; 4] {
    [
        Field::Int(practice_id),
        Field::Text(patient),
        Field::Int(counter),
        Field::Text(body),
    ]
}

/// The highest counter this process has seen for each patient's record.
#[derive(Debug, Default)]
pub(crate) struct SeenRecords(Mutex<HashMap<(i64, String), i64>>);

impl SeenRecords {
    /// Whether `counter` is not below what this process saw; raises it.
    fn admit(&self, practice_id: i64, patient: &str, counter: i64) -> bool {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let high = seen
            .entry((practice_id, patient.to_string()))
            .or_insert(counter);
        if counter < *high {
            return false;
        }
        *high = counter;
        true
    }

    fn saw(&self, practice_id: i64, patient: &str) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(&(practice_id, patient.to_string()))
    }

    /// Forgets what was seen (a restore puts an earlier state back on purpose).
    pub(crate) fn forget(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// The records of a practice's patients as read at once: `None` for a
/// patient whose record cannot be believed.
#[derive(Debug, Default)]
pub(crate) struct RecordBook(HashMap<String, Option<RegisterRecord>>);

impl RecordBook {
    /// The book of one patient's record.
    pub(crate) fn single(patient: &str, record: Option<RegisterRecord>) -> RecordBook {
        RecordBook([(patient.to_string(), record)].into())
    }

    /// The record of `patient` (`''`: the duties about no patient); a
    /// patient without one has none to believe.
    pub(crate) fn of(&self, patient: &str) -> Option<&RegisterRecord> {
        self.0.get(patient).and_then(Option::as_ref)
    }

    /// The patients whose records were read, with what they hold.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &Option<RegisterRecord>)> {
        self.0.iter()
    }
}

/// Whether a row is current for `record` (none believed: no row is).
pub(crate) fn named(
    record: Option<&RegisterRecord>,
    kind: RowKind,
    id: &str,
    mac: Option<&str>,
) -> bool {
    record.is_some_and(|r| r.names(kind, id, mac))
}

impl Store {
    fn record_key(keys: &PracticeKeys) -> Result<[u8; 32]> {
        row_macs::key(keys, RECORD)
    }

    /// One stored record checked: `None` when it does not verify or went
    /// backwards.
    fn checked_record(
        &self,
        key: &[u8; 32],
        practice_id: i64,
        row: &sqlx::any::AnyRow,
    ) -> (String, Option<RegisterRecord>) {
        let patient = row.try_get::<String, _>("patient_id").unwrap_or_default();
        let (Ok(counter), Ok(body), Ok(mac)) = (
            row.try_get::<i64, _>("counter"),
            row.try_get::<String, _>("body"),
            row.try_get::<Option<String>, _>("mac"),
        ) else {
            return (patient, None);
        };
        let holds = row_macs::holds(
            key,
            "register-record",
            &record_fields(practice_id, &patient, counter, &body),
            mac.as_deref(),
        );
        let record = (holds && self.register_seen.admit(practice_id, &patient, counter))
            .then(|| RegisterRecord::parse(counter, &body))
            .flatten();
        (patient, record)
    }

    /// Whether the practice-wide record (duties about no patient, the
    /// recipients' directory) may be missing: no duty about no patient is
    /// there and this process never saw the record. The directory's
    /// entries do not count: those of a database before the record named
    /// them have none, and are then read as not named (« Altérée », as an
    /// entry unsigned) until saved or attested, rather than lock the
    /// practice's duties out until an attestation.
    async fn no_practice_record_expected(
        &self,
        conn: &mut sqlx::AnyConnection,
        practice_id: i64,
    ) -> Result<bool> {
        let duties: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM duties WHERE practice_id = $1 AND patient_id IS NULL",
        )
        .bind(practice_id)
        .fetch_one(&mut *conn)
        .await?;
        Ok(duties == 0 && !self.register_seen.saw(practice_id, ""))
    }

    /// The record of one patient (`''`: the practice's duties about no
    /// patient) as it verifies now, read through `conn`; `None` when it
    /// cannot be believed. A patient's record missing is never believed
    /// (its dates are a row of it from its creation on); the practice's
    /// is empty while it has no duty about no patient.
    pub(crate) async fn register_record_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        keys: &PracticeKeys,
        practice_id: i64,
        patient: &str,
    ) -> Result<Option<RegisterRecord>> {
        let row = sqlx::query(
            "SELECT patient_id, counter, body, mac FROM register_records WHERE practice_id = $1 AND patient_id = $2",
        )
        .bind(practice_id)
        .bind(patient)
        .fetch_optional(&mut *conn)
        .await?;
        match row {
            Some(row) => Ok(self
                .checked_record(&Self::record_key(keys)?, practice_id, &row)
                .1),
            None if patient.is_empty()
                && self.no_practice_record_expected(conn, practice_id).await? =>
            {
                Ok(Some(RegisterRecord::default()))
            }
            None => Ok(None),
        }
    }

    /// [`Store::register_record_in`] on a connection of the pool.
    pub(crate) async fn register_record(
        &self,
        keys: &PracticeKeys,
        practice_id: i64,
        patient: &str,
    ) -> Result<Option<RegisterRecord>> {
        let mut conn = self.pool.acquire().await?;
        self.register_record_in(&mut conn, keys, practice_id, patient)
            .await
    }

    /// Every record of a practice, for the lists (patients, archivings,
    /// duties): one query, one HMAC per patient.
    pub(crate) async fn register_records(
        &self,
        keys: &PracticeKeys,
        practice_id: i64,
    ) -> Result<RecordBook> {
        let mut conn = self.pool.acquire().await?;
        self.register_records_in(&mut conn, keys, practice_id).await
    }

    /// [`Store::register_records`] read through `conn`.
    pub(crate) async fn register_records_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        keys: &PracticeKeys,
        practice_id: i64,
    ) -> Result<RecordBook> {
        let rows = sqlx::query(
            "SELECT patient_id, counter, body, mac FROM register_records WHERE practice_id = $1",
        )
        .bind(practice_id)
        .fetch_all(&mut *conn)
        .await?;
        let key = Self::record_key(keys)?;
        let mut book: HashMap<String, Option<RegisterRecord>> = rows
            .iter()
            .map(|r| self.checked_record(&key, practice_id, r))
            .collect();
        if !book.contains_key("") && self.no_practice_record_expected(conn, practice_id).await? {
            book.insert(String::new(), Some(RegisterRecord::default()));
        }
        Ok(RecordBook(book))
    }

    /// Signs and stores `record` as the patient's current one, under the
    /// next counter (above the one stored, whatever it is, above the
    /// record's own and the time in ms).
    pub(crate) async fn write_register_record(
        &self,
        conn: &mut sqlx::AnyConnection,
        keys: &PracticeKeys,
        practice_id: i64,
        patient: &str,
        mut record: RegisterRecord,
    ) -> Result<()> {
        let stored: Option<i64> = sqlx::query_scalar(
            "SELECT counter FROM register_records WHERE practice_id = $1 AND patient_id = $2",
        )
        .bind(practice_id)
        .bind(patient)
        .fetch_optional(&mut *conn)
        .await
        .ok()
        .flatten();
        let at = crate::now_millis();
        record.counter = [stored.unwrap_or(0) + 1, record.counter + 1, at]
            .into_iter()
            .max()
            .unwrap_or(at);
        let body = record.body();
        let mac = row_macs::sign(
            &Self::record_key(keys)?,
            "register-record",
            &record_fields(practice_id, patient, record.counter, &body),
        );
        let updated = sqlx::query(
            "UPDATE register_records SET counter = $1, body = $2, mac = $3 WHERE practice_id = $4 AND patient_id = $5",
        )
        .bind(record.counter)
        .bind(&body)
        .bind(&mac)
        .bind(practice_id)
        .bind(patient)
        .execute(&mut *conn)
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO register_records (practice_id, patient_id, counter, body, mac) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(practice_id)
            .bind(patient)
            .bind(record.counter)
            .bind(&body)
            .bind(&mac)
            .execute(&mut *conn)
            .await?;
        }
        self.register_seen
            .admit(practice_id, patient, record.counter);
        Ok(())
    }

    /// Replaces a row whose current signature is `previous` (the update
    /// `statement` checks it) and records the new one, in one transaction:
    /// `write_recorded` for a change of an existing row. `false`
    /// when the row changed since it was read (nothing written).
    pub(crate) async fn replace_recorded<'q>(
        &self,
        keys: &PracticeKeys,
        practice_id: i64,
        patient: &str,
        row: (RowKind, &str, &str),
        previous: Option<&str>,
        statement: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<bool> {
        let done = self
            .write_recorded(
                keys,
                practice_id,
                patient,
                row,
                Some(previous),
                false,
                None,
                statement,
            )
            .await?;
        Ok(done != 0)
    }

    /// Writes one register row with `statement` (an insert, or an update
    /// conditioned on the row's previous MAC) and records `mac` as its
    /// current version in its patient's record, in one transaction, under
    /// the record's lock taken first (PostgreSQL's row lock, SQLite's write
    /// lock), so that writers of one patient follow each other.
    /// `replaces`: the MAC of the row an update changes, which the record
    /// must name (`ROW_NOT_CURRENT` otherwise). `fresh`: the patient is
    /// being created, and has no record yet.
    ///
    /// Refused (`RECORD_ALTERED`, nothing written) when the patient's
    /// record cannot be believed: a write never adopts what someone else
    /// left. Gives how many rows the statement changed (0: nothing written,
    /// the record unchanged). An insert whose answer is lost with the
    /// connection is settled by [`Store::settle`] (`settle`: its table).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn write_recorded<'q>(
        &self,
        keys: &PracticeKeys,
        practice_id: i64,
        patient: &str,
        row: (RowKind, &str, &str),
        replaces: Option<Option<&str>>,
        fresh: bool,
        settle: Option<&'static str>,
        statement: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<u64> {
        let (kind, id, mac) = row;
        let mut tx = self.pool.begin().await?;
        let mut record = self
            .locked_record(&mut tx, keys, practice_id, patient, fresh)
            .await?;
        // A change is made on the current version only: an older one put
        // back is not changed (nor signed again) by Sceau.
        if replaces.is_some_and(|previous| !record.names(kind, id, previous)) {
            return Err(StoreError::Invalid(ROW_NOT_CURRENT.into()));
        }
        let changed = match statement.execute(&mut *tx).await {
            Ok(done) => done.rows_affected(),
            Err(e) => {
                // The transaction ends before the question is asked (on
                // SQLite it holds the write lock).
                drop(tx);
                return self.settled(settle, id, e).await;
            }
        };
        if changed == 0 {
            return Ok(0);
        }
        record.set(kind, id, mac);
        self.write_register_record(&mut tx, keys, practice_id, patient, record)
            .await?;
        match tx.commit().await {
            Ok(()) => Ok(changed),
            Err(e) => self.settled(settle, id, e).await,
        }
    }

    /// Takes the lock of a patient's record (`''`: the practice's) in the
    /// transaction `conn`, first (PostgreSQL's row lock, SQLite's write
    /// lock), and reads it: the record a write starts from. `fresh`: the
    /// patient is being created, and has no record yet. Refused
    /// (`RECORD_ALTERED`, or `PRACTICE_RECORD_ALTERED` for the practice's)
    /// when it cannot be believed: a write never adopts what someone else
    /// left.
    pub(crate) async fn locked_record(
        &self,
        conn: &mut sqlx::AnyConnection,
        keys: &PracticeKeys,
        practice_id: i64,
        patient: &str,
        fresh: bool,
    ) -> Result<RegisterRecord> {
        sqlx::query(
            "UPDATE register_records SET counter = counter WHERE practice_id = $1 AND patient_id = $2",
        )
        .bind(practice_id)
        .bind(patient)
        .execute(&mut *conn)
        .await?;
        let record = if fresh {
            Some(RegisterRecord::default())
        } else {
            self.register_record_in(conn, keys, practice_id, patient)
                .await?
        };
        record.ok_or_else(|| {
            StoreError::Invalid(
                if patient.is_empty() {
                    PRACTICE_RECORD_ALTERED
                } else {
                    RECORD_ALTERED
                }
                .into(),
            )
        })
    }

    /// A write's error, settled for an insert (the row found: written).
    async fn settled(&self, table: Option<&'static str>, id: &str, e: sqlx::Error) -> Result<u64> {
        match table {
            Some(t) => self.settle(t, id, Err(e)).await.map(|()| 1),
            None => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_written_and_names_only_current_rows() {
        let mut r = RegisterRecord {
            counter: 7,
            ..Default::default()
        };
        r.set(RowKind::Dates, "pat_1", "aa");
        r.set(RowKind::Opposition, "opp_1", "bb");
        r.set(RowKind::Opposition, "opp 2", "cc");
        assert_eq!(RegisterRecord::parse(7, &r.body()), Some(r.clone()));
        assert!(r.names(RowKind::Opposition, "opp_1", Some("bb")));
        assert!(!r.names(RowKind::Opposition, "opp_1", Some("ba")));
        assert!(!r.names(RowKind::Consent, "opp_1", Some("bb")));
        assert!(!r.names(RowKind::Opposition, "opp_1", None));
        assert!(!r.names(RowKind::Opposition, "opp 2", Some("cc")));
        assert_eq!(r.missing(RowKind::Opposition, ["opp_9"]), vec!["opp_1"]);
        assert!(r.missing(RowKind::Opposition, ["opp_1"]).is_empty());
        assert_eq!(RegisterRecord::parse(1, "x a b\n"), None);
        assert_eq!(RegisterRecord::parse(1, "o a\n"), None);
    }

    #[test]
    fn a_counter_below_the_one_seen_is_refused() {
        let seen = SeenRecords::default();
        assert!(seen.admit(1, "pat_a", 5));
        assert!(seen.admit(1, "pat_a", 6));
        assert!(!seen.admit(1, "pat_a", 5));
        assert!(seen.admit(1, "pat_b", 1));
        assert!(seen.saw(1, "pat_a") && !seen.saw(2, "pat_a"));
    }
}
