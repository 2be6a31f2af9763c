//! Every sentence the engine shows people, in French (and the English of
//! the contract's error messages): verdict labels, dates, citations,
//! periods of validity, the trace's notes, the headings of the
//! explanation and the errors of a situation. The law's own sentences
//! (questions, explanations of rules, vocabulary, presumptions) are data in
//! `law/`; this module only lays them out. Nothing in the evaluation
//! (`expr`, `eval`, `search`, `compiled`, `ranking`) uses it.

use chrono::{Datelike, NaiveDate};

use crate::law::{Article, ArticleVersion, Choice, Verdict};

/// A message in French and in English.
pub(crate) type Message = (String, String);

/// The months in French, January first: the one list of Sceau's dates
/// in words and of the words that are not a name in a report.
pub const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `2026-02-08` → `8 février 2026`.
pub fn date_fr(d: NaiveDate) -> String {
    let day = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!("{} {} {}", day, MONTHS[d.month0() as usize], d.year())
}

impl Verdict {
    /// French wording of the verdict for people.
    pub fn label_fr(self) -> &'static str {
        match self {
            Verdict::Allowed => "Vous pouvez le dire",
            Verdict::Forbidden => "Vous ne devez pas le dire",
            Verdict::NotRequired => "Vous n’êtes pas tenu de répondre",
            Verdict::Refer => "Ce n’est pas à vous de le dire",
            Verdict::NotCovered => "Cette information n’est pas couverte par le secret",
            Verdict::Undetermined => "Il manque des éléments pour répondre",
        }
    }
}

impl ArticleVersion {
    /// French description of the period of validity.
    pub fn period_fr(&self) -> String {
        match (self.valid_from, self.valid_until) {
            (None, None) => "version en vigueur, date d’entrée en vigueur non précisée".into(),
            (Some(f), None) => format!("version en vigueur depuis le {}", date_fr(f)),
            (None, Some(u)) => format!("version en vigueur jusqu’au {}", date_fr(u)),
            (Some(f), Some(u)) => format!("version en vigueur du {} au {}", date_fr(f), date_fr(u)),
        }
    }
}

impl Article {
    /// « art. R. 4321-90 du code de la santé publique ».
    pub fn citation_fr(&self) -> String {
        let code = match self.code() {
            "csp" => "du code de la santé publique",
            "cp" => "du code pénal",
            "cpp" => "du code de procédure pénale",
            "cc" => "du code civil",
            "css" => "du code de la sécurité sociale",
            _ => "",
        };
        format!("art. {} {}", self.number, code)
            .trim_end()
            .to_string()
    }
}

/// The two answers of a yes/no fact: `false` then `true`.
pub(crate) fn yes_no() -> Vec<Choice> {
    vec![
        Choice {
            value: "false".into(),
            label: "Non".into(),
            label_en: "No".into(),
        },
        Choice {
            value: "true".into(),
            label: "Oui".into(),
            label_en: "Yes".into(),
        },
    ]
}

/// The trace's note on a rule not in force on `as_of`.
pub(crate) fn out_of_period(
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
    as_of: NaiveDate,
) -> String {
    match (valid_from, valid_until) {
        (Some(f), _) if as_of < f => format!("règle applicable à partir du {}", date_fr(f)),
        (_, Some(u)) => format!("règle applicable jusqu’au {}", date_fr(u)),
        _ => "hors de sa période d’application".into(),
    }
}

/// What the explanation of a decision says, already resolved against the
/// law (labels of terms in force on the date, the question of a fact).
pub(crate) struct Explanation<'a> {
    pub verdict: Verdict,
    /// The ways forward: label and source (empty when none).
    pub next_steps: Vec<(&'a str, &'a str)>,
    /// The presumptions' sentences.
    pub presumed: Vec<&'a str>,
    /// When undetermined: the verdicts still possible.
    pub possible: &'a [Verdict],
    /// When undetermined: the question of the most decisive fact.
    pub question: Option<&'a str>,
    /// The rules' own sentences, most specific first.
    pub reasons: &'a [String],
    pub conditions: Vec<&'a str>,
    pub duties: Vec<&'a str>,
    pub warnings: Vec<&'a str>,
    pub as_of: NaiveDate,
    /// The texts applied: citation, period, whether the corpus holds them whole.
    pub versions: Vec<(&'a str, &'a str, bool)>,
}

/// The explanation's heading before the ways forward.
pub(crate) const NEXT_STEPS_HEADING: &str = "Ce que vous pouvez faire :\n";

/// The explanation's heading before the presumptions.
pub(crate) const PRESUMED_HEADING: &str = "Présumé, faute d’indication contraire :\n";

/// The explanation's headings of the conditions, duties and warnings.
pub(crate) const LIST_HEADINGS: [&str; 3] =
    ["Conditions :\n", "Obligations :\n", "Mises en garde :\n"];

/// One line of a list in the explanation.
pub(crate) fn item_line(label: &str) -> String {
    format!("– {label}\n")
}

/// One way forward, with where it comes from when known.
pub(crate) fn step_line(label: &str, source: &str) -> String {
    if source.is_empty() {
        item_line(label)
    } else {
        format!("– {label} ({source})\n")
    }
}

/// The verdicts still possible, when more than one.
pub(crate) fn possible_line(possible: &[Verdict]) -> String {
    if possible.len() < 2 {
        return String::new();
    }
    let labels: Vec<String> = possible
        .iter()
        .map(|v| format!("« {} »", v.label_fr()))
        .collect();
    format!(
        "Selon les faits encore inconnus, la réponse pourrait être : {}.\n",
        labels.join(", ")
    )
}

/// The question of the most decisive fact.
pub(crate) fn question_line(question: &str) -> String {
    format!("Question la plus décisive : {question}\n")
}

/// The heading of the texts applied.
pub(crate) fn versions_heading(as_of: NaiveDate) -> String {
    format!("Textes appliqués au {} :\n", date_fr(as_of))
}

/// One text applied: citation, period, whether the corpus holds it whole.
pub(crate) fn version_line(citation: &str, period: &str, complete: bool) -> String {
    let partial = if complete {
        ""
    } else {
        " — texte incomplet dans le corpus"
    };
    format!("– {citation} ({period}){partial}\n")
}

/// The explanation of a decision, in French.
pub(crate) fn explanation(e: &Explanation<'_>) -> String {
    let mut out = String::new();
    out.push_str(e.verdict.label_fr());
    out.push_str(".\n");
    if !e.next_steps.is_empty() {
        out.push_str(NEXT_STEPS_HEADING);
        for (label, source) in &e.next_steps {
            out.push_str(&step_line(label, source));
        }
    }
    if !e.presumed.is_empty() {
        out.push_str(PRESUMED_HEADING);
        for p in &e.presumed {
            out.push_str(&item_line(p));
        }
    }
    if e.verdict == Verdict::Undetermined {
        out.push_str(&possible_line(e.possible));
        if let Some(q) = e.question {
            out.push_str(&question_line(q));
        }
        return out;
    }
    for r in e.reasons {
        out.push_str(r);
        out.push('\n');
    }
    for (title, labels) in LIST_HEADINGS
        .into_iter()
        .zip([&e.conditions, &e.duties, &e.warnings])
    {
        if labels.is_empty() {
            continue;
        }
        out.push_str(title);
        for label in labels {
            out.push_str(&item_line(label));
        }
    }
    if !e.versions.is_empty() {
        out.push_str(&versions_heading(e.as_of));
        for (citation, period, complete) in &e.versions {
            out.push_str(&version_line(citation, period, *complete));
        }
    }
    out
}

// The errors of a situation (`crate::input`), in French then English.

pub(crate) fn malformed_json(line: usize, column: usize) -> Message {
    (
        format!("La situation n’est pas un JSON valide (ligne {line}, colonne {column}) : un objet JSON de faits est attendu."),
        format!("The situation is not valid JSON (line {line}, column {column}): a JSON object of facts is expected."),
    )
}

pub(crate) fn not_an_object() -> Message {
    (
        "La situation doit être un objet JSON dont les clés sont des faits (par exemple {\"recipient\": \"procureur\"}).".into(),
        "The situation must be a JSON object whose keys are facts (for example {\"recipient\": \"procureur\"}).".into(),
    )
}

pub(crate) fn invalid_date() -> Message {
    (
        "Champ « as_of » : date invalide. Format attendu : AAAA-MM-JJ (par exemple 2026-03-01)."
            .into(),
        "Field \"as_of\": invalid date. Expected format: YYYY-MM-DD (for example 2026-03-01)."
            .into(),
    )
}

pub(crate) fn date_expected() -> Message {
    (
        "Champ « as_of » : une date sous forme de texte AAAA-MM-JJ est attendue.".into(),
        "Field \"as_of\": a date string YYYY-MM-DD is expected.".into(),
    )
}

/// An unknown key is never named: it may be anything typed.
pub(crate) fn unknown_field(accepted: &str) -> Message {
    (
        format!("Champ inconnu\u{a0}: il n’est pas repris ici. Champs acceptés\u{a0}: {accepted}."),
        format!("Unknown field: it is not repeated here. Accepted fields: {accepted}."),
    )
}

pub(crate) fn bool_expected(field: &str) -> Message {
    (
        format!("Champ « {field} » : true ou false attendu (sans guillemets), ou null si inconnu."),
        format!("Field \"{field}\": true or false expected (unquoted), or null when unknown."),
    )
}

pub(crate) fn unknown_value(field: &str, accepted: &str) -> Message {
    (
        format!("Champ « {field} » : valeur non reconnue. Valeurs acceptées : {accepted}."),
        format!("Field \"{field}\": value not recognised. Accepted values: {accepted}."),
    )
}

pub(crate) fn string_expected(field: &str, accepted: &str) -> Message {
    (
        format!("Champ « {field} » : une chaîne parmi ces valeurs est attendue : {accepted}."),
        format!("Field \"{field}\": a string among these values is expected: {accepted}."),
    )
}

pub(crate) fn contradiction(field: &str, of: &str) -> Message {
    (
        format!("Champ « {field} » : cette qualité contredit la valeur de « {of} » (voir law/qualities.toml) ; corrigez l’un des deux ou laissez « {field} » à null."),
        format!("Field \"{field}\": this quality contradicts the value of \"{of}\" (see law/qualities.toml); fix one of them or leave \"{field}\" null."),
    )
}
