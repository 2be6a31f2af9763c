//! Two `sceau serve` processes on one PostgreSQL database, each with its
//! own data folder (two nodes behind a proxy), appending to one practice's
//! journal at the same time through the API, as clients would (issue 14:
//! the head, anchors, checkpoints and receipts shared by several processes).
//! Afterwards: every acknowledged entry is in the journal exactly once, at
//! the number it was acknowledged with, numbers 1 to N with no gap; the
//! signed head is N; one checkpoint at every multiple of
//! `CHECKPOINT_EVERY`, no more; each node's anchor file is a prefix;
//! `sceau journal verify` says intact from either data folder; and every
//! receipt handed out meanwhile — in the FHIR bundles each node served and
//! in the files each node's periodic writer (`--receipt-dir`) wrote — is
//! held by the final journal, both nodes' last receipts naming the same
//! head. The SIGKILL test (`main.rs`) covers appends of one process.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::server::{http, json, rt, Db, Server};

/// Entries to reach: enough for two checkpoints.
const TARGET: usize = 2 * sceau_store::journal::CHECKPOINT_EVERY as usize + 30;
/// Writers per server.
const WRITERS: usize = 4;

/// What the clients saw: (seq, marker, node) acknowledged, anything else refused.
#[derive(Default)]
struct Seen {
    acked: Mutex<Vec<(u64, String, usize)>>,
    refused: Mutex<Vec<String>>,
    /// The receipt lines of the FHIR bundles served during the load.
    receipts: Mutex<Vec<String>>,
}

fn writer(
    node: usize,
    w: usize,
    addr: String,
    token: String,
    stop: Arc<AtomicBool>,
    seen: Arc<Seen>,
) {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let marker = format!("noeud{node}-w{w}-{n}");
        let body = super::journal_entry(&marker);
        match http(
            &addr,
            "POST",
            "/api/v1/journal",
            Some(&token),
            Some(("application/json", &body)),
        ) {
            Ok((201, b)) => {
                let seq = json(&b)["seq"].as_u64().expect("seq");
                let mut acked = seen.acked.lock().unwrap();
                acked.push((seq, marker, node));
                if acked.len() >= TARGET {
                    stop.store(true, Ordering::Relaxed);
                }
            }
            Ok((status, b)) => seen.refused.lock().unwrap().push(format!(
                "node {node}: {status} {}",
                b.chars().take(300).collect::<String>()
            )),
            Err(e) => seen
                .refused
                .lock()
                .unwrap()
                .push(format!("node {node}: {e}")),
        }
    }
}

/// A client exporting the journal as a FHIR bundle now and then, keeping
/// the receipt it carries.
fn exporter(addr: String, token: String, stop: Arc<AtomicBool>, seen: Arc<Seen>) {
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(250));
        match http(&addr, "GET", "/api/v1/journal/fhir", Some(&token), None) {
            Ok((200, b)) => match json(&b)["meta"]["tag"][0]["code"].as_str() {
                Some(line) => seen.receipts.lock().unwrap().push(line.to_string()),
                None => seen
                    .refused
                    .lock()
                    .unwrap()
                    .push(format!("bundle without a receipt: {}", json(&b)["meta"])),
            },
            r => seen.refused.lock().unwrap().push(format!("fhir: {r:?}")),
        }
    }
}

/// `sceau journal verify --json` from this data folder with these
/// receipts: (exit success, output).
fn cli_verify(db: &Db, receipts: &[PathBuf]) -> (bool, serde_json::Value) {
    let mut c = std::process::Command::new(super::server::bin());
    c.args(["journal", "verify", "--json", "--data-dir"])
        .arg(&db.dir)
        .env_remove("SCEAU_KEY")
        .env_remove("SCEAU_DATABASE_URL");
    if let Some(u) = &db.url {
        c.args(["--database-url", u]);
    }
    for r in receipts {
        c.arg("--receipt").arg(r);
    }
    let out = c.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let v = serde_json::from_str(&text).unwrap_or_else(|_| {
        panic!(
            "sceau journal verify: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), v)
}

/// The receipt files a node's periodic writer left in `dir`, by the head they name.
fn receipt_files(dir: &Path) -> BTreeMap<u64, PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
            Some((v["seq"].as_u64()?, p))
        })
        .collect()
}

#[test]
#[ignore = "needs PostgreSQL (SCEAU_TEST_DATABASE_URL): the postgres step of scripts/test runs it"]
fn two_servers_on_one_postgres_share_the_journal_head() {
    let url = std::env::var(sceau_store::testing::TEST_DATABASE_ENV).unwrap_or_default();
    assert!(
        !url.trim().is_empty(),
        "two servers on one database need PostgreSQL: set SCEAU_TEST_DATABASE_URL"
    );
    let started = Instant::now();
    let receipt_dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let mut first = Db::new(true);
    let mut second = first.twin();
    for (db, dir) in [&mut first, &mut second].into_iter().zip(&receipt_dirs) {
        db.args = vec![
            "--receipt-dir".into(),
            dir.path().display().to_string(),
            "--receipt-every".into(),
            "1".into(),
        ];
    }
    let nodes = [Server::start(&first), Server::start(&second)];

    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Seen::default());
    let mut threads = vec![];
    for (node, srv) in nodes.iter().enumerate() {
        for w in 0..WRITERS {
            let (a, t, s, y) = (
                srv.addr.clone(),
                first.token.clone(),
                stop.clone(),
                seen.clone(),
            );
            threads.push(std::thread::spawn(move || writer(node, w, a, t, s, y)));
        }
        let (a, t, s, y) = (
            srv.addr.clone(),
            first.token.clone(),
            stop.clone(),
            seen.clone(),
        );
        threads.push(std::thread::spawn(move || exporter(a, t, s, y)));
    }
    let deadline = Instant::now() + Duration::from_secs(40);
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let load_secs = started.elapsed().as_secs_f64();
    let refused = seen.refused.lock().unwrap().clone();
    assert!(refused.is_empty(), "refused or cut: {refused:?}");
    let acked = seen.acked.lock().unwrap().clone();
    let n = acked.len();
    assert!(
        n >= TARGET,
        "only {n} entries acknowledged in 40 s (logs: {} / {})",
        nodes[0].log(),
        nodes[1].log()
    );
    // Both nodes wrote, interleaved: the head really moved under each.
    let mut by_seq: Vec<&(u64, String, usize)> = acked.iter().collect();
    by_seq.sort_by_key(|a| a.0);
    let switches = by_seq.windows(2).filter(|w| w[0].2 != w[1].2).count();
    assert!(
        switches > 10,
        "the nodes barely interleaved ({switches} switches)"
    );

    // Every acknowledged entry exactly once, at its number; 1..=N, no gap.
    let (st, body) = http(
        &nodes[1].addr,
        "GET",
        "/api/v1/journal",
        Some(&first.token),
        None,
    )
    .unwrap();
    assert_eq!(st, 200, "{body}");
    let entries = json(&body);
    let entries = entries.as_array().unwrap();
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(
        seqs,
        (1..=n as u64).collect::<Vec<_>>(),
        "numbers 1 to {n}, each once"
    );
    let mut stored: HashMap<&str, Vec<u64>> = HashMap::new();
    for e in entries {
        stored
            .entry(e["information"].as_str().unwrap())
            .or_default()
            .push(e["seq"].as_u64().unwrap());
    }
    for (seq, marker, node) in &acked {
        assert_eq!(
            stored.get(marker.as_str()),
            Some(&vec![*seq]),
            "entry {marker} acknowledged by node {node} as n° {seq}"
        );
    }

    // Each node's periodic writer catches up with the final head.
    let wait = Instant::now() + Duration::from_secs(10);
    while receipt_dirs
        .iter()
        .any(|d| receipt_files(d.path()).last_key_value().map(|r| *r.0) != Some(n as u64))
        && Instant::now() < wait
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    let files: Vec<BTreeMap<u64, PathBuf>> = receipt_dirs
        .iter()
        .map(|d| receipt_files(d.path()))
        .collect();
    let last: Vec<serde_json::Value> = files
        .iter()
        .map(|f| {
            let (seq, p) = f.last_key_value().expect("the node wrote receipts");
            assert_eq!(*seq, n as u64, "last receipt of a node: {p:?}");
            serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
        })
        .collect();
    assert_eq!(
        last[0]["hash"], last[1]["hash"],
        "the two nodes attest one head"
    );
    for srv in &nodes {
        let (st, body) = http(
            &srv.addr,
            "GET",
            "/api/v1/journal/verify",
            Some(&first.token),
            None,
        )
        .unwrap();
        assert_eq!(
            (st, json(&body)["intact"].as_bool()),
            (200, Some(true)),
            "{body}"
        );
    }
    drop(nodes);

    // The store itself: signed head N, one checkpoint per multiple, anchors prefixes.
    let practice = rt().block_on(async {
        let mut anchors = vec![];
        let mut practice = 0;
        for db in [&first, &second] {
            let mut cfg = sceau_store::StoreConfig::new(&db.dir, db.url.clone());
            cfg.cost = sceau_store::HashCost::Fast;
            let s = sceau_store::Store::open(cfg).await.unwrap();
            practice = s.practices().await.unwrap()[0].id;
            let head = s.journal_head(practice).await.unwrap().unwrap();
            assert_eq!(head.seq, n as u64);
            let every = sceau_store::journal::CHECKPOINT_EVERY;
            let cps: Vec<u64> = s
                .journal_checkpoints(practice)
                .await
                .unwrap()
                .iter()
                .map(|c| c.seq)
                .collect();
            assert_eq!(
                cps,
                (1..=n as u64 / every)
                    .map(|i| i * every)
                    .collect::<Vec<_>>()
            );
            let a = s
                .journal_anchor(practice)
                .unwrap()
                .expect("each node anchors its own appends");
            assert!(a.seq >= 1 && a.seq <= n as u64, "anchor at {}", a.seq);
            anchors.push(a.seq);
            s.close().await;
        }
        eprintln!("ancres des deux nœuds : {anchors:?} sur {n}");
        practice
    });

    // `sceau journal verify` from either data folder: intact, and every
    // receipt handed out (bundles, periodic files of both nodes) held.
    let lines = seen.receipts.lock().unwrap().clone();
    assert!(lines.len() >= 2, "bundles exported: {}", lines.len());
    let kept = tempfile::tempdir().unwrap();
    let mut receipts: Vec<PathBuf> = files.iter().flat_map(|f| f.values().cloned()).collect();
    for (i, l) in lines.iter().enumerate() {
        let p = kept.path().join(format!("bundle-{i}.txt"));
        std::fs::write(&p, l).unwrap();
        receipts.push(p);
    }
    for db in [&first, &second] {
        let (ok, v) = cli_verify(db, &receipts);
        assert!(ok, "{v:#}");
        let journal = &v["journals"][0];
        assert_eq!(journal["practice_id"], practice);
        assert_eq!(journal["result"]["Ok"]["head_seq"], n as u64, "{journal:#}");
        let held = v["receipts"].as_array().unwrap();
        assert_eq!(held.len(), receipts.len());
        assert!(held.iter().all(|r| r["holds"] == true), "{v:#}");
    }
    eprintln!(
        "two_servers: PostgreSQL, 2 processes × {WRITERS} writers: {n} entries acknowledged in {load_secs:.1} s \
         ({switches} alternations between nodes), each found once at its number; head n° {n}, {} checkpoint(s); \
         {} receipt(s) held ({} from bundles, {} periodic files); {:.1} s in all",
        n as u64 / sceau_store::journal::CHECKPOINT_EVERY,
        receipts.len(),
        lines.len(),
        receipts.len() - lines.len(),
        started.elapsed().as_secs_f64()
    );
}
