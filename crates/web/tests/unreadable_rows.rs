//! Audit finding 10: one unreadable row (a date column holding text, a
//! damaged ciphertext, text in `journal_entries.at`) made the patient list
//! or the patient's page answer 503 « La base de données ne répond pas ».
//! The page shows the rest and marks the row « illisible », and nothing of
//! it reaches the log. Alone in its test binary (tracing's per-callsite
//! cache is global).

mod common;

use axum::http::StatusCode;
use common::{app, json_req, Browser, Captured, ADMIN_PASSWORD};
use serde_json::json;

#[tokio::test]
async fn one_unreadable_row_leaves_the_list_and_the_page_readable() {
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
    let store = app.state.store();
    let practice = store.practices().await.unwrap()[0].id;
    let alice = store
        .list_accounts(practice)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.username == "alice")
        .unwrap();
    let (tok, _) = store
        .create_token(practice, alice.id, "tests")
        .await
        .unwrap();
    let r = &app.router;
    let mut ids = vec![];
    for name in ["Patient Alpha", "Patient Beta", "Patient Gamma"] {
        let p = json_req(
            r,
            "POST",
            "/api/v1/patients",
            Some(&tok),
            Some(json!({"display_name": name})),
        )
        .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.text());
        ids.push(p.json()["id"].as_str().unwrap().to_string());
    }
    let (alpha, gamma) = (&ids[0], &ids[2]);
    let mut consents = vec![];
    for (who, what) in [
        ("Dr Premier", "bilan-premier"),
        ("Dr Second", "bilan-second"),
    ] {
        let c = json_req(r, "POST", &format!("/api/v1/patients/{alpha}/consents"), Some(&tok), Some(json!({
            "recipient": "professionnel_hors_equipe", "professional": who, "what": what, "method": "ecrit", "given_on": "2025-01-01"
        }))).await;
        assert_eq!(c.status, StatusCode::CREATED, "{}", c.text());
        consents.push(c.json()["id"].as_str().unwrap().to_string());
    }
    let o = json_req(
        r,
        "POST",
        &format!("/api/v1/patients/{alpha}/oppositions"),
        Some(&tok),
        Some(json!({
            "scope": "tout", "what": "opposition-lisible", "since": "2025-01-01"
        })),
    )
    .await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text());
    let j = json_req(r, "POST", "/api/v1/journal", Some(&tok), Some(json!({
        "recipient": "professionnel_hors_equipe", "purpose": "coordination_soins", "verdict": "allowed",
        "basis": ["csp:L1110-4:III"], "information": "bilan", "patient": alpha
    }))).await;
    assert_eq!(j.status, StatusCode::CREATED, "{}", j.text());

    // The audit's three damages.
    let pool = common::raw(&app).await;
    // Bound, never in the statement's text: the test's own statements
    // reach the log too.
    sqlx::query("UPDATE consents SET given_on = $1 WHERE id = $2")
        .bind("CANARYDATE-finding-10")
        .bind(&consents[0])
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE patients SET display_name = $1 WHERE id = $2")
        .bind(b"CANARYCIPHER-damaged".to_vec())
        .bind(gamma)
        .execute(&pool)
        .await
        .unwrap();
    // PostgreSQL types its columns: only SQLite takes text in a number's.
    let retyped = common::is_sqlite();
    if retyped {
        sqlx::query("UPDATE journal_entries SET at = $1")
            .bind("CANARYAT")
            .execute(&pool)
            .await
            .unwrap();
    }

    b.login("alice", ADMIN_PASSWORD).await;
    let list = b.get("/patients").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    let list = list.text();
    assert!(
        list.contains("Patient Alpha") && list.contains("Patient Beta"),
        "{list}"
    );
    assert!(list.contains("Patient illisible"), "{list}");
    assert_eq!(list.matches("data-unreadable").count(), 1, "{list}");

    let page = b.get(&format!("/patients/{alpha}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let page = page.text();
    assert!(page.contains("Consentement illisible"), "{page}");
    assert!(
        page.contains("bilan-second") && page.contains("opposition-lisible"),
        "{page}"
    );
    assert_eq!(
        page.contains("data-unreadable=\"journal\""),
        retyped,
        "{page}"
    );
    assert!(!page.contains("CANARY"), "{page}");

    let page = b.get(&format!("/patients/{gamma}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(page.text().contains("Fiche illisible"), "{}", page.text());
    // The unreadable patient feeds nothing to the interview.
    let i = json_req(
        r,
        "POST",
        "/api/v1/interview",
        Some(&tok),
        Some(json!({"answers": {}, "patient": gamma})),
    )
    .await;
    assert_eq!(i.status, StatusCode::OK, "{}", i.text());
    assert!(
        i.json()["register_facts"]
            .as_array()
            .is_none_or(|f| f.is_empty()),
        "{}",
        i.text()
    );

    let logs = captured.text();
    assert!(!logs.contains("CANARY"), "{logs}");
    assert!(
        !logs.contains("bilan") && !logs.contains("Patient Alpha"),
        "{logs}"
    );
}
