//! The use cases on the real law: the account's profession decides which
//! exceptions a report may rest on, and an answer that contradicts the
//! register is refused with the fact it contradicts.

use chrono::NaiveDate;
use sceau_app::reports::signalement_facts;
use sceau_app::situation::{complete_with_register, RegisterError};
use sceau_app::Record;
use sceau_engine::Verdict;
use sceau_store::register::{Consent, Patient};
use sceau_store::Role;
use serde_json::{json, Value};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// A report on violence within a couple (CP 226-14 3°), as the web's form
/// gives it, completed with the facts of the account.
fn couple_violence_report(role: Role) -> Value {
    let mut s = signalement_facts(role);
    for (k, v) in [
        ("as_of", json!("2026-12-01")),
        ("recipient", json!("procureur")),
        ("patient_minor", json!(false)),
        ("violence_within_couple", json!(true)),
        ("violence_kind", json!("physique")),
        ("life_in_immediate_danger", json!(true)),
        ("victim_under_emprise", json!(true)),
        ("patient_consent", json!("refuse")),
    ] {
        s.insert(k.into(), v);
    }
    Value::Object(s)
}

fn cites(d: &sceau_engine::Decision, id: &str) -> bool {
    serde_json::to_value(d).unwrap()["basis"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b.as_str() == Some(id) || b["id"].as_str() == Some(id))
}

#[test]
fn a_students_report_is_not_decided_under_the_health_professionals_exception() {
    let law = sceau_law::law();
    let mk = law.decide(
        &law.parse_situation(&couple_violence_report(Role::Kinesitherapeute), day())
            .unwrap(),
    );
    assert_eq!(mk.verdict, Verdict::Allowed);
    assert!(cites(&mk, "cp:226-14:3"), "{:?}", mk.basis);
    // CP 226-14 3° is for « le médecin ou tout autre professionnel de santé »:
    // a student is not one, so the student's report cannot rest on it.
    for role in [Role::Etudiant, Role::Assistant] {
        let d = law.decide(
            &law.parse_situation(&couple_violence_report(role), day())
                .unwrap(),
        );
        assert!(!cites(&d, "cp:226-14:3"), "{role:?}: {:?}", d.basis);
        assert_ne!(d.verdict, Verdict::Allowed, "{role:?}");
    }
}

fn record_with_consent() -> Record {
    Record {
        patient: Patient {
            id: "pat_test".into(),
            display_name: "Patient".into(),
            birth_date: NaiveDate::from_ymd_opt(1980, 1, 1),
            reference: None,
            deceased_on: None,
            created_at: 0,
            unreadable: false,
            dates_altered: false,
            record_altered: false,
        },
        team: vec![],
        consents: vec![Consent {
            id: "cst_1".into(),
            patient: "pat_test".into(),
            recipient: "professionnel_hors_equipe".into(),
            professional: Some("Dr Martin".into()),
            rpps: None,
            what: "bilan".into(),
            purpose: None,
            method: "ecrit".into(),
            given_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            until: None,
            withdrawn_on: None,
            created_at: 0,
            altered: false,
            unreadable: false,
            deleted: false,
        }],
        oppositions: vec![],
    }
}

#[test]
fn an_answer_that_contradicts_the_register_is_refused_naming_the_fact() {
    let law = sceau_law::law();
    let rec = record_with_consent();
    let given = json!({"as_of": "2026-12-01", "actor": "masseur_kinesitherapeute",
        "recipient": "professionnel_hors_equipe", "patient_consent": "refuse"});
    let mut s = law.parse_situation(&given, day()).unwrap();
    let known = s.known(law);
    match complete_with_register(law, &mut s, &rec, None, &known) {
        Err(RegisterError::Conflict(c)) => {
            assert_eq!(c.fact, "patient_consent");
            assert_eq!(c.given, "refuse");
            assert_eq!(c.register, "obtenu");
            assert!(c.source.contains("consentement recueilli"), "{}", c.source);
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn the_register_completes_what_was_not_answered() {
    let law = sceau_law::law();
    let rec = record_with_consent();
    let given = json!({"as_of": "2026-12-01", "actor": "masseur_kinesitherapeute",
        "recipient": "professionnel_hors_equipe"});
    let mut s = law.parse_situation(&given, day()).unwrap();
    let known = s.known(law);
    let supplied = complete_with_register(law, &mut s, &rec, None, &known).unwrap();
    let facts: Vec<(&str, &str)> = supplied
        .iter()
        .map(|f| (f.fact.as_str(), f.value.as_str()))
        .collect();
    assert!(facts.contains(&("patient_consent", "obtenu")), "{facts:?}");
    assert!(facts.contains(&("patient_minor", "false")), "{facts:?}");
    assert!(
        facts.contains(&("patient_opposition", "false")),
        "{facts:?}"
    );
    let after = s.known(law);
    assert!(
        after.contains(&("patient_consent".into(), "obtenu".into())),
        "{after:?}"
    );
}

#[test]
fn a_reference_to_another_record_is_refused() {
    let law = sceau_law::law();
    let rec = record_with_consent();
    let mut s = law
        .parse_situation(&json!({"as_of": "2026-12-01"}), day())
        .unwrap();
    assert_eq!(
        complete_with_register(law, &mut s, &rec, Some("cst_other"), &[]),
        Err(RegisterError::UnknownRecipient)
    );
}
