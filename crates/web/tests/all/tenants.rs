//! Practices as tenants (issue 17): a practice the operator created gets
//! its first administrator through its own one-time installation code; a
//! suspended practice can neither sign in nor use its API tokens, and its
//! open sessions stop; two practices never see each other's patients
//! through the pages or the API. SQLite, or PostgreSQL with
//! SCEAU_TEST_DATABASE_URL.

use crate::common;

use crate::common::{app, json_req, Browser, ADMIN_PASSWORD, INSTALL_CODE};
use axum::http::StatusCode;
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
        .verify_login(Some(a.id), "tilleul", ADMIN_PASSWORD)
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
        .verify_login(Some(a.id), "second", ADMIN_PASSWORD)
        .await
        .unwrap()
        .is_none());
    // The other practice still waits for its own.
    assert!(store.installation_pending().await.unwrap());
    let r = install(&mut anon, "ORME-SORM-2026", "orme").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let orme = store
        .verify_login(Some(b.id), "orme", ADMIN_PASSWORD)
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
    let (a, bob) = common::two_practices(&app, &mut alice).await;
    let (token, _) = store.create_token(a.practice_id, a.id, "t").await.unwrap();
    let (bob_token, _) = store
        .create_token(bob.practice_id, bob.id, "t")
        .await
        .unwrap();
    let r = alice.login_in(a.practice_id, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(alice.get("/patients").await.status, StatusCode::OK);

    store.suspend_practice(a.practice_id).await.unwrap();
    // The open session stops (it is checked on every request).
    let r = alice.get("/patients").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(r.location().starts_with("/connexion"));
    // Signing in says why, in French, to whoever gave the right password only.
    let r = alice.login_in(a.practice_id, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.text().contains("Ce cabinet est suspendu par l’hébergeur"),
        "{}",
        r.text()
    );
    let r = alice
        .login_in(a.practice_id, "alice", "pas le bon mot de passe")
        .await;
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
        b.login_in(bob.practice_id, "bob", ADMIN_PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    store.resume_practice(a.practice_id).await.unwrap();
    assert_eq!(
        alice
            .login_in(a.practice_id, "alice", ADMIN_PASSWORD)
            .await
            .status,
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
    let (a, bob) = common::two_practices(&app, &mut alice).await;
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
    alice.login_in(a.practice_id, "alice", ADMIN_PASSWORD).await;
    bb.login_in(bob.practice_id, "bob", ADMIN_PASSWORD).await;
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

/// The error paragraph of a page, or "" (for comparing two refusals).
fn error_of(text: &str) -> String {
    text.split_once("class=\"error\"")
        .and_then(|(_, rest)| rest.split_once("</p>"))
        .map(|(p, _)| p.to_string())
        .unwrap_or_default()
}

/// An administrator creates an account in his own practice, from the form.
async fn create_account(
    b: &mut Browser<'_>,
    user: &str,
    name: &str,
    password: &str,
) -> common::Resp {
    b.get("/administration").await;
    b.post(
        "/administration",
        &[
            ("action", "creer"),
            ("identifiant", user),
            ("nom", name),
            ("role", "kinesitherapeute"),
            ("mot_de_passe", password),
        ],
    )
    .await
}

/// Issue 14: login names are unique per practice, not per server. The same
/// name is created in two practices and each signs in to its own; the
/// refusal of a name taken in one's own practice is French, names the
/// field, and is the same whether or not another practice has the name;
/// with several practices the login form asks for the practice (filled
/// from the practice's login link, then remembered), and with one it
/// does not.
#[tokio::test]
async fn the_same_login_name_in_two_practices_each_signs_in_to_its_own() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    // One practice: no « Cabinet » field, as before.
    let page = alice.get("/connexion").await.text();
    assert!(!page.contains("name=\"cabinet\""), "{page}");
    let r = alice.login("alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let a = store
        .verify_login(None, "alice", ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let bob = store
        .create_practice("Cabinet Voisin", "bob", "Bob", ADMIN_PASSWORD)
        .await
        .unwrap();
    let (pa, pb) = (a.practice_id, bob.practice_id);
    let mut bo = Browser::new(&app.router);
    assert_eq!(
        bo.login_in(pb, "bob", ADMIN_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );

    let (pw_a, pw_b) = ("mot de passe de marie A", "mot de passe de marie B");
    let r = create_account(&mut alice, "marie", "Marie Aubépine", pw_a).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // Taken in the other practice: no refusal, nothing learnt.
    let r = create_account(&mut bo, "Marie", "Marie Bouleau", pw_b).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // Taken in one's own practice: refused, naming the field, in the same
    // words whether or not another practice has the name.
    let elsewhere_too = create_account(&mut bo, "marie", "Autre Marie", pw_b).await;
    create_account(&mut bo, "paulin", "Paulin", pw_b).await;
    let here_only = create_account(&mut bo, "paulin", "Autre Paulin", pw_b).await;
    for r in [&elsewhere_too, &here_only] {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let e = error_of(&r.text());
        assert!(
            e.contains("Identifiant\u{a0}: un autre compte de votre cabinet porte déjà ce nom."),
            "{e}"
        );
        assert!(
            !e.contains("Cabinet des Tests") && !e.contains("serveur"),
            "{e}"
        );
    }
    assert_eq!(error_of(&elsewhere_too.text()), error_of(&here_only.text()));

    // Several practices: the form asks for the practice.
    let mut m = Browser::new(&app.router);
    let page = m.get("/connexion").await.text();
    assert!(page.contains("name=\"cabinet\""), "{page}");
    let r = m.login("marie", pw_a).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error_of(&r.text()).contains("Cabinet\u{a0}: indiquez le numéro de votre cabinet"),
        "{}",
        r.text()
    );
    let r = m.login_in(pb, "marie", "n’importe quoi").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let wrong = error_of(&r.text());
    assert!(
        wrong.contains("Cabinet, identifiant ou mot de passe incorrect."),
        "{wrong}"
    );
    // Marie of A's password does not open Marie of B, nor a practice that
    // does not exist, and the answer says the same.
    for (practice, pw) in [(pb, pw_a), (pa, pw_b), (pb + 1000, pw_b)] {
        let r = m.login_in(practice, "marie", pw).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{practice}");
        assert_eq!(error_of(&r.text()), wrong, "{practice}");
    }
    let r = m.login_in(pa, "marie", "").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Each Marie signs in to her own practice.
    for (practice, pw, name, not) in [
        (pa, pw_a, "Marie Aubépine", "Marie Bouleau"),
        (pb, pw_b, "Marie Bouleau", "Marie Aubépine"),
    ] {
        let mut b = Browser::new(&app.router);
        let r = b.login_in(practice, " MARIE ", pw).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let me = b.get("/compte").await.text();
        assert!(me.contains(name) && !me.contains(not), "{me}");
        // Remembered: this browser's form comes back filled.
        assert_eq!(b.cookies["sceau_cabinet"], practice.to_string());
        b.post("/deconnexion", &[]).await;
        let page = b.get("/connexion").await.text();
        assert!(page.contains(&format!("value=\"{practice}\"")), "{page}");
    }
    // A practice's login link fills the field; « n° 2 » is read as 2.
    let page = Browser::new(&app.router)
        .get(&format!("/connexion?cabinet={pb}"))
        .await
        .text();
    assert!(page.contains("name=\"cabinet\"") && page.contains(&format!("value=\"{pb}\"")));
    let r = Browser::new(&app.router)
        .post_login_with_practice(&format!("n° {pb}"), "marie", pw_b)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = Browser::new(&app.router)
        .post_login_with_practice("le mien", "marie", pw_b)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(&r.text())
        .contains("Cabinet\u{a0}: indiquez le numéro de votre cabinet, en chiffres"));
    // The store answers the same way.
    for (p, pw) in [(pa, pw_a), (pb, pw_b)] {
        let acc = store
            .verify_login(Some(p), "marie", pw)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(acc.practice_id, p);
    }
    assert!(matches!(
        store.verify_login(None, "marie", pw_a).await,
        Err(sceau_store::StoreError::PracticeRequired)
    ));
}

/// An administrator naming an account of another practice in the
/// administration form gets exactly the answer an account that does not
/// exist gets (422, « Ce compte n’existe pas dans votre cabinet. »):
/// nothing is changed, and nothing learnt about the other practice.
#[tokio::test]
async fn an_account_of_another_practice_is_answered_as_one_that_does_not_exist() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut alice = Browser::new(&app.router);
    let (a, bob) = common::two_practices(&app, &mut alice).await;
    let mut bo = Browser::new(&app.router);
    assert_eq!(
        bo.login_in(bob.practice_id, "bob", ADMIN_PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let before = format!("{:?}", store.list_accounts(a.practice_id).await.unwrap());
    let forms: [&[(&str, &str)]; 2] = [
        &[
            ("action", "modifier"),
            ("role", "assistant"),
            ("actif", "non"),
        ],
        &[
            ("action", "mot_de_passe"),
            ("mot_de_passe", "un autre mot de passe assez long"),
        ],
    ];
    for form in forms {
        let mut seen = vec![];
        for id in [a.id.to_string(), "999999".to_string()] {
            bo.get("/administration").await;
            let mut fields = form.to_vec();
            fields.push(("compte", id.as_str()));
            let r = bo.post("/administration", &fields).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
            let e = error_of(&r.text());
            assert!(
                e.contains("Ce compte n’existe pas dans votre cabinet."),
                "{e}"
            );
            seen.push(e);
        }
        assert_eq!(seen[0], seen[1]);
    }
    assert_eq!(
        before,
        format!("{:?}", store.list_accounts(a.practice_id).await.unwrap())
    );
    assert!(store
        .verify_login(Some(a.practice_id), "alice", ADMIN_PASSWORD)
        .await
        .unwrap()
        .is_some());
}
