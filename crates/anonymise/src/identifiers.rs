//! What follows a file number once found: its further groups (« n° 62 25 A
//! 000 9912 », « 83 25 04 02 G 117 », « KIN 2025 / 10 / 88 »), where a
//! letter or a slash stands between groups of figures, and the numbers of
//! the same shape listed after it (« factures n° 2025-07-114 à 2025-08-203 »,
//! « (n° 2025/LB/04, 2025/LB/05) »). A number cut after its first groups
//! leaves the rest of it readable.
use std::sync::OnceLock;

use regex::Regex;

use crate::{Cand, Kind};

/// One more group: a separator (a space, a slash, a dot, an underscore, a
/// dash, a spaced dash), capitals perhaps, then figures: « ME-33-11.275 »,
/// « 26-0493-AT/77 », « PREV/IJ – 87 – 2025 – 3314 »; after a spaced dash
/// figures only (« – VEMS 38 %», « – IPP 0033 » are other fields).
fn group() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"^(?:(?:[ \u{a0}]*/[ \u{a0}]*|[ \u{a0}._\-])(?:[A-Z]{1,5}(?:[ \u{a0}]*/[ \u{a0}]*|[ \u{a0}_\-]))?#?|[ \u{a0}]+[–—-][ \u{a0}]+)\d[0-9A-Za-z]*",
        )
        .expect("identifier group")
    })
}

/// The last group may be capitals alone: « … / AUTO », « … 301 C ».
fn last_letters() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^(?:[ \u{a0}]*/[ \u{a0}]*[A-Z]{2,5}|[ \u{a0}][A-Z])\b").expect("last letters")
    })
}

/// A number listed after another: « , », « à », « au », « et », or the
/// next after an arrow (« UF 4210 → 4630 »).
fn sibling() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"^[ \u{a0}]*(?:,|à|au|et|→|->)[ \u{a0}]+([0-9A-Za-z][0-9A-Za-z/.\-]*[0-9A-Za-z])",
        )
        .expect("sibling")
    })
}

/// Figures as 9, letters as A, the rest as written.
fn shape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                '9'
            } else if c.is_alphabetic() {
                'A'
            } else {
                c
            }
        })
        .collect()
}

fn is_number(c: &Cand) -> bool {
    matches!(c.kind, Kind::NumeroDossier | Kind::Rpps | Kind::Adeli)
}

/// Extend each file number over its further groups, and add the numbers of
/// its shape listed after it; another span found in the way stops it.
pub(crate) fn extend(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    found.sort_by_key(|c| c.start);
    let mut out = Vec::with_capacity(found.len());
    // the listed numbers replace what found them in part
    let mut listed_to = 0;
    for (i, c) in found.iter().enumerate() {
        if c.start < listed_to {
            continue;
        }
        if c.kind != Kind::NumeroDossier {
            out.push(c.clone());
            continue;
        }
        let later = &found[i + 1..];
        let c = grown(
            text,
            c.clone(),
            later.first().map_or(text.len(), |n| n.start),
        );
        let listed = listed_after(text, &c, later);
        listed_to = listed.last().map_or(0, |l| l.end);
        out.push(c);
        out.extend(listed);
    }
    out
}

/// The number with its further groups, up to the next span found.
fn grown(text: &str, mut c: Cand, limit: usize) -> Cand {
    c.end = grown_end(text, c.end, limit);
    c
}

/// Where a number ending at `end` ends with its further groups, not past
/// `limit`.
pub(crate) fn grown_end(text: &str, mut end: usize, limit: usize) -> usize {
    while let Some(m) = group().find(&text[end..]) {
        let next = end + m.end();
        // « dossier 2025-114 15 séances »: a small count apart, before its noun
        let rest = &text[next..];
        let token = m
            .as_str()
            .trim_start_matches([' ', '\u{a0}', '–', '—', '-', '.', '_', '/']);
        let counted = token.len() <= 3
            && token.chars().all(|c| c.is_ascii_digit())
            && rest
                .strip_prefix([' ', '\u{a0}'])
                .is_some_and(|r| r.starts_with(char::is_lowercase));
        // « 14/08 19h02 »: a time of day is no group of a number
        let last = token.rsplit([' ', '\u{a0}', '/']).next().unwrap_or("");
        let time = last.split_once(['h', 'H']).is_some_and(|(h, mn)| {
            h.len() <= 2 && mn.len() <= 2 && mn.chars().all(|c| c.is_ascii_digit())
        });
        if next > limit
            || counted
            || time
            || rest.starts_with(['/', ':', ',', '.', 'h'])
                && rest[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            break;
        }
        end = next;
    }
    if let Some(m) = last_letters().find(&text[end..]) {
        if end + m.end() <= limit {
            end += m.end();
        }
    }
    end
}

/// The numbers of the same shape listed right after `c`, as long as no
/// other kind of span stands in the way.
fn listed_after(text: &str, c: &Cand, later: &[Cand]) -> Vec<Cand> {
    let model = shape(&text[c.start..c.end]);
    let mut tail = c.end;
    let mut listed = Vec::new();
    while let Some(g) = sibling().captures(&text[tail..]).and_then(|k| k.get(1)) {
        let (s, e) = (tail + g.start(), tail + g.end());
        // a year read inside it (« 2025/LB/05 ») is part of it
        let in_the_way = |n: &Cand| n.start < e && !is_number(n) && (n.start < s || n.end > e);
        if shape(g.as_str()) != model || later.iter().any(in_the_way) {
            break;
        }
        listed.push(Cand {
            start: s,
            end: e,
            ..c.clone()
        });
        tail = e;
    }
    listed
}
