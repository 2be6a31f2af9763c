//! Proper nouns by default. French writes common nouns in lower case: a run
//! of capitalised words inside a sentence, after an article or a preposition
//! of place (« avec les Coureurs », « à la Pitié », « au Quatuor Hélios »),
//! or glued to a commune already found (« Lyon Sud »), is a name, whether its
//! words are common (« Présence Verte », « les Tilleuls ») or not, unless it
//! is clinical vocabulary. The other passes recognise names by the way their
//! authors wrote them; this one needs no author's style, only the
//! vocabulary that is not a name.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};
use crate::{Cand, Info, Kind};

pub(crate) mod cued;

/// Below every rule's own candidates: a proper noun by default yields to them.
const PRIO: u8 = 10;

fn word_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\p{L}[\p{L}\p{M}]*(?:-\p{L}[\p{L}\p{M}]*)*").unwrap())
}

/// How a capitalised word stands: not a name, a known word or name, or unknown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    /// lower case, an acronym, clinical vocabulary, a title, too short
    No,
    /// a common French word, a first name, a surname or a commune
    Known,
    /// none of the dictionaries has it: often a drug, a device or an eponym
    Unknown,
}

fn word(w: &str) -> Word {
    let d = Dicts::get();
    let mut cs = w.chars();
    // title case only: acronyms are clinical as often as not (« ECBU », « SDIS »)
    if !cs.next().is_some_and(char::is_uppercase)
        || !cs.any(char::is_lowercase)
        || w.chars().count() < 3
    {
        return Word::No;
    }
    let f = fold(w);
    let clinical = |x: &str| d.allow.contains(x) || d.stop.contains(x);
    if let Some(place) = joined_place(w) {
        return if place { Word::Known } else { Word::No };
    }
    if clinical(&f) || f.split('-').any(clinical) || crate::names::is_title_word(&f) {
        return Word::No;
    }
    let known = |x: &str| {
        d.common.contains(x)
            || d.first_names.contains_key(x)
            || d.surnames.contains_key(x)
            || d.communes.contains_key(x)
    };
    if known(&f) || f.split('-').all(known) {
        Word::Known
    } else {
        Word::Unknown
    }
}

/// « Montbrison-les-Pins », « Pont-sur-Arve »: capitalised parts joined by
/// « sur », « les », « en »… is how French writes places, and no drug,
/// device or eponym is written so. Some(true) for such a word, Some(false)
/// when a capitalised part is clinical (« Gilles-de-la-Tourette »), None
/// for any other word.
fn joined_place(w: &str) -> Option<bool> {
    const LINKS: &[&str] = &[
        "sur", "sous", "les", "lès", "lez", "en", "de", "du", "des", "la", "le", "aux", "et",
    ];
    let d = Dicts::get();
    let parts: Vec<&str> = w.split('-').collect();
    let capital = |p: &str| p.chars().next().is_some_and(char::is_uppercase);
    let joined = parts.len() >= 3
        && parts.iter().filter(|p| capital(p)).count() >= 2
        && parts.iter().any(|p| LINKS.contains(p))
        && parts.iter().all(|p| capital(p) || LINKS.contains(p));
    joined.then(|| {
        !parts.iter().filter(|p| capital(p)).any(|p| {
            let f = fold(p);
            d.allow.contains(&f) || d.stop.contains(&f)
        })
    })
}

/// What stands before a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Before {
    /// start of a line, a sentence, a header's part, a quotation, a cell
    Start,
    /// « à X », « depuis X », « vers X »: a place
    Place,
    /// a definite article, « au », « aux », « du », « des »
    Article,
    /// « chez », « à la », « à l' »: where people stay, work or are cared for
    Stay,
    /// anything else inside a sentence
    Other,
}

pub(crate) fn before(text: &str, start: usize) -> Before {
    let head = &text[..start];
    let elided = head.ends_with(['\'', '’']);
    let trimmed = head.trim_end_matches(' ');
    // aligned columns (« Lieu      Score ») are cells, not sentences
    if trimmed.is_empty()
        || head.len() - trimmed.len() > 1
        || trimmed.ends_with([
            '.', '\n', '!', '?', ':', ';', '•', '*', '#', '|', '>', '(', '[', ']', '—', '–', '«',
            '"', '›', '~', '/', '→',
        ])
        || trimmed.ends_with(" -")
        || trimmed.chars().next_back().is_some_and(|c| {
            !c.is_alphanumeric() && !matches!(c, ',' | '\'' | '’' | ')' | '-' | '»')
        })
    {
        return Before::Start;
    }
    let mut from = trimmed.len().saturating_sub(24);
    while !trimmed.is_char_boundary(from) {
        from += 1;
    }
    let tail = fold(&trimmed[from..]);
    let words: Vec<&str> = tail
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.last().copied().unwrap_or("");
    // « Les Urgences ont rappelé »: a capitalised article starts a sentence
    if trimmed.ends_with(|c: char| c.is_alphabetic())
        && trimmed
            .rsplit(' ')
            .next()
            .is_some_and(|w| matches!(w, "Les" | "Le" | "La" | "Au" | "Aux" | "Du" | "Des"))
    {
        return Before::Start;
    }
    if elided {
        let prev = words.len().checked_sub(2).map_or("", |i| words[i]);
        return match last.trim_end_matches('\'') {
            "l" if prev == "a" => Before::Stay,
            "l" => Before::Article,
            _ => Before::Other,
        };
    }
    let prev = words.len().checked_sub(2).map_or("", |i| words[i]);
    match last {
        "a" | "depuis" | "vers" => Before::Place,
        "chez" => Before::Stay,
        "la" if prev == "a" => Before::Stay,
        "le" | "la" | "les" | "au" | "aux" | "du" | "des" => Before::Article,
        _ => Before::Other,
    }
}

/// For each byte of `text`, whether a candidate already covers it.
pub(crate) fn covered(text: &str, found: &[Cand]) -> Vec<bool> {
    let mut covered = vec![false; text.len() + 1];
    for c in found {
        for t in &mut covered[c.start..c.end] {
            *t = true;
        }
    }
    covered
}

/// The words of `text` (hyphenated ones whole), as byte ranges.
pub(crate) fn words(text: &str) -> Vec<(usize, usize)> {
    word_re()
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// Add the names that stand inside sentences where a name stands, and
/// widen a commune found to the capitalised words right after it.
pub fn detect(text: &str, found: Vec<Cand>) -> Vec<Cand> {
    let covered = covered(text, &found);
    let words = words(text);
    let mut more: Vec<Cand> = Vec::new();
    let mut widened: Vec<(usize, usize, Kind)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (s, e) = words[i];
        let article = matches!(&text[s..e], "Les" | "Le" | "La");
        if covered[s] || word(&text[s..e]) == Word::No && !article {
            i += 1;
            continue;
        }
        // the run: capitalised words joined by one space, and « de », « du »,
        // « des », « de la » between two of them (« Amicale Laïque de Ruy »)
        let mut kinds = vec![word(&text[s..e])];
        let mut end = e;
        let mut j = i + 1;
        while j < words.len() {
            let (s2, e2) = words[j];
            let w2 = &text[s2..e2];
            if covered[s2] || !w2.chars().next().is_some_and(char::is_uppercase) {
                break;
            }
            let gap = &text[end..s2];
            if gap != " " && !matches!(gap, " de " | " du " | " des " | " de la " | " d'" | " d’")
            {
                break;
            }
            kinds.push(word(w2));
            end = e2;
            j += 1;
        }
        i = j;
        // « Les Tilleuls »: the article is part of the name, not a word of it
        let capital_article = matches!(&text[s..e], "Les" | "Le" | "La");
        if capital_article {
            kinds.remove(0);
            if kinds.is_empty() {
                continue;
            }
        }
        // right after a commune or an establishment found: its side, its
        // club, the rest of its name (« Lyon Sud », « Vannes Olympique Étudiants »)
        let glued = found.iter().find(|c| {
            c.end + 1 == s
                && text[c.end..s] == *" "
                && matches!(c.kind, Kind::Ville | Kind::Etablissement)
        });
        if let Some(v) = glued {
            // « Il habite Lyon Sud »: a side of the town is the town; the
            // words of care make it the hospital (`territories`)
            let side = matches!(
                fold(&text[s..end]).as_str(),
                "nord" | "sud" | "est" | "ouest" | "centre" | "ville"
            );
            let kind = if side {
                Kind::Ville
            } else {
                Kind::Etablissement
            };
            widened.push((v.start, end, kind));
            continue;
        }
        // « Centre Calvé, Berck-sur-Mer », « le stage de Montbrison-les-Pins »:
        // a place's shape alone is a place wherever it stands, even where
        // the list names the commune otherwise (« Berck »)
        if end == e && joined_place(&text[s..e]) == Some(true) {
            more.push(Cand {
                start: s,
                end: e,
                kind: Kind::Ville,
                prio: PRIO,
                info: Info::None,
            });
            continue;
        }
        // a run that only dictionaries do not know is a drug, a device or an
        // eponym as often as a name (« Zopiclone », « Meilleraie »), and one
        // with clinical vocabulary in it is a test or a scale (« Timed Up
        // and Go », « Schernberg III »): only runs with a word of the
        // language and none of the clinic
        let stay = before(text, s) == Before::Stay || headed(text, s);
        if !kinds.contains(&Word::Known) && !stay && !capital_article || kinds.contains(&Word::No) {
            continue;
        }
        let kind = match before(text, s) {
            Before::Place if !capital_article => Kind::Ville,
            Before::Place | Before::Article | Before::Stay => Kind::Etablissement,
            // « — Les Tilleuls », « unité Les Tilleuls »
            Before::Start | Before::Other if capital_article && !line_start(text, s) => {
                Kind::Etablissement
            }
            _ => continue,
        };
        more.push(Cand {
            start: s,
            end,
            kind,
            prio: PRIO,
            info: Info::None,
        });
    }
    let mut out: Vec<Cand> = found
        .into_iter()
        .filter(|c| !widened.iter().any(|w| w.0 == c.start))
        .collect();
    for (s, e, kind) in widened {
        out.push(Cand {
            start: s,
            end: e,
            kind,
            prio: PRIO,
            info: Info::None,
        });
    }
    out.extend(more);
    cued::detect(text, &mut out);
    out.sort_by_key(|c| c.start);
    join(text, out)
}

/// An establishment's name takes the capitalised article before it
/// (« Les Tilleuls », not « Les [Établissement A] »), and two establishments'
/// pieces side by side are one (« Rennes Étudiants » « Club Rugby »).
fn join(text: &str, cands: Vec<Cand>) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::with_capacity(cands.len());
    for mut c in cands {
        if c.kind == Kind::Etablissement {
            let head = &text[..c.start];
            if let Some(a) = ["Les ", "Le ", "La "].iter().find(|a| head.ends_with(*a)) {
                let s = c.start - a.len();
                // not the article of a sentence (« La CPAM du Gers a refusé »)
                if out.last().is_none_or(|p| p.end <= s)
                    && !line_start(text, s)
                    && !text[..s].ends_with(char::is_alphanumeric)
                    && !text[..s].trim_end().ends_with(['.', '!', '?'])
                {
                    c.start = s;
                }
            }
            if let Some(p) = out.last_mut() {
                // only where this pass found one of them: the others' pieces
                // were kept apart on purpose
                if p.kind == Kind::Etablissement
                    && (p.prio == PRIO || c.prio == PRIO)
                    && p.end + 1 == c.start
                    && &text[p.end..c.start] == " "
                {
                    p.end = c.end;
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// « salle la Meilleraie », « gymnase les Aubiers »: a place's head in
/// lower case and an article before the run make it that place's name,
/// even when no dictionary knows its words (a drug or a device never
/// stands so).
fn headed(text: &str, at: usize) -> bool {
    const HEADS: &[&str] = &[
        "salle",
        "gymnase",
        "stade",
        "piscine",
        "complexe",
        "halle",
        "residence",
        "foyer",
        "clinique",
        "maison",
        "centre",
        "pavillon",
        "domaine",
        "villa",
        "ferme",
    ];
    let head = text[..at].trim_end_matches([' ', '\u{a0}']);
    let head = head.strip_suffix(['\'', '’']).unwrap_or(head);
    let mut words = head
        .rsplit(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let article = words.next().unwrap_or("");
    let place = words.next().unwrap_or("");
    matches!(article, "la" | "le" | "les" | "l")
        && head.ends_with(article)
        && place.chars().all(char::is_lowercase)
        && HEADS.contains(&fold(place).as_str())
}

/// Is `at` the first word of its line (a header, a list's item)?
fn line_start(text: &str, at: usize) -> bool {
    let line = &text[text[..at].rfind('\n').map_or(0, |i| i + 1)..at];
    line.chars().all(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use crate::{Anonymiser, Kind};

    fn found(text: &str) -> Vec<(Kind, String)> {
        Anonymiser::new()
            .detect(text)
            .into_iter()
            .filter(|s| matches!(s.kind, Kind::Etablissement | Kind::Ville))
            .map(|s| (s.kind, text[s.start..s.end].to_string()))
            .collect()
    }

    #[test]
    fn capitalised_words_after_an_article_inside_a_sentence_are_a_name() {
        assert_eq!(
            found("Elle court le dimanche avec les Foulées Vertes du canton."),
            [(Kind::Etablissement, "Foulées Vertes".to_string())]
        );
        assert_eq!(
            found("Il joue dans le Quintette Boréal depuis deux ans."),
            [(Kind::Etablissement, "Quintette Boréal".to_string())]
        );
        assert_eq!(
            found("Résidente de l'unité Les Glycines, chute sans gravité."),
            // the unit's head goes with its name (`orgs::named_units`)
            [(Kind::Etablissement, "unité Les Glycines".to_string())]
        );
        assert_eq!(
            found("Il s'entraîne avec Vannes Olympique Étudiants le mardi."),
            [(
                Kind::Etablissement,
                "Vannes Olympique Étudiants".to_string()
            )]
        );
        assert_eq!(
            found("Opérée en 2019, hospitalisée à la Miséricorde ensuite."),
            [(Kind::Etablissement, "Miséricorde".to_string())]
        );
    }

    #[test]
    fn an_unknown_name_after_a_place_head_and_an_article_is_that_place() {
        assert_eq!(
            found("Chute à l'entraînement (salle la Meilleraie), cheville gauche."),
            // the room's head and article go with its name (`orgs::named_units`)
            [(Kind::Etablissement, "salle la Meilleraie".to_string())]
        );
        // without the head, an unknown word after an article may be a drug
        assert_eq!(
            found("Reprise de la Xarelto ce soir, arrêt du Zopiclone."),
            []
        );
    }

    #[test]
    fn capitalised_parts_joined_by_sur_or_les_are_a_place() {
        assert_eq!(
            found("Sortie vers Montbrison-les-Pins, chez sa fille."),
            [(Kind::Ville, "Montbrison-les-Pins".to_string())]
        );
        assert_eq!(
            found("Elle vit seule à Pont-sur-Arve depuis mars."),
            [(Kind::Ville, "Pont-sur-Arve".to_string())]
        );
        // wherever it stands in a sentence, or at the head of a letter
        assert_eq!(
            found("Stage : Centre Calvé, Berck-sur-Mer, du 4 au 13 octobre."),
            [
                (Kind::Etablissement, "Centre Calvé".to_string()),
                (Kind::Ville, "Berck-sur-Mer".to_string())
            ]
        );
        assert_eq!(
            found("Aix-les-Bains, le 3 mars\nCher confrère,"),
            [(Kind::Ville, "Aix-les-Bains".to_string())]
        );
        // an eponym so written stays
        assert_eq!(found("Il évoque un syndrome de Gilles-de-la-Tourette."), []);
        assert_eq!(found("Gilles-de-la-Tourette probable, tics moteurs."), []);
    }

    #[test]
    fn clinical_names_and_sentence_starts_are_kept() {
        for t in [
            "Score de Constant à 62, test de Lachman négatif.",
            "Timed Up and Go à 14 s, Star Excursion Balance Test asymétrique.",
            "Pensez au Glucagen si hypoglycémie, arrêt du Zopiclone.",
            "Les Urgences ont rappelé ce matin.",
            "Il habite Lyon Sud, quartier calme.",
        ] {
            assert!(
                found(t).iter().all(|(k, _)| *k == Kind::Ville),
                "{t}: {:?}",
                found(t)
            );
        }
    }
}
