//! The rules' conditions as flat code, evaluated in Kleene logic over
//! *lanes*: each bit of a 64-bit lane stands for one situation, so that one
//! evaluation answers for up to 64 of them (the situation with one unknown
//! fact set to each of its values, the facts packed side by side, each on
//! its own bits; or with one presumed fact unknown again, a bit each). The
//! situation itself, alone, is evaluated by [`super::circuit`].
//!
//! The code is in prefix order, each `and`/`or` with the end of its
//! operands, so that an evaluation stops as soon as every lane is settled
//! (a conjunct false in every lane, a disjunct true in every lane).

use crate::expr::{atom, Expr, Tri};
use crate::masks::MAX_FACTS;

/// A three-valued truth per lane: bit `v` of `t` (of `f`) set when the
/// value is certainly true (false) in lane `v`; neither: unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lane {
    pub t: u64,
    pub f: u64,
}

impl Lane {
    pub const NONE: Lane = Lane { t: 0, f: 0 };

    #[inline]
    pub fn and(self, o: Lane) -> Lane {
        Lane {
            t: self.t & o.t,
            f: self.f | o.f,
        }
    }

    #[inline]
    pub fn or(self, o: Lane) -> Lane {
        Lane {
            t: self.t | o.t,
            f: self.f & o.f,
        }
    }

    #[inline]
    pub fn not(self) -> Lane {
        Lane {
            t: self.f,
            f: self.t,
        }
    }

    /// The same truth in every lane of `all`.
    pub fn broadcast(t: Tri, all: u64) -> Lane {
        match t {
            Tri::T => Lane { t: all, f: 0 },
            Tri::F => Lane { t: 0, f: all },
            Tri::U => Lane::NONE,
        }
    }

    /// The atom `mask` on a fact whose values left are `m`, in every lane
    /// of `all` (without a branch: [`atom`]'s truth).
    #[inline]
    fn atom(m: u32, mask: u32, all: u64) -> Lane {
        Lane {
            t: all & ((m & !mask == 0) as u64).wrapping_neg(),
            f: all & ((m & mask == 0) as u64).wrapping_neg(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Op {
    True,
    Atom {
        fact: u8,
        mask: u32,
    },
    Not,
    /// `n` operands follow; the code after them starts at `end`.
    And {
        n: u16,
        end: u32,
    },
    Or {
        n: u16,
        end: u32,
    },
}

/// Appends `e`'s code, in prefix order.
pub(crate) fn emit(e: &Expr, ops: &mut Vec<Op>) {
    match e {
        Expr::True => ops.push(Op::True),
        Expr::Atom { fact, mask } => ops.push(Op::Atom {
            fact: *fact,
            mask: *mask,
        }),
        Expr::Not(x) => {
            ops.push(Op::Not);
            emit(x, ops);
        }
        Expr::And(xs) | Expr::Or(xs) => {
            let at = ops.len();
            let n = xs.len() as u16;
            ops.push(if matches!(e, Expr::And(_)) {
                Op::And { n, end: 0 }
            } else {
                Op::Or { n, end: 0 }
            });
            for x in xs {
                emit(x, ops);
            }
            let end = ops.len() as u32;
            match &mut ops[at] {
                Op::And { end: e, .. } | Op::Or { end: e, .. } => *e = end,
                _ => unreachable!("an and or an or was pushed here"),
            }
        }
    }
}

/// The situations one evaluation stands for, a bit each.
pub(crate) struct Word {
    /// The bits in use.
    pub all: u64,
    /// The packed facts (bit `f`).
    pub facts: u64,
    /// Where each packed fact's value 0 sits.
    pub off: [u8; MAX_FACTS],
    /// Each packed fact has one bit, on which it is unknown again (every
    /// value), instead of a bit per value.
    pub reset: bool,
}

/// Evaluates the condition whose code starts at `ops[pc]` on the
/// situations of `word` (`masks`: the situation; `full`: every value of
/// each fact); returns its truth and where the code after it starts.
pub(crate) fn eval(
    ops: &[Op],
    pc: usize,
    masks: &[u32; MAX_FACTS],
    full: &[u32; MAX_FACTS],
    word: &Word,
) -> (Lane, usize) {
    let all = word.all;
    match ops[pc] {
        Op::True => (Lane { t: all, f: 0 }, pc + 1),
        Op::Atom { fact, mask } => {
            let fact = fact as usize;
            let m = masks[fact];
            let lane = if word.facts & (1 << fact) == 0 {
                Lane::atom(m, mask, all)
            } else if word.reset {
                // Its own bit: the fact unknown again; the other bits:
                // the situation's value of the atom.
                let own = 1u64 << word.off[fact];
                let mut lane = Lane::atom(m, mask, all & !own);
                let again = Lane::broadcast(atom(full[fact], mask), own);
                lane.t |= again.t;
                lane.f |= again.f;
                lane
            } else {
                // Its own bits: each value; the other facts' bits: the
                // situation's value of the atom.
                let off = word.off[fact];
                let mut lane = Lane::atom(m, mask, all & !((m as u64) << off));
                lane.t |= ((m & mask) as u64) << off;
                lane.f |= ((m & !mask) as u64) << off;
                lane
            };
            (lane, pc + 1)
        }
        Op::Not => {
            let (x, next) = eval(ops, pc + 1, masks, full, word);
            (x.not(), next)
        }
        Op::And { n, end } | Op::Or { n, end } => {
            // An `or` is the negation of the `and` of its operands negated
            // (De Morgan holds in Kleene logic).
            let or = matches!(ops[pc], Op::Or { .. });
            let dual = |x: Lane| if or { x.not() } else { x };
            let mut acc = Lane { t: all, f: 0 };
            let mut at = pc + 1;
            for _ in 0..n {
                let (x, next) = eval(ops, at, masks, full, word);
                acc = acc.and(dual(x));
                // False in every lane: the other operands cannot change it.
                if acc.f == all {
                    return (dual(acc), end as usize);
                }
                at = next;
            }
            (dual(acc), at)
        }
    }
}
