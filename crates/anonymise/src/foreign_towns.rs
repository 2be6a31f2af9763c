//! Towns abroad (« né à Bamako », « sa nièce vient de Liège »): the list of
//! communes holds French ones only, and a town abroad is as identifying.
//! A name of `data/villes_etrangeres.txt` (GeoNames, towns of 15 000
//! inhabitants or more) is taken only right after a preposition of place,
//! « à », « vers », « depuis », or « de » after a word of origin (« vient
//! de », « originaire de »; « critères de Seattle » is a score), and never
//! when the words are clinical vocabulary: alone, many of those names are surnames, first
//! names or words (« Florence », « Victoria »).
use crate::dicts::{fold, Dicts};
use crate::propers::{before, covered, words, Before};
use crate::{Cand, Info, Kind};

/// Below every rule's own candidates.
const PRIO: u8 = 5;

/// The longest town name read, in words (« Chipping Norton », « Rio de Janeiro »).
const MAX_WORDS: usize = 4;

/// Words after which « de » tells where someone comes from (folded
/// stems: « vient », « revenue », « rentré », « originaire »…).
const ORIGIN: &[&str] = &[
    "vien", "revien", "venu", "revenu", "rentr", "arriv", "retour", "origin", "nati", "proven",
    "rapatri", "part", "sorti", "evacu",
];

/// « de » (or « d' ») right before `at`, after a word of origin (« vient
/// de Liège », « originaire d'Anvers »), never after the head of an
/// eponym or a score (« critères de Seattle », « modèle de Seattle »).
fn from_place(text: &str, at: usize) -> bool {
    let head = &text[..at];
    let Some(rest) = head
        .strip_suffix("de ")
        .or_else(|| head.strip_suffix("d'"))
        .or_else(|| head.strip_suffix("d’"))
    else {
        return false;
    };
    if rest.ends_with(char::is_alphanumeric) {
        return false;
    }
    let prev = rest
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let prev = fold(prev);
    ORIGIN.iter().any(|o| prev.starts_with(o))
}

/// « habiter » right before `at` without its preposition (« habite Irun »,
/// « ils habitent Bilbao »): the verb takes the place as its object.
/// Not « habitude » nor « habituel ».
fn dwelling_verb(text: &str, at: usize) -> bool {
    let Some(head) = text[..at].strip_suffix(' ') else {
        return false;
    };
    let prev = head
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let prev = fold(prev);
    prev.starts_with("habit") && !prev.starts_with("habitu") && !prev.starts_with("habitat")
}

/// A postcode of four figures right before `at` (« 4000 Liège », « 1030
/// Schaerbeek (Belgique) », « CH-1201 Genève », « L-1855 Luxembourg »):
/// Belgium, Switzerland and Luxembourg number their towns so, and a year
/// before a town of the list is rare.
fn postcode_abroad(text: &str, at: usize) -> bool {
    let Some(head) = text[..at].strip_suffix(' ') else {
        return false;
    };
    let rest = head.trim_end_matches(|c: char| c.is_ascii_digit());
    if head.len() - rest.len() != 4 || head[rest.len()..].starts_with('0') {
        return false;
    }
    let rest = ["B-", "BE-", "CH-", "L-"]
        .iter()
        .find_map(|p| rest.strip_suffix(p))
        .unwrap_or(rest);
    rest.is_empty() || rest.ends_with([' ', '\n', '\t', ',', '(', '\u{a0}'])
}

/// Adds the towns abroad that stand after a preposition of place.
pub(crate) fn detect(text: &str, found: Vec<Cand>) -> Vec<Cand> {
    let d = Dicts::get();
    let covered = covered(text, &found);
    let words = words(text);
    let free_capital = |j: usize| {
        let (a, b) = words[j];
        text[a..b].chars().next().is_some_and(char::is_uppercase) && !covered[a..b].contains(&true)
    };
    let mut more = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let s = words[i].0;
        let cued = free_capital(i)
            && (before(text, s) == Before::Place
                || before(text, s) == Before::Other && from_place(text, s)
                || before(text, s) == Before::Other && dwelling_verb(text, s)
                || postcode_abroad(text, s));
        if !cued {
            i += 1;
            continue;
        }
        // the longest run of capitalised words, joined by one space or
        // « de », that the list has (« Rio de Janeiro »)
        let town = (1..=MAX_WORDS).rev().find_map(|n| {
            let last = i + n - 1;
            if last >= words.len() {
                return None;
            }
            let e = words[last].1;
            let joined = (i + 1..=last)
                .all(|j| matches!(&text[words[j - 1].1..words[j].0], " " | " de " | " do "));
            let capitals = (i..=last).filter(|&j| free_capital(j)).count();
            let f = fold(&text[s..e]);
            let clinical = f
                .split([' ', '-'])
                .any(|w| d.allow.contains(w) || d.stop.contains(w));
            (joined
                && free_capital(last)
                && capitals >= n.div_ceil(2)
                && !clinical
                && d.foreign_towns.contains(&f))
            .then_some((e, n))
        });
        match town {
            Some((e, n)) => {
                more.push(Cand {
                    start: s,
                    end: e,
                    kind: Kind::Ville,
                    prio: PRIO,
                    info: Info::None,
                });
                i += n;
            }
            None => i += 1,
        }
    }
    if more.is_empty() {
        return found;
    }
    let mut out = found;
    out.extend(more);
    out.sort_by_key(|c| c.start);
    out
}

#[cfg(test)]
mod tests {
    use crate::{Anonymiser, Kind};

    fn towns(text: &str) -> Vec<String> {
        Anonymiser::new()
            .with_detector(None)
            .detect(text)
            .into_iter()
            .filter(|s| s.kind == Kind::Ville)
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn a_town_abroad_after_a_preposition_of_place_is_a_town() {
        assert_eq!(
            towns("Consultation de télémédecine prévue à Ouagadougou, avec son frère."),
            ["Ouagadougou"]
        );
        assert_eq!(
            towns("Sa sœur revient de Rotterdam pour les fêtes."),
            ["Rotterdam"]
        );
        assert_eq!(
            towns("Suivi repris après son retour depuis Kuala Lumpur."),
            ["Kuala Lumpur"]
        );
        assert_eq!(
            towns("Elle est originaire d'Antananarivo."),
            ["Antananarivo"]
        );
    }

    #[test]
    fn a_town_abroad_after_its_postcode_is_a_town() {
        assert_eq!(
            towns("Adresse : 27 rue Haute, 4000 Liège, chez sa sœur."),
            ["Liège"]
        );
        assert_eq!(
            towns("Domicile : 1030 Schaerbeek (Belgique)\nTél. fixe"),
            ["Schaerbeek"]
        );
    }

    #[test]
    fn a_town_abroad_that_names_a_score_or_stands_alone_is_kept() {
        // a score named after a town, a first name that is also a town
        assert_eq!(
            towns("Critères de Seattle respectés, ECG normal, Florence rappellera."),
            Vec::<String>::new()
        );
        assert_eq!(
            towns("Il évoque le modèle de Seattle pour le pronostic."),
            Vec::<String>::new()
        );
    }
}
