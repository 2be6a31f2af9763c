//! Places that are no commune, named by their head (« lac de … », « col de
//! … », « forêt domaniale des … », « Section … »), and a postcode written in
//! a record beside its own commune (a CSV row, an HL7 segment, a JSON
//! object), issue 18, twenty-fifth round; the heads' two lists made one in
//! the twenty-sixth. Phrases written for these tests.
//! object), issue 18, twenty-fifth round. Twenty-sixth round: a
//! département, a region or a massif after a preposition of place, or a
//! compound one anywhere (« dans l'Aveyron », « de Haute-Marne »), never
//! after an acronym's service (« CPAM Val-de-Marne ») nor as a direction
//! (« secteur Nord »); a business park, an estate before its link and a ski
//! run with their head (« ZAC du Vallon », « lot. des Trois Chênes », «
//! piste des Lutins »); a table's room column when a row splits the name
//! into two cells. Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn spans(text: &str, kind: Kind) -> Vec<String> {
    Anonymiser::new()
        .detect(text)
        .into_iter()
        .filter(|s| s.kind == kind)
        .map(|s| text[s.start..s.end].to_owned())
        .collect()
}

fn covered(text: &str, part: &str) -> bool {
    let at = text.find(part).expect("part in text");
    let spans = Anonymiser::new().detect(text);
    (at..at + part.len())
        .filter(|&i| text.is_char_boundary(i) && text[i..].starts_with(char::is_alphanumeric))
        .all(|i| spans.iter().any(|s| s.start <= i && i < s.end))
}

fn no_address(texts: &[&str]) {
    for text in texts {
        assert!(
            spans(text, Kind::Adresse).is_empty(),
            "no address in « {text} »"
        );
    }
}

#[test]
fn a_landmark_is_replaced_with_its_head() {
    for (text, place) in [
        (
            "Marche quotidienne autour du lac de Montrevel avec sa fille.",
            "lac de Montrevel",
        ),
        (
            "Chute à ski de fond au col de la Croix-Perrin, rapatriée par hélico.",
            "col de la Croix-Perrin",
        ),
        (
            "Accident de débardage en forêt domaniale des Bréhaudières, fracture ouverte.",
            "forêt domaniale des Bréhaudières",
        ),
        (
            "Il tient un cabanon sur la plage de Porto Pollo tout l'été.",
            "plage de Porto Pollo",
        ),
        (
            "Sortie jusqu'au plan d'eau de la Vézeronce, 800 m aller.",
            "plan d'eau de la Vézeronce",
        ),
        (
            "Route coupée au niveau du Pas de la Fauge après l'orage.",
            "Pas de la Fauge",
        ),
        (
            "M. Lurel, 61 ans, Section Grand-Fonds, diabétique.",
            "Section Grand-Fonds",
        ),
        (
            "Elle habite un mas en amont de la vallée de l'Ardouane.",
            "vallée de l'Ardouane",
        ),
    ] {
        assert!(covered(text, place), "{place} in « {text} »");
    }
}

#[test]
fn clinical_phrases_with_a_head_stay() {
    no_address(&[
        "Fracture du col du fémur droit opérée.",
        "Pas de Lachman, pas de PC. Travail sur plateau de Freeman.",
        "Pas de Voltarène au long cours.",
        "COL DU FÉMUR : prothèse intermédiaire.",
    ]);
}

/// Twenty-sixth round, one list of named places: what the first pass
/// read for its own heads now holds for every head.
#[test]
fn every_head_is_read_in_any_case() {
    let text = "Baignade à la PLAGE de Kervillen, puis ferry pour l'ile de Batz.";
    assert_eq!(
        spans(text, Kind::Adresse),
        ["PLAGE de Kervillen", "ile de Batz"]
    );
}

#[test]
fn a_span_read_over_the_head_is_taken_in() {
    // « Rochers » alone is read as an establishment, « Sabre » as a surname
    let text = "Sortie du club (boucle des Rochers de Sabre, 6 km) après la séance.";
    assert_eq!(spans(text, Kind::Adresse), ["Rochers de Sabre"]);
}

#[test]
fn a_name_with_a_combining_accent_is_whole() {
    let text = "Il vit près de la plage de Kerve\u{301}ny depuis 2019.";
    assert_eq!(spans(text, Kind::Adresse), ["plage de Kerve\u{301}ny"]);
}

#[test]
fn a_drug_of_the_allow_list_after_a_head_stays() {
    // an anti-Xa activity is measured at the peak of the heparin
    no_address(&["Anti-Xa à 0,8 UI/mL au pic de Lovenox, dose maintenue."]);
}

#[test]
fn a_postcode_beside_its_commune_in_a_record() {
    let csv = "K2;mar 01/12;09:00;PETIT;Jean;8 rue Haute;Abbeville;80100;AMK 7,5;RAS";
    assert_eq!(spans(csv, Kind::CodePostal), ["80100"]);
    let hl7 = "PID|1||123||MARTIN^PAUL||19400101|M|||4 RUE DU PORT^^CONCARNEAU^^29900^FRA||";
    assert_eq!(spans(hl7, Kind::CodePostal), ["29900"]);
    let json = r#"{"ligne1": "Kerbiquet", "cp": "29400", "ville": "Landivisiau"}"#;
    assert_eq!(spans(json, Kind::CodePostal), ["29400"]);
    let spaced = r#""lieu-dit Le Chêne","35 240","Retiers","02 99 xx xx xx""#;
    assert_eq!(spans(spaced, Kind::CodePostal), ["35 240"]);
}

#[test]
fn five_figures_without_their_commune_stay() {
    // 29900 is Concarneau's, not Abbeville's; a count is no postcode
    let text = "Abbeville;29900;AMK 7,5";
    assert!(spans(text, Kind::CodePostal).is_empty());
    let text = "Km compteur 80100, plein fait à Abbeville.";
    assert!(spans(text, Kind::CodePostal).is_empty());
}

#[test]
fn a_fracture_class_or_a_club_section_is_no_place() {
    no_address(&[
        "Fracture du col Garden III, prothèse cervicocéphalique.",
        "Match de la Section de Poitiers samedi.",
    ]);
}

#[test]
fn a_tribe_is_its_name() {
    let text = "Originaire de la tribu de Netchaot (Koné), rugbyman.";
    assert!(spans(text, Kind::Adresse).contains(&"Netchaot".to_owned()));
}

#[test]
fn a_basque_house_is_named_by_its_head() {
    let text = "Il vit seul dans l'etxe Haranburua, au-dessus du village.";
    assert!(covered(text, "etxe Haranburua"));
}

#[test]
fn a_lieu_dit_before_its_postcode_in_lower_case_or_after_a_dash() {
    let text = "Patient : M. Roux, né le 02/03/1950, le Bourg, 15300 Murat";
    assert!(covered(text, "le Bourg"));
    let text = "Cabinet infirmier\nLa Croisée — 48150 Meyrueis\n";
    assert!(covered(text, "La Croisée"));
}

#[test]
fn a_departement_after_a_preposition_is_a_place() {
    assert_eq!(
        spans(
            "On a déménagé dans l'Aveyron l'an dernier, loin de ses filles.",
            Kind::Ville
        ),
        ["Aveyron"]
    );
    assert_eq!(
        spans(
            "Si quelqu'un de Haute-Marne connaît une kiné, merci.",
            Kind::Ville
        ),
        ["Haute-Marne"]
    );
}

#[test]
fn a_compound_region_stands_alone() {
    assert_eq!(
        spans(
            "journées régionales de kinésithérapie Bourgogne-Franche-Comté\nRelecteur : Paul",
            Kind::Ville
        ),
        ["Bourgogne-Franche-Comté"]
    );
}

#[test]
fn a_service_a_direction_and_an_event_are_no_place() {
    let text = "Remboursé par la CPAM Val-de-Marne. Tournée secteur Nord le matin. \
                Il prépare le Tour des Landes en juin.";
    assert!(
        spans(text, Kind::Ville).is_empty(),
        "{:?}",
        spans(text, Kind::Ville)
    );
}

#[test]
fn a_business_park_an_estate_and_a_ski_run_keep_their_head() {
    assert_eq!(
        spans(
            "Employeur : Menuiserie Tallec, ZAC du Vallon, rue des Forges.",
            Kind::Adresse
        )
        .first()
        .map(String::as_str),
        Some("ZAC du Vallon")
    );
    assert_eq!(
        spans(
            "Domicile : lot. des Trois Chênes, maison de plain-pied.",
            Kind::Adresse
        ),
        ["lot. des Trois Chênes"]
    );
    assert_eq!(
        spans(
            "Chute à ski sur la piste des Lutins vers 11 h.",
            Kind::Adresse
        ),
        ["piste des Lutins"]
    );
}

#[test]
fn a_room_column_is_read_when_a_row_splits_the_name() {
    let text = "Point lits du jeudi\n\
                Site;Service;Ch.;Patient;Entrée;Orientation\n\
                Hôpital Nord;Médecine;214;MORVAN;Gisèle;03/02;SMR\n\
                Hôpital Nord;Gériatrie;C12;TANGUY;Paul;05/02;domicile\n";
    let rooms = spans(text, Kind::Chambre);
    assert!(rooms.contains(&"214".to_string()), "{rooms:?}");
    assert!(rooms.contains(&"C12".to_string()), "{rooms:?}");
}
