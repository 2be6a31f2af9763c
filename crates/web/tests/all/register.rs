//! The register through the pages and the API: patients, care team,
//! consents, oppositions, questions about a registered patient, the journal
//! and its exports; isolation between practices; encryption at rest. Runs
//! on SQLite, or on PostgreSQL with SCEAU_TEST_DATABASE_URL.

use crate::common;

use crate::common::{
    app, json_req, new_patient, patient_record, token_for, Browser, ADMIN_PASSWORD,
};
use axum::http::StatusCode;
use serde_json::{json, Value};

const NAME: &str = "Hermengarde Quiblier-Fontanel";
const MEMBER: &str = "Dr Anselme Crouzat";

fn between_all<'h>(html: &'h str, start: &str, end: &str) -> Vec<&'h str> {
    let mut out = vec![];
    let mut rest = html;
    while let Some(i) = rest.find(start) {
        let tail = &rest[i + start.len()..];
        let v = tail.split(end).next().unwrap();
        out.push(v);
        rest = &tail[v.len()..];
    }
    out
}

/// The preferred answer to a question in these tests.
fn answer(fact: &str) -> &'static str {
    match fact {
        "actor" => "masseur_kinesitherapeute",
        "actor_context" => "liberal",
        "purpose" => "coordination_soins",
        "recipient" => "professionnel_hors_equipe",
        "info_obtained_in_practice"
        | "info_strictly_necessary"
        | "recipient_bound_by_secrecy"
        | "recipient_participates_in_care" => "true",
        "patient_consent" => "non_demande",
        _ => "false",
    }
}

/// Runs the interview from its current page to a decision; returns the decision page.
async fn answer_until_decision(b: &mut Browser<'_>) -> String {
    for _ in 0..40 {
        let html = b.last.clone();
        if html.contains("class=\"decision\"") {
            return html;
        }
        let fact = common::between(&html, "data-fact=\"", "\"").expect("a question");
        let fact = fact.to_string();
        let value = answer(&fact);
        let mut fields: Vec<(String, String)> = between_all(&html, "name=\"a\" value=\"", "\"")
            .into_iter()
            .map(|v| ("a".to_string(), v.to_string()))
            .collect();
        for k in ["patient", "destinataire"] {
            if let Some(v) = common::between(&html, &format!("name=\"{k}\" value=\""), "\"") {
                fields.push((k.into(), v.into()));
            }
        }
        fields.push(("action".into(), "suivant".into()));
        fields.push(("question".into(), fact.clone()));
        fields.push(("reponse".into(), value.into()));
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let r = b.post_follow("/puis-je-le-dire", &f).await;
        assert_eq!(r.status, StatusCode::OK, "{fact}: {}", r.text());
    }
    panic!("no decision after 40 questions");
}

async fn create_patient(b: &mut Browser<'_>) -> String {
    b.get("/patients").await;
    let r = b
        .post(
            "/patients",
            &[
                ("nom", NAME),
                ("naissance", "2015-03-02"),
                ("reference", "REF-77"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let loc = r.location();
    let id = loc
        .strip_prefix("/patients/")
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    assert!(id.starts_with("pat_"), "{loc}");
    id
}

#[tokio::test]
async fn register_pages_from_patient_to_journal_and_an_opposition_forbids() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let id = create_patient(&mut b).await;
    let r = b.get(&format!("/patients/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains(NAME) && r.text().contains("REF-77"));

    // Care team, consent.
    let path = format!("/patients/{id}");
    let r = b
        .post(
            &path,
            &[
                ("action", "equipe"),
                ("nom", MEMBER),
                ("profession", "médecin généraliste"),
                ("rpps", "10001234567"),
                ("fondement", "2"),
                ("depuis", "2025-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    b.get(&path).await;
    let r = b
        .post(
            &path,
            &[
                ("action", "consentement"),
                ("destinataire", "professionnel_hors_equipe"),
                ("professionnel", "Mme Odile Brun, ergothérapeute"),
                ("quoi", "bilan de rééducation"),
                ("finalite", "coordination_soins"),
                ("mode", "ecrit"),
                ("le", "2025-06-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = b.get(&path).await.text();
    assert!(page.contains(MEMBER) && page.contains("Mme Odile Brun"));
    let consent = common::between(&page, "data-consent=\"", "\"")
        .unwrap()
        .to_string();
    let member = common::between(&page, "data-member=\"", "\"")
        .unwrap()
        .to_string();
    // Invalid input is refused with a message, nothing recorded.
    let r = b
        .post(
            &path,
            &[
                ("action", "equipe"),
                ("nom", "X"),
                ("profession", "Y"),
                ("rpps", "123"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("RPPS"));

    // Ask about this patient, recipient: the professional of the consent.
    let r = b
        .get(&format!(
            "/puis-je-le-dire?patient={id}&destinataire={consent}"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = answer_until_decision(&mut b).await;
    for fact in [
        "patient_consent",
        "patient_minor",
        "patient_alive",
        "patient_opposition",
        "recipient",
    ] {
        assert!(
            html.contains(&format!("data-register-fact=\"{fact}\"")),
            "{fact} from the register: {html}"
        );
    }
    assert!(html.contains("data-verdict=\"allowed\""), "{html}");
    // The register's facts were not asked.
    assert!(!html.contains("name=\"a\" value=\"patient_consent="));

    // An answer that contradicts the register is refused on the page, as the
    // API refuses it (one policy, `sceau_app::situation`): named, not kept.
    let r = b
        .get(&format!(
            "/puis-je-le-dire?patient={id}&destinataire={consent}&a=purpose%3Dcoordination_soins&a=patient_consent%3Drefuse"
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let page = r.text();
    assert!(page.contains("contredit le registre"), "{page}");
    assert!(!page.contains("value=\"patient_consent=refuse\""), "{page}");

    // Record the disclosure from the decision page.
    let mut fields: Vec<(String, String)> = between_all(&html, "name=\"a\" value=\"", "\"")
        .into_iter()
        .map(|v| ("a".into(), v.into()))
        .collect();
    fields.push(("patient".into(), id.clone()));
    fields.push(("destinataire".into(), consent.clone()));
    fields.push(("geste".into(), "disclosed".into()));
    fields.push(("information".into(), "bilan de rééducation".into()));
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = b.post("/journal", &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/journal?enregistre=1");
    let j = b.get("/journal?enregistre=1").await.text();
    assert!(j.contains("data-journal=\"intact\""), "{j}");
    assert!(j.contains("data-seq=\"1\"") && j.contains("data-verdict=\"allowed\""));
    assert!(j.contains(NAME) && j.contains("bilan de rééducation"));
    let p = b.get(&path).await.text();
    assert!(
        p.contains("data-seq=\"1\""),
        "the patient's page lists the entry"
    );

    // A care-team member as recipient: équipe de soins, participates in care.
    b.get(&format!(
        "/puis-je-le-dire?patient={id}&destinataire={member}"
    ))
    .await;
    let html = answer_until_decision(&mut b).await;
    assert!(html.contains("data-register-fact=\"recipient_participates_in_care\""));

    // An opposition: the same question becomes forbidden.
    b.get(&path).await;
    let r = b
        .post(
            &path,
            &[
                ("action", "opposition"),
                ("portee", "tout"),
                ("quoi", "refuse tout partage de son dossier"),
                ("depuis", "2025-07-01"),
                ("informe_le", "2025-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    b.get(&format!(
        "/puis-je-le-dire?patient={id}&destinataire={consent}"
    ))
    .await;
    let html = answer_until_decision(&mut b).await;
    assert!(html.contains("data-verdict=\"forbidden\""), "{html}");
    assert!(html.contains("csp:L1110-4:IV"));

    // Exports.
    let r = b.get("/journal/export.jsonl").await;
    assert_eq!(r.status, StatusCode::OK);
    let lines: Vec<Value> = r
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["type"], "header");
    assert!(lines.iter().any(|l| l["type"] == "anchor" && l["seq"] == 1));
    assert!(lines
        .iter()
        .any(|l| l["type"] == "verification" && l["intact"] == true));
    let r = b.get(&format!("/patients/{id}/journal.jsonl")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("\"seq\":1"));
    let r = b.get(&format!("/patients/{id}/fhir.json")).await;
    let bundle: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(bundle["entry"].as_array().unwrap().len(), 2);
    let r = b.get("/journal/fhir.json").await;
    let bundle: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(bundle["entry"][0]["resource"]["resourceType"], "AuditEvent");

    // Nothing in clear in the SQLite files.
    if common::is_sqlite() {
        for f in ["sceau.sqlite", "sceau.sqlite-wal"] {
            let bytes = std::fs::read(app.dir.path().join(f)).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            for secret in [
                NAME,
                "Quiblier",
                "REF-77",
                "bilan de rééducation",
                "refuse tout partage",
            ] {
                assert!(!text.contains(secret), "{secret} in clear in {f}");
            }
        }
    }
}

#[tokio::test]
async fn register_api_and_decisions_about_a_registered_patient() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let (tok, _) = token_for(&app, "alice").await;
    let r = &app.router;
    let p = new_patient(
        r,
        &tok,
        json!({"display_name": NAME, "birth_date": "1950-02-03"}),
    )
    .await;
    let id = p["id"].as_str().unwrap().to_string();
    let m = json_req(
        r,
        "POST",
        &format!("/api/v1/patients/{id}/care-team"),
        Some(&tok),
        Some(json!({"name": MEMBER, "profession": "médecin", "since": "2024-01-01"})),
    )
    .await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.text());
    let member = m.json()["id"].as_str().unwrap().to_string();
    let c = json_req(r, "POST", &format!("/api/v1/patients/{id}/consents"), Some(&tok), Some(json!({
        "recipient": "professionnel_hors_equipe", "what": "bilan", "method": "electronique", "given_on": "2025-01-01"
    }))).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text());
    let consent = c.json()["id"].as_str().unwrap().to_string();
    // Unknown values and fields are refused without echoing them.
    let bad = json_req(r, "POST", &format!("/api/v1/patients/{id}/consents"), Some(&tok), Some(json!({
        "recipient": "voisin-secret", "what": "bilan", "method": "oral", "given_on": "2025-01-01"
    }))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!bad.text().contains("voisin-secret"));
    let bad = json_req(
        r,
        "POST",
        "/api/v1/patients",
        Some(&tok),
        Some(json!({"display_name": "x", "champ_inconnu": 1})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An unknown key is never repeated, even a plain one: « champ inconnu ».
    assert!(!bad.text().contains("champ_inconnu"), "{}", bad.text());
    assert!(bad.text().contains("Champ inconnu"), "{}", bad.text());

    let rec = patient_record(r, &tok, &id).await;
    assert_eq!(rec["patient"]["display_name"], NAME);
    assert_eq!(rec["care_team"][0]["name"], MEMBER);
    assert_eq!(rec["consents"][0]["method"], "electronique");

    let situation = json!({
        "actor": "masseur_kinesitherapeute", "purpose": "coordination_soins",
        "recipient": "professionnel_hors_equipe", "info_obtained_in_practice": true,
        "info_strictly_necessary": true, "as_of": "2026-03-01", "recipient_participates_in_care": true,
        "patient": id,
    });
    // Naming a patient needs a token.
    let d = json_req(
        r,
        "POST",
        "/api/v1/decisions",
        None,
        Some(situation.clone()),
    )
    .await;
    assert_eq!(d.status, StatusCode::UNAUTHORIZED);
    let d = json_req(
        r,
        "POST",
        "/api/v1/decisions",
        Some(&tok),
        Some(situation.clone()),
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text());
    let d = d.json();
    let facts: Vec<(String, String)> = d["register_facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["fact"].as_str().unwrap().into(),
                f["value"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        facts.contains(&("patient_consent".into(), "obtenu".into())),
        "{facts:?}"
    );
    assert!(facts.contains(&("patient_minor".into(), "false".into())));
    assert!(facts.contains(&("patient_alive".into(), "true".into())));
    assert!(facts.contains(&("patient_opposition".into(), "false".into())));
    assert_eq!(d["verdict"], "allowed", "{d}");
    // A contradiction with the register is an error naming the field.
    let mut contra = situation.clone();
    contra["patient_consent"] = json!("refuse");
    let e = json_req(r, "POST", "/api/v1/decisions", Some(&tok), Some(contra)).await;
    assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e.json()["error"], "register_conflict");
    // The care-team member as recipient.
    let d = json_req(
        r,
        "POST",
        "/api/v1/decisions",
        Some(&tok),
        Some(json!({"patient": id, "recipient_ref": member, "purpose": "coordination_soins"})),
    )
    .await
    .json();
    assert!(
        d["register_facts"]
            .to_string()
            .contains("recipient_participates_in_care"),
        "{d}"
    );
    // The interview asks only the rest.
    let i = json_req(
        r,
        "POST",
        "/api/v1/interview",
        Some(&tok),
        Some(json!({"answers": {}, "patient": id, "recipient_ref": consent})),
    )
    .await;
    assert_eq!(i.status, StatusCode::OK, "{}", i.text());
    let i = i.json();
    let asked = i["next"]["fact"].as_str().unwrap_or("");
    assert!(
        ![
            "patient_consent",
            "patient_minor",
            "patient_alive",
            "patient_opposition",
            "recipient"
        ]
        .contains(&asked),
        "{i}"
    );

    // Journal through the API.
    let j = json_req(r, "POST", "/api/v1/journal", Some(&tok), Some(json!({
        "recipient": "professionnel_hors_equipe", "purpose": "coordination_soins", "verdict": "allowed",
        "basis": ["csp:L1110-4:III"], "information": "bilan", "patient": id
    }))).await;
    assert_eq!(j.status, StatusCode::CREATED, "{}", j.text());
    assert_eq!(j.json()["seq"], 1);
    let v = json_req(r, "GET", "/api/v1/journal/verify", Some(&tok), None)
        .await
        .json();
    assert_eq!(v["intact"], true);
    let l = json_req(r, "GET", "/api/v1/journal", Some(&tok), None)
        .await
        .json();
    assert_eq!(l[0]["information"], "bilan");
    let x = json_req(r, "GET", "/api/v1/journal/export", Some(&tok), None).await;
    assert!(x.text().lines().count() >= 4);
    let x = json_req(
        r,
        "GET",
        &format!("/api/v1/patients/{id}/journal"),
        Some(&tok),
        None,
    )
    .await;
    assert!(x.text().contains("\"type\":\"entry\""));
    // Opposition, then withdrawal and lifting.
    let o = json_req(
        r,
        "POST",
        &format!("/api/v1/patients/{id}/oppositions"),
        Some(&tok),
        Some(json!({"scope": "tout", "what": "tout", "since": "2026-01-01"})),
    )
    .await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text());
    let d = json_req(
        r,
        "POST",
        "/api/v1/decisions",
        Some(&tok),
        Some(situation.clone()),
    )
    .await
    .json();
    assert_eq!(d["verdict"], "forbidden", "{d}");
    let opp = o.json()["id"].as_str().unwrap().to_string();
    let w = json_req(
        r,
        "POST",
        &format!("/api/v1/patients/{id}/oppositions/{opp}/lift"),
        Some(&tok),
        Some(json!({"on": "2026-02-01"})),
    )
    .await;
    assert_eq!(w.status, StatusCode::NO_CONTENT);
    let w = json_req(
        r,
        "POST",
        &format!("/api/v1/patients/{id}/consents/{consent}/withdraw"),
        Some(&tok),
        Some(json!({"on": "2026-02-01"})),
    )
    .await;
    assert_eq!(w.status, StatusCode::NO_CONTENT);
    let d = json_req(
        r,
        "POST",
        "/api/v1/decisions",
        Some(&tok),
        Some(situation.clone()),
    )
    .await
    .json();
    assert!(
        d["register_facts"].to_string().contains("\"refuse\""),
        "{d}"
    );
    let w = json_req(
        r,
        "POST",
        &format!("/api/v1/patients/{id}/care-team/{member}/end"),
        Some(&tok),
        None,
    )
    .await;
    assert_eq!(w.status, StatusCode::NO_CONTENT);

    // The OpenAPI description lists the register.
    let doc = json_req(r, "GET", "/api/v1/openapi.json", None, None)
        .await
        .json();
    for path in [
        "/api/v1/patients",
        "/api/v1/patients/{id}",
        "/api/v1/patients/{id}/consents",
        "/api/v1/patients/{id}/oppositions",
        "/api/v1/patients/{id}/care-team",
        "/api/v1/journal",
        "/api/v1/journal/verify",
        "/api/v1/journal/export",
        "/api/v1/journal/fhir",
        "/api/v1/patients/{id}/fhir",
        "/api/v1/patients/{id}/journal",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from OpenAPI"
        );
    }
}

#[tokio::test]
async fn another_practice_gets_404_and_learns_nothing() {
    let app = app().await;
    let mut a = Browser::new(&app.router);
    a.setup_admin().await;
    a.login("alice", ADMIN_PASSWORD).await;
    let id = create_patient(&mut a).await;
    let store = app.state.store();
    let bob = store
        .create_practice("Cabinet Voisin", "bob", "Bob", ADMIN_PASSWORD)
        .await
        .unwrap();
    let (tok_a, _) = token_for(&app, "alice").await;
    let (tok_b, _) = token_for(&app, "bob").await;
    let r = &app.router;
    let c = json_req(r, "POST", &format!("/api/v1/patients/{id}/consents"), Some(&tok_a), Some(json!({
        "recipient": "professionnel_hors_equipe", "what": "bilan", "method": "oral", "given_on": "2025-01-01"
    }))).await.json();
    let consent = c["id"].as_str().unwrap().to_string();
    let o = json_req(
        r,
        "POST",
        &format!("/api/v1/patients/{id}/oppositions"),
        Some(&tok_a),
        Some(json!({"scope": "tout", "what": "x", "since": "2025-01-01"})),
    )
    .await
    .json();
    let opp = o["id"].as_str().unwrap().to_string();
    json_req(r, "POST", "/api/v1/journal", Some(&tok_a), Some(json!({"recipient": "procureur", "purpose": "signalement", "verdict": "allowed", "basis": ["cp:226-14:3"], "information": "constatations", "patient": id}))).await;

    let fake = "pat_0123456789abcdef0123456789abcdef";
    let reference = json_req(
        r,
        "GET",
        &format!("/api/v1/patients/{fake}"),
        Some(&tok_b),
        None,
    )
    .await;
    assert_eq!(reference.status, StatusCode::NOT_FOUND);
    let probes: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", format!("/api/v1/patients/{id}"), None),
        (
            "POST",
            format!("/api/v1/patients/{id}/care-team"),
            Some(json!({"name": "X", "profession": "Y"})),
        ),
        (
            "POST",
            format!("/api/v1/patients/{id}/consents"),
            Some(
                json!({"recipient": "professionnel_hors_equipe", "what": "x", "method": "oral", "given_on": "2025-01-01"}),
            ),
        ),
        (
            "POST",
            format!("/api/v1/patients/{id}/consents/{consent}/withdraw"),
            None,
        ),
        (
            "POST",
            format!("/api/v1/patients/{id}/oppositions"),
            Some(json!({"scope": "tout", "what": "x", "since": "2025-01-01"})),
        ),
        (
            "POST",
            format!("/api/v1/patients/{id}/oppositions/{opp}/lift"),
            None,
        ),
        ("GET", format!("/api/v1/patients/{id}/journal"), None),
        ("GET", format!("/api/v1/patients/{id}/fhir"), None),
        (
            "POST",
            "/api/v1/decisions".into(),
            Some(json!({"patient": id})),
        ),
        (
            "POST",
            "/api/v1/interview".into(),
            Some(json!({"answers": {}, "patient": id})),
        ),
        (
            "POST",
            "/api/v1/journal".into(),
            Some(
                json!({"recipient": "procureur", "purpose": "signalement", "verdict": "allowed", "patient": id}),
            ),
        ),
    ];
    for (method, path, body) in probes {
        let res = json_req(r, method, &path, Some(&tok_b), body).await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            res.text()
        );
        assert_eq!(
            res.body, reference.body,
            "{method} {path}: the 404 says more than for an unknown id"
        );
        assert!(!res.text().contains(NAME) && !res.text().contains(&id));
    }
    // B's lists and journal hold nothing of A's.
    let l = json_req(r, "GET", "/api/v1/patients", Some(&tok_b), None).await;
    assert_eq!(l.json(), json!([]));
    let j = json_req(r, "GET", "/api/v1/journal", Some(&tok_b), None).await;
    assert_eq!(j.json(), json!([]));
    let x = json_req(r, "GET", "/api/v1/journal/export", Some(&tok_b), None)
        .await
        .text();
    assert!(!x.contains(&id) && !x.contains("constatations"));
    // A's data is untouched by B's attempts.
    let rec = patient_record(r, &tok_a, &id).await;
    assert!(rec["consents"][0]["withdrawn_on"].is_null());
    assert!(rec["oppositions"][0]["lifted_on"].is_null());
    assert_eq!(rec["care_team"], json!([]));

    // The pages too.
    let mut bb = Browser::new(&app.router);
    bb.login_in(bob.practice_id, "bob", ADMIN_PASSWORD).await;
    for path in [
        format!("/patients/{id}"),
        format!("/patients/{id}/journal.jsonl"),
        format!("/patients/{id}/fhir.json"),
        format!("/puis-je-le-dire?patient={id}"),
    ] {
        let res = bb.get(&path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!res.text().contains(NAME));
    }
    let list = bb.get("/patients").await.text();
    assert!(!list.contains(NAME) && !list.contains(&id));
    let journal = bb.get("/journal").await.text();
    assert!(!journal.contains(&id) && !journal.contains("constatations"));
    bb.get("/patients").await;
    let res = bb
        .post(
            &format!("/patients/{id}"),
            &[
                ("action", "opposition"),
                ("portee", "tout"),
                ("quoi", "x"),
                ("depuis", "2025-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

/// The patient's page at a glance (issue 19): care team, consents,
/// oppositions, disclosures and the duties that follow a report about this
/// patient — shown, done from the page, journaled under the patient.
#[tokio::test]
async fn the_patients_page_shows_its_pending_duties_and_they_are_done_there() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let id = create_patient(&mut b).await;
    let page = b.get(&format!("/patients/{id}")).await.text();
    assert!(page.contains("data-count=\"obligations\">0<"), "{page}");
    assert!(page.contains(&format!("href=\"/signalement?patient={id}\"")));
    // The report form opened from the page names the patient and the victim.
    let form = b.get(&format!("/signalement?patient={id}")).await.text();
    assert!(
        form.contains(&format!("<option value=\"{id}\" selected>")),
        "{form}"
    );
    assert_eq!(
        common::field_value(&form, "victime_nom").as_deref(),
        Some(NAME)
    );
    let report = common::field_value(&form, "rapport").unwrap();
    // The case of every report test, about this patient, the recipient's
    // address typed (the directory is empty).
    let mut case = common::report_case();
    case.extend_from_slice(&[
        ("rapport", report.as_str()),
        ("patient", id.as_str()),
        ("victime_nom", NAME),
        ("annuaire", "saisie"),
        (
            "adresse_destinataire",
            "Parquet\n1 rue du Palais\n69005 Lyon",
        ),
    ]);
    let r = b.post("/signalement", &case).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let url = format!("/signalement/rapports/{report}");
    mark_sent(&mut b, &url).await;
    let today = today();
    // At a glance: one disclosure, one pending duty, with its form.
    let page = b.get(&format!("/patients/{id}")).await.text();
    assert!(page.contains("data-count=\"obligations\">1<"), "{page}");
    assert!(page.contains("data-count=\"revelations\">1<"), "{page}");
    let duty = between_all(&page, "data-duty=\"", "\"")[0].to_string();
    assert!(duty.starts_with("dut_"));
    let r = b
        .post(
            &format!("/obligations/{duty}"),
            &[
                ("le", today.as_str()),
                ("comment", "en séance"),
                ("depuis", "patient"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), format!("/patients/{id}?ok=obligation"));
    let page = b.get(&r.location()).await.text();
    assert!(page.contains("data-count=\"obligations\">0<"), "{page}");
    assert!(
        page.contains(&format!("data-duty-done=\"{duty}\"")),
        "{page}"
    );
    // Both the report and the victim informed are on the patient's journal.
    assert_eq!(
        between_all(&page, "<tr data-seq=\"", "\"").len(),
        2,
        "{page}"
    );
    // Done: no form left to do it again.
    assert!(!page.contains("data-duty=\""));
}

/// Refused register forms keep what was typed in their own fields (issue
/// 19), never in the message; the account form never keeps a password.
#[tokio::test]
async fn refused_register_and_account_forms_keep_what_was_typed() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    b.get("/patients").await;
    let r = b
        .post(
            "/patients",
            &[
                ("nom", NAME),
                ("naissance", "2015-02-31"),
                ("reference", "REF-<b>"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert_eq!(common::field_value(&html, "nom").as_deref(), Some(NAME));
    assert_eq!(
        common::field_value(&html, "reference").as_deref(),
        Some("REF-&lt;b&gt;"),
        "escaped"
    );
    assert!(!common::alert(&html).contains(NAME));
    // A patient's page: the care team form with a wrong date keeps the rest.
    let id = create_patient(&mut b).await;
    b.get(&format!("/patients/{id}")).await;
    let r = b
        .post(
            &format!("/patients/{id}"),
            &[
                ("action", "equipe"),
                ("nom", MEMBER),
                ("profession", "médecin traitant"),
                ("depuis", "hier"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert_eq!(
        common::field_value(&html, "profession").as_deref(),
        Some("médecin traitant")
    );
    assert!(html.contains(&format!("value=\"{MEMBER}\"")));
    assert!(
        html.contains("<details class=\"add\" open>"),
        "the form is open"
    );
    assert!(!common::alert(&html).contains(MEMBER));
    // The accounts form: the name and login kept, never the password.
    b.get("/administration").await;
    let r = b
        .post(
            "/administration",
            &[
                ("action", "creer"),
                ("nom", "Bérénice Trouvé"),
                ("identifiant", "berenice"),
                ("role", "kinesitherapeute"),
                ("mot_de_passe", "court"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert_eq!(
        common::field_value(&html, "nom").as_deref(),
        Some("Bérénice Trouvé")
    );
    assert_eq!(
        common::field_value(&html, "identifiant").as_deref(),
        Some("berenice")
    );
    assert!(!html.contains("court\""), "a password is never typed back");
}

/// Audit findings 5 and 7: a refused JSON body never comes back in the
/// answer — not a string nor a number put in the wrong field, not an
/// unknown key. The answer names the field (or « champ inconnu ») and the
/// kind of problem. Before, serde's message put numbers in place of a field
/// name (« champ « 2610375123456 » ») and the anonymiser, the decisions and
/// the interview repeated an unknown key.
#[tokio::test]
async fn refused_api_bodies_never_repeat_a_value_or_an_unknown_key() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let (tok, _) = token_for(&app, "alice").await;
    let r = &app.router;
    let p = json_req(
        r,
        "POST",
        "/api/v1/patients",
        Some(&tok),
        Some(json!({"display_name": NAME})),
    )
    .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text());
    let id = p.json()["id"].as_str().unwrap().to_string();
    let entry = |k: &str, v: Value| {
        let mut e = json!({"recipient": "procureur", "purpose": "signalement", "verdict": "allowed", "basis": ["cp:226-14:3"]});
        e[k] = v;
        e
    };
    // (path, body, what must not come back, what the message must name)
    let cases: Vec<(String, Value, &str, &str)> = vec![
        (
            "/api/v1/patients".into(),
            json!({"display_name": "X Y", "reference": 2610375123456u64}),
            "2610375123456",
            "reference",
        ),
        (
            "/api/v1/patients".into(),
            json!({"display_name": "X Y", "birth_date": 19610304}),
            "19610304",
            "birth_date",
        ),
        (
            "/api/v1/patients".into(),
            json!({"display_name": "X Y", "Mme ZORGLUB Canarinette": 1}),
            "ZORGLUB",
            "inconnu",
        ),
        (
            format!("/api/v1/patients/{id}/care-team"),
            json!({"name": "A B", "profession": "médecin", "rpps": 10101010101u64}),
            "10101010101",
            "rpps",
        ),
        (
            format!("/api/v1/patients/{id}/consents"),
            json!({"recipient": "famille_proches", "what": "x", "method": "oral", "given_on": 20250101}),
            "20250101",
            "given_on",
        ),
        (
            "/api/v1/journal".into(),
            entry("basis", json!("ZORGLUB Canarinette a un cancer")),
            "ZORGLUB",
            "basis",
        ),
        (
            "/api/v1/journal".into(),
            entry("information", json!(12345678901u64)),
            "12345678901",
            "information",
        ),
        (
            "/api/v1/journal".into(),
            entry("ZORGLUB", json!(1)),
            "ZORGLUB",
            "inconnu",
        ),
        (
            "/api/v1/anonymise".into(),
            json!({"text": "x", "Mme ZORGLUB Canarinette": 1}),
            "ZORGLUB",
            "inconnu",
        ),
        (
            "/api/v1/decisions".into(),
            json!({"ZORGLUB": true}),
            "ZORGLUB",
            "inconnu",
        ),
        (
            "/api/v1/interview".into(),
            json!({"answers": {}, "ZORGLUB": 1}),
            "ZORGLUB",
            "inconnu",
        ),
        (
            "/api/v1/interview".into(),
            json!({"answers": {"ZORGLUB": true}}),
            "ZORGLUB",
            "inconnu",
        ),
    ];
    for (path, body, hidden, named) in cases {
        let a = json_req(r, "POST", &path, Some(&tok), Some(body.clone())).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {body}: {}",
            a.text()
        );
        let text = a.text();
        assert!(
            !text.contains(hidden),
            "{path} {body}: the answer repeats {hidden}: {text}"
        );
        assert!(
            !text.contains("invalid type") && !text.contains("unknown field"),
            "{path}: serde's own words: {text}"
        );
        let message = a.json()["message"].as_str().unwrap_or_default().to_string();
        assert!(
            message.contains(named),
            "{path} {body}: the message names {named}: {message}"
        );
    }
}

/// Audit finding 6 on the API: a journal entry whose recipient, purpose,
/// verdict or basis is not the law's word gets a French 422 naming the
/// field, and nothing is written (before: 201, « PIVOINEX » kept in clear).
#[tokio::test]
async fn the_api_journal_takes_only_the_law_s_vocabulary() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let (tok, practice) = token_for(&app, "alice").await;
    let r = &app.router;
    let ok = json!({"recipient": "procureur", "purpose": "signalement", "verdict": "allowed", "basis": ["cp:226-14:3"]});
    let cases = [
        ("recipient", json!("PIVOINEX")),
        ("purpose", json!("continuite_des_soins")),
        ("verdict", json!("PIVOINEX")),
        ("basis", json!(["ZORGLUB"])),
        ("basis", json!(["cp:226-14:ZORGLUB"])),
    ];
    for (field, value) in cases {
        let mut body = ok.clone();
        body[field] = value.clone();
        let a = json_req(r, "POST", "/api/v1/journal", Some(&tok), Some(body)).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            a.text()
        );
        let m = a.json()["message"].as_str().unwrap().to_string();
        assert!(m.contains(&format!("«\u{a0}{field}\u{a0}»")), "{m}");
        assert!(
            !a.text().contains("PIVOINEX")
                && !a.text().contains("ZORGLUB")
                && !a.text().contains("continuite_des_soins"),
            "{}",
            a.text()
        );
    }
    assert!(app
        .state
        .store()
        .journal_raw(practice)
        .await
        .unwrap()
        .is_empty());
    let a = json_req(r, "POST", "/api/v1/journal", Some(&tok), Some(ok)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
}

/// Finding 12 of the 2026-11-30 audit: the register's search was a GET
/// form (`/patients?q=<name>`): the name stayed in the browser's history,
/// its suggestions and any proxy's log. The search is now posted, and a
/// `q` in the URL searches nothing.
#[tokio::test]
async fn the_register_is_searched_by_a_posted_form_never_by_the_url() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    create_patient(&mut b).await;
    b.get("/patients").await;
    let r = b
        .post("/patients", &[("nom", "Octave Brissac"), ("reference", "")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = b.get("/patients?q=Quiblier").await.text();
    assert_eq!(between_all(&page, "data-patient=\"", "\"").len(), 2);
    assert!(!page.contains("data-found="), "{page}");
    assert!(!page.contains("method=\"get\""), "{page}");
    let r = b
        .post("/patients", &[("action", "rechercher"), ("q", "quibliér")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let found = r.text();
    assert!(found.contains("data-found=\"1\""), "{found}");
    assert!(found.contains(NAME) && !found.contains("Octave Brissac"));
    assert_eq!(app.state.store().list_patients(1).await.unwrap().len(), 2);
}

/// Today, as the date fields take it.
fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// Marks the report at `url` « relu », then « envoyé » by post today.
async fn mark_sent(b: &mut Browser<'_>, url: &str) {
    b.get(url).await;
    assert_eq!(
        b.post(url, &[("action", "relu")]).await.status,
        StatusCode::SEE_OTHER
    );
    let today = today();
    let r = b
        .post(
            url,
            &[
                ("action", "envoye"),
                ("le", today.as_str()),
                ("moyen", "courrier"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

/// Drafts a report from the form (the recipient's address typed) and
/// returns its page's address.
async fn draft_report(b: &mut Browser<'_>, victim: &str) -> String {
    let form = b.get("/signalement").await.text();
    let report = common::field_value(&form, "rapport").unwrap();
    let mut case = common::report_case();
    case.extend_from_slice(&[
        ("rapport", report.as_str()),
        ("victime_nom", victim),
        ("annuaire", "saisie"),
        (
            "adresse_destinataire",
            "Parquet\n1 rue du Palais\n69005 Lyon",
        ),
    ]);
    let r = b.post("/signalement", &case).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    format!("/signalement/rapports/{report}")
}

/// French no-break spaces as plain ones.
fn plain(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

async fn count(pool: &sqlx::AnyPool, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Finding 7 of the 2026-11-30 HTTP audit: a drafted report (the victim's
/// name, the observations, the words quoted) is kept encrypted in the
/// database and could not be deleted. A report not sent (« brouillon » or
/// « relu ») is now deleted from its page, the box of confirmation ticked:
/// its row is gone, its page answers 404, and nothing is journaled (it was
/// never disclosed). A sent report cannot be deleted.
#[tokio::test]
async fn a_report_not_sent_is_deleted_after_confirmation_a_sent_one_is_not() {
    const VICTIM: &str = "Capucine Brouillonnet";
    let app = app().await;
    let pool = common::raw(&app).await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;

    let url = draft_report(&mut b, VICTIM).await;
    let page = b.get(&url).await.text();
    assert!(page.contains(VICTIM), "{page}");
    assert!(
        page.contains("name=\"action\" value=\"supprimer\""),
        "the draft offers deletion: {page}"
    );
    let journal = count(&pool, "SELECT COUNT(*) FROM journal_entries").await;

    // The button alone deletes nothing: the box must be ticked.
    let r = b.post(&url, &[("action", "supprimer")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(
        common::alert(&r.text()),
        "Pour supprimer ce brouillon, cochez la case de confirmation."
    );
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM reports").await, 1);

    let r = b
        .post(&url, &[("action", "supprimer"), ("certifie", "oui")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/signalement/rapports?ok=supprime");
    let list = b.get(&r.location()).await.text();
    assert!(
        plain(&list)
            .contains("Le brouillon est supprimé : son texte n’est plus dans la base du cabinet."),
        "{list}"
    );
    assert!(!list.contains("data-report=\""), "{list}");
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM reports").await, 0);
    assert_eq!(b.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM journal_entries").await,
        journal,
        "a deleted draft is not journaled"
    );
    // Deleted twice: not found.
    b.get("/signalement/rapports").await;
    let r = b
        .post(&url, &[("action", "supprimer"), ("certifie", "oui")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // « Relu », not sent: deleted as well.
    let url = draft_report(&mut b, VICTIM).await;
    b.get(&url).await;
    assert_eq!(
        b.post(&url, &[("action", "relu")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(b.get(&url).await.text().contains("value=\"supprimer\""));
    let r = b
        .post(&url, &[("action", "supprimer"), ("certifie", "oui")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM reports").await, 0);

    // Sent: no deletion offered, and refused if asked.
    let url = draft_report(&mut b, VICTIM).await;
    mark_sent(&mut b, &url).await;
    let page = b.get(&url).await.text();
    assert!(!page.contains("value=\"supprimer\""), "{page}");
    let r = b
        .post(&url, &[("action", "supprimer"), ("certifie", "oui")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        plain(&common::alert(&r.text())),
        "Ce signalement est déjà envoyé : il reste dans le registre, avec son entrée au journal."
    );
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM reports").await, 1);
}

/// The register facts the interview's API takes for `patient` with `answers`.
async fn interview_facts(
    app: &common::App,
    tok: &str,
    patient: &str,
    answers: Value,
) -> Vec<(String, String)> {
    let i = json_req(
        &app.router,
        "POST",
        "/api/v1/interview",
        Some(tok),
        Some(json!({"answers": answers, "patient": patient})),
    )
    .await;
    assert_eq!(i.status, StatusCode::OK, "{}", i.text());
    i.json()["register_facts"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| {
            (
                f["fact"].as_str().unwrap_or_default().into(),
                f["value"].as_str().unwrap_or_default().into(),
            )
        })
        .collect()
}

/// Audit finding 3, the audit's SQL: a consent moved to another patient
/// and an opposition lifted without the key feed no decision (the
/// interview asks) and show « Altéré » on the patient page.
#[tokio::test]
async fn a_consent_or_an_opposition_changed_without_the_key_feeds_no_decision() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let (tok, _) = token_for(&app, "alice").await;
    let r = &app.router;
    let mut ids = vec![];
    for name in ["Patient Alpha", "Patient Beta"] {
        let p = json_req(
            r,
            "POST",
            "/api/v1/patients",
            Some(&tok),
            Some(json!({"display_name": name})),
        )
        .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.text());
        ids.push(p.json()["id"].as_str().unwrap().to_string());
    }
    let (pa, pb) = (&ids[0], &ids[1]);
    let o = json_req(
        r,
        "POST",
        &format!("/api/v1/patients/{pa}/oppositions"),
        Some(&tok),
        Some(json!({
            "scope": "tout", "what": "aucun partage", "since": "2025-01-01"
        })),
    )
    .await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text());
    let c = json_req(r, "POST", &format!("/api/v1/patients/{pa}/consents"), Some(&tok), Some(json!({
        "recipient": "professionnel_hors_equipe", "what": "bilan", "method": "ecrit", "given_on": "2025-01-01"
    }))).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text());
    let consent = c.json()["id"].as_str().unwrap().to_string();
    let to_pro = json!({"recipient": "professionnel_hors_equipe"});
    let before = interview_facts(&app, &tok, pa, json!({})).await;
    assert!(
        before.contains(&("patient_opposition".into(), "true".into())),
        "{before:?}"
    );
    let before_b = interview_facts(&app, &tok, pb, to_pro.clone()).await;
    assert!(
        !before_b.iter().any(|(f, _)| f == "patient_consent"),
        "{before_b:?}"
    );

    let pool = common::raw(&app).await;
    sqlx::query("UPDATE oppositions SET lifted_on = '2026-11-03'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE consents SET patient_id = $1 WHERE id = $2")
        .bind(pb)
        .bind(&consent)
        .execute(&pool)
        .await
        .unwrap();

    // Not known: neither lifted (false) nor in force; the question is asked.
    let after = interview_facts(&app, &tok, pa, json!({})).await;
    assert!(
        !after.iter().any(|(f, _)| f == "patient_opposition"),
        "{after:?}"
    );
    let after_b = interview_facts(&app, &tok, pb, to_pro).await;
    assert!(
        !after_b.iter().any(|(f, _)| f == "patient_consent"),
        "{after_b:?}"
    );
    // The moved consent names no recipient either.
    let i = json_req(
        r,
        "POST",
        "/api/v1/interview",
        Some(&tok),
        Some(json!({"answers": {}, "patient": pb, "recipient_ref": consent})),
    )
    .await;
    assert_ne!(i.status, StatusCode::OK, "{}", i.text());

    b.login("alice", ADMIN_PASSWORD).await;
    let page_a = b.get(&format!("/patients/{pa}")).await;
    assert_eq!(page_a.status, StatusCode::OK);
    let page_a = page_a.text();
    assert!(page_a.contains("data-altered>Altérée</strong>"), "{page_a}");
    assert!(page_a.contains("pas encore attestée"), "{page_a}");
    assert!(page_a.contains("data-count=\"oppositions\">0<"), "{page_a}");
    let page_b = b.get(&format!("/patients/{pb}")).await.text();
    assert!(page_b.contains("data-altered>Altéré</strong>"), "{page_b}");
    assert!(
        page_b.contains("data-count=\"consentements\">0<"),
        "{page_b}"
    );
    assert!(!page_b.contains("Enregistrer le retrait"), "{page_b}");
}

/// Audit finding 6, the audit's SQL: a death and a birth erased, a member
/// inserted in the care team, a duty marked done and an archiving written
/// without the key feed no decision (alive and minor are unknown, the
/// intruder is not a member: the interview asks), the duty stays on the
/// home page, the patient stays in the list, and the patient page marks
/// each « Altéré ».
#[tokio::test]
async fn care_team_dates_duties_and_archiving_changed_without_the_key_feed_no_decision() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let (tok, _) = token_for(&app, "alice").await;
    let r = &app.router;
    let p = json_req(
        r,
        "POST",
        "/api/v1/patients",
        Some(&tok),
        Some(json!({"display_name": "Patient Gamma", "birth_date": "2015-05-05", "deceased_on": "2025-01-02"})),
    )
    .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text());
    let pid = p.json()["id"].as_str().unwrap().to_string();
    let practice = 1;
    pending_duty(
        &app,
        practice,
        "Informer Adulte VICTIMEGAMMA du signalement",
        Some(&pid),
    )
    .await;
    let before = interview_facts(&app, &tok, &pid, json!({})).await;
    assert!(
        before.contains(&("patient_alive".into(), "false".into()))
            && before.contains(&("patient_minor".into(), "true".into())),
        "{before:?}"
    );

    let pool = common::raw(&app).await;
    sqlx::query("UPDATE patients SET deceased_on = NULL, birth_date = NULL WHERE id = $1")
        .bind(&pid)
        .execute(&pool)
        .await
        .unwrap();
    let intruder = "eqp_00000000000000000000000000000001";
    sqlx::query(
        "INSERT INTO care_team (id, practice_id, patient_id, name, profession, created_at)
         VALUES ($1, $2, $3, 'M. INTRUS', 'assureur', 1796014786)",
    )
    .bind(intruder)
    .bind(practice)
    .bind(&pid)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE duties SET done_on = '2026-11-30'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO patient_archive (patient_id, practice_id, archived_at, archived_by) VALUES ($1, $2, 1796014786, 'kine')",
    )
    .bind(&pid)
    .bind(practice)
    .execute(&pool)
    .await
    .unwrap();

    // Neither alive nor dead, of no known age: the interview asks.
    let after = interview_facts(&app, &tok, &pid, json!({})).await;
    assert!(
        !after
            .iter()
            .any(|(f, _)| f == "patient_alive" || f == "patient_minor"),
        "{after:?}"
    );
    // The inserted member is no recipient.
    let i = json_req(
        r,
        "POST",
        "/api/v1/interview",
        Some(&tok),
        Some(json!({"answers": {"purpose": "coordination_soins"}, "patient": pid, "recipient_ref": intruder})),
    )
    .await;
    assert_eq!(i.status, StatusCode::OK, "{}", i.text());
    let facts = i.json()["register_facts"].to_string();
    assert!(
        !facts.contains("recipient") && !facts.contains("M. INTRUS"),
        "{facts}"
    );

    b.login("alice", ADMIN_PASSWORD).await;
    let page = b.get(&format!("/patients/{pid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(
        page.contains("data-altered=\"dates\">Altérées</strong>"),
        "{page}"
    );
    assert!(
        page.contains("data-altered=\"archivage\">Altéré</strong>"),
        "{page}"
    );
    assert!(page.contains("data-altered>Altéré</strong>"), "{page}");
    assert!(page.contains("data-count=\"equipe\">0<"), "{page}");
    assert!(page.contains("data-count=\"obligations\">1<"), "{page}");
    assert!(!page.contains("Retirer de l’équipe"), "{page}");
    let home = b.get("/").await.text();
    assert!(home.contains("VICTIMEGAMMA"), "{home}");
    assert!(home.contains("data-altered>Altérée</strong>"), "{home}");
    let list = b.get("/patients").await.text();
    assert!(list.contains("Patient Gamma"), "{list}");
}

/// Audit finding 9, the audit's SQL: one duty row that does not decrypt no
/// longer hides every pending duty of the home page; it is marked
/// « Illisible » and the others are shown.
#[tokio::test]
async fn a_damaged_duty_row_does_not_hide_the_others_on_the_home_page() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let practice = 1;
    pending_duty(
        &app,
        practice,
        "Informer Adulte VICTIMEDELTA du signalement",
        None,
    )
    .await;
    let pool = common::raw(&app).await;
    sqlx::query(
        "INSERT INTO duties (id, practice_id, kind, subject, created_at, created_by)
         SELECT 'dut_damaged', practice_id, kind, $1, created_at, created_by FROM duties",
    )
    .bind(vec![0u8, 0x11, 0x22, 0x33])
    .execute(&pool)
    .await
    .unwrap();
    b.login("alice", ADMIN_PASSWORD).await;
    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let home = home.text();
    assert!(home.contains("VICTIMEDELTA"), "{home}");
    assert!(home.contains("Obligation illisible"), "{home}");
}

/// A duty to inform the victim, as a sent report leaves one.
async fn pending_duty(app: &common::App, practice: i64, subject: &str, patient: Option<&str>) {
    app.state
        .store()
        .add_duty(
            practice,
            "alice",
            "inform_victim_of_report",
            subject,
            patient,
        )
        .await
        .unwrap();
}

/// Schema 22: an opposition deleted by SQL without the key is not read as
/// « no opposition » by the interview, and the patient page says that a
/// row was deleted; an older signed duty row put back (a duty done undone)
/// is « Altérée », pending, and not completed again. Before schema 21 the
/// interview answered `patient_opposition` false and the page showed
/// nothing. Ordinary writes (an opposition, a lifting, a withdrawal, a
/// duty done) still go through, and a patient with no rows still reads.
#[tokio::test]
async fn a_row_deleted_or_put_back_without_the_key_is_not_taken_as_absent_or_current() {
    use sqlx::Row;
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let (tok, _) = token_for(&app, "alice").await;
    let r = &app.router;
    let mut ids = vec![];
    for name in ["Patient Epsilon", "Patient Zeta"] {
        let p = json_req(
            r,
            "POST",
            "/api/v1/patients",
            Some(&tok),
            Some(json!({"display_name": name})),
        )
        .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.text());
        ids.push(p.json()["id"].as_str().unwrap().to_string());
    }
    let (pid, empty) = (&ids[0], &ids[1]);
    let mut opp = vec![];
    for _ in 0..2 {
        let o = json_req(
            r,
            "POST",
            &format!("/api/v1/patients/{pid}/oppositions"),
            Some(&tok),
            Some(json!({"scope": "tout", "what": "aucun partage", "since": "2025-01-01"})),
        )
        .await;
        assert_eq!(o.status, StatusCode::CREATED, "{}", o.text());
        opp.push(o.json()["id"].as_str().unwrap().to_string());
    }
    let c = json_req(r, "POST", &format!("/api/v1/patients/{pid}/consents"), Some(&tok), Some(json!({
        "recipient": "professionnel_hors_equipe", "what": "bilan", "method": "ecrit", "given_on": "2025-01-01"
    }))).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text());
    let consent = c.json()["id"].as_str().unwrap().to_string();
    let store = app.state.store();
    let today = chrono::Utc::now().date_naive();
    // A lifting and a withdrawal: ordinary writes, believed.
    store.lift_opposition(1, pid, &opp[1], today).await.unwrap();
    store
        .withdraw_consent(1, pid, &consent, today)
        .await
        .unwrap();
    pending_duty(
        &app,
        1,
        "Informer Adulte VICTIMEEPSILON du signalement",
        Some(pid),
    )
    .await;
    let duty = store.patient_duties(1, pid).await.unwrap()[0].id.clone();
    let pool = common::raw(&app).await;
    let duty_before = sqlx::query("SELECT mac FROM duties WHERE id = $1")
        .bind(&duty)
        .fetch_one(&pool)
        .await
        .unwrap()
        .get::<String, _>(0);
    store
        .complete_duty(1, "alice", &duty, today, "oralement")
        .await
        .unwrap();
    let before = interview_facts(&app, &tok, pid, json!({})).await;
    assert!(
        before.contains(&("patient_opposition".into(), "true".into())),
        "{before:?}"
    );
    let none = interview_facts(&app, &tok, empty, json!({})).await;
    assert!(
        none.contains(&("patient_opposition".into(), "false".into())),
        "{none:?}"
    );

    // The intruder deletes the opposition in force and puts the duty back
    // as it was before it was done.
    sqlx::query("DELETE FROM oppositions WHERE id = $1")
        .bind(&opp[0])
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE duties SET done_on = NULL, done_how = NULL, done_at = NULL, done_by = NULL, mac = $1 WHERE id = $2",
    )
    .bind(&duty_before)
    .bind(&duty)
    .execute(&pool)
    .await
    .unwrap();

    // Not « no opposition » (the lifted one alone would say so): unknown.
    let after = interview_facts(&app, &tok, pid, json!({})).await;
    assert!(
        !after.iter().any(|(f, _)| f == "patient_opposition"),
        "{after:?}"
    );
    b.login("alice", ADMIN_PASSWORD).await;
    let page = b.get(&format!("/patients/{pid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(page.contains("Élément supprimé hors de Sceau"), "{page}");
    assert!(
        page.contains(&format!("data-opposition=\"{}\" data-deleted", opp[0])),
        "{page}"
    );
    assert!(
        page.contains("Opposition supprimée hors de Sceau"),
        "{page}"
    );
    // The duty put back is pending, « Altérée », with no form to complete it.
    assert!(page.contains("data-count=\"obligations\">1<"), "{page}");
    assert!(page.contains("data-altered>Altérée</strong>"), "{page}");
    assert!(
        !page.contains(&format!("action=\"/obligations/{duty}\"")),
        "{page}"
    );
    assert!(store
        .complete_duty(1, "alice", &duty, today, "x")
        .await
        .is_err());
    // The patient with no rows reads as before, and takes writes.
    let other = b.get(&format!("/patients/{empty}")).await.text();
    assert!(!other.contains("data-deleted"), "{other}");
    assert!(!other.contains("data-altered"), "{other}");
    let o = json_req(
        r,
        "POST",
        &format!("/api/v1/patients/{empty}/oppositions"),
        Some(&tok),
        Some(json!({"scope": "tout", "what": "aucun partage", "since": "2025-01-01"})),
    )
    .await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text());
}
