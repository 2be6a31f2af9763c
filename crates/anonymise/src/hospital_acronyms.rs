//! Hospitals named by their own initials alone: « hospitalisé au CHBA »,
//! « transfert au GHH », « des nouvelles du CHOR ». A French hospital's
//! initials start with those of its kind, « CH » (centre hospitalier) or
//! « GH » (groupe hospitalier), and go on with those of its territory or
//! its name (« CHBA », Bretagne Atlantique): such initials say which
//! hospital as surely as its full name. The kinds alone (« CHU », « CHRU »,
//! « GHT ») name no one hospital, and some initials of the same shape are
//! clinical (« R-CHOP », « GHRH ») or words written in capitals (« CHUTE »).
use crate::dicts::Dicts;
use crate::org_tokens::{take_whole, text_tokens, Tok};
use crate::Cand;

/// Initials of the same shape that name a kind of hospital, a body or a
/// clinical thing, not one hospital.
const NOT_ONE_HOSPITAL: &[&str] = &[
    // kinds of hospital and groupings
    "chru", "chic", "chuv", "chsct", "ghu", "ght", "ghm", "ghs",
    // clinical: regimens, procedures, syndromes, scores, hormones
    "chop", "chip", "charge", "chads", "chad", "chaq", "chest", "ghb", "ghrh", "ghrp", "gher",
];

fn initials(text: &str, t: &Tok) -> bool {
    let w = &text[t.start..t.end];
    let n = w.len();
    w.bytes().all(|b| b.is_ascii_uppercase())
        && (w.starts_with("CH") && (4..=7).contains(&n)
            || w.starts_with("GH") && (3..=7).contains(&n))
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let toks = text_tokens(text);
    let d = Dicts::get();
    for (i, t) in toks.iter().enumerate() {
        if !initials(text, t) {
            continue;
        }
        let f = t.folded.as_str();
        // a word, a name or a commune written in capitals is not initials
        if NOT_ONE_HOSPITAL.contains(&f)
            || d.common.contains(f)
            || d.stop.contains(f)
            || d.surnames.contains_key(f)
            || d.first_names.contains_key(f)
            || d.communes.contains_key(f)
        {
            continue;
        }
        // a file number or a code (« CHAM-25-031377 »), not a hospital
        let before = text[..t.start].chars().next_back();
        let after = text[t.end..].chars().next();
        if matches!(before, Some('-' | '_' | '/' | '.')) && t.start > 0
            || matches!(after, Some('-' | '_' | '/'))
            || after.is_some_and(|c| c.is_alphanumeric())
        {
            continue;
        }
        // a line in capitals (a heading, a shouted message) holds words,
        // not initials: the neighbours are in lower case
        let near_upper = |j: Option<&Tok>| {
            j.is_some_and(|n| {
                n.upper
                    && n.end - n.start > 1
                    && !text[t.end.min(n.end)..t.start.max(n.start)].contains('\n')
            })
        };
        if near_upper(i.checked_sub(1).and_then(|j| toks.get(j))) && near_upper(toks.get(i + 1)) {
            continue;
        }
        take_whole(&mut found, t.start, t.end);
    }
    found.sort_by_key(|c| c.start);
    found
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    #[test]
    fn a_hospital_named_by_its_initials_alone_is_the_hospital() {
        for (t, want) in [
            ("Hospitalisée au CHLV depuis lundi pour sa hanche.", "CHLV"),
            ("Appel du SAMU, transfert au GHNE dans la nuit.", "GHNE"),
            ("Quelqu'un a des nouvelles du CHPA ? Merci.", "CHPA"),
            ("Provenance : GHVM | lit porte", "GHVM"),
        ] {
            let found = etabs(t);
            assert!(found.iter().any(|o| o == want), "{t}: {found:?}");
        }
    }

    #[test]
    fn a_kind_of_hospital_a_regimen_or_a_heading_is_no_hospital() {
        for t in [
            "Cure de R-CHOP n° 3, bien tolérée.",
            "Test de stimulation GHRH normal.",
            "CHUTE DANS LA CHAMBRE CE MATIN",
            "Dossier CHAM-25-031377 transmis.",
            "Intoxication au GHB suspectée.",
        ] {
            let found = etabs(t);
            assert!(found.is_empty(), "{t}: {found:?}");
        }
    }
}
