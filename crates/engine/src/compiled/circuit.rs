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
//!
//! The gates are numbered by *level* (a gate's level is one more than its
//! operands' highest; atoms are level 0), so that no gate reads a bit of
//! its own level: the results of a level are gathered in registers and
//! written to the bitsets once per word at the level's end. Gates in
//! post-order instead each wrote the word the next one read, a chain of
//! stores and loads through memory as long as the circuit.

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
    /// Its first operand word (most gates read a single word).
    first: OperandWord,
    /// Its other operand words, in `operands`.
    rest: (u32, u32),
}

/// Operands of a gate within one word of the bitsets: `mask` selects
/// them; `all` is where to read that word in [`Bits`] for « every operand
/// … » (the true bits for an `and`, the false bits for an `or`), `any` for
/// « some operand … » (the converse): an `or` is an `and` with true and
/// false swapped (De Morgan), so each gate is two tests, chosen once.
#[derive(Debug, Clone, Copy)]
struct OperandWord {
    all: u16,
    any: u16,
    mask: u64,
}

/// The conditions of one period as a circuit; bit `k` of the bitsets is
/// atom `k`, then bit `atoms.len() + g` is gate `g`.
#[derive(Debug, Clone)]
pub(crate) struct Circuit {
    atoms: Vec<(u8, u32)>,
    /// In level order (see the module's documentation).
    gates: Vec<Gate>,
    operands: Vec<OperandWord>,
    /// Where each level's gates end in `gates`, in order.
    levels: Vec<u32>,
}

/// The two bitsets of one evaluation, one after the other: certainly
/// true (words `0..WORDS`), certainly false (words `WORDS..`).
pub(crate) struct Bits {
    words: [u64; 2 * WORDS],
}

impl Bits {
    /// The truth of bit `k`.
    #[inline]
    pub fn tri(&self, k: u32) -> Tri {
        let (w, b) = ((k / 64) as usize, k % 64);
        if self.words[w] >> b & 1 != 0 {
            Tri::T
        } else if self.words[WORDS + w] >> b & 1 != 0 {
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
            levels: Vec::new(),
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
        // Post-order puts operands first, so one pass gives every level;
        // a stable sort by level keeps post-order within a level.
        let mut level = vec![0u32; b.gates.len()];
        for (g, (_, ops)) in b.gates.iter().enumerate() {
            level[g] = 1 + ops
                .iter()
                .map(|&o| match o {
                    Operand::Atom(_) => 0,
                    Operand::Gate(h) => level[h],
                })
                .max()
                .unwrap_or(0);
        }
        let mut order: Vec<usize> = (0..b.gates.len()).collect();
        order.sort_by_key(|&g| level[g]);
        let mut position = vec![0usize; b.gates.len()];
        for (k, &g) in order.iter().enumerate() {
            position[g] = k;
        }
        let bit = |o: Operand| match o {
            Operand::Atom(k) => k,
            Operand::Gate(g) => base + position[g],
        };
        let mut circuit = Circuit {
            atoms: b.atoms,
            gates: Vec::with_capacity(b.gates.len()),
            operands: Vec::new(),
            levels: Vec::new(),
        };
        for (k, &g) in order.iter().enumerate() {
            if k > 0 && level[g] != level[order[k - 1]] {
                circuit.levels.push(k as u32);
            }
            let (or, ops) = &b.gates[g];
            let mut words = [0u64; WORDS];
            for &o in ops {
                let k = bit(o);
                words[k / 64] |= 1 << (k % 64);
            }
            let (t, f) = if *or { (WORDS, 0) } else { (0, WORDS) };
            let mut used = words
                .iter()
                .enumerate()
                .filter(|(_, &m)| m != 0)
                .map(|(w, &mask)| OperandWord {
                    all: (t + w) as u16,
                    any: (f + w) as u16,
                    mask,
                });
            // A gate of no operand (`true`, `false`) reads no bit: every
            // operand holds and none fails, whatever the word read.
            let first = used.next().unwrap_or(OperandWord {
                all: 0,
                any: 0,
                mask: 0,
            });
            let start = circuit.operands.len() as u32;
            circuit.operands.extend(used);
            circuit.gates.push(Gate {
                or: *or,
                first,
                rest: (start, circuit.operands.len() as u32),
            });
        }
        if !order.is_empty() {
            circuit.levels.push(order.len() as u32);
        }
        let roots = roots.into_iter().map(|o| bit(o) as u32).collect();
        Some((circuit, roots))
    }

    /// Every atom and gate on the situation `masks`.
    pub fn eval(&self, masks: &[u32; MAX_FACTS]) -> Bits {
        let mut bits = Bits {
            words: [0; 2 * WORDS],
        };
        // A word of atoms at a time, built in registers.
        for (w, atoms) in self.atoms.chunks(64).enumerate() {
            let (mut t, mut f) = (0u64, 0u64);
            for (b, &(fact, mask)) in atoms.iter().enumerate() {
                let m = masks[fact as usize];
                t |= ((m & !mask == 0) as u64) << b;
                f |= ((m & mask == 0) as u64) << b;
            }
            bits.words[w] = t;
            bits.words[WORDS + w] = f;
        }
        let base = self.atoms.len();
        let mut start = 0;
        for &end in &self.levels {
            // This level's bits, gathered in registers: no gate of the
            // level reads them, so the bitsets are written once per word.
            let (mut word, mut t_acc, mut f_acc) = ((base + start) / 64, 0u64, 0u64);
            for g in start..end as usize {
                let gate = &self.gates[g];
                let o = gate.first;
                let mut all = bits.words[o.all as usize] & o.mask == o.mask;
                let mut any = bits.words[o.any as usize] & o.mask != 0;
                for o in &self.operands[gate.rest.0 as usize..gate.rest.1 as usize] {
                    all &= bits.words[o.all as usize] & o.mask == o.mask;
                    any |= bits.words[o.any as usize] & o.mask != 0;
                }
                // An `and` is true when every operand is, false when one
                // is; an `or` the converse (its words swapped above).
                let (t, f) = if gate.or { (any, all) } else { (all, any) };
                let k = base + g;
                if k / 64 != word {
                    bits.words[word] |= t_acc;
                    bits.words[WORDS + word] |= f_acc;
                    (word, t_acc, f_acc) = (k / 64, 0, 0);
                }
                t_acc |= (t as u64) << (k % 64);
                f_acc |= (f as u64) << (k % 64);
            }
            bits.words[word] |= t_acc;
            bits.words[WORDS + word] |= f_acc;
            start = end as usize;
        }
        bits
    }
}
