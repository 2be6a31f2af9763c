//! A first name that is also a word of the language, followed by a bracket
//! that opens on a role of the care team or a word of kinship (issue 18,
//! twenty-fourth round): the bracket makes the word a person. The same
//! bracket after a clinical term or a word that is no first name leaves it.
//! Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn found(text: &str) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let persons = spans.iter().filter(|s| s.kind == Kind::Nom);
    persons.map(|s| text[s.start..s.end].to_owned()).collect()
}

#[test]
fn first_names_that_are_words_before_a_bracket_of_role_or_kinship() {
    for (text, name) in [
        ("Étaient là : Virginie (IDEC), Paul et moi.", "Virginie"),
        ("- Jules (fils de Mme Perrin) : Sever, glace.", "Jules"),
        ("Prise de sang faite par Margot (IDE de nuit).", "Margot"),
        ("Appel de Pierrot (son neveu) ce matin.", "Pierrot"),
    ] {
        assert!(
            found(text).iter().any(|s| s.contains(name)),
            "{name} in {text}: {:?}",
            found(text)
        );
    }
}

#[test]
fn clinical_words_before_the_same_bracket_stay() {
    for text in [
        "Lasègue (kiné) négatif à droite.",
        "Marche (aide-soignante présente) sur 20 m.",
        "Pronation (fille présente) limitée.",
        // a role that is also a first name, before its own firm
        "Kiné (kiné du Port) à relancer.",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn speakers_of_a_transcript_are_persons() {
    let text = "Colombe : tu passes voir Mme X ?\nRose : oui après 14h\nColombe : merci !";
    let names = found(text);
    assert!(names.iter().any(|s| s == "Colombe"), "{names:?}");
    assert!(names.iter().any(|s| s == "Rose"), "{names:?}");
}

#[test]
fn a_lone_heading_with_a_colon_stays() {
    for text in [
        "Rose : teinte de la cicatrice.\nPlan : kiné deux fois par semaine.",
        // roles as speakers are no first names
        "Kiné : séance faite.\nMaman : merci beaucoup.\nKiné : à jeudi.",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}
