//! The request log while using the register: never a patient's name, date
//! of birth, reference, a consent's or an opposition's words, nor the
//! category of information of a journal entry. Alone in its test binary
//! (tracing's per-callsite cache is global).

mod common;

use common::{app, json_req, Browser, Captured, ADMIN_PASSWORD};
use serde_json::json;

#[tokio::test]
async fn the_log_holds_no_patient_data() {
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
    b.get("/patients").await;
    let r = b
        .post(
            "/patients",
            &[
                ("nom", "Gwendoline Pastourelle"),
                ("naissance", "1999-09-09"),
                ("reference", "REF-PASTOU"),
            ],
        )
        .await;
    let id = r
        .location()
        .trim_start_matches("/patients/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    b.get(&format!("/patients/{id}")).await;
    b.post(
        &format!("/patients/{id}"),
        &[
            ("action", "opposition"),
            ("portee", "tout"),
            ("quoi", "opposition-tres-confidentielle"),
            ("depuis", "2025-01-01"),
        ],
    )
    .await;
    let store = app.state.store();
    let a = store
        .verify_login(None, "alice", ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let (tok, _) = store.create_token(a.practice_id, a.id, "t").await.unwrap();
    json_req(&app.router, "POST", &format!("/api/v1/patients/{id}/consents"), Some(&tok), Some(json!({
        "recipient": "professionnel_hors_equipe", "what": "consentement-tres-confidentiel", "method": "oral", "given_on": "2025-01-01"
    }))).await;
    json_req(&app.router, "POST", "/api/v1/journal", Some(&tok), Some(json!({
        "recipient": "procureur", "purpose": "signalement", "verdict": "allowed", "information": "information-tres-confidentielle", "patient": id
    }))).await;
    json_req(
        &app.router,
        "POST",
        "/api/v1/decisions",
        Some(&tok),
        Some(json!({"patient": id})),
    )
    .await;
    b.get("/journal").await;
    b.get(&format!("/patients/{id}/journal.jsonl")).await;
    b.get(&format!("/puis-je-le-dire?patient={id}")).await;
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("route=/patients/{id}"),
        "requests are logged: {logs}"
    );
    for secret in [
        "Gwendoline",
        "Pastourelle",
        "1999-09-09",
        "REF-PASTOU",
        "opposition-tres-confidentielle",
        "consentement-tres-confidentiel",
        "information-tres-confidentielle",
        id.as_str(),
    ] {
        assert!(
            !logs.contains(secret),
            "the logs contain {secret:?}:\n{logs}"
        );
    }
}
