//! Practices (cabinets) and their creation with a first administrator;
//! what the hosting operator does across practices is in [`crate::tenants`].

use serde::Serialize;
use sqlx::Row;

use crate::access_record::AccessRecord;
use crate::accounts::{insert_account, Account, Role};
use crate::names::{check_name, check_password, normalize_username};
use crate::{now, Result, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Practice {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    /// When the hosting operator suspended it (`sceau practice suspend`):
    /// no sign-in, no API token, until `sceau practice resume`.
    pub suspended_at: Option<i64>,
    /// The suspension state is not the one its access record signs (the
    /// row changed without the key, the record cannot be believed, or was
    /// written before it stated the suspension): the practice counts as
    /// suspended (audit of 2026-11-30, finding 11).
    pub state_altered: bool,
}

impl Practice {
    /// Suspended by the operator, or in a state Sceau did not sign.
    pub fn suspended(&self) -> bool {
        self.suspended_at.is_some() || self.state_altered
    }
}

pub(crate) const PRACTICE_COLUMNS: &str = "id, name, created_at, suspended_at";

/// A practice as its row states it, its state not checked yet: altered
/// (suspended) until [`Store::check_state`] compares it with the record.
pub(crate) fn practice_from_row(row: &sqlx::any::AnyRow) -> Result<Practice> {
    Ok(Practice {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
        suspended_at: row.try_get("suspended_at")?,
        state_altered: true,
    })
}

/// The author the journal names for a practice's first administrator:
/// whoever held the installation code.
const INSTALL_AUTHOR: &str = "installation (code d’installation)";

impl Store {
    /// Creates the practice and its first administrator; fails once any account exists.
    pub async fn create_first_admin(
        &self,
        practice_name: &str,
        username: &str,
        display_name: &str,
        password: &str,
    ) -> Result<Account> {
        let practice_name = check_name("Nom du cabinet", practice_name)?;
        let display_name = check_name("Nom affiché", display_name)?;
        let username = normalize_username(username)?;
        check_password(password)?;
        let hash = self.hash_password(password).await?;
        let mut tx = self.pool.begin().await?;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&mut *tx)
            .await?;
        if n > 0 {
            return Err(StoreError::AlreadySetUp);
        }
        let t = now();
        // A practice created by `sceau journal append` before anyone installed
        // the web application is adopted, with its journal, not duplicated.
        // Not one the operator created for another practice's administrator
        // (it has its own installation code: `sceau practice create`).
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM practices WHERE install_code_hash IS NULL ORDER BY id LIMIT 1",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let adopted = existing.is_some();
        let practice_id: i64 = match existing {
            Some(id) => {
                sqlx::query("UPDATE practices SET name = $1 WHERE id = $2")
                    .bind(&practice_name)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            None => self.insert_practice(&mut tx, &practice_name, t).await?,
        };
        let account = insert_account(
            self,
            &mut tx,
            practice_id,
            username,
            display_name,
            Role::Administrateur,
            &hash,
            t,
        )
        .await?;
        tx.commit().await?;
        // A practice adopted with its journal: the journal says who became
        // its administrator.
        if adopted {
            self.journal_first_admin(&account).await?;
        }
        Ok(account)
    }

    /// Records in the practice's journal, if it has one, the first
    /// administrator an installation created: the account would otherwise
    /// appear in no signed record (an audit's administrator created by SQL
    /// and an installation form left none).
    pub(crate) async fn journal_first_admin(&self, account: &Account) -> Result<()> {
        if self.journal_head(account.practice_id).await?.is_none() {
            return Ok(());
        }
        self.journal_record(
            account.practice_id,
            INSTALL_AUTHOR,
            crate::journal::INSTALL_ADMIN_PURPOSE,
            &format!(
                "premier administrateur créé par l’installation\u{a0}: compte n° {} («\u{a0}{}\u{a0}»)",
                account.id, account.username
            ),
        )
        .await?;
        Ok(())
    }

    /// Creates another practice with its first administrator (groups of
    /// practices sharing one PostgreSQL database; tests of isolation).
    pub async fn create_practice(
        &self,
        practice_name: &str,
        username: &str,
        display_name: &str,
        password: &str,
    ) -> Result<Account> {
        let practice_name = check_name("Nom du cabinet", practice_name)?;
        let display_name = check_name("Nom affiché", display_name)?;
        let username = normalize_username(username)?;
        check_password(password)?;
        let hash = self.hash_password(password).await?;
        let mut tx = self.pool.begin().await?;
        let t = now();
        let practice_id = self.insert_practice(&mut tx, &practice_name, t).await?;
        let account = insert_account(
            self,
            &mut tx,
            practice_id,
            username,
            display_name,
            Role::Administrateur,
            &hash,
            t,
        )
        .await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Creates a practice with no account yet (journal appended from the
    /// command line before installation); the first administrator adopts it.
    pub async fn create_unclaimed_practice(&self, name: &str) -> Result<i64> {
        let name = check_name("Nom du cabinet", name)?;
        let mut tx = self.pool.begin().await?;
        let id = self.insert_practice(&mut tx, &name, now()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A new practice row and the start of its journal, in the caller's
    /// transaction: a practice never exists without its journal.
    async fn insert_practice(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        name: &str,
        created_at: i64,
    ) -> Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO practices (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(created_at)
        .fetch_one(&mut **tx)
        .await?;
        self.count_practice_created(tx).await?;
        self.start_journal(tx, id).await?;
        Ok(id)
    }

    /// Every practice of the store, each state checked.
    pub async fn practices(&self) -> Result<Vec<Practice>> {
        let rows = sqlx::query(&format!(
            "SELECT {PRACTICE_COLUMNS} FROM practices ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.check_state(practice_from_row(r)?).await?);
        }
        Ok(out)
    }

    /// The practice, its state checked against its access record.
    pub async fn practice(&self, id: i64) -> Result<Practice> {
        let p = self.practice_row(id).await?;
        self.check_state(p).await
    }

    /// The practice, its state checked against `record` (its access record
    /// as the caller read it: a session's check reads it once).
    pub(crate) async fn practice_with(
        &self,
        id: i64,
        record: Option<&AccessRecord>,
    ) -> Result<Practice> {
        let mut p = self.practice_row(id).await?;
        p.state_altered = !record.is_some_and(|r| r.suspension_agrees(p.suspended_at));
        Ok(p)
    }

    async fn practice_row(&self, id: i64) -> Result<Practice> {
        let row = sqlx::query(&format!(
            "SELECT {PRACTICE_COLUMNS} FROM practices WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        practice_from_row(&row)
    }

    /// `p` with its state compared with its access record. A practice
    /// whose keys cannot be read (not restored yet) has no record to
    /// believe: it counts as suspended, and still lists.
    pub(crate) async fn check_state(&self, mut p: Practice) -> Result<Practice> {
        let record = match self.access_record(p.id).await {
            Ok(r) => r,
            Err(StoreError::Key(_)) => None,
            Err(e) => return Err(e),
        };
        p.state_altered = !record.is_some_and(|r| r.suspension_agrees(p.suspended_at));
        Ok(p)
    }
}
