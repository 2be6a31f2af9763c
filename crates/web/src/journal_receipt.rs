//! The journal's signed head (a receipt, `sceau_journal::Receipt`) stamped
//! on what leaves the practice: letters and replies (a line at the foot),
//! FHIR bundles (`meta.tag`). Whoever keeps the document can later have
//! `sceau journal verify --receipt FILE` (or `check-export --receipt`)
//! prove that the journal still extends that head. A journal that does not
//! verify gives no receipt: the document says so instead.

use sceau_documents::doc::{Block, Span};
use sceau_documents::Document;
use serde_json::{json, Value};

use crate::AppState;

/// What a document says when the journal gives no receipt.
const NO_RECEIPT: &str = "Journal des révélations\u{a0}: aucun reçu, le journal du cabinet ne se vérifiait pas à la date de ce document.";

/// The receipt line, or why there is none.
async fn line(state: &AppState, practice: i64) -> Result<String, ()> {
    match state.store().journal_receipt(practice).await {
        Ok(r) => Ok(r.to_line()),
        Err(e) => {
            tracing::warn!(error = %e, "reçu du journal indisponible");
            Err(())
        }
    }
}

/// Adds the receipt at the foot of a document that leaves the practice.
pub(crate) async fn stamp(state: &AppState, practice: i64, doc: &mut Document) {
    let text = match line(state, practice).await {
        Ok(l) => format!(
            "Reçu du journal des révélations à la date de ce document (il permet de vérifier que le journal n’a pas été réécrit depuis)\u{a0}: {l}"
        ),
        Err(()) => NO_RECEIPT.to_string(),
    };
    doc.blocks.push(Block::Small {
        spans: vec![Span::regular(text)],
    });
}

/// The `meta` of a FHIR bundle: its receipt as a tag.
pub(crate) async fn fhir_meta(state: &AppState, practice: i64) -> Value {
    match line(state, practice).await {
        Ok(l) => json!({ "tag": [{ "system": "urn:sceau:journal-receipt", "code": l }] }),
        Err(()) => {
            json!({ "tag": [{ "system": "urn:sceau:journal-receipt", "display": NO_RECEIPT }] })
        }
    }
}

/// Writes, in `dir`, each practice's receipt as
/// `sceau-recu-cabinet-<practice>-<seq>.json` (0600, atomically; a head
/// already written is not written again): a checkpoint outside the data
/// folder, checked later with `sceau journal verify --receipt FILE`. A
/// practice whose journal does not verify gets no receipt (logged). Returns
/// the files written.
pub async fn write_receipts(
    store: &sceau_store::Store,
    dir: &std::path::Path,
) -> Result<Vec<std::path::PathBuf>, sceau_store::StoreError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        sceau_store::StoreError::Internal(format!("dossier des reçus {} : {e}", dir.display()))
    })?;
    let mut written = vec![];
    for p in store.practices().await? {
        let r = match store.journal_receipt(p.id).await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(practice = p.id, error = %e, "reçu périodique du journal non écrit");
                continue;
            }
        };
        let path = dir.join(format!("sceau-recu-cabinet-{}-{}.json", p.id, r.seq));
        if path.exists() {
            continue;
        }
        let bytes = serde_json::to_vec_pretty(&r)
            .map_err(|e| sceau_store::StoreError::Internal(e.to_string()))?;
        sceau_store::crypto::write_atomic(&path, &bytes).map_err(|e| {
            sceau_store::StoreError::Internal(format!("écriture du reçu {} : {e}", path.display()))
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Runs [`write_receipts`] now and then every `every`, for the life of the server.
pub(crate) fn spawn_writer(
    store: sceau_store::Store,
    dir: std::path::PathBuf,
    every: std::time::Duration,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = write_receipts(&store, &dir).await {
                tracing::error!(error = %e, "reçus périodiques du journal");
            }
        }
    });
}
