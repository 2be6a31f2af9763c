//! The rules in force during one period, flattened into one postfix
//! program and evaluated in Kleene logic over *lanes*: each bit of a
//! 64-bit lane stands for the situation with one unknown fact set to one of
//! its values (the facts packed side by side, each on its own bits), so
//! one pass evaluates every value of several facts at once (the ranking of
//! the missing facts asks exactly that, for every unknown fact). The trace of the situation itself is
//! the reference evaluator's ([`Law::evaluate`]), whose short-circuits win
//! on a single situation.
//!
//! Same semantics as [`Law::evaluate`] (the reference, kept for tests):
//! precedence order, defeaters, then the limits blocked by any ground that
//! applies, annotations last; the tests compare both.

use chrono::NaiveDate;

use crate::eval::Status;
use crate::expr::{atom, Expr, Tri};
use crate::law::{Law, MAX_RULES};
use crate::masks::MAX_FACTS;

/// Deepest operand stack a condition may need; deeper conditions (none in
/// sight: the corpus nests a few levels) leave the period uncompiled.
const STACK: usize = 64;

/// A three-valued truth per lane: bit `v` of `t` (of `f`) set when the
/// value is certainly true (false) in lane `v`; neither: unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lane {
    pub t: u64,
    pub f: u64,
}

impl Lane {
    const NONE: Lane = Lane { t: 0, f: 0 };
    fn and(self, o: Lane) -> Lane {
        Lane {
            t: self.t & o.t,
            f: self.f | o.f,
        }
    }
    fn or(self, o: Lane) -> Lane {
        Lane {
            t: self.t | o.t,
            f: self.f & o.f,
        }
    }
    fn not(self) -> Lane {
        Lane {
            t: self.f,
            f: self.t,
        }
    }
    /// The same truth in every lane of `all`.
    fn broadcast(t: Tri, all: u64) -> Lane {
        match t {
            Tri::T => Lane { t: all, f: 0 },
            Tri::F => Lane { t: 0, f: all },
            Tri::U => Lane::NONE,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Op {
    True,
    Atom { fact: u8, mask: u32 },
    Not,
    And(u16),
    Or(u16),
}

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
}

/// One pass of the program: each rule's condition and activity, and
/// each verdict's, per lane.
struct Pass {
    when: [Lane; MAX_RULES],
    active: [Lane; MAX_RULES],
    verdicts: [Lane; 5],
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
}

fn emit(e: &Expr, ops: &mut Vec<Op>, depth: usize, max: &mut usize) {
    *max = (*max).max(depth + 1);
    match e {
        Expr::True => ops.push(Op::True),
        Expr::Atom { fact, mask } => ops.push(Op::Atom {
            fact: *fact,
            mask: *mask,
        }),
        Expr::Not(x) => {
            emit(x, ops, depth, max);
            ops.push(Op::Not);
        }
        Expr::And(xs) | Expr::Or(xs) => {
            for (k, x) in xs.iter().enumerate() {
                emit(x, ops, depth + k, max);
            }
            let n = xs.len() as u16;
            ops.push(if matches!(e, Expr::And(_)) {
                Op::And(n)
            } else {
                Op::Or(n)
            });
        }
    }
}

fn in_force(rules: &[usize], law: &Law, date: NaiveDate) -> Vec<u16> {
    rules
        .iter()
        .filter(|&&i| law.rules[i].in_force_on(date))
        .map(|&i| i as u16)
        .collect()
}

impl Program {
    /// The rules in force on `date` (any date of the period), or `None`
    /// when a condition is too deep for the evaluator's stack.
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
        };
        let mut max = 0;
        let verdict_rules = law.order.iter().copied().filter(|&i| {
            let r = &law.rules[i];
            !r.is_annotation() && r.in_force_on(date)
        });
        let annotations = (0..law.rules.len())
            .filter(|&i| law.rules[i].is_annotation() && law.rules[i].in_force_on(date));
        for i in verdict_rules.chain(annotations) {
            let r = &law.rules[i];
            let start = p.ops.len() as u32;
            emit(&r.when, &mut p.ops, 0, &mut max);
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
            });
            if !r.is_annotation() {
                p.verdict_rules += 1;
            }
        }
        (max <= STACK).then_some(p)
    }

    fn cond(&self, c: &Code, masks: &[u32], word: &Word, stack: &mut [Lane; STACK]) -> Lane {
        let all = word.all;
        let mut top = 0;
        for op in &self.ops[c.ops.0 as usize..c.ops.1 as usize] {
            match *op {
                Op::True => {
                    stack[top] = Lane { t: all, f: 0 };
                    top += 1;
                }
                Op::Atom { fact, mask } => {
                    let fact = fact as usize;
                    let m = masks[fact];
                    stack[top] = if word.facts & (1 << fact) != 0 && word.reset {
                        // Its own bit: the fact unknown again; the other
                        // bits: the situation's value of the atom.
                        let own = 1u64 << word.off[fact];
                        let mut lane = Lane::broadcast(atom(m, mask), all & !own);
                        let again = Lane::broadcast(atom(self.full[fact], mask), own);
                        lane.t |= again.t;
                        lane.f |= again.f;
                        lane
                    } else if word.facts & (1 << fact) != 0 {
                        // Its own bits: each value; the other facts' bits:
                        // the situation's value of the atom.
                        let off = word.off[fact];
                        let own = (m as u64) << off;
                        let mut lane = Lane::broadcast(atom(m, mask), all & !own);
                        lane.t |= ((m & mask) as u64) << off;
                        lane.f |= ((m & !mask) as u64) << off;
                        lane
                    } else {
                        Lane::broadcast(atom(m, mask), all)
                    };
                    top += 1;
                }
                Op::Not => stack[top - 1] = stack[top - 1].not(),
                Op::And(n) => {
                    let n = n as usize;
                    let mut acc = Lane { t: all, f: 0 };
                    for x in &stack[top - n..top] {
                        acc = acc.and(*x);
                    }
                    top -= n;
                    stack[top] = acc;
                    top += 1;
                }
                Op::Or(n) => {
                    let n = n as usize;
                    let mut acc = Lane { t: 0, f: all };
                    for x in &stack[top - n..top] {
                        acc = acc.or(*x);
                    }
                    top -= n;
                    stack[top] = acc;
                    top += 1;
                }
            }
        }
        stack[0]
    }

    /// Rule `c`'s condition over the lanes: evaluated when it reads a fact
    /// of `word`, else the situation's own value (`base`) in every lane.
    fn when(
        &self,
        c: &Code,
        masks: &[u32],
        word: &Word,
        base: &Status,
        stack: &mut [Lane; STACK],
    ) -> Lane {
        if c.reads & word.facts == 0 {
            Lane::broadcast(base.when[c.rule as usize], word.all)
        } else {
            self.cond(c, masks, word, stack)
        }
    }

    /// Every rule's condition and activity over the values of the facts of
    /// `word`; the conditions that read none of them are copied from
    /// `base`, the status of the situation itself.
    fn run(&self, masks: &[u32], word: &Word, base: &Status, out: &mut Pass) {
        let Pass {
            when,
            active,
            verdicts,
        } = out;
        let all = word.all;
        let none = Lane { t: 0, f: all };
        let mut stack = [Lane::NONE; STACK];
        let (rules, annotations) = self.codes.split_at(self.verdict_rules);
        for c in rules {
            let i = c.rule as usize;
            let w = self.when(c, masks, word, base, &mut stack);
            when[i] = w;
            let links = &self.links[c.links.0 as usize..c.links.1 as usize];
            let mut beaten = none;
            for &d in links {
                beaten = beaten.or(active[d as usize]);
            }
            let a = w.and(beaten.not());
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
            let w = self.when(c, masks, word, base, &mut stack);
            when[i] = w;
            let links = &self.links[c.links.0 as usize..c.links.1 as usize];
            let host = if links.is_empty() {
                Lane { t: all, f: 0 }
            } else {
                links.iter().fold(none, |h, &t| h.or(active[t as usize]))
            };
            active[i] = w.and(host);
        }
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
        let none = Lane { t: 0, f: word.all };
        let mut pass = Pass {
            when: [none; MAX_RULES],
            active: [none; MAX_RULES],
            verdicts: [none; 5],
        };
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
        let none = Lane { t: 0, f: word.all };
        let mut pass = Pass {
            when: [none; MAX_RULES],
            active: [none; MAX_RULES],
            verdicts: [none; 5],
        };
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

/// The facts one pass evaluates, packed on the bits of a lane.
struct Word {
    /// The bits in use: the values each packed fact may take, at its offset.
    all: u64,
    /// The packed facts (bit `f`).
    facts: u64,
    /// Where each packed fact's value 0 sits.
    off: [u8; MAX_FACTS],
    /// Each packed fact has one bit, on which it is unknown again (every
    /// value), instead of a bit per value.
    reset: bool,
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
