//! A hospital, a school or a site named after a person and written alone:
//! « opérée à Marcel-Brunet », « urgences Henri-Valois ». French joins the
//! first name and the surname of such a name with hyphens (« hôpital
//! Félix-Guyon », « lycée Jules-Ferry »), which a person's own name never
//! takes: a first name, a hyphen and a word that is no first name, right
//! after « à » or a word of care, is the place, not someone.

use crate::dicts::Dicts;
use crate::org_tokens::{joined, Tok, CARE_CUES};

/// Whether token `i` is such an eponym where care was given.
pub(crate) fn eponym_site(text: &str, toks: &[Tok], i: usize) -> bool {
    let t = &toks[i];
    if i == 0 || !t.cap || !is_eponym(&text[t.start..t.end]) {
        return false;
    }
    let d = Dicts::get();
    let f = t.folded.as_str();
    if d.communes.contains_key(f) || d.allow.contains(f) || d.stop.contains(f) {
        return false;
    }
    let prev = &toks[i - 1];
    if !joined(text, prev, t) {
        return false;
    }
    let p = prev.folded.as_str();
    // « à Marcel-Brunet », « urgences Henri-Valois », « séjour Henri-Valois »
    p == "a" || CARE_CUES.contains(&p)
}

/// « Marcel-Brunet », « Yvon-Le-Gall »: a first name, then capitalised
/// parts (particles in between) of which the last is no first name and has
/// four letters or more (« Marie-Jo », « Jean-Marc » are first names).
fn is_eponym(word: &str) -> bool {
    let d = Dicts::get();
    let parts: Vec<&str> = word.split('-').collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    let folded: Vec<String> = parts.iter().map(|p| crate::dicts::fold(p)).collect();
    if !d.first_names.contains_key(&folded[0]) {
        return false;
    }
    let last = parts[parts.len() - 1];
    let last_f = &folded[folded.len() - 1];
    if last.chars().count() < 4
        || !last.chars().next().is_some_and(char::is_uppercase)
        || d.first_names.contains_key(last_f)
    {
        return false;
    }
    let middle = &parts[1..parts.len() - 1];
    // a clinical eponym after particles is a syndrome's
    // (« Gilles-de-la-Tourette »); after a first name alone, the person a
    // hospital is named after may bear one (« Félix-Guyon »)
    if d.allow.contains(last_f) && !middle.is_empty() {
        return false;
    }
    // the parts between are capitalised or particles (« Le », « de »)
    middle.iter().all(|p| {
        p.chars().next().is_some_and(char::is_uppercase)
            || matches!(*p, "de" | "du" | "des" | "la" | "le" | "d'")
    })
}
