//! Faults of the release server (issue 7), each test reproducing a figure of
//! docs/security/faults.md:
//! - SIGKILL under concurrent write load (journal appends and patient
//!   registrations through the API): no acknowledged write is lost and the
//!   journal verifies. `SCEAU_FAULT_KILLS` kills (3 by default, as in CI);
//!   SQLite, or PostgreSQL with `SCEAU_TEST_DATABASE_URL`.
//! - A full disk (a 3 MB tmpfs) and a read-only data directory (a read-only
//!   bind mount): clear French errors, no partial write. Need root (mount);
//!   skipped with a message otherwise.
//! - PostgreSQL restarted under load (`SCEAU_FAULT_PG_RESTART=1`, as it
//!   restarts the machine's cluster): requests fail cleanly during the
//!   outage and succeed after, without restarting the server.

mod server;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use server::{http, http_with, json, Db, Server};

/// A write the server acknowledged (2xx): what must be found after a crash.
#[derive(Debug, Clone)]
enum Ack {
    Journal { seq: u64, marker: String },
    Patient { id: String },
}

#[derive(Default)]
struct Tally {
    acked: Mutex<Vec<Ack>>,
    /// Requests cut by the kill or refused while the server was down.
    cut: AtomicU64,
    /// Answers other than 2xx (with their status and body, for the report).
    refused: Mutex<Vec<(u16, String)>>,
}

fn journal_entry(marker: &str) -> Vec<u8> {
    serde_json::json!({
        "recipient": "equipe_de_soins",
        "purpose": "coordination_soins",
        "verdict": "allowed",
        "basis": ["csp:L1110-4"],
        "information": marker,
    })
    .to_string()
    .into_bytes()
}

/// One writer: journal appends and patient registrations, alternately, until `stop`.
fn writer(addr: String, token: String, tag: String, stop: Arc<AtomicBool>, tally: Arc<Tally>) {
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let marker = format!("{tag}-{n}");
        let r = if n % 2 == 1 {
            http(
                &addr,
                "POST",
                "/api/v1/journal",
                Some(&token),
                Some(("application/json", &journal_entry(&marker))),
            )
        } else {
            let body =
                serde_json::json!({ "display_name": format!("Patient {marker}") }).to_string();
            http(
                &addr,
                "POST",
                "/api/v1/patients",
                Some(&token),
                Some(("application/json", body.as_bytes())),
            )
        };
        match r {
            Ok((201, body)) => {
                let v = json(&body);
                let ack = if n % 2 == 1 {
                    Ack::Journal {
                        seq: v["seq"].as_u64().expect("seq"),
                        marker,
                    }
                } else {
                    Ack::Patient {
                        id: v["id"].as_str().expect("id").to_string(),
                    }
                };
                tally.acked.lock().unwrap().push(ack);
            }
            Ok((status, body)) => tally.refused.lock().unwrap().push((status, body)),
            Err(_) => {
                tally.cut.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// Runs `writers` writers against `addr` until the returned guard is stopped.
struct Load {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(addr: &str, token: &str, round: usize, writers: usize, tally: &Arc<Tally>) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..writers)
            .map(|w| {
                let (a, t, s, y) = (
                    addr.to_string(),
                    token.to_string(),
                    stop.clone(),
                    tally.clone(),
                );
                let tag = format!("r{round}w{w}");
                std::thread::spawn(move || writer(a, t, tag, s, y))
            })
            .collect();
        Load { stop, threads }
    }

    fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            t.join().unwrap();
        }
    }
}

/// Every acknowledged write is there, with its content; the journal verifies
/// through the API. Returns (journal entries, patients) checked.
fn check_nothing_lost(srv: &Server, db: &Db, acked: &[Ack]) -> (usize, usize) {
    let (st, body) = http(&srv.addr, "GET", "/api/v1/journal", Some(&db.token), None).unwrap();
    assert_eq!(st, 200, "{body}");
    let entries = json(&body);
    let by_seq: std::collections::HashMap<u64, String> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["seq"].as_u64().unwrap(),
                e["information"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let (st, body) = http(&srv.addr, "GET", "/api/v1/patients", Some(&db.token), None).unwrap();
    assert_eq!(st, 200, "{body}");
    let patients: std::collections::HashSet<String> = json(&body)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let (mut j, mut p) = (0, 0);
    for a in acked {
        match a {
            Ack::Journal { seq, marker } => {
                assert_eq!(
                    by_seq.get(seq),
                    Some(marker),
                    "acknowledged journal entry n° {seq} lost or changed"
                );
                j += 1;
            }
            Ack::Patient { id } => {
                assert!(patients.contains(id), "acknowledged patient {id} lost");
                p += 1;
            }
        }
    }
    assert_intact(srv, db);
    (j, p)
}

/// The journal verifies through the API; its verification report.
fn assert_intact(srv: &Server, db: &Db) -> serde_json::Value {
    let (st, body) = http(
        &srv.addr,
        "GET",
        "/api/v1/journal/verify",
        Some(&db.token),
        None,
    )
    .unwrap();
    let v = json(&body);
    assert_eq!(
        (st, &v["intact"]),
        (200, &serde_json::json!(true)),
        "{body}"
    );
    v
}

fn cli_verify(db: &Db) {
    let mut c = std::process::Command::new(server::bin());
    c.args(["journal", "verify", "--data-dir"])
        .arg(&db.dir)
        .env_remove("SCEAU_KEY")
        .env_remove("SCEAU_DATABASE_URL");
    if let Some(u) = &db.url {
        c.args(["--database-url", u]);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "sceau journal verify: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn kills() -> usize {
    std::env::var("SCEAU_FAULT_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
}

#[test]
fn sigkill_under_write_load_loses_no_acknowledged_write() {
    let postgres = std::env::var(sceau_store::testing::TEST_DATABASE_ENV).is_ok();
    let db = Db::new(postgres);
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let rounds = kills();
    for round in 0..rounds {
        let srv = Server::start(&db);
        // The chain verifies after every restart, before any new write.
        assert_intact(&srv, &db);
        let load = Load::start(&srv.addr, &db.token, round, 6, &tally);
        // Kill at a different moment of the load each time (150–600 ms in).
        std::thread::sleep(Duration::from_millis(150 + (round as u64 * 7919) % 450));
        srv.kill();
        load.stop();
    }
    let srv = Server::start(&db);
    let acked = tally.acked.lock().unwrap().clone();
    let (j, p) = check_nothing_lost(&srv, &db, &acked);
    drop(srv);
    cli_verify(&db);
    let refused = tally.refused.lock().unwrap();
    assert!(
        refused.is_empty(),
        "writes refused with a status: {refused:?}"
    );
    assert!(j > 0 && p > 0, "the load wrote nothing");
    eprintln!(
        "faults: {} — {rounds} SIGKILL under load, {j} journal entries and {p} patients acknowledged, \
         all found after restart; {} requests cut by the kills; journal intact; {:.1} s",
        db.backend(),
        tally.cut.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
}

/// A mount point the test owns; unmounted (lazily) when dropped.
struct Mount(std::path::PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

fn root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn run(cmd: &[&str]) -> bool {
    std::process::Command::new(cmd[0])
        .args(&cmd[1..])
        .status()
        .is_ok_and(|s| s.success())
}

/// A journal write through the API: (status, body).
fn append(srv: &Server, db: &Db, marker: &str) -> (u16, String) {
    http(
        &srv.addr,
        "POST",
        "/api/v1/journal",
        Some(&db.token),
        Some(("application/json", &journal_entry(marker))),
    )
    .unwrap_or_else(|e| panic!("{e}; server log:\n{}", srv.log()))
}

/// The web login (a session is a write): the page answered to a correct password.
fn login_page(srv: &Server) -> (u16, String) {
    // The login form's CSRF check is a double submit: the same value in the cookie and the form.
    let csrf = "ab".repeat(32);
    http_with(
        &srv.addr,
        "POST",
        "/connexion",
        Some(&format!("Cookie: sceau_csrf={csrf}")),
        Some((
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&identifiant=alice&mot_de_passe=motdepasse-solide").as_bytes(),
        )),
    )
    .unwrap()
}

#[test]
fn a_full_disk_gives_a_clear_error_and_no_partial_write() {
    if !root() {
        eprintln!("SAUTÉ : monter un tmpfs de 3 Mo (disque plein) demande d’être root");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    if !run(&[
        "mount",
        "-t",
        "tmpfs",
        "-o",
        "size=3m",
        "tmpfs",
        dir.to_str().unwrap(),
    ]) {
        // Root in a container without CAP_SYS_ADMIN cannot mount.
        eprintln!("SAUTÉ : le montage d’un tmpfs a été refusé (conteneur sans CAP_SYS_ADMIN ?)");
        return;
    }
    let _m = Mount(dir.clone());
    let db = Db::in_dir(&dir, false);
    let srv = Server::start(&db);
    let mut acked = vec![];
    for i in 0..5 {
        let (st, body) = append(&srv, &db, &format!("avant-{i}"));
        assert_eq!(st, 201, "{body}");
        acked.push(Ack::Journal {
            seq: json(&body)["seq"].as_u64().unwrap(),
            marker: format!("avant-{i}"),
        });
    }
    // Fill the disk: a file takes every free block.
    let filler = dir.join("remplissage");
    let _ = std::fs::write(&filler, vec![0u8; 4 << 20]);
    // Writes until one is refused (SQLite may still have free pages in hand).
    let mut refused = None;
    for i in 0..200 {
        let marker = format!("plein-{i}-{}", "x".repeat(400));
        let (st, body) = append(&srv, &db, &marker);
        if st == 201 {
            acked.push(Ack::Journal {
                seq: json(&body)["seq"].as_u64().unwrap(),
                marker,
            });
        } else {
            refused = Some((st, body));
            break;
        }
    }
    let (st, body) = refused.expect("a write on a full disk was acknowledged 200 times");
    assert_eq!(st, 503, "{body}");
    let v = json(&body);
    assert_eq!(v["error"], "storage_full", "{body}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("disque du serveur est plein"),
        "{body}"
    );
    // The web page says the same in French (a login writes a session).
    let (st, page) = login_page(&srv);
    assert_eq!(st, 503, "{page}");
    assert!(
        page.contains("Disque plein") && page.contains("rien n’a été enregistré"),
        "{page}"
    );
    assert!(
        !page.contains("SQLITE") && !page.contains("database or disk"),
        "{page}"
    );
    // Reading still works on a full disk.
    assert_intact(&srv, &db);
    // Space freed: the server takes writes again, without a restart; nothing
    // refused was half-written, every acknowledged entry is there, the chain verifies.
    std::fs::remove_file(&filler).unwrap();
    let (st, body) = append(&srv, &db, "après");
    assert_eq!(st, 201, "{body}");
    acked.push(Ack::Journal {
        seq: json(&body)["seq"].as_u64().unwrap(),
        marker: "après".into(),
    });
    let (j, _) = check_nothing_lost(&srv, &db, &acked);
    let (_, body) = http(&srv.addr, "GET", "/api/v1/journal", Some(&db.token), None).unwrap();
    assert_eq!(
        json(&body).as_array().unwrap().len(),
        j,
        "an entry refused was written anyway"
    );
    srv.kill();
    // And after a crash on the full disk, the store still opens and verifies.
    let srv = Server::start(&db);
    check_nothing_lost(&srv, &db, &acked);
    eprintln!("faults: disque plein — {j} entrées acquittées retrouvées, refus 503 storage_full, page « Disque plein »");
}

#[test]
fn a_read_only_database_gives_a_clear_error_and_reading_still_works() {
    if !root() {
        eprintln!("SAUTÉ : un montage en lecture seule demande d’être root");
        return;
    }
    let db = Db::new(false);
    let srv = Server::start(&db);
    let (st, body) = append(&srv, &db, "avant");
    assert_eq!(st, 201, "{body}");
    let acked = vec![Ack::Journal {
        seq: json(&body)["seq"].as_u64().unwrap(),
        marker: "avant".into(),
    }];
    srv.kill();
    // The data directory becomes read-only (a bind mount of itself, remounted ro).
    let d = db.dir.to_str().unwrap().to_string();
    if !run(&["mount", "--bind", &d, &d]) {
        eprintln!(
            "SAUTÉ : le montage en lecture seule a été refusé (conteneur sans CAP_SYS_ADMIN ?)"
        );
        return;
    }
    let _m = Mount(db.dir.clone());
    assert!(run(&["mount", "-o", "remount,ro,bind", &d]));
    let srv = Server::start(&db);
    let (st, body) = append(&srv, &db, "refusée");
    assert_eq!(st, 503, "{body}");
    let v = json(&body);
    assert_eq!(v["error"], "read_only", "{body}");
    assert!(
        v["message"].as_str().unwrap().contains("lecture seule"),
        "{body}"
    );
    let (st, page) = login_page(&srv);
    assert_eq!(st, 503, "{page}");
    assert!(
        page.contains("Base en lecture seule") && page.contains("rien n’a été enregistré"),
        "{page}"
    );
    // Reading works: the journal is there and verifies.
    check_nothing_lost(&srv, &db, &acked);
    drop(srv);
    drop(_m);
    let srv = Server::start(&db);
    let (_, body) = http(&srv.addr, "GET", "/api/v1/journal", Some(&db.token), None).unwrap();
    assert_eq!(
        json(&body).as_array().unwrap().len(),
        1,
        "the refused entry was written"
    );
    eprintln!("faults: lecture seule — refus 503 read_only, page « Base en lecture seule », lecture possible");
}

#[test]
fn postgres_restarted_under_load_the_server_recovers_on_its_own() {
    let (Ok(_), Ok("1")) = (
        std::env::var(sceau_store::testing::TEST_DATABASE_ENV),
        std::env::var("SCEAU_FAULT_PG_RESTART").as_deref(),
    ) else {
        eprintln!("SAUTÉ : SCEAU_TEST_DATABASE_URL et SCEAU_FAULT_PG_RESTART=1 (redémarre le PostgreSQL de la machine)");
        return;
    };
    let cluster = std::process::Command::new("pg_lsclusters")
        .arg("-h")
        .output()
        .unwrap();
    let cluster = String::from_utf8_lossy(&cluster.stdout).to_string();
    let mut it = cluster.split_whitespace();
    let (version, name) = (
        it.next().unwrap().to_string(),
        it.next().unwrap().to_string(),
    );
    let db = Db::new(true);
    let srv = Server::start(&db);
    let tally = Arc::new(Tally::default());
    let load = Load::start(&srv.addr, &db.token, 0, 4, &tally);
    std::thread::sleep(Duration::from_secs(1));
    let before = tally.acked.lock().unwrap().len();
    let t0 = Instant::now();
    assert!(run(&["pg_ctlcluster", &version, &name, "restart"]));
    let outage = t0.elapsed();
    let at_restart = tally.acked.lock().unwrap().len();
    // Writes must succeed again, on the same server process, within 10 s.
    let deadline = Instant::now() + Duration::from_secs(10);
    while tally.acked.lock().unwrap().len() < at_restart + 20 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let recovered = t0.elapsed();
    std::thread::sleep(Duration::from_secs(2));
    load.stop();
    let after = tally.acked.lock().unwrap().len();
    assert!(
        after >= at_restart + 20,
        "no write succeeded after the restart ({at_restart} → {after})"
    );
    assert!(srv.child.id() > 0);
    let refused = tally.refused.lock().unwrap().clone();
    for (st, body) in &refused {
        assert_eq!(*st, 503, "during the outage: {body}");
        let v = json(body);
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .contains("rien n’a été enregistré"),
            "{body}"
        );
    }
    let acked = tally.acked.lock().unwrap().clone();
    let (j, p) = check_nothing_lost(&srv, &db, &acked);
    drop(srv);
    cli_verify(&db);
    eprintln!(
        "faults: PostgreSQL {version}/{name} redémarré sous charge — arrêt {:.1} s, {} requêtes refusées proprement (503), \
         écritures de nouveau acceptées {:.1} s après le début du redémarrage, sans redémarrer Sceau ; \
         {before} écritures avant, {after} en tout ({j} entrées, {p} patients), toutes retrouvées ; {} coupures",
        outage.as_secs_f64(),
        refused.len(),
        recovered.as_secs_f64(),
        tally.cut.load(Ordering::Relaxed)
    );
}

/// Situations of the reference cases, as the decision endpoint takes them.
fn situations() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/cases/guide.yaml"
    ))
    .unwrap();
    let cases: Vec<serde_json::Value> = serde_norway::from_str(&text).unwrap();
    cases.into_iter().map(|c| c["situation"].clone()).collect()
}

/// One client of the mixed load: a decision, an interview step (the
/// situation with one more fact each time, as the interview asks them) and
/// a journal write, in turn. Counts requests and any answer that is not 2xx.
fn mixed_client(
    addr: String,
    token: String,
    w: usize,
    until: Instant,
    done: Arc<AtomicU64>,
    errors: Arc<Mutex<Vec<String>>>,
) {
    let cases = situations();
    let mut n = 0usize;
    while Instant::now() < until {
        let s = &cases[(w * 31 + n) % cases.len()];
        let r = match n % 3 {
            0 => http(
                &addr,
                "POST",
                "/api/v1/decisions",
                Some(&token),
                Some(("application/json", s.to_string().as_bytes())),
            ),
            1 => {
                // The first k facts of the case, as an interview in progress.
                let obj = s.as_object().unwrap();
                let k = n % (obj.len() + 1);
                let partial: serde_json::Map<_, _> = obj
                    .iter()
                    .take(k)
                    .map(|(a, b)| (a.clone(), b.clone()))
                    .collect();
                let body = serde_json::json!({ "answers": partial }).to_string();
                http(
                    &addr,
                    "POST",
                    "/api/v1/interview",
                    Some(&token),
                    Some(("application/json", body.as_bytes())),
                )
            }
            _ => http(
                &addr,
                "POST",
                "/api/v1/journal",
                Some(&token),
                Some((
                    "application/json",
                    &journal_entry(&format!("charge-{w}-{n}")),
                )),
            ),
        };
        match r {
            Ok((st, _)) if (200..300).contains(&st) => {}
            Ok((st, body)) => errors.lock().unwrap().push(format!(
                "{st}: {}",
                body.chars().take(200).collect::<String>()
            )),
            Err(e) => errors.lock().unwrap().push(format!("connexion : {e}")),
        }
        done.fetch_add(1, Ordering::Relaxed);
        n += 1;
    }
}

#[test]
fn sustained_mixed_load_holds_with_bounded_memory() {
    // 5 s in CI; the figure of docs/security/faults.md is SCEAU_SOAK_SECS=600.
    let secs: u64 = std::env::var("SCEAU_SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let clients: usize = std::env::var("SCEAU_SOAK_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let postgres = std::env::var(sceau_store::testing::TEST_DATABASE_ENV).is_ok();
    let db = Db::new(postgres);
    let srv = Server::start(&db);
    let until = Instant::now() + Duration::from_secs(secs);
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(Mutex::new(vec![]));
    let threads: Vec<_> = (0..clients)
        .map(|w| {
            let (a, t, d, e) = (
                srv.addr.clone(),
                db.token.clone(),
                done.clone(),
                errors.clone(),
            );
            std::thread::spawn(move || mixed_client(a, t, w, until, d, e))
        })
        .collect();
    // Resident memory every tenth of the run: it must level off, not grow with time.
    let mut samples = vec![];
    let started = Instant::now();
    while Instant::now() < until {
        std::thread::sleep(Duration::from_millis((secs * 100).max(500)));
        let s =
            std::fs::read_to_string(format!("/proc/{}/status", srv.child.id())).unwrap_or_default();
        let rss: u64 = s
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0);
        samples.push(rss);
    }
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let peak = srv.peak_rss_kb();
    let errors = errors.lock().unwrap();
    let n = done.load(Ordering::Relaxed);
    let verified = assert_intact(&srv, &db);
    eprintln!(
        "faults: charge mixte {} — {secs} s, {clients} clients, {n} requêtes ({:.0}/s), {} erreurs, \
         RSS pic {} Mo, RSS par dixième {:?} Mo, journal intact ({} entrées)",
        db.backend(),
        n as f64 / elapsed,
        errors.len(),
        peak / 1024,
        samples.iter().map(|k| k / 1024).collect::<Vec<_>>(),
        verified["entries"]
    );
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        errors.first()
    );
    // Bounded: the last tenth is within 64 MB of the high-water mark of the first half.
    if samples.len() >= 4 {
        let half = *samples[..samples.len() / 2].iter().max().unwrap();
        let last = *samples.last().unwrap();
        assert!(
            last <= half + 64 * 1024,
            "memory keeps growing: {samples:?} kB"
        );
    }
    assert!(n > 0);
}
