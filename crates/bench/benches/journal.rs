//! The journal: durable appends per second on SQLite (WAL,
//! synchronous=FULL) and on PostgreSQL (when SCEAU_TEST_DATABASE_URL names
//! a server), one writer then many writers sharing group commits; then
//! chain verification in MB/s against `sha256sum` of the same bytes.
//!
//! Every append is acknowledged only once committed and anchored, so the
//! figures count durable writes. Not a criterion bench: a run writes for a
//! fixed time and reports rates, which criterion's per-iteration model
//! would distort (each iteration grows the journal).
//!
//! Options (after `--`): `--seconds N` per figure (default 3).

use std::io::Write;
use std::time::{Duration, Instant};

use sceau_journal::{canonical, chain, Body, Entry};
use sceau_store::journal::NewEntry;
use sceau_store::{HashCost, Key, Store, StoreConfig};

fn entry() -> NewEntry {
    NewEntry {
        patient: None,
        recipient: "procureur".into(),
        purpose: "signalement".into(),
        action: "disclosed".into(),
        verdict: "allowed".into(),
        basis: vec!["cp:226-14:2".into()],
        information: "constatations de la séance".into(),
    }
}

async fn open(dir: &std::path::Path, url: Option<String>) -> (Store, i64) {
    let mut cfg = StoreConfig::new(dir, url);
    cfg.cost = HashCost::Fast;
    cfg.key = Some(Key::generate("bench"));
    let s = Store::open(cfg).await.expect("store opens");
    let p = s
        .create_first_admin("Cabinet", "alice", "Alice", "motdepasse-solide")
        .await
        .expect("practice");
    (s, p.practice_id)
}

/// Appends per second with `writers` tasks appending one entry at a time.
async fn rate(s: &Store, practice: i64, writers: usize, secs: f64) -> f64 {
    let stop = Instant::now() + Duration::from_secs_f64(secs);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..writers {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < stop {
                s.journal_append(practice, "alice", &[entry()])
                    .await
                    .expect("append");
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.expect("writer");
    }
    total as f64 / start.elapsed().as_secs_f64()
}

async fn appends(name: &str, url: Option<String>, secs: f64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (s, practice) = open(dir.path(), url).await;
    let one = rate(&s, practice, 1, secs).await;
    let many = rate(&s, practice, 64, secs).await;
    println!(
        "journal/{name}: durable appends/s, 1 writer {one:.0}; 64 writers (group commit) {many:.0}; ratio {:.1}",
        many / one
    );
    let t = Instant::now();
    let v = s.journal_verify(practice).await.expect("verify");
    let n = v.result.as_ref().map(|r| r.entries).unwrap_or(0);
    assert!(v.intact(), "the benchmark's journal verifies");
    println!(
        "journal/{name}: verification from the database of {n} entries in {:.3} s ({:.0} entries/s)",
        t.elapsed().as_secs_f64(),
        n as f64 / t.elapsed().as_secs_f64()
    );
    s.close().await;
}

/// Chain verification in memory against `sha256sum` of the same canonical bytes.
fn verification() {
    let body = |i: u64| Body {
        at: 1_780_000_000 + i as i64,
        practice: "1".into(),
        author: "alice".into(),
        patient: i.is_multiple_of(2).then(|| format!("pat_{i:08x}")),
        recipient: "procureur".into(),
        purpose: "signalement".into(),
        action: "disclosed".into(),
        verdict: "allowed".into(),
        basis: vec!["cp:226-14:2".into()],
        information: vec![0xa5; 64],
        // Entries of version 1, as when the figures of BENCHMARKS.md were measured.
        information_digest: None,
    };
    let mut entries: Vec<Entry> = Vec::with_capacity(200_000);
    for i in 0..200_000u64 {
        let e = chain(entries.last(), body(i));
        entries.push(e);
    }
    let mut bytes = Vec::new();
    for e in &entries {
        bytes.extend_from_slice(&canonical(e.seq, &e.body));
    }
    let mb = bytes.len() as f64 / 1e6;
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let r = sceau_journal::verify("1", &entries, None, b"no anchor");
        assert!(r.is_ok(), "the chain verifies");
        best = best.min(t.elapsed().as_secs_f64());
    }
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(&bytes).expect("write");
    file.flush().expect("flush");
    let mut sha = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let out = std::process::Command::new("sha256sum")
            .arg(file.path())
            .output()
            .expect("sha256sum runs");
        assert!(out.status.success());
        sha = sha.min(t.elapsed().as_secs_f64());
    }
    println!(
        "journal/verify: {} entries, {mb:.1} MB canonical; verify {:.0} MB/s; sha256sum {:.0} MB/s; ratio {:.2}",
        entries.len(),
        mb / best,
        mb / sha,
        sha / best
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return; // cargo bench -- --list
    }
    let secs = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    verification();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        appends("sqlite", None, secs).await;
        match sceau_store::testing::fresh_database_url().await {
            Some(url) => appends("postgresql", Some(url), secs).await,
            None => println!("journal/postgresql: skipped (set SCEAU_TEST_DATABASE_URL)"),
        }
    });
}
