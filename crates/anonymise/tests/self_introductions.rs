//! A first name in lower case where a message's writer presents themself
//! (issue 18, twenty-fifth round): « c'est sandrine », « bjr c mathis »,
//! « il s'appelle yannick », and the child after « la maman de ». A first
//! name that is a word of the language only before the tie that presents
//! the writer (« c rose la maman de… »). Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn found(text: &str) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let persons = spans.iter().filter(|s| s.kind == Kind::Nom);
    persons.map(|s| text[s.start..s.end].to_owned()).collect()
}

#[test]
fn writers_who_present_themselves() {
    for (text, name) in [
        (
            "bonjour c'est sandrine de l'école, il a vomi ce matin",
            "sandrine",
        ),
        ("bjr c mathis du club de foot, pour ma cheville", "mathis"),
        ("le nouveau kiné il s'appelle yannick je crois", "yannick"),
        ("bonjour c violette la maman de noah, il tousse", "violette"),
        ("bonjour c violette la maman de noah, il tousse", "noah"),
    ] {
        assert!(
            found(text).iter().any(|s| s.contains(name)),
            "{name} in {text}: {:?}",
            found(text)
        );
    }
}

#[test]
fn words_after_the_same_cues_stay() {
    for text in [
        "c'est rose et un peu chaud autour de la cicatrice",
        "la cicatrice, c rose pâle, pas de signe infectieux",
        "il s'appelle comment déjà le médicament ?",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}
