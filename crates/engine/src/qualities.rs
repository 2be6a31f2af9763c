//! Qualities and presumptions (`law/qualities.toml`).
//!
//! The law knows a recipient by its legal qualities — health professional,
//! physician, member of the care team, judicial, medical or administrative
//! authority — not by the label a user picked among the contract's values.
//! Each quality is a boolean fact; for each value of the labelled fact
//! (`recipient`, `purpose`) the file says whether the value carries the
//! quality (`yes`), does not, leaves it open (`ask`: the fact is asked), or
//! carries it exactly when another quality holds (`same_as`). Rules read
//! the quality facts; at load every atom on a quality is rewritten into a
//! condition over the label and the open qualities, so that two labels
//! giving the law the same qualities give the same verdict.
//!
//! A presumption fills an unknown fact when the purpose declared makes it
//! irrelevant (a disclosure made to coordinate care is not presumed to
//! report violence) or when the law's own default holds (what is revealed
//! is presumed limited to what is strictly necessary: the decision then
//! carries that condition). A fact given always wins over a presumption,
//! and the decision lists what it presumed.

use crate::expr::{Expr, Tri};
use crate::masks::MAX_FACTS;

/// One quality: a boolean fact carried by some values of an enum fact.
#[derive(Debug, Clone)]
pub struct Quality {
    /// The boolean fact that states the quality.
    pub fact: usize,
    /// The enum fact whose values carry it (`recipient`, `purpose`).
    pub of: usize,
    /// Values that carry the quality.
    pub yes: u32,
    /// Values for which it is open: the quality fact is asked.
    pub ask: u32,
    /// Values that carry it exactly when another quality holds.
    pub same_as: Option<(usize, u32)>,
    /// Why, for jurists (shown by `sceau rules`).
    pub note: String,
}

/// A default for an unknown fact: one value (`value`), or every value but
/// some (`excludes`: « not a court expert unless the purpose is an
/// expertise »), which leaves the fact open among the others.
#[derive(Debug, Clone)]
pub struct Presumption {
    pub fact: usize,
    /// The value presumed; for an exclusion, the first value left.
    pub value: usize,
    /// The values ruled out, for an exclusion (0 for a value presumption).
    pub excludes: u32,
    /// Only when `purpose` is known and one of these values (mask); `None`:
    /// whatever the purpose.
    pub purposes: Option<u32>,
    /// Only when this condition certainly holds (e.g. « patient_requested_secrecy
    /// and not patient_alive »).
    pub when: Option<Expr>,
    /// French sentence shown with the decision.
    pub explanation: String,
}

#[derive(Debug, Clone, Default)]
pub struct Qualities {
    pub qualities: Vec<Quality>,
    pub presumptions: Vec<Presumption>,
    /// Index of the `purpose` fact, when there is one.
    pub(crate) purpose: Option<usize>,
}

impl Qualities {
    fn quality(&self, fact: usize) -> Option<&Quality> {
        self.qualities.iter().find(|q| q.fact == fact)
    }

    /// The condition « quality `q` holds », over the labelled fact and the
    /// open quality facts.
    fn holds(&self, q: &Quality) -> Expr {
        let mut any = Vec::new();
        if q.yes != 0 {
            any.push(Expr::Atom {
                fact: q.of as u8,
                mask: q.yes,
            });
        }
        if q.ask != 0 {
            any.push(Expr::And(vec![
                Expr::Atom {
                    fact: q.of as u8,
                    mask: q.ask,
                },
                Expr::Atom {
                    fact: q.fact as u8,
                    mask: 0b10,
                },
            ]));
        }
        if let Some((other, values)) = q.same_as {
            let o = self.quality(other).expect("checked at load");
            any.push(Expr::And(vec![
                Expr::Atom {
                    fact: q.of as u8,
                    mask: values,
                },
                self.holds(o),
            ]));
        }
        match any.len() {
            0 => Expr::Not(Box::new(Expr::True)),
            1 => any.pop().expect("one"),
            _ => Expr::Or(any),
        }
    }

    /// Rewrites every atom on a quality fact into the condition over labels.
    pub(crate) fn rewrite(&self, e: Expr) -> Expr {
        match e {
            Expr::Atom { fact, mask } => match self.quality(fact as usize) {
                None => Expr::Atom { fact, mask },
                Some(q) => match mask & 0b11 {
                    0b10 => self.holds(q),
                    0b01 => Expr::Not(Box::new(self.holds(q))),
                    0b11 => Expr::True,
                    _ => Expr::Not(Box::new(Expr::True)),
                },
            },
            Expr::Not(x) => Expr::Not(Box::new(self.rewrite(*x))),
            Expr::And(xs) => Expr::And(xs.into_iter().map(|x| self.rewrite(x)).collect()),
            Expr::Or(xs) => Expr::Or(xs.into_iter().map(|x| self.rewrite(x)).collect()),
            Expr::True => Expr::True,
        }
    }

    /// The labels compatible with quality `q` having value `v` (true = 1).
    /// Values under `same_as` are compatible with both: the other quality
    /// decides, and its own restriction applies when it is given.
    fn labels_compatible(&self, q: &Quality, v: usize) -> u32 {
        if v == 1 {
            q.yes | q.ask | q.same_as.map_or(0, |s| s.1)
        } else {
            !q.yes
        }
    }

    /// Restricts each labelled fact to the labels compatible with the
    /// qualities given. Returns the quality fact that contradicts the
    /// label, if one does.
    pub fn restrict(&self, masks: &mut [u32; MAX_FACTS]) -> Result<(), usize> {
        for q in &self.qualities {
            let m = masks[q.fact] & 0b11;
            if m == 0b11 {
                continue;
            }
            let v = if m == 0b10 { 1 } else { 0 };
            let allowed = self.labels_compatible(q, v);
            let next = masks[q.of] & allowed;
            if next == 0 {
                return Err(q.fact);
            }
            masks[q.of] = next;
            // A quality that follows another (a medical authority among care
            // professionals is a physician) tells the other when it is unknown.
            if let Some((other, values)) = q.same_as {
                if next & values != 0 && masks[other] & 0b11 == 0b11 {
                    masks[other] = 1 << v;
                }
            }
        }
        Ok(())
    }

    /// Fills unknown facts from the presumptions (or narrows them, for an
    /// exclusion); returns the facts filled.
    pub fn presume(&self, masks: &mut [u32; MAX_FACTS]) -> u64 {
        let mut filled = 0u64;
        for p in &self.presumptions {
            if masks[p.fact].count_ones() < 2 {
                continue;
            }
            let left = masks[p.fact] & p.left();
            if left == 0 || left == masks[p.fact] {
                continue;
            }
            let applies = match (p.purposes, self.purpose) {
                (None, _) => true,
                (Some(m), Some(pf)) => masks[pf].count_ones() == 1 && masks[pf] & m != 0,
                (Some(_), None) => false,
            };
            let holds = p.when.as_ref().is_none_or(|w| w.eval(masks) == Tri::T);
            if applies && holds {
                masks[p.fact] = left;
                filled |= 1 << p.fact;
            }
        }
        filled
    }
}

impl Presumption {
    /// The values the presumption leaves possible.
    pub fn left(&self) -> u32 {
        if self.excludes != 0 {
            !self.excludes
        } else {
            1 << self.value
        }
    }

    /// Whether the prepared mask `m` of its fact is what this presumption
    /// leaves (several presumptions may fill one fact: the answer lists the
    /// one that did).
    pub fn made(&self, m: u32) -> bool {
        m != 0 && m & !self.left() == 0
    }
}
