//! Accounts of a practice: their roles, login, passwords, and the rule
//! that a practice always keeps an active administrator.

use serde::Serialize;
use sqlx::Row;

use crate::access_record::AccessRecord;
use crate::keyring::PracticeKeys;
use crate::names::{check_name, check_password, normalize_username};
use crate::row_macs::{self, Field};
use crate::secrets::sha256_hex;
use crate::{now, Result, Store, StoreError};

/// The label of the key that signs the accounts' rows.
const ACCOUNTS: &str = "sceau-account-rows-v1";

/// The roles of an account. Stored as their French identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrateur,
    Kinesitherapeute,
    Etudiant,
    Assistant,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Administrateur,
        Role::Kinesitherapeute,
        Role::Etudiant,
        Role::Assistant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrateur => "administrateur",
            Role::Kinesitherapeute => "kinesitherapeute",
            Role::Etudiant => "etudiant",
            Role::Assistant => "assistant",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Role::Administrateur => "Administrateur",
            Role::Kinesitherapeute => "Kinésithérapeute",
            Role::Etudiant => "Étudiant",
            Role::Assistant => "Assistant",
        }
    }

    pub fn is_admin(self) -> bool {
        self == Role::Administrateur
    }

    /// Reads clinical content: the journal (decrypted), the reports and
    /// letters, the exports. The kinésithérapeute and the administrator (a
    /// kinésithérapeute of the practice); not the assistant, bound by
    /// secrecy (CSP R.4321-115) but who needs no clinical content, nor the
    /// student, who acts under his tutor and learns from him what he needs.
    pub fn reads_clinical(self) -> bool {
        matches!(self, Role::Administrateur | Role::Kinesitherapeute)
    }

    /// Reads and keeps the register's administrative part (patients, care
    /// team, consents, oppositions): everyone but the student.
    pub fn keeps_register(self) -> bool {
        self != Role::Etudiant
    }

    /// Pastes notes into the anonymiser: those who write clinical notes,
    /// the student included (his case reports); not the assistant.
    pub fn writes_notes(self) -> bool {
        self != Role::Assistant
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: i64,
    pub practice_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: i64,
    /// The row is not as Sceau signed it (changed without the key, or
    /// written before schema 15 and not yet attested): the account can
    /// neither sign in nor act.
    pub altered: bool,
}

pub(crate) const ACCOUNT_COLUMNS: &str =
    "id, practice_id, username, display_name, role, active, created_at, password_hash, mac";

/// The MAC of an account's row: every column that grants access.
pub(crate) fn account_mac(key: &[u8; 32], a: &Account, role: &str, password_hash: &str) -> String {
    row_macs::sign(key, "account", &account_fields(a, role, password_hash))
}

pub(crate) fn account_fields<'a>(
    a: &'a Account,
    role: &'a str,
    password_hash: &'a str,
) -> [Field<'a>; 6] {
    [
        Field::Int(a.id),
        Field::Int(a.practice_id),
        Field::Text(&a.username),
        Field::Text(role),
        Field::Text(password_hash),
        Field::Int(a.active as i64),
    ]
}

/// The key that signs accounts, from the practice's keys.
pub(crate) fn accounts_key(keys: &PracticeKeys) -> Result<[u8; 32]> {
    row_macs::key(keys, ACCOUNTS)
}

fn account_from_row(row: &sqlx::any::AnyRow) -> Result<Account> {
    let role: String = row.try_get("role")?;
    Ok(Account {
        id: row.try_get("id")?,
        practice_id: row.try_get("practice_id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Internal(format!("rôle inconnu en base : {role}")))?,
        active: row.try_get::<i64, _>("active")? != 0,
        created_at: row.try_get("created_at")?,
        altered: true,
    })
}

/// The account of a row read with [`ACCOUNT_COLUMNS`], its signature
/// checked with `key` (the role is checked as stored, before parsing), and
/// its version with the practice's access record (`None`: a record that
/// cannot be believed, which believes no row).
pub(crate) fn checked_account(
    row: &sqlx::any::AnyRow,
    key: &[u8; 32],
    record: Option<&AccessRecord>,
) -> Result<Account> {
    let mut a = account_from_row(row)?;
    let mac: Option<String> = row.try_get("mac")?;
    a.altered = !signed_by(row, &a, key)?
        || !record.is_some_and(|r| r.account_is_current(a.id, mac.as_deref()));
    Ok(a)
}

/// Whether the row's own MAC holds (whatever its version).
fn signed_by(row: &sqlx::any::AnyRow, a: &Account, key: &[u8; 32]) -> Result<bool> {
    let role: String = row.try_get("role")?;
    let hash: String = row.try_get("password_hash")?;
    let mac: Option<String> = row.try_get("mac")?;
    Ok(row_macs::holds(
        key,
        "account",
        &account_fields(a, &role, &hash),
        mac.as_deref(),
    ))
}

/// Which sessions of an account a change of its row ends.
pub(crate) enum EndSessions<'a> {
    None,
    /// Every one but this one (its cookie's token): one's own password change.
    AllBut(&'a str),
    All,
}

impl Store {
    /// Whether the first administrator of the server still has to be created
    /// (see also [`Store::installation_pending`] for practices the operator created).
    pub async fn needs_setup(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    /// The practice one can sign in to when the server has only one: the
    /// only practice with accounts. `None` when several practices share
    /// the server (the sign-in must name one) or before the installation.
    pub async fn only_practice(&self) -> Result<Option<i64>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT practice_id FROM accounts ORDER BY practice_id LIMIT 2",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(match ids.as_slice() {
            [only] => Some(*only),
            _ => None,
        })
    }

    /// The practice a sign-in is for: the number given (the login form's
    /// « Cabinet » field, a practice's login link), or, when none is given,
    /// the only practice of the server; `PracticeRequired` when several
    /// practices share it. A number that is no practice is not refused
    /// here: the login then fails as for a wrong password.
    pub async fn login_practice(&self, given: Option<i64>) -> Result<i64> {
        match given {
            Some(id) => Ok(id),
            None => self
                .only_practice()
                .await?
                .ok_or(StoreError::PracticeRequired),
        }
    }

    /// The account for these credentials in this practice (see
    /// [`Store::login_practice`] for `practice`), if they are right and the
    /// account is active. Login names are unique per practice only. Takes
    /// the same time whether or not the practice and the login name exist.
    pub async fn verify_login(
        &self,
        practice: Option<i64>,
        username: &str,
        password: &str,
    ) -> Result<Option<Account>> {
        let practice_id = self.login_practice(practice).await?;
        let username = username.trim().to_lowercase();
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts WHERE practice_id = $1 AND username = $2"
        ))
        .bind(practice_id)
        .bind(&username)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            // Spend the same effort as a real check (and the same place in the queue).
            self.hash_password(password).await?;
            return Ok(None);
        };
        let hash: String = row.try_get("password_hash")?;
        let keys = self.practice_keys(practice_id).await?;
        let record = self.access_record(practice_id).await?;
        let account = checked_account(&row, &accounts_key(&keys)?, record.as_ref())?;
        if self.verify_password(hash, password).await? && account.active {
            // Said only to whoever gave the right password (of the row as
            // it is): its role or its password may not be the ones Sceau
            // wrote.
            if account.altered {
                return Err(StoreError::AccountAltered);
            }
            // Said only to whoever gave the right password: the suspension
            // is no secret from the practice's own members.
            if self
                .practice_with(account.practice_id, record.as_ref())
                .await?
                .suspended()
            {
                return Err(StoreError::Suspended);
            }
            Ok(Some(account))
        } else {
            Ok(None)
        }
    }

    /// The account, its signature checked (see [`Account::altered`]).
    pub async fn account(&self, id: i64) -> Result<Account> {
        Ok(self.account_and_record(id).await?.0)
    }

    /// [`Store::account`], with its practice's access record as it was
    /// read to check it (a session's check reads it once).
    pub(crate) async fn account_and_record(
        &self,
        id: i64,
    ) -> Result<(Account, Option<AccessRecord>)> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let practice_id: i64 = row.try_get("practice_id")?;
        let keys = self.practice_keys(practice_id).await?;
        let record = self.access_record(practice_id).await?;
        let account = checked_account(&row, &accounts_key(&keys)?, record.as_ref())?;
        Ok((account, record))
    }

    /// Writes an account's row through `tx` and signs it, if it was signed
    /// before: a change by Sceau never attests what someone else wrote
    /// (`AccountAltered` then; `sceau accounts attest` is the way back).
    /// `change` sets the new role, activity or password hash; `end` the
    /// sessions it closes. The practice's access record names the new row
    /// and no longer the sessions closed, in the same transaction.
    async fn rewrite_account(
        &self,
        account_id: i64,
        role: Option<Role>,
        active: Option<bool>,
        password_hash: Option<&str>,
        end: EndSessions<'_>,
    ) -> Result<()> {
        let practice_id: i64 = sqlx::query_scalar("SELECT practice_id FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        self.lock_access_record(&mut tx, practice_id).await?;
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"
        ))
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        if row.try_get::<i64, _>("practice_id")? != practice_id {
            return Err(StoreError::NotFound);
        }
        let key = accounts_key(&*self.practice_keys_in(&mut *tx, practice_id).await?)?;
        let record = self.access_record_in(&mut tx, practice_id).await?;
        let mut a = checked_account(&row, &key, record.as_ref())?;
        let Some(mut record) = record.filter(|_| !a.altered) else {
            return Err(StoreError::AccountAltered);
        };
        let stored_hash: String = row.try_get("password_hash")?;
        let hash = password_hash.unwrap_or(&stored_hash);
        a.role = role.unwrap_or(a.role);
        a.active = active.unwrap_or(a.active);
        let mac = account_mac(&key, &a, a.role.as_str(), hash);
        sqlx::query(
            "UPDATE accounts SET role = $1, active = $2, password_hash = $3, updated_at = $4, mac = $5 WHERE id = $6 AND practice_id = $7",
        )
        .bind(a.role.as_str())
        .bind(a.active as i64)
        .bind(hash)
        .bind(now())
        .bind(&mac)
        .bind(account_id)
        .bind(practice_id)
        .execute(&mut *tx)
        .await?;
        record.set_account(account_id, mac);
        match end {
            EndSessions::None => {}
            EndSessions::AllBut(token) => {
                let keep = sha256_hex(token);
                sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
                    .bind(account_id)
                    .bind(&keep)
                    .execute(&mut *tx)
                    .await?;
                record.end_sessions_of(account_id, Some(&keep));
            }
            EndSessions::All => {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
                record.end_sessions_of(account_id, None);
            }
        }
        self.write_access_record(&mut tx, practice_id, record)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes one's own password after checking the current one; closes the other sessions.
    pub async fn change_password(
        &self,
        account_id: i64,
        current: &str,
        new: &str,
        keep_session: &str,
    ) -> Result<bool> {
        let hash: Option<String> =
            sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some(hash) = hash else {
            return Err(StoreError::NotFound);
        };
        if !self.verify_password(hash, current).await? {
            return Ok(false);
        }
        check_password(new)?;
        self.set_password(account_id, new, EndSessions::AllBut(keep_session))
            .await?;
        Ok(true)
    }

    async fn set_password(
        &self,
        account_id: i64,
        password: &str,
        end: EndSessions<'_>,
    ) -> Result<()> {
        let hash = self.hash_password(password).await?;
        self.rewrite_account(account_id, None, None, Some(&hash), end)
            .await
    }

    /// An administrator sets a new password for an account of the practice; its sessions close.
    pub async fn reset_password(
        &self,
        practice_id: i64,
        account_id: i64,
        password: &str,
    ) -> Result<()> {
        check_password(password)?;
        let a = self.account(account_id).await?;
        if a.practice_id != practice_id {
            return Err(StoreError::NotFound);
        }
        self.set_password(account_id, password, EndSessions::All)
            .await
    }

    /// The practice's accounts, each with its signature checked.
    pub async fn list_accounts(&self, practice_id: i64) -> Result<Vec<Account>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE practice_id = $1 ORDER BY username"
        ))
        .bind(practice_id)
        .fetch_all(&self.pool)
        .await?;
        let key = accounts_key(&*self.practice_keys(practice_id).await?)?;
        let record = self.access_record(practice_id).await?;
        rows.iter()
            .map(|r| checked_account(r, &key, record.as_ref()))
            .collect()
    }

    /// The practice's accounts whose row's own MAC holds, with that MAC
    /// (what a record adopts: `access_record`).
    pub(crate) async fn signed_account_macs(&self, practice_id: i64) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE practice_id = $1"
        ))
        .bind(practice_id)
        .fetch_all(&self.pool)
        .await?;
        let key = accounts_key(&*self.practice_keys(practice_id).await?)?;
        let mut out = Vec::new();
        for r in &rows {
            let Ok(a) = account_from_row(r) else { continue };
            if signed_by(r, &a, &key)? {
                out.push((a.id, r.try_get("mac")?));
            }
        }
        Ok(out)
    }

    pub async fn create_account(
        &self,
        practice_id: i64,
        username: &str,
        display_name: &str,
        role: Role,
        password: &str,
    ) -> Result<Account> {
        let username = normalize_username(username)?;
        let display_name = check_name("Nom affiché", display_name)?;
        check_password(password)?;
        let hash = self.hash_password(password).await?;
        let t = now();
        let mut tx = self.pool.begin().await?;
        let account = insert_account(
            self,
            &mut tx,
            practice_id,
            username,
            display_name,
            role,
            &hash,
            t,
        )
        .await?;
        tx.commit().await?;
        Ok(account)
    }

    async fn active_admins(&self, practice_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM accounts WHERE practice_id = $1 AND role = 'administrateur' AND active = 1",
        )
        .bind(practice_id)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Changes the role and activity of an account; the practice always keeps an active administrator.
    pub async fn update_account(
        &self,
        practice_id: i64,
        account_id: i64,
        role: Role,
        active: bool,
    ) -> Result<()> {
        let a = self.account(account_id).await?;
        if a.practice_id != practice_id {
            return Err(StoreError::NotFound);
        }
        let loses_admin = a.role.is_admin() && a.active && (!role.is_admin() || !active);
        if loses_admin && self.active_admins(practice_id).await? <= 1 {
            return Err(StoreError::LastAdmin);
        }
        let end = if active {
            EndSessions::None
        } else {
            EndSessions::All
        };
        self.rewrite_account(account_id, Some(role), Some(active), None, end)
            .await?;
        self.revocations.happened();
        if !active || !role.is_admin() {
            self.revoke_tokens_of(account_id).await?;
        }
        Ok(())
    }
}

/// Inserts one active account through `tx` and signs its row with the
/// practice's key (read through `tx`, which may have just created it). The
/// one INSERT into `accounts`: a name taken in the same practice comes back
/// as `UsernameTaken`, whichever path creates the account; names are unique
/// per practice only (migration 0011), so nothing tells whether another
/// practice has it.
#[allow(clippy::too_many_arguments)] // the row's columns, plus where to write it
pub(crate) async fn insert_account(
    store: &Store,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    practice_id: i64,
    username: String,
    display_name: String,
    role: Role,
    hash: &str,
    t: i64,
) -> Result<Account> {
    // The lock first: on SQLite a transaction that has read cannot wait
    // for the write lock (« database is locked » at once).
    store.lock_access_record(tx, practice_id).await?;
    let key = accounts_key(&*store.practice_keys_in(&mut **tx, practice_id).await?)?;
    // Read before the row is inserted: a practice's first account finds
    // no record and no account, and starts it.
    let Some(mut record) = store.access_record_in(tx, practice_id).await? else {
        return Err(StoreError::AccountAltered);
    };
    let res = sqlx::query_scalar(
        "INSERT INTO accounts (practice_id, username, display_name, role, password_hash, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id",
    )
    .bind(practice_id)
    .bind(&username)
    .bind(&display_name)
    .bind(role.as_str())
    .bind(hash)
    .bind(t)
    .fetch_one(&mut **tx)
    .await;
    let id: i64 = match res {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(StoreError::UsernameTaken)
        }
        Err(e) => return Err(e.into()),
    };
    let account = Account {
        id,
        practice_id,
        username,
        display_name,
        role,
        active: true,
        created_at: t,
        altered: false,
    };
    let mac = account_mac(&key, &account, role.as_str(), hash);
    sqlx::query("UPDATE accounts SET mac = $1 WHERE id = $2 AND practice_id = $3")
        .bind(&mac)
        .bind(id)
        .bind(practice_id)
        .execute(&mut **tx)
        .await?;
    record.set_account(id, mac);
    store.write_access_record(tx, practice_id, record).await?;
    Ok(account)
}
