//! The minimisation test set (tests/data/minimisation_set.toml): every
//! needless part of each kind must be flagged, and clean parts (facts about
//! the violence, the danger, the emprise, the person's own words) must not
//! be. Run with `-- --nocapture` to print the figures quoted in
//! docs/signalement/README.md.

use std::collections::BTreeMap;

use sceau_documents::{check, Field, ReportForm};
use serde::Deserialize;

#[derive(Deserialize)]
struct Set {
    draft: Vec<Draft>,
}

#[derive(Deserialize)]
struct Draft {
    id: String,
    #[serde(default)]
    victim: Option<String>,
    items: Vec<[String; 3]>,
}

const KINDS: [&str; 7] = [
    "medical_history",
    "family_members",
    "opinion",
    "unrelated_diagnosis",
    "alleged_author",
    "hearsay",
    "social_details",
];

fn form_of(d: &Draft) -> (ReportForm, Vec<(Field, usize, String, String)>) {
    let mut obs = Vec::new();
    let mut st = Vec::new();
    let mut ctx = Vec::new();
    let mut labels = Vec::new();
    for [field, expected, text] in &d.items {
        let (f, i) = match field.as_str() {
            "observations" => {
                obs.push(text.clone());
                (Field::Observations, obs.len() - 1)
            }
            "statements" => {
                st.push(serde_json::Value::String(text.clone()));
                (Field::Statements, st.len() - 1)
            }
            "context" => {
                ctx.push(text.clone());
                (Field::Context, ctx.len() - 1)
            }
            other => panic!("{}: unknown field {other}", d.id),
        };
        assert!(
            expected == "clean" || KINDS.contains(&expected.as_str()),
            "{}: unknown label {expected}",
            d.id
        );
        labels.push((f, i, expected.clone(), text.clone()));
    }
    let json = serde_json::json!({
        "situation": {"purpose": "signalement", "recipient": "procureur"},
        "author": {"name": "Jeanne Martin", "rpps": "10101010101", "address": ["12 rue des Lilas", "69003 Lyon"]},
        "victim": {"name": d.victim.clone().unwrap_or_else(|| "Claire Dubois".into()), "civility": "Mme"},
        "observations": obs,
        "statements": st,
        "context": ctx,
    });
    (
        ReportForm::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", d.id)),
        labels,
    )
}

struct Figures {
    needless: usize,
    flagged: usize,
    clean: usize,
    false_alarms: usize,
    per_kind: BTreeMap<&'static str, (usize, usize, usize)>,
}

#[test]
fn minimisation_test_set() {
    let set: Set =
        toml::from_str(include_str!("data/minimisation_set.toml")).expect("test set parses");
    assert!(set.draft.len() >= 40, "at least 40 drafts");
    let f = evaluate("tuning set", &set);
    for k in KINDS {
        let (n, fl, _) = f.per_kind.get(k).copied().unwrap_or_default();
        assert!(n >= 5, "{k}: at least 5 needless parts in the set");
        assert!(fl as f64 >= 0.85 * n as f64, "{k}: {fl}/{n} flagged");
    }
    assert!(
        f.flagged as f64 >= 0.95 * f.needless as f64,
        "overall detection {}/{}",
        f.flagged,
        f.needless
    );
    assert!(
        (f.false_alarms as f64) <= 0.05 * f.clean as f64,
        "false alarms {}/{}",
        f.false_alarms,
        f.clean
    );
}

/// Drafts never used to tune the lexicon: the figures are reported, and
/// only a floor is asserted so that a regression shows.
#[test]
fn minimisation_held_out_set() {
    let set: Set = toml::from_str(include_str!("data/minimisation_heldout.toml"))
        .expect("held-out set parses");
    let f = evaluate("held-out set", &set);
    assert!(
        f.flagged as f64 >= 0.4 * f.needless as f64,
        "held-out detection {}/{}",
        f.flagged,
        f.needless
    );
    assert!(
        (f.false_alarms as f64) <= 0.15 * f.clean as f64,
        "held-out false alarms {}/{}",
        f.false_alarms,
        f.clean
    );
}

fn evaluate(name: &str, set: &Set) -> Figures {
    println!("== {name}");
    // kind -> (items, flagged at all, flagged with this kind)
    let mut per_kind: BTreeMap<&'static str, (usize, usize, usize)> = BTreeMap::new();
    let mut clean = 0usize;
    let mut false_alarms = Vec::new();
    let mut missed = Vec::new();
    let mut clean_drafts = 0usize;
    let mut clean_drafts_flagged = 0usize;
    for d in &set.draft {
        let (form, labels) = form_of(d);
        let flags = check(&form);
        let all_clean = labels.iter().all(|l| l.2 == "clean");
        if all_clean {
            clean_drafts += 1;
            if !flags.is_empty() {
                clean_drafts_flagged += 1;
            }
        }
        for (field, index, expected, text) in labels {
            let flag = flags.iter().find(|f| f.field == field && f.index == index);
            if expected == "clean" {
                clean += 1;
                if let Some(f) = flag {
                    false_alarms.push(format!(
                        "{} {:?}[{index}] {:?} « {text} »",
                        d.id, field, f.kinds
                    ));
                }
            } else {
                let e = per_kind
                    .entry(KINDS.iter().find(|k| **k == expected).unwrap())
                    .or_default();
                e.0 += 1;
                match flag {
                    Some(f) => {
                        e.1 += 1;
                        if f.kinds.contains(&expected) {
                            e.2 += 1;
                        } else {
                            missed.push(format!(
                                "{} (flagged as {:?}, not {expected}) « {text} »",
                                d.id, f.kinds
                            ));
                        }
                    }
                    None => missed.push(format!("{} {expected} « {text} »", d.id)),
                }
            }
        }
    }
    let needless: usize = per_kind.values().map(|v| v.0).sum();
    let flagged: usize = per_kind.values().map(|v| v.1).sum();
    let right_kind: usize = per_kind.values().map(|v| v.2).sum();
    println!(
        "drafts: {} ({} entirely clean)",
        set.draft.len(),
        clean_drafts
    );
    println!("| kind | needless parts | flagged | flagged with this kind |");
    println!("|---|---|---|---|");
    for (k, (n, f, r)) in &per_kind {
        println!(
            "| {k} | {n} | {f} ({:.0} %) | {r} ({:.0} %) |",
            100.0 * *f as f64 / *n as f64,
            100.0 * *r as f64 / *n as f64
        );
    }
    println!(
        "| all | {needless} | {flagged} ({:.1} %) | {right_kind} ({:.1} %) |",
        100.0 * flagged as f64 / needless as f64,
        100.0 * right_kind as f64 / needless as f64
    );
    println!(
        "clean parts: {clean}, false alarms: {} ({:.1} %); clean drafts flagged: {clean_drafts_flagged}/{clean_drafts}",
        false_alarms.len(),
        100.0 * false_alarms.len() as f64 / clean as f64
    );
    for m in &missed {
        println!("missed: {m}");
    }
    for f in &false_alarms {
        println!("false alarm: {f}");
    }
    Figures {
        needless,
        flagged,
        clean,
        false_alarms: false_alarms.len(),
        per_kind,
    }
}
