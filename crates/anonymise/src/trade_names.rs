//! Firms named by their trade and a place or an owner, that the other
//! passes find only in part or take for a person:
//! - a trade word and a place or a name on either side, both capitalised:
//!   « Vendée Appareillage », « Bretagne Oxygène », « Appareillage
//!   Val-de-Loire », « Emballages Lorrains », « Handi-Sud Équipement »: the
//!   place alone was a commune (or a person), and « [Commune A]
//!   Appareillage » still names the provider;
//! - a works named by its trade and its river, valley or owner: « Forges de
//!   la Vologne », « Chantiers Navals du Guip », « Filature de laine
//!   Perrin », « la tannerie Roussel »: the works that employ a patient are
//!   as telling as his commune.
//!
//! The trade word must be a firm's (a provider's, a craft's, an industry's)
//! and the other part a place, a name that no dictionary of words holds, or
//! a span that a person pass took: a word of the language beside a trade
//! (« Appareillage Provisoire », « Orthopédie Pédiatrique ») is no firm.
use crate::dicts::Dicts;
use crate::names::is_title_word;
use crate::org_tokens::{joined, take_whole, text_tokens, Tok};
use crate::territories::territory_len;
use crate::{Cand, Kind};

/// Trade words that make a place or a name beside them a firm: home-care
/// providers, fitters, crafts and industries. Written for this crate, from
/// the trades of providers and employers in French care notes; every word
/// names a trade, never a body part, a disease or a device.
const TRADE_WORDS: &[&str] = &[
    // providers of care at home and fitters
    "appareillage",
    "appareillages",
    "orthopedie",
    "ortho-prothese",
    "orthoprothese",
    "podo-orthese",
    "oxygene",
    "equipement",
    "equipements",
    "materiel",
    "ambulances",
    "location",
    "locations",
    "distribution",
    // crafts and building
    "menuiserie",
    "menuiseries",
    "charpente",
    "charpentes",
    "toitures",
    "couverture",
    "maconnerie",
    "plomberie",
    "chauffage",
    "electricite",
    "carrosserie",
    "nettoyage",
    "paysages",
    // industries
    "emballages",
    "galvanisation",
    "metallurgie",
    "chaudronnerie",
    "mecanique",
    "plastiques",
    "logistique",
    "transports",
    "tissages",
    "textiles",
    "fonderie",
    "fonderies",
    "forges",
    "papeteries",
    "verreries",
    "conserveries",
    "salaisons",
    "interim",
];

/// Heads of works named after a place (« Forges de la Vologne »), an
/// owner (« tannerie Roussel ») or both with their product (« Filature de
/// laine Perrin »): written in lower case or capitalised. Written for this
/// crate (the works of French industry and crafts).
const WORKS_HEADS: &[&str] = &[
    "forges",
    "tissages",
    "filature",
    "filatures",
    "chantiers",
    "manufacture",
    "fonderie",
    "fonderies",
    "tannerie",
    "tanneries",
    "verrerie",
    "verreries",
    "papeterie",
    "papeteries",
    "sucrerie",
    "sucreries",
    "acierie",
    "acieries",
    "ardoisieres",
    "salines",
    "ganterie",
    "coutellerie",
    "faiencerie",
    "briqueterie",
    "tuilerie",
    "minoterie",
    "huilerie",
    "savonnerie",
    "cartonnerie",
    "caves",
    "menuiseries",
    "laminoirs",
];

/// Adjectives of a works' head, between it and its place (« Chantiers
/// navals du … », « Forges réunies de … »).
const WORKS_ADJECTIVES: &[&str] = &[
    "navals",
    "naval",
    "reunies",
    "reunis",
    "nouvelles",
    "royale",
];

/// A side of a region, in a firm's name (« Sud Appareillage »).
const SIDES: &[&str] = &[
    "nord",
    "sud",
    "est",
    "ouest",
    "centre",
    "sud-ouest",
    "sud-est",
    "nord-est",
    "nord-ouest",
];

fn kind_at(found: &[Cand], t: &Tok) -> Option<Kind> {
    found
        .iter()
        .find(|c| c.start < t.end && t.start < c.end)
        .map(|c| c.kind)
}

/// A word that no dictionary of the language holds: a place's, a
/// family's or a brand's name.
fn unknown(f: &str) -> bool {
    let d = Dicts::get();
    f.chars().count() >= 3
        && f.chars().all(|c| c.is_alphabetic() || c == '-')
        && !d.common.contains(f)
        && !d.allow.contains(f)
        && !d.stop.contains(f)
        && !d.first_names.contains_key(f)
        && !is_title_word(f)
        && crate::calendar::month_number(f).is_none()
}

/// A commune that no common word spells.
fn commune(f: &str) -> bool {
    let d = Dicts::get();
    d.communes.get(f).is_some_and(|e| !e.word) && !d.stop.contains(f) && !d.allow.contains(f)
}

/// Token `i` names a place or an owner in a firm's name: a territory, a
/// side, a commune, a word no dictionary holds, or one that the other
/// passes took for a commune or a person. Every part of a dashed word
/// counts (« Handi-Sud », « Val-de-Loire »).
fn place_or_name(text: &str, toks: &[Tok], i: usize, found: &[Cand]) -> bool {
    let t = &toks[i];
    let f = t.folded.as_str();
    if !t.cap || f.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    territory_len(toks, text, i) == 1
        || SIDES.contains(&f)
        || commune(f)
        || unknown(f)
        || matches!(kind_at(found, t), Some(Kind::Ville) | Some(Kind::Nom))
        || f.contains('-')
            && f.split('-')
                .any(|p| SIDES.contains(&p) || commune(p) || unknown(p))
}

/// Only a space between two tokens.
fn spaced(text: &str, a: &Tok, b: &Tok) -> bool {
    matches!(&text[a.end..b.start], " " | "\u{a0}")
}

/// The same case in both: two words in capitals, or two capitalised.
fn same_case(a: &Tok, b: &Tok) -> bool {
    a.cap && b.cap && a.upper == b.upper
}

/// « Vendée Appareillage », « Appareillage Val-de-Loire »: a trade word
/// and a place or a name beside it, in the same case.
fn trade_and_place(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let d = Dicts::get();
    for k in 1..toks.len() {
        let (a, b) = (&toks[k - 1], &toks[k]);
        if !spaced(text, a, b) || !same_case(a, b) {
            continue;
        }
        let (fa, fb) = (a.folded.as_str(), b.folded.as_str());
        let span = if TRADE_WORDS.contains(&fb) && !TRADE_WORDS.contains(&fa) {
            // a title or a first name before the place makes it a person's name
            let person = k >= 2 && {
                let p = &toks[k - 2];
                is_title_word(&p.folded) || p.cap && d.first_names.contains_key(&p.folded)
            };
            (!person && place_or_name(text, toks, k - 1, found)).then_some((a.start, b.end))
        } else if TRADE_WORDS.contains(&fa) && !TRADE_WORDS.contains(&fb) {
            place_or_name(text, toks, k, found).then_some((a.start, b.end))
        } else {
            None
        };
        if let Some((s, e)) = span {
            grow(found, s, e);
        }
    }
}

/// The firm from `s` to `e` in place of the person or commune spans inside
/// it; a longer establishment around it stays, and so does a span that
/// crosses its edge (the firm is then left as it was).
fn grow(found: &mut Vec<Cand>, s: usize, e: usize) {
    if found
        .iter()
        .any(|c| c.kind == Kind::Etablissement && c.start <= s && e <= c.end)
    {
        return;
    }
    take_whole(found, s, e);
}

/// « Forges de la Vologne », « Chantiers navals du Guip », « Filature de
/// laine Perrin », « la tannerie Roussel »: a works' head, and its place or
/// its owner.
fn works(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let d = Dicts::get();
    let owner = |t: &Tok| {
        let f = t.folded.as_str();
        t.cap
            && !t.upper
            && (unknown(f)
                || commune(f)
                || d.surnames.contains_key(f) && !d.stop.contains(f) && !d.allow.contains(f))
    };
    for i in 0..toks.len() {
        let h = &toks[i];
        if !WORKS_HEADS.contains(&h.folded.as_str()) || h.upper {
            continue;
        }
        let mut j = i + 1;
        if toks
            .get(j)
            .is_some_and(|t| WORKS_ADJECTIVES.contains(&t.folded.as_str()) && spaced(text, h, t))
        {
            j += 1;
        }
        let Some(n) = toks.get(j) else { continue };
        if !joined(text, &toks[j - 1], n) {
            continue;
        }
        let end = if matches!(n.folded.as_str(), "de" | "du" | "des" | "d") && !n.cap {
            // the link, an article, then the place; or a product, then the owner
            let mut k = j + 1;
            if n.folded == "de"
                && toks
                    .get(k)
                    .is_some_and(|t| matches!(t.folded.as_str(), "la" | "l") && !t.cap)
            {
                k += 1;
            }
            match toks.get(k) {
                Some(t) if joined(text, &toks[k - 1], t) && owner(t) => Some(t.end),
                Some(t)
                    if joined(text, &toks[k - 1], t)
                        && !t.cap
                        && k == j + 1
                        && !d.stop.contains(&t.folded)
                        && toks
                            .get(k + 1)
                            .is_some_and(|o| spaced(text, t, o) && owner(o)) =>
                {
                    Some(toks[k + 1].end)
                }
                _ => None,
            }
        } else if owner(n) && spaced(text, &toks[j - 1], n) {
            Some(n.end)
        } else {
            None
        };
        if let Some(e) = end {
            grow(found, h.start, e);
        }
    }
}

/// Beginnings of the coined names of home-care providers and fitters
/// (« Oxy'Loire », « Médiconfort », « Kinémat »): oxygen, medical
/// equipment, physiotherapy, sleep, breathing, fitting. Written for this
/// crate; a coined word that the clinical list holds (« Oxynorm ») stays.
const CARE_PREFIXES: &[&str] = &[
    "oxy", "medi", "kine", "somno", "respi", "ortho", "podo", "handi",
];

/// Words right before a provider's name that say it delivers or is
/// called: « O2 Oxyloire », « livraison Médiconfort », « rappeler … ».
const PROVIDER_CUES: &[&str] = &[
    "o2",
    "livraison",
    "livre",
    "livree",
    "livres",
    "fourni",
    "fournie",
    "prestataire",
    "rappeler",
    "appeler",
    "contacter",
];

/// A coined word of care (« Oxyloire », « Médiconfort »), or one of home
/// care (« …dom »): capitalised, longer than its beginning, in no list.
fn coined(t: &Tok) -> bool {
    let f = t.folded.as_str();
    t.cap
        && unknown(f)
        && !f.contains('-')
        && (CARE_PREFIXES
            .iter()
            .any(|p| f.starts_with(p) && f.len() >= p.len() + 3)
            || f.ends_with("dom") && f.len() >= 6)
}

/// Units after a number, that make it a measure and not a département.
const UNITS: &[&str] = &[
    "an", "ans", "kg", "g", "mg", "ml", "l", "h", "min", "mois", "jours", "j", "cm", "mm", "x",
    "fois", "bpm", "mmhg",
];

/// A number that is a département's after a brand (« Médiconfort 44 »):
/// two digits, no unit nor figure after it. Its end.
fn departement_after(text: &str, toks: &[Tok], k: usize) -> Option<usize> {
    let n = toks.get(k)?;
    let rest = text[n.end..].trim_start_matches([' ', '\u{a0}']);
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let unit = rest.starts_with(|c: char| c.is_ascii_digit() || "%/°".contains(c))
        || UNITS.contains(&word.as_str());
    (spaced(text, &toks[k - 1], n)
        && n.folded.len() == 2
        && n.folded.chars().all(|c| c.is_ascii_digit())
        && n.folded != "00"
        && !unit)
        .then_some(n.end)
}

/// « Oxy'Loire », « MÉDI'CONFORT 44 », « livraison Médiconfort », « O2
/// Respidom »: a provider's coined name, told by its apostrophe and place,
/// its département or the word of delivery before it.
fn coined_brands(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    for i in 0..toks.len() {
        let b = &toks[i];
        let f = b.folded.as_str();
        // « Oxy'Loire »: a beginning of care, an apostrophe, a capitalised word
        let elided = CARE_PREFIXES.iter().any(|p| f.starts_with(p))
            && f.chars().all(char::is_alphabetic)
            && b.cap
            && toks.get(i + 1).is_some_and(|n| {
                n.cap
                    && matches!(&text[b.end..n.start], "'" | "’")
                    && !Dicts::get().allow.contains(&n.folded)
            });
        let mut end = if elided { toks[i + 1].end } else { b.end };
        let last = if elided { i + 1 } else { i };
        let numbered = departement_after(text, toks, last + 1);
        let cued = i > 0
            && coined(b)
            && (PROVIDER_CUES.contains(&toks[i - 1].folded.as_str())
                || i > 1 && PROVIDER_CUES.contains(&toks[i - 2].folded.as_str()))
            && text[toks[i - 1].end..b.start].trim().is_empty();
        if !(elided || cued || coined(b) && numbered.is_some()) {
            continue;
        }
        if let Some(e) = numbered {
            end = e;
        }
        if matches!(
            kind_at(found, b),
            None | Some(Kind::Nom) | Some(Kind::Etablissement)
        ) {
            grow(found, b.start, end);
        }
    }
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let toks = text_tokens(text);
    if toks.len() < 2 {
        return found;
    }
    trade_and_place(text, &toks, &mut found);
    works(text, &toks, &mut found);
    coined_brands(text, &toks, &mut found);
    found.sort_by_key(|c| c.start);
    found
}
