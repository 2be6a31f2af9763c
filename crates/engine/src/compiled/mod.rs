//! The law compiled, once per period during which the rules in force do
//! not change (an article's new version changes the texts a decision
//! quotes, not its program nor its diagram): the rules in force
//! as one flat program ([`program`]: their conditions as a circuit over
//! bitsets, [`circuit`], and as code over lanes, [`lanes`]) and the whole
//! space of situations as a decision diagram ([`diagram`]). Deciding a
//! situation is then one pass of the circuit (the trace) and, when the
//! trace leaves the verdict open, one walk of the diagram; ranking the
//! missing facts is one pass of the program for every candidate fact at
//! once (their values packed on the bits of a lane, 64 a pass) and one
//! walk of the diagram that finds every decisive fact, without the
//! searches of the reference engine; the presumptions that carried a
//! verdict are told by one packed pass too. The next question scores only
//! the facts that can come first ([`Law::first_to_rank`]).
//!
//! Everything follows from the loaded law: any facts, rules and dates. The
//! reference semantics stay in [`crate::eval`], [`crate::search`] and
//! [`crate::interview`]; [`crate::reference`] decides with them alone, and
//! the tests compare both on every class and on random partial situations.
//! A period whose diagram has a conflict or a gap (a corpus that fails
//! validation) is decided by the reference engine.
//!
//! Periods are compiled lazily, on the first decision dated within them
//! ([`Law::compile_all`] compiles them all at once).

mod circuit;
mod diagram;
mod lanes;
mod program;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::assessment::{self, Assessment};
use crate::eval::Status;
use crate::law::{Law, Verdict, GAP};
use crate::masks::MAX_FACTS;
use crate::ranking::needs_scores;
use crate::situation::Situation;

use diagram::Diagram;
use program::{BranchTable, Program};

/// One period of validity, compiled.
#[derive(Debug)]
pub struct Period {
    program: Program,
    diagram: Diagram,
    /// Every value of each fact: a fact whose mask differs is narrowed.
    full: [u32; MAX_FACTS],
    facts: usize,
}

impl Period {
    fn compile(law: &Law, date: NaiveDate) -> Option<Period> {
        let program = Program::compile(law, date)?;
        let full = Situation::unknown(law, date).masks;
        let diagram = Diagram::build(law, date, &full);
        diagram.exact.then_some(Period {
            program,
            diagram,
            full,
            facts: law.facts.len(),
        })
    }

    fn narrowed(&self, masks: &[u32; MAX_FACTS]) -> u64 {
        (0..self.facts)
            .filter(|&f| masks[f] != self.full[f])
            .fold(0, |a, f| a | 1 << f)
    }
}

/// What compiling every period produced (`sceau rules check`, benches).
#[derive(Debug, Clone, Default)]
pub struct CompileReport {
    pub periods: usize,
    /// Periods of the law (as [`Law::epochs`]) left to the reference
    /// engine (conflict, gap, conditions too many for the circuit).
    pub uncompiled: usize,
    /// Classes of situations over all periods (leaves of the walk).
    pub classes: u64,
    /// Nodes of the diagrams, each counted once however many periods of
    /// the law share it.
    pub nodes: usize,
}

impl Law {
    /// The compiled period containing `date`, compiling it on first use;
    /// `None` when it is left to the reference engine.
    pub(crate) fn period(&self, date: NaiveDate) -> Option<&Period> {
        self.compiled
            .slot(date)
            .get_or_init(|| Period::compile(self, date).map(|p| Arc::new(p) as _))
            .as_deref()
            .and_then(|p| p.downcast_ref::<Period>())
    }

    /// Whether a decision dated `date` is answered in microseconds: its
    /// period is compiled and the fragments of the JSON and the pieces of
    /// the decision are prepared (`Law::prepare_json` prepares both). The
    /// web answers those on its async threads, and sends the others (the
    /// first of a period, which compiles it; a period left to the
    /// reference searches) to a thread that may block.
    pub fn ready_for(&self, date: NaiveDate) -> bool {
        self.compiled.slot(date).get().is_some_and(|p| p.is_some())
            && self.prepared.0.get().is_some()
            && self.pieces.0.get().is_some()
    }

    /// Compiles every period now (otherwise each is compiled on its first
    /// decision). The periods share nothing, so they are compiled on as
    /// many threads as the machine has cores, each taking the next period
    /// left: the largest take most of the time, and a fixed split would
    /// leave a core idle.
    pub fn compile_all(&self) -> CompileReport {
        let epochs = self.epochs();
        // One date per compiled period: periods of the law that differ by
        // an article's version alone share one program and one diagram.
        let mut dates: Vec<NaiveDate> = Vec::new();
        for &d in &epochs {
            if !dates
                .iter()
                .any(|&e| std::ptr::eq(self.compiled.slot(e), self.compiled.slot(d)))
            {
                dates.push(d);
            }
        }
        let next = AtomicUsize::new(0);
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(dates.len());
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    while let Some(&date) = dates.get(next.fetch_add(1, Ordering::Relaxed)) {
                        self.period(date);
                    }
                });
            }
        });
        let mut rep = CompileReport::default();
        for date in epochs {
            rep.periods += 1;
            match self.period(date) {
                None => rep.uncompiled += 1,
                Some(p) => rep.classes += p.diagram.classes,
            }
        }
        rep.nodes = dates
            .iter()
            .filter_map(|&d| self.period(d))
            .map(|p| p.diagram.size())
            .sum();
        rep
    }

    /// The verdict and the status of every rule, unrendered: the situation
    /// prepared ([`Law::prepare`]), one pass of the circuit (the trace, the
    /// same as [`Law::evaluate`]'s), and when it
    /// leaves the verdict open, one walk of the period's diagram.
    pub fn assess(&self, s: &Situation) -> Assessment {
        let Some(p) = self.period(s.as_of) else {
            return assessment::by_search(self, s).0;
        };
        let (s, presumed) = self.prepare(s);
        let status = p.program.status(&s.masks);
        let (verdict, possible) = match status.certain() {
            Some(v) => (v, v.bit()),
            None => {
                let set = p.diagram.reach(&s.masks, p.narrowed(&s.masks)) & !GAP;
                if set.count_ones() == 1 {
                    (Verdict::from_index(set.trailing_zeros() as u8), set)
                } else {
                    (Verdict::Undetermined, set)
                }
            }
        };
        self.assessment(
            s,
            presumed,
            status,
            verdict,
            possible,
            &mut |s, st, facts| {
                p.program
                    .keeps_verdict(&s.masks, facts, st, verdict as usize)
            },
        )
    }

    /// Unknown facts that may change the outcome, most decisive first: the
    /// reference ranking ([`Law::rank_missing_with`]), the decisive facts
    /// read on the diagram in one walk, exactly (no search budget), then
    /// the scores of those facts alone (of every candidate when none is
    /// decisive) computed in one pass of the program per 64 values.
    pub(crate) fn missing_facts(&self, s: &Situation, st: &Status) -> Vec<usize> {
        let Some(p) = self.period(s.as_of) else {
            return self.rank_missing(s, st);
        };
        let (undecided, candidates) = self.open_rules(s, st);
        let decisive = p
            .diagram
            .decisive_all(&s.masks, p.narrowed(&s.masks), candidates);
        let scored = if decisive != 0 { decisive } else { candidates };
        let mut table = BranchTable::new();
        if needs_scores(scored) {
            p.program
                .branches_all(&s.masks, scored, st, &undecided, &mut table);
        }
        self.rank_decisive(s, &undecided, candidates, decisive, &mut |f, _, out| {
            table.fill(f, out)
        })
    }

    /// The first fact of [`Law::missing_facts`] not in `skipped` (the next
    /// question): the decisive facts found in the same walk, but only the
    /// facts that can come first scored ([`Law::first_to_rank`]).
    pub(crate) fn first_missing(
        &self,
        s: &Situation,
        st: &Status,
        skipped: &[usize],
    ) -> Option<usize> {
        let Some(p) = self.period(s.as_of) else {
            let missing = self.rank_missing(s, st);
            return missing.into_iter().find(|f| !skipped.contains(f));
        };
        let (undecided, candidates) = self.open_rules(s, st);
        let skipped = skipped.iter().fold(0u64, |a, &f| a | 1 << f);
        // The purpose, decisive and not skipped, comes first whatever the
        // other facts: once it is found, the walk for the others can stop.
        let stop = self
            .qualities
            .purpose
            .map_or(0, |f| 1u64 << f & candidates & !skipped);
        let decisive = p
            .diagram
            .decisive_until(&s.masks, p.narrowed(&s.masks), candidates, stop);
        let scored = match self.first_to_rank(s, candidates, decisive, skipped) {
            Ok(f) => return Some(f),
            Err(facts) if !needs_scores(facts) => {
                return (facts != 0).then(|| facts.trailing_zeros() as usize)
            }
            Err(facts) => facts,
        };
        let mut table = BranchTable::new();
        p.program
            .branches_all(&s.masks, scored, st, &undecided, &mut table);
        let ranked = self.by_score(&undecided, scored, &mut |f, _, out| table.fill(f, out));
        ranked.first().copied()
    }

    /// The compiled scores of each fact of `facts` on `s` (status `st`),
    /// all of them from the packed passes: for the tests, which compare
    /// them with one pass per fact and with the evaluator.
    #[cfg(test)]
    pub(crate) fn packed_scores(
        &self,
        s: &Situation,
        st: &Status,
        facts: u64,
    ) -> Vec<(usize, Vec<(bool, usize)>)> {
        let p = self.period(s.as_of).expect("the period compiles");
        let (undecided, _) = self.open_rules(s, st);
        let mut table = BranchTable::new();
        p.program
            .branches_all(&s.masks, facts, st, &undecided, &mut table);
        (0..self.facts.len())
            .filter(|&f| facts & (1 << f) != 0)
            .map(|f| (f, table.of(f).to_vec()))
            .collect()
    }

    /// The status of every rule on `s` by the period's one-lane pass: for
    /// the tests, which compare it with the evaluator's.
    #[cfg(test)]
    pub(crate) fn compiled_status(&self, s: &Situation) -> Status {
        let p = self.period(s.as_of).expect("the period compiles");
        p.program.status(&s.masks)
    }

    /// The facts of `candidates` decisive on `s`, read in one walk of the
    /// diagram: for the tests, which compare them with the search.
    #[cfg(test)]
    pub(crate) fn decisive_facts(&self, s: &Situation, candidates: u64) -> u64 {
        self.decisive_facts_until(s, candidates, 0)
    }

    /// The same walk, ended as soon as a fact of `stop` is found decisive:
    /// for the tests, which check that it finds a fact of `stop` exactly
    /// when the whole walk does.
    #[cfg(test)]
    pub(crate) fn decisive_facts_until(&self, s: &Situation, candidates: u64, stop: u64) -> u64 {
        let p = self.period(s.as_of).expect("the period compiles");
        p.diagram
            .decisive_until(&s.masks, p.narrowed(&s.masks), candidates, stop)
    }
}
