//! A pasted note never reaches the log: not the page, not the download,
//! not the API, not an error. Alone in its test binary (tracing's callsite
//! cache is global, see logs.rs).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{app, json_req, Browser, ADMIN_PASSWORD};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const CANARY: &str = "Zéphyrine Quiberonnaise";

#[tokio::test]
async fn a_pasted_canary_name_never_reaches_the_log() {
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
    let note = format!("Mme {CANARY}, tél. 06 98 76 54 32, tatouée, vue le 02/05/2025.");
    b.get("/anonymiser").await;
    let r = b
        .post("/anonymiser", &[("texte", &note), ("coherence", "oui")])
        .await;
    assert_eq!(r.status.as_u16(), 200);
    b.post(
        "/anonymiser/telecharger",
        &[("texte", &note), ("format", "md")],
    )
    .await;
    b.get("/anonymiser").await;
    let long = format!("{note}{}", "x".repeat(100_001));
    let r = b.post("/anonymiser", &[("texte", &long)]).await;
    assert_eq!(r.status.as_u16(), 422);
    b.post("/anonymiser", &[("texte", &note), ("table", CANARY)])
        .await;
    let store = app.state.store();
    let a = store.list_accounts(1).await.unwrap().remove(0);
    let (tok, _) = store.create_token(a.practice_id, a.id, "t").await.unwrap();
    json_req(
        &app.router,
        "POST",
        "/api/v1/anonymise",
        Some(&tok),
        Some(serde_json::json!({"text": note})),
    )
    .await;
    json_req(
        &app.router,
        "POST",
        "/api/v1/anonymise",
        Some(&tok),
        Some(serde_json::json!({"text": note, "dates": CANARY})),
    )
    .await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("route=/anonymiser") && logs.contains("route=/api/v1/anonymise"),
        "requests are logged: {logs}"
    );
    for secret in [
        "Zéphyrine",
        "Quiberonnaise",
        "06 98 76 54 32",
        "02/05/2025",
        "tatou",
    ] {
        assert!(
            !logs.contains(secret),
            "the logs contain {secret:?}:\n{logs}"
        );
    }
}
