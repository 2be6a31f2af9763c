//! Checks of what people type for the store: passwords, login names,
//! display names and short texts. Each error is French and names its field.

use crate::{Result, StoreError};

/// Minimum password length, in characters.
pub const PASSWORD_MIN: usize = 10;
/// Maximum password length, in characters (hashing cost stays bounded).
pub const PASSWORD_MAX: usize = 256;

/// Checks a password against the policy; the error is French, for the form.
pub fn check_password(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(StoreError::Invalid(format!(
            "Le mot de passe doit comporter au moins {PASSWORD_MIN} caractères."
        )));
    }
    if n > PASSWORD_MAX {
        return Err(StoreError::Invalid(format!(
            "Le mot de passe doit comporter au plus {PASSWORD_MAX} caractères."
        )));
    }
    Ok(())
}

/// Normalises and checks a login name: 3 to 64 of `a-z 0-9 . _ -`.
pub fn normalize_username(username: &str) -> Result<String> {
    let u = username.trim().to_lowercase();
    let ok = (3..=64).contains(&u.chars().count())
        && u.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
    if ok {
        Ok(u)
    } else {
        Err(StoreError::Invalid(
            "L’identifiant doit comporter de 3 à 64 caractères parmi a-z, 0-9, point, tiret et tiret bas.".into(),
        ))
    }
}

/// A character a name must not hold: a control character, or one that is
/// invisible yet changes what is shown — the bidirectional overrides and
/// isolates (which can display « Dupont » for a name stored backwards, or
/// reorder a list of names) and the zero-width characters (which make two
/// names look the same). U+202F and U+00A0, the French typographic spaces,
/// are visible and allowed.
pub fn hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{00AD}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

pub(crate) fn check_name(label: &str, value: &str) -> Result<String> {
    let v = value.trim();
    // Empty once trimmed, or longer than 120 as submitted (the schema's bound).
    if v.is_empty() || value.chars().count() > 120 || v.chars().any(hidden_char) {
        return Err(StoreError::Invalid(format!(
            "{label} : de 1 à 120 caractères, sans caractère de contrôle ni caractère invisible (contrôle de direction, espace de largeur nulle)."
        )));
    }
    Ok(v.to_string())
}

/// A short text of the journal: trimmed, 1 to `max` characters, no control character.
pub(crate) fn check_text(label: &str, v: &str, max: usize) -> Result<String> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(StoreError::Invalid(format!(
            "{label} : de 1 à {max} caractères, sans caractère de contrôle."
        )));
    }
    Ok(v.to_string())
}
