//! Organisations named by an acronym and the territory they serve (« CRR de
//! Nantes », « MDMPH du Rhône », « CRA Aquitaine », « CMP enfants de
//! Lormont »), and hospital sites named by their commune and a side (« Lyon
//! Sud », after a word of care). The territory alone is a commune; with the
//! acronym before it, it is the one service of that place that the patient
//! uses, which identifies more than the commune does.

use crate::dicts::Dicts;
use crate::org_tokens::{cue_before, joined, push_org, Tok};
use crate::Cand;

/// French départements and regions (current and former), folded: the
/// territories that services are named after. Written here from the
/// Code officiel géographique's list of names.
pub(crate) const TERRITORIES: &[&str] = &[
    "ain",
    "aisne",
    "allier",
    "alpes-de-haute-provence",
    "hautes-alpes",
    "alpes-maritimes",
    "ardeche",
    "ardennes",
    "ariege",
    "aube",
    "aude",
    "aveyron",
    "bouches-du-rhone",
    "calvados",
    "cantal",
    "charente",
    "charente-maritime",
    "cher",
    "correze",
    "corse",
    "corse-du-sud",
    "haute-corse",
    "cote-d'or",
    "cotes-d'armor",
    "creuse",
    "dordogne",
    "doubs",
    "drome",
    "eure",
    "eure-et-loir",
    "finistere",
    "gard",
    "haute-garonne",
    "gers",
    "gironde",
    "herault",
    "ille-et-vilaine",
    "indre",
    "indre-et-loire",
    "isere",
    "jura",
    "landes",
    "loir-et-cher",
    "loire",
    "haute-loire",
    "loire-atlantique",
    "loiret",
    "lot",
    "lot-et-garonne",
    "lozere",
    "maine-et-loire",
    "manche",
    "marne",
    "haute-marne",
    "mayenne",
    "meurthe-et-moselle",
    "meuse",
    "morbihan",
    "moselle",
    "nievre",
    "nord",
    "oise",
    "orne",
    "pas-de-calais",
    "puy-de-dome",
    "pyrenees-atlantiques",
    "hautes-pyrenees",
    "pyrenees-orientales",
    "bas-rhin",
    "haut-rhin",
    "rhone",
    "haute-saone",
    "saone-et-loire",
    "sarthe",
    "savoie",
    "haute-savoie",
    "paris",
    "seine-maritime",
    "seine-et-marne",
    "yvelines",
    "deux-sevres",
    "somme",
    "tarn",
    "tarn-et-garonne",
    "var",
    "vaucluse",
    "vendee",
    "vienne",
    "haute-vienne",
    "vosges",
    "yonne",
    "territoire de belfort",
    "essonne",
    "hauts-de-seine",
    "seine-saint-denis",
    "val-de-marne",
    "val-d'oise",
    "guadeloupe",
    "martinique",
    "guyane",
    "reunion",
    "mayotte",
    // regions, current and former (services kept their old names)
    "auvergne",
    "rhone-alpes",
    "auvergne-rhone-alpes",
    "bourgogne",
    "franche-comte",
    "bourgogne-franche-comte",
    "bretagne",
    "centre-val de loire",
    "grand est",
    "alsace",
    "lorraine",
    "champagne-ardenne",
    "hauts-de-france",
    "picardie",
    "nord-pas-de-calais",
    "ile-de-france",
    "normandie",
    "nouvelle-aquitaine",
    "aquitaine",
    "limousin",
    "poitou-charentes",
    "occitanie",
    "languedoc-roussillon",
    "midi-pyrenees",
    "pays de la loire",
    "provence-alpes-cote d'azur",
    "paca",
    "cote d'azur",
    "provence",
];

pub(crate) fn territory_len(toks: &[Tok], text: &str, i: usize) -> usize {
    // the longest territory of one to four words starting at token i
    (1..=4)
        .rev()
        .find(|&len| {
            i + len <= toks.len()
                && toks[i].cap
                && (1..len).all(|k| joined(text, &toks[i + k - 1], &toks[i + k]))
                && TERRITORIES.contains(&name_of(toks, text, i, len).as_str())
        })
        .unwrap_or(0)
}

fn name_of(toks: &[Tok], text: &str, i: usize, len: usize) -> String {
    let mut s = String::new();
    for k in i..i + len {
        if k > i {
            let gap = &text[toks[k - 1].end..toks[k].start];
            s.push(if gap.contains(['\'', '’']) {
                '\''
            } else {
                ' '
            });
        }
        s.push_str(&toks[k].folded);
    }
    s
}

/// Is token i a place: a commune in capitals or a territory? Its length in tokens.
fn place_len(toks: &[Tok], text: &str, i: usize) -> usize {
    let d = Dicts::get();
    let t = &toks[i];
    let n = territory_len(toks, text, i);
    if n > 0 {
        return n;
    }
    if t.cap && !t.upper && d.communes.contains_key(&t.folded) {
        return 1;
    }
    0
}

/// An acronym that can name a service: capitals only, two to seven
/// letters, neither a Roman numeral (« stade III de ») nor a clinical
/// abbreviation of the allow-list.
pub(crate) fn service_acronym(text: &str, t: &Tok) -> bool {
    let w = &text[t.start..t.end];
    let letters = w.chars().count();
    t.upper
        && (2..=7).contains(&letters)
        && w.chars().all(|c| c.is_alphabetic())
        && !w.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
        && !Dicts::get().allow.contains(&t.folded)
}

pub(crate) fn detect(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    let n = toks.len();
    for i in 0..n {
        if !service_acronym(text, &toks[i]) {
            continue;
        }
        // « CMP enfants de Lormont »: one lower-case word of public served
        let mut j = i + 1;
        if j < n
            && !toks[j].cap
            && toks[j].folded.len() > 3
            && !matches!(
                toks[j].folded.as_str(),
                "dans" | "avec" | "pour" | "sans" | "chez"
            )
            && joined(text, &toks[i], &toks[j])
        {
            j += 1;
        }
        if j >= n || !joined(text, &toks[j - 1], &toks[j]) {
            continue;
        }
        // « de », « du », « d' », « de la », « des » before the place, or
        // nothing before a territory (« CRA Aquitaine »)
        let mut k = j;
        if matches!(toks[k].folded.as_str(), "de" | "du" | "d" | "des") {
            k += 1;
            if k < n && matches!(toks[k].folded.as_str(), "la" | "l") {
                k += 1;
            }
            if k >= n || !joined(text, &toks[k - 1], &toks[k]) {
                continue;
            }
            let len = place_len(toks, text, k);
            if len == 0 {
                continue;
            }
            push_org(out, toks[i].start, toks[k + len - 1].end, 66);
        } else if k == i + 1 {
            let len = territory_len(toks, text, k);
            if len > 0 {
                push_org(out, toks[i].start, toks[k + len - 1].end, 66);
            }
        }
    }
    // « retour de Lyon Sud », « opérée à Lyon Sud »: a commune and a side,
    // after a word of care, is the hospital of that side of the town
    for i in 0..n.saturating_sub(1) {
        let (t, s) = (&toks[i], &toks[i + 1]);
        if t.cap
            && Dicts::get().communes.contains_key(&t.folded)
            && s.cap
            && matches!(s.folded.as_str(), "sud" | "nord")
            && joined(text, t, s)
            && cue_before(text, toks, i)
        {
            push_org(out, t.start, s.end, 66);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::{Anonymiser, Kind};

    /// The establishments found in `text`, as written.
    pub(crate) fn etabs(text: &str) -> Vec<String> {
        Anonymiser::new()
            .detect(text)
            .into_iter()
            .filter(|s| s.kind == Kind::Etablissement)
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn an_acronym_and_its_territory_are_one_organisation() {
        assert_eq!(
            etabs("Il enseigne au CRR de Nantes le mardi."),
            ["CRR de Nantes"]
        );
        assert_eq!(
            etabs("Demande de PCH à la MDMPH du Rhône, bilan au CRA Aquitaine."),
            ["MDMPH du Rhône", "CRA Aquitaine"]
        );
        assert_eq!(
            etabs("Suivi par le CMP enfants de Lormont depuis un an."),
            ["CMP enfants de Lormont"]
        );
    }

    #[test]
    fn a_clinical_acronym_or_a_numeral_before_a_place_is_no_organisation() {
        assert!(etabs("Stade III de la classification, AVC en 2019.").is_empty());
    }

    #[test]
    fn a_commune_and_its_side_after_care_is_a_hospital() {
        assert_eq!(
            etabs("Mme Delmas : retour de Lyon Sud prévu jeudi."),
            ["Lyon Sud"]
        );
        assert!(etabs("Il habite Lyon Sud, quartier calme.").is_empty());
    }
}
