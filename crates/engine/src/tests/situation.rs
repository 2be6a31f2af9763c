//! `situation` and `input`: the contract's JSON read into masks, errors
//! naming the field, and the situation the rules see.

use super::{date, law};
use crate::input::SituationError;

#[test]
fn a_situation_reads_its_facts_and_its_date() {
    let law = law();
    let s = law
        .parse_situation_str(
            r#"{"actor": "student", "consent": true, "danger": null, "as_of": "2021-03-01"}"#,
            date(2026, 11, 28),
        )
        .unwrap();
    assert_eq!((s.as_of, s.as_of_given), (date(2021, 3, 1), true));
    assert_eq!(
        s.known(&law),
        [
            ("actor".to_string(), "student".to_string()),
            ("consent".to_string(), "true".to_string())
        ]
    );
    assert_eq!(
        serde_json::Value::Object(s.to_json(&law)).to_string(),
        r#"{"as_of":"2021-03-01","actor":"student","consent":true}"#
    );
    // Without `as_of`, the date is the one the caller gives.
    let s = law.parse_situation_str("{}", date(2026, 11, 28)).unwrap();
    assert_eq!((s.as_of, s.as_of_given), (date(2026, 11, 28), false));
    assert!(s.known(&law).is_empty());
}

fn error(text: &str) -> SituationError {
    law()
        .parse_situation_str(text, date(2026, 11, 28))
        .expect_err("refused")
}

#[test]
fn a_wrong_value_is_refused_naming_the_field_and_the_values() {
    let e = error(r#"{"recipient": "maire"}"#);
    assert_eq!(e.error, "unknown_value");
    assert_eq!(e.field.as_deref(), Some("recipient"));
    assert_eq!(e.accepted, ["judge", "family"]);
    assert_eq!(
        e.message,
        "Champ « recipient » : valeur non reconnue. Valeurs acceptées : judge, family."
    );
    assert_eq!(
        e.message_en,
        "Field \"recipient\": value not recognised. Accepted values: judge, family."
    );
    let e = error(r#"{"consent": "oui"}"#);
    assert_eq!((e.error, e.accepted.len()), ("wrong_type", 2));
    let e = error(r#"{"as_of": "28/11/2026"}"#);
    assert_eq!(
        (e.error, e.field.as_deref()),
        ("invalid_date", Some("as_of"))
    );
    assert_eq!(error("[1]").error, "not_an_object");
    let e = error("{\"actor\": ");
    assert_eq!(e.error, "malformed_json");
    assert!(e
        .message
        .starts_with("La situation n’est pas un JSON valide (ligne 1, colonne 10)"));
}

#[test]
fn an_unknown_field_is_never_named() {
    // A key may be anything typed, a surname too: plain or not, it is
    // never repeated; the accepted fields are listed.
    for body in [
        r#"{"consentement": true}"#,
        r#"{"Dupont": true}"#,
        r#"{"Mme Dupont a dit": true}"#,
    ] {
        let e = error(body);
        assert_eq!(
            (e.error, e.field.as_deref()),
            ("unknown_field", None),
            "{body}"
        );
        assert_eq!(e.accepted.last().map(String::as_str), Some("as_of"));
        for m in [&e.message, &e.message_en] {
            assert!(!m.contains("consentement") && !m.contains("Dupont"), "{m}");
        }
        assert!(e.message.starts_with("Champ inconnu"), "{}", e.message);
    }
}

#[test]
fn a_quality_that_contradicts_the_label_is_refused() {
    let e = error(r#"{"recipient": "judge", "recipient_judicial": false}"#);
    assert_eq!(e.error, "contradiction");
    assert_eq!(e.field.as_deref(), Some("recipient_judicial"));
    assert_eq!(
        e.message,
        "Champ « recipient_judicial » : cette qualité contredit la valeur de « recipient » (voir law/qualities.toml) ; corrigez l’un des deux ou laissez « recipient_judicial » à null."
    );
}

#[test]
fn the_rules_see_the_label_narrowed_and_the_presumptions() {
    let law = law();
    let s = law
        .parse_situation_str(
            r#"{"recipient_judicial": true, "purpose": "care"}"#,
            date(2026, 11, 28),
        )
        .unwrap();
    let (prepared, presumed) = law.prepare(&s);
    let danger = law.fact_idx("danger").unwrap();
    assert_eq!(presumed, 1 << danger);
    assert_eq!(prepared.value(law.fact_idx("recipient").unwrap()), Some(0));
    assert_eq!(prepared.value(danger), Some(0));
    // The situation given is untouched.
    assert_eq!(s.value(danger), None);
}
