//! FHIR R4 (4.0.1) exports: consents and oppositions as `Consent`
//! resources, journal entries as `AuditEvent` resources, each set in a
//! `Bundle` of type `collection`. Codes are taken from HL7's code systems;
//! Sceau's own identifiers (recipient categories, purposes) use `urn:sceau:`
//! systems.

use sceau_store::journal::JournalEntry;
use sceau_store::register::{Consent, Opposition, Patient, OPPOSITION_ALL};
use serde_json::{json, Value};

const PATIENT_SYSTEM: &str = "urn:sceau:patient";
const RECIPIENT_SYSTEM: &str = "urn:sceau:recipient";
const PURPOSE_SYSTEM: &str = "urn:sceau:purpose";

/// FHIR ids allow `[A-Za-z0-9-.]` only.
fn fhir_id(id: &str) -> String {
    id.replace('_', "-")
}

fn date(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn patient_ref(p: &Patient) -> Value {
    json!({ "identifier": { "system": PATIENT_SYSTEM, "value": p.id }, "display": format!("Patient {}", p.id) })
}

fn scope() -> Value {
    json!({ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy", "display": "Privacy Consent" }] })
}

fn category() -> Value {
    json!([{ "coding": [{ "system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent" }] }])
}

/// A consent to share outside the care team (CSP L.1110-4 III).
pub fn consent(p: &Patient, c: &Consent, today: chrono::NaiveDate) -> Value {
    let mut period = json!({ "start": date(c.given_on) });
    if let Some(u) = c.until.or(c.withdrawn_on) {
        period["end"] = json!(date(u));
    }
    let mut actor = json!({
        "role": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP", "display": "information recipient" }] },
        "reference": { "display": c.professional.clone().unwrap_or_else(|| c.recipient.replace('_', " ")) },
    });
    if let Some(r) = &c.rpps {
        actor["reference"]["identifier"] =
            json!({ "system": "urn:oid:1.2.250.1.71.4.2.1", "value": format!("8{r}") });
    }
    let mut provision = json!({
        "type": "permit",
        "period": period,
        "actor": [actor],
        "class": [{ "system": RECIPIENT_SYSTEM, "code": c.recipient }],
    });
    if let Some(purpose) = &c.purpose {
        provision["purpose"] = json!([{ "system": PURPOSE_SYSTEM, "code": purpose }]);
    }
    let status = if c.withdrawn_on.is_some_and(|w| w <= today) || c.until.is_some_and(|u| u < today)
    {
        "inactive"
    } else {
        "active"
    };
    json!({
        "resourceType": "Consent",
        "id": fhir_id(&c.id),
        "extension": [{ "url": "urn:sceau:fhir:consent-collection-method", "valueCode": c.method }],
        "status": status,
        "scope": scope(),
        "category": category(),
        "patient": patient_ref(p),
        "dateTime": date(c.given_on),
        "policy": [{ "authority": "https://www.legifrance.gouv.fr", "uri": "urn:sceau:law:csp:L1110-4:III" }],
        "policyRule": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN", "display": "opt-in" }], "text": c.what },
        "provision": provision,
    })
}

/// An opposition to exchange and sharing (CSP L.1110-4 IV): a `deny` consent.
pub fn opposition(p: &Patient, o: &Opposition, today: chrono::NaiveDate) -> Value {
    let mut period = json!({ "start": date(o.since) });
    if let Some(l) = o.lifted_on {
        period["end"] = json!(date(l));
    }
    let mut provision = json!({ "type": "deny", "period": period });
    if o.scope != OPPOSITION_ALL {
        provision["class"] = json!([{ "system": RECIPIENT_SYSTEM, "code": o.scope }]);
    }
    let mut ext = vec![];
    if let Some(i) = o.informed_on {
        ext.push(
            json!({ "url": "urn:sceau:fhir:informed-of-right-to-oppose", "valueDate": date(i) }),
        );
    }
    let status = if o.lifted_on.is_some_and(|l| l <= today) {
        "inactive"
    } else {
        "active"
    };
    let mut v = json!({
        "resourceType": "Consent",
        "id": fhir_id(&o.id),
        "status": status,
        "scope": scope(),
        "category": category(),
        "patient": patient_ref(p),
        "dateTime": date(o.since),
        "policy": [{ "authority": "https://www.legifrance.gouv.fr", "uri": "urn:sceau:law:csp:L1110-4:IV" }],
        "policyRule": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTOUT", "display": "opt-out" }], "text": o.what },
        "provision": provision,
    });
    if !ext.is_empty() {
        v["extension"] = json!(ext);
    }
    v
}

/// One journal entry as an `AuditEvent`.
pub fn audit_event(practice: &str, practice_name: &str, e: &JournalEntry) -> Value {
    let recorded = chrono::DateTime::from_timestamp(e.at, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let mut details = vec![
        json!({ "type": "action", "valueString": e.action }),
        json!({ "type": "verdict", "valueString": e.verdict }),
        json!({ "type": "seq", "valueString": e.seq.to_string() }),
        json!({ "type": "hash", "valueString": e.hash }),
    ];
    for b in &e.basis {
        details.push(json!({ "type": "basis", "valueString": b }));
    }
    let mut entities = vec![json!({
        "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "2", "display": "System Object" },
        "name": format!("journal-{practice}-{}", e.seq),
        "description": e.information.clone().unwrap_or_else(|| "(indéchiffrable)".into()),
        "detail": details,
    })];
    if let Some(p) = &e.patient {
        entities.insert(0, json!({
            "what": { "identifier": { "system": PATIENT_SYSTEM, "value": p } },
            "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "1", "display": "Person" },
            "role": { "system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "1", "display": "Patient" },
        }));
    }
    json!({
        "resourceType": "AuditEvent",
        "id": format!("journal-{practice}-{}", e.seq),
        "type": { "system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110106", "display": "Export" },
        "action": "E",
        "recorded": recorded,
        "outcome": "0",
        "outcomeDesc": if e.action == "disclosed" { "information communiquée" } else { "communication refusée" },
        "purposeOfEvent": [{ "coding": [{ "system": PURPOSE_SYSTEM, "code": e.purpose }] }],
        "agent": [
            {
                "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "AUT", "display": "author (originator)" }] },
                "who": { "display": e.author },
                "requestor": true,
            },
            {
                "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP", "display": "information recipient" }] },
                "who": { "identifier": { "system": RECIPIENT_SYSTEM, "value": e.recipient } },
                "requestor": false,
            }
        ],
        "source": { "site": practice_name, "observer": { "display": format!("Sceau — cabinet {practice}") } },
        "entity": entities,
    })
}

/// A `collection` bundle of resources.
pub fn bundle(resources: Vec<Value>) -> Value {
    let entry: Vec<Value> = resources
        .into_iter()
        .map(|r| {
            let url = format!(
                "urn:sceau:{}:{}",
                r["resourceType"].as_str().unwrap_or("Resource"),
                r["id"].as_str().unwrap_or("")
            );
            json!({ "fullUrl": url, "resource": r })
        })
        .collect();
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "entry": entry,
    })
}
