//! The rules in force during one period, flattened into one program and
//! evaluated in Kleene logic over lanes ([`super::lanes`]): one pass gives
//! the status of every rule for up to 64 situations at once. On one lane,
//! the situation itself: its trace ([`Program::status`]); on lanes that
//! each set an unknown fact to one of its values, the facts packed side by
//! side: the scores of the ranking of the missing facts, every value of
//! several facts in one pass ([`Program::branches_all`]).
//!
//! Same semantics as [`Law::evaluate`] (the reference, kept for tests):
//! precedence order, defeaters, then the limits blocked by any ground that
//! applies, annotations last; the tests compare both.

use chrono::NaiveDate;

use crate::eval::Status;
use crate::expr::Tri;
use crate::law::{Law, MAX_RULES};
use crate::masks::MAX_FACTS;

use super::circuit::Circuit;
use super::lanes::{emit, eval, Lane, Op, Word};

/// One rule in force: where its condition's code is, and its links.
#[derive(Debug, Clone)]
struct Code {
    rule: u16,
    ops: (u32, u32),
    /// Defeaters (verdict rules) or hosts (annotations), in `links`.
    links: (u32, u32),
    /// Verdict index, or `u8::MAX` for an annotation.
    verdict: u8,
    /// A limit: its verdict counts only when no ground applies.
    limit: bool,
    /// Facts the rule's own condition reads.
    reads: u64,
    /// The bit of [`Program::circuit`] holding its condition's truth.
    root: u32,
    /// An annotation shown unless its condition is false
    /// ([`crate::law::Rule::shown_while_unknown`]).
    shown_while_unknown: bool,
}

/// One pass of the program: each rule's activity, and each verdict's, per
/// lane.
struct Pass {
    /// By rule index, as many as the law has (not [`MAX_RULES`]: a pass
    /// fills them all, and a few per decision).
    active: Vec<Lane>,
    verdicts: [Lane; 5],
}

impl Pass {
    /// Every one of `rules` inactive, every verdict unreached, in the lanes
    /// of `all` (the rules out of force stay so).
    fn new(all: u64, rules: usize) -> Pass {
        let none = Lane { t: 0, f: all };
        Pass {
            active: vec![none; rules],
            verdicts: [none; 5],
        }
    }
}

/// The flattened rules of one period.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    ops: Vec<Op>,
    links: Vec<u16>,
    /// Verdict rules in precedence order, then annotations in rule order.
    codes: Vec<Code>,
    /// How many of `codes` are verdict rules.
    verdict_rules: usize,
    /// The grounds in force, in precedence order.
    grounds: Vec<u16>,
    /// The limits in force, in precedence order, with their verdicts.
    limits: Vec<(u16, u8)>,
    /// Every value of each fact (a fact unknown again).
    full: [u32; MAX_FACTS],
    /// Every condition on one situation at once (the trace).
    circuit: Circuit,
    /// How many rules the law has, in force or not.
    rules: usize,
}

fn in_force(rules: &[usize], law: &Law, date: NaiveDate) -> Vec<u16> {
    rules
        .iter()
        .filter(|&&i| law.rules[i].in_force_on(date))
        .map(|&i| i as u16)
        .collect()
}

impl Program {
    /// The rules in force on `date` (any date of the period); `None` when
    /// their conditions outgrow the circuit's bitsets.
    pub fn compile(law: &Law, date: NaiveDate) -> Option<Program> {
        let mut p = Program {
            ops: Vec::new(),
            links: Vec::new(),
            codes: Vec::new(),
            verdict_rules: 0,
            grounds: in_force(law.grounds(), law, date),
            limits: in_force(&law.limits, law, date)
                .into_iter()
                .filter_map(|i| Some((i, law.rules[i as usize].verdict? as u8)))
                .collect(),
            full: std::array::from_fn(|f| law.facts.get(f).map_or(0, |d| d.full_mask())),
            // Compiled below, once the rules in force are listed.
            circuit: Circuit::empty(),
            rules: law.rules.len(),
        };
        let verdict_rules = law.order.iter().copied().filter(|&i| {
            let r = &law.rules[i];
            !r.is_annotation() && r.in_force_on(date)
        });
        let annotations = (0..law.rules.len())
            .filter(|&i| law.rules[i].is_annotation() && law.rules[i].in_force_on(date));
        for i in verdict_rules.chain(annotations) {
            let r = &law.rules[i];
            let start = p.ops.len() as u32;
            emit(&r.when, &mut p.ops);
            let lstart = p.links.len() as u32;
            let links = if r.is_annotation() {
                &law.attached[i]
            } else {
                &law.defeaters[i]
            };
            p.links.extend(links.iter().map(|&d| d as u16));
            p.codes.push(Code {
                rule: i as u16,
                ops: (start, p.ops.len() as u32),
                links: (lstart, p.links.len() as u32),
                verdict: r.verdict.map_or(u8::MAX, |v| v as u8),
                limit: law.is_limit(i),
                reads: r.when.reads(),
                root: 0, // with the circuit, below
                shown_while_unknown: r.shown_while_unknown,
            });
            if !r.is_annotation() {
                p.verdict_rules += 1;
            }
        }
        let (circuit, roots) =
            Circuit::compile(p.codes.iter().map(|c| &law.rules[c.rule as usize].when))?;
        for (c, root) in p.codes.iter_mut().zip(roots) {
            c.root = root;
        }
        p.circuit = circuit;
        Some(p)
    }

    /// Rule `c`'s condition over the lanes of `word`.
    fn cond(&self, c: &Code, masks: &[u32; MAX_FACTS], word: &Word) -> Lane {
        eval(&self.ops, c.ops.0 as usize, masks, &self.full, word).0
    }

    /// Rule `c`'s condition over the lanes: evaluated when it reads a fact
    /// of `word` and its value may differ from the situation's own
    /// (`base`), else that value in every lane. Kleene evaluation is
    /// monotone: a lane that sets an unknown fact to one of its values
    /// leaves a true or false condition as it is, so only an unknown one
    /// is evaluated; a lane that makes a fact unknown again (`reset`)
    /// leaves an unknown condition unknown, so only a true or false one is.
    fn when(&self, c: &Code, masks: &[u32; MAX_FACTS], word: &Word, base: &Status) -> Lane {
        let own = base.when[c.rule as usize];
        if c.reads & word.facts == 0 || (own == Tri::U) == word.reset {
            Lane::broadcast(own, word.all)
        } else {
            self.cond(c, masks, word)
        }
    }

    /// Every rule's condition and activity over the values of the facts of
    /// `word`; the conditions that read none of them are copied from
    /// `base`, the status of the situation itself.
    fn run(&self, masks: &[u32; MAX_FACTS], word: &Word, base: &Status, out: &mut Pass) {
        let Pass { active, verdicts } = out;
        let all = word.all;
        let none = Lane { t: 0, f: all };
        let (rules, annotations) = self.codes.split_at(self.verdict_rules);
        for c in rules {
            let i = c.rule as usize;
            let w = self.when(c, masks, word, base);
            // A condition false in every lane makes the rule inactive
            // whatever its defeaters (as `status` skips them).
            let a = if w.f == all {
                none
            } else {
                let links = &self.links[c.links.0 as usize..c.links.1 as usize];
                let mut beaten = none;
                for &d in links {
                    beaten = beaten.or(active[d as usize]);
                }
                w.and(beaten.not())
            };
            active[i] = a;
            if !c.limit {
                let v = c.verdict as usize;
                verdicts[v] = verdicts[v].or(a);
            }
        }
        // A limit blocks only its own grounds (its defeaters above) and
        // gives its verdict only when no ground applies at all.
        let ground = self
            .grounds
            .iter()
            .fold(none, |g, &d| g.or(active[d as usize]));
        for &(i, v) in &self.limits {
            let (i, v) = (i as usize, v as usize);
            let a = active[i].and(ground.not());
            active[i] = a;
            verdicts[v] = verdicts[v].or(a);
        }
        for c in annotations {
            let i = c.rule as usize;
            let w = self.when(c, masks, word, base);
            let links = &self.links[c.links.0 as usize..c.links.1 as usize];
            let host = if links.is_empty() {
                Lane { t: all, f: 0 }
            } else {
                links.iter().fold(none, |h, &t| h.or(active[t as usize]))
            };
            let w = if c.shown_while_unknown {
                Lane {
                    t: all & !w.f,
                    f: w.f,
                }
            } else {
                w
            };
            active[i] = w.and(host);
        }
    }

    /// The status of every rule on the situation `masks` itself: one lane,
    /// the same [`Status`] as [`Law::evaluate`] (the defeater named first
    /// in the rule's list that is certainly active, the first ground that
    /// applies for a limit it blocks), without walking the conditions'
    /// trees or looking up which rules are in force.
    pub fn status(&self, masks: &[u32; MAX_FACTS]) -> Status {
        let mut st = Status {
            when: [Tri::F; MAX_RULES],
            active: [Tri::F; MAX_RULES],
            defeated_by: [None; MAX_RULES],
            verdicts: [Tri::F; 5],
        };
        let bits = self.circuit.eval(masks);
        let (rules, annotations) = self.codes.split_at(self.verdict_rules);
        for c in rules {
            let i = c.rule as usize;
            let w = bits.tri(c.root);
            st.when[i] = w;
            if w == Tri::F {
                continue;
            }
            let mut beaten = Tri::F;
            for &d in &self.links[c.links.0 as usize..c.links.1 as usize] {
                let a = st.active[d as usize];
                if a == Tri::T {
                    st.defeated_by[i] = Some(d);
                    beaten = Tri::T;
                    break;
                }
                beaten = beaten.or(a);
            }
            let a = w.and(beaten.not());
            st.active[i] = a;
            if !c.limit {
                let v = c.verdict as usize;
                st.verdicts[v] = st.verdicts[v].or(a);
            }
        }
        let mut ground = Tri::F;
        let mut first_ground = None;
        for &d in &self.grounds {
            let a = st.active[d as usize];
            if a == Tri::T && first_ground.is_none() {
                first_ground = Some(d);
            }
            ground = ground.or(a);
        }
        for &(i, v) in &self.limits {
            let i = i as usize;
            if st.active[i] == Tri::F {
                continue;
            }
            let a = st.active[i].and(ground.not());
            if a == Tri::F && st.defeated_by[i].is_none() {
                st.defeated_by[i] = first_ground;
            }
            st.active[i] = a;
            let v = v as usize;
            st.verdicts[v] = st.verdicts[v].or(a);
        }
        for c in annotations {
            let i = c.rule as usize;
            let w = bits.tri(c.root);
            st.when[i] = w;
            let links = &self.links[c.links.0 as usize..c.links.1 as usize];
            let host = if links.is_empty() {
                Tri::T
            } else {
                links
                    .iter()
                    .fold(Tri::F, |h, &t| h.or(st.active[t as usize]))
            };
            let w = if c.shown_while_unknown && w == Tri::U {
                Tri::T
            } else {
                w
            };
            st.active[i] = w.and(host);
        }
        st
    }

    /// For each unknown fact `f` of `facts` and each value `v` of it (bit
    /// `v` of `masks[f]`, in order): whether the situation with `f = v`
    /// has a certain verdict, and how many of the rules `undecided` are
    /// still unknown there. The facts are packed on the 64 bits of a lane,
    /// one pass of the program per 64 values.
    pub fn branches_all(
        &self,
        masks: &[u32; MAX_FACTS],
        facts: u64,
        base: &Status,
        undecided: &[usize],
        out: &mut BranchTable,
    ) {
        out.scores.clear();
        let mut word = Word {
            all: 0,
            facts: 0,
            off: [0; MAX_FACTS],
            reset: false,
        };
        let mut packed = Vec::new();
        let mut rest = facts;
        while rest != 0 {
            let f = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let width = 32 - masks[f].leading_zeros();
            // No room left above the bits in use: this word's pass now.
            if word.facts != 0 && word.all.leading_zeros() < width {
                self.score_word(masks, &word, &packed, base, undecided, out);
                word.all = 0;
                word.facts = 0;
                packed.clear();
            }
            let off = 64 - word.all.leading_zeros();
            word.off[f] = off as u8;
            word.all |= (masks[f] as u64) << off;
            word.facts |= 1 << f;
            packed.push(f);
        }
        if word.facts != 0 {
            self.score_word(masks, &word, &packed, base, undecided, out);
        }
    }

    /// The facts of `facts` (at most 64) such that, with that fact alone
    /// unknown again (every value), `verdict` (an index) stays certain and
    /// no other verdict possible: one pass, a fact per bit of the lane,
    /// instead of one evaluation per fact. `base` is the status of `masks`.
    pub fn keeps_verdict(
        &self,
        masks: &[u32; MAX_FACTS],
        facts: u64,
        base: &Status,
        verdict: usize,
    ) -> u64 {
        let mut word = Word {
            all: 0,
            facts,
            off: [0; MAX_FACTS],
            reset: true,
        };
        let mut rest = facts;
        let mut bit = 0;
        while rest != 0 {
            let f = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            word.off[f] = bit;
            word.all |= 1 << bit;
            bit += 1;
        }
        let mut pass = Pass::new(word.all, self.rules);
        self.run(masks, &word, base, &mut pass);
        let mut kept = pass.verdicts[verdict].t;
        for (k, lane) in pass.verdicts.iter().enumerate() {
            if k != verdict {
                kept &= lane.f;
            }
        }
        let mut out = 0;
        let mut rest = facts;
        while rest != 0 {
            let f = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            if kept & (1 << word.off[f]) != 0 {
                out |= 1 << f;
            }
        }
        out
    }

    /// One pass for the facts `packed` of `word`, their scores appended.
    fn score_word(
        &self,
        masks: &[u32; MAX_FACTS],
        word: &Word,
        packed: &[usize],
        base: &Status,
        undecided: &[usize],
        out: &mut BranchTable,
    ) {
        let mut pass = Pass::new(word.all, self.rules);
        self.run(masks, word, base, &mut pass);
        let certain = pass.verdicts.iter().fold(0, |a, l| a | l.t);
        let mut left = [0u16; 64];
        for &i in undecided {
            let a = pass.active[i];
            let mut open = word.all & !(a.t | a.f);
            while open != 0 {
                left[open.trailing_zeros() as usize] += 1;
                open &= open - 1;
            }
        }
        for &f in packed {
            let start = out.scores.len() as u32;
            let off = word.off[f] as u32;
            let mut m = masks[f];
            while m != 0 {
                let bit = off + m.trailing_zeros();
                m &= m - 1;
                out.scores
                    .push((certain & (1 << bit) != 0, left[bit as usize] as usize));
            }
            out.range[f] = (start, out.scores.len() as u32);
        }
    }
}

/// The scores of [`Program::branches_all`]: fact `f`'s are
/// `scores[range[f].0..range[f].1]`, one per value, in order.
#[derive(Debug, Clone)]
pub(crate) struct BranchTable {
    pub scores: Vec<(bool, usize)>,
    pub range: [(u32, u32); MAX_FACTS],
}

impl BranchTable {
    pub fn new() -> BranchTable {
        BranchTable {
            scores: Vec::new(),
            range: [(0, 0); MAX_FACTS],
        }
    }

    pub fn of(&self, f: usize) -> &[(bool, usize)] {
        let (a, b) = self.range[f];
        &self.scores[a as usize..b as usize]
    }

    /// Fact `f`'s scores into `out` (the ranking's oracle).
    pub fn fill(&self, f: usize, out: &mut Vec<(bool, usize)>) {
        out.clear();
        out.extend_from_slice(self.of(f));
    }
}
