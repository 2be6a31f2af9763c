//! Hasty writing (messages, handovers, dictation): communes in lower case
//! with no preposition before them, where only the word itself says it is a
//! place. Invented examples.
use sceau_anonymise::Anonymiser;

fn out(text: &str) -> String {
    Anonymiser::new().anonymise(text).text
}

#[test]
fn a_commune_in_lower_case_that_is_no_word_without_preposition() {
    for (text, word) in [
        (
            "passage ide ce soir, avis cardio quimperlé demain",
            "quimperlé",
        ),
        ("rdv au centre de soins landivisiau jeudi", "landivisiau"),
        ("carhaix rappelle vers 14h pour la place", "carhaix"),
    ] {
        let o = out(text);
        assert!(!o.contains(word), "{word}: {o}");
        assert!(o.contains("[Commune"), "{word}: {o}");
    }
}

#[test]
fn words_people_and_handles_are_no_commune() {
    // English shorthand that the list of communes holds, a surname after a
    // title, an e-mail
    for (text, kept) in [
        ("trop nice la dame, very busy ce matin", "nice"),
        ("trop nice la dame, very busy ce matin", "busy"),
        ("pansement fait, patiente douce, rien à signaler", "douce"),
    ] {
        let o = out(text);
        assert!(o.contains(kept), "{kept}: {o}");
    }
    let o = out("mr ribes il est en 112");
    assert!(!o.contains("[Commune"), "{o}");
    let o = out("écrire à j.lamballe@free.fr pour le rdv");
    assert!(!o.contains("[Commune"), "{o}");
}
