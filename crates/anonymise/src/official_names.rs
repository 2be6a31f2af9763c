//! Establishments named by an official designation that the words of a
//! name cannot find, because its middle is common words in lower case and
//! « à », which elsewhere introduces a commune: « conservatoire à
//! rayonnement régional de Rueil-Malmaison » (the labels of the code de
//! l'éducation, art. R. 461-1: régional, départemental, communal or
//! intercommunal).
use std::sync::OnceLock;

use regex::Regex;

use crate::org_tokens::push_org;
use crate::Cand;

fn conservatoire_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)\bconservatoire\s+(?:à|a)\s+rayonnement\s+(?:r[ée]gional|d[ée]partemental|(?:inter)?communal)(?:\s+(?:de\s+(?:la\s+|l['’]\s*)?|du\s+|des\s+|d['’]\s*)\p{L}[\p{L}'’-]*)?",
        )
        .unwrap()
    })
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    for m in conservatoire_re().find_iter(text) {
        push_org(out, m.start(), m.end(), 66);
    }
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    #[test]
    fn a_conservatoire_by_its_label() {
        assert_eq!(
            etabs(
                "Cours au conservatoire à rayonnement départemental de Saint-Brieuc le mercredi."
            ),
            ["conservatoire à rayonnement départemental de Saint-Brieuc"]
        );
        assert_eq!(
            etabs("élève du Conservatoire à Rayonnement Régional d'Amiens, violon"),
            ["Conservatoire à Rayonnement Régional d'Amiens"]
        );
        assert_eq!(
            etabs("Elle chante au conservatoire à rayonnement communal."),
            ["conservatoire à rayonnement communal"]
        );
    }
}
