//! The release server as a child process, and a minimal HTTP/1.1 client
//! (one request per connection) so that a refused connection, a reset and
//! a status are all visible to the test as they are on the wire.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_sceau")
}

pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A store with a practice, its administrator and an API token.
pub struct Db {
    pub dir: PathBuf,
    pub url: Option<String>,
    pub token: String,
    /// Another copy of the binary to run (one that another account may execute).
    pub bin: Option<PathBuf>,
    /// More arguments of `sceau serve`.
    pub args: Vec<String>,
    _tmp: Option<tempfile::TempDir>,
}

impl Db {
    /// In a fresh temporary directory (and a fresh PostgreSQL database when
    /// `SCEAU_TEST_DATABASE_URL` is set and `postgres` is asked).
    pub fn new(postgres: bool) -> Db {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let mut db = Db::in_dir(&dir, postgres);
        db._tmp = Some(tmp);
        db
    }

    pub fn in_dir(dir: &Path, postgres: bool) -> Db {
        let url = if postgres {
            rt().block_on(sceau_store::testing::fresh_database_url())
        } else {
            None
        };
        Db::with_url(dir, url)
    }

    /// A practice in `dir` on the database `url` (SQLite in `dir` when `None`).
    pub fn with_url(dir: &Path, url: Option<String>) -> Db {
        rt().block_on(async {
            let mut cfg = sceau_store::StoreConfig::new(dir, url.clone());
            cfg.cost = sceau_store::HashCost::Fast;
            let s = sceau_store::Store::open(cfg).await.unwrap();
            let a = s
                .create_first_admin("Cabinet Pannes", "alice", "Alice", "motdepasse-solide")
                .await
                .unwrap();
            let (token, _) = s.create_token(a.practice_id, a.id, "pannes").await.unwrap();
            s.close().await;
            Db {
                dir: dir.to_path_buf(),
                url,
                token,
                bin: None,
                args: vec![],
                _tmp: None,
            }
        })
    }

    /// The same practice and database for another web node, with its own
    /// data directory `dir` holding a copy of the key (each node has its own
    /// disk; the key is the practice's, not the node's).
    pub fn node(&self, dir: &Path) -> Db {
        if dir != self.dir {
            std::fs::create_dir_all(dir).unwrap();
            let key = sceau_store::crypto::KEY_FILE;
            std::fs::copy(self.dir.join(key), dir.join(key)).unwrap();
        }
        Db {
            dir: dir.to_path_buf(),
            url: self.url.clone(),
            token: self.token.clone(),
            bin: None,
            args: self.args.clone(),
            _tmp: None,
        }
    }

    /// A second node of the same database: its own data folder, in a fresh
    /// temporary directory, holding a copy of this one's files (the key:
    /// nodes of one database share it), and no anchor of its own yet.
    pub fn twin(&self) -> Db {
        let tmp = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(&self.dir).unwrap().flatten() {
            let name = entry.file_name();
            let is_anchor = name.to_string_lossy().ends_with(".anchor");
            if entry.file_type().unwrap().is_file() && !is_anchor {
                std::fs::copy(entry.path(), tmp.path().join(&name)).unwrap();
            }
        }
        Db {
            dir: tmp.path().to_path_buf(),
            url: self.url.clone(),
            token: self.token.clone(),
            bin: self.bin.clone(),
            args: self.args.clone(),
            _tmp: Some(tmp),
        }
    }

    pub fn backend(&self) -> &'static str {
        if self.url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }
}

pub struct Server {
    pub child: Child,
    pub addr: String,
    pub log: PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    /// Starts `sceau serve` on a free loopback port and waits until it answers.
    pub fn start(db: &Db) -> Server {
        Server::start_with(db, &[], None)
    }

    /// The same, with more environment variables and, when `user` is given,
    /// as that user id (and group id): root reads and writes through any
    /// file mode, so a read-only data directory needs another account.
    pub fn start_with(db: &Db, env: &[(&str, String)], user: Option<u32>) -> Server {
        for _ in 0..5 {
            let addr = format!("127.0.0.1:{}", free_port());
            // Outside the data directory, which a test may fill or make read-only.
            let log = std::env::temp_dir().join(format!(
                "sceau-faults-{}-{}.log",
                std::process::id(),
                addr.rsplit(':').next().unwrap_or("0")
            ));
            let mut c = Command::new(db.bin.as_deref().unwrap_or(Path::new(bin())));
            c.args(["serve", "--listen", &addr, "--data-dir"])
                .arg(&db.dir)
                .env_remove("SCEAU_KEY")
                .env_remove("SCEAU_DATABASE_URL")
                .env("SCEAU_LOG", "warn")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).unwrap());
            if let Some(u) = &db.url {
                c.args(["--database-url", u]);
            }
            c.args(&db.args);
            for (k, v) in env {
                c.env(k, v);
            }
            if let Some(id) = user {
                use std::os::unix::process::CommandExt;
                c.uid(id).gid(id);
            }
            let mut child = c.spawn().unwrap();
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break; // the port was taken meanwhile, or a real failure: retried, then reported
                }
                if let Ok((200, _)) = http(&addr, "GET", "/api/v1/whoami", Some(&db.token), None) {
                    return Server { child, addr, log };
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!(
            "the server did not start: see {}/sceau-faults-*.log",
            std::env::temp_dir().display()
        );
    }

    /// The server's log so far (warnings and errors).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Resident memory high-water mark of the server process, in kB.
    pub fn peak_rss_kb(&self) -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        s.lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// One request; `Err` when the connection is refused or cut before a full answer.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<(&str, &[u8])>,
) -> std::io::Result<(u16, String)> {
    let auth = token.map(|t| format!("Authorization: Bearer {t}"));
    http_with(addr, method, path, auth.as_deref(), body)
}

/// One request with an extra header line (`Name: value`).
pub fn http_with(
    addr: &str,
    method: &str,
    path: &str,
    header: Option<&str>,
    body: Option<(&str, &[u8])>,
) -> std::io::Result<(u16, String)> {
    http_full(addr, method, path, header, body).map(|(status, _, body)| (status, body))
}

/// One request: (status, response head, body).
pub fn http_full(
    addr: &str,
    method: &str,
    path: &str,
    header: Option<&str>,
    body: Option<(&str, &[u8])>,
) -> std::io::Result<(u16, String, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(h) = header {
        req.push_str(h);
        req.push_str("\r\n");
    }
    let (ctype, bytes) = body.unwrap_or(("text/plain", b""));
    if body.is_some() {
        req.push_str(&format!("Content-Type: {ctype}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", bytes.len()));
    s.write_all(req.as_bytes())?;
    s.write_all(bytes)?;
    let mut raw = vec![];
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let cut = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "incomplete response");
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(cut)?;
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(cut)?;
    let lower = head.to_ascii_lowercase();
    let body = if lower.contains("transfer-encoding: chunked") {
        dechunk(body).ok_or_else(cut)?
    } else {
        if let Some(n) = lower
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
        {
            if body.len() < n {
                return Err(cut());
            }
        }
        body.to_string()
    };
    Ok((status, head.to_string(), body))
}

fn dechunk(mut s: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, rest) = s.split_once("\r\n")?;
        let n = usize::from_str_radix(size.trim(), 16).ok()?;
        if n == 0 {
            return Some(out);
        }
        out.push_str(rest.get(..n)?);
        s = rest.get(n + 2..)?;
    }
}

pub fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
}
