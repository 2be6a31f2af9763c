//! A postcode written in a record beside its own commune: a CSV row («
//! …;Abbeville;80100;… »), an HL7 segment (« ^^CONCARNEAU^^29900^FRA »), a
//! JSON object (« "cp": "29400", "ville": "Landivisiau" »), a list («
//! Champs-Romain (24 470) »). Exports and forms separate the fields with
//! marks a sentence does not use, so the postcode has no town after a
//! space to be read by. The pair is read from the five figures, to the
//! next word run on either side across marks only (or a field's name):
//! taken only when the national list gives that commune that very
//! postcode, so a count or a code beside a town stays. The commune is the
//! town where nothing was read there.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::fold;
use crate::{Cand, Info, Kind};

/// The longest commune name read, in words (« Saint-Jean de Luz »).
const MAX_WORDS: usize = 4;

/// Field names between a postcode and its commune in an export.
const FIELD_NAMES: &[&str] = &["ville", "commune", "city", "localite", "town", "cp"];

/// Five figures, or two and three apart (« 24 470 »), alone.
fn postcode() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\b\d{2} ?\d{3}\b").expect("postcode"))
}

/// A mark between two fields (never a letter, a figure or a stop).
fn is_mark(c: char) -> bool {
    matches!(
        c,
        ';' | '^'
            | '|'
            | ','
            | '"'
            | '('
            | ')'
            | ':'
            | '«'
            | '»'
            | '–'
            | '-'
            | '\t'
            | ' '
            | '\u{a0}'
    )
}

fn word_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '-' | '\'' | '’')
}

/// Starts of the word runs (one word to `MAX_WORDS`) ending at `end`,
/// shortest first.
fn runs_back(text: &str, end: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut at = end;
    for _ in 0..MAX_WORDS {
        let s = text[..at].trim_end_matches(word_char).len();
        if s == at {
            break;
        }
        starts.push(s);
        match text[..s].strip_suffix(' ') {
            Some(h) if h.ends_with(char::is_alphabetic) => at = s - 1,
            _ => break,
        }
    }
    starts
}

/// Ends of the word runs starting at `start`, shortest first.
fn runs_forward(text: &str, start: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut at = start;
    for _ in 0..MAX_WORDS {
        let e = at + (text[at..].len() - text[at..].trim_start_matches(word_char).len());
        if e == at {
            break;
        }
        ends.push(e);
        match text[e..].strip_prefix(' ') {
            Some(t) if t.starts_with(char::is_alphabetic) => at = e + 1,
            _ => break,
        }
    }
    ends
}

/// The commune run beside the postcode at `(s, e)`, the longest first.
fn commune_beside(text: &str, s: usize, e: usize, code: &str) -> Option<(usize, usize)> {
    let ok = |a: usize, b: usize| {
        let name = text[a..b].trim_matches(['-', '\'', '’']);
        name.chars().count() >= 2 && crate::places::has_postcode(&fold(name), code)
    };
    // before: marks only, then the words
    let head = text[..s].trim_end_matches(is_mark);
    if head.len() < s && s - head.len() <= 6 {
        if let Some(&a) = runs_back(text, head.len())
            .iter()
            .rev()
            .find(|&&a| ok(a, head.len()))
        {
            return Some((a, head.len()));
        }
    }
    // after: marks, an optional field name and marks, then the words
    let mut at = e + (text[e..].len() - text[e..].trim_start_matches(is_mark).len());
    if at == e || at - e > 6 {
        return None;
    }
    let field = text[at..]
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    if FIELD_NAMES.contains(&field.to_lowercase().as_str()) {
        let after = at + field.len();
        let next = after + (text[after..].len() - text[after..].trim_start_matches(is_mark).len());
        if next > after && next - after <= 6 {
            at = next;
        }
    }
    runs_forward(text, at)
        .iter()
        .rev()
        .find(|&&b| ok(at, b))
        .map(|&b| (at, b))
}

/// Add the postcodes written beside their commune, and that commune as the
/// town where no span lies over it.
pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let mut added = Vec::new();
    for m in postcode().find_iter(text) {
        let (s, e) = (m.start(), m.end());
        // part of a longer number (« 06 32 15 80 07 », « 1 59 11 29 151 »)
        let glued_before = text[..s]
            .trim_end_matches([' ', '.'])
            .ends_with(|c: char| c.is_ascii_digit())
            && text[..s].len() - text[..s].trim_end_matches([' ', '.']).len() <= 1;
        let glued_after = text[e..]
            .trim_start_matches([' ', '.'])
            .starts_with(|c: char| c.is_ascii_digit())
            && text[e..].len() - text[e..].trim_start_matches([' ', '.']).len() <= 1;
        if glued_before || glued_after || found.iter().any(|p| p.start < e && p.end > s) {
            continue;
        }
        let code: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        let Some((a, b)) = commune_beside(text, s, e, &code) else {
            continue;
        };
        added.push(Cand {
            start: s,
            end: e,
            kind: Kind::CodePostal,
            prio: 58,
            info: Info::None,
        });
        if !found.iter().any(|p| p.start < b && p.end > a) {
            added.push(Cand {
                start: a,
                end: b,
                kind: Kind::Ville,
                prio: 58,
                info: Info::None,
            });
        }
    }
    found.extend(added);
    found.sort_by_key(|c| c.start);
    found
}
