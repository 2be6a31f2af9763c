//! Persons by first name, initials and nickname (twenty-sixth round): a
//! first name alone that the layout makes a person even when it is a word
//! or an eponym (a message's speaker stamped with its time, a name before
//! a telephone number, after a greeting or a role's colon, closing a
//! message), initials in a name's slot, doubled nicknames, the value of a
//! name's field in an export, a name spelt out letter by letter. The same
//! words as a term, a laugh or an abbreviation stay.
//! Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn persons(text: &str) -> Vec<String> {
    let spans = Anonymiser::new().with_detector(None).detect(text);
    let persons = spans.iter().filter(|s| s.kind == Kind::Nom);
    persons.map(|s| text[s.start..s.end].to_owned()).collect()
}

/// Is `who` a person's span, or inside one?
fn has(text: &str, who: &str) -> bool {
    persons(text).iter().any(|p| p.contains(who))
}

#[test]
fn speakers_stamped_with_their_time() {
    let t = "Rose 07:50 : Thomas tu prends M. Kerbrat ?\nThomas 07:58 : oui\nRose 08:01 : merci";
    let p = persons(t);
    assert_eq!(p.iter().filter(|w| *w == "Rose").count(), 2, "{p:?}");
    assert_eq!(p.iter().filter(|w| *w == "Thomas").count(), 2, "{p:?}");
}

#[test]
fn a_first_name_before_a_phone_number() {
    assert!(has("En cas de souci : Rose au 06 12 48 33 70", "Rose"));
    assert!(has(
        "Astreinte : Thomas 07 81 22 40 19 · Dr Ravel",
        "Thomas"
    ));
}

#[test]
fn a_first_name_closing_a_message() {
    let t = "Pensez à rapporter l'ordonnance. Rose\nDe : M. Quéméner 18:02";
    assert!(has(t, "Rose"));
}

#[test]
fn the_eponym_stays_where_the_name_is_found() {
    let t = "Astreinte : Thomas 07 81 22 40 19\nTest de Thomas positif à droite.";
    let p = persons(t);
    assert_eq!(
        p.iter().filter(|w| w.contains("Thomas")).count(),
        1,
        "{p:?}"
    );
}

#[test]
fn a_first_name_after_a_greeting_or_a_role() {
    assert!(has(
        "bonsoir gaspard, le rdv de demain est décalé",
        "gaspard"
    ));
    assert!(has("Coucou Margaux, tu peux me rappeler ?", "Margaux"));
    assert!(has("merci Flo ❤️ à demain", "Flo"));
    assert!(has("IDE de nuit : Rose\nRAS", "Rose"));
    // a word after a greeting stays
    assert!(!has("Bonjour Madame, merci beaucoup", "Madame"));
}

#[test]
fn initials_in_a_name_slot() {
    assert!(has("Compte rendu rédigé.\nRédaction : J. K.", "J. K."));
    assert!(has("12/04 – kiné R.B. : marche 20 m", "R.B."));
    let t = "| code | initiales | âge |\n| A1 | H.-L. D. | 44 |\n| A2 | N. G. | 51 |";
    assert!(has(t, "H.-L. D."));
    assert!(has(t, "N. G."));
    // a clinical abbreviation with full stops stays
    assert!(!has("Antécédent : A.V.C.", "A.V.C."));
}

#[test]
fn doubled_nicknames() {
    assert!(has("- Nono : entorse, reprise samedi", "Nono"));
    assert!(has("tu feras le chantier avec fifi demain", "fifi"));
    // a laugh stays
    assert!(!has("hihi trop bien", "hihi"));
}

#[test]
fn a_name_field_of_an_export() {
    let t = r#"{"patient": {"nom": "VIGNES", "prenom": "Rose", "ddn": "1980-01-02"}}"#;
    assert!(has(t, "VIGNES"));
    assert!(has(t, "Rose"));
}

#[test]
fn a_name_spelt_out() {
    let t = "je vous adresse Monsieur Quintard, Q-U-I-N-T-A-R-D, cinquante ans";
    assert!(has(t, "Q-U-I-N-T-A-R-D"));
    // letters that spell no name of the text stay
    assert!(!has("séquence A-B-C-D répétée", "A-B-C-D"));
}
