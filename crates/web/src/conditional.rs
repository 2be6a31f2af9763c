//! Conditional GET for the law's texts (`/textes/{id}`, `/api/v1/articles`…):
//! an `ETag` from the body's SHA-256 and `Cache-Control: private, no-cache`,
//! so that a browser or a client keeps the text and asks again with
//! `If-None-Match`, answered `304 Not Modified` without the body. The texts
//! change only with the corpus or the date asked, which the body reflects;
//! `private`: the pages carry the signed-in user's header, and the API may be
//! served to token holders only.

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Bodies larger than this are sent as they are (no text comes near it).
const MAX_BODY: usize = 8 << 20;

/// Adds the validator to a successful response, or answers 304 when the
/// request already holds this very body.
pub async fn with_etag(request: &HeaderMap, res: Response) -> Response {
    if res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "réponse trop longue").into_response();
    };
    let digest = Sha256::digest(&bytes);
    let tag: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let etag = HeaderValue::from_str(&format!("\"{tag}\"")).expect("hex is a valid header");
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    parts.headers.insert(header::ETAG, etag);
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}
