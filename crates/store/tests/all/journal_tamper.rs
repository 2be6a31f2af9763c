//! Issue 14: tampering with the journal by someone who can write the
//! database and the data folder but has not the key. Each kind is checked
//! by `journal_verify`, then with one ordinary append after the tampering:
//! the append is refused (nothing goes on top of a journal that does not
//! verify) and the journal still does not verify. On SQLite, or on
//! PostgreSQL with SCEAU_TEST_DATABASE_URL.

use crate::common;

use sceau_journal::{Receipt, Tampering};
use sceau_store::journal::NewEntry;
use sceau_store::{Key, Store, StoreError};
use sqlx::AnyPool;

use crate::common::entry;

/// A store with one practice and `n` entries.
async fn journal(db: &common::Db, n: usize) -> (Store, i64) {
    let s = db.open().await;
    let a = s
        .create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap();
    let batch: Vec<NewEntry> = (0..n).map(|i| entry(&format!("séance {i}"))).collect();
    if n > 0 {
        s.journal_append(a.practice_id, "alice", &batch)
            .await
            .unwrap();
    }
    assert!(s.journal_verify(a.practice_id).await.unwrap().intact());
    (s, a.practice_id)
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A connection of the attacker's own, beside the running store.
async fn raw(db: &common::Db) -> AnyPool {
    sqlx::any::install_default_drivers();
    let url = db
        .url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", db.sqlite_file().display()));
    AnyPool::connect(&url).await.unwrap()
}

async fn exec(pool: &AnyPool, sql: &str, practice: i64) {
    sqlx::query(sql).bind(practice).execute(pool).await.unwrap();
}

/// The first break, which must exist.
async fn broken(s: &Store, practice: i64) -> sceau_journal::Break {
    match s.journal_verify(practice).await.unwrap().result {
        Ok(v) => panic!("tampering not seen: {v:?}"),
        Err(b) => b,
    }
}

/// One ordinary append after the tampering: refused with a French message,
/// and the journal still does not verify (nothing was anchored over it).
async fn append_is_refused(s: &Store, practice: i64) {
    match s.journal_append(practice, "alice", &[entry("après")]).await {
        Err(StoreError::Tampered(m)) => {
            assert!(m.contains("ne se vérifie plus"), "{m}");
            assert!(m.contains("Rien n’a été ajouté"), "{m}");
        }
        other => panic!("append on a tampered journal: {other:?}"),
    }
    assert!(!s.journal_verify(practice).await.unwrap().intact());
}

/// The same append from a fresh process (a restart, `sceau journal append`).
async fn append_is_refused_after_restart(db: &common::Db, practice: i64) {
    let s = db.open().await;
    append_is_refused(&s, practice).await;
    s.close().await;
}

#[tokio::test]
async fn wipe_of_every_row_and_the_anchor_is_seen_even_at_zero_entries() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 3).await;
    let pool = raw(&db).await;
    exec(
        &pool,
        "DELETE FROM journal_entries WHERE practice_id = $1",
        a,
    )
    .await;
    exec(
        &pool,
        "DELETE FROM journal_checkpoints WHERE practice_id = $1",
        a,
    )
    .await;
    exec(&pool, "DELETE FROM journal_heads WHERE practice_id = $1", a).await;
    std::fs::remove_file(s.anchor_path(a)).unwrap();
    let b = broken(&s, a).await;
    assert_eq!(b.kind, Tampering::Missing, "{}", b.message);
    assert!(b.message.contains("a disparu"), "{}", b.message);
    append_is_refused(&s, a).await;
    append_is_refused_after_restart(&db, a).await;
}

#[tokio::test]
async fn wipe_of_a_journal_that_never_had_an_entry_is_seen() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 0).await;
    let pool = raw(&db).await;
    exec(&pool, "DELETE FROM journal_heads WHERE practice_id = $1", a).await;
    assert_eq!(broken(&s, a).await.kind, Tampering::Missing);
    append_is_refused(&s, a).await;
}

/// Entries chained after the head with the unkeyed SHA-256 chain, as the
/// attack did; `move_head` also points the head row at the forged tail.
async fn forge_tail(db: &common::Db, s: &Store, a: i64, move_head: bool) {
    let pool = raw(db).await;
    let mut last = s.journal_raw(a).await.unwrap().pop().unwrap();
    for i in 0..2 {
        let mut body = last.body.clone();
        body.recipient = format!("forge{i}");
        body.information = last.body.information.clone();
        let e = sceau_journal::chain(Some(&last), body);
        sqlx::query(
            "INSERT INTO journal_entries (practice_id, seq, at, practice, author, patient, recipient, purpose, action, verdict, basis, information, prev, hash, mac, information_digest)
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(a)
        .bind(e.seq as i64)
        .bind(e.body.at)
        .bind(&e.body.practice)
        .bind(&e.body.author)
        .bind(&e.body.recipient)
        .bind(&e.body.purpose)
        .bind(&e.body.action)
        .bind(&e.body.verdict)
        .bind(serde_json::to_string(&e.body.basis).unwrap())
        .bind(e.body.information.clone())
        .bind(hex::encode(e.prev))
        .bind(hex::encode(e.hash))
        // A MAC of the right shape, not made with the key.
        .bind(hex::encode(e.hash))
        .bind(e.body.information_digest.map(hex::encode))
        .execute(&pool)
        .await
        .unwrap();
        last = e;
    }
    if move_head {
        sqlx::query("UPDATE journal_heads SET seq = $1, hash = $2 WHERE practice_id = $3")
            .bind(last.seq as i64)
            .bind(hex::encode(last.hash))
            .bind(a)
            .execute(&pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn forged_tail_after_the_head_is_seen_and_never_anchored() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 5).await;
    forge_tail(&db, &s, a, false).await;
    let b = broken(&s, a).await;
    assert_eq!((b.seq, b.kind), (6, Tampering::Inserted), "{}", b.message);
    // The page shows what the entries are: unreadable, and the journal not intact.
    let rows = s.journal_entries(a, None).await.unwrap();
    assert!(rows[5].information.is_none());
    append_is_refused(&s, a).await;
    append_is_refused_after_restart(&db, a).await;
    assert_eq!(s.journal_raw(a).await.unwrap().len(), 7);
}

#[tokio::test]
async fn forged_tail_with_the_head_moved_is_seen() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 5).await;
    forge_tail(&db, &s, a, true).await;
    // The first forged entry is named, not the head that points at it.
    let b = broken(&s, a).await;
    assert_eq!((b.seq, b.kind), (6, Tampering::Unsigned), "{}", b.message);
    append_is_refused(&s, a).await;
    append_is_refused_after_restart(&db, a).await;
}

/// Entry 3 changed, the chain recomputed from there, the head pointed at
/// the new last hash, checkpoints and anchor file deleted.
async fn rewrite(db: &common::Db, s: &Store, a: i64) {
    let pool = raw(db).await;
    let entries = s.journal_raw(a).await.unwrap();
    let mut prev = entries[1].clone();
    for old in &entries[2..] {
        let mut body = old.body.clone();
        if old.seq == 3 {
            body.recipient = "employeur".into();
        }
        let e = sceau_journal::chain(Some(&prev), body);
        sqlx::query(
            "UPDATE journal_entries SET recipient = $1, prev = $2, hash = $3 WHERE practice_id = $4 AND seq = $5",
        )
        .bind(&e.body.recipient)
        .bind(hex::encode(e.prev))
        .bind(hex::encode(e.hash))
        .bind(a)
        .bind(e.seq as i64)
        .execute(&pool)
        .await
        .unwrap();
        prev = e;
    }
    sqlx::query("UPDATE journal_heads SET hash = $1 WHERE practice_id = $2")
        .bind(hex::encode(prev.hash))
        .bind(a)
        .execute(&pool)
        .await
        .unwrap();
    exec(
        &pool,
        "DELETE FROM journal_checkpoints WHERE practice_id = $1",
        a,
    )
    .await;
    let _ = std::fs::remove_file(s.anchor_path(a));
}

#[tokio::test]
async fn rewritten_chain_is_seen_and_no_append_writes_over_it() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 120).await;
    rewrite(&db, &s, a).await;
    let b = broken(&s, a).await;
    assert_eq!((b.seq, b.kind), (3, Tampering::Unsigned), "{}", b.message);
    append_is_refused(&s, a).await;
    append_is_refused_after_restart(&db, a).await;
    // Nothing was written: still 120 entries, no anchor file made anew.
    assert_eq!(s.journal_raw(a).await.unwrap().len(), 120);
    assert!(!s.anchor_path(a).exists());
}

/// Entries 3..=8 rewritten without the key and the chain recomputed; the
/// head row's hash moved to the new last entry when `move_head`; the
/// anchor file deleted when `drop_anchor`. Whatever witness is left, the
/// first entry whose MAC fails — n° 3 — is the one named: before, a witness
/// compared first named n° 8 (head untouched) or n° 6-style later entries.
#[tokio::test]
async fn a_rewrite_names_the_first_rewritten_entry_whatever_witness_is_left() {
    for (move_head, drop_anchor) in [(false, false), (true, false), (false, true), (true, true)] {
        let db = common::Db::new().await;
        let (s, a) = journal(&db, 8).await;
        let pool = raw(&db).await;
        let entries = s.journal_raw(a).await.unwrap();
        let mut prev = entries[1].clone();
        for old in &entries[2..] {
            let mut body = old.body.clone();
            body.verdict = "forbidden".into();
            let e = sceau_journal::chain(Some(&prev), body);
            sqlx::query(
                "UPDATE journal_entries SET verdict = $1, prev = $2, hash = $3 WHERE practice_id = $4 AND seq = $5",
            )
            .bind(&e.body.verdict)
            .bind(hex::encode(e.prev))
            .bind(hex::encode(e.hash))
            .bind(a)
            .bind(e.seq as i64)
            .execute(&pool)
            .await
            .unwrap();
            prev = e;
        }
        if move_head {
            sqlx::query("UPDATE journal_heads SET hash = $1 WHERE practice_id = $2")
                .bind(hex::encode(prev.hash))
                .bind(a)
                .execute(&pool)
                .await
                .unwrap();
        }
        if drop_anchor {
            std::fs::remove_file(s.anchor_path(a)).unwrap();
        }
        let b = broken(&s, a).await;
        assert_eq!(
            (b.seq, b.kind),
            (3, Tampering::Unsigned),
            "head moved {move_head}, anchor dropped {drop_anchor}: {}",
            b.message
        );
        assert!(b.message.contains("n° 3"), "{}", b.message);
        append_is_refused(&s, a).await;
        pool.close().await;
        s.close().await;
    }
}

#[tokio::test]
async fn earlier_kinds_altered_removed_reordered_truncated_refuse_the_next_append() {
    // (tampering SQL, expected kind, first bad entry)
    let cases: &[(&str, Tampering, u64)] = &[
        (
            "UPDATE journal_entries SET recipient = 'employeur' WHERE practice_id = $1 AND seq = 4",
            Tampering::Altered,
            4,
        ),
        (
            "DELETE FROM journal_entries WHERE practice_id = $1 AND seq = 4",
            Tampering::Removed,
            4,
        ),
        (
            "UPDATE journal_entries SET seq = CASE seq WHEN 3 THEN 4 ELSE 3 END WHERE practice_id = $1 AND seq IN (3, 4)",
            Tampering::Reordered,
            3,
        ),
        (
            "DELETE FROM journal_entries WHERE practice_id = $1 AND seq > 4",
            Tampering::Truncated,
            5,
        ),
    ];
    for (sql, kind, seq) in cases {
        let db = common::Db::new().await;
        let (s, a) = journal(&db, 6).await;
        let pool = raw(&db).await;
        if sql.contains("CASE") {
            // Unique (practice_id, seq): move through a free number.
            exec(
                &pool,
                "UPDATE journal_entries SET seq = 1000 WHERE practice_id = $1 AND seq = 3",
                a,
            )
            .await;
            exec(
                &pool,
                "UPDATE journal_entries SET seq = 3 WHERE practice_id = $1 AND seq = 4",
                a,
            )
            .await;
            exec(
                &pool,
                "UPDATE journal_entries SET seq = 4 WHERE practice_id = $1 AND seq = 1000",
                a,
            )
            .await;
        } else {
            exec(&pool, sql, a).await;
        }
        let b = broken(&s, a).await;
        assert_eq!((b.seq, b.kind), (*seq, *kind), "{sql}: {}", b.message);
        pool.close().await;
        s.close().await;
        append_is_refused_after_restart(&db, a).await;
    }
}

#[tokio::test]
async fn undecryptable_entry_is_tampering_and_refuses_the_append() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 4).await;
    let pool = raw(&db).await;
    // Entry 2's sealed field swapped with entry 3's: the chain is then
    // recomputed by the attacker, but the value is bound to its place.
    let entries = s.journal_raw(a).await.unwrap();
    sqlx::query("UPDATE journal_entries SET information = $1 WHERE practice_id = $2 AND seq = 2")
        .bind(entries[2].body.information.clone())
        .bind(a)
        .execute(&pool)
        .await
        .unwrap();
    let b = broken(&s, a).await;
    assert_eq!((b.seq, b.kind), (2, Tampering::Altered), "{}", b.message);
    s.close().await;
    append_is_refused_after_restart(&db, a).await;
}

#[tokio::test]
async fn missing_checkpoint_is_tampering() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 101).await;
    let pool = raw(&db).await;
    exec(
        &pool,
        "DELETE FROM journal_checkpoints WHERE practice_id = $1",
        a,
    )
    .await;
    let b = broken(&s, a).await;
    assert_eq!((b.seq, b.kind), (100, Tampering::Missing), "{}", b.message);
    s.close().await;
    append_is_refused_after_restart(&db, a).await;
}

#[tokio::test]
async fn retyped_column_is_reported_as_tampering_not_as_a_database_error() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 3).await;
    let pool = raw(&db).await;
    if db.is_sqlite() {
        // SQLite keeps a text in an INTEGER column: the same effect for a reader.
        exec(
            &pool,
            "UPDATE journal_entries SET at = 'hier' WHERE practice_id = $1 AND seq = 2",
            a,
        )
        .await;
    } else {
        sqlx::query("ALTER TABLE journal_entries ALTER COLUMN at TYPE TEXT")
            .execute(&pool)
            .await
            .unwrap();
    }
    let b = broken(&s, a).await;
    assert!(
        b.message.contains("une colonne n’a plus le type attendu"),
        "{}",
        b.message
    );
    s.close().await;
    append_is_refused_after_restart(&db, a).await;
}

#[tokio::test]
async fn receipts_prove_the_journal_extends_them_and_catch_a_rewrite_by_the_key_holder() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 5).await;
    let r = s.journal_receipt(a).await.unwrap();
    assert_eq!(r.seq, 5);
    s.journal_append(a, "alice", &[entry("x"), entry("y")])
        .await
        .unwrap();
    assert_eq!(s.journal_check_receipt(&r).await.unwrap(), Ok((a, 5)));
    // As a line at the foot of a document, wrapped, it reads the same.
    let text = format!("Lettre…\n{}\n", r.to_line().replace(" hash=", "\nhash="));
    assert_eq!(Receipt::parse(&text).unwrap(), r);
    // A receipt edited (another head) no longer authenticates.
    let mut forged = r.clone();
    forged.seq = 6;
    assert!(s.journal_check_receipt(&forged).await.unwrap().is_err());
    // An export carries its own receipt, and checks against an earlier one without the key.
    let export = s.journal_export(a, None).await.unwrap();
    let c = sceau_journal::export::check_export_against(&export, Some(&r)).unwrap();
    assert_eq!(c.receipt.unwrap().seq, 7);

    // The key holder rewrites the whole journal (same keys, entries replayed
    // differently): it verifies, but the receipt held outside does not hold.
    let key = s.key().clone();
    let wrapped = s.wrapped_keys(Some(a)).await.unwrap();
    let anchor_key = s.practice_keys(a).await.unwrap().anchor_key().unwrap();
    s.close().await;
    let other = common::Db::new().await;
    let mut cfg = other.config();
    cfg.key = Some(key);
    let t = Store::open(cfg).await.unwrap();
    let b = t
        .create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap();
    assert_eq!(b.practice_id, a);
    // The practice's own keys (the key holder has them all), and its
    // journal's origin signed with them.
    let pool = raw(&other).await;
    exec(&pool, "DELETE FROM practice_keys WHERE practice_id = $1", a).await;
    assert_eq!(t.import_wrapped_keys(&wrapped).await.unwrap(), 2);
    let practice = Store::journal_practice(a);
    let origin =
        sceau_journal::Anchor::new(&anchor_key, &practice, 0, sceau_journal::genesis(&practice));
    sqlx::query("UPDATE journal_heads SET mac = $1 WHERE practice_id = $2")
        .bind(hex_of(&origin.mac))
        .bind(a)
        .execute(&pool)
        .await
        .unwrap();
    let batch: Vec<NewEntry> = (0..7).map(|i| entry(&format!("réécrit {i}"))).collect();
    t.journal_append(a, "alice", &batch).await.unwrap();
    assert!(t.journal_verify(a).await.unwrap().intact());
    let m = t.journal_check_receipt(&r).await.unwrap().unwrap_err();
    assert!(m.contains("réécrit"), "{m}");
    let rewritten = t.journal_export(a, None).await.unwrap();
    let e = sceau_journal::export::check_export_against(&rewritten, Some(&r)).unwrap_err();
    assert!(e.message.contains("réécrit"), "{}", e.message);
}

#[tokio::test]
async fn several_processes_on_one_database_share_the_signed_head() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 2).await;
    // A second process: on PostgreSQL with its own data folder (and no
    // anchor file); on SQLite the database lives in the folder, so the same one.
    let second = tempfile::tempdir().unwrap();
    let mut cfg = db.config();
    cfg.key = Some(s.key().clone());
    if !db.is_sqlite() {
        cfg.data_dir = second.path().to_path_buf();
    }
    let t = Store::open(cfg).await.unwrap();
    assert!(t.journal_verify(a).await.unwrap().intact());
    for i in 0..3 {
        s.journal_append(a, "alice", &[entry(&format!("s{i}"))])
            .await
            .unwrap();
        t.journal_append(a, "bob", &[entry(&format!("t{i}"))])
            .await
            .unwrap();
    }
    for store in [&s, &t] {
        let v = store.journal_verify(a).await.unwrap();
        assert_eq!(v.result.unwrap().entries, 8);
    }
    // The head is in the database: a wipe seen by one is seen by the other.
    let pool = raw(&db).await;
    exec(&pool, "DELETE FROM journal_heads WHERE practice_id = $1", a).await;
    assert_eq!(broken(&t, a).await.kind, Tampering::Missing);
    append_is_refused(&t, a).await;
    append_is_refused(&s, a).await;
}

/// The audit's reproducer: the tail cut, the MAC columns dropped, the row of
/// migration 6 deleted so that it runs again, the anchor file deleted.
/// Opening the store (any command, any server) used to sign whatever chain
/// it found; now nothing is signed, verification names entry 1 as never
/// signed, appends are refused, and only an administrator's decision lets
/// the journal continue — its record says the entries were never attested.
#[tokio::test]
async fn a_journal_without_macs_is_never_signed_by_opening_the_store() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 4).await;
    let anchor = s.anchor_path(a);
    s.close().await;
    let pool = raw(&db).await;
    for sql in [
        "DELETE FROM journal_entries WHERE seq >= 3",
        "ALTER TABLE journal_entries DROP COLUMN mac",
        "ALTER TABLE journal_heads DROP COLUMN mac",
        "DELETE FROM _sqlx_migrations WHERE version = 6",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    std::fs::remove_file(&anchor).unwrap();
    for _ in 0..2 {
        let s = db.open().await;
        assert_eq!(s.schema_version().await.unwrap(), db.latest_schema());
        let b = broken(&s, a).await;
        assert_eq!((b.seq, b.kind), (1, Tampering::Unsigned), "{}", b.message);
        assert!(b.message.contains("n° 1"), "{}", b.message);
        assert!(b.message.contains("aucune signature"), "{}", b.message);
        append_is_refused(&s, a).await;
        s.close().await;
    }
    // Nothing was signed: every MAC, the head's too, is still empty.
    let signed: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM journal_entries WHERE mac IS NOT NULL) + (SELECT COUNT(*) FROM journal_heads WHERE mac IS NOT NULL)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(signed, 0);
    assert!(!anchor.exists());
    // Taking it back is an administrator's act, recorded in the journal.
    let s = db.open().await;
    let r = s.journal_resume(a, "alice").await.unwrap();
    // After every number seen: the head row still said 4.
    assert_eq!(r.seq, 5);
    assert!(s.journal_verify(a).await.unwrap().intact());
    let rows = s.journal_entries(a, None).await.unwrap();
    let text = rows.last().unwrap().information.clone().unwrap();
    assert!(text.contains("jamais été attestées"), "{text}");
    assert!(text.contains("du n° 1 au n° 2"), "{text}");
    assert_eq!(
        s.journal_append(a, "alice", &[entry("après")])
            .await
            .unwrap(),
        vec![6]
    );
    // The two legacy entries are still unsigned: the decision signed only itself.
    let signed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM journal_entries WHERE mac IS NOT NULL AND seq < 5",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(signed, 0);
    s.close().await;
}

#[tokio::test]
async fn the_key_backup_opens_only_with_its_passphrase() {
    let key = Key::generate("test");
    let file = sceau_store::key_backup::export(&key, "une phrase assez longue").unwrap();
    assert!(!file.contains(&key.to_base64()));
    let back =
        sceau_store::key_backup::import(&file, "une phrase assez longue", "sauvegarde").unwrap();
    assert_eq!(back.fingerprint(), key.fingerprint());
    assert!(matches!(
        sceau_store::key_backup::import(&file, "une autre phrase longue", "sauvegarde"),
        Err(StoreError::Key(_))
    ));
    assert!(matches!(
        sceau_store::key_backup::export(&key, "courte"),
        Err(StoreError::Invalid(_))
    ));
}

/// After the administrator's decision: the journal verifies on its new
/// segment, the decision is its first entry (who, when, what was found),
/// an ordinary append goes through, the rows found are all still there,
/// and a later change to them is caught.
async fn resume_and_check(db: &common::Db, s: &Store, a: i64, rows_found: usize) {
    let found = broken(s, a).await;
    // Nothing happens before the decision: appends stay refused.
    append_is_refused_after_restart(db, a).await;
    let r = s.journal_resume(a, "alice").await.unwrap();
    assert_eq!(r.author, "alice");
    let v = s.journal_verify(a).await.unwrap();
    assert!(v.intact(), "{:?}", v.result);
    assert_eq!(v.resumptions, vec![r.clone()]);
    // The decision is recorded in the journal itself, readable with the key.
    let rows = s.journal_entries(a, None).await.unwrap();
    let decision = rows.iter().find(|e| e.seq == r.seq).unwrap();
    assert_eq!(decision.author, "alice");
    assert_eq!(decision.purpose, "reprise_apres_alteration");
    let text = decision.information.clone().unwrap();
    assert!(text.contains("Altération du journal constatée"), "{text}");
    assert!(text.contains(&found.message), "{text} / {}", found.message);
    // Nothing found was removed or rewritten.
    assert_eq!(rows.len(), rows_found + 1);
    // One ordinary append after the decision, verified by this store and a restarted one.
    let seqs = s
        .journal_append(a, "alice", &[entry("après la reprise")])
        .await
        .unwrap();
    assert_eq!(seqs, vec![r.seq + 1]);
    assert!(s.journal_verify(a).await.unwrap().intact());
    // Its export checks without the key from the decision on.
    let export = s.journal_export(a, None).await.unwrap();
    let c = sceau_journal::export::check_export(&export).unwrap();
    assert_eq!(c.segment_from, Some(r.seq));
    let t = db.open().await;
    assert!(t.journal_verify(a).await.unwrap().intact());
    // A second decision on an intact journal is refused.
    match t.journal_resume(a, "alice").await {
        Err(StoreError::Invalid(m)) => assert!(m.contains("se vérifie"), "{m}"),
        other => panic!("resume of an intact journal: {other:?}"),
    }
    t.close().await;
}

#[tokio::test]
async fn an_administrator_resumes_after_each_tampering_kind_and_nothing_is_overwritten() {
    // Wipe: every row and the anchor.
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 3).await;
    let pool = raw(&db).await;
    for t in ["journal_entries", "journal_checkpoints", "journal_heads"] {
        exec(&pool, &format!("DELETE FROM {t} WHERE practice_id = $1"), a).await;
    }
    std::fs::remove_file(s.anchor_path(a)).unwrap();
    resume_and_check(&db, &s, a, 0).await;
    s.close().await;

    // Forged tail (head left, and head moved).
    for move_head in [false, true] {
        let db = common::Db::new().await;
        let (s, a) = journal(&db, 5).await;
        forge_tail(&db, &s, a, move_head).await;
        resume_and_check(&db, &s, a, 7).await;
        // Numbers are never reused: the decision follows the forged entries.
        assert_eq!(s.journal_verify(a).await.unwrap().resumptions[0].seq, 8);
        s.close().await;
    }

    // Rewrite of a chain with checkpoints, the anchor deleted.
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 120).await;
    rewrite(&db, &s, a).await;
    resume_and_check(&db, &s, a, 120).await;
    s.close().await;

    // The earlier kinds.
    for sql in [
        "UPDATE journal_entries SET recipient = 'employeur' WHERE practice_id = $1 AND seq = 4",
        "DELETE FROM journal_entries WHERE practice_id = $1 AND seq = 4",
        "DELETE FROM journal_entries WHERE practice_id = $1 AND seq > 4",
    ] {
        let db = common::Db::new().await;
        let (s, a) = journal(&db, 6).await;
        let pool = raw(&db).await;
        exec(&pool, sql, a).await;
        let left = s.journal_raw(a).await.unwrap().len();
        resume_and_check(&db, &s, a, left).await;
        s.close().await;
    }
}

#[tokio::test]
async fn rows_kept_after_a_decision_stay_verifiable() {
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 6).await;
    let before = s.journal_receipt(a).await.unwrap();
    let early = Receipt::new(
        &s.practice_keys(a).await.unwrap().anchor_key().unwrap(),
        &Store::journal_practice(a),
        3,
        s.journal_raw(a).await.unwrap()[2].hash,
        0,
    );
    let pool = raw(&db).await;
    exec(
        &pool,
        "UPDATE journal_entries SET recipient = 'employeur' WHERE practice_id = $1 AND seq = 5",
        a,
    )
    .await;
    let r = s.journal_resume(a, "alice").await.unwrap();
    assert_eq!(r.seq, 7);
    // A receipt from before the tampering: entry 3 still leads from the
    // genesis hash; the head at 6 does not (entry 5 was changed).
    assert_eq!(s.journal_check_receipt(&early).await.unwrap(), Ok((a, 3)));
    let m = s.journal_check_receipt(&before).await.unwrap().unwrap_err();
    assert!(m.contains("reprise du n° 7"), "{m}");
    // A receipt after the decision holds while the segment is extended.
    s.journal_append(a, "alice", &[entry("x")]).await.unwrap();
    let after = s.journal_receipt(a).await.unwrap();
    s.journal_append(a, "alice", &[entry("y")]).await.unwrap();
    assert_eq!(s.journal_check_receipt(&after).await.unwrap(), Ok((a, 8)));
    // Then the rows kept as found are changed again: caught, and refused.
    exec(
        &pool,
        "DELETE FROM journal_entries WHERE practice_id = $1 AND seq = 2",
        a,
    )
    .await;
    let b = broken(&s, a).await;
    assert_eq!((b.seq, b.kind), (7, Tampering::Altered), "{}", b.message);
    assert!(b.message.contains("depuis cette décision"), "{}", b.message);
    append_is_refused_after_restart(&db, a).await;
    // Deleting the decision itself breaks the segment it opened.
    let db = common::Db::new().await;
    let (s, a) = journal(&db, 4).await;
    let pool = raw(&db).await;
    exec(
        &pool,
        "DELETE FROM journal_entries WHERE practice_id = $1 AND seq = 2",
        a,
    )
    .await;
    let r = s.journal_resume(a, "alice").await.unwrap();
    s.journal_append(a, "alice", &[entry("z")]).await.unwrap();
    exec(
        &pool,
        &format!(
            "DELETE FROM journal_entries WHERE practice_id = $1 AND seq = {}",
            r.seq
        ),
        a,
    )
    .await;
    assert!(!s.journal_verify(a).await.unwrap().intact());
    append_is_refused_after_restart(&db, a).await;
}

/// The other side: no tampering is seen where there is none. Another
/// process (a second `sceau serve` node) appends while this one verifies
/// again and again: a verification reads entries, checkpoints and head in
/// one snapshot, so it never finds the head ahead of its rows (CI saw a
/// false « la fin du journal a été coupée » when they were read apart).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verifying_beside_another_writer_never_sees_a_false_break() {
    let db = common::Db::new().await;
    let (writer, practice) = journal(&db, 1).await;
    let reader = db.open().await;
    let appends = tokio::spawn(async move {
        for i in 0..120 {
            writer
                .journal_append(practice, "alice", &[entry(&format!("séance {i}"))])
                .await
                .unwrap();
        }
        writer
    });
    let mut verified = 0;
    while !appends.is_finished() {
        let v = reader.journal_verify(practice).await.unwrap();
        assert!(
            v.intact(),
            "false break after {verified} verifications: {:?}",
            v.result
        );
        verified += 1;
    }
    let writer = appends.await.unwrap();
    // The verifications overlapped the appends (not all before or after).
    assert!(
        verified >= 3,
        "only {verified} verifications during 120 appends"
    );
    let v = reader.journal_verify(practice).await.unwrap();
    assert_eq!(v.result.unwrap().head_seq, 121);
    writer.close().await;
    reader.close().await;
}
