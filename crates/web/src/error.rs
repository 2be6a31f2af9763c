//! What a request gets when it cannot be served, at the bottom of the crate:
//! [`WebError`], which handlers return with `?`, renders the French error
//! page for a page and the JSON error (`error`, `message`, `message_en`)
//! for the API. A message names the field or the part at fault and what is
//! accepted, never a value the person submitted.
//!
//! The storage refusing an operation — a full disk, a read-only database,
//! a database server that does not answer — gets a page or JSON error
//! saying what happened, that nothing was recorded and what to do (503, the
//! JSON `error` code telling the cases apart). The store's message goes to
//! the log only (it never holds patient data).

use axum::body::Bytes;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sceau_engine::SituationError;
use sceau_store::{Outage, Session, StoreError};
use serde_json::{json, Value};

use crate::render::{error_page, Templates};

/// The answer of a handler that stops early: an error page or a JSON
/// error, already rendered (a page needs the templates of the state, which
/// `IntoResponse` does not get).
#[derive(Debug)]
#[must_use]
pub struct WebError(Box<Response>);

/// What a handler returns: its answer, or the error that stopped it.
pub type Answer = Result<Response, WebError>;

impl WebError {
    /// The French error page.
    pub fn page(
        state: &impl AsRef<Templates>,
        status: StatusCode,
        session: Option<&Session>,
        title: &str,
        message: &str,
    ) -> WebError {
        WebError(Box::new(error_page(state, status, session, title, message)))
    }

    /// A form whose CSRF token is missing, expired or from another site (403).
    pub fn bad_csrf(state: &impl AsRef<Templates>, session: Option<&Session>) -> WebError {
        WebError::page(
            state,
            StatusCode::FORBIDDEN,
            session,
            "Formulaire expiré",
            "Ce formulaire a expiré ou ne vient pas de Sceau. Revenez à la page précédente, rechargez-la et recommencez.",
        )
    }

    /// A page or record that does not exist in the person's practice (404):
    /// the same answer whether it exists elsewhere or nowhere.
    pub fn not_found(state: &impl AsRef<Templates>, session: Option<&Session>) -> WebError {
        WebError::page(
            state,
            StatusCode::NOT_FOUND,
            session,
            "Introuvable",
            "Cette page n’existe pas ou ne concerne pas votre cabinet.",
        )
    }

    /// The storage refused `what` (see [`outage_page`]).
    pub fn store(
        state: &impl AsRef<Templates>,
        session: Option<&Session>,
        what: &str,
        e: &StoreError,
    ) -> WebError {
        WebError(Box::new(outage_page(state, session, what, e)))
    }

    /// The JSON error of the API.
    pub fn api(status: StatusCode, error: &str, message: &str, message_en: &str) -> WebError {
        WebError(Box::new(api_error(status, error, message, message_en)))
    }

    /// The storage refused `what`, for the API (see [`outage_api`]).
    pub fn api_store(what: &str, e: &StoreError) -> WebError {
        WebError(Box::new(outage_api(what, e)))
    }
}

/// An answer built by hand (a form shown again with its error, a
/// redirection) that stops a handler all the same.
impl From<Response> for WebError {
    fn from(r: Response) -> WebError {
        WebError(Box::new(r))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// The JSON error body of the API: a stable code, French and English.
pub fn api_error(status: StatusCode, error: &str, message: &str, message_en: &str) -> Response {
    (
        status,
        Json(json!({ "error": error, "message": message, "message_en": message_en })),
    )
        .into_response()
}

/// A situation or field the API refuses (422), naming the field and what is accepted.
pub fn unprocessable(e: SituationError) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Json(e)).into_response()
}

fn malformed(line: usize, column: usize) -> SituationError {
    SituationError {
        error: "malformed_json",
        field: None,
        accepted: vec![],
        message: format!(
            "Le corps de la requête n’est pas un JSON valide en UTF-8 (ligne {line}, colonne {column}) : un objet JSON est attendu."
        ),
        message_en: format!(
            "The request body is not valid UTF-8 JSON (line {line}, column {column}): a JSON object is expected."
        ),
    }
}

/// Reads a JSON body: 415 for another content type, 422 for bad JSON.
#[allow(clippy::result_large_err)]
pub fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<Value, Response> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime != "application/json" && !(mime.starts_with("application/") && mime.ends_with("+json"))
    {
        return Err(api_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Envoyez le corps en JSON avec l’en-tête « Content-Type: application/json ».",
            "Send the body as JSON with \"Content-Type: application/json\".",
        ));
    }
    serde_json::from_slice(body).map_err(|e| unprocessable(malformed(e.line(), e.column())))
}

/// The API's 404 for what is not in the caller's practice: the same answer
/// whether it exists elsewhere or nowhere.
pub fn api_not_found() -> Response {
    api_error(
        StatusCode::NOT_FOUND,
        "not_found",
        "Introuvable dans le registre de ce cabinet.",
        "Not found in this practice's register.",
    )
}

// ---------------------------------------------------------------- outages

/// `?` on a store call: what the request gets when the storage refuses.
pub trait OrAnswer<T> {
    /// A page of the register: 404 for what is not in the practice, the
    /// outage page otherwise.
    fn or_register_page(self, state: &impl AsRef<Templates>, s: &Session) -> Result<T, WebError>;
    /// Any page: the outage page (`what` names the operation in the log).
    fn or_page(
        self,
        state: &impl AsRef<Templates>,
        session: Option<&Session>,
        what: &str,
    ) -> Result<T, WebError>;
    /// The API: the JSON outage answer.
    fn or_api(self, what: &str) -> Result<T, WebError>;
}

impl<T> OrAnswer<T> for Result<T, StoreError> {
    fn or_register_page(self, state: &impl AsRef<Templates>, s: &Session) -> Result<T, WebError> {
        self.map_err(|e| WebError(Box::new(store_failure(state, s, e))))
    }

    fn or_page(
        self,
        state: &impl AsRef<Templates>,
        session: Option<&Session>,
        what: &str,
    ) -> Result<T, WebError> {
        self.map_err(|e| WebError::store(state, session, what, &e))
    }

    fn or_api(self, what: &str) -> Result<T, WebError> {
        self.map_err(|e| WebError::api_store(what, &e))
    }
}

/// A register operation refused: 404 for what is not in the practice, the
/// outage page otherwise.
pub fn store_failure(state: &impl AsRef<Templates>, s: &Session, e: StoreError) -> Response {
    match e {
        StoreError::NotFound => WebError::not_found(state, Some(s)).into_response(),
        e => outage_page(state, Some(s), "registre", &e),
    }
}

fn title(o: Outage) -> &'static str {
    match o {
        Outage::Full => "Disque plein",
        Outage::ReadOnly => "Base en lecture seule",
        Outage::Other => "Service indisponible",
        Outage::Unconfirmed => "Enregistrement non confirmé",
    }
}

/// The error page of a web form or page.
pub fn outage_page(
    state: &impl AsRef<Templates>,
    session: Option<&Session>,
    what: &str,
    e: &StoreError,
) -> Response {
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
pub fn outage_api(what: &str, e: &StoreError) -> Response {
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
        Outage::Unconfirmed => (
            "unconfirmed",
            "The database stopped answering during the write and has not confirmed it since: it may be stored. Look before doing it again.",
        ),
    };
    api_error(StatusCode::SERVICE_UNAVAILABLE, code, e.outage_fr(), en)
}
