//! Rooms at the head of a line of transmissions, written without the
//! colon that `patterns` reads: « 112 Mme Vasseur : agitée », « 208-2 M.
//! Ferreira », « 214-F : Mme Aubry », « • W-114 A Mme Sarr ». A number of
//! three digits, or a code with a dash, before a titled name or a name in
//! capitals is the room of the person the line is about.
use std::sync::OnceLock;

use regex::Regex;

use crate::{Cand, Info, Kind};

fn res() -> &'static [Regex; 2] {
    static R: OnceLock<[Regex; 2]> = OnceLock::new();
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
        ]
    })
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    for re in res() {
        for c in re.captures_iter(text) {
            let g = c.get(1).unwrap();
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
