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

/// Each text, anonymised, no longer shows what follows it.
fn cleared(cases: &[(&str, &str)]) {
    for (text, gone) in cases {
        let o = out(text);
        assert!(!o.contains(gone), "{gone}: {o}");
    }
}

/// Each text, anonymised, still shows what follows it.
fn kept(cases: &[(&str, &str)]) {
    for (text, stays) in cases {
        let o = out(text);
        assert!(o.contains(stays), "{stays}: {o}");
    }
}

/// « Dr B », « Personne B », « B » → « B ».
fn letter(p: &str) -> &str {
    p.rsplit(' ').next().unwrap_or(p)
}

#[test]
fn capitalised_word_after_a_first_name_is_the_surname() {
    cleared(&[
        // a word of the language
        ("Orthoptiste : Solène Grand\nRevue le 12.", "Grand"),
        ("ch 3-12 M. Étienne Blanc : lombalgie commune.", "Blanc"),
        // an eponym, after a title or without one
        ("Docteur Mireille Parkinson\nNeurologue", "Parkinson"),
        ("Dr Gaspard De Quervain\nChirurgie de la main", "Quervain"),
        ("Son interprète, Liam Harrington, traduit.", "Harrington"),
        ("Rééducateur : Mathis Neer (oui, comme le test).", "Neer"),
    ]);
    // the same eponyms, used as terms in the same texts, stay
    let o = out("Docteur Mireille Parkinson\nNeurologue\nLe signe de Parkinson est absent.");
    assert!(o.contains("signe de Parkinson"), "{o}");
    let o = out("Dr Gaspard De Quervain\nTénosynovite de De Quervain à droite.");
    assert!(!o.contains("Dr Gaspard De Quervain"), "{o}");
    let o = out("Son interprète, Liam Harrington, traduit. Ancienne tige de Harrington.");
    assert!(o.contains("tige de Harrington"), "{o}");
    let o = out("Rééducateur : Mathis Neer.\nTest de Neer positif, Neer et Hawkins positifs.");
    assert!(o.contains("Test de Neer positif, Neer et Hawkins"), "{o}");
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

#[test]
fn dictated_names_in_lower_case_are_taken_whole() {
    cleared(&[
        // a title, a first name, a surname that is also an eponym
        ("bilan de sortie mlle maëlys bouchard seize ans", "bouchard"),
        (
            "bilan madame ginette lemaire virgule née le trois mars",
            "lemaire",
        ),
        // « le » and a word that the surnames hold together
        (
            "je revois ce jour monsieur gwenaël le bras que vous",
            "le bras",
        ),
        ("le kiné monsieur erwan le dû prendra le relais", "le dû"),
        // the surname first, then the first name
        (
            "euh bilan de monsieur morvan gilbert chambre six",
            "gilbert",
        ),
        ("euh bilan de monsieur morvan gilbert chambre six", "morvan"),
        (
            "patiente madame caradec odile quatre-vingt-dix ans",
            "odile",
        ),
    ]);
    // words of the language stay
    let o = out("vu monsieur paul le matin et le soir");
    assert!(o.contains("le matin"), "{o}");
}

#[test]
fn lower_case_surname_first_is_one_person_with_the_surname_alone() {
    let p = persons("bilan de monsieur morvan gilbert chambre six. monsieur morvan marche seul.");
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(letter(&p[0]), letter(&p[1]), "{p:?}");
    let p = persons("mme le goff yvette ch 12 : marche. Mme Le Goff est contente.");
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(letter(&p[0]), letter(&p[1]), "{p:?}");
}
#[test]
fn a_relative_in_lower_case_keeps_the_particle_of_the_surname() {
    cleared(&[
        (
            "sa fille gaëlle le goff demande si on peut décaler",
            "le goff",
        ),
        (
            "depuis le décès de son mari loïc le cam il y a deux ans",
            "le cam",
        ),
    ]);
}

#[test]
fn a_lower_case_name_where_a_person_is_expected() {
    cleared(&[
        (
            "bilan sport – genou\npatient : hugo perrichon, 22 ans",
            "perrichon",
        ),
        (
            "bilan sport – genou\npatient : hugo perrichon, 22 ans",
            "hugo",
        ),
        (
            "compte rendu patient thibaut kerhervé douze ans",
            "kerhervé",
        ),
        (
            "bonjour,\nje suis cédric lemoal et je voudrais un rdv",
            "lemoal",
        ),
        (
            "Nom / prénom : garnier jean-luc\nNé le 03.04.1961",
            "jean-luc",
        ),
        (
            "Nom / prénom : garnier jean-luc\nNé le 03.04.1961",
            "garnier",
        ),
        ("| 12/11 | yanis morel | genou |", "morel"),
    ]);
    // ordinary words after a first name are not taken
    kept(&[
        (
            "patient : marche avec canne, pierre angulaire",
            "pierre angulaire",
        ),
        (
            "patiente marie contente, rose pâle au réveil",
            "marie contente",
        ),
        ("patiente marie contente, rose pâle au réveil", "rose pâle"),
    ]);
}

#[test]
fn a_nickname_in_quotes_inside_the_name_is_one_person() {
    cleared(&[
        ("Élève : Mathéo « Titi » Carvalho, 13 ans.", "Carvalho"),
        ("Élève : Mathéo « Titi » Carvalho, 13 ans.", "Titi"),
        (
            "Assuré : M. Jean-Marc « JM » Perrault, retraité",
            "Perrault",
        ),
    ]);
    let p = persons("Élève : Mathéo « Titi » Carvalho.\nMathéo Carvalho revient jeudi.");
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(letter(&p[0]), letter(&p[1]), "{p:?}");
}

#[test]
fn a_first_name_in_lower_case_before_a_surname_in_capitals() {
    cleared(&[("steph : ok. c gaëtan KERVADEC, son num 06 12", "gaëtan")]);
    kept(&[("le patient dit marche OK, pas de DOULEUR", "DOULEUR")]);
}

/// The first and the last person of the text get two different letters.
fn two_people(texts: &[&str]) {
    for text in texts {
        let p = persons(text);
        assert!(p.len() >= 2, "{text}: {p:?}");
        assert_ne!(letter(&p[0]), letter(p.last().unwrap()), "{text}: {p:?}");
    }
}

#[test]
fn a_title_in_lower_case_left_out_of_the_key_still_tells_who_the_name_can_be() {
    two_people(&[
        // a doctor is not the patient of the same surname
        "patiente madame armelle querné quatre-vingt-deux ans. adressée par le docteur querné.",
        "Mme Armelle Quéré, 82 ans. Courrier au dr quéré pour avis.",
        "monsieur tanguy gilles soixante ans. revu avec le docteur tanguy.",
        // after a title, a surname that is a first name too is not the
        // first name of another person
        "M. Laurent Pichon, 58 ans. monsieur laurent, son voisin, a appelé.",
        "monsieur thomas roussel quarante ans. monsieur thomas, son voisin, a appelé.",
    ]);
}

#[test]
fn a_girl_and_a_woman_of_one_surname_are_two_people() {
    two_people(&[
        // « mlle » and « madame », in lower case or capitals: a daughter
        // and her mother as often as one woman
        "bilan de mlle clémence rivoal quatorze ans. madame rivoal nous dit qu'elle dort mal.",
        "Mlle Clémence Rivoal, 14 ans. Mme Rivoal nous dit qu'elle dort mal.",
        "mme le bihan yolande ch 4. mlle le bihan est passée ce matin.",
    ]);
}

#[test]
fn a_first_name_that_is_a_word_after_a_lower_case_compound_surname() {
    cleared(&[
        ("bilan de monsieur le guen pierre, soixante ans.", "pierre"),
        (
            "madame le bras rose quatre-vingts ans, chambre deux.",
            "rose",
        ),
    ]);
    // not inside a sentence that goes on
    kept(&[("vu madame le bras rose ce matin", "rose ce matin")]);
}

#[test]
fn an_initial_in_a_names_slot_takes_the_surname_after_it() {
    cleared(&[
        ("Bilan rédigé par C. Zabourdine ce matin.", "Zabourdine"),
        ("Signé : J. Kervadouin", "Kervadouin"),
        (
            "Transmission faite par L. Tremblec-Anouar, IDE.",
            "Tremblec",
        ),
    ]);
    kept(&[("Bilan rédigé par C. Ensuite revu le lendemain.", "Ensuite")]);
}
