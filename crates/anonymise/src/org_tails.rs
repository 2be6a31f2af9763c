//! The end of an establishment's name that the other passes leave beside
//! the part they found: « Securitas France », « AXELIA PRÉVOYANCE »,
//! « Ateliers Morvan & fils », « les Foulées du Tarn », « Intermarché
//! Redon », « la clinique jules verne », « l'ehpad korian les magnolias »,
//! « le centre Jacques Calvé ». A reader who sees « [Établissement A]
//! verne » or « [Établissement A] Redon » still reads the name. The name
//! grows only over words that plainly belong to it (a firm's qualifier, a
//! territory, a commune, a surname after a first name, a lower-case name
//! with its article closed by punctuation) and stops at words of the
//! language, clinical words, dates, verbs and punctuation.
use crate::dicts::Dicts;
use crate::firm_qualifiers::{FAMILY, FIRM_HEADS, FIRM_ONLY, QUALIFIERS};
use crate::names::is_title_word;
use crate::not_name_words::not_a_name_word;
use crate::org_tokens::{take_whole, text_tokens, Tok};
use crate::territories::territory_len;
use crate::{Cand, Kind};

/// Heads after which a person's name (and a title) names the place:
/// « unité Professeur Jean Judet », « centre Jacques Calvé ».
const PERSON_HEADS: &[&str] = &[
    "unite",
    "centre",
    "pavillon",
    "institut",
    "fondation",
    "hopital",
    "clinique",
    "residence",
    "ehpad",
    "foyer",
    "lycee",
    "college",
    "ecole",
];

/// Titles between such a head and the person's name.
const TITLES: &[&str] = &["professeur", "pr", "docteur", "dr"];

/// Verbs whose subject is a place, written right after its name: they end
/// the sentence's subject, not the name (« la clinique jules ferme »).
const VERBS: &[&str] = &[
    "est",
    "a",
    "ont",
    "sont",
    "fait",
    "ferme",
    "ouvre",
    "passe",
    "reste",
    "prend",
    "donne",
    "propose",
    "accueille",
    "demande",
    "envoie",
    "appelle",
    "rappelle",
    "confirme",
    "refuse",
    "organise",
    "assure",
    "dispose",
    "recrute",
    "va",
    "sera",
    "etait",
    "avait",
    "peut",
    "doit",
    "dit",
    "veut",
];

/// Only a space between two positions.
fn spaced(text: &str, a: usize, b: usize) -> bool {
    a <= b && matches!(&text[a..b], " " | "\u{a0}")
}

/// A word that may be part of a name in lower case: letters, no word of
/// grammar, of care, of time, no verb, no month or day.
fn lower_name_word(t: &Tok) -> bool {
    let d = Dicts::get();
    let f = t.folded.as_str();
    !t.cap
        && f.chars().count() >= 3
        && f.chars().all(|c| c.is_alphabetic() || c == '-')
        && !d.stop.contains(f)
        && !d.allow.contains(f)
        && !not_a_name_word(f)
        && !VERBS.contains(&f)
        && !f.ends_with("ait")
        && crate::calendar::month_number(f).is_none()
        && !DAYS.contains(&f)
}

const DAYS: &[&str] = &[
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// The kind of the span over `t`, if any.
fn kind_at(found: &[Cand], t: &Tok) -> Option<Kind> {
    found
        .iter()
        .find(|c| c.start < t.end && t.start < c.end)
        .map(|c| c.kind)
}

/// A commune that no common word spells, no first name.
fn commune(t: &Tok) -> bool {
    let d = Dicts::get();
    let f = t.folded.as_str();
    d.communes.get(f).is_some_and(|e| !e.word)
        && !d.first_names.contains_key(f)
        && !d.stop.contains(f)
        && !d.allow.contains(f)
}

/// A commune that no common word spells, also a first name (« Albi »).
fn commune_or_first_name(t: &Tok) -> bool {
    let d = Dicts::get();
    let f = t.folded.as_str();
    d.communes.get(f).is_some_and(|e| !e.word) && !d.stop.contains(f) && !d.allow.contains(f)
}

/// Heads of homes and clinics after which, in lower case, a name with its
/// article follows: « l'ehpad les glycines (…) », « le foyer la source, ».
const ARTICLE_HEADS: &[&str] = &[
    "ehpad",
    "clinique",
    "polyclinique",
    "residence",
    "foyer",
    "smr",
    "ssr",
    "crf",
    "usld",
    "ime",
    "esat",
    "mecs",
];

/// A home's head in lower case, a brand maybe (« korian »), and a name
/// with its article closed by punctuation: one home.
fn lower_heads(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let d = Dicts::get();
    for i in 0..toks.len().saturating_sub(2) {
        let h = &toks[i];
        if h.cap || !ARTICLE_HEADS.contains(&h.folded.as_str()) || kind_at(found, h).is_some() {
            continue;
        }
        let mut j = i + 1;
        let b = &toks[j];
        let f = b.folded.as_str();
        if spaced(text, h.end, b.start)
            && !b.cap
            && f.chars().count() >= 3
            && f.chars().all(char::is_alphabetic)
            && !d.common.contains(f)
            && !d.stop.contains(f)
            && !d.allow.contains(f)
            && kind_at(found, b).is_none()
        {
            j += 1;
        }
        if j >= toks.len() || !spaced(text, toks[j - 1].end, toks[j].start) {
            continue;
        }
        if let Some(end) = lower_article_name(text, toks, j, h.start, toks[j - 1].end, found) {
            take_whole(found, h.start, end);
        }
    }
}

/// Same case as the name: a word in capitals after a name in capitals, a
/// capitalised word after one in mixed case.
fn same_case(span: &str, t: &Tok) -> bool {
    if t.upper {
        !span.chars().any(char::is_lowercase)
    } else {
        t.cap
    }
}

/// A firm's qualifier at token k: its end.
fn qualifier(text: &str, toks: &[Tok], k: usize, span: &str) -> Option<usize> {
    let t = &toks[k];
    if !QUALIFIERS.contains(&t.folded.as_str()) || !same_case(span, t) {
        return None;
    }
    // « Service de rhumatologie » is a unit of it, not its qualifier
    if let Some(n) = toks.get(k + 1) {
        if spaced(text, t.end, n.start) && matches!(n.folded.as_str(), "de" | "d" | "du" | "des") {
            return None;
        }
    }
    Some(t.end)
}

/// « & fils », « et frères » at token k: its end.
fn family(text: &str, toks: &[Tok], k: usize) -> Option<usize> {
    let (a, b) = (&toks[k], toks.get(k + 1)?);
    (matches!(a.folded.as_str(), "&" | "et")
        && !a.cap
        && spaced(text, a.end, b.start)
        && FAMILY.contains(&b.folded.as_str()))
    .then_some(b.end)
}

/// « du Tarn », « de l'Ardèche », « de Vierzon » at token k: its end.
fn of_territory(text: &str, toks: &[Tok], k: usize, span: &str) -> Option<usize> {
    if !span.starts_with(char::is_uppercase)
        || !matches!(toks[k].folded.as_str(), "de" | "du" | "des" | "d")
    {
        return None;
    }
    let mut j = k + 1;
    if toks[k].folded == "de" && matches!(toks.get(j)?.folded.as_str(), "la" | "l") {
        j += 1;
    }
    let t = toks.get(j)?;
    if !crate::org_tokens::joined(text, &toks[j - 1], t) || !t.cap {
        return None;
    }
    let n = territory_len(toks, text, j);
    if n > 0 {
        return Some(toks[j + n - 1].end);
    }
    commune(t).then_some(t.end)
}

/// « d'Appareillage » after « Atelier Lorrain »: a capitalised word of the
/// language after « de », in a name written with capitals, closed by
/// punctuation: the name's last word. Its end.
fn of_capital_word(text: &str, toks: &[Tok], k: usize, s: usize, e: usize) -> Option<usize> {
    let d = Dicts::get();
    let own = inside(toks, s, e);
    if own.len() < 2 || !own.iter().all(|t| t.cap && !t.upper) {
        return None;
    }
    let a = &toks[k];
    if a.cap || !matches!(a.folded.as_str(), "de" | "d" | "du" | "des") {
        return None;
    }
    let t = toks.get(k + 1)?;
    let f = t.folded.as_str();
    if !crate::org_tokens::joined(text, a, t)
        || !t.cap
        || t.upper
        || !d.common.contains(f)
        || d.allow.contains(f)
        || d.stop.contains(f)
        || d.first_names.contains_key(f)
        || stop_word(t)
        || is_title_word(f)
    {
        return None;
    }
    let rest = match toks.get(k + 2) {
        Some(n) => &text[t.end..n.start],
        None => &text[t.end..],
    };
    (rest.is_empty() || rest.contains(|c: char| ",.;:()–—«»\"|!?\n".contains(c))).then_some(t.end)
}

/// « de judo », « de rugby » after an organisation (« Fédération
/// française de judo »): its sport, its end.
fn of_sport(text: &str, toks: &[Tok], k: usize) -> Option<usize> {
    let (a, b) = (&toks[k], toks.get(k + 1)?);
    (matches!(a.folded.as_str(), "de" | "du")
        && !a.cap
        && spaced(text, a.end, b.start)
        && crate::orgs::SPORTS.contains(&b.folded.as_str()))
    .then_some(b.end)
}

/// A single name that a person pass took, or a capitalised word that no
/// dictionary holds, followed by a firm's word: the firm (« Lecacheux
/// Orthopédie »), unless a title or a first name says it is a person.
fn persons_as_firms(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let d = Dicts::get();
    for k in 1..toks.len() {
        let (w, q) = (&toks[k - 1], &toks[k]);
        let f = w.folded.as_str();
        if !w.cap
            || !q.cap
            || !spaced(text, w.end, q.start)
            || !FIRM_ONLY.contains(&q.folded.as_str())
        {
            continue;
        }
        // the word alone is a person's span, or no span and no word
        let own = found
            .iter()
            .find(|c| c.start < w.end && w.start < c.end)
            .map(|c| {
                let alone = c.start == w.start && (c.end == w.end || c.end == q.end);
                (c.kind, alone)
            });
        let unknown = !d.common.contains(f)
            && !d.allow.contains(f)
            && !d.stop.contains(f)
            && !d.first_names.contains_key(f)
            && f.chars().count() >= 4;
        match own {
            Some((Kind::Nom, true)) => {}
            None if unknown => {}
            _ => continue,
        }
        if found
            .iter()
            .any(|c| c.start < q.end && q.start < c.end && c.start != w.start)
        {
            continue;
        }
        if k >= 2 {
            let p = &toks[k - 2];
            if is_title_word(&p.folded) || p.cap && d.first_names.contains_key(&p.folded) {
                continue;
            }
        }
        found.retain(|c| !(c.start == w.start && c.kind == Kind::Nom));
        take_whole(found, w.start, q.end);
    }
}

/// A commune right after the name (« Intermarché Redon »): its end.
fn town_after(text: &str, toks: &[Tok], k: usize, span: &str, found: &[Cand]) -> Option<usize> {
    let t = &toks[k];
    if !t.cap || !same_case(span, t) || !commune(t) {
        return None;
    }
    if !matches!(
        kind_at(found, t),
        None | Some(Kind::Ville) | Some(Kind::Nom)
    ) {
        return None;
    }
    // a capitalised word after it makes it the start of another name
    if let Some(n) = toks.get(k + 1) {
        if spaced(text, t.end, n.start) && (n.cap || n.upper) && !stop_word(n) {
            return None;
        }
    }
    Some(t.end)
}

fn stop_word(t: &Tok) -> bool {
    let d = Dicts::get();
    let f = t.folded.as_str();
    d.stop.contains(f)
        || not_a_name_word(f)
        || DAYS.contains(&f)
        || crate::calendar::month_number(f).is_some()
        || matches!(
            f,
            "le" | "la" | "les" | "de" | "du" | "des" | "a" | "au" | "et" | "en"
        )
}

/// The tokens inside a span. The tokens are in the text's order, so a
/// binary search finds the first: a scan of them all for every candidate
/// made a long text's time grow with the square of its length.
fn inside(toks: &[Tok], s: usize, e: usize) -> Vec<&Tok> {
    let from = toks.partition_point(|t| t.start < s);
    toks[from..]
        .iter()
        .take_while(|t| t.start < e)
        .filter(|t| t.end <= e)
        .collect()
}

/// A surname in lower case after a head and a first name in lower case
/// (« clinique jules verne »): its end.
fn lower_surname(
    toks: &[Tok],
    k: usize,
    text: &str,
    s: usize,
    e: usize,
    found: &[Cand],
) -> Option<usize> {
    let d = Dicts::get();
    let span = &text[s..e];
    let own = inside(toks, s, e);
    if span.chars().any(char::is_uppercase)
        || own.len() != 2
        || !PERSON_HEADS.contains(&own[0].folded.as_str()) && own[0].folded != "polyclinique"
        || !d.first_names.contains_key(&own[1].folded)
    {
        return None;
    }
    let t = &toks[k];
    (lower_name_word(t) && kind_at(found, t).is_none_or(|k| k == Kind::Nom)).then_some(t.end)
}

/// A lower-case name with its article after a home in lower case or an
/// acronym (« l'ehpad korian les magnolias (…) », « CRF le grand feu – »),
/// closed by punctuation or the end of the line: its end.
fn lower_article_name(
    text: &str,
    toks: &[Tok],
    k: usize,
    s: usize,
    e: usize,
    found: &[Cand],
) -> Option<usize> {
    let span = &text[s..e];
    let own = inside(toks, s, e);
    let acronym = own.len() == 1 && own[0].upper;
    if !acronym && span.chars().any(char::is_uppercase) {
        return None;
    }
    let article = |t: &Tok| !t.cap && matches!(t.folded.as_str(), "le" | "la" | "les");
    let a = &toks[k];
    // a name already begun with its article goes on after « des », « du »
    // (« résidence le clos » + « des vignes »); else it starts with one
    let (mut j, mut prev) = if own.iter().skip(1).any(|t| article(t)) {
        if a.cap || !matches!(a.folded.as_str(), "de" | "des" | "du" | "d") || k == 0 {
            return None;
        }
        (k, &toks[k - 1])
    } else if article(a) {
        (k + 1, a)
    } else {
        return None;
    };
    while j < toks.len() && j <= k + 4 {
        let t = &toks[j];
        if !text[prev.end..t.start].trim().is_empty()
            && !text[prev.end..t.start].contains(['\'', '’'])
        {
            return None;
        }
        let connector = matches!(t.folded.as_str(), "de" | "des" | "du" | "d") && !t.cap;
        if !(connector || lower_name_word(t) && kind_at(found, t).is_none()) {
            return None;
        }
        if !connector {
            // closed: the end of the text, a line or a sign of punctuation
            let rest = match toks.get(j + 1) {
                Some(n) => &text[t.end..n.start],
                None => &text[t.end..],
            };
            if rest.is_empty() || rest.contains(|c: char| ",.;:()–—-«»\"|!?\n".contains(c)) {
                return Some(t.end);
            }
        }
        prev = t;
        j += 1;
    }
    None
}

/// The spans of one kind, as positions (the list changes as they grow).
fn spans_of(found: &[Cand], kind: Kind) -> Vec<(usize, usize)> {
    found
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| (c.start, c.end))
        .collect()
}

/// « unité Professeur Jean Judet », « centre Jacques Calvé »: a person's
/// name after a head of care, with or without a title, is the place.
fn units_named_after_persons(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let persons = spans_of(found, Kind::Nom);
    for (s, e) in persons {
        // the tokens are in order of position: a search, not a scan per person
        let Some(a) = toks.binary_search_by_key(&s, |t| t.start).ok() else {
            continue;
        };
        // « l'hôpital mr Chalayer » is a person of the hospital
        if inside(toks, s, e).len() < 2 || a == 0 || is_title_word(&toks[a].folded) {
            continue;
        }
        let mut h = a - 1;
        let gap_ok = |x: &Tok, y: &Tok| matches!(&text[x.end..y.start], " " | ". ");
        if TITLES.contains(&toks[h].folded.as_str()) {
            if h == 0 || !gap_ok(&toks[h], &toks[a]) {
                continue;
            }
            h -= 1;
            if !spaced(text, toks[h].end, toks[h + 1].start) {
                continue;
            }
        } else if !spaced(text, toks[h].end, toks[a].start) {
            continue;
        }
        if PERSON_HEADS.contains(&toks[h].folded.as_str()) {
            found.retain(|c| !(c.start == s && c.end == e && c.kind == Kind::Nom));
            take_whole(found, toks[h].start, e);
        }
    }
}

/// « Atelier Lorrain », « Ateliers Morvan »: a firm's head in capitals and
/// the word after it, that a person pass took for a name, are the firm.
fn firms_taken_for_persons(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let persons = spans_of(found, Kind::Nom);
    for (s, e) in persons {
        let own = inside(toks, s, e);
        let head = own.first().is_some_and(|t| {
            t.start == s
                && t.cap
                && (FIRM_HEADS.contains(&t.folded.as_str()) || crate::trades::trade_head(&t.folded))
        });
        if own.len() >= 2 && head && !text[s..e].contains('\n') {
            found.retain(|c| !(c.start == s && c.end == e && c.kind == Kind::Nom));
            take_whole(found, s, e);
        }
    }
}

/// A brand that no dictionary knows before a commune (« PROTEOR LORIENT »,
/// « Intersport Albi »), in the middle of a line: one shop.
fn brands_before_communes(text: &str, toks: &[Tok], found: &mut Vec<Cand>) {
    let d = Dicts::get();
    for i in 1..toks.len().saturating_sub(1) {
        let (p, b, c) = (&toks[i - 1], &toks[i], &toks[i + 1]);
        let f = b.folded.as_str();
        if !(b.cap
            && spaced(text, b.end, c.start)
            && c.cap
            && b.upper == c.upper
            && commune_or_first_name(c)
            && f.chars().count() >= 4
            && f.chars().all(char::is_alphabetic)
            && !d.common.contains(f)
            && !d.allow.contains(f)
            && !d.stop.contains(f)
            && !d.first_names.contains_key(f)
            && !d.communes.contains_key(f)
            && !is_title_word(f)
            // a commune that is also a first name: the word before is no surname
            && (commune(c) || !d.surnames.contains_key(f)))
        {
            continue;
        }
        // not a person's surname: no title nor first name before it, and
        // not the first word of a line or a sentence
        // or in brackets, where a surname would need its first name
        let bracketed = &text[p.end..b.start] == " ("
            && !d.surnames.contains_key(f)
            && !d.first_names.contains_key(f);
        if !(spaced(text, p.end, b.start) || bracketed)
            || is_title_word(&p.folded)
            || p.cap && d.first_names.contains_key(&p.folded)
            || matches!(kind_at(found, p), Some(Kind::Nom))
        {
            continue;
        }
        if !matches!(kind_at(found, b), None | Some(Kind::Etablissement))
            || !matches!(
                kind_at(found, c),
                None | Some(Kind::Ville) | Some(Kind::Nom)
            )
        {
            continue;
        }
        // the commune's side is the shop's too (« Intersport Nantes Est »)
        let mut end = c.end;
        if let Some(n) = toks.get(i + 2) {
            let side = matches!(n.folded.as_str(), "nord" | "sud" | "est" | "ouest") && n.cap;
            // not inside a longer name in capitals (« Section … Conchylicole Bretagne Nord »)
            if side && spaced(text, c.end, n.start) && !p.cap {
                end = n.end;
            } else if spaced(text, c.end, n.start) && (n.cap || n.upper) && !stop_word(n) {
                continue;
            }
        }
        if end == c.end {
            found.retain(|k| !(k.kind == Kind::Nom && k.start == c.start && k.end == c.end));
        }
        take_whole(found, b.start, end);
    }
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let toks = text_tokens(text);
    if toks.is_empty() {
        return found;
    }
    units_named_after_persons(text, &toks, &mut found);
    firms_taken_for_persons(text, &toks, &mut found);
    brands_before_communes(text, &toks, &mut found);
    lower_heads(text, &toks, &mut found);
    persons_as_firms(text, &toks, &mut found);
    for _ in 0..3 {
        let mut grown = false;
        let orgs = spans_of(&found, Kind::Etablissement);
        for (s, e) in orgs {
            let Some(k) = toks.iter().position(|t| t.start >= e) else {
                continue;
            };
            if !spaced(text, e, toks[k].start) {
                continue;
            }
            let span = &text[s..e];
            // a span that ends on a word of grammar goes on only with a
            // territory (« CABINET PODO DE LA » + « CREUSE »)
            if inside(&toks, s, e).last().is_some_and(|t| {
                matches!(
                    t.folded.as_str(),
                    "de" | "du" | "des" | "et" | "d" | "la" | "l"
                )
            }) {
                let n = match territory_len(&toks, text, k) {
                    0 => usize::from(toks[k].cap && commune(&toks[k])),
                    n => n,
                };
                if n > 0 && take_whole(&mut found, s, toks[k + n - 1].end) {
                    grown = true;
                }
                continue;
            }
            // an establishment right after, that starts with « de »: the
            // same name, in two parts (« Atelier Lorrain » « d'Appareillage »)
            if !toks[k].cap && matches!(toks[k].folded.as_str(), "de" | "d" | "du" | "des") {
                let next = found
                    .iter()
                    .find(|c| c.kind == Kind::Etablissement && c.start == toks[k].start)
                    .map(|c| c.end);
                if let Some(end) = next {
                    if take_whole(&mut found, s, end) {
                        grown = true;
                    }
                    continue;
                }
            }
            let end = qualifier(text, &toks, k, span)
                .or_else(|| family(text, &toks, k))
                .or_else(|| of_territory(text, &toks, k, span))
                .or_else(|| of_sport(text, &toks, k))
                .or_else(|| of_capital_word(text, &toks, k, s, e))
                .or_else(|| town_after(text, &toks, k, span, &found))
                .or_else(|| lower_surname(&toks, k, text, s, e, &found))
                .or_else(|| lower_article_name(text, &toks, k, s, e, &found));
            if let Some(end) = end {
                if take_whole(&mut found, s, end) {
                    grown = true;
                }
            }
        }
        if !grown {
            break;
        }
    }
    found.sort_by_key(|c| c.start);
    found
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    fn has(text: &str, want: &str) {
        let found = etabs(text);
        assert!(found.iter().any(|o| o.contains(want)), "{text}: {found:?}");
    }

    #[test]
    fn a_firms_qualifier_after_its_name_is_the_name() {
        for (t, want) in [
            (
                "Il est cariste chez Transalliance France depuis 2018.",
                "Transalliance France",
            ),
            (
                "Courrier de GROUPAMA PRÉVOYANCE reçu ce jour.",
                "GROUPAMA PRÉVOYANCE",
            ),
            (
                "Lit médicalisé livré par Bastide Location mardi.",
                "Bastide Location",
            ),
            (
                "Il est maçon chez Entreprise Le Goff & fils à Vannes.",
                "& fils",
            ),
            (
                "Lit médicalisé livré par Kerbrat Location demain.",
                "Kerbrat Location",
            ),
            (
                "appareillage avec Kerhervé Orthopédie la semaine prochaine.",
                "Kerhervé Orthopédie",
            ),
            (
                "fauteuil prêté par Lemarchand Location jusqu'en mai.",
                "Lemarchand Location",
            ),
            (
                "Licence validée par la Fédération française de karaté hier.",
                "de karaté",
            ),
        ] {
            has(t, want);
        }
    }

    #[test]
    fn a_territory_after_an_events_name_is_the_name() {
        has(
            "Elle a couru Les Foulées de la Creuse dimanche dernier.",
            "Foulées de la Creuse",
        );
    }

    #[test]
    fn a_capitalised_word_after_de_in_a_name_is_the_name() {
        has(
            "genou posé par Atelier Breton d'Orthopédie Technique.",
            "Atelier Breton d'Orthopédie",
        );
        has(
            "Madame, genou 3R60 posé par Atelier Normand d'Appareillage. Marche avec deux cannes.",
            "Atelier Normand d'Appareillage",
        );
        has(
            "FACTURE DU CABINET PODO DE LA CREUSE, JE CONTESTE.",
            "CREUSE",
        );
    }

    #[test]
    fn a_brand_and_its_commune_are_one_shop() {
        has(
            "essai avec l'orthoprothésiste de ORTHOFIX BREST mardi.",
            "ORTHOFIX BREST",
        );
        has(
            "Merci à notre partenaire Zoomsport Albi pour les tentes.",
            "Zoomsport Albi",
        );
    }

    #[test]
    fn a_lower_case_surname_after_a_clinic_and_a_first_name_is_the_clinic() {
        has(
            "opérée à la clinique louis pasteur le douze mars",
            "clinique louis pasteur",
        );
    }

    #[test]
    fn a_lower_case_name_with_its_article_after_a_home_is_the_home() {
        has(
            "aide-soignante à l'ehpad orpea les glycines (Rezé), en arrêt",
            "les glycines",
        );
        has("CRF la tour blanche – Angers", "CRF la tour blanche");
        has(
            "résidence services le moulin des prés — planning",
            "le moulin des prés",
        );
    }

    #[test]
    fn a_unit_named_after_a_person_is_the_unit() {
        has(
            "Service de neurologie – unité Professeur Paul Castaigne",
            "unité Professeur Paul Castaigne",
        );
        has(
            "Elle a été suivie au centre Marcel Rivière puis en ville.",
            "centre Marcel Rivière",
        );
    }

    #[test]
    fn words_of_the_sentence_after_a_home_are_not_its_name() {
        for t in [
            "Transférée à l'ehpad korian les soignants ont noté une chute.",
            "Retour à la clinique la semaine prochaine.",
            "Vu au CHU Service de rhumatologie hier.",
            "Vue à la clinique jules a dit que tout allait bien.",
            "Suivi au centre Jean a appelé ce matin.",
        ] {
            let found = etabs(t);
            assert!(
                found.iter().all(|o| !o.contains("soignants")
                    && !o.contains("semaine")
                    && !o.contains("Service")
                    && !o.contains(" a ")),
                "{t}: {found:?}"
            );
        }
    }
}
