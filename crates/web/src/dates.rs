//! Dates as the pages and the API read and write them: the legal date
//! (Europe/Paris, whatever the server's time zone), a date typed in a form,
//! a stored time in French.

use chrono::NaiveDate;

/// The legal date (Europe/Paris), whatever the server's time zone.
pub use sceau_clock::legal_today as today;

/// A `AAAA-MM-JJ` date typed in a form: `None` when left empty, `Err` when
/// it is not a date (the caller names the field).
pub(crate) fn parse_day(s: Option<&String>) -> Result<Option<NaiveDate>, ()> {
    match s.map(|s| s.trim()) {
        None | Some("") => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ()),
    }
}

/// A stored time (seconds since the epoch) in French: « 3 mars 2026 à 14:05 ».
pub fn ts_fr(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| {
            let local = d.with_timezone(&chrono::Local);
            format!(
                "{} à {}",
                sceau_engine::model::date_fr(local.date_naive()),
                local.format("%H:%M")
            )
        })
        .unwrap_or_default()
}
