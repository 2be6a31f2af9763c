//! Clubs named by their sport, or by a word that only clubs bear, and the
//! adjective of their town: « Pétanque Lamballaise », « Aviron Bayonnais »,
//! « Gymnique Bettonnaise », « Stade Rochelais », « OLYMPIQUE CYCLISTE
//! CASTRAIS ». The adjective of a town is a word no dictionary holds, so
//! nothing else takes it, and in a table's cell or a heading no cue comes
//! before the club. Both words capitalised, or the whole in capitals: a
//! sport in lower case followed by a capitalised word is a sentence
//! (« pétanque Lundi »), and « stade » in lower case is clinical.
use crate::dicts::Dicts;
use crate::org_tokens::{joined, take_whole, text_tokens, Tok};
use crate::orgs::SPORTS;
use crate::Cand;

/// Words that begin a club's name before its town's adjective, besides
/// the sports (folded; written for this crate from the usual names of
/// French clubs: « Stade Lavallois », « Olympique Marcquois », « Étoile
/// Sportive », « Entente Cycliste », « Cercle Nautique »).
const CLUB_WORDS: &[&str] = &[
    "stade",
    "olympique",
    "etoile",
    "entente",
    "union",
    "avenir",
    "sporting",
    "cercle",
    "amicale",
    "cycliste",
    "boule",
    "boules",
    "judo",
    "football",
    "gymnastique",
];

/// Endings of the adjective of a town (« lamballaise », « castrais »,
/// « riomois », « angevin », « brivistes », « lavalloise »).
const DEMONYM_ENDS: &[&str] = &[
    "ais", "aise", "aises", "ois", "oise", "oises", "ain", "aine", "ien", "ienne", "een", "eenne",
    "istes", "in", "ine",
];

/// The town's adjective: capitalised, with the ending of one, and not a
/// word of the language (« Lamballaise », not « Marine » nor « Urbaine »),
/// unless it is the adjective of the country (« Stade Français »).
fn demonym(d: &Dicts, t: &Tok) -> bool {
    let f = t.folded.as_str();
    (t.cap || t.upper)
        && f.chars().count() >= 5
        && DEMONYM_ENDS.iter().any(|e| f.ends_with(e))
        && (!d.common.contains(f) && !d.allow.contains(f) || f == "francais")
}

fn club_word(t: &Tok) -> bool {
    let f = t.folded.as_str();
    (t.cap || t.upper)
        && (CLUB_WORDS.contains(&f) || SPORTS.contains(&f) && !matches!(f, "sport" | "sports"))
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let toks = text_tokens(text);
    let d = Dicts::get();
    let mut i = 0;
    while i + 1 < toks.len() {
        let a = &toks[i];
        if !club_word(a) {
            i += 1;
            continue;
        }
        // one or two club words (« Olympique Cycliste »), then the adjective
        let mut k = i + 1;
        if k + 1 < toks.len() && club_word(&toks[k]) && joined(text, &toks[k - 1], &toks[k]) {
            k += 1;
        }
        let b = &toks[k];
        // a heading in capitals holds the adjective in capitals too
        let same_case = a.upper == b.upper;
        if !(text[toks[k - 1].end..b.start] == *" " && same_case && demonym(d, b))
            || (i + 1..=k).any(|m| !joined(text, &toks[m - 1], &toks[m]))
        {
            i += 1;
            continue;
        }
        let free = !found
            .iter()
            .any(|c| c.start < b.end && a.start < c.end && c.kind != crate::Kind::Etablissement);
        if free {
            take_whole(&mut found, a.start, b.end);
        }
        i = k + 1;
    }
    found.sort_by_key(|c| c.start);
    found
}
