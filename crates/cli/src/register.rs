//! `sceau journal verify|append|export`, `sceau backup`, `sceau restore`:
//! the register's store from the command line, with the same
//! `--data-dir` / `--database-url` options (and environment variables) as
//! `sceau serve`.
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use clap::{Args, Subcommand};
use sceau_store::journal::NewEntry;
use sceau_store::{Store, StoreConfig, StoreError};

/// Exit status when the journal is not intact.
const TAMPERED: u8 = 3;
/// Exit status for an invalid input line.
const INVALID: u8 = 2;

#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// Directory of the data (SQLite file, key file, journal anchors).
    #[arg(
        long,
        env = "SCEAU_DATA_DIR",
        default_value = "./data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,
    /// PostgreSQL database (postgres://…) instead of the SQLite file.
    #[arg(long, env = "SCEAU_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
}

impl StoreArgs {
    pub(crate) fn config(&self) -> StoreConfig {
        StoreConfig::new(&self.data_dir, self.database_url.clone())
    }
}

#[derive(Args, Debug)]
pub struct JournalArgs {
    #[command(subcommand)]
    pub command: JournalCommand,
}

#[derive(Subcommand, Debug)]
pub enum JournalCommand {
    /// Check every practice's hash chain against its anchor; exit 0 when intact,
    /// 3 naming the first bad entry otherwise.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// Also prove that the journal still extends the head this receipt
        /// attests (a receipt from a report, a reply, an export or
        /// `sceau journal receipt`); repeatable.
        #[arg(long, value_name = "FILE")]
        receipt: Vec<PathBuf>,
    },
    /// Write the journal's signed head now (a receipt) to a file kept in a
    /// second place (another disk, a download): `verify --receipt` checks later
    /// that the journal still extends it.
    Receipt {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, value_name = "ID")]
        practice: Option<i64>,
        /// Write to this file (mode 0600) instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// After tampering, record an administrator's decision to continue the
    /// journal on a new segment: nothing found is changed; the decision (who,
    /// when, what was found) becomes the segment's first entry, signed with
    /// the key. Refused when the journal verifies.
    Resume {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, value_name = "ID")]
        practice: Option<i64>,
        /// The administrator who decides: the login of an active
        /// administrator account of the practice (recorded in the journal).
        #[arg(long, value_name = "LOGIN")]
        by: String,
    },
    /// Record entries from JSON lines on standard input; print each sequence number.
    Append {
        #[command(flatten)]
        store: StoreArgs,
        /// The practice (default: the only one).
        #[arg(long, value_name = "ID")]
        practice: Option<i64>,
        /// Who records the entries (default: « ligne de commande »).
        #[arg(long, value_name = "NAME", default_value = "ligne de commande")]
        author: String,
    },
    /// Export the journal with its proofs (JSON lines), or one patient's entries.
    Export {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, value_name = "ID")]
        practice: Option<i64>,
        /// Only this patient's entries (right of access), by register reference.
        #[arg(long, value_name = "REF")]
        patient: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Check an export received (whole journal or one patient's entries)
    /// without the database or the key: every hash, the chain, the anchor's
    /// position, the information in clear against its digest (entries
    /// written before the digest are listed as « information non couverte »).
    /// Exit 0 when it holds, 3 naming the first bad line otherwise.
    CheckExport {
        /// The export (JSON lines), `-` for standard input.
        file: PathBuf,
        /// Also check that the export extends the head this receipt attests.
        #[arg(long, value_name = "FILE")]
        receipt: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The archive to write (encrypted with the store's key).
    pub file: PathBuf,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The archive written by `sceau backup`.
    pub file: PathBuf,
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow!("démarrage impossible : {e}"))
}

pub(crate) async fn open(args: &StoreArgs) -> anyhow::Result<Store> {
    Store::open(args.config())
        .await
        .map_err(|e| anyhow!("ouverture du stockage impossible : {e}"))
}

pub(crate) async fn practice_id(
    store: &Store,
    given: Option<i64>,
    create: bool,
) -> anyhow::Result<i64> {
    let all = store.practices().await?;
    match given {
        Some(id) if all.iter().any(|p| p.id == id) => Ok(id),
        Some(id) => bail!("aucun cabinet n° {id} dans ce stockage"),
        None => match all.as_slice() {
            [one] => Ok(one.id),
            [] if create => {
                let id = store.create_unclaimed_practice("Cabinet").await?;
                eprintln!("Cabinet n° {id} créé pour ce journal ; l’installation de l’application web le reprendra.");
                Ok(id)
            }
            [] => bail!("aucun cabinet : créez d’abord le compte administrateur (sceau serve, page /installation)"),
            _ => bail!(
                "plusieurs cabinets dans ce stockage : précisez --practice parmi {}",
                all.iter().map(|p| p.id.to_string()).collect::<Vec<_>>().join(", ")
            ),
        },
    }
}

pub fn journal(args: JournalArgs) -> anyhow::Result<ExitCode> {
    if let JournalCommand::CheckExport { file, receipt } = &args.command {
        return check_export(file, receipt.as_deref());
    }
    let rt = runtime()?;
    match args.command {
        JournalCommand::CheckExport { .. } => unreachable!("handled above"),
        JournalCommand::Verify {
            store,
            json,
            receipt,
        } => rt.block_on(verify(store, json, receipt)),
        JournalCommand::Receipt {
            store,
            practice,
            output,
        } => rt.block_on(async move {
            let s = open(&store).await?;
            let id = practice_id(&s, practice, false).await?;
            let r = s.journal_receipt(id).await;
            s.close().await;
            let text = format!("{}\n", serde_json::to_string_pretty(&r?)?);
            match output {
                Some(path) => {
                    write_private(&path, text.as_bytes())?;
                    eprintln!(
                        "Reçu du journal écrit dans {} : gardez-le hors de ce serveur ; `sceau journal verify --receipt {}` prouvera que le journal le prolonge toujours.",
                        path.display(),
                        path.display()
                    );
                }
                None => std::io::stdout().write_all(text.as_bytes())?,
            }
            Ok(ExitCode::SUCCESS)
        }),
        JournalCommand::Append {
            store,
            practice,
            author,
        } => rt.block_on(append(store, practice, author)),
        JournalCommand::Resume {
            store,
            practice,
            by,
        } => rt.block_on(resume(store, practice, by)),
        JournalCommand::Export {
            store,
            practice,
            patient,
            output,
        } => rt.block_on(async move {
            let s = open(&store).await?;
            let id = practice_id(&s, practice, false).await?;
            let text = match s.journal_export(id, patient.as_deref()).await {
                Err(StoreError::NotFound) => bail!("patient inconnu dans ce cabinet"),
                r => r?,
            };
            match output {
                Some(path) => write_private(&path, text.as_bytes())?,
                None => std::io::stdout().write_all(text.as_bytes())?,
            }
            s.close().await;
            Ok(ExitCode::SUCCESS)
        }),
    }
}

/// The practices' keys written beside a backup archive: `FILE.keys`.
fn keys_file_of(archive: &std::path::Path) -> std::path::PathBuf {
    let mut name = archive.as_os_str().to_owned();
    name.push(".keys");
    name.into()
}

/// Writes a file that may hold the practice's data owner-only (0600),
/// atomically: exports, receipts, backups, report letters, the
/// anonymiser's tables.
pub(crate) fn write_private(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    sceau_store::crypto::write_atomic(path, bytes)
        .with_context(|| format!("écriture de {}", path.display()))
}

/// Opens the store with its existing key, never creating one: a
/// verification on a folder without its key must not make a new key (the
/// next start would then refuse the database, or a new install adopt it).
pub(crate) async fn open_existing(args: &StoreArgs) -> anyhow::Result<Store> {
    let key = sceau_store::Key::load_existing(&args.data_dir)?.ok_or_else(|| {
        anyhow!(
            "aucune clé de chiffrement dans {} ni dans SCEAU_KEY : la vérification du journal a besoin de la clé du cabinet (aucune clé n’a été créée). Sans elle, `sceau journal check-export` vérifie un export sans la clé.",
            args.data_dir.display()
        )
    })?;
    let mut cfg = args.config();
    cfg.key = Some(key);
    Store::open(cfg)
        .await
        .map_err(|e| anyhow!("ouverture du stockage impossible : {e}"))
}

async fn verify(args: StoreArgs, json: bool, receipts: Vec<PathBuf>) -> anyhow::Result<ExitCode> {
    let s = open_existing(&args).await?;
    let all = s.journal_verify_all().await?;
    let mut held = vec![];
    for path in &receipts {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("lecture du reçu {} (texte UTF-8 attendu)", path.display()))?;
        let r = match sceau_journal::Receipt::parse(&text) {
            Ok(r) => s.journal_check_receipt(&r).await?,
            Err(m) => Err(m),
        };
        held.push((path.display().to_string(), r));
    }
    s.close().await;
    let mut bad = held.iter().any(|h| h.1.is_err());
    if json {
        let receipts: Vec<_> = held
            .iter()
            .map(|(f, r)| match r {
                Ok((p, seq)) => {
                    serde_json::json!({"file": f, "holds": true, "practice": p, "seq": seq})
                }
                Err(m) => serde_json::json!({"file": f, "holds": false, "message": m}),
            })
            .collect();
        if receipts.is_empty() {
            outln!("{}", serde_json::to_string_pretty(&all)?);
        } else {
            outln!(
                "{}",
                serde_json::to_string_pretty(
                    &serde_json::json!({"journals": all, "receipts": receipts})
                )?
            );
        }
        bad |= all.iter().any(|v| !v.intact());
    } else {
        for (f, r) in &held {
            match r {
                Ok((p, seq)) => outln!(
                    "Reçu {f} : le journal du cabinet n° {p} prolonge toujours la tête attestée (n° {seq})."
                ),
                Err(m) => outln!("Reçu {f} : NON TENU — {m}."),
            }
        }
        if all.is_empty() {
            outln!("Aucun cabinet : le journal est vide.");
        }
        for v in &all {
            match &v.result {
                Ok(ok) => {
                    outln!(
                        "Cabinet n° {} « {} » : journal intact, {} entrée(s), tête {}.",
                        v.practice_id,
                        v.practice,
                        ok.entries,
                        hex_short(&ok.head)
                    );
                    if let Some(r) = v.resumptions.last() {
                        outln!(
                            "  Depuis la reprise après altération décidée par {} (entrée n° {}) ; les lignes antérieures sont conservées telles qu’elles ont été trouvées.",
                            r.author, r.seq
                        );
                    }
                }
                Err(b) => {
                    bad = true;
                    outln!(
                        "Cabinet n° {} « {} » : JOURNAL ALTÉRÉ — première entrée en cause : n° {} ({}) : {}.",
                        v.practice_id,
                        v.practice,
                        b.seq,
                        serde_json::to_value(b.kind)?.as_str().unwrap_or("?"),
                        b.message
                    );
                }
            }
        }
    }
    Ok(if bad {
        ExitCode::from(TAMPERED)
    } else {
        ExitCode::SUCCESS
    })
}

async fn resume(args: StoreArgs, practice: Option<i64>, by: String) -> anyhow::Result<ExitCode> {
    let s = open_existing(&args).await?;
    let id = practice_id(&s, practice, false).await?;
    // Login names are unique per practice: the name is looked up in this one only.
    let name = by.trim().to_lowercase();
    let admin =
        s.list_accounts(id).await?.into_iter().find(|a| {
            a.username == name && a.active && a.role == sceau_store::Role::Administrateur
        });
    let Some(admin) = admin else {
        s.close().await;
        bail!(
            "--by : « {} » n’est pas un compte administrateur actif du cabinet n° {id} ; rien n’a été fait",
            by.trim()
        );
    };
    let r = s.journal_resume(id, &admin.username).await;
    s.close().await;
    match r {
        Ok(r) => {
            outln!(
                "Cabinet n° {id} : altération constatée et décision de {} enregistrée dans le journal (entrée n° {}). Le journal reprend sur un nouveau segment ; les lignes trouvées sont conservées telles quelles.",
                r.author, r.seq
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Invalid(m)) => bail!("{m}"),
        Err(e) => Err(e.into()),
    }
}

fn hex_short(h: &[u8; 32]) -> String {
    h.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Reads lines on a thread; the writer takes whatever has arrived (up to
/// a batch) and commits it in one transaction: group commit without ever
/// holding an entry back waiting for more input.
async fn append(
    args: StoreArgs,
    practice: Option<i64>,
    author: String,
) -> anyhow::Result<ExitCode> {
    let s = open(&args).await?;
    let id = practice_id(&s, practice, true).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<std::io::Result<String>>(4096);
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            let stop = line.is_err();
            if tx.blocking_send(line).is_err() || stop {
                break;
            }
        }
    });
    let mut n = 0usize;
    let mut out = std::io::stdout().lock();
    let mut status = ExitCode::SUCCESS;
    'outer: while let Some(first) = rx.recv().await {
        let mut lines = vec![first];
        while lines.len() < 1000 {
            match rx.try_recv() {
                Ok(l) => lines.push(l),
                Err(_) => break,
            }
        }
        let mut batch = Vec::with_capacity(lines.len());
        let mut bad = None;
        for l in lines {
            n += 1;
            let l = l.context("lecture de l’entrée standard")?;
            if l.trim().is_empty() {
                continue;
            }
            // Name the line, the field and the problem, never the content:
            // serde's own messages quote the value (`invalid type: string "…"`).
            let parsed = serde_json::from_str::<serde_json::Value>(&l)
                .map_err(|e| format!("JSON invalide (colonne {})", e.column()))
                .and_then(|v| {
                    sceau_documents::form::from_value::<NewEntry>(&v).map_err(|e| e.message)
                })
                .and_then(|e| {
                    sceau_app::journal_entry::check_entry(sceau_law::law(), &e).map(|()| e)
                });
            match parsed {
                Ok(e) => batch.push(e),
                Err(what) => {
                    bad = Some(format!(
                        "ligne {n}\u{a0}: entrée invalide ({what})\u{a0}; champs attendus\u{a0}: recipient, purpose, verdict, basis, information, action (disclosed|declined), patient"
                    ));
                    break;
                }
            }
        }
        if !batch.is_empty() {
            match s.journal_append(id, &author, &batch).await {
                Ok(seqs) => {
                    for q in seqs {
                        writeln!(out, "{q}")?;
                    }
                    out.flush()?;
                }
                Err(StoreError::Invalid(m)) => {
                    eprintln!("Erreur : ligne {n} ou avant : {m}");
                    status = ExitCode::from(INVALID);
                    break 'outer;
                }
                Err(StoreError::NotFound) => {
                    eprintln!("Erreur : ligne {n} ou avant : patient inconnu dans ce cabinet");
                    status = ExitCode::from(INVALID);
                    break 'outer;
                }
                Err(e) => return Err(anyhow!("enregistrement impossible : {e}")),
            }
        }
        if let Some(m) = bad {
            eprintln!("Erreur : {m}");
            status = ExitCode::from(INVALID);
            break;
        }
    }
    s.close().await;
    Ok(status)
}

pub fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let s = open(&args.store).await?;
        let (bytes, summary) = s.backup().await?;
        let keys = s.keys_file().await?;
        s.close().await;
        // Encrypted, but its size and dates are the practice's: owner-only (0600).
        write_private(&args.file, &bytes)?;
        let keys_path = keys_file_of(&args.file);
        write_private(&keys_path, keys.as_bytes())?;
        outln!(
            "Sauvegarde chiffrée écrite dans {} : {} ligne(s) de {} table(s), {} ancre(s) de journal. Elle ne se restaure qu’avec la même clé (sceau.key ou SCEAU_KEY).",
            args.file.display(),
            summary.rows,
            summary.tables,
            summary.anchors
        );
        outln!(
            "Clés des cabinets (chiffrées par la clé maîtresse) écrites à part dans {} : sans elles (ou une sauvegarde de clé plus récente), les données ne se déchiffrent pas. Après la suppression d’un cabinet, détruire les fichiers .keys antérieurs rend ses lignes illisibles dans ces sauvegardes.",
            keys_path.display()
        );
        Ok(ExitCode::SUCCESS)
    })
}

pub fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let bytes = std::fs::read(&args.file)
            .with_context(|| format!("lecture de {}", args.file.display()))?;
        let key = sceau_store::Key::load_existing(&args.store.data_dir)?.ok_or_else(|| {
            anyhow!(
                "aucune clé de chiffrement : copiez le fichier sceau.key du cabinet dans {} ou définissez SCEAU_KEY, puis recommencez",
                args.store.data_dir.display()
            )
        })?;
        let mut cfg = args.store.config();
        cfg.key = Some(key);
        let s = Store::open(cfg)
            .await
            .map_err(|e| anyhow!("ouverture du stockage impossible : {e}"))?;
        // The practices' keys first (the archive does not hold them).
        let keys_path = keys_file_of(&args.file);
        match std::fs::read_to_string(&keys_path) {
            Ok(text) => {
                let n = s.import_keys_file(&text).await.map_err(|e| {
                    anyhow!("{} : {e} ; rien n’a été restauré", keys_path.display())
                })?;
                outln!("{n} clé(s) de cabinet reprise(s) de {}.", keys_path.display());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => outln!(
                "Pas de fichier {} : les clés des cabinets sont celles déjà dans la base (sceau key restore).",
                keys_path.display()
            ),
            Err(e) => bail!("lecture de {} : {e}", keys_path.display()),
        }
        let summary = s.restore(&bytes).await?;
        let checks = s.journal_verify_all().await?;
        s.close().await;
        outln!(
            "Restauration terminée : {} ligne(s), {} ancre(s) de journal.",
            summary.rows, summary.anchors
        );
        let bad = checks.iter().filter(|v| !v.intact()).count();
        if bad > 0 {
            outln!("Attention : {bad} journal(aux) ne se vérifie(nt) pas ; lancez `sceau journal verify`.");
            return Ok(ExitCode::from(TAMPERED));
        }
        outln!("Journal vérifié : intact.");
        Ok(ExitCode::SUCCESS)
    })
}

fn check_export(
    file: &std::path::Path,
    receipt: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let receipt = match receipt {
        None => None,
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| {
                format!("lecture du reçu {} (texte UTF-8 attendu)", p.display())
            })?;
            match sceau_journal::Receipt::parse(&text) {
                Ok(r) => Some(r),
                Err(m) => {
                    eprintln!("reçu invalide : {m}");
                    return Ok(ExitCode::from(3));
                }
            }
        }
    };
    let mut text = String::new();
    if file.as_os_str() == "-" {
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("lecture de l’entrée standard (texte UTF-8 attendu)")?;
    } else {
        text = std::fs::read_to_string(file)
            .with_context(|| format!("lecture de {} (texte UTF-8 attendu)", file.display()))?;
    }
    match sceau_journal::export::check_export_against(&text, receipt.as_ref()) {
        Ok(c) => {
            let whose = match &c.patient {
                Some(p) => format!("les entrées du patient {p}"),
                None => "tout le journal".to_string(),
            };
            outln!(
                "export valide : {whose} du cabinet {}, {} entrée(s), chaque hash recalculé{}",
                c.practice,
                c.entries,
                match (c.patient.is_none(), c.anchor_seq) {
                    (true, Some(a)) => format!(", chaîne continue jusqu’à l’ancre (n° {a})"),
                    (true, None) => ", chaîne continue (sans ancre)".to_string(),
                    (false, _) => String::new(),
                }
            );
            let covered = c.entries as usize - c.uncovered.len() - c.without_information.len();
            if covered > 0 {
                outln!(
                    "information en clair de {covered} entrée(s) recalculée depuis l’empreinte que la chaîne couvre"
                );
            }
            if !c.uncovered.is_empty() {
                outln!("{}", sceau_journal::export::not_covered(&c.uncovered));
            }
            if !c.without_information.is_empty() {
                outln!(
                    "information absente de l’export pour {} entrée(s) (n°\u{a0}{})\u{a0}: le serveur qui l’a fait n’a pas pu la déchiffrer, rien n’est affiché à vérifier",
                    c.without_information.len(),
                    sceau_journal::export::numbers(&c.without_information)
                );
            }
            if let Some(f) = c.segment_from {
                outln!(
                    "chaîne vérifiée depuis la reprise après altération décidée à l’entrée n° {f} : les lignes antérieures sont celles trouvées alors, leur empreinte ne se vérifie qu’avec la clé (sceau journal verify)"
                );
            }
            if let Some(r) = &receipt {
                outln!(
                    "le journal exporté prolonge la tête attestée par le reçu (n° {})",
                    r.seq
                );
            }
            if let Some(r) = &c.receipt {
                outln!(
                    "l’export porte le reçu de sa tête (n° {}) : gardez-le pour vérifier un export ultérieur (--receipt)",
                    r.seq
                );
            }
            outln!("(les signatures HMAC des entrées, de l’ancre et du reçu ne se vérifient qu’avec la clé du cabinet : sceau journal verify)");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("export invalide : {e}");
            Ok(ExitCode::from(3))
        }
    }
}
