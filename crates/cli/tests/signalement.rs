//! `sceau signalement`: check and draft from FORM.json, end to end, with the
//! forms of crates/documents/tests/data/forms.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sceau(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sceau"))
        .args(args)
        .output()
        .expect("sceau runs")
}

fn form(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../documents/tests/data/forms")
        .join(name)
        .display()
        .to_string()
}

fn pdftotext(p: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(p)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (Debian package poppler-utils)");
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `sceau signalement KIND FORM --out OUT`, then the `more` arguments.
fn letter(kind: &str, form: &str, out: &Path, more: &[&str]) -> Output {
    let mut args = vec!["signalement", kind, form, "--out", out.to_str().unwrap()];
    args.extend_from_slice(more);
    sceau(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn check_clean_form_exits_0_with_an_empty_list() {
    let o = sceau(&["signalement", "check", &form("couple-3-sans-accord.json")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v, serde_json::json!([]));
}

#[test]
fn check_needless_parts_exits_1_naming_field_and_index() {
    let o = sceau(&["signalement", "check", &form("couple-superflu.json")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let flags = v.as_array().unwrap();
    assert!(flags.len() >= 8);
    for f in flags {
        assert!(
            f["field"].is_string() && f["index"].is_u64() && f["reason"].is_string(),
            "{f}"
        );
    }
    assert!(flags
        .iter()
        .any(|f| f["field"] == "context" && f["index"] == 0));
    assert!(!flags
        .iter()
        .any(|f| f["field"] == "context" && f["index"] == 6));
}

#[test]
fn invalid_form_exits_2_naming_the_field_in_french_and_english() {
    let dir = tempfile::tempdir().unwrap();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(form("couple-3-sans-accord.json")).unwrap())
            .unwrap();
    v["victim"].as_object_mut().unwrap().remove("name");
    let p = dir.path().join("form.json");
    std::fs::write(&p, v.to_string()).unwrap();
    for sub in ["check", "draft"] {
        let mut args = vec!["signalement", sub, p.to_str().unwrap()];
        let out = dir.path().join("out");
        if sub == "draft" {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        let o = sceau(&args);
        assert_eq!(o.status.code(), Some(2), "{sub}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains("Champ « victim.name » manquant"), "{e}");
        assert!(e.contains("Missing field \"victim.name\""), "{e}");
        assert!(!out.exists());
    }
}

fn draft_ok(name: &str, needles: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = letter("draft", &form(name), &out, &["--as-of", "2026-11-24"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = out.join("signalement.pdf");
    let txt = std::fs::read_to_string(out.join("signalement.txt")).unwrap();
    assert!(out.join("suites-a-donner.txt").exists());
    let text = pdftotext(&pdf);
    for n in needles {
        assert!(text.contains(n), "PDF: missing « {n} » in {text}");
        assert!(
            txt.replace('\u{a0}', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(n),
            "TXT: missing « {n} »"
        );
    }
    for n in [
        "RPPS",
        "Constatations",
        "Fondement légal",
        "Signature",
        "24 novembre 2026",
    ] {
        assert!(text.contains(n), "PDF: missing « {n} »");
    }
    assert!(!text.contains("Suites à donner"));
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn draft_couple_3_without_consent() {
    let stdout = draft_ok(
        "couple-3-sans-accord.json",
        &[
            "Madame, Monsieur le procureur de la République",
            "article 226-14, 3°, du code pénal",
            "Mme Dubois déclare : « Il a serré mon cou",
        ],
    );
    assert!(stdout.contains("Suites à donner"));
    assert!(stdout.contains("informer la victime du signalement"));
}

#[test]
fn draft_minor_to_the_crip() {
    draft_ok(
        "mineur-crip.json",
        &["Information préoccupante", "(CRIP)", "Léa Morel déclare"],
    );
}

#[test]
fn draft_weapon_to_the_prefet() {
    draft_ok(
        "arme-prefet.json",
        &[
            "Monsieur le préfet de police",
            "article 226-14, 4°, du code pénal",
        ],
    );
}

#[test]
fn draft_without_derogation_writes_nothing_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = letter("draft", &form("sans-derogation.json"), &out, &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(!out.exists(), "nothing written");
    assert!(o.stdout.is_empty());
    let e = stderr(&o);
    for n in [
        "Aucun signalement n’est produit",
        "Ce qui reste possible",
        "3919",
        "médecin traitant",
        "conseil départemental de l’ordre",
    ] {
        assert!(e.contains(n), "missing « {n} » in {e}");
    }
}

#[test]
fn draft_with_flagged_parts_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = letter("draft", &form("couple-superflu.json"), &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());
    assert!(stderr(&o).contains("context[0]"));
}

#[test]
fn draft_with_another_directory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("annuaire.toml");
    std::fs::write(
        &d,
        "[[recipient]]\nkind = \"procureur\"\ndepartment = \"69\"\nname = \"Parquet de test\"\naddress = [\"1 rue du Test\", \"69000 Lyon\"]\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = letter(
        "draft",
        &form("couple-3-sans-accord.json"),
        &out,
        &["--directory", d.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = pdftotext(&out.join("signalement.pdf"));
    assert!(text.contains("Parquet de test"));
    let note = std::fs::read_to_string(out.join("suites-a-donner.txt")).unwrap();
    assert!(!note.contains("annuaire d’exemple"));
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `f` on a connection of its own to the SQLite store of `data`,
/// beside Sceau, as someone who writes the database without the key.
fn raw_sql<T>(data: &Path, f: impl AsyncFnOnce(&sqlx::AnyPool) -> T) -> T {
    rt().block_on(async {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}", data.join("sceau.sqlite").display());
        let raw = sqlx::AnyPool::connect(&url).await.unwrap();
        let out = f(&raw).await;
        raw.close().await;
        out
    })
}

/// A store in `dir` with one practice whose directory holds `entries`.
fn store_with(dir: &Path, entries: &[sceau_store::directory::NewRecipient]) {
    rt().block_on(async {
        let mut cfg = sceau_store::StoreConfig::new(dir, None);
        cfg.cost = sceau_store::HashCost::Fast;
        let s = sceau_store::Store::open(cfg).await.unwrap();
        let a = s
            .create_first_admin(
                "Cabinet",
                "camille",
                "Camille",
                "une phrase de passe solide",
            )
            .await
            .unwrap();
        for e in entries {
            s.add_recipient(a.practice_id, "camille", e).await.unwrap();
        }
        s.close().await;
    });
}

fn entry(kind: &str, department: &str, name: &str) -> sceau_store::directory::NewRecipient {
    sceau_store::directory::NewRecipient {
        kind: kind.into(),
        department: department.into(),
        name: name.into(),
        address: "2 place du Palais\n69005 Lyon".into(),
        ..Default::default()
    }
}

#[test]
fn draft_with_the_practice_directory_of_a_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    store_with(
        &data,
        &[
            entry(
                "procureur",
                "69",
                "Parquet du tribunal judiciaire du cabinet",
            ),
            entry("crip", "69", "CRIP du cabinet"),
            entry("crip", "69", "Seconde CRIP du cabinet"),
        ],
    );
    let out = dir.path().join("out");
    let o = letter(
        "draft",
        &form("couple-3-sans-accord.json"),
        &out,
        &["--data-dir", data.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = pdftotext(&out.join("signalement.pdf"));
    assert!(
        text.contains("Parquet du tribunal judiciaire du cabinet"),
        "{text}"
    );
    assert!(!text.contains("Servient"), "not the built-in example");
    let note = std::fs::read_to_string(out.join("suites-a-donner.txt")).unwrap();
    assert!(!note.contains("annuaire d’exemple"));

    // Two CRIP for the département: the form must say which one.
    let out2 = dir.path().join("out2");
    let o = letter(
        "draft",
        &form("mineur-crip.json"),
        &out2,
        &["--data-dir", data.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("recipient_name"), "{}", stderr(&o));
    assert!(!out2.exists());
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(form("mineur-crip.json")).unwrap()).unwrap();
    v["recipient_name"] = serde_json::json!("Seconde CRIP du cabinet");
    let p = dir.path().join("crip.json");
    std::fs::write(&p, v.to_string()).unwrap();
    let o = letter(
        "draft",
        p.to_str().unwrap(),
        &out2,
        &["--data-dir", data.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(pdftotext(&out2.join("signalement.pdf")).contains("Seconde CRIP du cabinet"));

    // No préfet in the practice's directory: nothing written, the field named.
    let out3 = dir.path().join("out3");
    let o = letter(
        "draft",
        &form("arme-prefet.json"),
        &out3,
        &["--data-dir", data.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("« jurisdiction »"), "{}", stderr(&o));
    assert!(!out3.exists());
}

#[test]
fn draft_with_a_data_dir_holding_no_store_fails_without_creating_one() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("vide");
    let out = dir.path().join("out");
    let o = letter(
        "draft",
        &form("couple-3-sans-accord.json"),
        &out,
        &["--data-dir", empty.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--data-dir"));
    assert!(!empty.exists(), "no store is created");
    assert!(!out.exists());
}

#[test]
fn requisition_and_expertise_letters() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = letter(
        "requisition",
        &form("requisition.json"),
        &out,
        &["--as-of", "2026-11-24"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = pdftotext(&out.join("reponse-requisition.pdf"));
    assert!(text.contains("secret professionnel") && text.contains("226-13"));
    let o = letter("expertise", &form("expertise.json"), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = pdftotext(&out.join("controle-expertise.pdf"));
    assert!(text.contains("à taire"));
}

/// Audit of 2026-11-30, finding 12: the letters drafted by the command line
/// and the anonymiser's tables (originals, pseudonyms, report) were written
/// with the umask's mode (0644 here), readable by every user of the host.
/// They hold a patient's or a victim's data: owner-only, like a backup.
#[cfg(unix)]
#[test]
fn drafted_letters_and_the_anonymisers_tables_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = letter(
        "draft",
        &form("arme-prefet.json"),
        &out,
        &["--as-of", "2026-11-24"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in ["signalement.pdf", "signalement.txt", "suites-a-donner.txt"] {
        assert_eq!(mode(&out.join(f)), 0o600, "{f}");
    }
    let note = dir.path().join("note.txt");
    std::fs::write(
        &note,
        "Mme ZORGLUB Canarinette, née le 04/03/1961, vue le 12/10/2026.\n",
    )
    .unwrap();
    let (map, originals, report) = (
        dir.path().join("map.json"),
        dir.path().join("originaux.tsv"),
        dir.path().join("rapport.txt"),
    );
    let o = sceau(&[
        "anonymise",
        note.to_str().unwrap(),
        "--batch-map",
        map.to_str().unwrap(),
        "--show-originals",
        originals.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&originals)
        .unwrap()
        .contains("Canarinette"));
    for p in [&map, &originals, &report] {
        assert_eq!(mode(p), 0o600, "{}", p.display());
    }
}

/// Audit of 2026-11-30, finding 7: an entry inserted by SQL without the
/// key (its « exemple » flag cleared) was the letter's address, and
/// nothing said so. It is now left out, and said.
#[test]
fn draft_leaves_out_an_entry_written_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    store_with(&data, &[entry("procureur", "69", "Parquet du cabinet")]);
    raw_sql(&data, async |raw| {
        sqlx::query(
            "INSERT INTO recipients (id, practice_id, kind, department, name, address, example, created_at, updated_at, updated_by)
             VALUES ('rcp_0123456789abcdef0123456789abcdef', 1, 'prefet', '75', 'Préfecture de police', 'BP 666, 99999 BOITE-DU-PIRATE', 0, 1796014786, 1796014786, 'camille')",
        )
        .execute(raw)
        .await
        .unwrap();
    });
    let out = dir.path().join("out");
    let o = letter(
        "draft",
        &form("arme-prefet.json"),
        &out,
        &["--data-dir", data.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!out.exists(), "no letter written");
    let err = stderr(&o);
    assert!(err.contains("altérée"), "{err}");
    assert!(!err.contains("PIRATE"), "{err}");
}

/// An entry deleted by SQL without the key was simply missing (the draft
/// failed as for an empty directory); it is now named on the error output,
/// as the practice's signed record still names it.
#[test]
fn draft_names_an_entry_deleted_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    store_with(&data, &[entry("procureur", "69", "Parquet du cabinet")]);
    let id: String = raw_sql(&data, async |raw| {
        let id: String = sqlx::query_scalar("SELECT id FROM recipients")
            .fetch_one(raw)
            .await
            .unwrap();
        sqlx::query("DELETE FROM recipients")
            .execute(raw)
            .await
            .unwrap();
        id
    });
    let out = dir.path().join("out");
    let o = letter(
        "draft",
        &form("couple-3-sans-accord.json"),
        &out,
        &["--data-dir", data.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!out.exists(), "no letter written");
    let err = stderr(&o);
    assert!(
        err.contains(&format!("supprimée hors de Sceau\u{a0}: {id}")),
        "{err}"
    );
}
