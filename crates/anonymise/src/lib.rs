//! sceau-anonymise — finds and replaces the direct identifiers of French
//! clinical text (CSP R.4321-116: publication and teaching), keeps the
//! clinical content, and reports the indirect details it cannot settle.
//!
//! ```
//! let a = sceau_anonymise::Anonymiser::new();
//! let out = a.anonymise("Mme Claire Dupont, née le 12/03/1948, test de Lachman négatif.");
//! assert!(!out.text.contains("Dupont"));
//! assert!(out.text.contains("Lachman"));
//! ```
//!
//! The output never needs the originals: a [`Replacement`] holds the kind, the
//! position in the input, the length of the original and the pseudonym.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod dicts;
pub mod eval;
mod names;
mod patterns;
mod risks;

pub use dicts::fold;
pub use patterns::{iban_valid, luhn_valid, nir_valid};

/// The kinds of direct identifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Nom,
    Date,
    Age,
    Adresse,
    CodePostal,
    Ville,
    Telephone,
    Email,
    Nir,
    Rpps,
    Adeli,
    Iban,
    NumeroDossier,
    Immatriculation,
    Url,
    Pseudo,
}

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::Nom,
        Kind::Date,
        Kind::Age,
        Kind::Adresse,
        Kind::CodePostal,
        Kind::Ville,
        Kind::Telephone,
        Kind::Email,
        Kind::Nir,
        Kind::Rpps,
        Kind::Adeli,
        Kind::Iban,
        Kind::NumeroDossier,
        Kind::Immatriculation,
        Kind::Url,
        Kind::Pseudo,
    ];
    pub fn id(self) -> &'static str {
        match self {
            Kind::Nom => "nom",
            Kind::Date => "date",
            Kind::Age => "age",
            Kind::Adresse => "adresse",
            Kind::CodePostal => "code_postal",
            Kind::Ville => "ville",
            Kind::Telephone => "telephone",
            Kind::Email => "email",
            Kind::Nir => "nir",
            Kind::Rpps => "rpps",
            Kind::Adeli => "adeli",
            Kind::Iban => "iban",
            Kind::NumeroDossier => "numero_dossier",
            Kind::Immatriculation => "immatriculation",
            Kind::Url => "url",
            Kind::Pseudo => "pseudo",
        }
    }
    pub fn from_id(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == s)
    }
    /// French label for reports.
    pub fn label_fr(self) -> &'static str {
        match self {
            Kind::Nom => "nom de personne",
            Kind::Date => "date",
            Kind::Age => "âge de plus de 89 ans",
            Kind::Adresse => "adresse",
            Kind::CodePostal => "code postal",
            Kind::Ville => "commune",
            Kind::Telephone => "téléphone",
            Kind::Email => "adresse électronique",
            Kind::Nir => "NIR (n° de sécurité sociale)",
            Kind::Rpps => "n° RPPS",
            Kind::Adeli => "n° ADELI",
            Kind::Iban => "IBAN",
            Kind::NumeroDossier => "n° de dossier ou de séjour",
            Kind::Immatriculation => "immatriculation",
            Kind::Url => "adresse web",
            Kind::Pseudo => "pseudonyme de réseau social",
        }
    }
    fn placeholder(self) -> &'static str {
        match self {
            Kind::Adresse => "[ADRESSE]",
            Kind::CodePostal => "[CODE POSTAL]",
            Kind::Telephone => "[TÉLÉPHONE]",
            Kind::Email => "[E-MAIL]",
            Kind::Nir => "[NIR]",
            Kind::Rpps => "[RPPS]",
            Kind::Adeli => "[ADELI]",
            Kind::Iban => "[IBAN]",
            Kind::NumeroDossier => "[N° DOSSIER]",
            Kind::Immatriculation => "[IMMATRICULATION]",
            Kind::Url => "[URL]",
            Kind::Pseudo => "[PSEUDONYME]",
            Kind::Age => "90 ans ou plus",
            Kind::Date => "[DATE]",
            Kind::Nom => "[NOM]",
            Kind::Ville => "[COMMUNE]",
        }
    }
}

/// How dates are replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateMode {
    /// Relative to the first date of the document: « J0 », « J+14 », « M+3 ».
    #[default]
    Relative,
    /// Generalised to the year.
    Year,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub dates: DateMode,
}

/// One replacement: where, what kind, how long the original was, and by what.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Replacement {
    pub kind: Kind,
    /// byte offsets in the input
    pub start: usize,
    pub end: usize,
    /// length of the original in characters
    pub original_len: usize,
    pub pseudonym: String,
}

/// An indirect detail that may still identify the person.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Risk {
    pub kind: String,
    /// byte offsets in the input
    pub span: (usize, usize),
    /// the lexicon entry that matched (never text taken around it)
    pub excerpt_hint: String,
    pub advice_fr: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Output {
    pub text: String,
    pub replacements: Vec<Replacement>,
    pub risks: Vec<Risk>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Title {
    Medical,
    Civil,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DateVal {
    pub y: Option<i32>,
    pub m: Option<u32>,
    pub d: Option<u32>,
    pub birth: bool,
}

#[derive(Clone, Debug)]
pub(crate) enum Info {
    None,
    Person { key: String, title: Option<Title> },
    Date(DateVal),
}

/// A detection before overlaps are settled.
#[derive(Clone, Debug)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub prio: u8,
    pub info: Info,
}

/// A detected identifier, for callers that only want spans (the evaluation).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// Pseudonyms kept consistent across a batch of documents. Keys are salted
/// SHA-256 digests of the normalised originals, never the originals.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BatchMap {
    pub salt: String,
    pub persons: HashMap<String, usize>,
    pub doctors: HashMap<String, bool>,
    pub places: HashMap<String, usize>,
    pub next_person: usize,
    pub next_place: usize,
}

impl Default for BatchMap {
    fn default() -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let salt = format!(
            "{:x}",
            Sha256::digest(format!("{now}-{}", std::process::id()))
        );
        BatchMap {
            salt: salt[..32].to_string(),
            persons: HashMap::new(),
            doctors: HashMap::new(),
            places: HashMap::new(),
            next_person: 0,
            next_place: 0,
        }
    }
}

impl BatchMap {
    fn digest(&self, key: &str) -> String {
        let h = Sha256::digest(format!("{}:{}", self.salt, key));
        h.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// Letters for persons: A…Z, AA, AB…
pub fn letters(mut n: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.iter().rev().collect()
}

#[derive(Clone, Debug, Default)]
pub struct Anonymiser {
    pub options: Options,
}

impl Anonymiser {
    pub fn new() -> Self {
        Anonymiser::default()
    }
    pub fn with_options(options: Options) -> Self {
        Anonymiser { options }
    }

    /// Load the dictionaries now rather than at the first call.
    pub fn warm_up(&self) {
        let _ = dicts::Dicts::get();
        let _ = patterns::Patterns::get();
    }

    fn candidates(&self, text: &str) -> Vec<Cand> {
        let mut c = Vec::new();
        patterns::detect(text, &mut c);
        names::detect(text, &mut c);
        resolve(text, c)
    }

    /// Only the spans (kind and position) that would be replaced.
    pub fn detect(&self, text: &str) -> Vec<Span> {
        self.candidates(text)
            .into_iter()
            .map(|c| Span {
                start: c.start,
                end: c.end,
                kind: c.kind,
            })
            .collect()
    }

    pub fn anonymise(&self, text: &str) -> Output {
        let mut map = BatchMap::default();
        self.anonymise_with(text, &mut map)
    }

    /// Anonymise with pseudonyms shared across a batch.
    pub fn anonymise_with(&self, text: &str, map: &mut BatchMap) -> Output {
        let cands = self.candidates(text);
        // doctors: a person seen once with a medical title is a doctor everywhere
        for c in &cands {
            if let Info::Person {
                key,
                title: Some(Title::Medical),
            } = &c.info
            {
                let k = map.digest(key);
                map.doctors.insert(k, true);
            }
        }
        // anchor of relative dates: first complete date that is not a birth date
        let anchor = cands.iter().find_map(|c| match c.info {
            Info::Date(d) if !d.birth && d.y.is_some() && d.m.is_some() && d.d.is_some() => Some(d),
            _ => None,
        });
        let month_anchor = anchor.or_else(|| {
            cands.iter().find_map(|c| match c.info {
                Info::Date(d) if !d.birth && d.y.is_some() && d.m.is_some() => Some(d),
                _ => None,
            })
        });
        let mut text_out = String::with_capacity(text.len());
        let mut reps = Vec::with_capacity(cands.len());
        let mut pos = 0;
        for c in &cands {
            let pseudo = match &c.info {
                Info::Person { key, title } => {
                    let k = map.digest(key);
                    let n = *map.persons.entry(k.clone()).or_insert_with(|| {
                        map.next_person += 1;
                        map.next_person - 1
                    });
                    let l = letters(n);
                    if title.is_some() {
                        l
                    } else if map.doctors.contains_key(&k) {
                        format!("Dr {l}")
                    } else {
                        format!("Patient {l}")
                    }
                }
                Info::Date(d) => render_date(*d, anchor, month_anchor, self.options.dates),
                Info::None if c.kind == Kind::Ville => {
                    let k = map.digest(&fold(&text[c.start..c.end]).replace('-', " "));
                    let n = *map.places.entry(k).or_insert_with(|| {
                        map.next_place += 1;
                        map.next_place - 1
                    });
                    format!("Commune {}", n + 1)
                }
                Info::None => c.kind.placeholder().to_string(),
            };
            text_out.push_str(&text[pos..c.start]);
            text_out.push_str(&pseudo);
            pos = c.end;
            reps.push(Replacement {
                kind: c.kind,
                start: c.start,
                end: c.end,
                original_len: text[c.start..c.end].chars().count(),
                pseudonym: pseudo,
            });
        }
        text_out.push_str(&text[pos..]);
        let risks = risks::detect(text, &cands);
        Output {
            text: text_out,
            replacements: reps,
            risks,
        }
    }
}

/// Keep the best candidate where several overlap: higher priority, then longer.
fn resolve(text: &str, mut c: Vec<Cand>) -> Vec<Cand> {
    c.sort_by(|a, b| {
        b.prio
            .cmp(&a.prio)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut taken = vec![false; text.len() + 1];
    let mut out = Vec::new();
    for cand in c {
        if cand.start >= cand.end || taken[cand.start..cand.end].iter().any(|&t| t) {
            continue;
        }
        for t in &mut taken[cand.start..cand.end] {
            *t = true;
        }
        out.push(cand);
    }
    out.sort_by_key(|c| c.start);
    out
}

fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn signed(n: i64) -> String {
    if n >= 0 {
        format!("+{n}")
    } else {
        format!("−{}", -n)
    }
}

fn render_date(
    d: DateVal,
    anchor: Option<DateVal>,
    month_anchor: Option<DateVal>,
    mode: DateMode,
) -> String {
    let year_only = |d: DateVal| {
        d.y.map(|y| y.to_string())
            .unwrap_or_else(|| "[DATE]".to_string())
    };
    if mode == DateMode::Year || d.birth {
        return year_only(d);
    }
    match (d.d, d.m) {
        (Some(day), Some(m)) => {
            let Some(a) = anchor else { return year_only(d) };
            let y = d.y.or(a.y).unwrap_or(2000);
            let delta = days_from_civil(y, m, day)
                - days_from_civil(a.y.unwrap_or(2000), a.m.unwrap_or(1), a.d.unwrap_or(1));
            if delta == 0 {
                "J0".to_string()
            } else if delta.abs() <= 730 {
                format!("J{}", signed(delta))
            } else {
                year_only(DateVal { y: Some(y), ..d })
            }
        }
        (None, Some(m)) => {
            let Some(a) = month_anchor else {
                return year_only(d);
            };
            let (Some(y), Some(ay), Some(am)) = (d.y, a.y, a.m) else {
                return year_only(d);
            };
            let delta = (y as i64 * 12 + m as i64) - (ay as i64 * 12 + am as i64);
            if delta == 0 {
                "M0".to_string()
            } else if delta.abs() <= 24 {
                format!("M{}", signed(delta))
            } else {
                y.to_string()
            }
        }
        _ => year_only(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn letters_sequence() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
    }
    #[test]
    fn days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            days_from_civil(2024, 3, 12) - days_from_civil(2024, 2, 27),
            14
        );
    }
}
