//! A département, a region or a mountain massif named alone (« quelqu'un de
//! Seine-Maritime », « dans l'Allier », « en Ariège », « un trail dans le
//! Vercors », « kinés Nouvelle-Aquitaine »): it narrows where a patient or
//! a practitioner lives, and the development sets mark it as a town
//! (twenty-seven times alone in the older sets, against nine left in clear,
//! most of them in a group's or an insurer's name). A single word needs a
//! preposition of place before it, because several are common words or
//! rivers (« la Manche », « le Lot », « l'Aube »); a compound name
//! (« Hauts-de-France », « Seine-Maritime ») is no word and stands alone,
//! unless an acronym comes right before it (« CPAM Loire-Atlantique » is
//! the insurer, a kind of service every département has). « Nord » is a
//! direction too (« secteur Nord », « dans le Nord » as often a compass
//! point), « des » opens an event's name (« Tour des Vosges »).
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::fold;
use crate::territories::TERRITORIES;
use crate::{Cand, Info, Kind};

/// Massifs and natural regions a home or a trip is placed in, folded: a
/// hand-written list of well-known ones, written from general knowledge.
const MASSIFS: &[&str] = &[
    "vercors",
    "chartreuse",
    "morvan",
    "queyras",
    "cevennes",
    "aubrac",
    "oisans",
    "beaufortain",
    "devoluy",
    "trieves",
    "pays basque",
];

/// Territories that are also a direction or a meeting, never taken alone.
const NEVER_ALONE: &[&str] = &["nord", "reunion", "paris", "cher"];

fn place_name() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        // a capitalised word, hyphenated parts, and up to two more words
        // joined by « de », « de la », « d' » or a space (« Pays de la
        // Loire », « Côte d'Azur », « Pays basque »)
        let word = r"\p{Lu}[\p{L}]*(?:-[\p{L}]+(?:['’][\p{L}]+)?)*";
        Regex::new(&format!(
            r"^(?P<name>{word}(?:(?:[ \t]+(?:de[ \t]+la[ \t]+|de[ \t]+|d['’])?|[ \t]*d['’]|-)(?:{word}|basque)){{0,2}})"
        ))
        .expect("place name")
    })
}

fn preposition() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)(?:^|[\s(])(?:en|dans[ \t]+(?:le|la|les|l['’])|de[ \t]+la|de[ \t]+l['’]|du|de|d['’]|sur[ \t]+(?:le|la|l['’]))[ \t]*$",
        )
        .expect("preposition")
    })
}

fn key(s: &str) -> String {
    fold(&s.replace('’', "'"))
}

/// The longest prefix of the run (in words) that names a territory or a
/// massif: its length in bytes and whether it is a compound name.
fn longest(run: &str) -> Option<(usize, bool)> {
    let mut cuts: Vec<usize> = run
        .char_indices()
        .filter(|&(_, c)| c == ' ' || c == '\t')
        .map(|(i, _)| i)
        .collect();
    cuts.push(run.len());
    cuts.into_iter().rev().find_map(|end| {
        let k = key(&run[..end]);
        let known = TERRITORIES.contains(&k.as_str()) || MASSIFS.contains(&k.as_str());
        (known && !NEVER_ALONE.contains(&k.as_str())).then(|| (end, k.contains(['-', ' '])))
    })
}

/// Add each département, region or massif found alone as a town.
pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let mut added: Vec<Cand> = Vec::new();
    let mut past = 0;
    for (i, ch) in text.char_indices() {
        // each capitalised word that starts a word, past the last one taken
        // (« Kinés Auvergne-Rhône-Alpes » is read from « Auvergne »)
        if i < past || !ch.is_uppercase() {
            continue;
        }
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '-')
        {
            continue;
        }
        let Some(m) = place_name().find(&text[i..]) else {
            continue;
        };
        let Some((len, compound)) = longest(m.as_str()) else {
            continue;
        };
        let (s, e) = (i, i + len);
        let before = &text[..s];
        // the last words only: a long text is not read again for each name
        let near = before
            .char_indices()
            .rev()
            .nth(15)
            .map_or(before, |(k, _)| &before[k..]);
        let with_prep = preposition().is_match(near);
        if !with_prep {
            // a heading in capitals (« MARDOR (SAÔNE-ET-LOIRE) ») is left as
            // the sets leave it
            if !compound || !text[s..e].chars().any(|c| c.is_lowercase()) {
                continue;
            }
            // « CPAM Loire-Atlantique », « ARS Hauts-de-France »: the service
            let prev = before
                .trim_end_matches([' ', '\t'])
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if prev.chars().count() >= 2 && prev.chars().all(|c| c.is_uppercase()) {
                continue;
            }
        }
        if found.iter().any(|c| c.start < e && c.end > s) {
            continue;
        }
        past = e;
        added.push(Cand {
            start: s,
            end: e,
            kind: Kind::Ville,
            prio: 50,
            info: Info::None,
        });
    }
    found.extend(added);
    found.sort_by_key(|c| c.start);
    found
}
