//! The release server under floods (issue 14), on loopback only, with
//! bounded loops; the thresholds are limits, not speed benchmarks:
//! - 100 concurrent wrong logins, from 100 addresses (127.0.0.2…101, all
//!   loopback), for unknown accounts (each a full 19 MiB Argon2id hash):
//!   the resident memory stays under 256 MB and a signed-in page answers
//!   in under 2 s.
//! - 400 unfinished requests, on a server limited to 256 open files: all
//!   closed within a minute, while normal requests are served.
//! - The installation code: printed on the console, in a 0600 file of the
//!   data directory, or set by `SCEAU_INSTALL_CODE`; required by the form.
//!
//! SQLite, or PostgreSQL with `SCEAU_TEST_DATABASE_URL`.

#[path = "../faults/server.rs"]
#[allow(dead_code)]
mod server;

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use server::Db;

fn postgres() -> bool {
    std::env::var("SCEAU_TEST_DATABASE_URL").is_ok_and(|v| !v.trim().is_empty())
}

/// `sceau serve` on a free loopback port, with extra arguments and
/// environment, and optionally `ulimit -n`; returns once `/` answers.
struct Serve {
    child: Child,
    addr: String,
    log: std::path::PathBuf,
}

impl Serve {
    // try_wait() reaps the child in the branch that panics on its exit.
    #[allow(clippy::zombie_processes)]
    fn start(
        dir: &Path,
        url: Option<&str>,
        args: &[&str],
        env: &[(&str, &str)],
        nofile: Option<u32>,
    ) -> Serve {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let log =
            std::env::temp_dir().join(format!("sceau-limits-{}-{port}.log", std::process::id()));
        let mut c = match nofile {
            Some(n) => {
                let mut c = Command::new("sh");
                c.args([
                    "-c",
                    &format!("ulimit -n {n} && exec \"$0\" \"$@\""),
                    server::bin(),
                ]);
                c
            }
            None => Command::new(server::bin()),
        };
        c.args(["serve", "--listen", &addr, "--data-dir"])
            .arg(dir)
            .args(args)
            .env_remove("SCEAU_KEY")
            .env_remove("SCEAU_DATABASE_URL")
            .env_remove("SCEAU_INSTALL_CODE")
            .env("SCEAU_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        for (k, v) in env {
            c.env(k, v);
        }
        if let Some(u) = url {
            c.args(["--database-url", u]);
        }
        let mut child = c.spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(st)) = child.try_wait() {
                panic!(
                    "server exited ({st}): {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
            if request(
                &addr,
                None,
                "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            )
            .is_ok()
            {
                return Serve { child, addr, log };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "the server did not start: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    fn status_kb(&self, field: &str) -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        s.lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A connection from a chosen loopback address (127.0.0.0/8 is all loopback).
fn connect_from(from: Option<Ipv4Addr>, addr: &str) -> std::io::Result<TcpStream> {
    let target: SocketAddr = addr.parse().unwrap();
    match from {
        None => TcpStream::connect_timeout(&target, Duration::from_secs(10)),
        Some(ip) => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let s = tokio::net::TcpSocket::new_v4()?;
                s.bind(SocketAddr::new(IpAddr::V4(ip), 0))?;
                let stream = s.connect(target).await?;
                stream.into_std().and_then(|s| {
                    s.set_nonblocking(false)?;
                    Ok(s)
                })
            })
        }
    }
}

/// Sends a raw request, returns (status, head, body).
fn request(
    addr: &str,
    from: Option<Ipv4Addr>,
    raw: &str,
) -> std::io::Result<(u16, String, String)> {
    let mut s = connect_from(from, addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    s.write_all(raw.as_bytes())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "incomplete"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((status, head.to_string(), body.to_string()))
}

const CSRF: &str = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd";

fn login_request(addr: &str, user: &str, password: &str) -> String {
    let body = format!(
        "csrf={CSRF}&identifiant={user}&mot_de_passe={}",
        password.replace(' ', "+")
    );
    format!(
        "POST /connexion HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: sceau_csrf={CSRF}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn a_login_flood_keeps_memory_flat_and_pages_answering() {
    let db = Db::new(postgres());
    let srv = Serve::start(&db.dir, db.url.as_deref(), &[], &[], None);
    // A signed-in user (the test account's hash is cheap; the flood's are not).
    let (status, head, _) = request(
        &srv.addr,
        None,
        &login_request(&srv.addr, "alice", "motdepasse-solide"),
    )
    .unwrap();
    assert_eq!(status, 303, "{head}");
    let session = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: sceau_session=")
                .or_else(|| l.strip_prefix("Set-Cookie: sceau_session="))
        })
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_string();
    let page = format!("GET /compte HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nCookie: sceau_session={session}\r\n\r\n", srv.addr);
    assert_eq!(request(&srv.addr, None, &page).unwrap().0, 200);
    let before = srv.status_kb("VmRSS:");

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let counts = std::sync::Arc::new(std::sync::Mutex::new(
        std::collections::BTreeMap::<u16, u32>::new(),
    ));
    let flood_for = Duration::from_secs(15);
    let start = Instant::now();
    let mut threads = Vec::new();
    for i in 0..100u8 {
        let (addr, stop, counts) = (srv.addr.clone(), stop.clone(), counts.clone());
        threads.push(std::thread::spawn(move || {
            let from = Ipv4Addr::new(127, 0, 0, 2 + i);
            let mut n = 0u32;
            // Bounded: at most 40 attempts per client, and 15 s.
            while n < 40
                && start.elapsed() < flood_for
                && !stop.load(std::sync::atomic::Ordering::Relaxed)
            {
                let user = format!("inconnu{i}x{n}");
                let status = request(
                    &addr,
                    Some(from),
                    &login_request(&addr, &user, "mauvais mot de passe"),
                )
                .map(|r| r.0)
                .unwrap_or(0);
                *counts.lock().unwrap().entry(status).or_default() += 1;
                n += 1;
            }
        }));
    }
    // Meanwhile: the signed-in page, and the memory.
    let mut worst = Duration::ZERO;
    let mut pages = 0;
    let mut peak_rss = 0;
    while start.elapsed() < flood_for {
        let t = Instant::now();
        let r = request(&srv.addr, None, &page);
        let took = t.elapsed();
        assert_eq!(
            r.as_ref().map(|r| r.0).unwrap_or(0),
            200,
            "signed-in page during the flood: {r:?}\n{}",
            srv.log()
        );
        worst = worst.max(took);
        pages += 1;
        peak_rss = peak_rss.max(srv.status_kb("VmRSS:"));
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let hwm = srv.status_kb("VmHWM:");
    let after = srv.status_kb("VmRSS:");
    let counts = counts.lock().unwrap().clone();
    println!(
        "FIGURE flood ({}): 100 clients, {:?} (statut: nombre) ; mémoire résidente avant {} Mo, pic {} Mo (VmHWM), après {} Mo ; page connectée : {pages} requêtes, la plus lente {} ms",
        db.backend(),
        counts,
        before / 1024,
        hwm / 1024,
        after / 1024,
        worst.as_millis()
    );
    assert!(
        counts.get(&401).copied().unwrap_or(0) > 0,
        "no attempt was checked: {counts:?}"
    );
    assert!(
        hwm.max(peak_rss) < 256 * 1024,
        "resident memory peaked at {} MB",
        hwm.max(peak_rss) / 1024
    );
    assert!(
        worst < Duration::from_secs(2),
        "a signed-in page took {worst:?}"
    );
    assert_eq!(
        counts.get(&0),
        None,
        "connections refused or cut: {counts:?}"
    );
}

#[test]
fn unfinished_requests_are_closed_while_normal_ones_are_served() {
    let db = Db::new(postgres());
    let srv = Serve::start(&db.dir, db.url.as_deref(), &[], &[], Some(256));
    let from = Ipv4Addr::new(127, 0, 0, 2);
    let start = Instant::now();
    // 400 requests whose head never ends.
    let mut slow = Vec::new();
    let mut refused_at_connect = 0;
    for _ in 0..400 {
        match connect_from(Some(from), &srv.addr) {
            Ok(mut s) => {
                let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: lent\r\nX-Lent: ");
                s.set_nonblocking(true).unwrap();
                slow.push((s, None::<Duration>));
            }
            Err(_) => refused_at_connect += 1,
        }
    }
    // Normal requests from another address, while the slow ones hang on.
    let mut served = 0;
    let mut worst = Duration::ZERO;
    let mut open_max = 0;
    while start.elapsed() < Duration::from_secs(70) {
        let t = Instant::now();
        let r = request(
            &srv.addr,
            None,
            &format!(
                "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                srv.addr
            ),
        );
        assert_eq!(
            r.as_ref().map(|r| r.0).unwrap_or(0),
            200,
            "normal request: {r:?}\n{}",
            srv.log()
        );
        worst = worst.max(t.elapsed());
        served += 1;
        let mut open = 0;
        for (s, closed) in slow.iter_mut() {
            if closed.is_some() {
                continue;
            }
            let mut b = [0u8; 512];
            match s.read(&mut b) {
                Ok(0) => *closed = Some(start.elapsed()),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => open += 1,
                Err(_) => *closed = Some(start.elapsed()),
            }
        }
        open_max = open_max.max(open);
        if open == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let closed: Vec<Duration> = slow.iter().filter_map(|(_, c)| *c).collect();
    let last = closed.iter().max().copied().unwrap_or_default();
    let early = closed
        .iter()
        .filter(|d| **d < Duration::from_secs(2))
        .count();
    println!(
        "FIGURE lents ({}): 400 requêtes inachevées, ulimit -n 256 ; {refused_at_connect} refusées à la connexion, {early} fermées dans les 2 s (au-delà de la limite par adresse), les autres au délai d’en-tête ; toutes fermées en {} s ; {served} requêtes normales servies pendant ce temps, la plus lente {} ms",
        db.backend(),
        last.as_secs(),
        worst.as_millis()
    );
    assert_eq!(
        closed.len() + refused_at_connect,
        400,
        "still open after 70 s: {}",
        slow.len() - closed.len()
    );
    assert!(
        last < Duration::from_secs(60),
        "the last one closed after {last:?}"
    );
    assert!(served >= 5);
}

#[test]
fn the_installation_code_is_printed_and_required() {
    let tmp = tempfile::tempdir().unwrap();
    let url = if postgres() {
        server::rt().block_on(sceau_store::testing::fresh_database_url())
    } else {
        None
    };
    let srv = Serve::start(tmp.path(), url.as_deref(), &[], &[], None);
    let file = tmp.path().join("installation.code");
    let code = std::fs::read_to_string(&file)
        .expect("installation.code written")
        .trim()
        .to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "installation.code mode {mode:o}");
    }
    assert!(
        srv.log().contains(&code),
        "code printed on the console: {}",
        srv.log()
    );
    let install = |code: &str| {
        let body = format!(
            "csrf={CSRF}&code={code}&cabinet=Cabinet&nom=Alice&identifiant=alice&mot_de_passe=motdepasse-solide&confirmation=motdepasse-solide"
        );
        let raw = format!(
            "POST /installation HTTP/1.1\r\nHost: t\r\nConnection: close\r\nCookie: sceau_csrf={CSRF}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        request(&srv.addr, None, &raw).unwrap().0
    };
    assert_eq!(install("AAAA-BBBB-CCCC"), 422);
    assert_eq!(install(""), 422);
    assert_eq!(install(&code), 303);
    assert!(!file.exists(), "the code file outlives the installation");
    drop(srv);

    // Automation sets it.
    let tmp = tempfile::tempdir().unwrap();
    let url = if postgres() {
        server::rt().block_on(sceau_store::testing::fresh_database_url())
    } else {
        None
    };
    let srv = Serve::start(
        tmp.path(),
        url.as_deref(),
        &[],
        &[("SCEAU_INSTALL_CODE", "code-choisi-1234")],
        None,
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("installation.code"))
            .unwrap()
            .trim(),
        "code-choisi-1234"
    );
    drop(srv);
}
