//! Days and months written short and file numbers of unusual shapes near
//! their cues (round 27): phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn found(text: &str, kind: Kind) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let of_kind = spans.iter().filter(|s| s.kind == kind);
    of_kind.map(|s| text[s.start..s.end].to_owned()).collect()
}

#[test]
fn a_relative_day_makes_a_short_day_and_month_a_date() {
    assert_eq!(
        found("Taxi commandé pour demain 3/12 à l'aube.", Kind::Date),
        ["3/12"]
    );
    assert_eq!(
        found("Chute hier 6/11. Pas de plaie.", Kind::Date),
        ["6/11"]
    );
}

#[test]
fn a_two_letter_weekday_goes_with_its_date() {
    assert_eq!(
        found("Me 4/11 — visite de Paule, AS", Kind::Date),
        ["Me 4/11"]
    );
    assert_eq!(
        found("Pflegebericht Mo. 7.12. Nachtdienst", Kind::Date),
        ["Mo. 7.12."]
    );
}

#[test]
fn a_range_across_two_months_or_a_night_is_a_date() {
    assert_eq!(
        found("RELÈVE 31/10→1/11 - service B", Kind::Date),
        ["31/10→1/11"]
    );
    assert_eq!(found("Nuit 4→5/11 : agitation.", Kind::Date), ["4→5/11"]);
}

#[test]
fn a_score_across_an_arrow_stays() {
    let text = "Quadriceps 3/5→4/5, SPPB 7/12→9/12, EVA 6/10, Me 3.5 ce matin.";
    assert!(found(text, Kind::Date).is_empty());
}

#[test]
fn file_numbers_of_a_court_or_an_insurer_are_numbers() {
    let text = "Affaire 31/0907/55, PV 07712/2025, dossiers 2025-KB-0311 et 2025-KB-0318.";
    assert_eq!(
        found(text, Kind::NumeroDossier),
        ["31/0907/55", "07712/2025", "2025-KB-0311", "2025-KB-0318"]
    );
}
