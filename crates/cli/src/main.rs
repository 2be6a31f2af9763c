//! `sceau`: the command line. Thin commands over the engine, the embedded
//! law and (for `serve`) the web application.

#[macro_use]
mod out;

mod accounts;
mod anonymise;
mod ask;
mod decide_lines;
mod key;
mod practice;
mod register;
mod register_attest;
mod serve;
mod signalement;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use sceau_engine::Law;

#[derive(Parser)]
#[command(
    name = "sceau",
    version,
    about = "Sceau — le secret professionnel des soignants, et ses exceptions légales"
)]
struct Cli {
    /// Use this copy of the law folder instead of the one built in.
    #[arg(long, global = true, value_name = "DIR")]
    law: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decide a situation: contract JSON in (file or standard input), decision JSON out.
    Decide {
        /// Print the decision as JSON (the default).
        #[arg(long)]
        json: bool,
        /// Print the decision in French for people instead of JSON.
        #[arg(long, conflicts_with = "json")]
        text: bool,
        /// Many situations, one JSON object per line (JSON Lines): one
        /// decision per line out, in the same order; a line that is not a
        /// valid situation gets `{"line": N, "error": …}` instead.
        #[arg(long, conflicts_with = "text")]
        jsonl: bool,
        /// The situation file; `-` or nothing for standard input.
        file: Option<String>,
    },
    /// The guided interview in the terminal: one question at a time.
    Ask {
        /// Date of the disclosure (YYYY-MM-DD); today by default.
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
    /// Print an article of the corpus (in the version in force on a date).
    Article {
        /// Identifier such as csp:R4321-90 or csp:L1110-4:III.
        id: String,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        /// Every version, with its dates.
        #[arg(long)]
        all_versions: bool,
    },
    /// Check the law folder.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Serve the web application and the JSON API.
    Serve(serve::ServeArgs),
    /// Report under CP 226-14: check a draft for needless content, or draft the report.
    Signalement(signalement::SignalementArgs),
    /// Remove identifying details from a text for publication or teaching (CSP R.4321-116).
    Anonymise(anonymise::AnonymiseArgs),
    /// The journal of disclosures: verify, append, export.
    Journal(register::JournalArgs),
    /// Write an encrypted archive of the whole store.
    Backup(register::BackupArgs),
    /// Bring the store back from an encrypted archive.
    Restore(register::RestoreArgs),
    /// The keys: back up, restore, rotate (the master key or a practice's key).
    Key(key::KeyArgs),
    /// The hosting operator's commands: create, list, suspend, export, delete practices.
    Practice(practice::PracticeArgs),
    /// The accounts: attest those not signed by Sceau (after an upgrade).
    Accounts(accounts::AccountsArgs),
    /// The register: attest the consents and oppositions not signed by Sceau (after an upgrade).
    Register(register_attest::RegisterArgs),
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Validate the corpus: citations, facts, values, precedence, conflicts, gaps.
    Check {
        /// The law folder (default: ./law when present, else the built-in law).
        dir: Option<PathBuf>,
    },
}

/// The legal date (Europe/Paris), whatever the machine's time zone.
use sceau_clock::legal_today as today;

fn load_law(dir: &Option<PathBuf>) -> Result<&'static Law, ExitCode> {
    match dir {
        None => Ok(sceau_law::law()),
        Some(d) => match sceau_law::load_dir(d) {
            Ok(l) => Ok(Box::leak(Box::new(l))),
            Err(errors) => {
                for e in errors {
                    eprintln!("{}", e);
                }
                eprintln!("Le dossier de la loi {} ne se charge pas.", d.display());
                Err(ExitCode::from(1))
            }
        },
    }
}

fn main() -> ExitCode {
    // before anything reads a note or a situation: a panic's message could quote it
    sceau_web::hide_panic_messages();
    let cli = Cli::parse();
    match cli.command {
        Command::Decide {
            json: _,
            text,
            jsonl,
            file,
        } => {
            let law = match load_law(&cli.law) {
                Ok(l) => l,
                Err(c) => return c,
            };
            if jsonl {
                decide_lines::decide_lines(law, file, today())
            } else {
                decide(law, file, text)
            }
        }
        Command::Ask { as_of } => {
            let law = match load_law(&cli.law) {
                Ok(l) => l,
                Err(c) => return c,
            };
            match ask::run(law, as_of.unwrap_or_else(today), as_of.is_some()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("Erreur : {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Article {
            id,
            as_of,
            all_versions,
        } => {
            let law = match load_law(&cli.law) {
                Ok(l) => l,
                Err(c) => return c,
            };
            article(law, &id, as_of.unwrap_or_else(today), all_versions)
        }
        Command::Rules {
            command: RulesCommand::Check { dir },
        } => {
            let dir = dir.or(cli.law).or_else(|| {
                let local = PathBuf::from("law");
                local.join("facts.toml").exists().then_some(local)
            });
            rules_check(dir)
        }
        Command::Signalement(args) => signalement::run(args).unwrap_or_else(|e| {
            eprintln!("Erreur : {e:#}");
            ExitCode::from(1)
        }),
        Command::Anonymise(args) => anonymise::run(args).unwrap_or_else(|e| {
            eprintln!("Erreur : {e:#}");
            ExitCode::from(1)
        }),
        Command::Journal(args) => report(register::journal(args)),
        Command::Backup(args) => report(register::backup(args)),
        Command::Restore(args) => report(register::restore(args)),
        Command::Key(args) => report(key::run(args)),
        Command::Practice(args) => report(practice::run(args)),
        Command::Accounts(args) => report(accounts::run(args)),
        Command::Register(args) => report(register_attest::run(args)),
        Command::Serve(args) => match serve::run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("Erreur : {e:#}");
                ExitCode::from(1)
            }
        },
    }
}

/// Prints a command's error in French and exits 1.
fn report(r: anyhow::Result<ExitCode>) -> ExitCode {
    r.unwrap_or_else(|e| {
        eprintln!("Erreur : {e:#}");
        ExitCode::from(1)
    })
}

fn decide(law: &Law, file: Option<String>, text: bool) -> ExitCode {
    let input = match file.as_deref() {
        None | Some("-") => {
            let mut s = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                eprintln!(
                    "Impossible de lire l’entrée standard : {e}\nCannot read standard input: {e}"
                );
                return ExitCode::from(2);
            }
            s
        }
        Some(path) => match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!(
                    "Impossible de lire le fichier {path} : {e}\nCannot read file {path}: {e}"
                );
                return ExitCode::from(2);
            }
        },
    };
    let situation = match law.parse_situation_str(&input, today()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}\n{}", e.message, e.message_en);
            return ExitCode::from(2);
        }
    };
    let d = law.decide(&situation);
    if text {
        outln!("{}", d.explanation.trim_end());
        if !d.basis.is_empty() {
            outln!("Fondement : {}", d.basis.join(", "));
        }
        if !d.case_law.is_empty() {
            outln!("Jurisprudence : {}", d.case_law.join(", "));
        }
        return ExitCode::SUCCESS;
    }
    match serde_json::to_string_pretty(&d) {
        Ok(s) => {
            outln!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Erreur interne : {e}");
            ExitCode::from(1)
        }
    }
}

/// Prints an article (or one paragraph) in the version in force on `date`.
pub(crate) fn print_article(
    law: &Law,
    id: &str,
    date: NaiveDate,
    all_versions: bool,
) -> Result<(), String> {
    // Read the identifier as a reader writes it (« L.1111-5 », « 226-14 1° »).
    let resolved = law.resolve_article_id(id);
    let id = resolved.as_deref().unwrap_or(id);
    let art = law.article(id).ok_or_else(|| {
        let known: Vec<&str> = law.articles.iter().map(|a| a.id.as_str()).collect();
        format!(
            "Article « {id} » inconnu du corpus. Articles disponibles : {}.",
            known.join(", ")
        )
    })?;
    let paragraph = sceau_engine::model::paragraph_part(id);
    let versions: Vec<&sceau_engine::ArticleVersion> = if all_versions {
        art.versions.iter().collect()
    } else {
        match art.version_on(date) {
            Some(v) => vec![v],
            None => {
                return Err(format!(
                    "Aucune version de {} n’est en vigueur le {date}.",
                    art.id
                ))
            }
        }
    };
    outln!("{} — {}", art.number, art.title);
    for v in versions {
        outln!();
        outln!("[{}]", v.period_fr());
        if let Some(a) = &v.amended_by {
            outln!("Modifié par : {a}");
        }
        outln!("Source : {}", v.source);
        outln!();
        match paragraph {
            None => outln!("{}", v.full_text()),
            Some(k) => match v.paragraph(k) {
                Some(p) => outln!("{} {}", k, p.text.trim()),
                None => outln!("(le paragraphe {k} n’existe pas dans cette version)"),
            },
        }
        if let Some(m) = &v.missing {
            outln!();
            outln!("Texte incomplet : {m}");
        }
    }
    let rules = law.rules_citing(id);
    if !rules.is_empty() {
        outln!();
        outln!("Règles qui s’appuient sur cet article :");
        for r in rules {
            outln!("  {} ({}:{})", r.id, r.file, r.line);
        }
    }
    Ok(())
}

fn article(law: &Law, id: &str, date: NaiveDate, all_versions: bool) -> ExitCode {
    match print_article(law, id, date, all_versions) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn rules_check(dir: Option<PathBuf>) -> ExitCode {
    let (law, place) = match &dir {
        Some(d) => match sceau_law::load_dir(d) {
            Ok(l) => (l, d.display().to_string()),
            Err(errors) => {
                for e in &errors {
                    outln!("{}/{}", d.display(), e);
                }
                outln!("{} problème(s) : le corpus ne se charge pas.", errors.len());
                return ExitCode::from(1);
            }
        },
        None => match sceau_engine::load::load(&sceau_law::embedded_files()) {
            Ok(l) => (l, "loi intégrée".to_string()),
            Err(errors) => {
                for e in &errors {
                    outln!("{e}");
                }
                return ExitCode::from(1);
            }
        },
    };
    let (problems, rep) = law.validate_walked();
    let prefix = dir.map(|d| format!("{}/", d.display())).unwrap_or_default();
    for p in &problems {
        outln!("{prefix}{p}");
    }
    if problems.is_empty() {
        outln!(
            "Corpus valide ({place}) : {} faits, {} articles, {} décisions, {} règles ; {} classes de situations vérifiées sur {} période(s), sans conflit ni lacune.",
            law.facts.len(),
            law.articles.len(),
            law.case_law.len(),
            law.rules.len(),
            rep.classes,
            rep.periods.len()
        );
        ExitCode::SUCCESS
    } else {
        outln!("{} problème(s).", problems.len());
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod panic_tests {
    /// The test runs itself again as a child that installs the hook of `main`
    /// and panics with a canary in its message, as a bug on a note's text
    /// would: the child's standard error tells where, never what.
    #[test]
    fn a_panic_message_never_reaches_standard_error() {
        const CANARY: &str = "Canari-Véronique-Kerjean-2718";
        if std::env::var_os("SCEAU_PANIC_CHILD").is_some() {
            sceau_web::hide_panic_messages();
            panic!("note du patient : {CANARY}");
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "panic_tests::a_panic_message_never_reaches_standard_error",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("SCEAU_PANIC_CHILD", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "the child did not panic: {stdout}");
        assert!(
            stderr.contains("panique (message masqué") && stderr.contains("main.rs"),
            "no hidden-panic line: {stderr}"
        );
        assert!(
            !stderr.contains(CANARY) && !stdout.contains(CANARY),
            "the panic's message reached the output"
        );
    }
}
