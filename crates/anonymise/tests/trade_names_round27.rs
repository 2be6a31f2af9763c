//! Firms named by their trade and a place or an owner (twenty-seventh
//! round): a provider's or an employer's trade word beside a region, a
//! side, a commune or a name (« Vendée Appareillage »), and a works named
//! after its river or its owner (« Forges de la Vologne »). Phrases
//! written for these tests; a trade word beside a word of the language
//! (« Orthopédie Pédiatrique ») stays as it was.
mod common;

use common::{assert_etab as has, etabs};

#[test]
fn a_place_and_a_trade_word_are_one_firm() {
    has(
        "Le lit a été livré par Vendée Appareillage ce matin, RAS.",
        "Vendée Appareillage",
    );
    has(
        "Concentrateur fourni par Bretagne Oxygène, astreinte 24 h/24.",
        "Bretagne Oxygène",
    );
    has(
        "Corset refait chez Nord Appareillage (rdv le 4).",
        "Nord Appareillage",
    );
    has(
        "Elle est cariste chez Lorraine Emballages depuis quinze ans.",
        "Lorraine Emballages",
    );
}

#[test]
fn a_trade_word_and_a_place_or_a_name_after_it_are_one_firm() {
    has(
        "Devis du fauteuil : Appareillage Val-de-Loire, 1 240 €.",
        "Appareillage Val-de-Loire",
    );
    has(
        "Il est soudeur chez Chaudronnerie Bretonnante depuis 2009.",
        "Chaudronnerie Bretonnante",
    );
    has(
        "monte-escalier commandé chez Handi-Sud Équipement la semaine passée",
        "Handi-Sud Équipement",
    );
}

#[test]
fn a_works_named_after_its_place_or_owner_is_the_works() {
    has(
        "Ancien ouvrier des Forges de la Vologne, silicose suspectée.",
        "Forges de la Vologne",
    );
    has(
        "Employé aux Chantiers navals du Guip, chute d'échafaudage.",
        "Chantiers navals du Guip",
    );
    has(
        "Elle a travaillé trente ans à la filature de laine Perrin, surdité.",
        "filature de laine Perrin",
    );
    has(
        "Retraité de la tannerie Roussel, eczéma des mains.",
        "tannerie Roussel",
    );
}

#[test]
fn a_trade_word_beside_a_word_of_the_language_is_no_firm() {
    for t in [
        "Avis en Orthopédie Pédiatrique demandé au CHU.",
        "Appareillage Provisoire posé à J10, bonne tolérance.",
        "Oxygène Médical à 2 L/min la nuit.",
        "Veine cave inférieure compressive au scanner.",
    ] {
        let found = etabs(t);
        assert!(found.is_empty(), "{t}: {found:?}");
    }
}

#[test]
fn a_providers_coined_name_told_by_its_cue_or_departement_is_the_provider() {
    has(
        "O2 Oxyloire : la bouteille de déambulation est vide.",
        "Oxyloire",
    );
    has("rappeler Oxy'Loire → lunettes trop courtes", "Oxy'Loire");
    has(
        "Médiconfort 44 — location de lits et de fauteuils",
        "Médiconfort 44",
    );
    has("livraison Respidom 56 prévue demain matin", "Respidom 56");
}

#[test]
fn a_coined_word_of_the_clinical_list_or_a_measure_is_no_provider() {
    for t in [
        "Oxynorm 10 mg si douleur, max 4 par jour.",
        "sous O2 2 L/min, Oxycontin 20 mg le soir.",
    ] {
        let found = etabs(t);
        assert!(found.is_empty(), "{t}: {found:?}");
    }
}
