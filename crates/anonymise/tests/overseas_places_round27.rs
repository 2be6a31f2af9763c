//! Places and telephones of the overseas départements and of regions
//! little seen (twenty-seventh round): two communes joined by a hyphen
//! (« navette Sète-Montpellier »), a commune whose name goes on after a
//! hyphen, a hamlet named by a head of the land before its commune
//! (« Morne Saint-Joseph »), a town abroad after « habite » without « à »,
//! and numbers dialled with the codes of the overseas (« +596 596 … »,
//! « +508 41 22 33 »). Phrases written for these tests.
mod common;

use sceau_anonymise::Kind;

fn of_kind(text: &str, kind: Kind) -> Vec<String> {
    common::kinds(text)
        .into_iter()
        .filter_map(|(k, s)| (k == kind).then_some(s))
        .collect()
}

#[test]
fn two_communes_joined_by_a_hyphen_are_two_places() {
    assert_eq!(
        of_kind(
            "Transport assis : navette Sète-Montpellier le mardi.",
            Kind::Ville
        ),
        ["Sète", "Montpellier"]
    );
    assert_eq!(
        of_kind(
            "Tournée du matin Kourou-Sinnamary, retour 13h.",
            Kind::Ville
        ),
        ["Kourou", "Sinnamary"]
    );
}

#[test]
fn a_first_name_or_a_word_in_a_hyphenated_word_is_no_pair() {
    assert!(of_kind("Bilan post-Lyon du genou, stable.", Kind::Ville).is_empty());
    assert!(of_kind("Aide par sa Grand-Mère le soir.", Kind::Ville).is_empty());
}

#[test]
fn a_commune_goes_on_after_a_hyphen() {
    assert_eq!(
        of_kind(
            "Il vit à Saint-Laurent-de-la-Forêt-Noire depuis mai.",
            Kind::Ville
        ),
        ["Saint-Laurent-de-la-Forêt-Noire"]
    );
}

#[test]
fn a_head_of_lieu_dit_before_its_commune() {
    assert_eq!(
        of_kind(
            "Elle vit à l'écart de Ravine Saint-Leu, sans voiture.",
            Kind::Ville
        ),
        ["Ravine Saint-Leu"]
    );
    // the head read alone as a place after « à » joins its commune
    assert_eq!(
        of_kind(
            "Il monte souvent à Piton Saint-Leu le dimanche.",
            Kind::Ville
        ),
        ["Piton Saint-Leu"]
    );
}

#[test]
fn a_town_abroad_after_habite() {
    assert_eq!(
        of_kind("Sa fille habite Eibar et vient chaque mois.", Kind::Ville),
        ["Eibar"]
    );
    // « habituellement » is no dwelling
    assert!(of_kind("Elle marche habituellement Seattle en tête.", Kind::Ville).is_empty());
}

#[test]
fn overseas_telephones_with_their_codes() {
    assert_eq!(
        of_kind(
            "Joindre la fille au +596 696 41 22 33 le soir.",
            Kind::Telephone
        ),
        ["+596 696 41 22 33"]
    );
    assert_eq!(
        of_kind("Son oncle : +508 41 22 33, à Miquelon.", Kind::Telephone),
        ["+508 41 22 33"]
    );
    assert_eq!(
        of_kind("Famille au Brésil : +55 96 99123 4567.", Kind::Telephone),
        ["+55 96 99123 4567"]
    );
    assert!(common::has(
        "Cabinet de Nouméa : +687 27.18.45, le matin.",
        Kind::Telephone,
        "+687 27.18.45"
    ));
}
