//! File numbers dictated in words after their cue: « dossier sinistre
//! numéro deux six zéro quatre… », « numéro de séjour vingt-cinq zéro
//! quatre… », « numéro de prescription P tiret deux cinq tiret… », « AT
//! numéro soixante-quinze vingt-cinq B zéro zéro… ». A dictation software
//! writes the figures as words, the letters as capitals alone and the
//! separators as « tiret », « slash », « barre ». The cue names a file
//! (dossier, sinistre, séjour, prescription, AT, contrat…); three number
//! words at least make the number (« chambre numéro deux » is no file).
use std::sync::OnceLock;

use regex::Regex;

use crate::numwords::WORD;
use crate::patterns::push;
use crate::{Cand, Kind};

const FILE_WORDS: &str = r"dossier|sinistre|s[ée]jour|prescription|AT|contrat|adh[ée]rent|police|licence|r[ée]f[ée]rence|matricule|IPP|facture";

fn res() -> &'static [Regex; 2] {
    static R: OnceLock<[Regex; 2]> = OnceLock::new();
    R.get_or_init(|| {
        let number = format!(r"{WORD}(?:-(?:et-)?{WORD})*");
        let token = format!(r"(?:{number}|tiret|slash|barre|[A-Z])");
        [
            Regex::new(&format!(
                r"(?i:\b(?:{FILE_WORDS})(?:[ \t]+\p{{L}}+){{0,2}}?[ \t]+num[ée]ro|\bnum[ée]ro[ \t]+d[e'’][ \t]*(?:{FILE_WORDS}))[ \t]*:?[ \t]+((?i:{token})(?:[ \t]+(?i:{token}))*)"
            ))
            .expect("dictated number"),
            Regex::new(&format!(r"^(?i:{number})$")).expect("number word"),
        ]
    })
}

/// Push each dictated number found after its cue.
pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let [cued, number] = res();
    for c in cued.captures_iter(text) {
        let g = c.get(1).expect("the number");
        // letters stand alone in capitals; a word in lower case ends it,
        // and the number ends on its last figure
        let mut end = g.start();
        let mut words = 0;
        let mut off = g.start();
        for t in g.as_str().split([' ', '\t']) {
            let at = off;
            off += t.len() + 1;
            if t.is_empty() {
                continue;
            }
            let is_number = number.is_match(t);
            let is_mark = matches!(t, "tiret" | "slash" | "barre")
                || t.len() == 1 && t.chars().all(|c| c.is_ascii_uppercase());
            if !is_number && !is_mark {
                break;
            }
            if is_number {
                words += 1;
                end = at + t.len();
            }
        }
        if words >= 3 {
            push(out, g.start(), end, Kind::NumeroDossier, 70);
        }
    }
}
