//! Soundness and completeness of three-valued decisions, against an
//! independent oracle.
//!
//! The oracle: the finite classes of situations the rules distinguish
//! (`Law::classes`), each given the verdict of the naive two-valued
//! reference semantics (`Law::reference_verdicts`) on one of its members.
//! First we check that this partition is faithful (random complete
//! situations get their class's verdict, and exactly one rule verdict).
//! Then, for 100 000 generated partial situations:
//! - a definite verdict must be the verdict of every class the situation
//!   meets — of every completion of its unknown facts (soundness);
//! - `undetermined` must come only when two completions disagree
//!   (completeness), and `missing` must name at least one fact whose value
//!   alone changes the verdict of some completion.

use chrono::NaiveDate;
use proptest::prelude::*;
use sceau_engine::model::MAX_FACTS;
use sceau_engine::{Law, Situation, Verdict};

mod common;

struct Oracle {
    date: NaiveDate,
    classes: Vec<([u32; MAX_FACTS], Verdict)>,
}

fn representative(law: &Law, masks: &[u32; MAX_FACTS]) -> Vec<u8> {
    (0..law.facts.len())
        .map(|f| masks[f].trailing_zeros() as u8)
        .collect()
}

fn oracle(law: &Law, date: NaiveDate) -> Oracle {
    let classes = law
        .classes(date)
        .into_iter()
        .map(|m| {
            let v = law.reference_verdicts(&representative(law, &m), date);
            assert_eq!(v.len(), 1, "class without a single verdict: {v:?}");
            (m, v[0])
        })
        .collect();
    Oracle { date, classes }
}

fn meets(n: usize, a: &[u32; MAX_FACTS], b: &[u32; MAX_FACTS]) -> bool {
    (0..n).all(|f| a[f] & b[f] != 0)
}

fn dates() -> Vec<NaiveDate> {
    [
        "2019-03-01",
        "2025-06-01",
        "2026-02-07",
        "2026-02-08",
        "2026-11-24",
    ]
    .iter()
    .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap())
    .collect()
}

/// A situation: per fact, a value index or `domain` for unknown.
fn situation_strategy(
    law: &Law,
    known_prob: f64,
) -> impl Strategy<Value = (usize, Vec<Option<u8>>)> {
    let domains: Vec<usize> = law.facts.iter().map(|f| f.domain_size()).collect();
    let per_fact: Vec<BoxedStrategy<Option<u8>>> = domains
        .into_iter()
        .map(|d| {
            if known_prob >= 1.0 {
                (0..d as u8).prop_map(Some).boxed()
            } else {
                prop::option::weighted(known_prob, 0..d as u8).boxed()
            }
        })
        .collect();
    (0..dates().len(), per_fact)
}

fn build(law: &Law, date: NaiveDate, values: &[Option<u8>]) -> Situation {
    let mut s = Situation::unknown(law, date);
    for (f, v) in values.iter().enumerate() {
        if let Some(v) = v {
            s.set(f, *v as usize);
        }
    }
    s
}

#[test]
fn classes_partition_the_space_faithfully() {
    let law = sceau_law::law();
    let oracles: Vec<Oracle> = dates().into_iter().map(|d| oracle(law, d)).collect();
    let n = law.facts.len();
    common::runner(20_000)
        .run(&situation_strategy(law, 1.0), |(di, values)| {
            let o = &oracles[di];
            let s = build(law, o.date, &values);
            let complete: Vec<u8> = values.iter().map(|v| v.unwrap()).collect();
            let reference = law.reference_verdicts(&complete, o.date);
            prop_assert_eq!(
                reference.len(),
                1,
                "a complete situation has exactly one verdict"
            );
            let classes: Vec<&Verdict> = o
                .classes
                .iter()
                .filter(|(m, _)| meets(n, m, &s.masks))
                .map(|(_, v)| v)
                .collect();
            prop_assert_eq!(
                classes.len(),
                1,
                "a complete situation lies in exactly one class"
            );
            prop_assert_eq!(*classes[0], reference[0]);
            prop_assert_eq!(law.decide(&s).verdict, reference[0]);
            Ok(())
        })
        .unwrap();
}

#[test]
fn partial_situations_are_decided_soundly_and_completely() {
    let law = sceau_law::law();
    let oracles: Vec<Oracle> = dates().into_iter().map(|d| oracle(law, d)).collect();
    let n = law.facts.len();
    let mut total = 0u32;
    for (known_prob, cases) in [(0.9, 40_000u32), (0.7, 40_000), (0.4, 20_000)] {
        total += cases;
        common::runner(cases)
            .run(&situation_strategy(law, known_prob), |(di, values)| {
                let o = &oracles[di];
                let s = build(law, o.date, &values);
                // A quality contradicting its label is refused at parsing:
                // such inputs are not situations.
                if law.qualities.restrict(&mut s.masks.clone()).is_err() {
                    return Ok(());
                }
                let d = law.decide(&s);
                // The completions are those of the situation the rules see:
                // labels narrowed by the qualities, presumptions applied.
                let (s, _) = law.prepare(&s);
                let met: Vec<&([u32; MAX_FACTS], Verdict)> = o
                    .classes
                    .iter()
                    .filter(|(m, _)| meets(n, m, &s.masks))
                    .collect();
                let mut verdicts: Vec<Verdict> = met.iter().map(|(_, v)| *v).collect();
                verdicts.sort();
                verdicts.dedup();
                if d.verdict != Verdict::Undetermined {
                    prop_assert_eq!(&verdicts, &vec![d.verdict], "unsound: {:?}", s.known(law));
                    prop_assert!(!d.basis.is_empty());
                    return Ok(());
                }
                prop_assert!(
                    verdicts.len() >= 2,
                    "undetermined though every completion gives {:?}: {:?}",
                    verdicts,
                    s.known(law)
                );
                prop_assert!(!d.missing.is_empty());
                let decisive = d.missing.iter().any(|id| {
                    let f = law.fact_idx(id).unwrap();
                    met.iter().enumerate().any(|(i, (a, va))| {
                        met[i + 1..].iter().any(|(b, vb)| {
                            va != vb
                                && (0..n).all(|g| g == f || a[g] & b[g] & s.masks[g] != 0)
                                && a[f] & b[f] == 0
                        })
                    })
                });
                prop_assert!(
                    decisive,
                    "no missing fact changes the outcome: {:?} for {:?}",
                    d.missing,
                    s.known(law)
                );
                Ok(())
            })
            .unwrap();
    }
    assert!(total >= 100_000);
}
