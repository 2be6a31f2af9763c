//! Who is asking: the session cookie and the extractors of the signed-in
//! person ([`MaybeUser`], [`User`], [`Admin`]), the API caller of a bearer
//! token ([`ApiCaller`]), and the one CSRF check of every form posted by a
//! signed-in person ([`CsrfForm`]).
//!
//! The router resolves the session once for the routes whose access needs
//! one (`middleware::access_guard`) and leaves it in the request's
//! extensions, where these extractors find it.

use std::collections::HashMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use rand::RngCore;
use sceau_store::{ApiToken, Practice, Session, StoreError};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::connections::behind_tls;
use crate::error::WebError;
use crate::AppState;

pub const SESSION_COOKIE: &str = "sceau_session";
pub const CSRF_COOKIE: &str = "sceau_csrf";
/// Proof that this browser has signed in to an account before (see `throttle`).
pub const DEVICE_COOKIE: &str = "sceau_appareil";
/// The number of the practice this browser last signed in to: the login
/// form's « Cabinet » field comes back filled with it.
pub const PRACTICE_COOKIE: &str = "sceau_cabinet";
/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 256)
}

pub(crate) fn set_cookie(
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age: i64,
) -> HeaderValue {
    cookie_header(headers, name, value, Some(max_age))
}

/// A cookie; without `max_age`, a session cookie, which the browser drops
/// when it closes (a shared computer in a practice).
pub(crate) fn cookie_header(
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age: Option<i64>,
) -> HeaderValue {
    let secure = if behind_tls(headers) { "; Secure" } else { "" };
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

pub(crate) fn random_hex() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The session the router found for this request (`middleware::access_guard`),
/// with its cookie's token: the extractors below do not look it up again.
#[derive(Clone)]
pub(crate) struct Resolved(pub Session, pub String);

/// The signed-in person, if any.
pub struct MaybeUser(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(Resolved(s, _)) = parts.extensions.get::<Resolved>() {
            return Ok(MaybeUser(Some(s.clone())));
        }
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Ok(MaybeUser(None));
        };
        match state.store().session(&token).await {
            Ok(s) => Ok(MaybeUser(s)),
            Err(e @ StoreError::AccountAltered) => {
                tracing::warn!("session refusée : compte altéré (ligne non signée par Sceau)");
                Err(WebError::page(
                    state,
                    StatusCode::FORBIDDEN,
                    None,
                    "Compte altéré",
                    &e.to_string(),
                )
                .into_response())
            }
            Err(e) => {
                tracing::error!(error = %e, "lecture de la session");
                Err(WebError::page(
                    state,
                    StatusCode::SERVICE_UNAVAILABLE,
                    None,
                    "Service indisponible",
                    "La base de données ne répond pas. Réessayez dans un instant.",
                )
                .into_response())
            }
        }
    }
}

/// A signed-in person; without one, a redirection to the login page.
pub struct User(pub Session, pub String);

impl FromRequestParts<AppState> for User {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(Resolved(s, token)) = parts.extensions.get::<Resolved>() {
            return Ok(User(s.clone(), token.clone()));
        }
        let MaybeUser(s) = MaybeUser::from_request_parts(parts, state).await?;
        match (s, cookie(&parts.headers, SESSION_COOKIE)) {
            (Some(s), Some(token)) => Ok(User(s, token)),
            _ => {
                // The query too: an interview's URL carries its answers,
                // found again after signing in.
                let path = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                Err(Redirect::to(&format!("/connexion?suite={}", urlencode(path))).into_response())
            }
        }
    }
}

/// An administrator; others get 403.
pub struct Admin(pub Session);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let User(s, _) = User::from_request_parts(parts, state).await?;
        if s.account.role.is_admin() {
            Ok(Admin(s))
        } else {
            Err(admin_only(state, &s))
        }
    }
}

/// The refusal of an administration page to another role.
pub(crate) fn admin_only(state: &AppState, s: &Session) -> Response {
    WebError::page(
        state,
        StatusCode::FORBIDDEN,
        Some(s),
        "Accès refusé",
        "L’administration est réservée aux administrateurs du cabinet.",
    )
    .into_response()
}

pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The CSRF token of an anonymous form, from its cookie or new.
pub(crate) fn anonymous_csrf(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, CSRF_COOKIE) {
        Some(v) if v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()) => (v, false),
        _ => (random_hex(), true),
    }
}

pub(crate) fn with_csrf_cookie(
    headers: &HeaderMap,
    mut res: Response,
    token: &str,
    fresh: bool,
) -> Response {
    if fresh {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(headers, CSRF_COOKIE, token, 3600 * 12),
        );
    }
    res
}

/// The API client identified by its bearer token.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub token: ApiToken,
    pub practice: Practice,
}

/// Constant-time comparison of a submitted CSRF token with the expected one.
pub(crate) fn csrf_matches(expected: &str, given: Option<&str>) -> bool {
    match given {
        Some(g) if !expected.is_empty() => expected.as_bytes().ct_eq(g.as_bytes()).into(),
        _ => false,
    }
}

/// A form that carries a `csrf` field.
pub trait CsrfField {
    fn csrf(&self) -> Option<&str>;
}

impl CsrfField for HashMap<String, String> {
    fn csrf(&self) -> Option<&str> {
        self.get("csrf").map(String::as_str)
    }
}

impl CsrfField for Vec<(String, String)> {
    fn csrf(&self) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str())
    }
}

/// The check of [`CsrfForm`], for the one handler that also takes a form
/// from someone not signed in (the interview, which then writes nothing).
pub fn check_csrf(
    state: &AppState,
    session: &Session,
    form: &impl CsrfField,
) -> Result<(), WebError> {
    if csrf_matches(&session.csrf, form.csrf()) {
        Ok(())
    } else {
        Err(WebError::bad_csrf(state, Some(session)))
    }
}

/// A form posted by a signed-in person, its `csrf` field checked against
/// the session's token: the one CSRF check of every such form. Without a
/// session, the login page; with a wrong or missing token, 403 « Formulaire
/// expiré » before the handler sees a field.
pub struct CsrfForm<T>(pub T);

/// Why a [`CsrfForm`] was refused.
pub enum CsrfRejection {
    /// No session: the redirection to the login page.
    Session(Response),
    /// The body is not a readable form (too large, not a form…).
    Form(FormRejection),
    /// The token is missing, wrong or expired.
    Expired(WebError),
}

impl IntoResponse for CsrfRejection {
    fn into_response(self) -> Response {
        match self {
            CsrfRejection::Session(r) => r,
            CsrfRejection::Form(r) => r.into_response(),
            CsrfRejection::Expired(e) => e.into_response(),
        }
    }
}

impl<T> FromRequest<AppState> for CsrfForm<T>
where
    T: DeserializeOwned + CsrfField + Send,
{
    type Rejection = CsrfRejection;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let User(session, _) = User::from_request_parts(&mut parts, state)
            .await
            .map_err(CsrfRejection::Session)?;
        let Form(form) = Form::<T>::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(CsrfRejection::Form)?;
        check_csrf(state, &session, &form).map_err(CsrfRejection::Expired)?;
        Ok(CsrfForm(form))
    }
}
