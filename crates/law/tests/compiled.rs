//! The compiled law decides exactly as the reference engine (Kleene
//! evaluation and searches, `sceau_engine::reference`): the whole decision
//! — verdict, possible verdicts, basis, trace, ranked missing facts,
//! presumptions, next steps, explanation — on every class of situations of
//! every set of rules in force (one class in 16 on the other periods that
//! share it), on every step of the interviews of the reference cases,
//! and on random partial situations; and the decision's JSON written from
//! prepared fragments (`Law::decide_json`, what the API sends) is serde's
//! text of the same decision, byte for byte (on one comparison in 8). A corpus with a conflict is
//! left to the reference engine.

use chrono::NaiveDate;
use proptest::prelude::*;
use sceau_engine::{reference, Law, Next, Situation, Verdict};

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Decisions compared so far (their JSON is compared on one in 8).
static COMPARED: AtomicU64 = AtomicU64::new(0);

/// Comparisons where the reference's searches ran out of budget.
static BUDGET_LIMITED: AtomicU64 = AtomicU64::new(0);

/// Compares the compiled decision with the reference's; returns the verdict
/// and whether the reference's searches were exact. Where the search for
/// decisive facts ran out of budget, the reference lists the facts it could
/// not settle at the end of `missing`; the compiled law settles them (its
/// diagram is exact) and keeps only the decisive ones: then the facts both
/// proved come in the same order, the compiled list holds no fact the
/// reference left out, and everything else is equal.
fn same_decision(law: &Law, s: &Situation) -> (Verdict, bool) {
    let compiled = law.decide(s);
    // The JSON the API writes from prepared fragments is serde's, byte for
    // byte: on one comparison in 8 (the whole text is 13 KB; every one
    // would add tens of seconds to the suite).
    if COMPARED.fetch_add(1, Ordering::Relaxed).is_multiple_of(8) {
        assert_eq!(
            law.decide_json(s),
            serde_json::to_string(&compiled).unwrap(),
            "{} {:?}",
            s.as_of,
            s.known(law)
        );
    }
    let (by_search, unproven) = reference::decide_within(law, s);
    let unproven = unproven.unwrap_or_else(|| {
        panic!(
            "the verdict search ran out of budget: {} {:?}",
            s.as_of,
            s.known(law)
        )
    });
    if unproven.is_empty() {
        assert_eq!(compiled, by_search, "{} {:?}", s.as_of, s.known(law));
        return (compiled.verdict, true);
    }
    BUDGET_LIMITED.fetch_add(1, Ordering::Relaxed);
    let proven = |d: &sceau_engine::Decision| -> Vec<String> {
        d.missing
            .iter()
            .filter(|m| !unproven.contains(m))
            .cloned()
            .collect()
    };
    assert_eq!(proven(&compiled), proven(&by_search), "{:?}", s.known(law));
    for m in &compiled.missing {
        assert!(by_search.missing.contains(m), "{m} {:?}", s.known(law));
    }
    let blank = |d: &sceau_engine::Decision| {
        let mut d = d.clone();
        d.missing.clear();
        d.explanation = d
            .explanation
            .lines()
            .filter(|l| !l.starts_with("Question la plus décisive"))
            .collect();
        d
    };
    assert_eq!(blank(&compiled), blank(&by_search), "{:?}", s.known(law));
    (compiled.verdict, false)
}

/// Compares the next question (or the decision) of the compiled interview
/// with the reference's; where the reference's ranking was budget-limited
/// (`exact` false), the question asked must be among the reference's.
fn same_next(law: &Law, s: &Situation, skipped: &[usize], exact: bool) -> Option<usize> {
    let compiled = law.next_skipping(s, skipped);
    let by_search = reference::next_skipping(law, s, skipped);
    match (compiled, by_search) {
        (Next::Ask(a), Next::Ask(b)) => {
            // The question is the first fact of the compiled ranking left
            // to ask, whatever the reference's budget (the question is
            // found without ranking the facts after it); when every fact
            // ranked is skipped, a fact that would settle one (a
            // presumption's, a label's quality) is asked instead.
            let ranked = law.decide(s).missing;
            if let Some(first) = ranked
                .iter()
                .find(|m| skipped.iter().all(|&f| law.facts[f].id != **m))
            {
                assert_eq!(first, &a.id, "{:?} skipping {skipped:?}", s.known(law));
            }
            if exact {
                assert_eq!(a.id, b.id, "{:?} skipping {skipped:?}", s.known(law));
            } else {
                let d = reference::decide(law, s);
                assert!(d.missing.contains(&a.id), "{:?}", s.known(law));
            }
            law.fact_idx(&a.id)
        }
        (Next::Decided(a), Next::Decided(b)) => {
            if exact {
                assert_eq!(a, b, "{:?} skipping {skipped:?}", s.known(law));
            }
            None
        }
        (a, b) => panic!("{:?}: compiled {a:?}, by search {b:?}", s.known(law)),
    }
}

#[test]
fn every_period_compiles_exactly() {
    let law = sceau_law::law();
    let rep = law.compile_all();
    assert_eq!(rep.periods, law.epochs().len());
    assert_eq!(rep.uncompiled, 0, "{rep:?}");
    let walked = law.exhaustive().classes;
    assert_eq!(rep.classes, walked, "the diagrams hold every class");
    assert!(rep.nodes > 0 && (rep.nodes as u64) < walked, "{rep:?}");
}

/// Periods of the law that differ by an article's version alone share
/// their rules in force, so their classes and their compiled program: the
/// first of them is compared on every class, the others on one class in
/// `SAMPLE` (what differs there is the texts the decisions quote, which the
/// same code writes for every class).
const SAMPLE: usize = 16;

#[test]
fn every_class_of_every_period_is_decided_as_by_search() {
    let law = sceau_law::law();
    let rule_bounds = law.rule_boundaries();
    let mut walked_rules: Vec<usize> = Vec::new();
    let (mut whole, mut expected, mut sampled) = (0u64, 0u64, 0u64);
    let walk = law.exhaustive();
    for (date, classes) in walk.periods {
        let rules = rule_bounds.partition_point(|b| *b <= date);
        let first = !walked_rules.contains(&rules);
        if first {
            walked_rules.push(rules);
            expected += classes;
        }
        for masks in law
            .classes(date)
            .into_iter()
            .step_by(if first { 1 } else { SAMPLE })
        {
            // The class itself (facts that do not matter there unknown),
            // then one complete member of it.
            let mut s = Situation::unknown(law, date);
            s.masks = masks;
            same_decision(law, &s);
            for f in 0..law.facts.len() {
                let v = s.masks[f].trailing_zeros() as usize;
                s.set(f, v);
            }
            same_decision(law, &s);
            if first {
                whole += 1;
            } else {
                sampled += 1;
            }
        }
        // Nothing known: the first step of every interview.
        let s = Situation::unknown(law, date);
        let (_, exact) = same_decision(law, &s);
        same_next(law, &s, &[], exact);
    }
    assert_eq!(
        walked_rules.len(),
        rule_bounds.len() + 1,
        "every set of rules in force"
    );
    assert_eq!(whole, expected, "every class of each set of rules compared");
    eprintln!(
        "{whole} classes compared whole, {sampled} on the periods that share their rules, {} comparisons budget-limited",
        BUDGET_LIMITED.load(Ordering::Relaxed)
    );
}

#[test]
fn every_interview_step_is_the_same() {
    let law = sceau_law::law();
    let cases = common::all_cases();
    let mut steps = 0;
    // Interviews share their first steps (nothing known, then the same
    // answers): a state already compared gives the same next step, so it is
    // compared once (the reference's searches make each comparison slow).
    let mut compared: HashMap<(Situation, Vec<usize>), Option<usize>> = HashMap::new();
    for c in &cases {
        let mut full = law
            .parse_situation(&c.situation, common::today())
            .expect("valid case");
        law.qualities
            .restrict(&mut full.masks)
            .expect("coherent case");
        let mut s = Situation::unknown(law, full.as_of);
        s.as_of_given = full.as_of_given;
        let mut skipped = Vec::new();
        loop {
            steps += 1;
            let next = match compared.get(&(s.clone(), skipped.clone())) {
                Some(&next) => next,
                None => {
                    let (_, exact) = same_decision(law, &s);
                    let next = same_next(law, &s, &skipped, exact);
                    compared.insert((s.clone(), skipped.clone()), next);
                    next
                }
            };
            match next {
                None => break,
                Some(i) => match full.value(i) {
                    Some(v) => s.set(i, v),
                    None => skipped.push(i),
                },
            }
        }
    }
    assert!(steps > 2 * cases.len(), "{steps} steps");
    eprintln!(
        "{} cases, {steps} steps ({} distinct), {} budget-limited",
        cases.len(),
        compared.len(),
        BUDGET_LIMITED.load(Ordering::Relaxed)
    );
}

#[test]
fn random_partial_situations_are_decided_as_by_search() {
    let law = sceau_law::law();
    let dates: Vec<NaiveDate> = law.epochs();
    let domains: Vec<u8> = law.facts.iter().map(|f| f.domain_size() as u8).collect();
    let undetermined = std::cell::Cell::new(0u32);
    for (known_prob, cases) in [(0.9, 3000u32), (0.6, 3000), (0.3, 1000), (0.1, 300)] {
        let per_fact: Vec<BoxedStrategy<Option<u8>>> = domains
            .iter()
            .map(|&d| prop::option::weighted(known_prob, 0..d).boxed())
            .collect();
        let skip = prop::collection::vec(0..domains.len(), 0..3);
        common::runner(cases)
            .run(
                &(0..dates.len(), per_fact, skip),
                |(di, values, skipped)| {
                    let mut s = Situation::unknown(law, dates[di]);
                    for (f, v) in values.iter().enumerate() {
                        if let Some(v) = v {
                            s.set(f, *v as usize);
                        }
                    }
                    let (verdict, exact) = same_decision(law, &s);
                    if verdict == Verdict::Undetermined {
                        undetermined.set(undetermined.get() + 1);
                    }
                    same_next(law, &s, &skipped, exact);
                    Ok(())
                },
            )
            .unwrap();
    }
    let undetermined = undetermined.get();
    assert!(undetermined > 1000, "{undetermined} undetermined");
    eprintln!(
        "7300 situations, {undetermined} undetermined, {} budget-limited",
        BUDGET_LIMITED.load(Ordering::Relaxed)
    );
}

#[test]
fn a_corpus_with_a_conflict_is_decided_by_search() {
    let mut files = sceau_law::embedded_files();
    let f = files
        .iter_mut()
        .find(|f| f.path == "rules/cp-226-13.toml")
        .expect("rules file");
    // Allowed without defeating the secret: a conflict wherever it applies.
    f.text.push_str(
        r#"
[[rule]]
id = "test.conflict"
cites = ["cp:226-13"]
when = "recipient = tiers and purpose = autre"
verdict = "allowed"
explanation = "Règle de test."
"#,
    );
    let law = sceau_engine::load::load(&files).expect("loads");
    let rep = law.compile_all();
    assert_eq!(rep.uncompiled, rep.periods, "{rep:?}");
    let mut s = Situation::unknown(&law, common::today());
    s.set_named(&law, "recipient", "tiers").unwrap();
    s.set_named(&law, "purpose", "autre").unwrap();
    assert_eq!(law.decide(&s), reference::decide(&law, &s));
}

mod common;
