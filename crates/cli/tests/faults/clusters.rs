//! Two PostgreSQL clusters on this machine for the failover test (issue 17):
//! a primary and its synchronous standby (streaming replication,
//! `synchronous_standby_names = '*'`: a commit is acknowledged only once the
//! standby has it on disk). The primary dies as a machine dies (every one of
//! its processes SIGKILLed at once), the standby is promoted (`pg_ctl
//! promote`), and the dead primary is rewound into the new standby
//! (`pg_rewind`), so that the next round can kill again.
//!
//! Each postmaster is a child of the test (not daemonised by `pg_ctl
//! start`), so that the test reaps it and no stale process holds its lock
//! file. As root, PostgreSQL runs as the `postgres` account (it refuses
//! root).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;

use super::server::rt;

/// The PostgreSQL programs and the account that runs them.
pub struct Pg {
    bin: PathBuf,
    /// (uid, gid) of `postgres` when the test runs as root.
    user: Option<(u32, u32)>,
}

/// The directory of initdb, pg_ctl, pg_basebackup and pg_rewind:
/// `SCEAU_PG_BIN`, else the newest /usr/lib/postgresql/N/bin (Debian), else
/// the `PATH`. None when PostgreSQL is not installed.
fn find_bin() -> Option<PathBuf> {
    let has_all = |d: &Path| {
        ["initdb", "postgres", "pg_ctl", "pg_basebackup", "pg_rewind"]
            .iter()
            .all(|p| d.join(p).is_file())
    };
    if let Ok(d) = std::env::var("SCEAU_PG_BIN") {
        return Some(PathBuf::from(d)).filter(|d| has_all(d));
    }
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, d)| has_all(d))
        .collect();
    debian.sort();
    if let Some((_, d)) = debian.pop() {
        return Some(d);
    }
    std::env::split_paths(&std::env::var_os("PATH")?).find(|d| has_all(d))
}

/// `id ARGS…` as a number.
fn id(args: &[&str]) -> u32 {
    let out = Command::new("id")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("id {args:?}: {e}"));
    assert!(
        out.status.success(),
        "id {args:?}: running as root, PostgreSQL needs the `postgres` account (it refuses root)"
    );
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

impl Pg {
    /// Panics (the test fails, it does not skip) when PostgreSQL is missing.
    pub fn find() -> Pg {
        let bin = find_bin().expect(
            "PostgreSQL's programs (initdb, postgres, pg_ctl, pg_basebackup, pg_rewind) are \
             not installed: scripts/setup installs them; or name their directory in SCEAU_PG_BIN",
        );
        let root = id(&["-u"]) == 0;
        let user = root.then(|| (id(&["-u", "postgres"]), id(&["-g", "postgres"])));
        Pg { bin, user }
    }

    pub fn version(&self) -> String {
        let out = self.cmd("postgres").arg("--version").output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(self.bin.join(program));
        c.stdin(Stdio::null()).env_remove("PGDATA");
        if let Some((uid, gid)) = self.user {
            use std::os::unix::process::CommandExt;
            c.uid(uid).gid(gid);
        }
        c
    }

    /// Runs a PostgreSQL program to its end; panics with its output if it fails.
    fn run(&self, program: &str, args: &[&str]) -> String {
        let out = self
            .cmd(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{program} {args:?} failed:\n{text}");
        text
    }

    /// Makes `path` the PostgreSQL account's (when running as root).
    fn give(&self, path: &Path) {
        if let Some((uid, gid)) = self.user {
            std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
        }
    }
}

/// One cluster: its data directory, its port, its running postmaster.
pub struct Cluster {
    pub dir: PathBuf,
    pub port: u16,
    log: PathBuf,
    postmaster: Option<Child>,
}

impl Cluster {
    /// A connection string for PostgreSQL's own programs.
    fn conninfo(&self) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres dbname=postgres",
            self.port
        )
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// The last lines of its log, for a failure's message.
    pub fn log_tail(&self) -> String {
        let s = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = s.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

/// The primary and the standby.
pub struct Pair {
    pg: Pg,
    pub nodes: [Cluster; 2],
    /// Index of the primary in `nodes`.
    pub primary: usize,
    _tmp: tempfile::TempDir,
}

/// The two ports: `SCEAU_FAILOVER_PORTS` (`5443,5444`), else two free ones.
fn ports() -> [u16; 2] {
    if let Ok(v) = std::env::var("SCEAU_FAILOVER_PORTS") {
        let p: Vec<u16> = v.split(',').filter_map(|x| x.trim().parse().ok()).collect();
        assert_eq!(
            p.len(),
            2,
            "SCEAU_FAILOVER_PORTS: two ports, e.g. 5443,5444"
        );
        return [p[0], p[1]];
    }
    let free = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let a = free();
    let mut b = free();
    while b == a {
        b = free();
    }
    [a, b]
}

/// What both clusters run with (pg_basebackup and pg_rewind copy it from one
/// to the other; the port is given on the command line instead).
fn settings(socket_dir: &Path) -> String {
    format!(
        "listen_addresses = '127.0.0.1'\n\
         unix_socket_directories = '{}'\n\
         wal_level = replica\n\
         max_wal_senders = 5\n\
         wal_keep_size = '256MB'\n\
         synchronous_standby_names = '*'\n\
         synchronous_commit = on\n\
         hot_standby = on\n\
         wal_log_hints = on\n\
         max_connections = 60\n\
         shared_buffers = '16MB'\n\
         log_min_messages = warning\n",
        socket_dir.display()
    )
}

impl Pair {
    /// initdb, start the primary, create `database`, pg_basebackup the
    /// standby from it, start the standby, wait until it is synchronous.
    pub fn start(database: &str) -> Pair {
        let pg = Pg::find();
        let tmp = tempfile::Builder::new()
            .prefix("sceau-bascule")
            .tempdir()
            .unwrap();
        pg.give(tmp.path());
        let root = tmp.path();
        let [pa, pb] = ports();
        let cluster = |name: &str, port| Cluster {
            dir: root.join(name),
            port,
            log: root.join(format!("{name}.log")),
            postmaster: None,
        };
        let mut pair = Pair {
            nodes: [cluster("a", pa), cluster("b", pb)],
            primary: 0,
            pg,
            _tmp: tmp,
        };
        let a = pair.nodes[0].dir.to_str().unwrap().to_string();
        pair.pg.run(
            "initdb",
            &[
                "-D",
                &a,
                "-U",
                "postgres",
                "--auth=trust",
                "-k",
                "-E",
                "UTF8",
                "--no-instructions",
            ],
        );
        let conf = pair.nodes[0].dir.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).unwrap();
        text.push_str(&settings(pair._tmp.path()));
        std::fs::write(&conf, text).unwrap();
        pair.launch(0);
        rt().block_on(async {
            let mut c = sqlx::PgConnection::connect(&pair.nodes[0].url("postgres"))
                .await
                .unwrap();
            // Alone, the primary has no standby to confirm this commit yet.
            sqlx::query("SET synchronous_commit = local")
                .execute(&mut c)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE DATABASE {database}"))
                .execute(&mut c)
                .await
                .unwrap();
        });
        let b = pair.nodes[1].dir.to_str().unwrap().to_string();
        let source = pair.nodes[0].conninfo();
        pair.pg.run(
            "pg_basebackup",
            &[
                "-d",
                &source,
                "-D",
                &b,
                "-R",
                "-X",
                "stream",
                "--checkpoint=fast",
            ],
        );
        pair.launch(1);
        pair.wait_synchronous(Duration::from_secs(60));
        pair
    }

    pub fn pg_version(&self) -> String {
        self.pg.version()
    }

    pub fn standby(&self) -> usize {
        1 - self.primary
    }

    /// The URL the web nodes use: both hosts, the one that takes writes.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{},127.0.0.1:{}/{database}?target_session_attrs=read-write",
            self.nodes[0].port, self.nodes[1].port
        )
    }

    /// Starts the postmaster of `nodes[i]` and waits until it accepts connections.
    fn launch(&mut self, i: usize) {
        let n = &mut self.nodes[i];
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&n.log)
            .unwrap();
        let child = self
            .pg
            .cmd("postgres")
            .arg("-D")
            .arg(&n.dir)
            .args(["-p", &n.port.to_string()])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        n.postmaster = Some(child);
        let url = n.url("postgres");
        let deadline = Instant::now() + Duration::from_secs(60);
        let up = rt().block_on(async {
            while Instant::now() < deadline {
                if let Ok(c) = sqlx::PgConnection::connect(&url).await {
                    let _ = c.close().await;
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            false
        });
        let n = &mut self.nodes[i];
        assert!(
            up,
            "PostgreSQL on port {} did not start:\n{}",
            n.port,
            n.log_tail()
        );
    }

    /// Waits until the primary reports a synchronous standby streaming.
    pub fn wait_synchronous(&self, within: Duration) {
        let url = self.nodes[self.primary].url("postgres");
        let deadline = Instant::now() + within;
        let ok = rt().block_on(async {
            while Instant::now() < deadline {
                if let Ok(mut c) = sqlx::PgConnection::connect(&url).await {
                    let sync: Option<i64> = sqlx::query_scalar(
                        "SELECT count(*) FROM pg_stat_replication \
                         WHERE sync_state = 'sync' AND state = 'streaming'",
                    )
                    .fetch_one(&mut c)
                    .await
                    .ok();
                    let _ = c.close().await;
                    if sync == Some(1) {
                        return true;
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            false
        });
        assert!(
            ok,
            "no synchronous standby on port {} after {within:?}:\n{}\n---\n{}",
            self.nodes[self.primary].port,
            self.nodes[self.primary].log_tail(),
            self.nodes[self.standby()].log_tail()
        );
    }

    /// The primary dies as its machine would: the postmaster is stopped
    /// (it forks no more backends), then it and every one of its processes
    /// are SIGKILLed together; nothing of PostgreSQL's shutdown runs.
    pub fn kill_primary(&mut self) {
        let n = &mut self.nodes[self.primary];
        let mut pm = n.postmaster.take().expect("the primary is running");
        let pid = pm.id().to_string();
        assert!(
            signal("STOP", std::slice::from_ref(&pid)),
            "kill -STOP {pid}"
        );
        let mut all = children(pm.id());
        all.push(pid.clone());
        assert!(signal("KILL", &all), "kill -KILL {all:?}");
        pm.wait().unwrap();
    }

    /// `pg_ctl promote` on the standby (waits until it takes writes), then a
    /// checkpoint, so that pg_rewind reads its new timeline from its control file.
    pub fn promote(&mut self) {
        let s = self.standby();
        let dir = self.nodes[s].dir.to_str().unwrap().to_string();
        self.pg
            .run("pg_ctl", &["-D", &dir, "promote", "-w", "-t", "60"]);
        let url = self.nodes[s].url("postgres");
        rt().block_on(async {
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query("CHECKPOINT").execute(&mut c).await.unwrap();
            let _ = c.close().await;
        });
        self.primary = s;
    }

    /// The dead former primary becomes the new standby: pg_rewind from the
    /// new primary (it first finishes the crash recovery of the dead one),
    /// with `-R` for standby.signal and the new primary_conninfo; started,
    /// then waited for until it is the synchronous standby.
    pub fn rewind_old_primary(&mut self) {
        let old = self.standby();
        assert!(
            self.nodes[old].postmaster.is_none(),
            "the old primary still runs"
        );
        let dir = self.nodes[old].dir.to_str().unwrap().to_string();
        let source = self.nodes[self.primary].conninfo();
        self.pg.run(
            "pg_rewind",
            &["-D", &dir, "--source-server", &source, "-R", "--no-sync"],
        );
        self.launch(old);
        self.wait_synchronous(Duration::from_secs(60));
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        for n in &mut self.nodes {
            if let Some(mut pm) = n.postmaster.take() {
                // Immediate shutdown: the postmaster ends its backends itself.
                signal("QUIT", &[pm.id().to_string()]);
                let deadline = Instant::now() + Duration::from_secs(10);
                while matches!(pm.try_wait(), Ok(None)) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(20));
                }
                let _ = pm.kill();
                let _ = pm.wait();
            }
        }
    }
}

/// `kill -SIG pid…`.
fn signal(sig: &str, pids: &[String]) -> bool {
    Command::new("kill")
        .arg(format!("-{sig}"))
        .args(pids)
        .status()
        .is_ok_and(|s| s.success())
}

/// The processes whose parent is `pid` (from /proc).
fn children(pid: u32) -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            name.parse::<u32>().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            // pid (comm) state ppid …: comm may hold spaces, so split after its ')'.
            let ppid: u32 = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            (ppid == pid).then_some(name)
        })
        .collect()
}
