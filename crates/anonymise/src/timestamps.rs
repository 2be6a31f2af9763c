//! A time of day written right after a date makes one timestamp with it:
//! « 13/11/2025 19:47 », « 2025-11-27T14:05:00Z », « mer. 5 nov. 2025 à
//! 09:14 », « 14/11 21h07 », « 28/10/2026, 07h58 ». A message's or an
//! export's timestamp dates an event to the minute, which identifies more
//! than the day; and a date replaced without its time leaves the time
//! beside the replacement. Only a time with its minutes (« 8h15 »,
//! « 19:47 », seconds perhaps) counts, so that « le 12/11 8
//! séances » and « le 12/11 à 14h » keep what follows the date.
use std::sync::OnceLock;

use regex::Regex;

use crate::{Cand, Kind};

/// The time after a date: « T », a space, « , » or « à » first, « AM » or
/// « PM » perhaps after it. Its zone
/// (« +01:00 », « Z ») says nothing of the event and stays.
fn time_after() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"^(?:T|,?[ \u{a0}]+(?:à[ \u{a0}]+)?)(?:[01]?\d|2[0-3])(?::[0-5]\d(?::[0-5]\d)?|h[0-5]\d)(?:[ \u{a0}]?(?:AM|PM|am|pm))?\b",
        )
        .expect("time after a date")
    })
}

/// Dates grown by the time written right after them, never over the next
/// span found.
pub(crate) fn extend(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    found.sort_by_key(|c| c.start);
    for i in 0..found.len() {
        if found[i].kind != Kind::Date {
            continue;
        }
        let end = found[i].end;
        let limit = found.get(i + 1).map_or(text.len(), |n| n.start);
        if let Some(m) = time_after().find(&text[end..]) {
            // « 13/11 19:47 » and not « 13/11 19:47-20:30 », a range of hours
            let rest = &text[end + m.end()..];
            let range = rest
                .trim_start_matches(['-', '–', ' '])
                .starts_with(|c: char| c.is_ascii_digit());
            if end + m.end() <= limit && !range {
                found[i].end = end + m.end();
            }
        }
    }
    found
}

/// « DTSTART:20261208T083000 », « DTEND;TZID=Europe/Paris:20260114 »: a
/// calendar export's date written in eight figures, its time glued after
/// « T »; without a time, only after a calendar's field (« DT… : ») or the
/// word « date » (an eight-figure number alone is a file's or a batch's),
/// or as a part of a file's name after an underscore
/// (« CR_Lemoine_20251014.pdf », « export_20260302_v2 »).
pub(crate) fn compact(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<[Regex; 3]> = OnceLock::new();
    let [date, field, named] = R.get_or_init(|| {
        [
            Regex::new(r"\b((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(T(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?Z?)?\b")
                .expect("compact date"),
            Regex::new(r"(?i)(?:\bDT[A-Z-]*|\bdate)[^:\n]{0,30}[:=][ \u{a0}]*$").expect("calendar field"),
            Regex::new(r"[\p{L}\d]_(((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))(?:[_.\-]|\b)")
                .expect("compact date in a file name"),
        ]
    });
    for c in named.captures_iter(text) {
        let m = c.get(1).unwrap();
        let (y, mo, d) = (c[2].parse().ok(), c[3].parse().ok(), c[4].parse().ok());
        out.push(crate::calendar::date_cand(
            text,
            (m.start(), m.end()),
            y,
            mo,
            d,
        ));
    }
    for c in date.captures_iter(text) {
        let m = c.get(0).unwrap();
        let line_start = text[..m.start()].rfind('\n').map_or(0, |i| i + 1);
        if c.get(4).is_none() && !field.is_match(&text[line_start..m.start()]) {
            continue;
        }
        let (y, mo, d) = (c[1].parse().ok(), c[2].parse().ok(), c[3].parse().ok());
        out.push(crate::calendar::date_cand(
            text,
            (m.start(), m.end()),
            y,
            mo,
            d,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::{Anonymiser, Kind};

    fn dates(text: &str) -> Vec<String> {
        Anonymiser::new()
            .detect(text)
            .into_iter()
            .filter(|s| s.kind == Kind::Date)
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn a_time_right_after_a_date_is_part_of_it() {
        assert_eq!(
            dates("Message reçu le 04/03/2024 18:05, lu le lendemain."),
            ["04/03/2024 18:05"]
        );
        assert_eq!(
            dates("export du 2024-03-04T07:30:12+01:00 (serveur)"),
            ["2024-03-04T07:30:12"]
        );
        assert_eq!(
            dates("Appel du 9 avril 2024 à 8h40."),
            ["9 avril 2024 à 8h40"]
        );
    }

    #[test]
    fn a_date_whose_day_starts_with_zero_then_a_number_is_no_telephone() {
        let text = "Vu le 04/03/2024 12 séances, tél. 04/78/12/34/56.";
        let spans: Vec<(Kind, &str)> = Anonymiser::new()
            .detect(text)
            .into_iter()
            .map(|s| (s.kind, &text[s.start..s.end]))
            .collect();
        assert_eq!(
            spans,
            [
                (Kind::Date, "04/03/2024"),
                (Kind::Telephone, "04/78/12/34/56")
            ]
        );
    }

    #[test]
    fn a_count_or_an_hour_without_minutes_stays_out() {
        assert_eq!(
            dates("Depuis le 04/03/2024 12 séances faites."),
            ["04/03/2024"]
        );
        assert_eq!(
            dates("Revue le 9 avril 2024 à 14h pour le bilan."),
            ["9 avril 2024"]
        );
    }
}
