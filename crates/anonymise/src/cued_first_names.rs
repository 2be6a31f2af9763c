//! Persons written by a first name alone, a nickname or letters, where the
//! layout says a person is meant though the word itself may be one of the
//! language (« Claire ») or a clinical eponym (« Thomas »):
//! - the speaker of a message stamped with its time (« Claire 08:15 : ok »);
//! - a first name right before a telephone number (« Si souci : Rose au
//!   06 … », « Urgences : Thomas 06 … »);
//! - a first name closing a message after a full stop (« … on en parlera.
//!   Claire ») at the end of its line;
//! - then that first name wherever else the text writes it capitalised,
//!   except as an eponym (« test de Thomas », « Thomas + »);
//! - a nickname of a doubled syllable (« Jojo », « Bibi », « Loulou »,
//!   « dédé ») that no dictionary of words holds;
//! - a name spelt out letter by letter (« D-U-P-O-N-T », « b e n o i t »)
//!   whose letters make a name the text writes elsewhere.
//!
//! Each mention gets a pseudonym of its own: a first name alone cannot be
//! linked to a full name with any safety, and a shared key would merge two
//! people (a split at worst).
use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};
use crate::homonyms;
use crate::{Cand, Info, Kind};

/// A capitalised word (a first name, compound or not).
const NAME: &str = r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?";

/// A French telephone number, grouped or not.
const PHONE: &str = r"(?:\+33[ .\u{a0}]?(?:\(0\))?[ .\u{a0}]?|0)[1-9](?:[ .\u{a0}]?\d\d){4}";

fn speaker_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // « Claire 08:15 : », « Thomas (08h02) : », « - Rose, 17:31 : »
    R.get_or_init(|| {
        Regex::new(&format!(
            r"(?m)^[ \t]*(?:[-•*][ \t]*)?({NAME})[ \t]*,?[ \t]*[\(\[]?\d{{1,2}}[:h]\d{{2}}[\)\]]?[ \t]*:"
        ))
        .unwrap()
    })
}

fn phone_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // « Claire au 06 84 … », « Thomas 06 27 … », « Rose : 06 … »
    R.get_or_init(|| {
        Regex::new(&format!(
            r"(?:^|[\s:,;(·|])({NAME})[ \t\u{{a0}}]*(?:au|:|,|–|-)?[ \t\u{{a0}}]*{PHONE}\b"
        ))
        .unwrap()
    })
}

fn closing_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // « … on en parlera. Claire » at the end of its line
    R.get_or_init(|| {
        Regex::new(&format!(
            r"(?m)\p{{Ll}}{{3,}}[.!?…][ \t]+(?:[!?.][ \t]*)*({NAME})[ \t]*$"
        ))
        .unwrap()
    })
}

fn greeting_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // « bonsoir fabien, », « Coucou Titi ! », « merci Claire » (a greeting
    // or a thanks addresses the person named right after it)
    R.get_or_init(|| {
        Regex::new(r"(?i:\b(?:bonjour|bonsoir|salut|coucou|slt|bjr|hello|merci))[ \t\u{a0}]+(\p{L}[\p{Ll}\p{M}]+(?:-\p{L}[\p{Ll}\p{M}]+)?)\b")
            .unwrap()
    })
}

fn role_slot_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // « IDE accueillante : Rose », « Kiné de garde : Baptiste »: a role of
    // the care team, then a colon and a first name alone
    R.get_or_init(|| {
        Regex::new(&format!(
            r"(?m)(?:^|[\s–—(|;])(?i:kin[ée]|mk|ide[cl]?|as|aide-soignante?|ergo|m[ée]decin|cadre|tuteur|tutrice|r[ée]f[ée]rente?|[ée]ducat(?:eur|rice)|coach|entra[iî]neur|entra[iî]neuse|infirmi[èe]re?|psychologue|orthophoniste)(?:[ \t]+\p{{Ll}}+){{0,2}}[ \t]*:[ \t]*({NAME})[ \t]*(?:$|[,–—(|;])"
        ))
        .unwrap()
    })
}

fn field_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // « "nom": "TANGUY", "prenom": "Rose" »: a name's field of an export
    R.get_or_init(|| {
        Regex::new(r#"(?i:"(?:nom|pr[ée]nom|name|first_?name|last_?name|surname|given_?name|family_?name|nom_naissance|nom_usage)")[ \t]*:[ \t]*"(\p{L}[\p{L}\p{M} '’-]{1,40})""#)
            .unwrap()
    })
}

fn word_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\p{L}[\p{L}\p{M}]*").unwrap())
}

fn spelt_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // « D-U-P-O-N-T », « b e n o i t »: four letters or more, one by one
    R.get_or_init(|| {
        Regex::new(r"(?:^|[^\p{L}\p{M}'’-])(\p{L}(?:-\p{L}){3,}|\p{L}(?: \p{L}){3,})(?:$|[^\p{L}\p{M}'’-])")
            .unwrap()
    })
}

/// Words after which a capitalised first name is an eponym or a score's
/// name, not a person.
fn eponym_before(text: &str, at: usize) -> bool {
    let head = text[..at].trim_end_matches([' ', '\u{a0}']);
    // the last word before (« de », « test »), or « d' »
    let prev = head
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    let elided = head.ends_with(['\'', '’']);
    elided || matches!(fold(prev).as_str(), "de" | "du" | "des" | "test" | "signe")
}

fn eponym_after(text: &str, at: usize) -> bool {
    let rest = text[at..].trim_start_matches([' ', '\u{a0}']);
    rest.starts_with(['+', '-', '±', '/'])
        || rest.starts_with(|c: char| c.is_ascii_digit()) && !phone_after(rest) && !time_after(rest)
        || {
            let w: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
            matches!(
                fold(&w).as_str(),
                "positif" | "positive" | "negatif" | "negative" | "pathologique"
            )
        }
}

fn phone_after(rest: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(&format!("^{PHONE}")).unwrap())
        .is_match(rest)
}

fn time_after(rest: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\d{1,2}[:h]\d{2}\b").unwrap())
        .is_match(rest)
}

/// Is the folded word a first name that may stand alone for a person here:
/// in the first names, three letters or more, no role, no title?
fn first_name(d: &Dicts, f: &str) -> bool {
    f.chars().count() >= 3
        && d.first_names.contains_key(f)
        && !d.stop.contains(f)
        && !TITLES.contains(&f)
}

/// Titles and words of address that a greeting writes before a name.
const TITLES: &[&str] = &[
    "mme",
    "mmes",
    "mr",
    "mrs",
    "mlle",
    "mme.",
    "madame",
    "monsieur",
    "mademoiselle",
    "docteur",
    "doc",
    "dr",
    "pr",
    "me",
    "maitre",
    "kine",
    "maman",
    "papa",
    "mamie",
    "papi",
    "papy",
    "tous",
    "toutes",
    "beaucoup",
    "encore",
    "infiniment",
];

/// A doubled syllable of two or three letters (« jojo », « loulou »,
/// « dede »), folded.
fn doubled(f: &str) -> bool {
    let c: Vec<char> = f.chars().collect();
    let n = c.len();
    (n == 4 || n == 6)
        && c[..n / 2] == c[n / 2..]
        && c.iter().all(|x| x.is_alphabetic())
        // « haha », « hihi »: a laugh
        && c[0] != 'h'
}

fn person(start: usize, end: usize, what: &str, text: &str) -> Cand {
    Cand {
        start,
        end,
        kind: Kind::Nom,
        prio: 60,
        info: Info::Person {
            key: format!("{}{what}|{}", homonyms::UNIQUE, fold(&text[start..end])),
            title: None,
            patient: false,
            carer: false,
            aliases: Vec::new(),
        },
    }
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let d = Dicts::get();
    let free = |found: &[Cand], s: usize, e: usize| !found.iter().any(|c| c.start < e && s < c.end);
    let mut add: Vec<(usize, usize, &str)> = Vec::new();
    let mut names: HashSet<String> = HashSet::new();
    // first names that the layout makes a person
    let cued = speaker_re()
        .captures_iter(text)
        .chain(phone_re().captures_iter(text))
        .chain(closing_re().captures_iter(text))
        .filter_map(|c| c.get(1));
    for m in cued.chain(role_slot_re().captures_iter(text).filter_map(|c| c.get(1))) {
        let f = fold(m.as_str());
        if first_name(d, &f) {
            names.insert(f);
            add.push((m.start(), m.end(), "first"));
        }
    }
    // after a greeting, a first name in lower case too, if no word
    for m in greeting_re().captures_iter(text).filter_map(|c| c.get(1)) {
        let f = fold(m.as_str());
        let lower = m.as_str().starts_with(char::is_lowercase);
        // « merci Nath », « Salut Élo »: capitalised, a short form that no
        // dictionary holds is a first name cut short
        let short = !lower
            && f.chars().count() >= 3
            && !TITLES.contains(&f.as_str())
            && !m.as_str().chars().skip(1).any(char::is_uppercase)
            && !d.common.contains(&f)
            && !d.allow.contains(&f)
            && !d.stop.contains(&f)
            && !d.surnames.contains_key(&f)
            && !d.communes.contains_key(&f);
        if short || first_name(d, &f) && !(lower && (d.common.contains(&f) || d.allow.contains(&f)))
        {
            names.insert(f);
            add.push((m.start(), m.end(), "first"));
        }
    }
    // a name's field of an export holds a person, whatever the words
    for m in field_re().captures_iter(text).filter_map(|c| c.get(1)) {
        let v = m.as_str().trim_end();
        if v.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
            add.push((m.start(), m.start() + v.len(), "field"));
        }
    }
    // that first name elsewhere, capitalised, unless an eponym
    if !names.is_empty() {
        for m in word_re().find_iter(text) {
            let w = m.as_str();
            let f = fold(w);
            // in lower case only a first name that is no word (« fabien »)
            let cased = w.starts_with(char::is_uppercase)
                || !d.common.contains(&f) && !d.allow.contains(&f);
            if cased
                && !w.chars().skip(1).any(char::is_uppercase)
                && names.contains(&f)
                && !text[m.end()..].starts_with(['-', '\'', '’'])
                && !text[..m.start()].ends_with('-')
                && !eponym_before(text, m.start())
                && !eponym_after(text, m.end())
            {
                add.push((m.start(), m.end(), "first"));
            }
        }
    }
    // nicknames of a doubled syllable
    for m in word_re().find_iter(text) {
        let w = m.as_str();
        let f = fold(w);
        let cased = !w.chars().skip(1).any(char::is_uppercase);
        if cased
            && doubled(&f)
            && !d.common.contains(&f)
            && !d.allow.contains(&f)
            && !d.stop.contains(&f)
            && !text[m.end()..].starts_with(['-', '\'', '’'])
            && !text[..m.start()].ends_with(['-', '\'', '’', '@', '#', '/', '.'])
        {
            add.push((m.start(), m.end(), "nick"));
        }
    }
    // names spelt out, whose letters a found person's name or a
    // capitalised word of the text makes
    let spelt: Vec<(usize, usize)> = spelt_re()
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| (m.start(), m.end()))
        .collect();
    if !spelt.is_empty() {
        let in_names: HashSet<String> = found
            .iter()
            .filter(|c| c.kind == Kind::Nom)
            .flat_map(|c| word_re().find_iter(&text[c.start..c.end]))
            .map(|w| fold(w.as_str()))
            .collect();
        for (s, e) in spelt {
            let joined: String = fold(&text[s..e])
                .chars()
                .filter(|c| c.is_alphabetic())
                .collect();
            if in_names.contains(&joined) {
                add.push((s, e, "spelt"));
            }
        }
    }
    add.sort();
    add.dedup();
    for (s, e, what) in add {
        if free(&found, s, e) {
            found.push(person(s, e, what, text));
        }
    }
    found.sort_by_key(|c| c.start);
    found
}
