//! Initials that stand for a person (issue 18, twenty-fifth round): a
//! signature of initials alone on its line (« K. », « P. T., IDE »), an
//! initial closing an entry after a dash or a full stop, and a compound
//! initial (« J.-P. ») in the same span as the name after it. The same
//! letters as a postscript, a list's mark or a vitamin stay.
//! Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn found(text: &str) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let persons = spans.iter().filter(|s| s.kind == Kind::Nom);
    persons.map(|s| text[s.start..s.end].to_owned()).collect()
}

fn covered(text: &str, part: &str) -> bool {
    let at = text.find(part).unwrap();
    let spans = Anonymiser::new().detect(text);
    let mut on = vec![false; text.len()];
    for s in spans {
        for c in &mut on[s.start..s.end] {
            *c = true;
        }
    }
    text[at..at + part.len()]
        .char_indices()
        .filter(|(_, c)| c.is_alphanumeric())
        .all(|(i, _)| on[at + i])
}

fn all_covered(cases: &[(&str, &str)]) {
    for (text, part) in cases {
        assert!(covered(text, part), "{part} in {text}: {:?}", found(text));
    }
}

#[test]
fn initials_alone_on_their_line_sign_the_note() {
    all_covered(&[
        ("Patient calme, a dormi.\nSelles ce matin.\n\nK.", "K."),
        ("Pansement refait, pas de fièvre.\nP. T., IDE", "P. T."),
        ("RAS cette nuit, diurèse ok.\n\nR.V.", "R.V."),
        ("Glycémie 1,2 g/l.\nM.-P. L.", "M.-P. L."),
        (
            "Transmis à l'équipe de jour.\nH.B. – cadre de santé, unité Les Tilleuls",
            "H.B.",
        ),
    ]);
}

#[test]
fn an_initial_closes_an_entry() {
    all_covered(&[
        (
            "12/03 — marche 40 m avec déambulateur, revoir vendredi. J.",
            "J.",
        ),
        (
            "Lever fauteuil fait, à poursuivre. – T.\nSuite demain.",
            "T.",
        ),
    ]);
}

#[test]
fn a_compound_initial_goes_with_its_name() {
    all_covered(&[
        ("Tuteur de stage : J.-P. Lenoir, MK", "J.-P. Lenoir"),
        ("Rédigé par J.-P. Lenoir le 3 mars.", "J.-P. Lenoir"),
        ("Pour le Dr Vidal,\nA.-C. R. , secrétaire", "A.-C. R."),
    ]);
}

#[test]
fn letters_that_sign_no_one_stay() {
    for text in [
        "Bonne soirée.\nP.-S. : le rendez-vous est confirmé.",
        "Bilan sanguin fait.\nN.B. : à jeun.",
        "Ajout de vit. D.\nContrôle à 3 mois.",
        "Carence en vitamine D.\nA revoir.",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}
