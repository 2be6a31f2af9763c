//! Establishments named again without their head (twenty-sixth round):
//! a hospital or a school named after a person, written with the hyphens
//! French gives such a name and no person's own name takes (« opérée à
//! Marcel-Brunet », « urgences Henri-Valois »), and a home named by a
//! common word with a room just after it (« chez sa mère aux Mimosas (ch.
//! 12) »). Invented examples.
use sceau_anonymise::Kind;

mod common;
use common::{has, kinds};

#[test]
fn an_eponym_after_a_is_an_establishment() {
    let t = "Depuis mon opération à Marcel-Brunet en mars, je marche mieux.";
    assert!(
        has(t, Kind::Etablissement, "Marcel-Brunet"),
        "{:?}",
        kinds(t)
    );
    let t = "Il a vu son endocrinologue à Henri-Valois jeudi.";
    assert!(
        has(t, Kind::Etablissement, "Henri-Valois"),
        "{:?}",
        kinds(t)
    );
    // with a particle inside
    let t = "Elle a été opérée à Yvon-Le-Gall la semaine dernière.";
    assert!(
        has(t, Kind::Etablissement, "Yvon-Le-Gall"),
        "{:?}",
        kinds(t)
    );
}

#[test]
fn an_eponym_right_after_a_word_of_care_is_an_establishment() {
    let t = "Si ça s'aggrave, direction urgences Henri-Valois.";
    assert!(
        has(t, Kind::Etablissement, "Henri-Valois"),
        "{:?}",
        kinds(t)
    );
}

#[test]
fn compound_first_names_and_eponyms_of_medicine_stay() {
    // two first names joined are one person's first name
    let t = "Merci à Jean-Marc pour le relais.";
    assert!(!has(t, Kind::Etablissement, "Jean-Marc"), "{:?}", kinds(t));
    // a short second part is a nickname (« Marie-Jo »)
    let t = "Transmis à Marie-Jo pour demain.";
    assert!(
        !kinds(t).iter().any(|(k, _)| *k == Kind::Etablissement),
        "{:?}",
        kinds(t)
    );
    // a syndrome's eponym is clinical
    let t = "Fracture de Pouteau-Colles opérée à Lyon.";
    assert!(
        !has(t, Kind::Etablissement, "Pouteau-Colles"),
        "{:?}",
        kinds(t)
    );
    // a commune written so stays a commune
    let t = "Il habite à Saint-Martin-de-Ré depuis dix ans.";
    assert!(
        !has(t, Kind::Etablissement, "Saint-Martin-de-Ré"),
        "{:?}",
        kinds(t)
    );
}

#[test]
fn a_home_with_a_room_after_it() {
    let t = "Bonjour, je suis la fille de Mme Perrot aux Mimosas (ch 14). Elle est tombée.";
    assert!(has(t, Kind::Etablissement, "Mimosas"), "{:?}", kinds(t));
    let t = "Ma tante est à la Roseraie, chambre 8, depuis lundi.";
    assert!(has(t, Kind::Etablissement, "Roseraie"), "{:?}", kinds(t));
}

#[test]
fn a_hospital_named_after_someone_whose_name_is_also_clinical() {
    // the surname is a clinical eponym, the first name before it makes the
    // whole a hospital's name
    let t = "Elle a été opérée à Marcel-Babinski en mai.";
    assert!(
        has(t, Kind::Etablissement, "Marcel-Babinski"),
        "{:?}",
        kinds(t)
    );
    let t = "Atteint de Gilles-de-la-Tourette, suivi à Paris.";
    assert!(
        !has(t, Kind::Etablissement, "Gilles-de-la-Tourette"),
        "{:?}",
        kinds(t)
    );
}

#[test]
fn a_home_named_again_after_a_verb_of_going_back() {
    let t = "Maman est sortie de la clinique hier soir, elle repart demain, elle rentre aux Mimosas lundi.";
    assert!(has(t, Kind::Etablissement, "Mimosas"), "{:?}", kinds(t));
}

#[test]
fn a_home_alone_in_a_planning_cell_before_a_room() {
    let t = "PERROT Lucienne | Aubépines ch. 7 | lun/jeu | PTH G";
    assert!(has(t, Kind::Etablissement, "Aubépines"), "{:?}", kinds(t));
    // a person's name before a room stays a person
    let t = "Dubois ch. 12 : lever au fauteuil";
    assert!(!has(t, Kind::Etablissement, "Dubois"), "{:?}", kinds(t));
    // nor a common word heading a line of transmissions
    let t = "Transmissions\nEntrées ch. 12 et 14 ce matin.";
    assert!(
        !kinds(t).iter().any(|(k, _)| *k == Kind::Etablissement),
        "{:?}",
        kinds(t)
    );
}
