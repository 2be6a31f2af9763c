//! Rooms in brackets after a resident's name (issue 18, twenty-fifth round):
//! in transmissions, « M DUVAL (7) », « MME ROCHE & M ROCHE (3 et 4) »,
//! « M. LENOIR Paul (16, frère de Mme Lenoir) », « Mme Faure (112 bis) »:
//! a title written in capitals or « M » without its dot, two rooms joined
//! by « et », a room before a comma that says more of the person, a room
//! with « bis ». Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

/// The spans of `kind` found in `text`.
fn spans_of(text: &str, kind: Kind) -> Vec<(usize, usize)> {
    Anonymiser::new()
        .detect(text)
        .into_iter()
        .filter(|s| s.kind == kind)
        .map(|s| (s.start, s.end))
        .collect()
}

/// `part`, found in `text` right after `before`, lies whole inside a span of
/// `kind`.
fn covered(text: &str, before: &str, part: &str, kind: Kind) -> bool {
    let from = text
        .find(&format!("{before}{part}"))
        .expect("part of the text")
        + before.len();
    let spans = spans_of(text, kind);
    (from..from + part.len()).all(|i| spans.iter().any(|&(s, e)| s <= i && i < e))
}

#[test]
fn rooms_in_brackets_after_a_name_in_capitals_or_a_bare_m() {
    let text = "Transmissions EHPAD – équipe de jour\n\
                M DUVAL (7) : a chuté dans le couloir, pas de plaie.\n\
                MME ROCHE & M ROCHE (3 et 4) : ont mangé ensemble.\n\
                M. LENOIR Paul (16, frère de Mme Lenoir) : RAS.\n\
                Prévoir bilan pour Mme Faure (112 bis) jeudi.\n";
    for (before, part) in [
        ("DUVAL (", "7"),
        ("ROCHE (", "3"),
        ("3 et ", "4"),
        ("Paul (", "16"),
        ("Faure (", "112 bis"),
    ] {
        assert!(
            covered(text, before, part, Kind::Chambre),
            "{part}: {:?}",
            spans_of(text, Kind::Chambre)
        );
    }
}

#[test]
fn figures_in_brackets_that_are_no_rooms_stay() {
    for text in [
        // an age, an address, a score, a count: no room
        "Transmissions EHPAD\nM DUVAL (84) : entrée ce jour.",
        "Transmissions EHPAD\nM. LENOIR Paul (12, rue des Acacias) : visite de sa fille.",
        "Transmissions EHPAD\nMME ROCHE (EVA 3, douleur genou) : antalgique donné.",
        "Transmissions EHPAD\nM DUVAL (2 et 3 ans de suivi) : RAS.",
        "Le patient M DUVAL (7) est vu en consultation.",
    ] {
        let spans = spans_of(text, Kind::Chambre);
        assert!(spans.is_empty(), "{text}: {spans:?}");
    }
}

#[test]
fn a_room_written_ch_dot_makes_a_text_about_rooms() {
    // no word of rooms but « ch. 214 »: the bracket after « M. Petit » is
    // a room as well
    let text = "Atelier équilibre mardi — inscrire Mme Guyot (ch. 214) et M. Petit (108 bis).";
    assert!(
        covered(text, "Petit (", "108 bis", Kind::Chambre),
        "{:?}",
        spans_of(text, Kind::Chambre)
    );
}
