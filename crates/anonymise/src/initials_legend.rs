//! Initials that a legend spells out: « kiné YF = Yann Fouquet », « # AL =
//! Anthony Lebreton ; MB = Mélanie Besnard » under a planning whose cells
//! hold only the initials. Two or three capitals before « = » (or « : »)
//! and a first name and a surname whose initials they are: the capitals
//! are that person, here and wherever else the text writes them alone.
//! The letters must be the name's initials (« MK : Paul Fabre » stays).
use std::sync::OnceLock;

use regex::Regex;

use crate::{Cand, Info, Kind};

/// The legend (capitals, « = », a first name and a surname), and capitals
/// alone anywhere.
fn res() -> &'static (Regex, Regex) {
    static R: OnceLock<(Regex, Regex)> = OnceLock::new();
    R.get_or_init(|| {
        let legend = r"\b(\p{Lu}{2,3})[ \t]*[=:][ \t]*(\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)*)[ \t]+(\p{Lu}[\p{L}\p{M}'’]+)";
        let alone = r"\b\p{Lu}{2,3}\b";
        (
            Regex::new(legend).expect("legend pattern"),
            Regex::new(alone).expect("initials pattern"),
        )
    })
}

/// The capitals a legend spells out as a person's name, and every other
/// place the text writes them alone.
pub fn detect(text: &str, out: &mut Vec<Cand>) {
    // each spelt-out set of capitals and the person it stands for
    let mut spelt: Vec<(String, Info)> = Vec::new();
    for c in res().0.captures_iter(text) {
        let caps = &c[1];
        let initials: String = c[2]
            .split('-')
            .chain(std::iter::once(&c[3]))
            .filter_map(|w| w.chars().next())
            .collect();
        if initials != caps || spelt.iter().any(|(s, _)| s == caps) {
            continue;
        }
        let person = Info::Person {
            key: format!("initials|{caps}"),
            title: None,
            patient: false,
            carer: false,
            aliases: Vec::new(),
        };
        spelt.push((caps.to_string(), person));
    }
    for m in res().1.find_iter(text) {
        if let Some((_, info)) = spelt.iter().find(|(s, _)| s == m.as_str()) {
            out.push(Cand {
                start: m.start(),
                end: m.end(),
                kind: Kind::Nom,
                prio: 63,
                info: info.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::detect;

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        detect(text, &mut out);
        out.iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn a_legend_and_the_cells_it_explains() {
        let t = "lundi,AL\nmardi,JPM\n# AL = Alain Lenoir ; JPM = Jean-Pierre Morin";
        assert_eq!(found(t), ["AL", "JPM", "AL", "JPM"]);
        assert!(found("Soins : MK = Paul Fabre, EVA 3.").is_empty());
    }
}
