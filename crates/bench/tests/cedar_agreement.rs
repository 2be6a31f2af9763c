//! The race against Cedar is fair only if both say the same thing: on
//! every reference case and every generated situation, Cedar allows
//! exactly when Sceau's verdict is `allowed`. On partial situations Cedar
//! cannot reason about unknown facts (a policy reading an absent attribute
//! is skipped), so Sceau may prove `allowed` by splitting where Cedar
//! denies; those are counted, and every other difference fails.

#[path = "../common/cedar.rs"]
#[allow(dead_code)] // the benches use all of it
mod cedar;

use cedar_policy::Authorizer;
use sceau_bench::{generated_mix, reference_situations};
use sceau_engine::{Situation, Verdict};

#[test]
fn cedar_and_sceau_agree_on_allow_and_deny() {
    let law = sceau_law::law();
    let set = cedar::policies(law);
    assert!(
        set.policies().count() > 10,
        "the rules become Cedar policies"
    );
    let auth = Authorizer::new();
    let parties = cedar::Parties::default();
    let mut situations: Vec<Situation> = reference_situations(law);
    let reference = situations.len();
    situations.extend(generated_mix(law, 20_000));
    let (mut allowed, mut split_only) = (0, 0);
    for (k, s) in situations.iter().enumerate() {
        let complete = (0..law.facts.len()).all(|f| s.is_known(f));
        let sceau = law.decide(s).verdict == Verdict::Allowed;
        let by_request = cedar::allows(&auth, &set, &parties.request(law, s));
        let json = cedar::context_json(law, s).to_string();
        let by_json = cedar::allows(&auth, &set, &parties.request_from_json(&json));
        assert_eq!(
            by_request, by_json,
            "situation {k}: both Cedar requests agree"
        );
        allowed += sceau as usize;
        if sceau == by_request {
            continue;
        }
        assert!(
            sceau && !complete,
            "situation {k} ({}): Sceau {sceau}, Cedar {by_request}, facts {:?}",
            if k < reference {
                "reference"
            } else {
                "generated"
            },
            s.known(law)
        );
        split_only += 1;
    }
    eprintln!(
        "{} situations, {allowed} allowed by Sceau, {split_only} partial ones proved allowed by Sceau only",
        situations.len()
    );
    assert!(allowed > 0, "the mix exercises permits");
}

/// The hand-written peer says what Sceau says on every situation both can
/// express: complete ones (on partial ones Cedar skips the policies that
/// read an absent attribute, including forbids, so it may allow where
/// Sceau waits for a fact; those are counted, not compared). Every class
/// of every set of rules in force (one complete member each; one class in
/// 16 on the other periods sharing that set) and the complete half of the
/// generated mix.
#[test]
fn hand_written_cedar_agrees_on_complete_situations() {
    let law = sceau_law::law();
    let set = cedar::hand_policies();
    let auth = Authorizer::new();
    let parties = cedar::Parties::default();
    let mut situations: Vec<Situation> = Vec::new();
    // Periods that differ by an article's version alone have the same rules
    // in force, so the same classes: each class of the first of them, one
    // in 16 of the others (their dates still reach the policies).
    let rule_bounds = law.rule_boundaries();
    let mut walked_rules: Vec<usize> = Vec::new();
    for date in law.epochs() {
        let rules = rule_bounds.partition_point(|b| *b <= date);
        let step = if walked_rules.contains(&rules) { 16 } else { 1 };
        walked_rules.push(rules);
        for masks in law.classes(date).into_iter().step_by(step) {
            let mut s = Situation::unknown(law, date);
            for (f, m) in masks.iter().enumerate().take(law.facts.len()) {
                s.set(f, m.trailing_zeros() as usize);
            }
            situations.push(s);
        }
    }
    let classes = situations.len();
    situations.extend(generated_mix(law, 20_000).into_iter().step_by(2));
    let mut allowed = 0;
    for (k, s) in situations.iter().enumerate() {
        assert!((0..law.facts.len()).all(|f| s.is_known(f)));
        let sceau = law.decide(s).verdict == Verdict::Allowed;
        let cedar = cedar::allows(&auth, &set, &parties.request(law, s));
        assert_eq!(
            sceau,
            cedar,
            "situation {k} ({}): Sceau {sceau}, hand-written Cedar {cedar}, facts {:?}",
            if k < classes { "class" } else { "generated" },
            s.known(law)
        );
        allowed += sceau as usize;
    }
    let (mut partial, mut differ) = (0, 0);
    for s in generated_mix(law, 20_000).iter().skip(1).step_by(2) {
        partial += 1;
        let sceau = law.decide(s).verdict == Verdict::Allowed;
        differ += (sceau != cedar::allows(&auth, &set, &parties.request(law, s))) as usize;
    }
    eprintln!(
        "hand-written Cedar: {} complete situations ({classes} classes), {allowed} allowed, all agree; \
         {partial} partial situations, {differ} answered differently (not comparable)",
        situations.len()
    );
    assert!(allowed > 100, "the situations exercise the permits");
}
