//! The contract's situation (a JSON object of facts and `as_of`) read
//! into a [`Situation`], with errors that name the field and the accepted
//! values, in French and English (worded in [`crate::wording`]), and never
//! echo what was submitted.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::law::{FactKind, Law};
use crate::situation::Situation;
use crate::wording;

/// Why a situation is not valid. Serialised as the error body of the API
/// (HTTP 422) and printed by `sceau decide` (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SituationError {
    /// Stable kind: `malformed_json`, `not_an_object`, `unknown_field`,
    /// `wrong_type`, `unknown_value`, `invalid_date`, `contradiction`.
    pub error: &'static str,
    /// The offending field, when there is one.
    pub field: Option<String>,
    /// What the field accepts.
    pub accepted: Vec<String>,
    pub message: String,
    pub message_en: String,
}

impl std::fmt::Display for SituationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n{}", self.message, self.message_en)
    }
}

impl std::error::Error for SituationError {}

fn list(values: &[String]) -> String {
    values.join(", ")
}

fn error(
    kind: &'static str,
    field: Option<String>,
    accepted: Vec<String>,
    (message, message_en): wording::Message,
) -> SituationError {
    SituationError {
        error: kind,
        field,
        accepted,
        message,
        message_en,
    }
}

impl Law {
    /// Parses the contract's JSON text. `today` is the date the caller
    /// gives for a situation without `as_of`.
    pub fn parse_situation_str(
        &self,
        text: &str,
        today: NaiveDate,
    ) -> Result<Situation, SituationError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            error(
                "malformed_json",
                None,
                vec![],
                wording::malformed_json(e.line(), e.column()),
            )
        })?;
        self.parse_situation(&value, today)
    }

    /// Parses the contract's JSON value. `today` is the date the caller
    /// gives for a situation without `as_of`.
    pub fn parse_situation(
        &self,
        value: &Value,
        today: NaiveDate,
    ) -> Result<Situation, SituationError> {
        let obj = value
            .as_object()
            .ok_or_else(|| error("not_an_object", None, vec![], wording::not_an_object()))?;
        let mut s = Situation::unknown(self, today);
        let date_format = || vec!["YYYY-MM-DD".to_string()];
        for (key, v) in obj {
            if key == "as_of" {
                match v {
                    Value::Null => {}
                    Value::String(d) => {
                        s.as_of = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                            error(
                                "invalid_date",
                                Some("as_of".into()),
                                date_format(),
                                wording::invalid_date(),
                            )
                        })?;
                        s.as_of_given = true;
                    }
                    _ => {
                        return Err(error(
                            "wrong_type",
                            Some("as_of".into()),
                            date_format(),
                            wording::date_expected(),
                        ))
                    }
                }
                continue;
            }
            let Some(i) = self.fact_idx(key) else {
                let mut accepted: Vec<String> = self.facts.iter().map(|f| f.id.clone()).collect();
                accepted.push("as_of".into());
                // An unknown key may be anything typed, a patient's name
                // too: it is never repeated, only said to be unknown.
                let message = wording::unknown_field(&list(&accepted));
                return Err(error("unknown_field", None, accepted, message));
            };
            let f = &self.facts[i];
            let field = Some(f.id.clone());
            match (f.kind, v) {
                (_, Value::Null) => {}
                (FactKind::Bool, Value::Bool(b)) => s.set(i, *b as usize),
                (FactKind::Bool, _) => {
                    return Err(error(
                        "wrong_type",
                        field,
                        vec!["true".into(), "false".into()],
                        wording::bool_expected(&f.id),
                    ))
                }
                (FactKind::Enum, Value::String(name)) => match f.value_index(name) {
                    Some(v) => s.set(i, v),
                    None => {
                        let accepted = f.accepted_values();
                        let message = wording::unknown_value(&f.id, &list(&accepted));
                        return Err(error("unknown_value", field, accepted, message));
                    }
                },
                (FactKind::Enum, _) => {
                    let accepted = f.accepted_values();
                    let message = wording::string_expected(&f.id, &list(&accepted));
                    return Err(error("wrong_type", field, accepted, message));
                }
            }
        }
        if let Err(q) = self.qualities.restrict(&mut s.masks.clone()) {
            let f = &self.facts[q];
            let of = self
                .qualities
                .qualities
                .iter()
                .find(|x| x.fact == q)
                .map(|x| self.facts[x.of].id.clone())
                .unwrap_or_default();
            return Err(error(
                "contradiction",
                Some(f.id.clone()),
                vec!["true".into(), "false".into(), "null".into()],
                wording::contradiction(&f.id, &of),
            ));
        }
        Ok(s)
    }
}
