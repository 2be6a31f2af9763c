//! Helpers of `scripts/load-test` (the HTTP load test, not part of CI):
//!
//! - `setup DIR` — a data directory with a practice and an API token
//!   (printed): practice software calls the API with a token, and
//!   anonymous calls are rate-limited per address.
//! - `bodies DIR` — `decisions.jsonl` (the reference cases and a generated
//!   mix) and `interview.jsonl` (every step of the interviews of the
//!   reference cases), one request body a line, for wrk's Lua script.
//! - `cold-start ADDR TOKEN -- COMMAND…` — starts the server, times it to the
//!   first answered decision, prints its resident memory at rest, stops it.
//! - `dump N` — the decision JSON of the reference cases and of a generated
//!   mix of N situations, one a line on standard output, as the API writes
//!   it (`Law::decide_json`): run before and after an optimisation of the
//!   engine, the outputs must be identical.
//! - `dump-reference N` — the same by the reference engine (searches, no
//!   compiled law): its SHA-256 must equal that of `dump N`.
//! - `ceiling THREADS SECONDS FILE` — in-process decisions per second from
//!   JSON text to decision JSON on the same bodies: the ceiling of the
//!   HTTP figure.

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sceau_bench::{generated_mix, interview_steps, reference_situations, today};
use sceau_engine::Situation;

fn usage() -> ! {
    eprintln!("usage: sceau-load setup DIR | bodies DIR | dump N | dump-reference N | cold-start ADDR TOKEN -- COMMAND… | ceiling THREADS SECONDS FILE");
    std::process::exit(2)
}

fn setup(dir: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = sceau_store::Store::open(sceau_store::StoreConfig::new(dir, None))
            .await
            .expect("store opens");
        let admin = store
            .create_first_admin(
                "Cabinet de charge",
                "charge",
                "Charge",
                "motdepasse-de-charge",
            )
            .await
            .expect("first admin");
        let (token, _) = store
            .create_token(admin.practice_id, admin.id, "test de charge")
            .await
            .expect("token");
        println!("{token}");
        store.close().await;
    });
}

fn situation_json(s: &Situation) -> String {
    let law = sceau_law::law();
    serde_json::Value::Object(s.to_json(law)).to_string()
}

fn bodies(dir: &str) {
    let law = sceau_law::law();
    let reference = reference_situations(law);
    let mut decisions = String::new();
    for s in reference.iter().chain(&generated_mix(law, 200)) {
        // Only what the contract accepts: a generated situation may give a
        // recipient a quality its label contradicts, which the API refuses
        // (422 `contradiction`) and the ceiling below could not decide.
        let json = situation_json(s);
        if law.parse_situation_str(&json, today()).is_ok() {
            decisions.push_str(&json);
            decisions.push('\n');
        }
    }
    let mut interview = String::new();
    for full in &reference {
        for s in interview_steps(law, full) {
            interview.push_str(&format!("{{\"answers\":{}}}\n", situation_json(&s)));
        }
    }
    let dir = std::path::Path::new(dir);
    std::fs::write(dir.join("decisions.jsonl"), decisions).expect("write decisions.jsonl");
    std::fs::write(dir.join("interview.jsonl"), interview).expect("write interview.jsonl");
}

/// One POST of a decision; true when answered 200.
fn answered(addr: &str, token: &str) -> bool {
    let Ok(mut c) = TcpStream::connect(addr) else {
        return false;
    };
    let body = r#"{"recipient":"procureur","purpose":"signalement"}"#;
    let req = format!(
        "POST /api/v1/decisions HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut out = String::new();
    c.write_all(req.as_bytes()).is_ok()
        && c.read_to_string(&mut out).is_ok()
        && out.starts_with("HTTP/1.1 200")
}

fn rss_kb(pid: u32, field: &str) -> u64 {
    let f = std::fs::File::open(format!("/proc/{pid}/status")).expect("/proc status");
    std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn cold_start(addr: &str, token: &str, cmd: &[String]) {
    let start = Instant::now();
    let mut child = Command::new(&cmd[0])
        .args(&cmd[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let ready = loop {
        if answered(addr, token) {
            break start.elapsed();
        }
        if start.elapsed() > Duration::from_secs(20) || child.try_wait().ok().flatten().is_some() {
            let _ = child.kill();
            eprintln!("the server did not answer within 20 s");
            std::process::exit(1);
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    std::thread::sleep(Duration::from_secs(2));
    let rest = rss_kb(child.id(), "VmRSS:");
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "cold_start_ms={:.1} rss_at_rest_mb={:.1}",
        ready.as_secs_f64() * 1e3,
        rest as f64 / 1024.0
    );
}

fn ceiling(threads: usize, secs: f64, file: &str) {
    let law = sceau_law::law();
    let bodies: Vec<String> = std::fs::read_to_string(file)
        .expect("bodies file")
        .lines()
        .map(str::to_string)
        .collect();
    let stop = Instant::now() + Duration::from_secs_f64(secs);
    let start = Instant::now();
    let total: u64 = std::thread::scope(|sc| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let bodies = &bodies;
                sc.spawn(move || {
                    let mut n = 0u64;
                    let mut i = t;
                    while Instant::now() < stop {
                        for _ in 0..100 {
                            let s = law
                                .parse_situation_str(&bodies[i % bodies.len()], today())
                                .expect("valid body");
                            std::hint::black_box(law.decide_json(&s));
                            i += 1;
                            n += 1;
                        }
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).sum()
    });
    println!(
        "in_process_decisions_per_s={:.0}",
        total as f64 / start.elapsed().as_secs_f64()
    );
}

fn dump(n: usize, by_search: bool) {
    let law = sceau_law::law();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for s in reference_situations(law)
        .iter()
        .chain(&generated_mix(law, n))
    {
        // The compiled law writes its JSON from prepared fragments; the
        // reference's decision goes through serde: equal checksums prove
        // both the decisions and the bytes equal.
        let json = if by_search {
            serde_json::to_string(&sceau_engine::reference::decide(law, s)).expect("json")
        } else {
            law.decide_json(s)
        };
        writeln!(out, "{json}").expect("stdout");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("setup") if args.len() == 2 => setup(&args[1]),
        Some("bodies") if args.len() == 2 => bodies(&args[1]),
        Some("cold-start") if args.len() > 4 && args[3] == "--" => {
            cold_start(&args[1], &args[2], &args[4..])
        }
        Some("dump") if args.len() == 2 => dump(args[1].parse().unwrap_or_else(|_| usage()), false),
        Some("dump-reference") if args.len() == 2 => {
            dump(args[1].parse().unwrap_or_else(|_| usage()), true)
        }
        Some("ceiling") if args.len() == 4 => ceiling(
            args[1].parse().unwrap_or_else(|_| usage()),
            args[2].parse().unwrap_or_else(|_| usage()),
            &args[3],
        ),
        _ => usage(),
    }
}
