//! Military units named by their number: « 3e RPIMa », « 21e RIMa »,
//! « 1er régiment étranger de génie », « 27e bataillon de chasseurs
//! alpins ». A soldier's letter names the unit, and a unit with its number
//! is one barracks in one town: it says where the patient serves.
use std::sync::OnceLock;

use regex::Regex;

use crate::org_tokens::push_org;
use crate::Cand;

/// Acronyms of regiments and battalions that follow an ordinal, as the
/// army writes them. « RCP » is left out: « 2e RCP » is a meeting of
/// the care team far more often than a regiment of paratroopers; so are
/// the two-letter ones but « RI » (« 2e RT », « 3e RC » are a second
/// radiotherapy, a third complete response).
const ACRONYMS: &str =
    "RPIMa|RIMa|RAMa|RICM|RMT|RMAT|RHC|RHP|RSMA|RMed|REP|REI|REG|REC|RCA|RIC|RAP|RI|BCA|BCP|BIMa|BSMAT";

/// Words of a unit's long name that end it: a preposition of place, a
/// conjunction, a verb's start (« 1er régiment de hussards à Metz »).
const STOPS: &[&str] = &[
    "à", "a", "au", "aux", "en", "et", "ou", "où", "qui", "que", "depuis", "pour", "avec", "sur",
    "dans", "il", "elle", "est", "puis", "lors", "pendant",
];

fn unit_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r"\b\d{{1,3}}(?:e|er|re|ère|ème|è|ᵉ|ᵉʳ)\s+(?:(?:{ACRONYMS})\b|(?i:régiment|bataillon|escadron|escadrille)\b)"
        ))
        .unwrap()
    })
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let word = WORD.get_or_init(|| Regex::new(r"^[ \u{a0}]+(\p{L}[\p{L}\p{M}'’-]*)").unwrap());
    for m in unit_re().find_iter(text) {
        let mut end = m.end();
        let long = m.as_str().chars().last().is_some_and(|c| c.is_lowercase());
        if long {
            // the long name's words up to punctuation, a line's end or a stop
            let mut last = end;
            let mut pos = end;
            for _ in 0..6 {
                let Some(w) = word.captures(&text[pos..]) else {
                    break;
                };
                let g = w.get(1).unwrap();
                let wd = g.as_str();
                let lw = wd.to_lowercase();
                if STOPS.contains(&lw.as_str()) {
                    break;
                }
                pos += g.end();
                let linker = matches!(lw.as_str(), "de" | "du" | "des" | "la" | "le" | "les")
                    || lw.ends_with('\'')
                    || lw.ends_with('’');
                if !linker {
                    last = pos;
                }
            }
            end = last;
        }
        push_org(out, m.start(), end, 66);
    }
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    #[test]
    fn a_numbered_regiment_is_an_establishment() {
        assert_eq!(
            etabs("Objet : caporal Kevin Durand, 8e RPIMa (Castres), blessé en exercice."),
            ["8e RPIMa"]
        );
        assert_eq!(
            etabs("Militaire du 92e RI, il reprend le sport en janvier."),
            ["92e RI"]
        );
        assert_eq!(
            etabs("Adjudant au 2e régiment étranger de parachutistes\nMon cher confrère,"),
            ["2e régiment étranger de parachutistes"]
        );
        assert_eq!(
            etabs("Il sert au 13e bataillon de chasseurs alpins à Chambéry."),
            ["13e bataillon de chasseurs alpins"]
        );
    }

    #[test]
    fn a_meeting_or_a_count_is_no_regiment() {
        assert!(etabs("Dossier présenté en 2e RCP le 4 mars.").is_empty());
        assert!(etabs("Bilan après la 2e RT, puis 3e RC confirmée.").is_empty());
        assert!(etabs("Pendant la 2e séance, marche avec canne.").is_empty());
    }
}
