//! Persistence of Sceau: practices (cabinets), accounts, browser sessions,
//! API tokens, the patient register and the journal of disclosures.
//!
//! One [`Store`] type is the interface the web crate and the command line
//! use; each aggregate (accounts, sessions, tokens, practices, the
//! register, the journal, the directory, reports, audits, backups) adds its
//! methods to it in its own module, and this file holds only the type, the
//! opening of the connection for each dialect and the re-exports.
//!
//! It runs on an embedded SQLite file (`<data-dir>/sceau.sqlite`, WAL mode,
//! `synchronous=FULL`) or on PostgreSQL (`--database-url postgres://…`),
//! through sqlx's `Any` driver: the SQL is portable (no dialect-only
//! functions in queries, timestamps as Unix seconds, dates as `YYYY-MM-DD`
//! text, migrations per dialect under `migrations/<dialect>/`, applied by
//! sqlx's migrator: see `migrate.rs`).
//!
//! The patient register ([`register`]) and the journal of disclosures
//! ([`journal`]) keep identity and free-text fields encrypted with the key
//! of [`crypto`]; the journal's hash chain is `sceau-journal`'s.
//!
//! Secrets are never stored in clear: passwords are hashed with Argon2id,
//! session and API tokens with SHA-256 (they are long random values, so a
//! fast hash is enough), and only a short prefix of each API token is kept
//! to let an administrator recognise it. The rows of sessions and tokens
//! are signed with the key ([`row_macs`]): a row written without it opens
//! nothing.

use std::path::Path;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Executor};

mod access_record;
mod accounts;
mod accounts_attest;
pub mod audit;
pub mod backup;
pub mod crypto;
pub mod directory;
mod error;
mod fields;
mod files;
mod hashing;
pub mod hosts;
pub mod journal;
mod journal_export;
mod journal_information;
mod journal_rows;
pub mod key_backup;
pub mod key_download;
pub mod keyring;
mod login_binding;
mod migrate;
mod names;
mod patient_records;
mod practice_count;
mod practices;
pub mod profiles;
pub mod register;
mod register_attest;
mod register_facts;
mod register_macs;
mod register_record;
mod register_rows;
pub mod reports;
pub mod resumption;
mod revocations;
mod row_macs;
mod secrets;
mod sessions;
mod settle;
pub mod tenants;
#[cfg(feature = "testing")]
pub mod testing;
mod token_macs;
mod tokens;
mod tokens_attest;

pub use accounts::{Account, Role};
pub use accounts_attest::AttestedAccounts;
pub use crypto::Key;
pub use error::{Outage, Result, StoreError};
pub use hashing::HashCost;
pub use names::{
    check_password, hidden_char, normalize_username, unreadable, MARKS_IN_A_ROW, PASSWORD_MAX,
    PASSWORD_MIN,
};
pub use patient_records::Archiving;
pub use practices::Practice;
pub use register_attest::{RegisterTable, RowState, UnsignedRow};
pub use sessions::{Session, SESSION_SECONDS};
pub use tokens::{
    ApiToken, TokenScope, TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX, TOKEN_PREFIX, TOKEN_RECHECK,
    TOKEN_USE_PRECISION, UNREADABLE_TOKEN,
};

/// Test-only fault injection: `SCEAU_FAULT_SQLITE_MAX_PAGES=N` caps the
/// SQLite database at N pages, so that a write needing a new page fails with
/// SQLITE_FULL, the code of a full disk. The fault tests
/// (crates/cli/tests/faults) use it to fill « the disk » without mounting a
/// small file system, which a container may refuse. Unset in production.
pub const FAULT_SQLITE_MAX_PAGES_ENV: &str = "SCEAU_FAULT_SQLITE_MAX_PAGES";

fn sqlite_max_pages() -> Option<u64> {
    std::env::var(FAULT_SQLITE_MAX_PAGES_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
}

/// Which database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// Where the store lives.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// The data directory: SQLite file (without `database_url`), key file, journal anchors.
    pub data_dir: std::path::PathBuf,
    /// `postgres://…` for PostgreSQL; `None` for `<data_dir>/sceau.sqlite`.
    pub database_url: Option<String>,
    pub cost: HashCost,
    /// The key; `None` to read `SCEAU_KEY` or `<data_dir>/sceau.key` (created if absent).
    pub key: Option<Key>,
    /// How long a browser session lasts after login, in seconds (tests shorten it).
    pub session_seconds: i64,
}

impl StoreConfig {
    pub fn new(data_dir: impl Into<std::path::PathBuf>, database_url: Option<String>) -> Self {
        StoreConfig {
            data_dir: data_dir.into(),
            database_url: database_url.filter(|u| !u.trim().is_empty()),
            cost: HashCost::Standard,
            key: None,
            session_seconds: SESSION_SECONDS,
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    cost: HashCost,
    dialect: Dialect,
    key: std::sync::Arc<Key>,
    data_dir: std::path::PathBuf,
    /// This process's journal appends waiting for the next group commit
    /// (the database row lock serialises processes).
    append_queue: std::sync::Arc<journal::AppendQueue>,
    session_seconds: i64,
    /// Where every Argon2 hash runs (bounded: see `hashing`).
    hashes: std::sync::Arc<hashing::HashPool>,
    /// Writes that can take access away from a token (see `revocations`).
    revocations: std::sync::Arc<revocations::Revocations>,
    /// The tokens this process authenticated recently (see `tokens`).
    seen_tokens: std::sync::Arc<tokens::SeenTokens>,
    /// The highest counter of each practice's access record this process
    /// saw (see `access_record`).
    access_seen: std::sync::Arc<access_record::SeenCounters>,
    /// The highest counter of each patient's register record this process
    /// saw (see `register_record`).
    register_seen: std::sync::Arc<register_record::SeenRecords>,
}

/// The key fingerprint a database records, read before any migration;
/// `None` for a new database (or one older than the fingerprint, which its
/// migrations then give one).
async fn recorded_fingerprint(pool: &AnyPool) -> Option<String> {
    sqlx::query_scalar("SELECT value FROM store_meta WHERE name = 'key_fingerprint'")
        .fetch_optional(pool)
        .await
        .ok()
        .flatten()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Store {
    /// Opens (creating it if needed) `<data_dir>/sceau.sqlite` and runs the migrations.
    pub async fn open_sqlite(data_dir: &Path) -> Result<Store> {
        Store::open(StoreConfig::new(data_dir, None)).await
    }

    /// Opens a given SQLite file with a given hashing cost; the key and the
    /// journal anchors live in the file's directory.
    pub async fn open_sqlite_file(path: &Path, cost: HashCost) -> Result<Store> {
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| ".".into());
        let key = Key::load_or_create(&dir)?;
        Store::connect(&dir, Some(path), None, cost, Some(key)).await
    }

    /// Opens the store described by `cfg` and runs the migrations.
    pub async fn open(cfg: StoreConfig) -> Result<Store> {
        crate::files::create_private_dir(&cfg.data_dir).map_err(|e| {
            StoreError::Internal(format!(
                "impossible de créer {} : {e}",
                cfg.data_dir.display()
            ))
        })?;
        // A key is created only for a database that has none recorded:
        // run on a copy without its key, a command must neither leave a
        // stray key behind nor migrate the copy before refusing it.
        let key = match cfg.key {
            Some(k) => Some(k),
            None => Key::load_existing(&cfg.data_dir)?,
        };
        let mut store = match &cfg.database_url {
            Some(url) => Store::connect(&cfg.data_dir, None, Some(url), cfg.cost, key).await?,
            None => {
                let file = cfg.data_dir.join("sceau.sqlite");
                Store::connect(&cfg.data_dir, Some(&file), None, cfg.cost, key).await?
            }
        };
        store.session_seconds = cfg.session_seconds.max(1);
        Ok(store)
    }

    /// How long a browser session lasts after login, in seconds.
    pub fn session_seconds(&self) -> i64 {
        self.session_seconds
    }

    async fn connect(
        data_dir: &Path,
        sqlite: Option<&Path>,
        url: Option<&str>,
        cost: HashCost,
        key: Option<Key>,
    ) -> Result<Store> {
        sqlx::any::install_default_drivers();
        // Several PostgreSQL hosts: the list and the one that takes writes now.
        let mut writer: Option<(Vec<String>, String)> = None;
        let (opts, dialect) = match (sqlite, url) {
            (Some(path), _) => {
                // Owner-only before SQLite opens it: its -wal and -shm files take the same mode.
                crate::files::create_private_file(path).map_err(|e| {
                    StoreError::Internal(format!("impossible de créer {} : {e}", path.display()))
                })?;
                let url = SqliteConnectOptions::from_str("sqlite:")?
                    .filename(path)
                    .create_if_missing(true)
                    .to_url_lossy();
                (AnyConnectOptions::from_url(&url)?, Dialect::Sqlite)
            }
            (None, Some(u)) => {
                if !(u.starts_with("postgres://") || u.starts_with("postgresql://")) {
                    return Err(StoreError::Invalid(
                        "--database-url : seule une adresse postgres://… est acceptée (sans elle, Sceau utilise le fichier SQLite du répertoire de données).".into(),
                    ));
                }
                if hosts::wants_writer(u) {
                    let urls = hosts::split_hosts(u);
                    let chosen = hosts::writable(&urls).await.ok_or_else(|| {
                        StoreError::Invalid(format!(
                            "--database-url : aucun des serveurs PostgreSQL ({}) n’accepte d’écritures.",
                            urls.iter().map(|x| hosts::host_of(x)).collect::<Vec<_>>().join(", ")
                        ))
                    })?;
                    writer = Some((urls, chosen.clone()));
                    (AnyConnectOptions::from_str(&chosen)?, Dialect::Postgres)
                } else {
                    (AnyConnectOptions::from_str(u)?, Dialect::Postgres)
                }
            }
            (None, None) => return Err(StoreError::Internal("aucune base".into())),
        };
        let opts = opts.disable_statement_logging();
        let max_pages = sqlite_max_pages();
        let pool = AnyPoolOptions::new()
            .max_connections(if dialect == Dialect::Sqlite { 8 } else { 10 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        // WAL, and every commit durable on return (the journal's acknowledgements).
                        conn.execute(
                            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                             PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                        if let Some(n) = max_pages {
                            conn.execute(format!("PRAGMA max_page_count = {n}").as_str())
                                .await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await?;
        if let Some((urls, chosen)) = writer {
            hosts::watch(pool.clone(), urls, chosen);
        }
        // Journals written before schema 6 (or whose MACs were stripped and
        // migration 6 replayed) are never signed here: opening the store
        // must not attest a chain it did not write. Verification reports
        // their entries unsigned until an administrator takes the journal
        // back (`journal_resume`).
        let recorded = recorded_fingerprint(&pool).await;
        let key = match (key, &recorded) {
            (Some(k), _) => k,
            (None, Some(_)) => {
                pool.close().await;
                return Err(StoreError::Key(format!(
                    "aucune clé de chiffrement dans {} ni dans SCEAU_KEY, alors que cette base en a une\u{a0}: Sceau refuse de l’ouvrir, et n’a ni créé de clé ni modifié la base. Utilisez la clé d’origine (fichier sceau.key ou variable SCEAU_KEY)\u{a0}; voir «\u{a0}Clé de chiffrement\u{a0}» dans le README.",
                    data_dir.display()
                )));
            }
            (None, None) => Key::load_or_create(data_dir)?,
        };
        // A key that is not the database's is refused before the
        // migrations touch it (they run on a database this key opens).
        if let Some(fp) = recorded.filter(|fp| *fp != key.fingerprint()) {
            let refused =
                Store::assemble(pool.clone(), cost, dialect, key, data_dir).key_refused(&fp);
            pool.close().await;
            return Err(refused);
        }
        let applied = migrate::run(&pool, dialect).await?;
        let store = Store::assemble(pool, cost, dialect, key, data_dir);
        store.check_key().await?;
        // Rows sealed with the master key itself (before schema 10): each
        // practice gets its own keys, once.
        store.migrate_legacy_keys().await?;
        // The access rows of a database written before schema 18, as this
        // start finds them: their current versions are recorded once.
        if applied.contains(&access_record::SCHEMA) {
            store.adopt_access_records().await?;
        }
        // Records written before they stated the suspension: each
        // practice's state as its row has it, once (none is locked out by
        // the upgrade).
        store.record_suspensions().await?;
        Ok(store)
    }

    fn assemble(
        pool: AnyPool,
        cost: HashCost,
        dialect: Dialect,
        key: Key,
        data_dir: &Path,
    ) -> Store {
        Store {
            pool,
            cost,
            dialect,
            key: std::sync::Arc::new(key),
            data_dir: data_dir.to_path_buf(),
            append_queue: Default::default(),
            session_seconds: SESSION_SECONDS,
            hashes: std::sync::Arc::new(hashing::HashPool::standard()),
            revocations: Default::default(),
            seen_tokens: Default::default(),
            access_seen: Default::default(),
            register_seen: Default::default(),
        }
    }

    /// Records the key's fingerprint on first use; refuses another key afterwards.
    async fn check_key(&self) -> Result<()> {
        let fp = self.key.fingerprint();
        let stored: Option<String> =
            sqlx::query_scalar("SELECT value FROM store_meta WHERE name = 'key_fingerprint'")
                .fetch_optional(&self.pool)
                .await?;
        match stored {
            Some(s) if s == fp => Ok(()),
            Some(s) => Err(self.key_refused(&s)),
            None => {
                sqlx::query("INSERT INTO store_meta (name, value) VALUES ('key_fingerprint', $1)")
                    .bind(fp)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    }

    /// Why this key does not open the database whose fingerprint is `stored`.
    fn key_refused(&self, stored: &str) -> StoreError {
        if self.pending_key_matches(stored) {
            StoreError::Key(format!(
                "une rotation de la clé maîtresse s’est interrompue : la base attend la nouvelle clé, écrite dans {} ; remplacez la clé actuelle ({}) par ce fichier, puis relancez",
                self.data_dir.join(crypto::PENDING_KEY_FILE).display(),
                self.key.origin
            ))
        } else {
            StoreError::Key(format!(
                "la clé de chiffrement ({}) n’est pas celle de cette base de données : Sceau refuse de l’ouvrir pour ne pas lire de données illisibles. Utilisez la clé d’origine (fichier sceau.key du répertoire de données ou variable SCEAU_KEY) ; voir « Clé de chiffrement » dans le README.",
                self.key.origin
            ))
        }
    }

    /// Whether the key left by an interrupted `sceau key rotate` is the one
    /// the database now expects (its fingerprint `stored`).
    fn pending_key_matches(&self, stored: &str) -> bool {
        let path = self.data_dir.join(crypto::PENDING_KEY_FILE);
        std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| Key::from_base64(&t, "").ok())
            .is_some_and(|k| k.fingerprint() == stored)
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn key(&self) -> &Key {
        &self.key
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Connections of the pool: (open, idle, most allowed).
    pub fn pool_usage(&self) -> (u32, usize, u32) {
        (
            self.pool.size(),
            self.pool.num_idle(),
            self.pool.options().get_max_connections(),
        )
    }

    /// Whether this node can serve: the database answers (within 2 s) and
    /// its schema is the one this build expects. The French reason otherwise.
    pub async fn readiness(&self) -> std::result::Result<(), String> {
        let ping = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&self.pool);
        match tokio::time::timeout(std::time::Duration::from_secs(2), ping).await {
            Err(_) => return Err("la base de données ne répond pas (2 s)".into()),
            Ok(Err(_)) => return Err("la base de données est injoignable".into()),
            Ok(Ok(_)) => {}
        }
        match self.pending_migrations().await {
            Ok(p) if p.is_empty() => Ok(()),
            Ok(p) => Err(format!(
                "migrations non appliquées : {}",
                p.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            )),
            Err(_) => Err("la base de données est injoignable".into()),
        }
    }

    /// Migrations this build knows that the database has not applied (a
    /// node started on a newer or older schema than the one it expects).
    pub async fn pending_migrations(&self) -> Result<Vec<i64>> {
        migrate::pending(&self.pool, self.dialect).await
    }

    /// The version of the schema after migrations.
    pub async fn schema_version(&self) -> Result<i64> {
        migrate::current(&self.pool).await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
