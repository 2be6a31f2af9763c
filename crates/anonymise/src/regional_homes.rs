//! Homes and day hospitals named in Breton or Corsican: « l'EHPAD Ty Maï »,
//! « l'hdj ker avel », « l'ehpad u serenu ». The name starts with a
//! particle of the language (Breton « Ker » a place, « Ty »/« Ti » a house,
//! the articles « Ar », « An », « Al »; Corsican « U » the article) that no
//! French dictionary knows, so the passes that read names after a home's
//! head stop at it, or take the two words for a person (« Ker Heol »).
//! After a head of care the particle and the word after it are the name.
use crate::dicts::Dicts;
use crate::org_tokens::{joined, take_whole, text_tokens};
use crate::Cand;

/// Heads of homes and places of care that such a name follows. Not
/// « résidence » nor « maison »: « résidence Ty Glaz, appt 9 » is where
/// someone lives, an address that the address pass completes.
const HEADS: &[&str] = &[
    "ehpad", "ehpa", "usld", "mapad", "marpa", "hdj", "ssr", "smr", "foyer", "clinique", "creche",
    "ime",
];

/// The particles a Breton or Corsican name of a place starts with.
const PARTICLES: &[&str] = &["ker", "ty", "ti", "ar", "an", "al", "u"];

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let toks = text_tokens(text);
    let d = Dicts::get();
    for i in 0..toks.len().saturating_sub(2) {
        let (h, p, w) = (&toks[i], &toks[i + 1], &toks[i + 2]);
        // the particle right after the head, and a word right after it
        if !(HEADS.contains(&h.folded.as_str())
            && PARTICLES.contains(&p.folded.as_str())
            && text[h.end..p.start] == *" "
            && text[p.end..w.start] == *" "
            && joined(text, p, w))
        {
            continue;
        }
        // the word is a name's: letters, and no word of grammar
        // (« l'EHPAD u de … » would be a typing slip, not a name)
        let f = w.folded.as_str();
        // a diaeresis marks a name, not a word of the language: « Maï »
        // is no month « mai »
        let diaeresis = text[w.start..w.end].contains(['ï', 'ë', 'ü', 'Ï', 'Ë', 'Ü']);
        if f.chars().count() < 2
            || !f.chars().all(char::is_alphabetic)
            || !diaeresis && (d.stop.contains(f) || crate::not_name_words::not_a_name_word(f))
        {
            continue;
        }
        take_whole(&mut found, h.start, w.end);
    }
    found.sort_by_key(|c| c.start);
    found
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    #[test]
    fn a_breton_or_corsican_name_after_a_home_is_the_home() {
        for (t, want) in [
            ("Transférée à l'hdj ker avel hier soir.", "hdj ker avel"),
            (
                "Résidente de l'ehpad u castellu depuis mai.",
                "ehpad u castellu",
            ),
            (
                "Aide-soignante à l'EHPAD Ti Mor de Douarnenez.",
                "EHPAD Ti Mor",
            ),
            // « Maï » is no month: its diaeresis says the name
            ("Infirmière à l'EHPAD Ty Maï depuis juin.", "EHPAD Ty Maï"),
        ] {
            let found = etabs(t);
            assert!(found.iter().any(|o| o.starts_with(want)), "{t}: {found:?}");
        }
    }
}
