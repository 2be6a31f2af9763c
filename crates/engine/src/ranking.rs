//! The ranking of the missing facts: which unknown facts may change the
//! verdict, most decisive first.
//!
//! A fact is *decisive* when the verdicts still reachable differ between
//! its values (then some completion changes verdict with it). Decisive
//! facts come first; among them, those whose answers settle the most
//! rules; the catalogue order breaks ties so that questions come in a
//! natural order (who, to whom, why, then the details). The scores and
//! the order are computed here from two oracles, which the reference
//! answers by evaluation and search and [`crate::compiled`] by its program
//! and diagram.

use chrono::NaiveDate;

use crate::eval::Status;
use crate::expr::Tri;
use crate::law::{Law, Verdict};
use crate::masks::{branches, MAX_FACTS};
use crate::situation::Situation;

/// Nodes the decisiveness checks may visit for one ranking.
pub const RANK_BUDGET: u32 = 60_000;

/// Whether ordering the facts `facts` (bit `f`) takes their scores: not
/// when there is one at most, which comes first whatever it scores (the
/// compiled law then spares the packed pass that would score it).
pub(crate) fn needs_scores(facts: u64) -> bool {
    facts.count_ones() > 1
}

/// For each value of an unknown fact, in order: whether the verdict is then
/// certain, and how many of the given undecided rules stay unknown.
pub(crate) type BranchScores<'a> = dyn FnMut(usize, &[usize], &mut Vec<(bool, usize)>) + 'a;

impl Law {
    /// Unknown facts that may change the outcome, most decisive first, by
    /// search (the reference; [`Law::missing_facts`] is the same, compiled).
    pub(crate) fn rank_missing(&self, s: &Situation, st: &Status) -> Vec<usize> {
        let mut budget = RANK_BUDGET;
        self.rank_missing_with(
            s,
            st,
            &mut |f, undecided, out| self.branch_scores(s, f, undecided, out),
            &mut |f| self.is_decisive(s, f, &mut budget),
        )
    }

    /// For each value of the unknown fact `f`, by evaluation: whether the
    /// verdict is then certain and how many rules of `undecided` stay unknown.
    pub(crate) fn branch_scores(
        &self,
        s: &Situation,
        f: usize,
        undecided: &[usize],
        out: &mut Vec<(bool, usize)>,
    ) {
        out.clear();
        for masks in branches(&s.masks, f) {
            let st2 = self.evaluate(&masks, s.as_of);
            let left = undecided
                .iter()
                .filter(|&&i| st2.active[i] == Tri::U)
                .count();
            out.push((st2.certain().is_some(), left));
        }
    }

    /// The verdict rules still unknown on `s` (status `st`), and the
    /// unknown facts they read (bit `f`): the candidates of the ranking.
    pub(crate) fn open_rules(&self, s: &Situation, st: &Status) -> (Vec<usize>, u64) {
        // A loop, not a filtered iterator (its closure was a call per
        // rule); the status first (a byte a rule, in order), the rule's
        // definition only for the few still unknown.
        let mut undecided: Vec<usize> = Vec::new();
        let mut reads = 0u64;
        for (i, &a) in st.active[..self.rules.len()].iter().enumerate() {
            if a == Tri::U && self.rules[i].verdict.is_some() {
                undecided.push(i);
                reads |= self.reads[i];
            }
        }
        // The facts read, bit by bit, rather than every fact of the law.
        let mut candidates = 0u64;
        let mut rest = reads;
        while rest != 0 {
            let f = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            if f < self.facts.len() && !s.is_known(f) {
                candidates |= 1 << f;
            }
        }
        (undecided, candidates)
    }

    /// The facts `facts` (bit `f`; candidates: unknown, read by one of the
    /// open rules `undecided`), highest score first, ties in catalogue
    /// order. A fact's score does not depend on the others scored with it,
    /// and the order (score, then catalogue) is total: the order of a
    /// subset of the candidates is the order of all of them, filtered.
    /// A single fact is its own order: `lanes` is not asked for it (see
    /// [`needs_scores`]).
    pub(crate) fn by_score(
        &self,
        undecided: &[usize],
        facts: u64,
        lanes: &mut BranchScores<'_>,
    ) -> Vec<usize> {
        if !needs_scores(facts) {
            return (0..self.facts.len())
                .filter(|&f| facts & (1 << f) != 0)
                .collect();
        }
        let before = undecided.len().max(1) as f64;
        let mut scored: Vec<(usize, f64)> = Vec::new();
        let mut out = Vec::new();
        for f in (0..self.facts.len()).filter(|&f| facts & (1 << f) != 0) {
            lanes(f, undecided, &mut out);
            // The same arithmetic, in the same order, whatever the oracle:
            // equal scores must stay equal for the stable sort.
            let (mut settled, mut reduction, mut n) = (0.0, 0.0, 0.0);
            for &(certain, left) in &out {
                if certain {
                    settled += 1.0;
                }
                reduction += (before - left as f64) / before;
                n += 1.0;
            }
            scored.push((f, reduction / n + 0.5 * settled / n));
        }
        scored.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
        scored.into_iter().map(|(f, _)| f).collect()
    }

    /// The ranking of the missing facts, given two oracles: `lanes(f,
    /// undecided, out)` fills, for each value of the unknown fact `f` in
    /// order, whether the verdict is then certain and how many of the rules
    /// `undecided` stay unknown; `decisive(f)` says whether `f` is decisive
    /// (`None`: not proven either way). The reference answers them by
    /// evaluation and search, the compiled law by its program and diagram;
    /// everything else (scores, order, the purpose first) is this code.
    pub(crate) fn rank_missing_with(
        &self,
        s: &Situation,
        st: &Status,
        lanes: &mut BranchScores<'_>,
        decisive_oracle: &mut dyn FnMut(usize) -> Option<bool>,
    ) -> Vec<usize> {
        let (undecided, candidates) = self.open_rules(s, st);
        let scored = self.by_score(&undecided, candidates, lanes);
        let mut decisive = Vec::new();
        let mut unproven = Vec::new();
        let mut inert = Vec::new();
        for f in scored {
            match decisive_oracle(f) {
                Some(true) => decisive.push(f),
                Some(false) => inert.push(f),
                None => unproven.push(f),
            }
        }
        decisive.extend(unproven);
        let mut decisive = self.purpose_first(s, decisive);
        // A fact can matter only together with another (no single one splits
        // the verdicts here): then every fact the open rules read is needed.
        if decisive.is_empty() {
            decisive = inert;
        }
        decisive
    }

    /// The purpose declared decides which circumstances are presumed
    /// absent (qualities.toml): ask it before them; once known, ask first
    /// the circumstances it points to (a report: the violence; the
    /// prevention of a danger: the risk), then the rest.
    fn purpose_first(&self, s: &Situation, mut facts: Vec<usize>) -> Vec<usize> {
        if let Some(p) = self.qualities.purpose {
            if let Some(pos) = facts.iter().position(|&f| f == p) {
                let f = facts.remove(pos);
                facts.insert(0, f);
            } else if s.is_known(p) {
                let pointed = self.pointed(s, p);
                let (first, rest): (Vec<usize>, Vec<usize>) =
                    facts.iter().partition(|&&f| pointed & (1 << f) != 0);
                facts = first.into_iter().chain(rest).collect();
            }
        }
        facts
    }

    /// The circumstances the purpose `p`, known, points to (bit `f`): the
    /// facts of the presumptions that do not apply to it.
    fn pointed(&self, s: &Situation, p: usize) -> u64 {
        self.qualities
            .presumptions
            .iter()
            .filter(|q| q.purposes.is_some_and(|m| m & s.masks[p] == 0))
            .fold(0, |a, q| a | 1 << q.fact)
    }

    /// Where the first fact not `skipped` (bit `f`) of [`Law::rank_decisive`]'s
    /// ranking is, given the same `candidates` and `decisive` facts: `Ok`,
    /// that fact when no score is needed to know it (the purpose, decisive,
    /// comes first); `Err(facts)`, the highest scored of `facts` (none when
    /// empty). Only the facts that can come first are scored: the
    /// circumstances the purpose points to, when one of them is decisive
    /// and not skipped; else every decisive fact not skipped; the
    /// candidates not skipped when none is decisive. The order of a subset
    /// is the order of all, filtered (see `by_score`), and `purpose_first`
    /// keeps the order of the facts it leaves in place: this is the first
    /// fact of that ranking not skipped, without scoring the others (the
    /// next question of the interview).
    pub(crate) fn first_to_rank(
        &self,
        s: &Situation,
        candidates: u64,
        decisive: u64,
        skipped: u64,
    ) -> Result<usize, u64> {
        let decisive = decisive & candidates;
        if decisive == 0 {
            return Err(candidates & !skipped);
        }
        let open = decisive & !skipped;
        if let Some(p) = self.qualities.purpose {
            if open & (1 << p) != 0 {
                return Ok(p);
            }
            if decisive & (1 << p) == 0 && s.is_known(p) && open & self.pointed(s, p) != 0 {
                return Err(open & self.pointed(s, p));
            }
        }
        Err(open)
    }

    /// [`Law::rank_missing_with`]'s ranking given the decisive facts
    /// (bit `f`, exact: none unproven) among the `candidates` of the open
    /// rules `undecided`: only those are scored (`lanes` is asked of them
    /// alone), or every candidate when none is decisive. The purpose's
    /// reordering keeps the order of the facts it leaves in place, so
    /// applying it to the decisive facts alone gives the same list.
    pub(crate) fn rank_decisive(
        &self,
        s: &Situation,
        undecided: &[usize],
        candidates: u64,
        decisive: u64,
        lanes: &mut BranchScores<'_>,
    ) -> Vec<usize> {
        let decisive = decisive & candidates;
        if decisive == 0 {
            return self.by_score(undecided, candidates, lanes);
        }
        self.purpose_first(s, self.by_score(undecided, decisive, lanes))
    }

    /// Whether `f` is decisive: some completion of the other unknown facts
    /// gets different verdicts for different values of `f`. `None` when the
    /// budget ran out before knowing.
    pub fn is_decisive(&self, s: &Situation, f: usize, budget: &mut u32) -> Option<bool> {
        self.decisive_from(&s.masks, s.as_of, f, budget)
    }

    /// Splits on the other facts until every value of `f` has a certain
    /// verdict; stops at the first place where they differ.
    fn decisive_from(
        &self,
        masks: &[u32; MAX_FACTS],
        date: NaiveDate,
        f: usize,
        budget: &mut u32,
    ) -> Option<bool> {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        let mut seen: Option<Verdict> = None;
        let mut split = None;
        let mut possible = 0u8;
        for variant in branches(masks, f) {
            let st = self.evaluate(&variant, date);
            possible |= st.possible();
            match st.certain() {
                Some(x) => match seen {
                    Some(y) if y != x => return Some(true),
                    _ => seen = Some(x),
                },
                None => {
                    if split.is_none() {
                        split = self.order.iter().find_map(|&i| {
                            self.rules[i].verdict.and(self.split_fact(&st, &variant, i))
                        });
                    }
                }
            }
        }
        // One verdict at most is possible below, whatever the other facts:
        // no value of `f` can change it (a gap is never a different verdict).
        if possible.count_ones() <= 1 {
            return Some(false);
        }
        let Some(g) = split else { return Some(false) };
        let mut unknown = false;
        for next in branches(masks, g) {
            match self.decisive_from(&next, date, f, budget) {
                Some(true) => return Some(true),
                None => unknown = true,
                Some(false) => {}
            }
        }
        if unknown {
            None
        } else {
            Some(false)
        }
    }
}
