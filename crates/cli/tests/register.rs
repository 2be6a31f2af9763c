//! `sceau journal verify|append|export`, `sceau backup`, `sceau restore`
//! on a real store: tampering done directly in the database (every field,
//! deletion, insertion, swap, truncated tail, the file's bytes, the anchor),
//! a 100 000-entry journal, crashes (SIGKILL) while appending, backups.
//! SQLite by default; PostgreSQL with SCEAU_TEST_DATABASE_URL.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use sqlx::{Connection, Row};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_sceau")
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A store for one test: a data directory, and a PostgreSQL database when asked.
struct Db {
    dir: tempfile::TempDir,
    url: Option<String>,
    patient: String,
}

impl Db {
    fn new() -> Db {
        rt().block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let url = sceau_store::testing::fresh_database_url().await;
            let mut cfg = sceau_store::StoreConfig::new(dir.path(), url.clone());
            cfg.cost = sceau_store::HashCost::Fast;
            let s = sceau_store::Store::open(cfg).await.unwrap();
            let a = s
                .create_first_admin("Cabinet Test", "alice", "Alice", "motdepasse-solide")
                .await
                .unwrap();
            let p = s
                .create_patient(
                    a.practice_id,
                    "alice",
                    &sceau_store::register::NewPatient {
                        display_name: "Zénobie Tamperwell".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            s.close().await;
            Db {
                dir,
                url,
                patient: p.id,
            }
        })
    }

    fn args(&self) -> Vec<String> {
        let mut a = vec![
            "--data-dir".to_string(),
            self.dir.path().display().to_string(),
        ];
        if let Some(u) = &self.url {
            a.push("--database-url".into());
            a.push(u.clone());
        }
        a
    }

    fn cmd(&self, sub: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.args(sub)
            .args(self.args())
            .env_remove("SCEAU_KEY")
            .env_remove("SCEAU_DATA_DIR")
            .env_remove("SCEAU_DATABASE_URL");
        c
    }

    fn run(&self, sub: &[&str], stdin: &str) -> Output {
        let mut child = self
            .cmd(sub)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut i = child.stdin.take().unwrap();
        let input = stdin.to_string();
        let w = std::thread::spawn(move || {
            let _ = i.write_all(input.as_bytes());
        });
        let out = child.wait_with_output().unwrap();
        w.join().unwrap();
        out
    }

    fn database_url(&self) -> String {
        match &self.url {
            Some(u) => u.clone(),
            None => format!(
                "sqlite://{}",
                self.dir.path().join("sceau.sqlite").display()
            ),
        }
    }

    /// Runs SQL statements directly on the database, as an intruder would.
    fn sql(&self, f: impl AsyncFnOnce(&mut sqlx::AnyConnection)) {
        rt().block_on(async {
            sqlx::any::install_default_drivers();
            let mut c = sqlx::AnyConnection::connect(&self.database_url())
                .await
                .unwrap();
            f(&mut c).await;
            c.close().await.unwrap();
        })
    }

    fn verify(&self) -> (i32, String) {
        let o = self.run(&["journal", "verify"], "");
        (o.status.code().unwrap_or(-1), text(&o))
    }

    fn append_lines(&self, lines: &str) -> Vec<u64> {
        let o = self.run(&["journal", "append"], lines);
        assert!(
            o.status.success(),
            "append failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| l.trim().parse().unwrap())
            .collect()
    }

    fn is_sqlite(&self) -> bool {
        self.url.is_none()
    }

    /// Runs `f` on a store opened on this database with its key, as Sceau.
    fn store<T>(&self, f: impl AsyncFnOnce(&sceau_store::Store) -> T) -> T {
        rt().block_on(async {
            let mut cfg = sceau_store::StoreConfig::new(self.dir.path(), self.url.clone());
            cfg.cost = sceau_store::HashCost::Fast;
            let s = sceau_store::Store::open(cfg).await.unwrap();
            let out = f(&s).await;
            s.close().await;
            out
        })
    }
}

/// Recipients of the law's vocabulary, one per entry in turn (a journal
/// entry takes no other word, audit finding 6).
const RECIPIENTS: [&str; 5] = ["procureur", "crip", "prefet", "juge", "autorite_medicale"];

/// What a command printed, standard output then standard error.
fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
}

fn line(i: u64, patient: &str) -> String {
    serde_json::json!({
        "recipient": RECIPIENTS[(i % 5) as usize], "purpose": "signalement", "verdict": "allowed",
        "basis": ["cp:226-14:3"], "information": format!("constatations de la séance n° {i}"),
        "patient": if i.is_multiple_of(3) { serde_json::Value::from(patient) } else { serde_json::Value::Null },
    })
    .to_string()
        + "\n"
}

fn journal_of(db: &Db, n: u64) {
    let input: String = (1..=n).map(|i| line(i, &db.patient)).collect();
    let seqs = db.append_lines(&input);
    assert_eq!(seqs, (1..=n).collect::<Vec<_>>());
}

/// The verification fails and names entry `seq`.
fn assert_names(db: &Db, seq: u64, what: &str) {
    let (code, text) = db.verify();
    assert_eq!(code, 3, "{what}: verify must fail:\n{text}");
    assert!(
        text.contains(&format!("première entrée en cause : n° {seq} ")),
        "{what}: verify must name entry {seq}:\n{text}"
    );
}

#[test]
fn append_prints_sequence_numbers_verify_and_export() {
    let db = Db::new();
    journal_of(&db, 5);
    let (code, text) = db.verify();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("journal intact, 5 entrée(s)"), "{text}");
    // One more, appended to the same chain.
    assert_eq!(db.append_lines(&line(6, &db.patient)), vec![6]);
    // A bad line is refused, naming the line, not its content; the lines before it are kept.
    let o = db.run(
        &["journal", "append"],
        &(line(7, &db.patient) + "{\"recipient\": \"secret-du-patient\", \"champ\": 1}\n"),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("ligne 2") && !err.contains("secret-du-patient"),
        "{err}"
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "7");
    // An unknown patient is refused.
    let o = db.run(
        &["journal", "append"],
        "{\"recipient\":\"procureur\",\"purpose\":\"signalement\",\"verdict\":\"allowed\",\"patient\":\"pat_0123456789abcdef0123456789abcdef\"}\n",
    );
    assert_eq!(o.status.code(), Some(2));
    // Export: entries with their proofs, and the patient's own.
    let o = db.run(&["journal", "export"], "");
    assert!(o.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.iter().filter(|l| l["type"] == "entry").count(), 7);
    assert!(lines.iter().any(|l| l["type"] == "anchor" && l["seq"] == 7));
    assert_eq!(lines.last().unwrap()["intact"], true);
    let o = db.run(&["journal", "export", "--patient", &db.patient], "");
    let mine = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.contains("\"type\":\"entry\""))
        .count();
    assert_eq!(mine, 2, "entries 3 and 6 name the patient");
    // Whoever receives an export checks it without the database or the key.
    let check = |text: &str| {
        let mut c = Command::new(bin())
            .args(["journal", "check-export", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        c.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        c.wait_with_output().unwrap()
    };
    let export = String::from_utf8_lossy(&db.run(&["journal", "export"], "").stdout).to_string();
    let o = check(&export);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("7 entrée(s)"));
    assert_eq!(
        check(&String::from_utf8_lossy(&o.stdout)).status.code(),
        Some(3)
    );
    // Entry 4's recipient changed in the export.
    let edited: String = export
        .lines()
        .map(|l| {
            if l.contains("\"type\":\"entry\"") && l.contains("\"seq\":4,") {
                l.replacen(&format!("\"{}\"", RECIPIENTS[4]), "\"juridiction\"", 1)
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect();
    assert_ne!(edited, export);
    let o = check(&edited);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("a été modifiée") && !err.contains("juridiction"),
        "{err}"
    );
    // The information is encrypted in the database.
    if db.is_sqlite() {
        let bytes = std::fs::read(db.dir.path().join("sceau.sqlite")).unwrap();
        let wal = std::fs::read(db.dir.path().join("sceau.sqlite-wal")).unwrap_or_default();
        for b in [bytes, wal] {
            let t = String::from_utf8_lossy(&b);
            assert!(!t.contains("constatations") && !t.contains("Tamperwell"));
        }
    }
    // A wrong key is refused clearly.
    let o = db
        .cmd(&["journal", "verify"])
        .env("SCEAU_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("n’est pas celle de cette base"));
}

/// Changes one byte of a text value.
fn flip_text(s: &str) -> String {
    let mut b = s.as_bytes().to_vec();
    let i = b
        .iter()
        .position(|c| c.is_ascii_alphanumeric())
        .unwrap_or(0);
    b[i] = match b[i] {
        b'0' => b'1',
        b'a' => b'b',
        c if c.is_ascii_digit() => b'0',
        c if c.is_ascii_lowercase() => b'a',
        _ => b'x',
    };
    String::from_utf8(b).unwrap()
}

#[test]
fn tampering_with_any_field_deletion_insertion_swap_or_truncation_is_named() {
    const TEXT: [&str; 11] = [
        "practice",
        "author",
        "patient",
        "recipient",
        "purpose",
        "action",
        "verdict",
        "basis",
        "prev",
        "hash",
        "information_digest",
    ];
    for col in TEXT
        .iter()
        .copied()
        .chain(["at", "information", "seq", "practice_id"])
    {
        let db = Db::new();
        journal_of(&db, 30);
        db.sql(async |c| {
            let seq_of_target = 12i64;
            match col {
                "at" => {
                    sqlx::query("UPDATE journal_entries SET at = at + 1 WHERE seq = $1")
                        .bind(seq_of_target)
                        .execute(&mut *c)
                        .await
                        .unwrap();
                }
                "seq" => {
                    sqlx::query("UPDATE journal_entries SET seq = 112 WHERE seq = $1")
                        .bind(seq_of_target)
                        .execute(&mut *c)
                        .await
                        .unwrap();
                }
                "practice_id" => {
                    sqlx::query(
                        "INSERT INTO practices (id, name, created_at) VALUES (99, 'Autre', 0)",
                    )
                    .execute(&mut *c)
                    .await
                    .unwrap();
                    sqlx::query("UPDATE journal_entries SET practice_id = 99 WHERE seq = $1")
                        .bind(seq_of_target)
                        .execute(&mut *c)
                        .await
                        .unwrap();
                }
                "information" => {
                    let r = sqlx::query("SELECT information FROM journal_entries WHERE seq = $1")
                        .bind(seq_of_target)
                        .fetch_one(&mut *c)
                        .await
                        .unwrap();
                    let mut b: Vec<u8> = r.get(0);
                    let last = b.len() - 1;
                    b[last] ^= 1;
                    sqlx::query("UPDATE journal_entries SET information = $1 WHERE seq = $2")
                        .bind(b)
                        .bind(seq_of_target)
                        .execute(&mut *c)
                        .await
                        .unwrap();
                }
                text => {
                    let target = if text == "patient" { 12 } else { seq_of_target };
                    let r = sqlx::query(&format!(
                        "SELECT {text} FROM journal_entries WHERE seq = $1"
                    ))
                    .bind(target)
                    .fetch_one(&mut *c)
                    .await
                    .unwrap();
                    let v: Option<String> = r.get(0);
                    let v = flip_text(&v.expect("entry 12 names the patient"));
                    sqlx::query(&format!(
                        "UPDATE journal_entries SET {text} = $1 WHERE seq = $2"
                    ))
                    .bind(v)
                    .bind(target)
                    .execute(&mut *c)
                    .await
                    .unwrap();
                }
            }
        });
        assert_names(&db, 12, &format!("a byte of `{col}` changed"));
    }
}

#[test]
fn deleted_inserted_swapped_truncated_and_anchor_tampering() {
    // Deleted.
    let db = Db::new();
    journal_of(&db, 30);
    db.sql(async |c| {
        sqlx::query("DELETE FROM journal_entries WHERE seq = 12")
            .execute(&mut *c)
            .await
            .unwrap();
    });
    assert_names(&db, 12, "entry 12 deleted");

    // Inserted: a forged entry slipped in at 12, the rest renumbered.
    let db = Db::new();
    journal_of(&db, 30);
    db.sql(async |c| {
        sqlx::query("UPDATE journal_entries SET seq = -seq - 1 WHERE seq >= 12")
            .execute(&mut *c)
            .await
            .unwrap();
        sqlx::query("UPDATE journal_entries SET seq = -seq WHERE seq < 0")
            .execute(&mut *c)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO journal_entries (practice_id, seq, at, practice, author, patient, recipient, purpose, action, verdict, basis, information, prev, hash, information_digest)
             SELECT practice_id, 12, at, practice, 'intrus', patient, recipient, purpose, action, verdict, basis, information, hash, prev, information_digest FROM journal_entries WHERE seq = 11",
        )
        .execute(&mut *c)
        .await
        .unwrap();
    });
    assert_names(&db, 12, "an entry inserted at 12");

    // Swapped: 12 and 13 exchange places.
    let db = Db::new();
    journal_of(&db, 30);
    db.sql(async |c| {
        sqlx::query("UPDATE journal_entries SET seq = 1000 WHERE seq = 12")
            .execute(&mut *c)
            .await
            .unwrap();
        sqlx::query("UPDATE journal_entries SET seq = 12 WHERE seq = 13")
            .execute(&mut *c)
            .await
            .unwrap();
        sqlx::query("UPDATE journal_entries SET seq = 13 WHERE seq = 1000")
            .execute(&mut *c)
            .await
            .unwrap();
    });
    assert_names(&db, 12, "entries 12 and 13 swapped");

    // Truncated: the last five entries cut off (the head row too).
    let db = Db::new();
    journal_of(&db, 30);
    db.sql(async |c| {
        sqlx::query("DELETE FROM journal_entries WHERE seq > 25")
            .execute(&mut *c)
            .await
            .unwrap();
        sqlx::query("UPDATE journal_heads SET seq = 25, hash = (SELECT hash FROM journal_entries WHERE seq = 25)")
            .execute(&mut *c)
            .await
            .unwrap();
    });
    assert_names(&db, 26, "tail cut at 26");

    // The anchor forged (moved back), then deleted.
    let db = Db::new();
    journal_of(&db, 30);
    let anchor = db.dir.path().join("journal-1.anchor");
    let text = std::fs::read_to_string(&anchor).unwrap();
    std::fs::write(&anchor, text.replace("\"seq\": 30", "\"seq\": 20")).unwrap();
    let (code, out) = db.verify();
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("anchor_forged"), "{out}");
    // The anchor file is a second witness, the signed head lives in the
    // database (shared by every process): without the file, the head still
    // checks the journal; without the head, the journal is tampered with.
    std::fs::remove_file(&anchor).unwrap();
    let (code, out) = db.verify();
    assert_eq!(code, 0, "{out}");
    db.sql(async |c| {
        sqlx::query("DELETE FROM journal_heads")
            .execute(&mut *c)
            .await
            .unwrap();
    });
    let (code, out) = db.verify();
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("a disparu"), "{out}");

    // A byte changed in the SQLite file itself.
    let db = Db::new();
    if db.is_sqlite() {
        journal_of(&db, 30);
        db.sql(async |c| {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut *c)
                .await
                .unwrap();
        });
        let file = db.dir.path().join("sceau.sqlite");
        let mut bytes = std::fs::read(&file).unwrap();
        // Every copy of entry 12's hash (free pages may keep stale ones).
        let export =
            String::from_utf8_lossy(&db.run(&["journal", "export"], "").stdout).to_string();
        let twelve: serde_json::Value = export
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|v| v["type"] == "entry" && v["seq"] == 12)
            .unwrap();
        let hash = twelve["hash"].as_str().unwrap().to_string();
        let needle = hash.as_bytes();
        let hits: Vec<usize> = bytes
            .windows(needle.len())
            .enumerate()
            .filter(|(_, w)| *w == needle)
            .map(|(i, _)| i)
            .collect();
        assert!(!hits.is_empty(), "the hash of entry 12 is in the file");
        for at in hits {
            bytes[at] = b'x';
        }
        std::fs::write(&file, bytes).unwrap();
        assert_names(&db, 12, "a byte of the file changed");
    }
}

#[test]
fn an_untouched_journal_of_100000_entries_verifies() {
    let db = Db::new();
    let start = Instant::now();
    let input: String = (1..=100_000u64)
        .map(|i| {
            format!(
                "{{\"recipient\":\"procureur\",\"purpose\":\"signalement\",\"verdict\":\"allowed\",\"basis\":[\"cp:226-14:3\"],\"information\":\"entrée {i}\"}}\n"
            )
        })
        .collect();
    let seqs = db.append_lines(&input);
    assert_eq!(seqs.len(), 100_000);
    assert_eq!(seqs.last(), Some(&100_000));
    let (code, text) = db.verify();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("100000 entrée(s)"), "{text}");
    eprintln!(
        "100 000 entries appended and verified in {:?}",
        start.elapsed()
    );
}

/// A pseudo-random number from the clock (no dependency needed).
fn jitter(max_ms: u64) -> Duration {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let x = n
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    Duration::from_millis((x >> 33) % max_ms + 1)
}

#[test]
fn killed_while_appending_every_acknowledged_entry_survives() {
    let db = Db::new();
    let mut acked: Vec<u64> = vec![];
    let kills = 24;
    for round in 0..kills {
        let mut child = db
            .cmd(&["journal", "append"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let patient = db.patient.clone();
        let writer = std::thread::spawn(move || {
            for i in 0.. {
                let l = line(round * 100_000 + i, &patient);
                if stdin.write_all(l.as_bytes()).is_err() {
                    break;
                }
                if i % 7 == 0 {
                    std::thread::sleep(Duration::from_micros(300));
                }
            }
        });
        let out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for l in BufReader::new(out).lines() {
                match l {
                    Ok(l) => {
                        if let Ok(n) = l.trim().parse::<u64>() {
                            let _ = tx.send(n);
                        }
                    }
                    Err(_) => break,
                }
            }
        });
        std::thread::sleep(Duration::from_millis(150) + jitter(400));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        writer.join().unwrap();
        acked.extend(rx.try_iter());
    }
    assert!(!acked.is_empty(), "some entries were acknowledged");
    let (code, text) = db.verify();
    assert_eq!(code, 0, "after {kills} kills:\n{text}");
    let o = db.run(&["journal", "export"], "");
    let present: std::collections::HashSet<u64> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "entry")
        .filter_map(|v| v["seq"].as_u64())
        .collect();
    for s in &acked {
        assert!(present.contains(s), "acknowledged entry {s} is missing");
    }
    eprintln!(
        "{kills} kills, {} acknowledged, {} present",
        acked.len(),
        present.len()
    );
}

#[test]
fn backup_then_restore_elsewhere_and_the_journal_verifies() {
    let db = Db::new();
    journal_of(&db, 40);
    let archive = db.dir.path().join("sauvegarde.sceau");
    let o = db.run(&["backup", archive.to_str().unwrap()], "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&archive).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains("Tamperwell"));

    let target = tempfile::tempdir().unwrap();
    let url = rt().block_on(sceau_store::testing::fresh_database_url());
    let mut args = vec![
        "restore".to_string(),
        archive.display().to_string(),
        "--data-dir".into(),
        target.path().display().to_string(),
    ];
    if let Some(u) = &url {
        args.push("--database-url".into());
        args.push(u.clone());
    }
    // Without the key: a clear refusal.
    let o = Command::new(bin())
        .args(&args)
        .env_remove("SCEAU_KEY")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("aucune clé de chiffrement"));
    copy_key(db.dir.path(), target.path());
    let o = Command::new(bin())
        .args(&args)
        .env_remove("SCEAU_KEY")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Journal vérifié : intact"), "{out}");
    // The practices' keys came from the file written beside the archive.
    assert!(out.contains("2 clé(s) de cabinet reprise(s)"), "{out}");
    let mut vargs = vec![
        "journal".to_string(),
        "verify".into(),
        "--data-dir".into(),
        target.path().display().to_string(),
    ];
    if let Some(u) = &url {
        vargs.push("--database-url".into());
        vargs.push(u.clone());
    }
    let o = Command::new(bin())
        .args(&vargs)
        .env_remove("SCEAU_KEY")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("40 entrée(s)"));
}

fn copy_key(from: &Path, to: &Path) {
    std::fs::copy(from.join("sceau.key"), to.join("sceau.key")).unwrap();
}

#[test]
fn verify_without_the_key_refuses_and_creates_no_key() {
    let db = Db::new();
    journal_of(&db, 3);
    let kept = db.dir.path().join("sceau.key.kept");
    std::fs::rename(db.dir.path().join("sceau.key"), &kept).unwrap();
    let (code, out) = db.verify();
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("aucune clé n’a été créée"), "{out}");
    assert!(!db.dir.path().join("sceau.key").exists());
    std::fs::rename(&kept, db.dir.path().join("sceau.key")).unwrap();
    assert_eq!(db.verify().0, 0);
}

#[test]
fn a_lost_key_is_restored_from_its_encrypted_backup_and_reads_the_register() {
    let db = Db::new();
    journal_of(&db, 3);
    let key_file = db.dir.path().join("sceau.key");
    let key =
        sceau_store::Key::from_base64(&std::fs::read_to_string(&key_file).unwrap(), "t").unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let backup = elsewhere.path().join("sceau-cle-cabinet-1.json");
    std::fs::write(
        &backup,
        sceau_store::key_backup::export(&key, "une phrase assez longue").unwrap(),
    )
    .unwrap();
    // Another installation's key, backed up the same way.
    let other = elsewhere.path().join("autre.json");
    std::fs::write(
        &other,
        sceau_store::key_backup::export(
            &sceau_store::Key::generate("x"),
            "une phrase assez longue",
        )
        .unwrap(),
    )
    .unwrap();
    std::fs::remove_file(&key_file).unwrap();
    assert_eq!(db.verify().0, 1);
    let restore = |file: &Path, phrase: &str| {
        db.run(
            &["key", "restore", file.to_str().unwrap()],
            &format!("{phrase}\n"),
        )
    };
    // A wrong passphrase, then a key the database does not recognise: refused, no key written.
    let o = restore(&backup, "une autre phrase longue");
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("phrase de passe") && err.contains("rien n’a été fait"),
        "{err}"
    );
    assert!(!key_file.exists());
    let o = restore(&other, "une phrase assez longue");
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("ne reconnaît pas cette clé"), "{err}");
    assert!(!key_file.exists());
    // The right backup and passphrase: the key is back, owner-only.
    let o = restore(&backup, "une phrase assez longue");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(mode(&key_file), 0o600);
    let (code, out) = db.verify();
    assert_eq!(code, 0, "{out}");
    // The register reads with it.
    rt().block_on(async {
        let mut cfg = sceau_store::StoreConfig::new(db.dir.path(), db.url.clone());
        cfg.key = sceau_store::Key::load_existing(db.dir.path()).unwrap();
        let s = sceau_store::Store::open(cfg).await.unwrap();
        let id = s.practices().await.unwrap()[0].id;
        let p = s.list_patients(id).await.unwrap();
        assert_eq!(p[0].display_name, "Zénobie Tamperwell");
        s.close().await;
    });
    // A key in place is never replaced, even by another backup.
    let o = restore(&other, "une phrase assez longue");
    assert_ne!(o.status.code(), Some(0));
    assert_eq!(
        sceau_store::Key::load_existing(db.dir.path())
            .unwrap()
            .unwrap()
            .fingerprint(),
        key.fingerprint()
    );
}

/// `sceau key backup`, `key rotate --practice`, `key rotate`: the register
/// and the journal read after each, the key file replaced, nothing left
/// pending; with SCEAU_KEY and no file for the new key, nothing is done.
#[test]
fn keys_rotate_and_back_up_from_the_command_line() {
    let db = Db::new();
    journal_of(&db, 3);
    let key_file = db.dir.path().join("sceau.key");
    let before = std::fs::read_to_string(&key_file).unwrap();
    let saved = db.dir.path().join("cles.json");
    let o = db.run(
        &["key", "backup", saved.to_str().unwrap()],
        "une phrase assez longue\n",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(mode(&saved), 0o600);
    let (_, wrapped) = sceau_store::key_backup::import_with_keys(
        &std::fs::read_to_string(&saved).unwrap(),
        "une phrase assez longue",
        "t",
    )
    .unwrap();
    assert_eq!(wrapped.len(), 2, "the journal key and the data key");

    let o = db.run(&["key", "rotate", "--practice", "1"], "");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && out.contains("version 2"), "{out}");
    let o = db.run(&["key", "rotate"], "");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && out.contains("version 2"), "{out}");
    assert_ne!(std::fs::read_to_string(&key_file).unwrap(), before);
    assert_eq!(mode(&key_file), 0o600);
    assert!(!db.dir.path().join("sceau.key.new").exists());
    let (code, out) = db.verify();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("3 entrée(s)"), "{out}");
    rt().block_on(async {
        let mut cfg = sceau_store::StoreConfig::new(db.dir.path(), db.url.clone());
        cfg.key = sceau_store::Key::load_existing(db.dir.path()).unwrap();
        let s = sceau_store::Store::open(cfg).await.unwrap();
        assert_eq!(
            s.list_patients(1).await.unwrap()[0].display_name,
            "Zénobie Tamperwell"
        );
        s.close().await;
    });
    let now = std::fs::read_to_string(&key_file).unwrap();
    let o = db
        .cmd(&["key", "rotate"])
        .env("SCEAU_KEY", now.trim())
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--new-key-file"));
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), now);
}

#[test]
fn wiped_journal_is_tampering_at_zero_entries_and_the_next_append_is_refused() {
    let db = Db::new();
    journal_of(&db, 4);
    db.sql(async |c| {
        for t in ["journal_entries", "journal_checkpoints", "journal_heads"] {
            sqlx::query(&format!("DELETE FROM {t}"))
                .execute(&mut *c)
                .await
                .unwrap();
        }
    });
    std::fs::remove_file(db.dir.path().join("journal-1.anchor")).unwrap();
    let (code, out) = db.verify();
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("JOURNAL ALTÉRÉ") && out.contains("a disparu"),
        "{out}"
    );
    // One ordinary append: refused, in French, nothing written.
    let o = db.run(&["journal", "append"], &line(5, &db.patient));
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("ne se vérifie plus") && err.contains("Rien n’a été ajouté"),
        "{err}"
    );
    assert_eq!(db.verify().0, 3);
}

/// The audit's reproducer with the real binary: the tail cut, the MAC
/// columns dropped, migration 6 made to run again, the anchor deleted.
/// Before, the migration signed the chain found and verify said « intact »;
/// now it names entry 1 as unsigned (exit 3) and refuses appends.
#[test]
fn a_journal_stripped_of_its_macs_is_not_signed_again_by_a_command() {
    let db = Db::new();
    journal_of(&db, 4);
    db.sql(async |c| {
        for q in [
            "DELETE FROM journal_entries WHERE seq >= 3",
            "ALTER TABLE journal_entries DROP COLUMN mac",
            "ALTER TABLE journal_heads DROP COLUMN mac",
            "DELETE FROM _sqlx_migrations WHERE version = 6",
        ] {
            sqlx::query(q).execute(&mut *c).await.unwrap();
        }
    });
    std::fs::remove_file(db.dir.path().join("journal-1.anchor")).unwrap();
    for _ in 0..2 {
        let (code, out) = db.verify();
        assert_eq!(code, 3, "{out}");
        assert!(out.contains("JOURNAL ALTÉRÉ"), "{out}");
        assert!(out.contains("première entrée en cause : n° 1 "), "{out}");
        assert!(out.contains("aucune signature"), "{out}");
    }
    let o = db.run(&["journal", "append"], &line(5, &db.patient));
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("ne se vérifie plus"), "{err}");
    assert_eq!(db.verify().0, 3);
}

#[test]
fn an_administrator_resumes_a_tampered_journal_on_a_new_segment() {
    let db = Db::new();
    journal_of(&db, 4);
    // Nothing to resume on an intact journal.
    let o = db.run(&["journal", "resume", "--by", "alice"], "");
    assert_ne!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("se vérifie"));
    db.sql(async |c| {
        sqlx::query("UPDATE journal_entries SET recipient = 'employeur' WHERE seq = 2")
            .execute(&mut *c)
            .await
            .unwrap();
    });
    assert_eq!(db.verify().0, 3);
    // Only an active administrator account of the practice decides.
    let o = db.run(&["journal", "resume", "--by", "mallory"], "");
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--by") && err.contains("rien n’a été fait"),
        "{err}"
    );
    assert_eq!(db.verify().0, 3);
    let o = db.run(&["journal", "resume", "--by", "alice"], "");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("décision de alice") && out.contains("entrée n° 5"),
        "{out}"
    );
    let (code, out) = db.verify();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("reprise après altération décidée par alice (entrée n° 5)"),
        "{out}"
    );
    // One ordinary append goes on the new segment; the rows found remain.
    assert_eq!(db.append_lines(&line(6, &db.patient)), vec![6]);
    assert_eq!(db.verify().0, 0);
    let elsewhere = tempfile::tempdir().unwrap();
    let file = elsewhere.path().join("export.jsonl");
    let o = db.run(&["journal", "export", "-o", file.to_str().unwrap()], "");
    assert!(o.status.success());
    let export = std::fs::read_to_string(&file).unwrap();
    assert!(export.contains("employeur") && export.contains("reprise_apres_alteration"));
    // Without the key, the export checks from the decision on.
    let o = Command::new(bin())
        .args(["journal", "check-export"])
        .arg(&file)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("reprise après altération décidée à l’entrée n° 5"),
        "{out}"
    );
}

#[test]
fn receipts_written_elsewhere_prove_the_journal_still_extends_them() {
    let db = Db::new();
    journal_of(&db, 6);
    let elsewhere = tempfile::tempdir().unwrap();
    let receipt = elsewhere.path().join("recu.json");
    let o = db.run(&["journal", "receipt", "-o", receipt.to_str().unwrap()], "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(mode(&receipt), 0o600);
    assert_eq!(db.append_lines(&line(7, &db.patient)), vec![7]);
    let o = db.run(
        &["journal", "verify", "--receipt", receipt.to_str().unwrap()],
        "",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("prolonge toujours la tête attestée (n° 6)"),
        "{out}"
    );
    // An export checked against the receipt, without the key.
    let export = elsewhere.path().join("export.jsonl");
    let o = db.run(&["journal", "export", "-o", export.to_str().unwrap()], "");
    assert!(o.status.success());
    assert_eq!(mode(&export), 0o600);
    let o = Command::new(bin())
        .args(["journal", "check-export"])
        .arg(&export)
        .arg("--receipt")
        .arg(&receipt)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A receipt whose head was edited is not the practice's.
    let text = std::fs::read_to_string(&receipt).unwrap();
    std::fs::write(&receipt, text.replace("\"seq\": 6", "\"seq\": 5")).unwrap();
    let o = db.run(
        &["journal", "verify", "--receipt", receipt.to_str().unwrap()],
        "",
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stdout).contains("NON TENU"));
}

#[test]
fn backups_and_exports_are_owner_only() {
    let db = Db::new();
    journal_of(&db, 2);
    let archive = db.dir.path().join("sauvegarde.sceau");
    assert!(db
        .run(&["backup", archive.to_str().unwrap()], "")
        .status
        .success());
    assert_eq!(mode(&archive), 0o600);
    let export = db.dir.path().join("journal.jsonl");
    assert!(db
        .run(&["journal", "export", "-o", export.to_str().unwrap()], "")
        .status
        .success());
    assert_eq!(mode(&export), 0o600);
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Audit finding 4: `sceau journal append` repeated the submitted value in
/// serde's message (`invalid type: string "…", expected a sequence`). Now
/// the line, the field (or « champ inconnu ») and the kind of problem are
/// named, never a value nor an unknown key.
#[test]
fn a_refused_journal_line_never_repeats_what_was_submitted() {
    let db = Db::new();
    let base = r#""recipient":"procureur","purpose":"signalement","verdict":"allowed""#;
    let cases = [
        (
            format!(r#"{{{base},"basis":"ZORGLUB Canarinette a un cancer"}}"#),
            "ZORGLUB",
            "basis",
        ),
        (
            format!(r#"{{{base},"information":12345678901}}"#),
            "12345678901",
            "information",
        ),
        (
            format!(r#"{{{base},"ZORGLUB Canarinette":1}}"#),
            "ZORGLUB",
            "champ inconnu",
        ),
        (
            format!(r#"{{{base},"Zorglub":1}}"#),
            "Zorglub",
            "champ inconnu",
        ),
        (
            r#"{"recipient": "ZORGLUB"#.to_string(),
            "ZORGLUB",
            "JSON invalide",
        ),
    ];
    for (input, hidden, named) in cases {
        let o = db.run(&["journal", "append"], &(input.clone() + "\n"));
        assert_eq!(o.status.code(), Some(2), "{input}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains(hidden), "{input}: repeats {hidden}: {err}");
        assert!(
            err.to_lowercase().contains(&named.to_lowercase()),
            "{input}: names {named}: {err}"
        );
        assert!(err.contains("ligne 1"), "{err}");
    }
}

/// Audit finding 6: the recipient and the purpose kept in clear are the
/// law's words, the basis names texts of the corpus; anything else is
/// refused on the line, naming the field, never repeating the value.
#[test]
fn a_journal_line_outside_the_law_s_vocabulary_is_refused() {
    let db = Db::new();
    let cases = [
        (
            r#"{"recipient":"PIVOINEX","purpose":"coordination_soins","verdict":"allowed"}"#,
            "PIVOINEX",
            "recipient",
        ),
        (
            r#"{"recipient":"procureur","purpose":"continuite_des_soins","verdict":"allowed"}"#,
            "continuite_des_soins",
            "purpose",
        ),
        (
            r#"{"recipient":"procureur","purpose":"signalement","verdict":"allowed","basis":["ZORGLUB"]}"#,
            "ZORGLUB",
            "basis",
        ),
        (
            r#"{"recipient":"procureur","purpose":"signalement","verdict":"allowed","basis":["cp:226-14:ZORGLUB"]}"#,
            "ZORGLUB",
            "basis",
        ),
        (
            r#"{"recipient":"procureur","purpose":"signalement","verdict":"PIVOINEX"}"#,
            "PIVOINEX",
            "verdict",
        ),
    ];
    for (input, hidden, named) in cases {
        let o = db.run(&["journal", "append"], &format!("{input}\n"));
        assert_eq!(o.status.code(), Some(2), "{input}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains(hidden), "{input}: {err}");
        assert!(
            err.contains(&format!("«\u{a0}{named}\u{a0}»")),
            "{input}: {err}"
        );
    }
    // Nothing was written; the law's words go through.
    let (code, out) = db.verify();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 entrée(s)"), "{out}");
    assert_eq!(db.append_lines(&line(1, &db.patient)), vec![1]);
}

/// `sceau register attest` (after an upgrade to schema 16, or a row
/// changed without the key): it lists the unsigned consent without its
/// text nor the patient's name, signs nothing without « oui », then signs
/// it and records it in the journal, which still verifies; a second run
/// has nothing left to attest.
#[test]
fn register_attest_lists_asks_and_signs_what_it_listed() {
    let db = Db::new();
    rt().block_on(async {
        let mut cfg = sceau_store::StoreConfig::new(db.dir.path(), db.url.clone());
        cfg.cost = sceau_store::HashCost::Fast;
        let s = sceau_store::Store::open(cfg).await.unwrap();
        s.add_consent(
            1,
            &db.patient,
            &sceau_store::register::NewConsent {
                recipient: "professionnel_hors_equipe".into(),
                what: "Bilan confidentiel Quetzalbleu".into(),
                method: "oral".into(),
                given_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 2),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        s.close().await;
    });
    // As a row written before schema 16 is: no MAC.
    db.sql(async |c| {
        sqlx::query("UPDATE consents SET mac = NULL")
            .execute(&mut *c)
            .await
            .unwrap();
    });
    let refused = db.run(&["register", "attest"], "non\n");
    let out = text(&refused);
    assert!(!refused.status.success(), "{out}");
    assert!(
        out.contains("consentement") && out.contains(&db.patient),
        "{out}"
    );
    assert!(out.contains("rien n’a été attesté"), "{out}");
    assert!(
        !out.contains("Quetzalbleu") && !out.contains("Tamperwell"),
        "the listing shows a patient's text or name: {out}"
    );
    let signed = db.run(&["register", "attest"], "oui\n");
    let out = text(&signed);
    assert!(signed.status.success(), "{out}");
    assert!(out.contains("1 ligne(s) du registre attestée(s)"), "{out}");
    let again = db.run(&["register", "attest"], "");
    assert!(
        text(&again).contains("Aucune ligne du registre à attester"),
        "{}",
        text(&again)
    );
    let (code, verified) = db.verify();
    assert_eq!(code, 0, "{verified}");
    assert!(verified.contains("intact"), "{verified}");
}

/// Audit finding 8: `check-export --receipt` accepted an export whose
/// information in clear was edited. Now a journal begun before the digest
/// of the information (two entries of version 1, as written then) still
/// verifies with this binary, is continued with entries of version 2, and
/// its export checks without the key: the old entries reported as
/// « information non couverte », an edit of a new entry's text refused.
#[test]
fn check_export_refuses_an_edited_information_and_names_the_entries_not_covered() {
    let db = Db::new();
    rt().block_on(async {
        let mut cfg = sceau_store::StoreConfig::new(db.dir.path(), db.url.clone());
        cfg.cost = sceau_store::HashCost::Fast;
        let s = sceau_store::Store::open(cfg).await.unwrap();
        for text in ["constatations anciennes 1", "constatations anciennes 2"] {
            sceau_store::testing::append_version_1_entry(&s, 1, None, text).await;
        }
        s.close().await;
    });
    let (code, out) = db.verify();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("journal intact, 2 entrée(s)"), "{out}");
    assert_eq!(
        db.append_lines(&(line(3, &db.patient) + &line(4, &db.patient))),
        vec![3, 4]
    );
    assert_eq!(db.verify().0, 0);
    let elsewhere = tempfile::tempdir().unwrap();
    let (export, receipt) = (
        elsewhere.path().join("export.jsonl"),
        elsewhere.path().join("recu.json"),
    );
    for sub in [
        ["journal", "export", "-o", export.to_str().unwrap()],
        ["journal", "receipt", "-o", receipt.to_str().unwrap()],
    ] {
        let o = db.run(&sub, "");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let check = |file: &Path| {
        let o = Command::new(bin())
            .args(["journal", "check-export"])
            .arg(file)
            .arg("--receipt")
            .arg(&receipt)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let (code, out, err) = check(&export);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("information non couverte pour 2 entrée(s) (n°\u{a0}1 à 2)"),
        "{out}"
    );
    assert!(
        out.contains("information en clair de 2 entrée(s) recalculée"),
        "{out}"
    );
    let text = std::fs::read_to_string(&export).unwrap();
    assert!(text.contains("\"information_note\":\"information non couverte"));
    // The audit's edit, on a new entry: refused, the line named, the text not repeated.
    let edited = elsewhere.path().join("modifie.jsonl");
    std::fs::write(
        &edited,
        text.replace("constatations de la séance n° 4\"", "RAS, séance n° 4\""),
    )
    .unwrap();
    assert_ne!(std::fs::read_to_string(&edited).unwrap(), text);
    let (code, out, err) = check(&edited);
    assert_eq!(code, Some(3), "{out}{err}");
    assert!(
        err.contains("ligne 5")
            && err.contains("information en clair de l’entrée n° 4 a été modifiée"),
        "{err}"
    );
    assert!(!err.contains("RAS"), "{err}");
    // On an old entry the same edit is not seen, and the output says so.
    std::fs::write(
        &edited,
        text.replace("constatations anciennes 1\"", "RAS\""),
    )
    .unwrap();
    let (code, out, _) = check(&edited);
    assert_eq!(code, Some(0));
    assert!(out.contains("information non couverte"), "{out}");
}

/// `sceau accounts attest` as the host's administrator runs it (audit of
/// 2026-11-30, finding 5, in part): an account whose row lost its MAC is
/// listed, and a username written without the key prints no escape
/// sequence nor invisible character (which could erase or reorder the
/// listing on screen) but U+FFFD in their place; « non » signs nothing,
/// « oui » signs it, a second run has nothing left and the journal still
/// verifies.
#[test]
fn accounts_attest_lists_an_unsigned_account_without_its_hidden_characters() {
    let db = Db::new();
    db.sql(async |c| {
        sqlx::query("UPDATE accounts SET mac = NULL, username = $1")
            .bind("alice\u{1b}[2K\u{202e}ecila")
            .execute(&mut *c)
            .await
            .unwrap();
    });
    let refused = db.run(&["accounts", "attest"], "non\n");
    let out = text(&refused);
    assert!(!refused.status.success(), "{out}");
    assert!(
        out.contains("compte n° 1") && out.contains("rien n’a été attesté"),
        "{out}"
    );
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{202e}'),
        "the listing prints a hidden character: {out:?}"
    );
    assert!(out.contains("alice\u{fffd}[2K\u{fffd}ecila"), "{out:?}");
    // Its login changed: the record no longer vouches for its hash.
    assert!(out.contains("mot de passe à remplacer"), "{out}");
    let signed = db.run(&["accounts", "attest"], "oui\n");
    let out = text(&signed);
    assert!(signed.status.success(), "{out}");
    assert!(out.contains("1 compte(s) attesté(s)"), "{out}");
    assert!(
        out.contains("compte n° 1 (alice\u{fffd}[2K\u{fffd}ecila)\u{a0}: nouveau mot de passe "),
        "{out:?}"
    );
    let again = db.run(&["accounts", "attest"], "");
    assert!(
        text(&again).contains("Aucun compte à attester"),
        "{}",
        text(&again)
    );
    let (code, verified) = db.verify();
    assert_eq!(code, 0, "{verified}");
    assert!(verified.contains("intact"), "{verified}");
}

/// `sceau accounts attest` lists an API token issued before its MAC
/// covered its name and prefix (signed as those builds did), its name and
/// prefix marked « non vérifié » and printed without the escape sequence
/// written into the name by SQL; « non » signs nothing, « oui » signs the
/// row again with its name and prefix, a second run has nothing left, the
/// token still opens and the journal still verifies.
#[test]
fn accounts_attest_lists_and_signs_a_token_name_not_signed() {
    let db = Db::new();
    let (token, id) = db.store(async |s| {
        let practice = s.practices().await.unwrap()[0].id;
        let admin = s.list_accounts(practice).await.unwrap()[0].id;
        let (token, t) = s.create_token(practice, admin, "agenda").await.unwrap();
        sceau_store::testing::sign_token_as_version_1(s, t.id).await;
        (token, t.id)
    });
    db.sql(async |c| {
        sqlx::query("UPDATE api_tokens SET name = $1")
            .bind("agenda\u{1b}[2K")
            .execute(&mut *c)
            .await
            .unwrap();
    });
    let refused = db.run(&["accounts", "attest"], "non\n");
    let out = text(&refused);
    assert!(!refused.status.success(), "{out}");
    assert!(
        out.contains(&format!("jeton n° {id}"))
            && out.contains("«\u{a0}agenda\u{fffd}[2K\u{a0}» (nom non vérifié)")
            && out.contains(&format!("{}… (début non vérifié)", &token[..12]))
            && out.contains("rien n’a été attesté"),
        "{out:?}"
    );
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(!out.contains("compte n°"), "no account to attest: {out}");
    let signed = db.run(&["accounts", "attest"], "oui\n");
    let out = text(&signed);
    assert!(signed.status.success(), "{out}");
    assert!(out.contains("1 jeton(s) d’API attesté(s)"), "{out}");
    let again = db.run(&["accounts", "attest"], "");
    assert!(
        text(&again).contains("Aucun compte à attester"),
        "{}",
        text(&again)
    );
    let (listed, opened) = db.store(async |s| {
        (
            s.list_tokens(s.practices().await.unwrap()[0].id)
                .await
                .unwrap(),
            s.authenticate_token(&token).await.unwrap().is_some(),
        )
    });
    assert!(
        !listed[0].name_unverified && !listed[0].to_replace,
        "{listed:?}"
    );
    assert!(opened);
    let (code, verified) = db.verify();
    assert_eq!(code, 0, "{verified}");
    assert!(verified.contains("intact"), "{verified}");
}
