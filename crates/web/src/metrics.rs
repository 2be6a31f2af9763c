//! Prometheus metrics at `/metrics` (issue 17), in the text exposition
//! format, kept by this process (each node is scraped on its own):
//! requests by method, route template and status; latency histograms by
//! route template; decisions by verdict; journal appends; the database
//! pool. Labels are route templates (`/patients/{id}`), never a path, a
//! query, a name or an identifier: nothing a patient or a practice is
//! called can reach them.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use sceau_engine::Verdict;

use crate::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Metrics {
    /// (method, route, status) → requests.
    requests: BTreeMap<(&'static str, String, u16), u64>,
    /// route → latency.
    latency: BTreeMap<String, Histogram>,
}

fn metrics() -> &'static Mutex<Metrics> {
    static M: OnceLock<Mutex<Metrics>> = OnceLock::new();
    M.get_or_init(Default::default)
}

const VERDICTS: [(Verdict, &str); 6] = [
    (Verdict::Allowed, "allowed"),
    (Verdict::Forbidden, "forbidden"),
    (Verdict::NotRequired, "not_required"),
    (Verdict::Refer, "refer"),
    (Verdict::NotCovered, "not_covered"),
    (Verdict::Undetermined, "undetermined"),
];

static DECISIONS: [AtomicU64; 6] = [const { AtomicU64::new(0) }; 6];

/// Set when SIGTERM arrived: `/readyz` answers 503 so that the load
/// balancer sends nothing new while the requests in flight finish.
pub(crate) static DRAINING: AtomicBool = AtomicBool::new(false);

/// A method as a label: the usual ones by name, anything else as `OTHER`
/// (a client chooses the method; the label set stays bounded).
fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    for known in [
        Method::GET,
        Method::POST,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
    ] {
        if *m == known {
            return match known.as_str() {
                "GET" => "GET",
                "POST" => "POST",
                "HEAD" => "HEAD",
                "PUT" => "PUT",
                "DELETE" => "DELETE",
                "PATCH" => "PATCH",
                _ => "OPTIONS",
            };
        }
    }
    "OTHER"
}

/// Counts a request: `route` is the matched template, or `None` for a path
/// no route matched (counted as `unmatched`, its path never kept).
pub(crate) fn observe(
    method: &axum::http::Method,
    route: Option<&str>,
    status: u16,
    took: Duration,
) {
    let route = route.unwrap_or("unmatched").to_string();
    let secs = took.as_secs_f64();
    let mut m = metrics().lock().unwrap_or_else(|p| p.into_inner());
    *m.requests
        .entry((method_label(method), route.clone(), status))
        .or_default() += 1;
    let h = m.latency.entry(route).or_default();
    for (i, b) in BUCKETS.iter().enumerate() {
        if secs <= *b {
            h.counts[i] += 1;
        }
    }
    h.sum += secs;
    h.count += 1;
}

/// Counts a decision by its verdict.
pub(crate) fn decision(v: Verdict) {
    if let Some(i) = VERDICTS.iter().position(|(x, _)| *x == v) {
        DECISIONS[i].fetch_add(1, Ordering::Relaxed);
    }
}

/// The text exposition of every metric.
pub fn render(state: &AppState) -> String {
    let mut out = String::new();
    let m = metrics().lock().unwrap_or_else(|p| p.into_inner());
    let _ = writeln!(
        out,
        "# HELP sceau_http_requests_total Requêtes HTTP par méthode, modèle de route et statut."
    );
    let _ = writeln!(out, "# TYPE sceau_http_requests_total counter");
    for ((method, route, status), n) in &m.requests {
        let _ = writeln!(
            out,
            "sceau_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
            escape(route)
        );
    }
    let _ = writeln!(
        out,
        "# HELP sceau_http_request_duration_seconds Durée des requêtes par modèle de route."
    );
    let _ = writeln!(out, "# TYPE sceau_http_request_duration_seconds histogram");
    for (route, h) in &m.latency {
        let r = escape(route);
        for (i, b) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "sceau_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{b}\"}} {}",
                h.counts[i]
            );
        }
        let _ = writeln!(
            out,
            "sceau_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}",
            h.count
        );
        let _ = writeln!(
            out,
            "sceau_http_request_duration_seconds_sum{{route=\"{r}\"}} {}",
            h.sum
        );
        let _ = writeln!(
            out,
            "sceau_http_request_duration_seconds_count{{route=\"{r}\"}} {}",
            h.count
        );
    }
    drop(m);
    let _ = writeln!(
        out,
        "# HELP sceau_decisions_total Décisions rendues, par verdict."
    );
    let _ = writeln!(out, "# TYPE sceau_decisions_total counter");
    for (i, (_, name)) in VERDICTS.iter().enumerate() {
        let _ = writeln!(
            out,
            "sceau_decisions_total{{verdict=\"{name}\"}} {}",
            DECISIONS[i].load(Ordering::Relaxed)
        );
    }
    let _ = writeln!(out, "# HELP sceau_journal_appends_total Entrées du journal ajoutées et acquittées par ce processus.");
    let _ = writeln!(out, "# TYPE sceau_journal_appends_total counter");
    let _ = writeln!(
        out,
        "sceau_journal_appends_total {}",
        sceau_store::journal::appended_total()
    );
    let (open, idle, max) = state.store().pool_usage();
    let _ = writeln!(
        out,
        "# HELP sceau_db_pool_connections Connexions du pool de la base, par état."
    );
    let _ = writeln!(out, "# TYPE sceau_db_pool_connections gauge");
    let _ = writeln!(out, "sceau_db_pool_connections{{state=\"idle\"}} {idle}");
    let _ = writeln!(
        out,
        "sceau_db_pool_connections{{state=\"in_use\"}} {}",
        (open as usize).saturating_sub(idle)
    );
    let _ = writeln!(out, "sceau_db_pool_connections{{state=\"max\"}} {max}");
    out
}

/// Route templates are ours, but a label value must never break the format.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `GET /metrics`: to the machine itself (loopback) and the addresses of
/// `--metrics-from` only. The client is the address the login limits
/// count (the peer, or behind `--trusted-proxy` the client the proxy
/// names): a proxy on the same machine does not open it to the Internet.
pub async fn metrics_page(
    State(state): State<AppState>,
    crate::auth::Parts_(_, client): crate::auth::Parts_,
) -> Response {
    if !client.is_loopback() && !state.inner().metrics_from.contains(&client) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Les métriques ne sont servies qu’à la machine elle-même et aux adresses données par --metrics-from.\n",
        )
            .into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        render(&state),
    )
        .into_response()
}

/// `GET /healthz`: the process answers.
pub async fn healthz() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

/// `GET /readyz`: the database answers and its schema is this build's;
/// 503 otherwise, and while the node drains after SIGTERM.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let verdict = if DRAINING.load(Ordering::Relaxed) {
        Err("arrêt en cours : le serveur finit les requêtes commencées".to_string())
    } else {
        state.store().readiness().await
    };
    match verdict {
        Ok(()) => axum::Json(serde_json::json!({ "status": "prêt" })).into_response(),
        Err(why) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "status": "indisponible", "raison": why })),
        )
            .into_response(),
    }
}
