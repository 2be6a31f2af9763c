//! Devices and methods named by a brand and a model: « Lokomat Pro »,
//! « Jamar Plus », « Nordic Walking ». The brand is a word of the
//! clinical vocabulary (`allow.txt`); the model word after it, capitalised
//! and often English (« Pro », « Plus », « Motion »), looks like a surname
//! to the rules and the detector, which then replace it and cut the device's
//! name in two. A capitalised word right after a capitalised brand, that is
//! no first name, is the model, and the brand before a model is no person.

use crate::dicts::Dicts;
use crate::org_tokens::{text_tokens, Tok};
use crate::{Cand, Kind};

/// Is `t` a capitalised (not all-capitals) word of the clinical vocabulary
/// that is no common word (« Patient », « En ») nor first name (« Thomas »,
/// an eponym too)?
fn brand(t: &Tok) -> bool {
    let d = Dicts::get();
    t.cap
        && !t.upper
        && d.allow.contains(&t.folded)
        && !d.common.contains(&t.folded)
        && !d.first_names.contains_key(&t.folded)
        && !crate::names::is_title_word(&t.folded)
}

/// A model's word: capitalised, not in capitals, no first name nor, when
/// `strict`, a surname.
fn model(t: &Tok, strict: bool) -> bool {
    let d = Dicts::get();
    t.cap
        && !t.upper
        && t.folded.chars().count() >= 2
        && t.folded.chars().all(char::is_alphabetic)
        && !d.first_names.contains_key(&t.folded)
        && !(strict && d.surnames.contains_key(&t.folded))
}

pub(crate) fn keep(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    if !found.iter().any(|c| c.kind == Kind::Nom) {
        return found;
    }
    let toks = text_tokens(text);
    let at = |pos: usize| toks.partition_point(|t| t.start < pos);
    let single = |a: &Tok, b: &Tok| &text[a.end..b.start] == " ";
    found.retain(|c| {
        if c.kind != Kind::Nom {
            return true;
        }
        let k = at(c.start);
        let Some(first) = toks.get(k).filter(|t| t.start == c.start) else {
            return true;
        };
        let one = first.end == c.end;
        // « Armeo [Spring] »: the model after its brand
        let after_brand = one
            && k > 0
            && single(&toks[k - 1], first)
            && brand(&toks[k - 1])
            && model(first, false);
        // « [Nordic Walking] »: the brand and its model, taken together
        let both = toks
            .get(k + 1)
            .is_some_and(|m| m.end == c.end && single(first, m) && brand(first) && model(m, true));
        // « [Huber] Motion »: the brand alone, before its model
        let before_model = one
            && brand(first)
            && toks
                .get(k + 1)
                .is_some_and(|m| single(first, m) && model(m, true));
        !(after_brand || both || before_model)
    });
    found
}
