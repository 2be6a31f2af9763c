//! Health establishments named without their head, as carers write them
//! (« sortie de Purpan », « transférée à Rangueil », « suivi à Kerpape »):
//! the proper names of the register of health establishments (DREES, SAE;
//! `data/etablissements.txt`, see the data README). A name that is also a
//! frequent surname is taken only after a place cue in a sentence about care;
//! one after a title or a first name is a person's, left to the names.
use crate::dicts::Dicts;
use crate::org_tokens::{joined, text_tokens, Tok, CARE_CUES};
use crate::{Cand, Info, Kind};

/// Words of a name that may stand in lower case between its capitals
/// (« Hôpital Saint-Jacques de Besançon » has « de »).
const LINKS: &[&str] = &["de", "du", "des", "la", "le", "les", "l", "d", "sur", "en"];

/// The longest entry, in tokens (a hyphenated word is one token).
const MAX_TOKENS: usize = 5;

/// The registry's names in `text` (the caller runs it after `orgs`, which
/// it reads from: tokens and care cues).
pub fn detect(text: &str, out: &mut Vec<Cand>) {
    let toks = text_tokens(text);
    detect_in(text, &toks, out);
}

fn detect_in(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    let d = Dicts::get();
    let n = toks.len();
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        if !(t.cap || t.upper) {
            i += 1;
            continue;
        }
        let mut key = String::new();
        let mut best = None;
        for j in i..n.min(i + MAX_TOKENS) {
            let w = &toks[j];
            if j > i {
                if !joined(text, &toks[j - 1], w) {
                    break;
                }
                if !(w.cap || w.upper || LINKS.contains(&w.folded.as_str())) {
                    break;
                }
                key.push(' ');
            }
            key.extend(w.folded.chars().map(|c| if c == '-' { ' ' } else { c }));
            if w.cap || w.upper {
                if let Some(&cue_needed) = d.establishments.get(&key) {
                    best = Some((j, cue_needed));
                }
            }
        }
        let Some((last, cue_needed)) = best else {
            i += 1;
            continue;
        };
        // a short word in capitals is an abbreviation (« USIP ») before a name
        if last == i
            && t.upper
            && t.folded.chars().count() < 7
            && !d.site_acronyms.contains(&t.folded)
        {
            i += 1;
            continue;
        }
        if !persons_name(text, toks, i) && (!cue_needed || place_cue(text, toks, i)) {
            out.push(Cand {
                start: t.start,
                end: toks[last].end,
                kind: Kind::Etablissement,
                // above a capitalised word taken for a surname without a title
                prio: 63,
                info: Info::None,
            });
        }
        i = last + 1;
    }
}

/// « Dr Pellegrin », « Marie Convert »: a title or a first name just before.
fn persons_name(text: &str, toks: &[Tok], i: usize) -> bool {
    let d = Dicts::get();
    let Some(p) = i.checked_sub(1).map(|k| &toks[k]) else {
        return false;
    };
    let gap = &text[p.end..toks[i].start];
    let adjacent = gap.len() <= 2 && gap.chars().all(|c| matches!(c, ' ' | '.' | '\u{a0}'));
    adjacent
        && (crate::names::is_title_word(&p.folded)
            || (p.cap || p.upper) && d.first_names.contains_key(&p.folded))
}

/// « hospitalisée à », « sortie de la », « le staff de »: a preposition just
/// before the name and a word of care in the six words before that.
fn place_cue(text: &str, toks: &[Tok], i: usize) -> bool {
    // « Dr Vasseur (Bichat) »: in brackets right after a doctor's name, the
    // place where the doctor works
    if text[..toks[i].start].ends_with('(')
        && toks[i.saturating_sub(3)..i]
            .iter()
            .any(|t| matches!(t.folded.as_str(), "dr" | "pr" | "docteur" | "professeur"))
    {
        return true;
    }
    let mut k = i;
    let mut prep = false;
    while k > 0 && i - k < 3 && joined(text, &toks[k - 1], &toks[k]) {
        k -= 1;
        match toks[k].folded.as_str() {
            "la" | "l" => continue,
            "a" | "au" | "de" | "du" | "d" | "chez" | "vers" => {
                prep = true;
                break;
            }
            _ => break,
        }
    }
    prep && toks[k.saturating_sub(6)..k]
        .iter()
        .any(|t| CARE_CUES.contains(&t.folded.as_str()))
}
