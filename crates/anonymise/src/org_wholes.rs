//! An establishment that the other passes found only in part, grown to its
//! whole name: the head of a body before its place (« Centre d'IRM de » +
//! « Tours Nord », « SIRTOM du » + « Lauragais »), a name made of a trade's
//! words before its region (« Volailles de l'» + « Argoat »), a home's head
//! and the article of its name (« SMR Le » + « Clos Fleuri »,
//! « maisonnée » + « Les Chênes »), an adjective of the name before it (« Nouvel » +
//! « Hôpital Civil »), a commune after a name ending on a link (« … du
//! Grand » + « Annecy ») and the rest of a word cut at its apostrophe
//! (« Kiné Presqu » + « 'île »). A reader who sees « Centre d'IRM de
//! [Établissement A] » or « Volailles de l'[Établissement A] » still reads
//! the name. A court, a police unit or a public service before its
//! commune is grown by `public_bodies`, which knows their heads.
use crate::dicts::Dicts;
use crate::org_tokens::{take_whole, text_tokens, Tok};
use crate::{Cand, Kind};

/// Heads of public bodies, cooperatives, imaging centres and syndicates
/// that a place completes (folded words).
const BODY_HEADS: &[&[&str]] = &[
    &["centre", "d", "irm"],
    &["centre", "d", "imagerie"],
    &["dispensaire"],
    &["communaute", "d", "agglomeration"],
    &["communaute", "de", "communes"],
    &["communaute", "urbaine"],
    &["chambre", "d", "agriculture"],
    &["chambre", "des", "metiers"],
    &["chambre", "de", "commerce"],
    &["conseil", "departemental"],
    &["conseil", "regional"],
    &["cuma"],
    &["coop"],
    &["cooperative"],
    &["fruitiere"],
    &["pole", "medical"],
    &["pole", "espoirs"],
    &["pole", "espoir"],
    &["syndicat", "intercommunal"],
];

/// Adjectives written before a hospital's or a venue's own name.
const ADJECTIVES: &[&str] = &[
    "nouvel", "nouveau", "nouvelle", "grand", "grande", "petit", "petite", "vieux", "vieille",
];

/// Last words of a name that a commune or a region completes
/// (« Communauté … du Grand » + « Annecy »).
const OPEN_ENDS: &[&str] = &[
    "grand", "grande", "pays", "val", "haut", "haute", "bas", "basse",
];

/// Lower-case kinds of a home's unit named by an article and a name.
const UNIT_KINDS: &[&str] = &["maisonnee"];

fn is_link(f: &str) -> bool {
    matches!(f, "de" | "du" | "d" | "des")
}

/// Only spaces (or an apostrophe of elision) between two tokens.
fn close(text: &str, a: &Tok, b: &Tok) -> bool {
    crate::org_tokens::joined(text, a, b)
}

/// An acronym in capitals that heads a body (« SIRTOM », « SSIAD-ESA »):
/// three to eight letters, no word of the clinical list or of grammar.
fn body_acronym(t: &Tok) -> bool {
    let d = Dicts::get();
    let f = t.folded.as_str();
    let letters = f.chars().filter(|c| c.is_alphabetic()).count();
    t.upper
        && (3..=10).contains(&letters)
        && f.split('-').all(|p| (3..=6).contains(&p.len()))
        && f.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        && !d.allow.contains(f)
        && !d.stop.contains(f)
        && !d.common.contains(f)
        && !f
            .chars()
            .all(|c| matches!(c, 'i' | 'v' | 'x' | 'l' | 'c' | 'm'))
}

/// The start of a head of a body ending at token `last`, if any.
fn body_head_start(text: &str, toks: &[Tok], last: usize) -> Option<usize> {
    for h in BODY_HEADS {
        let n = h.len();
        if last + 1 < n {
            continue;
        }
        let first = last + 1 - n;
        let ok = (0..n).all(|i| toks[first + i].folded == h[i])
            && (first..last).all(|i| close(text, &toks[i], &toks[i + 1]));
        if ok {
            return Some(first);
        }
    }
    None
}

/// The token index of the first token at or after `at`.
fn tok_at(toks: &[Tok], at: usize) -> Option<usize> {
    toks.iter().position(|t| t.start >= at)
}

fn kind_over(found: &[Cand], t: &Tok) -> Option<Kind> {
    found
        .iter()
        .find(|c| c.start < t.end && t.start < c.end)
        .map(|c| c.kind)
}

/// The link before token `k` (« de », « du », « de la », « de l' »):
/// the index of its first token.
fn link_before(text: &str, toks: &[Tok], k: usize) -> Option<usize> {
    if k == 0 || !close(text, &toks[k - 1], &toks[k]) {
        return None;
    }
    let a = toks[k - 1].folded.as_str();
    if toks[k - 1].cap && !toks[k - 1].upper {
        return None;
    }
    if is_link(a) {
        return Some(k - 1);
    }
    if matches!(a, "la" | "l")
        && k >= 2
        && toks[k - 2].folded == "de"
        && close(text, &toks[k - 2], &toks[k - 1])
    {
        return Some(k - 2);
    }
    None
}

/// A head of a body, or an acronym, before « de » and a place found alone:
/// « Centre d'IRM de Tours Nord », « SIRTOM du Lauragais », « coop Terres
/// du Maine ». Up to two capitalised words may stand between the head and
/// the link (the body's own name).
fn heads_before_places(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let d = Dicts::get();
    let spans: Vec<(usize, usize, Kind)> = found
        .iter()
        .filter(|c| matches!(c.kind, Kind::Ville | Kind::Etablissement | Kind::Nom))
        .map(|c| (c.start, c.end, c.kind))
        .collect();
    for (s, e, kind) in spans {
        let Some(k) = tok_at(toks, s) else { continue };
        if toks[k].start != s {
            continue;
        }
        // « du Grand » + « Annecy », « du Pays de » + « Gex »: the open
        // end of a territory's name before the place
        let k = if k >= 1
            && toks[k - 1].cap
            && OPEN_ENDS.contains(&toks[k - 1].folded.as_str())
            && &text[toks[k - 1].end..s] == " "
            && kind_over(found, &toks[k - 1]).is_none()
        {
            k - 1
        } else {
            k
        };
        // the link inside the span (« du LOSC ») or right before it
        let link = if is_link(&toks[k].folded) && !toks[k].cap && kind == Kind::Etablissement {
            Some(k)
        } else {
            link_before(text, toks, k)
        };
        let Some(l) = link else { continue };
        if l == 0 || !close(text, &toks[l - 1], &toks[l]) {
            continue;
        }
        // a person's name only as a single word of a place (« du Maine »)
        if kind == Kind::Nom {
            let own: Vec<&Tok> = toks.iter().filter(|t| t.start >= s && t.end <= e).collect();
            if own.len() != 1 || !d.communes.contains_key(&own[0].folded) {
                continue;
            }
        }
        // after an acronym, a place without a head of its own: an acronym
        // before a hospital is a unit of it (« HDJ de la clinique … »)
        let bare_place = !crate::orgs::HEADS.contains(&toks[k].folded.as_str())
            && (link != Some(k)
                || !toks
                    .get(k + 1)
                    .is_some_and(|t| crate::orgs::HEADS.contains(&t.folded.as_str())));
        // the head, maybe followed by one or two words of the body's name
        let mut start = None;
        for skip in 0..=2usize {
            if l < 1 + skip {
                break;
            }
            let last = l - 1 - skip;
            if skip > 0 {
                let named = (last + 1..l).all(|i| {
                    let t = &toks[i];
                    t.cap
                        && !t.upper
                        && kind_over(found, t).is_none()
                        && close(text, &toks[i - 1], t)
                });
                if !named {
                    break;
                }
            }
            if let Some(h) = body_head_start(text, toks, last) {
                start = Some(toks[h].start);
                break;
            }
            let t = &toks[last];
            // not inside a heading in capitals, nor a unit of a service
            // (« service de MPR de l'hôpital … », « HDJ de la clinique … »)
            let free_before = last == 0
                || !close(text, &toks[last - 1], t)
                || !(toks[last - 1].upper
                    || matches!(
                        toks[last - 1].folded.as_str(),
                        "de" | "d" | "du" | "des" | "en" | "service" | "unite" | "equipe"
                    ));
            if skip == 0
                && body_acronym(t)
                && free_before
                && bare_place
                && !matches!(kind_over(found, t), Some(Kind::Nom) | Some(Kind::Ville))
                && matches!(kind, Kind::Ville | Kind::Etablissement)
            {
                start = Some(t.start);
                break;
            }
        }
        if let Some(st) = start {
            take_whole(found, st, e);
        }
    }
}

/// The bounds of the establishments found so far, copied out so that a
/// pass may widen them while it walks them.
fn establishment_spans(found: &[Cand]) -> Vec<(usize, usize)> {
    found
        .iter()
        .filter(|c| c.kind == Kind::Etablissement)
        .map(|c| (c.start, c.end))
        .collect()
}

/// A found establishment that is a bare place (a word or two, no head of
/// its own), after a name made of capitalised words of the language and a
/// link: « Volailles de l'Argoat », « Prévoyance Artisans de l'Ouest ».
fn trade_words_before_places(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let d = Dicts::get();
    for (s, e) in establishment_spans(found) {
        let Some(k) = tok_at(toks, s) else { continue };
        let own: Vec<&Tok> = toks.iter().filter(|t| t.start >= s && t.end <= e).collect();
        if toks[k].start != s
            || own.len() > 2
            || !own.iter().all(|t| t.cap)
            || own
                .iter()
                .any(|t| crate::orgs::HEADS.contains(&t.folded.as_str()))
        {
            continue;
        }
        let Some(l) = link_before(text, toks, k) else {
            continue;
        };
        // one to three capitalised words of the language before the link
        let mut first = None;
        let mut j = l;
        while j > 0 && l - j < 3 {
            let t = &toks[j - 1];
            let f = t.folded.as_str();
            if !(t.cap
                && !t.upper
                && close(text, t, &toks[j])
                && d.common.contains(f)
                && f.chars().count() >= 4
                && !d.stop.contains(f)
                && !crate::names::is_title_word(f)
                && kind_over(found, t).is_none())
            {
                break;
            }
            first = Some(j - 1);
            j -= 1;
        }
        let Some(f) = first else { continue };
        // the name's first word is no sentence's first word
        let before = text[..toks[f].start].trim_end();
        let opens = before.is_empty()
            || before.ends_with(['.', '!', '?', '\n'])
            || matches!(before.chars().last(), Some('—' | '–' | '-'));
        if opens {
            continue;
        }
        take_whole(found, toks[f].start, e);
    }
}

/// A head of a home or a unit, then the article of its name, then the name
/// found alone: « SMR Le Clos Fleuri », « maisonnée Les Chênes ».
fn heads_before_articles(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let spans: Vec<(usize, usize)> = found
        .iter()
        .filter(|c| c.kind != Kind::Date)
        .map(|c| (c.start, c.end))
        .collect();
    for (s, e) in spans {
        let Some(k) = tok_at(toks, s) else { continue };
        if toks[k].start != s || k == 0 {
            continue;
        }
        let art = |t: &Tok| matches!(t.folded.as_str(), "le" | "la" | "les" | "l");
        // the article inside the span (« Les Chênes ») or right before it
        let (h, art_inside) = if art(&toks[k]) && toks[k].cap {
            (k - 1, true)
        } else if k >= 2
            && art(&toks[k - 1])
            && toks[k - 1].cap
            && close(text, &toks[k - 1], &toks[k])
        {
            (k - 2, false)
        } else {
            continue;
        };
        let head = &toks[h];
        if !close(text, head, &toks[h + 1]) {
            continue;
        }
        let f = head.folded.as_str();
        let ok = if art_inside {
            UNIT_KINDS.contains(&f) && !head.cap
        } else {
            head.upper && crate::orgs::HEADS.contains(&f) && kind_over(found, head).is_none()
        };
        if ok {
            take_whole(found, head.start, e);
        }
    }
}

/// An adjective of the name in capitals before a found establishment
/// (« Nouvel Hôpital Civil », « Grand Théâtre … »), and a commune found as
/// a person after a name that ends open (« … du Grand » + « Annecy »).
fn adjectives_and_open_ends(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let d = Dicts::get();
    for (s, e) in establishment_spans(found) {
        let Some(k) = tok_at(toks, s) else { continue };
        if toks[k].start == s && k > 0 && toks[k].cap {
            let a = &toks[k - 1];
            if a.cap
                && !a.upper
                && ADJECTIVES.contains(&a.folded.as_str())
                && close(text, a, &toks[k])
                && &text[a.end..toks[k].start] == " "
                && kind_over(found, a).is_none()
            {
                take_whole(found, a.start, e);
                continue;
            }
        }
        // the last word of the span, then a single capitalised word found
        // as a person that is a commune
        let Some(last) = toks.iter().rposition(|t| t.end <= e && t.start >= s) else {
            continue;
        };
        let Some(n) = toks.get(last + 1) else {
            continue;
        };
        if !OPEN_ENDS.contains(&toks[last].folded.as_str())
            || !toks[last].cap
            || &text[toks[last].end..n.start] != " "
            || !n.cap
            || !d.communes.contains_key(&n.folded)
        {
            continue;
        }
        let person = found
            .iter()
            .find(|c| c.kind == Kind::Nom && c.start == n.start && c.end == n.end)
            .map(|c| (c.start, c.end));
        if person.is_some() || kind_over(found, n) == Some(Kind::Ville) {
            take_whole(found, s, n.end);
        }
    }
}

/// The rest of a word cut at its apostrophe (« Presqu » + « 'île »).
fn cut_at_apostrophes(text: &str, found: &mut [Cand]) {
    for c in found.iter_mut().filter(|c| c.kind == Kind::Etablissement) {
        let rest = &text[c.end..];
        let mut it = rest.char_indices();
        let Some((_, q)) = it.next() else { continue };
        if !matches!(q, '\'' | '’') {
            continue;
        }
        let prev = text[..c.end].chars().next_back();
        if !prev.is_some_and(char::is_alphabetic) {
            continue;
        }
        let tail: usize = rest[q.len_utf8()..]
            .chars()
            .take_while(|ch| ch.is_lowercase())
            .map(char::len_utf8)
            .sum();
        if tail >= 2 {
            c.end += q.len_utf8() + tail;
        }
    }
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let toks = text_tokens(text);
    if toks.is_empty() {
        return found;
    }
    heads_before_places(text, &toks, &mut found);
    trade_words_before_places(text, &toks, &mut found);
    heads_before_articles(text, &toks, &mut found);
    adjectives_and_open_ends(text, &toks, &mut found);
    cut_at_apostrophes(text, &mut found);
    found.sort_by_key(|c| c.start);
    found
}
