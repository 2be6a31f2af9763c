//! `sceau key restore FILE`: puts the practice's key back from its
//! encrypted backup (the file downloaded from « Clé et sauvegarde »), on a
//! new server or after the key file was lost. The key is written only once
//! the database has recognised it (its fingerprint), and never over a key
//! already in place.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use clap::{Args, Subcommand};
use sceau_store::crypto::{KEY_ENV, KEY_FILE};
use sceau_store::Store;

use crate::register::{runtime, StoreArgs};

/// The passphrase, for automation; otherwise the first line of standard input.
pub const PASSPHRASE_ENV: &str = "SCEAU_KEY_PASSPHRASE";

#[derive(Args, Debug)]
pub struct KeyArgs {
    #[command(subcommand)]
    pub command: KeyCommand,
}

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Put the key back from its encrypted backup: the passphrase is read
    /// from SCEAU_KEY_PASSPHRASE or the first line of standard input; the
    /// database must recognise the key; an existing key is never replaced.
    Restore {
        #[command(flatten)]
        store: StoreArgs,
        /// The backup file (`sceau-cle-cabinet-N.json`).
        file: PathBuf,
    },
}

pub fn run(args: KeyArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        KeyCommand::Restore { store, file } => restore(store, file),
    }
}

fn restore(args: StoreArgs, file: PathBuf) -> anyhow::Result<ExitCode> {
    if std::env::var(KEY_ENV).is_ok_and(|v| !v.trim().is_empty()) {
        bail!("la clé est lue dans {KEY_ENV} : retirez cette variable pour restaurer la clé dans le dossier de données, rien n’a été fait");
    }
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("lecture de la sauvegarde de clé {}", file.display()))?;
    let phrase = match std::env::var(PASSPHRASE_ENV) {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("lecture de la phrase de passe sur l’entrée standard")?;
            line.trim_end_matches(['\n', '\r']).to_string()
        }
    };
    let path = args.data_dir.join(KEY_FILE);
    let key = sceau_store::key_backup::import(&text, &phrase, &path.display().to_string())
        .map_err(|e| anyhow!("{e} ; rien n’a été fait"))?;
    if let Some(cur) = sceau_store::Key::load_existing(&args.data_dir)? {
        if cur.fingerprint() == key.fingerprint() {
            eprintln!(
                "La clé {} est déjà celle de cette sauvegarde : rien à faire.",
                path.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        bail!(
            "une autre clé est déjà en place ({}) : elle n’est jamais remplacée ; déplacez-la d’abord si vous êtes sûr qu’elle n’est pas celle de ces données. Rien n’a été fait",
            path.display()
        );
    }
    // The database must recognise the key (its fingerprint) before it is written.
    let rt = runtime()?;
    rt.block_on(async {
        let mut cfg = args.config();
        cfg.key = Some(key.clone());
        let s = Store::open(cfg)
            .await
            .map_err(|e| anyhow!("la base ne reconnaît pas cette clé : {e} ; rien n’a été fait"))?;
        s.close().await;
        anyhow::Ok(())
    })?;
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("création de {}", args.data_dir.display()))?;
    sceau_store::crypto::write_atomic(&path, format!("{}\n", key.to_base64()).as_bytes())
        .with_context(|| format!("écriture de {}", path.display()))?;
    eprintln!(
        "Clé restaurée dans {} (lisible par ce seul compte), empreinte {} : la base l’a reconnue.",
        path.display(),
        &key.fingerprint()[..16]
    );
    Ok(ExitCode::SUCCESS)
}
