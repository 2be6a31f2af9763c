//! The whole finite space of situations the rules can distinguish, walked
//! by splitting on facts until every verdict rule is certainly active or
//! certainly not. Each leaf is a class of situations the law treats alike;
//! on each one the active rules must agree (no conflict) and at least one
//! must apply (no gap). Rules never active anywhere are dead.

use chrono::NaiveDate;

use crate::expr::Tri;
use crate::law::{Law, Verdict};
use crate::masks::{branches, MAX_FACTS};
use crate::situation::Situation;

/// A leaf where the law says two things, or nothing.
#[derive(Debug, Clone)]
pub struct Witness {
    pub date: NaiveDate,
    /// Known facts of the class (fact id, value); others do not matter.
    pub facts: Vec<(String, String)>,
    /// Active verdict rules at the leaf.
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Number of classes walked, over every period of the law.
    pub classes: u64,
    /// Sum over classes of the number of complete situations they stand for
    /// (as a float: the space is large).
    pub situations: f64,
    pub conflicts: Vec<Witness>,
    pub gaps: Vec<Witness>,
    /// Verdict rules active in no class, and annotations that can never apply.
    pub dead: Vec<String>,
    /// Per period: (date, classes).
    pub periods: Vec<(NaiveDate, u64)>,
}

const KEEP: usize = 20;

impl Law {
    /// Walks every period of the law and every class of situations.
    pub fn exhaustive(&self) -> Report {
        let mut rep = Report::default();
        let mut seen = vec![false; self.rules.len()];
        // The walk reads the date only through the rules in force on it, so
        // periods that differ by an article's version alone have the same
        // classes, the same witnesses (kept once per set of rules) and the
        // same rules seen: each set of rules in force is walked once, and
        // its classes are counted for every period that has it (19 periods
        // of the law, 8 sets of rules, on 2026-12-01).
        let mut walked: Vec<(Vec<bool>, u64, f64)> = Vec::new();
        for date in self.epochs() {
            let in_force: Vec<bool> = self.rules.iter().map(|r| r.in_force_on(date)).collect();
            if let Some((_, classes, situations)) = walked.iter().find(|w| w.0 == in_force) {
                rep.classes += classes;
                rep.situations += situations;
                rep.periods.push((date, *classes));
                continue;
            }
            let (before, before_situations) = (rep.classes, rep.situations);
            let s = Situation::unknown(self, date);
            self.walk(&s.masks, date, &mut rep, &mut seen);
            let classes = rep.classes - before;
            walked.push((in_force, classes, rep.situations - before_situations));
            rep.periods.push((date, classes));
        }
        // Rules not seen active at a leaf: search for one situation where
        // they apply before calling them dead.
        let epochs = self.epochs();
        for (i, s) in seen.iter_mut().enumerate() {
            if !*s {
                *s = epochs
                    .iter()
                    .any(|&d| self.can_apply(i, &Situation::unknown(self, d).masks, d));
            }
        }
        rep.dead = self
            .rules
            .iter()
            .enumerate()
            .filter(|(i, _)| !seen[*i])
            .map(|(_, r)| r.id.clone())
            .collect();
        rep
    }

    /// Whether rule `i` is certainly active in some completion of `masks`.
    fn can_apply(&self, i: usize, masks: &[u32; MAX_FACTS], date: NaiveDate) -> bool {
        let st = self.evaluate(masks, date);
        match st.active[i] {
            Tri::T => true,
            Tri::F => false,
            Tri::U => match self
                .split_fact(&st, masks, i)
                .or_else(|| self.next_split(&st, masks))
            {
                Some(f) => branches(masks, f).any(|next| self.can_apply(i, &next, date)),
                None => false,
            },
        }
    }

    fn walk(&self, masks: &[u32; MAX_FACTS], date: NaiveDate, rep: &mut Report, seen: &mut [bool]) {
        let st = self.evaluate(masks, date);
        // One verdict certain and no other possible: no completion below can
        // clash or fall into a gap, so the class ends here (rules still
        // undecided in it are checked for deadness apart, in `can_apply`).
        let settled = st.certain().is_some() && st.possible().count_ones() == 1;
        if settled {
            for (i, r) in self.rules.iter().enumerate() {
                if r.verdict.is_some() && st.active[i] == Tri::T {
                    seen[i] = true;
                }
            }
            rep.classes += 1;
            rep.situations += (0..self.facts.len())
                .map(|f| masks[f].count_ones() as f64)
                .product::<f64>();
            return;
        }
        if let Some(f) = self.next_split(&st, masks) {
            for next in branches(masks, f) {
                self.walk(&next, date, rep, seen);
            }
            return;
        }
        rep.classes += 1;
        rep.situations += (0..self.facts.len())
            .map(|f| masks[f].count_ones() as f64)
            .product::<f64>();
        let mut verdicts: Vec<Verdict> = Vec::new();
        let mut active = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            if st.active[i] != Tri::F {
                seen[i] = true;
            }
            if let (Some(v), Tri::T) = (r.verdict, st.active[i]) {
                active.push(r.id.clone());
                if !verdicts.contains(&v) {
                    verdicts.push(v);
                }
            }
        }
        if verdicts.len() != 1 {
            let w = Witness {
                date,
                facts: Situation {
                    masks: *masks,
                    as_of: date,
                    as_of_given: true,
                }
                .known(self),
                rules: active,
            };
            let list = if verdicts.is_empty() {
                &mut rep.gaps
            } else {
                &mut rep.conflicts
            };
            // One witness per set of clashing rules is enough to fix them.
            if list.len() < KEEP && !list.iter().any(|x| x.rules == w.rules) {
                list.push(w);
            }
        }
    }
}

impl Law {
    /// The classes of situations on `date`: value masks on each of which
    /// one verdict is certain and no other is possible (or, where verdict
    /// rules are still undecided, every verdict rule is certainly active or
    /// certainly not). Together they partition the whole space.
    pub fn classes(&self, date: NaiveDate) -> Vec<[u32; MAX_FACTS]> {
        let mut out = Vec::new();
        let mut stack = vec![Situation::unknown(self, date).masks];
        while let Some(masks) = stack.pop() {
            let st = self.evaluate(&masks, date);
            if st.certain().is_some() && st.possible().count_ones() == 1 {
                out.push(masks);
                continue;
            }
            match self
                .order
                .iter()
                .find_map(|&i| self.rules[i].verdict.and(self.split_fact(&st, &masks, i)))
            {
                None => out.push(masks),
                Some(f) => {
                    let mut m = masks[f];
                    while m != 0 {
                        let v = m.trailing_zeros();
                        m &= m - 1;
                        let mut next = masks;
                        next[f] = 1 << v;
                        stack.push(next);
                    }
                }
            }
        }
        out
    }
}
