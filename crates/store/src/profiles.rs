//! An account's professional identity as its letters print it: the RPPS
//! number and the professional address, given once by the account's owner
//! (« Mon compte ») and put into every report and letter the account
//! writes. Both are encrypted, bound to the account and its practice.

use serde::Serialize;
use sqlx::Row;

use crate::fields::{rpps_valid, text};
use crate::StoreError;
use crate::{now, Result, Store};

/// What the account's letters say of their author beyond the name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// 11 digits, Luhn key checked; `None` until given.
    pub rpps: Option<String>,
    /// One line per line of address; empty until given.
    pub address: Vec<String>,
}

/// Checks an RPPS number as a person types it (spaces between groups
/// allowed): the 11 digits, or `None` when left empty.
pub fn check_rpps(value: &str) -> Result<Option<String>> {
    let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if !rpps_valid(&digits) {
        return Err(StoreError::Invalid(
            "Numéro RPPS\u{a0}: 11 chiffres, tels qu’ils figurent sur votre carte CPS ou dans l’annuaire santé (le dernier est une clé de contrôle\u{a0}; vérifiez la saisie).".into(),
        ));
    }
    Ok(Some(digits))
}

impl Store {
    fn profile_aad(col: &str, practice_id: i64, account_id: i64) -> String {
        format!("account_profiles.{col}/{practice_id}/{account_id}")
    }

    /// The account's profile (empty if never given).
    pub async fn profile(&self, practice_id: i64, account_id: i64) -> Result<Profile> {
        let row = sqlx::query(
            "SELECT rpps, address FROM account_profiles WHERE practice_id = $1 AND account_id = $2",
        )
        .bind(practice_id)
        .bind(account_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(Profile::default());
        };
        // The practice's data key, like the register: rotated and destroyed
        // with the practice.
        let keys = self.practice_keys(practice_id).await?;
        let open = |col: &str, v: Option<Vec<u8>>| -> Result<Option<String>> {
            v.map(|b| keys.open_str(&Self::profile_aad(col, practice_id, account_id), &b))
                .transpose()
        };
        Ok(Profile {
            rpps: open("rpps", row.try_get("rpps")?)?,
            address: open("address", row.try_get("address")?)?
                .map(|a| a.lines().map(str::to_string).collect())
                .unwrap_or_default(),
        })
    }

    /// Saves the account's own profile: the RPPS number checked (11 digits
    /// and the Luhn key), the address as lines (at most 6, each at most 120
    /// characters). Empty fields clear what was given.
    pub async fn save_profile(
        &self,
        practice_id: i64,
        account_id: i64,
        rpps: &str,
        address: &str,
    ) -> Result<Profile> {
        let account = self.account(account_id).await?;
        if account.practice_id != practice_id {
            return Err(StoreError::NotFound);
        }
        let rpps = check_rpps(rpps)?;
        let lines: Vec<String> = address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if lines.len() > 6 {
            return Err(StoreError::Invalid(
                "Adresse professionnelle\u{a0}: au plus 6\u{a0}lignes.".into(),
            ));
        }
        for l in &lines {
            text("Adresse professionnelle", l, 120, true)?;
        }
        let keys = self.practice_keys(practice_id).await?;
        let seal = |col: &str, v: Option<String>| {
            v.map(|v| keys.seal_str(&Self::profile_aad(col, practice_id, account_id), &v))
        };
        let sealed_rpps = seal("rpps", rpps.clone());
        let sealed_address = seal("address", Some(lines.join("\n")).filter(|a| !a.is_empty()));
        let t = now();
        let updated = sqlx::query(
            "UPDATE account_profiles SET rpps = $1, address = $2, updated_at = $3
             WHERE practice_id = $4 AND account_id = $5",
        )
        .bind(sealed_rpps.clone())
        .bind(sealed_address.clone())
        .bind(t)
        .bind(practice_id)
        .bind(account_id)
        .execute(self.pool())
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO account_profiles (account_id, practice_id, rpps, address, updated_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(account_id)
            .bind(practice_id)
            .bind(sealed_rpps)
            .bind(sealed_address)
            .bind(t)
            .execute(self.pool())
            .await?;
        }
        Ok(Profile {
            rpps,
            address: lines,
        })
    }
}
