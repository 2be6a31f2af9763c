//! Organisations named with their département's number: « AIST 59 »,
//! « l'ADAPEI 35 », « syndicat CGT 29 », « Santé au Travail 13 », « réseau
//! Asthme 69 », « via Présence 41 ». Federations, unions, networks and
//! services of work health are organised by département and write its code
//! after their name; the code says which one, and so where the person lives
//! or works. The number must be a département's code (01–95, 2A, 2B,
//! 971–976) with nothing after it that makes it a measure (« FEVG 55 % »,
//! « VMA 14 km/h », « TAS 13/8 »), and the name before it must be no word of
//! the clinical vocabulary (« MIF 61 », « Berg 48 »), of time or of a room.

use crate::dicts::Dicts;
use crate::org_tokens::{joined, push_org, Tok};
use crate::Cand;

/// Words after which a capitalised word alone is an organisation's name:
/// « réseau Asthme 69 », « via Présence 41 », « chez Domicile 29 ».
const CUES: &[&str] = &[
    "reseau",
    "association",
    "asso",
    "syndicat",
    "comite",
    "collectif",
    "via",
    "chez",
    "federation",
    "union",
    "mutuelle",
    "plateforme",
];

/// What may stand before an acronym and its number: an elided or
/// contracted article (« l'ADAPEI 35 », « au CDOMK 76 »). Bare, or after
/// « le », « : » or a bracket, an acronym and a number is a score
/// (« MMS 22 », « (TSK 44) »).
const ACRONYM_CUES: &[&str] = &["l", "au", "aux"];

/// After « le » or « la » an acronym and a département's number name a
/// body (« le CDOMK 44 », « la FFMKR 74 ») when the acronym has four
/// letters or more and is no scale: scores of that length that the
/// allow-list lacks, written with the article and a bare figure (« la
/// MADRS 34 »).
const ARTICLES: &[&str] = &["le", "la"];
const SCALES: &[&str] = &[
    "madrs", "qbpds", "alsfrs", "facit", "asdas", "basfi", "basmi", "mfis", "lefs", "msws", "emif",
    "stai", "whoqol", "iciq", "hamd", "hama", "panss", "ybocs", "audit", "mabc", "fois",
];

/// Words after a number that make it a quantity, a time or a score.
const UNITS: &[&str] = &[
    "ans",
    "an",
    "kg",
    "g",
    "cm",
    "mm",
    "m",
    "km",
    "min",
    "mn",
    "s",
    "sec",
    "secondes",
    "minutes",
    "heures",
    "h",
    "jours",
    "j",
    "mois",
    "semaines",
    "sem",
    "seances",
    "fois",
    "points",
    "pts",
    "pt",
    "degres",
    "bpm",
    "ml",
    "mg",
    "l",
    "sur",
    "x",
    "mmhg",
    "cycles",
    "metres",
    "pas",
    "repetitions",
    "reps",
    "series",
    "kilos",
    "et",
    "a",
    "ou",
];

/// Words that a number follows without naming a département: rooms, beds,
/// weeks, scores, ranks, roads, people's ages.
const NOT_NAMES: &[&str] = &[
    "chambre",
    "ch",
    "lit",
    "box",
    "salle",
    "bureau",
    "porte",
    "etage",
    "batiment",
    "bat",
    "secteur",
    "unite",
    "aile",
    "pavillon",
    "niveau",
    "couloir",
    "semaine",
    "jour",
    "seance",
    "cycle",
    "saison",
    "version",
    "promo",
    "promotion",
    "classe",
    "groupe",
    "equipe",
    "page",
    "stade",
    "grade",
    "score",
    "test",
    "type",
    "total",
    "note",
    "cote",
    "rue",
    "route",
    "avenue",
    "bd",
    "boulevard",
    "chemin",
    "allee",
    "impasse",
    "place",
    "quai",
    "numero",
    "no",
    "n",
    "article",
    "code",
    "annee",
    "age",
    "patient",
    "patiente",
    "lot",
    "bloc",
    "zone",
    "ligne",
    "bus",
    "tram",
    "quartier",
    "residence",
    "bilan",
    "item",
    "items",
    "exercice",
    "serie",
    "etape",
    "phase",
    "palier",
    "scale",
    "echelle",
    "index",
    "indice",
    "questionnaire",
    "assessment",
    "inventory",
    "inventaire",
    "mesure",
    "evaluation",
];

/// Is `f` (folded) a département's code?
fn departement(f: &str) -> bool {
    match f {
        "2a" | "2b" => true,
        _ if f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u32 = f.parse().unwrap_or(0);
            (1..=95).contains(&n) && n != 20
        }
        _ if f.len() == 3 && f.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u32 = f.parse().unwrap_or(0);
            (971..=976).contains(&n)
        }
        _ => false,
    }
}

/// Does what follows the number at `k` leave it a code (nothing, a full
/// stop, a bracket, a dash, another word that is no unit)?
fn free_after(text: &str, toks: &[Tok], k: usize) -> bool {
    let rest = &text[toks[k].end..];
    let mut cs = rest.chars();
    match cs.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some('/' | '%' | '°' | '×' | '*' | '+' | '\'' | '’' | '-' | 'h') => false,
        Some(',' | '.' | ':') => !cs.next().is_some_and(|c| c.is_ascii_digit()),
        Some(' ' | '\u{a0}') => match toks.get(k + 1) {
            Some(t) if joined(text, &toks[k], t) => {
                !t.folded.starts_with(|c: char| c.is_ascii_digit())
                    && !UNITS.contains(&t.folded.as_str())
                    && !rest
                        .trim_start()
                        .starts_with(['%', '/', '°', '€', 'x', '×'])
            }
            _ => !rest.trim_start().starts_with(['%', '/', '°', '€', '×']),
        },
        Some(_) => true,
    }
}

/// A word that may be part of the name: capitalised, no word of care, of
/// time, of a room, nor a title.
fn name_word(t: &Tok) -> bool {
    let d = Dicts::get();
    let f = t.folded.as_str();
    (t.cap || t.upper)
        && f.chars().all(|c| c.is_alphabetic() || c == '-')
        && f.chars().count() >= 2
        // « Berg », « MIF »: the clinical vocabulary; « Santé », « Service »
        // are listed too but are common words that names are made of
        && (!d.allow.contains(f) || d.common.contains(f))
        && !NOT_NAMES.contains(&f)
        && !crate::not_name_words::WEEKDAYS_MONTHS.contains(&f)
        && !crate::not_name_words::not_a_name_word(f)
        && !crate::names::is_title_word(f)
}

/// Are the capitalised words all first names or surnames (no common
/// word)? Then they name a person, whatever number follows.
fn person(toks: &[Tok]) -> bool {
    let d = Dicts::get();
    toks.iter().filter(|t| t.cap || t.upper).all(|t| {
        let f = t.folded.as_str();
        (d.first_names.contains_key(f) || d.surnames.contains_key(f)) && !d.common.contains(f)
    })
}

pub(crate) fn detect(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    let d = Dicts::get();
    for k in 1..toks.len() {
        let num = &toks[k];
        if !departement(&num.folded)
            || &text[toks[k - 1].end..num.start] != " "
            || !free_after(text, toks, k)
        {
            continue;
        }
        // the name: capitalised words before the number, with the links
        // that join them (« Santé au Travail », « Service Aide Sociale »)
        let mut first = k;
        let mut words = 0;
        let mut j = k;
        while j > 0 && j + 4 >= k && joined(text, &toks[j - 1], &toks[j]) {
            let t = &toks[j - 1];
            if name_word(t) {
                words += 1;
                first = j - 1;
            } else if !(words > 0 && matches!(t.folded.as_str(), "de" | "du" | "des" | "au" | "d"))
                || t.cap
            {
                break;
            }
            j -= 1;
        }
        if words == 0 {
            continue;
        }
        let before = (first > 0 && joined(text, &toks[first - 1], &toks[first]))
            .then(|| toks[first - 1].folded.as_str());
        // a header's part: « AIST 59 – centre de Lille », « Fiche – AIST 59 »
        let header = {
            let b = text[..toks[first].start].trim_end_matches([' ', '\u{a0}']);
            let a = text[num.end..].trim_start_matches([' ', '\u{a0}']);
            let dash = |c: char| matches!(c, '–' | '—');
            (b.is_empty() || b.ends_with(['\n', '–', '—']))
                && (a.is_empty() || a.starts_with(['\n', '\r']) || a.starts_with(dash))
        };
        let name = &text[toks[first].start..toks[k - 1].end];
        let acronym = words == 1 && toks[first].upper && toks[first].folded.len() >= 3;
        let cued = before.is_some_and(|b| CUES.contains(&b));
        // a name of several words holds a common French word in lower case
        // letters after its capital (« Santé », « Services »), as English
        // scales and runs of acronyms do not (« Mini-Nutritional Assessment
        // 19 », « DFG CKD-EPI 58 »)
        let french = toks[first..k]
            .iter()
            .any(|t| t.cap && !t.upper && d.common.contains(&t.folded));
        let ok = if words >= 2 && (person(&toks[first..k]) || !french) {
            // « Jean Roux 12 »: a person and a room, a bed, a score
            false
        } else if words >= 2 {
            // a commune and its département (« Saint-Jean 44 ») is a town
            !d.communes.contains_key(&crate::dicts::fold(name))
        } else if acronym {
            cued || header
                || before.is_some_and(|b| ACRONYM_CUES.contains(&b))
                || before.is_some_and(|b| ARTICLES.contains(&b))
                    && toks[first].folded.len() >= 4
                    && !SCALES.contains(&toks[first].folded.as_str())
                    && !d.common.contains(&toks[first].folded)
        } else if person(&toks[first..k]) {
            false
        } else {
            cued && !toks[first].upper
                && !d.first_names.contains_key(&toks[first].folded)
                && !d.communes.contains_key(&toks[first].folded)
        };
        if ok {
            push_org(out, toks[first].start, num.end, 60);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    #[test]
    fn an_acronym_and_a_departements_number_after_le_or_la_is_a_body() {
        for (t, want) in [
            ("En cas de litige, le CROMK 33 répond vite.", "CROMK 33"),
            (
                "Mon syndicat (la FNMKR 56) conseille d'attendre.",
                "FNMKR 56",
            ),
        ] {
            let found = etabs(t);
            assert!(found.iter().any(|o| o == want), "{t}: {found:?}");
        }
    }

    #[test]
    fn a_scale_after_le_or_la_with_its_figure_is_no_body() {
        for t in [
            "Dépression sévère, la MADRS 34 en entrée.",
            "Lombalgie, le QBPDS 45 au bilan initial.",
            "Démence modérée, le MMSE 18 en juin.",
        ] {
            let found = etabs(t);
            assert!(found.is_empty(), "{t}: {found:?}");
        }
    }
}
