//! The current version of every access row of a practice, signed as one
//! record: which account rows (by their MAC), which live API tokens (by
//! their MAC) and which open sessions (by their digest) Sceau wrote last.
//!
//! A row's own MAC (`row_macs`) proves that Sceau wrote it once, not that
//! it is its latest version: an older signed row put back — a demotion, a
//! deactivation, a revocation or a password reset undone — or a session row
//! deleted at logout and inserted again, verified (audit of 2026-11-30,
//! findings 3 and 4). Each write of an access row now rewrites this record
//! in the same transaction, and a row is believed only if the record names
//! it: an older version has another MAC, an ended session's digest is no
//! longer listed. The record itself carries a counter, signed with it,
//! that only grows (`max(previous + 1, now in ms)`); each process
//! remembers the highest it saw per practice, so that a record put back
//! together with its rows is refused by any process that saw a later one
//! (SECURITY.md says what a whole database rolled back still does).
//!
//! A record that is missing (while the practice has accounts), that does
//! not verify, or that went backwards makes every access row of its
//! practice unbelieved: accounts read « altered » (the host's
//! administrator attests them again, which writes a new record), tokens
//! are to replace, sessions end.
//!
//! The record also states whether the hosting operator suspended the
//! practice (audit of 2026-11-30, finding 11: `UPDATE practices SET
//! suspended_at = NULL` lifted a suspension). The practice's row keeps its
//! `suspended_at`, and only a row that agrees with a believed record is
//! active: anything else — a record that cannot be believed, one written
//! before this line existed, a row changed without the key — reads as
//! suspended (`practices.rs`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use sqlx::Row;

use crate::row_macs::{self, Field};
use crate::{Result, Store};

/// The schema that brought the records (`0018_access_records`).
pub(crate) const SCHEMA: i64 = 18;

/// The label of the key that signs the records.
const RECORD: &str = "sceau-access-record-v1";

/// The suspension of a practice, as its record states it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Suspension {
    /// Not suspended (a new practice's record starts so).
    #[default]
    Active,
    /// Suspended by the operator at this time (`practices.suspended_at`).
    Suspended(i64),
    /// A record written before the suspension was recorded in it: it states
    /// nothing, and the practice reads as suspended until a start of Sceau
    /// records its state (`record_suspensions`) or the operator changes it.
    Unrecorded,
}

/// What a practice's record says is current.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct AccessRecord {
    counter: i64,
    /// Whether the operator suspended the practice.
    pub(crate) suspension: Suspension,
    /// Account id → the MAC of its current row.
    accounts: BTreeMap<i64, String>,
    /// Live token id → the MAC of its current row.
    tokens: BTreeMap<i64, String>,
    /// Open session's digest → (its account, its expiry).
    sessions: BTreeMap<String, (i64, i64)>,
}

impl AccessRecord {
    /// An empty record stating `suspension`.
    pub(crate) fn stating(suspension: Suspension) -> AccessRecord {
        AccessRecord {
            suspension,
            ..Default::default()
        }
    }

    /// The MAC of the account's current row, as the record names it.
    pub(crate) fn account_mac(&self, id: i64) -> Option<&str> {
        self.accounts.get(&id).map(String::as_str)
    }

    pub(crate) fn account_is_current(&self, id: i64, mac: Option<&str>) -> bool {
        mac.is_some_and(|m| self.accounts.get(&id).is_some_and(|c| c == m))
    }

    pub(crate) fn token_is_current(&self, id: i64, mac: Option<&str>) -> bool {
        mac.is_some_and(|m| self.tokens.get(&id).is_some_and(|c| c == m))
    }

    pub(crate) fn session_is_open(&self, digest: &str, account_id: i64) -> bool {
        self.sessions
            .get(digest)
            .is_some_and(|(a, _)| *a == account_id)
    }

    pub(crate) fn sessions_listed(&self, digest: &str) -> bool {
        self.sessions.contains_key(digest)
    }

    pub(crate) fn set_account(&mut self, id: i64, mac: String) {
        self.accounts.insert(id, mac);
    }

    pub(crate) fn set_token(&mut self, id: i64, mac: String) {
        self.tokens.insert(id, mac);
    }

    pub(crate) fn end_token(&mut self, id: i64) {
        self.tokens.remove(&id);
    }

    pub(crate) fn open_session(&mut self, digest: String, account_id: i64, expires_at: i64) {
        self.sessions.insert(digest, (account_id, expires_at));
    }

    pub(crate) fn end_session(&mut self, digest: &str) {
        self.sessions.remove(digest);
    }

    /// Ends the sessions of an account, but the one whose digest is `keep`.
    pub(crate) fn end_sessions_of(&mut self, account_id: i64, keep: Option<&str>) {
        self.sessions
            .retain(|d, (a, _)| *a != account_id || Some(d.as_str()) == keep);
    }

    pub(crate) fn end_all_sessions(&mut self) {
        self.sessions.clear();
    }

    /// Whether the practice's row, whose `suspended_at` is `column`, is as
    /// this record states: active only when both say so.
    pub(crate) fn suspension_agrees(&self, column: Option<i64>) -> bool {
        match (self.suspension, column) {
            (Suspension::Active, None) => true,
            (Suspension::Suspended(t), Some(c)) => t == c,
            _ => false,
        }
    }

    /// The signed text: one line per row, sorted, each field without
    /// spaces (ids, hex MACs and digests, numbers).
    fn body(&self) -> String {
        let mut out = match self.suspension {
            Suspension::Active => "p -\n".to_string(),
            Suspension::Suspended(t) => format!("p {t}\n"),
            Suspension::Unrecorded => String::new(),
        };
        for (id, mac) in &self.accounts {
            out.push_str(&format!("a {id} {mac}\n"));
        }
        for (id, mac) in &self.tokens {
            out.push_str(&format!("t {id} {mac}\n"));
        }
        for (digest, (account, expires)) in &self.sessions {
            out.push_str(&format!("s {digest} {account} {expires}\n"));
        }
        out
    }

    fn parse(counter: i64, body: &str) -> Option<AccessRecord> {
        let mut r = AccessRecord {
            counter,
            suspension: Suspension::Unrecorded,
            ..Default::default()
        };
        for line in body.lines() {
            let f: Vec<&str> = line.split(' ').collect();
            match f.as_slice() {
                ["p", "-"] => r.suspension = Suspension::Active,
                ["p", at] => r.suspension = Suspension::Suspended(at.parse().ok()?),
                ["a", id, mac] => {
                    r.accounts.insert(id.parse().ok()?, (*mac).to_string());
                }
                ["t", id, mac] => {
                    r.tokens.insert(id.parse().ok()?, (*mac).to_string());
                }
                ["s", digest, account, expires] => {
                    r.sessions.insert(
                        (*digest).to_string(),
                        (account.parse().ok()?, expires.parse().ok()?),
                    );
                }
                _ => return None,
            }
        }
        Some(r)
    }
}

fn record_fields<'a>(practice_id: i64, counter: i64, body: &'a str) -> [Field<'a>; 3] {
    [
        Field::Int(practice_id),
        Field::Int(counter),
        Field::Text(body),
    ]
}

/// The highest counter this process has seen for each practice's record.
#[derive(Debug, Default)]
pub(crate) struct SeenCounters(Mutex<HashMap<i64, i64>>);

impl SeenCounters {
    /// Whether `counter` is not below what this process saw; raises it.
    fn admit(&self, practice_id: i64, counter: i64) -> bool {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let high = seen.entry(practice_id).or_insert(counter);
        if counter < *high {
            return false;
        }
        *high = counter;
        true
    }

    /// Forgets what was seen (a restore puts an earlier state back on purpose).
    pub(crate) fn forget(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

impl Store {
    /// The practice's record as it verifies now, or `None` when it cannot
    /// be believed (missing while the practice has accounts, not signed by
    /// the key, or older than one this process saw). A practice without
    /// any account and without a record has an empty one.
    pub(crate) async fn access_record_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        practice_id: i64,
    ) -> Result<Option<AccessRecord>> {
        let row =
            sqlx::query("SELECT counter, body, mac FROM access_records WHERE practice_id = $1")
                .bind(practice_id)
                .fetch_optional(&mut *conn)
                .await?;
        let Some(row) = row else {
            let accounts: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE practice_id = $1")
                    .bind(practice_id)
                    .fetch_one(&mut *conn)
                    .await?;
            // Nothing was ever written, or the record was deleted: only the
            // first is believed, and only while nothing can be opened.
            return Ok(
                (accounts == 0 && !self.access_seen.saw(practice_id)).then(AccessRecord::default)
            );
        };
        let (Ok(counter), Ok(body), Ok(mac)) = (
            row.try_get::<i64, _>("counter"),
            row.try_get::<String, _>("body"),
            row.try_get::<Option<String>, _>("mac"),
        ) else {
            return Ok(None);
        };
        let key = row_macs::key(
            &*self.practice_keys_in(&mut *conn, practice_id).await?,
            RECORD,
        )?;
        if !row_macs::holds(
            &key,
            "access-record",
            &record_fields(practice_id, counter, &body),
            mac.as_deref(),
        ) || !self.access_seen.admit(practice_id, counter)
        {
            return Ok(None);
        }
        Ok(AccessRecord::parse(counter, &body))
    }

    /// [`Store::access_record_in`] on a connection of the pool.
    pub(crate) async fn access_record(&self, practice_id: i64) -> Result<Option<AccessRecord>> {
        let mut conn = self.pool.acquire().await?;
        self.access_record_in(&mut conn, practice_id).await
    }

    /// Takes the write lock on the practice's record, as the first write of
    /// `tx`: two writers of one practice's access rows then follow each
    /// other (PostgreSQL: the row lock; SQLite: the database's write lock,
    /// taken before the transaction reads anything).
    pub(crate) async fn lock_access_record(
        &self,
        conn: &mut sqlx::AnyConnection,
        practice_id: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE access_records SET counter = counter WHERE practice_id = $1")
            .bind(practice_id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Writes the practice's record, changed by `change`, through `conn`
    /// (the transaction of the rows' change). `false`, and nothing written,
    /// when the record cannot be believed (see [`Store::access_record_in`]):
    /// a change never adopts what someone else left.
    pub(crate) async fn change_access_record(
        &self,
        conn: &mut sqlx::AnyConnection,
        practice_id: i64,
        change: impl FnOnce(&mut AccessRecord),
    ) -> Result<bool> {
        let Some(mut record) = self.access_record_in(&mut *conn, practice_id).await? else {
            return Ok(false);
        };
        change(&mut record);
        self.write_access_record(conn, practice_id, record).await?;
        Ok(true)
    }

    /// Signs and stores `record` as the practice's current one, under the
    /// next counter (above the one stored, whatever it is, and above what
    /// this process saw).
    pub(crate) async fn write_access_record(
        &self,
        conn: &mut sqlx::AnyConnection,
        practice_id: i64,
        mut record: AccessRecord,
    ) -> Result<()> {
        let stored: Option<i64> =
            sqlx::query_scalar("SELECT counter FROM access_records WHERE practice_id = $1")
                .bind(practice_id)
                .fetch_optional(&mut *conn)
                .await
                .ok()
                .flatten();
        let at = crate::now_millis();
        record.counter = [stored.unwrap_or(0) + 1, record.counter + 1, at]
            .into_iter()
            .max()
            .unwrap_or(at);
        let t = crate::now();
        record.sessions.retain(|_, (_, expires)| *expires >= t);
        let body = record.body();
        let key = row_macs::key(
            &*self.practice_keys_in(&mut *conn, practice_id).await?,
            RECORD,
        )?;
        let mac = row_macs::sign(
            &key,
            "access-record",
            &record_fields(practice_id, record.counter, &body),
        );
        let updated = sqlx::query(
            "UPDATE access_records SET counter = $1, body = $2, mac = $3 WHERE practice_id = $4",
        )
        .bind(record.counter)
        .bind(&body)
        .bind(&mac)
        .bind(practice_id)
        .execute(&mut *conn)
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO access_records (practice_id, counter, body, mac) VALUES ($1, $2, $3, $4)",
            )
            .bind(practice_id)
            .bind(record.counter)
            .bind(&body)
            .bind(&mac)
            .execute(&mut *conn)
            .await?;
        }
        self.access_seen.admit(practice_id, record.counter);
        Ok(())
    }

    /// The records of a database written before schema 18, or restored
    /// from a backup of that time: each practice's rows as they are now,
    /// those whose own MAC holds (nothing unsigned is adopted). Done once,
    /// by the start that applies migration 18 or by the restore, which
    /// write from a state Sceau itself holds (the database it migrates, an
    /// archive sealed by the master key).
    pub(crate) async fn adopt_access_records(&self) -> Result<()> {
        for p in self.practices().await? {
            let mut record = AccessRecord {
                suspension: match p.suspended_at {
                    Some(t) => Suspension::Suspended(t),
                    None => Suspension::Active,
                },
                ..Default::default()
            };
            for a in self.signed_account_macs(p.id).await? {
                record.set_account(a.0, a.1);
            }
            for t in self.signed_token_macs(p.id).await? {
                record.set_token(t.0, t.1);
            }
            for (digest, account, expires) in self.signed_sessions(p.id).await? {
                record.open_session(digest, account, expires);
            }
            let mut tx = self.pool.begin().await?;
            self.write_access_record(&mut tx, p.id, record).await?;
            tx.commit().await?;
        }
        Ok(())
    }
}

impl Store {
    /// Records, in each practice's believed record written before the
    /// suspension was part of it, the practice's suspension as its row
    /// states it. Run by every start and after a restore, with the key: a
    /// database upgraded to this build keeps its practices as they were
    /// (none is locked out), once — the record then states it, and a
    /// record without it comes back only as an earlier record put back
    /// (SECURITY.md, « Access rows: only their latest version opens »).
    pub(crate) async fn record_suspensions(&self) -> Result<()> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM practices ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        for id in ids {
            // Read first, written only when needed: a start on a database
            // already recorded writes nothing. A practice whose keys are
            // not restored yet is left for a later start.
            let unrecorded = match self.access_record(id).await {
                Ok(r) => r.is_some_and(|r| r.suspension == Suspension::Unrecorded),
                Err(crate::StoreError::Key(_)) => false,
                Err(e) => return Err(e),
            };
            if !unrecorded {
                continue;
            }
            let mut tx = self.pool.begin().await?;
            self.lock_access_record(&mut tx, id).await?;
            let unrecorded = self
                .access_record_in(&mut tx, id)
                .await?
                .is_some_and(|r| r.suspension == Suspension::Unrecorded);
            if unrecorded {
                let at: Option<i64> =
                    sqlx::query_scalar("SELECT suspended_at FROM practices WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                self.change_access_record(&mut tx, id, |r| {
                    r.suspension = at.map_or(Suspension::Active, Suspension::Suspended)
                })
                .await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }
}

impl SeenCounters {
    /// Whether this process saw a record of this practice.
    fn saw(&self, practice_id: i64) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(&practice_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_written() {
        let mut r = AccessRecord {
            counter: 7,
            ..Default::default()
        };
        r.set_account(1, "ab".into());
        r.set_token(3, "cd".into());
        r.open_session("ef".into(), 1, 99);
        assert_eq!(AccessRecord::parse(7, &r.body()), Some(r.clone()));
        r.suspension = Suspension::Suspended(42);
        assert_eq!(AccessRecord::parse(7, &r.body()), Some(r.clone()));
        assert!(r.suspension_agrees(Some(42)));
        assert!(!r.suspension_agrees(None));
        assert!(!r.suspension_agrees(Some(43)));
        // A body of before the suspension was recorded states nothing.
        let old = AccessRecord::parse(7, "a 1 ab\n").unwrap();
        assert_eq!(old.suspension, Suspension::Unrecorded);
        assert!(!old.suspension_agrees(None));
        assert!(r.account_is_current(1, Some("ab")));
        assert!(!r.account_is_current(1, Some("ac")));
        assert!(!r.account_is_current(1, None));
        assert!(r.session_is_open("ef", 1));
        assert!(!r.session_is_open("ef", 2));
        r.end_sessions_of(1, None);
        assert!(!r.session_is_open("ef", 1));
        assert_eq!(AccessRecord::parse(1, "x 1 2\n"), None);
    }

    #[test]
    fn a_counter_below_the_one_seen_is_refused() {
        let seen = SeenCounters::default();
        assert!(seen.admit(1, 5));
        assert!(seen.admit(1, 6));
        assert!(!seen.admit(1, 5));
        assert!(seen.admit(2, 1));
    }
}
