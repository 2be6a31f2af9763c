//! A practice or an association named in lower case at the end of a
//! note's title: « Bilan de sortie – kiné pédiatrique – cabinet des petits
//! pas », « ## Suivi – programme de réhabilitation, association souffle
//! du bocage ». Typed without capitals, the name loses the cue `orgs`
//! reads; the layout still says it: a title's last part, after its
//! separator, that opens with the head and runs to the line's end names
//! the place the note comes from. A common noun right after the head (an
//! apposition, « cabinet santé active ») or « du »/« des » and two words
//! or more is a name; an adjective or « de » (« cabinet médical »,
//! « cabinet de kinésithérapie ») is the kind of place, not its name.

use crate::org_tokens::push_org;
use crate::Cand;
use regex::Regex;
use std::sync::OnceLock;

/// Words that say the kind of practice, not its name.
const KINDS: &[&str] = &[
    "médical",
    "médicale",
    "paramédical",
    "paramédicale",
    "libéral",
    "libérale",
    "dentaire",
    "infirmier",
    "infirmière",
    "pluridisciplinaire",
    "secondaire",
    "de",
    "d",
    "d'",
    "d’",
    "le",
    "la",
    "les",
    "l",
    "l'",
    "l’",
    "et",
    "en",
    "à",
    "au",
    "aux",
    "pour",
    "sur",
    "avec",
];

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(
            r"(?:^|\s[–—-]\s|,\s)((?:cabinet|association)\s+(?:(?:du|des)\s+)?([a-zàâçéèêëîïôûùüÿœ][a-zàâçéèêëîïôûùüÿœ'’-]*(?:\s+[a-zàâçéèêëîïôûùüÿœ&][a-zàâçéèêëîïôûùüÿœ'’-]*){1,4}))\s*$",
        )
        .unwrap()
    });
    let mut at = 0;
    for (n, line) in text.split('\n').enumerate() {
        let start = at;
        at += line.len() + 1;
        // a title: the note's first line or a heading in markdown
        if n > 0 && !line.trim_start().starts_with('#') {
            continue;
        }
        let Some(c) = re.captures(line.trim_end()) else {
            continue;
        };
        let (Some(whole), Some(name)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let first = name.as_str().split_whitespace().next().unwrap_or("");
        let linked = whole.as_str()[..name.start() - whole.start()].contains(" d");
        if KINDS.contains(&first) || (linked && name.as_str().split_whitespace().count() < 2) {
            continue;
        }
        push_org(out, start + whole.start(), start + whole.end(), 60);
    }
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    #[test]
    fn a_practice_in_lower_case_ending_a_title_is_named() {
        for (text, want) in [
            (
                "Bilan initial – kiné du sport – cabinet des trois chênes\nPatient : M. Bernard Colin",
                "cabinet des trois chênes",
            ),
            (
                "PLANNING – lundi 4 mai – cabinet forme nouvelle\n09h00 séance",
                "cabinet forme nouvelle",
            ),
            (
                "## Atelier équilibre, association pas à pas du vallon\n\n| Nom | Âge |",
                "association pas à pas du vallon",
            ),
        ] {
            assert!(etabs(text).iter().any(|e| e == want), "{text}: {:?}", etabs(text));
        }
    }

    #[test]
    fn the_kind_of_practice_in_a_title_is_no_name() {
        for text in [
            "Compte rendu – cabinet médical de garde\nRAS",
            "Bilan – cabinet de kinésithérapie libérale\nRAS",
            "Note – association de patients\nRAS",
            "Compte rendu – cabinet infirmier\nRAS",
        ] {
            assert!(etabs(text).is_empty(), "{text}: {:?}", etabs(text));
        }
    }
}
