//! The move to sqlx's migrator: a database written by the store's former
//! runner (versions recorded in `schema_migrations`) opens with its data,
//! without any migration run twice, and continues with those it lacks.
//! The former runner is replayed here as it was: each file in a
//! transaction, then its row in `schema_migrations`. SQLite, or PostgreSQL
//! with SCEAU_TEST_DATABASE_URL.

use crate::common;

use sha2::{Digest, Sha384};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};

const SQLITE: [&str; 9] = [
    include_str!("../../migrations/sqlite/0001_accounts.sql"),
    include_str!("../../migrations/sqlite/0002_register.sql"),
    include_str!("../../migrations/sqlite/0003_duties.sql"),
    include_str!("../../migrations/sqlite/0004_audits.sql"),
    include_str!("../../migrations/sqlite/0005_recipients.sql"),
    include_str!("../../migrations/sqlite/0006_journal_keyed.sql"),
    include_str!("../../migrations/sqlite/0007_token_owner.sql"),
    include_str!("../../migrations/sqlite/0008_report_lifecycle.sql"),
    include_str!("../../migrations/sqlite/0009_practice_tenancy.sql"),
];

const POSTGRES: [&str; 9] = [
    include_str!("../../migrations/postgres/0001_accounts.sql"),
    include_str!("../../migrations/postgres/0002_register.sql"),
    include_str!("../../migrations/postgres/0003_duties.sql"),
    include_str!("../../migrations/postgres/0004_audits.sql"),
    include_str!("../../migrations/postgres/0005_recipients.sql"),
    include_str!("../../migrations/postgres/0006_journal_keyed.sql"),
    include_str!("../../migrations/postgres/0007_token_owner.sql"),
    include_str!("../../migrations/postgres/0008_report_lifecycle.sql"),
    include_str!("../../migrations/postgres/0009_practice_tenancy.sql"),
];

/// The versions of this build's migration files (`NNNN_name.sql`), in order.
fn versions(db: &common::Db) -> Vec<i64> {
    db.migration_versions()
}

fn files(db: &common::Db) -> [&'static str; 9] {
    if db.is_sqlite() {
        SQLITE
    } else {
        POSTGRES
    }
}

async fn raw(db: &common::Db) -> AnyPool {
    sqlx::any::install_default_drivers();
    let url = match &db.url {
        Some(u) => u.clone(),
        None => format!("sqlite://{}?mode=rwc", db.sqlite_file().display()),
    };
    AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap()
}

/// The former runner, applying versions 1 to `upto`, and a practice with
/// its administrator written as that schema stores them.
async fn hand_migrated(db: &common::Db, upto: usize) -> AnyPool {
    let pool = raw(db).await;
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    BIGINT PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )",
    )
    .execute(&pool)
    .await
    .unwrap();
    for (i, sql) in files(db).iter().take(upto).enumerate() {
        let mut tx = pool.begin().await.unwrap();
        sqlx::raw_sql(sql).execute(&mut *tx).await.unwrap();
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'hand', 0)",
        )
        .bind(i as i64 + 1)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    sqlx::query("INSERT INTO practices (id, name, created_at) VALUES (1, 'Cabinet Ancien', 0)")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO accounts (id, practice_id, username, display_name, role, password_hash, active, created_at, updated_at)
         VALUES (1, 1, 'alice', 'Alice', 'administrateur', 'x', 1, 0, 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool
}

/// (version, checksum, execution time) as sqlx's migrator recorded them.
async fn recorded(pool: &AnyPool) -> Vec<(i64, Vec<u8>, i64)> {
    sqlx::query("SELECT version, checksum, execution_time FROM _sqlx_migrations ORDER BY version")
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

async fn count(pool: &AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// A database the former runner brought to its last schema (9) opens as it is:
/// every version recorded with its file's checksum, none run again (a
/// bridged one has no execution time), its data kept, the former table
/// left as it was; and it opens again the same way.
#[tokio::test]
async fn a_database_of_the_former_runner_opens_without_running_a_migration_again() {
    // The second time, sqlx's table already exists, empty: a bridge
    // interrupted after the table was created is done again in full.
    for table_left_empty in [false, true] {
        let db = common::Db::new().await;
        let pool = hand_migrated(&db, 9).await;
        if table_left_empty {
            let (time, blob) = if db.is_sqlite() {
                ("TIMESTAMP", "BLOB")
            } else {
                ("TIMESTAMPTZ", "BYTEA")
            };
            sqlx::raw_sql(&format!(
                "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
                 installed_on {time} NOT NULL DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL,
                 checksum {blob} NOT NULL, execution_time BIGINT NOT NULL)"
            ))
            .execute(&pool)
            .await
            .unwrap();
        }
        let latest = *versions(&db).last().unwrap();
        for _ in 0..2 {
            let store = db.open().await;
            assert_eq!(store.schema_version().await.unwrap(), latest);
            assert!(store.pending_migrations().await.unwrap().is_empty());
            assert_eq!(store.readiness().await, Ok(()));
            let practices = store.practices().await.unwrap();
            assert_eq!(practices.len(), 1);
            assert_eq!(practices[0].name, "Cabinet Ancien");
            assert_eq!(store.account(1).await.unwrap().username, "alice");
            store.close().await;
            let rows = recorded(&pool).await;
            let all: Vec<i64> = rows.iter().map(|r| r.0).collect();
            assert_eq!(all, versions(&db));
            // The former runner's versions are recorded, never run; the
            // later ones (since the move to sqlx) are run once.
            for (version, _, time) in rows.iter().filter(|r| r.0 > 9) {
                assert_ne!(*time, 0, "version {version} was not run");
            }
            for (i, (version, checksum, time)) in rows.iter().take(9).enumerate() {
                assert_eq!(*version, i as i64 + 1);
                assert_eq!(
                    checksum.as_slice(),
                    Sha384::digest(files(&db)[*version as usize - 1].as_bytes()).as_slice(),
                    "version {version}"
                );
                assert_eq!(*time, 0, "version {version} was run again");
            }
            // The later ones were run, once, by sqlx's migrator (the second
            // opening finds them recorded).
            for (version, _, time) in rows.iter().skip(9) {
                assert_ne!(*time, 0, "version {version}");
            }
            assert_eq!(
                count(&pool, "SELECT COUNT(*) FROM schema_migrations").await,
                9
            );
        }
        pool.close().await;
    }
}

/// A database the former runner left at schema 5: 1 to 5 are recorded as
/// they ran, 6 to 10 are run by sqlx's migrator, and the data are kept.
#[tokio::test]
async fn a_database_of_the_former_runner_at_schema_5_gets_the_migrations_it_lacks() {
    let db = common::Db::new().await;
    let pool = hand_migrated(&db, 5).await;
    let store = db.open().await;
    assert_eq!(
        store.schema_version().await.unwrap(),
        *versions(&db).last().unwrap()
    );
    assert_eq!(store.practices().await.unwrap()[0].name, "Cabinet Ancien");
    store.close().await;
    let rows = recorded(&pool).await;
    let recorded_versions: Vec<i64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(recorded_versions, versions(&db));
    for (version, _, time) in rows {
        // sqlx records a run's duration in nanoseconds: never 0 for one it ran.
        assert_eq!(time == 0, version <= 5, "version {version}");
    }
    // The former table is left as it was.
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM schema_migrations").await,
        5
    );
    pool.close().await;
}

/// A migration file changed after it was applied: the store refuses to
/// open rather than serve a schema that is not the one its files describe.
#[tokio::test]
async fn an_applied_migration_whose_file_changed_is_refused() {
    let db = common::Db::new().await;
    db.open().await.close().await;
    let pool = raw(&db).await;
    sqlx::query("UPDATE _sqlx_migrations SET checksum = $1 WHERE version = 3")
        .bind(vec![0u8; 48])
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let err = sceau_store::Store::open(db.config())
        .await
        .err()
        .expect("a changed migration is refused");
    assert!(err.to_string().contains("migrations"), "{err}");
    assert!(err.to_string().contains('3'), "{err}");
}

/// Main's schema (migrations 1 to 9, run by sqlx's migrator as the store
/// of that version runs them) with two practices, a signed-in session and
/// an API token: the upgrade to login names unique per practice (0011)
/// keeps every account with its id, and the token with its creator, no
/// reference dangles; afterwards a name of one practice can be created in
/// another, not twice in the same. Since schema 14 the session ends and the
/// token, unsigned, is refused as to be replaced (they cannot be signed
/// after the fact).
#[tokio::test]
async fn names_unique_per_practice_from_main_s_schema_keep_accounts_sessions_and_tokens() {
    use sha2::Sha256;
    let db = common::Db::new().await;
    let pool = raw(&db).await;
    // Main's migrations as files, run by sqlx's migrator.
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "accounts",
        "register",
        "duties",
        "audits",
        "recipients",
        "journal_keyed",
        "token_owner",
        "report_lifecycle",
        "practice_tenancy",
    ];
    for (i, (name, sql)) in names.iter().zip(files(&db)).enumerate() {
        std::fs::write(dir.path().join(format!("{:04}_{name}.sql", i + 1)), sql).unwrap();
    }
    sqlx::migrate::Migrator::new(dir.path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    let t = chrono::Utc::now().timestamp();
    let hex = |s: &str| -> String {
        Sha256::digest(s.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let session = "c".repeat(64);
    let token = format!("sceau_{}", "d4".repeat(32));
    for sql in [
        "INSERT INTO practices (id, name, created_at) VALUES (1, 'Cabinet A', $1)",
        "INSERT INTO practices (id, name, created_at) VALUES (2, 'Cabinet B', $1)",
        "INSERT INTO accounts (id, practice_id, username, display_name, role, password_hash, active, created_at, updated_at)
         VALUES (1, 1, 'alice', 'Alice', 'administrateur', 'x', 1, $1, $1)",
        "INSERT INTO accounts (id, practice_id, username, display_name, role, password_hash, active, created_at, updated_at)
         VALUES (2, 2, 'bob', 'Bob', 'administrateur', 'x', 1, $1, $1)",
    ] {
        sqlx::query(sql).bind(t).execute(&pool).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) VALUES ($1, 1, 'csrf', $2, $3)",
    )
    .bind(hex(&session))
    .bind(t)
    .bind(t + 3600)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO api_tokens (id, practice_id, name, prefix, token_hash, created_by, created_at, expires_at, scope)
         VALUES (1, 1, 'ancien', 'sceau_d4', $1, 1, $2, $3, 'ecriture')",
    )
    .bind(hex(&token))
    .bind(t)
    .bind(t + 3600)
    .execute(&pool)
    .await
    .unwrap();
    if !db.is_sqlite() {
        // The ids above were given by hand: PostgreSQL's sequences follow.
        for table in ["practices", "accounts", "api_tokens"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(&pool)
            .await
            .unwrap();
        }
    }
    assert_eq!(
        count(&pool, "SELECT MAX(version) FROM _sqlx_migrations").await,
        9
    );

    let store = db.open().await;
    assert!(store.schema_version().await.unwrap() >= 11);
    assert_eq!(store.account(1).await.unwrap().username, "alice");
    assert_eq!(store.account(2).await.unwrap().practice_id, 2);
    assert!(store.session(&session).await.unwrap().is_none());
    assert!(matches!(
        store.authenticate_token(&token).await,
        Err(sceau_store::StoreError::TokenToReplace)
    ));
    let tok = &store.list_tokens(1).await.unwrap()[0];
    assert_eq!(
        (
            tok.created_by_name.as_deref(),
            tok.practice_id,
            tok.to_replace
        ),
        (Some("Alice"), 1, true)
    );
    // Per practice now.
    let again = store
        .create_account(
            2,
            "alice",
            "Alice B",
            sceau_store::Role::Kinesitherapeute,
            "motdepasse-solide",
        )
        .await
        .unwrap();
    assert_eq!(again.practice_id, 2);
    for p in [1, 2] {
        assert!(matches!(
            store
                .create_account(
                    p,
                    " ALICE ",
                    "Encore",
                    sceau_store::Role::Assistant,
                    "motdepasse-solide"
                )
                .await,
            Err(sceau_store::StoreError::UsernameTaken)
        ));
    }
    assert_eq!(
        store
            .verify_login(Some(2), "alice", "motdepasse-solide")
            .await
            .unwrap()
            .map(|a| a.id),
        Some(again.id)
    );
    assert!(matches!(
        store.verify_login(None, "alice", "motdepasse-solide").await,
        Err(sceau_store::StoreError::PracticeRequired)
    ));
    store.close().await;
    // Migration 14 ended the session (0 left); the token row is kept.
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM api_tokens").await, 1);
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM accounts").await, 3);
    if db.is_sqlite() {
        let dangling = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert!(
            dangling.is_empty(),
            "{} dangling reference(s)",
            dangling.len()
        );
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(ok, "ok");
    }
    pool.close().await;
}
