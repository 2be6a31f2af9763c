//! A day and a month that could as well be a score (« 12/11 », « 10/12 »:
//! both figures between 10 and 12, no zero to say « month »), read as a
//! date only where the note says it is one: after a word that dates an
//! event (« sortie 12/12 », « entrée 11/12 », « ÉQUIPE DE JOUR 12/11 »), in
//! brackets after a weekday (« dimanche (12/10) »), in a list beside
//! another day and month (« 02/11, 05/11, 12/11 »), or alone in a table's
//! cell when other cells of the note hold dates of the same month. A
//! score's words (« Schober 12/10 », « séance 11/12 », « force 11/12 »)
//! are none of these; « 10/10 » is the scores' own and stays.
use std::sync::OnceLock;

use regex::Regex;

use crate::calendar::date_cand;
use crate::dicts::fold;
use crate::Cand;

/// Words that date the event after them: a stay's start and end, a shift.
const EVENT_CUES: &[&str] = &[
    "sortie",
    "entree",
    "retour",
    "admission",
    "arrivee",
    "depart",
    "jour",
    "nuit",
];

const WEEKDAYS: &[&str] = &[
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

fn res() -> &'static [Regex; 2] {
    static R: OnceLock<[Regex; 2]> = OnceLock::new();
    R.get_or_init(|| {
        [
            Regex::new(r"\b(1[0-2])/(1[0-2])\b").unwrap(),
            // any day and month in figures, to find a list's or a column's neighbours
            Regex::new(r"\b(?:[0-2]?\d|3[01])/(0?[1-9]|1[0-2])\b").unwrap(),
        ]
    })
}

/// Whether a cell of a table holds the span alone: a bar, a semicolon, a
/// tab, two spaces or the line's edge on both sides.
fn alone_in_cell(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    let after = text[end..].trim_start_matches(' ');
    let left =
        before.is_empty() || before.ends_with(['|', ';', '\t', '\n']) || start - before.len() >= 2;
    let right = after.is_empty()
        || after.starts_with(['|', ';', '\t', '\n'])
        || after.len() + 2 <= text.len() - end;
    left && right
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let [ambiguous, any] = res();
    for c in ambiguous.captures_iter(text) {
        let m = c.get(0).unwrap();
        let (s, e) = (m.start(), m.end());
        let (d, mo): (u32, u32) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
        let before = &text[..s];
        let rest = &text[e..];
        // a fraction, a third figure, a decimal: something else
        if d == 10 && mo == 10
            || before.ends_with(|c: char| c.is_ascii_digit() || matches!(c, '/' | '.' | ','))
            || rest.starts_with(['/', '%', '.', ','])
                && rest[1..].starts_with(|c: char| c.is_ascii_digit())
            || rest.starts_with(['/', '%'])
        {
            continue;
        }
        let lead = before.trim_end_matches([' ', '\u{a0}', ':']);
        let word: String = lead
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let cue = EVENT_CUES.contains(&fold(&word).as_str());
        let bracketed = lead.strip_suffix('(').is_some_and(|b| {
            let w = b.trim_end().rsplit([' ', '\n']).next().unwrap_or("");
            WEEKDAYS.contains(&fold(w).as_str())
        }) && rest.starts_with(')');
        // « 05/11, 09/11, 12/11 »: another day and month right before or after
        let listed = any.find_iter(before).last().is_some_and(|p| {
            matches!(before[p.end()..].trim(), "," | ";" | "et" | "-" | "–" | "—")
        }) || any
            .find(rest)
            .is_some_and(|n| matches!(rest[..n.start()].trim(), "," | ";" | "et"));
        let column = alone_in_cell(text, s, e)
            && any
                .captures_iter(text)
                .filter(|o| {
                    let g = o.get(0).unwrap();
                    g.start() != s
                        && o[1].parse::<u32>() == Ok(mo)
                        && alone_in_cell(text, g.start(), g.end())
                })
                .count()
                >= 2;
        if cue || bracketed || listed || column {
            out.push(date_cand(text, (s, e), None, Some(mo), Some(d)));
        }
    }
}
