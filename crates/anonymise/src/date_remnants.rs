//! What is left of a date when the writer masked or shortened part of it:
//! a birth date with its day masked (« née le **/06/1985 », « XX/03/1950 »:
//! the month and the year still say who), a sports season in two figures
//! (« saison 25/26 », « saison 2025/26 »). The year is what identifies; it
//! goes with the rest.
use std::sync::OnceLock;

use regex::Regex;

use crate::calendar::date_cand;
use crate::Cand;

fn res() -> &'static [Regex; 2] {
    static R: OnceLock<[Regex; 2]> = OnceLock::new();
    R.get_or_init(|| {
        [
            Regex::new(r"(?:\*\*|XX|xx|__|\?\?|##)[/.\-](0[1-9]|1[0-2])[/.\-]((?:19|20)\d{2})\b")
                .unwrap(),
            Regex::new(r"(?i)\bsaison[ \u{a0}]+((?:19|20)?(\d{2})[/\-](?:19|20)?(\d{2}))\b")
                .unwrap(),
        ]
    })
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let [masked, season] = res();
    for c in masked.captures_iter(text) {
        let m = c.get(0).unwrap();
        let (mo, y) = (c[1].parse().ok(), c[2].parse().ok());
        out.push(date_cand(text, (m.start(), m.end()), y, mo, None));
    }
    for c in season.captures_iter(text) {
        let g = c.get(1).unwrap();
        // two years that follow each other: « 25/26 », not a score « 12/20 »
        let (a, b): (i32, i32) = (c[2].parse().unwrap_or(0), c[3].parse().unwrap_or(0));
        if (a + 1) % 100 == b {
            let y = if a <= 50 { 2000 + a } else { 1900 + a };
            out.push(date_cand(text, (g.start(), g.end()), Some(y), None, None));
        }
    }
}
