//! `sceau signalement`: the report under article 226-14 of the code pénal
//! (check a form for needless content, draft the report), and the other
//! letters of the secret (reply to a judicial requisition, the expert's
//! checklist). The documents are built by `sceau-documents`; which
//! derogation applies is decided by the engine.
//!
//! Exit status:
//! - `check`: 0 nothing flagged, 1 something flagged, 2 invalid form;
//! - `draft`: 0 report written, 1 flagged parts neither removed nor
//!   confirmed (nothing written), 2 invalid form, 3 no derogation applies
//!   (nothing written; what remains possible is explained on stderr);
//! - `requisition` / `expertise`: 0 written, 2 invalid form, 3 the engine
//!   does not support the letter for this situation.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use sceau_documents::{
    check, draft,
    expertise::{self, ExpertiseForm},
    requisition::{self, RequisitionForm},
    Directory, FormError, Refusal, ReportForm,
};

#[derive(Args, Debug)]
#[command(
    after_help = "Statuts de sortie — check : 0 rien à signaler, 1 passages signalés, 2 formulaire invalide. draft : 0 signalement écrit, 1 passages signalés ni retirés ni confirmés, 2 formulaire invalide, 3 aucune dérogation ne s’applique (rien n’est écrit)."
)]
pub struct SignalementArgs {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print, as JSON, every part of the form that looks unnecessary (exit 1 when any).
    Check {
        /// The report form (FORM.json).
        form: PathBuf,
    },
    /// Decide with the engine and, when a derogation applies, write signalement.pdf,
    /// signalement.txt and suites-a-donner.txt into DIR (exit 3 when none applies).
    Draft {
        /// The report form (FORM.json).
        form: PathBuf,
        /// Output folder (created if needed).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Recipients' directory (TOML) replacing the built-in examples.
        #[arg(long, value_name = "FILE", conflicts_with = "data_dir")]
        directory: Option<PathBuf>,
        /// Take the recipients' directory of the practice kept in this data
        /// directory (the one `sceau serve --data-dir` uses) instead of the
        /// built-in examples.
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// With --data-dir: the PostgreSQL database (postgres://…) of the store.
        #[arg(long, value_name = "URL", requires = "data_dir")]
        database_url: Option<String>,
        /// With --data-dir: the practice (default: the only one).
        #[arg(long, value_name = "ID", requires = "data_dir")]
        practice: Option<i64>,
        /// Date used when the form gives none (YYYY-MM-DD); today by default.
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
    /// Write the reply declining a judicial requisition (reponse-requisition.pdf/.txt).
    Requisition {
        form: PathBuf,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
    /// Write the expert's checklist, R.4321-141 CSP (controle-expertise.pdf/.txt).
    Expertise {
        form: PathBuf,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
}

use sceau_clock::legal_today as today;

fn invalid(e: &FormError) -> ExitCode {
    eprintln!("{}\n{}", e.message, e.message_en);
    ExitCode::from(2)
}

fn read(path: &Path) -> Result<String, ExitCode> {
    std::fs::read_to_string(path).map_err(|e| {
        eprintln!(
            "Impossible de lire le fichier {} : {e}\nCannot read file {}: {e}",
            path.display(),
            path.display()
        );
        ExitCode::from(2)
    })
}

fn load_form(path: &Path, today: NaiveDate) -> Result<ReportForm, ExitCode> {
    let text = read(path)?;
    let form = ReportForm::from_json_str(&text).map_err(|e| invalid(&e))?;
    // The situation must be valid too.
    if let Err(e) = sceau_law::law().parse_situation(&form.situation, today) {
        return Err(invalid(&FormError::from_situation(e)));
    }
    Ok(form)
}

/// The recipients' directory of a practice of the store in `data_dir`
/// (never created here: a missing store is an error).
fn practice_directory(
    data_dir: PathBuf,
    database_url: Option<String>,
    practice: Option<i64>,
) -> anyhow::Result<Directory> {
    if database_url.is_none() && !data_dir.join("sceau.sqlite").is_file() {
        anyhow::bail!(
            "--data-dir : aucun stockage Sceau (sceau.sqlite) dans {} ; donnez le répertoire de données de « sceau serve », ou omettez l’option pour utiliser les exemples intégrés.\n--data-dir: no Sceau store (sceau.sqlite) in {}.",
            data_dir.display(),
            data_dir.display()
        );
    }
    let args = crate::register::StoreArgs {
        data_dir,
        database_url,
    };
    crate::register::runtime()?.block_on(async move {
        let store = crate::register::open(&args).await?;
        let id = crate::register::practice_id(&store, practice, false).await?;
        let listing = store.directory(id).await?;
        let (d, altered) = sceau_web::annuaire::signed_directory(listing.entries);
        store.close().await;
        // Said, not silently missing: an entry the practice's signed record
        // names and the database no longer holds was deleted without Sceau.
        for id in &listing.deleted {
            eprintln!(
                "Entrée de l’annuaire supprimée hors de Sceau\u{a0}: {id} — l’annuaire signé du cabinet la nomme, elle n’est plus dans la base\u{a0}; vérifiez l’annuaire (l’administrateur du serveur enregistre la suppression\u{a0}: sceau register attest).\nDirectory entry deleted outside Sceau: {id}."
            );
        }
        if listing.record_altered {
            eprintln!(
                "Annuaire signé du cabinet manquant ou altéré\u{a0}: aucune entrée ne sert d’adresse tant que l’administrateur du serveur ne l’a pas attesté (sceau register attest).\nThe practice's signed directory record is missing or altered: no entry is used."
            );
        }
        // Left out, and said: an entry written without the key is never a
        // letter's address (audit of 2026-11-30, finding 7).
        for r in &altered {
            eprintln!(
                "Entrée de l’annuaire altérée, écartée\u{a0}: {} ({}, département {}) — modifiée hors de Sceau ou pas encore attestée\u{a0}; son adresse ne sert à aucun signalement tant que l’administrateur ne l’a pas vérifiée et enregistrée, ou que l’administrateur du serveur ne l’a pas attestée (sceau register attest).\nAltered directory entry left out: {} (changed outside Sceau or not yet attested).",
                crate::out::printable(&r.name),
                r.kind,
                r.department,
                crate::out::printable(&r.name),
            );
        }
        Ok(d)
    })
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    let p = dir.join(name);
    // Owner-only: a letter names the victim and what was observed.
    crate::register::write_private(&p, bytes)?;
    Ok(p)
}

pub fn run(args: SignalementArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Check { form } => {
            let form = match load_form(&form, today()) {
                Ok(f) => f,
                Err(c) => return Ok(c),
            };
            let flags = check(&form);
            outln!("{}", serde_json::to_string_pretty(&flags)?);
            Ok(if flags.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Draft {
            form,
            out,
            directory,
            data_dir,
            database_url,
            practice,
            as_of,
        } => {
            let today = as_of.unwrap_or_else(today);
            let form = match load_form(&form, today) {
                Ok(f) => f,
                Err(c) => return Ok(c),
            };
            let dir = match (directory, data_dir) {
                (None, None) => Directory::builtin(),
                (_, Some(data_dir)) => match practice_directory(data_dir, database_url, practice) {
                    Ok(d) => d,
                    Err(e) => {
                        eprintln!("{e:#}");
                        return Ok(ExitCode::from(2));
                    }
                },
                (Some(p), None) => {
                    let text = match read(&p) {
                        Ok(t) => t,
                        Err(c) => return Ok(c),
                    };
                    match Directory::from_toml(&text) {
                        Ok(d) => d,
                        Err(e) => {
                            eprintln!(
                                "L’annuaire {} n’est pas valide : {e}\nThe directory {} is not valid: {e}",
                                p.display(),
                                p.display()
                            );
                            return Ok(ExitCode::from(2));
                        }
                    }
                }
            };
            match draft(sceau_law::law(), &form, &dir, today) {
                Ok(d) => {
                    let pdf = d.pdf()?;
                    std::fs::create_dir_all(&out)
                        .with_context(|| format!("création de {}", out.display()))?;
                    let p1 = write(&out, "signalement.pdf", &pdf)?;
                    let p2 = write(&out, "signalement.txt", d.text().as_bytes())?;
                    let p3 = write(&out, "suites-a-donner.txt", d.follow_up_text().as_bytes())?;
                    let paragraphs: Vec<String> = d
                        .derogation
                        .paragraphs
                        .iter()
                        .map(|p| format!("{p}°"))
                        .collect();
                    outln!(
                        "Signalement rédigé (article 226-14, {}, du code pénal), destinataire : {}.",
                        paragraphs.join(" et "),
                        d.recipient.lines.first().cloned().unwrap_or_default()
                    );
                    outln!("  {}\n  {}\n  {}", p1.display(), p2.display(), p3.display());
                    outln!();
                    out!("{}", d.follow_up_text());
                    Ok(ExitCode::SUCCESS)
                }
                Err(r) => {
                    eprint!("{}", r.message_fr());
                    Ok(match r {
                        Refusal::Invalid(e) => {
                            eprintln!("{}", e.message_en);
                            ExitCode::from(2)
                        }
                        Refusal::Flagged { .. } | Refusal::DeclaredUnnecessary { .. } => {
                            ExitCode::from(1)
                        }
                        Refusal::NoDerogation { .. } => ExitCode::from(3),
                    })
                }
            }
        }
        Command::Requisition { form, out, as_of } => {
            let today = as_of.unwrap_or_else(today);
            let text = match read(&form) {
                Ok(t) => t,
                Err(c) => return Ok(c),
            };
            let form = match RequisitionForm::from_json_str(&text) {
                Ok(f) => f,
                Err(e) => return Ok(invalid(&e)),
            };
            match requisition::draft(sceau_law::law(), &form, today) {
                Ok(l) => {
                    std::fs::create_dir_all(&out)
                        .with_context(|| format!("création de {}", out.display()))?;
                    let p1 = write(
                        &out,
                        "reponse-requisition.pdf",
                        &sceau_documents::pdf::render(&l.letter)?,
                    )?;
                    let p2 = write(
                        &out,
                        "reponse-requisition.txt",
                        l.letter.to_text().as_bytes(),
                    )?;
                    outln!(
                        "Réponse à la réquisition rédigée :\n  {}\n  {}\n",
                        p1.display(),
                        p2.display()
                    );
                    for f in &l.follow_up {
                        outln!("– {f}");
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(r) => {
                    eprint!("{}", r.message_fr());
                    Ok(match r {
                        Refusal::Invalid(_) => ExitCode::from(2),
                        _ => ExitCode::from(3),
                    })
                }
            }
        }
        Command::Expertise { form, out, as_of } => {
            let today = as_of.unwrap_or_else(today);
            let text = match read(&form) {
                Ok(t) => t,
                Err(c) => return Ok(c),
            };
            let form = match ExpertiseForm::from_json_str(&text) {
                Ok(f) => f,
                Err(e) => return Ok(invalid(&e)),
            };
            match expertise::checklist(sceau_law::law(), &form, today) {
                Ok(c) => {
                    std::fs::create_dir_all(&out)
                        .with_context(|| format!("création de {}", out.display()))?;
                    let p1 = write(
                        &out,
                        "controle-expertise.pdf",
                        &sceau_documents::pdf::render(&c.document)?,
                    )?;
                    let p2 = write(
                        &out,
                        "controle-expertise.txt",
                        c.document.to_text().as_bytes(),
                    )?;
                    outln!(
                        "Liste de contrôle de l’expertise :\n  {}\n  {}",
                        p1.display(),
                        p2.display()
                    );
                    if !c.outside_mission.is_empty() {
                        outln!(
                            "{} élément(s) ne répondent à aucune question de la mission : à taire (art. R. 4321-141 du code de la santé publique).",
                            c.outside_mission.len()
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(r) => {
                    eprint!("{}", r.message_fr());
                    Ok(match r {
                        Refusal::Invalid(_) => ExitCode::from(2),
                        _ => ExitCode::from(3),
                    })
                }
            }
        }
    }
}
