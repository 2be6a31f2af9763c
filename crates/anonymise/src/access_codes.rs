//! Door and key-box codes after their cue: « digicode A7391 », « code
//! portail 0419 », « Code de la porte 2478 », « boîte à clés code 3005 »,
//! « clé boîte 5521 », « le code du portail c'est toujours 4471B »,
//! « …, code 54B21, 4e sans ascenseur ». Home-care notes give them so the
//! next carer gets in; in clear they open the patient's door. The code is
//! short (three to six characters, at least three figures, at most two
//! letters) and stands right after its cue, perhaps after « : », « est »
//! or « c'est »; a bare « code » takes no code of two figures (« code 99 »)
//! nor anything after another word (« code postal », « code CIM »). An
//! address found with its code takes it in (`addresses::extend`).
use std::sync::OnceLock;

use regex::Regex;

use crate::patterns::push;
use crate::{Cand, Kind};

fn cue_code() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:digicode|interphone|code(?:[ \t]+(?:de[ \t]+la|du|de[ \t]+l['’]|d['’]))?[ \t]*(?:porte|portail|entr[ée]e|immeuble|acc[eè]s|bo[iî]te[ \t]+[àa][ \t]+cl[ée]s?)?|bo[iî]te[ \t]+[àa][ \t]+cl[ée]s?(?:[ \t]*,?[ \t]*code)?|cl[ée]s?[ \t]+(?:dans[ \t]+(?:la[ \t]+)?)?bo[iî]te)(?:[ \t]*(?::|=|est|c['’]est)(?:[ \t]+toujours)?)?[ \t]*(?:n°[ \t]*)?([0-9A-Za-z]{3,6}#?)(?:$|[^0-9A-Za-z\p{L}])",
        )
        .expect("access code")
    })
}

/// What after a number makes it a quantity.
const UNITS: &[&str] = &["mg", "g", "ml", "ui", "kg", "mm", "cm", "m", "w", "%"];

/// Push each code found after its cue.
pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    for c in cue_code().captures_iter(text) {
        let v = c.get(1).expect("the code");
        let s = v.as_str();
        let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
        let letters = s.chars().filter(|c| c.is_ascii_alphabetic()).count();
        if digits < 3 || letters > 2 {
            continue;
        }
        let next: String = text[v.end()..]
            .trim_start_matches([' ', '\u{a0}'])
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '%')
            .collect();
        if UNITS.contains(&next.to_lowercase().as_str()) {
            continue;
        }
        push(out, v.start(), v.end(), Kind::NumeroDossier, 72);
    }
}
