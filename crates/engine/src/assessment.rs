//! A decision before it is rendered: the verdict, the verdicts still
//! possible, the presumptions that carried it and the status of every
//! rule, i.e. everything the trace says, without a single allocation.
//! [`crate::compiled`] computes it with the compiled law; [`by_search`]
//! computes it by search alone (the reference, and the periods the
//! compiled law leaves to it). [`Law::render`] turns it into the
//! contract's [`crate::Decision`].

use chrono::NaiveDate;

use crate::eval::Status;
use crate::expr::Tri;
use crate::law::{Law, Verdict, GAP};
use crate::situation::Situation;

/// Nodes the completion search may visit for one decision.
pub const DECIDE_BUDGET: u32 = 200_000;

/// See the module's documentation. Callers that only need the verdict or
/// walk the trace themselves stop here.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The situation as the rules saw it (see [`Law::prepare`]).
    pub situation: Situation,
    /// Facts presumed (bitset of fact indices).
    pub presumed: u64,
    pub verdict: Verdict,
    /// Bitset of the verdicts still possible (see `Verdict::bit`).
    pub possible: u8,
    pub status: Status,
}

impl Assessment {
    /// The trace outcome of rule `i` on date `as_of` (`applied`, `defeated`,
    /// `not_applicable`, `unknown`) and the index of the rule that defeated
    /// it; the same outcome as the rendered trace entry.
    pub fn outcome(&self, law: &Law, i: usize, as_of: NaiveDate) -> (&'static str, Option<usize>) {
        if !law.rules[i].in_force_on(as_of) {
            return ("not_applicable", None);
        }
        outcome(&self.status, i)
    }
}

/// The outcomes of a rule in force, in the order of [`OUTCOMES`].
pub(crate) const APPLIED: usize = 0;
pub(crate) const NOT_APPLICABLE: usize = 1;
pub(crate) const UNKNOWN: usize = 2;
pub(crate) const DEFEATED: usize = 3;

/// The trace's names of the outcomes.
pub(crate) const OUTCOMES: [&str; 4] = ["applied", "not_applicable", "unknown", "defeated"];

/// Outcome of a rule in force, from its status.
pub(crate) fn outcome(st: &Status, i: usize) -> (&'static str, Option<usize>) {
    let (k, by) = outcome_index(st, i);
    (OUTCOMES[k], by)
}

/// The same as [`outcome`], as an index into [`OUTCOMES`].
#[inline]
pub(crate) fn outcome_index(st: &Status, i: usize) -> (usize, Option<usize>) {
    match (st.when[i], st.active[i]) {
        (Tri::F, _) => (NOT_APPLICABLE, None),
        (_, Tri::T) => (APPLIED, None),
        (Tri::T, Tri::F) => (DEFEATED, st.defeated_by[i].map(|d| d as usize)),
        (_, Tri::F) => (NOT_APPLICABLE, None),
        _ => (UNKNOWN, None),
    }
}

impl Law {
    /// The facts of `facts` such that, with that fact alone unknown again
    /// in `s`, the evaluation still has `verdict` certain and alone: one
    /// evaluation per fact (the reference; the compiled law does one packed
    /// pass).
    pub(crate) fn keeps_verdict(&self, s: &Situation, verdict: Verdict, facts: u64) -> u64 {
        (0..self.facts.len())
            .filter(|&f| facts & (1 << f) != 0)
            .filter(|&f| {
                let mut m = s.masks;
                m[f] = self.facts[f].full_mask();
                let alt = self.evaluate(&m, s.as_of);
                alt.certain() == Some(verdict) && alt.possible().count_ones() == 1
            })
            .fold(0, |a, f| a | 1 << f)
    }

    /// The assessment of the prepared situation `s` once its verdict is
    /// known: keeps only the presumptions that carried the answer (without
    /// them the verdict would not be certain), told by `keeps(s, status,
    /// facts)` ([`Law::keeps_verdict`] or the compiled law's packed pass).
    pub(crate) fn assessment(
        &self,
        s: Situation,
        presumed: u64,
        status: Status,
        verdict: Verdict,
        possible: u8,
        keeps: &mut dyn FnMut(&Situation, &Status, u64) -> u64,
    ) -> Assessment {
        let mut decisive = 0u64;
        // Kleene evaluation is monotone: with a presumed fact unknown again
        // it is certain of no more than now. Unless the verdict is already
        // certain and alone by evaluation, every presumption carried it.
        if !(status.certain() == Some(verdict) && status.possible().count_ones() == 1) {
            decisive = presumed;
        }
        let check = presumed & !decisive;
        if check != 0 {
            decisive |= check & !keeps(&s, &status, check);
        }
        Assessment {
            situation: s,
            presumed: decisive,
            verdict,
            possible,
            status,
        }
    }
}

/// The assessment by search, and whether the searches finished within
/// their budget (otherwise the verdict is `undetermined` and its possible
/// verdicts are a lower bound).
pub(crate) fn by_search(law: &Law, s: &Situation) -> (Assessment, bool) {
    let (s, presumed) = law.prepare(s);
    let st = law.evaluate(&s.masks, s.as_of);
    let mut budget = DECIDE_BUDGET;
    let mut complete = true;
    let (verdict, possible) = match st.certain() {
        Some(v) => (v, v.bit()),
        None => {
            let r = law.reach(&s.masks, s.as_of, true, &mut budget);
            let only = r.set & !GAP;
            if r.complete && r.set & GAP == 0 && only.count_ones() == 1 {
                (Verdict::from_index(only.trailing_zeros() as u8), only)
            } else {
                let mut b = DECIDE_BUDGET;
                let full = law.reach(&s.masks, s.as_of, false, &mut b);
                complete = full.complete;
                (Verdict::Undetermined, (full.set | r.set) & !GAP)
            }
        }
    };
    let mut keeps = |s: &Situation, _: &Status, facts| law.keeps_verdict(s, verdict, facts);
    let a = law.assessment(s, presumed, st, verdict, possible, &mut keeps);
    (a, complete)
}
