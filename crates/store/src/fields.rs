//! The fields every record of a practice shares (register, directory,
//! audits, reports): random identifiers, dates as `YYYY-MM-DD` text, short
//! free texts and identifier values, each checked with a French error that
//! names the field.

use chrono::NaiveDate;

use crate::names::unreadable;
use crate::secrets::random_hex;
use crate::{Result, StoreError};

pub(crate) fn fmt_date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

pub(crate) fn parse_date(s: Option<String>) -> Result<Option<NaiveDate>> {
    match s {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| StoreError::Unreadable),
    }
}

/// A short free text: trimmed, 1 to `max` characters, no control character.
pub(crate) fn text(label: &str, value: &str, max: usize, required: bool) -> Result<Option<String>> {
    let v = value.trim();
    if v.is_empty() {
        return if required {
            Err(StoreError::Invalid(format!("{label} : champ obligatoire.")))
        } else {
            Ok(None)
        };
    }
    // The length as submitted (what the API's schema states), not after trimming.
    if value.chars().count() > max || unreadable(v, true) {
        return Err(StoreError::Invalid(format!(
            "{label} : au plus {max} caractères, sans caractère de contrôle ni caractère invisible."
        )));
    }
    Ok(Some(v.to_string()))
}

pub(crate) fn opt_text(label: &str, value: &Option<String>, max: usize) -> Result<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) => text(label, v, max, false),
    }
}

/// An identifier value (`recipient`, `purpose`…): lower-case snake case.
pub(crate) fn ident(label: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty()
        || v.len() > 64
        || !v
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(StoreError::Invalid(format!(
            "{label} : valeur non reconnue."
        )));
    }
    Ok(v.to_string())
}

pub(crate) fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_hex(16))
}

/// A register identifier as given by a client: checked before any query.
pub fn valid_id(prefix: &str, id: &str) -> bool {
    id.len() == prefix.len() + 1 + 32
        && id.starts_with(prefix)
        && id.as_bytes()[prefix.len()] == b'_'
        && id[prefix.len() + 1..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

/// Whether `digits` is an RPPS number: 11 digits whose last is the Luhn
/// check digit of the first ten (the key the RPPS register computes).
pub fn rpps_valid(digits: &str) -> bool {
    digits.len() == 11
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                match (i % 2, d * 2) {
                    (0, _) => d,
                    (_, x) if x > 9 => x - 9,
                    (_, x) => x,
                }
            })
            .sum::<u32>()
            % 10
            == 0
}

#[cfg(test)]
mod tests {
    use super::rpps_valid;

    #[test]
    fn rpps_numbers_carry_a_luhn_key() {
        // 1000000000 followed by its Luhn key (9), and the same with
        // another last digit, a digit changed or transposed, or a length off.
        assert!(rpps_valid("10000000009"));
        assert!(rpps_valid("12345678903"));
        for bad in [
            "10000000008",
            "10000000019",
            "01000000009",
            "1000000009",
            "100000000090",
            "1000000000a",
            "",
        ] {
            assert!(!rpps_valid(bad), "{bad}");
        }
    }
}
