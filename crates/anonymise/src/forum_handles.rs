//! Handles without « @ » in forum posts and chat exports. The author of a
//! post heads its line before « a écrit », « a répondu », « répond » or a
//! colon, perhaps in bold or after a reply's mark (« **nanou.des.vosges**
//! a écrit », « * breizhkine * répond », « tom.13 : », « ↳ ReeducAlex »,
//! « > u/mimi.kine : »), or follows « Envoyé par », « Posté par », « Réponse
//! : », « Réponse de », « Auteur : » or « généré … par », « imprimé … par »
//! (a software's login, in lower case alone too: « par jmoulin »). A post's
//! heading gives its author before a dash or « » » and its date
//! (« kiwi.34 » mer. 4 juin », « ★★☆☆☆ titi53 – il y a 3 semaines »). A handle is one
//! token that is not a word: figures glued to letters, dots or underscores
//! between words, capitals inside. Before a bare colon a line also opens
//! with clinical codes (« TM6 : », « SpO2 : », « C5-C6 : », « HbA1c : »),
//! so there the token must hold a dot or an underscore after a letter,
//! two figures after three letters, or capitals inside letters alone.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};
use crate::patterns::push;
use crate::{Cand, Kind};

fn res() -> &'static [Regex; 2] {
    static R: OnceLock<[Regex; 2]> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect(s);
        [
            // the author heading the line of the post
            r(r"(?m)^[ \t]*((?:[>↳•★☆][ \t]*)*(?:u/)?)(\*{1,2}[ \t]*)?([\p{L}\d][\p{L}\d_.\-]{1,30}[\p{L}\d])[ \t]*(?:\*{1,2})?[ \t]*(a[ \t]+écrit|a[ \t]+répondu|répond|:|»|–|—|\r?\n|$)"),
            // the author after the cue that names them
            r(r"(?i:envoy[ée]|post[ée]|publi[ée]|g[ée]n[ée]r[ée][^\n]{0,30}?|imprim[ée]e?s?[^\n]{0,30}?|export[ée]e?s?[^\n]{0,30}?|mise[ \t]+à[ \t]+jour[^\n]{0,40}?)[ \t]+par[ \t]+(?:u/)?\*{0,2}([\p{L}\d][\p{L}\d_.\-]{1,30}[\p{L}\d])|(?i:r[ée]ponse[ \t]*:|r[ée]ponse[ \t]+de|auteur[ \t]*:)[ \t]*\*{0,2}([\p{L}\d][\p{L}\d_.\-]{1,30}[\p{L}\d])"),
        ]
    })
}

/// Digits, dots, underscores, or capitals inside lower-case letters.
fn handle_shape(v: &str) -> bool {
    v.chars()
        .any(|c| c.is_ascii_digit() || matches!(c, '_' | '.'))
        || v.chars().skip(1).any(|c| c.is_uppercase()) && v.chars().any(|c| c.is_lowercase())
}

/// The stricter shape before a bare colon, where clinical codes open lines.
fn strict_shape(v: &str) -> bool {
    let letters = v.chars().filter(|c| c.is_alphabetic()).count();
    if !v.chars().any(|c| c.is_lowercase()) || letters < 3 {
        return false;
    }
    let chars: Vec<char> = v.chars().collect();
    // « tom.13 », « mimi.kine », « lulu_75 »
    let joined = chars
        .windows(2)
        .any(|w| w[0].is_alphabetic() && matches!(w[1], '.' | '_'));
    // « Coureur88 »: two figures at the end after three letters
    let tail = chars
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let head_letters = chars[..chars.len() - tail]
        .iter()
        .all(|c| c.is_alphabetic());
    let numbered = tail >= 2 && head_letters;
    // « PhilouMK », « ValouKine »: letters alone, a capital inside
    let camel = v.chars().all(char::is_alphabetic)
        && v.chars().skip(1).any(char::is_uppercase)
        && v.chars().filter(|c| c.is_lowercase()).count() >= 2;
    joined || numbered || camel
}

/// Does the rest of a line start as a post's date: a day and a month, a weekday,
/// « il y a », « hier », « aujourd'hui », « posté »?
fn dated(rest: &str) -> bool {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let date = DATE.get_or_init(|| {
        Regex::new(r"^\d{1,2}(?:[/.]\d{1,2}|[ \u{a0}]+(?:janv|fevr|mars|avr|mai|juin|juil|aout|sept|oct|nov|dec))")
            .expect("date")
    });
    let r = fold(rest.trim_start_matches([' ', '\t', '\u{a0}']));
    date.is_match(&r)
        || [
            "lun", "mar", "mer", "jeu", "ven", "sam", "dim", "il y a", "hier", "aujourd", "poste",
        ]
        .iter()
        .any(|w| r.starts_with(w))
}

/// A post's author before its date: a handle's shape, or a word and a
/// word in lower case joined by a dash (« Pierrot-kine »), with lower case
/// in it (not « BDK – 03/08 », « AT-24-01 – 08/01 »).
fn heading_shape(v: &str) -> bool {
    let letters = v.chars().filter(|c| c.is_alphabetic()).count();
    let dashed = v.split_once('-').is_some_and(|(a, b)| {
        !a.is_empty() && b.chars().count() >= 3 && b.chars().all(char::is_lowercase)
    });
    letters >= 3 && v.chars().any(char::is_lowercase) && (handle_shape(v) || dashed)
}

/// Push the handles found as authors of posts.
pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let [head, after] = res();
    let common = &Dicts::get().common;
    for c in head.captures_iter(text) {
        let lead = c.get(1).map_or("", |m| m.as_str());
        let starred = c.get(2).is_some();
        let g = c.get(3).expect("the handle");
        let v = g.as_str();
        let cue = c.get(4).map_or("", |m| m.as_str());
        if common.contains(&fold(v)) || v.chars().all(|c| c.is_ascii_digit() || c == '.') {
            continue;
        }
        let ok = match cue {
            // « kiwi.34 » mer. 4 juin », « Pierrot-kine – 19/02/2025 »: a
            // post's heading, the author then when it was posted
            "»" | "–" | "—" => {
                dated(&text[c.get(0).map_or(0, |m| m.end())..]) && heading_shape(v)
            }
            ":" => strict_shape(v) || (starred || lead.contains("u/")) && handle_shape(v),
            "" | "\n" | "\r\n" => (lead.contains('↳') || lead.contains("u/")) && handle_shape(v),
            // « a écrit », « répond »: a word in lower case alone is a handle too
            _ => handle_shape(v) || v.chars().count() >= 4 && v.chars().all(|c| c.is_lowercase()),
        };
        if ok {
            push(out, g.start(), g.end(), Kind::Pseudo, 74);
        }
    }
    for c in after.captures_iter(text) {
        let Some(g) = c.get(1).or_else(|| c.get(2)) else {
            continue;
        };
        let v = g.as_str();
        // « imprimée 07:52 par jmoulin »: a software names its user by a
        // login, in lower case alone too
        let cue = fold(c.get(0).map_or("", |m| m.as_str()));
        let software = ["imprim", "export", "gener"]
            .iter()
            .any(|w| cue.starts_with(w));
        let login = software && v.chars().count() >= 4 && v.chars().all(|c| c.is_lowercase());
        if (handle_shape(v) || login)
            && !common.contains(&fold(v))
            && !v.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            push(out, g.start(), g.end(), Kind::Pseudo, 74);
        }
    }
}
