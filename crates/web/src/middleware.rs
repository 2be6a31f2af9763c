//! What wraps requests: security headers, the request log, rate limits and
//! bearer-token checks.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use sceau_store::{StoreError, TokenScope};

use crate::connections::{behind_tls, client_ip, real_client, ClientIp};
use crate::error::{api_error, outage_api};
use crate::render::error_page;
use crate::session::{admin_only, ApiCaller, Resolved, User};
use crate::{Access, AppState};

/// The Content-Security-Policy of every response: no inline script or style.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn security_headers(req: Request, next: Next) -> Response {
    let tls = behind_tls(req.headers());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        h,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    set(
        h,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(h, header::CACHE_CONTROL, "no-store");
    if tls {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    res
}

/// Logs method, route template, status and latency. Never the URI (its
/// query may carry answers), a header value or a body.
pub async fn log_request(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let matched = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let route = matched
        .clone()
        .unwrap_or_else(|| "(aucune route)".to_owned());
    let res = next.run(req).await;
    let status = res.status().as_u16();
    crate::metrics::observe(&method, matched.as_deref(), status, start.elapsed());
    let latency_ms = (start.elapsed().as_secs_f64() * 100_000.0).round() / 100.0;
    if status >= 500 {
        tracing::error!(method = %method, route = %route, status, latency_ms, "requête");
    } else {
        tracing::info!(method = %method, route = %route, status, latency_ms, "requête");
    }
    res
}

/// `X-Forwarded-For` and `X-Forwarded-Proto` are believed only from a
/// proxy named with `--trusted-proxy`: from anyone else they are removed
/// before any handler sees them, so that a client can neither choose the
/// address it is throttled under nor make the server think it is behind TLS.
pub async fn proxy_headers(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let trusted = state.inner().trusted_proxies.as_slice();
    let ip = if trusted.contains(&peer) {
        // Several headers are one list, in order.
        let forwarded: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let forwarded = (!forwarded.is_empty()).then(|| forwarded.join(","));
        real_client(peer, forwarded.as_deref(), trusted)
    } else {
        let h = req.headers_mut();
        h.remove("x-forwarded-for");
        h.remove("x-forwarded-proto");
        h.remove("forwarded");
        peer
    };
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

fn unauthorized() -> Response {
    let mut r = api_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Jeton d’API manquant, invalide ou révoqué : envoyez l’en-tête « Authorization: Bearer <jeton> » avec un jeton créé par un administrateur.",
        "Missing, invalid or revoked API token: send \"Authorization: Bearer <token>\" with a token created by an administrator.",
    );
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"sceau\""),
    );
    r
}

fn too_many() -> Response {
    let mut r = api_error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "Trop de requêtes : réessayez dans une minute.",
        "Too many requests: try again in a minute.",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    r
}

async fn bearer(state: &AppState, headers: &HeaderMap) -> Result<Option<ApiCaller>, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let Some(token) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) else {
        return Ok(None);
    };
    match state.store().authenticate_token(token.trim()).await {
        Ok(Some((_, practice))) if practice.suspended() => Err(api_error(
            StatusCode::FORBIDDEN,
            "practice_suspended",
            "Ce cabinet est suspendu par l’hébergeur de Sceau : ses jetons ne donnent plus accès à rien. Contactez votre hébergeur.",
            "This practice is suspended by the host: its tokens give access to nothing.",
        )),
        Ok(Some((token, practice))) => Ok(Some(ApiCaller { token, practice })),
        Ok(None) => Ok(None),
        // Issued before tokens were signed, or its row changed without the
        // key: refused with what to do (the message never holds the token).
        Err(e @ StoreError::TokenToReplace) => {
            let mut r = api_error(
                StatusCode::UNAUTHORIZED,
                "token_to_replace",
                &e.to_string(),
                "This API token predates signed tokens, or its row was changed outside Sceau: it opens nothing. An administrator must issue a new token.",
            );
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"sceau\", error=\"invalid_token\""),
            );
            Err(r)
        }
        Err(e @ StoreError::AccountAltered) => {
            tracing::warn!("jeton refusé : compte propriétaire altéré (ligne non signée par Sceau)");
            Err(api_error(
                StatusCode::FORBIDDEN,
                "account_altered",
                &e.to_string(),
                "The account that owns this token was changed outside Sceau, or not yet attested: it can neither sign in nor act.",
            ))
        }
        Err(e) => Err(outage_api("vérification du jeton", &e)),
    }
}

/// Endpoints that touch stored data: a valid bearer token is required,
/// whose scope allows writing for anything but a read (GET).
pub async fn token_guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    match bearer(&state, req.headers()).await {
        Ok(Some(caller))
            if caller.token.scope == TokenScope::Lecture && req.method() != axum::http::Method::GET =>
        {
            api_error(
                StatusCode::FORBIDDEN,
                "insufficient_scope",
                "Ce jeton est en lecture seule : il ne peut rien enregistrer. Un administrateur peut créer un jeton « lecture et écriture ».",
                "This token is read-only: it cannot record anything.",
            )
        }
        Ok(Some(caller)) => {
            req.extensions_mut().insert(caller);
            next.run(req).await
        }
        Ok(None) => unauthorized(),
        Err(r) => r,
    }
}

/// Decision, interview and article endpoints: rate-limited per address,
/// and closed to callers without a token under `--private-api`.
pub async fn open_api_guard(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let caller = match bearer(&state, req.headers()).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if state.inner().private_api && caller.is_none() {
        return unauthorized();
    }
    let ip = client_ip(req.extensions());
    if caller.is_none() && !state.inner().limiters.api_ok(ip) {
        return too_many();
    }
    if let Some(c) = caller {
        req.extensions_mut().insert(c);
    }
    next.run(req).await
}

/// Rejections produced before our handlers run — axum's extractors (form,
/// query, path), the body limit, hyper's method checks — come as English
/// plain text that may quote the input. They are replaced by our own
/// answer: JSON with `error`, `message`, `message_en` under `/api/`, an HTML
/// page elsewhere, naming the part of the request at fault and what is
/// accepted, never its content.
pub async fn own_rejections(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    let status = res.status();
    if !status.is_client_error() {
        return res;
    }
    let ours = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html") || ct.contains("json"));
    if ours {
        return res;
    }
    let (error, title, message, message_en) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "Requête trop volumineuse",
            format!("Le corps de la requête dépasse la taille acceptée : {} octets au plus.", crate::BODY_LIMIT),
            format!("The request body is too large: at most {} bytes are accepted.", crate::BODY_LIMIT),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "Type de contenu non accepté",
            "Le corps de la requête doit être un formulaire (en-tête « Content-Type: application/x-www-form-urlencoded »).".to_string(),
            "The request body must be a form (Content-Type: application/x-www-form-urlencoded).".to_string(),
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "unprocessable_form",
            "Formulaire illisible",
            "Le formulaire envoyé est illisible : ses champs doivent être encodés en UTF-8 au format application/x-www-form-urlencoded.".to_string(),
            "The form is unreadable: fields must be UTF-8, application/x-www-form-urlencoded.".to_string(),
        ),
        StatusCode::NOT_FOUND => (
            "not_found",
            "Page introuvable",
            "Cette adresse n’existe pas. Revenez à l’accueil.".to_string(),
            "No such address.".to_string(),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "Méthode non acceptée",
            "Méthode HTTP non acceptée à cette adresse.".to_string(),
            "HTTP method not allowed here.".to_string(),
        ),
        _ => (
            "bad_request",
            "Requête illisible",
            "La requête est illisible : l’adresse et ses paramètres doivent être du texte UTF-8 encodé pour une URL (pourcent-encodage), le corps un formulaire ou du JSON en UTF-8.".to_string(),
            "Unreadable request: the path and query must be UTF-8, percent-encoded; the body a UTF-8 form or JSON.".to_string(),
        ),
    };
    let mut fresh = if api {
        api_error(status, error, &message, &message_en)
    } else {
        error_page(&state, status, None, title, &message)
    };
    // Keep what tells the client how to retry or what is allowed.
    for name in [header::RETRY_AFTER, header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(v) = res.headers().get(&name) {
            fresh.headers_mut().insert(name, v.clone());
        }
    }
    fresh
}

/// Pages whose policy needs a session ([`Access::allows`]): without one,
/// the login page; with a role the policy excludes, 403 before the handler
/// runs. The session found is left in the request for the handler's
/// extractors (`session::User`, `Admin`, `CsrfForm`), so that a handler
/// whose own extractor were looser would still never be reached.
pub async fn access_guard(
    State((state, access, anonymous)): State<(AppState, Access, bool)>,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let (session, token) = match User::from_request_parts(&mut parts, &state).await {
        Ok(User(s, t)) => (s, t),
        Err(_) if anonymous => return next.run(Request::from_parts(parts, body)).await,
        Err(redirect) => return redirect,
    };
    match access.allows(session.account.role) {
        Some(true) => {}
        _ if access == Access::Administrator => return admin_only(&state, &session),
        _ => return forbidden_page(&state, &session),
    }
    parts.extensions.insert(Resolved(session, token));
    next.run(Request::from_parts(parts, body)).await
}

/// The 403 page of a route (or a part of a page) the account's role does
/// not open: the routing table's answer, also given by handlers that take
/// a register identifier on a route open to every role (the interview).
pub(crate) fn forbidden_page(state: &AppState, session: &sceau_store::Session) -> Response {
    error_page(
        state,
        StatusCode::FORBIDDEN,
        Some(session),
        "Accès refusé",
        &format!(
            "Cette page est réservée à d’autres rôles du cabinet : votre rôle ({}) n’y donne pas accès.",
            session.account.role.label_fr()
        ),
    )
}
