//! Issue 14 on the web: the journal page and the API when the journal has
//! been tampered with (wiped, forged, re-typed), the receipts carried by
//! what leaves the practice, and the administration page « Clé et
//! sauvegarde ». On SQLite, or on PostgreSQL with SCEAU_TEST_DATABASE_URL.

use crate::common;

use crate::common::{app, json_req, Browser, ADMIN_PASSWORD};
use axum::http::StatusCode;
use serde_json::json;

/// Asks « Clé et sauvegarde » for the key backup (the page first, for its CSRF token).
async fn download_key(b: &mut Browser<'_>) -> common::Resp {
    b.get("/administration/cle").await;
    b.post(
        "/administration/cle",
        &[
            ("action", "cle"),
            ("phrase", "une phrase assez longue"),
            ("phrase2", "une phrase assez longue"),
        ],
    )
    .await
}

fn entry() -> serde_json::Value {
    json!({"recipient": "procureur", "purpose": "signalement", "verdict": "allowed", "basis": ["cp:226-14:3"], "information": "constatations"})
}

/// The attacker's own connection to the database.
/// One ordinary entry appended through the API with `tok`.
async fn post_entry(app: &common::App, tok: &str) -> common::Resp {
    json_req(
        &app.router,
        "POST",
        "/api/v1/journal",
        Some(tok),
        Some(entry()),
    )
    .await
}

async fn raw(app: &common::App) -> sqlx::AnyPool {
    common::raw(app).await
}

#[tokio::test]
async fn a_wiped_journal_shows_altered_and_refuses_appends_in_french() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let (tok, practice) = common::token_for(&app, "alice").await;
    for _ in 0..3 {
        let r = post_entry(&app, &tok).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let page = b.get("/journal").await.text();
    assert!(page.contains("data-journal=\"intact\""), "{page}");

    let pool = raw(&app).await;
    for t in ["journal_entries", "journal_checkpoints", "journal_heads"] {
        sqlx::query(&format!("DELETE FROM {t} WHERE practice_id = $1"))
            .bind(practice)
            .execute(&pool)
            .await
            .unwrap();
    }
    let _ = std::fs::remove_file(app.state.store().anchor_path(practice));
    let page = b.get("/journal").await.text();
    assert!(page.contains("data-journal=\"altered\""), "{page}");
    assert!(page.contains("a disparu"), "{page}");
    let r = post_entry(&app, &tok).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(r.json()["error"], "journal_tampered");
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("Rien n’a été ajouté"));
    // Still nothing in the journal, still altered.
    let page = b.get("/journal").await.text();
    assert!(page.contains("data-journal=\"altered\""), "{page}");
}

/// A journal whose MACs are gone (as one written before entries were
/// signed, or stripped by someone without the key) is never taken as
/// intact: the page says « Journal altéré » and names entry 1, the API's
/// verification says `intact: false`, an append answers 409.
#[tokio::test]
async fn a_journal_without_macs_is_shown_altered_on_the_page_and_the_api() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let (tok, practice) = common::token_for(&app, "alice").await;
    for _ in 0..2 {
        let r = post_entry(&app, &tok).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let pool = raw(&app).await;
    for t in ["journal_entries", "journal_heads"] {
        sqlx::query(&format!("UPDATE {t} SET mac = NULL WHERE practice_id = $1"))
            .bind(practice)
            .execute(&pool)
            .await
            .unwrap();
    }
    let _ = std::fs::remove_file(app.state.store().anchor_path(practice));
    let page = b.get("/journal").await.text();
    assert!(page.contains("Journal altéré"), "{page}");
    assert!(page.contains("data-seq=\"1\""), "{page}");
    assert!(page.contains("aucune signature"), "{page}");
    let v = json_req(
        &app.router,
        "GET",
        "/api/v1/journal/verify",
        Some(&tok),
        None,
    )
    .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.text());
    assert_eq!(v.json()["intact"], false, "{}", v.text());
    let r = post_entry(&app, &tok).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(r.json()["error"], "journal_tampered");
}

#[tokio::test]
async fn a_retyped_column_is_shown_as_tampering_not_503() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let (tok, practice) = common::token_for(&app, "alice").await;
    let r = post_entry(&app, &tok).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let pool = raw(&app).await;
    if common::is_sqlite() {
        sqlx::query("UPDATE journal_entries SET at = 'hier' WHERE practice_id = $1")
            .bind(practice)
            .execute(&pool)
            .await
            .unwrap();
    } else {
        sqlx::query("ALTER TABLE journal_entries ALTER COLUMN at TYPE TEXT")
            .execute(&pool)
            .await
            .unwrap();
    }
    let r = b.get("/journal").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text().contains("une colonne n’a plus le type attendu"),
        "{}",
        r.text()
    );
    let r = post_entry(&app, &tok).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
}

#[tokio::test]
async fn what_leaves_the_practice_carries_the_journal_receipt() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let (tok, _) = common::token_for(&app, "alice").await;
    for _ in 0..2 {
        post_entry(&app, &tok).await;
    }
    let store = app.state.store();
    // The FHIR bundle.
    let fhir = b.get("/journal/fhir.json").await.text();
    let r = sceau_journal::Receipt::parse(&fhir).unwrap();
    assert_eq!(r.seq, 2);
    assert!(store.journal_check_receipt(&r).await.unwrap().is_ok());
    // The export.
    let export = b.get("/journal/export.jsonl").await.text();
    let c = sceau_journal::export::check_export(&export).unwrap();
    assert_eq!(c.receipt.unwrap().seq, 2);
    // A requisition reply: the receipt line is in its text.
    b.get("/signalement/requisition").await;
    let r = b
        .post(
            "/signalement/requisition",
            &[
                ("auteur_nom", "Alice Admin"),
                ("auteur_rpps", "10101234567"),
                ("auteur_adresse", "1 rue des Tests\n69001 Lyon"),
                ("demandeur", "police_gendarmerie"),
                ("demandeur_adresse", "Commissariat\n69002 Lyon"),
                ("date_requisition", "2026-11-02"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = r.text();
    assert!(
        text.contains("sceau-journal-receipt-v1 practice="),
        "{text}"
    );
    let r = sceau_journal::Receipt::parse(&text.replace("<br>", "\n")).unwrap();
    assert!(store.journal_check_receipt(&r).await.unwrap().is_ok());
}

#[tokio::test]
async fn the_key_page_says_where_the_key_is_and_downloads_it_encrypted() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    // Installation already says what the key is and where to back it up.
    let setup = b.get("/installation").await.text();
    assert!(
        setup.contains("data-key-notice") && setup.contains("Clé et sauvegarde"),
        "{setup}"
    );
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let page = b.get("/administration/cle").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let key_file = app.dir.path().join("sceau.key").display().to_string();
    assert!(html.replace("&#x2f;", "/").contains(&key_file), "{html}");
    assert!(html.contains("Ce qui est perdu sans elle"), "{html}");
    assert!(html.contains("data-journal=\"intact\""), "{html}");
    // Which keys are in use, and since when.
    assert!(html.contains("data-master-version>1<"), "{html}");
    assert!(html.contains("data-practice-version>1<"), "{html}");
    assert!(html.contains("jamais renouvelée"), "{html}");
    // Two different passphrases: refused, nothing downloaded.
    let r = b
        .post(
            "/administration/cle",
            &[
                ("action", "cle"),
                ("phrase", "une phrase assez longue"),
                ("phrase2", "une autre phrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = download_key(&mut b).await;
    assert_eq!(r.status, StatusCode::OK);
    let file = r.text();
    assert!(!file.contains(&app.state.store().key().to_base64()));
    let (back, wrapped) =
        sceau_store::key_backup::import_with_keys(&file, "une phrase assez longue", "test")
            .unwrap();
    assert_eq!(back.fingerprint(), app.state.store().key().fingerprint());
    // With what a restore needs: this practice's keys, wrapped.
    let practice = wrapped[0].practice_id;
    assert_eq!(wrapped.len(), 2);
    assert!(wrapped.iter().all(|k| k.practice_id == practice));
    // After the hosting operator rotates the practice's key, the page says so.
    app.state
        .store()
        .rotate_practice_key(practice)
        .await
        .unwrap();
    let html = b.get("/administration/cle").await.text();
    assert!(html.contains("data-practice-version>2<"), "{html}");
    assert!(html.contains("renouvelée le"), "{html}");
    // The receipt, to keep in a second place.
    b.get("/administration/cle").await;
    let r = b.post("/administration/cle", &[("action", "recu")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let receipt = sceau_journal::Receipt::parse(&r.text()).unwrap();
    assert!(app
        .state
        .store()
        .journal_check_receipt(&receipt)
        .await
        .unwrap()
        .is_ok());
}

/// The key backup holds the master key, which opens every practice's keys:
/// once the server hosts a second practice, no practice administrator gets
/// it (an audit took practice 1's patients with the file practice 2's
/// administrator downloaded). Fails on the code before: 200 and the file.
#[tokio::test]
async fn on_a_shared_server_no_practice_administrator_downloads_the_master_key() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let bob = app
        .state
        .store()
        .create_practice("Cabinet Voisin", "bob", "Bob", ADMIN_PASSWORD)
        .await
        .unwrap();
    for (practice, user) in [(1, "alice"), (bob.practice_id, "bob")] {
        let mut b = Browser::new(&app.router);
        b.login_in(practice, user, ADMIN_PASSWORD).await;
        let html = b.get("/administration/cle").await.text();
        assert!(html.contains("data-key-shared"), "{html}");
        assert!(!html.contains("name=\"phrase2\""), "{html}");
        let r = download_key(&mut b).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
        assert!(r.headers.get("content-disposition").is_none(), "{user}");
        let text = r.text();
        assert!(!text.contains("\"sealed\""), "{text}");
        assert!(text.contains("sceau key backup"), "{text}");
        // The journal's receipt is the practice's own: still given.
        b.get("/administration/cle").await;
        let r = b.post("/administration/cle", &[("action", "recu")]).await;
        assert_eq!(r.status, StatusCode::OK, "{user}");
    }
    // The store refuses too, whatever the caller.
    assert!(app
        .state
        .store()
        .practice_key_backup(1, "une phrase assez longue".into())
        .await
        .is_err());
}

#[tokio::test]
async fn an_administrator_resumes_a_tampered_journal_from_the_key_page() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let (tok, practice) = common::token_for(&app, "alice").await;
    for _ in 0..3 {
        let r = post_entry(&app, &tok).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    // Resuming an intact journal is refused, nothing written.
    b.get("/administration/cle").await;
    let r = b
        .post(
            "/administration/cle",
            &[("action", "reprise"), ("examine", "oui")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("se vérifie"), "{}", r.text());
    let pool = raw(&app).await;
    sqlx::query(
        "UPDATE journal_entries SET recipient = 'employeur' WHERE practice_id = $1 AND seq = 2",
    )
    .bind(practice)
    .execute(&pool)
    .await
    .unwrap();
    let html = b.get("/administration/cle").await.text();
    assert!(
        html.contains("data-journal=\"altered\"") && html.contains("data-resume"),
        "{html}"
    );
    // Without the confirmation: refused, still altered.
    let r = b
        .post("/administration/cle", &[("action", "reprise")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("J’ai examiné le journal"), "{}", r.text());
    let r = b
        .post(
            "/administration/cle",
            &[("action", "reprise"), ("examine", "oui")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("data-resumed") && html.contains("entrée n° 4"),
        "{html}"
    );
    assert!(html.contains("data-journal=\"intact\""), "{html}");
    // The journal page names the decision; the rows found are all still shown.
    let page = b.get("/journal").await.text();
    assert!(page.contains("data-journal=\"intact\""), "{page}");
    assert!(
        page.contains("data-resumption=\"4\"") && page.contains("alice"),
        "{page}"
    );
    for seq in 1..=4 {
        assert!(page.contains(&format!("data-seq=\"{seq}\"")), "{page}");
    }
    // An ordinary append goes through again.
    let r = post_entry(&app, &tok).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["seq"], 5, "{}", r.text());
}

#[tokio::test]
async fn only_an_administrator_can_resume_the_journal() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let (_, practice) = common::token_for(&app, "alice").await;
    let store = app.state.store();
    store
        .create_account(
            practice,
            "kine",
            "Kiné",
            sceau_store::Role::Kinesitherapeute,
            "motdepasse-solide",
        )
        .await
        .unwrap();
    let pool = raw(&app).await;
    sqlx::query("DELETE FROM journal_heads WHERE practice_id = $1")
        .bind(practice)
        .execute(&pool)
        .await
        .unwrap();
    let mut k = Browser::new(&app.router);
    k.login("kine", "motdepasse-solide").await;
    k.get("/journal").await;
    let r = k
        .post(
            "/administration/cle",
            &[("action", "reprise"), ("examine", "oui")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!store.journal_verify(practice).await.unwrap().intact());
}

#[tokio::test]
async fn periodic_receipts_go_to_a_second_place_and_verify_later() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let (tok, practice) = common::token_for(&app, "alice").await;
    let post = || {
        json_req(
            &app.router,
            "POST",
            "/api/v1/journal",
            Some(&tok),
            Some(entry()),
        )
    };
    assert_eq!(post().await.status, StatusCode::CREATED);
    let store = app.state.store();
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = elsewhere.path().join("recus");
    let files = sceau_web::journal_receipt::write_receipts(store, &dir)
        .await
        .unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The same head is not written twice; a new head is.
    assert!(sceau_web::journal_receipt::write_receipts(store, &dir)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(post().await.status, StatusCode::CREATED);
    let again = sceau_web::journal_receipt::write_receipts(store, &dir)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    for f in files.iter().chain(&again) {
        let r = sceau_journal::Receipt::parse(&std::fs::read_to_string(f).unwrap()).unwrap();
        assert_eq!(
            store.journal_check_receipt(&r).await.unwrap(),
            Ok((practice, r.seq))
        );
    }
    // A journal that does not verify gives no receipt.
    let pool = raw(&app).await;
    sqlx::query("DELETE FROM journal_heads WHERE practice_id = $1")
        .bind(practice)
        .execute(&pool)
        .await
        .unwrap();
    assert!(sceau_web::journal_receipt::write_receipts(store, &dir)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
}
