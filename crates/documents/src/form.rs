//! The report form (FORM.json): the facts for the engine, who writes, about
//! whom, to whom, and the three lists the report keeps apart — what the
//! professional observed, what the person said, and the context strictly
//! needed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A postal address or any block of lines: a JSON string (lines separated by
/// newlines) or an array of strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "LinesRepr", into = "Vec<String>")]
pub struct Lines(pub Vec<String>);

#[derive(Deserialize)]
#[serde(untagged)]
enum LinesRepr {
    One(String),
    Many(Vec<String>),
}

impl From<LinesRepr> for Lines {
    fn from(r: LinesRepr) -> Lines {
        let v = match r {
            LinesRepr::One(s) => s.lines().map(str::to_string).collect(),
            LinesRepr::Many(v) => v,
        };
        Lines(
            v.into_iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
        )
    }
}

impl From<Lines> for Vec<String> {
    fn from(l: Lines) -> Vec<String> {
        l.0
    }
}

/// The professional who writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Author {
    pub name: String,
    /// « Masseur-kinésithérapeute » when absent.
    #[serde(default)]
    pub profession: Option<String>,
    /// Numéro RPPS (11 digits).
    pub rpps: String,
    pub address: Lines,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// `feminine` chooses « soussignée » (otherwise « soussigné(e) »):
    /// "f", "m" or absent.
    #[serde(default)]
    pub gender: Option<String>,
}

impl Author {
    pub fn profession(&self) -> String {
        self.profession
            .clone()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| "Masseur-kinésithérapeute".into())
    }

    /// The town of the practice, for the place-and-date line (« Lyon, le … »):
    /// the last line of the address after its last comma, without the postal
    /// code or « CEDEX » (« 12 place du Marché, 69001 Lyon » → « Lyon »).
    pub fn town(&self) -> String {
        let last = self.address.0.last().cloned().unwrap_or_default();
        let tail = last.rsplit(',').next().unwrap_or_default();
        tail.split_whitespace()
            .filter(|w| !w.chars().all(|c| c.is_ascii_digit()) && !w.eq_ignore_ascii_case("cedex"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// « soussignée », « soussigné » or « soussigné(e) ».
    pub fn soussigne(&self) -> &'static str {
        match self.gender.as_deref() {
            Some("f") | Some("F") => "soussignée",
            Some("m") | Some("M") => "soussigné",
            _ => "soussigné(e)",
        }
    }
}

/// The person concerned: the victim, or (226-14 4°) the dangerous person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// « Mme », « M. » or absent (a child is named by name).
    #[serde(default)]
    pub civility: Option<String>,
    #[serde(default)]
    pub address: Option<Lines>,
}

impl Person {
    /// « Mme Claire Dubois » or « Léa Morel ».
    pub fn full(&self) -> String {
        match self
            .civility
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(c) => format!("{c} {}", self.name.trim()),
            None => self.name.trim().to_string(),
        }
    }

    /// « Mme Dubois » (civility and last name) or the full name.
    pub fn short(&self) -> String {
        match self
            .civility
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(c) => format!(
                "{c} {}",
                self.name
                    .split_whitespace()
                    .last()
                    .unwrap_or(self.name.trim())
            ),
            None => self.name.trim().to_string(),
        }
    }
}

/// Who said a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SpeakerRole {
    /// The person concerned (the default).
    #[default]
    Victime,
    /// The person accompanying a child or a vulnerable person.
    Accompagnant,
    /// Anyone else: hearsay, flagged by the check.
    Tiers,
}

/// What the person said, quoted and attributed in the report. In JSON a
/// plain string (said by the person concerned) or an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StatementRepr")]
pub struct Statement {
    pub text: String,
    #[serde(default)]
    pub role: SpeakerRole,
    /// How the speaker is designated when not the person concerned
    /// (« sa mère »): never a name.
    #[serde(default)]
    pub speaker: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StatementRepr {
    Text(String),
    Full {
        text: String,
        #[serde(default)]
        role: SpeakerRole,
        #[serde(default)]
        speaker: Option<String>,
        #[serde(default)]
        date: Option<NaiveDate>,
    },
}

impl From<StatementRepr> for Statement {
    fn from(r: StatementRepr) -> Statement {
        match r {
            StatementRepr::Text(text) => Statement {
                text,
                role: SpeakerRole::Victime,
                speaker: None,
                date: None,
            },
            StatementRepr::Full {
                text,
                role,
                speaker,
                date,
            } => Statement {
                text,
                role,
                speaker,
                date,
            },
        }
    }
}

/// The three lists of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Observations,
    Statements,
    Context,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Observations => "observations",
            Field::Statements => "statements",
            Field::Context => "context",
        }
    }
}

/// An item of one of the lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRef {
    pub field: Field,
    pub index: usize,
}

/// FORM.json.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportForm {
    /// The contract's facts (as for `sceau decide`).
    pub situation: Value,
    pub author: Author,
    pub victim: Person,
    /// The recipient's address; taken from the directory when absent.
    #[serde(default)]
    pub recipient_address: Option<Lines>,
    /// Département (« 69 », « 2A », « 75 ») of the place of the facts, which
    /// chooses the recipient in the directory.
    #[serde(default)]
    pub jurisdiction: Option<String>,
    /// The name of the directory entry to use when several match the
    /// recipient and the département (« Tribunal judiciaire de Lyon »).
    #[serde(default)]
    pub recipient_name: Option<String>,
    /// Where the report is signed (« Fait à … »); the last word of the
    /// author's address when absent.
    #[serde(default)]
    pub place: Option<String>,
    /// Date of the report; today when absent.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Date of the session where the observations were made.
    #[serde(default)]
    pub examination_date: Option<NaiveDate>,
    /// What the professional saw (constatations).
    #[serde(default)]
    pub observations: Vec<String>,
    /// What the person said, quoted.
    #[serde(default)]
    pub statements: Vec<Statement>,
    /// The context strictly needed.
    #[serde(default)]
    pub context: Vec<String>,
    /// Items the check flagged and the professional confirmed as necessary.
    #[serde(default)]
    pub confirmed: Vec<ItemRef>,
}

impl ReportForm {
    /// The items of a list, as text.
    pub fn items(&self, field: Field) -> Vec<&str> {
        match field {
            Field::Observations => self.observations.iter().map(String::as_str).collect(),
            Field::Statements => self.statements.iter().map(|s| s.text.as_str()).collect(),
            Field::Context => self.context.iter().map(String::as_str).collect(),
        }
    }

    /// Parses FORM.json. The error names the field and never echoes a value.
    pub fn from_json(value: &Value) -> Result<ReportForm, FormError> {
        let form: ReportForm = from_value(value)?;
        form.validate_own()?;
        Ok(form)
    }

    /// Parses FORM.json text.
    pub fn from_json_str(text: &str) -> Result<ReportForm, FormError> {
        ReportForm::from_json(&parse_json(text)?)
    }

    /// Checks what the types cannot: names, RPPS, references to items.
    pub fn validate_own(&self) -> Result<(), FormError> {
        validate_author(&self.author, "author")?;
        if self.victim.name.trim().is_empty() {
            return Err(FormError::empty("victim.name"));
        }
        if self.observations.is_empty() && self.statements.is_empty() {
            return Err(FormError {
                error: "missing_content",
                field: "observations".into(),
                message: "Champ « observations » : le signalement doit contenir au moins une constatation (observations) ou un propos de la personne (statements).".into(),
                message_en: "Field \"observations\": the report needs at least one observation (observations) or one statement of the person (statements).".into(),
            });
        }
        for (field, items) in [
            ("observations", self.items(Field::Observations)),
            ("statements", self.items(Field::Statements)),
            ("context", self.items(Field::Context)),
        ] {
            if let Some(i) = items.iter().position(|t| t.trim().is_empty()) {
                return Err(FormError::empty(&format!("{field}[{i}]")));
            }
        }
        for c in &self.confirmed {
            if c.index >= self.items(c.field).len() {
                return Err(FormError {
                    error: "out_of_range",
                    field: "confirmed".into(),
                    message: format!(
                        "Champ « confirmed » : la liste « {} » n’a pas d’élément d’indice {}.",
                        c.field.as_str(),
                        c.index
                    ),
                    message_en: format!(
                        "Field \"confirmed\": list \"{}\" has no item at index {}.",
                        c.field.as_str(),
                        c.index
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Checks the author's name, RPPS (11 digits) and address; the error names
/// the field under `at`.
pub fn validate_author(a: &Author, at: &str) -> Result<(), FormError> {
    if a.name.trim().is_empty() {
        return Err(FormError::empty(&format!("{at}.name")));
    }
    let rpps: String = a.rpps.chars().filter(|c| !c.is_whitespace()).collect();
    if rpps.len() != 11 || !rpps.chars().all(|c| c.is_ascii_digit()) {
        return Err(FormError {
            error: "invalid_rpps",
            field: format!("{at}.rpps"),
            message: format!("Champ « {at}.rpps » : le numéro RPPS compte 11 chiffres."),
            message_en: format!("Field \"{at}.rpps\": the RPPS number has 11 digits."),
        });
    }
    if a.address.0.is_empty() {
        return Err(FormError::empty(&format!("{at}.address")));
    }
    Ok(())
}

/// Why a form is not valid: the field, in French and English, never the
/// value submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormError {
    /// `malformed_json`, `missing_field`, `unknown_field`, `wrong_type`,
    /// `empty`, `invalid_rpps`, `missing_content`, `out_of_range`,
    /// `no_recipient`, `ambiguous_recipient`, or the engine's kinds for `situation.*`.
    pub error: &'static str,
    pub field: String,
    pub message: String,
    pub message_en: String,
}

impl FormError {
    pub(crate) fn empty(field: &str) -> FormError {
        FormError {
            error: "empty",
            field: field.into(),
            message: format!("Champ « {field} » : il ne peut pas être vide."),
            message_en: format!("Field \"{field}\": it cannot be empty."),
        }
    }

    pub fn from_situation(e: sceau_engine::SituationError) -> FormError {
        let field = match &e.field {
            Some(f) => format!("situation.{f}"),
            None => "situation".into(),
        };
        FormError {
            error: e.error,
            field,
            message: format!("Formulaire, champ « situation » : {}", e.message),
            message_en: format!("Form, field \"situation\": {}", e.message_en),
        }
    }
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n{}", self.message, self.message_en)
    }
}

impl std::error::Error for FormError {}

/// How an unknown key is named in an error: never by itself.
pub const UNKNOWN_FIELD: &str = "champ inconnu";

pub(crate) fn parse_json(text: &str) -> Result<Value, FormError> {
    serde_json::from_str(text).map_err(|e| FormError {
        error: "malformed_json",
        field: String::new(),
        message: format!(
            "Le formulaire n’est pas un JSON valide (ligne {}, colonne {}).",
            e.line(),
            e.column()
        ),
        message_en: format!(
            "The form is not valid JSON (line {}, column {}).",
            e.line(),
            e.column()
        ),
    })
}

/// Deserialises with the path of the failing field; the message says what
/// is wrong with the field without repeating the submitted value — nor an
/// unknown key, which may be anything typed (a patient's name): it is
/// « champ inconnu ». Every JSON body of the API and the command line goes
/// through here, so that serde's own messages (`invalid type: string "…"`,
/// `invalid value: integer 123…`, ``unknown field `…` ``) never reach a user.
pub fn from_value<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, FormError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner().to_string();
        let between = |s: &str| -> Option<String> {
            let a = s.find('`')?;
            let b = s[a + 1..].find('`')?;
            Some(s[a + 1..a + 1 + b].to_string())
        };
        let join = |name: &str| {
            if path.is_empty() || path == "." {
                name.to_string()
            } else {
                format!("{path}.{name}")
            }
        };
        if inner.starts_with("missing field") {
            let field = join(&between(&inner).unwrap_or_default());
            FormError {
                error: "missing_field",
                field: field.clone(),
                message: format!("Champ « {field} » manquant."),
                message_en: format!("Missing field \"{field}\"."),
            }
        } else if inner.starts_with("unknown field") || inner.starts_with("unknown variant") {
            // serde's path ends with the unknown key itself: keep only
            // the object it stands in.
            let segments: Vec<String> = e.path().iter().map(|s| s.to_string()).collect();
            let path = if inner.starts_with("unknown field") {
                segments[..segments.len().saturating_sub(1)].join(".")
            } else {
                path.clone()
            };
            let join = |name: &str| {
                if path.is_empty() {
                    name.to_string()
                } else {
                    format!("{path}.{name}")
                }
            };
            let accepted = inner
                .split_once("expected one of ")
                .or_else(|| inner.split_once("expected "))
                .map(|(_, a)| a.replace('`', ""))
                .unwrap_or_default();
            if inner.starts_with("unknown variant") {
                let field = if path.is_empty() {
                    "?".into()
                } else {
                    path.clone()
                };
                FormError {
                    error: "unknown_value",
                    field: field.clone(),
                    message: format!(
                        "Champ « {field} » : valeur non reconnue. Valeurs acceptées : {accepted}."
                    ),
                    message_en: format!(
                        "Field \"{field}\": value not recognised. Accepted values: {accepted}."
                    ),
                }
            } else {
                let (within, within_en) = if path.is_empty() || path == "." {
                    (String::new(), String::new())
                } else {
                    (
                        format!(" dans «\u{a0}{path}\u{a0}»"),
                        format!(" in \"{path}\""),
                    )
                };
                FormError {
                    error: "unknown_field",
                    field: join(UNKNOWN_FIELD),
                    message: format!("Champ inconnu{within}. Champs acceptés\u{a0}: {accepted}."),
                    message_en: format!("Unknown field{within_en}. Accepted fields: {accepted}."),
                }
            }
        } else {
            let field = if path.is_empty() || path == "." {
                "(racine)".to_string()
            } else {
                path
            };
            let what = if inner.contains("premature end")
                || inner.contains("input contains invalid characters")
                || inner.contains("trailing input")
            {
                (
                    "une date AAAA-MM-JJ est attendue",
                    "a date YYYY-MM-DD is expected",
                )
            } else if inner.contains("expected a string")
                || inner.contains("expected a borrowed string")
            {
                (
                    "une chaîne de caractères est attendue",
                    "a string is expected",
                )
            } else if inner.contains("expected a sequence") || inner.contains("expected a list") {
                ("une liste est attendue", "a list is expected")
            } else if inner.contains("did not match any variant") {
                (
                    "une chaîne, une liste de chaînes ou un objet du type attendu",
                    "a string, a list of strings or an object of the expected shape",
                )
            } else if inner.contains("input is out of range")
                || inner.contains("invalid") && inner.contains("date")
            {
                (
                    "une date AAAA-MM-JJ valide est attendue",
                    "a valid date YYYY-MM-DD is expected",
                )
            } else {
                ("type ou valeur invalide", "invalid type or value")
            };
            FormError {
                error: "wrong_type",
                field: field.clone(),
                message: format!("Champ « {field} » : {}.", what.0),
                message_en: format!("Field \"{field}\": {}.", what.1),
            }
        }
    })
}

#[cfg(test)]
mod town_tests {
    use super::*;

    fn author(lines: &[&str]) -> Author {
        Author {
            name: "Claire Dumas".into(),
            profession: None,
            rpps: "10000000000".into(),
            address: Lines(lines.iter().map(|l| l.to_string()).collect()),
            phone: None,
            email: None,
            gender: None,
        }
    }

    /// Issue 19: the letters read « place du Marché, Lyon, le … » when the
    /// address was typed on one line.
    #[test]
    fn the_town_is_the_end_of_the_address_without_street_postal_code_or_cedex() {
        assert_eq!(author(&["12 place du Marché, 69001 Lyon"]).town(), "Lyon");
        assert_eq!(author(&["12 place du Marché", "69001 Lyon"]).town(), "Lyon");
        assert_eq!(
            author(&["3 rue Haute", "BP 12", "13001 Marseille CEDEX 01"]).town(),
            "Marseille"
        );
        assert_eq!(
            author(&["Lieu-dit les Vignes, 84000 Saint-Rémy-de-Provence"]).town(),
            "Saint-Rémy-de-Provence"
        );
    }
}
