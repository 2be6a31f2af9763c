//! Door and key-box codes after their cue (issue 18, twenty-third round):
//! a short code of figures, perhaps with a letter, after « digicode »,
//! « code portail », « code de la porte », « boîte à clés », « clé boîte »
//! or a bare « code » gives the way into a patient's home. Phrases written
//! for these tests.
use sceau_anonymise::Anonymiser;

fn found(text: &str) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    spans
        .iter()
        .map(|s| text[s.start..s.end].to_owned())
        .collect()
}

fn covered(text: &str, want: &str) -> bool {
    let spans = Anonymiser::new().detect(text);
    let at = text.find(want).expect("in the text");
    let end = at + want.len();
    spans.iter().any(|s| s.start <= at && s.end >= end)
}

#[test]
fn codes_after_a_door_or_key_box_cue() {
    assert!(covered(
        "passage 9h chez Mme Le Goff, code portail 3917 – pansement",
        "3917"
    ));
    assert!(covered(
        "rue des Lilas à Vannes, 2e étage, digicode C2284 – injection",
        "C2284"
    ));
    assert!(covered("Clé : boîte à clés code 6602. Merci", "6602"));
    assert!(covered("clé dans boîte à clés, code 0385\n", "0385"));
    assert!(covered("| Durand | clé boîte 7714 | fils |", "7714"));
    assert!(covered(
        "Ok pour 14h. Code de la porte 5193, 3e étage",
        "5193"
    ));
    assert!(covered("Le code de l'entrée c'est 8826. Merci", "8826"));
    assert!(covered(
        "le code du portail c'est toujours 2209C ?",
        "2209C"
    ));
    assert!(covered(
        "chez son frère, impasse des Saules, code 3B714, 4e sans ascenseur",
        "3B714"
    ));
}

#[test]
fn what_a_bare_code_does_not_take() {
    let t = "Lombalgie, code CIM M54.5 ; né au Portugal, code 99 ; code postal 56000.";
    let f = found(t);
    assert!(!f.iter().any(|s| s.contains("99")), "{f:?}");
    assert!(!f.iter().any(|s| s.contains("M54")), "{f:?}");
    let dose = "code couleur : Doliprane 1000 mg";
    assert!(!found(dose).iter().any(|s| s.contains("1000")));
}
