//! Partial dates in the forms people write them (issue 18, twenty-third
//! round): a day alone before « ni », a colon or a bar, a day and month
//! that could be a score when the note says it is a date, week numbers in
//! capitals and « S47 », timestamps of a calendar export, dates typed with
//! the letter O, lists of days after a plural weekday, days and years in
//! words. Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn dates(text: &str) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let of_kind = spans.iter().filter(|s| s.kind == Kind::Date);
    of_kind.map(|s| text[s.start..s.end].to_owned()).collect()
}

/// Each `(text, part)`: every byte of the first `part` in `text` lies in a
/// span found.
fn all_covered(cases: &[(&str, &str)]) {
    for (text, part) in cases {
        let at = text.find(part).expect("part of the text");
        let spans = Anonymiser::new().detect(text);
        let covered =
            (at..at + part.len()).all(|i| spans.iter().any(|s| s.start <= i && i < s.end));
        assert!(covered, "{part} in {text}: {:?}", dates(text));
    }
}

/// No date is found in any of `texts`, or none equal to one of `not`.
fn no_dates(texts: &[&str], not: &[&str]) {
    for text in texts {
        let found = dates(text);
        let bad = if not.is_empty() {
            !found.is_empty()
        } else {
            found.iter().any(|d| not.contains(&d.as_str()))
        };
        assert!(!bad, "{text}: {found:?}");
    }
}

#[test]
fn a_day_alone_before_ni_a_colon_a_bar_or_an_arrow() {
    all_covered(&[
        ("Cabinet fermé le 14 ni le 15, reprise le 16.", "14"),
        ("le 21 : Mme Aubry vue, marche 10 m.\nle 22 : RAS.", "21"),
        ("le 21 : Mme Aubry vue, marche 10 m.\nle 22 : RAS.", "22"),
        ("| M. Perrin | le 4, le 11 et le 18 | 3 séances |", "18"),
        ("Mme Le Du, centenaire : anniversaire le 9 → fleurs.", "9"),
        ("accord de la caisse reçu le 07, 15 séances prévues", "07"),
    ]);
    // a time, a count stay
    no_dates(&["RDV le 12:30 au cabinet"], &["12"]);
    no_dates(&["Lasègue positif, le 3 : 4 répétitions"], &[]);
}
