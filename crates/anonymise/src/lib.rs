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

use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

mod access_codes;
mod addresses;
mod calendar;
mod club_acronyms;
mod club_demonyms;
mod club_names;
mod contact_cells;
mod cued_first_names;
mod date_remnants;
mod day_lists;
pub mod detector;
mod devices;
mod dictated_numbers;
mod dicts;
mod eponym_sites;
pub mod eval;
mod fast_hash;
mod file_names;
mod firm_qualifiers;
mod foreign_towns;
mod format_variants;
mod forum_handles;
mod homonyms;
mod hospital_acronyms;
mod hyphen_places;
mod identifiers;
mod initials_legend;
mod lone_territories;
mod lower_communes;
mod lower_of_names;
mod lower_streets;
mod lower_trades;
mod military_units;
mod named_places;
mod names;
mod nicknames;
mod not_name_words;
mod numbered_orgs;
mod numwords;
mod ocr_digits;
mod official_names;
mod org_spans;
mod org_tails;
mod org_tokens;
mod org_wholes;
mod orgs;
mod patterns;
mod phones;
mod places;
mod propers;
mod public_bodies;
mod record_fields;
mod record_postcodes;
mod regional_homes;
mod registry;
mod residences;
mod risks;
mod rivers;
mod rooms;
mod score_like_dates;
mod short_dates;
mod signed_initials;
mod spaced_dates;
mod street_forms;
mod surname_words;
mod tables;
mod territories;
mod territory_forms;
mod timestamps;
mod titled_practices;
mod trade_names;
mod trades;

pub use detector::{
    embedded as embedded_detector, examples as detector_examples, Model as DetectorModel,
    CLASSES as DETECTOR_CLASSES,
};
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
    Etablissement,
    Chambre,
}

impl Kind {
    pub const ALL: [Kind; 18] = [
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
        Kind::Etablissement,
        Kind::Chambre,
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
            Kind::Etablissement => "etablissement",
            Kind::Chambre => "chambre",
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
            Kind::Etablissement => "établissement ou organisation",
            Kind::Chambre => "chambre ou lit",
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
            Kind::Etablissement => "[ÉTABLISSEMENT]",
            Kind::Chambre => "[CHAMBRE]",
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
    Person {
        key: String,
        title: Option<Title>,
        /// in a patient's field (« Patient : X »)
        patient: bool,
        /// in a carer's column of a table (« Kiné », « IDE », « Médecin »)
        carer: bool,
        /// for a full name, the partial keys (« martin|?f », « ?|anne ») that a
        /// later text of the batch may use for this person
        aliases: Vec<String>,
    },
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

/// Pseudonyms kept consistent across a batch of documents. Keys are
/// HMAC-SHA-256 digests of the normalised originals under a secret that the
/// table does not hold (the server's, see [`Anonymiser::with_key`]): whoever
/// holds the table cannot test candidate names against it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BatchMap {
    pub persons: HashMap<String, usize>,
    /// persons seen with a medical title (« Dr », « Pr »)
    pub doctors: HashMap<String, bool>,
    /// persons seen in a patient's field (« Patient : »)
    pub patients: HashMap<String, bool>,
    pub places: HashMap<String, usize>,
    pub establishments: HashMap<String, usize>,
    /// digest of a partial name (a surname or a first name alone) → digest of
    /// the one full name it stands for in earlier texts, or "" when several
    pub aliases: HashMap<String, String>,
    pub next_person: usize,
    pub next_place: usize,
    pub next_establishment: usize,
}

fn numbered(map: &mut HashMap<String, usize>, next: &mut usize, k: String) -> usize {
    *map.entry(k).or_insert_with(|| {
        *next += 1;
        *next - 1
    })
}

/// A random key for callers that give none: consistent within the process,
/// unknown outside it. `RandomState` is seeded by the operating system.
fn process_key() -> [u8; 32] {
    static K: OnceLock<[u8; 32]> = OnceLock::new();
    *K.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut k = [0u8; 32];
        for (i, chunk) in k.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
        k
    })
}

fn mac(key: &[u8; 32], kind: &str, value: &str) -> String {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(kind.as_bytes());
    m.update(b":");
    m.update(value.as_bytes());
    m.finalize()
        .into_bytes()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
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

#[derive(Clone)]
pub struct Anonymiser {
    pub options: Options,
    /// the secret of the pseudonym table's digests (never serialised)
    key: [u8; 32],
    /// the learned pass after the rules (`detector`), none for the rules alone
    detector: Option<std::sync::Arc<detector::Model>>,
    /// the sequence model (`detector::sequence`), run before the word detector
    sequence: Option<std::sync::Arc<detector::Model>>,
}

impl Default for Anonymiser {
    fn default() -> Self {
        Anonymiser::with_options(Options::default())
    }
}

impl std::fmt::Debug for Anonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Anonymiser")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Anonymiser {
    pub fn new() -> Self {
        Anonymiser::default()
    }
    /// With a key drawn for this process: tables are consistent within it only.
    pub fn with_options(options: Options) -> Self {
        Anonymiser {
            options,
            key: process_key(),
            detector: Some(detector::embedded()),
            sequence: Some(detector::embedded_sequence()),
        }
    }
    /// With the caller's secret (a server derives it from its own key), so
    /// that a table given back later still matches and reveals nothing.
    pub fn with_key(options: Options, key: [u8; 32]) -> Self {
        Anonymiser {
            options,
            key,
            detector: Some(detector::embedded()),
            sequence: Some(detector::embedded_sequence()),
        }
    }
    /// With other weights for the learned pass, or none: the rules alone
    /// (the leave-one-set-out comparison and the training use both). The
    /// sequence model goes with it: none when the detector is none.
    pub fn with_detector(mut self, model: Option<std::sync::Arc<DetectorModel>>) -> Self {
        if model.is_none() {
            self.sequence = None;
        }
        self.detector = model;
        self
    }

    /// With a sequence model (`detector::sequence`), or none.
    pub fn with_sequence(mut self, model: Option<std::sync::Arc<DetectorModel>>) -> Self {
        self.sequence = model;
        self
    }

    /// Load the dictionaries now rather than at the first call.
    pub fn warm_up(&self) {
        let _ = dicts::Dicts::get();
        let _ = patterns::Patterns::get();
        let _ = detector::embedded();
        let _ = detector::embedded_sequence();
        let _ = self.detect("Mme Dupont, chambre 12, EHPAD les Lilas.");
    }

    /// Scores annotated notes: what is detected against the gold spans, and
    /// the pseudonyms of each note's people (one table per note, as the
    /// page does for one text). The evaluation's one way to score a set.
    pub fn evaluate(&self, notes: &[eval::Note]) -> eval::Score {
        let mut s = eval::Score::default();
        for n in notes {
            let preds: Vec<eval::Pred> = self
                .detect(&n.text)
                .into_iter()
                .map(|p| eval::Pred {
                    start: p.start,
                    end: p.end,
                    kind: p.kind.id().to_string(),
                })
                .collect();
            eval::score_note(n, &preds, &mut s);
            let reps: Vec<(usize, usize, String)> = self
                .anonymise_with(&n.text, &mut BatchMap::default())
                .replacements
                .into_iter()
                .filter(|r| r.kind == Kind::Nom)
                .map(|r| (r.start, r.end, r.pseudonym))
                .collect();
            eval::score_persons(n, &reps, &mut s);
        }
        s
    }

    fn candidates(&self, text: &str) -> Vec<Cand> {
        // a dozen passes read the text's tokens: made once, forgotten at the end
        let _tokens = org_tokens::share_tokens(text);
        let mut c = Vec::new();
        patterns::detect(text, &mut c);
        phones::detect(text, &mut c);
        // figures scanned with letters in them (« O4/l1/l95O »)
        ocr_digits::detect(text, &mut c);
        lower_streets::detect(text, &mut c);
        street_forms::detect(text, &mut c);
        format_variants::detect(text, &mut c);
        orgs::detect(text, &mut c);
        registry::detect(text, &mut c);
        tables::detect(text, &mut c);
        // a record's values named by their keys (« "id": "P-10293" », « user=jdoe »)
        record_fields::detect(text, &mut c);
        rooms::detect(text, &mut c);
        access_codes::detect(text, &mut c);
        forum_handles::detect(text, &mut c);
        // initials a legend spells out (« YF = Yann Fouquet »)
        initials_legend::detect(text, &mut c);
        dictated_numbers::detect(text, &mut c);
        residences::detect(text, &mut c);
        names::detect(text, &mut c);
        let found = resolve(text, c);
        let found = propers::detect(text, found);
        // ── hook of the learned detector (issue 18): after every rule ──
        let found = detector::detect(
            text,
            found,
            self.detector.as_deref(),
            self.sequence.as_deref(),
        );
        // establishments completed from what the rules and the detector found
        let found = org_spans::detect(text, found);
        // a club's sport after its initials and commune (« ASP Pornic foot »)
        let found = club_names::detect(text, found);
        // a club or a federation by its acronym after a word of sport (« tournoi du VCF »)
        let found = club_acronyms::detect(text, found);
        // a club by its sport and its town's adjective (« Pétanque Lamballaise »)
        let found = club_demonyms::detect(text, found);
        // a home named in Breton or Corsican (« l'ehpad ker avel »)
        let found = regional_homes::detect(text, found);
        // a hospital named by its initials alone (« transfert au GHNE »)
        let found = hospital_acronyms::detect(text, found);
        // a firm named by its trade and a place or an owner (« Vendée Appareillage »)
        let found = trade_names::detect(text, found);
        // the end of an establishment's name left beside it (« Securitas France »)
        let found = org_tails::detect(text, found);
        // the head, the article or the adjective left before a name found in part
        let found = org_wholes::detect(text, found);
        // a court, a police unit, a public service or a church before its
        // commune (« tribunal judiciaire de » + « Quimper »)
        let found = public_bodies::detect(text, found);
        // a commune's département and arrondissement, wherever the commune was found
        let found = places::detect(text, found);
        // a lake, a pass, a forest named by its head (« lac de Montrevel »)
        let found = named_places::detect(text, found);
        // a département, a region or a massif named alone (« dans l'Allier »)
        let found = lone_territories::detect(text, found);
        let found = addresses::extend(text, found);
        let found = addresses::towns_before_postcodes(text, found);
        // a postcode beside its commune in a record (« …;Abbeville;80100;… »)
        let found = record_postcodes::detect(text, found);
        let found = identifiers::extend(text, found);
        let found = timestamps::extend(text, found);
        // a room's head read into a name in capitals (« M. ROBIN CHAMBRE 11 »)
        let found = rooms::heads_after_names(text, found);
        // the days of a list make one date (« 2 et 3 juin »)
        let found = day_lists::join(text, found);
        // towns abroad after a preposition of place (« né à Bamako »)
        let found = foreign_towns::detect(text, found);
        // communes joined by a hyphen or a head of lieu-dit (« Matoury-Cayenne »,
        // « Saint-Georges-de-l'Oyapock », « Piton Sainte-Rose »)
        let found = hyphen_places::detect(text, found);
        // a device's model word is no surname (« Lokomat Pro »)
        let found = devices::keep(text, found);
        // initials that sign a note or go with a name (« N. », « J.-M. Roux »)
        let found = signed_initials::detect(text, found);
        // a first name alone that the layout makes a person (« Claire 08:15 : »,
        // « Thomas 06 … »), a doubled nickname (« Jojo »), letters spelt out
        let found = cued_first_names::detect(text, found);
        propagate(text, found)
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
        let key = &self.key;
        // roles: a person seen once with a medical title is a doctor everywhere,
        // one seen in a patient's field a patient; the others are « Personne »
        // a partial name (« M. Kerjean ») that this text could not settle
        // takes the person it stood for in an earlier text of the batch
        let resolve_key = |map: &BatchMap, p: &str| -> String {
            let k = mac(key, "nom", p);
            if p.contains('?') && !homonyms::is_unique(p) {
                if let Some(full) = map.aliases.get(&k).filter(|f| !f.is_empty()) {
                    return full.clone();
                }
            }
            k
        };
        for c in &cands {
            if let Info::Person {
                key: p,
                title,
                patient,
                ..
            } = &c.info
            {
                let k = resolve_key(map, p);
                if *title == Some(Title::Medical) {
                    map.doctors.insert(k.clone(), true);
                }
                if *patient {
                    map.patients.insert(k, true);
                }
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
                Info::Person { key: p, title, .. } => {
                    let k = resolve_key(map, p);
                    // a mention of its own (« Mme Petit » when two bear the
                    // name) takes a new letter, kept in no table
                    let n = if homonyms::is_unique(p) {
                        map.next_person += 1;
                        map.next_person - 1
                    } else {
                        numbered(&mut map.persons, &mut map.next_person, k.clone())
                    };
                    let l = letters(n);
                    if title.is_some() {
                        l
                    } else if map.doctors.contains_key(&k) {
                        format!("Dr {l}")
                    } else if map.patients.contains_key(&k) {
                        format!("Patient {l}")
                    } else {
                        format!("Personne {l}")
                    }
                }
                Info::Date(d) => render_date(*d, anchor, month_anchor, self.options.dates),
                Info::None if c.kind == Kind::Ville => {
                    let k = mac(key, "ville", &fold(&text[c.start..c.end]).replace('-', " "));
                    let n = numbered(&mut map.places, &mut map.next_place, k);
                    format!("[Commune {}]", letters(n))
                }
                Info::None if c.kind == Kind::Etablissement => {
                    // « EHPAD Les Cèdres » and « aux Cèdres »: one establishment
                    let s = &text[c.start..c.end];
                    let k = mac(
                        key,
                        "etablissement",
                        &org_key(orgs::name_without_head(s).unwrap_or(s)),
                    );
                    let n = numbered(&mut map.establishments, &mut map.next_establishment, k);
                    format!("[Établissement {}]", letters(n))
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
        // this text's full names, for the partial names of the next texts
        for c in &cands {
            if let Info::Person {
                key: p, aliases, ..
            } = &c.info
            {
                let full = mac(key, "nom", p);
                for a in aliases {
                    let ak = mac(key, "nom", a);
                    match map.aliases.get(&ak) {
                        Some(f) if *f != full => {
                            map.aliases.insert(ak, String::new());
                        }
                        Some(_) => {}
                        None => {
                            map.aliases.insert(ak, full.clone());
                        }
                    }
                }
            }
        }
        let risks = risks::detect(text, &cands);
        Output {
            text: text_out,
            replacements: reps,
            risks,
        }
    }
}

/// The same establishment written « la clinique Keraudren » and « Clinique Keraudren ».
fn org_key(s: &str) -> String {
    let f = fold(s).replace(['-', '\'', '’'], " ");
    let words: Vec<&str> = f
        .split_whitespace()
        .filter(|w| !matches!(*w, "la" | "le" | "les" | "l" | "de" | "du" | "des" | "d"))
        .collect();
    words.join(" ")
}

/// A room's number or code as written bare: figures (« 212 »), figures
/// and the bed's or the wing's letter (« 15B », « B14 »), figures and the
/// bed after a dash (« 3-05 », « 205-2 »).
fn room_code(b: &str) -> bool {
    let digits = b.chars().filter(|c| c.is_ascii_digit()).count();
    let letters = b.chars().filter(|c| c.is_ascii_uppercase()).count();
    let dashes = b.chars().filter(|&c| c == '-').count();
    digits >= 1
        && letters <= 1
        && dashes <= 1
        && !b.starts_with('-')
        && !b.ends_with('-')
        && b.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || c == '-')
}

/// A room code, an establishment's name, a file number or a handle found
/// once is the same identifier wherever else the text writes it (« H3 »
/// in a later line, « pas de lien avec H3 »), even where no cue stands.
fn propagate(text: &str, found: Vec<Cand>) -> Vec<Cand> {
    let mut more = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for c in &found {
        let s = &text[c.start..c.end];
        let letters = s.chars().filter(|c| c.is_alphabetic()).count();
        let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
        let worth = match c.kind {
            // a room of three digits or more found by its number alone
            // (« lit A de la 108 ») is that number elsewhere (« Mme C (108) »)
            Kind::Chambre => {
                letters >= 1 && digits >= 1 && s.len() <= 12
                    || letters == 0 && digits >= 3 && s.len() <= 4
            }
            Kind::Etablissement => s.chars().count() >= 4 && s.chars().any(|c| c.is_uppercase()),
            Kind::NumeroDossier => digits >= 4,
            Kind::Pseudo => s.chars().count() >= 4,
            _ => false,
        };
        if !worth || !seen.insert((c.kind, s)) {
            continue;
        }
        // « EHPAD Les Cèdres » is « les Cèdres » or « aux Cèdres » further on,
        // « Apt 212 » is « 212 » (« aucun lien avec 212 »), « ch. B14 » is
        // « B14 » and « ch. 3-05 » is « 3-05 » (« pas celle du B14 »)
        let bare = match c.kind {
            Kind::Etablissement => orgs::name_without_head(s),
            Kind::Chambre => s
                .rsplit([' ', '\u{a0}'])
                .next()
                .filter(|b| *b != s && b.len() >= 3 && room_code(b)),
            // « dossier AT 2025-13-04578 » is « 2025-13-04578 » further on
            Kind::NumeroDossier => s
                .split_once([' ', '\u{a0}'])
                .filter(|(head, rest)| {
                    head.chars().all(|c| c.is_ascii_uppercase())
                        && rest.chars().filter(|c| c.is_ascii_digit()).count() >= 6
                })
                .map(|(_, rest)| rest),
            _ => None,
        }
        .filter(|b| seen.insert((c.kind, b)));
        for (p, m) in std::iter::once(s)
            .chain(bare)
            .flat_map(|s| text.match_indices(s))
        {
            let e = p + m.len();
            let before = text[..p].chars().next_back();
            let after = text[e..].chars().next();
            if before.is_some_and(|c| c.is_alphanumeric())
                || after.is_some_and(|c| c.is_alphanumeric())
            {
                continue;
            }
            // « 212 mg », « 212/80 », « 1,212 », « 4-07-2025 »: a quantity
            // or a date, not the room
            if c.kind == Kind::Chambre && m.starts_with(|c: char| c.is_ascii_digit()) {
                let rest = text[e..].trim_start_matches([' ', '\u{a0}']);
                let next: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
                if orgs::UNITS.contains(&fold(&next).as_str())
                    || rest
                        .strip_prefix(['/', '%', '°', '€', ',', '.', '-'])
                        .is_some_and(|r| !r.is_empty() && !r.starts_with(' '))
                    || text[..p].ends_with([',', '.', '/', '-'])
                {
                    continue;
                }
            }
            more.push(Cand {
                start: p,
                end: e,
                kind: c.kind,
                prio: 45,
                info: Info::None,
            });
        }
    }
    with_added(text, found, more)
}

/// `found` with a pass's new candidates `more`, overlaps resolved again
/// (left as it is when the pass added none, so that a pass that finds
/// nothing costs no second resolution).
fn with_added(text: &str, found: Vec<Cand>, mut more: Vec<Cand>) -> Vec<Cand> {
    if more.is_empty() {
        return found;
    }
    more.extend(found);
    resolve(text, more)
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
    if mode == DateMode::Year {
        return year_only(d);
    }
    // In relative mode no year is ever written: a far date (or a birth date)
    // becomes a number of years from the anchor, « J0 −73 ans ».
    let years_from = |d: DateVal| -> String {
        let anchor_y = anchor.or(month_anchor).and_then(|a| a.y);
        match (d.y, anchor_y) {
            (Some(y), Some(ay)) if y != ay => format!("J0 {} ans", signed((y - ay) as i64)),
            (Some(_), Some(_)) => "J0".to_string(),
            _ => "[DATE]".to_string(),
        }
    };
    if d.birth {
        return years_from(d);
    }
    match (d.d, d.m) {
        (Some(day), Some(m)) => {
            let Some(a) = anchor else {
                return "[DATE]".to_string();
            };
            let y = d.y.or(a.y).unwrap_or(2000);
            let delta = days_from_civil(y, m, day)
                - days_from_civil(a.y.unwrap_or(2000), a.m.unwrap_or(1), a.d.unwrap_or(1));
            if delta == 0 {
                "J0".to_string()
            } else if delta.abs() <= 730 {
                format!("J{}", signed(delta))
            } else {
                years_from(DateVal { y: Some(y), ..d })
            }
        }
        (None, Some(m)) => {
            let Some(a) = month_anchor else {
                return "[DATE]".to_string();
            };
            let (Some(y), Some(ay), Some(am)) = (d.y, a.y, a.m) else {
                return "[DATE]".to_string();
            };
            let delta = (y as i64 * 12 + m as i64) - (ay as i64 * 12 + am as i64);
            if delta == 0 {
                "M0".to_string()
            } else if delta.abs() <= 24 {
                format!("M{}", signed(delta))
            } else {
                years_from(d)
            }
        }
        _ => years_from(d),
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

    /// A room's number met again before a sign of several bytes (« € »,
    /// « ° ») once panicked on a byte index inside that sign; it is a
    /// quantity and stays as written.
    #[test]
    fn a_rooms_number_before_a_multibyte_sign_is_a_quantity() {
        let t = "Installée chambre 318 hier.\nReste dû : 318€) et 318°C noté.";
        let found = Anonymiser::new().with_detector(None).detect(t);
        assert!(
            found
                .iter()
                .any(|s| s.kind == Kind::Chambre && s.start < 30),
            "{found:?}"
        );
        let later = t.find("318€").unwrap();
        assert!(
            !found
                .iter()
                .any(|s| s.start >= later && s.kind == Kind::Chambre),
            "{found:?}"
        );
    }
}
