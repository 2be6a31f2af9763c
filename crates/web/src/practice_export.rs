//! Export of a whole practice for portability (`sceau practice export`,
//! issue 17): open formats only — JSON lines per aggregate, the FHIR R4
//! bundle of the journal the practice already downloads, the journal with
//! its proofs (checkable by `sceau journal check-export` without the key),
//! its reports (signalements) with the PDF of each one sent, and the PDF
//! reports of its audits. Every file is created 0600 in a directory created
//! 0700: the export holds the register in clear.

use std::io::Write;
use std::path::{Path, PathBuf};

use sceau_documents::audit::{report, Checklist};
use sceau_store::StoreError;
use serde::Serialize;

use crate::AppState;

/// What was written, for the operator's summary.
#[derive(Debug, Default, Serialize)]
pub struct ExportSummary {
    pub dir: PathBuf,
    /// (file name, number of records or bytes)
    pub files: Vec<(String, usize)>,
}

#[derive(Debug)]
pub enum ExportError {
    Store(StoreError),
    Io {
        path: String,
        source: std::io::Error,
    },
    /// An audit's number and why its PDF failed.
    Pdf(i64, String),
    /// A report's id and why its PDF failed.
    ReportPdf(String, String),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Store(e) => write!(f, "{e}"),
            ExportError::Io { path, source } => write!(f, "écriture de {path} : {source}"),
            ExportError::Pdf(n, e) => {
                write!(
                    f,
                    "le PDF de l’audit n°\u{a0}{n} n’a pas pu être produit : {e}"
                )
            }
            ExportError::ReportPdf(id, e) => {
                write!(
                    f,
                    "le PDF du signalement {id} n’a pas pu être produit : {e}"
                )
            }
        }
    }
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        ExportError::Store(e)
    }
}

fn private_dir(path: &Path) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut b = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(path).map_err(io)
}

/// Writes `bytes` to a new file (never over an existing one), mode 0600.
fn private_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)
}

fn jsonl<T: Serialize>(items: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    for i in items {
        // Serialising our own structs cannot fail (no maps with non-string keys).
        if let Ok(line) = serde_json::to_vec(i) {
            out.extend_from_slice(&line);
            out.push(b'\n');
        }
    }
    out
}

/// A patient with what hangs from it: the register's aggregate.
#[derive(Serialize)]
struct PatientRecord {
    #[serde(flatten)]
    patient: sceau_store::register::Patient,
    care_team: Vec<sceau_store::register::CareTeamMember>,
    consents: Vec<sceau_store::register::Consent>,
    oppositions: Vec<sceau_store::register::Opposition>,
}

/// Exports practice `practice_id` into `<out>/cabinet-<id>/`, which must not exist.
pub async fn export_practice(
    state: &AppState,
    practice_id: i64,
    out: &Path,
) -> Result<ExportSummary, ExportError> {
    let store = state.store();
    let practice = store.practice(practice_id).await?;
    let dir = out.join(format!("cabinet-{practice_id}"));
    private_dir(&dir)?;
    let mut summary = ExportSummary {
        dir: dir.clone(),
        files: vec![],
    };
    let mut put = |name: &str, bytes: Vec<u8>, count: usize| -> Result<(), ExportError> {
        private_file(&dir.join(name), &bytes)?;
        summary.files.push((name.to_string(), count));
        Ok(())
    };

    let meta = serde_json::json!({
        "format": "sceau-export-cabinet/1",
        "exported_at": chrono::Utc::now().to_rfc3339(),
        "practice": practice,
    });
    put("cabinet.json", format!("{meta:#}\n").into_bytes(), 1)?;

    let accounts = store.list_accounts(practice_id).await?;
    put("comptes.jsonl", jsonl(&accounts), accounts.len())?;
    let tokens = store.list_tokens(practice_id).await?;
    put("jetons.jsonl", jsonl(&tokens), tokens.len())?;

    let mut patients = vec![];
    for p in store.list_patients(practice_id).await? {
        patients.push(PatientRecord {
            care_team: store.care_team(practice_id, &p.id).await?,
            consents: store.consents(practice_id, &p.id).await?,
            oppositions: store.oppositions(practice_id, &p.id).await?,
            patient: p,
        });
    }
    put("patients.jsonl", jsonl(&patients), patients.len())?;
    let duties = store.duties(practice_id, false).await?;
    put("obligations.jsonl", jsonl(&duties), duties.len())?;
    let recipients = store.recipients(practice_id).await?;
    put("annuaire.jsonl", jsonl(&recipients), recipients.len())?;

    let journal = store.journal_export(practice_id, None).await?;
    let lines = journal.lines().count();
    put("journal.jsonl", journal.into_bytes(), lines)?;
    let bundle = crate::register::audit_bundle(state, &practice, None).await?;
    let events = bundle["entry"].as_array().map_or(0, Vec::len);
    put(
        "journal-fhir.json",
        format!("{bundle:#}\n").into_bytes(),
        events,
    )?;

    // Every report, whatever its step; the PDF of those sent only: a draft
    // never left the practice. Only the letter's text is stored, so the PDF
    // is that text, word for word, without the original layout (the footer
    // says so).
    let reports = store.reports(practice_id).await?;
    put("signalements.jsonl", jsonl(&reports), reports.len())?;
    let mut docs_made = false;
    for r in reports.iter().filter(|r| r.status == "envoye") {
        if !docs_made {
            private_dir(&dir.join("documents"))?;
            docs_made = true;
        }
        let pdf = sceau_documents::pdf::render(&sent_report(r))
            .map_err(|e| ExportError::ReportPdf(r.id.clone(), e.to_string()))?;
        let size = pdf.len();
        put(&format!("documents/signalement-{}.pdf", r.id), pdf, size)?;
    }

    let mut audits = vec![];
    for a in store.audits(practice_id).await? {
        audits.push(store.audit(practice_id, &a.id).await?);
    }
    put("audits.jsonl", jsonl(&audits), audits.len())?;
    if !audits.is_empty() && !docs_made {
        private_dir(&dir.join("documents"))?;
    }
    for a in &audits {
        let prev = store.previous_audit(practice_id, a).await?;
        let cur = crate::audit::record(a, &practice.name);
        let prev = prev
            .as_ref()
            .map(|p| crate::audit::record(p, &practice.name));
        let doc = report(state.law(), Checklist::builtin(), &cur, prev.as_ref());
        let pdf = sceau_documents::pdf::render(&doc)
            .map_err(|e| ExportError::Pdf(a.number, e.to_string()))?;
        let name = format!("documents/audit-cabinet-{}.pdf", a.number);
        let size = pdf.len();
        put(&name, pdf, size)?;
    }
    Ok(summary)
}

/// The letter of a sent report as kept by the register, with a footer
/// saying what it is: its text, when and how it was sent, its journal entry.
fn sent_report(r: &sceau_store::reports::Report) -> sceau_documents::Document {
    let means = r
        .sent_means
        .as_deref()
        .and_then(|m| {
            sceau_store::reports::MEANS
                .iter()
                .find(|(k, _)| *k == m)
                .map(|(_, l)| *l)
        })
        .unwrap_or("");
    let sent = r
        .sent_on
        .map(|d| format!(", envoyé le {} {means}", sceau_engine::model::date_fr(d)))
        .unwrap_or_default();
    let journal = r
        .journal_seq
        .map(|s| format!("\u{a0}; entrée n°\u{a0}{s} du journal"))
        .unwrap_or_default();
    sceau_documents::Document::from_text(
        &format!("Signalement {}", r.id),
        &r.letter,
        Some(format!(
            "Signalement {}{sent}{journal}. Texte tel qu’enregistré par Sceau, sans la mise en page d’origine.",
            r.id
        )),
    )
}
