//! Names that the words just before them make one, whatever the
//! dictionaries say of them: a word that is neither French nor clinical after a verb of
//! dwelling and « à » (« il vit à Kerbiquet »), a room's number
//! in brackets after a person's name (« M. PETIT (102) »), and an acronym
//! after an insurer's or a member's word (« l'assurance FFBB », « pompier
//! volontaire au SDIS 2A »).
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};
use crate::{Cand, Info, Kind};

/// Below every rule's own candidates, like the other proper nouns by default.
const PRIO: u8 = 10;

/// Words of dwelling, birth and stay: what follows them and « à » is a place.
const DWELLING: &[&str] = &[
    "habite",
    "habitait",
    "habitent",
    "vit",
    "vivait",
    "vivent",
    "vivant",
    "reside",
    "residait",
    "residant",
    "residante",
    "domicilie",
    "domiciliee",
    "demeurant",
    "ne",
    "nee",
    "installe",
    "installee",
    "installes",
    "demenage",
    "demenagee",
    "vacances",
    "sejour",
    "weekend",
    "week-end",
    "randonnee",
    "ferme",
    "maison",
];

/// Words after which an acronym is the name of an insurer, a federation or
/// a club (« l'assurance FFBB », « sa mutuelle MNT »).
const NAMING: &[&str] = &["assurance", "assureur", "mutuelle", "federation", "ligue"];

/// Members and players: « pompier volontaire au SDIS 2A », « joueuse de
/// l'ASPTT » (not a doctor's or an agent's word: « le médecin de l'EFR »).
const MEMBERS: &[&str] = &[
    "pompier",
    "pompiers",
    "volontaire",
    "joueur",
    "joueuse",
    "licence",
    "membre",
    "affilie",
    "affiliee",
    "assure",
    "assuree",
    "president",
    "presidente",
    "entraineur",
    "entraineuse",
    "coach",
];

/// Acronyms that name a kind of service every département or town has (or
/// a clinical notion), not one organisation: kept alone, the way the
/// allow-list keeps « CPAM », « MDPH » or « CHU » (written here from the
/// code of social action and the public health code's names of services).
pub(crate) const GENERIC: &[&str] = &[
    "samu", "smur", "sdis", "sos", "caf", "msa", "ccas", "cias", "cmp", "cmpp", "camsp", "sessad",
    "ime", "itep", "esat", "ssiad", "saad", "spasad", "usld", "mas", "fam", "pmi", "ase", "clic",
    "maia", "dac", "cpts", "msp", "urssaf", "ars", "has", "ansm", "cnam", "drh", "rh", "ce", "cse",
    "ifsi", "ifmk", "ufr", "staps", "ecg", "irm", "tdm", "emg", "ide", "as", "ash", "hdj", "pasa",
    "uhr", "ucc", "esa",
];

/// The folded words before `at` in its clause (at most `n`, nearest last).
fn words_before(text: &str, at: usize, n: usize) -> Vec<String> {
    let mut from = at.saturating_sub(60);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let head = &text[from..at];
    let clause = head
        .rfind(['.', '\n', ';', ':', '!', '?', '(', ')', '|'])
        .map_or(head, |p| &head[p + 1..]);
    let words: Vec<String> = clause
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect();
    words[words.len().saturating_sub(n)..].to_vec()
}

/// Neither a word of the language nor clinical vocabulary (a surname may
/// be a hamlet's name too: Brittany's are both).
fn unknown(w: &str) -> bool {
    let d = Dicts::get();
    let known = |f: &str| d.common.contains(f) || d.allow.contains(f) || d.stop.contains(f);
    let f = fold(w);
    !known(&f) && !f.split('-').any(known)
}

/// A word written as a name: a capital, then lower case.
fn title_case(w: &str) -> bool {
    let mut cs = w.chars();
    cs.next().is_some_and(char::is_uppercase)
        && w.chars().skip(1).any(char::is_lowercase)
        && !w.chars().skip(1).any(char::is_uppercase)
        && w.chars().all(|c| c.is_alphabetic() || c == '-')
}

/// Adds to `found` what the cues name, where nothing else was found, and
/// makes a place of a lone name a place's cue stands before (« une chute
/// à Kerbiquet » is no person).
pub(super) fn detect(text: &str, found: &mut Vec<Cand>) {
    let mut out = Vec::new();
    places(text, &mut out);
    for c in found.iter_mut() {
        let lone = matches!(&c.info, Info::Person { title: None, .. })
            && !text[c.start..c.end].contains([' ', '\u{a0}']);
        if lone && out.iter().any(|p| p.start == c.start && p.end == c.end) {
            c.kind = Kind::Ville;
            c.info = Info::None;
        }
    }
    bracketed_rooms(text, found, &mut out);
    acronyms(text, &mut out);
    // only where nothing was found: this pass never overrides another
    out.retain(|c: &Cand| !found.iter().any(|f| f.start < c.end && c.start < f.end));
    found.extend(out);
}

/// « il vit à Kerbiquet », « né à Tizi-Rached »: one word neither French
/// nor clinical, after « à » and a verb of dwelling or a stay.
fn places(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?:\b|^)[àÀ]\s+(\p{Lu}[\p{L}\p{M}]+(?:-\p{L}[\p{L}\p{M}]*)*)").unwrap()
    });
    for c in re.captures_iter(text) {
        let g = c.get(1).unwrap();
        let w = g.as_str();
        if w.chars().count() < 4 || !title_case(w) {
            continue;
        }
        if !unknown(w) {
            continue;
        }
        let before = words_before(text, c.get(0).unwrap().start(), 3);
        if !before.iter().any(|b| DWELLING.contains(&b.as_str())) {
            continue;
        }
        // one word: « à Kerbiquet Lanvaux » is left to the other rules
        let rest = &text[g.end()..];
        if rest.starts_with(' ') && rest[1..].starts_with(char::is_uppercase) {
            continue;
        }
        out.push(Cand {
            start: g.start(),
            end: g.end(),
            kind: Kind::Ville,
            prio: PRIO,
            info: Info::None,
        });
    }
}

/// « M. PETIT (102) », « Mme Roux (12B) »: a number of three digits, or a
/// number and a letter, in brackets right after a person's name is the
/// room (two digits alone are an age: « Mme Roux (82) »).
fn bracketed_rooms(text: &str, found: &[Cand], out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"^[ \u{a0}]?\((\d{3}|\d{1,3}[A-Da-d]|[A-D]\d{1,3})\)").unwrap()
    });
    for p in found.iter().filter(|c| c.kind == Kind::Nom) {
        let Some(c) = re.captures(&text[p.end..]) else {
            continue;
        };
        let g = c.get(1).unwrap();
        out.push(Cand {
            start: p.end + g.start(),
            end: p.end + g.end(),
            kind: Kind::Chambre,
            prio: PRIO,
            info: Info::None,
        });
    }
}

/// « l'assurance FFBB », « pompier volontaire au SDIS 2A », « joueuse de
/// l'ASPTT »: an acronym that no list knows, after an insurer's or a
/// member's word, is the organisation's name; a kind of service alone
/// (« médecin du SAMU ») is not one.
fn acronyms(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re =
        R.get_or_init(|| Regex::new(r"\b(\p{Lu}{2,7})(?:[ \u{a0}](\d{2,3}|2[AB]))?\b").unwrap());
    let d = Dicts::get();
    for c in re.captures_iter(text) {
        let a = c.get(1).unwrap();
        // glued to a word, an apostrophe or a dash on the right: not alone
        let after = text[a.end()..].chars().next();
        if after.is_some_and(|ch| ch.is_alphanumeric() || ch == '-' || ch == '\'' || ch == '’') {
            continue;
        }
        let f = fold(a.as_str());
        // « SDIS 2A »: the département's code makes the kind one service
        let territory = c.get(2).is_some();
        if GENERIC.contains(&f.as_str()) && !territory
            || d.allow.contains(&f)
            || d.stop.contains(&f)
            || d.common.contains(&f)
            || crate::names::is_title_word(&f)
            || f.chars().all(|ch| matches!(ch, 'i' | 'v' | 'x'))
        {
            continue;
        }
        // what stands before: « assurance », or a member's word and « au »,
        // « du », « de la », « à l' », « chez »
        let head = &text[..a.start()];
        let head = head.strip_suffix(['\'', '’']).unwrap_or(head);
        let words = words_before(text, head.len(), 4);
        let Some(last) = words.last() else { continue };
        let named = NAMING.contains(&last.as_str());
        let linked = matches!(
            last.as_str(),
            "au" | "du" | "l" | "la" | "chez" | "a" | "de"
        );
        let member = linked
            && words[..words.len() - 1]
                .iter()
                .rev()
                .take(3)
                .any(|w| MEMBERS.contains(&w.as_str()));
        if !(named || member) {
            continue;
        }
        let end = c.get(2).map_or(a.end(), |g| g.end());
        out.push(Cand {
            start: a.start(),
            end,
            kind: Kind::Etablissement,
            prio: PRIO,
            info: Info::None,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::{Anonymiser, Kind};

    // The rules alone: these tests pin what the cued forms take and leave.
    // The learned detector runs after them and may still take a generic
    // acronym they leave (« au SDIS »), which is no clinical term.
    fn found(text: &str, kind: Kind) -> Vec<String> {
        Anonymiser::new()
            .with_detector(None)
            .detect(text)
            .into_iter()
            .filter(|s| s.kind == kind)
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn an_unknown_word_after_a_verb_of_dwelling_and_a_is_a_place() {
        assert_eq!(
            found(
                "Elle vit seule à Kerbiquet depuis son veuvage.",
                Kind::Ville
            ),
            ["Kerbiquet"]
        );
        assert_eq!(
            found("Il est né à Tizi-Rached, arrivé en 1972.", Kind::Ville),
            ["Tizi-Rached"]
        );
        // a germ or a drug after « à » is clinical
        for t in [
            "Colonisation à Pseudomonas, séances quotidiennes.",
            "Passage à Xarelto le 3e jour, relais fait.",
            "Elle vit avec une allergie à Augmentin.",
        ] {
            assert_eq!(found(t, Kind::Ville), Vec::<String>::new(), "{t}");
        }
    }

    #[test]
    fn a_room_in_brackets_after_a_name() {
        assert_eq!(
            found("| 8h30 | M. PETIT (102) | Mme Roux (12B) |", Kind::Chambre),
            ["102", "12B"]
        );
        // two digits are an age, a year is a date
        assert_eq!(
            found(
                "Mme Roux (82) et M. Petit (1948) vus ce jour.",
                Kind::Chambre
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_acronym_after_an_insurer_or_a_member_is_the_organisation() {
        assert_eq!(
            found(
                "Sa mère veut te parler pour l'assurance FFBB, licence perdue.",
                Kind::Etablissement
            ),
            ["FFBB"]
        );
        assert_eq!(
            found("Il est joueur à l'ASPTT depuis 2019.", Kind::Etablissement),
            ["ASPTT"]
        );
        assert_eq!(
            found(
                "Je suis pompier volontaire au SDIS 2A.",
                Kind::Etablissement
            ),
            ["SDIS 2A"]
        );
        // a kind of service, or a clinical acronym, stays
        for t in [
            "Il est pompier volontaire au SDIS depuis dix ans.",
            "Le médecin du SAMU a posé une VVP.",
            "Le médecin de l'EFR a noté un VEMS bas.",
            "Agent de la CPAM, il rappellera.",
        ] {
            assert_eq!(found(t, Kind::Etablissement), Vec::<String>::new(), "{t}");
        }
    }
}
