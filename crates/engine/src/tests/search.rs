//! `search`: the verdicts reachable over every completion of a situation.

use super::{date, edited, law, situation};
use crate::law::{Verdict, GAP};
use crate::load::load;

#[test]
fn the_reachable_verdicts_are_exact() {
    let law = law();
    let s = situation(&law, date(2022, 1, 1), &[("actor", "kine")]);
    let mut budget = 10_000;
    let r = law.reach(&s.masks, s.as_of, false, &mut budget);
    assert!(r.complete);
    assert_eq!(r.set, Verdict::Allowed.bit() | Verdict::Forbidden.bit());
    // Any actor: a student may also be told to refer.
    let any = situation(&law, date(2022, 1, 1), &[]);
    let r = law.reach(&any.masks, any.as_of, false, &mut budget);
    assert_eq!(
        r.set,
        Verdict::Allowed.bit() | Verdict::Forbidden.bit() | Verdict::Refer.bit()
    );
}

#[test]
fn a_known_consent_settles_the_search() {
    let law = law();
    let s = situation(&law, date(2022, 1, 1), &[("consent", "true")]);
    let mut budget = 10_000;
    let r = law.reach(&s.masks, s.as_of, true, &mut budget);
    assert_eq!((r.set, r.complete), (Verdict::Allowed.bit(), true));
    // One node: the evaluation was certain at the root.
    assert_eq!(budget, 9_999);
}

#[test]
fn a_search_out_of_budget_says_so() {
    let law = law();
    let s = situation(&law, date(2022, 1, 1), &[]);
    let mut budget = 2;
    let r = law.reach(&s.masks, s.as_of, false, &mut budget);
    assert!(!r.complete);
    assert_eq!(budget, 0);
}

#[test]
fn a_gap_is_reported_by_the_stopping_search() {
    // Without the general rule, a situation where no ground holds has no verdict.
    let files = edited("rules/t.toml", |t| {
        t.replace(
            "when = \"\"\nverdict = \"forbidden\"",
            "when = \"danger and not danger\"\nverdict = \"forbidden\"",
        )
    });
    let law = load(&files).expect("loads");
    let s = situation(
        &law,
        date(2022, 1, 1),
        &[("actor", "kine"), ("consent", "false"), ("danger", "false")],
    );
    let mut budget = 1_000;
    let r = law.reach(&s.masks, s.as_of, true, &mut budget);
    assert_eq!(r.set, GAP);
}
