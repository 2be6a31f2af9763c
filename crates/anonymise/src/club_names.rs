//! Sports clubs named by their initials, their commune and their sport:
//! « ASP Pornic foot », « ES Anneyron handball », « FC Nantes féminines »,
//! « us tourcoing foot ». The other passes take the initials and the
//! commune (« FC Nantes ») and leave the sport or the team beside the
//! placeholder, or take nothing when the whole is in lower case (a message,
//! a dictation). The sport after a club's name is part of it, as « Stade
//! Toulousain Rugby »: the club's own section, not a sport in general.
use crate::dicts::{fold, Dicts};
use crate::org_tokens::{joined, take_whole, text_tokens, Tok};
use crate::orgs::{CLUB_INITIALS, SPORTS};
use crate::{Cand, Kind};

/// Words that end a club's name after its commune: its sport, written
/// short (« foot », « hand »), or its team (« féminines »).
const TAILS: &[&str] = &[
    "foot",
    "hand",
    "feminines",
    "feminine",
    "feminin",
    "masculins",
];

fn tail(f: &str) -> bool {
    TAILS.contains(&f) || SPORTS.contains(&f) && !matches!(f, "sport" | "sports")
}

/// A club's initials, in capitals (« ASP », « FC ») or, in a text without
/// capitals, in lower case (« us »).
fn initials(text: &str, t: &Tok) -> bool {
    let w = &text[t.start..t.end];
    CLUB_INITIALS.contains(&w)
        || CLUB_INITIALS.contains(&w.to_uppercase().as_str()) && !t.cap
        || t.upper && (2..=5).contains(&w.chars().count())
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let toks = text_tokens(text);
    let d = Dicts::get();
    let at =
        |found: &[Cand], s: usize, e: usize| found.iter().position(|c| c.start < e && s < c.end);
    let mut i = 0;
    while i + 2 < toks.len() {
        let (a, b, c) = (&toks[i], &toks[i + 1], &toks[i + 2]);
        let spaced = |x: &Tok, y: &Tok| text[x.end..y.start] == *" " && joined(text, x, y);
        if !(initials(text, a) && spaced(a, b) && spaced(b, c) && tail(&c.folded)) {
            i += 1;
            continue;
        }
        // the commune: a known one, or what a pass took with the initials
        let commune = d.communes.contains_key(&fold(&text[b.start..b.end]));
        let with_initials = found
            .iter()
            .any(|k| k.kind == Kind::Etablissement && k.start <= a.start && b.end <= k.end);
        // the sport is free: no other span holds it
        let free = at(&found, c.start, c.end).is_none();
        if !(commune || with_initials) || !free {
            i += 1;
            continue;
        }
        // what the new span covers goes; a span it would cut stays
        let start = found
            .iter()
            .filter(|k| k.kind == Kind::Etablissement && k.start <= a.start && b.end <= k.end)
            .map(|k| k.start)
            .min()
            .unwrap_or(a.start);
        if !take_whole(&mut found, start, c.end) {
            i += 1;
            continue;
        }
        i += 3;
    }
    found.sort_by_key(|c| c.start);
    found
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs as orgs;

    #[test]
    fn a_clubs_sport_after_its_initials_and_commune_is_part_of_its_name() {
        for (t, want) in [
            (
                "Licencié à l'ASC Quimper rugby depuis 2019, entorse.",
                "ASC Quimper rugby",
            ),
            ("Il joue au fc lorient foot le samedi.", "fc lorient foot"),
            (
                "Elle est gardienne au FC Nantes féminines cette saison.",
                "FC Nantes féminines",
            ),
        ] {
            assert!(orgs(t).iter().any(|o| o == want), "{t}: {:?}", orgs(t));
        }
        // a sport after a town alone is the sport
        let t = "Elle fait de la natation à Lorient rugby le dimanche.";
        assert!(orgs(t).is_empty(), "{t}: {:?}", orgs(t));
    }
}
