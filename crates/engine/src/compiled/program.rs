//! The rules in force during one period, flattened into one postfix
//! program and evaluated in Kleene logic over *lanes*: bit `v` of a lane
//! stands for the situation with the split fact set to its value `v`, so
//! one pass evaluates every value of a fact at once (the ranking of the
//! missing facts asks exactly that). The trace of the situation itself is
//! the reference evaluator's ([`Law::evaluate`]), whose short-circuits win
//! on a single situation.
//!
//! Same semantics as [`Law::evaluate`] (the reference, kept for tests):
//! precedence order, defeaters, then the limits blocked by any ground that
//! applies, annotations last; the tests compare both.

use chrono::NaiveDate;

use crate::eval::Status;
use crate::expr::{Expr, Tri};
use crate::law::{Law, MAX_RULES};
use crate::masks::MAX_FACTS;

/// Deepest operand stack a condition may need; deeper conditions (none in
/// sight: the corpus nests a few levels) leave the period uncompiled.
const STACK: usize = 64;

/// A three-valued truth per lane: bit `v` of `t` (of `f`) set when the
/// value is certainly true (false) in lane `v`; neither: unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lane {
    pub t: u32,
    pub f: u32,
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
    fn broadcast(t: Tri, all: u32) -> Lane {
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

    fn cond(
        &self,
        c: &Code,
        masks: &[u32],
        split: usize,
        all: u32,
        stack: &mut [Lane; STACK],
    ) -> Lane {
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
                    stack[top] = if fact == split {
                        Lane {
                            t: m & mask,
                            f: m & !mask,
                        }
                    } else if m & mask == 0 {
                        Lane { t: 0, f: all }
                    } else if m & !mask == 0 {
                        Lane { t: all, f: 0 }
                    } else {
                        Lane::NONE
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

    /// Rule `c`'s condition over the lanes: evaluated when it reads
    /// `split`, else the situation's own value (`base`) in every lane.
    fn when(
        &self,
        c: &Code,
        masks: &[u32],
        split: usize,
        all: u32,
        base: &Status,
        stack: &mut [Lane; STACK],
    ) -> Lane {
        if c.reads & (1u64 << split) == 0 {
            Lane::broadcast(base.when[c.rule as usize], all)
        } else {
            self.cond(c, masks, split, all, stack)
        }
    }

    /// Every rule's condition and activity over the values of `split`
    /// (the lanes of `all`); the conditions that do not read `split` are
    /// copied from `base`, the status of the situation itself.
    fn run(&self, masks: &[u32], split: usize, all: u32, base: &Status, out: &mut Pass) {
        let Pass {
            when,
            active,
            verdicts,
        } = out;
        let none = Lane { t: 0, f: all };
        let mut stack = [Lane::NONE; STACK];
        let (rules, annotations) = self.codes.split_at(self.verdict_rules);
        for c in rules {
            let i = c.rule as usize;
            let w = self.when(c, masks, split, all, base, &mut stack);
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
            let w = self.when(c, masks, split, all, base, &mut stack);
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

    /// For each value `v` of the unknown fact `f` (bit `v` of `masks[f]`):
    /// whether the situation with `f = v` has a certain verdict, and how
    /// many of the rules `undecided` are still unknown there.
    pub fn branches(
        &self,
        masks: &[u32; MAX_FACTS],
        f: usize,
        base: &Status,
        undecided: &[usize],
        out: &mut Vec<(bool, usize)>,
    ) {
        let all = masks[f];
        let none = Lane { t: 0, f: all };
        let mut pass = Pass {
            when: [none; MAX_RULES],
            active: [none; MAX_RULES],
            verdicts: [none; 5],
        };
        self.run(masks, f, all, base, &mut pass);
        let Pass {
            active, verdicts, ..
        } = pass;
        let certain = verdicts.iter().fold(0, |a, l| a | l.t);
        out.clear();
        let mut m = all;
        while m != 0 {
            let bit = m & m.wrapping_neg();
            m &= m - 1;
            let left = undecided
                .iter()
                .filter(|&&i| (active[i].t | active[i].f) & bit == 0)
                .count();
            out.push((certain & bit != 0, left));
        }
    }
}
