//! Days listed after a weekday in the plural: « les lundis 23 et 30 »,
//! « mardis 4, 11 et 18 » (the days the same weekday falls on, the month
//! left to the context). Each day is replaced, not only the first: a day
//! left in clear beside its neighbours dates the visits as well. A count
//! after the list (« mardis 2 et 3 séances ») makes it no list of days.
use std::sync::OnceLock;

use regex::Regex;

use crate::calendar::date_cand;
use crate::dicts::fold;
use crate::Cand;

fn res() -> &'static [Regex; 2] {
    static R: OnceLock<[Regex; 2]> = OnceLock::new();
    R.get_or_init(|| {
        [
            Regex::new(r"(?i)\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s[ \u{a0}]+((?:1er|[0-3]?\d)(?:[ \u{a0}]*(?:,|et|&)[ \u{a0}]*(?:1er|[0-3]?\d)\b)+)").unwrap(),
            Regex::new(r"1er|\d+").unwrap(),
        ]
    })
}

/// What after the list makes its numbers a count, not days.
const COUNTS: &[&str] = &[
    "seances", "seance", "fois", "h", "min", "minutes", "heures", "ans", "mois", "jours",
    "semaines", "x", "series", "patients", "%",
];

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let [list, number] = res();
    for c in list.captures_iter(text) {
        let g = c.get(1).unwrap();
        let rest = text[g.end()..].trim_start_matches([' ', '\u{a0}']);
        let next: String = rest
            .chars()
            .take_while(|c| c.is_alphabetic() || *c == '%')
            .collect();
        if COUNTS.contains(&fold(&next).as_str()) || rest.starts_with(['/', ':', 'h']) {
            continue;
        }
        for n in number.find_iter(g.as_str()) {
            let d: u32 = n.as_str().trim_end_matches("er").parse().unwrap_or(0);
            if !(1..=31).contains(&d) {
                continue;
            }
            let start = g.start() + n.start();
            out.push(date_cand(
                text,
                (start, start + n.len()),
                None,
                None,
                Some(d),
            ));
        }
    }
}

/// A bare day's number, as a list writes all its days but the last.
fn bare_day(s: &str) -> bool {
    let n = s.strip_suffix("er").unwrap_or(s);
    !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit())
}

/// A weekday in the plural right before a list (« les mardis »).
fn weekdays_before() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s[ \u{a0}]+$")
            .unwrap()
    })
}

/// « 2 et 3 juin », « mardis 10, 17 et 24 nov. », « lundis 23 et 30 »: the
/// days of a list found one by one make one date, as « du 20 au 27 » makes
/// one period: the « et » and the commas between them, and the weekday in
/// the plural before them, are the date's words, and a list cut into its
/// days leaves them between the replacements. Every day but the last is a
/// bare number; the last may carry the month and the year.
pub(crate) fn join(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    found.sort_by_key(|c| c.start);
    let mut out: Vec<Cand> = Vec::with_capacity(found.len());
    // whether the last span of `out` is a list's head or a list joined so far
    let mut open = false;
    for c in found {
        let joins = open
            && c.kind == crate::Kind::Date
            && out.last().is_some_and(|p| {
                let gap = text[p.end..c.start].trim_matches([' ', '\u{a0}']);
                matches!(gap, "," | "et" | "&" | ", et")
            });
        if joins {
            let p = out.last_mut().unwrap();
            p.end = c.end;
            if let (crate::Info::Date(a), crate::Info::Date(b)) = (&mut p.info, &c.info) {
                a.y = a.y.or(b.y);
                a.m = a.m.or(b.m);
            }
            open = bare_day(&text[c.start..c.end]);
            continue;
        }
        open = c.kind == crate::Kind::Date && bare_day(&text[c.start..c.end]);
        let mut c = c;
        if open {
            // the weekday in the plural before the list's first day
            let from = out.last().map_or(0, |p| p.end);
            if let Some(m) = weekdays_before().find(&text[from..c.start]) {
                c.start = from + m.start();
            }
        }
        out.push(c);
    }
    out
}
