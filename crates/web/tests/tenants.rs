//! Practices as tenants (issue 17): a practice the operator created gets
//! its first administrator through its own one-time installation code; a
//! suspended practice can neither sign in nor use its API tokens, and its
//! open sessions stop; two practices never see each other's patients
//! through the pages or the API. SQLite, or PostgreSQL with
//! SCEAU_TEST_DATABASE_URL.

mod common;

use axum::http::StatusCode;
use common::{app, json_req, Browser, ADMIN_PASSWORD, INSTALL_CODE};
use sceau_store::register::NewPatient;

async fn install(b: &mut Browser<'_>, code: &str, user: &str) -> common::Resp {
    b.get("/installation").await;
    b.post(
        "/installation",
        &[
            ("code", code),
            ("cabinet", "Nom que le formulaire ne doit pas imposer"),
            ("nom", "Première Administratrice"),
            ("identifiant", user),
            ("mot_de_passe", ADMIN_PASSWORD),
            ("confirmation", ADMIN_PASSWORD),
        ],
    )
    .await
}

#[tokio::test]
async fn each_practice_installs_with_its_own_code_once() {
    let app = app().await;
    let store = app.state.store().clone();
    // The server's own first installation.
    let mut first = Browser::new(&app.router);
    first.setup_admin().await;
    // Installed: the page is closed…
    let r = first.get("/installation").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // …until the operator creates a practice.
    let a = store
        .create_tenant("Cabinet des Tilleuls", "TILL-EULS-2026")
        .await
        .unwrap();
    let b = store
        .create_tenant("Cabinet des Ormes", "ORME-SORM-2026")
        .await
        .unwrap();
    assert!(store.installation_pending().await.unwrap());

    let mut anon = Browser::new(&app.router);
    // The server's code does not install a practice the operator created,
    // nor does another practice's wrong code.
    for wrong in [INSTALL_CODE, "ORME-SORM-2025"] {
        let r = install(&mut anon, wrong, "intrus").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong}");
        assert!(r.text().contains("Code d’installation incorrect"));
    }
    // Case, spaces and dashes aside, as for the server's code.
    let r = install(&mut anon, "till euls 2026", "tilleul").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let admin = store
        .verify_login("tilleul", ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(admin.practice_id, a.id);
    assert!(admin.role.is_admin());
    // The operator's name stands, not the form's.
    assert_eq!(
        store.practice(a.id).await.unwrap().name,
        "Cabinet des Tilleuls"
    );
    // Used once.
    let r = install(&mut anon, "TILL-EULS-2026", "second").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(store
        .verify_login("second", ADMIN_PASSWORD)
        .await
        .unwrap()
        .is_none());
    // The other practice still waits for its own.
    assert!(store.installation_pending().await.unwrap());
    let r = install(&mut anon, "ORME-SORM-2026", "orme").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let orme = store
        .verify_login("orme", ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(orme.practice_id, b.id);
    assert!(!store.installation_pending().await.unwrap());
    assert_eq!(
        anon.get("/installation").await.status,
        StatusCode::SEE_OTHER
    );
    // A practice with its administrator gets no new code.
    assert!(store
        .reissue_install_code(a.id, "NOUV-EAUC-ODE1")
        .await
        .is_err());
}

#[tokio::test]
async fn an_expired_or_reissued_code_no_longer_works() {
    let app = app().await;
    let store = app.state.store().clone();
    let p = store
        .create_tenant("Cabinet Lent", "ANCI-ENCO-DE01")
        .await
        .unwrap();
    store
        .reissue_install_code(p.id, "NOUV-EAUC-ODE1")
        .await
        .unwrap();
    assert!(store
        .claim_installation("ANCI-ENCO-DE01", "lent", "Lent", ADMIN_PASSWORD)
        .await
        .unwrap()
        .is_none());
    sceau_store::testing::expire_install_code(&store, p.id).await;
    assert!(!store.installation_pending().await.unwrap());
    assert!(store
        .claim_installation("NOUV-EAUC-ODE1", "lent", "Lent", ADMIN_PASSWORD)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_suspended_practice_cannot_sign_in_nor_use_its_tokens() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    let a = store
        .verify_login("alice", ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let bob = store
        .create_practice("Cabinet Voisin", "bob", "Bob", ADMIN_PASSWORD)
        .await
        .unwrap();
    let (token, _) = store.create_token(a.practice_id, a.id, "t").await.unwrap();
    let (bob_token, _) = store
        .create_token(bob.practice_id, bob.id, "t")
        .await
        .unwrap();
    let r = alice.login("alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(alice.get("/patients").await.status, StatusCode::OK);

    store.suspend_practice(a.practice_id).await.unwrap();
    // The open session stops (it is checked on every request).
    let r = alice.get("/patients").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(r.location().starts_with("/connexion"));
    // Signing in says why, in French, to whoever gave the right password only.
    let r = alice.login("alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.text().contains("Ce cabinet est suspendu par l’hébergeur"),
        "{}",
        r.text()
    );
    let r = alice.login("alice", "pas le bon mot de passe").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(!r.text().contains("suspendu"));
    // Its tokens answer 403 with the reason, on the data and on the open API.
    for path in ["/api/v1/whoami", "/api/v1/patients", "/api/v1/articles"] {
        let r = json_req(&app.router, "GET", path, Some(&token), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(r.json()["error"], "practice_suspended", "{path}");
        assert!(r.json()["message"].as_str().unwrap().contains("suspendu"));
    }
    // The other practice works on.
    let r = json_req(&app.router, "GET", "/api/v1/whoami", Some(&bob_token), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let mut b = Browser::new(&app.router);
    assert_eq!(
        b.login("bob", ADMIN_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );

    store.resume_practice(a.practice_id).await.unwrap();
    assert_eq!(
        alice.login("alice", ADMIN_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(alice.get("/patients").await.status, StatusCode::OK);
    let r = json_req(&app.router, "GET", "/api/v1/whoami", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK);
}

/// Two practices of the same database: each one's patients appear in its
/// own pages and API answers, never in the other's, whoever asks by id.
#[tokio::test]
async fn a_practice_never_sees_another_s_patients() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    let a = store
        .verify_login("alice", ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let bob = store
        .create_practice("Cabinet Voisin", "bob", "Bob", ADMIN_PASSWORD)
        .await
        .unwrap();
    let mine = |name: &str| NewPatient {
        display_name: name.into(),
        ..Default::default()
    };
    let pa = store
        .create_patient(a.practice_id, "alice", &mine("Ambroisine Canariaa"))
        .await
        .unwrap();
    let pb = store
        .create_patient(bob.practice_id, "bob", &mine("Barnabé Canaribb"))
        .await
        .unwrap();
    let (ta, _) = store.create_token(a.practice_id, a.id, "t").await.unwrap();
    let (tb, _) = store
        .create_token(bob.practice_id, bob.id, "t")
        .await
        .unwrap();
    let mut bb = Browser::new(&app.router);
    alice.login("alice", ADMIN_PASSWORD).await;
    bb.login("bob", ADMIN_PASSWORD).await;
    for (who, browser, token, own, other) in [
        ("alice", &mut alice, &ta, &pa, &pb),
        ("bob", &mut bb, &tb, &pb, &pa),
    ] {
        let list = browser.get("/patients").await.text();
        assert!(list.contains(&own.display_name), "{who}");
        assert!(!list.contains(&other.display_name), "{who}");
        let r = browser.get(&format!("/patients/{}", other.id)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}");
        assert!(!r.text().contains(&other.display_name));
        let r = json_req(&app.router, "GET", "/api/v1/patients", Some(token), None).await;
        assert!(r.text().contains(&own.id), "{who}");
        assert!(!r.text().contains(&other.id) && !r.text().contains(&other.display_name));
        for path in [
            format!("/api/v1/patients/{}", other.id),
            format!("/api/v1/patients/{}/journal", other.id),
            format!("/api/v1/patients/{}/fhir", other.id),
        ] {
            let r = json_req(&app.router, "GET", &path, Some(token), None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} {path}");
            assert!(!r.text().contains(&other.display_name));
        }
    }
}
