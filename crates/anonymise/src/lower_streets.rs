//! Streets written in lower case, as dictations, text messages and hurried
//! notes write them: « 4 rue buffon », « 14 rue de la liberation », « 6 imp
//! des lilas », « douze bis rue du commandant charcot », « rte de bénodet »,
//! « lieu dit le rohic ». The street pattern of `patterns` wants a capital
//! for the street's name; here the name may be in lower case when a number
//! comes before the street, or when an unmistakable head (« rue », an
//! abbreviation) and a particle (« de », « des »…) come before it. The name
//! is one word, or two after a title (« général leclerc »): a lower-case
//! sentence goes on after the street, and nothing else says where it ends.
use std::sync::LazyLock;

use regex::Regex;

use crate::dicts::fold;
use crate::{Cand, Info, Kind};

/// A number or none, the head, a particle or none, and one or two words
/// in lower case.
static STREET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:\b(\d{1,4}(?:[ \u{a0}]?(?:bis|ter))?,?[ \u{a0}]+))?",
        r"\b(rue|ruelle|avenue|av\.|boulevard|bd|bvd|impasse|imp\.?|all[ée]e|all\.?|chemin|chem\.|route|rte|quai|qu\.|pl\.|r\.|r|lieu[ -]dit)[ \u{a0}]+",
        r"((?:de[ \u{a0}]+la|de[ \u{a0}]+l['’]|du|des|de|d['’]|le|la|les|l['’])[ \u{a0}]*)?",
        r"((?-i:\p{Ll}[\p{Ll}\p{M}'’-]*))(?:[ \u{a0}]+((?-i:\p{Ll}[\p{Ll}\p{M}'’-]*)))?",
    ))
    .expect("lower-case street")
});

/// Heads that name a street even without a number before them.
const HEADS_ALONE: &[&str] = &[
    "rue",
    "avenue",
    "av.",
    "boulevard",
    "bd",
    "bvd",
    "impasse",
    "imp.",
    "imp",
    "allee",
    "all.",
    "rte",
    "chem.",
    "qu.",
    "pl.",
    "r.",
    "lieu dit",
    "lieu-dit",
];

/// Heads read only after a number (« 8 all des Tilleuls », « 22 r du Pont »).
const HEADS_AFTER_NUMBER: &[&str] = &["all", "r"];

/// Words that end a sentence's street, not name it.
const NOT_A_NAME: &[&str] = &[
    "et", "a", "au", "aux", "pour", "avec", "chez", "dans", "sur", "il", "elle", "on", "je",
    "nous", "vous", "ils", "elles", "qui", "que", "qu", "est", "le", "la", "les", "un", "une",
    "ne", "pas", "se", "sa", "son", "ses", "en", "y", "mais", "ou", "donc", "car", "puis", "ce",
    "cette", "mon", "ma", "mes", "de", "du", "des", "depuis", "vers", "par", "pres", "apres",
    "avant",
];

/// Titles after which a street's name has a second word (« du général leclerc »).
const TITLES: &[&str] = &[
    "general",
    "marechal",
    "commandant",
    "colonel",
    "capitaine",
    "lieutenant",
    "docteur",
    "professeur",
    "president",
    "abbe",
    "pasteur",
    "amiral",
    "saint",
    "sainte",
    "croix",
];

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    for c in STREET.captures_iter(text) {
        // « saint-jean-de-la-ruelle »: a head inside a hyphenated name
        if text[..c.get(0).unwrap().start()].ends_with('-') {
            continue;
        }
        let number = c.get(1).is_some();
        let head = fold(c.get(2).unwrap().as_str());
        let particle = c.get(3).is_some();
        let name = c.get(4).unwrap();
        let folded = fold(name.as_str());
        if NOT_A_NAME.contains(&folded.as_str()) {
            continue;
        }
        let known = HEADS_ALONE.contains(&head.as_str());
        let ok = if number {
            known || HEADS_AFTER_NUMBER.contains(&head.as_str()) || particle
        } else {
            known && (particle || head.starts_with("lieu"))
        };
        if !ok {
            continue;
        }
        let end = match c.get(5) {
            Some(second)
                if TITLES.contains(&folded.as_str())
                    && !NOT_A_NAME.contains(&fold(second.as_str()).as_str()) =>
            {
                second.end()
            }
            _ => name.end(),
        };
        let start = c.get(1).map_or(c.get(2).unwrap().start(), |n| n.start());
        out.push(Cand {
            start,
            end,
            kind: Kind::Adresse,
            prio: 66,
            info: Info::None,
        });
    }
}

#[cfg(test)]
mod tests {
    fn streets(t: &str) -> Vec<String> {
        let mut out = Vec::new();
        super::detect(t, &mut out);
        out.iter().map(|c| t[c.start..c.end].to_string()).collect()
    }

    #[test]
    fn lower_case_streets() {
        assert_eq!(
            streets("elle habite 9 rue pasteur depuis mai"),
            ["9 rue pasteur"]
        );
        assert_eq!(
            streets("au 3 bis av. du général foch et on"),
            ["3 bis av. du général foch"]
        );
        assert_eq!(streets("passer par la rte de plouay"), ["rte de plouay"]);
        assert_eq!(
            streets("sa fille au lieu dit la motte"),
            ["lieu dit la motte"]
        );
        // a street named without a number needs its particle; « route » and
        // « chemin » alone are also ways of speaking
        assert!(streets("mise en place de la kiné, chemin de la guérison").is_empty());
        assert!(streets("en route pour le bilan, la rue et le jardin").is_empty());
        // « cours » and « place » count lessons and seats
        assert!(streets("3 cours de gym, 1 place de parking").is_empty());
    }
}
