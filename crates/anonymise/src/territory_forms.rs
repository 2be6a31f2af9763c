//! The shapes a territory takes in a service's name after its acronym,
//! beyond the départements and regions of `territories`: a region's
//! initials (« URPS BFC »), an old province or a natural region (« SMERAS
//! Alpes », « CPTS Aunis Sud »), two territories joined by a hyphen
//! (« MGFR Loire-Forez », « MTCP Corse-Provence »), a territory and a
//! cardinal point (« CPTS Sud Vendée », « réseau Île-de-France Est »). Read
//! only right after an acronym that no list knows: alone, « Alpes » or
//! « Sud » are words.

use crate::dicts::Dicts;
use crate::org_tokens::{joined, push_org, Tok};
use crate::territories::{service_acronym, territory_len, TERRITORIES};
use crate::Cand;

/// Regions written by their initials, as services after them do.
const REGION_INITIALS: &[&str] = &["idf", "bfc", "aura", "hdf", "naq", "ara", "gest"];

/// Old provinces, mountain ranges and natural regions (« pays ») that
/// services, mutuals and networks are named after. Written here from the
/// names of the provinces of the Ancien Régime and the usual « pays ».
const PROVINCES: &[&str] = &[
    "alpes",
    "pyrenees",
    "cevennes",
    "dauphine",
    "anjou",
    "touraine",
    "gascogne",
    "bearn",
    "quercy",
    "perigord",
    "rouergue",
    "vivarais",
    "velay",
    "forez",
    "beaujolais",
    "sologne",
    "vexin",
    "beauce",
    "bresse",
    "artois",
    "hainaut",
    "flandre",
    "flandres",
    "cotentin",
    "aunis",
    "saintonge",
    "angoumois",
    "lauragais",
    "armagnac",
    "comminges",
    "bigorre",
    "cornouaille",
    "tregor",
    "goelo",
    "nivernais",
    "morvan",
    "bourbonnais",
    "berry",
    "navarre",
    "roussillon",
    "camargue",
];

/// Words that follow a territory after a hyphen to name one side of it
/// (« Vosges-Montagne », « Charente-Océan »), never a territory alone.
const SIDES: &[&str] = &[
    "montagne",
    "littoral",
    "atlantique",
    "ocean",
    "mediterranee",
];

/// Cardinal points that narrow a territory: « Sud Vendée », « Aunis Sud ».
const CARDINALS: &[&str] = &["nord", "sud", "est", "ouest", "centre"];

/// Is this folded word one territory by itself (a département, a region,
/// a province)?
fn one_word_territory(f: &str) -> bool {
    TERRITORIES.contains(&f) || PROVINCES.contains(&f)
}

/// A hyphenated token whose parts are all capitalised and whose first part
/// is a territory or a cardinal point and the next a territory, a side or
/// a cardinal point: « Loire-Forez », « Vosges-Montagne », « Nord-Isère ».
fn compound(text: &str, t: &Tok) -> bool {
    let w = &text[t.start..t.end];
    let parts: Vec<&str> = t.folded.split('-').collect();
    parts.len() == 2
        && w.split('-')
            .all(|p| p.starts_with(|c: char| c.is_uppercase()))
        && if CARDINALS.contains(&parts[0]) {
            one_word_territory(parts[1])
        } else {
            one_word_territory(parts[0])
                && (one_word_territory(parts[1])
                    || SIDES.contains(&parts[1])
                    || CARDINALS.contains(&parts[1]))
        }
}

/// The length in tokens of a territory starting at token `i`, in any of the
/// shapes above, with a cardinal point before or after it; 0 if none.
pub(crate) fn territory_form_len(toks: &[Tok], text: &str, i: usize) -> usize {
    let at = |k: usize| toks.get(k).filter(|t| t.cap);
    let core = |k: usize| -> usize {
        let Some(t) = at(k) else { return 0 };
        let n = territory_len(toks, text, k);
        if n > 0 {
            return n;
        }
        let f = t.folded.as_str();
        if t.upper && REGION_INITIALS.contains(&f)
            || !t.upper && (PROVINCES.contains(&f) || compound(text, t))
        {
            1
        } else {
            0
        }
    };
    let cardinal = |k: usize| {
        at(k).is_some_and(|t| !t.upper && CARDINALS.contains(&t.folded.as_str()))
            && joined(text, &toks[k - 1], &toks[k])
    };
    // « Sud Vendée »: a cardinal point, then the territory
    if at(i).is_some_and(|t| !t.upper && CARDINALS.contains(&t.folded.as_str()))
        && i + 1 < toks.len()
        && joined(text, &toks[i], &toks[i + 1])
    {
        let n = core(i + 1);
        return if n > 0 { n + 1 } else { 0 };
    }
    let n = core(i);
    if n > 0 && cardinal(i + n) {
        n + 1
    } else {
        n
    }
}

/// An acronym that no dictionary knows: no word, name or commune written
/// in capitals, no clinical abbreviation.
fn unknown_acronym(text: &str, t: &Tok) -> bool {
    let d = Dicts::get();
    let f = t.folded.as_str();
    service_acronym(text, t)
        && f.len() >= 3
        && !d.common.contains(f)
        && !d.stop.contains(f)
        && !d.surnames.contains_key(f)
        && !d.first_names.contains_key(f)
        && !d.communes.contains_key(f)
        && !d.site_acronyms.contains(f)
}

/// « MGFR Loire-Forez », « URPS MK Nouvelle-Aquitaine », « CPTS Sud
/// Vendée »: after an acronym that no list knows (token `i`), perhaps one
/// short acronym of a profession, a territory in one of the shapes of
/// `territory_forms`; the end of the name. Not inside a line in capitals,
/// where the acronym may be a word.
fn territory_after_unknown_acronym(text: &str, toks: &[Tok], i: usize) -> Option<usize> {
    if !unknown_acronym(text, &toks[i]) {
        return None;
    }
    if i > 0 && toks[i - 1].upper && joined(text, &toks[i - 1], &toks[i]) {
        return None;
    }
    let mut k = i + 1;
    let short_upper = |t: &Tok| {
        let w = &text[t.start..t.end];
        t.upper && (2..=3).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_uppercase())
    };
    if k < toks.len()
        && short_upper(&toks[k])
        && joined(text, &toks[i], &toks[k])
        && territory_form_len(toks, text, k) == 0
    {
        k += 1;
    }
    if k >= toks.len() || !joined(text, &toks[k - 1], &toks[k]) {
        return None;
    }
    let len = territory_form_len(toks, text, k);
    (len > 0).then(|| toks[k + len - 1].end)
}

/// Every acronym that no list knows followed by a territory of these
/// shapes; a plain département or region after it is `territories`' own.
pub(crate) fn detect(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    for i in 0..toks.len().saturating_sub(1) {
        if territory_len(toks, text, i + 1) > 0 {
            continue;
        }
        if let Some(end) = territory_after_unknown_acronym(text, toks, i) {
            push_org(out, toks[i].start, end, 66);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    /// `want` is found, alone or inside a longer establishment.
    fn found_in(text: &str, want: &str) {
        let found = etabs(text);
        assert!(found.iter().any(|o| o.contains(want)), "{text}: {found:?}");
    }

    #[test]
    fn an_unknown_acronym_and_a_territory_of_any_shape_are_one_organisation() {
        found_in(
            "Le médecin du travail de l'APSMT Savoie-Montagne a revu l'épaule.",
            "APSMT Savoie-Montagne",
        );
        found_in(
            "Mutuelle : MGCL Rhône-Forez — tiers payant OK.",
            "MGCL Rhône-Forez",
        );
        found_in(
            "Prendre le modèle de contrat de l'URPS IDE Occitanie.",
            "URPS IDE Occitanie",
        );
        found_in("Étudiante assurée par la SMEBA Pyrénées.", "SMEBA Pyrénées");
        found_in(
            "Voir aussi la CPTS Nord-Gironde pour les gardes.",
            "CPTS Nord-Gironde",
        );
        found_in(
            "Réunion avec le RESPAD Sud Manche jeudi.",
            "RESPAD Sud Manche",
        );
        found_in(
            "Le réseau ODAS Berry Est nous rappellera.",
            "ODAS Berry Est",
        );
        found_in("Dossier envoyé à l'URSSAP BFC hier.", "URSSAP BFC");
    }

    #[test]
    fn a_clinical_acronym_a_word_in_capitals_or_a_heading_before_a_region_is_no_organisation() {
        for t in [
            "Score NIHSS Sud à revoir, EVA Alpes non.",
            "Patient vu en HDJ, retour Nord-Isère prévu.",
            "BILAN DE SORTIE PTH Alpes",
            "La SEP Île-de-France Est a été évoquée.",
        ] {
            let found = etabs(t);
            assert!(
                !found.iter().any(|o| o.contains("NIHSS")
                    || o.contains("EVA")
                    || o.contains("PTH")
                    || o.contains("SEP")
                    || o.contains("HDJ")),
                "{t}: {found:?}"
            );
        }
    }
}
