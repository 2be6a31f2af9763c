//! Practices as tenants of one deployment (issue 17): what the hosting
//! operator does with `sceau practice create|list|suspend|resume|delete`.
//!
//! Every row of a practice carries its `practice_id`, and every query of
//! the other modules filters on it; this module is the only one that
//! crosses practices (listing them, finding the one an installation code
//! belongs to), and it reads no patient data.

use serde::Serialize;
use sqlx::Row;

use crate::access_record::Suspension;
use crate::accounts::{insert_account, Account, Role};
use crate::names::{check_name, check_password, normalize_username};
use crate::practices::{practice_from_row, Practice, PRACTICE_COLUMNS};
use crate::{now, Result, Store, StoreError};

/// How long a practice's installation code stays valid (seconds): the
/// operator gives it to the practice's first administrator, who uses it once.
pub const INSTALL_CODE_SECONDS: i64 = 7 * 86_400;

/// The tables holding a practice's rows, children before parents (the
/// order a deletion follows). Sessions have no `practice_id`: they go with
/// their accounts.
pub const PRACTICE_TABLES: &[&str] = &[
    "audit_answers",
    "audits",
    "journal_checkpoints",
    "journal_entries",
    "journal_heads",
    "duties",
    "oppositions",
    "consents",
    "care_team",
    "reports",
    "patient_archive",
    "patients",
    "register_records",
    "recipients",
    "api_tokens",
    "account_profiles",
    "access_records",
    "accounts",
];

/// What the operator sees of a practice: counts, never a patient datum.
#[derive(Debug, Clone, Serialize)]
pub struct PracticeSummary {
    #[serde(flatten)]
    pub practice: Practice,
    pub accounts: i64,
    pub patients: i64,
    pub journal_entries: i64,
    /// Its first administrator has not been created yet.
    pub awaiting_installation: bool,
}

/// The form in which codes are compared: letters and digits, upper case
/// (what a person retypes: spaces, dashes and case aside).
pub fn normalize_install_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The label of the key (derived from the master key) that keys the
/// stored installation codes.
const INSTALL_CODES: &str = "sceau-install-codes-v1";

/// What is stored of an installation code: an HMAC under a key derived from
/// the master key, so that a value written in the database without the key
/// matches no code (an audit created a signed administrator in an installed
/// practice by writing the SHA-256 of a code of its own). The practice is
/// not in it: the code is how the practice is found. A code issued before
/// this keying, or before a master-key rotation, no longer matches: the
/// operator issues a new one (`sceau practice code`).
fn code_hash(store: &Store, code: &str) -> String {
    crate::row_macs::sign(
        &store.key().derived(INSTALL_CODES),
        "install-code",
        &[crate::row_macs::Field::Text(&normalize_install_code(code))],
    )
}

impl Store {
    /// Creates a practice with no account and its one-time installation
    /// code (drawn by the caller; only its hash is kept).
    pub async fn create_tenant(&self, name: &str, install_code: &str) -> Result<Practice> {
        let name = check_name("Nom du cabinet", name)?;
        if normalize_install_code(install_code).len() < 8 {
            return Err(StoreError::Invalid(
                "Code d’installation : au moins 8 lettres ou chiffres.".into(),
            ));
        }
        let t = now();
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO practices (name, created_at, install_code_hash, install_code_expires_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&name)
        .bind(t)
        .bind(code_hash(self, install_code))
        .bind(t + INSTALL_CODE_SECONDS)
        .fetch_one(&mut *tx)
        .await?;
        self.count_practice_created(&mut tx).await?;
        self.start_journal(&mut tx, id).await?;
        tx.commit().await?;
        self.practice(id).await
    }

    /// A new installation code for a practice that has no account yet (the
    /// first one expired or was lost); the old one stops working.
    pub async fn reissue_install_code(&self, practice_id: i64, install_code: &str) -> Result<()> {
        if self.count_in("accounts", practice_id).await? > 0 {
            return Err(StoreError::Invalid(
                "Ce cabinet a déjà son administrateur : il crée lui-même les autres comptes."
                    .into(),
            ));
        }
        let done = sqlx::query(
            "UPDATE practices SET install_code_hash = $1, install_code_expires_at = $2 WHERE id = $3",
        )
        .bind(code_hash(self, install_code))
        .bind(now() + INSTALL_CODE_SECONDS)
        .bind(practice_id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Whether some practice with no account waits for its first
    /// administrator with a live code (the installation page stays open for
    /// it). A practice that has accounts never reopens it, whatever its row
    /// says.
    pub async fn installation_pending(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM practices p WHERE p.install_code_hash IS NOT NULL AND p.install_code_expires_at > $1
               AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.practice_id = p.id)",
        )
        .bind(now())
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// Creates the first administrator of the practice this installation
    /// code belongs to; `Ok(None)` when the code is unknown or expired, or
    /// when the practice already has an account (installed: a code found on
    /// its row was not written by the operator's command, which refuses
    /// it). The code is used up in the same transaction, and the practice's
    /// journal records the new administrator.
    pub async fn claim_installation(
        &self,
        install_code: &str,
        username: &str,
        display_name: &str,
        password: &str,
    ) -> Result<Option<Account>> {
        if normalize_install_code(install_code).is_empty() {
            return Ok(None);
        }
        let display_name = check_name("Nom affiché", display_name)?;
        let username = normalize_username(username)?;
        check_password(password)?;
        let hash = self.hash_password(password).await?;
        let t = now();
        let mut tx = self.pool().begin().await?;
        let practice_id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM practices WHERE install_code_hash = $1 AND install_code_expires_at > $2",
        )
        .bind(code_hash(self, install_code))
        .bind(t)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(practice_id) = practice_id else {
            return Ok(None);
        };
        // Used up before anything else: two forms sent with the same code
        // cannot both create an administrator.
        let taken = sqlx::query(
            "UPDATE practices SET install_code_hash = NULL, install_code_expires_at = NULL
             WHERE id = $1 AND install_code_hash IS NOT NULL",
        )
        .bind(practice_id)
        .execute(&mut *tx)
        .await?;
        if taken.rows_affected() == 0 {
            return Ok(None);
        }
        // Read in the transaction that writes the account: an installed
        // practice gets no new administrator through a code.
        let accounts: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE practice_id = $1")
                .bind(practice_id)
                .fetch_one(&mut *tx)
                .await?;
        if accounts > 0 {
            return Ok(None);
        }
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
        self.journal_first_admin(&account).await?;
        Ok(Some(account))
    }

    async fn count_in(&self, table: &str, practice_id: i64) -> Result<i64> {
        // `table` is one of this module's constants, never input.
        Ok(sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE practice_id = $1"
        ))
        .bind(practice_id)
        .fetch_one(self.pool())
        .await?)
    }

    /// Every practice with its counts, for the operator.
    pub async fn practice_summaries(&self) -> Result<Vec<PracticeSummary>> {
        let rows = sqlx::query(&format!(
            "SELECT {PRACTICE_COLUMNS}, install_code_hash FROM practices ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let practice = self.check_state(practice_from_row(&row)?).await?;
            let code: Option<String> = row.try_get("install_code_hash")?;
            let accounts = self.count_in("accounts", practice.id).await?;
            out.push(PracticeSummary {
                accounts,
                patients: self.count_in("patients", practice.id).await?,
                journal_entries: self.count_in("journal_entries", practice.id).await?,
                awaiting_installation: accounts == 0 && code.is_some(),
                practice,
            });
        }
        Ok(out)
    }

    /// Suspends a practice: its sessions close now, and no sign-in nor API
    /// token works until [`Store::resume_practice`]. Its data stay as they
    /// are. The practice's access record states the suspension, so that
    /// its row's `suspended_at` cleared without the key lifts nothing.
    pub async fn suspend_practice(&self, practice_id: i64) -> Result<Practice> {
        let mut tx = self.pool().begin().await?;
        self.lock_access_record(&mut tx, practice_id).await?;
        let done = sqlx::query(
            "UPDATE practices SET suspended_at = $1 WHERE id = $2 AND suspended_at IS NULL",
        )
        .bind(now())
        .bind(practice_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM sessions WHERE account_id IN (SELECT id FROM accounts WHERE practice_id = $1)",
        )
        .bind(practice_id)
        .execute(&mut *tx)
        .await?;
        // The time the row holds (the first suspension's, if it already was).
        let at: Option<i64> =
            sqlx::query_scalar("SELECT suspended_at FROM practices WHERE id = $1")
                .bind(practice_id)
                .fetch_optional(&mut *tx)
                .await?
                .flatten();
        // Ended in the record too: the rows put back open nothing after a
        // resumption. A record that cannot be believed is left as it is:
        // the practice counts as suspended anyway.
        self.change_access_record(&mut tx, practice_id, |r| {
            r.end_all_sessions();
            if let Some(t) = at {
                r.suspension = Suspension::Suspended(t);
            }
        })
        .await?;
        tx.commit().await?;
        self.revocations.happened();
        let p = self.practice(practice_id).await?;
        if done.rows_affected() == 0 && !p.suspended() {
            return Err(StoreError::NotFound);
        }
        Ok(p)
    }

    /// Lifts a practice's suspension (or signs that it has none): its row
    /// and its access record both say so, in one transaction. Refused, and
    /// nothing written, while its record cannot be believed: its accounts
    /// are attested first (`sceau accounts attest`), which restarts it.
    pub async fn resume_practice(&self, practice_id: i64) -> Result<Practice> {
        let mut tx = self.pool().begin().await?;
        self.lock_access_record(&mut tx, practice_id).await?;
        let done = sqlx::query("UPDATE practices SET suspended_at = NULL WHERE id = $1")
            .bind(practice_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let written = self
            .change_access_record(&mut tx, practice_id, |r| r.suspension = Suspension::Active)
            .await?;
        if !written {
            return Err(StoreError::Invalid(format!(
                "le registre d’accès du cabinet n° {practice_id} n’est pas celui que Sceau a signé (supprimé, remis à un état antérieur ou modifié hors de Sceau)\u{a0}: le cabinet reste suspendu. Attestez d’abord ses comptes (sceau accounts attest), puis relancez cette commande."
            )));
        }
        tx.commit().await?;
        self.revocations.happened();
        self.practice(practice_id).await
    }

    /// Deletes every row of a practice and its keys, in one transaction,
    /// and its journal anchor file. The caller has asked the operator to confirm by the
    /// practice's name. Returns the number of rows deleted.
    pub async fn delete_practice(&self, practice_id: i64) -> Result<u64> {
        let p = self.practice(practice_id).await?;
        let mut tx = self.pool().begin().await?;
        let mut rows = sqlx::query(
            "DELETE FROM sessions WHERE account_id IN (SELECT id FROM accounts WHERE practice_id = $1)",
        )
        .bind(p.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        for table in PRACTICE_TABLES {
            rows += sqlx::query(&format!("DELETE FROM {table} WHERE practice_id = $1"))
                .bind(p.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        rows += sqlx::query("DELETE FROM practices WHERE id = $1")
            .bind(p.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        // Its keys go in the same transaction: its rows still in backups
        // made before (which do not hold the keys) no longer decrypt.
        rows += self.destroy_practice_keys(&mut tx, p.id).await?;
        tx.commit().await?;
        self.revocations.happened();
        match std::fs::remove_file(self.anchor_path(p.id)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(StoreError::Internal(format!(
                    "le cabinet est supprimé de la base, mais pas le fichier de son ancre de journal : {e}"
                )))
            }
        }
        Ok(rows)
    }
}
