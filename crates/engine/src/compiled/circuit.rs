//! Every rule's condition on one situation at once, as a circuit over
//! bitsets: the distinct atoms of the period's conditions are evaluated
//! first, each to two bits (certainly true, certainly false), then every
//! `and`/`or` as a gate reading its operands' bits through word masks,
//! children before parents, each gate's result two bits more. Negations
//! are pushed down to the atoms beforehand (De Morgan holds in Kleene
//! logic, and `not` of an atom is the atom of the other values), so a gate
//! is only « every operand true / some operand false » (`and`) or the
//! converse (`or`).
//!
//! Why: on one situation, walking each condition's tree (or interpreting
//! its code) costs a call, a dispatch and an unpredictable branch per node,
//! and a complete situation's values are as random as its branches; here
//! the same work is a fixed sequence of word operations without data-
//! dependent branches, in the same order on every situation.

use crate::expr::{Expr, Tri};
use crate::masks::MAX_FACTS;

/// Words of the bitsets: room for this many atoms and gates together, far
/// above today's law (a period that needs more is left to the reference
/// engine, as one whose diagram is not exact).
pub(crate) const WORDS: usize = 16;

/// A condition in negation normal form: atoms (negation folded into their
/// mask) under `and`/`or`.
enum Nnf {
    Atom(u8, u32),
    Gate(bool, Vec<Nnf>),
}

/// `e`, or its negation when `neg`, in negation normal form.
fn nnf(e: &Expr, neg: bool) -> Nnf {
    match e {
        // `true` is an `and` of nothing, `false` an `or` of nothing.
        Expr::True => Nnf::Gate(neg, Vec::new()),
        // Not « every value left in `mask` » is « every value left
        // outside it », and not « none in it » is « none outside it ».
        Expr::Atom { fact, mask } => Nnf::Atom(*fact, if neg { !*mask } else { *mask }),
        Expr::Not(x) => nnf(x, !neg),
        Expr::And(xs) => Nnf::Gate(neg, xs.iter().map(|x| nnf(x, neg)).collect()),
        Expr::Or(xs) => Nnf::Gate(!neg, xs.iter().map(|x| nnf(x, neg)).collect()),
    }
}

#[derive(Debug, Clone)]
struct Gate {
    /// An `or` (else an `and`).
    or: bool,
    /// Its operands, as masks of bitset words, in `operands`.
    operands: (u32, u32),
}

/// The conditions of one period as a circuit; bit `k` of the bitsets is
/// atom `k`, then bit `atoms.len() + g` is gate `g`.
#[derive(Debug, Clone)]
pub(crate) struct Circuit {
    atoms: Vec<(u8, u32)>,
    gates: Vec<Gate>,
    operands: Vec<(u16, u64)>,
}

/// The two bitsets of one evaluation: certainly true, certainly false.
pub(crate) struct Bits {
    t: [u64; WORDS],
    f: [u64; WORDS],
}

impl Bits {
    /// The truth of bit `k`.
    #[inline]
    pub fn tri(&self, k: u32) -> Tri {
        let (w, b) = ((k / 64) as usize, k % 64);
        if self.t[w] >> b & 1 != 0 {
            Tri::T
        } else if self.f[w] >> b & 1 != 0 {
            Tri::F
        } else {
            Tri::U
        }
    }
}

/// Builds the circuit: distinct atoms first (their bits known before any
/// gate), gates in post-order (operands before the gate reading them).
struct Builder {
    atoms: Vec<(u8, u32)>,
    gates: Vec<(bool, Vec<Operand>)>,
}

#[derive(Clone, Copy)]
enum Operand {
    Atom(usize),
    Gate(usize),
}

impl Builder {
    fn atom(&mut self, fact: u8, mask: u32) -> usize {
        match self.atoms.iter().position(|&a| a == (fact, mask)) {
            Some(k) => k,
            None => {
                self.atoms.push((fact, mask));
                self.atoms.len() - 1
            }
        }
    }

    fn add(&mut self, n: &Nnf) -> Operand {
        match n {
            Nnf::Atom(fact, mask) => Operand::Atom(self.atom(*fact, *mask)),
            Nnf::Gate(or, xs) => {
                let ops = xs.iter().map(|x| self.add(x)).collect();
                self.gates.push((*or, ops));
                Operand::Gate(self.gates.len() - 1)
            }
        }
    }
}

impl Circuit {
    /// No condition.
    pub fn empty() -> Circuit {
        Circuit {
            atoms: Vec::new(),
            gates: Vec::new(),
            operands: Vec::new(),
        }
    }

    /// The circuit of `conditions`, with the bit holding each one's
    /// truth; `None` when the atoms and gates outgrow the bitsets.
    pub fn compile<'a>(conditions: impl Iterator<Item = &'a Expr>) -> Option<(Circuit, Vec<u32>)> {
        let mut b = Builder {
            atoms: Vec::new(),
            gates: Vec::new(),
        };
        let roots: Vec<Operand> = conditions.map(|e| b.add(&nnf(e, false))).collect();
        let base = b.atoms.len();
        if base + b.gates.len() > WORDS * 64 {
            return None;
        }
        let bit = |o: Operand| match o {
            Operand::Atom(k) => k,
            Operand::Gate(g) => base + g,
        };
        let mut circuit = Circuit {
            atoms: b.atoms,
            gates: Vec::with_capacity(b.gates.len()),
            operands: Vec::new(),
        };
        for (or, ops) in &b.gates {
            let start = circuit.operands.len() as u32;
            let mut words = [0u64; WORDS];
            for &o in ops {
                let k = bit(o);
                words[k / 64] |= 1 << (k % 64);
            }
            for (w, &m) in words.iter().enumerate().filter(|(_, &m)| m != 0) {
                circuit.operands.push((w as u16, m));
            }
            circuit.gates.push(Gate {
                or: *or,
                operands: (start, circuit.operands.len() as u32),
            });
        }
        let roots = roots.into_iter().map(|o| bit(o) as u32).collect();
        Some((circuit, roots))
    }

    /// Every atom and gate on the situation `masks`.
    pub fn eval(&self, masks: &[u32; MAX_FACTS]) -> Bits {
        let mut bits = Bits {
            t: [0; WORDS],
            f: [0; WORDS],
        };
        // A word of atoms at a time, built in registers.
        for (w, atoms) in self.atoms.chunks(64).enumerate() {
            let (mut t, mut f) = (0u64, 0u64);
            for (b, &(fact, mask)) in atoms.iter().enumerate() {
                let m = masks[fact as usize];
                t |= ((m & !mask == 0) as u64) << b;
                f |= ((m & mask == 0) as u64) << b;
            }
            bits.t[w] = t;
            bits.f[w] = f;
        }
        let base = self.atoms.len();
        for (g, gate) in self.gates.iter().enumerate() {
            let (mut all_t, mut any_t, mut all_f, mut any_f) = (true, false, true, false);
            for &(w, m) in &self.operands[gate.operands.0 as usize..gate.operands.1 as usize] {
                let (t, f) = (bits.t[w as usize] & m, bits.f[w as usize] & m);
                all_t &= t == m;
                any_t |= t != 0;
                all_f &= f == m;
                any_f |= f != 0;
            }
            let (t, f) = if gate.or {
                (any_t, all_f)
            } else {
                (all_t, any_f)
            };
            let k = base + g;
            bits.t[k / 64] |= (t as u64) << (k % 64);
            bits.f[k / 64] |= (f as u64) << (k % 64);
        }
        bits
    }
}
