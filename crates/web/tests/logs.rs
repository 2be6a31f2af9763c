//! The request log: method, route template, status, latency; never an
//! answer, a body, a query string or a credential. Alone in its test binary:
//! tracing's per-callsite cache is global, so a thread-local subscriber must
//! not race with other tests.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{app, send, Browser, Captured, ADMIN_PASSWORD};

#[tokio::test]
async fn logs_never_contain_answers_or_bodies() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    b.get("/puis-je-le-dire").await;
    b.post(
        "/puis-je-le-dire",
        &[
            ("a", "recipient=procureur"),
            ("action", "suivant"),
            ("question", "purpose"),
            ("reponse", "reponse_requisition"),
        ],
    )
    .await;
    common::post_json(
        &app.router,
        "/api/v1/decisions",
        r#"{"recipient": "personne_de_confiance", "patient_minor": true}"#,
    )
    .await;
    send(
        &app.router,
        Request::get("/textes?q=secretissime")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("route=/puis-je-le-dire") && logs.contains("status="),
        "requests are logged: {logs}"
    );
    for secret in [
        "procureur",
        "reponse_requisition",
        "personne_de_confiance",
        "patient_minor",
        "secretissime",
        ADMIN_PASSWORD,
        "alice",
    ] {
        assert!(
            !logs.contains(secret),
            "the logs contain {secret:?}:\n{logs}"
        );
    }
}
