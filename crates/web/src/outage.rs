//! The answer when the storage refuses an operation — a full disk, a
//! read-only database, a database server that does not answer: a French
//! page or JSON error saying what happened, that nothing was recorded and
//! what to do (503, the JSON `error` code telling the cases apart). The
//! store's message goes to the log only (it never holds patient data).

use axum::http::StatusCode;
use axum::response::Response;
use sceau_store::{Outage, Session, StoreError};

use crate::middleware::api_error;
use crate::render::error_page;
use crate::AppState;

fn title(o: Outage) -> &'static str {
    match o {
        Outage::Full => "Disque plein",
        Outage::ReadOnly => "Base en lecture seule",
        Outage::Other => "Service indisponible",
    }
}

/// The error page of a web form or page.
pub fn page(state: &AppState, session: Option<&Session>, what: &str, e: &StoreError) -> Response {
    if let StoreError::Tampered(m) = e {
        // Not an outage: the journal does not verify, nothing was written on
        // top of it. The message says what was found (no patient data: only
        // entry numbers and kinds).
        tracing::error!(error = %e, "{what} : journal altéré");
        return error_page(state, StatusCode::CONFLICT, session, "Journal altéré", m);
    }
    if matches!(e, StoreError::Busy) {
        let mut r = error_page(
            state,
            StatusCode::TOO_MANY_REQUESTS,
            session,
            "Serveur occupé",
            "Le serveur vérifie trop de mots de passe à la fois : rien n’a été enregistré. Réessayez dans quelques secondes.",
        );
        r.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("2"),
        );
        return r;
    }
    tracing::error!(error = %e, "{what}");
    let o = e.outage();
    error_page(
        state,
        StatusCode::SERVICE_UNAVAILABLE,
        session,
        title(o),
        e.outage_fr(),
    )
}

/// The JSON error of the API.
pub fn api(what: &str, e: &StoreError) -> Response {
    if let StoreError::Tampered(m) = e {
        tracing::error!(error = %e, "{what} : journal altéré");
        return api_error(
            StatusCode::CONFLICT,
            "journal_tampered",
            m,
            "The journal does not verify: nothing was recorded on top of it; an administrator must examine it.",
        );
    }
    tracing::error!(error = %e, "{what}");
    let (code, en) = match e.outage() {
        Outage::Full => (
            "storage_full",
            "The server's disk is full: nothing was recorded.",
        ),
        Outage::ReadOnly => (
            "read_only",
            "The database is read-only: nothing was recorded.",
        ),
        Outage::Other => (
            "unavailable",
            "Service temporarily unavailable: nothing was recorded.",
        ),
    };
    api_error(StatusCode::SERVICE_UNAVAILABLE, code, e.outage_fr(), en)
}
