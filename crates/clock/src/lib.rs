//! The legal date: French law counts days in metropolitan French time
//! (Europe/Paris), not in the time zone of the machine Sceau runs on. A
//! container set to UTC would otherwise be a day behind between midnight
//! and 1 am (2 am in summer), and date a disclosure, a deadline or the law
//! in force on the wrong day.
//!
//! Every « today » of the command line, the web application and the store
//! comes from [`legal_today`].

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Paris;

/// Today's date in Europe/Paris.
pub fn legal_today() -> NaiveDate {
    legal_date_at(Utc::now())
}

/// The date in Europe/Paris at the instant `at`.
pub fn legal_date_at(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Paris).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn at_23_30_utc_paris_is_already_the_next_day() {
        // Winter (UTC+1): 23:30 UTC on 31 December is 00:30 on 1 January in Paris.
        assert_eq!(legal_date_at(utc(2026, 12, 31, 23, 30)), date(2027, 1, 1));
        // Summer (UTC+2): 22:30 UTC on 14 July is 00:30 on 15 July.
        assert_eq!(legal_date_at(utc(2026, 7, 14, 22, 30)), date(2026, 7, 15));
        assert_eq!(legal_date_at(utc(2026, 7, 14, 23, 30)), date(2026, 7, 15));
    }

    #[test]
    fn before_midnight_in_paris_it_is_still_the_same_day() {
        assert_eq!(legal_date_at(utc(2026, 12, 31, 22, 59)), date(2026, 12, 31));
        assert_eq!(legal_date_at(utc(2026, 7, 14, 21, 59)), date(2026, 7, 14));
        assert_eq!(legal_date_at(utc(2026, 7, 14, 0, 0)), date(2026, 7, 14));
    }

    #[test]
    fn summer_time_changes_on_the_last_sunday_of_march_and_october() {
        // 29 March 2026, 01:00 UTC: clocks go from 02:00 to 03:00 (UTC+2 from then on).
        assert_eq!(legal_date_at(utc(2026, 3, 28, 22, 30)), date(2026, 3, 28)); // 23:30 UTC+1
        assert_eq!(legal_date_at(utc(2026, 3, 29, 22, 30)), date(2026, 3, 30)); // 00:30 UTC+2
                                                                                // 25 October 2026, 01:00 UTC: back to UTC+1.
        assert_eq!(legal_date_at(utc(2026, 10, 24, 22, 30)), date(2026, 10, 25)); // 00:30 UTC+2
        assert_eq!(legal_date_at(utc(2026, 10, 25, 22, 30)), date(2026, 10, 25));
        // 23:30 UTC+1
    }
}
