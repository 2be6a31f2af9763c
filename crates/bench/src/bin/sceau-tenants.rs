//! Helpers of `scripts/load-practices` (many practices on two web nodes and
//! one PostgreSQL, issue 17; not part of CI):
//!
//! - `install DATABASE_URL DATA_DIR CREATED` — for each practice that
//!   `sceau practice create --json` printed (one JSON object a line in
//!   CREATED), claims its installation code for a first administrator
//!   (the store's function behind the page /installation) and creates a
//!   writing API token for it (the function behind « Jetons d’API »);
//!   prints `PRACTICE_ID TOKEN` a line.
//! - `drive SECONDS CONNECTIONS TOKENS DECISIONS ADDR…` — the load: each
//!   connection (keep-alive, spread over the nodes) sends requests of a
//!   mix over practices drawn at random, then checks, through the API of
//!   the nodes, that every write acknowledged is there, that every
//!   practice's journal verifies, and that no practice saw another's
//!   patient. Exits 1 if anything was lost, leaked or failed to verify.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn usage() -> ! {
    eprintln!(
        "usage: sceau-tenants install DATABASE_URL DATA_DIR CREATED | drive SECONDS CONNECTIONS TOKENS DECISIONS ADDR…"
    );
    std::process::exit(2)
}

// ------------------------------------------------------------ installation

fn install(url: &str, data_dir: &str, created: &str) {
    let practices: Vec<(i64, String)> = std::fs::read_to_string(created)
        .expect("the file of created practices")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line of `sceau practice create`");
            (
                v["id"].as_i64().expect("id"),
                v["installation_code"].as_str().expect("code").to_string(),
            )
        })
        .collect();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = sceau_store::Store::open(sceau_store::StoreConfig::new(
            data_dir,
            Some(url.to_string()),
        ))
        .await
        .expect("store opens");
        // A few at a time: each claim hashes a password (Argon2id).
        let mut out = Vec::new();
        for chunk in practices.chunks(4) {
            let claims = chunk.iter().cloned().map(|(id, code)| {
                let store = store.clone();
                async move {
                    let admin = store
                        .claim_installation(
                            &code,
                            &format!("charge-{id}"),
                            &format!("Charge {id}"),
                            "motdepasse-de-charge",
                        )
                        .await
                        .expect("claim")
                        .expect("the printed code installs its practice");
                    assert_eq!(admin.practice_id, id);
                    let (token, _) = store
                        .create_token_with(
                            id,
                            admin.id,
                            "test de charge",
                            sceau_store::TokenScope::Ecriture,
                            sceau_store::TOKEN_DAYS_DEFAULT,
                        )
                        .await
                        .expect("token");
                    (id, token)
                }
            });
            for (id, token) in futures_join(claims).await {
                out.push(format!("{id} {token}"));
            }
        }
        println!("{}", out.join("\n"));
        store.close().await;
    });
}

/// Awaits the futures together (tokio's join for a runtime-sized list).
async fn futures_join<F>(fs: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = fs.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

// ------------------------------------------------------------ HTTP client

/// One keep-alive HTTP/1.1 connection (the server answers with a
/// Content-Length or chunks; nothing else is needed here).
struct Conn {
    addr: String,
    stream: Option<BufReader<TcpStream>>,
}

struct Reply {
    status: u16,
    body: Vec<u8>,
}

impl Conn {
    fn new(addr: &str) -> Conn {
        Conn {
            addr: addr.to_string(),
            stream: None,
        }
    }

    fn send(
        &mut self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<&str>,
    ) -> std::io::Result<Reply> {
        let r = self.try_send(method, path, token, body);
        if r.is_err() {
            // A broken connection is closed; the next request opens another.
            self.stream = None;
        }
        r
    }

    fn try_send(
        &mut self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<&str>,
    ) -> std::io::Result<Reply> {
        if self.stream.is_none() {
            let s = TcpStream::connect(&self.addr)?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(Duration::from_secs(60)))?;
            self.stream = Some(BufReader::new(s));
        }
        let r = self.stream.as_mut().expect("connected");
        let body = body.unwrap_or("");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        let w = r.get_mut();
        w.write_all(head.as_bytes())?;
        w.write_all(body.as_bytes())?;
        let mut line = String::new();
        r.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("status line: {line:?}")))?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (k, v) = l.split_once(':').unwrap_or((l, ""));
            let v = v.trim();
            match k.to_ascii_lowercase().as_str() {
                "content-length" => length = v.parse::<usize>().ok(),
                "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
                "connection" => close = v.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                r.read_line(&mut line)?;
                let n = usize::from_str_radix(line.trim(), 16)
                    .map_err(|_| std::io::Error::other("chunk size"))?;
                let mut chunk = vec![0; n + 2];
                r.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            r.read_exact(&mut body)?;
        }
        if close {
            self.stream = None;
        }
        Ok(Reply { status, body })
    }
}

// ------------------------------------------------------------ the load

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Kind {
    Decision,
    Patient,
    Disclosure,
    Read,
    Probe,
}

const KINDS: [(Kind, &str, &str); 5] = [
    (Kind::Decision, "decision", "POST /api/v1/decisions"),
    (Kind::Patient, "register write", "POST /api/v1/patients"),
    (
        Kind::Disclosure,
        "journaled disclosure",
        "POST /api/v1/journal",
    ),
    (Kind::Read, "register read", "GET /api/v1/patients/{id}"),
    (
        Kind::Probe,
        "cross-practice probe",
        "GET /api/v1/patients/{another practice's id}",
    ),
];

/// The mix, out of 100: decisions, register writes, journaled disclosures,
/// reads of one's own patients, attempts at another practice's patient.
fn kind_of(r: u64) -> Kind {
    match r % 100 {
        0..45 => Kind::Decision,
        45..65 => Kind::Patient,
        65..88 => Kind::Disclosure,
        88..97 => Kind::Read,
        _ => Kind::Probe,
    }
}

/// xorshift64*: a deterministic spread of practices and kinds per connection.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[derive(Default)]
struct Tally {
    /// Latencies in microseconds, per kind.
    latency: HashMap<Kind, Vec<u32>>,
    /// Unexpected answers: (kind, status or 0 for an I/O error) → count.
    errors: BTreeMap<(Kind, u16), u64>,
    /// Acknowledged writes: practice → patient ids, practice → journal seqs.
    patients: HashMap<usize, Vec<String>>,
    seqs: HashMap<usize, Vec<u64>>,
    /// A practice read another's patient (must stay 0).
    leaks: u64,
}

fn field(body: &[u8], key: &str) -> Option<Value> {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get(key).cloned())
}

fn connection(
    t: usize,
    addr: &str,
    stop: Instant,
    tokens: &[(i64, String)],
    decisions: &[String],
) -> Tally {
    let mut c = Conn::new(addr);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (t as u64 + 1).wrapping_mul(0x1000_0000_01b3));
    let mut tally = Tally::default();
    let mut n = 0u64;
    while Instant::now() < stop {
        n += 1;
        let p = (rng.next() % tokens.len() as u64) as usize;
        let token = &tokens[p].1;
        let kind = kind_of(rng.next());
        let own = tally.patients.get(&p).filter(|v| !v.is_empty());
        let (method, path, body, expect) = match kind {
            Kind::Decision => (
                "POST",
                "/api/v1/decisions".to_string(),
                Some(decisions[(rng.next() % decisions.len() as u64) as usize].clone()),
                200,
            ),
            Kind::Patient => (
                "POST",
                "/api/v1/patients".to_string(),
                Some(
                    json!({ "display_name": format!("Patient de charge {p}-{t}-{n}"), "reference": format!("charge-{t}-{n}") })
                        .to_string(),
                ),
                201,
            ),
            Kind::Disclosure => {
                let patient = own.map(|v| v[(rng.next() % v.len() as u64) as usize].clone());
                (
                    "POST",
                    "/api/v1/journal".to_string(),
                    Some(
                        json!({
                            "recipient": "procureur", "purpose": "signalement", "verdict": "allowed",
                            "basis": ["cp:226-14:3"], "information": format!("constatations {t}-{n}"),
                            "patient": patient,
                        })
                        .to_string(),
                    ),
                    201,
                )
            }
            Kind::Read => match own {
                Some(v) => (
                    "GET",
                    format!("/api/v1/patients/{}", v[(rng.next() % v.len() as u64) as usize]),
                    None,
                    200,
                ),
                None => ("GET", "/api/v1/whoami".to_string(), None, 200),
            },
            Kind::Probe => {
                // A patient this connection created in another practice.
                let other = tally
                    .patients
                    .iter()
                    .find(|(q, v)| **q != p && !v.is_empty())
                    .map(|(_, v)| v[0].clone());
                match other {
                    Some(id) => ("GET", format!("/api/v1/patients/{id}"), None, 404),
                    None => ("GET", "/api/v1/whoami".to_string(), None, 200),
                }
            }
        };
        let started = Instant::now();
        let r = c.send(method, &path, token, body.as_deref());
        let us = started.elapsed().as_micros().min(u32::MAX as u128) as u32;
        tally.latency.entry(kind).or_default().push(us);
        match r {
            Err(_) => *tally.errors.entry((kind, 0)).or_default() += 1,
            Ok(r) if r.status == expect => match kind {
                Kind::Patient => {
                    match field(&r.body, "id").and_then(|v| v.as_str().map(String::from)) {
                        Some(id) => tally.patients.entry(p).or_default().push(id),
                        None => *tally.errors.entry((kind, r.status)).or_default() += 1,
                    }
                }
                Kind::Disclosure => match field(&r.body, "seq").and_then(|v| v.as_u64()) {
                    Some(s) => tally.seqs.entry(p).or_default().push(s),
                    None => *tally.errors.entry((kind, r.status)).or_default() += 1,
                },
                _ => {}
            },
            Ok(r) => {
                if kind == Kind::Probe && r.status == 200 && expect == 404 {
                    tally.leaks += 1;
                }
                *tally.errors.entry((kind, r.status)).or_default() += 1;
            }
        }
    }
    tally
}

fn percentile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn drive(secs: u64, conns: usize, tokens_file: &str, decisions_file: &str, addrs: &[String]) {
    let tokens: Vec<(i64, String)> = std::fs::read_to_string(tokens_file)
        .expect("tokens file")
        .lines()
        .filter_map(|l| {
            let (id, tok) = l.split_once(' ')?;
            Some((id.parse().ok()?, tok.to_string()))
        })
        .collect();
    assert!(!tokens.is_empty(), "no token in {tokens_file}");
    let decisions: Vec<String> = std::fs::read_to_string(decisions_file)
        .expect("decisions file")
        .lines()
        .map(str::to_string)
        .collect();
    println!(
        "== load: {} practices, {} connections over {} node(s), {secs} s",
        tokens.len(),
        conns,
        addrs.len()
    );
    let start = Instant::now();
    let stop = start + Duration::from_secs(secs);
    let tallies: Vec<Tally> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..conns)
            .map(|t| {
                let (tokens, decisions) = (&tokens, &decisions);
                let addr = &addrs[t % addrs.len()];
                sc.spawn(move || connection(t, addr, stop, tokens, decisions))
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    let elapsed = start.elapsed().as_secs_f64();

    let mut all = Tally::default();
    for t in tallies {
        for (k, v) in t.latency {
            all.latency.entry(k).or_default().extend(v);
        }
        for (k, n) in t.errors {
            *all.errors.entry(k).or_default() += n;
        }
        for (p, v) in t.patients {
            all.patients.entry(p).or_default().extend(v);
        }
        for (p, v) in t.seqs {
            all.seqs.entry(p).or_default().extend(v);
        }
        all.leaks += t.leaks;
    }
    let mut every: Vec<u32> = all.latency.values().flatten().copied().collect();
    every.sort_unstable();
    let errors: u64 = all.errors.values().sum();
    println!(
        "requests {} in {elapsed:.1} s: {:.0} req/s; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; errors {errors}",
        every.len(),
        every.len() as f64 / elapsed,
        percentile(&every, 0.5),
        percentile(&every, 0.99),
        percentile(&every, 1.0),
    );
    println!("| Request | Count | Per second | p50 (ms) | p99 (ms) | Errors |");
    println!("|---|---|---|---|---|---|");
    for (k, name, route) in KINDS {
        let mut v = all.latency.remove(&k).unwrap_or_default();
        v.sort_unstable();
        let e: u64 = all
            .errors
            .iter()
            .filter(|((kk, _), _)| *kk == k)
            .map(|(_, n)| n)
            .sum();
        println!(
            "| {name} (`{route}`) | {} | {:.0} | {:.1} | {:.1} | {e} |",
            v.len(),
            v.len() as f64 / elapsed,
            percentile(&v, 0.5),
            percentile(&v, 0.99),
        );
    }
    for ((k, status), n) in &all.errors {
        println!("error: {k:?} answered {status} ({n} times; 0 = connection error)");
    }
    let touched: HashSet<usize> = all
        .patients
        .keys()
        .chain(all.seqs.keys())
        .copied()
        .collect();
    println!(
        "practices written to: {} of {}; acknowledged: {} patients, {} journal entries",
        touched.len(),
        tokens.len(),
        all.patients.values().map(Vec::len).sum::<usize>(),
        all.seqs.values().map(Vec::len).sum::<usize>()
    );

    // ---- nothing lost, nothing crossed: every practice, through the API.
    let owner: HashMap<&str, usize> = all
        .patients
        .iter()
        .flat_map(|(p, v)| v.iter().map(move |id| (id.as_str(), *p)))
        .collect();
    let mut lost_patients = 0usize;
    let mut lost_entries = 0usize;
    let mut foreign = 0usize;
    let mut not_intact = 0usize;
    let mut unacked_entries = 0usize;
    let mut checked_entries = 0u64;
    let check_start = Instant::now();
    let mut conns: Vec<Conn> = addrs.iter().map(|a| Conn::new(a)).collect();
    for (p, (_, token)) in tokens.iter().enumerate() {
        // Alternate nodes: what one node acknowledged, the other must see.
        let c = &mut conns[p % addrs.len()];
        let get = |c: &mut Conn, path: &str| -> Value {
            let r = c.send("GET", path, token, None).expect("check request");
            assert_eq!(
                r.status,
                200,
                "{path}: {}",
                String::from_utf8_lossy(&r.body)
            );
            serde_json::from_slice(&r.body).expect("JSON")
        };
        let listed = get(c, "/api/v1/patients");
        let ids: HashSet<&str> = listed
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|v| v["id"].as_str())
            .collect();
        for id in all.patients.get(&p).into_iter().flatten() {
            if !ids.contains(id.as_str()) {
                lost_patients += 1;
            }
        }
        foreign += ids
            .iter()
            .filter(|id| owner.get(*id).is_some_and(|q| *q != p))
            .count();
        let journal = get(c, "/api/v1/journal");
        let seqs: HashSet<u64> = journal
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|e| e["seq"].as_u64())
            .collect();
        let acked = all.seqs.get(&p).map(Vec::as_slice).unwrap_or(&[]);
        lost_entries += acked.iter().filter(|s| !seqs.contains(s)).count();
        unacked_entries += seqs.len().saturating_sub(acked.len());
        let v = get(c, "/api/v1/journal/verify");
        if v["intact"] != true || v["entries"].as_u64() != Some(seqs.len() as u64) {
            not_intact += 1;
            eprintln!("practice {}: {v}", tokens[p].0);
        }
        checked_entries += seqs.len() as u64;
    }
    println!(
        "== check ({:.1} s, every practice, alternating nodes): journals verified {} of {} ({} entries); lost: {lost_patients} patients, {lost_entries} journal entries; entries present but not acknowledged: {unacked_entries}; another practice's patient listed: {foreign}; read by a probe: {}",
        check_start.elapsed().as_secs_f64(),
        tokens.len() - not_intact,
        tokens.len(),
        checked_entries,
        all.leaks
    );
    if lost_patients + lost_entries + foreign + not_intact > 0 || all.leaks > 0 {
        println!("FAILED: something acknowledged was lost, a journal did not verify, or a practice saw another's data");
        std::process::exit(1);
    }
    println!("nothing lost, every journal intact, no practice saw another's patient");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("install") if args.len() == 4 => install(&args[1], &args[2], &args[3]),
        Some("drive") if args.len() >= 6 => drive(
            args[1].parse().unwrap_or_else(|_| usage()),
            args[2].parse().unwrap_or_else(|_| usage()),
            &args[3],
            &args[4],
            &args[5..],
        ),
        _ => usage(),
    }
}
