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

use serde::Deserialize;
use toml::Spanned;

use crate::expr::Expr;
use crate::load::LoadError;
use crate::model::{FactDef, FactKind, MAX_FACTS};
use crate::situation::Situation;

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

/// A default for an unknown fact.
#[derive(Debug, Clone)]
pub struct Presumption {
    pub fact: usize,
    pub value: usize,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    quality: Vec<Spanned<RawQuality>>,
    #[serde(default)]
    presumption: Vec<Spanned<RawPresumption>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuality {
    fact: String,
    of: String,
    #[serde(default)]
    yes: Vec<String>,
    #[serde(default)]
    ask: Vec<String>,
    same_as: Option<RawSameAs>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSameAs {
    quality: String,
    values: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPresumption {
    fact: String,
    value: toml::Value,
    purposes: Option<Vec<String>>,
    when: Option<String>,
    explanation: String,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Qualities {
    /// Parses `qualities.toml` against the facts. Errors name the file and line.
    pub(crate) fn load(path: &str, text: &str, facts: &[FactDef]) -> Result<Self, Vec<LoadError>> {
        let mut errors = Vec::new();
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            vec![LoadError {
                file: path.into(),
                line: e.span().map(|s| line_of(text, s.start)).unwrap_or(1),
                message: e.message().to_string(),
            }]
        })?;
        let idx = |id: &str| facts.iter().position(|f| f.id == id);
        let mut out = Qualities {
            purpose: idx("purpose"),
            ..Default::default()
        };
        let mut err = |at: usize, m: String| {
            errors.push(LoadError {
                file: path.into(),
                line: line_of(text, at),
                message: m,
            })
        };
        for q in raw.quality {
            let at = q.span().start;
            let q = q.into_inner();
            let (Some(fact), Some(of)) = (idx(&q.fact), idx(&q.of)) else {
                err(
                    at,
                    format!("quality `{}` of `{}`: unknown fact", q.fact, q.of),
                );
                continue;
            };
            if facts[fact].kind != FactKind::Bool || facts[of].kind != FactKind::Enum {
                err(
                    at,
                    format!(
                        "quality `{}`: a bool fact of an enum fact is expected",
                        q.fact
                    ),
                );
                continue;
            }
            let mut mask = |values: &[String], what: &str| -> u32 {
                values
                    .iter()
                    .fold(0, |m, v| match facts[of].value_index(v) {
                        Some(i) => m | (1 << i),
                        None => {
                            err(
                                at,
                                format!(
                                    "quality `{}`: `{v}` in `{what}` is not a value of `{}`",
                                    q.fact, q.of
                                ),
                            );
                            m
                        }
                    })
            };
            let yes = mask(&q.yes, "yes");
            let ask = mask(&q.ask, "ask");
            let same_as = match &q.same_as {
                None => None,
                Some(s) => {
                    let m = mask(&s.values, "same_as");
                    match idx(&s.quality) {
                        Some(other) if other != fact => Some((other, m)),
                        _ => {
                            err(
                                at,
                                format!(
                                    "quality `{}`: `same_as` must name another quality",
                                    q.fact
                                ),
                            );
                            None
                        }
                    }
                }
            };
            let overlap = (yes & ask) | (yes | ask) & same_as.map_or(0, |s| s.1);
            if overlap != 0 {
                err(
                    at,
                    format!("quality `{}`: a value is listed under two headings", q.fact),
                );
            }
            if out.qualities.iter().any(|x| x.fact == fact) {
                err(at, format!("quality `{}` is declared twice", q.fact));
            }
            out.qualities.push(Quality {
                fact,
                of,
                yes,
                ask,
                same_as,
                note: q.note,
            });
        }
        // `same_as` must name a quality of the same labelled fact, without cycles.
        for q in &out.qualities {
            if let Some((other, _)) = q.same_as {
                match out.qualities.iter().find(|x| x.fact == other) {
                    Some(o) if o.of == q.of && o.same_as.is_none() => {}
                    _ => errors.push(LoadError {
                        file: path.into(),
                        line: 1,
                        message: format!(
                            "quality `{}`: `same_as` must name a quality of the same fact that has no `same_as` itself",
                            facts[q.fact].id
                        ),
                    }),
                }
            }
        }
        for p in raw.presumption {
            let at = p.span().start;
            let p = p.into_inner();
            let Some(fact) = idx(&p.fact) else {
                errors.push(LoadError {
                    file: path.into(),
                    line: line_of(text, at),
                    message: format!("presumption: unknown fact `{}`", p.fact),
                });
                continue;
            };
            let value = match (&facts[fact].kind, &p.value) {
                (FactKind::Bool, toml::Value::Boolean(b)) => Some(*b as usize),
                (FactKind::Enum, toml::Value::String(s)) => facts[fact].value_index(s),
                _ => None,
            };
            let purposes = match (&p.purposes, out.purpose) {
                (None, _) => Some(None),
                (Some(list), Some(pf)) => {
                    let mut m = 0u32;
                    let mut ok = true;
                    for v in list {
                        match facts[pf].value_index(v) {
                            Some(i) => m |= 1 << i,
                            None => ok = false,
                        }
                    }
                    ok.then_some(Some(m))
                }
                (Some(_), None) => None,
            };
            let when = match &p.when {
                None => Ok(None),
                Some(src) => crate::expr::parse(src, facts)
                    .map(Some)
                    .map_err(|e| e.message),
            };
            let when = match when {
                Ok(w) => w,
                Err(m) => {
                    errors.push(LoadError {
                        file: path.into(),
                        line: line_of(text, at),
                        message: format!("presumption on `{}`: {m}", p.fact),
                    });
                    continue;
                }
            };
            match (value, purposes) {
                (Some(value), Some(purposes)) => out.presumptions.push(Presumption {
                    fact,
                    value,
                    purposes,
                    when,
                    explanation: p.explanation,
                }),
                _ => errors.push(LoadError {
                    file: path.into(),
                    line: line_of(text, at),
                    message: format!(
                        "presumption on `{}`: value or purposes not among the fact's values",
                        p.fact
                    ),
                }),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

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

    /// Fills unknown facts from the presumptions; returns the facts filled.
    pub fn presume(&self, s: &mut Situation) -> u64 {
        let mut filled = 0u64;
        for p in &self.presumptions {
            if s.masks[p.fact].count_ones() < 2 {
                continue;
            }
            let applies = match (p.purposes, self.purpose) {
                (None, _) => true,
                (Some(m), Some(pf)) => s.masks[pf].count_ones() == 1 && s.masks[pf] & m != 0,
                (Some(_), None) => false,
            };
            let holds = p
                .when
                .as_ref()
                .is_none_or(|w| w.eval(&s.masks) == crate::expr::Tri::T);
            if applies && holds {
                s.masks[p.fact] = 1 << p.value;
                filled |= 1 << p.fact;
            }
        }
        filled
    }
}
