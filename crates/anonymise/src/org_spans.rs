//! Establishments completed from what the other passes found, once every
//! rule and the learned detector have run:
//! - a part of a hospital or a venue named after a person or a place:
//!   « unité Jean-Baptiste Charcot », « service de rééducation Yves-Lanco »,
//!   « complexe sportif Henri-Bacquet », « centre nautique Jean-Régis »: the
//!   name alone was taken for a person, or not at all, and the head that
//!   makes it a place was left out;
//! - a long official name ending on its commune: « centre de la douleur de
//!   Rodez », « orchestre de chambre de toulouse »: the commune alone was
//!   taken, and the words that make it one organisation were left;
//! - an acronym defined in brackets after an establishment's name, « Rugby
//!   Club Granvillais (RCG) », is that establishment wherever the text
//!   writes it, and so is the name in brackets after its acronym: « VBC
//!   Épinal (Volley Ball Club Spinalien) ».
use crate::dicts::{fold, Dicts};
use crate::org_tokens::{joined, tokens, Tok};
use crate::{Cand, Info, Kind};

/// Parts of a hospital or a home, named after a person or a place.
const UNIT_HEADS: &[&str] = &[
    "unite", "service", "aile", "secteur", "pavillon", "batiment",
];

/// Venues of sport and culture: « complexe sportif Henri-Bacquet ».
const VENUE_HEADS: &[&str] = &[
    "complexe",
    "gymnase",
    "piscine",
    "halle",
    "musee",
    "dojo",
    "patinoire",
    "velodrome",
    "boulodrome",
    "centre",
    "espace",
    "palais",
    "parc",
    "base",
];

/// Heads too common to name a place without a word that says which kind:
/// « centre nautique », « espace aquatique », « parc des sports » (« au
/// centre Dupont », « parc Martin » are rarer than « le centre de Lyon »).
const NEED_QUALIFIER: &[&str] = &["centre", "espace", "palais", "parc", "base"];

/// Heads of organisations written with their commune at the end:
/// « conservatoire à rayonnement départemental de Gennevilliers », « cave
/// coopérative vignerons de saumur ». Not a court (« tribunal judiciaire de
/// Rennes » names the town's court, as every town has), nor a hospital's
/// service (« service médical de Bordeaux »).
const OF_PLACE_HEADS: &[&str] = &[
    "centre",
    "institut",
    "conservatoire",
    "orchestre",
    "ensemble",
    "cave",
    "hdj",
    "maison",
    "federation",
    "ligue",
    "universite",
    "ecole",
];

/// Words that end the qualifiers of a head: what follows them is no
/// longer its name (« la piscine avec la classe à l'Aquagolfe »).
const GRAMMAR: &[&str] = &[
    "avec", "pour", "par", "chez", "dans", "sur", "sous", "et", "ou", "a", "en", "puis", "mais",
    "qui", "que", "est", "sont", "ce", "cette", "son", "sa", "ses", "un", "une",
];

/// Words that link a head to a name: after them a person's name is the
/// person (« service de Jean Roux »), a commune the place.
fn is_link(f: &str) -> bool {
    matches!(
        f,
        "de" | "du" | "des" | "d" | "l" | "la" | "le" | "les" | "au" | "aux"
    )
}

fn lower(t: &Tok) -> bool {
    !t.cap && !t.upper
}

fn is_title(f: &str) -> bool {
    crate::names::is_title_word(f)
}

/// « Henri-Bacquet », « Mont-Veyrier »: a compound whose parts are all
/// capitalised, not an eponym of the clinical vocabulary.
fn capitalised_compound(text: &str, t: &Tok) -> bool {
    let w = &text[t.start..t.end];
    let d = Dicts::get();
    w.contains('-')
        && w.split('-').all(|p| {
            let mut cs = p.chars();
            cs.next().is_some_and(char::is_uppercase) && cs.all(char::is_lowercase)
        })
        && !d.allow.contains(&t.folded)
        && !d.stop.contains(&t.folded)
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    named_parts(text, &mut found);
    found.sort_by_key(|c| c.start);
    found
}

/// The span of `found` that starts at byte `at`, if any.
fn starting_at(found: &[Cand], at: usize) -> Option<usize> {
    found.iter().position(|c| c.start == at)
}

/// Heads and their qualifiers before a name, or a commune, that another
/// pass found alone (or that nothing found, for a compound name after a
/// part's or a venue's head).
fn named_parts(text: &str, found: &mut Vec<Cand>) {
    let toks = tokens(text);
    let n = toks.len();
    let d = Dicts::get();
    let mut i = 0;
    while i < n {
        let h = &toks[i];
        let hf = h.folded.as_str();
        let unit = UNIT_HEADS.contains(&hf);
        let venue = VENUE_HEADS.contains(&hf);
        let of_place = OF_PLACE_HEADS.contains(&hf);
        // a head in capitals is a header's word (« SERVICE DE PÉDIATRIE »)
        if !(unit || venue || of_place) || h.upper {
            i += 1;
            continue;
        }
        // the head must be free, or end an establishment already found
        let inside = found
            .iter()
            .position(|c| c.start <= h.start && h.end <= c.end);
        let start = match inside {
            None => h.start,
            Some(p) if found[p].kind == Kind::Etablissement && found[p].end == h.end => {
                found[p].start
            }
            Some(_) => {
                i += 1;
                continue;
            }
        };
        // qualifiers in lower case: « de médecine physique », « sportif »
        let mut k = i + 1;
        let mut qualifiers = 0;
        let mut made = None;
        while k < n && k <= i + 7 && joined(text, &toks[k - 1], &toks[k]) {
            let prev = toks[k - 1].folded.as_str();
            let after_link = k > i + 1 && is_link(prev);
            if let Some(p) = starting_at(found, toks[k].start) {
                let c = &found[p];
                let first = text[c.start..c.end]
                    .split([' ', '\u{a0}', '.'])
                    .next()
                    .map(fold)
                    .unwrap_or_default();
                // « service AT », « service AST 35 »: an acronym after a
                // service's head is its kind or its own name, not a person
                // (nor « service social CHU Grenoble », a hospital's own name)
                let written = text[c.start..c.end]
                    .split([' ', '\u{a0}'])
                    .next()
                    .is_some_and(|w| w.chars().any(char::is_lowercase));
                let ok = match c.kind {
                    // « parc des Bois Noirs », « hdj de médecine du centre
                    // hospitalier de Cholet »; not « service de chirurgie du
                    // CHU Estaing » (the hospital is the name, not its service)
                    Kind::Etablissement if after_link => (venue || of_place) && !unit,
                    Kind::Etablissement => (unit || venue) && written,
                    // « unité Jean-Baptiste Charcot », not « service de Jean
                    // Roux » nor « service Dr Roux »
                    Kind::Nom => {
                        (unit || venue)
                            && written
                            && !after_link
                            && !is_title(&first)
                            && !is_title(prev)
                            && (!NEED_QUALIFIER.contains(&hf) || qualifiers > 0)
                    }
                    // « centre de la douleur de Rodez », not « centre de Lyon »
                    Kind::Ville => of_place && matches!(prev, "de" | "du" | "d") && qualifiers > 0,
                    _ => false,
                };
                if ok {
                    made = Some(c.end);
                }
                break;
            }
            let t = &toks[k];
            if GRAMMAR.contains(&t.folded.as_str()) {
                break;
            }
            if lower(t) {
                if !is_link(&t.folded) {
                    qualifiers += 1;
                }
                k += 1;
                continue;
            }
            // nothing found here: a compound name after a part's or a
            // venue's head (« service Georges-Clemenceau »)
            if (unit || venue)
                && !after_link
                && (!NEED_QUALIFIER.contains(&hf) || qualifiers > 0)
                && t.cap
                && !t.upper
                && capitalised_compound(text, t)
            {
                made = Some(t.end);
            }
            break;
        }
        let Some(mut end) = made else {
            i += 1;
            continue;
        };
        // the rest of the name: « unité Françoise Dolto » when only the
        // first name was found
        let mut m = toks.partition_point(|t| t.start < end);
        while m < n
            && toks[m].cap
            && !toks[m].upper
            && joined(text, &toks[m - 1], &toks[m])
            && !text[toks[m - 1].end..toks[m].start].contains(['\'', '’'])
            && !d.common.contains(&toks[m].folded)
            && starting_at(found, toks[m].start)
                .is_none_or(|p| matches!(found[p].kind, Kind::Nom | Kind::Etablissement))
        {
            end = end.max(toks[m].end);
            if let Some(p) = starting_at(found, toks[m].start) {
                end = end.max(found[p].end);
            }
            m += 1;
        }
        // what it covers goes; what it would cut in two stays as it was
        if found
            .iter()
            .any(|c| c.start < end && start < c.end && (c.start < start || c.end > end))
        {
            i += 1;
            continue;
        }
        found.retain(|c| !(start <= c.start && c.end <= end));
        found.push(Cand {
            start,
            end,
            kind: Kind::Etablissement,
            prio: 60,
            info: Info::None,
        });
        i = toks.partition_point(|t| t.start < end);
    }
}

#[cfg(test)]
mod tests {
    use crate::{Anonymiser, Kind};

    /// The establishments the rules alone take (the learned detector may
    /// add more; these tests pin the rules).
    fn orgs(text: &str) -> Vec<&str> {
        let rules = Anonymiser::new().with_detector(None);
        let spans = rules.detect(text);
        let mut names: Vec<&str> = Vec::new();
        for s in spans.iter().filter(|s| s.kind == Kind::Etablissement) {
            names.push(&text[s.start..s.end]);
        }
        names
    }

    #[test]
    fn a_part_or_a_venue_named_after_a_person_is_the_establishment() {
        for (t, want) in [
            (
                "Hospitalisé en gériatrie, unité Marcel Rivière, depuis lundi.",
                "unité Marcel Rivière",
            ),
            (
                "Transféré au service de chirurgie digestive Henri-Mondor cette nuit.",
                "service de chirurgie digestive Henri-Mondor",
            ),
            (
                "Entraînement le mardi au complexe sportif Lucien-Fayolle avec le club.",
                "complexe sportif Lucien-Fayolle",
            ),
            (
                "Elle nage au centre nautique Paul-Boiteux le samedi.",
                "centre nautique Paul-Boiteux",
            ),
        ] {
            assert!(orgs(t).contains(&want), "{t}: {:?}", orgs(t));
        }
        // a person linked to a service by « de », or with a title, stays one
        for t in [
            "Il est suivi dans le service de Jean Roussel depuis mars.",
            "Appel du service Dr Lemaire pour le compte rendu.",
        ] {
            assert!(
                !orgs(t).iter().any(|o| o.starts_with("service")),
                "{t}: {:?}",
                orgs(t)
            );
        }
    }

    #[test]
    fn a_long_name_ending_on_its_commune_is_one_organisation() {
        assert!(
            orgs("Infiltration au centre de la douleur de Quimper sans effet.")
                .contains(&"centre de la douleur de Quimper")
        );
        assert!(
            orgs("Elle est violoniste à l'orchestre de chambre de nantes.")
                .contains(&"orchestre de chambre de nantes")
        );
        // a town's court is named by its town, which is replaced alone
        assert!(!orgs("Le tribunal judiciaire de Quimper a statué en mars.")
            .iter()
            .any(|o| o.starts_with("tribunal")));
    }
}
