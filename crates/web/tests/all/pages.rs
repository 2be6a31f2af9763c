//! Pages, accounts, roles, tokens and logs, in process.

use crate::common;

use crate::common::{app, app_with, between, generous, send, Browser, ADMIN_PASSWORD};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

#[tokio::test]
async fn pages_that_need_an_account_redirect_to_login() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    // Before installation, login leads to the installation.
    let r = b.get("/connexion").await;
    assert_eq!(r.location(), "/installation");
    b.setup_admin().await;
    assert!(
        b.get("/installation")
            .await
            .location()
            .starts_with("/connexion"),
        "installation happens once"
    );
    for path in [
        "/puis-je-le-dire",
        "/compte",
        "/administration",
        "/administration/jetons",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.location(), format!("/connexion?suite={path}"), "{path}");
    }
    // Open pages.
    for path in ["/", "/textes", "/textes/csp:R4321-90"] {
        assert_eq!(b.get(path).await.status, StatusCode::OK, "{path}");
    }
    // Wrong password, then right one; the session cookie is HttpOnly and SameSite.
    let r = b.login("alice", "pas le bon mot de passe").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("Identifiant ou mot de passe incorrect"));
    let r = b.login("alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("sceau_session="))
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && !cookie.contains("Secure"),
        "{cookie}"
    );
    for path in [
        "/puis-je-le-dire",
        "/compte",
        "/administration",
        "/administration/jetons",
    ] {
        assert_eq!(b.get(path).await.status, StatusCode::OK, "{path}");
    }
    // Logout needs the CSRF token, then closes the session.
    b.get("/compte").await;
    let r = b.post_raw("/deconnexion", "csrf=faux".into()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b.post("/deconnexion", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get("/compte").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn session_cookie_is_secure_behind_tls() {
    // In-process requests come from loopback, here the configured proxy.
    let app = common::app_behind_proxy().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.get("/connexion").await;
    let csrf = common::csrf_of(&b.last);
    let req = Request::post("/connexion")
        .header(
            header::COOKIE,
            format!("sceau_csrf={}", b.cookies["sceau_csrf"]),
        )
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-proto", "https")
        .body(Body::from(common::form_body(&[
            ("csrf", &csrf),
            ("identifiant", "alice"),
            ("mot_de_passe", ADMIN_PASSWORD),
        ])))
        .unwrap();
    let r = send(&app.router, req).await;
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

async fn create_account(b: &mut Browser<'_>, user: &str, role: &str) {
    b.get("/administration").await;
    let r = b
        .post(
            "/administration",
            &[
                ("action", "creer"),
                ("nom", user),
                ("identifiant", user),
                ("role", role),
                ("mot_de_passe", "mot de passe provisoire"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

#[tokio::test]
async fn students_and_assistants_cannot_administer() {
    let app = app().await;
    let mut admin = Browser::new(&app.router);
    admin.setup_admin().await;
    admin.login("alice", ADMIN_PASSWORD).await;
    create_account(&mut admin, "etienne", "etudiant").await;
    create_account(&mut admin, "assia", "assistant").await;
    create_account(&mut admin, "kevin", "kinesitherapeute").await;
    let page = admin.get("/administration").await.text();
    assert!(page.contains("etienne") && page.contains("assia") && page.contains("kevin"));

    for (user, admin_ok) in [
        ("etienne", false),
        ("assia", false),
        ("kevin", false),
        ("alice", true),
    ] {
        let mut b = Browser::new(&app.router);
        let password = if user == "alice" {
            ADMIN_PASSWORD
        } else {
            "mot de passe provisoire"
        };
        assert_eq!(
            b.login(user, password).await.status,
            StatusCode::SEE_OTHER,
            "{user} logs in"
        );
        assert_eq!(
            b.get("/puis-je-le-dire").await.status,
            StatusCode::OK,
            "{user} uses the interview"
        );
        let csrf = common::csrf_of(&b.last);
        for path in ["/administration", "/administration/jetons"] {
            let want = if admin_ok {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(b.get(path).await.status, want, "{user} GET {path}");
            if !admin_ok {
                let body = format!("csrf={csrf}&action=creer&nom=x&identifiant=pirate&role=administrateur&mot_de_passe=0123456789abc");
                assert_eq!(
                    b.post_raw(path, body).await.status,
                    StatusCode::FORBIDDEN,
                    "{user} POST {path}"
                );
            }
        }
        let nav = b.get("/").await.text();
        assert_eq!(
            nav.contains("href=\"/administration\""),
            admin_ok,
            "{user}: admin link shown only to admins"
        );
    }
    // Nobody created an account through the forbidden posts.
    assert!(!admin.get("/administration").await.text().contains("pirate"));

    // The last administrator cannot demote himself.
    let page = admin.get("/administration").await.text();
    let alice_row = between(&page, "data-account=\"alice\"", "</tr>").unwrap();
    let id = between(alice_row, "name=\"compte\" value=\"", "\"")
        .unwrap()
        .to_string();
    let r = admin
        .post(
            "/administration",
            &[
                ("action", "modifier"),
                ("compte", &id),
                ("role", "etudiant"),
                ("actif", "oui"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Password change.
    let mut k = Browser::new(&app.router);
    k.login("kevin", "mot de passe provisoire").await;
    k.get("/compte").await;
    let r = k
        .post(
            "/compte",
            &[
                ("actuel", "faux"),
                ("nouveau", "nouveau secret kevin"),
                ("confirmation", "nouveau secret kevin"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = k
        .post(
            "/compte",
            &[
                ("actuel", "mot de passe provisoire"),
                ("nouveau", "nouveau secret kevin"),
                ("confirmation", "nouveau secret kevin"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let mut k2 = Browser::new(&app.router);
    assert_eq!(
        k2.login("kevin", "mot de passe provisoire").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        k2.login("kevin", "nouveau secret kevin").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn api_tokens_work_until_revoked() {
    let app = app().await;
    let whoami = |token: Option<String>| {
        let mut req = Request::get("/api/v1/whoami");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        send(&app.router, req.body(Body::empty()).unwrap())
    };
    assert_eq!(whoami(None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        whoami(Some("sceau_0000".into())).await.status,
        StatusCode::UNAUTHORIZED
    );

    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    b.get("/administration/jetons").await;
    let r = b
        .post(
            "/administration/jetons",
            &[("action", "creer"), ("nom", "Logiciel de cabinet")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    let token = between(&page, "id=\"nouveau-jeton\">", "<")
        .unwrap()
        .to_string();
    assert!(token.starts_with("sceau_"));
    // Shown once only.
    assert!(!b
        .get("/administration/jetons")
        .await
        .text()
        .contains(&token));

    let r = whoami(Some(token.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["practice"], "Cabinet des Tests");
    assert_eq!(r.json()["token"], "Logiciel de cabinet");

    let page = b.get("/administration/jetons").await.text();
    let id = between(&page, "name=\"jeton\" value=\"", "\"")
        .unwrap()
        .to_string();
    let r = b
        .post(
            "/administration/jetons",
            &[("action", "revoquer"), ("jeton", &id)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = whoami(Some(token)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"], "unauthorized");
    assert!(b
        .get("/administration/jetons")
        .await
        .text()
        .contains("Révoqué le"));
}

#[tokio::test]
async fn private_api_requires_a_token() {
    let app = app_with(true, generous()).await;
    let r = common::post_json(&app.router, "/api/v1/decisions", "{}").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = send(
        &app.router,
        Request::get("/api/v1/articles")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    b.get("/administration/jetons").await;
    let page = b
        .post(
            "/administration/jetons",
            &[("action", "creer"), ("nom", "privé")],
        )
        .await
        .text();
    let token = between(&page, "id=\"nouveau-jeton\">", "<")
        .unwrap()
        .to_string();
    let req = Request::post("/api/v1/decisions")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(send(&app.router, req).await.status, StatusCode::OK);
    // The documentation stays readable.
    let r = send(
        &app.router,
        Request::get("/api/v1/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn login_attempts_are_rate_limited() {
    let limits = sceau_web::Limits {
        login_burst: 3,
        login_period: std::time::Duration::from_secs(60),
        ..generous()
    };
    let app = app_with(false, limits).await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let mut statuses = vec![];
    for _ in 0..5 {
        statuses.push(b.login("alice", "mauvais mot de passe").await.status);
    }
    assert_eq!(&statuses[..3], &[StatusCode::UNAUTHORIZED; 3]);
    assert_eq!(statuses[4], StatusCode::TOO_MANY_REQUESTS);
    // Even the right password is refused while limited.
    assert_eq!(
        b.login("alice", ADMIN_PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another account from the same address is limited separately (up to the per-address limit).
    assert_eq!(
        b.login("bob", "mauvais mot de passe").await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// The interview page, driven by its `data-fact` attribute, reaches the engine's verdict.
#[tokio::test]
async fn interview_pages_reach_the_engines_verdict_and_go_back() {
    let app = app().await;
    let law = sceau_law::law();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/cases/guide.yaml");
    let cases: Vec<serde_json::Value> =
        serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let mut said_dont_know = false;
    for id in [
        "partage-equipe-de-soins",
        "dossier-au-dentiste-sans-accord",
        "requisition-judiciaire",
        // Asks facts this case leaves out: answered « Je ne sais pas ».
        "violences-couple-danger-immediat-emprise-sans-accord",
    ] {
        let case = cases.iter().find(|c| c["id"] == id).expect("case");
        let situation = &case["situation"];
        let mut page = b.get("/puis-je-le-dire").await.text();
        let mut fields: Vec<(String, String)> = vec![];
        let mut asked = vec![];
        for _ in 0..=law.facts.len() {
            let Some(fact) = between(&page, "data-fact=\"", "\"") else {
                break;
            };
            let fact = fact.to_string();
            let value = match situation.get(&fact) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => {
                    assert!(
                        page.contains("Je ne sais pas"),
                        "{id}: the page offers « Je ne sais pas »"
                    );
                    said_dont_know = true;
                    "?".to_string()
                }
            };
            assert!(!asked.contains(&fact), "{id}: {fact} asked twice");
            asked.push(fact.clone());
            // Post the hidden answers of the page plus the new one.
            let mut form: Vec<(&str, &str)> = vec![];
            for a in page.split("name=\"a\" value=\"").skip(1) {
                fields.push(("a".into(), a.split('"').next().unwrap().to_string()));
            }
            for (k, v) in &fields {
                form.push((k.as_str(), v.as_str()));
            }
            form.extend([
                ("action", "suivant"),
                ("question", fact.as_str()),
                ("reponse", value.as_str()),
            ]);
            let r = b.post_follow("/puis-je-le-dire", &form).await;
            assert_eq!(r.status, StatusCode::OK, "{id}");
            page = r.text();
            fields.clear();
        }
        let verdict = between(&page, "data-verdict=\"", "\"")
            .unwrap_or_else(|| panic!("{id}: no decision after {asked:?}"));
        let s = law
            .parse_situation(situation, sceau_clock::legal_today())
            .unwrap();
        assert_eq!(verdict, law.decide(&s).verdict.as_str(), "{id}");
        assert_eq!(verdict, case["expect"]["verdict"].as_str().unwrap(), "{id}");
        assert!(!asked.is_empty(), "{id}: at least one question");
        // Back once: the last question comes back with its answer selected.
        let mut form: Vec<(String, String)> = page
            .split("name=\"a\" value=\"")
            .skip(1)
            .map(|a| ("a".to_string(), a.split('"').next().unwrap().to_string()))
            .collect();
        form.push(("action".into(), "retour".into()));
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let back = b.post_follow("/puis-je-le-dire", &refs).await.text();
        assert_eq!(
            between(&back, "data-fact=\"", "\""),
            asked.last().map(String::as_str),
            "{id}: back"
        );
        assert!(
            back.contains(" checked"),
            "{id}: previous answer preselected"
        );
    }
    assert!(said_dont_know, "the 3° case exercises « Je ne sais pas »");
}

#[tokio::test]
async fn texts_show_versions_and_rules() {
    let app = app().await;
    let law = sceau_law::law();
    let mut b = Browser::new(&app.router);
    let list = b.get("/textes").await.text();
    for a in &law.articles {
        assert!(
            list.contains(&format!("data-article=\"{}\"", a.id)),
            "{} listed",
            a.id
        );
    }
    // Search.
    let r = b.get("/textes?q=R.+4321-90").await.text();
    assert!(r.contains("data-article=\"csp:R4321-90\""));
    assert!(!r.contains("data-article=\"cc:9\""));
    // Old and new versions of R.4321-90.
    let art = law.article("csp:R4321-90").unwrap();
    if art.versions.len() > 1 {
        let old = b.get("/textes/csp:R4321-90?date=2025-06-01").await.text();
        let new = b.get("/textes/csp:R4321-90?date=2026-03-01").await.text();
        assert_ne!(
            between(&old, "class=\"period\">", "<"),
            between(&new, "class=\"period\">", "<")
        );
    }
    // Each article lists the rules citing it.
    for a in &law.articles {
        let page = b.get(&format!("/textes/{}", a.id)).await.text();
        for r in law.rules_citing(&a.id) {
            assert!(
                page.contains(&format!("data-rule=\"{}\"", r.id)),
                "{} lists {}",
                a.id,
                r.id
            );
        }
    }
    assert_eq!(b.get("/textes/csp:Z0").await.status, StatusCode::NOT_FOUND);
    // An article written as the code prints it leads to its own address,
    // with the date kept and nothing else.
    let r = b.get("/textes/L.1111-6?date=2020-01-01&x=%3Cb%3E").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/textes/csp:L1111-6?date=2020-01-01");
    let r = b.get("/textes/226-14%201%C2%B0").await;
    assert_eq!(r.location(), "/textes/cp:226-14:1");
}

/// Issue 19: the account's profession is never asked (an administrator of a
/// practice is a masseur-kinésithérapeute), and the web decision rests on
/// the same basis as the API's for the same situation with that profession.
#[tokio::test]
async fn the_accounts_profession_is_never_asked_and_web_and_api_agree_on_the_basis() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let mut answers: Vec<(String, String)> = [
        ("recipient", "famille_proches"),
        ("purpose", "autre"),
        ("patient_alive", "true"),
        ("info_obtained_in_practice", "true"),
        ("patient_consent", "refuse"),
    ]
    .iter()
    .map(|(f, v)| (f.to_string(), v.to_string()))
    .collect();
    let url = |answers: &[(String, String)]| {
        let q: Vec<String> = answers
            .iter()
            .map(|(f, v)| format!("a={f}%3D{}", v.replace('?', "%3F")))
            .collect();
        format!("/puis-je-le-dire?{}", q.join("&"))
    };
    let mut page = String::new();
    for _ in 0..40 {
        let r = b.get(&url(&answers)).await;
        assert_eq!(r.status, StatusCode::OK);
        page = r.text();
        match between(&page, "data-fact=\"", "\"") {
            Some("actor") => panic!("the interview asks the account's profession"),
            Some(f) => answers.push((f.to_string(), "?".into())),
            None => break,
        }
    }
    let verdict = between(&page, "data-verdict=\"", "\"")
        .expect("a decision")
        .to_string();
    let web_basis: Vec<String> = page
        .split("data-source=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect();
    // The profession is in the answers, as « Vos réponses » shows it.
    assert!(page.contains("name=\"a\" value=\"actor=masseur_kinesitherapeute\""));
    let mut situation = serde_json::Map::new();
    situation.insert("actor".into(), "masseur_kinesitherapeute".into());
    for (f, v) in answers.iter().filter(|(_, v)| v != "?") {
        let v: serde_json::Value = match v.as_str() {
            "true" => true.into(),
            "false" => false.into(),
            s => s.into(),
        };
        situation.insert(f.clone(), v);
    }
    let r = common::post_json(
        &app.router,
        "/api/v1/decisions",
        &serde_json::Value::Object(situation).to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let api = r.json();
    assert_eq!(api["verdict"], verdict.as_str());
    let api_basis: Vec<String> = api["basis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().to_string())
        .collect();
    assert!(!api_basis.is_empty());
    assert_eq!(
        web_basis, api_basis,
        "the web decision and the API agree on the basis"
    );
}

/// The profession is the account's: a link that carries another `actor`
/// (made by a colleague, or typed) does not decide a student's question as a
/// masseur-kinésithérapeute's.
#[tokio::test]
async fn the_actor_is_the_accounts_even_when_the_url_says_otherwise() {
    let app = app().await;
    let mut admin = Browser::new(&app.router);
    admin.setup_admin().await;
    admin.login("alice", ADMIN_PASSWORD).await;
    create_account(&mut admin, "etienne", "etudiant").await;
    let mut b = Browser::new(&app.router);
    b.login("etienne", "mot de passe provisoire").await;
    let r = b
        .get("/puis-je-le-dire?a=actor%3Dmasseur_kinesitherapeute&a=purpose%3Dsignalement")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    assert!(
        page.contains("name=\"a\" value=\"actor=etudiant_mk\""),
        "the student's profession: {page}"
    );
    assert!(!page.contains("actor=masseur_kinesitherapeute"), "{page}");
}
