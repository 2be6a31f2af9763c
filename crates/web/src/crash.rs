//! A panic in a handler answers 500 with a fixed French message instead of
//! dropping the connection (the browser would show « connexion
//! interrompue » and an API client would retry blindly). The answer says
//! nothing of the panic: its message may quote what a patient said. The log
//! gets the place only (see `hide_panic_messages` in the crate root).

use std::any::Any;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::api_error;

const MESSAGE: &str = "Sceau a rencontré une erreur imprévue et n’a pas pu terminer cette demande. Vérifiez si l’opération a été enregistrée avant de la recommencer\u{202F}; si l’erreur se reproduit, prévenez la personne qui administre Sceau.";

/// The layer of one route: JSON for the API (`api`), a French page otherwise.
pub fn layer(
    api: bool,
) -> CatchPanicLayer<impl Fn(Box<dyn Any + Send + 'static>) -> Response + Clone> {
    CatchPanicLayer::custom(move |_payload: Box<dyn Any + Send + 'static>| answer(api))
}

fn answer(api: bool) -> Response {
    if api {
        return api_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            MESSAGE,
            "Unexpected server error: the request could not be completed.",
        );
    }
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(format!(
            "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Erreur interne — Sceau</title>\
             <link rel=\"stylesheet\" href=\"/static/sceau.css\"></head>\
             <body><main><h1>Erreur interne</h1><p>{MESSAGE}</p><p><a href=\"/\">Retour à l’accueil</a></p></main></body></html>\n"
        )),
    )
        .into_response()
}
