//! The tokens of a text as the detectors of organisations read them, and
//! what they share: whether two tokens are joined, whether a word of care
//! comes before, how an establishment is recorded. Apart from `orgs` so that
//! the detectors built on it (`territories`, `registry`) need not import
//! `orgs`, which calls them.

use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::fold;
use crate::{Cand, Info, Kind};

pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub folded: String,
    pub cap: bool,
    pub upper: bool,
}

pub(crate) fn tokens(text: &str) -> Vec<Tok> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"&|\p{L}[\p{L}\p{M}]*(?:\d+\p{Lu}*\b)?(?:-\p{L}[\p{L}\p{M}]*)*|\d+").unwrap()
    });
    re.find_iter(text)
        .map(|m| {
            let w = m.as_str();
            let first = w.chars().next().unwrap();
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            Tok {
                start: m.start(),
                end: m.end(),
                folded: fold(w),
                cap: first.is_uppercase(),
                // « T1 », « H3 » are codes in capitals, not a capitalised word
                upper: (letters >= 2 || letters == 1 && w.len() > 1)
                    && w.chars().all(|c| !c.is_lowercase()),
            }
        })
        .collect()
}

/// What lies between two tokens: only spaces, or an apostrophe of elision.
pub(crate) fn joined(text: &str, a: &Tok, b: &Tok) -> bool {
    let gap = &text[a.end..b.start];
    gap.len() <= 3
        && gap
            .chars()
            .all(|c| matches!(c, ' ' | '\u{a0}' | '\'' | '’'))
}

/// Words of care after which « de X », « à X » names where care was given:
/// « transféré à la Pitié », « les urgences de Lariboisière », « le
/// gériatre de Purpan », « site Sainte-Anne ».
pub(crate) const CARE_CUES: &[&str] = &[
    "urgences",
    "geriatre",
    "service",
    "hospitalise",
    "hospitalisee",
    "transfere",
    "transferee",
    "opere",
    "operee",
    "suivi",
    "suivie",
    "soigne",
    "soignee",
    "consultation",
    "chirurgien",
    "neurochir",
    "neurochirurgien",
    "rhumato",
    "rhumatologue",
    "cardio",
    "cardiologue",
    "rea",
    "reanimation",
    "site",
    "admis",
    "admise",
    "hospitalisation",
    "diagnostiquee",
    "diagnostique",
    "accouche",
    "accouchee",
    "ne",
    "nee",
    "interne",
    "externe",
    "pavillon",
    "maternite",
    "neurologue",
    "pediatre",
    "oncologue",
    "radiotherapie",
    "chimio",
    "dialyse",
    // where a stay began or ended, or a visit took place
    "sortie",
    "sorti",
    "retour",
    "rdv",
    "sejour",
    "passage",
    "irm",
    "scanner",
    "scintigraphie",
    "bilan",
    "staff",
    "convoque",
    "convoquee",
    "oriente",
    "orientee",
    "adresse",
    "adressee",
    "revu",
    "revue",
    "vu",
    "vue",
    "greffe",
    "greffee",
    "intervention",
    "arthroscopie",
    "prothese",
    "accouchement",
    "hospit",
    "urgence",
    "reeducation",
    // « pris en charge à la Pitié »
    "charge",
];

/// A word of care at most three words before token `i`, linked to it by
/// « de », « à la »… (or « site », « pavillon » right before it).
pub(crate) fn cue_before(text: &str, toks: &[Tok], i: usize) -> bool {
    let mut j = i;
    let mut linked = false;
    while j > 0 && i - j < 3 && joined(text, &toks[j - 1], &toks[j]) {
        j -= 1;
        let g = toks[j].folded.as_str();
        if matches!(
            g,
            "de" | "a" | "la" | "au" | "aux" | "l" | "d" | "du" | "des"
        ) {
            linked = true;
            continue;
        }
        return (linked || g == "site" || g == "pavillon") && CARE_CUES.contains(&g);
    }
    false
}

/// An establishment found from `start` to `end`.
pub(crate) fn push_org(out: &mut Vec<Cand>, start: usize, end: usize, prio: u8) {
    out.push(Cand {
        start,
        end,
        kind: Kind::Etablissement,
        prio,
        info: Info::None,
    });
}

/// An establishment from `start` to `end` in place of the spans it covers,
/// unless it would cut one in two (then nothing changes): whether it was made.
pub(crate) fn take_whole(found: &mut Vec<Cand>, start: usize, end: usize) -> bool {
    if found
        .iter()
        .any(|c| c.start < end && start < c.end && (c.start < start || c.end > end))
    {
        return false;
    }
    found.retain(|c| !(start <= c.start && c.end <= end));
    push_org(found, start, end, 60);
    true
}
