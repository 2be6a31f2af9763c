//! A key per practice wrapped by the master key (issue 17), on SQLite or
//! (with SCEAU_TEST_DATABASE_URL) PostgreSQL: a database built by the code
//! before schema 10 opens and is migrated; rotating a practice's key
//! re-encrypts that practice only and its journal keeps verifying;
//! rotating the master key re-wraps and the old one opens nothing;
//! deleting a practice leaves its rows unreadable in an older backup.

use crate::common;

use std::path::Path;

use sceau_store::crypto::sealed_version;
use sceau_store::journal::NewEntry;
use sceau_store::register::{NewConsent, NewPatient};
use sceau_store::{Key, Store, StoreError};
use sqlx::{AnyPool, Row};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/legacy-0009");

use crate::common::entry;

async fn raw(db: &common::Db) -> AnyPool {
    sqlx::any::install_default_drivers();
    let url = db
        .url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", db.sqlite_file().display()));
    AnyPool::connect(&url).await.unwrap()
}

/// The stored (sealed) names of a practice's patients.
async fn sealed_names(pool: &AnyPool, practice: i64) -> Vec<Vec<u8>> {
    sqlx::query("SELECT display_name FROM patients WHERE practice_id = $1 ORDER BY id")
        .bind(practice)
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<Vec<u8>, _>(0))
        .collect()
}

async fn open_with(db: &common::Db, key: &Key) -> Result<Store, StoreError> {
    let mut cfg = db.config();
    cfg.key = Some(key.clone());
    Store::open(cfg).await
}

/// A practice with a patient, a consent and `n` journal entries.
async fn practice(s: &Store, name: &str, user: &str, n: usize) -> (i64, String) {
    let a = s
        .create_practice(name, user, "Quelqu’un", "motdepasse-solide")
        .await
        .unwrap()
        .practice_id;
    let p = s
        .create_patient(
            a,
            user,
            &NewPatient {
                display_name: format!("Patient de {name}"),
                birth_date: None,
                reference: Some("DOS-1".into()),
                deceased_on: None,
            },
        )
        .await
        .unwrap();
    s.add_consent(
        a,
        &p.id,
        &NewConsent {
            recipient: "professionnel_hors_equipe".into(),
            professional: None,
            rpps: None,
            what: format!("bilan de {name}"),
            purpose: None,
            method: "ecrit".into(),
            given_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 5),
            until: None,
        },
    )
    .await
    .unwrap();
    let batch: Vec<NewEntry> = (0..n).map(|i| entry(&format!("{name} {i}"))).collect();
    s.journal_append(a, user, &batch).await.unwrap();
    (a, p.id)
}

async fn readable(s: &Store, a: i64, name: &str, entries: u64) {
    let patients = s.list_patients(a).await.unwrap();
    assert_eq!(patients[0].display_name, format!("Patient de {name}"));
    let consents = s.consents(a, &patients[0].id).await.unwrap();
    assert_eq!(consents[0].what, format!("bilan de {name}"));
    // Signed by what it says, not its ciphertext: a rotation, a backup and
    // its restoration keep it signed.
    assert!(!consents[0].altered);
    let v = s.journal_verify(a).await.unwrap();
    assert_eq!(v.result.unwrap().entries, entries);
    let infos = s.journal_entries(a, None).await.unwrap();
    assert!(infos.iter().all(|e| e.information.is_some()));
}

/// The fixture was written by main's code at schema 9 (one key sealing
/// everything; the database file itself is not kept in the repository, its
/// `sceau backup` archive is): the archive restores (both dialects), and the
/// register is
/// re-encrypted under a new data key per practice, the journal (sealed and
/// signed with the former key, now each practice's version 0) verifying.
#[tokio::test]
async fn a_database_built_with_one_key_opens_and_each_practice_gets_its_own() {
    let key = Key::from_base64(
        &std::fs::read_to_string(Path::new(FIXTURE).join("master-key.b64")).unwrap(),
        "fixture",
    )
    .unwrap();
    let archive = std::fs::read(Path::new(FIXTURE).join("backup-0009.sceau")).unwrap();
    let mut dbs = vec![];
    let restored = common::Db::new().await;
    let t = open_with(&restored, &key).await.unwrap();
    t.restore(&archive).await.unwrap();
    t.close().await;
    dbs.push(restored);
    for db in &dbs {
        for _ in 0..2 {
            // Twice: the second start finds nothing left to migrate.
            let s = open_with(db, &key).await.unwrap();
            assert_eq!(s.schema_version().await.unwrap(), db.latest_schema());
            let names = ["Théodorine Vasquez-Quillard", "Anatole Brisemiche"];
            for (a, name) in [(1, names[0]), (2, names[1])] {
                let p = &s.list_patients(a).await.unwrap()[0];
                assert_eq!(p.display_name, name);
                assert_eq!(p.reference.as_deref(), Some("DOS-0042"));
                let c = s.consents(a, &p.id).await.unwrap();
                assert_eq!(c[0].what, "bilan articulaire de l’épaule");
                let o = s.oppositions(a, &p.id).await.unwrap();
                assert_eq!(o[0].what, "ne veut pas que son employeur soit informé");
                assert_eq!(s.reports(a).await.unwrap()[0].letter, "Lettre au procureur");
                assert_eq!(
                    s.journal_verify(a).await.unwrap().result.unwrap().entries,
                    3
                );
                let infos: Vec<_> = s
                    .journal_entries(a, None)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|e| e.information.unwrap())
                    .collect();
                assert_eq!(infos[2], "bilan kiné n° 2");
                let versions: Vec<u32> = s
                    .wrapped_keys(Some(a))
                    .await
                    .unwrap()
                    .iter()
                    .map(|k| k.version)
                    .collect();
                assert_eq!(versions, [0, 1]);
                assert_eq!(s.key_status(a).await.unwrap().practice_version, 1);
            }
            let pool = raw(db).await;
            for a in [1, 2] {
                for sealed in sealed_names(&pool, a).await {
                    assert_eq!(sealed_version(&sealed), Some(1), "re-encrypted");
                }
            }
            pool.close().await;
            s.close().await;
        }
        // And the journal goes on after the migration.
        let s = open_with(db, &key).await.unwrap();
        assert_eq!(
            s.journal_append(1, "alice", &[entry("après")])
                .await
                .unwrap(),
            [4]
        );
        assert!(s.journal_verify(1).await.unwrap().intact());
        s.close().await;
    }
}

#[tokio::test]
async fn rotating_a_practice_key_reencrypts_that_practice_only_and_its_journal_verifies() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = practice(&s, "Cabinet A", "alice", 3).await;
    let (b, _) = practice(&s, "Cabinet B", "bob", 2).await;
    let receipt = s.journal_receipt(a).await.unwrap();
    let pool = raw(&db).await;
    let (a_before, b_before) = (sealed_names(&pool, a).await, sealed_names(&pool, b).await);

    let (version, n) = s.rotate_practice_key(a).await.unwrap();
    assert_eq!(version, 2);
    assert!(n >= 3, "name, reference and consent re-encrypted: {n}");
    let a_after = sealed_names(&pool, a).await;
    assert_ne!(a_after, a_before);
    assert_eq!(sealed_version(&a_after[0]), Some(2));
    assert_eq!(
        sealed_names(&pool, b).await,
        b_before,
        "the other practice untouched"
    );
    let versions: Vec<u32> = s
        .wrapped_keys(Some(a))
        .await
        .unwrap()
        .iter()
        .map(|k| k.version)
        .collect();
    assert_eq!(versions, [0, 2], "the previous data key is destroyed");
    // The journal's key is not the data key: the chain, its signatures and
    // the receipt given before all hold, here and in another process.
    readable(&s, a, "Cabinet A", 3).await;
    assert_eq!(s.journal_check_receipt(&receipt).await.unwrap(), Ok((a, 3)));
    assert_eq!(
        s.journal_append(a, "alice", &[entry("après")])
            .await
            .unwrap(),
        [4]
    );
    let status = s.key_status(a).await.unwrap();
    assert_eq!(status.practice_version, 2);
    assert!(status.practice_rotated_at.is_some());
    s.close().await;
    let t = db.open().await;
    readable(&t, a, "Cabinet A", 4).await;
    readable(&t, b, "Cabinet B", 2).await;
    assert_eq!(t.journal_check_receipt(&receipt).await.unwrap(), Ok((a, 3)));
    t.close().await;
    pool.close().await;
}

#[tokio::test]
async fn rotating_the_master_key_rewraps_every_practice_key_and_the_old_one_opens_nothing() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = practice(&s, "Cabinet A", "alice", 2).await;
    let (b, _) = practice(&s, "Cabinet B", "bob", 1).await;
    let old = s.key().clone();
    let pool = raw(&db).await;
    let before = (sealed_names(&pool, a).await, sealed_names(&pool, b).await);
    let new = Key::generate("nouvelle");
    assert_eq!(s.rotate_master_key(&new).await.unwrap(), 2);
    s.close().await;
    // Nothing re-encrypted; every practice key wrapped anew.
    assert_eq!(
        (sealed_names(&pool, a).await, sealed_names(&pool, b).await),
        before
    );
    let refused = open_with(&db, &old)
        .await
        .err()
        .expect("the old key is refused");
    assert!(matches!(refused, StoreError::Key(_)), "{refused}");
    let t = open_with(&db, &new).await.unwrap();
    let wrapped = t.wrapped_keys(None).await.unwrap();
    assert_eq!(wrapped.len(), 4);
    // Even past the fingerprint's check, the old key unwraps none of them.
    let b64 = base64_decode;
    for k in &wrapped {
        let aad = format!("practice-key/{}/{}", k.practice_id, k.version);
        assert!(old.open(&aad, &b64(&k.wrapped)).is_err());
        assert!(new.open(&aad, &b64(&k.wrapped)).is_ok());
    }
    readable(&t, a, "Cabinet A", 2).await;
    readable(&t, b, "Cabinet B", 1).await;
    let status = t.key_status(a).await.unwrap();
    assert_eq!(status.master_version, 2);
    assert!(status.master_rotated_at.is_some());
    t.close().await;
    pool.close().await;
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// Back up, delete a practice, restore the old backup with the key backup
/// made after the deletion: the deleted practice's rows are there and do
/// not decrypt; the other practice reads. With a key backup made before
/// the deletion (the limit SECURITY.md states), they would.
#[tokio::test]
async fn a_deleted_practice_stays_unreadable_in_a_backup_made_before() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, pa) = practice(&s, "Cabinet A", "alice", 2).await;
    let (b, _) = practice(&s, "Cabinet B", "bob", 1).await;
    let (archive, _) = s.backup().await.unwrap();
    let keys_before = s.wrapped_keys(None).await.unwrap();
    assert!(s.delete_practice(a).await.unwrap() > 0);
    let phrase = "une phrase assez longue";
    let file = sceau_store::key_backup::export_with_keys(
        s.key(),
        &s.wrapped_keys(None).await.unwrap(),
        phrase,
    )
    .unwrap();
    let keys_file = s.keys_file().await.unwrap();
    let master = s.key().clone();
    s.close().await;

    // The keys from: the key backup after the deletion, the keys file
    // `sceau backup` writes after it, a key backup made before it.
    for (from, expect_readable) in [("after", false), ("file", false), ("before", true)] {
        let target = common::Db::new().await;
        let (key, wrapped) = match from {
            "before" => (master.clone(), keys_before.clone()),
            _ => sceau_store::key_backup::import_with_keys(&file, phrase, "sauvegarde").unwrap(),
        };
        let t = open_with(&target, &key).await.unwrap();
        if from == "file" {
            assert_eq!(t.import_keys_file(&keys_file).await.unwrap(), 2);
        } else {
            t.import_wrapped_keys(&wrapped).await.unwrap();
        }
        t.restore(&archive).await.unwrap();
        readable(&t, b, "Cabinet B", 1).await;
        let pool = raw(&target).await;
        let rows = sealed_names(&pool, a).await;
        assert_eq!(rows.len(), 1, "the rows are restored as they were");
        match t.patient(a, &pa).await {
            Ok(p) => assert!(expect_readable, "{}", p.display_name),
            Err(StoreError::Key(m)) => {
                assert!(!expect_readable);
                assert!(m.contains("introuvables"), "{m}");
                // Nor does the master key open them directly.
                let aad = format!("patients.display_name/{a}/{pa}");
                assert!(master.open(&aad, &rows[0]).is_err());
                let v = t.journal_verify(a).await.unwrap();
                assert!(!v.intact());
            }
            Err(e) => panic!("{e}"),
        }
        pool.close().await;
        t.close().await;
    }
}

/// A practice alone on the server gets its key backup; a flood of them runs
/// on the bounded hashing threads (Argon2id, 64 MiB each): beyond the queue
/// they are refused `Busy` (the web answers 429) instead of each taking a
/// blocking thread and its 64 MiB — an audit took the server from 275 MB to
/// 2.8 GB with 40 at once. Once a second practice exists, none is given.
#[tokio::test]
async fn key_backups_are_bounded_and_never_given_on_a_shared_server() {
    let db = common::Db::new().await;
    let s = std::sync::Arc::new(db.open().await);
    let (a, _) = practice(&s, "Cabinet A", "alice", 1).await;
    let phrase = "une phrase assez longue";
    let file = s.practice_key_backup(a, phrase.into()).await.unwrap();
    let (back, wrapped) =
        sceau_store::key_backup::import_with_keys(&file, phrase, "sauvegarde").unwrap();
    assert_eq!(back.fingerprint(), s.key().fingerprint());
    assert!(!wrapped.is_empty() && wrapped.iter().all(|k| k.practice_id == a));
    // 40 at once: some refused Busy, none failing otherwise.
    let runs: Vec<_> = (0..40)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.practice_key_backup(a, phrase.into()).await })
        })
        .collect();
    let (mut made, mut busy) = (0, 0);
    for r in runs {
        match r.await.unwrap() {
            Ok(_) => made += 1,
            Err(StoreError::Busy) => busy += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert!(made >= 1 && busy >= 1, "made {made}, busy {busy}");
    // A second practice: the master key would open its keys too.
    practice(&s, "Cabinet B", "bob", 1).await;
    assert!(s.hosts_several_practices().await.unwrap());
    match s.practice_key_backup(a, phrase.into()).await {
        Err(StoreError::Invalid(m)) => assert!(m.contains("sceau key backup"), "{m}"),
        r => panic!("{:?}", r.map(|_| "a file")),
    }
}
