//! Small readings of dates shared by the pattern pass and the pass of
//! numbers written in words: a month's name, and whether a date is a birth
//! date. Kept apart so that neither pass imports the other's module.
use crate::dicts::fold;
use crate::{Cand, DateVal, Info, Kind};

/// The month a French name or abbreviation stands for (« févr. » → 2).
pub fn month_number(s: &str) -> Option<u32> {
    let f = fold(s.trim_end_matches('.'));
    let m = match f.as_str() {
        "janvier" | "janv" | "jan" => 1,
        "fevrier" | "fevr" | "fev" => 2,
        "mars" => 3,
        "avril" | "avr" => 4,
        "mai" => 5,
        "juin" => 6,
        "juillet" | "juil" => 7,
        "aout" => 8,
        "septembre" | "sept" | "sep" => 9,
        "octobre" | "oct" => 10,
        "novembre" | "nov" => 11,
        "decembre" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

/// The text of at most `n` bytes before `start`, cut on a character boundary.
pub(crate) fn before(text: &str, start: usize, n: usize) -> &str {
    let mut b = start.saturating_sub(n);
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    &text[b..start]
}

/// Whether the words just before `start` say that a date is a birth date
/// (« né le », « DDN »…).
pub fn birth_context(text: &str, start: usize) -> bool {
    const CUES: [&str; 7] = [
        "ne le",
        "nee le",
        "ne(e) le",
        "naissance",
        "ddn",
        "ne en",
        "nee en",
    ];
    let b = fold(before(text, start, 40));
    CUES.iter().any(|c| b.contains(c))
}

/// A date found from `start` to `end`, of the priority of the dates read
/// by patterns (above a capitalised word taken for a name), a birth date
/// when the words before say so.
pub(crate) fn date_cand(
    text: &str,
    (start, end): (usize, usize),
    y: Option<i32>,
    m: Option<u32>,
    d: Option<u32>,
) -> Cand {
    Cand {
        start,
        end,
        kind: Kind::Date,
        prio: 64,
        info: Info::Date(DateVal {
            y,
            m,
            d,
            birth: birth_context(text, start),
        }),
    }
}
