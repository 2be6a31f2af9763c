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
