//! API tokens: created by an administrator, stored as their digest and a
//! short prefix, scoped, expiring, and stopped with their owner.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use sqlx::Row;

use crate::access_record::AccessRecord;
use crate::names::check_name;
use crate::practices::Practice;
use crate::row_macs::{self, ACCESS};
use crate::secrets::{random_hex, sha256_hex};
use crate::token_macs::{self, TokenMac, TokenRow};
use crate::{now, Result, Store, StoreError};

/// Prefix of every API token, so that a leaked one is recognisable.
pub const TOKEN_PREFIX: &str = "sceau_";

/// How stale (seconds) a token's last use may be shown.
pub const TOKEN_USE_PRECISION: i64 = 60;

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub practice_id: i64,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    /// Its owner: the administrator who created it (it stops with that account).
    pub created_by: Option<i64>,
    /// The owner's display name, for the list of tokens.
    pub created_by_name: Option<String>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
    pub scope: TokenScope,
    /// Neither revoked nor signed by Sceau (issued before schema 14, or its
    /// row changed without the key): refused on use, to be replaced.
    pub to_replace: bool,
    /// Not revoked, and its name and prefix are not covered by a MAC that
    /// holds (a row of the MAC's first version, or one to replace): shown
    /// as unverified until attested (`sceau accounts attest`). A revoked
    /// row has no MAC left, and opens nothing whatever its name.
    pub name_unverified: bool,
}

/// The visible part of a token (« sceau_ » and 6 hex digits): what the
/// token list shows and what the journal names as an API entry's author.
fn visible_prefix(token: &str) -> String {
    token.chars().take(TOKEN_PREFIX.len() + 6).collect()
}

/// Which version of its MAC holds over a token row read with
/// [`TOKEN_COLUMNS`] (`token_macs`), if any.
fn token_signed(row: &sqlx::any::AnyRow, key: &[u8; 32]) -> Result<Option<TokenMac>> {
    let digest: String = row.try_get("token_hash")?;
    let scope: String = row.try_get("scope")?;
    let name: String = row.try_get("name")?;
    let prefix: String = row.try_get("prefix")?;
    let mac: Option<String> = row.try_get("mac")?;
    let fields = TokenRow {
        digest: &digest,
        practice_id: row.try_get("practice_id")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        scope: &scope,
        name: &name,
        prefix: &prefix,
    };
    Ok(token_macs::holding(key, &fields, mac.as_deref()))
}

/// Which version of its MAC holds over a token row that is the version
/// the practice's access record names (a row put back from before its
/// revocation, or from before its attestation, is not; `None`, a record
/// not believed, names none).
pub(crate) fn token_current(
    row: &sqlx::any::AnyRow,
    id: i64,
    key: &[u8; 32],
    record: Option<&AccessRecord>,
) -> Result<Option<TokenMac>> {
    let mac: Option<String> = row.try_get("mac")?;
    let named = record.is_some_and(|r| r.token_is_current(id, mac.as_deref()));
    Ok(token_signed(row, key)?.filter(|_| named))
}

/// What an API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Read the practice's data (GET).
    Lecture,
    /// Read and record.
    Ecriture,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Lecture => "lecture",
            TokenScope::Ecriture => "ecriture",
        }
    }

    pub fn parse(s: &str) -> Option<TokenScope> {
        [TokenScope::Lecture, TokenScope::Ecriture]
            .into_iter()
            .find(|t| t.as_str() == s)
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            TokenScope::Lecture => "Lecture seule",
            TokenScope::Ecriture => "Lecture et écriture",
        }
    }
}

/// How long a token lasts when its creator does not say (days).
pub const TOKEN_DAYS_DEFAULT: i64 = 90;
/// The longest life of a token (days).
pub const TOKEN_DAYS_MAX: i64 = 365;

/// The columns of a token, with its owner's name (`a`: the owner's account).
pub(crate) const TOKEN_COLUMNS: &str = "t.id, t.practice_id, t.name, t.prefix, t.created_by, \
    a.display_name AS created_by_name, t.created_at, t.revoked_at, t.last_used_at, \
    t.expires_at, t.scope, t.token_hash, t.mac";

pub(crate) fn token_from_row(row: &sqlx::any::AnyRow) -> Result<ApiToken> {
    let scope: String = row.try_get("scope")?;
    Ok(ApiToken {
        id: row.try_get("id")?,
        practice_id: row.try_get("practice_id")?,
        name: row.try_get("name")?,
        prefix: row.try_get("prefix")?,
        created_by: row.try_get("created_by")?,
        created_by_name: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
        revoked_at: row.try_get("revoked_at")?,
        last_used_at: row.try_get("last_used_at")?,
        expires_at: row.try_get::<Option<i64>, _>("expires_at")?.unwrap_or(0),
        scope: TokenScope::parse(&scope)
            .ok_or_else(|| StoreError::Internal(format!("portée de jeton inconnue : {scope}")))?,
        to_replace: false,
        name_unverified: false,
    })
}

/// What the list shows of a token row that does not decode (a cell of
/// the wrong type, written without Sceau): a row to replace, shown and
/// counted as such, instead of an error for the whole list, the page, or
/// the server's start (audit of 2026-11-30, finding 8). It opens nothing:
/// [`Store::authenticate_token`] reads the row itself.
fn unreadable_token(row: &sqlx::any::AnyRow, practice_id: i64) -> ApiToken {
    ApiToken {
        id: row.try_get("id").unwrap_or_default(),
        practice_id,
        name: UNREADABLE_TOKEN.into(),
        prefix: String::new(),
        created_by: None,
        created_by_name: None,
        created_at: 0,
        revoked_at: None,
        last_used_at: None,
        // Unknown: counted among the live tokens to replace.
        expires_at: i64::MAX,
        scope: TokenScope::Lecture,
        to_replace: true,
        name_unverified: true,
    }
}

/// The name a token row that does not decode is listed under.
pub const UNREADABLE_TOKEN: &str = "ligne illisible (modifiée hors de Sceau)";

impl Store {
    /// Creates an API token with the default scope (read and write) and
    /// life ([`TOKEN_DAYS_DEFAULT`]); see [`Store::create_token_with`].
    pub async fn create_token(
        &self,
        practice_id: i64,
        created_by: i64,
        name: &str,
    ) -> Result<(String, ApiToken)> {
        self.create_token_with(
            practice_id,
            created_by,
            name,
            TokenScope::Ecriture,
            TOKEN_DAYS_DEFAULT,
        )
        .await
    }

    /// Creates an API token owned by `created_by` (an active administrator
    /// of the practice), valid `days` days; the clear token is returned once
    /// and never stored.
    pub async fn create_token_with(
        &self,
        practice_id: i64,
        created_by: i64,
        name: &str,
        scope: TokenScope,
        days: i64,
    ) -> Result<(String, ApiToken)> {
        let name = check_name("Nom du jeton", name)?;
        if !(1..=TOKEN_DAYS_MAX).contains(&days) {
            return Err(StoreError::Invalid(format!(
                "Durée du jeton : de 1 à {TOKEN_DAYS_MAX} jours."
            )));
        }
        let owner = self.account(created_by).await?;
        if owner.practice_id != practice_id || !owner.active || !owner.role.is_admin() {
            return Err(StoreError::Invalid(
                "Seul un administrateur actif du cabinet peut créer un jeton.".into(),
            ));
        }
        let token = format!("{TOKEN_PREFIX}{}", random_hex(32));
        let prefix = visible_prefix(&token);
        let t = now();
        let expires_at = t + days * 86_400;
        let digest = sha256_hex(&token);
        let key = row_macs::key(&*self.practice_keys(practice_id).await?, ACCESS)?;
        let mac = token_macs::sign(
            &key,
            &TokenRow {
                digest: &digest,
                practice_id,
                created_by: Some(created_by),
                created_at: t,
                expires_at: Some(expires_at),
                scope: scope.as_str(),
                name: &name,
                prefix: &prefix,
            },
        );
        let mut tx = self.pool.begin().await?;
        self.lock_access_record(&mut tx, practice_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (practice_id, name, prefix, token_hash, created_by, created_at, expires_at, scope, mac)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(practice_id)
        .bind(&name)
        .bind(&prefix)
        .bind(&digest)
        .bind(created_by)
        .bind(t)
        .bind(expires_at)
        .bind(scope.as_str())
        .bind(&mac)
        .fetch_one(&mut *tx)
        .await?;
        if !self
            .change_access_record(&mut tx, practice_id, |r| r.set_token(id, mac))
            .await?
        {
            return Err(StoreError::AccountAltered);
        }
        tx.commit().await?;
        Ok((
            token,
            ApiToken {
                id,
                practice_id,
                name,
                prefix,
                created_by: Some(created_by),
                created_by_name: Some(owner.display_name),
                created_at: t,
                revoked_at: None,
                last_used_at: None,
                expires_at,
                scope,
                to_replace: false,
                name_unverified: false,
            },
        ))
    }

    pub async fn list_tokens(&self, practice_id: i64) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t LEFT JOIN accounts a ON a.id = t.created_by
             WHERE t.practice_id = $1 ORDER BY t.created_at DESC, t.id DESC"
        ))
        .bind(practice_id)
        .fetch_all(&self.pool)
        .await?;
        let key = row_macs::key(&*self.practice_keys(practice_id).await?, ACCESS)?;
        let record = self.access_record(practice_id).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let mut t = token_from_row(r)?;
                if t.revoked_at.is_none() {
                    let current = token_current(r, t.id, &key, record.as_ref())?;
                    t.to_replace = current.is_none();
                    t.name_unverified = current != Some(TokenMac::V2);
                }
                Ok(t)
            })
            .zip(&rows)
            .map(|(t, r)| t.unwrap_or_else(|_: StoreError| unreadable_token(r, practice_id)))
            .collect())
    }

    /// Signs a token's row as it now is, under `version` of its MAC
    /// (`testing`: tests move an expiry without waiting days, or write a
    /// row as the builds before the second version did; Sceau itself never
    /// signs a row it finds).
    #[cfg(feature = "testing")]
    pub(crate) async fn sign_token_for_tests(
        &self,
        token_id: i64,
        version: TokenMac,
    ) -> Result<()> {
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t LEFT JOIN accounts a ON a.id = t.created_by WHERE t.id = $1"
        ))
        .bind(token_id)
        .fetch_one(&self.pool)
        .await?;
        let t = token_from_row(&row)?;
        let digest: String = row.try_get("token_hash")?;
        let key = row_macs::key(&*self.practice_keys(t.practice_id).await?, ACCESS)?;
        let fields = TokenRow {
            digest: &digest,
            practice_id: t.practice_id,
            created_by: t.created_by,
            created_at: t.created_at,
            expires_at: Some(t.expires_at),
            scope: t.scope.as_str(),
            name: &t.name,
            prefix: &t.prefix,
        };
        let mac = match version {
            TokenMac::V1 => token_macs::sign_v1(&key, &fields),
            TokenMac::V2 => token_macs::sign(&key, &fields),
        };
        let mut tx = self.pool.begin().await?;
        self.lock_access_record(&mut tx, t.practice_id).await?;
        sqlx::query("UPDATE api_tokens SET mac = $1 WHERE id = $2 AND practice_id = $3")
            .bind(&mac)
            .bind(token_id)
            .bind(t.practice_id)
            .execute(&mut *tx)
            .await?;
        self.change_access_record(&mut tx, t.practice_id, |r| r.set_token(token_id, mac))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The practice's live tokens whose row's own MAC holds, with that MAC
    /// (what a record adopts: `access_record`).
    pub(crate) async fn signed_token_macs(&self, practice_id: i64) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t LEFT JOIN accounts a ON a.id = t.created_by
             WHERE t.practice_id = $1 AND t.revoked_at IS NULL"
        ))
        .bind(practice_id)
        .fetch_all(&self.pool)
        .await?;
        let key = row_macs::key(&*self.practice_keys(practice_id).await?, ACCESS)?;
        let mut out = Vec::new();
        for r in &rows {
            if token_signed(r, &key).ok().flatten().is_some() {
                out.push((r.try_get("id")?, r.try_get("mac")?));
            }
        }
        Ok(out)
    }

    /// How many live tokens of every practice must be replaced (see
    /// [`ApiToken::to_replace`]), for the server's start.
    pub async fn tokens_to_replace(&self) -> Result<usize> {
        let mut n = 0;
        for p in self.practices().await? {
            n += self
                .list_tokens(p.id)
                .await?
                .iter()
                .filter(|t| t.to_replace && t.expires_at > now())
                .count();
        }
        Ok(n)
    }

    pub async fn revoke_token(&self, practice_id: i64, token_id: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.lock_access_record(&mut tx, practice_id).await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1, mac = NULL WHERE id = $2 AND practice_id = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(token_id)
        .bind(practice_id)
        .execute(&mut *tx)
        .await?;
        // Out of the record too: its row put back with the MAC it had
        // before opens nothing. A record that cannot be believed already
        // believes no token.
        self.change_access_record(&mut tx, practice_id, |r| r.end_token(token_id))
            .await?;
        tx.commit().await?;
        self.revocations.happened();
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Revokes the live tokens an account owns (it was deactivated or is no
    /// longer an administrator): a reactivation does not bring them back.
    pub(crate) async fn revoke_tokens_of(&self, account_id: i64) -> Result<()> {
        let practice_id: Option<i64> =
            sqlx::query_scalar("SELECT practice_id FROM accounts WHERE id = $1")
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        // No account, no token: each is owned by an account of its practice.
        let Some(practice_id) = practice_id else {
            return Ok(());
        };
        let mut tx = self.pool.begin().await?;
        self.lock_access_record(&mut tx, practice_id).await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM api_tokens WHERE created_by = $1 AND practice_id = $2 AND revoked_at IS NULL",
        )
        .bind(account_id)
        .bind(practice_id)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1, mac = NULL WHERE created_by = $2 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
        self.change_access_record(&mut tx, practice_id, |r| {
            ids.iter().for_each(|id| r.end_token(*id))
        })
        .await?;
        tx.commit().await?;
        self.revocations.happened();
        Ok(())
    }

    /// The live token matching a clear token, with its practice; records its
    /// use. Live: not revoked, not expired, and its owner is still an active
    /// administrator of the practice. What was read is remembered for
    /// [`TOKEN_RECHECK`] (see [`SeenTokens`]): a change made through this
    /// store takes effect at once, one made by another process within that
    /// delay.
    pub async fn authenticate_token(&self, token: &str) -> Result<Option<(ApiToken, Practice)>> {
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 200 {
            return Ok(None);
        }
        let at = now();
        let digest = sha256_hex(token);
        // Read before the database: a revocation committed after this
        // point makes what is read below stale, and it is not believed.
        let epoch = self.revocations.current();
        if let Some(found) = self.seen_tokens.recall(&digest, epoch, at) {
            return Ok(Some(found));
        }
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN accounts a ON a.id = t.created_by
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2
               AND a.active = 1 AND a.role = 'administrateur' AND a.practice_id = t.practice_id"
        ))
        .bind(&digest)
        .bind(at)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut t = token_from_row(&row)?;
        // The prefix the journal names as the author of what the token
        // writes (« api:… »): taken from the token presented, whose SHA-256
        // found the row, never from the stored column, which someone
        // without the key could rewrite (audit of 2026-11-30, finding 10).
        t.prefix = visible_prefix(token);
        let key = row_macs::key(&*self.practice_keys(t.practice_id).await?, ACCESS)?;
        let record = self.access_record(t.practice_id).await?;
        // A row of the MAC's first version still opens (nothing to migrate,
        // no token refused for its age); one of the second whose name or
        // prefix was rewritten holds no MAC and is refused.
        match token_current(&row, t.id, &key, record.as_ref())? {
            None => return Err(StoreError::TokenToReplace),
            Some(version) => t.name_unverified = version == TokenMac::V1,
        }
        // Its owner's row must be as Sceau signed it: the role the query
        // above checked could have been raised by SQL.
        if let Some(owner) = t.created_by {
            if self.account(owner).await?.altered {
                return Err(StoreError::AccountAltered);
            }
        }
        let mut remembered = t.clone();
        // « Dernière utilisation » to the minute: writing it on every request
        // would make each API call a durable write (an fsync on SQLite), and
        // its failure (a full disk, a read-only database) must not lock the
        // caller out of reading.
        if t.last_used_at.is_none_or(|u| at - u >= TOKEN_USE_PRECISION) {
            let written = sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(at)
                .bind(t.id)
                .execute(&self.pool)
                .await;
            if written.is_ok() {
                remembered.last_used_at = Some(at);
            }
        }
        let p = self.practice_with(t.practice_id, record.as_ref()).await?;
        self.seen_tokens
            .remember(digest, remembered, p.clone(), epoch);
        Ok(Some((t, p)))
    }
}

/// How long this process believes what it read of a token before reading
/// it again: the longest a revocation made by another process sharing the
/// database (another node on PostgreSQL, `sceau` commands on the SQLite
/// file) may take to stop the token here. One made through this process
/// stops it at once (`revocations`).
pub const TOKEN_RECHECK: Duration = Duration::from_secs(1);

/// Tokens seen at most this many: beyond, the memory starts afresh (only
/// live tokens enter it, so its size is that of the practices' tokens).
const SEEN_MAX: usize = 4096;

/// The tokens this process authenticated in the last [`TOKEN_RECHECK`],
/// by digest, so that an API call does not cost two queries (on SQLite,
/// each a round trip to a connection's thread): they were most of a
/// decision's time over HTTP. An entry is believed only while the count of
/// revocations is the one read before it was, its token has not expired
/// and its « last used » is within [`TOKEN_USE_PRECISION`].
#[derive(Debug, Default)]
pub(crate) struct SeenTokens(Mutex<HashMap<String, Seen>>);

#[derive(Debug)]
struct Seen {
    token: ApiToken,
    practice: Practice,
    epoch: u64,
    read: Instant,
}

impl SeenTokens {
    fn recall(&self, digest: &str, epoch: u64, at: i64) -> Option<(ApiToken, Practice)> {
        let seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let s = seen.get(digest)?;
        let fresh = s.epoch == epoch
            && s.read.elapsed() < TOKEN_RECHECK
            && s.token.expires_at > at
            && s.token
                .last_used_at
                .is_some_and(|u| at - u < TOKEN_USE_PRECISION);
        fresh.then(|| (s.token.clone(), s.practice.clone()))
    }

    fn remember(&self, digest: String, token: ApiToken, practice: Practice, epoch: u64) {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= SEEN_MAX && !seen.contains_key(&digest) {
            seen.clear();
        }
        let read = Instant::now();
        seen.insert(
            digest,
            Seen {
                token,
                practice,
                epoch,
                read,
            },
        );
    }
}
