//! What follows the street in an address: the building, the stair, the
//! floor, the door, the flat and the entry code (« 27 rue de la Glacière,
//! bât. A, 6e ét., code 27B14 », « Résidence Le Parc, bât. F, esc. 3, 4e
//! étage gauche », « bât C esc 2 3e ét appt 32 », « au numéro 14, 4e
//! gauche », « esc. B, 9e, porte 94 », « troisième étage sans ascenseur »).
//! They lead to the door as the street does, and are replaced with it, as
//! one address.
use std::sync::OnceLock;

use regex::Regex;

use crate::{Cand, Kind};

/// One complement after a comma or a space, on the same line.
fn complement() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:[ \t]*[,–][ \t]*|[ \t]+)(?:(?:b[âa]timent|r[ée]sidence|immeuble)[ \t]+(?P<named>(?-i:(?:L[ea]s?[ \t]+|L['’])?\p{Lu}[\p{L}-]+))|(?:b[âa]t(?:iment)?\.?|esc(?:alier)?\.?|porte|app(?:artemen)?t\.?|logement|lot|code|digicode|interphone)[ \t]*(?:n[°o][ \t]*)?(?:[A-Z0-9]{1,6}|gauche|droite)\b|(?:au[ \t]+)?(?:num[ée]ro|n°)[ \t]*\d{1,4}(?:[ \t]*(?:bis|ter))?\b|(?:(?:\d{1,2}(?:er|e|ème|eme)|premier|deuxi[èe]me|troisi[èe]me|quatri[èe]me|cinqui[èe]me|sixi[èe]me|septi[èe]me|huiti[èe]me|neuvi[èe]me|dixi[èe]me|rez-de-chauss[ée]e|rdc)[ \t]*(?:[ée]t\.|[ée]tage\b|[ée]t\b)(?:[ \t]+(?:gauche|droite))?|\d{1,2}(?:er|e|ème|eme)[ \t]+(?:gauche|droite)\b|(?P<bare>\d{1,2}(?:er|e|ème|eme)\b))|aile[ \t]+\p{Lu}\p{L}+)",
        )
        .expect("address complement")
    })
}

/// « sans ascenseur » after a floor: what the floor means for the patient.
fn lift() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)^[ \t]+(?:sans|avec)[ \t]+ascenseur\b").expect("lift"))
}

/// Extend each address over its complements; a room or a building found
/// alone inside them becomes part of it.
pub(crate) fn extend(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    found.sort_by_key(|c| c.start);
    let mut out: Vec<Cand> = Vec::with_capacity(found.len());
    let mut i = 0;
    while i < found.len() {
        let mut c = found[i].clone();
        i += 1;
        if c.kind == Kind::CodePostal {
            if let Some(start) = place_name_before(text, c.start) {
                // a word of it read alone (« Chesnay » as a name, « Les
                // Granges » as a commune) is part of it; anything else keeps it
                let inside = out.iter().rev().take_while(|p| p.end > start).count();
                let parts = &out[out.len() - inside..];
                if parts.iter().all(|p| {
                    p.start >= start && matches!(p.kind, Kind::Nom | Kind::Ville | Kind::Adresse)
                }) {
                    out.truncate(out.len() - inside);
                    out.push(Cand {
                        start,
                        end: start
                            + text[start..c.start]
                                .trim_end_matches([',', ' ', '\u{a0}', '\t', '\r', '\n'])
                                .len(),
                        kind: Kind::Adresse,
                        prio: 58,
                        info: crate::Info::None,
                    });
                }
            }
        }
        if c.kind != Kind::Adresse {
            out.push(c);
            continue;
        }
        // « onze rue du Lavoir »: a dictated number leads to the door too
        if let Some(s) = crate::numwords::street_number_before(text, c.start) {
            if out.last().is_none_or(|p| p.end <= s) {
                c.start = s;
            }
        }
        loop {
            let rest = &text[c.end..];
            let Some(caps) = complement().captures(rest) else {
                break;
            };
            let m = caps.get(0).expect("whole match");
            // a floor written alone (« , 6e, porte 12 ») ends its part of
            // the address; « 2e orteil » goes on as a sentence
            // the absence of a lift is the patient's, not the door's, and stays
            let after = &rest[m.end()..];
            if caps.name("bare").is_some()
                && !after.is_empty()
                && !after.starts_with([',', '.', ';', ')', '\n', '\r'])
                && !lift().is_match(after)
            {
                break;
            }
            let end = c.end + m.end();
            // the complement may already be a candidate of its own (« bât. F »,
            // « appt 32 », « code 4512A »): taken into the address; anything
            // else stops it, save a word of the building's name read alone
            // (« bâtiment Les Pins »: « Pins » a commune or a surname, or an
            // establishment for the learned detector, which scores the word
            // before the address is grown over it)
            let named = caps
                .name("named")
                .map(|n| (c.end + n.start(), c.end + n.end()));
            let of_the_name = |n: &Cand| {
                named.is_some_and(|(s, e)| s <= n.start && n.end <= e)
                    && (matches!(n.kind, Kind::Nom | Kind::Ville)
                        || n.kind == Kind::Etablissement && n.prio <= crate::detector::PRIO)
            };
            let inside = found[i..].iter().take_while(|n| n.start < end).count();
            if found[i..i + inside].iter().any(|n| {
                !(matches!(n.kind, Kind::Adresse | Kind::Chambre | Kind::NumeroDossier)
                    || of_the_name(n))
                    || n.end > end
            }) {
                break;
            }
            i += inside;
            c.end = end;
        }
        let postcode =
            postcode_after(text, c.end).filter(|&(s, _)| found.get(i).is_none_or(|n| n.start > s));
        // « 4 impasse des Lavandières, Redon », « 6 imp des lilas locmine »:
        // with no postcode, the commune stands right after the street
        // a surname read there alone (« Morlaix ») is the town
        let town = if postcode.is_none() {
            commune_after(text, c.end).filter(|&(s, e)| {
                found[i..].iter().take_while(|n| n.start < e).all(|n| {
                    n.start >= s && n.end <= e && matches!(n.kind, Kind::Nom | Kind::Ville)
                })
            })
        } else {
            None
        };
        if let Some((_, e)) = town {
            i += found[i..].iter().take_while(|n| n.start < e).count();
        }
        out.push(c);
        if let Some((start, end)) = postcode {
            out.push(Cand {
                start,
                end,
                kind: Kind::CodePostal,
                prio: 58,
                info: crate::Info::None,
            });
        }
        if let Some((start, end)) = town {
            out.push(Cand {
                start,
                end,
                kind: Kind::Ville,
                prio: 58,
                info: crate::Info::None,
            });
        }
    }
    out
}

/// A commune of the national list right after a street (after a comma, a
/// dash or a space, on the same line), in any case: the place where an
/// address puts its town. A name that is also a common word is taken only
/// when the address ends with it (a mark or the end of the line after it).
fn commune_after(text: &str, end: usize) -> Option<(usize, usize)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"^(?:[ \t]*,[ \t]*|[ \t]+[–-][ \t]+|[ \t]+)(\p{L}[\p{L}'’-]*(?:[ \t]\p{L}[\p{L}'’-]*){0,3})")
            .expect("commune after")
    });
    let g = re.captures(&text[end..])?.get(1)?;
    let d = crate::dicts::Dicts::get();
    let words: Vec<(usize, usize)> = {
        let mut v = Vec::new();
        let mut at = 0;
        for w in g.as_str().split([' ', '\t']) {
            v.push((at, at + w.len()));
            at += w.len() + 1;
        }
        v
    };
    // the longest run of words that is a commune (« Saint-Jean de Luz »)
    for n in (1..=words.len()).rev() {
        let span = &g.as_str()[..words[n - 1].1];
        let span = span.trim_end_matches(['\'', '’', '-']);
        let folded = crate::dicts::fold(span);
        let known =
            d.communes.contains_key(&folded) || d.communes.contains_key(&folded.replace(' ', "-"));
        if !known || span.chars().count() < 3 {
            continue;
        }
        let (s, e) = (end + g.start(), end + g.start() + span.len());
        let after = text[e..].trim_start_matches([' ', '\t']);
        let closed = after.is_empty()
            || after.starts_with([',', ';', ':', ')', '.', '|', '–', '\n', '\r'])
            || after.starts_with("- ");
        let common = !span.contains(['-', ' ']) && d.common.contains(&folded);
        if common && (!closed || span.chars().count() < 5) || d.first_names.contains_key(&folded) {
            return None;
        }
        return Some((s, e));
    }
    None
}

/// « 3 rue Jean-Moulin 42100, » : a postcode of the national list right
/// after the street, even when no commune follows it.
fn postcode_after(text: &str, end: usize) -> Option<(usize, usize)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| Regex::new(r"^(?:[ \t]*,[ \t]*|[ \t]+)(\d{5})\b").expect("postcode"));
    let g = re.captures(&text[end..])?.get(1)?;
    crate::dicts::Dicts::get()
        .postcodes
        .contains(g.as_str())
        .then(|| (end + g.start(), end + g.end()))
}

/// « domiciliée Le Grand Chesnay, 61250 Damigny », « (Les Granges d'en
/// Haut, 74470 Bellevaux) », « La Petite Forge⏎72150 Saint-Vincent », «
/// …, le Bourg, 15300 Murat », « Le Bourg — 48150 Meyrueis »: a
/// lieu-dit named with its article, after the start of a line, a bracket, a
/// colon or a comma and right before the postcode (after a comma or a
/// dash; its article in either case), or on the line above it
/// as a letter's address block writes it, is the address.
fn place_name_before(text: &str, postcode: usize) -> Option<usize> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?:^|[\n(:,][ \t]*|(?i:domicili[ée]e?|demeurant|habite)[ \t]+)((?:[Ll][ea]s?[ \t]+|[Ll]['’])\p{Lu}[\p{L}'’-]*(?:[ \t]+(?:(?:d['’]en|de la|de|du|des|d['’])[ \t]*)?\p{Lu}[\p{L}'’-]*){0,4})(?:,[ \t]*|[ \t]+[—–][ \t]+|[ \t]*\r?\n[ \t]*)$")
            .expect("place name")
    });
    let g = re.captures(&text[..postcode])?.get(1)?;
    Some(g.start())
}

/// « Nice 06300, 41 bd de la Madeleine », « Redon 35600 »: a commune written
/// before a postcode that is its own, the order of a table or a form. The
/// pair is read from the postcode back, so a word that is no such commune
/// stays; neither part is taken where a span already lies.
pub(crate) fn towns_before_postcodes(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| Regex::new(r"\b\d{5}\b").expect("postcode"));
    let mut added = Vec::new();
    found.sort_by_key(|c| c.start);
    // the largest end among the spans that start before each one, to ask in
    // one search whether a span lies over a stretch
    let mut reach = Vec::with_capacity(found.len());
    let mut far = 0;
    for c in &found {
        far = far.max(c.end);
        reach.push(far);
    }
    for m in re.find_iter(text) {
        let Some(head) = text[..m.start()].strip_suffix(' ') else {
            continue;
        };
        // up to four words back on the same line, the longest first
        let mut starts = Vec::new();
        let mut at = head.len();
        for _ in 0..4 {
            let word =
                head[..at].trim_end_matches(|c: char| c.is_alphabetic() || "-'’".contains(c));
            let s = word.len();
            if s == at {
                break;
            }
            starts.push(s);
            if !word.ends_with(' ') {
                break;
            }
            at = s - 1;
        }
        let Some(&s) = starts.iter().rev().find(|&&s| {
            let name = &head[s..];
            let lone = head[..s]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            lone && name.starts_with(char::is_uppercase)
                && crate::places::has_postcode(&crate::dicts::fold(name), m.as_str())
        }) else {
            continue;
        };
        let before = found.partition_point(|c| c.start < m.end());
        if before > 0 && reach[before - 1] > s {
            continue;
        }
        for (start, end, kind) in [
            (s, head.len(), Kind::Ville),
            (m.start(), m.end(), Kind::CodePostal),
        ] {
            added.push(Cand {
                start,
                end,
                kind,
                prio: 58,
                info: crate::Info::None,
            });
        }
    }
    found.extend(added);
    found.sort_by_key(|c| c.start);
    found
}
