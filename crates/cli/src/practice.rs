//! `sceau practice create|list|code|suspend|resume|export|delete`: the
//! hosting operator's commands (issue 17). The operator is whoever runs
//! them on the server with the store's options (`--data-dir`,
//! `--database-url`): the right to the database is the right to host, as
//! for `sceau backup`. These commands never print a patient datum.
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};

use crate::register::{open, runtime, StoreArgs};

#[derive(Args, Debug)]
pub struct PracticeArgs {
    #[command(subcommand)]
    pub command: PracticeCommand,
}

#[derive(Subcommand, Debug)]
pub enum PracticeCommand {
    /// Create a practice and print the one-time installation code of its
    /// first administrator (valid 7 days, page /installation).
    Create {
        #[command(flatten)]
        store: StoreArgs,
        /// The practice's name, as its members will see it.
        name: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the practices with their counts (accounts, patients, journal entries).
    List {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        json: bool,
    },
    /// A new installation code for a practice without an administrator yet.
    Code {
        #[command(flatten)]
        store: StoreArgs,
        id: i64,
    },
    /// Suspend a practice: its sessions close, no sign-in nor API token works.
    Suspend {
        #[command(flatten)]
        store: StoreArgs,
        id: i64,
    },
    /// Lift a suspension.
    Resume {
        #[command(flatten)]
        store: StoreArgs,
        id: i64,
    },
    /// Export a whole practice in open formats into DIR/cabinet-<id>/ (files 0600).
    Export {
        #[command(flatten)]
        store: StoreArgs,
        id: i64,
        /// The directory to write into.
        #[arg(long, short, value_name = "DIR")]
        output: PathBuf,
    },
    /// Delete a practice and all its data, after confirmation by its name.
    Delete {
        #[command(flatten)]
        store: StoreArgs,
        id: i64,
        /// The practice's exact name (otherwise asked on the terminal).
        #[arg(long, value_name = "NAME")]
        confirm: Option<String>,
    },
}

fn date(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

pub fn run(args: PracticeArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        match args.command {
            PracticeCommand::Create { store, name, json } => {
                let s = open(&store).await?;
                let code = sceau_web::auth::new_install_code();
                let p = s.create_tenant(&name, &code).await?;
                // The first practice's administrator may have downloaded the
                // master key from « Clé et sauvegarde » while alone on the
                // server: that file now opens the new practice's keys too.
                if s.practices().await?.len() == 2 {
                    eprintln!(
                        "Attention\u{a0}: ce serveur héberge désormais plusieurs cabinets. La page «\u{a0}Clé et sauvegarde\u{a0}» ne donne plus la clé maîtresse à leurs administrateurs, mais une sauvegarde de clé téléchargée auparavant depuis cette page la contient, et elle ouvrirait aussi les clés de ce nouveau cabinet. Renouvelez la clé maîtresse (sceau key rotate, serveurs arrêtés), puis sauvegardez la nouvelle (sceau key backup)."
                    );
                }
                if json {
                    outln!(
                        "{}",
                        serde_json::json!({
                            "id": p.id,
                            "name": p.name,
                            "installation_code": code,
                            "login_path": format!("/connexion?cabinet={}", p.id),
                        })
                    );
                } else {
                    outln!("Cabinet n° {} créé : {}", p.id, p.name);
                    outln!("Code d’installation (valable 7 jours, une seule fois) : {code}");
                    outln!("Remettez-le à son premier administrateur : il le saisit sur la page /installation du serveur.");
                    outln!(
                        "Ses membres se connectent avec le numéro de cabinet {} (champ «\u{a0}Cabinet\u{a0}»), ou par le lien /connexion?cabinet={}.",
                        p.id,
                        p.id
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            PracticeCommand::List { store, json } => {
                let s = open(&store).await?;
                let all = s.practice_summaries().await?;
                if json {
                    outln!("{}", serde_json::to_string_pretty(&all)?);
                } else if all.is_empty() {
                    outln!("Aucun cabinet.");
                } else {
                    outln!("n°\tétat\tcomptes\tpatients\tjournal\tcréé le\tnom");
                    for p in all {
                        // A state Sceau did not sign counts as suspended:
                        // said as such, so that the operator resumes it
                        // knowingly (`sceau practice resume`).
                        let state = if p.practice.state_altered {
                            "suspendu (état non signé)"
                        } else if p.practice.suspended() {
                            "suspendu"
                        } else if p.awaiting_installation {
                            "à installer"
                        } else {
                            "actif"
                        };
                        outln!(
                            "{}\t{state}\t{}\t{}\t{}\t{}\t{}",
                            p.practice.id,
                            p.accounts,
                            p.patients,
                            p.journal_entries,
                            date(p.practice.created_at),
                            p.practice.name
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            PracticeCommand::Code { store, id } => {
                let s = open(&store).await?;
                let code = sceau_web::auth::new_install_code();
                s.reissue_install_code(id, &code).await.map_err(|e| match e {
                    sceau_store::StoreError::NotFound => anyhow!("aucun cabinet n° {id}"),
                    e => e.into(),
                })?;
                outln!("Nouveau code d’installation du cabinet n° {id} (valable 7 jours) : {code}");
                Ok(ExitCode::SUCCESS)
            }
            PracticeCommand::Suspend { store, id } => {
                let s = open(&store).await?;
                let p = s.suspend_practice(id).await.map_err(|e| not_found(e, id))?;
                outln!(
                    "Cabinet n° {} suspendu : ses sessions sont fermées, ni connexion ni jeton d’API jusqu’à « sceau practice resume {} ».",
                    p.id,
                    p.id
                );
                Ok(ExitCode::SUCCESS)
            }
            PracticeCommand::Resume { store, id } => {
                let s = open(&store).await?;
                let p = s.resume_practice(id).await.map_err(|e| not_found(e, id))?;
                outln!("Cabinet n° {} rétabli.", p.id);
                Ok(ExitCode::SUCCESS)
            }
            PracticeCommand::Export { store, id, output } => {
                let s = open(&store).await?;
                let state = sceau_web::AppState::new(
                    sceau_law::law(),
                    s,
                    false,
                    sceau_web::Limits::default(),
                );
                let sum = sceau_web::practice_export::export_practice(&state, id, &output)
                    .await
                    .map_err(|e| match e {
                        sceau_web::practice_export::ExportError::Store(
                            sceau_store::StoreError::NotFound,
                        ) => anyhow!("aucun cabinet n° {id}"),
                        e => anyhow!("{e}"),
                    })?;
                outln!("Cabinet n° {id} exporté dans {} :", sum.dir.display());
                for (name, n) in &sum.files {
                    outln!("  {name} ({n})");
                }
                Ok(ExitCode::SUCCESS)
            }
            PracticeCommand::Delete { store, id, confirm } => {
                let s = open(&store).await?;
                let p = s.practice(id).await.map_err(|e| not_found(e, id))?;
                let typed = match confirm {
                    Some(c) => c,
                    None => {
                        if std::io::stdin().is_terminal() {
                            eprint!(
                                "Supprimer le cabinet n° {id} et toutes ses données, sans retour ? Tapez son nom (« {} ») pour confirmer : ",
                                p.name
                            );
                            let _ = std::io::stderr().flush();
                        }
                        let mut line = String::new();
                        std::io::stdin().lock().read_line(&mut line)?;
                        line
                    }
                };
                if typed.trim() != p.name {
                    bail!("le nom tapé n’est pas celui du cabinet n° {id} : rien n’a été supprimé");
                }
                let rows = s.delete_practice(id).await?;
                outln!("Cabinet n° {id} supprimé ({rows} lignes).");
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

fn not_found(e: sceau_store::StoreError, id: i64) -> anyhow::Error {
    match e {
        sceau_store::StoreError::NotFound => anyhow!("aucun cabinet n° {id}"),
        e => e.into(),
    }
}
