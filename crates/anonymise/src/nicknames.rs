//! Nicknames in quotes: « Lucienne dite « Lulu » », « Mme Y (appelée
//! « Tata Mimi » par l'équipe) », « TUILAGI Sione (« Big Sio ») », « son
//! petit-fils « Nanou » », « « Bébert » (son mari Albert) ». The quotes
//! and a cue that the words are what someone is called make them a
//! person, whatever the words are otherwise (a word of the language, a
//! first name or nothing the dictionaries hold). The cue is one of four:
//! « dit », « dite » after a capitalised name, or « appelé », « surnommé »,
//! « alias »; a bracket opening on the quotes right after a name; a word
//! of kinship right before; a bracket opening on « son », « sa » right
//! after. Clinical words (the allow-list's eponyms, « manœuvre dite
//! « Epley » ») and acronyms in capitals (« (« GRTP ») ») stay.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};

/// 1 to 3 capitalised words, the nickname itself (group `n`).
const NICK: &str = r"(?:«[ \u{a0}\u{202f}]*|“|\x22)(?P<n>\p{Lu}[\p{L}\p{M}'’-]*(?:[ \u{a0}]\p{Lu}[\p{L}\p{M}'’-]*){0,2})(?:[ \u{a0}\u{202f}]*»|”|\x22)";

/// Words of kinship and of friendship before a nickname.
const KIN: &str = r"fils|fille|petit-fils|petite-fille|grand-m[èe]re|grand-p[èe]re|mari|[ée]poux|[ée]pouse|femme|fr[èe]re|s(?:œ|oe)ur|neveu|ni[èe]ce|tante|oncle|cousine?|m[èe]re|p[èe]re|amie?|voisine?|copain|copine|compagne|compagnon|gendre|belle-fille|beau-fils|belle-m[èe]re|beau-p[èe]re";

fn res() -> &'static [Regex; 4] {
    static R: OnceLock<[Regex; 4]> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: String| Regex::new(&s).expect("nickname pattern");
        [
            // « Lucienne dite « Lulu » », « appelée « Mamie Jo » »
            r(format!(
                r"(?:(?P<p>\p{{Lu}}[\p{{L}}\p{{M}}-]*)[ \u{{a0}}]+(?i:dite?s?)|\b(?i:appel[ée]e?s?|surnomm[ée]e?s?|alias))[ \u{{a0}}]+{NICK}"
            )),
            // « Julien Morel ("Juju" pour ses amis) »: a bracket right after a name
            r(format!(
                r"(?P<p>\p{{Lu}}[\p{{L}}\p{{M}}-]*)[ \u{{a0}}]*\([ \u{{a0}}]*{NICK}"
            )),
            // « son petit-fils « Nanou » »
            r(format!(r"\b(?i:{KIN})[ \u{{a0}}]*,?[ \u{{a0}}]*{NICK}")),
            // « « Bébert » (son mari Albert) »
            r(format!(
                r"{NICK}[ \u{{a0}}]*\([ \u{{a0}}]*(?i:son|sa|leur|ses)[ \u{{a0}}]"
            )),
        ]
    })
}

/// The byte ranges of the nicknames in quotes that a cue names.
pub fn quoted(text: &str) -> Vec<(usize, usize)> {
    // every pattern opens the nickname on a quote: without one, the four
    // scans of the text would find nothing
    if !text.contains(['«', '“', '"']) {
        return Vec::new();
    }
    let d = Dicts::get();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for re in res() {
        for c in re.captures_iter(text) {
            let n = c.name("n").expect("nickname group");
            // the word before « dite » or before the bracket is a name: a
            // first name, or no word of the language (« Exercices (« Pont » »)
            if let Some(p) = c.name("p") {
                let f = fold(p.as_str());
                let name = d.first_names.contains_key(&f)
                    || !d.common.contains(&f) && !d.allow.contains(&f);
                if !name {
                    continue;
                }
            }
            let words: Vec<&str> = n.as_str().split([' ', '\u{a0}']).collect();
            let acronym = |w: &str| {
                w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && !w.chars().any(char::is_lowercase)
            };
            let clinical = |w: &str| {
                let f = fold(w);
                d.allow.contains(&f) || f.split('-').any(|x| d.allow.contains(x))
            };
            if words.iter().any(|w| acronym(w) || clinical(w))
                || d.allow.contains(&fold(n.as_str()))
            {
                continue;
            }
            if !out.contains(&(n.start(), n.end())) {
                out.push((n.start(), n.end()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::quoted;

    fn names(text: &str) -> Vec<&str> {
        quoted(text).into_iter().map(|(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn each_cue() {
        assert_eq!(
            names("Mme Roux, Yvonne dite « Vovonne », 80 ans."),
            ["Vovonne"]
        );
        assert_eq!(
            names("M. Z, surnommé « Le Grand Jacques »."),
            ["Le Grand Jacques"]
        );
        assert_eq!(names("Voir Paul Martin (« Popol ») demain."), ["Popol"]);
        assert_eq!(names("Sa nièce « Titine » appelle."), ["Titine"]);
        assert_eq!(names("« Kiki » (sa fille Christine) passe."), ["Kiki"]);
    }

    #[test]
    fn no_cue_no_nickname() {
        assert!(names("Le mot « Bonjour » est écrit au tableau.").is_empty());
        assert!(names("Exercices (« Pont ») à faire.").is_empty());
    }
}
