//! Communes written in lower case with no preposition before them, as
//! messages, handovers and dictation write them: « avis neuro guingamp »,
//! « maison de santé lautrec », « guingamp rappelle à 10h ». Without a
//! capital or a preposition only the word itself can say it is a place: a
//! name of the official list that no dictionary of words, first names or
//! clinical terms holds. People are left to the names' rules: a word after
//! a title or a first name is a surname (« mr ribes », « docteur hélène
//! marsac »), and handles, e-mails and file names are no places.

use crate::dicts::Dicts;

/// Words of the official list of communes that are English words or the
/// shorthand of messages, read as such in lower case (« trop nice », « very
/// busy »). Written for this crate.
const NOT_PLACES: &[&str] = &[
    "beard", "brain", "bully", "busy", "bust", "cult", "cuts", "essay", "germ", "lure", "nice",
    "novel", "organ", "pact", "pussy", "sand", "sissy", "this", "trans", "very",
];

/// Titles in lower case after which a word is a person's name.
const TITLES: &[&str] = &[
    "m",
    "mr",
    "mme",
    "mlle",
    "dr",
    "pr",
    "docteur",
    "madame",
    "monsieur",
    "mademoiselle",
    "professeur",
];

/// Is the lower-case `folded` name at `s..e` of `text` a commune although
/// no preposition stands before it? `before` is the folded word right
/// before it, if any.
pub(crate) fn bare(
    d: &Dicts,
    text: &str,
    s: usize,
    e: usize,
    folded: &str,
    before: Option<&str>,
) -> bool {
    let own = folded.chars().count() >= 4
        && !folded.contains(' ')
        // « clinique saint-joseph », « la saint-jean »: a saint is as often
        // a home, a school or a feast as a commune
        && !folded.starts_with("saint")
        && !d.common.contains(folded)
        && !d.first_names.contains_key(folded)
        && !d.allow.contains(folded)
        && !NOT_PLACES.contains(&folded);
    // « f.lacoste.kine@gmail.com », « la_kine_de_riom »: inside a handle
    let prev = text[..s].chars().next_back();
    let next = text[e..].chars().next();
    let after_next = text[e..].chars().nth(1);
    let handle = prev.is_some_and(|c| matches!(c, '.' | '@' | '_' | '/' | '\\'))
        || next.is_some_and(|c| matches!(c, '@' | '_' | '/'))
        || next.is_some_and(|c| c == '.') && after_next.is_some_and(char::is_alphanumeric);
    let person = before.is_some_and(|b| TITLES.contains(&b) || d.first_names.contains_key(b));
    own && !handle && !person
}
