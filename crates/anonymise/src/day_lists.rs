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
