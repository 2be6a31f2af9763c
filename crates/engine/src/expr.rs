//! The conditions of rules (`when`) once compiled, and their three-valued
//! (Kleene) evaluation over sets of still-possible values. The text form
//! and its parser are in [`crate::load::condition`]: this module knows no
//! fact by name.

/// Three-valued truth: false, unknown, true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    F,
    U,
    T,
}

impl Tri {
    pub fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::F, _) | (_, Tri::F) => Tri::F,
            (Tri::T, Tri::T) => Tri::T,
            _ => Tri::U,
        }
    }
    pub fn or(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::T, _) | (_, Tri::T) => Tri::T,
            (Tri::F, Tri::F) => Tri::F,
            _ => Tri::U,
        }
    }
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::T => Tri::F,
            Tri::F => Tri::T,
            Tri::U => Tri::U,
        }
    }
}

/// A compiled condition. Atoms hold the fact index and the mask of values
/// that make them true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    True,
    Atom { fact: u8, mask: u32 },
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// The value of an atom on a fact's mask `m` (the values it may still
/// take): true when every value left satisfies it, false when none does.
#[inline]
pub(crate) fn atom(m: u32, mask: u32) -> Tri {
    if m & mask == 0 {
        Tri::F
    } else if m & !mask == 0 {
        Tri::T
    } else {
        Tri::U
    }
}

impl Expr {
    /// Kleene evaluation: a fact's `masks[i]` is the set of values it may still take.
    #[inline]
    pub fn eval(&self, masks: &[u32]) -> Tri {
        match self {
            Expr::True => Tri::T,
            Expr::Atom { fact, mask } => atom(masks[*fact as usize], *mask),
            Expr::Not(e) => e.eval(masks).not(),
            Expr::And(es) => {
                let mut acc = Tri::T;
                for e in es {
                    match e.eval(masks) {
                        Tri::F => return Tri::F,
                        Tri::U => acc = Tri::U,
                        Tri::T => {}
                    }
                }
                acc
            }
            Expr::Or(es) => {
                let mut acc = Tri::F;
                for e in es {
                    match e.eval(masks) {
                        Tri::T => return Tri::T,
                        Tri::U => acc = Tri::U,
                        Tri::F => {}
                    }
                }
                acc
            }
        }
    }

    /// Two-valued evaluation of a complete situation (one value per fact).
    pub fn holds(&self, values: &[u8]) -> bool {
        match self {
            Expr::True => true,
            Expr::Atom { fact, mask } => mask & (1 << values[*fact as usize]) != 0,
            Expr::Not(e) => !e.holds(values),
            Expr::And(es) => es.iter().all(|e| e.holds(values)),
            Expr::Or(es) => es.iter().any(|e| e.holds(values)),
        }
    }

    /// The first atom that is unknown under `masks`, in reading order:
    /// the fact to split on.
    pub fn first_unknown_fact(&self, masks: &[u32]) -> Option<usize> {
        match self {
            Expr::True => None,
            Expr::Atom { fact, .. } => (self.eval(masks) == Tri::U).then_some(*fact as usize),
            Expr::Not(e) => e.first_unknown_fact(masks),
            Expr::And(es) | Expr::Or(es) => {
                if self.eval(masks) != Tri::U {
                    return None;
                }
                es.iter().find_map(|e| e.first_unknown_fact(masks))
            }
        }
    }

    /// Facts read, as a bitset.
    pub fn reads(&self) -> u64 {
        match self {
            Expr::True => 0,
            Expr::Atom { fact, .. } => 1u64 << fact,
            Expr::Not(e) => e.reads(),
            Expr::And(es) | Expr::Or(es) => es.iter().fold(0, |a, e| a | e.reads()),
        }
    }

    /// Unknown facts of atoms that are unknown (bitset).
    pub fn unknown_reads(&self, masks: &[u32]) -> u64 {
        match self {
            Expr::True => 0,
            Expr::Atom { fact, .. } => {
                if self.eval(masks) == Tri::U {
                    1u64 << fact
                } else {
                    0
                }
            }
            Expr::Not(e) => e.unknown_reads(masks),
            Expr::And(es) | Expr::Or(es) => es.iter().fold(0, |a, e| a | e.unknown_reads(masks)),
        }
    }

    pub fn and(self, other: Expr) -> Expr {
        match (self, other) {
            (Expr::True, e) | (e, Expr::True) => e,
            (Expr::And(mut a), Expr::And(b)) => {
                a.extend(b);
                Expr::And(a)
            }
            (Expr::And(mut a), e) => {
                a.push(e);
                Expr::And(a)
            }
            (e, Expr::And(mut b)) => {
                b.insert(0, e);
                Expr::And(b)
            }
            (a, b) => Expr::And(vec![a, b]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Expr, Tri};

    const TRIS: [Tri; 3] = [Tri::F, Tri::U, Tri::T];

    #[test]
    fn kleene_connectives() {
        // Rows F, U, T; columns F, U, T.
        let and = [
            [Tri::F, Tri::F, Tri::F],
            [Tri::F, Tri::U, Tri::U],
            [Tri::F, Tri::U, Tri::T],
        ];
        let or = [
            [Tri::F, Tri::U, Tri::T],
            [Tri::U, Tri::U, Tri::T],
            [Tri::T, Tri::T, Tri::T],
        ];
        for (i, a) in TRIS.into_iter().enumerate() {
            for (j, b) in TRIS.into_iter().enumerate() {
                assert_eq!(a.and(b), and[i][j], "{a:?} and {b:?}");
                assert_eq!(a.or(b), or[i][j], "{a:?} or {b:?}");
            }
        }
        assert_eq!(TRIS.map(Tri::not), [Tri::T, Tri::U, Tri::F]);
    }

    /// Fact 0 has three values; fact 1 is yes/no.
    fn atom(fact: u8, mask: u32) -> Expr {
        Expr::Atom { fact, mask }
    }

    #[test]
    fn an_atom_is_known_only_when_every_value_left_agrees() {
        let e = atom(0, 0b011);
        assert_eq!(e.eval(&[0b001, 0]), Tri::T);
        assert_eq!(e.eval(&[0b011, 0]), Tri::T);
        assert_eq!(e.eval(&[0b100, 0]), Tri::F);
        assert_eq!(e.eval(&[0b110, 0]), Tri::U);
    }

    #[test]
    fn a_false_conjunct_wins_over_an_unknown_one() {
        let unknown = [0b111, 0b11];
        let e = Expr::And(vec![atom(0, 0b001), atom(1, 0b10)]);
        assert_eq!(e.eval(&unknown), Tri::U);
        assert_eq!(e.eval(&[0b111, 0b01]), Tri::F);
        assert_eq!(
            Expr::Or(vec![atom(0, 0b001), atom(1, 0b10)]).eval(&[0b111, 0b10]),
            Tri::T
        );
        assert_eq!(Expr::Not(Box::new(e.clone())).eval(&unknown), Tri::U);
        assert_eq!(Expr::True.eval(&unknown), Tri::T);
        // The first unknown atom in reading order is the fact to split on.
        assert_eq!(e.first_unknown_fact(&unknown), Some(0));
        assert_eq!(e.first_unknown_fact(&[0b001, 0b11]), Some(1));
        assert_eq!(e.first_unknown_fact(&[0b100, 0b11]), None);
        assert_eq!(e.unknown_reads(&[0b001, 0b11]), 0b10);
        assert_eq!(e.reads(), 0b11);
    }

    #[test]
    fn a_complete_situation_is_two_valued() {
        let e = Expr::Or(vec![
            atom(0, 0b100),
            Expr::And(vec![atom(0, 0b001), Expr::Not(Box::new(atom(1, 0b10)))]),
        ]);
        let holds: Vec<bool> = [[0, 0], [0, 1], [1, 0], [2, 1]]
            .iter()
            .map(|v| e.holds(v))
            .collect();
        assert_eq!(holds, [true, false, false, true]);
    }

    #[test]
    fn conjunctions_are_flattened() {
        let a = atom(0, 1);
        let b = atom(1, 2);
        assert_eq!(Expr::True.and(a.clone()), a);
        assert_eq!(
            Expr::And(vec![a.clone()]).and(Expr::And(vec![b.clone()])),
            Expr::And(vec![a.clone(), b.clone()])
        );
        assert_eq!(
            b.clone().and(Expr::And(vec![a.clone()])),
            Expr::And(vec![b, a])
        );
    }
}
