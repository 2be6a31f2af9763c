//! `sceau accounts attest`: the accounts whose row is not believed (its
//! MAC missing or wrong, or not the version the practice's access record
//! names) are listed to the host's administrator, who signs them as they
//! are — roles and activity as shown — once he has checked them.
//!
//! The password hash is neither shown nor checkable by a person: an
//! intruder who writes the database could replace an administrator's hash
//! with his own, strip the MACs so that the attestation is needed, and
//! have his hash signed under the administrator's name (audit of
//! 2026-11-30, finding 5). So a hash is kept only when it is the one of
//! the account's latest version that the practice's believed access record
//! names (some role and activity, with this id, practice, login and hash,
//! give the MAC the record holds). Any other — changed, older, or with no
//! record to compare with — is replaced by a new password drawn here, shown
//! once to the host's administrator, who hands it to the account's holder;
//! the account's sessions end. Each practice's journal records what was
//! attested, and which passwords were replaced.

use std::collections::HashMap;

use rand::Rng;
use sqlx::Row;

use crate::access_record::{AccessRecord, Suspension};
use crate::accounts::{
    account_fields, account_mac, accounts_key, checked_account, Account, Role, ACCOUNT_COLUMNS,
};
use crate::row_macs;
use crate::{now, Result, Store, StoreError};

/// Who the journal names for an attestation: the host's administrator,
/// by the command line (every account may be unsigned then).
pub(crate) const ATTEST_AUTHOR: &str = "administrateur de l’hôte (sceau accounts attest)";

/// What an attestation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestedAccounts {
    /// How many accounts were signed.
    pub signed: usize,
    /// The accounts whose password hash was not the one Sceau last signed
    /// for them, with the new password each now has (shown once).
    pub new_passwords: Vec<(i64, String)>,
}

/// Whether `hash` is the password hash of the account's latest version
/// that `record` names: with some role and activity, this id, practice,
/// login and hash give the MAC it holds for the account. An earlier
/// password's hash, or one written without the key, is not.
fn hash_vouched(key: &[u8; 32], a: &Account, hash: &str, record: Option<&AccessRecord>) -> bool {
    let Some(named) = record.and_then(|r| r.account_mac(a.id)) else {
        return false;
    };
    Role::ALL.iter().any(|role| {
        [true, false].into_iter().any(|active| {
            let version = Account {
                active,
                ..a.clone()
            };
            row_macs::holds(
                key,
                "account",
                &account_fields(&version, role.as_str(), hash),
                Some(named),
            )
        })
    })
}

/// A new password for an account whose hash could not be kept: 25 letters
/// and digits (no look-alikes), in groups of five to be read out.
fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..5)
        .map(|_| {
            (0..5)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

impl Store {
    /// The accounts of every practice (or of one) whose row is not signed:
    /// what `sceau accounts attest` would sign.
    pub async fn unsigned_accounts(&self, practice: Option<i64>) -> Result<Vec<Account>> {
        let mut out = Vec::new();
        for p in self.practices().await? {
            if practice.is_some_and(|id| id != p.id) {
                continue;
            }
            out.extend(
                self.list_accounts(p.id)
                    .await?
                    .into_iter()
                    .filter(|a| a.altered),
            );
        }
        Ok(out)
    }

    /// Which of `accounts` (as listed by [`Store::unsigned_accounts`]) have
    /// a password hash that the attestation cannot keep (see the module):
    /// they get a new password.
    pub async fn unvouched_passwords(&self, accounts: &[Account]) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        for a in accounts {
            let keys = self.practice_keys(a.practice_id).await?;
            let key = accounts_key(&keys)?;
            let record = self.access_record(a.practice_id).await?;
            let hash: Option<String> = sqlx::query_scalar(
                "SELECT password_hash FROM accounts WHERE id = $1 AND practice_id = $2",
            )
            .bind(a.id)
            .bind(a.practice_id)
            .fetch_optional(self.pool())
            .await?;
            if !hash.is_some_and(|h| hash_vouched(&key, a, &h, record.as_ref())) {
                out.push(a.id);
            }
        }
        Ok(out)
    }

    /// `sceau accounts attest`: signs the rows of `accounts` (as listed by
    /// [`Store::unsigned_accounts`] and shown to the administrator of the
    /// host, who confirmed them) as they are now, each with its password
    /// hash if the practice's record vouches for it and with a new password
    /// otherwise, and records in each practice's journal how many were
    /// attested and whose password was replaced. A row changed since it was
    /// listed is not signed (`Invalid`, nothing written for its practice).
    pub async fn attest_accounts(&self, accounts: &[Account]) -> Result<AttestedAccounts> {
        // Drawn and hashed before the transactions (a hash takes time); an
        // account found unvouched only inside them was changed since.
        let mut fresh: HashMap<i64, (String, String)> = HashMap::new();
        for id in self.unvouched_passwords(accounts).await? {
            let pw = new_password();
            let hash = self.hash_password(&pw).await?;
            fresh.insert(id, (pw, hash));
        }
        let mut practices: Vec<i64> = accounts.iter().map(|a| a.practice_id).collect();
        practices.sort_unstable();
        practices.dedup();
        let mut done = AttestedAccounts {
            signed: 0,
            new_passwords: Vec::new(),
        };
        for practice_id in practices {
            let mine: Vec<&Account> = accounts
                .iter()
                .filter(|a| a.practice_id == practice_id)
                .collect();
            let mut tx = self.pool.begin().await?;
            self.lock_access_record(&mut tx, practice_id).await?;
            let key = accounts_key(&*self.practice_keys_in(&mut *tx, practice_id).await?)?;
            // What vouches for a hash: the record as it stands, before
            // this attestation changes it.
            let believed = self.access_record_in(&mut tx, practice_id).await?;
            // A record that cannot be believed is started afresh: what the
            // host's administrator attests is then all it believes (the
            // tokens are to replace, everyone signs in again). Nothing then
            // says the practice was not suspended: it is, until the
            // operator resumes it (`sceau practice resume`).
            let mut record = match &believed {
                Some(r) => r.clone(),
                None => {
                    let at: Option<i64> =
                        sqlx::query_scalar("SELECT suspended_at FROM practices WHERE id = $1")
                            .bind(practice_id)
                            .fetch_optional(&mut *tx)
                            .await?
                            .flatten();
                    AccessRecord::stating(Suspension::Suspended(at.unwrap_or_else(now)))
                }
            };
            let mut replaced = Vec::new();
            for shown in &mine {
                let row = sqlx::query(&format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1 AND practice_id = $2"
                ))
                .bind(shown.id)
                .bind(practice_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
                let now_a = checked_account(&row, &key, Some(&record))?;
                let changed = |what: &str| {
                    StoreError::Invalid(format!(
                        "le compte n° {} a changé depuis la liste affichée ({what})\u{a0}: rien n’a été attesté pour son cabinet, relancez la commande",
                        shown.id
                    ))
                };
                if now_a.username != shown.username
                    || now_a.role != shown.role
                    || now_a.active != shown.active
                {
                    return Err(changed("identifiant, rôle ou activité"));
                }
                let role: String = row.try_get("role")?;
                let stored: String = row.try_get("password_hash")?;
                let hash = if hash_vouched(&key, &now_a, &stored, believed.as_ref()) {
                    stored
                } else {
                    let Some((pw, hash)) = fresh.get(&shown.id) else {
                        return Err(changed("mot de passe"));
                    };
                    // A new password: the sessions opened under the one
                    // replaced end, as at a reset.
                    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                        .bind(shown.id)
                        .execute(&mut *tx)
                        .await?;
                    record.end_sessions_of(shown.id, None);
                    replaced.push((shown.id, pw.clone()));
                    hash.clone()
                };
                let mac = account_mac(&key, &now_a, &role, &hash);
                sqlx::query(
                    "UPDATE accounts SET password_hash = $1, mac = $2 WHERE id = $3 AND practice_id = $4",
                )
                .bind(&hash)
                .bind(&mac)
                .bind(shown.id)
                .bind(practice_id)
                .execute(&mut *tx)
                .await?;
                record.set_account(shown.id, mac);
            }
            self.write_access_record(&mut tx, practice_id, record)
                .await?;
            tx.commit().await?;
            done.signed += mine.len();
            let list = mine
                .iter()
                .map(|a| format!("n° {} ({})", a.id, a.role.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            let renewed = if replaced.is_empty() {
                String::new()
            } else {
                format!(
                    "\u{a0}; mot de passe remplacé (son empreinte n’était pas celle que Sceau avait signée en dernier)\u{a0}: {}",
                    replaced
                        .iter()
                        .map(|(id, _)| format!("n° {id}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.journal_record(
                practice_id,
                ATTEST_AUTHOR,
                crate::journal::ATTEST_ACCOUNTS_PURPOSE,
                &format!(
                    "{} compte(s) attesté(s) par l’administrateur de l’hôte\u{a0}: {list}{renewed}",
                    mine.len()
                ),
            )
            .await?;
            done.new_passwords.extend(replaced);
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_is_long_and_readable() {
        let a = new_password();
        assert_eq!(a.len(), 29);
        assert!(crate::names::check_password(&a).is_ok());
        assert_ne!(a, new_password());
    }
}
