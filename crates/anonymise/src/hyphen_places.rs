//! Places that a hyphen or a head of lieu-dit joins to a commune the other
//! passes read only in part, or not at all:
//! - two communes joined by a hyphen, a route or a round (« tournée
//!   Matoury-Cayenne », « navette Lyon-Grenoble »): the commune matcher
//!   wants a word's end after a name, and the hyphen is none, so neither
//!   was read; each part is a commune of its own;
//! - a commune whose name goes on after a hyphen (« Saint-Georges-de-l'Oyapock »,
//!   a longer or older form than the list's « Saint-Georges »): the rest of
//!   the hyphenated word is the same name;
//! - a hamlet or an écart named after its commune by a head of the land
//!   (« Piton Sainte-Rose », « Morne Sainte-Marie », « Ravine Saint-Leu »):
//!   the head is the hamlet's name, the words of Réunion and the Antilles.
use crate::dicts::{fold, Dicts};
use crate::places::place;
use crate::propers::{covered, words};
use crate::{Cand, Kind};

/// Heads that open the name of a hamlet or an écart of Réunion, the
/// Antilles and Guyane before a commune's name (written for this crate
/// from the generic terms of their toponymy: a peak, a hill, a cove, a
/// ravine, a small plateau, an arm of a river, a hollow, a point).
const HEADS: &[&str] = &[
    "piton", "morne", "anse", "ravine", "ilet", "bras", "fond", "trou", "pointe", "plaine",
];

/// The small words that join the parts of a compound place name: French
/// (« -à-Pitre », « -ès-Bret », « -lez- »), and Corsican « di », « da »
/// (« Ville-di-Pietrabugno »).
const PARTICLES: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "l", "d", "sur", "sous", "en", "et", "aux", "au", "lez",
    "a", "es", "di", "da",
];

/// A part of a hyphenated word that names a commune alone: capitalised,
/// four letters or more, no common word nor first name (« Jean-Luc »,
/// « Grand-Mère » are no pair of places).
fn commune_part(d: &Dicts, part: &str) -> bool {
    let f = fold(part);
    part.chars().next().is_some_and(char::is_uppercase)
        && part.chars().count() >= 4
        && part.chars().all(char::is_alphabetic)
        && d.communes.get(&f).is_some_and(|e| !e.word)
        && !d.common.contains(&f)
        && !d.first_names.contains_key(&f)
        && !d.allow.contains(&f)
        && !d.stop.contains(&f)
}

/// Two or more communes joined by hyphens in a word nobody found.
fn pairs(text: &str, found: &[Cand], more: &mut Vec<Cand>) {
    let d = Dicts::get();
    let covered = covered(text, found);
    for (s, e) in words(text) {
        let word = &text[s..e];
        if !word.contains('-') || covered[s..e].contains(&true) {
            continue;
        }
        // a commune of the list whole (« Saint-Malo ») is the matcher's
        if d.communes.contains_key(&fold(word)) {
            continue;
        }
        // the word's end must be one: « Matoury-Cayenne' » is an elision's
        let next = text[e..].chars().next();
        if next.is_some_and(|c| c == '\'' || c == '’' || c.is_alphanumeric()) {
            continue;
        }
        let parts: Vec<&str> = word.split('-').collect();
        if parts.len() < 2 || !parts.iter().all(|p| commune_part(d, p)) {
            continue;
        }
        let mut at = s;
        for p in parts {
            more.push(place(at, at + p.len(), 60));
            at += p.len() + 1;
        }
    }
}

/// The rest of a hyphenated place name right after `end` (« -de-l'Oyapock »):
/// its length, when it is made of joining words and capitalised words and
/// ends on a capitalised one.
fn continuation(text: &str, end: usize) -> Option<usize> {
    let rest = text[end..].strip_prefix('-')?;
    let len = rest
        .find(|c: char| !(c.is_alphabetic() || matches!(c, '-' | '\'' | '’')))
        .unwrap_or(rest.len());
    let tail = &rest[..len];
    let pieces: Vec<&str> = tail.split(['-', '\'', '’']).collect();
    let last = pieces.last()?;
    if !last.chars().next().is_some_and(char::is_uppercase) || last.chars().count() < 3 {
        return None;
    }
    let ok = pieces.iter().all(|p| {
        PARTICLES.contains(&fold(p).as_str()) || p.chars().next().is_some_and(char::is_uppercase)
    });
    // a joining word first: « Saint-Georges-de-… », never a second name
    // (« Brest-Quimper » is two communes, the pairs' business)
    let first = pieces
        .first()
        .is_some_and(|p| PARTICLES.contains(&fold(p).as_str()));
    (ok && first && pieces.len() >= 2).then_some(len + 1)
}

/// A head of lieu-dit, capitalised, one space before `start`: its start.
fn head_before(text: &str, start: usize) -> Option<usize> {
    let head = text[..start].strip_suffix(' ')?;
    let s = head.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| {
        i + head[i..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &head[s..];
    (word.chars().next().is_some_and(char::is_uppercase) && HEADS.contains(&fold(word).as_str()))
        .then_some(s)
}

pub(crate) fn detect(text: &str, found: Vec<Cand>) -> Vec<Cand> {
    let d = Dicts::get();
    let mut more = Vec::new();
    pairs(text, &found, &mut more);
    let covered = covered(text, &found);
    for c in &found {
        let town = c.kind == Kind::Ville
            || c.kind == Kind::Nom && d.communes.contains_key(&fold(&text[c.start..c.end]));
        if !town {
            continue;
        }
        let mut end = c.end;
        if c.kind == Kind::Ville {
            if let Some(len) = continuation(text, c.end) {
                if !covered[c.end..c.end + len].contains(&true) {
                    end = c.end + len;
                }
            }
        }
        // the head free, or read alone as a place (« à Piton Saint-Leu »)
        let head_alone = |s: usize| {
            found
                .iter()
                .any(|f| f.kind == Kind::Ville && f.start == s && f.end + 1 == c.start)
        };
        let start = head_before(text, c.start)
            .filter(|&s| !covered[s..c.start].contains(&true) || head_alone(s))
            .unwrap_or(c.start);
        if (start, end) != (c.start, c.end) {
            more.push(place(start, end, c.prio.max(60).saturating_add(1)));
        }
    }
    crate::with_added(text, found, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rest_of_a_hyphenated_name() {
        let t = "Saint-Paul-de-l'Anse, ici";
        assert_eq!(
            continuation(t, "Saint-Paul".len()),
            Some("-de-l'Anse".len())
        );
        // a second name is no continuation
        assert_eq!(continuation("Brest-Quimper", 5), None);
        // a common word after the joining word is none either
        assert_eq!(continuation("Lyon-de-nuit", 4), None);
    }

    #[test]
    fn a_head_of_lieu_dit_before() {
        let t = "écart de Morne Saint-Paul";
        assert_eq!(head_before(t, t.find("Saint").unwrap()), t.find("Morne"));
        let t = "le morne Saint-Paul";
        assert_eq!(head_before(t, t.find("Saint").unwrap()), None);
    }
}
