//! `sceau practice create|list|suspend|resume|export|delete`, the hosting
//! operator's commands (issue 17), on a real store: SQLite by default,
//! PostgreSQL with SCEAU_TEST_DATABASE_URL.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use sqlx::Connection;

const PASSWORD: &str = "motdepasse-solide";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

struct Host {
    dir: tempfile::TempDir,
    url: Option<String>,
}

impl Host {
    fn new() -> Host {
        let url = rt().block_on(sceau_store::testing::fresh_database_url());
        Host {
            dir: tempfile::tempdir().unwrap(),
            url,
        }
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_sceau"));
        c.args(args)
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .env_remove("SCEAU_DATABASE_URL")
            .env_remove("SCEAU_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(u) = &self.url {
            c.arg("--database-url").arg(u);
        }
        let mut child = c.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn ok(&self, args: &[&str], stdin: &str) -> String {
        let o = self.run(args, stdin);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    async fn store(&self) -> sceau_store::Store {
        let mut cfg = sceau_store::StoreConfig::new(self.dir.path().join("data"), self.url.clone());
        cfg.cost = sceau_store::HashCost::Fast;
        sceau_store::Store::open(cfg).await.unwrap()
    }

    /// Rows carrying this practice id, table by table (sessions through their accounts).
    async fn rows_of(&self, practice: i64) -> i64 {
        let s = self.store().await;
        let mut n = 0;
        for t in sceau_store::tenants::PRACTICE_TABLES {
            n += count(
                &s,
                &format!("SELECT COUNT(*) FROM {t} WHERE practice_id = {practice}"),
            )
            .await;
        }
        n += count(
            &s,
            &format!("SELECT COUNT(*) FROM practices WHERE id = {practice}"),
        )
        .await;
        s.close().await;
        n
    }
}

async fn count(s: &sceau_store::Store, sql: &str) -> i64 {
    sceau_store::testing::count(s, sql).await
}

/// Creates a practice with the CLI, installs its administrator with the
/// printed code, and fills it: a patient, journal entries, an audit.
fn populated(h: &Host, name: &str, admin: &str, patient: &str) -> i64 {
    let out = h.ok(&["practice", "create", name, "--json"], "");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = v["id"].as_i64().unwrap();
    let code = v["installation_code"].as_str().unwrap().to_string();
    let pid = rt().block_on(async {
        let s = h.store().await;
        let a = s
            .claim_installation(&code, admin, admin, PASSWORD)
            .await
            .unwrap()
            .expect("the printed code installs the practice");
        assert_eq!(a.practice_id, id);
        let p = s
            .create_patient(
                id,
                admin,
                &sceau_store::register::NewPatient {
                    display_name: patient.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        s.record_audit(
            id,
            admin,
            admin,
            "2026-11-24",
            &[sceau_store::audit::AuditAnswer {
                point: "locaux_occultation".into(),
                answer: "non".into(),
                comment: None,
            }],
        )
        .await
        .unwrap();
        // Two reports: one sent (a journal entry, a PDF in the export), one
        // still a draft (in the export's list, no PDF: it never left).
        for (n, sent) in [(0, true), (1, false)] {
            let rid = format!("rep_{:032x}", id * 2 + n);
            let draft = sceau_store::reports::ReportDraft {
                recipient: "procureur".into(),
                verdict: "allowed".into(),
                basis: vec!["cp:226-14:3".into()],
                letter: format!(
                    "{name}\n\n{:>38}Monsieur le procureur\n\nJ’ai constaté chez {patient} des ecchymoses (lettre {n}).\n",
                    ""
                ),
                duty_subject: None,
                kept: vec![],
                patient: None,
            };
            s.save_report_draft(id, admin, &rid, &draft).await.unwrap();
            if sent {
                s.review_report(id, &rid, admin).await.unwrap();
                let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
                s.send_report(id, &rid, admin, on, "courrier").await.unwrap();
            }
        }
        s.close().await;
        p.id
    });
    let lines: String = (1..=3)
        .map(|i| {
            serde_json::json!({
                "recipient": "procureur", "purpose": "signalement", "verdict": "allowed",
                "basis": ["cp:226-14:3"], "information": format!("séance n° {i}"), "patient": pid,
            })
            .to_string()
                + "\n"
        })
        .collect();
    h.ok(
        &["journal", "append", "--practice", &id.to_string()],
        &lines,
    );
    id
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_operator_creates_lists_suspends_exports_and_deletes_practices() {
    let h = Host::new();
    let a = populated(
        &h,
        "Cabinet des Tilleuls",
        "tilleul",
        "Zéphyrine Exportable",
    );
    let b = populated(&h, "Cabinet des Ormes", "orme", "Barnabé Resteici");
    let pending = h.ok(&["practice", "create", "Cabinet à venir"], "");
    assert!(pending.contains("Code d’installation"), "{pending}");

    // List: counts and states, never a patient's name.
    let list = h.ok(&["practice", "list"], "");
    assert!(
        list.contains("Cabinet des Tilleuls") && list.contains("à installer"),
        "{list}"
    );
    assert!(!list.contains("Zéphyrine"), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&h.ok(&["practice", "list", "--json"], "")).unwrap();
    let ja = json
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == a)
        .unwrap();
    assert_eq!(ja["patients"], 1);
    // The installation's record, then the three entries appended.
    assert_eq!(ja["journal_entries"], 4 + 1);
    assert_eq!(ja["accounts"], 1);

    // Suspend and resume, as the store sees it.
    h.ok(&["practice", "suspend", &a.to_string()], "");
    let suspended = rt().block_on(async {
        let s = h.store().await;
        let r = s.verify_login(Some(a), "tilleul", PASSWORD).await;
        s.close().await;
        r
    });
    assert!(matches!(suspended, Err(sceau_store::StoreError::Suspended)));
    assert!(h.ok(&["practice", "list"], "").contains("suspendu"));
    h.ok(&["practice", "resume", &a.to_string()], "");
    assert!(!h.ok(&["practice", "list"], "").contains("suspendu"));

    // Export: open formats, owner-only files, this practice's data only.
    let out = h.dir.path().join("export");
    std::fs::create_dir(&out).unwrap();
    h.ok(
        &[
            "practice",
            "export",
            &a.to_string(),
            "--output",
            out.to_str().unwrap(),
        ],
        "",
    );
    let dir = out.join(format!("cabinet-{a}"));
    let mut files = vec![];
    for e in walk(&dir) {
        #[cfg(unix)]
        assert_eq!(mode(&e), 0o600, "{}", e.display());
        files.push(e.strip_prefix(&dir).unwrap().display().to_string());
    }
    files.sort();
    assert_eq!(
        files,
        [
            "annuaire.jsonl",
            "audits.jsonl",
            "cabinet.json",
            "comptes.jsonl",
            "documents/audit-cabinet-1.pdf",
            format!("documents/signalement-rep_{:032x}.pdf", a * 2).as_str(),
            "jetons.jsonl",
            "journal-fhir.json",
            "journal.jsonl",
            "obligations.jsonl",
            "patients.jsonl",
            "signalements.jsonl",
        ]
    );
    #[cfg(unix)]
    assert_eq!(mode(&dir), 0o700);
    let all: String = walk(&dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e != "pdf"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(all.contains("Zéphyrine Exportable"));
    assert!(!all.contains("Barnabé") && !all.contains("Cabinet des Ormes"));
    assert!(!all.contains("$argon2"), "no password hash in an export");
    for l in std::fs::read_to_string(dir.join("patients.jsonl"))
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(v["care_team"].is_array() && v["consents"].is_array());
    }
    let fhir: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("journal-fhir.json")).unwrap())
            .unwrap();
    assert_eq!(fhir["resourceType"], "Bundle");
    // Every entry of the journal, the installation's record included.
    assert_eq!(fhir["entry"].as_array().unwrap().len(), 4 + 1);
    let pdf = std::fs::read(dir.join("documents/audit-cabinet-1.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // The reports: both in the list, with their step; the sent one's letter
    // as a PDF that says what it is.
    let reports: Vec<serde_json::Value> = std::fs::read_to_string(dir.join("signalements.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut steps: Vec<_> = reports
        .iter()
        .map(|r| (r["status"].as_str().unwrap(), r["journal_seq"].as_i64()))
        .collect();
    steps.sort();
    // Entry n° 1 is the installation's record of the first administrator.
    assert_eq!(steps, [("brouillon", None), ("envoye", Some(2))]);
    let sent = pdftotext(&dir.join(format!("documents/signalement-rep_{:032x}.pdf", a * 2)));
    for needle in [
        "Cabinet des Tilleuls",
        "Monsieur le procureur",
        "J’ai constaté chez Zéphyrine Exportable des ecchymoses (lettre 0).",
        "envoyé le 25 novembre 2026 par courrier ; entrée n° 2 du journal",
    ] {
        assert!(sent.contains(needle), "« {needle} » in {sent}");
    }
    // The journal export checks without the database or the key.
    let o = Command::new(env!("CARGO_BIN_EXE_sceau"))
        .args(["journal", "check-export"])
        .arg(dir.join("journal.jsonl"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Never over an earlier export.
    let o = h.run(
        &[
            "practice",
            "export",
            &a.to_string(),
            "--output",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert!(!o.status.success());

    // Delete: refused unless the name is typed exactly.
    let before = rt().block_on(h.rows_of(a));
    assert!(before > 5, "{before}");
    for typed in ["", "Cabinet des Ormes", "cabinet des tilleuls"] {
        let o = h.run(
            &["practice", "delete", &a.to_string()],
            &format!("{typed}\n"),
        );
        assert!(!o.status.success(), "{typed:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("rien n’a été supprimé"));
        assert_eq!(rt().block_on(h.rows_of(a)), before);
    }
    let anchor = h.dir.path().join(format!("data/journal-{a}.anchor"));
    assert!(anchor.exists());
    let o = h.ok(
        &["practice", "delete", &a.to_string()],
        "Cabinet des Tilleuls\n",
    );
    assert!(o.contains("supprimé"), "{o}");
    assert_eq!(rt().block_on(h.rows_of(a)), 0);
    assert!(!anchor.exists());
    // The other practice is whole and its journal verifies.
    assert!(rt().block_on(h.rows_of(b)) > 5);
    h.ok(&["journal", "verify"], "");
    let o = h.run(
        &["practice", "delete", &a.to_string(), "--confirm", "x"],
        "",
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("aucun cabinet n° {a}")));
    // The deleted practice's name and account are free again.
    rt().block_on(async {
        let s = h.store().await;
        assert!(s
            .verify_login(Some(a), "tilleul", PASSWORD)
            .await
            .unwrap()
            .is_none());
        s.close().await;
    });
    if let Some(u) = &h.url {
        // Nothing of it anywhere in the PostgreSQL database either.
        rt().block_on(async {
            let mut c = sqlx::PgConnection::connect(u).await.unwrap();
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM journal_entries WHERE practice_id = $1")
                    .bind(a)
                    .fetch_one(&mut c)
                    .await
                    .unwrap();
            assert_eq!(n, 0);
        });
    }
}

/// The text of a PDF as a reader extracts it, spaces normalised.
fn pdftotext(p: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(p)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (Debian package poppler-utils)");
    assert!(out.status.success(), "pdftotext {}", p.display());
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            #[cfg(unix)]
            assert_eq!(mode(&p), 0o700, "{}", p.display());
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The operator who makes the server shared is told that a key backup
/// downloaded by the first practice's administrator holds the master key,
/// and how to make it open nothing; the third practice says nothing more.
#[test]
fn the_second_practice_warns_that_earlier_key_backups_hold_the_master_key() {
    let h = Host::new();
    let first = h.run(&["practice", "create", "Cabinet seul"], "");
    assert!(first.status.success());
    assert!(!String::from_utf8_lossy(&first.stderr).contains("sceau key rotate"));
    let second = h.run(&["practice", "create", "Cabinet voisin", "--json"], "");
    assert!(second.status.success());
    let warning = String::from_utf8_lossy(&second.stderr);
    assert!(
        warning.contains("plusieurs cabinets") && warning.contains("sceau key rotate"),
        "{warning}"
    );
    // The JSON on standard output stays parseable.
    serde_json::from_slice::<serde_json::Value>(&second.stdout).unwrap();
    let third = h.run(&["practice", "create", "Troisième cabinet"], "");
    assert!(!String::from_utf8_lossy(&third.stderr).contains("sceau key rotate"));
}
