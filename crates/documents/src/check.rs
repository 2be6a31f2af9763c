//! The minimisation check: flags every item of a report form that looks
//! unnecessary (medical history, other family members, opinions, unrelated
//! diagnoses, a named author or third party, hearsay, unrelated social
//! details), with a French reason, before the report is produced.
//!
//! Heuristic and data-driven: the lexicon is `data/minimisation.toml`
//! (patterns on a folded copy of the text); names are found here, on the
//! original text, since folding loses capitals. A flag asks the
//! professional to remove the part or confirm it (`confirmed` in the form);
//! it decides nothing.

use std::sync::OnceLock;

use regex::{Regex, RegexSet};
use sceau_engine::model::MONTHS;
use serde::{Deserialize, Serialize};

use crate::form::{Field, ItemRef, ReportForm, SpeakerRole};
use crate::typo::fold;

/// The lexicon shipped in the binary.
pub const LEXICON_TOML: &str = include_str!("../data/minimisation.toml");

/// One item that looks unnecessary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub field: Field,
    pub index: usize,
    /// Why, in French (one sentence per kind found).
    pub reason: String,
    /// Kinds found, most specific first: `medical_history`,
    /// `family_members`, `opinion`, `unrelated_diagnosis`,
    /// `alleged_author`, `hearsay`, `social_details`.
    pub kinds: Vec<String>,
}

impl Flag {
    pub fn item(&self) -> ItemRef {
        ItemRef {
            field: self.field,
            index: self.index,
        }
    }
}

#[derive(Deserialize)]
struct LexiconFile {
    spare: std::collections::BTreeMap<String, Vec<String>>,
    kind: Vec<KindFile>,
}

#[derive(Deserialize)]
struct KindFile {
    id: String,
    label: String,
    reason: String,
    fields: Vec<Field>,
    #[serde(default)]
    spare: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    patterns: Vec<String>,
}

/// A kind of needless content, compiled.
pub struct Kind {
    pub id: String,
    pub label: String,
    pub reason: String,
    fields: Vec<Field>,
    spare: Vec<usize>,
    unless: Option<RegexSet>,
    patterns: RegexSet,
}

/// The compiled lexicon.
pub struct Lexicon {
    spare: Vec<(String, RegexSet)>,
    pub kinds: Vec<Kind>,
    names: NamePatterns,
}

struct NamePatterns {
    civility: Regex,
    relation_name: Regex,
    name_relation: Regex,
    two_caps: Regex,
}

const RELATIONS: &str = "mari|époux|conjoint|compagnon|concubin|ex-mari|ex-époux|ex-conjoint|ex-compagnon|ex-concubin|partenaire|petit ami|petit-ami|copain|beau-père|belle-mère|père|mère|frère|sœur|oncle|tante|neveu|nièce|fils|fille|cousin|cousine|voisin|voisine|grand-père|grand-mère|employeur|patron|collègue";

/// Capitalised words that are not names, besides the months
/// ([`MONTHS`]).
const NOT_NAMES: &[&str] = &[
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "il",
    "elle",
    "ils",
    "elles",
    "je",
    "j",
    "on",
    "nous",
    "vous",
    "mon",
    "ma",
    "mes",
    "son",
    "sa",
    "ses",
    "ce",
    "cette",
    "ces",
    "chez",
    "depuis",
    "lors",
    "au",
    "aux",
    "du",
    "de",
    "des",
    "et",
    "mais",
    "quand",
    "puis",
    "si",
    "selon",
    "d",
    "après",
    "avant",
    "mme",
    "madame",
    "monsieur",
    "m",
    "mr",
    "mlle",
    "dr",
    "docteur",
    "papa",
    "maman",
    "tonton",
    "tata",
    "papi",
    "mamie",
    "samu",
    "sos",
    "crip",
    "rpps",
    "séance",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "noël",
    "paris",
    "france",
    "tribunal",
    "procureur",
    "république",
    "préfet",
    "police",
    "gendarmerie",
    "code",
    "article",
    "ça",
    "c",
    "qu",
    "que",
    "qui",
    "pendant",
    "ensuite",
    "alors",
    "hier",
    "aujourd",
    "depuis",
    "ses",
];

impl Lexicon {
    /// Compiles a lexicon (the format of `data/minimisation.toml`).
    pub fn from_toml(text: &str) -> Result<Lexicon, String> {
        let file: LexiconFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut spare = Vec::new();
        for (name, pats) in &file.spare {
            spare.push((
                name.clone(),
                RegexSet::new(pats).map_err(|e| format!("spare.{name}: {e}"))?,
            ));
        }
        let mut kinds = Vec::new();
        for k in file.kind {
            let mut spare_idx = Vec::new();
            for s in &k.spare {
                let i = spare
                    .iter()
                    .position(|(n, _)| n == s)
                    .ok_or_else(|| format!("kind {}: unknown spare list {s}", k.id))?;
                spare_idx.push(i);
            }
            kinds.push(Kind {
                unless: if k.unless.is_empty() {
                    None
                } else {
                    Some(RegexSet::new(&k.unless).map_err(|e| format!("{}.unless: {e}", k.id))?)
                },
                patterns: RegexSet::new(&k.patterns).map_err(|e| format!("{}: {e}", k.id))?,
                id: k.id,
                label: k.label,
                reason: k.reason,
                fields: k.fields,
                spare: spare_idx,
            });
        }
        let rel = RELATIONS;
        let names = NamePatterns {
            civility: Regex::new(r"\b(?:M\.|Mr\.?|Monsieur|Mme|Madame|Mlle|Mademoiselle)\s+(\p{Lu}[\p{L}'’-]+)")
                .map_err(|e| e.to_string())?,
            relation_name: Regex::new(&format!(
                r"(?i:\b(?:{rel}))\s*,?\s+(\p{{Lu}}\p{{Ll}}[\p{{L}}'’-]*)"
            ))
            .map_err(|e| e.to_string())?,
            name_relation: Regex::new(&format!(
                r"\b(\p{{Lu}}\p{{Ll}}[\p{{L}}'’-]*)(?:\s+\p{{Lu}}[\p{{L}}'’-]+)?\s*,\s*(?i:mon|ma|son|sa|le|la|leur)\s+(?i:{rel})\b"
            ))
            .map_err(|e| e.to_string())?,
            two_caps: Regex::new(r"\b(\p{Lu}\p{Ll}+[\p{L}-]*)\s+(\p{Lu}[\p{Ll}\p{Lu}][\p{L}'’-]*)")
                .map_err(|e| e.to_string())?,
        };
        Ok(Lexicon {
            spare,
            kinds,
            names,
        })
    }

    /// The lexicon shipped with Sceau.
    pub fn builtin() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| Lexicon::from_toml(LEXICON_TOML).expect("the built-in lexicon compiles"))
    }

    pub fn kind(&self, id: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.id == id)
    }

    /// The kinds of needless content found in one item (empty: looks needed).
    /// `known_names` are the words of names that may appear (the person
    /// concerned, the author).
    pub fn classify(&self, field: Field, text: &str, known_names: &[String]) -> Vec<&Kind> {
        let folded = fold(text);
        let mut out: Vec<&Kind> = Vec::new();
        for k in &self.kinds {
            let named = k.id == "alleged_author" && self.names_a_third_party(text, known_names);
            if !named {
                if !k.fields.contains(&field) {
                    continue;
                }
                if k.unless.as_ref().is_some_and(|u| u.is_match(&folded)) {
                    continue;
                }
                if k.spare.iter().any(|&i| self.spare[i].1.is_match(&folded)) {
                    continue;
                }
                if !k.patterns.is_match(&folded) {
                    continue;
                }
            }
            out.push(k);
        }
        out
    }

    /// Whether the text names someone other than the known people.
    fn names_a_third_party(&self, text: &str, known: &[String]) -> bool {
        let is_known = |w: &str| {
            let f = fold(w.trim_matches(|c: char| c == '\'' || c == '’'));
            f.len() < 2
                || NOT_NAMES.contains(&f.as_str())
                || NOT_NAMES.iter().any(|n| fold(n) == f)
                || MONTHS.iter().any(|m| fold(m) == f)
                || known.iter().any(|k| fold(k) == f)
        };
        let n = &self.names;
        for c in n.civility.captures_iter(text) {
            if !is_known(&c[1]) {
                return true;
            }
        }
        for c in n.relation_name.captures_iter(text) {
            if !is_known(&c[1]) {
                return true;
            }
        }
        for c in n.name_relation.captures_iter(text) {
            if !is_known(&c[1]) {
                return true;
            }
        }
        for c in n.two_caps.captures_iter(text) {
            let m = c.get(0).expect("match");
            // A capital after the start of a sentence is not a name's sign.
            let before = text[..m.start()].trim_end_matches([' ', '\u{a0}', '"', '«', '(']);
            let sentence_start = before.is_empty() || before.ends_with(['.', '!', '?', ':', ';']);
            let first_is_name = !sentence_start && !is_known(&c[1]);
            if first_is_name || (!is_known(&c[1]) && !is_known(&c[2])) {
                return true;
            }
        }
        false
    }
}

/// Words of the names that may appear in the report.
pub fn known_names(form: &ReportForm) -> Vec<String> {
    let mut out = Vec::new();
    for n in [&form.victim.name, &form.author.name] {
        out.extend(
            n.split([' ', '-'])
                .filter(|w| !w.is_empty())
                .map(str::to_string),
        );
    }
    out
}

/// Flags the items of the form that look unnecessary, in form order.
pub fn check(form: &ReportForm) -> Vec<Flag> {
    check_with(Lexicon::builtin(), form)
}

/// [`check`] with another lexicon.
pub fn check_with(lex: &Lexicon, form: &ReportForm) -> Vec<Flag> {
    let names = known_names(form);
    let mut out = Vec::new();
    for field in [Field::Observations, Field::Statements, Field::Context] {
        for (index, text) in form.items(field).into_iter().enumerate() {
            let mut kinds: Vec<&Kind> = lex.classify(field, text, &names);
            let mut reasons: Vec<String> = kinds.iter().map(|k| k.reason.clone()).collect();
            let mut ids: Vec<String> = kinds.drain(..).map(|k| k.id.clone()).collect();
            if field == Field::Statements
                && form.statements[index].role == SpeakerRole::Tiers
                && !ids.iter().any(|k| k == "hearsay")
            {
                if let Some(k) = lex.kind("hearsay") {
                    ids.insert(0, k.id.clone());
                    reasons.insert(0, k.reason.clone());
                }
            }
            if !ids.is_empty() {
                out.push(Flag {
                    field,
                    index,
                    reason: reasons.join(" "),
                    kinds: ids,
                });
            }
        }
    }
    out
}

/// The flags the professional has not confirmed.
pub fn unconfirmed(form: &ReportForm) -> Vec<Flag> {
    check(form)
        .into_iter()
        .filter(|f| !form.confirmed.contains(&f.item()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A month after a capitalised word is not a name, with or without its
    /// accents ([`MONTHS`], folded); another word there is.
    #[test]
    fn a_month_is_not_taken_for_a_name() {
        let lexicon = Lexicon::builtin();
        for month in ["Février", "Fevrier", "Août", "Mars", "Décembre"] {
            let text = format!("Revue {month} dernier.");
            assert!(!lexicon.names_a_third_party(&text, &[]), "{text}");
        }
        assert!(lexicon.names_a_third_party("Revue Dupont dernier.", &[]));
    }
}
