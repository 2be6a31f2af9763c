//! Three-valued evaluation of every rule on a situation, in precedence
//! order: a rule is active when its condition holds and no rule that
//! defeats it is active.

use chrono::NaiveDate;

use crate::expr::Tri;
use crate::law::{Law, Verdict, MAX_RULES};

/// The status of each rule on one situation.
#[derive(Debug, Clone)]
pub struct Status {
    /// Condition value (F when the rule is not in force on the date).
    /// Fixed arrays: the search evaluates thousands of times per decision.
    pub when: [Tri; MAX_RULES],
    /// Condition holds and no defeater is active.
    pub active: [Tri; MAX_RULES],
    /// The first defeater that is certainly active, when there is one.
    pub defeated_by: [Option<u16>; MAX_RULES],
    /// For each rule verdict (by index), whether some rule with it is active.
    pub verdicts: [Tri; 5],
}

impl Status {
    /// The verdict certainly reached, if any. The corpus is checked to be
    /// free of conflicts, so at most one verdict can be certain.
    pub fn certain(&self) -> Option<Verdict> {
        self.verdicts
            .iter()
            .position(|&t| t == Tri::T)
            .map(|i| Verdict::from_index(i as u8))
    }

    /// Verdicts that some completion may still reach (bitset).
    pub fn possible(&self) -> u8 {
        self.verdicts
            .iter()
            .enumerate()
            .filter(|(_, &t)| t != Tri::F)
            .fold(0, |a, (i, _)| a | (1 << i))
    }
}

impl Law {
    pub fn evaluate(&self, masks: &[u32], date: NaiveDate) -> Status {
        let mut when = [Tri::F; MAX_RULES];
        let mut active = [Tri::F; MAX_RULES];
        let mut defeated_by = [None; MAX_RULES];
        let mut verdicts = [Tri::F; 5];
        for &i in &self.order {
            let r = &self.rules[i];
            if r.is_annotation() || !r.in_force_on(date) {
                continue;
            }
            let w = r.when.eval(masks);
            when[i] = w;
            if w == Tri::F {
                continue;
            }
            let mut beaten = Tri::F;
            for &d in &self.defeaters[i] {
                beaten = beaten.or(active[d]);
                if active[d] == Tri::T {
                    defeated_by[i] = Some(d as u16);
                    break;
                }
            }
            let a = w.and(beaten.not());
            active[i] = a;
            if let Some(v) = r.verdict {
                if !self.is_limit[i] {
                    let k = v as usize;
                    verdicts[k] = verdicts[k].or(a);
                }
            }
        }
        // A limit blocks the grounds it defeats; it gives its own verdict
        // only when no ground applies at all: a disclosure is lawful as soon
        // as any ground holds unblocked, whatever ground the user had in mind.
        let mut ground = Tri::F;
        let mut first_ground = None;
        for &d in &self.grounds {
            ground = ground.or(active[d]);
            if active[d] == Tri::T && first_ground.is_none() {
                first_ground = Some(d as u16);
            }
        }
        for &i in &self.limits {
            if active[i] == Tri::F {
                continue;
            }
            let a = active[i].and(ground.not());
            if a == Tri::F && defeated_by[i].is_none() {
                defeated_by[i] = first_ground;
            }
            active[i] = a;
            if let Some(v) = self.rules[i].verdict {
                let k = v as usize;
                verdicts[k] = verdicts[k].or(a);
            }
        }
        // Annotations last: they complete the verdict rules they attach to.
        for (i, r) in self.rules.iter().enumerate() {
            if !r.is_annotation() || !r.in_force_on(date) {
                continue;
            }
            let w = r.when.eval(masks);
            when[i] = w;
            let att = &self.attached[i];
            let host = if att.is_empty() {
                Tri::T
            } else {
                att.iter().fold(Tri::F, |a, &t| a.or(active[t]))
            };
            active[i] = r.shown_when(w).and(host);
        }
        Status {
            when,
            active,
            defeated_by,
            verdicts,
        }
    }

    /// The fact to split on next: one that an undecided verdict rule reads.
    pub(crate) fn next_split(&self, st: &Status, masks: &[u32]) -> Option<usize> {
        self.order
            .iter()
            .find_map(|&i| self.rules[i].verdict.and(self.split_fact(st, masks, i)))
    }

    /// The fact to split on to settle rule `i`'s status, if it is unknown.
    pub(crate) fn split_fact(&self, st: &Status, masks: &[u32], i: usize) -> Option<usize> {
        if st.active[i] != Tri::U {
            return None;
        }
        if st.when[i] == Tri::U {
            if let Some(f) = self.rules[i].when.first_unknown_fact(masks) {
                return Some(f);
            }
        }
        self.defeaters[i]
            .iter()
            .find_map(|&d| self.split_fact(st, masks, d))
            .or_else(|| {
                // A limit still unknown only because a ground may apply.
                if self.is_limit[i] {
                    self.grounds
                        .iter()
                        .find_map(|&d| self.split_fact(st, masks, d))
                } else {
                    None
                }
            })
    }

    /// Two-valued reference semantics for a complete situation (one value
    /// per fact): the verdicts of the active rules. Kept deliberately naive:
    /// the tests compare the three-valued engine against it.
    pub fn reference_verdicts(&self, values: &[u8], date: NaiveDate) -> Vec<Verdict> {
        fn active(law: &Law, i: usize, values: &[u8], date: NaiveDate) -> bool {
            let r = &law.rules[i];
            r.in_force_on(date)
                && r.when.holds(values)
                && !law.defeaters[i]
                    .iter()
                    .any(|&d| active(law, d, values, date))
        }
        let ground = self.grounds.iter().any(|&d| active(self, d, values, date));
        let mut out: Vec<Verdict> = (0..self.rules.len())
            .filter(|&i| self.rules[i].verdict.is_some() && active(self, i, values, date))
            .filter(|&i| !(self.is_limit[i] && ground))
            .filter_map(|i| self.rules[i].verdict)
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
