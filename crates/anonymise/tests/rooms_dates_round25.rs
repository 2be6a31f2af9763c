//! Rooms and dates beside their cue (issue 18, twenty-fifth round): a room
//! found once with its cue, written bare further on (« ch. C12 » then « pas
//! celle du C12 »). Scores and dates of the same figures stay. Phrases
//! written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn found(text: &str, kind: Kind) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let of_kind = spans.iter().filter(|s| s.kind == kind);
    of_kind.map(|s| text[s.start..s.end].to_owned()).collect()
}

/// The last time `part` stands in `text`, one span of `kind` holds it whole.
fn last_covered(text: &str, part: &str, kind: Kind) {
    let at = text.rfind(part).expect("part of the text");
    let whole = Anonymiser::new()
        .detect(text)
        .into_iter()
        .any(|s| s.kind == kind && s.start <= at && at + part.len() <= s.end);
    assert!(whole, "{part} in {text}: {:?}", found(text, kind));
}

#[test]
fn a_room_found_with_its_cue_is_the_same_room_bare() {
    last_covered(
        "Mme Pruvost ch. C12 – PTH J5.\nMme Pruvost ch. C19 – pas celle du C12 – marche.",
        "C12",
        Kind::Chambre,
    );
    last_covered(
        "CIBLE : Chute — Mme Odile Prat (ch. 4-07, 93 ans)\nCIBLE : Repas — M. Prat (ch. 4-09), frère de Mme Prat 4-07\n",
        "4-07",
        Kind::Chambre,
    );
    // the same figures as a date or a score are no room
    let text = "Mme Pruvost ch. 4-07 – vue le 04-07-2025, Tinetti 14/28.";
    assert_eq!(found(text, Kind::Chambre), vec!["ch. 4-07"]);
}

/// One span of `kind` is `part`, whole.
fn one_span(text: &str, part: &str, kind: Kind) {
    assert!(
        found(text, kind).iter().any(|f| f == part),
        "{part} in {text}: {:?}",
        found(text, kind)
    );
}

#[test]
fn the_days_of_a_list_make_one_date() {
    one_span(
        "Elle pourra venir à la sortie des 4 et 5 mai avec sa classe.",
        "4 et 5 mai",
        Kind::Date,
    );
    one_span(
        "Séances les mardis 11, 18 et 25 mars à 19h.",
        "mardis 11, 18 et 25 mars",
        Kind::Date,
    );
    one_span(
        "Je passerai les jeudis 12 et 19, puis on verra.",
        "jeudis 12 et 19",
        Kind::Date,
    );
    // counts and scores listed stay
    let text = "Tinetti 14 et 16, EVA 3 et 5, 2 et 3 séances par semaine.";
    assert!(
        found(text, Kind::Date).is_empty(),
        "{:?}",
        found(text, Kind::Date)
    );
}

#[test]
fn a_room_head_after_a_name_in_capitals() {
    let text = "M. GARNIER CHAMBRE 14 : RETOUR DES URGENCES, CONFUS.";
    last_covered(text, "14", Kind::Chambre);
    assert_eq!(found(text, Kind::Nom), vec!["GARNIER"]);
}
