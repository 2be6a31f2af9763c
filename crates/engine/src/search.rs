//! Splitting on unknown facts: the verdicts reachable from a situation
//! over all the ways of completing it. A verdict is given only when this
//! set has one element (soundness); the facts whose values change the set
//! are the ones worth asking.

use chrono::NaiveDate;

use crate::law::Law;
use crate::masks::{branches, MAX_FACTS};

/// Kept at its former path; it belongs to the sets of verdicts.
pub use crate::law::GAP;

/// Outcome of a bounded search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// Verdict bits (see `Verdict::bit`) and maybe `GAP`.
    pub set: u8,
    /// False when the node budget ran out: `set` is then a lower bound.
    pub complete: bool,
}

impl Law {
    /// Verdicts reachable from `masks` on `date`. With `stop_at_two`, stops
    /// as soon as two are found (enough to know the case is undetermined);
    /// without, the set of verdicts is exact but `GAP` is not reported.
    pub fn reach(
        &self,
        masks: &[u32; MAX_FACTS],
        date: NaiveDate,
        stop_at_two: bool,
        budget: &mut u32,
    ) -> Reach {
        let mut set = 0u8;
        let complete = self.reach_into(masks, date, stop_at_two, budget, &mut set);
        Reach { set, complete }
    }

    fn reach_into(
        &self,
        masks: &[u32; MAX_FACTS],
        date: NaiveDate,
        stop: bool,
        budget: &mut u32,
        set: &mut u8,
    ) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let st = self.evaluate(masks, date);
        if let Some(v) = st.certain() {
            *set |= v.bit();
            return true;
        }
        if st.possible() == 0 {
            *set |= GAP;
            return true;
        }
        // Collecting every reachable verdict: when all the verdicts still
        // possible here are already found, no completion below can add one
        // (three-valued evaluation over-approximates what completions reach).
        // Gaps are not looked for in that mode: its callers ignore them.
        if !stop && st.possible() & !*set == 0 {
            return true;
        }
        let Some(f) = self.next_split(&st, masks) else {
            // Unknown verdicts with nothing left to split: cannot happen
            // with Kleene logic over atoms, but never loop.
            *set |= st.possible();
            return true;
        };
        for next in branches(masks, f) {
            if !self.reach_into(&next, date, stop, budget, set) {
                return false;
            }
            if stop && set.count_ones() >= 2 {
                return true;
            }
        }
        true
    }
}
