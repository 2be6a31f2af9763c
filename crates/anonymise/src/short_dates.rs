//! A day and a month written short, that the day-month pattern leaves to
//! the scores because nothing in the figures says « date » (« 2/12 »,
//! « 1/12 »: no zero, a day of one figure, a month a score could be out
//! of). Here the words glued to it say so:
//! - a relative day before it (« demain 2/12 », « hier 1/12 »): the word
//!   stays, the figures are the date;
//! - a weekday shortened to two letters, French or German (« Sa 28/11 »,
//!   « Ma. 1/12 », « Di. 1.12. »): the longer abbreviations are read by
//!   the patterns;
//! - a night or a stay across two months (« 30/11→1/12 », « nuit 1→2/12 »):
//!   a score keeps its denominator on both sides of the arrow (« 3/5→4/5 »),
//!   a date range crosses a month or follows a night.
//!
//! Muscle testing, pain scales and doses (« 4/5 », « EVA 6/10 ») have none
//! of these words before them.
use std::sync::OnceLock;

use regex::Regex;

use crate::calendar::date_cand;
use crate::dicts::fold;
use crate::Cand;

fn res() -> &'static [Regex; 3] {
    static R: OnceLock<[Regex; 3]> = OnceLock::new();
    R.get_or_init(|| {
        [
            // « demain 2/12 », « Sa 28/11 », « Di. 1.12. »
            Regex::new(
                r"(?i)\b(demain|apr[èe]s-demain|hier|avant-hier|aujourd['’]hui|(?-i:Lu|Ma|Me|Je|Ve|Sa|Di|Mo|Mi|Do|Fr|So)\.?)[^\S\n]+(\d{1,2})([/.])(\d{1,2})(\.)?",
            )
            .unwrap(),
            // « 30/11→1/12 », « 30/11 -> 1/12 »
            Regex::new(r"\b(\d{1,2})/(\d{1,2})[^\S\n]*(?:→|->)[^\S\n]*(\d{1,2})/(\d{1,2})\b")
                .unwrap(),
            // « nuit 1→2/12 », « nuit du 1→2/12 »
            Regex::new(r"(?i)\bnuit[^\S\n]+(?:du[^\S\n]+)?((\d{1,2})[^\S\n]*(?:→|->)[^\S\n]*(\d{1,2})/(\d{1,2}))\b")
                .unwrap(),
        ]
    })
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

fn day_month(d: u32, m: u32) -> bool {
    (1..=31).contains(&d) && (1..=12).contains(&m)
}

/// Whether a figure goes on right after the span (« 2/12/2026 » is read
/// whole elsewhere, « 1.12.5 » is a version, « 2/12,5 » a decimal).
fn goes_on(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    rest.starts_with(|c: char| c.is_ascii_digit())
        || rest.starts_with(['/', '.', ',', '%'])
            && rest[1..].starts_with(|c: char| c.is_ascii_digit())
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let [cued, across, night] = res();
    for c in cued.captures_iter(text) {
        let m = c.get(0).unwrap();
        let (d, mo) = (num(&c[2]), num(&c[4]));
        let dotted = &c[3] == ".";
        // the German form ends with its dot (« 1.12. »); a French weekday
        // is written with a slash (« 1.12 » after « Ma » is a decimal)
        let cue = fold(c[1].trim_end_matches('.'));
        let german = matches!(cue.as_str(), "mo" | "mi" | "do" | "fr" | "so" | "di");
        let figures_end = c.get(4).unwrap().end();
        if !day_month(d, mo) || dotted && c.get(5).is_none() || goes_on(text, figures_end) {
            continue;
        }
        // « Ma 1/12 » but not « Me 3.5 »: the dot is German, and only after its weekdays
        if dotted && !(german || cue == "sa") {
            continue;
        }
        // a relative day says which day but is a word of the sentence (« demain
        // 2/12 »: the figures are the date); a weekday is part of the date
        // (the weekdays are the two-letter cues, the relative days are longer)
        let relative = cue.chars().count() > 2;
        let start = if relative {
            c.get(2).unwrap().start()
        } else {
            m.start()
        };
        // the full stop after « 2/12. » ends the sentence; after « 1.12. » it is the date's
        let end = if dotted {
            m.end()
        } else {
            c.get(4).unwrap().end()
        };
        out.push(date_cand(text, (start, end), None, Some(mo), Some(d)));
    }
    for c in across.captures_iter(text) {
        let m = c.get(0).unwrap();
        let (d1, m1, d2, m2) = (num(&c[1]), num(&c[2]), num(&c[3]), num(&c[4]));
        let next_month = m2 == m1 % 12 + 1;
        if day_month(d1, m1) && day_month(d2, m2) && next_month && !goes_on(text, m.end()) {
            out.push(date_cand(
                text,
                (m.start(), m.end()),
                None,
                Some(m2),
                Some(d2),
            ));
        }
    }
    for c in night.captures_iter(text) {
        let g = c.get(1).unwrap();
        let (d1, d2, mo) = (num(&c[2]), num(&c[3]), num(&c[4]));
        if day_month(d2, mo) && d2 == d1 + 1 && !goes_on(text, g.end()) {
            out.push(date_cand(
                text,
                (g.start(), g.end()),
                None,
                Some(mo),
                Some(d2),
            ));
        }
    }
}
