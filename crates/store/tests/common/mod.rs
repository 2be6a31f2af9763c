//! A store for one test: SQLite in a temporary directory, or a fresh
//! PostgreSQL database when SCEAU_TEST_DATABASE_URL is set.
#![allow(dead_code)]

use sceau_store::journal::NewEntry;
use sceau_store::register::{NewPatient, Patient};
use sceau_store::{HashCost, Store, StoreConfig};

/// A journal entry of a report to the procureur, `info` its information.
pub fn entry(info: &str) -> NewEntry {
    NewEntry {
        patient: None,
        recipient: "procureur".into(),
        purpose: "signalement".into(),
        action: "disclosed".into(),
        verdict: "allowed".into(),
        basis: vec!["cp:226-14:3".into()],
        information: info.into(),
    }
}

/// A patient of `practice` known only by `name`, created by « alice ».
pub async fn patient(s: &Store, practice: i64, name: &str) -> Patient {
    s.create_patient(
        practice,
        "alice",
        &NewPatient {
            display_name: name.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

/// Two practices on one store: « Cabinet A » (administrator « alice »)
/// and « Cabinet B » (« bob »); their ids.
pub async fn two_practices(s: &Store) -> (i64, i64) {
    let a = s
        .create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap();
    let b = s
        .create_practice("Cabinet B", "bob", "Bob", "motdepasse-solide")
        .await
        .unwrap();
    (a.practice_id, b.practice_id)
}

pub struct Db {
    pub dir: tempfile::TempDir,
    pub url: Option<String>,
}

impl Db {
    pub async fn new() -> Db {
        Db {
            dir: tempfile::tempdir().unwrap(),
            url: sceau_store::testing::fresh_database_url().await,
        }
    }

    pub fn config(&self) -> StoreConfig {
        let mut c = StoreConfig::new(self.dir.path(), self.url.clone());
        c.cost = HashCost::Fast;
        c
    }

    pub async fn open(&self) -> Store {
        Store::open(self.config()).await.unwrap()
    }

    pub fn sqlite_file(&self) -> std::path::PathBuf {
        self.dir.path().join("sceau.sqlite")
    }

    pub fn is_sqlite(&self) -> bool {
        self.url.is_none()
    }

    /// A connection of an intruder's own beside the running store (he
    /// writes the database, he has not the key).
    pub async fn raw(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        let url = self
            .url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.sqlite_file().display()));
        sqlx::AnyPool::connect(&url).await.unwrap()
    }

    /// The versions of this build's migrations for this dialect, in order.
    pub fn migration_versions(&self) -> Vec<i64> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(if self.is_sqlite() {
                "sqlite"
            } else {
                "postgres"
            });
        let mut v: Vec<i64> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.get(..4)?.parse().ok())
            .collect();
        v.sort_unstable();
        v
    }

    /// The schema a store of this build reaches: its last migration.
    pub fn latest_schema(&self) -> i64 {
        *self.migration_versions().last().expect("migrations")
    }
}
