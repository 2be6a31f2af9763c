//! The installation page asks for the one-time code the server printed on
//! its console: whoever reaches it first can no longer take the server.
//! Also: names with hidden characters, and what the result pages say of
//! how long a draft is kept.

use crate::common;

use crate::common::{app, Browser, ADMIN_PASSWORD, INSTALL_CODE};
use axum::http::StatusCode;

async fn install(b: &mut Browser<'_>, code: Option<&str>) -> common::Resp {
    b.get("/installation").await;
    let mut fields = vec![
        ("cabinet", "Cabinet Pris"),
        ("nom", "Mallory"),
        ("identifiant", "mallory"),
        ("mot_de_passe", ADMIN_PASSWORD),
        ("confirmation", ADMIN_PASSWORD),
    ];
    if let Some(c) = code {
        fields.push(("code", c));
    }
    b.post("/installation", &fields).await
}

#[tokio::test]
async fn installation_needs_the_code_the_server_printed() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut b = Browser::new(&app.router);
    for code in [None, Some(""), Some("AAAA-BBBB-CCCC")] {
        let r = install(&mut b, code).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{code:?}");
        assert!(
            r.text().contains("Code d’installation incorrect"),
            "{}",
            r.text()
        );
        assert!(store.needs_setup().await.unwrap(), "taken without the code");
    }
    // Case, spaces and dashes aside.
    let typed = INSTALL_CODE.to_lowercase().replace('-', " ");
    let r = install(&mut b, Some(&typed)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(!store.needs_setup().await.unwrap());
}

/// Finding 9 of the 2026-11-30 audit: 200 wrong installation codes in
/// 0.52 s, never a 429. Now they count on the address's login limit: 20
/// free failures, then the wait (even for the right code).
#[tokio::test]
async fn wrong_installation_codes_are_rate_limited_per_address() {
    let limits = sceau_web::Limits::default();
    let app = common::app_with(false, limits).await;
    let store = app.state.store().clone();
    let mut b = Browser::new(&app.router);
    let free = 4 * limits.login_burst;
    for i in 0..free {
        let r = install(&mut b, Some(&format!("AAAA-AAAA-AA{i:02}"))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "try {i}");
    }
    let r = install(&mut b, Some("AAAA-AAAA-AAZZ")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    assert_eq!(r.headers["retry-after"], "8");
    assert!(r.text().contains("Trop de codes d’installation incorrects"));
    let r = install(&mut b, Some(INSTALL_CODE)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(store.needs_setup().await.unwrap());
}

/// A random code by default: 12 characters without look-alikes.
#[test]
fn the_code_is_random_and_readable() {
    let a = sceau_web::auth::new_install_code();
    let b = sceau_web::auth::new_install_code();
    assert_ne!(a, b);
    assert_eq!(a.len(), 14, "{a}");
    assert!(a.chars().all(|c| c == '-'
        || (c.is_ascii_alphanumeric() && !"01OILa-z".contains(c) && !c.is_ascii_lowercase())));
}

/// Bidirectional controls and zero-width characters are refused in names
/// (an account's, a patient's); the French typographic spaces are not.
#[tokio::test]
async fn names_with_hidden_characters_are_refused() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    for (i, name) in [
        "Dupont\u{202E}tnoD",
        "Du\u{200B}pont",
        "\u{2066}Martin\u{2069}",
        "Le\u{FEFF}roy",
    ]
    .into_iter()
    .enumerate()
    {
        b.get("/administration").await;
        let r = b
            .post(
                "/administration",
                &[
                    ("action", "creer"),
                    ("nom", name),
                    ("identifiant", &format!("cache{i}")),
                    ("role", "assistant"),
                    ("mot_de_passe", "mot de passe provisoire"),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "account {name:?}"
        );
        assert!(r.text().contains("caractère invisible"), "{}", r.text());
        b.get("/patients").await;
        let r = b.post("/patients", &[("nom", name)]).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "patient {name:?}"
        );
    }
    b.get("/patients").await;
    let r = b
        .post("/patients", &[("nom", "M.\u{202F}Dupont\u{00A0}fils")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

/// Finding 13 of the 2026-11-30 audit: the tag characters (U+E0000–U+E007F,
/// invisible everywhere) passed in names and oppositions, 32 combining
/// accents on one letter passed in a name, and the journal's
/// « information » took U+202E and U+200B. One check now (Unicode category
/// Cf, and at most 4 combining marks in a row), with one French error, for
/// every free text of the register, the journal and the accounts.
#[tokio::test]
async fn format_characters_and_runs_of_marks_are_refused_in_every_free_text() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let store = app.state.store();
    let admin = store.list_accounts(1).await.unwrap()[0].id;
    let (tok, _) = store.create_token(1, admin, "tests").await.unwrap();
    let api = |path: &str, body: serde_json::Value| {
        let (router, tok, path) = (app.router.clone(), tok.clone(), path.to_string());
        async move { common::json_req(&router, "POST", &path, Some(&tok), Some(body)).await }
    };
    let accents = format!("e{}", "\u{0301}".repeat(32));
    let hidden = [
        "A\u{E0041}B".to_string(),
        "\u{E0001}tag".to_string(),
        "info \u{202E}droite".to_string(),
        "in\u{200B}fo".to_string(),
        "Ren\u{2067}é".to_string(),
        format!("Mart{accents}n"),
    ];
    let message = "sans caractère de contrôle ni caractère invisible";
    let r = api(
        "/api/v1/patients",
        serde_json::json!({ "display_name": "Jeanne Martin" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let patient = r.json()["id"].as_str().unwrap().to_string();
    for text in &hidden {
        let r = api(
            "/api/v1/patients",
            serde_json::json!({ "display_name": text }),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "patient {text:?}"
        );
        assert!(r.text().contains(message), "{}", r.text());
        let r = api(
            &format!("/api/v1/patients/{patient}/oppositions"),
            serde_json::json!({ "scope": "tout", "what": text, "since": "2025-01-01" }),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "opposition {text:?}"
        );
        let r = api(
            "/api/v1/journal",
            serde_json::json!({
                "recipient": "professionnel_hors_equipe", "purpose": "coordination_soins",
                "verdict": "allowed", "basis": ["csp:L1110-4:III"], "information": text,
                "patient": patient
            }),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "journal {text:?}"
        );
        assert!(r.text().contains(message), "{}", r.text());
        b.get("/administration").await;
        let r = b
            .post(
                "/administration",
                &[
                    ("action", "creer"),
                    ("nom", text.as_str()),
                    ("identifiant", "cache"),
                    ("role", "assistant"),
                    ("mot_de_passe", "mot de passe provisoire"),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "account {text:?}"
        );
        assert!(r.text().contains(message), "{}", r.text());
    }
    // Accents as typed (two marks on one letter, decomposed) still pass,
    // in the register and in the journal.
    let viet = "Nguye\u{0302}\u{0303}n Thi\u{0323}";
    let r = api(
        "/api/v1/patients",
        serde_json::json!({ "display_name": viet }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = api(
        "/api/v1/journal",
        serde_json::json!({
            "recipient": "professionnel_hors_equipe", "purpose": "coordination_soins",
            "verdict": "allowed", "basis": ["csp:L1110-4:III"], "information": "bilan détaillé",
            "patient": patient
        }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}
