//! Rooms at the head of a line of transmissions, written without the
//! colon that `patterns` reads: « 112 Mme Vasseur : agitée », « 208-2 M.
//! Ferreira », « 214-F : Mme Aubry », « • W-114 A Mme Sarr ». A number of
//! three digits, or a code with a dash, before a titled name or a name in
//! capitals is the room of the person the line is about. In a text about
//! rooms, a room of three figures heads its line before a separator
//! (« 208-2 : lit vide »), a number in brackets follows a titled name
//! (« Mme Gilles (12) », « M. Ngoma (215-2) »), and a room of one or two
//! figures heads a line before a titled name and a colon (« 8 Mme Tilly :
//! »). A prisoner's cell (« cellule 214 ») and a flat abbreviated (« logt
//! 14 ») are rooms wherever they stand.
use std::sync::OnceLock;

use regex::Regex;

use crate::{Cand, Info, Kind};

fn res() -> &'static [Regex; 9] {
    static R: OnceLock<[Regex; 9]> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect(s);
        let person = r"(?:(?:M\.|Mme|Mlle|Mr|Monsieur|Madame)[ \t]|\p{Lu}{2,}[ \t,]|\p{Lu}\p{Ll}+[ \t]+\p{Lu}[.\p{Ll}]|«)";
        [
            // « 112 Mme Vasseur », « 208-2 M. Ferreira », « 214-F : Mme Aubry »
            r(&format!(
                r"(?m)^[ \t>*•–—-]*(?:\d{{1,2}}h\d{{0,2}}[ \t]+)?(\d{{3}}(?:-\d{{1,2}}|-[A-Z]|[a-dA-D]\b)?|\d{{1,3}}[ ]?(?:bis|ter)\b|\d{{1,2}}-\d{{1,2}})[ \t]*(?:[:—–][ \t]*)?{person}"
            )),
            // « • W-114 A Mme Sarr », « • W-112 Lecomte R. »: letters, a dash,
            // the number, and the bed's letter
            r(&format!(
                r"(?m)^[ \t>*•-]*([A-Z]{{1,3}}-\d{{1,4}}(?:[ \t][A-Z]\b)?)[ \t]*(?:[:—–][ \t]*)?{person}"
            )),
            // « • 303 A – ROCHE B. », « 208-2 : lit vide », « 4. 205-2, M. B. »:
            // a room of three figures, its bed, then a separator, whatever
            // the line says of it (in a text of rooms, see `ROOM_TEXT`)
            r(r"(?m)^[ \t>*•-]*(?:\d{1,2}\.[ \t]+)?(\d{3}(?:-\d{1,2}|[ \t][A-D]\b)?)[ \t]*(?:[:—–]|,[ \t]+(?:M\.|Mme|Mlle|Mr))[ \t]+\D"),
            // « Mme Gilles (12) », « M. Pierre Caillaud (14) »: a number in
            // brackets after a titled name, in a text of rooms; « (n°31) »,
            // « (R14, frère de…) »: with « n° » or a wing's letter, before a
            // comma too (not J, S, the vertebrae's C, D, T, L: a day after
            // surgery, a week, a level)
            // « M ROSSI (7) », « MME ROY & M ROY (3 et 4) », « M. Roy Paul (16,
            // frère de…) », « Mme Roy (112 bis) »: the title in capitals or
            // without its dot too, two rooms joined by « et », a room before
            // a comma and a word that says more of the person (the word is
            // read in `detect`: « (12, rue… » is an address)
            r(r"\b(?:M\.?|Mme|MME|Mlle|MLLE|Mr|MR|Monsieur|Madame)[ \t]+\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+){0,2}[ \t]*\((?:(\d{1,3}(?:-\d{1,2}|[A-Z]|[ ]?bis|[ ]?ter)?)(?:\)|[ \t]+et[ \t]+(\d{1,3})\)|,[ \t]+(\p{Ll}+))|(n°[ \t]?\d{1,3}[A-Z]?|[ABE-IKMN-RU-Z]\d{2,3})[),])"),
            // « 8 Mme Tilly : douleurs », « 6B M. Le Gall : a dormi »: a room
            // of one or two figures heading a line of transmissions, before a
            // titled name and the colon that opens what is said of that
            // person (a list's number is written « 8. » or « 8) »)
            r(r"(?m)^[ \t>*•–—-]*(\d{1,2}[A-Z]?)[ \t]+(?:M\.|Mme|Mlle|Mr|Monsieur|Madame)[ \t]+\p{Lu}[^\n:()]{0,40}(?:\([^\n)]{0,60}\)[ \t]*)?:"),
            // « cellule 214 »: a prisoner's cell, in three figures (a cell of
            // the body is never numbered so)
            r(r"(?i)\bcellule[ \t]+(?:n°[ \t]?)?(\d{3}[A-Z]?)\b"),
            // « logt 14 », « logt. 3bis »: a flat of a residence, with its
            // head as « logement 12 » is
            r(r"(?i)\b(logts?\.?[ \t]*(?:n°[ \t]?)?\d{1,4}(?:bis|ter|[A-Z])?)\b"),
            // « PETIT Marcel 114 : change », « M. Roux 118b : chute »,
            // « Mme Roy née Aubert 108 → »: a room of three figures after
            // the name that heads a line of transmissions, before what is
            // said of that person (in a text of rooms)
            // « Chambre : 312 lit A », « Ch : 308-2 »: a form's field of
            // the room, its value after the colon
            r(r"(?im)\b(?:chambre|chbre|ch)\.?[ \t]*:[ \t]*(\d{1,4}(?:-\d{1,2}\b|[a-d]\b|[ ]?bis\b)?(?:[ \t]+lit[ \t]+(?:\d{1,2}|[a-d])\b)?)(?:[ \t]*$|[ \t]+[^\d/.,:\s]|[ \t]*[,;(])"),
            r(r"(?m)^[ \t>*•–—-]*(?:(?:M\.|Mme|Mlle|Mr|Monsieur|Madame)[ \t]+\p{Lu}[\p{L}'’-]+(?:[ \t]+(?:née[ \t]+)?\p{Lu}[\p{L}'’-]+){0,2}|\p{Lu}{2,}[\p{Lu}'’-]*[ \t]+\p{Lu}\p{Ll}[\p{L}'’-]*)[ \t]+(\d{3}[a-dA-D]?)[ \t]*(?::|→|\(|–|—|-[ \t])"),
        ]
    })
}

/// Words of a text about rooms and beds (transmissions, a bed board); « ch.
/// 118 » is a room written short, with its figures.
fn room_text(text: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b(?:chambres?|chbre|ch\.[ \t]?\d+|lits?|ehpad|ssr|smr|usld|unit[ée]|service|[ée]tage|transmissions?|rel[èe]ve|r[ée]sidents?|r[ée]sidentes?)\b").unwrap()
    })
    .is_match(text)
}

fn room(start: usize, end: usize) -> Cand {
    Cand {
        start,
        end,
        kind: Kind::Chambre,
        prio: 66,
        info: Info::None,
    }
}

/// « PV1|1|I|CARDIO^318^A| »: the patient's visit segment of an HL7 message
/// places the patient as service^room^bed (its third field); the room and
/// the bed are the patient's, the service is not.
fn hl7_visit(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?m)^[ \t]*PV1\|[^|\n]*\|[^|\n]*\|[^|^\n]*\^([^|^\n]*)(?:\^([^|^\n]*))?")
            .unwrap()
    });
    for c in re.captures_iter(text) {
        // an outpatient's « HL CHATEAUBRIANT^CS^MPR » is a place of care and
        // its service: a room has a figure, and its bed follows it
        if !c
            .get(1)
            .is_some_and(|r| r.as_str().contains(|ch: char| ch.is_ascii_digit()))
        {
            continue;
        }
        for g in [c.get(1), c.get(2)].into_iter().flatten() {
            if g.as_str().trim().is_empty() || g.as_str().len() > 3 && g != c.get(1).unwrap() {
                continue;
            }
            out.push(room(g.start(), g.end()));
        }
    }
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    hl7_visit(text, out);
    let rooms_here = room_text(text);
    for (k, re) in res().iter().enumerate() {
        // the forms from the third on are read in a text about rooms only,
        // but for a prisoner's cell and a flat abbreviated
        // and « Mme Tessier (n°31) », whose « n° » says room in any text
        if ((2..5).contains(&k) && k != 3 || k == 8) && !rooms_here {
            continue;
        }
        for c in re.captures_iter(text) {
            let g = if k == 3 {
                c.get(1).or(c.get(4)).unwrap()
            } else {
                c.get(1).or(c.get(2)).unwrap()
            };
            if k == 3 && !rooms_here && !g.as_str().starts_with("n°") {
                continue;
            }
            // « M. Roy (12, rue des Lilas) »: a number before a street's
            // head is the person's address, no room
            if k == 3 && c.get(3).is_some_and(|w| street_head(w.as_str())) {
                continue;
            }
            // « Mme Roux (82) »: after a name, two figures from 60 to 89
            // are the age of an old person more often than a room
            let age = k == 3
                && g.as_str()
                    .parse::<u32>()
                    .is_ok_and(|n| (60..90).contains(&n));
            if age {
                continue;
            }
            out.push(room(g.start(), g.end()));
            // « (3 et 4) »: the second room of a couple's two
            if k == 3 {
                if let Some(second) = c.get(2) {
                    out.push(room(second.start(), second.end()));
                }
            }
        }
    }
}

/// The head of a street's name, written in lower case after a number
/// (« 12, rue des Lilas », « 3, allée… »).
fn street_head(word: &str) -> bool {
    matches!(
        word,
        "rue"
            | "avenue"
            | "av"
            | "bd"
            | "boulevard"
            | "allée"
            | "allées"
            | "chemin"
            | "impasse"
            | "place"
            | "route"
            | "quai"
            | "cours"
            | "square"
            | "passage"
            | "résidence"
            | "lotissement"
            | "lieu"
            | "hameau"
            | "bis"
            | "ter"
    )
}

/// « M. ROBIN CHAMBRE 11 », « Mme PONS LIT 3 »: a name in capitals read on
/// over a room's head word that is a surname too (« Chambre », « Lit »)
/// ends before it when a room's number follows; the head and its number
/// are the room.
pub(crate) fn heads_after_names(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"[ \u{a0}]+(CHAMBRE|Chambre|LIT|Lit)$").expect("room's head after a name")
    });
    let number = |rest: &str| {
        let n = rest.strip_prefix([' ', '\u{a0}'])?;
        let len = n.chars().take_while(|c| c.is_ascii_digit()).count();
        let after = n[len..].chars().next();
        ((1..=4).contains(&len) && !after.is_some_and(|c| c.is_alphanumeric())).then_some(len + 1)
    };
    let mut rooms = Vec::new();
    for c in found.iter_mut().filter(|c| c.kind == Kind::Nom) {
        let Some(m) = re.find(&text[c.start..c.end]) else {
            continue;
        };
        let Some(len) = number(&text[c.end..]) else {
            continue;
        };
        let head = c.start + m.start() + (m.len() - m.as_str().trim_start().len());
        rooms.push(Cand {
            start: head,
            end: c.end + len,
            kind: Kind::Chambre,
            prio: 66,
            info: Info::None,
        });
        c.end = c.start + m.start();
    }
    found.retain(|c| c.start < c.end);
    // a room found there already stays as it was
    rooms.retain(|r| !found.iter().any(|c| c.start < r.end && r.start < c.end));
    found.extend(rooms);
    found.sort_by_key(|c| c.start);
    found
}
