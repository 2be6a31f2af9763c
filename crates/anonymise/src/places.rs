//! Places written with what locates them further: a commune and its
//! département in brackets (« Lamballe (22) », « Cavaillon (84) »), and the
//! arrondissements of Paris, Lyon and Marseille (« Paris 15e », « LYON 6E »,
//! « dans le 15e » in a text about Paris). The département's number narrows
//! the place as a postcode does.
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::fold;
use crate::{Cand, Info, Kind};

const COMMUNES: &str = include_str!("../data/communes.tsv");

/// Folded commune name → its postcodes (the list of `data/communes.tsv`).
fn postcodes() -> &'static HashMap<String, Vec<&'static str>> {
    static M: OnceLock<HashMap<String, Vec<&'static str>>> = OnceLock::new();
    M.get_or_init(|| {
        let mut m: HashMap<String, Vec<&'static str>> = HashMap::new();
        for line in COMMUNES.lines() {
            let mut it = line.split('\t');
            let (Some(name), Some(cps)) = (it.next(), it.next()) else {
                continue;
            };
            m.entry(fold(name.trim()))
                .or_default()
                .extend(cps.split(',').filter(|c| !c.is_empty()));
        }
        m
    })
}

/// The five figures of a postcode right before `at` and one space
/// (« 29270 carhaix »), if they are there.
pub(crate) fn postcode_before(text: &str, at: usize) -> Option<&str> {
    let head = text[..at]
        .strip_suffix(' ')
        .or_else(|| text[..at].strip_suffix('\u{a0}'))?;
    let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let start = head.len() - digits;
    let lone = !head[..start].ends_with(|c: char| c.is_alphanumeric());
    (digits == 5 && lone).then(|| &head[start..])
}

/// Is `postcode` one of the commune's (folded name, hyphens or spaces)?
pub(crate) fn has_postcode(folded: &str, postcode: &str) -> bool {
    let m = postcodes();
    [folded.to_string(), folded.replace(' ', "-")]
        .iter()
        .any(|k| m.get(k).is_some_and(|cps| cps.contains(&postcode)))
}

/// Does a postcode lie in the département of this code (« 22 », « 2A », « 974 »)?
fn in_departement(postcode: &str, code: &str) -> bool {
    match code {
        "2A" | "2B" => postcode.starts_with("20"),
        _ => postcode.starts_with(code),
    }
}

struct Res {
    departement: Regex,
    arrondissement: Regex,
    city: Regex,
    bare_arrondissement: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect(s);
        let ordinal = r"(?:1(?:er|ER)|[1-9]\d?(?:e|E|ème|ÈME|eme|EME))";
        Res {
            departement: r(r"\((\d{2}|2[AB]|97[1-6])\)"),
            arrondissement: r(&format!(
                r"\b(?i:paris|lyon|marseille)[ \u{{a0}}]+({ordinal})\b(?:[ \u{{a0}}]+(?i:arrondissement))?"
            )),
            city: r(r"\b(?i:paris|lyon|marseille)\b"),
            // « dans le 15e ? », « PMI du 13e. »: the ordinal ends the clause
            bare_arrondissement: r(&format!(
                r"\b(?i:dans le|du|le)[ \u{{a0}}]+({ordinal}(?:[ \u{{a0}}]+(?i:arrondissement))?)[ \u{{a0}}]*(?:[.,;:!?)]|$)"
            )),
        }
    })
}

fn ordinal_value(s: &str) -> u32 {
    s.chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

pub(crate) fn place(start: usize, end: usize, prio: u8) -> Cand {
    Cand {
        start,
        end,
        kind: Kind::Ville,
        prio,
        info: Info::None,
    }
}

/// The commune written just before « (22) » whose postcodes lie in that
/// département: its span, from one to six words back.
fn commune_before(text: &str, end: usize, code: &str) -> Option<(usize, usize)> {
    let before = text[..end].trim_end_matches([' ', '\u{a0}']);
    let stop = before.len();
    let mut start = stop;
    let mut best = None;
    for _ in 0..6 {
        let head = before[..start].trim_end_matches([' ', '\u{a0}']);
        let s = head
            .rfind(|c: char| !(c.is_alphabetic() || matches!(c, '-' | '\'' | '’')))
            .map_or(0, |i| {
                i + head[i..].chars().next().map_or(1, |c| c.len_utf8())
            });
        if s >= head.len() {
            break;
        }
        start = s;
        let name = &before[start..stop];
        let cps = postcodes().get(&fold(name));
        if cps.is_some_and(|cps| cps.iter().any(|cp| in_departement(cp, code)))
            && name.starts_with(|c: char| c.is_uppercase())
        {
            best = Some((start, stop));
        }
        if start == 0 || !before[..start].ends_with(' ') {
            break;
        }
    }
    best
}

/// The length of « Cedex », « CEDEX 9 », « cedex 12 » at the start of
/// `rest` (after one space), if it is there.
fn cedex_after(rest: &str) -> Option<usize> {
    let word = rest.strip_prefix([' ', '\u{a0}'])?;
    if !word
        .get(..5)
        .is_some_and(|w| w.eq_ignore_ascii_case("cedex"))
    {
        return None;
    }
    let after = &word[5..];
    if after.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let mut len = rest.len() - after.len();
    // its number, one or two digits
    if let Some(num) = after.strip_prefix([' ', '\u{a0}']) {
        let digits = num.chars().take_while(char::is_ascii_digit).count();
        if (1..=2).contains(&digits) && !num[digits..].starts_with(|c: char| c.is_alphanumeric()) {
            len += 1 + digits;
        }
    }
    Some(len)
}

pub(crate) fn detect(text: &str, found: Vec<Cand>) -> Vec<Cand> {
    let x = res();
    let mut more = Vec::new();
    for c in x.departement.captures_iter(text) {
        let (m, g) = (c.get(0).unwrap(), c.get(1).unwrap());
        if let Some((s, e)) = commune_before(text, m.start(), g.as_str()) {
            more.push(place(s, e, 63));
            more.push(place(g.start(), g.end(), 63));
            continue;
        }
        // a place found otherwise (« Lamballe », today Lamballe-Armor) and a
        // département's number after it
        let before = text[..m.start()].trim_end_matches([' ', '\u{a0}']).len();
        let code = g.as_str();
        let valid = code.len() == 3 || code.ends_with(['A', 'B']) || code != "00" && code < "96";
        // (a commune whose postcodes the list gives, elsewhere, is not that
        // one's; the communes déléguées have none in the list)
        let unlisted = |f: &Cand| {
            let cps = postcodes().get(&fold(&text[f.start..f.end]));
            f.end == before && cps.is_none_or(|c| c.is_empty())
        };
        if valid && found.iter().any(|f| f.kind == Kind::Ville && unlisted(f)) {
            more.push(place(g.start(), g.end(), 63));
        }
    }
    for c in x.arrondissement.captures_iter(text) {
        let m = c.get(0).unwrap();
        if (1..=20).contains(&ordinal_value(&c[1])) {
            // above the capital read as a surname (« se déplace Paris 15e »)
            more.push(place(m.start(), m.end(), 93));
        }
    }
    if x.city.is_match(text) {
        for c in x.bare_arrondissement.captures_iter(text) {
            let g = c.get(1).unwrap();
            if (1..=20).contains(&ordinal_value(g.as_str())) {
                more.push(place(g.start(), g.end(), 63));
            }
        }
    }
    // « Niort Cedex 9 », « BREST CEDEX 2 »: the mail's distribution office
    // after a commune is the commune's part of the address
    for f in &found {
        if matches!(f.kind, Kind::Ville | Kind::Nom) {
            if let Some(len) = cedex_after(&text[f.end..]) {
                more.push(place(f.start, f.end + len, 93));
            }
        }
    }
    crate::with_added(text, found, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cedex_after_a_commune() {
        assert_eq!(cedex_after(" Cedex 9, France"), Some(8));
        assert_eq!(cedex_after(" CEDEX\n"), Some(6));
        assert_eq!(cedex_after(" cedex 12"), Some(9));
        assert_eq!(cedex_after(" Cedexine"), None);
        assert_eq!(cedex_after(", Cedex"), None);
    }

    #[test]
    fn a_commune_before_its_departement() {
        let t = "Chute à Cavaillon (84) hier.";
        let s = t.find('(').unwrap();
        assert_eq!(
            commune_before(t, s, "84").map(|(a, b)| &t[a..b]),
            Some("Cavaillon")
        );
        // the number of another département is not that commune's
        assert_eq!(commune_before(t, s, "22"), None);
        let t = "vue à Saint-Laurent-du-Pont (38), le 4";
        let s = t.find('(').unwrap();
        assert_eq!(
            commune_before(t, s, "38").map(|(a, b)| &t[a..b]),
            Some("Saint-Laurent-du-Pont")
        );
    }
}
