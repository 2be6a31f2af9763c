//! `interview` and `ranking`: the next question, most decisive first, and
//! what to ask when the person does not know.

use super::{date, law, situation};
use crate::interview::Next;
use crate::law::{Law, Verdict};
use crate::situation::Situation;

fn asked(law: &Law, s: &Situation, skipped: &[&str]) -> String {
    let skipped: Vec<usize> = skipped.iter().map(|f| law.fact_idx(f).unwrap()).collect();
    match law.next_skipping(s, &skipped) {
        Next::Ask(f) => f.id.clone(),
        Next::Decided(d) => format!("decided: {}", d.verdict.as_str()),
    }
}

#[test]
fn the_most_decisive_fact_is_asked_first() {
    let law = law();
    let s = situation(&law, date(2022, 1, 1), &[("actor", "kine")]);
    let ids =
        |fs: Vec<usize>| -> Vec<String> { fs.iter().map(|&f| law.facts[f].id.clone()).collect() };
    let a = law.assess(&s);
    assert_eq!(
        ids(law.missing_facts(&a.situation, &a.status)),
        ["consent", "recipient", "danger", "tried"]
    );
    // The reference ranking, by search, gives the same order.
    assert_eq!(
        ids(law.rank_missing(&a.situation, &a.status)),
        ["consent", "recipient", "danger", "tried"]
    );
    assert_eq!(asked(&law, &s, &[]), "consent");
}

#[test]
fn a_fact_that_cannot_change_the_verdict_is_not_decisive() {
    let law = law();
    let s = situation(
        &law,
        date(2022, 1, 1),
        &[("actor", "kine"), ("recipient", "family")],
    );
    let mut budget = 1_000;
    let (consent, tried) = (
        law.fact_idx("consent").unwrap(),
        law.fact_idx("tried").unwrap(),
    );
    assert_eq!(law.is_decisive(&s, consent, &mut budget), Some(true));
    // To the family, the danger ground never applies: trying the rest first changes nothing.
    assert_eq!(law.is_decisive(&s, tried, &mut budget), Some(false));
    let mut none = 0;
    assert_eq!(law.is_decisive(&s, consent, &mut none), None);
}

#[test]
fn the_answers_lead_to_a_decision() {
    let law = law();
    let mut s = situation(&law, date(2022, 1, 1), &[("actor", "kine")]);
    assert_eq!(asked(&law, &s, &["consent"]), "recipient");
    s.set_named(&law, "consent", "true").unwrap();
    assert_eq!(asked(&law, &s, &[]), "decided: allowed");
    match law.next(&s) {
        Next::Decided(d) => assert_eq!(d.verdict, Verdict::Allowed),
        Next::Ask(f) => panic!("asked {}", f.id),
    }
}

#[test]
fn an_unknown_label_is_replaced_by_its_quality() {
    let law = law();
    let s = situation(
        &law,
        date(2022, 1, 1),
        &[
            ("actor", "kine"),
            ("consent", "false"),
            ("danger", "true"),
            ("tried", "true"),
        ],
    );
    assert_eq!(asked(&law, &s, &[]), "recipient");
    assert_eq!(asked(&law, &s, &["recipient"]), "recipient_judicial");
    assert_eq!(
        asked(&law, &s, &["recipient", "recipient_judicial"]),
        "decided: undetermined"
    );
    // The reference interview asks the same.
    let skipped = [law.fact_idx("recipient").unwrap()];
    match crate::reference::next_skipping(&law, &s, &skipped) {
        Next::Ask(f) => assert_eq!(f.id, "recipient_judicial"),
        Next::Decided(d) => panic!("decided {:?}", d.verdict),
    }
}

/// The scores of every candidate fact from the compiled law's packed
/// passes (every fact's values on the bits of one lane) equal one pass per
/// fact and the evaluator's, one evaluation per value, on every situation
/// of the small law (each fact unknown or set to any of its values); the
/// decisive facts read in one walk of the diagram are those the reference
/// search proves decisive, and the walk that stops on a fact finds it
/// exactly when they do; the one-lane pass gives the evaluator's status;
/// and the next question is the ranking's first fact not skipped.
#[test]
fn one_packed_pass_scores_every_fact_as_the_evaluator_and_one_walk_finds_the_decisive_ones() {
    let law = law();
    let when = date(2022, 1, 1);
    let unknown = Situation::unknown(&law, when);
    let choices: Vec<u32> = (0..law.facts.len())
        .map(|f| unknown.masks[f].count_ones() + 1)
        .collect();
    let total: u64 = choices.iter().map(|&c| c as u64).product();
    assert!(total <= 1 << 20, "the small law stays small: {total}");
    let (mut checked, mut packed, mut decisive, mut questions) = (0, 0, 0, 0);
    let mut expected = Vec::new();
    for mut k in 0..total {
        let mut s = unknown.clone();
        for (f, &n) in choices.iter().enumerate() {
            let c = k % n as u64;
            k /= n as u64;
            if c > 0 {
                let v = (0..32)
                    .filter(|v| unknown.masks[f] & (1 << v) != 0)
                    .nth(c as usize - 1)
                    .unwrap();
                s.masks[f] = 1 << v;
            }
        }
        let st = law.evaluate(&s.masks, when);
        // The compiled program's one-lane pass (the circuit) gives the
        // evaluator's status, defeaters named included.
        let one = law.compiled_status(&s);
        assert!(
            one.when == st.when
                && one.active == st.active
                && one.defeated_by == st.defeated_by
                && one.verdicts == st.verdicts,
            "status of {:?}",
            s.masks
        );
        let (undecided, candidates) = law.open_rules(&s, &st);
        // The next question, scoring only the facts that can come first,
        // is the whole ranking's first fact not skipped, whatever is skipped.
        let ranked = law.missing_facts(&s, &st);
        let mut skips: Vec<Vec<usize>> = (0..=ranked.len()).map(|k| ranked[..k].to_vec()).collect();
        skips.extend(ranked.iter().map(|&f| vec![f]));
        for skipped in skips {
            let first = ranked.iter().copied().find(|f| !skipped.contains(f));
            assert_eq!(
                law.first_missing(&s, &st, &skipped),
                first,
                "{skipped:?} skipped in {:?}",
                s.masks
            );
            questions += 1;
        }
        if candidates.count_ones() > 1 {
            packed += 1;
        }
        for (f, scores) in law.packed_scores(&s, &st, candidates) {
            law.branch_scores(&s, f, &undecided, &mut expected);
            assert_eq!(scores, expected, "fact {f} of {:?}", s.masks);
            assert_eq!(law.packed_scores(&s, &st, 1 << f), [(f, expected.clone())]);
            checked += 1;
        }
        // The decisive facts of one walk of the diagram are those the
        // reference search proves decisive, one search per fact.
        let walked = law.decisive_facts(&s, candidates);
        for f in (0..law.facts.len()).filter(|&f| candidates & (1 << f) != 0) {
            let mut budget = u32::MAX;
            let searched = law.is_decisive(&s, f, &mut budget);
            assert_eq!(
                Some(walked & (1 << f) != 0),
                searched,
                "fact {f} of {:?}",
                s.masks
            );
            decisive += u32::from(walked & (1 << f) != 0);
            // The walk that stops once `f` is found finds it exactly when
            // the whole walk does (the next question's early end).
            let stopped = law.decisive_facts_until(&s, candidates, 1 << f);
            assert_eq!(
                stopped & (1 << f),
                walked & (1 << f),
                "fact {f} of {:?}, walk stopped on it",
                s.masks
            );
        }
    }
    assert!(checked > 1000 && packed > 100, "{checked} {packed}");
    assert!(decisive > 100, "{decisive}");
    assert!(questions > 1000, "{questions}");
}
