//! The guided interview on every case: answering from the case's facts, it
//! reaches the case's verdict, and asks fewer questions than a static
//! questionnaire that would ask every fact a rule reads.

mod common;

use sceau_engine::answers::Answers;
use sceau_engine::{Next, Situation};

#[test]
fn interview_reaches_each_case_verdict_with_few_questions() {
    let law = sceau_law::law();
    let cases = common::all_cases();
    let static_questions = {
        // Every fact some rule reads.
        law.facts
            .iter()
            .filter(|f| law.rules.iter().any(|r| r.when_src.contains(f.id.as_str())))
            .count()
    };
    let mut total = 0usize;
    let mut report = Vec::new();
    let mut asked_unknown = Vec::new();
    let disagreements = common::blind_disagreements();
    for c in cases
        .iter()
        .filter(|c| !disagreements.iter().any(|d| d.id == c.id))
    {
        let mut full = law.parse_situation(&c.situation, common::today()).unwrap();
        // What the person knows includes what a quality given tells of
        // another (a medical authority among carers is a physician).
        law.qualities.restrict(&mut full.masks).unwrap();
        let mut s = Situation::unknown(law, full.as_of);
        s.as_of_given = full.as_of_given;
        let mut asked = 0;
        let mut skipped = Vec::new();
        let mut path = Vec::new();
        let verdict = loop {
            match law.next_skipping(&s, &skipped) {
                Next::Decided(d) => {
                    // The decision lists what it presumed; a person who
                    // knows otherwise corrects it (the summary is editable),
                    // which costs one more answer.
                    let wrong = d.presumed.iter().find_map(|p| {
                        let i = law.fact_idx(&p.fact).unwrap();
                        full.value(i)
                            .filter(|&v| {
                                let given = &law.facts[i].choices[v].value;
                                match &p.value {
                                    Some(x) => given != x,
                                    None => p.excluded.contains(given),
                                }
                            })
                            .map(|v| (i, v))
                    });
                    match wrong {
                        Some((i, v)) => {
                            asked += 1;
                            path.push(format!("{} (corrigé)", law.facts[i].id));
                            s.set(i, v);
                        }
                        None => break d.verdict,
                    }
                }
                Next::Ask(f) => {
                    asked += 1;
                    path.push(f.id.clone());
                    let i = law.fact_idx(&f.id).unwrap();
                    match full.value(i) {
                        Some(v) => s.set(i, v),
                        None => {
                            // The case leaves it out: the person answers « je ne sais pas ».
                            asked_unknown.push(format!("{}: {}", c.id, f.id));
                            skipped.push(i);
                        }
                    }
                }
            }
        };
        assert!(asked <= static_questions, "{}: {asked} questions", c.id);
        total += asked;
        report.push(format!("{} {} {}", c.id, asked, verdict.as_str()));
        if verdict.as_str() != c.expect.verdict {
            panic!(
                "{}: the interview ends on {} instead of {} after {path:?}",
                c.id,
                verdict.as_str(),
                c.expect.verdict
            );
        }
    }
    let mean = total as f64 / cases.len() as f64;
    eprintln!("{}", report.join("\n"));
    eprintln!("mean questions {mean:.2} vs static {static_questions}; asked facts the case lacks: {asked_unknown:?}");
    assert!(
        mean * 2.0 < static_questions as f64,
        "mean {mean} not under half of {static_questions}"
    );
    // Facts a case leaves out may still be asked (answered « je ne sais pas »).
    // Since every ground is tried (issue 13), a question about another ground
    // the case's author did not have in mind (is the GP in the care team?
    // is there a grave and imminent risk?) is decisive, not needless; the
    // bound is one and a half such questions per case on average.
    assert!(
        asked_unknown.len() * 2 <= cases.len() * 3,
        "too many needless questions: {asked_unknown:?}"
    );
}

#[test]
fn the_care_team_is_not_asked_whether_the_professional_is_a_court_expert() {
    // The court expert takes no part in the care: R. 4321-141 keeps him
    // silent and blocks the sharing of L. 1110-4 (b15-096). Unless the
    // purpose is an expertise, that capacity is ruled out by a written
    // presumption: the care team's answer stands, says what it presumed,
    // and the interview does not ask it.
    let law = sceau_law::law();
    let care = serde_json::json!({
        "actor": "masseur_kinesitherapeute",
        "recipient": "equipe_de_soins",
        "recipient_participates_in_care": true,
        "purpose": "coordination_soins",
        "info_obtained_in_practice": true,
        "patient_alive": true,
        "patient_opposition": false,
    });
    let s = law.parse_situation(&care, common::today()).unwrap();
    let d = law.decide(&s);
    assert_eq!(d.verdict.as_str(), "allowed");
    let p = d
        .presumed
        .iter()
        .find(|p| p.fact == "actor_context")
        .expect("the presumption is listed");
    assert_eq!(
        (p.value.as_deref(), &p.excluded[..]),
        (None, &["expert_judiciaire".to_string()][..])
    );
    let j: serde_json::Value = serde_json::from_str(&law.decide_json(&s)).unwrap();
    let entry = j["presumed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["fact"] == "actor_context")
        .expect("in the JSON too");
    assert_eq!(entry["excluded"], serde_json::json!(["expert_judiciaire"]));
    assert!(entry.get("value").is_none());
    // Nothing asked about the capacity on the way to that answer.
    let mut q = Situation::unknown(law, s.as_of);
    q.as_of_given = s.as_of_given;
    loop {
        match law.next_skipping(&q, &[]) {
            Next::Decided(d) => break assert_eq!(d.verdict.as_str(), "allowed"),
            Next::Ask(f) => {
                assert_ne!(f.id, "actor_context", "the interview asked the capacity");
                let i = law.fact_idx(&f.id).unwrap();
                let v = s
                    .value(i)
                    .expect("the situation answers every question asked");
                q.set(i, v);
            }
        }
    }
    // Given, the capacity wins: the expert's sharing is forbidden, consent or not.
    let mut expert = care.clone();
    expert["actor_context"] = "expert_judiciaire".into();
    expert["patient_consent"] = "obtenu".into();
    let d = law.decide(&law.parse_situation(&expert, common::today()).unwrap());
    assert_eq!(d.verdict.as_str(), "forbidden");
    assert!(d.basis.contains(&"csp:R4321-141".to_string()));
    // For an expertise, nothing is presumed and the capacity is asked.
    let mut mission = care;
    mission["purpose"] = "expertise".into();
    mission["recipient"] = "juge".into();
    let d = law.decide(&law.parse_situation(&mission, common::today()).unwrap());
    assert!(d.presumed.iter().all(|p| p.fact != "actor_context"));
}

// The interview's answers as the web form posts them (`a=fact=value`).
fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn known_facts_and_dont_know_are_kept_in_order_the_last_answer_wins() {
    let law = sceau_law::law();
    let a = Answers::from_form(
        law,
        &form(&[
            ("csrf", "x"),
            ("a", "patient_alive=true"),
            ("a", "patient_consent=?"),
            ("a", "patient_alive=false"),
        ]),
    )
    .unwrap();
    assert_eq!(
        a.0,
        vec![
            ("patient_alive".to_string(), "false".to_string()),
            ("patient_consent".to_string(), "?".to_string())
        ]
    );
    assert_eq!(a.unknown(), vec!["patient_consent".to_string()]);
}

#[test]
fn an_unknown_fact_a_bad_value_or_a_pair_without_equals_is_refused() {
    let law = sceau_law::law();
    for bad in [
        "nope=true",
        "patient_alive=peut-être",
        "patient_alive",
        "=",
        "",
    ] {
        assert!(
            Answers::from_form(law, &form(&[("a", bad)])).is_none(),
            "{bad:?}"
        );
    }
}
