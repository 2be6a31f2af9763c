//! Names of persons (with and without titles) and names of communes.
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, fold_before, Dicts};
use crate::homonyms::{self, Bearers};
use crate::{Cand, Info, Kind, Title};

#[derive(Debug, Clone)]
struct Tok<'a> {
    start: usize,
    end: usize,
    word: &'a str,
    /// elided article before the word (« d' », « l' »)
    elided: Option<&'a str>,
    folded: String,
    cap: bool,
    upper: bool,
    initial: bool,
}

fn word_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\p{L}[\p{L}\p{M}]*(?:[-'’]\p{L}[\p{L}\p{M}]*)*").unwrap())
}

const PARTICLES: &[&str] = &[
    "de", "du", "des", "d", "van", "von", "der", "den", "da", "di", "del", "della", "dos", "das",
    "le", "la", "ben", "bin", "el", "al", "ter", "ten", "mac", "mc", "y",
];

const ELISIONS: &[&str] = &[
    "d", "l", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu",
];

/// Words that introduce an eponym: « test de Thomas », « maladie de Parkinson ».
pub(crate) const EPONYM_HEADS: &[&str] = &[
    "test",
    "tests",
    "signe",
    "signes",
    "manoeuvre",
    "manoeuvres",
    "maladie",
    "maladies",
    "syndrome",
    "score",
    "scores",
    "echelle",
    "classification",
    "fracture",
    "fractures",
    "lesion",
    "lesions",
    "methode",
    "technique",
    "concept",
    "position",
    "bilan",
    "index",
    "indice",
    "questionnaire",
    "criteres",
    "critere",
    "loi",
    "appareil",
    "orthese",
    "attelle",
    "corset",
    "epreuve",
    "reflexe",
    "phenomene",
    "triade",
    "ligne",
    "lignes",
    "point",
    "points",
    "ligament",
    "tubercule",
    "tendon",
    "canal",
    "espace",
    "angle",
    "stade",
    "stades",
    "grade",
    "type",
    "operation",
    "intervention",
    "arthrodese",
    "butee",
    "osteotomie",
    "plastie",
    "greffe",
    "kyste",
    "nevrome",
    "contracture",
    "retraction",
    "selon",
    "facon",
    "protocole",
    "methodes",
    "approche",
    "exercice",
    "exercices",
    "cotation",
    "testing",
    "balance",
    "plateau",
    "mobilisation",
    "manipulation",
    "neuropathie",
    "aphasie",
    "nodosites",
    "corps",
    "paralysie",
    "dystrophie",
    "myopathie",
    "chorée",
    "choree",
    "sclerose",
    "ataxie",
    "ecole",
    "formule",
    "gaine",
    "bourse",
    "membrane",
    "muscle",
    "muscles",
    "nerf",
    "apophysite",
    "osteochondrose",
    "tendinopathie",
    "epicondylite",
    "tenosynovite",
    "deformation",
    "pied",
    "doigt",
    "main",
    "genou",
    "hanche",
    "col",
    "tete",
    "tetes",
    "cal",
    "ostéochondrite",
    "osteochondrite",
    "marche",
    "boiterie",
    "demarche",
];

/// Roles of the care team written in capitals after a name.
const CARE_ABBREVIATIONS: &[&str] = &[
    "ide", "idec", "idel", "as", "ash", "mk", "apa", "eapa", "amp", "aes", "asg", "avs", "cds",
];

const AFTER_EPONYM: &[&str] = &[
    "positif",
    "positive",
    "negatif",
    "negative",
    "douteux",
    "douteuse",
    "normal",
    "normale",
    // « Hughes grade 3 », « Sharp modifié », « critères de New York modifiés »
    "grade",
    "modifie",
    "modifiee",
    "modifies",
    "modifiees",
];

/// A title word, medical or civil (« dr », « mme »…), folded.
pub fn is_title_word(f: &str) -> bool {
    is_title(f).is_some()
}

/// Gender a civil title tells: 'f', 'm', or none; 'y' for « Mlle »: a
/// girl or a young woman beside « Mme » of the same surname is as often
/// her daughter as herself (« mlle inès bouchard, seize ans » and « madame
/// bouchard », her mother), so the two titles link to no one of the other.
fn title_gender(f: &str) -> Option<char> {
    match f {
        "mlle" | "melle" | "mademoiselle" => Some('y'),
        "mme" | "mmes" | "madame" => Some('f'),
        "m" | "mr" | "monsieur" | "mm" => Some('m'),
        _ => None,
    }
}

/// The gender the title at token `i` tells, or '&' for a couple: « M. et
/// Mme Cornuau » is neither « M. Raymond Cornuau » nor « Mme Ginette
/// Cornuau » ('&' matches no one).
fn title_gender_at(toks: &[Tok], i: usize) -> Option<char> {
    let couple = i >= 2
        && toks[i - 1].folded == "et"
        && is_title(&toks[i - 2].folded).is_some_and(|t| t == Title::Civil);
    if couple {
        Some('&')
    } else {
        title_gender(&toks[i].folded)
    }
}

/// Is the name at byte `at` in a patient's field (« Patient : », « Nom : »)?
fn patient_field(text: &str, at: usize) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?:patient|patiente|patient\(e\)|nom du patient|nom de la patiente|nom|nom et prenom|identite|pt)\s*:\s*(?:m\.|mme|mr|monsieur|madame|mlle)?\s*$").unwrap()
    });
    // the 40 bytes before, cut at the line's start (searched in the window
    // only: searching the whole text for it made long lines quadratic)
    let mut from = at.saturating_sub(40);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    if let Some(p) = text[from..at].rfind('\n') {
        from += p + 1;
    }
    let before = fold(&text[from..at]).replace(['*', '_'], "");
    re.is_match(&before)
}

/// What the words around a name say of the person: a relative of the
/// patient, a carer, or the patient. Two mentions with different roles are
/// never linked into one person (« sa fille Sophie » is not « Sophie
/// Lebrun, MK »).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Relative,
    Carer,
    Patient,
}

/// A role of the care team or a word of kinship right after a name, in
/// folded text (« (kiné) », « , sa fille », « (fils de Germaine) »): the
/// role and, after « de », whose relative.
fn role_after_re() -> &'static Regex {
    static AFTER: OnceLock<Regex> = OnceLock::new();
    AFTER.get_or_init(|| {
        Regex::new(r"^\s*(?:\(|,|—|-)?\s*(?:sa |son |la |le |l'|notre |votre |leur |mon |ma )?(kine|kinesitherapeute|mk|ide|ide[cl]|as|ash|aide-soignante?|ergo|ergotherapeute|psychomotricienne?|orthophoniste|dieteticienne?|apa|eapa|coach|medecin|interne|cadre|stagiaire|etudiante?|fille|fils|epouse|epoux|mari|femme|conjointe?|compagne|compagnon|frere|soeur|mere|pere|belle-mere|beau-pere|grand-mere|grand-pere|belle-fille|beau-fils|belle-soeur|beau-frere|demi-frere|demi-soeur|gendre|bru|petite-fille|petit-fils|neveu|niece|cousine?|tante|oncle|aidante?|remplacante?|patiente?|residente?)\b(?:\s+d(?:e |')\s*(\p{L}+))?").unwrap()
    })
}

/// Is the folded word itself a role or a word of kinship (« kiné »,
/// « maman »)? Then it is no one's first name where a role is read.
fn role_word(f: &str) -> bool {
    role_after_re().find(f).is_some_and(|m| m.end() == f.len()) || KIN.contains(&f)
}

/// Does a bracket open right after byte `end` on a role of the care team or
/// a word of kinship (« Virginie (IDEC) », « Jules (fils de… ) »)?
fn role_bracket_after(text: &str, end: usize) -> bool {
    let rest = text[end..]
        .strip_prefix([' ', '\u{a0}'])
        .unwrap_or(&text[end..]);
    if !rest.starts_with('(') {
        return false;
    }
    let mut to = 40.min(rest.len());
    while !rest.is_char_boundary(to) {
        to -= 1;
    }
    role_after_re().is_match(&fold(&rest[..to]))
}

fn role_at(text: &str, start: usize, end: usize) -> Option<(Role, String)> {
    static BEFORE: OnceLock<Regex> = OnceLock::new();
    let before = BEFORE.get_or_init(|| {
        Regex::new(r"(?:\b(?:sa|son|ma|mon|leur|la|le|une|un)\s+)?\b(fille|fils|epouse|epoux|mari|femme|conjointe?|compagne|compagnon|concubine?|frere|soeur|mere|pere|petite?-fille|petit-fils|petits-enfants|belle-fille|beau-fils|belle-soeur|beau-frere|belle-mere|beau-pere|grand-mere|grand-pere|demi-frere|demi-soeur|gendre|bru|neveu|niece|cousine?|tante|oncle|maman|papa|mamie|papi|papy|parrain|marraine|aidante?|voisine?|amie?|kine|kinesitherapeute|mk|ide|infirmiere?|as|aide-soignante?|ergo|ergotherapeute|psychomotricienne?|orthophoniste|dieteticienne?|coach|preparateur|preparatrice|entraineur|entraineuse|tuteur|tutrice|medecin|chirurgien(?:ne)?|interne|externe|stagiaire|etudiante?|cadre|collegue|patiente?|residente?|educat(?:rice|eur)|assistante? social[e]?|remplacante?)(?:\s+(?:maternelle?|paternelle?|referente?|de nuit|de jour))?\s*(?:,|:|\()?\s*(?:(?:qui\s+)?s'appel(?:le|ait)|prenommee?|nommee?)?\s*(?:m\.|mme|mr|monsieur|madame|mlle)?\s*$").unwrap()
    });
    let after = role_after_re();
    let mut from = start.saturating_sub(40);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (end + 30).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let class = |w: &str| -> Role {
        match w {
            "patient" | "patiente" | "resident" | "residente" => Role::Patient,
            "fille" | "fils" | "epouse" | "epoux" | "mari" | "femme" | "conjoint" | "conjointe"
            | "compagne" | "compagnon" | "concubin" | "concubine" | "frere" | "soeur" | "mere"
            | "pere" | "petite-fille" | "petit-fille" | "petit-fils" | "petits-enfants"
            | "belle-fille" | "beau-fils" | "belle-soeur" | "beau-frere" | "belle-mere"
            | "beau-pere" | "grand-mere" | "grand-pere" | "demi-frere" | "demi-soeur" | "mamie"
            | "papi" | "papy" | "parrain" | "marraine" | "gendre" | "bru" | "neveu" | "niece"
            | "cousin" | "cousine" | "tante" | "oncle" | "maman" | "papa" | "aidant"
            | "aidante" | "voisin" | "voisine" | "ami" | "amie" => Role::Relative,
            _ => Role::Carer,
        }
    };
    if patient_field(text, start) {
        return Some((Role::Patient, "patient".into()));
    }
    let a = fold(&text[end..to]);
    // « (fils de Germaine) », « (fils de Paulette) »: two sons
    let after_role = after.captures(&a).map(|c| {
        let word = match c.get(2) {
            Some(of) => format!("{} de {}", &c[1], of.as_str()),
            None => c[1].to_string(),
        };
        (class(&c[1]), word, c.get(2).is_some())
    });
    // « son fils M. Roux (fils de Lucette) »: the kinship after the name says
    // whose relative it is, which the word before (« son fils ») does not
    if let Some((Role::Relative, word, true)) = &after_role {
        return Some((Role::Relative, word.clone()));
    }
    let b = fold(&text[from..start]);
    if let Some(c) = before.captures(&b) {
        return Some((class(&c[1]), c[1].to_string()));
    }
    after_role.map(|(role, word, _)| (role, word))
}

/// The gender a word of kinship tells (« fils de Paulette » → 'm').
fn kin_gender(kin: &str) -> Option<char> {
    match kin.split(' ').next().unwrap_or("") {
        "fils" | "epoux" | "mari" | "conjoint" | "compagnon" | "concubin" | "frere" | "pere"
        | "petit-fils" | "beau-fils" | "beau-frere" | "beau-pere" | "grand-pere" | "demi-frere"
        | "gendre" | "neveu" | "cousin" | "oncle" | "papa" | "papi" | "papy" | "parrain" => {
            Some('m')
        }
        "fille" | "epouse" | "femme" | "conjointe" | "compagne" | "concubine" | "soeur"
        | "mere" | "petite-fille" | "belle-fille" | "belle-soeur" | "belle-mere" | "grand-mere"
        | "demi-soeur" | "bru" | "niece" | "cousine" | "tante" | "maman" | "mamie" | "marraine" => {
            Some('f')
        }
        _ => None,
    }
}

/// The words of a name as written, in lower case with their accents, in
/// order, and whether each was in capitals.
fn spelling_of(toks: &[Tok]) -> Vec<(String, bool)> {
    let mut words: Vec<(String, bool)> = toks
        .iter()
        .filter(|t| !PARTICLES.contains(&t.folded.as_str()))
        .map(|t| (t.word.to_lowercase(), t.upper))
        .collect();
    words.sort_by_key(|a| fold(&a.0));
    words
}

/// Do two spellings of one folded name differ by their accents, so that
/// they are two names (« Faure » and « Fauré », « Perez » and « Pérez »)?
/// A word in capitals without accents says nothing where the text never
/// writes an accent on a capital.
fn accents_differ(x: &[(String, bool)], y: &[(String, bool)], accented_capitals: bool) -> bool {
    x.len() == y.len()
        && x.iter().zip(y).any(|((a, ua), (b, ub))| {
            a != b
                && fold(a) == fold(b)
                && (accented_capitals || !(*ua && a.is_ascii() || *ub && b.is_ascii()))
        })
}

/// The age written right after a name (« Raymond Brunet, 68 ans », « Léa
/// Roux (7 ans) »), if any.
fn age_after(text: &str, end: usize) -> Option<u32> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| Regex::new(r"^\s*[,(]\s*(\d{1,3})\s*ans\b").unwrap());
    let mut to = (end + 16).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    re.captures(&text[end..to]).and_then(|c| c[1].parse().ok())
}

/// Can two words of kinship name one relative? The same word (« fils »
/// and « fils de Paulette »), or two words for one tie (« maman » and
/// « mère », « mari » and « époux »); « fils » and « père » cannot.
fn same_relative(a: &str, b: &str) -> bool {
    let tie = |k: &str| -> String {
        let w = k.split(' ').next().unwrap_or("");
        match w {
            "maman" => "mere",
            "papa" => "pere",
            "mari" | "conjoint" | "compagnon" | "concubin" => "epoux",
            "femme" | "conjointe" | "compagne" | "concubine" => "epouse",
            "mamie" => "grand-mere",
            "papi" | "papy" => "grand-pere",
            "bru" => "belle-fille",
            "aidant" | "aidante" => "",
            w => w,
        }
        .to_string()
    };
    // « fils de Germaine » and « fils de Paulette »: two sons
    if a.contains(" de ") && b.contains(" de ") && a != b {
        return false;
    }
    let (x, y) = (tie(a), tie(b));
    // an « aidant » is any relative
    x == y || x.is_empty() || y.is_empty()
}

fn is_title(f: &str) -> Option<Title> {
    match f {
        "dr" | "docteur" | "docteure" | "pr" | "professeur" | "professeure" | "drs" => {
            Some(Title::Medical)
        }
        "m" | "mr" | "mme" | "mmes" | "mlle" | "melle" | "madame" | "monsieur" | "mademoiselle"
        | "me" | "maitre" | "mm" | "mrs" | "ms" => Some(Title::Civil),
        _ => None,
    }
}

fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for m in word_re().find_iter(text) {
        // « PaCO2 », « SpO2 », « HbA1c »: a word glued to a figure is a
        // clinical abbreviation or a code, never a name
        if bytes.get(m.end()).is_some_and(|b| b.is_ascii_digit()) {
            continue;
        }
        let mut start = m.start();
        let mut w = m.as_str();
        let mut elided = None;
        if let Some(pos) = w.find(['\'', '’']) {
            let pre = &w[..pos];
            let rest_upper = w[pos..].chars().nth(1).is_some_and(|c| c.is_uppercase());
            let pre_upper = pre.chars().next().is_some_and(|c| c.is_uppercase());
            let name_like = pre_upper && rest_upper && !matches!(pre, "D" | "L");
            if ELISIONS.contains(&fold(pre).as_str()) && !name_like {
                let apos_len = w[pos..].chars().next().unwrap().len_utf8();
                elided = Some(pre);
                start += pos + apos_len;
                w = &w[pos + apos_len..];
            }
        }
        let first = w.chars().next().unwrap();
        let cap = first.is_uppercase();
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        let upper = letters >= 2 && w.chars().all(|c| !c.is_lowercase());
        // sentence-initial: what precedes, skipping spaces and Markdown marks
        let mut i = if elided.is_some() { m.start() } else { start };
        let mut initial = true;
        while i > 0 {
            let c = bytes[i - 1];
            match c {
                b' ' | b'\t' | b'*' | b'_' | b'#' | b'>' | b'-' | b'|' | b'(' | b'[' | b'"' => {
                    i -= 1
                }
                b'\n' | b'.' | b'!' | b'?' | b':' => break,
                _ => {
                    // bullets « • » and « – », quotes « « »
                    let prev = text[..i].chars().next_back().unwrap();
                    if matches!(prev, '•' | '–' | '—' | '«' | '\u{a0}' | '\u{202f}') {
                        i -= prev.len_utf8();
                        continue;
                    }
                    if prev.is_ascii_digit() && i >= 2 && bytes[i - 2] == b'\n' {
                        i -= 1;
                        continue;
                    }
                    initial = false;
                    break;
                }
            }
        }
        out.push(Tok {
            start,
            end: m.end(),
            word: w,
            elided,
            folded: fold(w),
            cap,
            upper,
            initial,
        });
    }
    out
}

/// Only spaces (no punctuation, no line break) between two tokens.
fn tight(text: &str, a: &Tok, b: &Tok) -> bool {
    if b.elided.is_some() {
        return false;
    }
    let gap = &text[a.end..b.start];
    !gap.is_empty() && gap.len() <= 3 && gap.chars().all(|c| c == ' ' || c == '\u{a0}')
}

struct Ctx<'a> {
    text: &'a str,
    toks: Vec<Tok<'a>>,
    d: &'static Dicts,
    /// words written after a title in this text: a person's surname here,
    /// whatever the clinical vocabulary says (« Thomas Parkinson » beside
    /// « Mme Parkinson »)
    titled: HashSet<String>,
}

impl<'a> Ctx<'a> {
    fn is_first(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.cap
            && t.word.chars().count() >= 3
            && !self.stop(i)
            && !PARTICLES.contains(&t.folded.as_str())
            && self.d.first_names.contains_key(&t.folded)
    }
    /// « Virginie (IDEC) », « Jules (fils de Mme Perrin) »: a first name
    /// that is also a word (of the language or of the stop-list), followed
    /// by a bracket that opens on a role of the care team or a word of
    /// kinship, is a person; never a clinical term or a title.
    fn first_before_role_bracket(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.cap
            && !t.upper
            && t.elided.is_none()
            && t.word.chars().count() >= 3
            && self.d.first_names.contains_key(&t.folded)
            && !PARTICLES.contains(&t.folded.as_str())
            && is_title(&t.folded).is_none()
            && !self.allowed(i)
            // « Kiné (kiné du Port) »: a role is no one's first name here
            && !role_word(&t.folded)
            && role_bracket_after(self.text, t.end)
    }
    fn stop(&self, i: usize) -> bool {
        self.d.stop.contains(&self.toks[i].folded)
    }
    /// The next token follows tightly and starts with a lower-case letter.
    fn followed_by_lower(&self, i: usize) -> bool {
        self.toks
            .get(i + 1)
            .is_some_and(|x| !x.cap && tight(self.text, &self.toks[i], x))
    }
    /// A figure follows: « Constant 54/100 », « Pace 12 » are scores, not people.
    fn followed_by_figure(&self, i: usize) -> bool {
        let rest = self.text[self.toks[i].end..].trim_start_matches([' ', '\u{a0}']);
        rest.starts_with(|c: char| c.is_ascii_digit())
    }
    fn followed_by_colon(&self, i: usize) -> bool {
        let rest = self.text[self.toks[i].end..].trim_start_matches([' ', '\u{a0}']);
        rest.starts_with(':')
    }
    /// A slot where a name is expected: « Nom : », « Signé : », « — X (MK) », « Pt X ».
    fn name_slot(&self, i: usize) -> bool {
        let t = &self.toks[i];
        let mut from = t.start.saturating_sub(24);
        while !self.text.is_char_boundary(from) {
            from -= 1;
        }
        let before = fold(self.text[from..t.start].trim_end_matches([' ', '\u{a0}']));
        let after = self.text[t.end..].trim_start_matches(' ');
        let mut b = before.as_str();
        // « Nom : LE ROUX »: look through a particle
        for p in [
            " le", " la", " de", " du", " da", " van", " von", " des", " di", " dos",
        ] {
            if let Some(x) = b.strip_suffix(p) {
                b = x.trim_end();
                break;
            }
        }
        b.ends_with("nom :")
            || b.ends_with("nom:")
            || b.ends_with("prenom :")
            || b.ends_with("signe :")
            || b.ends_with("signe par")
            || b.ends_with(" —")
            || b.ends_with(" /")
            || b.ends_with("pt")
            || b.ends_with("patient")
            || b.ends_with("patiente")
            || b.ends_with("par")
            || b.ends_with(']')
            || b.ends_with(" nee")
            || b.ends_with(" epouse")
            || b.ends_with(" veuve")
            || b == "nee"
            || after.starts_with("(MK)")
            || after.starts_with(", MK")
            || after.starts_with(", masseu")
            || after.starts_with(", kin")
    }
    /// A first name that is also a common French word (Rose, Claire, Pierre):
    /// the frequency list decides, not any word of a large dictionary.
    fn first_word(&self, i: usize) -> bool {
        let f = &self.toks[i].folded;
        self.d.first_names.contains_key(f) && self.d.common.contains(f)
    }
    fn allowed(&self, i: usize) -> bool {
        self.d.allow.contains(&self.toks[i].folded)
    }

    /// Is token i an eponym used as such (« test de Thomas », « Lachman positif »)?
    fn eponym_context(&self, i: usize) -> bool {
        let t = &self.toks[i];
        // previous tokens: HEAD [de|d'] X, or HEAD X
        let mut j = i;
        let mut steps = 0;
        if t.elided.is_some_and(|e| fold(e) == "d") {
            // « syndrome d'Osgood » : the head is just before
        } else if i > 0 && matches!(self.toks[i - 1].folded.as_str(), "de" | "du" | "des") {
            j = i - 1;
        }
        while j > 0 && steps < 3 {
            j -= 1;
            steps += 1;
            let f = &self.toks[j].folded;
            if self.text[self.toks[j].end..t.start]
                .contains([':', '\n', ',', ';', '(', ')', '.', '—', '|'])
            {
                break;
            }
            // « marché de Landerneau » is a market, not the gait « marche de
            // Trendelenburg »: the accent tells them apart
            let market = f == "marche"
                && self.text[self.toks[j].start..self.toks[j].end].contains(['é', 'É']);
            if EPONYM_HEADS.contains(&f.as_str()) && !market {
                return true;
            }
            if !(self.toks[j].cap || PARTICLES.contains(&f.as_str()) || f == "et") {
                break;
            }
        }
        // next token
        if let Some(n) = self.toks.get(i + 1) {
            if AFTER_EPONYM.contains(&n.folded.as_str()) {
                return true;
            }
        }
        let rest = &self.text[t.end..];
        let rest = rest.trim_start_matches(' ');
        rest.starts_with("+ ")
            || rest.starts_with("- ")
            || rest.starts_with('±')
            || rest.starts_with("(+)")
            || rest.starts_with("(-)")
    }

    /// A surname no list holds as an eponym, right after a head that only
    /// eponyms follow (« protocole Kleinert », « maladie de Sever »,
    /// « classification de Rockwood »): the narrower heads of
    /// [`EPONYM_HEADS`], without the words after which a person's name is
    /// as likely (« selon », « bilan de », « position »).
    fn surname_as_eponym(&self, i: usize) -> bool {
        const HEADS: &[&str] = &[
            "protocole",
            "methode",
            "technique",
            "concept",
            "score",
            "echelle",
            "classification",
            "test",
            "signe",
            "manoeuvre",
            "maladie",
            "syndrome",
            "apophysite",
            "stade",
            "criteres",
            "questionnaire",
            "osteotomie",
            "attelle",
            "orthese",
            "corset",
        ];
        let t = &self.toks[i];
        let mut j = i;
        if t.elided.is_none() && i > 0 && matches!(self.toks[i - 1].folded.as_str(), "de" | "du") {
            j = i - 1;
        }
        j > 0
            && HEADS.contains(&self.toks[j - 1].folded.as_str())
            && self.text[self.toks[j - 1].end..t.start]
                .chars()
                .all(|c| c == ' ' || c.is_alphabetic() || c == '\'' || c == '’')
    }

    /// An eponym written as a thing, not a person: after an article
    /// (« un Romberg », « du Kabat », « pas de Segond »), before a grade or a
    /// figure (« Garden III », « Parker 7 ») or « à tester ».
    fn term_use(&self, i: usize) -> bool {
        let t = &self.toks[i];
        let prev =
            |k: usize| (i >= k && !self.toks[i - k].cap).then(|| self.toks[i - k].folded.as_str());
        let article = matches!(prev(1), Some("un" | "une" | "du" | "au"))
            && tight(self.text, &self.toks[i - 1], t)
            || prev(1) == Some("de") && prev(2) == Some("pas");
        let next = self.toks.get(i + 1).filter(|n| tight(self.text, t, n));
        let grade =
            next.is_some_and(|n| n.upper && n.word.chars().all(|c| matches!(c, 'I' | 'V' | 'X')));
        let to_test = self.text[t.end..].starts_with(" à tester");
        article || grade || to_test || self.followed_by_figure(i)
    }

    /// Capitalised token that can be part of a name after a title or a first name.
    fn namey(&self, i: usize) -> bool {
        let t = &self.toks[i];
        (t.cap || t.upper)
            && is_title(&t.folded).is_none()
            && !matches!(t.folded.as_str(), "le" | "la" | "les" | "et" | "ou")
    }

    /// Extend a name from token i (inclusive) over capitalised tokens and particles.
    fn extend(&self, i: usize, max: usize) -> usize {
        let mut last = i;
        let mut j = i + 1;
        while j < self.toks.len()
            && j - i <= max
            && tight(self.text, &self.toks[j - 1], &self.toks[j])
        {
            let f = self.toks[j].folded.as_str();
            if self.surname_after_first(i, j)
                || self.namey(j)
                    && !self.stop(j)
                    && (!self.allowed(j)
                        || self.is_surname_like(j)
                        || self.titled.contains(&self.toks[j].folded))
                    && !self.care_abbreviation(j)
                    && self.extendable(j)
            {
                last = j;
                j += 1;
            } else if let Some(k) = self.two_particles(j) {
                // « Jean de la Fontaine », « Hugo van der Meulen »
                j = k;
            } else if PARTICLES.contains(&f)
                && !self.toks[j].cap
                && j + 1 < self.toks.len()
                && self.namey(j + 1)
                // « Sanchez du CH d'Arles »: an acronym after « du » is a place
                // (« Rolland du SSIAD »: an acronym that is no surname, whatever its length)
                && !(self.toks[j + 1].upper
                    && (self.toks[j + 1].word.chars().count() <= 4
                        || !self.d.surnames.contains_key(&self.toks[j + 1].folded)))
                && (tight(self.text, &self.toks[j], &self.toks[j + 1])
                    || self.toks[j + 1].elided.is_some())
            {
                j += 1;
            } else if self.toks[j].cap
                && PARTICLES.contains(&f)
                && j + 1 < self.toks.len()
                && self.toks[j + 1].cap
                && tight(self.text, &self.toks[j], &self.toks[j + 1])
            {
                // « Le Goff », « La Fontaine », « Le Du »
                j += 1;
                if self.toks[j].cap && PARTICLES.contains(&self.toks[j].folded.as_str()) {
                    last = j;
                    j += 1;
                }
            } else {
                break;
            }
        }
        last
    }

    /// [`Ctx::extend`], and over a nickname in quotes between a first name
    /// and its surname (« Kylian « Kiki » Fernandes », « Jean-Pierre « JP »
    /// Massé »), whose tokens go to `nicknames`.
    fn extend_over_nickname(&self, i: usize, nicknames: &mut HashSet<usize>) -> usize {
        let last = self.extend(i, 4);
        if last != i || !self.is_first(i) {
            return last;
        }
        match self.nickname_between(i) {
            Some((nick, sur)) => {
                nicknames.extend(nick..sur);
                self.extend(sur, 3)
            }
            None => last,
        }
    }

    /// « Kylian « Kiki » Fernandes »: after the first name `i`, a nickname
    /// of one or two words between quotes, then a capitalised surname that
    /// is no word of the language or clinical term: (nickname's first
    /// token, surname's token).
    fn nickname_between(&self, i: usize) -> Option<(usize, usize)> {
        let t = &self.toks[i];
        let rest = &self.text[t.end..];
        let inner = rest
            .strip_prefix([' ', '\u{a0}'])?
            .strip_prefix(['«', '"', '“'])?;
        let close = inner.find(['»', '"', '”'])?;
        if close > 24 || inner[..close].contains('\n') {
            return None;
        }
        let nick = i + 1;
        let after = t.end + (rest.len() - inner.len()) + close;
        let sur = (nick..self.toks.len()).find(|&k| self.toks[k].start > after)?;
        let gap = &self.text[after..self.toks[sur].start];
        let s = &self.toks[sur];
        (sur > nick
            && sur - nick <= 2
            && gap.chars().count() <= 3
            && gap.chars().skip(1).all(|c| c == ' ' || c == '\u{a0}')
            && s.cap
            && !self.stop(sur)
            && !self.allowed(sur)
            && is_title(&s.folded).is_none()
            && (s.upper
                || self.d.surnames.contains_key(&s.folded)
                || !self.d.common.contains(&s.folded)))
        .then_some((nick, sur))
    }

    /// « Maëlle Grand », « M. Raphaël Blanc : », « Dr Hélène Parkinson »,
    /// « Dr Thierry De Quervain »: right after a first name that starts the
    /// name (`i`), capitalised particles between, a capitalised word is the
    /// surname even when it is a word of the language or an eponym, unless
    /// the words around it make it a term (« signe de Parkinson », « Neer
    /// positif »). A word of the stop-list only when it is one of the
    /// surnames that are also words (`surname_words`) and ends its line or
    /// cell (« Ergothérapeute : Maëlle Grand »).
    fn surname_after_first(&self, i: usize, j: usize) -> bool {
        let mut p = j - 1;
        while p > i && self.toks[p].cap && PARTICLES.contains(&self.toks[p].folded.as_str()) {
            p -= 1;
        }
        let (f, t) = (&self.toks[i], &self.toks[j]);
        let stop_ok = !self.stop(j)
            || crate::surname_words::stop_word_surname(&t.folded) && cell_ends(self.text, t.end);
        p == i
            && self.is_first(i)
            && !f.upper
            // « Rose », « Claire » opening a sentence may be the word, not
            // after a label's colon (« Kiné : Baptiste Neer »)
            && !(self.first_word(i)
                && f.initial
                && !self.text[..f.start].trim_end_matches([' ', '\u{a0}']).ends_with(':'))
            && t.cap
            && !t.upper
            && t.elided.is_none()
            && t.word.chars().count() >= 3
            && is_title(&t.folded).is_none()
            && !PARTICLES.contains(&t.folded.as_str())
            && stop_ok
            && (self.d.surnames.contains_key(&t.folded) || self.allowed(j))
            && !self.eponym_context(j)
            && !self.term_use(j)
            && !self.surname_as_eponym(j)
    }

    /// « de la Fontaine », « van der Meulen », « von den Driesch »: two
    /// particles in lower case, then a capitalised word that is no acronym
    /// (« Marie de la MAS » is at a place): the token of that word.
    fn two_particles(&self, j: usize) -> Option<usize> {
        let (p, q, w) = (
            self.toks.get(j)?,
            self.toks.get(j + 1)?,
            self.toks.get(j + 2)?,
        );
        let pair = matches!(p.folded.as_str(), "de" | "van" | "von" | "da" | "di")
            && matches!(
                q.folded.as_str(),
                "la" | "le" | "der" | "den" | "de" | "los" | "las"
            );
        (pair
            && !p.cap
            && !q.cap
            && tight(self.text, p, q)
            && tight(self.text, q, w)
            && self.namey(j + 2)
            && !w.upper
            && !self.stop(j + 2)
            // « Gilles de la Tourette » is a syndrome
            && !self.allowed(j + 2))
        .then_some(j + 2)
    }

    /// May token j continue a name? Known surnames and capitals yes; unknown words
    /// that start a phrase (« Présence d'un », « Évaluation : ») no.
    fn extendable(&self, j: usize) -> bool {
        let t = &self.toks[j];
        if t.upper || self.titled.contains(&t.folded) {
            return true;
        }
        // « Hervé Moreau-Lagrange »: a compound of surnames is a surname
        // even when the list lacks the compound (one part may be a word,
        // « moreau », not all: « Grand-Mère »)
        if t.folded.contains('-')
            && t.folded.split('-').all(|p| self.d.surnames.contains_key(p))
            && !t.folded.split('-').all(|p| self.d.common.contains(p))
        {
            return true;
        }
        // a word no dictionary has, neither French nor clinical, is a
        // surname the list lacks (« Kévin Zabourdine ce matin »)
        let foreign = |f: &str| {
            !self.d.common.contains(f) && !self.d.allow.contains(f) && !self.d.stop.contains(f)
        };
        // « Isa Guillot : », « Léa Trobec : » (a speaker, an item of a list)
        // go on; « Évaluation : » does not
        if self.followed_by_colon(j) {
            return self.d.surnames.contains_key(&t.folded) && !self.d.common.contains(&t.folded)
                || t.folded.split('-').all(foreign)
                || self.item_head(j);
        }
        self.d.surnames.contains_key(&t.folded)
            || self.d.first_names.contains_key(&t.folded)
            || !self.followed_by_lower(j)
            || t.folded.split('-').all(foreign)
    }

    /// « - Romain Pellet : entorse »: at the head of a line or a list's item,
    /// a first name, then a capitalised word before a colon that is not
    /// clinical: the surname, even when it is also a word (« pellet »).
    fn item_head(&self, j: usize) -> bool {
        let Some(p) = j.checked_sub(1).map(|k| &self.toks[k]) else {
            return false;
        };
        let t = &self.toks[j];
        t.cap
            && !t.upper
            && self.d.first_names.contains_key(&p.folded)
            && line_head(self.text, p.start)
            && !self.allowed(j)
            && !self.stop(j)
    }

    /// « Élise IDE », « Sandra AS », « Marc Laurent SCA ST+ »: after a
    /// name, a role of the care team or a clinical acronym in capitals is
    /// not the rest of the name.
    fn care_abbreviation(&self, j: usize) -> bool {
        let t = &self.toks[j];
        t.upper
            && (CARE_ABBREVIATIONS.contains(&t.folded.as_str())
                || t.word.chars().count() <= 4
                    && self.allowed(j)
                    && !self.d.surnames.contains_key(&t.folded))
    }

    /// « signé par C. Zabourdine »: a lone capital taken in a name's slot
    /// is the initial of the surname after it, which goes in the same span
    /// (never the initial replaced and the surname left in clear); the last
    /// token of that surname.
    fn surname_after_initial(&self, i: usize) -> Option<usize> {
        let t = &self.toks[i];
        let next = self.toks.get(i + 1)?;
        let gap = &self.text[t.end..next.start];
        let ok = t.word.chars().count() == 1
            && t.cap
            && (gap == ". " || gap == ".\u{a0}")
            && self.namey(i + 1)
            && !self.stop(i + 1)
            && self.is_surname_like(i + 1)
            // « rédigé par C. Ensuite… »: a word of the language starts a sentence
            && (next.upper || !self.d.common.contains(&next.folded))
            && !self.care_abbreviation(i + 1);
        ok.then(|| self.extend(i + 1, 2))
    }

    /// « Infirmière scolaire : C. Roux », « par IDEC S. Maréchal », « | F.
    /// Roques | », « Le directeur, Ph. Jacquemart »: an initial and a
    /// surname that is also a word, alone where a signature or a table's
    /// cell holds a person: the pair ends its line or cell, and opens it or
    /// follows a colon, a comma or a role of the care team. Elsewhere an
    /// initial before a capitalised word is a clinical letter before a
    /// sentence (« vitamine D. Pas de… », « hépatite B. Vaccin… »). The
    /// last token of the name.
    fn signed_initial(&self, i: usize) -> Option<usize> {
        let t = &self.toks[i];
        let next = self.toks.get(i + 1)?;
        let letter = t.cap
            && t.elided.is_none()
            && (t.word.chars().count() == 1 || matches!(t.word, "Ph" | "Ch" | "Th"));
        let gap = &self.text[t.end..next.start];
        if !letter || !(gap == ". " || gap == ".\u{a0}") {
            return None;
        }
        let surname = next.cap
            && next.elided.is_none()
            && next.word.chars().count() >= 3
            && self.d.surnames.contains_key(&next.folded)
            && !self.d.allow.contains(&next.folded)
            && is_title(&next.folded).is_none()
            && !self.care_abbreviation(i + 1);
        if !surname || !cell_ends(self.text, next.end) {
            return None;
        }
        let before = self.text[..t.start].trim_end_matches([' ', '\u{a0}']);
        let opens = line_head(self.text, t.start)
            || before.ends_with([':', ','])
            || i > 0 && tight(self.text, &self.toks[i - 1], t) && self.care_abbreviation(i - 1);
        opens.then_some(i + 1)
    }

    fn is_surname_like(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.upper || self.d.surnames.contains_key(&t.folded) || !self.d.allow.contains(&t.folded)
    }
}

/// « Margot : je passe à 14h » / « Rémi : ok »: in a transcript, first
/// names (words too) at the head of lines before a colon are its speakers,
/// when at least two different ones speak; one such line alone may be a
/// heading (« Rose : teinte… »). Token indices, found in one pass.
fn speakers(ctx: &Ctx) -> HashSet<usize> {
    let mut found: Vec<usize> = Vec::new();
    for (i, t) in ctx.toks.iter().enumerate() {
        let gap = match i.checked_sub(1) {
            Some(p) => &ctx.text[ctx.toks[p].end..t.start],
            None => &ctx.text[..t.start],
        };
        let line_start = match gap.rfind('\n') {
            Some(k) => &gap[k + 1..],
            None if i == 0 => gap,
            None => continue,
        };
        let head = line_start
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '-' | '•' | '*'));
        if head
            && t.cap
            && !t.upper
            && t.elided.is_none()
            && t.word.chars().count() >= 3
            && ctx.d.first_names.contains_key(&t.folded)
            && !ctx.allowed(i)
            && is_title(&t.folded).is_none()
            && !role_word(&t.folded)
            && ctx.followed_by_colon(i)
        {
            found.push(i);
        }
    }
    let distinct: HashSet<&str> = found.iter().map(|&i| ctx.toks[i].folded.as_str()).collect();
    if distinct.len() >= 2 {
        found.into_iter().collect()
    } else {
        HashSet::new()
    }
}

pub fn detect(text: &str, out: &mut Vec<Cand>) {
    // the candidates of the other rules (a table's cells among them)
    let before = out.len();
    let d = Dicts::get();
    let toks = tokenize(text);
    // surnames this text writes after a title (« Mme Parkinson »)
    let titled = toks
        .windows(2)
        .filter(|w| is_title(&w[0].folded).is_some() && w[1].cap && tight(text, &w[0], &w[1]))
        .map(|w| w[1].folded.clone())
        .collect();
    let ctx = Ctx {
        text,
        toks,
        d,
        titled,
    };
    let toks = &ctx.toks;
    let n = toks.len();
    let mut used = vec![false; n];
    let mut spans: Vec<(usize, usize, Option<Title>)> = Vec::new(); // token ranges
    let mut genders: HashMap<usize, char> = HashMap::new(); // first token of a span → gender of its title
                                                            // first tokens of the spans in lower case that write the surname before
                                                            // the first name (« monsieur lefort gilbert »)
    let mut inverted: HashSet<usize> = HashSet::new();
    // the tokens of a nickname in quotes inside a name: no part of its key
    let mut nicknames: HashSet<usize> = HashSet::new();

    // A. titles
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        if let Some(title) = is_title(&t.folded) {
            // « mme fournier »: a title in lower case, before a name in lower case
            // « dr le goff »: a particle in lower case before the name
            let k = if i + 2 < n
                && PARTICLES.contains(&toks[i + 1].folded.as_str())
                && !toks[i + 1].cap
                && tight(text, &toks[i + 1], &toks[i + 2])
            {
                i + 2
            } else {
                i + 1
            };
            // a title is a strong cue: an eponym's name after it (« mme
            // weber ») is a person's
            let lower_title = !t.cap
                && matches!(
                    t.folded.as_str(),
                    "mme" | "mr" | "dr" | "madame" | "monsieur" | "mlle" | "docteur"
                )
                && k < n
                && tight(text, t, &toks[i + 1])
                && !toks[k].cap
                && toks[k].word.chars().count() >= 3
                && !ctx.stop(k)
                && (!d.common.contains(&toks[k].folded)
                    // « le docteur demain », « au docteur pour avis »: after
                    // the spelt-out title, only a word no dictionary of
                    // words holds (« docteur kerjean »)
                    || d.surnames.contains_key(&toks[k].folded) && t.folded != "docteur");
            if lower_title {
                // « madame josiane le cam », « monsieur paul-henri chauvel »:
                // a first name in lower case, then its surname, a particle
                // « le » or « la » before it (dictation writes no capitals)
                let mut k = k;
                if d.first_names.contains_key(&toks[k].folded) {
                    let p = usize::from(
                        k + 2 < n
                            && matches!(toks[k + 1].folded.as_str(), "le" | "la")
                            && tight(text, &toks[k + 1], &toks[k + 2]),
                    );
                    let s = k + 1 + p;
                    // « monsieur yannick le bras », « monsieur ronan le dû »:
                    // « le » and a word that the list of surnames holds
                    // together, whatever the word alone is
                    let compound = p == 1
                        && s < n
                        && !toks[s].cap
                        && d.surnames.contains_key(&format!(
                            "{} {}",
                            toks[k + 1].folded,
                            toks[s].folded
                        ));
                    let surname = s < n
                        && tight(text, &toks[s - 1], &toks[s])
                        && !toks[s].cap
                        && toks[s].word.chars().count() >= 2 + 2 * (1 - p)
                        && (compound
                            || !ctx.stop(s)
                            // an eponym that is a surname too (« mlle inès
                            // bouchard », « madame josiane lemaire »)
                            && (!d.allow.contains(&toks[s].folded)
                                || d.surnames.contains_key(&toks[s].folded))
                            // a surname that is no common word (« hamon point »)
                            && !d.common.contains(&toks[s].folded)
                            && (d.surnames.contains_key(&toks[s].folded)
                                || !d.first_names.contains_key(&toks[s].folded)));
                    if surname {
                        k = s;
                    }
                } else if k + 1 < n && {
                    // « monsieur lefort gilbert », « madame vasseur odile »,
                    // « mme le floch yvette »: the surname first, then a
                    // first name that is no word of the language
                    let f = &toks[k + 1];
                    // « monsieur le gall pierre », « madame le bras rose, 80
                    // ans »: after « le » and a word that the surnames hold
                    // together, a first name that is a word too, where the
                    // name ends (punctuation, a line's end, an age)
                    let closed_compound = k == i + 2
                        && d.surnames.contains_key(&format!(
                            "{} {}",
                            toks[i + 1].folded,
                            toks[k].folded
                        ))
                        && (cell_ends(text, f.end)
                            || text[f.end..].starts_with(['.', ')'])
                            || age_after_word(&ctx, k + 1));
                    tight(text, &toks[k], f)
                        && !f.cap
                        && f.word.chars().count() >= 3
                        && d.first_names.contains_key(&f.folded)
                        && (closed_compound
                            || !d.common.contains(&f.folded) && !d.allow.contains(&f.folded))
                        && !ctx.stop(k + 1)
                        && !d.first_names.contains_key(&toks[k].folded)
                } {
                    k += 1;
                    inverted.insert(i);
                }
                // the title in lower case goes with the name it introduces
                spans.push((i, k, None));
                // « monsieur et madame dupont »: the couple, as with capitals
                genders.extend(title_gender_at(toks, i).map(|g| (i, g)));
                for u in used.iter_mut().take(k + 1).skip(i) {
                    *u = true;
                }
                i = k + 1;
                continue;
            }
            // « le docteur Gros »: a title in lower case before a capital
            let ok_case = t.cap
                || t.upper
                || !matches!(t.folded.as_str(), "m" | "me" | "mm" | "ms" | "mrs")
                    && toks.get(i + 1).is_some_and(|x| x.cap && !x.upper);
            let next_ok = i + 1 < n && {
                let gap = &text[t.end..toks[i + 1].start];
                let g = gap.trim_start_matches('.');
                let short = matches!(t.folded.as_str(), "m" | "mm" | "me");
                // « le mari (M Baudet) »: a capital M without its dot, one
                // space before a capitalised word, is the title all the same
                // (never « 15 M AVEC » in capitals, metres after a number)
                let bare_m = t.word == "M"
                    && gap == " "
                    && toks[i + 1].cap
                    && !toks[i + 1].upper
                    && !text[..t.start]
                        .trim_end()
                        .ends_with(|c: char| c.is_ascii_digit());
                (!short || gap.starts_with('.') || t.folded == "me" || bare_m)
                    && !g.is_empty()
                    && g.len() <= 3
                    && g.chars().all(|c| c == ' ' || c == '\u{a0}')
                    && toks[i + 1].elided.is_none()
            };
            let mut j = i + 1;
            // « Mme et M. Dupont »: skip nothing else; « Dr J. Martin »: initial
            if ok_case && next_ok && j < n {
                // initials « J. »
                while j + 1 < n
                    && toks[j].word.chars().count() == 1
                    && toks[j].cap
                    && text[toks[j].end..].starts_with('.')
                {
                    j += 1;
                }
                // « M. de la Fontaine »
                let two = ctx.two_particles(j);
                let starts_particle = PARTICLES.contains(&toks[j].folded.as_str())
                    && j + 1 < n
                    && ctx.namey(j + 1)
                    && tight(text, &toks[j], &toks[j + 1]);
                let first = match two {
                    Some(k) => k,
                    None if starts_particle => j + 1,
                    None => j,
                };
                // « Mme L. », « M. A. »: a title before an initial only
                let name_follows = ctx.namey(first) && {
                    let gap = &text[toks[j - 1].end..toks[first].start];
                    gap.len() <= 4
                        && gap
                            .trim_start_matches('.')
                            .chars()
                            .all(|c| c == ' ' || c == '\u{a0}')
                        && !gap.trim_start_matches('.').is_empty()
                };
                if j > i + 1 && !name_follows {
                    let last = j - 1;
                    spans.push((i + 1, last, Some(title)));
                    if let Some(g) = title_gender(&t.folded) {
                        genders.insert(i + 1, g);
                    }
                    for u in used.iter_mut().take(last + 1).skip(i) {
                        *u = true;
                    }
                    i = last + 1;
                    continue;
                }
                if ctx.namey(first) && (t.folded != "me" || toks[first].cap) {
                    let last = ctx.extend_over_nickname(first, &mut nicknames);
                    let begin = i + 1;
                    spans.push((begin, last, Some(title)));
                    genders.extend(title_gender_at(toks, i).map(|g| (begin, g)));
                    for u in used.iter_mut().take(last + 1).skip(i) {
                        *u = true;
                    }
                    i = last + 1;
                    continue;
                }
            }
        }
        i += 1;
    }

    // nicknames in quotes that a cue names (« dite « Lulu » »): persons
    // whatever their words are otherwise
    for (s, e) in crate::nicknames::quoted(text) {
        let Some(a) = toks.iter().position(|t| t.start >= s) else {
            continue;
        };
        let Some(b) = toks.iter().rposition(|t| t.end <= e) else {
            continue;
        };
        if a <= b && toks[b].end > s && !used[a..=b].iter().any(|&u| u) {
            spans.push((a, b, None));
            for u in used.iter_mut().take(b + 1).skip(a) {
                *u = true;
            }
        }
    }

    // B. first name (+ surname), C. SURNAME First, D. dictionary surnames
    let mut i = 0;
    let speakers = speakers(&ctx);
    while i < n {
        if !used[i] && !used.get(i + 1).copied().unwrap_or(true) {
            if let Some(last) = ctx.signed_initial(i) {
                spans.push((i, last, None));
                for u in used.iter_mut().take(last + 1).skip(i) {
                    *u = true;
                }
                i = last + 1;
                continue;
            }
        }
        if !used[i] && (ctx.first_before_role_bracket(i) || speakers.contains(&i)) {
            spans.push((i, i, None));
            used[i] = true;
            i += 1;
            continue;
        }
        if used[i] || ctx.stop(i) {
            i += 1;
            continue;
        }
        let t = &toks[i];
        let eponym = ctx.allowed(i) && ctx.eponym_context(i);
        let take = |a: usize,
                    b: usize,
                    spans: &mut Vec<(usize, usize, Option<Title>)>,
                    used: &mut Vec<bool>| {
            spans.push((a, b, None));
            for u in used.iter_mut().take(b + 1).skip(a) {
                *u = true;
            }
        };
        if ctx.is_first(i) && !eponym && !t.upper {
            let last = ctx.extend_over_nickname(i, &mut nicknames);
            let accept = if ctx.first_word(i) && t.initial {
                // « Rose », « Claire » at the start of a sentence: only with a
                // surname or a role of the care team after (« Élise IDE »)
                last > i
                    || ctx.name_slot(i)
                    || toks
                        .get(i + 1)
                        .is_some_and(|n| tight(text, t, n) && ctx.care_abbreviation(i + 1))
            } else if last == i && ctx.allowed(i) {
                // eponym-like first names (Thomas, Patrick) alone: names unless clinical context
                !ctx.eponym_context(i) && !ctx.followed_by_figure(i)
            } else {
                true
            };
            if accept {
                take(i, last, &mut spans, &mut used);
                i = last + 1;
                continue;
            }
        }
        // « PETIT Jean », « CHARCOT Rose »: an eponym in capitals before a
        // first name is a register's surname
        let first_after = toks
            .get(i + 1)
            .is_some_and(|x| !x.upper && tight(text, t, x) && ctx.is_first(i + 1));
        if t.upper
            && (!ctx.allowed(i) || ctx.name_slot(i) || first_after)
            && !eponym
            && t.word.chars().count() >= 2
        {
            // « DUPONT Claire », « LE GOFF Anne-Marie »
            let mut j = i;
            while j + 1 < n
                && toks[j + 1].upper
                && tight(text, &toks[j], &toks[j + 1])
                && !ctx.stop(j + 1)
            {
                j += 1;
            }
            if j + 1 < n
                && ctx.is_first(j + 1)
                && !toks[j + 1].upper
                && tight(text, &toks[j], &toks[j + 1])
            {
                let last = ctx.extend(j + 1, 2);
                take(i, last, &mut spans, &mut used);
                i = last + 1;
                continue;
            }
            // a lone upper-case surname
            let known = d.surnames.get(&t.folded);
            let slot = ctx.name_slot(i);
            // « IDEC », « CPAM », « RETOUR »: short capitals and common words
            // are abbreviations and headings unless a field says « Nom : »
            let plain = t.word.chars().count() >= 5 && !d.common.contains(&t.folded);
            if (known.is_some_and(|e| !e.word) && plain)
                || (slot && (known.is_some() || j == i && t.word.chars().count() >= 5))
            {
                take(i, j.min(i + 2), &mut spans, &mut used);
                i = j.min(i + 2) + 1;
                continue;
            }
        } else if t.cap && !eponym && !ctx.allowed(i) && t.elided.is_none_or(|e| fold(e) == "d") {
            let known = d
                .surnames
                .get(&t.folded)
                .filter(|_| !ctx.surname_as_eponym(i));
            let place_ctx = d.communes.contains_key(&t.folded) && preposition_before(&ctx, i);
            let common = e_common(d, &t.folded);
            let ok = match known {
                Some(_)
                    if !place_ctx && t.word.chars().count() >= 3 && !ctx.followed_by_figure(i) =>
                {
                    !common || ctx.name_slot(i)
                }
                None if t.initial
                    && ctx.followed_by_colon(i)
                    && !t.upper
                    && t.word.chars().count() >= 3
                    && !t.folded.split('-').any(|w| d.common.contains(w))
                    && text[..t.start]
                        .rsplit('\n')
                        .next()
                        .is_some_and(|l| l.trim().is_empty()) =>
                {
                    // « Mélo : t'es où ? » — the speaker of a chat line
                    true
                }
                None => {
                    // « [07:44] Laeti : » — the speaker of a message
                    let speaker = text[..t.start]
                        .trim_end_matches([' ', '\u{a0}'])
                        .ends_with(']')
                        && !d.common.contains(&t.folded);
                    ctx.name_slot(i)
                        && !ctx.followed_by_lower(i)
                        && (!ctx.followed_by_colon(i) || speaker)
                }
                _ => false,
            };
            if ok {
                let last = ctx.extend(i, 2);
                let last = ctx.surname_after_initial(i).unwrap_or(last);
                take(i, last, &mut spans, &mut used);
                i = last + 1;
                continue;
            }
        }
        i += 1;
    }

    // E. every other occurrence of a name already found
    let mut seen: HashSet<String> = HashSet::new();
    for &(a, b, _) in &spans {
        for tok in &toks[a..=b] {
            if (tok.cap || tok.upper)
                && !PARTICLES.contains(&tok.folded.as_str())
                && tok.word.chars().count() >= 2
                && !d.stop.contains(&tok.folded)
            {
                seen.insert(tok.folded.clone());
            }
        }
    }
    // the words of the names written after a title (« Dr Hélène Parkinson »)
    let titled_seen: HashSet<&str> = spans
        .iter()
        .filter(|s| s.2.is_some())
        .flat_map(|&(a, b, _)| toks[a..=b].iter().map(|t| t.folded.as_str()))
        .chain(ctx.titled.iter().map(String::as_str))
        .collect();
    for i in 0..n {
        if !used[i]
            && (toks[i].cap || toks[i].upper)
            && !ctx.stop(i)
            && seen.contains(&toks[i].folded)
            && !ctx.eponym_context(i)
            // « Mme Lachman » … « un Lachman », « M. Kabat » … « du Kabat »,
            // « Mme Garden » … « Garden III »: a word of the clinical
            // vocabulary found again as a term stays the term
            && !(ctx.allowed(i) && ctx.term_use(i))
            // « Baptiste Neer » … « Neer et Hawkins positifs », « tige de
            // Harrington »: an eponym that no list holds as a surname, taken
            // after a first name, is the term elsewhere unless a title named it
            && !(ctx.allowed(i)
                && !d.surnames.contains_key(&toks[i].folded)
                && !titled_seen.contains(toks[i].folded.as_str()))
        {
            spans.push((i, i, None));
            used[i] = true;
        }
    }

    // F. first names in lower case after a word of kinship, as forums write
    // them: « mon mari yannick », « papa (bernard, 71ans) », « le voisin d'odette »
    for i in 1..n {
        let t = &toks[i];
        let intro = self_introduction(&ctx, i);
        // « son petit-fils maxime dubreuil »: a first name that is a word
        // too is one before a surname that no dictionary of words holds;
        // « c rose la maman de… »: or after a self-introduction, before the
        // tie that presents the writer
        let worded = d.common.contains(&t.folded)
            && !(i + 1 < n
                && !used[i + 1]
                && tight(text, t, &toks[i + 1])
                && bare_surname(&ctx, i + 1))
            && !(intro && tie_after(&ctx, i));
        if used[i]
            || t.cap
            || t.word.chars().count() < 3
            || !d.first_names.contains_key(&t.folded)
            || worded
            || d.allow.contains(&t.folded)
            || ctx.stop(i)
        {
            continue;
        }
        let p = &toks[i - 1];
        let gap = &text[p.end..t.start];
        let close = gap.len() <= 4 && !gap.contains(['\n', '.', ':', ';', ',']);
        // « la maman de lucas »: the child after its parent's word and « de »
        let child = p.folded == "de"
            && i >= 2
            && TIES.contains(&toks[i - 2].folded.as_str())
            && tight(text, &toks[i - 2], p);
        if close && (KIN.contains(&p.folded.as_str()) || intro || child) {
            // « mon cousin marc-antoine santoni »: a surname in lower case
            // may follow the first name
            let sur = i + 1 < n && {
                let s = &toks[i + 1];
                !s.cap
                    && !used[i + 1]
                    && tight(text, t, s)
                    && s.word.chars().count() >= 3
                    && d.surnames.contains_key(&s.folded)
                    && !d.common.contains(&s.folded)
                    && !d.allow.contains(&s.folded)
                    && !ctx.stop(i + 1)
            };
            // « sa fille martine le floch », « son mari jos le cam »: « le »
            // or « la », then a word that no dictionary of words holds, or
            // that the surnames hold with it
            let particle = !sur
                && i + 2 < n
                && matches!(toks[i + 1].folded.as_str(), "le" | "la")
                && !toks[i + 1].cap
                && tight(text, t, &toks[i + 1])
                && tight(text, &toks[i + 1], &toks[i + 2])
                && !used[i + 2]
                && !toks[i + 2].cap
                && toks[i + 2].word.chars().count() >= 2
                && !ctx.stop(i + 2)
                && (d.surnames.contains_key(&format!(
                    "{} {}",
                    toks[i + 1].folded,
                    toks[i + 2].folded
                )) || !d.common.contains(&toks[i + 2].folded)
                    && !d.allow.contains(&toks[i + 2].folded)
                    && d.surnames.contains_key(&toks[i + 2].folded));
            let end = if particle {
                i + 2
            } else if sur {
                i + 1
            } else {
                i
            };
            spans.push((i, end, None));
            for u in &mut used[i..=end] {
                *u = true;
            }
        }
    }

    // G. a first name and a surname in lower case where a person is
    // expected (« patient : tom rigaud, 19 ans », « je suis marc lebrun »,
    // « Nom / prénom : lebrun jean-claude », a cell or a line that holds
    // only them): a first name that is no word of the language, then a
    // surname that is none either (or one, ending the cell or before an
    // age); or the surname first, then such a first name
    for i in 0..n.saturating_sub(1) {
        let (t, s) = (&toks[i], &toks[i + 1]);
        if used[i] || used[i + 1] || t.cap || s.cap || !tight(text, t, s) {
            continue;
        }
        let ends = cell_ends(text, s.end) || age_after_word(&ctx, i + 1);
        if !(person_expected(text, t.start) || line_head(text, t.start) && ends) {
            continue;
        }
        // « je suis marc lesueur »: a first name that is a word too is one
        // before a surname that is none and no first name either
        let plain_first = |k: usize, bare_next: bool| {
            let w = &toks[k];
            w.word.chars().count() >= 3
                && d.first_names.contains_key(&w.folded)
                && (!d.common.contains(&w.folded) || bare_next && !d.allow.contains(&w.folded))
                && !ctx.stop(k)
        };
        let plain_surname = |k: usize| {
            let w = &toks[k];
            let f = w.folded.as_str();
            w.word.chars().count() >= 3
                && !ctx.stop(k)
                && (!d.first_names.contains_key(f) || d.surnames.contains_key(f) && ends)
                && (!d.allow.contains(f) || d.surnames.contains_key(f) && !d.common.contains(f))
                && (!d.common.contains(f) || d.surnames.contains_key(f) && ends)
        };
        let straight = plain_first(i, bare_surname(&ctx, i + 1)) && plain_surname(i + 1);
        let reversed = !straight
            && plain_surname(i)
            && plain_first(i + 1, false)
            && !d.allow.contains(&s.folded);
        if straight || reversed {
            spans.push((i, i + 1, None));
            if reversed {
                inverted.insert(i);
            }
            used[i] = true;
            used[i + 1] = true;
        }
    }

    // « Arnaud-Pellissier Jean   | 1 37… », « Kerjean Paul ; 12 »: a
    // register's line starts with the surname, then the first name, then
    // its cell ends; the capitalised word before the first name is the
    // surname, whatever the dictionaries say of it, unless it is French or
    // clinical
    for sp in spans.iter_mut() {
        let (a, b) = (sp.0, sp.1);
        if a == 0 || sp.2.is_some() || used[a - 1] || !ctx.is_first(a) {
            continue;
        }
        let s = &toks[a - 1];
        if !line_head(text, s.start) || !tight(text, s, &toks[a]) || !cell_ends(text, toks[b].end) {
            continue;
        }
        let plain = s.folded.split('-').any(|w| d.common.contains(w));
        if s.cap
            && !plain
            && !ctx.allowed(a - 1)
            && !ctx.stop(a - 1)
            && is_title(&s.folded).is_none()
        {
            sp.0 = a - 1;
            used[a - 1] = true;
        }
    }

    // particles in capitals before a name: « Le Goff », « LE BERRE », « Da Silva »
    for sp in spans.iter_mut() {
        while sp.0 > 0 && {
            let p = &toks[sp.0 - 1];
            (p.cap || p.upper)
                && PARTICLES.contains(&p.folded.as_str())
                && tight(text, p, &toks[sp.0])
        } {
            sp.0 -= 1;
        }
    }

    // « c arnaud VIDALENC, son num »: a first name in lower case (as chats
    // write them) right before a surname in capitals is its first name
    for sp in spans.iter_mut() {
        let a = sp.0;
        if a == 0 || sp.2.is_some() || used[a - 1] || !toks[a].upper {
            continue;
        }
        let p = &toks[a - 1];
        if !p.cap
            && tight(text, p, &toks[a])
            && p.word.chars().count() >= 3
            && d.first_names.contains_key(&p.folded)
            && !d.common.contains(&p.folded)
            && !d.allow.contains(&p.folded)
            && !ctx.stop(a - 1)
        {
            sp.0 = a - 1;
            used[a - 1] = true;
        }
    }

    // « T. De Quervain », « H. Parkinson » signing a letter that named the
    // writer in full: an initial right before a name found again is its
    // first name, in the same span (one person, not an initial of its own),
    // when the text writes that name in full with a first name of that
    // initial (« C. Roux » beside the twins Camille and Chloé is neither)
    let words = |a: usize, b: usize| -> Vec<&str> {
        toks[a..=b].iter().map(|t| t.folded.as_str()).collect()
    };
    let fulls_written: Vec<(char, Vec<&str>)> = spans
        .iter()
        .filter(|&&(a, b, _)| b > a && ctx.is_first(a))
        .filter_map(|&(a, b, _)| Some((toks[a].folded.chars().next()?, words(a + 1, b))))
        .collect();
    for sp in spans.iter_mut() {
        let (a, b, title) = *sp;
        if a == 0 || title.is_some() || used[a - 1] {
            continue;
        }
        let p = &toks[a - 1];
        let written = fulls_written
            .iter()
            .any(|(c, w)| p.folded.starts_with(*c) && *w == words(a, b));
        let initial = p.word.chars().count() == 1
            && p.cap
            && text[p.end..toks[a].start] == *". "
            && toks[a].cap
            && written;
        if initial {
            sp.0 = a - 1;
            used[a - 1] = true;
        }
    }

    // « La Rochelle », « à Nancy »: a name without a title that is a commune,
    // after a particle or a preposition, is the place
    spans.retain(|&(a, b, title)| {
        let written = fold(&text[toks[a].start..toks[b].end]);
        let commune = d.communes.contains_key(&written.replace('-', " "))
            || d.communes.contains_key(&written);
        let place_like = preposition_before(&ctx, a)
            || PARTICLES.contains(&toks[a].folded.as_str()) && !toks[a].upper && !ctx.name_slot(a);
        title.is_some() || !commune || !place_like
    });

    // persons: a person is a first name and a surname (and the gender of a
    // title); a surname or a first name alone is linked to the one person it
    // can only be, and stays a person of its own when it could be several
    // (« deux Mmes Lefèvre »), so that two people never share a pseudonym.
    spans.sort_by_key(|s| s.0);
    // « DUMONT née PERRIN Marcelle »: a maiden name in capitals before a
    // first name is one span for the names, but Marcelle is Mme Dumont,
    // and Perrin is the name of her parents, no one's in this text. The
    // maiden name becomes a span of its own, and the first name goes with
    // the surname written before « née » (first token of the first name →
    // first token of that surname).
    let mut married: HashMap<usize, usize> = HashMap::new();
    // first tokens of surnames that several people of the text share
    let mut family: HashSet<usize> = HashSet::new();
    let mut k = 0;
    while k < spans.len() {
        // « Lina et Tom BOURGEOIS »: the surname is both children's, so it
        // is a span of its own (the family's), and each first name alone
        let (a, b, title) = spans[k];
        let shared = title.is_none()
            && k > 0
            && a >= 2
            && b > a
            && toks[a - 1].folded == "et"
            && spans[k - 1].0 == a - 2
            && spans[k - 1].1 == a - 2
            && spans[k - 1].2.is_none()
            && ctx.is_first(a - 2)
            && ctx.is_first(a)
            && !ctx.is_first(a + 1);
        if shared {
            spans[k] = (a, a, None);
            spans.insert(k + 1, (a + 1, b, None));
            family.insert(a + 1);
            k += 2;
            continue;
        }
        let (a, b, title) = spans[k];
        let last_upper = (a..=b).take_while(|&j| toks[j].upper).last();
        if let Some(j) = last_upper.filter(|&j| {
            title.is_none() && j < b && homonyms::maiden(text, toks[a].start) && ctx.is_first(j + 1)
        }) {
            spans[k] = (a, j, None);
            spans.insert(k + 1, (j + 1, b, None));
            if let Some(&(pa, pb, _)) = k.checked_sub(1).map(|p| &spans[p]) {
                let between = fold(text[toks[pb].end..toks[a].start].trim());
                if pa == pb && matches!(between.as_str(), "nee" | "ne" | "nee :" | ", nee") {
                    married.insert(j + 1, pa);
                }
            }
            k += 1;
        }
        k += 1;
    }
    // « madame josiane le cam », « le docteur kerjean »: a title in lower
    // case that a span holds (its first token)
    let held_title = |a: usize, b: usize| -> Option<Title> {
        if a < b && !toks[a].cap {
            is_title(&toks[a].folded)
        } else {
            None
        }
    };
    let key_of = |a: usize, b: usize| -> (Option<String>, Option<String>) {
        // « madame josiane le cam »: the title in lower case that a span
        // holds is no part of the name
        let surname_first = inverted.contains(&a);
        let named_at = |k: usize| !nicknames.contains(&k);
        let a = if held_title(a, b).is_some() { a + 1 } else { a };
        let offset = a;
        let toks = &toks[a..=b];
        // « josiane le cam », « mme le floch yvette »: « le » or « la » in
        // lower case that opens the surname is part of it, as « Le Cam »
        let opens_surname = |k: usize| {
            matches!(toks[k].folded.as_str(), "le" | "la")
                && k + 1 < toks.len()
                && (k == 0 || d.first_names.contains_key(&toks[k - 1].folded))
                && !PARTICLES.contains(&toks[k + 1].folded.as_str())
        };
        let named: Vec<&Tok> = toks
            .iter()
            .enumerate()
            .filter(|&(k, t)| {
                (!PARTICLES.contains(&t.folded.as_str()) || t.cap || opens_surname(k))
                    && named_at(offset + k)
            })
            .map(|(_, t)| t)
            .collect();
        if surname_first && named.len() >= 2 {
            let (first, sur) = named.split_last().unwrap();
            let sur: Vec<&str> = sur.iter().map(|t| t.folded.as_str()).collect();
            return (Some(sur.join(" ")), Some(first.folded.clone()));
        }
        if named.len() == 1 {
            let t = named[0];
            let lone_first = !t.upper
                && d.first_names.contains_key(&t.folded)
                && !d.surnames.contains_key(&t.folded);
            return if lone_first {
                (None, Some(t.folded.clone()))
            } else {
                (Some(t.folded.clone()), None)
            };
        }
        // « Mme Le Berre »: a particle first is the start of a surname, not
        // a first name « Le »
        if PARTICLES.contains(&named[0].folded.as_str()) {
            let sur: Vec<&str> = named.iter().map(|t| t.folded.as_str()).collect();
            return (Some(sur.join(" ")), None);
        }
        // « DUPONT Claire »
        if named[0].upper && !named.last().unwrap().upper {
            let sur: Vec<&str> = named
                .iter()
                .filter(|t| t.upper)
                .map(|t| t.folded.as_str())
                .collect();
            let first = named.iter().find(|t| !t.upper).map(|t| t.folded.clone());
            return (Some(sur.join(" ")), first);
        }
        // « Lefèvre A. », « Josiane B. »: an initial after a name
        let last = named.last().unwrap();
        if named.len() == 2 && last.word.chars().count() == 1 {
            let f = &named[0].folded;
            return if d.first_names.contains_key(f) && !d.surnames.contains_key(f) {
                (Some(last.folded.clone()), Some(f.clone()))
            } else {
                (Some(f.clone()), Some(last.folded.clone()))
            };
        }
        let sur_start = named
            .iter()
            // « Jeanne Le Berre »: a particle starts the surname
            .position(|t| {
                !d.first_names.contains_key(&t.folded)
                    || t.upper
                    || PARTICLES.contains(&t.folded.as_str())
            })
            .unwrap_or(named.len() - 1);
        let sur_start = sur_start.max(1).min(named.len() - 1);
        let first = named[..sur_start]
            .iter()
            .map(|t| t.folded.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let sur = named[sur_start..]
            .iter()
            .map(|t| t.folded.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        (Some(sur), (!first.is_empty()).then_some(first))
    };
    struct Full {
        first: String,
        sur: String,
        gender: Option<char>,
        roles: Vec<Role>,
        /// seen with « Dr » or « Pr »
        medical: bool,
        /// the first token of its first mention: a lone surname written
        /// before it may be someone else of the family
        first_at: usize,
        /// said to be another bearer of its surname (« homonyme »)
        homonym: bool,
        /// how many times the text writes it in full
        mentions: usize,
        /// the words of kinship it was seen with (« son épouse »)
        kins: Vec<String>,
        /// seen with the titles of both sexes (« M. Paul Roux » and « Mme
        /// Paul Roux »), or with a doctor's and a civil one: two people
        titles_clash: bool,
        /// the ages and the rooms written with its mentions (« M. LEROY
        /// Gaston (112) », « BRUNET Raymond, 97 ans »): two of either are
        /// two people
        marks: Vec<String>,
        /// how its mentions write their words, accents kept (« FAURE
        /// Michel », « FAURÉ Michel »)
        spellings: Vec<Vec<(String, bool)>>,
        /// written in lower case with two words either of which may be
        /// the first name (« monsieur morvan gilbert »): a title's lone
        /// word may be either of its words
        either_order: bool,
    }
    // a name in a carer's column of a table (« Kiné », « IDE ») is a
    // carer's, whatever the words around it say
    let carer_cells: Vec<(usize, usize)> = out[..before]
        .iter()
        .filter(|c| matches!(c.info, Info::Person { carer: true, .. }))
        .map(|c| (c.start, c.end))
        .collect();
    let found_roles: Vec<Option<(Role, String)>> = spans
        .iter()
        .map(|&(a, b, _)| {
            let (s, e) = (toks[a].start, toks[b].end);
            if carer_cells.iter().any(|&(cs, ce)| cs < e && s < ce) {
                return Some((Role::Carer, "colonne".to_string()));
            }
            role_at(text, s, e)
        })
        .collect();
    // the people a row of a table names by its cells of surname and first
    // name (« "DUBOIS";"Claire" »), keyed as a full name is
    let row_people: HashSet<String> = out[..before]
        .iter()
        .filter_map(|c| match &c.info {
            Info::Person {
                key, carer: false, ..
            } if key.contains('|') && !homonyms::is_unique(key) => Some(key.clone()),
            _ => None,
        })
        .collect();
    let roles: Vec<Option<Role>> = found_roles
        .iter()
        .map(|r| r.as_ref().map(|r| r.0))
        .collect();
    // a relative's word of kinship: « sa belle-mère Mme Le Guen » is not
    // « son épouse, Mme Soizic Le Guen », both relatives
    let kins: Vec<Option<&str>> = found_roles
        .iter()
        .map(|r| match r {
            Some((Role::Relative, w)) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    let mut fulls: Vec<Full> = Vec::new();
    let keyed: Vec<(Option<String>, Option<String>, Option<char>)> = spans
        .iter()
        .map(|&(a, b, _)| {
            let (sur, first) = key_of(a, b);
            (sur, first, genders.get(&a).copied())
        })
        .collect();
    // the title each span is seen with, written before it or, in lower
    // case, inside it: a title left out of the key still says who the name
    // can be (« monsieur martin » is a surname, not the first name of M.
    // Martin Dubois; « le docteur kerjean » is not the patient Mme Odile
    // Kerjean), as the capitalised titles do. Only where the title stands
    // differs (`spans`' own title: before the span or nowhere).
    let titles: Vec<Option<Title>> = spans
        .iter()
        .map(|&(a, b, title)| title.or_else(|| held_title(a, b)))
        .collect();
    // a form's « Nom : GODARD — Prénom : Yannick » is one person
    let mut keyed = keyed;
    let field = |a: usize, name: &str| -> bool {
        // the label ends just before the name, on its line: a window of
        // the line, never the whole line (a text of one long line was quadratic)
        let window = fold_before(text, toks[a].start, 48);
        let line = window.rfind('\n').map_or(&window[..], |p| &window[p + 1..]);
        let before = line.replace(['*', '_'], "");
        let before = before.trim_end();
        before.ends_with(&format!("{name} :")) || before.ends_with(&format!("{name}:"))
    };
    for x in 0..spans.len() {
        if !(keyed[x].1.is_none()
            && keyed[x].0.is_some()
            && field(spans[x].0, "nom")
            && !field(spans[x].0, "prenom"))
        {
            continue;
        }
        let line = |a: usize| text[..toks[a].start].matches('\n').count();
        if let Some(y) = (0..spans.len()).find(|&y| {
            y != x
                && line(spans[y].0) == line(spans[x].0)
                && field(spans[y].0, "prenom")
                && keyed[y].0.is_some() != keyed[y].1.is_some()
        }) {
            let first = keyed[y].1.clone().or_else(|| keyed[y].0.clone());
            keyed[x].1 = first.clone();
            keyed[y] = (keyed[x].0.clone(), first, keyed[y].2);
        }
    }
    // « "Le Goff, Armelle" », « "LE GOFF, Yann" », « | Robin, Gilbert | »:
    // an export's quoted cell or a table's cell holding a surname, a comma
    // and a first name is one person, whatever the surname's case (two
    // first names, two people of one surname); where the word before the
    // comma may be a first name too (« Robin, Gilbert », « Marie, Paul »),
    // that word is nobody else's: the rows of a table are not one person
    // for sharing it
    let mut own_cell: HashSet<usize> = HashSet::new();
    for x in 0..spans.len().saturating_sub(1) {
        let y = x + 1;
        let (sx, ex) = (toks[spans[x].0].start, toks[spans[x].1].end);
        let (sy, ey) = (toks[spans[y].0].start, toks[spans[y].1].end);
        let opens = text[..sx]
            .trim_end_matches([' ', '\u{a0}'])
            .ends_with(['"', '|']);
        let closes = text[ey..]
            .trim_start_matches([' ', '\u{a0}'])
            .starts_with(['"', '|']);
        let quoted_cell = spans[x].2.is_none()
            && spans[y].2.is_none()
            && opens
            && closes
            && text[ex..sy].trim_end() == ",";
        // the word after the comma may have been taken for a surname alone
        // (« Yann »): a first name of the list is the first name here
        let first = match &keyed[y] {
            (None, Some(f), _) => Some(f.clone()),
            (Some(f), None, _) if d.first_names.contains_key(f) => Some(f.clone()),
            _ => None,
        };
        if let ((Some(sur), None, g), Some(first)) = (&keyed[x], first) {
            // « "Marie, Paul" » lists two people: a surname that is also a
            // first name counts only in capitals
            let surname =
                !d.first_names.contains_key(sur) || !text[sx..ex].chars().any(char::is_lowercase);
            if quoted_cell && surname {
                let both = (Some(sur.clone()), Some(first.clone()), *g);
                keyed[x] = both.clone();
                keyed[y] = both;
            } else if quoted_cell {
                own_cell.insert(spans[x].0);
            }
        }
    }
    // the first name after a maiden name and the surname before « née »:
    // one person
    for (&first_at, &sur_at) in &married {
        let (Some(x), Some(y)) = (
            spans.iter().position(|s| s.0 == first_at),
            spans.iter().position(|s| s.0 == sur_at),
        ) else {
            continue;
        };
        if let ((None, Some(first), _), (Some(sur), None, g)) = (&keyed[x], &keyed[y]) {
            let both = (Some(sur.clone()), Some(first.clone()), *g);
            keyed[x] = both.clone();
            keyed[y] = both;
        }
    }
    // « Sow (le gardien, Moussa) », « Martin (Jean) »: a first name in the
    // brackets right after a lone surname (not a relative's nor a carer's,
    // « Mme Roux (sa fille, Inès) ») names its bearer; when no bearer of
    // that surname named in full has it, the surname is someone else than
    // them (« Ibrahima Sow »). Only that: the first name may still be a
    // relative's the words before the surname name (« la fille de M. Roux
    // (Inès) »), so it is never given to the surname.
    static BRACKETED: OnceLock<Regex> = OnceLock::new();
    let bracketed = BRACKETED.get_or_init(|| {
        Regex::new(
            r"^\s*\((?:[^()\n]{0,30}[,:])?\s*(\p{Lu}[\p{L}\p{M}]*(?:-\p{L}[\p{L}\p{M}]*)?)\b",
        )
        .unwrap()
    });
    let mut bracket_first: HashMap<usize, String> = HashMap::new();
    for (&(a, b, _), (sur, first, _)) in spans.iter().zip(&keyed) {
        if !(sur.is_some() && first.is_none()) {
            continue;
        }
        let end = toks[b].end;
        let Some(w) = bracketed.captures(&text[end..]).and_then(|c| c.get(1)) else {
            continue;
        };
        let name = fold(w.as_str());
        if d.first_names.contains_key(&name)
            && !role_at(text, end + w.start(), end + w.end())
                .is_some_and(|(r, _)| matches!(r, Role::Relative | Role::Carer))
        {
            bracket_first.insert(a, name);
        }
    }
    let initial = |f: &str| f.chars().count() == 1;
    // full names first, initials of first names after them
    for pass in 0..2 {
        for (((((sur, first, g), role), &(a, b, written)), kin), &title) in
            keyed.iter().zip(&roles).zip(&spans).zip(&kins).zip(&titles)
        {
            let (Some(sur), Some(first)) = (sur, first) else {
                continue;
            };
            if (pass == 0) == initial(first) {
                continue;
            }
            let same = fulls.iter_mut().find(|p| {
                p.sur == *sur
                    && (p.first == *first || initial(first) && p.first.starts_with(first.as_str()))
            });
            let title_start = if written.is_some() && a > 0 {
                toks[a - 1].start
            } else {
                toks[a].start
            };
            let other = homonyms::said_other(text, title_start, toks[b].end);
            let spelling = spelling_of(&toks[a..=b]);
            let either_order = !toks[a..=b].iter().any(|t| t.cap)
                && d.surnames.contains_key(first.as_str())
                && d.first_names.contains_key(sur.as_str());
            let marks: Vec<String> = age_after(text, toks[b].end)
                .map(|y| format!("age {y}"))
                .into_iter()
                .chain(
                    homonyms::room_beside(text, title_start, toks[b].end)
                        .map(|r| format!("room {r}")),
                )
                .collect();
            match same {
                Some(p) => {
                    p.marks.extend(marks);
                    p.spellings.push(spelling);
                    p.either_order &= either_order;
                    let medical = title == Some(Title::Medical);
                    p.titles_clash |= g.is_some() && p.gender.is_some() && *g != p.gender
                        || medical && p.gender.is_some()
                        || g.is_some() && p.medical && !medical;
                    if p.gender.is_none() {
                        p.gender = *g;
                    }
                    p.roles.extend(*role);
                    p.medical |= title == Some(Title::Medical);
                    p.first_at = p.first_at.min(a);
                    p.homonym |= other;
                    p.mentions += 1;
                    p.kins.extend(kin.map(str::to_string));
                }
                None => fulls.push(Full {
                    first: first.clone(),
                    sur: sur.clone(),
                    gender: *g,
                    roles: role.iter().copied().collect(),
                    medical: title == Some(Title::Medical),
                    first_at: a,
                    homonym: other,
                    mentions: 1,
                    kins: kin.iter().map(|k| k.to_string()).collect(),
                    titles_clash: false,
                    marks,
                    spellings: vec![spelling],
                    either_order,
                }),
            }
        }
    }
    let full_key = |p: &Full| format!("{}|{}", p.sur, p.first);
    // « Mme Suzanne Favre » and « sa petite-fille Suzanne Favre (même
    // prénom et nom) », « la kiné Lucie Garcia » and « la patiente Lucie
    // Garcia »: one full name that the text says two people bear, or that
    // it gives to the patient and to a relative or a carer. Which mention
    // is whom nobody can tell, so each is a person of its own.
    // So is one full name given a relative's role and a carer's, two
    // words of kinship that are not one relative (« son fils Marc Petit »,
    // « son père Marc Petit »), or titles of two sexes or of a doctor and
    // a civil one: whichever reading is right, two pseudonyms only lose a
    // link where one would say that two people are one.
    // a text that writes accents on its capitals (« FAURÉ ») means one
    // written without them (« FAURE ») as another name
    let accented_capitals = text
        .chars()
        .any(|c| c.is_uppercase() && !c.is_ascii() && c.is_alphabetic());
    let twofold = |p: &Full| {
        p.homonym && p.mentions >= 2
            || p.roles.contains(&Role::Patient)
                && p.roles
                    .iter()
                    .any(|r| matches!(r, Role::Relative | Role::Carer))
            || p.roles.contains(&Role::Relative) && p.roles.contains(&Role::Carer)
            // « Patiente : WEBER Marie-Louise » and « Dr Marie-Louise Weber »
            || p.medical
                && p.roles
                    .iter()
                    .any(|r| matches!(r, Role::Patient | Role::Relative))
            // a row's person of a table, and a carer or a relative of the
            // same name (« "DUBOIS";"Claire" » and the kiné « Claire Dubois »)
            || row_people.contains(&full_key(p))
                && p.roles
                    .iter()
                    .any(|r| matches!(r, Role::Relative | Role::Carer))
            || p.titles_clash
            || p.spellings.iter().any(|x| {
                p.spellings
                    .iter()
                    .any(|y| accents_differ(x, y, accented_capitals))
            })
            || p.marks.iter().any(|m| {
                p.marks
                    .iter()
                    .any(|x| x != m && x.split(' ').next() == m.split(' ').next())
            })
            || p.kins
                .iter()
                .any(|k| p.kins.iter().any(|x| !same_relative(k, x)))
    };
    // first names seen alone with a role that no person of that first name
    // has (« sa fille Claire » beside « Claire Dubois, MK »): another person
    // bears them, so a later « Claire » without a role could be either
    // (« notre fils Jean-Yves » beside « mon mari, Jean-Yves Kerdraon »: a
    // relative of another kinship is another bearer too)
    let mut other_bearer: std::collections::HashSet<&str> = keyed
        .iter()
        .zip(&roles)
        .zip(&kins)
        .filter_map(|(((sur, first, _), role), kin)| match (sur, first, role) {
            (None, Some(w), Some(r)) | (Some(w), None, Some(r)) => (!fulls.iter().any(|p| {
                p.first == *w
                    && (*r == Role::Patient && p.roles.is_empty()
                        || p.roles.contains(r)
                            && kin.is_none_or(|k| {
                                p.kins.is_empty() || p.kins.iter().any(|x| same_relative(k, x))
                            }))
            }))
            .then_some(w.as_str()),
            _ => None,
        })
        .collect();
    // so do first names alone that the text says are someone else's
    // (« son fils Marcel (même prénom que son père) ») or that stand before
    // any full name with that first name (« Aline » in a planning's column
    // of physiotherapists, then « MARTINEZ Aline » a patient)
    for (((sur, first, _), &(a, b, _)), &title) in keyed.iter().zip(&spans).zip(&titles) {
        let ((None, Some(w)) | (Some(w), None)) = (sur, first) else {
            continue;
        };
        let bearers_of: Vec<&Full> = fulls.iter().filter(|p| p.first == *w).collect();
        if title.is_none()
            && !bearers_of.is_empty()
            && (homonyms::said_other(text, toks[a].start, toks[b].end)
                || bearers_of.iter().all(|p| p.first_at > a))
        {
            other_bearer.insert(w.as_str());
        }
    }
    // « Objet : Petit / Petit », « M. Roux et M. Roux »: one surname alone
    // written twice in a list names two people, the second another bearer
    let listed_again: HashSet<usize> = (1..spans.len())
        .filter(|&y| {
            let x = y - 1;
            let (end, next) = (toks[spans[x].1].end, spans[y].0);
            // the title of the second, if any, is no part of the gap
            let title_between = next > spans[x].1 + 1 && is_title(&toks[next - 1].folded).is_some();
            let gap_end = if title_between {
                toks[next - 1].start
            } else {
                toks[next].start
            };
            let gap = text[end..gap_end.max(end)].trim();
            keyed[x].1.is_none()
                && keyed[y].1.is_none()
                && keyed[x].0.is_some()
                && keyed[x].0 == keyed[y].0
                && (title_between || spans[y].2.is_none())
                && matches!(gap, "/" | "et" | "," | "&" | "ou" | "-" | "–" | "+")
        })
        .map(|y| spans[y].0)
        .collect();
    // lone surnames that no full name settles, one bearer per title and role
    let mut bearers = Bearers::default();
    for ((((&(a, b, written), (sur, first, g)), role), kin), &title) in
        spans.iter().zip(&keyed).zip(&roles).zip(&kins).zip(&titles)
    {
        // a lone name links to a person only when their roles agree, and a
        // relative to one seen with the same word of kinship
        let agrees = |p: &Full| {
            (role.is_none() || p.roles.is_empty() || p.roles.contains(&role.unwrap()))
                && kin.is_none_or(|k| p.kins.is_empty() || p.kins.iter().any(|x| x == k))
        };
        let maiden = first.is_none() && title.is_none() && homonyms::maiden(text, toks[a].start);
        // « ex-Mme Girard »: a former name, a bearer of its own whom a later
        // « Mme Girard » may be
        let former = first.is_none() && {
            let before = fold_before(text, toks[a].start, 12);
            before.ends_with("ex-mme ") || before.ends_with("ex-madame ")
        };
        // « elle est la belle-fille de ma patiente Mme Jeunet »: the person
        // a subject named already is related to, someone else than it
        let kin_anchor = first.is_none()
            && title == Some(Title::Civil)
            && (written.is_none() || a > 0)
            && homonyms::kin_anchor(text, toks[a - usize::from(written.is_some())].start);
        // a lone word on a row of an export that says « homonyme »
        let row_homonym =
            (first.is_none() || sur.is_none()) && homonyms::row_homonym(text, toks[b].end);
        let homonym = kin_anchor
            || row_homonym
            || listed_again.contains(&a)
            || homonyms::said_other(text, toks[a].start, toks[b].end);
        // « les dames Lacoste », « les Robin »: a family, no one bearer
        let group =
            first.is_none() && title.is_none() && homonyms::group_before(text, toks[a].start);
        let bearer_role = role
            .filter(|r| *r != Role::Patient)
            .map(|r| format!("{}{}", r as u8, kin.unwrap_or("")));
        let key = match (sur, first) {
            _ if own_cell.contains(&a) => format!("{}cell|{a}", homonyms::UNIQUE),
            _ if group => format!("{}group|{a}", homonyms::UNIQUE),
            (Some(sur), None) if former => bearers.key(None, sur, Some('f'), false, None, true, a),
            // « Yanis (son ami, même prénom) », « Mme Morvan (autre
            // patiente, aucun lien) »: someone else, a bearer of its own
            (Some(sur), None) if homonym && title != Some(Title::Medical) => {
                bearers.key(None, sur, *g, false, bearer_role.clone(), true, a)
            }
            (None, Some(first)) if homonym => format!("{}{first}|{a}", homonyms::UNIQUE),
            // « Mme Colette Moreau, née Vidal »: not « Mme Simone Vidal », her
            // sister; a pseudonym of its own (linking it to Colette Moreau
            // would gain nothing and risk a merge where the cue misleads)
            _ if maiden => format!("{}nee|{a}", homonyms::UNIQUE),
            (Some(sur), None)
                if bracket_first.get(&a).is_some_and(|f| {
                    fulls.iter().any(|p| p.sur == *sur)
                        && !fulls.iter().any(|p| p.sur == *sur && p.first == *f)
                }) =>
            {
                bearers.key(None, sur, *g, false, bearer_role.clone(), true, a)
            }
            // « Lina et Tom BOURGEOIS »: the surname of both, neither's alone
            (Some(sur), None) if family.contains(&a) => {
                format!("{}{sur}|&|{a}", homonyms::AMBIGUOUS)
            }
            (Some(sur), Some(first)) => {
                let same: Vec<&Full> = fulls
                    .iter()
                    .filter(|p| {
                        p.sur == *sur
                            && (p.first == *first
                                || initial(first) && p.first.starts_with(first.as_str()))
                    })
                    .collect();
                // « Mme R. Charpentier ?? (Renée ou Rolande ?) » beside
                // « Renée Charpentier »: a first name alone that the initial
                // fits too, and that no full name settles, may be the one
                let other_initial = |p: &Full| {
                    initial(first)
                        && keyed.iter().any(|(s2, f2, _)| {
                            let ((None, Some(w)) | (Some(w), None)) = (s2, f2) else {
                                return false;
                            };
                            *w != p.first
                                && w.starts_with(first.as_str())
                                && d.first_names.contains_key(w.as_str())
                                && !fulls.iter().any(|q| q.first == *w)
                        })
                };
                match same[..] {
                    [p] if twofold(p) || other_initial(p) => {
                        format!("{}{sur}|{first}|{a}", homonyms::AMBIGUOUS)
                    }
                    [p] => full_key(p),
                    [] => format!("{sur}|{first}"),
                    // « L. Bernard » beside Louise and Léa Bernard: either
                    _ if !same.iter().any(|p| p.first == *first) => {
                        format!("{}{sur}|{first}|{a}", homonyms::AMBIGUOUS)
                    }
                    _ => format!("{sur}|{first}"),
                }
            }
            (Some(sur), None) => {
                // « THIBAULT M. » in a list: the initial after a surname is
                // a first name's, and « Jeanne Thibault » does not have it
                let after = &text[toks[b].end..];
                let after = after.strip_prefix(' ').unwrap_or(after);
                let mut cs = after.chars();
                let initial_after = match (cs.next(), cs.next(), cs.next()) {
                    (Some(c), Some('.'), n)
                        if c.is_uppercase() && !n.is_some_and(|n| n.is_alphabetic()) =>
                    {
                        Some(fold(&c.to_string()))
                    }
                    _ => None,
                };
                // a lone word: the surname of one person, or, when no title
                // says it is a surname, the first name of one person
                let c: Vec<&Full> = fulls
                    .iter()
                    .filter(|p| {
                        ((p.sur == *sur || p.sur.split(' ').any(|w| w == sur))
                            || (title.is_none() || p.either_order) && p.first == *sur)
                            // « Mme Cabrol » is not « Mathis Cabrol »: a title
                            // links only to a person seen with the same one
                            && !(g.is_some() && p.gender != *g)
                            && agrees(p)
                            // « sa fille, Mme Rousseau » is not Mme Anne
                            // Rousseau, whom no words made a relative
                            && role.is_none_or(|r| r == Role::Patient || p.roles.contains(&r))
                            && initial_after
                                .as_ref()
                                .is_none_or(|i| p.first.starts_with(i.as_str()))
                            // « Dr Morey » is not the patient Gaëlle Morey
                            // nor her relative: a doctor of the same name is
                            // another person
                            && !(matches!(title, Some(Title::Medical))
                                && p.roles
                                    .iter()
                                    .any(|r| matches!(r, Role::Patient | Role::Relative)))
                            // « Dr Fontaine » beside the twins Léa and Emma
                            // Fontaine: a doctor is one seen with the title
                            && (title != Some(Title::Medical) || p.medical)
                            // « la patiente Renard » is not the Dr Élodie Renard
                            && !(role == &Some(Role::Patient) && p.medical)
                            // « Mme Lucas » before « Mme Jacqueline Lucas,
                            // sa mère »: not yet named, maybe someone else
                            && p.first_at <= a
                            && !p.homonym
                    })
                    .collect();
                let by_first = c.len() == 1 && c[0].sur != *sur && c[0].first == *sur;
                // « Mme Morvan » written before « Mme Anne Morvan »: a later
                // « Mme Morvan » may be either
                // (unless its word of kinship names the one person it is:
                // « son épouse, Mme Le Guen » after « sa belle-mère Mme Le Guen »)
                let same_kin =
                    c.len() == 1 && kin.is_some_and(|k| c[0].kins.iter().any(|x| x == k));
                let earlier_bearer =
                    !by_first && !same_kin && bearers.has(sur, *g, title == Some(Title::Medical));
                // « Mme Bernard » beside Mme Yvette Bernard and « BERNARD
                // Louise », whose gender no title gave; « M. Lefèvre » beside
                // the father and the twins Mathis and Mattéo Lefèvre: a civil
                // title may be any bearer the text names without one
                let untitled = matches!(g, Some('f' | 'm' | 'y'))
                    && fulls.iter().any(|p| {
                        p.sur == *sur
                            && p.gender.is_none()
                            // « son fils Yves Le Berre » is no « Mme Le Berre »
                            && !p.kins.iter().any(|k| {
                                kin_gender(k).is_some_and(|x| Some(x) != g.map(|c| if c == 'y' { 'f' } else { c }))
                            })
                            && !p.medical
                            && p.first_at <= a
                            && agrees(p)
                    });
                // « Martin » beside « le Dr Martin » and « Martin Dubreuil »:
                // a surname of one, the first name of the other
                let first_of_other = title.is_none()
                    && c.is_empty()
                    && bearers.has(sur, None, false)
                    && fulls.iter().any(|p| p.first == *sur);
                // a full name the text gives to two people: a lone name
                // could be either of them
                let of_twofold = c.iter().any(|p| twofold(p));
                // « Guérin » after Mme Thérèse Guérin, when the text names
                // Patrick and Patricia Guérin further on: the lone name may
                // be any of them (one named later is no less a bearer)
                let named_later = c.len() == 1
                    && fulls.iter().any(|p| {
                        p.sur == *sur
                            && p.first_at > a
                            && p.first != c[0].first
                            && !(g.is_some() && p.gender.is_some() && p.gender != *g)
                            && (title != Some(Title::Medical) || p.medical)
                    });
                // « M. David » beside « THOMAS David » and « DAVID Thomas »:
                // the surname of one is the first name of the other
                let first_of_a_full = c.len() == 1
                    && c[0].sur == *sur
                    && fulls.iter().any(|p| p.first == *sur && p.sur != *sur);
                // « Dupont dort » beside Mme Anne Dupont when the text, before
                // or after, names « M. Dupont » or « le Dr Dupont » too: a
                // name without a title could be either
                let other_titled = title.is_none()
                    && c.len() == 1
                    && keyed.iter().zip(&titles).any(|((s2, f2, g2), &t2)| {
                        s2.as_ref() == Some(sur)
                            && f2.is_none()
                            && (g2.is_some() && c[0].gender.is_some() && *g2 != c[0].gender
                                || t2 == Some(Title::Medical) && !c[0].medical)
                    });
                if untitled && (!c.is_empty() || bearers.has(sur, *g, false))
                    || first_of_other
                    || of_twofold
                    || other_titled
                    || named_later
                    || first_of_a_full
                {
                    format!("{}{sur}|?{}|{a}", homonyms::AMBIGUOUS, g.unwrap_or('?'))
                } else if c.len() == 1
                    && !earlier_bearer
                    && !(by_first && role.is_none() && other_bearer.contains(sur.as_str()))
                {
                    full_key(c[0])
                } else if c.len() == 1 && !earlier_bearer {
                    // « Claire » after « sa fille Claire » and « Claire
                    // Dubois, MK »: either of two people, so a pseudonym of
                    // its own rather than one shared by two people
                    format!("{}?|{sur}|{a}", homonyms::AMBIGUOUS)
                } else if !c.is_empty() {
                    // « Mme Lambert » beside Gisèle Lambert and Mme Sandrine
                    // Lambert: one of them, nobody can say which
                    format!("{}{sur}|?{}|{a}", homonyms::AMBIGUOUS, g.unwrap_or('?'))
                } else {
                    let title_start = if written.is_some() && a > 0 {
                        toks[a - 1].start
                    } else {
                        toks[a].start
                    };
                    // what tells this bearer from another of the name: the
                    // first name in brackets after it (« Mme Lacoste
                    // (Jeanine, ch. 12) »), its room or bed, or the row of
                    // an export it stands on (two rows, two records)
                    let tag = bracket_first
                        .get(&a)
                        .map(|f| format!("prenom {f}"))
                        .or_else(|| homonyms::room_beside(text, title_start, toks[b].end))
                        .or_else(|| {
                            homonyms::export_row(text, toks[a].start).map(|l| format!("ligne {l}"))
                        });
                    bearers.key(
                        tag.as_deref(),
                        sur,
                        *g,
                        title == Some(Title::Medical),
                        bearer_role,
                        homonym,
                        a,
                    )
                }
            }
            (None, Some(first)) => {
                // a first name alone before any full name that bears it may
                // be someone else (« Aline » before « MARTINEZ Aline »)
                // « Lucie, sa petite-fille » beside « Mme Lucie Caron »,
                // whom no words made a relative: another Lucie
                let c: Vec<&Full> = fulls
                    .iter()
                    .filter(|p| {
                        p.first == *first
                            && agrees(p)
                            && p.first_at <= a
                            && role.is_none_or(|r| r == Role::Patient || p.roles.contains(&r))
                    })
                    .collect();
                if c.len() == 1
                    && !twofold(c[0])
                    && (role.is_some() || !other_bearer.contains(first.as_str()))
                {
                    full_key(c[0])
                } else if c.len() == 1 {
                    // either of two people: a pseudonym of its own rather
                    // than one shared by two people
                    format!("{}?|{first}|{a}", homonyms::AMBIGUOUS)
                } else {
                    // « Claire » beside Claire Dubois and Claire Martin
                    format!("{}?|{first}|{a}", homonyms::AMBIGUOUS)
                }
            }
            (None, None) => continue,
        };
        let aliases = match fulls.iter().find(|p| full_key(p) == key) {
            Some(p) => {
                let mut v = vec![format!("{}|??", p.sur), format!("?|{}", p.first)];
                if let Some(g) = p.gender {
                    v.push(format!("{}|?{g}", p.sur));
                }
                v
            }
            None => Vec::new(),
        };
        let start = toks[a].start;
        let title_start = if written.is_some() && a > 0 {
            toks[a - 1].start
        } else {
            start
        };
        out.push(Cand {
            start,
            end: toks[b].end,
            kind: Kind::Nom,
            prio: if written.is_some() { 92 } else { 62 },
            info: Info::Person {
                key,
                title: written,
                patient: patient_field(text, title_start),
                carer: false,
                aliases,
            },
        });
    }

    // « | GARCIA Lucie | » in a table's column of names: the cell is keyed
    // by its words, not as the names key the same words (« garcia|lucie »),
    // so the cell was another person than « Lucie Garcia » in a sentence,
    // and a name the text says two people bear was one person in every
    // cell. The names' key of the same span, when they found it, settles it.
    let by_span: HashMap<(usize, usize), String> = out[before..]
        .iter()
        .filter_map(|c| match &c.info {
            Info::Person { key, .. } => Some(((c.start, c.end), key.clone())),
            _ => None,
        })
        .collect();
    for c in &mut out[..before] {
        if let Info::Person { key, .. } = &mut c.info {
            if !key.contains('|') && !homonyms::is_unique(key) {
                if let Some(k) = by_span.get(&(c.start, c.end)) {
                    *key = k.clone();
                }
            }
        }
    }

    plural_titles(text, out);
    // communes
    communes(&ctx, out);
}

/// « Présents : Drs Abadie, Morel et Tissot », « MM. Roux et Vidal »: a
/// plural title stands before each name of its list.
fn plural_titles(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    static NAME: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| Regex::new(r"\b(Drs|Docteurs|Prs|MM\.|Mmes)[ \u{a0}]+").unwrap());
    let name = NAME
        .get_or_init(|| Regex::new(r"^\p{Lu}[\p{L}'’-]+(?:[ \u{a0}]\p{Lu}[\p{L}'’-]+)?").unwrap());
    let d = Dicts::get();
    for m in re.captures_iter(text) {
        let title = match &m[1] {
            "MM." | "Mmes" => Title::Civil,
            _ => Title::Medical,
        };
        let mut at = m.get(0).unwrap().end();
        for _ in 0..8 {
            let Some(n) = name.find(&text[at..]) else {
                break;
            };
            let (s, e) = (at + n.start(), at + n.end());
            let f = fold(n.as_str());
            if d.common.contains(&f) || d.allow.contains(&f) {
                break;
            }
            out.push(Cand {
                start: s,
                end: e,
                kind: Kind::Nom,
                prio: 90,
                info: Info::Person {
                    key: format!("{f}|??"),
                    title: Some(title),
                    patient: false,
                    carer: false,
                    aliases: Vec::new(),
                },
            });
            let rest = &text[e..];
            let sep = [", ", " et ", " & ", ",\u{a0}"]
                .iter()
                .find(|p| rest.starts_with(**p));
            match sep {
                Some(p) => at = e + p.len(),
                None => break,
            }
        }
    }
}

/// Words of kinship and of address before a first name.
const KIN: &[&str] = &[
    "mari",
    "femme",
    "epouse",
    "epoux",
    "fille",
    "fils",
    "papa",
    "maman",
    "pere",
    "mere",
    "frere",
    "soeur",
    "frerot",
    "soeurette",
    "grand-mere",
    "grand-pere",
    "mamie",
    "papi",
    "papy",
    "neveu",
    "niece",
    "oncle",
    "tante",
    "cousin",
    "cousine",
    "voisin",
    "voisine",
    "ami",
    "amie",
    "copain",
    "copine",
    "compagnon",
    "compagne",
    "conjoint",
    "conjointe",
    "petit-fils",
    "petite-fille",
    "beau-pere",
    "belle-mere",
    "merci",
    "bonjour",
    "salut",
    "coucou",
    "bravo",
    "kine",
    "notre",
    "chef",
];

/// Words of kinship that present a writer (« la maman de », « la fille de »).
const TIES: &[&str] = &[
    "maman", "papa", "mere", "pere", "fille", "fils", "femme", "mari", "epouse", "soeur", "frere",
    "niece", "neveu", "voisine", "voisin",
];

/// Does a message's writer present themself right before token `i`
/// (« c'est sandrine », « bjr c mathis », « il s'appelle yannick »)? Chats
/// write « c » for « c'est », after a greeting or at the head of the line.
fn self_introduction(ctx: &Ctx, i: usize) -> bool {
    let toks = &ctx.toks;
    let p = &toks[i - 1];
    let gap = &ctx.text[p.end..toks[i].start];
    if gap.is_empty() || gap.len() > 2 || !gap.chars().all(|c| c == ' ') {
        return false;
    }
    let elided = p.elided.map(fold);
    match p.folded.as_str() {
        "est" => elided.as_deref() == Some("c"),
        "cest" | "sapelle" | "sappelle" | "mapelle" => true,
        "appelle" => matches!(elided.as_deref(), Some("s" | "m")),
        "c" => {
            p.word == "c"
                && (line_head(ctx.text, p.start)
                    || i >= 2
                        && matches!(
                            toks[i - 2].folded.as_str(),
                            "bonjour" | "bjr" | "slt" | "salut" | "coucou" | "cc" | "allo" | "oui"
                        ))
        }
        _ => false,
    }
}

/// « rose la maman de… »: a tie of kinship after the word at `i`.
fn tie_after(ctx: &Ctx, i: usize) -> bool {
    let toks = &ctx.toks;
    i + 2 < toks.len()
        && matches!(
            toks[i + 1].folded.as_str(),
            "la" | "le" | "sa" | "son" | "ta" | "ton"
        )
        && TIES.contains(&toks[i + 2].folded.as_str())
}

/// Is `at` the first word of its line or of a table's cell (after list
/// marks: « - », « • », « 1. »)?
fn line_head(text: &str, at: usize) -> bool {
    let line = &text[text[..at]
        .rfind(['\n', '|', ';', '\t'])
        .map_or(0, |i| i + 1)..at];
    line.chars().all(|c| {
        c.is_whitespace() || c.is_ascii_digit() || matches!(c, '-' | '•' | '*' | '.' | ')')
    })
}

/// Does a cell, a list's item or a speaker's name end at `at` (« | », « ; »,
/// a tab, two spaces, « : », the end of the line)?
fn cell_ends(text: &str, at: usize) -> bool {
    let rest = &text[at..];
    rest.is_empty()
        || rest.starts_with(['\n', '|', ';', '\t', ':', ','])
        || rest.starts_with("  ")
        || rest.starts_with(" |")
        || rest.starts_with(" :")
        || rest.starts_with(" ;")
}

/// A person is expected right after (« patient : », « patiente »,
/// « Nom / prénom : », « je suis », « le dossier de »).
fn person_expected(text: &str, at: usize) -> bool {
    let before = fold_before(text, at, 32);
    let b = before.trim_end_matches([' ', '\u{a0}', ':']);
    [
        "patient",
        "patiente",
        "nom",
        "prenom",
        "je suis",
        "dossier de",
        // a letter's closing formula, then its signature
        "amities",
        "confraternellement",
        "cordialement",
    ]
    .iter()
    .any(|w| b.ends_with(w) && !b[..b.len() - w.len()].ends_with(char::is_alphanumeric))
}

/// A surname in lower case that cannot be read as anything else: the
/// surnames hold it, and neither the words of the language, the clinical
/// vocabulary nor the first names do (« lesueur », « dubreuil »).
fn bare_surname(ctx: &Ctx, k: usize) -> bool {
    let d = Dicts::get();
    ctx.toks.get(k).is_some_and(|w| {
        let f = w.folded.as_str();
        !w.cap
            && w.word.chars().count() >= 3
            && d.surnames.contains_key(f)
            && !d.common.contains(f)
            && !d.allow.contains(f)
            && !d.first_names.contains_key(f)
            && !ctx.stop(k)
    })
}

/// An age follows the word (« thomas bernard, douze ans », « 19 ans »):
/// a figure, or a number written in words before « ans » or « mois ».
fn age_after_word(ctx: &Ctx, k: usize) -> bool {
    const NUMBERS: &str = "un deux trois quatre cinq six sept huit neuf dix onze douze treize \
        quatorze quinze seize vingt trente quarante cinquante soixante";
    let rest = ctx.text[ctx.toks[k].end..].trim_start_matches([' ', ',', '\u{a0}']);
    let worded = ctx.toks.get(k + 1).is_some_and(|w| {
        w.folded
            .split('-')
            .next()
            .is_some_and(|p| NUMBERS.split_whitespace().any(|x| x == p))
            && ctx.toks[k + 1..]
                .iter()
                .take(4)
                .any(|x| matches!(x.folded.as_str(), "ans" | "an" | "mois"))
    });
    rest.starts_with(|c: char| c.is_ascii_digit()) || worded
}

fn e_common(d: &Dicts, f: &str) -> bool {
    d.common.contains(f)
}

fn preposition_before(ctx: &Ctx, i: usize) -> bool {
    let t = &ctx.toks[i];
    if let Some(e) = t.elided {
        return fold(e) == "d";
    }
    i > 0 && {
        let p = &ctx.toks[i - 1];
        matches!(
            p.folded.as_str(),
            "a" | "de"
                | "sur"
                | "vers"
                | "pres"
                | "habite"
                | "domicilie"
                | "domiciliee"
                | "residant"
                | "residante"
                | "reside"
                | "demeurant"
                | "originaire"
                | "ehpad"
                | "chu"
                | "ch"
                | "clinique"
                | "hopital"
                | "ville"
                | "commune"
                | "village"
                | "mairie"
                | "au"
                | "en"
                | "quitte"
                | "depuis"
        )
    }
}

fn communes(ctx: &Ctx, out: &mut Vec<Cand>) {
    let text = ctx.text;
    let d = ctx.d;
    let bytes = text.as_bytes();
    // token index by start byte, to look at the context of a match
    let mut by_start: HashMap<usize, usize> = HashMap::new();
    for (i, t) in ctx.toks.iter().enumerate() {
        by_start.insert(t.start, i);
    }
    for m in d.commune_ac.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        let before_ok = s == 0
            || !is_word_char(text[..s].chars().next_back().unwrap())
            || bytes[s - 1] == b'\''
            || text[..s].ends_with('’');
        let after_ok = e == text.len() || {
            let c = text[e..].chars().next().unwrap();
            !is_word_char(c) && c != '-'
        };
        if !before_ok || !after_ok {
            continue;
        }
        let Some(&i) = by_start.get(&s) else { continue };
        let name = &d.commune_patterns[m.pattern().as_usize()];
        // « au Bourg-d'Oisans »: the commune without its contracted article
        if let Some(rest) = ["au ", "du ", "aux ", "des "]
            .iter()
            .find_map(|p| name.strip_prefix(p))
        {
            let s = e - rest.len();
            if !ctx.d.allow.contains(&fold(rest)) {
                out.push(Cand {
                    start: s,
                    end: e,
                    kind: Kind::Ville,
                    // a compound name of the list is the commune, above a
                    // home's name after « au » (« vit au Bourg-d'Oisans »)
                    prio: if rest.contains(['-', ' ']) { 67 } else { 57 },
                    info: Info::None,
                });
            }
            continue;
        }
        let folded = fold(name);
        let entry = d.communes.get(&folded).copied();
        let word = entry.is_some_and(|e| e.word);
        let multi = name.contains(['-', ' ']);
        let len = name.chars().count();
        let prep = preposition_before(ctx, i);
        let allowed = d.allow.contains(&folded) || ctx.eponym_context(i);
        let is_person = d.first_names.contains_key(&folded) || d.surnames.contains_key(&folded);
        if allowed || len < 3 {
            continue;
        }
        let letter = text[e..].starts_with(", le ") || text[e..].starts_with(" le ")
            // « Clinique du Parc (Vannes) »: a commune alone in brackets after a place
            || text[..s].ends_with('(')
                && text[e..].starts_with(')')
                && !d.first_names.contains_key(&folded);
        // a name in lower case: only after a preposition, never a common word
        let lower = !text[s..e].chars().any(|c| c.is_uppercase());
        if lower {
            // « la marche », « le passage »: an article before a common word
            // a hyphenated name is no common word, even when each of its
            // parts is (« saint-jean-de-monts », « bar-le-duc »)
            let plain = if text[s..e].contains('-') {
                d.common.contains(&folded)
            } else {
                folded
                    .split([' ', '-'])
                    .filter(|w| {
                        !matches!(*w, "la" | "le" | "les" | "l" | "de" | "du" | "sur" | "en")
                    })
                    .all(|w| d.common.contains(w))
            };
            // a surname in lower case after a preposition is a place (« à
            // quimper »): people are written with a title; a first name is
            // not (« à martin »)
            let first = d.first_names.contains_key(&folded);
            // « 29270 carhaix », « 80000 amiens »: a postcode before is a
            // place position of its own; a common word there must be the
            // commune of that very postcode
            let coded = crate::places::postcode_before(text, s).is_some_and(|cp| {
                d.postcodes.contains(cp) && (!plain || crate::places::has_postcode(&folded, cp))
            });
            // « (strasbourg) », « (cabinet…, digoin) »: alone in brackets
            // after a place, or last of the bracket after a comma
            let bracketed = text[e..].starts_with(')')
                && (text[..s].ends_with('(') || text[..s].ends_with(", "));
            // « avis neuro guingamp »: no preposition, but a name that is
            // nothing else
            // after a head in capitals (« FC plouzané », « CH guingamp ») the
            // word is the establishment's, left to its rules
            let bare = !prep
                && !bracketed
                && !ctx.stop(i)
                && !i.checked_sub(1).is_some_and(|p| ctx.toks[p].upper)
                && crate::lower_communes::bare(
                    d,
                    text,
                    s,
                    e,
                    &folded,
                    i.checked_sub(1).map(|p| ctx.toks[p].folded.as_str()),
                );
            if coded || (prep || bracketed) && !plain && !first && len >= 4 || bare {
                out.push(Cand {
                    start: s,
                    end: e,
                    kind: Kind::Ville,
                    prio: 56,
                    info: Info::None,
                });
            }
            continue;
        }
        // « La Rochelle », « Le Mans »: an article that starts a compound name
        // is no stop word
        // « RAI », « ARS », « EPS »: short capitals are abbreviations, not communes
        let acronym = !multi && len <= 4 && !text[s..e].chars().any(|c| c.is_lowercase());
        let accept = if ctx.stop(i) && !multi || acronym && !prep {
            false
        } else if word {
            // ordinary words that are also communes (Rennes, Vannes, Tours): a capital
            // inside a sentence, or after « à », « habite »…
            (prep || !ctx.toks[i].initial || letter) && (multi || ctx.toks[i].cap)
        } else if is_person {
            prep || letter || !ctx.toks[i].initial && text[..s].trim_end().ends_with(',')
        } else {
            true
        };
        if accept {
            out.push(Cand {
                start: s,
                end: e,
                kind: Kind::Ville,
                prio: 56,
                info: Info::None,
            });
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use crate::{Anonymiser, Kind};

    fn persons(text: &str) -> Vec<String> {
        Anonymiser::new()
            .detect(text)
            .into_iter()
            .filter(|s| s.kind == Kind::Nom)
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    /// The words of `text` the anonymiser replaces, in order.
    fn replaced(text: &str) -> Vec<String> {
        crate::Anonymiser::new()
            .anonymise(text)
            .replacements
            .iter()
            .map(|r| text[r.start..r.end].to_string())
            .collect()
    }

    #[test]
    fn a_name_runs_through_two_particles_in_lower_case() {
        assert_eq!(
            persons("Vu avec Jean de la Fontaine et Hugo van der Meulen ce matin."),
            ["Jean de la Fontaine", "Hugo van der Meulen"]
        );
        assert_eq!(
            persons("Courrier de M. de la Roncière, reçu hier."),
            ["de la Roncière"]
        );
        assert!(!persons("Tics moteurs, évoque un Gilles de la Tourette.")
            .iter()
            .any(|p| p.contains("Tourette")));
        // an acronym after the particles is a place, an eponym stays
        assert_eq!(persons("Appel de Sophie de la MAS ce matin."), ["Sophie"]);
        assert_eq!(
            persons("Test de la Fontaine négatif, score de Constant 62."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_eponym_stays_a_term_beside_the_person_who_bears_it() {
        let r = replaced(
            "Expert : Pr Alain Capgras. Éléments : syndrome de Capgras depuis deux ans.\n\
             Patiente : Mme Catherine Garden. Fracture du col Garden III, Parker 7.\n\
             Max : qui prend Mme Lachman demain ? LCA J15, un Lachman à tester.",
        );
        assert_eq!(r, ["Alain Capgras", "Catherine Garden", "Max", "Lachman"]);
        let r = replaced(
            "Je revois M. Raymond Lewy pour sa maladie à corps de Lewy. MRC 48/60, Hughes grade 3.",
        );
        assert_eq!(r, ["Raymond Lewy"]);
        // the look-alike: the surname alone where a person stands is still the person
        let r = replaced("Vu Mme Lachman ce matin. Lachman rappellera demain.");
        assert_eq!(r, ["Lachman", "Lachman"]);
    }

    #[test]
    fn a_stage_named_for_a_person_is_no_stadium() {
        assert!(replaced("Stade Tanner 4, artériopathie stade Leriche et Fontaine II.").is_empty());
        assert_eq!(
            replaced("Il s’entraîne au stade Marcel-Michelin le soir."),
            ["stade Marcel-Michelin"]
        );
    }

    #[test]
    fn a_register_line_starts_with_the_surname_or_a_list_item_with_a_person() {
        assert_eq!(
            persons(
                "Nom                    | NIR\nArnaud-Pellissier Jean | 1 37 10 73 204 051 94\n"
            ),
            ["Arnaud-Pellissier Jean"]
        );
        assert_eq!(
            persons("Effectif : 3 blessés.\n- Romain Pellet : entorse latérale de cheville\n"),
            ["Romain Pellet"]
        );
        assert_eq!(persons("Kerjean Paul ; 12 ; chute\n"), ["Kerjean Paul"]);
        // a heading before a first name, a heading alone, stay
        assert_eq!(
            persons("Bilan Julien ; à revoir\n- Évaluation : RAS\n"),
            ["Julien"]
        );
    }

    #[test]
    fn a_role_in_capitals_after_a_name_is_not_the_surname() {
        assert_eq!(
            replaced("Relève : Élise IDE, Sandra AS.\nM. Marc Laurent SCA ST+ antérieur."),
            ["Élise", "Sandra", "Marc Laurent"]
        );
        // a short surname in capitals still ends the name
        assert_eq!(
            replaced("Relève : Anne ROY et Paul NGO."),
            ["Anne ROY", "Paul NGO"]
        );
        assert_eq!(replaced("Copie au Dr VAN DER BERG."), ["VAN DER BERG"]);
    }
}
