//! Identifiers of fixed formats written in their less common variants:
//! e-mail addresses disguised against robots (« jean.dupont[at]gmail.com »,
//! « jean . dupont @ free . fr »), a handle named after its platform
//! (« compte TikTok : lea.kine »), an IBAN typed in lower case, a postcode
//! split like a number (« 29 200 Brest »). Each keeps the kind of its
//! common form: disguising an address does not make it anonymous.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};
use crate::patterns::push;
use crate::{Cand, Kind};

/// The words that stand for « @ » and « . » when an address is disguised.
fn disguised_email() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)\b[\p{L}\p{N}][\p{L}\p{M}\p{N}._%+-]*[^\S\n]*(?:\[(?:at|arobase)\]|\((?:at|arobase)\)|\{at\}|[^\S\n]@[^\S\n]|@[^\S\n]|[^\S\n]@)[^\S\n]*[\p{L}\p{M}\p{N}-]+(?:[^\S\n]*(?:\.|\[(?:dot|point)\]|\((?:dot|point)\))[^\S\n]*[\p{L}\p{M}\p{N}-]+)*[^\S\n]*(?:\.|\[(?:dot|point)\]|\((?:dot|point)\))[^\S\n]*(?:fr|com|net|org|eu|be|ch|info|io|re|lu|ca)\b",
        )
        .unwrap()
    })
}

/// A local part split by spaces before the « @ » (« jean . dupont @ … »):
/// the words glued by dots count as one address.
fn spaced_local_part() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)[a-z0-9_-]+(?:[^\S\n]?\.[^\S\n]?[a-z0-9_-]+)+[^\S\n]*$").unwrap()
    })
}

fn emails(text: &str, out: &mut Vec<Cand>) {
    for m in disguised_email().find_iter(text) {
        let mut start = m.start();
        if let Some(l) = spaced_local_part().find(&text[..start + local_len(m.as_str())]) {
            start = start.min(l.start());
        }
        // above the domain a disguised address ends with, taken for a web address
        push(out, start, m.end(), Kind::Email, 96);
    }
}

/// The length of the address's local part: up to its first disguised « @ ».
fn local_len(s: &str) -> usize {
    let f = s.to_lowercase();
    ["[at]", "(at)", "{at}", "[arobase]", "(arobase)", "@"]
        .iter()
        .filter_map(|k| f.find(k))
        .min()
        .unwrap_or(0)
}

/// A platform's name, then its handle: « compte TikTok : lea.kine »,
/// « (Insta : kine_du_72) ». A handle holds a dot, an underscore or a digit,
/// or is a word in lower case the language lacks after a colon: a plain
/// word after the platform is prose.
fn platform_handles(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?i)\b(?:instagram|insta|tiktok|tik tok|twitter|snapchat|snap|facebook|fb|linkedin|discord|telegram|twitch|youtube|threads|bluesky|mastodon|pseudo|identifiant)\b[^\S\n]*(?:(:)[^\S\n]*|[^\S\n]+)@?([\p{L}\d][\p{L}\d_.]{1,29}[\p{L}\d_])").unwrap()
    });
    for c in re.captures_iter(text) {
        let h = c.get(2).unwrap();
        let s = h.as_str();
        let marked = s.contains(['.', '_']) || s.chars().any(|ch| ch.is_ascii_digit());
        // after a colon, a word in lower case that the language lacks; a
        // capitalised one may be the person's name, which the name passes take
        let bare = c.get(1).is_some()
            && !s.chars().any(char::is_uppercase)
            && !Dicts::get().common.contains(&fold(s));
        if marked || bare {
            push(out, h.start(), h.end(), Kind::Pseudo, 78);
        }
    }
}

/// An IBAN in lower case after its cue (« iban fr76 3000 … »): the same
/// shape as the upper-case one, checked by its key or by the cue.
fn lower_case_iban(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?i)\b(?:iban|rib)\b[^\S\n]*:?[^\S\n]*([a-z]{2}\d{2}(?:[^\S\n]?[a-z0-9]{4}){2,7}(?:[^\S\n]?[a-z0-9]{1,3})?)\b").unwrap()
    });
    for c in re.captures_iter(text) {
        let v = c.get(1).unwrap();
        if v.as_str().chars().any(|ch| ch.is_ascii_lowercase()) {
            push(out, v.start(), v.end(), Kind::Iban, 96);
        }
    }
}

/// A postcode split like a number (« 29 200 Brest », « CP : 75 015 »): its
/// five digits in the national list, before a commune of the list or after
/// the word « code postal » / « CP »; the commune after it is a town.
fn split_postcodes(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(\b(?i:code postal|cp)\b[^\S\n]*:?[^\S\n]*)?\b(\d{2}[ \u{a0}]\d{3})\b(?:[ \u{a0}]+(\p{Lu}[\p{L}'’-]*(?:[ -]\p{Lu}[\p{L}'’-]*){0,3}))?").unwrap()
    });
    let d = Dicts::get();
    for c in re.captures_iter(text) {
        let cp = c.get(2).unwrap();
        let joined: String = cp.as_str().chars().filter(char::is_ascii_digit).collect();
        if !d.postcodes.contains(joined.as_str()) {
            continue;
        }
        let glued = text[..cp.start()].ends_with(|ch: char| ch.is_ascii_digit() || ch == ',');
        let town = c
            .get(3)
            .filter(|t| d.communes.contains_key(&fold(t.as_str())));
        if glued || c.get(1).is_none() && town.is_none() {
            continue;
        }
        push(out, cp.start(), cp.end(), Kind::CodePostal, 60);
        if let Some(t) = town {
            push(out, t.start(), t.end(), Kind::Ville, 64);
        }
    }
}

/// A postcode read from a scan or typed as figures apart (« 3OO2O
/// NIMES », « l34OO AUBAGNE », « 5 6170 QUIBERON », « 9 3 2 7 0 SEVRAN »):
/// the figures read back (« O » as « 0 », « l » as « 1 ») are a postcode of
/// the list, before a word in capitals; figures merely apart need that word
/// to be a commune of the list, as a count or a pressure has none.
fn scanned_postcodes(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"\b([0-9Ol](?: ?[0-9Ol]){4})[ \u{a0}]+([A-Z0ÀÂÉÈÊËÎÏÔÖÙÛÜÇ][A-Z0ÀÂÉÈÊËÎÏÔÖÙÛÜÇ'’-]{2,})\b")
            .unwrap()
    });
    let d = Dicts::get();
    for c in re.captures_iter(text) {
        let (cp, town) = (c.get(1).unwrap(), c.get(2).unwrap());
        let raw = cp.as_str();
        let misread = raw.contains(['O', 'l']);
        let digits = raw.chars().filter(char::is_ascii_digit).count();
        if !misread && !raw.contains(' ') || digits == 0 {
            continue;
        }
        let before = &text[..cp.start()];
        let glued = before
            .ends_with(|ch: char| ch.is_alphanumeric() || matches!(ch, '.' | ',' | '/'))
            || before
                .strip_suffix(' ')
                .is_some_and(|b| b.ends_with(|ch: char| ch.is_ascii_digit()));
        let read: String = raw
            .chars()
            .filter(|ch| *ch != ' ')
            .map(|ch| match ch {
                'O' => '0',
                'l' => '1',
                other => other,
            })
            .collect();
        let commune = d
            .communes
            .contains_key(&fold(&town.as_str().replace('0', "O")));
        if !glued && d.postcodes.contains(read.as_str()) && (misread || commune) {
            push(out, cp.start(), cp.end(), Kind::CodePostal, 60);
        }
    }
}

/// A commune in capitals read from a scan, « 0 » for « O » (« 56170
/// QUIBER0N », « 45000 0RLEANS »), right after its postcode (itself often
/// misread, « 5OOO »): the word with « O » put back is a commune of the list.
fn scanned_towns(text: &str, out: &mut Vec<Cand>) {
    let d = Dicts::get();
    let towns = scanned_word().captures_iter(text).filter_map(|c| c.get(1));
    for t in towns {
        let read = t.as_str().replace('0', "O");
        let letters = read.chars().filter(char::is_ascii_alphabetic).count();
        if letters >= 4 && d.communes.contains_key(&fold(&read)) {
            push(out, t.start(), t.end(), Kind::Ville, 64);
        }
    }
}

/// A word in capitals with a « 0 » among its letters, after a figure.
fn scanned_word() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"[0-9Ol][ \u{a0}]+([A-Z0][A-Z0'-]*0[A-Z0'-]*|0[A-Z][A-Z0'-]*)\b").unwrap()
    })
}

/// A French phone number in groups other than pairs (« 0612 345 678 »),
/// glued to its cue (« Tel06 12 34 56 78 ») or with the country code in
/// brackets (« (+33) 6 12 34 56 78 »): ten digits from « 0 », or nine after
/// the country code, alone in their run of digits (not a piece of a NIR
/// or an IBAN, whose groups go on around them).
fn phones(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?:\(\+33\)|\+33|0033)[^\S\n]?(?:\(0\)[^\S\n]?)?[1-9](?:[ .\-]?\d){8}|0[1-9](?:[ .\-]?\d){8}").unwrap()
    });
    let bytes = text.as_bytes();
    for m in re.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        let digit_before = s > 0 && bytes[s - 1].is_ascii_digit()
            || s > 1 && matches!(bytes[s - 1], b' ' | b'.' | b'-') && bytes[s - 2].is_ascii_digit();
        let digit_after = e < bytes.len() && bytes[e].is_ascii_digit()
            || e + 1 < bytes.len()
                && matches!(bytes[e], b' ' | b'.' | b'-')
                && bytes[e + 1].is_ascii_digit();
        if !digit_before && !digit_after {
            push(out, s, e, Kind::Telephone, 86);
        }
    }
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    emails(text, out);
    phones(text, out);
    platform_handles(text, out);
    lower_case_iban(text, out);
    split_postcodes(text, out);
    scanned_postcodes(text, out);
    scanned_towns(text, out);
}
