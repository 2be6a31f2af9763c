//! Every case of tests/cases/*.yaml — the guide's reference cases
//! (guide.yaml, copied from shared/spec/cases) and our own — decided by the
//! embedded law.

mod common;

use std::collections::HashSet;

#[test]
fn blind_cases_are_at_least_150_with_their_legal_ground() {
    let cases = common::all_cases();
    let blind: Vec<_> = cases.iter().filter(|c| c.file == "blind.yaml").collect();
    assert!(blind.len() >= 150, "blind.yaml holds {} cases", blind.len());
    // Every series of blind cases gives the legal ground of each answer.
    for file in [
        "blind.yaml",
        "blind2.yaml",
        "blind3.yaml",
        "blind4.yaml",
        "blind5.yaml",
        "blind6.yaml",
        "blind7.yaml",
        "blind8.yaml",
        "blind9.yaml",
        "blind10.yaml",
        "blind11.yaml",
        "blind12.yaml",
        "blind13.yaml",
        "blind14.yaml",
        "blind15.yaml",
        "blind16.yaml",
        "blind17.yaml",
        "blind18.yaml",
        "blind19.yaml",
    ] {
        let text = std::fs::read_to_string(common::cases_dir().join(file)).unwrap();
        let raw: Vec<serde_json::Value> = serde_norway::from_str(&text).unwrap();
        assert!(!raw.is_empty(), "{file} holds no case");
        for c in raw {
            assert!(
                c.get("note")
                    .and_then(|n| n.as_str())
                    .is_some_and(|n| !n.trim().is_empty()),
                "blind case {} of {file} has no note",
                c["id"]
            );
        }
    }
}

#[test]
fn guide_reference_cases_are_all_present() {
    let cases = common::all_cases();
    let guide: Vec<_> = cases.iter().filter(|c| c.file == "guide.yaml").collect();
    assert_eq!(
        guide.len(),
        32,
        "guide.yaml must keep the 32 reference cases of the guide"
    );
}

#[test]
fn every_case_passes() {
    let law = sceau_law::law();
    let cases = common::all_cases();
    let disagreements = common::blind_disagreements();
    let mut failures = Vec::new();
    let mut ids = HashSet::new();
    for c in &cases {
        assert!(ids.insert(c.id.clone()), "duplicate case id {}", c.id);
        assert!(!c.source.trim().is_empty(), "case {} has no source", c.id);
        let p = common::check(law, c);
        let explained = disagreements.iter().any(|d| d.id == c.id);
        if explained {
            // An explained disagreement must still disagree, or leave the list.
            if p.is_empty() {
                failures.push(format!(
                    "{} passes now: remove it from blind-disagreements.toml",
                    c.id
                ));
            }
        } else if !p.is_empty() {
            failures.push(format!("{} ({}): {}", c.id, c.file, p.join("; ")));
        }
    }
    for d in &disagreements {
        assert!(
            ids.contains(&d.id),
            "blind-disagreements.toml names {}, which is no case",
            d.id
        );
        assert!(!d.reason.trim().is_empty() && !d.source.trim().is_empty() && !d.answer.is_empty());
        assert!(
            [
                "blind-", "b2-", "b3-", "b4-", "b5-", "b6-", "b7-", "b8-", "b9-", "b10-", "b11-",
                "b12-", "b13-", "b14-", "b15-", "b16-", "b17-", "b18-", "b19-"
            ]
            .iter()
            .any(|p| d.id.starts_with(p)),
            "only blind cases may be explained away: {}",
            d.id
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_checker_can_fail() {
    // A case expecting the wrong verdict must be reported: the harness is not vacuous.
    let law = sceau_law::law();
    let mut cases = common::all_cases();
    let mut c = cases.remove(0);
    c.expect.verdict = if c.expect.verdict == "allowed" {
        "forbidden".into()
    } else {
        "allowed".into()
    };
    assert!(!common::check(law, &c).is_empty());
    c.expect
        .lists
        .insert("basis_includes".into(), vec!["cp:999-9".into()]);
    assert!(common::check(law, &c)
        .iter()
        .any(|p| p.contains("cp:999-9")));
}

#[test]
fn an_article_named_in_a_case_is_named_by_its_paragraphs_and_nothing_else() {
    // The contract's identifiers are `<code>:<article>[:<paragraph>]`: a
    // case written at the article's level (`csp:L1111-2`) is satisfied by
    // the paragraph the answer names (`csp:L1111-2:II`), and a ban of the
    // article bans its paragraphs; a shorter id that is not the article
    // (`csp:L1111`) names nothing.
    let law = sceau_law::law();
    let mut c = common::all_cases()
        .into_iter()
        .find(|c| c.id == "b16-032-parents-mineur-mk")
        .expect("the case of blind16 on the parents of a minor");
    let s = law
        .parse_situation(&c.situation, common::today())
        .expect("valid");
    assert!(law.decide(&s).basis.contains(&"csp:L1111-2:II".to_string()));
    c.expect.lists.clear();
    c.expect
        .lists
        .insert("basis_includes".into(), vec!["csp:L1111-2".into()]);
    assert!(common::check(law, &c).is_empty());
    c.expect
        .lists
        .insert("basis_includes".into(), vec!["csp:L1111".into()]);
    assert!(!common::check(law, &c).is_empty());
    c.expect.lists.clear();
    c.expect
        .lists
        .insert("basis_exclude".into(), vec!["csp:L1111-2".into()]);
    assert!(!common::check(law, &c).is_empty());
}

#[test]
fn own_cases_cover_every_recipient_purpose_and_rule() {
    let law = sceau_law::law();
    let cases = common::all_cases();
    let own: Vec<_> = cases.iter().filter(|c| c.file != "guide.yaml").collect();
    assert!(
        own.len() >= 80,
        "at least 80 cases of our own, found {}",
        own.len()
    );
    for fact in ["recipient", "purpose", "actor", "actor_context"] {
        let f = law.fact(fact).unwrap();
        for choice in &f.choices {
            assert!(
                cases
                    .iter()
                    .any(|c| c.situation.get(fact).and_then(|v| v.as_str())
                        == Some(choice.value.as_str())),
                "no case with {fact} = {}",
                choice.value
            );
        }
    }
    // Every verdict rule applies in some case, every annotation too.
    let mut applied = HashSet::new();
    for c in &cases {
        let s = law.parse_situation(&c.situation, common::today()).unwrap();
        for t in law.decide(&s).trace.iter() {
            if t.outcome == "applied" {
                applied.insert(t.rule.clone());
            }
        }
    }
    let never: Vec<&str> = law
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !applied.contains(*id))
        .collect();
    assert!(never.is_empty(), "rules applied by no case: {never:?}");
}

/// Every answer that rests on a version the corpus holds in part warns
/// that the text is incomplete, whichever rule gave it: every case's
/// situation, moved to a date in each period of L.1110-4 and of the other
/// versioned articles, in the contract's decision and in its JSON.
#[test]
fn an_answer_on_a_partial_version_warns_that_the_text_is_incomplete() {
    let law = sceau_law::law();
    let mut partial_seen = 0;
    for c in common::all_cases() {
        for as_of in ["2010-06-01", "2017-01-01", "2021-01-01", "2026-11-24"] {
            let mut json = c.situation.clone();
            json["as_of"] = serde_json::Value::from(as_of);
            let Ok(s) = law.parse_situation(&json, common::today()) else {
                continue;
            };
            let d = law.decide(&s);
            if !d.law_versions.iter().any(|v| v.status == "partial") {
                continue;
            }
            partial_seen += 1;
            assert!(
                d.warnings.iter().any(|w| w == "incomplete_text"),
                "{} on {as_of}: rests on a partial version without the warning",
                c.id
            );
            let j: serde_json::Value = serde_json::from_str(&law.decide_json(&s)).unwrap();
            assert!(
                j["warnings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|w| w == "incomplete_text"),
                "{} on {as_of}: the JSON lacks the warning",
                c.id
            );
        }
    }
    // The 2002–2016 version of L.1110-4 alone is partial for hundreds of them.
    assert!(
        partial_seen > 100,
        "only {partial_seen} answers on a partial version"
    );
}
