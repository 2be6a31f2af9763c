//! A situation: for each fact, the set of values it may still take (one
//! value when known, all of them when unknown), and the date of the
//! disclosure, which the caller gives (the engine reads no clock). Read
//! from the contract's JSON by [`crate::input`].

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::law::{FactKind, Law};
use crate::masks::MAX_FACTS;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Situation {
    pub masks: [u32; MAX_FACTS],
    pub as_of: NaiveDate,
    /// Whether the situation named its date (`as_of`); otherwise `as_of`
    /// is the date the caller passed as today's.
    pub as_of_given: bool,
}

impl Situation {
    /// Every fact unknown, on `as_of`.
    pub fn unknown(law: &Law, as_of: NaiveDate) -> Situation {
        let mut masks = [0u32; MAX_FACTS];
        for (i, f) in law.facts.iter().enumerate() {
            masks[i] = f.full_mask();
        }
        Situation {
            masks,
            as_of,
            as_of_given: false,
        }
    }

    pub fn is_known(&self, fact: usize) -> bool {
        self.masks[fact].count_ones() == 1
    }

    /// The value index of a known fact.
    pub fn value(&self, fact: usize) -> Option<usize> {
        self.is_known(fact)
            .then(|| self.masks[fact].trailing_zeros() as usize)
    }

    pub fn set(&mut self, fact: usize, value: usize) {
        self.masks[fact] = 1 << value;
    }

    pub fn forget(&mut self, law: &Law, fact: usize) {
        self.masks[fact] = law.facts[fact].full_mask();
    }

    /// Sets a fact by names; `None` if the fact or the value does not exist.
    pub fn set_named(&mut self, law: &Law, fact: &str, value: &str) -> Option<()> {
        let i = law.fact_idx(fact)?;
        let v = law.facts[i].value_index(value)?;
        self.set(i, v);
        Some(())
    }

    /// Known facts as the contract's JSON object (with `as_of` when given).
    pub fn to_json(&self, law: &Law) -> Map<String, Value> {
        let mut out = Map::new();
        if self.as_of_given {
            out.insert(
                "as_of".into(),
                Value::String(self.as_of.format("%Y-%m-%d").to_string()),
            );
        }
        for (i, f) in law.facts.iter().enumerate() {
            if let Some(v) = self.value(i) {
                let value = match f.kind {
                    FactKind::Bool => Value::Bool(v == 1),
                    FactKind::Enum => Value::String(f.choices[v].value.clone()),
                };
                out.insert(f.id.clone(), value);
            }
        }
        out
    }

    /// Known facts as (fact id, value name) pairs, in catalogue order.
    pub fn known(&self, law: &Law) -> Vec<(String, String)> {
        law.facts
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                self.value(i)
                    .map(|v| (f.id.clone(), f.choices[v].value.clone()))
            })
            .collect()
    }
}

impl Law {
    /// The situation the rules are applied to: labels narrowed to those
    /// compatible with the qualities given, then the presumptions of
    /// `qualities.toml` for facts still unknown. Returns it with the
    /// bitset of the facts presumed.
    pub fn prepare(&self, s: &Situation) -> (Situation, u64) {
        let mut out = s.clone();
        let mut masks = out.masks;
        // A contradiction is refused when parsing; here (answers of an
        // interview being edited) the label simply wins.
        if self.qualities.restrict(&mut masks).is_ok() {
            out.masks = masks;
        }
        let presumed = self.qualities.presume(&mut out.masks);
        (out, presumed)
    }
}
