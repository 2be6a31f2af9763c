//! A commune written right after its street, without a postcode (issue 18,
//! twenty-fourth round): « 9 allée des Tilleuls, Vannes », « 3 imp des
//! roses pontivy », in any case; a common word there stays unless the
//! address ends with it. Twenty-fifth round: towns named by a short form
//! (« Décines » for Décines-Charpieu, « Caluire » for Caluire-et-Cuire)
//! and after « marché de », a market, not the gait of an eponym. Phrases
//! written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn towns(text: &str) -> Vec<String> {
    Anonymiser::new()
        .detect(text)
        .into_iter()
        .filter(|s| s.kind == Kind::Ville)
        .map(|s| text[s.start..s.end].to_owned())
        .collect()
}

#[test]
fn a_commune_after_a_street_is_the_town() {
    assert_eq!(
        towns("10h15 Mme Le Goff, 9 allée des Tilleuls, Landivisiau : pansement refait."),
        ["Landivisiau"]
    );
    assert_eq!(
        towns("- m. picard 3 imp des roses pontivy : toux, t° 38,2"),
        ["pontivy"]
    );
    assert_eq!(
        towns("2. kerboul – 14 all. des mouettes, plougastel-daoulas – code 1204"),
        ["plougastel-daoulas"]
    );
    assert_eq!(
        towns("Visite au 5 rue des Forges – Morlaix – le mardi."),
        ["Morlaix"]
    );
}

#[test]
fn a_word_after_a_street_stays_a_word() {
    assert!(towns("Vit au 12 rue des Lilas depuis 2019, marche avec canne.").is_empty());
    assert!(towns("Domicile : 4 rue du Port, escaliers raides, vue sur mer.").is_empty());
}

#[test]
fn a_commune_before_its_own_postcode_is_the_town() {
    assert_eq!(
        towns("| Morvan Éric | Lannion 22300, 7 rue des Ajoncs |"),
        ["Lannion"]
    );
    // a postcode that is not the word's commune: the word stays
    assert!(towns("Dossier Marche 22300 à revoir.").is_empty());
}

#[test]
fn the_first_part_of_a_merged_commune_is_the_town() {
    assert_eq!(
        towns("Elle cherche un cabinet vers Décines pour la suite."),
        ["Décines"]
    );
    assert_eq!(
        towns("transféré ensuite au centre de soins à carhaix point marche avec canne"),
        ["carhaix"]
    );
    assert_eq!(
        towns("Scanner prévu à la polyclinique a Caluire. Je rappelle lundi."),
        ["Caluire"]
    );
    assert_eq!(
        towns("Il travaille à Romorantin depuis dix ans."),
        ["Romorantin"]
    );
}

#[test]
fn a_short_form_that_is_a_person_or_a_word_stays() {
    // « Vincent » of Vincent-Froideville, « Claye » of Claye-Souilly: a
    // first name or a surname is not taken for the town
    assert!(towns("Revu avec Vincent ce matin, bonne évolution.").is_empty());
    assert!(towns("Courrier du Dr Claye reçu, rien à signaler.").is_empty());
}

#[test]
fn a_commune_after_the_market_is_the_town() {
    assert_eq!(
        towns("Jeu 4 sortie au marché de Quimperlé avec le minibus de la résidence."),
        ["Quimperlé"]
    );
    assert_eq!(
        towns("Il raconte sa chute au marché de Nuits-Saint-Georges, sans gravité."),
        ["Nuits-Saint-Georges"]
    );
    // the gait of an eponym stays
    assert!(towns("Marche de Trendelenburg à droite, boiterie d'esquive.").is_empty());
}
