//! The tokens of a text as the detectors of organisations read them, and
//! what they share: whether two tokens are joined, whether a word of care
//! comes before, how an establishment is recorded. Apart from `orgs` so that
//! the detectors built on it (`territories`, `registry`) need not import
//! `orgs`, which calls them.

use std::cell::RefCell;
use std::rc::Rc;
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
    let mut out = Vec::new();
    for (at, piece) in pieces(text) {
        out.extend(re.find_iter(piece).map(|m| {
            let w = m.as_str();
            let first = w.chars().next().unwrap();
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            Tok {
                start: at + m.start(),
                end: at + m.end(),
                folded: fold(w),
                cap: first.is_uppercase(),
                // « T1 », « H3 » are codes in capitals, not a capitalised word
                upper: (letters >= 2 || letters == 1 && w.len() > 1)
                    && w.chars().all(|c| !c.is_lowercase()),
            }
        }));
    }
    out
}

/// The text cut before a space at every few hundred bytes, with where each
/// piece starts. A token holds no space and a space is no word character,
/// so a piece's edges read a token's `\b` as the whole text does; and the
/// regex's fallback engine, which every text with an accent calls, clears
/// a table as long as what is left of its input at each token: on the
/// whole text that was quadratic.
fn pieces(text: &str) -> impl Iterator<Item = (usize, &str)> {
    const PIECE: usize = 256;
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let mut from = (start + PIECE).min(text.len());
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let end = text[from..]
            .find(char::is_whitespace)
            .map_or(text.len(), |p| from + p);
        let piece = (start, &text[start..end]);
        start = end;
        Some(piece)
    })
}

/// A text by its address and length, and its tokens once made.
type Reading = (usize, usize, Option<Rc<Vec<Tok>>>);

thread_local! {
    /// The text `candidates` is reading (its address and length) and its
    /// tokens once a pass asked for them: a dozen passes tokenise it.
    static SHARED: RefCell<Option<Reading>> =
        const { RefCell::new(None) };
}

/// While it lives, `text_tokens` of this very text (the same slice, which
/// cannot change while it is borrowed) tokenises it once; dropped, it
/// forgets the tokens, so that nothing of a text outlives its reading.
pub(crate) struct SharedTokens {
    outer: Option<Reading>,
}

pub(crate) fn share_tokens(text: &str) -> SharedTokens {
    let key = (text.as_ptr() as usize, text.len(), None);
    SharedTokens {
        outer: SHARED.with(|s| s.replace(Some(key))),
    }
}

impl Drop for SharedTokens {
    fn drop(&mut self) {
        let outer = self.outer.take();
        SHARED.with(|s| *s.borrow_mut() = outer);
    }
}

/// The tokens of the whole text a pass reads: those `share_tokens` keeps
/// when it is that text, else made here.
pub(crate) fn text_tokens(text: &str) -> Rc<Vec<Tok>> {
    SHARED.with(|s| {
        let mut s = s.borrow_mut();
        match &mut *s {
            Some((p, n, toks)) if *p == text.as_ptr() as usize && *n == text.len() => {
                toks.get_or_insert_with(|| Rc::new(tokens(text))).clone()
            }
            _ => Rc::new(tokens(text)),
        }
    })
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
