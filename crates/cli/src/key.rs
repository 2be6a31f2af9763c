//! `sceau key restore FILE`: puts the master key and the practices' keys
//! back from their encrypted backup (the file downloaded from « Clé et
//! sauvegarde », or written by `sceau key backup`), on a new server or
//! after the key file was lost. The key is written only once the database
//! has recognised it (its fingerprint), and never over a key already in
//! place.
//!
//! `sceau key rotate`: a new master key; every practice key is re-wrapped
//! by it in one transaction and the old one opens nothing of the database
//! any more. The new key is written to `sceau.key.new` before the
//! database changes and moved over `sceau.key` after (a start between the
//! two says so). `sceau key rotate --practice ID`: a new data key for one
//! practice, its register re-encrypted in one transaction.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use clap::{Args, Subcommand};
use sceau_store::crypto::{KEY_ENV, KEY_FILE, PENDING_KEY_FILE as PENDING_FILE};
use sceau_store::{Key, Store};

use crate::register::{open_existing, runtime, StoreArgs};

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
    /// Write the master key, encrypted under a passphrase (SCEAU_KEY_PASSPHRASE
    /// or the first line of standard input), with every practice's key as
    /// the database keeps them (wrapped): what `key restore` needs.
    Backup {
        #[command(flatten)]
        store: StoreArgs,
        /// The file to write (owner-only).
        file: PathBuf,
    },
    /// Rotate the master key (every practice key re-wrapped, nothing
    /// re-encrypted), or with --practice that practice's data key (its
    /// register re-encrypted in one transaction). Stop the servers first.
    Rotate {
        #[command(flatten)]
        store: StoreArgs,
        /// The practice whose data key to rotate (`sceau practice list`).
        #[arg(long, value_name = "ID")]
        practice: Option<i64>,
        /// With SCEAU_KEY: where to write the new master key (then put it
        /// in SCEAU_KEY); the file must not exist.
        #[arg(long, value_name = "FILE")]
        new_key_file: Option<PathBuf>,
    },
}

pub fn run(args: KeyArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        KeyCommand::Restore { store, file } => restore(store, file),
        KeyCommand::Backup { store, file } => backup(store, file),
        KeyCommand::Rotate {
            store,
            practice: Some(id),
            ..
        } => rotate_practice(store, id),
        KeyCommand::Rotate {
            store,
            practice: None,
            new_key_file,
        } => rotate_master(store, new_key_file),
    }
}

fn passphrase() -> anyhow::Result<String> {
    Ok(match std::env::var(PASSPHRASE_ENV) {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("lecture de la phrase de passe sur l’entrée standard")?;
            line.trim_end_matches(['\n', '\r']).to_string()
        }
    })
}

fn backup(args: StoreArgs, file: PathBuf) -> anyhow::Result<ExitCode> {
    let phrase = passphrase()?;
    let (key, wrapped) = runtime()?.block_on(async {
        let s = open_existing(&args).await?;
        let wrapped = s.wrapped_keys(None).await?;
        let key = s.key().clone();
        s.close().await;
        anyhow::Ok((key, wrapped))
    })?;
    let text = sceau_store::key_backup::export_with_keys(&key, &wrapped, &phrase)
        .map_err(|e| anyhow!("{e} ; rien n’a été écrit"))?;
    sceau_store::crypto::write_atomic(&file, text.as_bytes())
        .with_context(|| format!("écriture de {}", file.display()))?;
    eprintln!(
        "Sauvegarde de la clé écrite dans {} (lisible par ce seul compte) : clé maîtresse chiffrée par la phrase de passe, et {} clé(s) de cabinet. Gardez-la à part des données et des sauvegardes.",
        file.display(),
        wrapped.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn rotate_practice(args: StoreArgs, id: i64) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let s = open_existing(&args).await?;
        let (version, n) = match s.rotate_practice_key(id).await {
            Err(sceau_store::StoreError::NotFound) => bail!("cabinet n° {id} inconnu ; rien n’a été fait"),
            r => r.map_err(|e| anyhow!("{e} ; rien n’a été changé"))?,
        };
        s.close().await;
        outln!(
            "Clé du cabinet n° {id} renouvelée : version {version}, {n} valeur(s) rechiffrée(s) en une transaction ; l’ancienne clé de données est détruite. Le journal garde sa clé (sa chaîne et les reçus déjà remis restent vérifiables)."
        );
        anyhow::Ok(ExitCode::SUCCESS)
    })
}

fn rotate_master(args: StoreArgs, new_key_file: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let from_env = std::env::var(KEY_ENV).is_ok_and(|v| !v.trim().is_empty());
    let target = match (&new_key_file, from_env) {
        (Some(f), true) => f.clone(),
        (Some(_), false) => bail!("--new-key-file ne sert qu’avec {KEY_ENV} : sans elle, la nouvelle clé remplace {} ; rien n’a été fait", args.data_dir.join(KEY_FILE).display()),
        (None, true) => bail!("la clé maîtresse est lue dans {KEY_ENV} : donnez --new-key-file FICHIER, où Sceau écrira la nouvelle clé à mettre ensuite dans {KEY_ENV} ; rien n’a été fait"),
        (None, false) => args.data_dir.join(PENDING_FILE),
    };
    runtime()?.block_on(async {
        let s = open_existing(&args).await?;
        let new = Key::generate(&target.display().to_string());
        // The new key is on disk before the database needs it.
        write_new_key(&target, &new)?;
        let version = match s.rotate_master_key(&new).await {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_file(&target);
                bail!("{e} ; rien n’a été changé");
            }
        };
        s.close().await;
        if new_key_file.is_none() {
            let path = args.data_dir.join(KEY_FILE);
            std::fs::rename(&target, &path)
                .with_context(|| format!("la base attend la clé de {} : remplacez {} par ce fichier", target.display(), path.display()))?;
            outln!("Clé maîtresse renouvelée (version {version}), écrite dans {} ; toutes les clés de cabinet sont rechiffrées par elle, l’ancienne n’ouvre plus rien dans la base.", path.display());
        } else {
            outln!("Clé maîtresse renouvelée (version {version}), écrite dans {} : mettez son contenu dans {KEY_ENV} avant de redémarrer les serveurs (chacun doit avoir la même).", target.display());
        }
        outln!("Faites maintenant une sauvegarde de la clé (sceau key backup) et une sauvegarde (sceau backup) : les sauvegardes antérieures ne s’ouvrent qu’avec l’ancienne clé, que votre sauvegarde de clé précédente contient.");
        anyhow::Ok(ExitCode::SUCCESS)
    })
}

fn write_new_key(path: &std::path::Path, key: &Key) -> anyhow::Result<()> {
    if path.exists() {
        bail!("{} existe déjà (une rotation interrompue ?) : vérifiez-le, puis déplacez-le ; rien n’a été fait", path.display());
    }
    sceau_store::crypto::write_atomic(path, format!("{}\n", key.to_base64()).as_bytes())
        .with_context(|| format!("écriture de {}", path.display()))
}

fn restore(args: StoreArgs, file: PathBuf) -> anyhow::Result<ExitCode> {
    if std::env::var(KEY_ENV).is_ok_and(|v| !v.trim().is_empty()) {
        bail!("la clé est lue dans {KEY_ENV} : retirez cette variable pour restaurer la clé dans le dossier de données, rien n’a été fait");
    }
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("lecture de la sauvegarde de clé {}", file.display()))?;
    let phrase = passphrase()?;
    let path = args.data_dir.join(KEY_FILE);
    let (key, wrapped) =
        sceau_store::key_backup::import_with_keys(&text, &phrase, &path.display().to_string())
            .map_err(|e| anyhow!("{e} ; rien n’a été fait"))?;
    if let Some(cur) = sceau_store::Key::load_existing(&args.data_dir)? {
        if cur.fingerprint() == key.fingerprint() {
            let added = import_practice_keys(&args, &key, &wrapped)?;
            eprintln!(
                "La clé {} est déjà celle de cette sauvegarde ; {added} clé(s) de cabinet remise(s) dans la base.",
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
    let added = import_practice_keys(&args, &key, &wrapped)?;
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("création de {}", args.data_dir.display()))?;
    sceau_store::crypto::write_atomic(&path, format!("{}\n", key.to_base64()).as_bytes())
        .with_context(|| format!("écriture de {}", path.display()))?;
    eprintln!(
        "Clé restaurée dans {} (lisible par ce seul compte), empreinte {} : la base l’a reconnue ; {added} clé(s) de cabinet remise(s) dans la base.",
        path.display(),
        &key.fingerprint()[..16]
    );
    Ok(ExitCode::SUCCESS)
}

/// Opens the store with `key` (which it must recognise) and puts the
/// practices' wrapped keys back; returns how many were missing.
fn import_practice_keys(
    args: &StoreArgs,
    key: &Key,
    wrapped: &[sceau_store::keyring::WrappedKey],
) -> anyhow::Result<usize> {
    runtime()?.block_on(async {
        let mut cfg = args.config();
        cfg.key = Some(key.clone());
        let s = Store::open(cfg)
            .await
            .map_err(|e| anyhow!("la base ne reconnaît pas cette clé : {e} ; rien n’a été fait"))?;
        let added = s
            .import_wrapped_keys(wrapped)
            .await
            .map_err(|e| anyhow!("{e} ; aucune clé de cabinet n’a été remise"))?;
        s.close().await;
        anyhow::Ok(added)
    })
}
