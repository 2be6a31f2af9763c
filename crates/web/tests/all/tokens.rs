//! API tokens: an owner (the administrator who created it), an expiry and a
//! scope; a token dies with its owner's account or administrator role.

use crate::common;

use crate::common::{app, json_req, Browser};
use axum::http::StatusCode;
use sceau_store::{Role, TokenScope};
use serde_json::json;

async fn whoami(app: &common::App, token: &str) -> StatusCode {
    json_req(&app.router, "GET", "/api/v1/whoami", Some(token), None)
        .await
        .status
}

/// Deactivating an administrator, or taking his role, stops his tokens —
/// and reactivating him does not bring them back.
#[tokio::test]
async fn a_token_dies_with_its_owner() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    alice.login("alice", common::ADMIN_PASSWORD).await;
    let practice = store.practices().await.unwrap()[0].id;
    let mut tokens = Vec::new();
    for name in ["carole", "denis"] {
        let a = store
            .create_account(
                practice,
                name,
                name,
                Role::Administrateur,
                "mot de passe provisoire",
            )
            .await
            .unwrap();
        let (t, _) = store
            .create_token(practice, a.id, "intégration")
            .await
            .unwrap();
        assert_eq!(whoami(&app, &t).await, StatusCode::OK);
        tokens.push((a.id, t));
    }
    // Carole is deactivated, Denis becomes a kinésithérapeute, from the page.
    for ((id, _), (role, active)) in tokens
        .iter()
        .zip([("administrateur", "non"), ("kinesitherapeute", "oui")])
    {
        alice.get("/administration").await;
        let r = alice
            .post(
                "/administration",
                &[
                    ("action", "modifier"),
                    ("compte", &id.to_string()),
                    ("role", role),
                    ("actif", active),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    for (_, t) in &tokens {
        assert_eq!(whoami(&app, t).await, StatusCode::UNAUTHORIZED);
    }
    // Back as they were: the tokens stay dead.
    for (id, _) in &tokens {
        store
            .update_account(practice, *id, Role::Administrateur, true)
            .await
            .unwrap();
    }
    for (_, t) in &tokens {
        assert_eq!(whoami(&app, t).await, StatusCode::UNAUTHORIZED, "revived");
    }
    // Only an active administrator can own one.
    let k = store
        .create_account(
            practice,
            "kine",
            "Kiné",
            Role::Kinesitherapeute,
            "mot de passe provisoire",
        )
        .await
        .unwrap();
    assert!(store.create_token(practice, k.id, "x").await.is_err());
}

/// A token stops at its expiry; its life is chosen at creation (1 to 365 days).
#[tokio::test]
async fn a_token_expires() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    let a = store
        .verify_login(None, "alice", common::ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let (t, tok) = store
        .create_token_with(a.practice_id, a.id, "court", TokenScope::Ecriture, 1)
        .await
        .unwrap();
    assert_eq!(tok.expires_at - tok.created_at, 86_400);
    assert_eq!(whoami(&app, &t).await, StatusCode::OK);
    sceau_store::testing::set_token_expiry(&store, tok.id, chrono::Utc::now().timestamp() - 1)
        .await;
    assert_eq!(whoami(&app, &t).await, StatusCode::UNAUTHORIZED);
    for days in [0, 366] {
        assert!(store
            .create_token_with(a.practice_id, a.id, "x", TokenScope::Ecriture, days)
            .await
            .is_err());
    }
}

/// A read-only token reads and cannot record; the form creates read-only
/// tokens by default and the list names the creator, scope and expiry.
#[tokio::test]
async fn scope_and_the_list_of_tokens() {
    let app = app().await;
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    alice.login("alice", common::ADMIN_PASSWORD).await;
    alice.get("/administration/jetons").await;
    let r = alice
        .post(
            "/administration/jetons",
            &[("action", "creer"), ("nom", "lecteur"), ("jours", "30")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    let token = common::between(&page, "id=\"nouveau-jeton\">", "<")
        .unwrap()
        .to_string();
    assert!(page.contains("data-scope=\"lecture\""), "{page}");
    assert!(
        common::between(&page, "<td data-creator>", "<")
            .unwrap()
            .contains("Alice Admin"),
        "creator column"
    );
    let r = json_req(&app.router, "GET", "/api/v1/patients", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = json_req(
        &app.router,
        "POST",
        "/api/v1/patients",
        Some(&token),
        Some(json!({"display_name": "Patient Refusé"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error"], "insufficient_scope");
    // A bad duration is named.
    alice.get("/administration/jetons").await;
    let r = alice
        .post(
            "/administration/jetons",
            &[("action", "creer"), ("nom", "x"), ("jours", "999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Durée du jeton"), "{}", r.text());
}

fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Audit finding 2, on the API and the pages: a token or a session row
/// inserted by SQL with the SHA-256 of a value of the intruder's choice
/// opens nothing; a token left without its signature (as those issued
/// before schema 14) is answered « token_to_replace » with what to do, and
/// the administration page marks it « À remplacer ».
#[tokio::test]
async fn tokens_and_sessions_written_without_the_key_open_nothing() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    alice.login("alice", common::ADMIN_PASSWORD).await;
    let practice = store.practices().await.unwrap()[0].id;
    let admin = store.list_accounts(practice).await.unwrap()[0].id;
    let pool = common::raw(&app).await;
    let t = chrono::Utc::now().timestamp();

    let forged = format!("sceau_{}", "f0".repeat(32));
    sqlx::query(
        "INSERT INTO api_tokens (practice_id, name, prefix, token_hash, created_by, created_at, expires_at, scope)
         VALUES ($1, 'x', 'sceau_forged', $2, $3, $4, $5, 'ecriture')",
    )
    .bind(practice)
    .bind(sha256_hex(&forged))
    .bind(admin)
    .bind(t)
    .bind(t + 86_400)
    .execute(&pool)
    .await
    .unwrap();
    let r = json_req(&app.router, "GET", "/api/v1/patients", Some(&forged), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
    assert_eq!(r.json()["error"], "token_to_replace");
    let message = r.json()["message"].as_str().unwrap().to_string();
    assert!(message.contains("créer un nouveau jeton"), "{message}");
    assert!(!r.text().contains(&forged[6..]), "the token came back");

    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) VALUES ($1, $2, 'c', $3, $4)",
    )
    .bind(sha256_hex("session-choisie"))
    .bind(admin)
    .bind(t)
    .bind(t + 3600)
    .execute(&pool)
    .await
    .unwrap();
    let mut intruder = Browser::new(&app.router);
    intruder
        .cookies
        .insert("sceau_session".into(), "session-choisie".into());
    let r = intruder.get("/patients").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(r.location().starts_with("/connexion"), "{}", r.location());

    // The administration page names the token to replace.
    let r = alice.get("/administration/jetons").await;
    let page = r.text();
    assert!(page.contains("data-to-replace"), "{page}");
    assert!(page.contains("À remplacer"), "{page}");
}

/// Audit finding 2b on the pages and the API: an assistant raised to
/// administrator by SQL gets 403 « Compte altéré », cannot sign in again
/// (403), the token of an administrator whose row was changed gets 403
/// `account_altered`, and the administration page marks both « Altéré ».
#[tokio::test]
async fn an_account_changed_without_the_key_neither_signs_in_nor_acts() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    alice.login("alice", common::ADMIN_PASSWORD).await;
    let practice = store.practices().await.unwrap()[0].id;
    let pw = "mot de passe provisoire";
    store
        .create_account(practice, "uassistant", "U", Role::Assistant, pw)
        .await
        .unwrap();
    let carole = store
        .create_account(practice, "carole", "C", Role::Administrateur, pw)
        .await
        .unwrap();
    let (token, _) = store
        .create_token(practice, carole.id, "intégration")
        .await
        .unwrap();
    assert_eq!(whoami(&app, &token).await, StatusCode::OK);
    let mut u = Browser::new(&app.router);
    u.login("uassistant", pw).await;
    assert_eq!(u.get("/administration").await.status, StatusCode::FORBIDDEN);

    let pool = common::raw(&app).await;
    sqlx::query("UPDATE accounts SET role = 'administrateur' WHERE username = 'uassistant'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE accounts SET active = 1, password_hash = password_hash || '' , role = 'administrateur', display_name = 'C2', username = 'carole2' WHERE id = $1")
        .bind(carole.id)
        .execute(&pool)
        .await
        .unwrap();
    let r = u.get("/administration").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.text().contains("Compte altéré"), "{}", r.text());
    let mut again = Browser::new(&app.router);
    let r = again.login("uassistant", pw).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.text().contains("modifié hors de Sceau"), "{}", r.text());
    store.revoke_token(practice, 999_999).await.ok(); // the token is read again
    let r = json_req(&app.router, "GET", "/api/v1/whoami", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error"], "account_altered");
    let page = alice.get("/administration").await.text();
    assert_eq!(page.matches("data-altered").count(), 2, "{page}");
}

/// A token's name and prefix written without the key: a token issued
/// before its MAC covered them (signed as those builds did) still opens
/// and the page marks its name and prefix « non vérifié »; one of this
/// build renamed by SQL gets 401 `token_to_replace` and is listed « À
/// remplacer », its name marked too; one left alone carries no mark.
#[tokio::test]
async fn a_token_name_not_signed_is_marked_and_a_renamed_one_refused() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    alice.login("alice", common::ADMIN_PASSWORD).await;
    let practice = store.practices().await.unwrap()[0].id;
    let admin = store.list_accounts(practice).await.unwrap()[0].id;
    let (older, o) = store.create_token(practice, admin, "ancien").await.unwrap();
    sceau_store::testing::sign_token_as_version_1(&store, o.id).await;
    let (renamed, r) = store.create_token(practice, admin, "agenda").await.unwrap();
    let (kept, _) = store.create_token(practice, admin, "intact").await.unwrap();
    let pool = common::raw(&app).await;
    sqlx::query("UPDATE api_tokens SET name = 'facturation' WHERE id = $1")
        .bind(r.id)
        .execute(&pool)
        .await
        .unwrap();

    assert_eq!(whoami(&app, &older).await, StatusCode::OK);
    assert_eq!(whoami(&app, &kept).await, StatusCode::OK);
    let refused = json_req(&app.router, "GET", "/api/v1/whoami", Some(&renamed), None).await;
    assert_eq!(
        refused.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        refused.text()
    );
    assert_eq!(refused.json()["error"], "token_to_replace");

    let page = alice.get("/administration/jetons").await.text();
    let row = |name: &str| {
        common::between(&page, &format!("data-token=\"{name}\""), "</tr>")
            .unwrap_or_else(|| panic!("no row for {name}: {page}"))
            .to_string()
    };
    let older_row = row("ancien");
    assert!(
        older_row.contains("data-name-unverified")
            && older_row.contains("nom non vérifié")
            && older_row.contains("début non vérifié")
            && older_row.contains("sceau accounts attest")
            && !older_row.contains("data-to-replace"),
        "{older_row}"
    );
    let renamed_row = row("facturation");
    assert!(
        renamed_row.contains("data-to-replace") && renamed_row.contains("nom non vérifié"),
        "{renamed_row}"
    );
    let kept_row = row("intact");
    assert!(
        !kept_row.contains("non vérifié") && !kept_row.contains("data-to-replace"),
        "{kept_row}"
    );

    // Attested, the older token's name is signed: no mark left.
    let todo = store.tokens_to_attest(Some(practice)).await.unwrap();
    assert_eq!(todo.len(), 1);
    store.attest_tokens(&todo).await.unwrap();
    let page = alice.get("/administration/jetons").await.text();
    let older_row = common::between(&page, "data-token=\"ancien\"", "</tr>").unwrap();
    assert!(!older_row.contains("non vérifié"), "{older_row}");
    assert_eq!(whoami(&app, &older).await, StatusCode::OK);
}
