//! Persons named by a nickname in quotes, and by an initial and a surname
//! that is also a word where a signature or a cell holds them alone (issue
//! 18, twenty-fifth round). Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn found(text: &str) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let persons = spans.iter().filter(|s| s.kind == Kind::Nom);
    persons.map(|s| text[s.start..s.end].to_owned()).collect()
}

fn assert_found(text: &str, name: &str) {
    let names = found(text);
    assert!(
        names.iter().any(|s| s.contains(name)),
        "{name} in {text}: {names:?}"
    );
}

#[test]
fn a_nickname_in_quotes_is_a_person() {
    for (text, name) in [
        // after a full name, in a bracket that opens on the quotes
        (
            "Patient : GARNIER Paul (« Gros Paulo »), 40 ans, talonnier.",
            "Gros Paulo",
        ),
        (
            "Je suis le kiné de Julien Morel (\"Juju\" pour ses amis), opéré du LCA.",
            "Juju",
        ),
        // after « dite », « appelée », « surnommé »
        ("Sa tante, Lucienne dite « Lulu », viendra samedi.", "Lulu"),
        (
            "Mme Y (appelée « Tata Mimi » par les soignants), 88 ans.",
            "Tata Mimi",
        ),
        // after a word of kinship, or before a bracket of kinship
        (
            "Son petit-fils « Nanou » l'accompagne le mercredi.",
            "Nanou",
        ),
        (
            "Elle réclame « Bébert » (son mari Albert) chaque soir.",
            "Bébert",
        ),
    ] {
        assert_found(text, name);
    }
}

#[test]
fn quoted_terms_stay() {
    for text in [
        "Vertige positionnel, manœuvre dite « Epley » faite à droite.",
        "Douleur dite « mécanique », EVA 4.",
        "Syndrome dit « Tako-Tsubo » en 2019.",
        "Protocole (« GRTP ») repris à J8.",
        "Exercices (« Pont » et « Gainage ») à faire chaque jour.",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn an_initial_and_a_surname_that_is_a_word_alone_in_a_signature_or_a_cell() {
    for (text, name) in [
        ("Chute en récréation, glace.\nInfirmière du collège : B. Carré", "B. Carré"),
        ("Dernière mise à jour : 03/04/2026 par IDEC G. Boucher", "G. Boucher"),
        ("| 14h | Mme Pelletier | équilibre | D. Mercier |\n| 15h | M. Roy | marche | D. Mercier |", "D. Mercier"),
        ("Sans réponse de votre part, le dossier sera clos.\nLa directrice, Ch. Meunier", "Ch. Meunier"),
    ] {
        assert_found(text, name);
    }
}

#[test]
fn an_initial_before_a_word_elsewhere_stays() {
    for text in [
        "Carence en vitamine D. Pas de supplémentation.",
        "Hépatite B. Vaccin à jour.",
        "Groupe : A. Positif.",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn initials_a_legend_spells_out_are_the_person() {
    let text = "heure;patient;acte;kiné\n9h;Roger Blin;marche;CD\n\
                10h;Anne Roy;épaule;CD\nlégende : CD = Camille Duclos";
    let names = found(text);
    let cd = names.iter().filter(|s| s.as_str() == "CD").count();
    assert_eq!(cd, 3, "{names:?}");
    // letters that are not the name's initials stay
    assert!(!found("Soins : MK = Paul Fabre, le matin.")
        .iter()
        .any(|s| s == "MK"));
}

#[test]
fn a_column_headed_mk_holds_carers() {
    let text = "jour,heure,nom,prenom,mk\nlundi,08:30,ROY,Anne,GT\nlundi,09:15,BLIN,Roger,PL\n";
    let names = found(text);
    for w in ["GT", "PL"] {
        assert!(names.iter().any(|s| s == w), "{w}: {names:?}");
    }
}
