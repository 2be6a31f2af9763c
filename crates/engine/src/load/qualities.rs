//! Reading `qualities.toml` against the facts into [`Qualities`].

use serde::Deserialize;
use toml::Spanned;

use crate::law::{FactDef, FactKind};
use crate::load::condition;
use crate::load::error::{line_of, LoadError};
use crate::qualities::{Presumption, Qualities, Quality};

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
    /// The value presumed; or `excludes`, the values ruled out.
    value: Option<toml::Value>,
    excludes: Option<Vec<String>>,
    purposes: Option<Vec<String>>,
    when: Option<String>,
    explanation: String,
}

/// Parses `qualities.toml` against the facts. Errors name the file and line.
pub(crate) fn load(path: &str, text: &str, facts: &[FactDef]) -> Result<Qualities, Vec<LoadError>> {
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
                            format!("quality `{}`: `same_as` must name another quality", q.fact),
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
        // A value presumed, or (enum facts) values ruled out with at least
        // one left: the fact then stays open among the others.
        let (value, excludes) = match (&facts[fact].kind, &p.value, &p.excludes) {
            (FactKind::Bool, Some(toml::Value::Boolean(b)), None) => (Some(*b as usize), 0),
            (FactKind::Enum, Some(toml::Value::String(s)), None) => (facts[fact].value_index(s), 0),
            (FactKind::Enum, None, Some(list)) if !list.is_empty() => {
                match values_mask(&facts[fact], list) {
                    Some(m) => {
                        let left = facts[fact].full_mask() & !m;
                        ((left != 0).then(|| left.trailing_zeros() as usize), m)
                    }
                    None => (None, 0),
                }
            }
            _ => (None, 0),
        };
        let purposes = match (&p.purposes, out.purpose) {
            (None, _) => Some(None),
            (Some(list), Some(pf)) => values_mask(&facts[pf], list).map(Some),
            (Some(_), None) => None,
        };
        let when = match &p.when {
            None => Ok(None),
            Some(src) => condition::parse(src, facts)
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
                excludes,
                purposes,
                when,
                explanation: p.explanation,
            }),
            _ => errors.push(LoadError {
                file: path.into(),
                line: line_of(text, at),
                message: format!(
                    "presumption on `{}`: give `value` (a value of the fact) or `excludes` (values of an enum fact, leaving at least one), and purposes among the purpose's values",
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

/// The mask of the values `list` names, `None` if one is not a value of `fact`.
fn values_mask(fact: &FactDef, list: &[String]) -> Option<u32> {
    list.iter()
        .try_fold(0u32, |m, v| fact.value_index(v).map(|i| m | 1 << i))
}
