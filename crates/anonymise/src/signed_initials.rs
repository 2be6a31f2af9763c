//! Initials that stand for a person: a signature of initials alone on its
//! line (« K. », « P. T., IDE », « H.B. – cadre de santé »), an initial that
//! closes an entry after a full stop or a dash (« revoir vendredi. J. »,
//! « – T. »), and a compound initial (« J.-P. », « M.-C. ») written before
//! a name or an initial the rules found, which goes in the same span.
//!
//! Transmissions, letters and e-mails are signed this way; the rules read
//! names by their words, and an initial alone has none. The layout is the
//! cue: nothing but initials on the line (or a role after them), or the end
//! of an entry. A signature's initials get a pseudonym of their own: they
//! cannot be linked to a name with any safety, and a shared letter would
//! merge two people.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::fold;
use crate::homonyms;
use crate::{Cand, Info, Kind};

/// One to three initials, each a capital and a full stop, a compound one
/// joined by a hyphen (« J.-M. », « L.-D. »), spaced or not.
const INITS: &str = r"\p{Lu}\.(?:-\p{Lu}\.)?(?:[ \u{a0}]?\p{Lu}\.(?:-\p{Lu}\.)?){0,2}";

/// Two or three initials (« C. V. », « J.-P. M. », « T.G. »): one alone
/// after a colon or in a cell is as often a list's mark or an answer.
const INITS2: &str = r"\p{Lu}\.(?:-\p{Lu}\.)?(?:[ \u{a0}]?\p{Lu}\.(?:-\p{Lu}\.)?){1,2}";

/// Initials where a name is written: after a label's colon at the end of
/// the line (« Rédaction : C. V. »), after a role of the care team before
/// a colon or the end of the line (« kiné T.G. : »), alone in a table's
/// cell (« | A. B. | 38 | »).
fn slot_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r"(?m)(?:\p{{L}}[ \t]*:[ \t]+({INITS2})[ \t]*$|\b(?i:kin[ée]|mk|ide[cl]?|as|aide-soignante?|ergo|orthophoniste|psychomotricienne?|di[ée]t[ée]ticienne?|m[ée]decin|interne|cadre|tuteur|tutrice|stagiaire)[ \t]+({INITS2})[ \t]*(?::|$)|\|[ \t]*({INITS2})[ \t]*\|)"
        ))
        .unwrap()
    })
}

/// Letters that sign no one: a postscript, a nota bene, an enclosure.
const NOT_SIGNATURES: &[&str] = &["ps", "nb", "pj", "cf", "ok"];

/// A line of initials only, after an optional dash, before an optional
/// role after a comma or a dash.
fn lone_line_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r"(?m)^[ \t]*(?:[–—-][ \t]*)?({INITS})[ \t]*(?:[,–—-][ \t]*([^\n]*?))?[ \t]*$"
        ))
        .unwrap()
    })
}

/// Initials at the end of a line after a full stop that ends a word of
/// four letters or more, a figure or a bracket (« jeudi. F. »), or after a
/// dash (« … mercredi. – S. »).
fn closing_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r"(?m)(?:(?:\p{{L}}{{4,}}|\d|\))[ \u{{a0}}\u{{202f}}]?[.!]|[ \t][–—])[ \t]+({INITS})[ \t]*$"
        ))
        .unwrap()
    })
}

/// Is the role written after a signature's initials one (« IDE »,
/// « cheffe de service »), not an age or a sentence (« 58 ans, maçon »)?
fn role_tail(tail: &str) -> bool {
    let word: String = tail
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-')
        .collect();
    let n = word.chars().count();
    n >= 2
        && (word.chars().next().is_some_and(char::is_lowercase)
            || n <= 5 && word.chars().all(char::is_uppercase))
}

/// The initials as letters only, folded (« P.-S. » → « ps »).
fn letters(s: &str) -> String {
    fold(&s.chars().filter(|c| c.is_alphabetic()).collect::<String>())
}

/// Is the span made of initials only (« C », « M.-C. V. »)?
fn initials_only(s: &str) -> bool {
    let mut prev_letter = false;
    for c in s.chars() {
        if c.is_alphabetic() {
            if prev_letter || !c.is_uppercase() {
                return false;
            }
            prev_letter = true;
        } else {
            prev_letter = false;
        }
    }
    s.chars().any(char::is_alphabetic)
}

/// The start of a compound initial written right before `at`: « M.-C »
/// where the rules found « C », « J.-M. Boucher » where they found
/// « Boucher ».
fn compound_before(text: &str, at: usize) -> usize {
    let head = &text[..at];
    let b = head.as_bytes();
    // a byte in capitals is a whole character: slicing there is safe
    let cap_at = |i: usize| b[i].is_ascii_uppercase();
    let free_before = |i: usize| {
        head[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '.' && c != '-')
    };
    let n = b.len();
    // « M.-C » : the rules' span starts on the second letter
    if n >= 3 && &b[n - 2..] == b".-" && cap_at(n - 3) && free_before(n - 3) {
        return n - 3;
    }
    // « J.-M. Boucher » : the compound initial then one space
    let trimmed = head.trim_end_matches([' ', '\u{a0}']);
    if trimmed.len() + 2 < n || trimmed.len() == n {
        return at;
    }
    let t = trimmed.as_bytes();
    let m = t.len();
    if m >= 5
        && t[m - 1] == b'.'
        && cap_at(m - 2)
        && &t[m - 4..m - 2] == b".-"
        && cap_at(m - 5)
        && free_before(m - 5)
    {
        return m - 5;
    }
    at
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    found.sort_by_key(|c| c.start);
    // compound initials before a name, then an initial and the name after
    // it in one span (« M.-C. V. » found as « C » and « V »)
    let mut prev_end = 0;
    for c in found.iter_mut() {
        if c.kind == Kind::Nom {
            let s = compound_before(text, c.start);
            if s >= prev_end {
                c.start = s;
            }
        }
        prev_end = prev_end.max(c.end);
    }
    let mut merged: Vec<Cand> = Vec::with_capacity(found.len());
    for c in found {
        if let Some(p) = merged.last_mut() {
            let gap = &text[p.end.min(c.start)..c.start];
            if p.kind == Kind::Nom
                && c.kind == Kind::Nom
                && p.end <= c.start
                && initials_only(&text[p.start..p.end])
                && gap.starts_with('.')
                && gap.len() <= 2
                && gap[1..].chars().all(|ch| ch == ' ')
            {
                let title = match &p.info {
                    Info::Person { title, .. } => *title,
                    _ => None,
                };
                p.end = c.end;
                p.info = c.info;
                if let Info::Person { title: t, .. } = &mut p.info {
                    *t = t.or(title);
                }
                continue;
            }
        }
        merged.push(c);
    }
    let mut found = merged;
    // signatures: a line of initials, or initials closing an entry
    let mut spans = Vec::new();
    for m in lone_line_re().captures_iter(text) {
        if m.get(2).is_none_or(|t| role_tail(t.as_str())) {
            spans.push(m.get(1).unwrap());
        }
    }
    for m in closing_re().captures_iter(text) {
        spans.push(m.get(1).unwrap());
    }
    let d = crate::dicts::Dicts::get();
    for c in slot_re().captures_iter(text) {
        let m = c.get(1).or(c.get(2)).or(c.get(3)).unwrap();
        // « AVC : P.T.H. »: a clinical abbreviation written with full stops
        let l = letters(m.as_str());
        if !d.allow.contains(&l) && !d.common.contains(&l) {
            spans.push(m);
        }
    }
    for m in spans {
        let (s, e) = (m.start(), m.end());
        if NOT_SIGNATURES.contains(&letters(m.as_str()).as_str()) {
            continue;
        }
        let over: Vec<usize> = (0..found.len())
            .filter(|&i| found[i].start < e && s < found[i].end)
            .collect();
        if over.iter().any(|&i| found[i].kind != Kind::Nom) {
            continue;
        }
        match over.first() {
            None => found.push(Cand {
                start: s,
                end: e,
                kind: Kind::Nom,
                prio: 60,
                info: Info::Person {
                    key: format!("{}initials|{}", homonyms::UNIQUE, letters(m.as_str())),
                    title: None,
                    patient: false,
                    carer: false,
                    aliases: Vec::new(),
                },
            }),
            Some(&first) => {
                let end = over.iter().map(|&i| found[i].end).max().unwrap_or(e).max(e);
                found[first].start = found[first].start.min(s);
                found[first].end = end;
                for &i in over[1..].iter().rev() {
                    found.remove(i);
                }
            }
        }
    }
    found.sort_by_key(|c| c.start);
    found
}
