//! « Anonymiser un texte » and `POST /api/v1/anonymise`, through the router:
//! highlighted replacements, residual risks, download, consistent
//! pseudonyms across texts, CSRF, size limit, errors naming the field.

use crate::common;

use crate::common::{app, json_req, Browser, ADMIN_PASSWORD};
use axum::http::{header, StatusCode};
use serde_json::json;

const NOTE: &str = "Bilan du 12/03/2024. Mme Solène Kerbrat, née le 04/07/1961, \
tél. 06 12 34 56 78, NIR 2 61 07 75 056 012 13. Test de Lachman négatif. \
Ancienne championne de France de judo. Revue le 26/03/2024 par Dr Hugo Lemoine.";

const IDENTIFIERS: &[&str] = &[
    "Kerbrat",
    "Solène",
    "Lemoine",
    "06 12 34 56 78",
    "12/03/2024",
    "04/07/1961",
    "2 61 07 75",
];

async fn logged_in(app: &common::App) -> Browser<'_> {
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    b
}

#[tokio::test]
async fn a_pasted_note_comes_back_highlighted_with_its_risks_and_downloads() {
    let app = app().await;
    let mut b = logged_in(&app).await;
    let r = b.get("/anonymiser").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r
        .text()
        .contains("href=\"/anonymiser\" aria-current=\"page\""));
    let r = b
        .post("/anonymiser", &[("texte", NOTE), ("dates", "relative")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    let result = common::between(&html, "id=\"resultat\"", "</div>").unwrap();
    for id in IDENTIFIERS {
        assert!(!result.contains(id), "{id} left in the result: {result}");
    }
    assert!(result.contains("Lachman"), "clinical content kept");
    for kind in ["nom", "date", "telephone", "nir"] {
        assert!(
            result.contains(&format!("data-kind=\"{kind}\"")),
            "{kind} highlighted"
        );
    }
    assert!(result.contains("title=\"nom de personne\""));
    assert!(html.contains("Légende"));
    assert!(html.contains("Risques de ré-identification"));
    assert!(
        html.contains("sportif haut niveau") || html.contains("champion"),
        "a residual risk: {html}"
    );

    // the download re-anonymises on the server: an attachment without identifiers
    let r = b
        .post(
            "/anonymiser/telecharger",
            &[("texte", NOTE), ("dates", "relative"), ("format", "md")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"texte-anonymise.md\""
    );
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    let file = r.text();
    for id in IDENTIFIERS {
        assert!(!file.contains(id), "{id} left in the file: {file}");
    }
    assert!(
        file.contains("Mme A") && file.contains("Dr B") && file.contains("Lachman"),
        "{file}"
    );
    let r = b
        .post(
            "/anonymiser/telecharger",
            &[("texte", NOTE), ("format", "txt")],
        )
        .await;
    assert!(r.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("texte-anonymise.txt"));
}

#[tokio::test]
async fn consistent_pseudonyms_carry_over_to_the_next_text() {
    let app = app().await;
    let mut b = logged_in(&app).await;
    b.get("/anonymiser").await;
    let r = b
        .post(
            "/anonymiser",
            &[
                ("texte", "Mme Solène Kerbrat puis M. Paul Girard."),
                ("coherence", "oui"),
            ],
        )
        .await;
    let html = r.text();
    let i = html.find("id=\"suivant-texte\"").expect("next-text form");
    let before = &html[..i];
    let start = before.rfind("name=\"table\" value=\"").unwrap() + "name=\"table\" value=\"".len();
    let table = html[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&quot;", "\"");
    assert!(
        !table.contains("Kerbrat") && !table.contains("Girard"),
        "the table holds digests only"
    );
    let r = b
        .post(
            "/anonymiser/telecharger",
            &[
                ("texte", "M. Paul Girard revient."),
                ("table", &table),
                ("format", "txt"),
            ],
        )
        .await;
    assert_eq!(
        r.text(),
        "M. B revient.",
        "Paul Girard stays the second person"
    );
    let r = b
        .post(
            "/anonymiser",
            &[("texte", "x"), ("table", "{\"pas\": \"une table\"}")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Pseudonymes cohérents"));
}

#[tokio::test]
async fn csrf_size_and_login_are_enforced_in_french_without_echo() {
    let app = app().await;
    let mut anon = Browser::new(&app.router);
    let r = anon.get("/anonymiser").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "login required");
    let mut b = logged_in(&app).await;
    b.get("/anonymiser").await;
    let r = b
        .post_raw("/anonymiser", common::form_body(&[("texte", NOTE)]))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.text().contains("Kerbrat"));
    let big = format!("Mme Solène Kerbrat {}", "é".repeat(100_001));
    b.get("/anonymiser").await;
    let r = b.post("/anonymiser", &[("texte", &big)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let t = r.text();
    assert!(
        t.contains("100 000 caractères") && t.contains("Texte à anonymiser"),
        "{t}"
    );
    b.get("/anonymiser").await;
    let huge = "a".repeat(2 * 1024 * 1024);
    let r = b.post("/anonymiser", &[("texte", &huge)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("Texte trop long"));
    b.get("/anonymiser").await;
    let r = b.post("/anonymiser", &[("texte", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_api_needs_a_token_names_bad_fields_and_is_documented() {
    let app = app().await;
    let a = app
        .state
        .store()
        .create_first_admin("Cabinet", "alice", "Alice", ADMIN_PASSWORD)
        .await
        .unwrap();
    let (tok, _) = app
        .state
        .store()
        .create_token(a.practice_id, a.id, "logiciel")
        .await
        .unwrap();
    let r = json_req(
        &app.router,
        "POST",
        "/api/v1/anonymise",
        None,
        Some(json!({"text": NOTE})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = json_req(
        &app.router,
        "POST",
        "/api/v1/anonymise",
        Some(&tok),
        Some(json!({"text": NOTE, "dates": "year"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let text = v["text"].as_str().unwrap();
    for id in IDENTIFIERS {
        assert!(!text.contains(id), "{id}: {text}");
    }
    assert!(text.contains("2024"), "dates reduced to the year: {text}");
    assert!(v["replacements"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["kind"] == "nir"));
    assert!(!v["risks"].as_array().unwrap().is_empty());
    // the batch map brings the same pseudonyms back
    let r = json_req(
        &app.router,
        "POST",
        "/api/v1/anonymise",
        Some(&tok),
        Some(json!({"text": "Dr Hugo Lemoine", "batch_map": v["batch_map"]})),
    )
    .await;
    assert_eq!(r.json()["text"], "Dr B", "{}", r.text());
    for (body, field) in [
        // an unknown key may be a name typed there: never repeated
        (json!({"texte": "Mme Kerbrat"}), "champ inconnu"),
        (json!({"text": 3}), "text"),
        (json!({"text": "Mme Kerbrat", "dates": "Kerbrat"}), "dates"),
        (
            json!({"text": "Mme Kerbrat", "batch_map": "Kerbrat"}),
            "batch_map",
        ),
        (json!({"text": "é".repeat(100_001)}), "text"),
    ] {
        let r = json_req(
            &app.router,
            "POST",
            "/api/v1/anonymise",
            Some(&tok),
            Some(body),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let e = r.json();
        assert_eq!(e["field"], field, "{e}");
        assert!(!r.text().contains("Kerbrat"), "never echoed: {e}");
    }
    let api = common::send(
        &app.router,
        axum::http::Request::get("/api/v1/openapi.json")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .json();
    let op = &api["paths"]["/api/v1/anonymise"]["post"];
    assert!(op["requestBody"].is_object(), "{op}");
    assert!(op["responses"]["422"].is_object());
    assert!(api["components"]["schemas"]["AnonymiseRequestDoc"]["properties"]["text"].is_object());
}

/// Two people of one family are two pseudonyms; an establishment and a room
/// get their own kinds; an unknown proper noun is listed to review; and the
/// table of pseudonyms depends on the server's secret, not on a salt it
/// carries (another server, another key: other digests for the same names).
#[tokio::test]
async fn family_members_stay_apart_and_the_table_is_keyed_by_the_server() {
    const FAMILY: &str = "Mme Jeanne Le Berre, 84 ans, EHPAD Les Tilleuls, chambre 12. \
        Accompagnée de son fils Yves Le Berre. Bilan avec Mme Le Berre : marche avec Zorglubien.";
    let app = app().await;
    let a = app
        .state
        .store()
        .create_first_admin("Cabinet", "alice", "Alice", ADMIN_PASSWORD)
        .await
        .unwrap();
    let (tok, _) = app
        .state
        .store()
        .create_token(a.practice_id, a.id, "logiciel")
        .await
        .unwrap();
    let r = json_req(
        &app.router,
        "POST",
        "/api/v1/anonymise",
        Some(&tok),
        Some(json!({"text": FAMILY})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let text = v["text"].as_str().unwrap();
    for id in ["Jeanne", "Yves", "Berre", "Tilleuls", "chambre 12"] {
        assert!(!text.contains(id), "{id}: {text}");
    }
    let reps = v["replacements"].as_array().unwrap();
    let pseudo_at = |needle: &str| {
        let at = FAMILY.find(needle).unwrap();
        reps.iter()
            .find(|r| {
                r["start"].as_u64().unwrap() as usize <= at
                    && at < r["end"].as_u64().unwrap() as usize
            })
            .map(|r| r["pseudonym"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{needle} not replaced: {text}"))
    };
    assert_ne!(
        pseudo_at("Jeanne"),
        pseudo_at("Yves"),
        "mother and son share a pseudonym: {text}"
    );
    assert!(reps.iter().any(|r| r["kind"] == "etablissement"), "{text}");
    assert!(reps.iter().any(|r| r["kind"] == "chambre"), "{text}");
    assert!(text.contains("[Établissement A]"), "{text}");
    let risks = v["risks"].as_array().unwrap();
    assert!(
        risks.iter().any(|r| r["kind"] == "mot_inconnu"),
        "the unknown proper noun is listed: {risks:?}"
    );
    // the table: digests only, no salt, and they depend on the server's key
    let table = v["batch_map"].to_string();
    assert!(
        !table.contains("salt") && !table.to_lowercase().contains("berre"),
        "{table}"
    );
    let other = app_with_other_key().await;
    let b = other
        .state
        .store()
        .create_first_admin("Cabinet", "bob", "Bob", ADMIN_PASSWORD)
        .await
        .unwrap();
    let (tok2, _) = other
        .state
        .store()
        .create_token(b.practice_id, b.id, "logiciel")
        .await
        .unwrap();
    let r2 = json_req(
        &other.router,
        "POST",
        "/api/v1/anonymise",
        Some(&tok2),
        Some(json!({"text": FAMILY})),
    )
    .await;
    let keys = |m: &serde_json::Value| -> Vec<String> {
        m["persons"].as_object().unwrap().keys().cloned().collect()
    };
    let (k1, k2) = (keys(&v["batch_map"]), keys(&r2.json()["batch_map"]));
    assert_eq!(k1.len(), k2.len());
    assert!(
        k1.iter().all(|k| !k2.contains(k)),
        "the same names give other digests under another server's key"
    );
}

async fn app_with_other_key() -> common::App {
    // every test app draws its own store key
    app().await
}

/// A text slow to anonymise (finding 5 of the 2026-11-30 audit: a run of
/// titles in random order takes seconds at this length).
fn slow_text(chars: usize) -> String {
    let titles = ["M.", "Mme", "Dr", "Pr"];
    let mut x: u32 = 1;
    let mut out = String::new();
    while out.len() < chars {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        out.push_str(titles[(x >> 16) as usize % 4]);
        out.push(' ');
    }
    out
}

/// Finding 5 of the 2026-11-30 audit: the anonymiser ran on the request
/// threads, so that a few long texts made `/healthz` answer in 44 s. Now
/// it runs on the blocking pool, in a few slots (one here), and a text
/// beyond them is refused at once (429, `Retry-After`): while four clients
/// keep anonymising, `/healthz` — served by the same two worker threads —
/// keeps answering at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_keep_answering_while_texts_are_anonymised() {
    let app = common::app_built(
        false,
        common::generous(),
        |_| {},
        |s| s.with_anonymiser_slots(1),
    )
    .await;
    Browser::new(&app.router).setup_admin().await;
    let store = app.state.store();
    let practice = store.practices().await.unwrap()[0].id;
    let admin = store.list_accounts(practice).await.unwrap()[0].clone();
    let (token, _) = store
        .create_token(practice, admin.id, "tests")
        .await
        .unwrap();
    let body = json!({ "text": slow_text(60_000) });
    let until = std::time::Instant::now() + std::time::Duration::from_secs(3);
    // Four clients, each sending a text again as soon as it is answered.
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (router, token, body) = (app.router.clone(), token.clone(), body.clone());
            tokio::spawn(async move {
                let (mut done, mut refused) = (0, 0);
                while std::time::Instant::now() < until {
                    let r = json_req(
                        &router,
                        "POST",
                        "/api/v1/anonymise",
                        Some(&token),
                        Some(body.clone()),
                    )
                    .await;
                    match r.status {
                        StatusCode::OK => done += 1,
                        StatusCode::TOO_MANY_REQUESTS => {
                            assert_eq!(r.headers[header::RETRY_AFTER], "5");
                            assert_eq!(r.json()["error"], "busy");
                            refused += 1;
                            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        }
                        s => panic!("unexpected {s}"),
                    }
                }
                (done, refused)
            })
        })
        .collect();
    // Meanwhile, `/healthz` from a task of the same runtime (the request
    // threads), every 50 ms.
    let mut slowest = std::time::Duration::ZERO;
    let mut asked = 0;
    while std::time::Instant::now() < until {
        let router = app.router.clone();
        let t = std::time::Instant::now();
        let r = tokio::spawn(async move { json_req(&router, "GET", "/healthz", None, None).await })
            .await
            .unwrap();
        assert_eq!(r.status, StatusCode::OK);
        slowest = slowest.max(t.elapsed());
        asked += 1;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (mut done, mut refused) = (0, 0);
    for c in clients {
        let (d, r) = c.await.unwrap();
        done += d;
        refused += r;
    }
    println!("FIGURE anonymiser: 4 clients for 3 s, 1 slot: {done} texts anonymised, {refused} refused (429); /healthz {asked} times, the slowest in {} ms", slowest.as_millis());
    assert!(done >= 1 && refused >= 1, "{done} done, {refused} refused");
    assert!(
        slowest < std::time::Duration::from_millis(500),
        "/healthz waited {slowest:?}"
    );
}

/// The table of correspondence sent back by the page of one practice, as a
/// hidden field, from a text with « Mme Solène Kerbrat puis M. Paul Girard ».
async fn page_table(b: &mut Browser<'_>, text: &str) -> String {
    b.get("/anonymiser").await;
    let r = b
        .post("/anonymiser", &[("texte", text), ("coherence", "oui")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    let i = html.find("id=\"suivant-texte\"").expect("next-text form");
    let before = &html[..i];
    let start = before.rfind("name=\"table\" value=\"").unwrap() + "name=\"table\" value=\"".len();
    html[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&quot;", "\"")
}

/// The download of « M. Paul Girard revient. » with `table`.
async fn next_text(b: &mut Browser<'_>, table: &str) -> String {
    let fields = [
        ("texte", "M. Paul Girard revient."),
        ("table", table),
        ("format", "txt"),
    ];
    b.post("/anonymiser/telecharger", &fields).await.text()
}

/// `POST /api/v1/anonymise` with `body`, answered 200.
async fn call(app: &common::App, tok: &str, body: serde_json::Value) -> serde_json::Value {
    let r = json_req(
        &app.router,
        "POST",
        "/api/v1/anonymise",
        Some(tok),
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

/// Finding 8 of the 2026-11-30 HTTP audit: the pseudonym table was keyed
/// once per server, so that an account of any practice of a shared server
/// could have the server digest candidate names and test them against
/// another practice's table. Each practice now has its own key: the same
/// names give other digests, and one practice's table, passed to the
/// other's page or API, matches none of its names (the person gets a new
/// letter), while it keeps matching within its own practice.
#[tokio::test]
async fn a_practice_s_pseudonym_table_tests_nothing_against_another_practice() {
    const TWO: &str = "Mme Solène Kerbrat puis M. Paul Girard.";
    let app = app().await;
    let store = app.state.store().clone();
    let mut alice = Browser::new(&app.router);
    let (a, bob) = common::two_practices(&app, &mut alice).await;
    alice.login_in(a.practice_id, "alice", ADMIN_PASSWORD).await;
    let mut bb = Browser::new(&app.router);
    bb.login_in(bob.practice_id, "bob", ADMIN_PASSWORD).await;

    // The pages: the same names, other digests.
    let (ta, tb) = (
        page_table(&mut alice, TWO).await,
        page_table(&mut bb, TWO).await,
    );
    let persons = |t: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(t).unwrap();
        v["persons"].as_object().unwrap().keys().cloned().collect()
    };
    let (pa, pb) = (persons(&ta), persons(&tb));
    assert_eq!((pa.len(), pb.len()), (2, 2), "{ta} {tb}");
    assert!(
        pa.iter().all(|k| !pb.contains(k)),
        "one practice's digests are not the other's: {ta} {tb}"
    );
    // Alice's table brings Paul Girard back in her practice only.
    assert_eq!(next_text(&mut alice, &ta).await, "M. B revient.");
    assert_eq!(
        next_text(&mut bb, &ta).await,
        "M. C revient.",
        "another practice's table matches none of this practice's names"
    );

    // The API: the same, token by token.
    let (tok_a, _) = store.create_token(a.practice_id, a.id, "t").await.unwrap();
    let (tok_b, _) = store
        .create_token(bob.practice_id, bob.id, "t")
        .await
        .unwrap();
    let va = call(&app, &tok_a, json!({ "text": TWO })).await;
    let vb = call(&app, &tok_b, json!({ "text": TWO })).await;
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v["batch_map"]["persons"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert!(keys(&va).iter().all(|k| !keys(&vb).contains(k)));
    assert_eq!(
        keys(&va).iter().collect::<std::collections::BTreeSet<_>>(),
        pa.iter().collect(),
        "the page and the API of one practice key its tables alike"
    );
    let again = json!({"text": "M. Paul Girard revient.", "batch_map": va["batch_map"]});
    assert_eq!(
        call(&app, &tok_a, again.clone()).await["text"],
        "M. B revient."
    );
    assert_eq!(call(&app, &tok_b, again).await["text"], "M. C revient.");
}

/// The HTTP audit's finding 5 asked for a limit per account too: with
/// four slots, one account sending texts in parallel took all four and
/// every other account got 429. An account holds one slot at a time, its
/// pages and its tokens together; another account still gets its text
/// anonymised meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_account_holds_one_slot_and_leaves_the_others_to_the_others() {
    let app = common::app_built(
        false,
        common::generous(),
        |_| {},
        |s| s.with_anonymiser_slots(4),
    )
    .await;
    Browser::new(&app.router).setup_admin().await;
    let store = app.state.store();
    let practice = store.practices().await.unwrap()[0].id;
    let alice = store.list_accounts(practice).await.unwrap()[0].clone();
    let bob = store
        .create_account(
            practice,
            "bob",
            "Bob",
            sceau_store::Role::Administrateur,
            common::ADMIN_PASSWORD,
        )
        .await
        .unwrap();
    // Two tokens of one account: they share its slot.
    let (a1, _) = store.create_token(practice, alice.id, "a1").await.unwrap();
    let (a2, _) = store.create_token(practice, alice.id, "a2").await.unwrap();
    let (b1, _) = store.create_token(practice, bob.id, "b1").await.unwrap();
    let body = json!({ "text": slow_text(90_000) });
    let send = |token: String| {
        let (router, body) = (app.router.clone(), body.clone());
        tokio::spawn(async move {
            json_req(
                &router,
                "POST",
                "/api/v1/anonymise",
                Some(&token),
                Some(body),
            )
            .await
        })
    };
    let (mut alice_refused, mut bob_done) = (0, 0);
    for _ in 0..10 {
        let (x, y, z) = (send(a1.clone()), send(a2.clone()), send(b1.clone()));
        let (x, y, z) = (x.await.unwrap(), y.await.unwrap(), z.await.unwrap());
        for r in [&x, &y] {
            match r.status {
                StatusCode::OK => {}
                StatusCode::TOO_MANY_REQUESTS => {
                    assert_eq!(r.headers[header::RETRY_AFTER], "5");
                    assert_eq!(r.json()["error"], "busy");
                    alice_refused += 1;
                }
                s => panic!("unexpected {s}"),
            }
        }
        // Four slots, Alice holds one at most: Bob is never refused.
        assert_eq!(z.status, StatusCode::OK, "Bob refused");
        bob_done += 1;
        if alice_refused > 0 {
            break;
        }
    }
    println!("FIGURE anonymiser per account: Alice refused {alice_refused} time(s) while Bob got {bob_done} text(s) anonymised, 4 slots");
    assert!(
        alice_refused >= 1,
        "two texts of one account ran at once in 10 tries"
    );
}
