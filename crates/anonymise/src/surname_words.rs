//! Surnames that are also words the stop-list holds (words never taken for
//! a name without a title, « Grand », « Petite »): right after a first name,
//! at the end of a line or a cell (« Ergothérapeute : Maëlle Grand »), they
//! are the surname. Only adjectives and nouns that are common French
//! surnames; never a heading, a role, a day, a month or a place's head
//! (« Sophie Kiné », « Paul Bilan », « Léa Lundi » stay words).

const STOP_WORD_SURNAMES: &[&str] = &[
    "grand", "petite", "bonne", "champion", "paix", "dame", "france", "bien",
];

/// Is the folded word a surname that the stop-list holds as a word?
pub(crate) fn stop_word_surname(f: &str) -> bool {
    STOP_WORD_SURNAMES.contains(&f)
}
