//! A person found in part: the words beside a first name or a surname that
//! complete the name go into the same person, under one pseudonym, and a
//! clinical eponym stays a term where it is used as one.
use sceau_anonymise::Anonymiser;

fn out(text: &str) -> String {
    Anonymiser::new().anonymise(text).text
}

/// The pseudonyms (« Personne A », « M. B »…) in the order of the text.
fn persons(text: &str) -> Vec<String> {
    Anonymiser::new()
        .anonymise(text)
        .replacements
        .into_iter()
        .filter(|r| r.kind == sceau_anonymise::Kind::Nom)
        .map(|r| r.pseudonym)
        .collect()
}

/// « Dr B », « Personne B », « B » → « B ».
fn letter(p: &str) -> &str {
    p.rsplit(' ').next().unwrap_or(p)
}

#[test]
fn capitalised_word_after_a_first_name_is_the_surname() {
    // a word of the language
    let o = out("Orthoptiste : Solène Grand\nRevue le 12.");
    assert!(!o.contains("Grand"), "{o}");
    let o = out("ch 3-12 M. Étienne Blanc : lombalgie commune, reprise du vélo.");
    assert!(!o.contains("Blanc"), "{o}");
    // an eponym, after a title or without one
    let o = out("Docteur Mireille Parkinson\nNeurologue\nLe signe de Parkinson est absent.");
    assert!(!o.contains("Mireille Parkinson"), "{o}");
    assert!(o.contains("signe de Parkinson"), "{o}");
    let o =
        out("Dr Gaspard De Quervain\nChirurgie de la main\nTénosynovite de De Quervain à droite.");
    assert!(!o.contains("Gaspard"), "{o}");
    assert!(!o.contains("Dr Gaspard De Quervain"), "{o}");
    let o =
        out("Son interprète, Liam Harrington, traduit les consignes. Ancienne tige de Harrington.");
    assert!(!o.contains("Liam Harrington"), "{o}");
    assert!(o.contains("tige de Harrington"), "{o}");
    let o = out("Rééducateur : Mathis Neer (oui, comme le test).\nTest de Neer positif à gauche.");
    assert!(!o.contains("Mathis Neer"), "{o}");
    assert!(o.contains("Test de Neer positif"), "{o}");
}

#[test]
fn eponym_in_clinical_use_after_no_first_name_stays() {
    let o = out("Maladie de Parkinson évoluée, test de Neer négatif, syndrome de Lemaire.");
    assert!(o.contains("Maladie de Parkinson"), "{o}");
    assert!(o.contains("test de Neer"), "{o}");
}

#[test]
fn one_pseudonym_for_the_whole_name() {
    let p = persons("Dr Agathe Parkinson\nNeurologue\nLa Dr Parkinson revoit le patient.");
    assert!(p.len() >= 2, "{p:?}");
    assert!(
        p.windows(2).all(|w| letter(&w[0]) == letter(&w[1])),
        "{p:?}"
    );
}

#[test]
fn an_initial_signing_a_letter_is_the_person_named_in_full() {
    let p = persons("Dr Armelle De Quervain\nChirurgie de la main\nBien à vous,\nA. De Quervain");
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(letter(&p[0]), letter(&p[1]), "{p:?}");
}
