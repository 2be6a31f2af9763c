//! A situation: for each fact, the set of values it may still take (one
//! value when known, all of them when unknown), and the date of the
//! disclosure. Parsed from the contract's JSON with errors that name the
//! field and the accepted values, in French and English, and never echo
//! what was submitted.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{FactKind, Law, MAX_FACTS};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Situation {
    pub masks: [u32; MAX_FACTS],
    pub as_of: NaiveDate,
    /// Whether `as_of` was given (otherwise it is today).
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

impl Law {
    /// Parses the contract's JSON text.
    pub fn parse_situation_str(
        &self,
        text: &str,
        today: NaiveDate,
    ) -> Result<Situation, SituationError> {
        let value: Value = serde_json::from_str(text).map_err(|e| SituationError {
            error: "malformed_json",
            field: None,
            accepted: vec![],
            message: format!(
                "La situation n’est pas un JSON valide (ligne {}, colonne {}) : un objet JSON de faits est attendu.",
                e.line(),
                e.column()
            ),
            message_en: format!(
                "The situation is not valid JSON (line {}, column {}): a JSON object of facts is expected.",
                e.line(),
                e.column()
            ),
        })?;
        self.parse_situation(&value, today)
    }

    /// Parses the contract's JSON value. `today` is used when `as_of` is absent.
    pub fn parse_situation(
        &self,
        value: &Value,
        today: NaiveDate,
    ) -> Result<Situation, SituationError> {
        let obj = value.as_object().ok_or_else(|| SituationError {
            error: "not_an_object",
            field: None,
            accepted: vec![],
            message: "La situation doit être un objet JSON dont les clés sont des faits (par exemple {\"recipient\": \"procureur\"}).".into(),
            message_en: "The situation must be a JSON object whose keys are facts (for example {\"recipient\": \"procureur\"}).".into(),
        })?;
        let mut s = Situation::unknown(self, today);
        for (key, v) in obj {
            if key == "as_of" {
                match v {
                    Value::Null => {}
                    Value::String(d) => {
                        s.as_of = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| SituationError {
                            error: "invalid_date",
                            field: Some("as_of".into()),
                            accepted: vec!["YYYY-MM-DD".into()],
                            message: "Champ « as_of » : date invalide. Format attendu : AAAA-MM-JJ (par exemple 2026-03-01).".into(),
                            message_en: "Field \"as_of\": invalid date. Expected format: YYYY-MM-DD (for example 2026-03-01).".into(),
                        })?;
                        s.as_of_given = true;
                    }
                    _ => {
                        return Err(SituationError {
                            error: "wrong_type",
                            field: Some("as_of".into()),
                            accepted: vec!["YYYY-MM-DD".into()],
                            message: "Champ « as_of » : une date sous forme de texte AAAA-MM-JJ est attendue.".into(),
                            message_en: "Field \"as_of\": a date string YYYY-MM-DD is expected.".into(),
                        })
                    }
                }
                continue;
            }
            let Some(i) = self.fact_idx(key) else {
                let mut accepted: Vec<String> = self.facts.iter().map(|f| f.id.clone()).collect();
                accepted.push("as_of".into());
                // A field name is not patient data, but it may be anything: show it only when short and plain.
                let shown = if key.len() <= 64
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    key.clone()
                } else {
                    "(nom illisible)".into()
                };
                return Err(SituationError {
                    error: "unknown_field",
                    field: Some(shown.clone()),
                    message: format!(
                        "Champ « {shown} » inconnu. Champs acceptés : {}.",
                        list(&accepted)
                    ),
                    message_en: format!(
                        "Unknown field \"{shown}\". Accepted fields: {}.",
                        list(&accepted)
                    ),
                    accepted,
                });
            };
            let f = &self.facts[i];
            match (f.kind, v) {
                (_, Value::Null) => {}
                (FactKind::Bool, Value::Bool(b)) => s.set(i, *b as usize),
                (FactKind::Bool, _) => {
                    return Err(SituationError {
                        error: "wrong_type",
                        field: Some(f.id.clone()),
                        accepted: vec!["true".into(), "false".into()],
                        message: format!("Champ « {} » : true ou false attendu (sans guillemets), ou null si inconnu.", f.id),
                        message_en: format!("Field \"{}\": true or false expected (unquoted), or null when unknown.", f.id),
                    })
                }
                (FactKind::Enum, Value::String(name)) => match f.value_index(name) {
                    Some(v) => s.set(i, v),
                    None => {
                        let accepted = f.accepted_values();
                        return Err(SituationError {
                            error: "unknown_value",
                            field: Some(f.id.clone()),
                            message: format!("Champ « {} » : valeur non reconnue. Valeurs acceptées : {}.", f.id, list(&accepted)),
                            message_en: format!("Field \"{}\": value not recognised. Accepted values: {}.", f.id, list(&accepted)),
                            accepted,
                        });
                    }
                },
                (FactKind::Enum, _) => {
                    let accepted = f.accepted_values();
                    return Err(SituationError {
                        error: "wrong_type",
                        field: Some(f.id.clone()),
                        message: format!("Champ « {} » : une chaîne parmi ces valeurs est attendue : {}.", f.id, list(&accepted)),
                        message_en: format!("Field \"{}\": a string among these values is expected: {}.", f.id, list(&accepted)),
                        accepted,
                    });
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
            return Err(SituationError {
                error: "contradiction",
                field: Some(f.id.clone()),
                accepted: vec!["true".into(), "false".into(), "null".into()],
                message: format!(
                    "Champ « {} » : cette qualité contredit la valeur de « {of} » (voir law/qualities.toml) ; corrigez l’un des deux ou laissez « {} » à null.",
                    f.id, f.id
                ),
                message_en: format!(
                    "Field \"{}\": this quality contradicts the value of \"{of}\" (see law/qualities.toml); fix one of them or leave \"{}\" null.",
                    f.id, f.id
                ),
            });
        }
        Ok(s)
    }

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
        let presumed = self.qualities.presume(&mut out);
        (out, presumed)
    }
}
