//! The JSON API against the engine and the contract.

use crate::common;

use crate::common::{app, app_with, generous, post_json, send};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};

fn cases() -> Vec<(String, Value)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/cases/guide.yaml");
    let text = std::fs::read_to_string(path).expect("tests/cases/guide.yaml");
    let cases: Vec<Value> = serde_norway::from_str(&text).expect("guide.yaml parses");
    assert!(cases.len() >= 3, "too few reference cases");
    cases
        .into_iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["situation"].clone(),
            )
        })
        .collect()
}

fn today() -> chrono::NaiveDate {
    sceau_clock::legal_today()
}

/// The release binary, when built (SCEAU_BIN overrides).
fn binary() -> Option<std::path::PathBuf> {
    let p = std::env::var_os("SCEAU_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/release/sceau").into()
        });
    p.is_file().then_some(p)
}

fn sceau_decide(bin: &std::path::Path, situation: &Value) -> Value {
    use std::io::Write;
    let mut child = std::process::Command::new(bin)
        .args(["decide", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run sceau decide");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(situation.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "sceau decide failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).expect("sceau decide prints JSON")
}

#[tokio::test]
async fn every_reference_case_through_the_api_is_the_engines_decision() {
    let app = app().await;
    let law = sceau_law::law();
    let bin = binary();
    for (id, situation) in cases() {
        let r = post_json(&app.router, "/api/v1/decisions", &situation.to_string()).await;
        assert_eq!(r.status, StatusCode::OK, "case {id}: {}", r.text());
        let got = r.json();
        let s = law
            .parse_situation(&situation, today())
            .unwrap_or_else(|e| panic!("case {id}: {e}"));
        let want = serde_json::to_value(law.decide(&s)).unwrap();
        assert_eq!(got, want, "case {id}: the API differs from law.decide");
        if let Some(bin) = &bin {
            assert_eq!(
                got,
                sceau_decide(bin, &situation),
                "case {id}: the API differs from `sceau decide`"
            );
        }
        // The interview endpoint reaches the same decision from the same answers
        // or asks a question about a fact the case leaves unknown.
        let r = post_json(
            &app.router,
            "/api/v1/interview",
            &json!({ "answers": situation }).to_string(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "case {id}: {}", r.text());
        let body = r.json();
        if let Some(d) = body.get("decision") {
            assert_eq!(d, &want, "case {id}: interview decision");
        } else {
            let fact = body["next"]["fact"].as_str().unwrap();
            assert_eq!(
                want["verdict"], "undetermined",
                "case {id}: decided but the interview asks {fact}"
            );
            assert!(
                situation.get(fact).is_none(),
                "case {id}: asks {fact} again"
            );
        }
    }
}

#[tokio::test]
async fn invalid_situations_get_422_naming_the_field() {
    let app = app().await;
    let bad: &[(&str, &str, Option<&str>)] = &[
        (
            r#"{"recipient": "voisin_de_palier"}"#,
            "unknown_value",
            Some("recipient"),
        ),
        // An unknown key is never repeated (it may be a name).
        (r#"{"recipent": "procureur"}"#, "unknown_field", None),
        (
            r#"{"patient_alive": "oui"}"#,
            "wrong_type",
            Some("patient_alive"),
        ),
        (r#"{"recipient": 3}"#, "wrong_type", Some("recipient")),
        (r#"{"as_of": "2026-13-45"}"#, "invalid_date", Some("as_of")),
        (r#"[1, 2]"#, "not_an_object", None),
        (r#"{"recipient": "#, "malformed_json", None),
        ("", "malformed_json", None),
    ];
    for (body, error, field) in bad {
        let r = post_json(&app.router, "/api/v1/decisions", body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text()
        );
        let e = r.json();
        assert_eq!(e["error"], *error, "{body}");
        assert_eq!(e["field"].as_str(), *field, "{body}");
        assert!(
            e["message"].as_str().is_some_and(|m| !m.is_empty()) && e["message_en"].is_string()
        );
        if let Some(f) = field {
            assert!(
                e["message"].as_str().unwrap().contains(f),
                "the French message names the field: {e}"
            );
        }
    }
    // The accepted values are listed for an enum.
    let r = post_json(
        &app.router,
        "/api/v1/decisions",
        r#"{"recipient": "voisin"}"#,
    )
    .await;
    assert!(r.json()["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v == "procureur"));

    let bad_interview: &[(&str, &str, Option<&str>)] = &[
        (
            r#"{"answers": {"recipient": 3}}"#,
            "wrong_type",
            Some("recipient"),
        ),
        (r#"{"answers": []}"#, "wrong_type", Some("answers")),
        (r#"{"answer": {}}"#, "unknown_field", None),
        (r#""answers""#, "not_an_object", None),
    ];
    for (body, error, field) in bad_interview {
        let r = post_json(&app.router, "/api/v1/interview", body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text()
        );
        assert_eq!(r.json()["error"], *error, "{body}");
        assert_eq!(r.json()["field"].as_str(), *field, "{body}");
    }
    let r = send(
        &app.router,
        Request::get("/api/v1/articles/csp:R4321-90?as_of=hier")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "as_of");
}

#[tokio::test]
async fn interview_asks_then_decides() {
    let app = app().await;
    let law = sceau_law::law();
    let r = post_json(&app.router, "/api/v1/interview", r#"{"answers": {}}"#).await;
    assert_eq!(r.status, StatusCode::OK);
    let next = &r.json()["next"];
    let fact = law
        .fact(next["fact"].as_str().unwrap())
        .expect("asks a fact of the law");
    assert_eq!(next["question"], fact.question.as_str());
    assert_eq!(next["help"], fact.help.as_str());
    assert_eq!(
        next["choices"].as_array().unwrap().len(),
        fact.choices.len()
    );

    // Answering whatever is asked from a reference case ends on its decision.
    let (id, situation) = cases()
        .into_iter()
        .find(|(id, _)| id == "requisition-judiciaire")
        .expect("case");
    let mut answers = serde_json::Map::new();
    for _ in 0..law.facts.len() + 1 {
        let r = post_json(
            &app.router,
            "/api/v1/interview",
            &json!({ "answers": answers }).to_string(),
        )
        .await;
        let body = r.json();
        if let Some(d) = body.get("decision") {
            let s = law.parse_situation(&situation, today()).unwrap();
            assert_eq!(
                d["verdict"],
                serde_json::to_value(law.decide(&s)).unwrap()["verdict"],
                "{id}"
            );
            return;
        }
        let fact = body["next"]["fact"].as_str().unwrap().to_string();
        let v = situation.get(&fact).unwrap_or_else(|| {
            panic!("{id}: the interview asks {fact}, which the case does not give")
        });
        answers.insert(fact, v.clone());
    }
    panic!("the interview never ends");
}

#[tokio::test]
async fn articles_list_and_versions() {
    let app = app().await;
    let law = sceau_law::law();
    let r = send(
        &app.router,
        Request::get("/api/v1/articles")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let list = r.json();
    assert_eq!(list.as_array().unwrap().len(), law.articles.len());

    // An article with several versions shows the one in force on the date asked.
    let art = law
        .articles
        .iter()
        .find(|a| a.versions.len() > 1 && a.versions[0].valid_until.is_some());
    if let Some(art) = art {
        let until = art.versions[0].valid_until.unwrap();
        for (date, index) in [(until, 0), (until.succ_opt().unwrap(), 1)] {
            let r = send(
                &app.router,
                Request::get(format!("/api/v1/articles/{}?as_of={date}", art.id))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK);
            let v = r.json();
            assert_eq!(v["as_of"], date.to_string());
            assert_eq!(
                v["version"]["valid_from"],
                json!(art.versions[index].valid_from.map(|d| d.to_string()))
            );
        }
    }
    let r = send(
        &app.router,
        Request::get("/api/v1/articles/csp:L1110-4:III")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "a paragraph identifier names its article"
    );
    assert_eq!(r.json()["id"], "csp:L1110-4");
    let r = send(
        &app.router,
        Request::get("/api/v1/articles/xx:999")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"], "not_found");
}

#[tokio::test]
async fn openapi_is_generated_and_matches_the_server() {
    let app = app().await;
    let law = sceau_law::law();
    let r = send(
        &app.router,
        Request::get("/api/v1/openapi.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for (path, method) in [
        ("/api/v1/decisions", "post"),
        ("/api/v1/interview", "post"),
        ("/api/v1/articles", "get"),
        ("/api/v1/articles/{id}", "get"),
        ("/api/v1/whoami", "get"),
        ("/api/v1/openapi.json", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} documented"
        );
    }
    let schemas = &doc["components"]["schemas"];
    // The situation's schema is built from the law's facts.
    let props = schemas["Situation"]["properties"].as_object().unwrap();
    for f in &law.facts {
        assert!(
            props.contains_key(&f.id),
            "fact {} in the Situation schema",
            f.id
        );
    }
    assert!(props.contains_key("as_of"));
    // The decision's schema lists exactly the fields the server returns.
    let r = post_json(
        &app.router,
        "/api/v1/decisions",
        r#"{"recipient": "procureur"}"#,
    )
    .await;
    let decision = r.json();
    let mut returned: Vec<&String> = decision.as_object().unwrap().keys().collect();
    let mut documented: Vec<&String> = schemas["DecisionDoc"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    returned.sort();
    documented.sort();
    assert_eq!(returned, documented);
    let mut trace_doc: Vec<&String> = schemas["TraceEntryDoc"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    trace_doc.sort();
    for entry in decision["trace"].as_array().unwrap() {
        for k in entry.as_object().unwrap().keys() {
            assert!(trace_doc.contains(&k), "trace field {k} documented");
        }
    }
    let verdicts: Vec<&str> = schemas["VerdictDoc"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for v in [
        "allowed",
        "forbidden",
        "not_required",
        "refer",
        "not_covered",
        "undetermined",
    ] {
        assert!(verdicts.contains(&v), "verdict {v} documented");
    }
}

#[tokio::test]
async fn malformed_requests_never_get_500() {
    let app = app().await;
    let deep = "[".repeat(60_000);
    let deep_obj = format!("{}{}", r#"{"a":"#.repeat(5_000), "}".repeat(5_000));
    let huge = format!(r#"{{"recipient": "{}"}}"#, "x".repeat(2 * 1024 * 1024));
    let bad_utf8: Vec<u8> = vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}'];
    let json = |path: &str, body: Vec<u8>| {
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let form = |path: &str, body: Vec<u8>| {
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let requests: Vec<(&str, Request<Body>)> = vec![
        ("bad JSON", json("/api/v1/decisions", b"{nope".to_vec())),
        (
            "bad JSON interview",
            json("/api/v1/interview", b"{\"answers\": ".to_vec()),
        ),
        (
            "wrong content type",
            Request::post("/api/v1/decisions")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{}"))
                .unwrap(),
        ),
        (
            "no content type",
            Request::post("/api/v1/decisions")
                .body(Body::from("{}"))
                .unwrap(),
        ),
        (
            "form to the API",
            form("/api/v1/decisions", b"recipient=procureur".to_vec()),
        ),
        (
            "huge body",
            json("/api/v1/decisions", huge.clone().into_bytes()),
        ),
        ("huge form", form("/connexion", huge.into_bytes())),
        (
            "deep array",
            json("/api/v1/decisions", deep.clone().into_bytes()),
        ),
        (
            "deep object",
            json("/api/v1/interview", deep_obj.into_bytes()),
        ),
        (
            "bad UTF-8 JSON",
            json("/api/v1/decisions", bad_utf8.clone()),
        ),
        ("bad UTF-8 form", form("/connexion", bad_utf8.clone())),
        (
            "bad UTF-8 interview form",
            form("/puis-je-le-dire", bad_utf8),
        ),
        ("deep form", form("/installation", deep.into_bytes())),
        (
            "unknown route",
            Request::get("/nulle-part").body(Body::empty()).unwrap(),
        ),
        (
            "unknown API route",
            Request::get("/api/v1/nulle-part")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "wrong method",
            Request::get("/api/v1/decisions")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "wrong method 2",
            Request::delete("/textes").body(Body::empty()).unwrap(),
        ),
        (
            "bad percent-encoding",
            Request::get("/textes/%FF%FE").body(Body::empty()).unwrap(),
        ),
        (
            "unknown article",
            Request::get("/textes/csp:Z0").body(Body::empty()).unwrap(),
        ),
        (
            "bad date",
            Request::get("/textes?date=31/02/2026")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "bad version",
            Request::get("/textes/csp:R4321-90?version=999999999999999999999")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "bad query",
            Request::get("/textes?q=%FF&date=%00")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "unknown static",
            Request::get("/static/../../etc/passwd")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "login without CSRF",
            form("/connexion", b"identifiant=a&mot_de_passe=b".to_vec()),
        ),
        (
            "setup without CSRF",
            form("/installation", b"cabinet=x".to_vec()),
        ),
        ("logout without session", form("/deconnexion", b"".to_vec())),
        (
            "interview without session",
            form("/puis-je-le-dire", b"a=recipient%3Dprocureur".to_vec()),
        ),
        (
            "admin without session",
            form("/administration", b"action=creer".to_vec()),
        ),
        (
            "garbage cookie",
            Request::get("/compte")
                .header(header::COOKIE, "sceau_session=%%%; ;;=; sceau_session=")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "bad bearer",
            Request::get("/api/v1/whoami")
                .header(header::AUTHORIZATION, "Bearer sceau_zz zz\t")
                .body(Body::empty())
                .unwrap(),
        ),
        ("JSON to a form", json("/connexion", b"{}".to_vec())),
    ];
    let expected = [
        ("bad JSON", 422),
        ("wrong content type", 415),
        ("no content type", 415),
        ("huge body", 413),
        ("huge form", 413),
        ("deep array", 422),
        ("deep object", 422),
        ("bad UTF-8 JSON", 422),
        ("unknown route", 404),
        ("unknown API route", 404),
        ("wrong method", 405),
        ("unknown article", 404),
        ("bad bearer", 401),
        ("login without CSRF", 403),
    ];
    for (what, req) in requests {
        let r = send(&app.router, req).await;
        assert!(
            !r.status.is_server_error(),
            "{what}: {} {}",
            r.status,
            r.text()
        );
        if let Some((_, code)) = expected.iter().find(|(w, _)| *w == what) {
            assert_eq!(r.status.as_u16(), *code, "{what}: {}", r.text());
        }
    }
    // The same with a signed-in session.
    let mut b = common::Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", common::ADMIN_PASSWORD).await;
    b.get("/puis-je-le-dire").await;
    let csrf = common::csrf_of(&b.last);
    for body in [
        format!("csrf={csrf}&a=recipient%3Dnobody"),
        format!("csrf={csrf}&a=nofact%3D1"),
        format!("csrf={csrf}&a=%FF%FE"),
        format!("csrf={csrf}&a"),
        format!("csrf={csrf}&action=modifier%3Aunknown"),
        format!("csrf={csrf}&action=suivant&question=recipient&reponse=nobody"),
        format!("csrf={csrf}&as_of=2026-02-30&action=date"),
        format!("csrf={csrf}&as_of=%00"),
        format!("csrf={csrf}&{}", "a=recipient%3Dprocureur&".repeat(2000)),
        "csrf=faux".to_string(),
        format!("csrf={csrf}&action=creer&role=pape"),
    ] {
        for path in [
            "/puis-je-le-dire",
            "/administration",
            "/administration/jetons",
            "/compte",
        ] {
            let r = b.post_raw(path, body.clone()).await;
            assert!(
                !r.status.is_server_error(),
                "{path} {body:.80}: {}",
                r.status
            );
        }
    }
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = app().await;
    for path in [
        "/",
        "/textes",
        "/connexion",
        "/api/v1/articles",
        "/nulle-part",
        "/static/sceau.css",
    ] {
        let r = send(&app.router, Request::get(path).body(Body::empty()).unwrap()).await;
        let h = |n: &str| {
            r.headers
                .get(n)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let csp = h("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(h("x-frame-options"), "DENY", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
    }
    // No inline script or style in the pages.
    for path in ["/", "/textes", "/connexion", "/installation"] {
        let html = send(&app.router, Request::get(path).body(Body::empty()).unwrap())
            .await
            .text();
        assert!(
            !html.contains("<style") && !html.contains("style=") && !html.contains("onclick"),
            "{path}"
        );
        for script in html.split("<script").skip(1) {
            assert!(
                script.trim_start().starts_with("src=\"/static/"),
                "{path}: inline script"
            );
        }
    }
}

#[tokio::test]
async fn open_endpoints_are_rate_limited() {
    let limits = sceau_web::Limits {
        api_per_minute: 1,
        api_burst: 3,
        ..generous()
    };
    let app = app_with(false, limits).await;
    let mut statuses = vec![];
    for _ in 0..5 {
        statuses.push(
            post_json(&app.router, "/api/v1/decisions", "{}")
                .await
                .status,
        );
    }
    assert_eq!(&statuses[..3], &[StatusCode::OK; 3]);
    assert_eq!(statuses[4], StatusCode::TOO_MANY_REQUESTS);
}

/// The texts (API and pages) are revalidated, not sent again: an `ETag` from the body,
/// `Cache-Control: private, no-cache`, and `304` without a body when the
/// client already holds this very version; another date is another body.
#[tokio::test]
async fn articles_answer_not_modified_to_their_etag() {
    let app = app().await;
    let get = |path: &str, tag: Option<&str>| {
        let mut req = Request::get(path);
        if let Some(t) = tag {
            req = req.header(header::IF_NONE_MATCH, t);
        }
        send(&app.router, req.body(Body::empty()).unwrap())
    };
    for path in [
        "/api/v1/articles",
        "/api/v1/articles/csp:R4321-90?as_of=2026-03-01",
        "/textes/csp:R4321-90?date=2026-03-01",
    ] {
        let first = get(path, None).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        assert_eq!(first.headers[header::CACHE_CONTROL], "private, no-cache");
        let tag = first.headers[header::ETAG].to_str().unwrap().to_string();
        assert!(tag.starts_with('"') && tag.len() == 34, "{tag}");
        let again = get(path, Some(&tag)).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.headers[header::ETAG], tag.as_str());
        let other = get(path, Some("\"0123\"")).await;
        assert_eq!(other.status, StatusCode::OK);
        assert_eq!(other.body, first.body);
    }
    let old = get("/api/v1/articles/csp:R4321-90?as_of=2025-06-01", None).await;
    let new = get("/api/v1/articles/csp:R4321-90?as_of=2026-03-01", None).await;
    assert_ne!(old.headers[header::ETAG], new.headers[header::ETAG]);
    let stale = get(
        "/api/v1/articles/csp:R4321-90?as_of=2026-03-01",
        Some(old.headers[header::ETAG].to_str().unwrap()),
    )
    .await;
    assert_eq!(stale.status, StatusCode::OK);
}
