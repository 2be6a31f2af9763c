//! Places patients belong to (twenty-seventh round): a club by its sport
//! or a club's word and its town's adjective, a club's acronym after the
//! sport played there, a place of worship by its head. Phrases written
//! for these tests; a sport before a word of the language, and a clinical
//! acronym after a sport, stay as they were.
mod common;

use common::{assert_etab as has, assert_no_etab as none};

#[test]
fn a_sport_and_a_towns_adjective_are_a_club() {
    has(
        "| 10h20 | LE GOFF Yvon | 68 | Pétanque Quimperloise | coxarthrose |",
        "Pétanque Quimperloise",
    );
    has(
        "Gala de fin d'année avec l'Étoile Gymnique Brivistes.",
        "Étoile Gymnique Brivistes",
    );
    // a sport before a word of the language is no club
    let t = "Reprise du Judo Lundi prochain, sans randori.";
    none(t);
}

#[test]
fn an_acronym_after_the_sport_played_there_is_a_club() {
    has("Il fait du foot à l'USMB depuis deux ans.", "USMB");
    has("Elle joue au basket avec l'ESBR le mardi.", "ESBR");
    let t = "Natation à l'IME le jeudi, kiné ensuite.";
    none(t);
}

#[test]
fn a_place_of_worship_is_named_by_its_head() {
    has(
        "Elle chante à la cathédrale Saint-Maurice le dimanche.",
        "cathédrale Saint-Maurice",
    );
    has(
        "Prière du vendredi à la mosquée de Saint-Fons.",
        "mosquée de Saint-Fons",
    );
    has(
        "Chute sur les marches de la chapelle Notre-Dame-des-Flots.",
        "chapelle Notre-Dame-des-Flots",
    );
}
