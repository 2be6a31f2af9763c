//! Shops and trades named after their owner or their village, written in
//! lower case: « mon employeur, boulangerie fayolle », « la menuiserie
//! bréhat ». Messages and forms typed without capitals lose the cue that
//! `orgs` reads (« Boulangerie Fayolle »); the trade's head still says a
//! firm's name follows, and a surname or a commune that is no common word
//! is that name.

use crate::dicts::Dicts;
use crate::org_tokens::{joined, push_org, Tok};
use crate::Cand;

pub(crate) fn detect(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    let d = Dicts::get();
    for w in toks.windows(2) {
        let (head, name) = (&w[0], &w[1]);
        let f = name.folded.as_str();
        if head.cap
            || head.upper
            || !crate::trades::trade_head(&head.folded)
            || name.cap
            || name.upper
            || !joined(text, head, name)
            || f.chars().count() < 4
            || !f.chars().all(|c| c.is_alphabetic() || c == '-')
        {
            continue;
        }
        // a surname or a commune, never a word the language also has
        // (« boulangerie voisine », « garage fermé »), a clinical word or
        // one of grammar
        let named = d.surnames.contains_key(f) || d.communes.contains_key(f);
        if named
            && !d.common.contains(f)
            && !d.allow.contains(f)
            && !d.stop.contains(f)
            && !crate::not_name_words::not_a_name_word(f)
        {
            push_org(out, head.start, name.end, 60);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    #[test]
    fn a_trade_in_lower_case_and_its_owner_or_village_is_the_firm() {
        for (text, want) in [
            (
                "mon patron, boulangerie garnaud, veut que je reprenne lundi",
                "boulangerie garnaud",
            ),
            (
                "il est apprenti à la menuiserie pouzauges depuis mars",
                "menuiserie pouzauges",
            ),
            (
                "elle fait les marchés pour la fromagerie lacombe le samedi",
                "fromagerie lacombe",
            ),
        ] {
            assert_eq!(etabs(text), [want], "{text}");
        }
    }

    #[test]
    fn a_trade_and_a_common_word_is_no_firm() {
        let found: Vec<(&str, Vec<String>)> = [
            "la boulangerie voisine ouvre à 7h",
            "le garage ferme en août, il prend le bus",
            "elle travaille en boulangerie depuis dix ans",
            "il a mal au dos depuis la menuiserie industrielle",
        ]
        .into_iter()
        .map(|t| (t, etabs(t)))
        .filter(|(_, e)| !e.is_empty())
        .collect();
        assert!(found.is_empty(), "{found:?}");
    }
}
