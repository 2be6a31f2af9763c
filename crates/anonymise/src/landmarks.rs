//! Natural landmarks named after a place (« lac de Vassivière », « col de
//! la Colombière », « pointe du Raz », « plan d'eau de Gap-Bayard », « île
//! de Ré »): a lake, a pass or a beach where a patient lives, works or
//! fell tells where, as a commune does, and the head is part of the
//! name (« le lac » alone would leave « de ____ »). The name is read after
//! the head and its link (« de », « du », « des », « de la », « d' »),
//! with its capital; an acronym (« pic de CRP », a peak of a lab value)
//! or an eponym of the allow-list stays. A name the rules already found
//! (a commune, a surname, a first name) is widened to take its head in.
use crate::dicts::{fold, Dicts};
use crate::{Cand, Info, Kind};
use regex::Regex;
use std::sync::OnceLock;

/// Above the commune or the surname found in the name alone.
const PRIO: u8 = 66;

fn landmark_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\b(?i:lac|col|pic|pointe|plan d['’]eau|étang|île|presqu['’]île|forêt|gorges|baie|cascade)",
            r" (?:de la |de l['’]|des |du |de |d['’])",
            r"\p{Lu}[\p{L}\p{M}]+(?:['’-]\p{L}[\p{L}\p{M}]*)*",
        ))
        .expect("landmark pattern")
    })
}

/// The name after the head and its link: the end of the match's link.
fn name_start(m: &str) -> usize {
    ["de la ", "de l'", "de l’", "des ", "du ", "de ", "d'", "d’"]
        .iter()
        .filter_map(|l| m.find(l).map(|i| i + l.len()))
        .min()
        .unwrap_or(0)
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let d = Dicts::get();
    let mut more = Vec::new();
    for m in landmark_re().find_iter(text) {
        let (s, e) = (m.start(), m.end());
        let name = &m.as_str()[name_start(m.as_str())..];
        // « pic de CRP »: capitals alone are an abbreviation
        if !name.chars().any(char::is_lowercase) || d.allow.contains(&fold(name)) {
            continue;
        }
        // a span across either end (« Résidence du Lac de Vassivière », an
        // establishment) is left as it is
        let across = found
            .iter()
            .any(|c| c.start < e && c.end > s && (c.start < s || c.end > e));
        if across {
            continue;
        }
        found.retain(|c| !(c.start >= s && c.end <= e));
        more.push(Cand {
            start: s,
            end: e,
            kind: Kind::Adresse,
            prio: PRIO,
            info: Info::None,
        });
    }
    found.extend(more);
    found.sort_by_key(|c| (c.start, c.end));
    found
}
