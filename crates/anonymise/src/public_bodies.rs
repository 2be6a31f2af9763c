//! Courts, police and gendarmerie units, public and social services and
//! religious buildings named by their head and their place: « tribunal
//! judiciaire de Quimper », « tribunal de proximité de Lunel », « cour
//! d'appel d'Agen », « commissariat de Vierzon », « brigade territoriale
//! autonome de Pornic », « conseil de prud'hommes de Niort », « maison
//! départementale des solidarités de Morlaix », « CRP de Limoges », « MDS
//! Cholet », « SPST Pays de Redon », « cathédrale de Bayeux ». Another pass
//! found the commune alone, and the head was left in clear beside its
//! placeholder (« tribunal judiciaire de [Commune A] »). The newer sets mark
//! the whole as one establishment: the head says which court or which unit,
//! and its place says where the person was judged, heard or followed.
//!
//! Only a head of this list turns a commune into an establishment: a
//! commune after a word that heads no establishment (« le marché de
//! Dinan », « la route de Vitré ») stays a commune.
use crate::org_tokens::{joined, take_whole, text_tokens, Tok};
use crate::{Cand, Kind};

/// A head: its folded words, and how many words of its own kind may come
/// between it and the link (« tribunal » + « de proximité », « brigade » +
/// « territoriale autonome »); 0 for a head whose words are the whole kind.
struct Head {
    words: &'static [&'static str],
    qualifiers: usize,
}

const fn h(words: &'static [&'static str], qualifiers: usize) -> Head {
    Head { words, qualifiers }
}

/// Heads of courts, of prisons, of police and gendarmerie units, of public
/// and social services and of religious and historic buildings (folded
/// words). Written for this crate from the names the French state gives
/// its jurisdictions (code de l'organisation judiciaire: tribunal
/// judiciaire, de proximité, de commerce, administratif, cour d'appel,
/// d'assises, conseil de prud'hommes), its police and gendarmerie units
/// (commissariat, brigade territoriale, de recherches, compagnie,
/// groupement), its prisons (maison d'arrêt, centre pénitentiaire, de
/// détention) and its services of care and of work health (code de la
/// santé publique, code du travail: PMI, CMP, CAMSP, SPST, maison
/// départementale des solidarités, centre de rééducation professionnelle).
const HEADS: &[Head] = &[
    // courts
    h(&["tribunal"], 4),
    h(&["cour", "d", "appel"], 0),
    h(&["cour", "administrative", "d", "appel"], 0),
    h(&["cour", "d", "assises"], 0),
    h(&["conseil", "de", "prud", "hommes"], 0),
    h(&["maison", "de", "justice", "et", "du", "droit"], 0),
    h(&["maison", "d", "arret"], 0),
    h(&["maison", "centrale"], 0),
    h(&["centre", "penitentiaire"], 0),
    h(&["centre", "de", "detention"], 0),
    // police and gendarmerie
    h(&["commissariat"], 3),
    h(&["hotel", "de", "police"], 0),
    h(&["poste", "de", "police"], 0),
    h(&["police", "municipale"], 0),
    h(&["brigade"], 3),
    h(&["compagnie", "de", "gendarmerie"], 0),
    h(&["groupement", "de", "gendarmerie"], 0),
    h(&["centre", "de", "secours"], 1),
    // public and social services
    h(&["maison", "departementale"], 4),
    h(&["centre", "de", "reeducation", "professionnelle"], 0),
    h(&["centre", "medico-psychologique"], 0),
    h(&["centre", "medico-social"], 0),
    h(&["centre", "communal", "d", "action", "sociale"], 0),
    h(&["plateforme", "de", "repit"], 0),
    h(&["mission", "locale"], 0),
    h(&["prefecture"], 0),
    h(&["sous-prefecture"], 0),
    h(&["service", "de", "sante", "au", "travail"], 0),
    h(
        &[
            "service",
            "de",
            "prevention",
            "et",
            "de",
            "sante",
            "au",
            "travail",
        ],
        0,
    ),
    // religious and historic buildings
    h(&["cathedrale"], 0),
    h(&["basilique"], 0),
    h(&["chapelle"], 0),
    h(&["abbaye"], 0),
    h(&["collegiale"], 0),
    h(&["prieure"], 0),
    h(&["haras"], 0),
    h(&["haras", "national"], 0),
];

/// Services written by their acronym, in capitals, before their place,
/// with or without a link (« PMI de Lunel », « MDS Cholet »): several are
/// words of the clinical list elsewhere (« CRP » is a protein), so only
/// their place after them makes them a service. Written for this crate
/// from the acronyms of the same codes (protection maternelle et infantile,
/// centre de rééducation professionnelle, équipe mobile de soins
/// palliatifs, maison départementale des solidarités, services de
/// prévention et de santé au travail…).
const ACRONYMS: &[&str] = &[
    "pmi", "crp", "emsp", "mds", "spst", "spsti", "aist", "sist", "cmp", "cmpp", "camsp", "cdps",
    "ccas", "cias", "mdph", "mda", "cdas", "spip", "pjj", "csapa",
];

/// Words that end a head's qualifiers: what comes before them is no longer
/// the head's name (« le tribunal a renvoyé l'audience de Rennes »).
const GRAMMAR: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "cette", "chez", "dans", "en", "est", "et", "la", "le", "les",
    "mais", "ou", "par", "puis", "qui", "que", "sa", "ses", "son", "sont", "sur", "un", "une", "l",
    "y",
];

/// Capitalised words that open a territory's name before the link
/// (« SPST Pays de Redon », « CCAS Val de Loire »).
const OPEN_ENDS: &[&str] = &["pays", "val", "grand", "haut", "bas"];

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let toks = text_tokens(text);
    let places: Vec<(usize, usize)> = found
        .iter()
        .filter(|c| c.kind == Kind::Ville)
        .map(|c| (c.start, c.end))
        .collect();
    for (s, e) in places {
        let k = toks.partition_point(|t| t.start < s);
        if toks.get(k).is_none_or(|t| t.start != s) {
            continue;
        }
        if let Some(start) = head_before(text, &toks, k, &found) {
            take_whole(&mut found, start, e);
        }
    }
    found.sort_by_key(|c| c.start);
    found
}

/// The link before token `k` (« de », « du », « des », « d' », « de la »,
/// « de l' »): the index of its first token.
fn link_before(text: &str, toks: &[Tok], k: usize) -> Option<usize> {
    if k == 0 || !joined(text, &toks[k - 1], &toks[k]) {
        return None;
    }
    let a = &toks[k - 1];
    if a.cap && !a.upper {
        return None;
    }
    if matches!(a.folded.as_str(), "de" | "du" | "des" | "d") {
        return Some(k - 1);
    }
    let b = k.checked_sub(2).map(|i| &toks[i]);
    match b {
        Some(b) if b.folded == "de" && matches!(a.folded.as_str(), "la" | "l") => Some(k - 2),
        _ => None,
    }
}

/// The start of a head of the lists before the place at token `k`, if the
/// words between are free or hold only the head itself taken for a name or
/// a piece of an establishment.
fn head_before(text: &str, toks: &[Tok], k: usize, found: &[Cand]) -> Option<usize> {
    let link = link_before(text, toks, k);
    // an acronym right before its place (« MDS Cholet »)
    if link.is_none() {
        let a = toks.get(k.checked_sub(1)?)?;
        let bare = &text[a.end..toks[k].start] == " ";
        return (bare && a.upper && ACRONYMS.contains(&a.folded.as_str()) && free(a, found))
            .then_some(a.start);
    }
    let l = link?;
    if l == 0 || !joined(text, &toks[l - 1], &toks[l]) {
        return None;
    }
    // an acronym, maybe with a word that opens the territory (« SPST Pays de »)
    for skip in 0..=1usize {
        let Some(i) = l.checked_sub(1 + skip) else {
            break;
        };
        let a = &toks[i];
        let opens = (i + 1..l).all(|j| {
            let t = &toks[j];
            t.cap && OPEN_ENDS.contains(&t.folded.as_str()) && free(t, found)
        });
        if a.upper && ACRONYMS.contains(&a.folded.as_str()) && opens && free(a, found) {
            return Some(a.start);
        }
    }
    // a head of words, then its qualifiers
    for head in HEADS {
        let n = head.words.len();
        for q in 0..=head.qualifiers {
            let Some(first) = l.checked_sub(n + q) else {
                break;
            };
            let words = &toks[first..l];
            let whole = toks[first..=l]
                .windows(2)
                .all(|w| joined(text, &w[0], &w[1]));
            let named = words[..n]
                .iter()
                .zip(head.words)
                .all(|(t, w)| t.folded == *w);
            let qualified = words[n..].iter().all(|t| qualifier(t, &words[0]));
            // a head in capitals names a court in a letterhead in capitals
            let cased = !words[0].upper || words.iter().all(|t| t.upper);
            if whole && named && qualified && cased && covered(&toks[first], &toks[l], found) {
                // an establishment found in part may begin before the head
                // (« Le Tribunal Judiciaire de »): the whole starts with it
                let before = found
                    .iter()
                    .filter(|c| c.start < toks[l].end && toks[first].start < c.end)
                    .map(|c| c.start);
                return before.chain([toks[first].start]).min();
            }
        }
    }
    None
}

/// A word of a head's own kind: « judiciaire », « de proximité »,
/// « territoriale », « des solidarités ».
fn qualifier(t: &Tok, head: &Tok) -> bool {
    t.folded.chars().all(|c| c.is_alphabetic() || c == '-')
        && !GRAMMAR.contains(&t.folded.as_str())
        && (!t.upper || head.upper)
}

/// No span of another kind lies on the token.
fn free(t: &Tok, found: &[Cand]) -> bool {
    !found.iter().any(|c| c.start < t.end && t.start < c.end)
}

/// The words from `first` to `last` are free, or held by an establishment
/// found in part (« Le Tribunal Judiciaire de »), or by the head's first
/// word taken alone for a person (« Cour »).
fn covered(first: &Tok, last: &Tok, found: &[Cand]) -> bool {
    found
        .iter()
        .filter(|c| c.start < last.end && first.start < c.end)
        .all(|c| {
            c.kind == Kind::Etablissement && c.end <= last.end
                || c.kind == Kind::Nom && c.start == first.start && c.end == first.end
        })
}

#[cfg(test)]
mod tests {
    use crate::{Anonymiser, Kind};

    fn orgs(text: &str) -> Vec<String> {
        let rules = Anonymiser::new().with_detector(None);
        rules
            .detect(text)
            .into_iter()
            .filter(|s| s.kind == Kind::Etablissement)
            .map(|s| text[s.start..s.end].to_owned())
            .collect()
    }

    #[test]
    fn a_court_and_its_commune_are_one_establishment() {
        for (t, want) in [
            (
                "Audience devant le tribunal judiciaire de Quimper le mois prochain.",
                "tribunal judiciaire de Quimper",
            ),
            (
                "Convoqué au tribunal de proximité de Lunel pour la tutelle.",
                "tribunal de proximité de Lunel",
            ),
            (
                "Appel interjeté devant la cour d'appel d'Agen.",
                "cour d'appel d'Agen",
            ),
            (
                "Saisine du conseil de prud'hommes de Niort en mai.",
                "conseil de prud'hommes de Niort",
            ),
        ] {
            let found = orgs(t);
            assert!(found.iter().any(|o| o == want), "{t}: {found:?}");
        }
    }

    #[test]
    fn a_commune_after_a_word_that_heads_nothing_stays_a_commune() {
        for t in [
            "Elle fait le marché de Quimper le samedi.",
            "Accident sur la route de Vitré en janvier.",
        ] {
            assert!(orgs(t).is_empty(), "{t}: {:?}", orgs(t));
        }
    }
}
