//! Persistence of Sceau: practices (cabinets), accounts, browser sessions
//! and API tokens.
//!
//! One [`Store`] type is the interface the web crate and the command line
//! use. It runs on an embedded SQLite file (`<data-dir>/sceau.sqlite`, WAL
//! mode, `synchronous=FULL`) or on PostgreSQL (`--database-url
//! postgres://…`), through sqlx's `Any` driver: the SQL is portable (no
//! dialect-only functions in queries, timestamps as Unix seconds, dates as
//! `YYYY-MM-DD` text, migrations per dialect under `migrations/<dialect>/`).
//!
//! The patient register ([`register`]) and the journal of disclosures
//! ([`journal`]) keep identity and free-text fields encrypted with the key
//! of [`crypto`]; the journal's hash chain is `sceau-journal`'s.
//!
//! Secrets are never stored in clear: passwords are hashed with Argon2id,
//! session and API tokens with SHA-256 (they are long random values, so a
//! fast hash is enough), and only a short prefix of each API token is kept
//! to let an administrator recognise it.

use std::path::Path;
use std::str::FromStr;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Executor, Row};

pub mod audit;
pub mod backup;
pub mod crypto;
pub mod directory;
mod files;
mod hashing;
pub mod hosts;
pub mod journal;
pub mod key_backup;
mod migrate;
mod patient_records;
pub mod register;
pub mod reports;
pub mod resumption;
pub mod tenants;
pub mod testing;

pub use crypto::Key;

/// How long a browser session lasts after login.
pub const SESSION_SECONDS: i64 = 12 * 3600;
/// Minimum password length, in characters.
pub const PASSWORD_MIN: usize = 10;
/// Maximum password length, in characters (hashing cost stays bounded).
pub const PASSWORD_MAX: usize = 256;
/// Prefix of every API token, so that a leaked one is recognisable.
pub const TOKEN_PREFIX: &str = "sceau_";

/// How stale (seconds) a token's last use may be shown.
pub const TOKEN_USE_PRECISION: i64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("erreur de la base de données : {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("cet identifiant est déjà utilisé")]
    UsernameTaken,
    #[error("l’administrateur a déjà été créé")]
    AlreadySetUp,
    #[error("le cabinet doit garder au moins un administrateur actif")]
    LastAdmin,
    #[error("introuvable")]
    NotFound,
    #[error("erreur interne : {0}")]
    Internal(String),
    /// The key is missing, unreadable or not the one this database was written with.
    #[error("{0}")]
    Key(String),
    /// The journal does not verify: nothing is appended on top of it until an
    /// administrator has looked (the message says, in French, what was found).
    #[error("{0}")]
    Tampered(String),
    /// A value does not decrypt: wrong key or damaged data (never shown as garbage).
    #[error("une donnée chiffrée ne peut pas être déchiffrée : mauvaise clé de chiffrement ou donnée endommagée")]
    Crypto,
    /// The hosting operator suspended the practice (`sceau practice suspend`).
    #[error("Ce cabinet est suspendu par l’hébergeur de Sceau : personne ne peut s’y connecter pour l’instant. Contactez votre hébergeur.")]
    Suspended,
    /// Too many password checks at once: try again in a moment (429).
    #[error("trop de vérifications de mot de passe en cours")]
    Busy,
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Why the storage refused an operation, as far as the user can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// The disk (or the PostgreSQL server's) is full.
    Full,
    /// The database or its directory is read-only.
    ReadOnly,
    /// Anything else: unreachable server, broken connection, internal error.
    Other,
}

impl StoreError {
    /// The kind of storage failure, from SQLite's result code or
    /// PostgreSQL's SQLSTATE (or the I/O error of a file beside the base).
    pub fn outage(&self) -> Outage {
        match self {
            StoreError::Db(sqlx::Error::Database(d)) => {
                let code = d.code().map(|c| c.to_string()).unwrap_or_default();
                // SQLite: extended result codes, whose low byte is the primary code.
                if let Ok(n) = code.parse::<i64>() {
                    return match n & 0xff {
                        13 => Outage::Full,     // SQLITE_FULL
                        8 => Outage::ReadOnly,  // SQLITE_READONLY
                        14 => Outage::ReadOnly, // SQLITE_CANTOPEN (a journal file on a read-only directory)
                        _ => Outage::Other,
                    };
                }
                match code.as_str() {
                    "53100" => Outage::Full,               // disk_full
                    "25006" | "42501" => Outage::ReadOnly, // read_only_sql_transaction, insufficient_privilege
                    _ => Outage::Other,
                }
            }
            StoreError::Db(sqlx::Error::Io(e)) => io_outage(e),
            StoreError::Internal(m) => {
                // Files beside the base (journal anchors) report their I/O error in text.
                if m.contains("No space left") || m.contains("File too large") {
                    Outage::Full
                } else if m.contains("Read-only file system") {
                    Outage::ReadOnly
                } else {
                    Outage::Other
                }
            }
            _ => Outage::Other,
        }
    }

    /// What to tell the user when the storage refused: what happened, that
    /// nothing was recorded, what to do.
    pub fn outage_fr(&self) -> &'static str {
        match self.outage() {
            Outage::Full => "Le disque du serveur est plein : rien n’a été enregistré. Libérez de la place (ou prévenez la personne qui administre Sceau), puis recommencez.",
            Outage::ReadOnly => "La base de données est en lecture seule : rien n’a été enregistré. La consultation reste possible ; prévenez la personne qui administre Sceau.",
            Outage::Other => "La base de données ne répond pas : rien n’a été enregistré. Réessayez dans un instant.",
        }
    }
}

fn io_outage(e: &std::io::Error) -> Outage {
    match e.raw_os_error() {
        Some(28) | Some(27) => Outage::Full, // ENOSPC, EFBIG
        Some(30) => Outage::ReadOnly,        // EROFS
        _ => Outage::Other,
    }
}

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
pub struct Practice {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    /// When the hosting operator suspended it (`sceau practice suspend`):
    /// no sign-in, no API token, until `sceau practice resume`.
    pub suspended_at: Option<i64>,
}

impl Practice {
    pub fn suspended(&self) -> bool {
        self.suspended_at.is_some()
    }
}

const PRACTICE_COLUMNS: &str = "id, name, created_at, suspended_at";

fn practice_from_row(row: &sqlx::any::AnyRow) -> Result<Practice> {
    Ok(Practice {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
        suspended_at: row.try_get("suspended_at")?,
    })
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
}

/// A valid browser session with its account.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub account: Account,
    pub practice: Practice,
    /// The CSRF token every form of this session must carry.
    pub csrf: String,
    pub expires_at: i64,
}

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

/// Argon2id cost. `Standard` is OWASP's recommendation (19 MiB, 2 passes);
/// `Fast` is for tests only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HashCost {
    #[default]
    Standard,
    Fast,
}

impl HashCost {
    fn hasher(self) -> Argon2<'static> {
        let params = match self {
            HashCost::Standard => Params::new(19 * 1024, 2, 1, None),
            HashCost::Fast => Params::new(64, 1, 1, None),
        }
        .expect("valid Argon2 parameters");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
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
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// Checks a password against the policy; the error is French, for the form.
pub fn check_password(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(StoreError::Invalid(format!(
            "Le mot de passe doit comporter au moins {PASSWORD_MIN} caractères."
        )));
    }
    if n > PASSWORD_MAX {
        return Err(StoreError::Invalid(format!(
            "Le mot de passe doit comporter au plus {PASSWORD_MAX} caractères."
        )));
    }
    Ok(())
}

/// Normalises and checks a login name: 3 to 64 of `a-z 0-9 . _ -`.
pub fn normalize_username(username: &str) -> Result<String> {
    let u = username.trim().to_lowercase();
    let ok = (3..=64).contains(&u.chars().count())
        && u.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
    if ok {
        Ok(u)
    } else {
        Err(StoreError::Invalid(
            "L’identifiant doit comporter de 3 à 64 caractères parmi a-z, 0-9, point, tiret et tiret bas.".into(),
        ))
    }
}

/// A character a name must not hold: a control character, or one that is
/// invisible yet changes what is shown — the bidirectional overrides and
/// isolates (which can display « Dupont » for a name stored backwards, or
/// reorder a list of names) and the zero-width characters (which make two
/// names look the same). U+202F and U+00A0, the French typographic spaces,
/// are visible and allowed.
pub fn hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{00AD}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

fn check_name(label: &str, value: &str) -> Result<String> {
    let v = value.trim();
    // Empty once trimmed, or longer than 120 as submitted (the schema's bound).
    if v.is_empty() || value.chars().count() > 120 || v.chars().any(hidden_char) {
        return Err(StoreError::Invalid(format!(
            "{label} : de 1 à 120 caractères, sans caractère de contrôle ni caractère invisible (contrôle de direction, espace de largeur nulle)."
        )));
    }
    Ok(v.to_string())
}

const ACCOUNT_COLUMNS: &str = "id, practice_id, username, display_name, role, active, created_at";

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
    })
}

/// The columns of a token, with its owner's name (`a`: the owner's account).
const TOKEN_COLUMNS: &str = "t.id, t.practice_id, t.name, t.prefix, t.created_by, \
    a.display_name AS created_by_name, t.created_at, t.revoked_at, t.last_used_at, \
    t.expires_at, t.scope";

fn token_from_row(row: &sqlx::any::AnyRow) -> Result<ApiToken> {
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
    })
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
        Store::connect(&dir, Some(path), None, cost, key).await
    }

    /// Opens the store described by `cfg` and runs the migrations.
    pub async fn open(cfg: StoreConfig) -> Result<Store> {
        crate::files::create_private_dir(&cfg.data_dir).map_err(|e| {
            StoreError::Internal(format!(
                "impossible de créer {} : {e}",
                cfg.data_dir.display()
            ))
        })?;
        let key = match cfg.key {
            Some(k) => k,
            None => Key::load_or_create(&cfg.data_dir)?,
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
        key: Key,
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
        let applied = migrate::run(&pool, dialect).await?;
        let store = Store {
            pool,
            cost,
            dialect,
            key: std::sync::Arc::new(key),
            data_dir: data_dir.to_path_buf(),
            append_queue: Default::default(),
            session_seconds: SESSION_SECONDS,
            hashes: std::sync::Arc::new(hashing::HashPool::standard()),
        };
        store.check_key().await?;
        if applied.contains(&journal::KEYED_SCHEMA) {
            // The schema that signs entries is new here: sign the journals
            // written before it, with this key, if their chains verify.
            store.sign_existing_journals().await?;
        }
        Ok(store)
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
            Some(_) => Err(StoreError::Key(format!(
                "la clé de chiffrement ({}) n’est pas celle de cette base de données : Sceau refuse de l’ouvrir pour ne pas lire de données illisibles. Utilisez la clé d’origine (fichier sceau.key du répertoire de données ou variable SCEAU_KEY) ; voir « Clé de chiffrement » dans le README.",
                self.key.origin
            ))),
            None => {
                sqlx::query("INSERT INTO store_meta (name, value) VALUES ('key_fingerprint', $1)")
                    .bind(fp)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
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

    /// Whether the first administrator of the server still has to be created
    /// (see also [`Store::installation_pending`] for practices the operator created).
    pub async fn needs_setup(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    async fn hash_password(&self, password: &str) -> Result<String> {
        let cost = self.cost;
        let password = password.to_string();
        self.hashes
            .run(move || {
                let salt = SaltString::generate(&mut OsRng);
                cost.hasher()
                    .hash_password(password.as_bytes(), &salt)
                    .map(|h| h.to_string())
                    .map_err(|e| StoreError::Internal(format!("hachage : {e}")))
            })
            .await?
    }

    /// Whether `password` matches `hash`; `Busy` when too many checks wait.
    async fn verify_password(&self, hash: String, password: &str) -> Result<bool> {
        let password = password.to_string();
        let cost = self.cost;
        self.hashes
            .run(move || match PasswordHash::new(&hash) {
                // The parameters are read from the stored hash.
                Ok(parsed) => cost
                    .hasher()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
                Err(_) => false,
            })
            .await
    }

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
        let practice_id: i64 = match existing {
            Some(id) => {
                sqlx::query("UPDATE practices SET name = $1 WHERE id = $2")
                    .bind(&practice_name)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            None => {
                let id = sqlx::query_scalar(
                    "INSERT INTO practices (name, created_at) VALUES ($1, $2) RETURNING id",
                )
                .bind(&practice_name)
                .bind(t)
                .fetch_one(&mut *tx)
                .await?;
                self.start_journal(&mut tx, id).await?;
                id
            }
        };
        let account = insert_account(
            &mut *tx,
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
        let practice_id: i64 = sqlx::query_scalar(
            "INSERT INTO practices (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(&practice_name)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        self.start_journal(&mut tx, practice_id).await?;
        let account = insert_account(
            &mut *tx,
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
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO practices (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(&name)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        self.start_journal(&mut tx, id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every practice of the store.
    pub async fn practices(&self) -> Result<Vec<Practice>> {
        let rows = sqlx::query(&format!(
            "SELECT {PRACTICE_COLUMNS} FROM practices ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(practice_from_row).collect()
    }

    /// The account for these credentials, if they are right and the account is active.
    /// Takes the same time whether or not the login name exists.
    pub async fn verify_login(&self, username: &str, password: &str) -> Result<Option<Account>> {
        let username = username.trim().to_lowercase();
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts WHERE username = $1"
        ))
        .bind(&username)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            // Spend the same effort as a real check (and the same place in the queue).
            self.hash_password(password).await?;
            return Ok(None);
        };
        let hash: String = row.try_get("password_hash")?;
        let account = account_from_row(&row)?;
        if self.verify_password(hash, password).await? && account.active {
            // Said only to whoever gave the right password: the suspension
            // is no secret from the practice's own members.
            if self.practice(account.practice_id).await?.suspended() {
                return Err(StoreError::Suspended);
            }
            Ok(Some(account))
        } else {
            Ok(None)
        }
    }

    pub async fn practice(&self, id: i64) -> Result<Practice> {
        let row = sqlx::query(&format!(
            "SELECT {PRACTICE_COLUMNS} FROM practices WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        practice_from_row(&row)
    }

    pub async fn account(&self, id: i64) -> Result<Account> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        account_from_row(&row)
    }

    /// Opens a session: returns the secret token to put in the cookie.
    pub async fn create_session(&self, account_id: i64) -> Result<String> {
        let token = random_hex(32);
        let t = now();
        // Expired sessions are cleaned up on each login.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(t)
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(sha256_hex(&token))
            .bind(account_id)
            .bind(random_hex(32))
            .bind(t)
            .bind(t + self.session_seconds)
            .execute(&self.pool)
            .await?;
        Ok(token)
    }

    /// The live session for a cookie token (expired or deactivated: none).
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        let row =
            sqlx::query("SELECT account_id, csrf, expires_at FROM sessions WHERE token_hash = $1")
                .bind(sha256_hex(token))
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: i64 = row.try_get("expires_at")?;
        if expires_at < now() {
            return Ok(None);
        }
        let account = self.account(row.try_get("account_id")?).await?;
        if !account.active {
            return Ok(None);
        }
        let practice = self.practice(account.practice_id).await?;
        // Suspended by the operator: checked on every request, so that a
        // session opened on another node before the suspension stops too.
        if practice.suspended() {
            return Ok(None);
        }
        Ok(Some(Session {
            account,
            practice,
            csrf: row.try_get("csrf")?,
            expires_at,
        }))
    }

    pub async fn delete_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(token))
            .execute(&self.pool)
            .await?;
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
        self.set_password(account_id, new).await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
            .bind(account_id)
            .bind(sha256_hex(keep_session))
            .execute(&self.pool)
            .await?;
        Ok(true)
    }

    async fn set_password(&self, account_id: i64, password: &str) -> Result<()> {
        let hash = self.hash_password(password).await?;
        sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now())
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
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
        self.set_password(account_id, password).await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn list_accounts(&self, practice_id: i64) -> Result<Vec<Account>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE practice_id = $1 ORDER BY username"
        ))
        .bind(practice_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(account_from_row).collect()
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
        insert_account(
            &self.pool,
            practice_id,
            username,
            display_name,
            role,
            &hash,
            t,
        )
        .await
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
        sqlx::query("UPDATE accounts SET role = $1, active = $2, updated_at = $3 WHERE id = $4")
            .bind(role.as_str())
            .bind(active as i64)
            .bind(now())
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(account_id)
                .execute(&self.pool)
                .await?;
        }
        if !active || !role.is_admin() {
            self.revoke_tokens_of(account_id).await?;
        }
        Ok(())
    }

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
        let prefix: String = token.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let t = now();
        let expires_at = t + days * 86_400;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (practice_id, name, prefix, token_hash, created_by, created_at, expires_at, scope)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(practice_id)
        .bind(&name)
        .bind(&prefix)
        .bind(sha256_hex(&token))
        .bind(created_by)
        .bind(t)
        .bind(expires_at)
        .bind(scope.as_str())
        .fetch_one(&self.pool)
        .await?;
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
        rows.iter().map(token_from_row).collect()
    }

    pub async fn revoke_token(&self, practice_id: i64, token_id: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND practice_id = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(token_id)
        .bind(practice_id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Revokes the live tokens an account owns (it was deactivated or is no
    /// longer an administrator): a reactivation does not bring them back.
    async fn revoke_tokens_of(&self, account_id: i64) -> Result<()> {
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE created_by = $2 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The live token matching a clear token, with its practice; records its
    /// use. Live: not revoked, not expired, and its owner is still an active
    /// administrator of the practice.
    pub async fn authenticate_token(&self, token: &str) -> Result<Option<(ApiToken, Practice)>> {
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 200 {
            return Ok(None);
        }
        let at = now();
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN accounts a ON a.id = t.created_by
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2
               AND a.active = 1 AND a.role = 'administrateur' AND a.practice_id = t.practice_id"
        ))
        .bind(sha256_hex(token))
        .bind(at)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let t = token_from_row(&row)?;
        // « Dernière utilisation » to the minute: writing it on every request
        // would make each API call a durable write (an fsync on SQLite), and
        // its failure (a full disk, a read-only database) must not lock the
        // caller out of reading.
        if t.last_used_at.is_none_or(|u| at - u >= TOKEN_USE_PRECISION) {
            let _ = sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(at)
                .bind(t.id)
                .execute(&self.pool)
                .await;
        }
        let p = self.practice(t.practice_id).await?;
        Ok(Some((t, p)))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Inserts one active account in `db` (the pool or a transaction). The one
/// INSERT into `accounts`: a name taken anywhere on the server comes back as
/// `UsernameTaken`, whichever path creates the account.
pub(crate) async fn insert_account<'e, E>(
    db: E,
    practice_id: i64,
    username: String,
    display_name: String,
    role: Role,
    hash: &str,
    t: i64,
) -> Result<Account>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
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
    .fetch_one(db)
    .await;
    let id: i64 = match res {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(StoreError::UsernameTaken)
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Account {
        id,
        practice_id,
        username,
        display_name,
        role,
        active: true,
        created_at: t,
    })
}
