//! The reference engine: the same decisions as [`Law::decide`], computed
//! the original way — Kleene evaluation of the rules ([`crate::eval`]),
//! bounded searches over the completions ([`crate::search`]) and the
//! decisiveness search of [`crate::interview`]. Slow and simple, kept for
//! the tests: they compare the compiled engine ([`crate::compiled`]) with
//! it, and for the periods the compiled engine leaves to it (a corpus with
//! a conflict or a gap).

use crate::assessment::{self, Assessment};
use crate::decision::Decision;
use crate::interview::Next;
use crate::law::{Law, Verdict};
use crate::ranking::RANK_BUDGET;
use crate::situation::Situation;

/// The verdict and the status of every rule, by search.
pub fn assess(law: &Law, s: &Situation) -> Assessment {
    assessment::by_search(law, s).0
}

/// The contract's decision, by search.
pub fn decide(law: &Law, s: &Situation) -> Decision {
    decide_within(law, s).0
}

/// The decision by search, and the facts whose decisiveness the search
/// could not settle within its budget ([`RANK_BUDGET`]):
/// they end `missing`, after the facts proven decisive, where an exact
/// ranking (the compiled law's) leaves out those that are not; `None` when
/// the verdict search itself ran out (its possible verdicts are then a
/// lower bound).
pub fn decide_within(law: &Law, s: &Situation) -> (Decision, Option<Vec<String>>) {
    let (a, complete) = assessment::by_search(law, s);
    let mut unproven = Vec::new();
    let missing = if a.verdict == Verdict::Undetermined {
        let mut budget = RANK_BUDGET;
        let s = &a.situation;
        law.rank_missing_with(
            s,
            &a.status,
            &mut |f, undecided, out| law.branch_scores(s, f, undecided, out),
            &mut |f| {
                let d = law.is_decisive(s, f, &mut budget);
                if d.is_none() {
                    unproven.push(law.facts[f].id.clone());
                }
                d
            },
        )
    } else {
        vec![]
    };
    (law.build(&a, missing), complete.then_some(unproven))
}

/// The next question of the interview, by search: the first missing fact
/// not skipped, else a fact from which a presumption would settle a skipped
/// one, else a quality of a skipped label, else the decision (the interview's semantics, from the reference
/// decision).
pub fn next_skipping<'a>(law: &'a Law, s: &Situation, skipped: &[usize]) -> Next<'a> {
    let d = decide(law, s);
    if d.verdict == Verdict::Undetermined {
        if let Some(f) = d
            .missing
            .iter()
            .filter_map(|id| law.fact_idx(id))
            .find(|f| !skipped.contains(f))
        {
            return Next::Ask(&law.facts[f]);
        }
        if let Some(f) = law
            .qualities
            .presumptions
            .iter()
            .filter(|p| skipped.contains(&p.fact) && d.missing.contains(&law.facts[p.fact].id))
            .filter_map(|p| p.when.as_ref())
            .map(|w| w.unknown_reads(&s.masks))
            .flat_map(|bits| (0..law.facts.len()).filter(move |f| bits & (1 << f) != 0))
            .find(|f| !skipped.contains(f))
        {
            return Next::Ask(&law.facts[f]);
        }
        if let Some(f) = law.quality_of_unknown_label(s, skipped) {
            return Next::Ask(&law.facts[f]);
        }
    }
    Next::Decided(Box::new(d))
}
