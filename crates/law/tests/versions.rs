//! Versioned law: each versioned article gives the right text on either
//! side of its change, and decisions follow the law in force on the day of
//! the disclosure (`as_of`).

use chrono::NaiveDate;
use sceau_engine::Law;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn decide(law: &Law, json: serde_json::Value) -> sceau_engine::Decision {
    law.decide(&law.parse_situation(&json, date("2026-11-24")).unwrap())
}

#[test]
fn r4321_90_text_before_and_after_decree_2026_62() {
    let law = sceau_law::law();
    let art = law.article("csp:R4321-90").unwrap();
    assert!(art.versions.len() >= 2);
    for d in ["2010-01-01", "2025-06-01", "2026-02-07"] {
        let v = art.version_on(date(d)).unwrap();
        let t = sceau_engine::validate::normalise(&v.full_text());
        assert!(
            t.contains("sévices ou de privations") && t.contains("prudence et de circonspection"),
            "{d}: {t}"
        );
        assert!(!t.contains("obligation d'agir"));
        assert_eq!(v.valid_until, Some(date("2026-02-07")));
    }
    for d in ["2026-02-08", "2026-11-24", "2030-01-01"] {
        let v = art.version_on(date(d)).unwrap();
        let t = sceau_engine::validate::normalise(&v.full_text());
        assert!(
            t.contains("obligation d'agir") && t.contains("mauvais traitements"),
            "{d}: {t}"
        );
        assert!(v.amended_by.as_deref().unwrap_or("").contains("2026-62"));
        assert_eq!(
            v.status, "partial",
            "the end of the new text is not available: marked as such"
        );
        assert!(v.missing.is_some());
    }
}

#[test]
fn every_article_has_exactly_one_version_on_every_date() {
    let law = sceau_law::law();
    for a in &law.articles {
        for d in law.epochs() {
            let n = a.versions.iter().filter(|v| v.in_force_on(d)).count();
            assert!(n <= 1, "{} has {n} versions on {d}", a.id);
        }
        assert!(
            a.version_on(date("2026-11-24")).is_some(),
            "{} has no version in force today",
            a.id
        );
    }
}

fn psychological_report(as_of: &str) -> serde_json::Value {
    serde_json::json!({
        "as_of": as_of, "actor": "masseur_kinesitherapeute", "recipient": "procureur",
        "purpose": "signalement", "info_obtained_in_practice": true, "patient_alive": true,
        "patient_minor": false, "violence_within_couple": true, "violence_kind": "psychologique",
        "life_in_immediate_danger": true, "victim_under_emprise": true, "patient_consent": "refuse"
    })
}

#[test]
fn psychological_violence_warning_holds_only_before_the_decree() {
    let law = sceau_law::law();
    for (d, warned) in [
        ("2025-06-01", true),
        ("2026-02-07", true),
        ("2026-02-08", false),
        ("2026-11-24", false),
    ] {
        let dec = decide(law, psychological_report(d));
        assert_eq!(dec.verdict.as_str(), "allowed");
        assert_eq!(dec.as_of, d);
        assert_eq!(
            dec.warnings
                .contains(&"disciplinary_risk_psychological_violence".to_string()),
            warned,
            "{d}"
        );
        // The version used is named in the decision and in the trace.
        let v = dec
            .law_versions
            .iter()
            .find(|v| v.article == "csp:R4321-90");
        if warned {
            assert_eq!(v.unwrap().valid_until.as_deref(), Some("2026-02-07"));
            let t = dec
                .trace
                .iter()
                .find(|t| t.rule == "csp.r4321-90.v2026.agir")
                .unwrap();
            assert_eq!(t.outcome, "not_applicable");
            assert!(t.note.as_deref().unwrap().contains("8 février 2026"));
        } else {
            assert_eq!(v.unwrap().valid_from.as_deref(), Some("2026-02-08"));
            assert!(
                dec.duties.contains(&"protect_victim".to_string()),
                "the new text obliges to act"
            );
        }
        assert!(dec.explanation.contains("R. 4321-90"));
    }
}

#[test]
fn alerting_duty_of_the_old_text_and_acting_duty_of_the_new() {
    let law = sceau_law::law();
    let minor = |as_of: &str| {
        serde_json::json!({
            "as_of": as_of, "actor": "masseur_kinesitherapeute", "recipient": "procureur", "purpose": "signalement",
            "info_obtained_in_practice": true, "patient_minor": true, "violence_observed": true, "violence_kind": "physique"
        })
    };
    let old = decide(law, minor("2025-01-15"));
    assert!(old.duties.contains(&"alert_authorities".to_string()));
    assert!(old.duties.contains(&"protect_victim".to_string()));
    let new = decide(law, minor("2026-03-01"));
    assert!(!new.duties.contains(&"alert_authorities".to_string()));
    assert!(new.duties.contains(&"protect_victim".to_string()));
    assert!(
        new.warnings.contains(&"incomplete_text".to_string()),
        "the partial text is flagged"
    );
    // Couple violence without observed sévices: the new text's duty to act covers violences too.
    let couple = |as_of: &str| {
        let mut j = psychological_report(as_of);
        j["violence_kind"] = "physique".into();
        j
    };
    assert!(!decide(law, couple("2025-06-01"))
        .duties
        .contains(&"protect_victim".to_string()));
    assert!(decide(law, couple("2026-06-01"))
        .duties
        .contains(&"protect_victim".to_string()));
}

#[test]
fn as_of_defaults_to_today_and_is_echoed() {
    let law = sceau_law::law();
    let today = chrono::Local::now().date_naive();
    let d = law.decide(
        &law.parse_situation(&serde_json::json!({"recipient": "tiers"}), today)
            .unwrap(),
    );
    assert_eq!(d.as_of, today.format("%Y-%m-%d").to_string());
}

#[test]
fn law_boundaries_are_the_dates_of_change() {
    let law: &Law = sceau_law::law();
    assert!(law.boundaries().contains(&date("2026-02-08")));
}

#[test]
fn the_couple_violence_paragraph_is_not_in_force_before_the_2020_law() {
    // Issue 13: `sceau article cp:226-14 --as-of 2019-01-01` must not print
    // the paragraph created by loi n° 2020-936 of 30 July 2020.
    let law = sceau_law::law();
    let art = law.article("cp:226-14").unwrap();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let before = art.version_on(d("2019-01-01")).unwrap().full_text();
    assert!(!before.contains("au sein du couple"), "{before}");
    assert!(before.contains("préfet"));
    let after = art.version_on(d("2021-01-01")).unwrap().full_text();
    assert!(after.contains("au sein du couple"));
}

#[test]
fn the_duty_to_protect_is_worded_as_the_version_of_r4321_90_in_force() {
    let law = sceau_law::law();
    let t = law.term("protect_victim").unwrap();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert!(t.on(d("2025-06-01")).0.contains("moyens les plus adéquats"));
    assert!(t.on(d("2026-03-01")).0.contains("par tout moyen"));
    // Through a decision: the explanation's list of duties uses the wording of the day.
    for (date, words) in [
        ("2025-06-01", "moyens les plus adéquats"),
        ("2026-03-01", "par tout moyen"),
    ] {
        let json = serde_json::json!({
            "as_of": date, "actor": "masseur_kinesitherapeute", "recipient": "procureur",
            "purpose": "signalement", "info_obtained_in_practice": true, "patient_alive": true,
            "patient_minor": true, "violence_observed": true, "violence_kind": "physique"
        });
        let s = law.parse_situation(&json, d(date)).unwrap();
        let dec = law.decide(&s);
        assert!(
            dec.duties.contains(&"protect_victim".to_string()),
            "{date}: {:?}",
            dec.duties
        );
        assert!(
            dec.explanation.contains(words),
            "{date}: {}",
            dec.explanation
        );
    }
}
