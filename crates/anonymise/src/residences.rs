//! A residence or an estate named by its head, its article and its name,
//! in whatever case a hurried note types it, with the building and the
//! number of the house in it: « rés les lilas bat b », « RES LES MOUETTES
//! BAT C », « résid. Le Parc », « lot. Les Genêts, n° 17 », « lotissement
//! le Clos Gérard, 14 ». The article after the head is what makes « lot. »
//! an estate and not a drug's batch (« lot. 4471B »). What follows (the
//! stair, the floor, the flat) is joined by `addresses::extend`.
use std::sync::LazyLock;

use regex::Regex;

use crate::{Cand, Info, Kind};

/// The head and its article, then the first word of the name. Not
/// « résidence » written whole: it is as often a home's name (« résidence
/// les jardins de l'oise »), which the establishments read.
static HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:r[ée]s\.?|r[ée]sid\.|lot\.|lotissement)[ \t]+(?:les|le|la|l['’])[ \t]*(\p{L}[\p{L}'’-]+)")
        .expect("residence head")
});

/// One more word of the name, capitalised or in capitals (« Le Clos Fleuri »).
static MORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]+\p{Lu}[\p{L}'’-]+").expect("residence name"));

/// The building (« bat b », « bât. C », « bâtiment 4 ») or, in an estate,
/// the house's number after a comma (« , n° 17 », « , 14 bis »).
static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[ \t]*,?[ \t]*b[âa]t(?:iment)?\.?[ \t]*(?:[a-z]|\d{1,2})\b|[ \t]*,[ \t]*(?:n[°o][ \t]*)?\d{1,4}(?:[ \t]?(?:bis|ter))?\b)")
        .expect("residence building")
});

/// Words that end a name in lower case: the building, the stair, the door,
/// a preposition.
const STOPS: &[&str] = &[
    "bat",
    "bât",
    "bâtiment",
    "batiment",
    "esc",
    "escalier",
    "appt",
    "app",
    "porte",
    "a",
    "à",
    "au",
    "de",
    "du",
    "des",
    "et",
    "chez",
    "pour",
    "avec",
];

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    for c in HEAD.captures_iter(text) {
        let (m, first) = (c.get(0).unwrap(), c.get(1).unwrap());
        if STOPS.contains(&first.as_str().to_lowercase().as_str()) {
            continue;
        }
        let mut end = first.end();
        // a name in lower case is one word (« rés les lilas »), one with a
        // capital may have two more (« RES LES MOUETTES », « Le Clos Fleuri »)
        if first.as_str().starts_with(char::is_uppercase) {
            for _ in 0..2 {
                let Some(w) = MORE.find(&text[end..]) else {
                    break;
                };
                let word = w.as_str().trim_start().to_lowercase();
                if STOPS.contains(&word.trim_end_matches('.')) {
                    break;
                }
                end += w.end();
            }
        }
        // a name that goes on with a particle (« rés. Les Jardins de la
        // Vire ») is longer than these words can tell
        let next: String = text[end..]
            .chars()
            .take(4)
            .collect::<String>()
            .to_lowercase();
        if [" de ", " du ", " des", " d'", " d’"]
            .iter()
            .any(|p| next.starts_with(p))
        {
            continue;
        }
        let estate = m.as_str().to_lowercase().starts_with("lot");
        let mut after = None;
        if let Some(a) = AFTER.find(&text[end..]) {
            let building = a.as_str().to_lowercase().contains("bat")
                || a.as_str().to_lowercase().contains("bât");
            // the house's number belongs to an estate, not to a residence
            // (« rés. Les Lilas, 12 rue… » has its street's number)
            if building || estate && !street_head(&text[end + a.end()..]) {
                after = Some((end + a.start(), end + a.end()));
            }
        }
        if estate {
            // an estate is never an establishment: its name and the house's
            // number are one address
            push(out, m.start(), after.map_or(end, |a| a.1), 66);
            continue;
        }
        // « rés. les Coquelicots » may be a home for the elderly, which the
        // establishments read: the name yields to them (below their 63),
        // the building is the door's and is taken whatever they read (above
        // the capitals read as a home, « Terrasses bat D », at 66)
        push(out, m.start(), end, 58);
        if let Some((s, e)) = after {
            let s = s + text[s..e].len() - text[s..e].trim_start_matches([' ', '\t', ',']).len();
            push(out, s, e, 67);
        }
    }
}

fn push(out: &mut Vec<Cand>, start: usize, end: usize, prio: u8) {
    out.push(Cand {
        start,
        end,
        kind: Kind::Adresse,
        prio,
        info: Info::None,
    });
}

/// Whether a street's head comes next (« , 12 rue des Lilas »): the number
/// is then the street's.
fn street_head(rest: &str) -> bool {
    let word: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    matches!(
        word.as_str(),
        "rue"
            | "r"
            | "avenue"
            | "av"
            | "bd"
            | "boulevard"
            | "chemin"
            | "route"
            | "rte"
            | "impasse"
            | "allée"
            | "place"
            | "quai"
            | "cours"
            | "square"
    )
}
