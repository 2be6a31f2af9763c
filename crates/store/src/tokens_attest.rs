//! The attestation of API tokens' names and prefixes, by `sceau accounts
//! attest`: a live token believed under the first version of its MAC
//! (`token_macs`) opens what it opened, but its name and prefix were never
//! signed, so the administration page shows them as unverified. The host's
//! administrator reads them in the listing and, once he confirmed, Sceau
//! signs each row again under the second version, as it is, and names the
//! new MAC in the practice's access record.
//!
//! Only a row already believed is re-signed: its first-version MAC holds
//! and the practice's record names it. A row to replace (unsigned, changed
//! in what it opens, put back) is never signed here, so that the
//! attestation cannot adopt a token someone wrote without the key.

use sqlx::Row;

use crate::accounts_attest::ATTEST_AUTHOR;
use crate::row_macs::{self, ACCESS};
use crate::token_macs::{self, TokenMac, TokenRow};
use crate::tokens::{token_current, token_from_row, ApiToken, TOKEN_COLUMNS};
use crate::{Result, Store, StoreError};

impl Store {
    /// The live tokens of every practice (or of one) whose name and prefix
    /// are unverified while the token itself is believed: what `sceau
    /// accounts attest` would sign.
    pub async fn tokens_to_attest(&self, practice: Option<i64>) -> Result<Vec<ApiToken>> {
        let mut out = Vec::new();
        for p in self.practices().await? {
            if practice.is_some_and(|id| id != p.id) {
                continue;
            }
            out.extend(
                self.list_tokens(p.id)
                    .await?
                    .into_iter()
                    .filter(|t| t.name_unverified && !t.to_replace),
            );
        }
        Ok(out)
    }

    /// Signs the rows of `tokens` (as listed by [`Store::tokens_to_attest`]
    /// and shown to the administrator of the host, who confirmed them)
    /// under the second version of the MAC, names and prefixes as they are
    /// now, and records in each practice's journal which were attested. A
    /// row changed since it was listed, or no longer believed, is not
    /// signed (`Invalid`, nothing written for its practice). Returns how
    /// many were signed.
    pub async fn attest_tokens(&self, tokens: &[ApiToken]) -> Result<usize> {
        let mut practices: Vec<i64> = tokens.iter().map(|t| t.practice_id).collect();
        practices.sort_unstable();
        practices.dedup();
        let mut signed = 0;
        for practice_id in practices {
            let mine: Vec<&ApiToken> = tokens
                .iter()
                .filter(|t| t.practice_id == practice_id)
                .collect();
            let mut tx = self.pool.begin().await?;
            self.lock_access_record(&mut tx, practice_id).await?;
            let key = row_macs::key(
                &*self.practice_keys_in(&mut *tx, practice_id).await?,
                ACCESS,
            )?;
            let Some(mut record) = self.access_record_in(&mut tx, practice_id).await? else {
                return Err(StoreError::Invalid(format!(
                    "l’état signé des accès du cabinet n° {practice_id} ne se vérifie plus\u{a0}: rien n’a été attesté pour lui, relancez la commande"
                )));
            };
            for shown in &mine {
                let changed = || {
                    StoreError::Invalid(format!(
                        "le jeton d’API n° {} a changé depuis la liste affichée\u{a0}: rien n’a été attesté pour son cabinet, relancez la commande",
                        shown.id
                    ))
                };
                let row = sqlx::query(&format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens t LEFT JOIN accounts a ON a.id = t.created_by
                     WHERE t.id = $1 AND t.practice_id = $2 AND t.revoked_at IS NULL"
                ))
                .bind(shown.id)
                .bind(practice_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(changed)?;
                let now_t = token_from_row(&row).map_err(|_| changed())?;
                if token_current(&row, shown.id, &key, Some(&record))? != Some(TokenMac::V1)
                    || now_t.name != shown.name
                    || now_t.prefix != shown.prefix
                {
                    return Err(changed());
                }
                let digest: String = row.try_get("token_hash")?;
                let mac = token_macs::sign(
                    &key,
                    &TokenRow {
                        digest: &digest,
                        practice_id,
                        created_by: now_t.created_by,
                        created_at: now_t.created_at,
                        expires_at: row.try_get("expires_at")?,
                        scope: now_t.scope.as_str(),
                        name: &now_t.name,
                        prefix: &now_t.prefix,
                    },
                );
                sqlx::query("UPDATE api_tokens SET mac = $1 WHERE id = $2 AND practice_id = $3")
                    .bind(&mac)
                    .bind(shown.id)
                    .bind(practice_id)
                    .execute(&mut *tx)
                    .await?;
                record.set_token(shown.id, mac);
            }
            self.write_access_record(&mut tx, practice_id, record)
                .await?;
            tx.commit().await?;
            // What opens is unchanged; the tokens this process remembers
            // are read again with their new MAC.
            self.revocations.happened();
            signed += mine.len();
            let list = mine
                .iter()
                .map(|t| format!("n° {}", t.id))
                .collect::<Vec<_>>()
                .join(", ");
            self.journal_record(
                practice_id,
                ATTEST_AUTHOR,
                crate::journal::ATTEST_ACCOUNTS_PURPOSE,
                &format!(
                    "{} jeton(s) d’API dont le nom et le début ont été attestés par l’administrateur de l’hôte\u{a0}: {list}",
                    mine.len()
                ),
            )
            .await?;
        }
        Ok(signed)
    }
}
