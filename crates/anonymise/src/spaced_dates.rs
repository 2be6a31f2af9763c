//! Dates typed or scanned with spaces between their figures (« 1 4/ 10/2 026 »,
//! « 0 2 / 1 1 / 2 O 2 6 »), dates scanned with dots and letters for figures
//! (« O3.O6.l93O »), and a month cut by a space before its year
//! (« janv ier 2O27 »). A scan or a hurried typist writes them in any note;
//! the four figures of a year (1900 to 2100) and a valid day and month are
//! what tell them from a score (« Tinetti 1 8/28 ») or a dose (« 1 / 2 / 1 »).
use std::sync::OnceLock;

use regex::Regex;

use crate::calendar::{date_cand, month_number};
use crate::Cand;

/// A figure as a scan reads it: the letters O and l (or I) for 0 and 1.
const FIG: &str = "[0-9OlI]";

fn res() -> &'static [Regex; 3] {
    static R: OnceLock<[Regex; 3]> = OnceLock::new();
    R.get_or_init(|| {
        let two = format!("{FIG}(?: ?{FIG})?");
        let year = format!("{FIG}(?: ?{FIG}){{3}}");
        // a month's name with one space somewhere inside it
        let months = [
            "janvier",
            "février",
            "fevrier",
            "avril",
            "juillet",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
            "decembre",
        ];
        let cut: Vec<String> = months
            .iter()
            .flat_map(|m| {
                let cs: Vec<char> = m.chars().collect();
                (2..cs.len() - 1).map(move |i| {
                    let (a, b): (String, String) =
                        (cs[..i].iter().collect(), cs[i..].iter().collect());
                    format!("{a} {b}")
                })
            })
            .collect();
        [
            Regex::new(&format!(r"\b({two}) ?/ ?({two}) ?/ ?({year})\b")).unwrap(),
            Regex::new(&format!(r"\b({FIG}{FIG})\.({FIG}{FIG})\.({FIG}{{4}})\b")).unwrap(),
            Regex::new(&format!(r"(?i)\b({}) ({FIG}{{4}})\b", cut.join("|"))).unwrap(),
        ]
    })
}

/// The number the figures of `s` stand for, spaces left out.
pub(crate) fn figures(s: &str) -> Option<i32> {
    s.chars()
        .filter(|c| *c != ' ')
        .map(|c| match c {
            'O' => Some('0'),
            'l' | 'I' => Some('1'),
            c if c.is_ascii_digit() => Some(c),
            _ => None,
        })
        .collect::<Option<String>>()?
        .parse()
        .ok()
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let [spaced, dotted, cut] = res();
    let years = 1900..=2100;
    // spaces inside: the others are read by the patterns of plain dates;
    // dots: only with a letter for a figure, for the same reason
    let spaced = spaced.captures_iter(text).filter(|c| c[0].contains(' '));
    let dotted = dotted
        .captures_iter(text)
        .filter(|c| c[0].contains(['O', 'l', 'I']));
    for c in spaced.chain(dotted) {
        let m = c.get(0).unwrap();
        let (d, mo, y) = (figures(&c[1]), figures(&c[2]), figures(&c[3]));
        let (Some(d), Some(mo), Some(y)) = (d, mo, y) else {
            continue;
        };
        if (1..=31).contains(&d) && (1..=12).contains(&mo) && years.contains(&y) {
            let span = (m.start(), m.end());
            out.push(date_cand(
                text,
                span,
                Some(y),
                Some(mo as u32),
                Some(d as u32),
            ));
        }
    }
    for c in cut.captures_iter(text) {
        let m = c.get(0).unwrap();
        let mo = month_number(&c[1].replace(' ', ""));
        let Some(y) = figures(&c[2]).filter(|y| years.contains(y)) else {
            continue;
        };
        out.push(date_cand(text, (m.start(), m.end()), Some(y), mo, None));
    }
}
