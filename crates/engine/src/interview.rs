//! The guided interview: which unknown fact to ask next, from the ranking
//! of the missing facts ([`crate::ranking`]), or the decision when the
//! facts known settle it; and what to ask instead when the person does not
//! know a decisive fact.

use crate::decision::Decision;
use crate::law::{FactDef, Law, Verdict};
use crate::masks::branches;
use crate::situation::Situation;

/// Kept at its former path; the ranking of the missing facts uses it.
pub use crate::ranking::RANK_BUDGET;

#[derive(Debug, Clone)]
pub enum Next<'a> {
    /// Ask this fact.
    Ask(&'a FactDef),
    /// The facts known settle the question.
    Decided(Box<Decision>),
}

impl Law {
    /// The next question of the interview, or the decision.
    pub fn next(&self, s: &Situation) -> Next<'_> {
        self.next_skipping(s, &[])
    }

    /// The next question, leaving aside the facts the person said they do
    /// not know; the decision (perhaps `undetermined`) when none is left.
    /// A question needs the ranking of the missing facts, not the rendered
    /// decision: the decision is rendered only when it is the answer.
    pub fn next_skipping(&self, s: &Situation, skipped: &[usize]) -> Next<'_> {
        let a = self.assess(s);
        if a.verdict != Verdict::Undetermined {
            return Next::Decided(Box::new(self.assemble(&a, &[])));
        }
        if let Some(f) = self.first_missing(&a.situation, &a.status, skipped) {
            return Next::Ask(&self.facts[f]);
        }
        let missing = self.missing_facts(&a.situation, &a.status);
        // Every decisive fact left is unknown to the person: ask instead
        // a fact from which a presumption would settle one of them (a
        // refused consent is an opposition…).
        if let Some(f) = self
            .qualities
            .presumptions
            .iter()
            .filter(|p| skipped.contains(&p.fact) && missing.contains(&p.fact))
            .filter_map(|p| p.when.as_ref())
            .map(|w| w.unknown_reads(&s.masks))
            .flat_map(|bits| (0..self.facts.len()).filter(move |f| bits & (1 << f) != 0))
            .find(|f| !skipped.contains(f))
        {
            return Next::Ask(&self.facts[f]);
        }
        // The label is unknown to the person (« je ne sais pas » to the
        // recipient): ask instead the legal qualities that would narrow it
        // (« est-ce une autorité judiciaire ? »), one that can settle the
        // answer first.
        if let Some(f) = self.quality_of_unknown_label(s, skipped) {
            return Next::Ask(&self.facts[f]);
        }
        Next::Decided(Box::new(self.assemble(&a, &missing)))
    }

    /// A quality fact of a label the person skipped, unknown and not
    /// skipped itself, one of whose answers settles the verdict.
    pub(crate) fn quality_of_unknown_label(
        &self,
        s: &Situation,
        skipped: &[usize],
    ) -> Option<usize> {
        let mut seen = 0u64;
        self.qualities
            .qualities
            .iter()
            .filter(|q| {
                skipped.contains(&q.of) && !s.is_known(q.fact) && !skipped.contains(&q.fact)
            })
            .map(|q| q.fact)
            .filter(|&f| {
                let first = seen & (1 << f) == 0;
                seen |= 1 << f;
                first
            })
            .find(|&f| {
                branches(&s.masks, f).any(|masks| {
                    let mut t = s.clone();
                    t.masks = masks;
                    self.assess(&t).verdict != Verdict::Undetermined
                })
            })
    }
}
