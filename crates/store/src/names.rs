//! Checks of what people type for the store: passwords, login names,
//! display names and short texts. Each error is French and names its field.

use unicode_properties::general_category::{
    GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory,
};

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
/// names look the same): every format character (Unicode category Cf,
/// the tag characters U+E0000–U+E007F among them, invisible in every
/// renderer). U+202F and U+00A0, the French typographic spaces, are
/// visible and allowed.
pub fn hidden_char(c: char) -> bool {
    c.is_control()
        || c.general_category() == GeneralCategory::Format
        // The tag block whole (U+E0000 itself is unassigned, not Cf).
        || ('\u{E0000}'..='\u{E007F}').contains(&c)
}

/// Combining marks in a row on one base character, at most: enough for
/// any script's stacked accents (Vietnamese takes two), not for a name
/// made to overflow its line with dozens of them.
pub const MARKS_IN_A_ROW: usize = 4;

/// Whether a free text has a character that shows other than it is stored
/// ([`hidden_char`]; a line feed only where `newlines`) or a run of more
/// than [`MARKS_IN_A_ROW`] combining marks. The one check of every free
/// text of the register, the journal and the accounts.
pub fn unreadable(text: &str, newlines: bool) -> bool {
    let mut run = 0;
    for c in text.chars() {
        if hidden_char(c) && !(newlines && c == '\n') {
            return true;
        }
        if c.general_category_group() == GeneralCategoryGroup::Mark {
            run += 1;
            if run > MARKS_IN_A_ROW {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

pub(crate) fn check_name(label: &str, value: &str) -> Result<String> {
    let v = value.trim();
    // Empty once trimmed, or longer than 120 as submitted (the schema's bound).
    if v.is_empty() || value.chars().count() > 120 || unreadable(v, false) {
        return Err(StoreError::Invalid(format!(
            "{label} : de 1 à 120 caractères, sans caractère de contrôle ni caractère invisible (contrôle de direction, espace de largeur nulle)."
        )));
    }
    Ok(v.to_string())
}

/// A short text of the journal: trimmed, 1 to `max` characters, nothing
/// [`unreadable`] (the journal is the record shown to a court: what it
/// shows must be what it holds).
pub(crate) fn check_text(label: &str, v: &str, max: usize) -> Result<String> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > max || unreadable(v, false) {
        return Err(StoreError::Invalid(format!(
            "{label} : de 1 à {max} caractères, sans caractère de contrôle ni caractère invisible."
        )));
    }
    Ok(v.to_string())
}
