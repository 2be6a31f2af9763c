//! Rooms at the head of a line of transmissions, written without the
//! colon that `patterns` reads: « 112 Mme Vasseur : agitée », « 208-2 M.
//! Ferreira », « 214-F : Mme Aubry », « • W-114 A Mme Sarr ». A number of
//! three digits, or a code with a dash, before a titled name or a name in
//! capitals is the room of the person the line is about. In a text about
//! rooms, a room of three figures heads its line before a separator
//! (« 208-2 : lit vide »), and a number in brackets follows a titled name
//! (« Mme Gilles (12) »).
use std::sync::OnceLock;

use regex::Regex;

use crate::{Cand, Info, Kind};

fn res() -> &'static [Regex; 4] {
    static R: OnceLock<[Regex; 4]> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect(s);
        let person = r"(?:(?:M\.|Mme|Mlle|Mr|Monsieur|Madame)[ \t]|\p{Lu}{2,}[ \t,]|\p{Lu}\p{Ll}+[ \t]+\p{Lu}[.\p{Ll}]|«)";
        [
            // « 112 Mme Vasseur », « 208-2 M. Ferreira », « 214-F : Mme Aubry »
            r(&format!(
                r"(?m)^[ \t>*•-]*(\d{{3}}(?:-\d{{1,2}}|-[A-Z])?|\d{{1,2}}-\d{{1,2}})[ \t]*(?:[:—–][ \t]*)?{person}"
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
            r(r"\b(?:M\.|Mme|Mlle|Mr|Monsieur|Madame)[ \t]+\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+){0,2}[ \t]*\((?:(\d{1,3}[A-Z]?)\)|(n°[ \t]?\d{1,3}[A-Z]?|[ABE-IKMN-RU-Z]\d{2,3})[),])"),
        ]
    })
}

/// Words of a text about rooms and beds (transmissions, a bed board).
fn room_text(text: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b(?:chambres?|chbre|lits?|ehpad|ssr|smr|usld|unit[ée]|service|[ée]tage|transmissions?|rel[èe]ve|r[ée]sidents?|r[ée]sidentes?)\b").unwrap()
    })
    .is_match(text)
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let rooms_here = room_text(text);
    for (k, re) in res().iter().enumerate() {
        if k >= 2 && !rooms_here {
            break;
        }
        for c in re.captures_iter(text) {
            let g = c.get(1).or(c.get(2)).unwrap();
            // « Mme Roux (82) »: after a name, two figures from 60 to 89
            // are the age of an old person more often than a room
            let age = k == 3
                && g.as_str()
                    .parse::<u32>()
                    .is_ok_and(|n| (60..90).contains(&n));
            if age {
                continue;
            }
            out.push(Cand {
                start: g.start(),
                end: g.end(),
                kind: Kind::Chambre,
                prio: 66,
                info: Info::None,
            });
        }
    }
}
