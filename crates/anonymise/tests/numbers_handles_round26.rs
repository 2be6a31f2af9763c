//! Twenty-sixth round: numbers in records and logs, handles, dates cut in
//! two. Every phrase is written for the test.
use sceau_anonymise::{Anonymiser, Kind};

fn found(t: &str) -> Vec<(Kind, String)> {
    Anonymiser::new()
        .detect(t)
        .into_iter()
        .map(|s| (s.kind, t[s.start..s.end].to_string()))
        .collect()
}

fn has(t: &str, kind: Kind, w: &str) -> bool {
    found(t).iter().any(|(k, v)| *k == kind && v == w)
}

#[test]
fn a_line_break_ends_a_telephone_and_a_week() {
    let t = "date;acte;facture\n2025-02-11;AMK;G25-0417\n2025-03-14;AMK;G25-0588\n";
    let f = found(t);
    assert!(!f.iter().any(|(k, _)| *k == Kind::Telephone), "{f:?}");
    assert!(has(t, Kind::Date, "2025-03-14"), "{f:?}");
    let t = "12 séances prévues pour la semaine 41\n2024 : bilan de fin en décembre";
    assert!(
        !found(t).iter().any(|(_, v)| v.contains('\n')),
        "{:?}",
        found(t)
    );
}

#[test]
fn records_keys_name_their_values() {
    let t = r#"{"id": "R-55012", "nom": "TALEC", "motif": "lombalgie"}
{"bilan_id": 730914, "date": "2024-05-03 10:00"}"#;
    assert!(has(t, Kind::NumeroDossier, "R-55012"), "{:?}", found(t));
    assert!(has(t, Kind::NumeroDossier, "730914"), "{:?}", found(t));
    // a key is no handle
    assert!(
        !found(t).iter().any(|(k, _)| *k == Kind::Pseudo),
        "{:?}",
        found(t)
    );
    // a clinical code under « code » stays
    let t = r#"{"code": "M17.11", "libelle": "gonarthrose"}"#;
    assert!(!has(t, Kind::NumeroDossier, "M17.11"), "{:?}", found(t));
    let t = "[2024-10-02 07:55:10] INFO user=p.loisel connexion OK";
    assert!(has(t, Kind::Pseudo, "p.loisel"), "{:?}", found(t));
}

#[test]
fn an_exports_columns_of_numbers_and_logins() {
    let t =
        "nom;prenom;n_dossier;motif\nLE ROUX;Gaël;K-07112;entorse\nPAGES;Inès;K-07130;lombalgie\n";
    assert!(has(t, Kind::NumeroDossier, "K-07130"), "{:?}", found(t));
    let t = "heure | utilisateur | action | dossier\n08:10 | pgourvil | lecture | 771204\n08:12 | stag.lemoal | impression | 771204\n";
    assert!(has(t, Kind::Pseudo, "pgourvil"), "{:?}", found(t));
    assert!(has(t, Kind::Pseudo, "stag.lemoal"), "{:?}", found(t));
    let t = "Planning imprimé 08:15 par rquere";
    assert!(has(t, Kind::Pseudo, "rquere"), "{:?}", found(t));
}

#[test]
fn a_posts_heading_names_its_author() {
    let t = "Bricolo29 » jeu. 5 juin\nQuelqu'un connaît un kiné ?\n\nmimi.56 » ven. 6 juin\nOui !";
    assert!(has(t, Kind::Pseudo, "Bricolo29"), "{:?}", found(t));
    assert!(has(t, Kind::Pseudo, "mimi.56"), "{:?}", found(t));
    let t = "Loulou-rando – 03/04/2025\nMême souci au genou.";
    assert!(has(t, Kind::Pseudo, "Loulou-rando"), "{:?}", found(t));
    let t = "★★★☆☆ tonton72sarthe – il y a 2 mois\nAccueil sympa.";
    assert!(has(t, Kind::Pseudo, "tonton72sarthe"), "{:?}", found(t));
    // a heading of a note is no author
    let t = "BDK – 12/03/2025 – bilan initial\nBilan – 14/03 : suite";
    assert!(
        !found(t).iter().any(|(k, _)| *k == Kind::Pseudo),
        "{:?}",
        found(t)
    );
}

#[test]
fn numbers_after_their_cue() {
    let t = "Relance pour les factures 000731 à 000736 du mois dernier.";
    assert!(has(t, Kind::NumeroDossier, "000731"), "{:?}", found(t));
    assert!(has(t, Kind::NumeroDossier, "000736"), "{:?}", found(t));
    let t = "Le numéro du sinistre est le 41 207 118 332, merci de le rappeler.";
    assert!(
        found(t)
            .iter()
            .any(|(k, v)| *k == Kind::NumeroDossier && v.starts_with("41 207")),
        "{:?}",
        found(t)
    );
    let t = "Jugement du tribunal judiciaire (RG 24/01187) rendu en mai.";
    assert!(has(t, Kind::NumeroDossier, "24/01187"), "{:?}", found(t));
    let t = "Mutation UF 3120 → 3340 ce jour.";
    assert!(has(t, Kind::NumeroDossier, "3340"), "{:?}", found(t));
    let t = "Joindre l'assistante sociale (poste 37 204) avant la sortie.";
    assert!(has(t, Kind::Telephone, "37 204"), "{:?}", found(t));
}

#[test]
fn dates_cut_in_two() {
    let t = "Journal de la semaine 3-9/02 : douleur 3/10.";
    assert!(has(t, Kind::Date, "3-9/02"), "{:?}", found(t));
    let t = "Séjour de répit – 14 au 15/02/2025";
    assert!(has(t, Kind::Date, "14 au 15/02/2025"), "{:?}", found(t));
    let t = "Je serai en stage jusqu'à Pâques\nLéa 10:02 : ok";
    assert!(has(t, Kind::Date, "Pâques"), "{:?}", found(t));
    let t = "Et le jour de l'an elle a marché seule jusqu'au salon.";
    assert!(
        found(t)
            .iter()
            .any(|(k, v)| *k == Kind::Date && v.contains("jour de l")),
        "{:?}",
        found(t)
    );
}
