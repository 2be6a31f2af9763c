//! What a load balancer and Prometheus see (issue 17): `/healthz`,
//! `/readyz` (503 when the database is unreachable or its migrations are
//! not all applied) and `/metrics`, which never holds a patient's name, a
//! practice's name or an identifier, even after a workload full of them.
//! SQLite, or PostgreSQL with SCEAU_TEST_DATABASE_URL.

use crate::common;

use crate::common::{app, json_req, Browser, ADMIN_PASSWORD};
use axum::http::StatusCode;
use sceau_store::register::NewPatient;

#[tokio::test]
async fn health_and_readiness() {
    let app = app().await;
    let r = json_req(&app.router, "GET", "/healthz", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = json_req(&app.router, "GET", "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "prêt");
    // A migration this build expects is missing: not ready, and it says which.
    sceau_store::testing::forget_migration(app.state.store(), 9).await;
    let r = json_req(&app.router, "GET", "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.json()["raison"]
        .as_str()
        .unwrap()
        .contains("migrations non appliquées : 9"));
    // The process itself is alive all the same.
    let r = json_req(&app.router, "GET", "/healthz", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
}

/// The database stops (its pool closed under the node: every connection
/// refused): `/readyz` answers 503, `/healthz` still 200.
#[tokio::test]
async fn not_ready_when_the_database_is_gone() {
    let app = app().await;
    assert_eq!(
        json_req(&app.router, "GET", "/readyz", None, None)
            .await
            .status,
        StatusCode::OK
    );
    app.state.store().close().await;
    let r = json_req(&app.router, "GET", "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text());
    assert!(r.json()["raison"].as_str().unwrap().contains("injoignable"));
    assert_eq!(
        json_req(&app.router, "GET", "/healthz", None, None)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn metrics_count_requests_and_decisions_without_any_name() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let a = store
        .verify_login(None, "alice", ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let canary_practice = "Cabinet Canari Zzyzx";
    let bob = store
        .create_practice(canary_practice, "bobcanari", "Bob Canari", ADMIN_PASSWORD)
        .await
        .unwrap();
    let canary = "Philomène Canaripatient";
    let p = store
        .create_patient(
            a.practice_id,
            "alice",
            &NewPatient {
                display_name: canary.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (token, _) = store
        .create_token(a.practice_id, a.id, "jeton-canari")
        .await
        .unwrap();
    b.login_in(a.practice_id, "alice", ADMIN_PASSWORD).await;
    b.get("/patients").await;
    b.get(&format!("/patients/{}", p.id)).await;
    b.get(&format!(
        "/patients/{}?nom={}",
        p.id,
        common::urlencode(canary)
    ))
    .await;
    b.get("/chemin-inconnu-canari").await;
    for path in [
        format!("/api/v1/patients/{}", p.id),
        format!("/api/v1/patients/{}/journal", p.id),
        "/api/v1/whoami".to_string(),
    ] {
        let r = json_req(&app.router, "GET", &path, Some(&token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    let entry = serde_json::json!({
        "recipient": "procureur", "purpose": "signalement", "verdict": "allowed",
        "basis": ["cp:226-14:3"], "information": format!("constatations sur {canary}"), "patient": p.id,
    });
    let r = json_req(
        &app.router,
        "POST",
        "/api/v1/journal",
        Some(&token),
        Some(entry),
    )
    .await;
    assert!(r.status.is_success(), "{}", r.text());
    let decision = serde_json::json!({ "recipient": "procureur" });
    let r = json_req(
        &app.router,
        "POST",
        "/api/v1/decisions",
        None,
        Some(decision),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let verdict = r.json()["verdict"].as_str().unwrap().to_string();

    let r = json_req(&app.router, "GET", "/metrics", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[axum::http::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = r.text();
    // What it must hold.
    for needle in [
        "sceau_http_requests_total{method=\"GET\",route=\"/patients/{id}\",status=\"200\"}",
        "sceau_http_requests_total{method=\"GET\",route=\"/api/v1/patients/{id}/journal\",status=\"200\"}",
        "sceau_http_request_duration_seconds_bucket{route=\"/api/v1/decisions\",le=\"+Inf\"}",
        "route=\"unmatched\",status=\"404\"",
        "sceau_db_pool_connections{state=\"max\"}",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    let count = |prefix: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    assert!(count(&format!("sceau_decisions_total{{verdict=\"{verdict}\"}}")) >= 1.0);
    assert!(count("sceau_journal_appends_total") >= 1.0);
    // What it must never hold: names, ids, paths, tokens.
    let never = [
        canary.to_string(),
        "Canari".to_string(),
        canary_practice.to_string(),
        "Cabinet des Tests".to_string(),
        p.id.clone(),
        "alice".to_string(),
        "bobcanari".to_string(),
        "jeton-canari".to_string(),
        token.clone(),
        format!("practice=\"{}\"", bob.practice_id),
        "chemin-inconnu".to_string(),
    ];
    for n in &never {
        assert!(!text.contains(n.as_str()), "« {n} » in /metrics");
    }
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let labels = line.split_once('{').map_or("", |x| x.1);
        assert!(!labels.contains("pat_"), "{line}");
    }
}

/// `GET /metrics` from `peer`, with an optional `X-Forwarded-For`.
async fn metrics_from(
    router: &axum::Router,
    peer: std::net::IpAddr,
    forwarded_for: Option<&str>,
) -> StatusCode {
    let mut req = axum::http::Request::get("/metrics");
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    let mut req = req.body(axum::body::Body::empty()).unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(
            peer, 40000,
        )));
    common::send(router, req).await.status
}

/// Finding 11 of the 2026-11-30 audit: `/metrics` (disclosures journaled,
/// reports drafted, failed logins) answered anyone. Now the machine itself
/// and the addresses of `--metrics-from` only; through a trusted proxy,
/// the client it names counts, not the proxy.
#[tokio::test]
async fn metrics_answer_the_machine_and_the_configured_addresses_only() {
    let remote: std::net::IpAddr = "198.51.100.7".parse().unwrap();
    let prometheus: std::net::IpAddr = "192.0.2.10".parse().unwrap();
    let loopback: std::net::IpAddr = "127.0.0.1".parse().unwrap();
    let configured = common::app_built(
        false,
        common::generous(),
        |_| {},
        |s| {
            s.with_metrics_from(vec![prometheus])
                .with_trusted_proxies(vec![loopback])
        },
    )
    .await;
    assert_eq!(
        metrics_from(&configured.router, remote, None).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        metrics_from(&configured.router, "::1".parse().unwrap(), None).await,
        StatusCode::OK
    );
    assert_eq!(
        metrics_from(&configured.router, loopback, None).await,
        StatusCode::OK
    );
    assert_eq!(
        metrics_from(&configured.router, prometheus, None).await,
        StatusCode::OK
    );
    // A proxy on the machine forwarding a client from the Internet.
    assert_eq!(
        metrics_from(&configured.router, loopback, Some("198.51.100.7")).await,
        StatusCode::FORBIDDEN
    );
    // Without --metrics-from, another machine is refused too.
    let plain = common::app().await;
    assert_eq!(
        metrics_from(&plain.router, prometheus, None).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        metrics_from(&plain.router, loopback, None).await,
        StatusCode::OK
    );
}
