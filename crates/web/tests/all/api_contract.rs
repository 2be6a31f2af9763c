//! The OpenAPI document against the API it describes: the values it
//! states for the register, the journal and the anonymiser are the ones
//! the API accepts (a client, or a property-based test, keeping to the
//! document is not refused), and the links of a record created lead, with
//! its identifier, to the operations that end it.

use crate::common;

use crate::common::{admin_token, app, json_req, patient_record};
use axum::http::StatusCode;
use serde_json::{json, Value};

async fn openapi(app: &common::App) -> Value {
    json_req(&app.router, "GET", "/api/v1/openapi.json", None, None)
        .await
        .json()
}

/// The string values of a property's `enum`, sorted (null left out).
fn values(schema: &Value, property: &str) -> Vec<String> {
    let p = &schema["properties"][property];
    let e = p["enum"]
        .as_array()
        .or(p["items"]["enum"].as_array())
        .unwrap_or_else(|| panic!("{property} has no enum: {p}"));
    let mut v: Vec<String> = e
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    v.sort();
    v
}

fn fact_values(fact: &str) -> Vec<String> {
    let mut v: Vec<String> = sceau_law::law()
        .fact(fact)
        .unwrap()
        .choices
        .iter()
        .map(|c| c.value.clone())
        .collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn new_patient(app: &common::App, tok: &str) -> Value {
    common::new_patient(
        &app.router,
        tok,
        json!({"display_name": "Patiente Contrat"}),
    )
    .await
}

/// The document states the law's recipients and purposes, the verdicts,
/// the corpus' texts and the ways of collecting a consent as enums, no
/// unknown key, and the API takes every value it states. (Before, these
/// fields were « a string »: generated bodies were refused by the
/// hundreds.)
#[tokio::test]
async fn every_value_the_document_states_is_accepted() {
    let app = app().await;
    let tok = admin_token(&app).await;
    let doc = openapi(&app).await;
    let schemas = &doc["components"]["schemas"];
    let (consent, opposition, entry) = (
        &schemas["ConsentInput"],
        &schemas["OppositionInput"],
        &schemas["JournalEntryInputDoc"],
    );
    for s in [consent, opposition, entry, &schemas["AnonymiseRequestDoc"]] {
        assert_eq!(s["additionalProperties"], json!(false), "{s}");
    }
    let recipients = fact_values("recipient");
    let purposes = fact_values("purpose");
    assert_eq!(values(consent, "recipient"), recipients);
    assert_eq!(values(consent, "purpose"), purposes);
    assert!(consent["properties"]["purpose"]["enum"]
        .as_array()
        .unwrap()
        .contains(&Value::Null));
    assert_eq!(
        values(consent, "method"),
        sorted(vec!["ecrit".into(), "electronique".into(), "oral".into()])
    );
    assert_eq!(
        values(opposition, "scope"),
        sorted([vec!["tout".to_string()], recipients.clone()].concat())
    );
    assert_eq!(
        values(entry, "recipient"),
        sorted([vec!["non_precise".to_string()], recipients.clone()].concat())
    );
    assert_eq!(
        values(entry, "purpose"),
        sorted(
            [
                vec!["non_precise".to_string(), "victime_informee".to_string()],
                purposes.clone()
            ]
            .concat()
        )
    );
    assert_eq!(values(entry, "verdict").len(), 6);
    assert_eq!(entry["properties"]["basis"]["maxItems"], json!(20));
    let basis = values(entry, "basis");
    assert!(basis.contains(&"cp:226-14:3".to_string()), "{basis:?}");

    let r = &app.router;
    let patient = new_patient(&app, &tok).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let post = |path: String, body: Value| {
        let tok = tok.clone();
        async move {
            let a = json_req(r, "POST", &path, Some(&tok), Some(body.clone())).await;
            assert!(a.status.is_success(), "{path} {body}: {}", a.text());
        }
    };
    let consents = format!("/api/v1/patients/{patient}/consents");
    let consent_of = |recipient: &str, purpose: Value, method: &str| json!({"recipient": recipient, "purpose": purpose, "what": "bilan", "method": method, "given_on": "2025-01-01"});
    for v in values(consent, "recipient") {
        post(consents.clone(), consent_of(&v, Value::Null, "oral")).await;
    }
    for v in values(consent, "purpose") {
        post(
            consents.clone(),
            consent_of("professionnel_hors_equipe", json!(v), "ecrit"),
        )
        .await;
    }
    for v in values(consent, "method") {
        post(
            consents.clone(),
            consent_of("professionnel_hors_equipe", Value::Null, &v),
        )
        .await;
    }
    for v in values(opposition, "scope") {
        post(
            format!("/api/v1/patients/{patient}/oppositions"),
            json!({"scope": v, "what": "tout le dossier", "since": "2025-01-01"}),
        )
        .await;
    }
    let entry_of = |recipient: &str, purpose: &str, verdict: &str, basis: &[String]| json!({"recipient": recipient, "purpose": purpose, "verdict": verdict, "basis": basis});
    for v in values(entry, "recipient") {
        let e = entry_of(&v, "signalement", "allowed", &[]);
        post("/api/v1/journal".into(), e).await;
    }
    for v in values(entry, "purpose") {
        let e = entry_of("procureur", &v, "allowed", &[]);
        post("/api/v1/journal".into(), e).await;
    }
    for v in values(entry, "verdict") {
        let e = entry_of("procureur", "signalement", &v, &[]);
        post("/api/v1/journal".into(), e).await;
    }
    for chunk in basis.chunks(20) {
        let e = entry_of("procureur", "signalement", "allowed", chunk);
        post("/api/v1/journal".into(), e).await;
    }
}

/// The operation of the document named `operation_id`: its path template
/// and method.
fn operation<'d>(doc: &'d Value, operation_id: &str) -> (&'d str, &'d str) {
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op["operationId"] == operation_id {
                return (path, method);
            }
        }
    }
    panic!("no operation {operation_id}")
}

/// The path a link leads to, its parameters read from the request made
/// (`$request.path.…`) and the response received (`$response.body#…`).
fn follow(doc: &Value, link: &Value, request: &[(&str, &str)], response: &Value) -> String {
    let id = link["operationId"]
        .as_str()
        .unwrap_or_else(|| panic!("a link names its operation: {link}"));
    let (template, method) = operation(doc, id);
    assert_eq!(method, "post", "{id}");
    let mut path = template.to_string();
    for (name, expression) in link["parameters"].as_object().unwrap() {
        let e = expression.as_str().unwrap();
        let value = if let Some(p) = e.strip_prefix("$request.path.") {
            request.iter().find(|(k, _)| *k == p).unwrap().1.to_string()
        } else if let Some(pointer) = e.strip_prefix("$response.body#") {
            response
                .pointer(pointer)
                .and_then(Value::as_str)
                .unwrap()
                .to_string()
        } else {
            panic!("{e}")
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    assert!(!path.contains('{'), "{path}");
    path
}

/// From a patient created, the links lead to the care team, the consents
/// and the oppositions; from each record created there, to the operation
/// that ends it, with the record's identifier: it answers 204, and the
/// record is ended. (Before, no answer carried a link: a client following
/// them, schemathesis' stateful phase among them, never ended a record.)
#[tokio::test]
async fn the_links_of_a_record_created_lead_to_its_end() {
    let app = app().await;
    let tok = admin_token(&app).await;
    let doc = openapi(&app).await;
    let r = &app.router;
    let patient = new_patient(&app, &tok).await;
    let id = patient["id"].as_str().unwrap();
    let patient_links = &doc["paths"]["/api/v1/patients"]["post"]["responses"]["201"]["links"];
    for (link, body, ends, ended) in [
        (
            "equipe",
            json!({"name": "Dr Anselme Crouzat", "profession": "médecin"}),
            "end_member",
            ("care_team", "until"),
        ),
        (
            "consentement",
            json!({"recipient": "professionnel_hors_equipe", "what": "bilan", "method": "oral", "given_on": "2025-01-01"}),
            "withdraw_consent",
            ("consents", "withdrawn_on"),
        ),
        (
            "opposition",
            json!({"scope": "tout", "what": "tout le dossier", "since": "2025-01-01"}),
            "lift_opposition",
            ("oppositions", "lifted_on"),
        ),
    ] {
        let create = follow(&doc, &patient_links[link], &[], &patient);
        let made = json_req(r, "POST", &create, Some(&tok), Some(body)).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
        let (template, _) = operation(&doc, patient_links[link]["operationId"].as_str().unwrap());
        let links = doc["paths"][template]["post"]["responses"]["201"]["links"]
            .as_object()
            .unwrap_or_else(|| panic!("{template} links to nothing"));
        assert_eq!(links.len(), 1, "{template}");
        let end = links.values().next().unwrap();
        assert_eq!(end["operationId"], ends);
        let path = follow(&doc, end, &[("id", id)], &made.json());
        let on = json!({"on": "2026-01-02"});
        let done = json_req(r, "POST", &path, Some(&tok), Some(on.clone())).await;
        assert_eq!(
            done.status,
            StatusCode::NO_CONTENT,
            "{path}: {}",
            done.text()
        );
        let record = patient_record(r, &tok, id).await;
        let (list, column) = ended;
        assert_eq!(record[list][0][column], "2026-01-02", "{record}");
        // Ended once: the link leads to nothing current any more.
        let again = json_req(r, "POST", &path, Some(&tok), Some(on)).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "{path}");
    }
}

/// The pseudonym table is documented field by field (the answer's and the
/// one sent back), and every `dates` the document states is accepted.
#[tokio::test]
async fn the_anonymiser_s_table_and_date_modes_are_the_documented_ones() {
    let app = app().await;
    let tok = admin_token(&app).await;
    let doc = openapi(&app).await;
    let table = &doc["components"]["schemas"]["BatchMapDoc"];
    assert_eq!(table["additionalProperties"], json!(false), "{table}");
    let mut documented: Vec<&String> = table["properties"].as_object().unwrap().keys().collect();
    documented.sort();
    let request = &doc["components"]["schemas"]["AnonymiseRequestDoc"];
    let modes = request["properties"]["dates"]["enum"].as_array().unwrap();
    assert!(modes.len() >= 3, "{modes:?}");
    let mut table_back = Value::Null;
    for mode in modes {
        let a = json_req(
            &app.router,
            "POST",
            "/api/v1/anonymise",
            Some(&tok),
            Some(json!({"text": "Mme Jeanne Kerbrat, vue le 3 mars 2025.", "dates": mode, "batch_map": table_back})),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{mode}: {}", a.text());
        table_back = a.json()["batch_map"].clone();
        let mut returned: Vec<&String> = table_back.as_object().unwrap().keys().collect();
        returned.sort();
        assert_eq!(returned, documented);
    }
    // Every field may be left out.
    let a = json_req(
        &app.router,
        "POST",
        "/api/v1/anonymise",
        Some(&tok),
        Some(json!({"text": "Mme Jeanne Kerbrat.", "batch_map": {"next_person": 3}})),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert!(
        a.json()["text"].as_str().unwrap().contains('D'),
        "{}",
        a.text()
    );
}

/// A journal entry's category of information holds at most the
/// document's `maxLength` characters as submitted, blanks included, and a
/// longer one is refused with a 422 naming the field. (Before, the text
/// was trimmed first: 500 letters padded with blanks were recorded,
/// though the document states they are not valid.)
#[tokio::test]
async fn the_information_is_at_most_its_documented_length_blanks_included() {
    let app = app().await;
    let tok = admin_token(&app).await;
    let doc = openapi(&app).await;
    let max = doc["components"]["schemas"]["JournalEntryInputDoc"]["properties"]["information"]
        ["maxLength"]
        .as_u64()
        .unwrap() as usize;
    let append = |information: String| {
        let body = json!({"recipient": "procureur", "purpose": "signalement", "verdict": "allowed", "information": information});
        json_req(
            &app.router,
            "POST",
            "/api/v1/journal",
            Some(&tok),
            Some(body),
        )
    };
    // Characters, not bytes: « é » is two bytes in UTF-8.
    let full = "é".repeat(max);
    let a = append(full.clone()).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    for padded in [
        format!("{full} "),
        format!("\u{a0}{full}"),
        format!("{full}\u{202f}"),
        " ".repeat(max + 1),
    ] {
        let a = append(padded).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
        let message = a.json()["message"].as_str().unwrap().to_string();
        assert!(message.starts_with("information\u{a0}:"), "{message}");
        assert!(message.contains(&max.to_string()), "{message}");
    }
}

/// The blanks ECMA-262 reads as `\s` (JSON Schema's regex dialect):
/// WhiteSpace (U+FEFF and every Zs among them) and LineTerminator.
const ECMA_SPACE: &str =
    r"[\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]";

/// A pattern of the document read as a JSON Schema validator reads it
/// (ECMA-262), not as the regex crate would: there `\s` is Unicode
/// White_Space, U+0085 in and U+FEFF out.
fn ecma(pattern: &str) -> regex::Regex {
    for escape in [r"\S", r"\d", r"\D", r"\w", r"\W", r"\b", r"\B", r"\\"] {
        assert!(
            !pattern.contains(escape),
            "{pattern}: {escape} is not read here as ECMA-262 reads it"
        );
    }
    regex::Regex::new(&pattern.replace(r"\s", ECMA_SPACE)).unwrap()
}

/// The RPPS number and the ground of a care-team member, and a consent's
/// RPPS, are accepted by the API exactly when the document's pattern
/// matches them, for every blank `str::trim` removes or ECMA-262 calls
/// `\s`, alone or around a valid value. (Before, the patterns said `\s`:
/// U+FEFF matched it though the API does not trim it, and U+0085, which
/// the API trims, did not.)
#[tokio::test]
async fn the_rpps_and_ground_patterns_are_what_the_api_accepts() {
    let app = app().await;
    let tok = admin_token(&app).await;
    let doc = openapi(&app).await;
    let schemas = &doc["components"]["schemas"];
    let pattern = |schema: &str, property: &str| {
        let p = &schemas[schema]["properties"][property]["pattern"];
        ecma(
            p.as_str()
                .unwrap_or_else(|| panic!("{schema}.{property}: {p}")),
        )
    };
    let (member_rpps, ground, consent_rpps) = (
        pattern("MemberInput", "rpps"),
        pattern("MemberInput", "ground"),
        pattern("ConsentInput", "rpps"),
    );
    let ecma_space = regex::Regex::new(&format!("^{ECMA_SPACE}$")).unwrap();
    let mut blanks: Vec<char> = ('\0'..='\u{ffff}')
        .filter(|c| c.is_whitespace() || ecma_space.is_match(&c.to_string()))
        .collect();
    // Blanks of other dialects (Python's `\s` holds U+001C–U+001F), a
    // former space (U+180E) and a zero-width one: refused by both.
    blanks.extend(['\u{1c}', '\u{1f}', '\u{180e}', '\u{200b}']);
    assert!(blanks.len() > 27, "{blanks:?}");
    let patient = new_patient(&app, &tok).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = &app.router;
    let accepted = |path: String, body: Value| {
        let tok = tok.clone();
        async move {
            let a = json_req(r, "POST", &path, Some(&tok), Some(body)).await;
            match a.status {
                StatusCode::CREATED => true,
                StatusCode::UNPROCESSABLE_ENTITY => false,
                s => panic!("{path}: {s} {}", a.text()),
            }
        }
    };
    let team = format!("/api/v1/patients/{patient}/care-team");
    let consents = format!("/api/v1/patients/{patient}/consents");
    for c in blanks {
        for rpps in [c.to_string(), format!("{c}10001234567{c}")] {
            let member =
                json!({"name": "Dr Anselme Crouzat", "profession": "médecin", "rpps": rpps});
            assert_eq!(
                accepted(team.clone(), member).await,
                member_rpps.is_match(&rpps),
                "care team, rpps {rpps:?}"
            );
            let consent = json!({"recipient": "professionnel_hors_equipe", "rpps": rpps, "what": "bilan", "method": "oral", "given_on": "2025-01-01"});
            assert_eq!(
                accepted(consents.clone(), consent).await,
                consent_rpps.is_match(&rpps),
                "consent, rpps {rpps:?}"
            );
        }
        for g in [c.to_string(), format!("{c}2{c}")] {
            let member =
                json!({"name": "Dr Anselme Crouzat", "profession": "médecin", "ground": g});
            assert_eq!(
                accepted(team.clone(), member).await,
                ground.is_match(&g),
                "care team, ground {g:?}"
            );
        }
    }
}
