//! The installation page asks for the one-time code the server printed on
//! its console: whoever reaches it first can no longer take the server.
//! Also: names with hidden characters, and what the result pages say of
//! how long a draft is kept.

mod common;

use axum::http::StatusCode;
use common::{app, Browser, ADMIN_PASSWORD, INSTALL_CODE};

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
