//! A commune written right after its street, without a postcode (issue 18,
//! twenty-fourth round): « 9 allée des Tilleuls, Vannes », « 3 imp des
//! roses pontivy », in any case; a common word there stays unless the
//! address ends with it. Phrases written for these tests.
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
