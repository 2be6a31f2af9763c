//! Streets in orders other than « number, head, name »: the number after
//! the name, as Belgium, Switzerland, the Netherlands and Germany write it
//! (« Rue de la Station 12, boîte 3 », « Chaussée de Louvain 245 bte 4 »,
//! « ch. de la Colline 8 », « Kortrijkstraat 112 », « Hauptstraße 8 »).
//! Not the numbered roads (« RD 577 », « la D951 »): most notes name them as
//! places of a crash, no one's door, and the sets do not mark them.
use std::sync::LazyLock;

use regex::Regex;

use crate::{Cand, Info, Kind};

/// The heads of a street that may come before its name and its number.
const HEADS: &str = r"rue|route|rte|chemin|ch\.|chauss[ée]e|avenue|av\.|place|boulevard|bd|quai|ruelle|impasse|all[ée]e";

/// A head, its particle, a name in capitals, then the number and a box.
static NUMBER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    let particle = r"(?:de[ \u{a0}]+la|de[ \u{a0}]+l['’]|du|des|de|d['’])[ \u{a0}]*";
    let name = r"\p{Lu}[\p{L}'’-]+(?:[ \u{a0}-]\p{Lu}[\p{L}'’-]+){0,3}";
    let number = r"\d{1,4}[a-z]?(?:,?[ \u{a0}](?i:bte|bo[îi]te|bus)[ \u{a0}]?\d{1,4})?";
    let re = format!(r"\b(?i:{HEADS})[ \u{{a0}}]+(?i:{particle})?{name}[ \u{{a0}}]{number}");
    Regex::new(&re).expect("number after the street")
});

/// One word ending in a Dutch or German street's word, then its number.
static GERMANIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\p{Lu}\p{Ll}+(?:straat|stra(?:ß|ss)e|steenweg|laan|weg|gasse|dreef|plein)[ \u{a0}]\d{1,4}[a-z]?\b")
        .expect("germanic street")
});

fn push(out: &mut Vec<Cand>, start: usize, end: usize) {
    out.push(Cand {
        start,
        end,
        kind: Kind::Adresse,
        // above the street read without its number
        prio: 67,
        info: Info::None,
    });
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    for m in NUMBER_AFTER.find_iter(text) {
        // the number ends the address: then a comma, the line's end or a
        // postcode of four or five figures, not a count (« route de Brest 2 fois »)
        let rest = &text[m.end()..];
        let ends = rest.is_empty()
            || rest.starts_with([',', '\n', '\r', ')', ';'])
            || rest
                .strip_prefix(' ')
                .is_some_and(|r| r.len() >= 4 && r.as_bytes()[..4].iter().all(u8::is_ascii_digit));
        if ends && !text[..m.start()].ends_with(['-', '/']) {
            push(out, m.start(), m.end());
        }
    }
    for m in GERMANIC.find_iter(text) {
        push(out, m.start(), m.end());
    }
}
