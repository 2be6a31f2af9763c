//! Clubs, federations and school sport bodies named by their acronym alone,
//! where the words before say it is one: « le tournoi du VCF », « le cross
//! de l'UNSS », « licenciée à l'ASR », « match contre le RCV »,
//! « compétition UNSS ». An acronym alone is as often clinical (« BPCO »,
//! « AVC », « EVA »), so it is taken only after a word of sport, never from
//! its letters, and never when the allow-list, the common words or a short
//! list of clinical and body acronyms hold it. National federations
//! (« FFR », « FFHB ») are kept, as their full names are.
use crate::dicts::Dicts;
use crate::org_tokens::{joined, take_whole, text_tokens, Tok};
use crate::orgs::SPORTS;
use crate::Cand;

/// Words of sport after which an acronym names a club, a federation or a
/// body of school sport (folded).
const SPORT_CUES: &[&str] = &[
    "tournoi",
    "tournois",
    "match",
    "matchs",
    "cross",
    "championnat",
    "championnats",
    "competition",
    "competitions",
    "licencie",
    "licenciee",
    "licencies",
    "licenciees",
    "licence",
    "club",
    "joue",
    "jouait",
    "entraineur",
    "entraineuse",
    "entraineurs",
];

/// Words that may stand between the cue and the acronym (folded).
const LINKS: &[&str] = &[
    "de", "du", "des", "l", "la", "le", "les", "au", "aux", "a", "en", "contre", "avec", "pour",
];

/// Links after which a sport is played at a club: « foot à l'USLC »,
/// « basket avec l'ESBR », « rugby chez les RCV ».
const PLAYED_AT: &[&str] = &["a", "au", "avec", "chez"];

/// Acronyms of care, of tests and of kinds of body, which a word of sport
/// may come before (« compétition EVA 8 », « licence FFR ») without naming a club.
const NOT_A_CLUB: &[&str] = &[
    "eva", "en", "avc", "bpco", "tms", "idec", "ecg", "irm", "ipp", "cmp", "ssr", "had", "samu",
    "smur", "chu", "ehpad", "usld", "ime", "itep", "sessad", "mdph", "cpam", "ars", "lca", "lcp",
    "ta", "fc", "fr", "rcp", "pca", "dt", "ras", "tt", "ok",
];

/// An acronym in capitals, two to six letters, not glued to a code.
fn acronym(text: &str, t: &Tok) -> bool {
    let w = &text[t.start..t.end];
    let after = text[t.end..].chars().next();
    (2..=6).contains(&w.len())
        && w.bytes().all(|b| b.is_ascii_uppercase())
        && !matches!(after, Some('-' | '_' | '/'))
        && !text[..t.start].ends_with(['-', '_', '/'])
}

pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let toks = text_tokens(text);
    let d = Dicts::get();
    for i in 1..toks.len() {
        let t = &toks[i];
        if !acronym(text, t) {
            continue;
        }
        let f = t.folded.as_str();
        // a national federation (« FFR », « FFHB ») is kept: it names no
        // one place, and its licence number is taken with the number
        if f.starts_with("ff")
            || NOT_A_CLUB.contains(&f)
            || d.allow.contains(f)
            || d.common.contains(f)
            || d.stop.contains(f)
        {
            continue;
        }
        // back over at most two links to a word of sport, all joined
        let mut j = i;
        let mut cued = false;
        for _ in 0..3 {
            let Some(p) = j.checked_sub(1) else { break };
            if !joined(text, &toks[p], &toks[j]) {
                break;
            }
            let pf = toks[p].folded.as_str();
            // « au foot à l'USLC », « du basket avec l'ESBR »: a sport
            // played at or with the acronym, through a link of place
            let played = (SPORTS.contains(&pf) || matches!(pf, "foot" | "hand"))
                && !matches!(pf, "sport" | "sports")
                && toks[p + 1..=i]
                    .iter()
                    .any(|t| PLAYED_AT.contains(&t.folded.as_str()));
            if SPORT_CUES.contains(&pf) || played {
                cued = true;
                break;
            }
            if !LINKS.contains(&pf) {
                break;
            }
            j = p;
        }
        if cued && !found.iter().any(|c| c.start < t.end && t.start < c.end) {
            take_whole(&mut found, t.start, t.end);
        }
    }
    found.sort_by_key(|c| c.start);
    found
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    /// Each phrase with the club it names, or none: a clinical acronym, an
    /// acronym without a word of sport, a national federation.
    const CASES: &[(&str, Option<&str>)] = &[
        ("Entorse pendant le tournoi du VBR samedi.", Some("VBR")),
        (
            "Absent au cross de l'UNSS la semaine prochaine.",
            Some("UNSS"),
        ),
        ("Elle est licenciée à l'ASRV depuis deux ans.", Some("ASRV")),
        ("Choc au genou lors du match contre le RCV.", Some("RCV")),
        ("Dispense de compétition UNSS jusqu'en mars.", Some("UNSS")),
        (
            "Son entraîneur du SCPB demande un certificat.",
            Some("SCPB"),
        ),
        ("Reprise du match possible si EVA inférieure à 3.", None),
        ("Antécédent de BPCO, suivi au CMP.", None),
        ("Le VBR a été évoqué en consultation.", None),
        ("Compétition interdite, ECG à refaire.", None),
        ("Il fait du foot à l'USMB depuis deux ans.", Some("USMB")),
        ("Elle joue au basket avec l'ESBR le mardi.", Some("ESBR")),
        ("Natation avec EVA à 2, reprise lente.", None),
        ("Natation à l'IME le jeudi.", None),
        ("Club de marche, douleur EN 4/10.", None),
        ("Certificat pour la licence FFHB de la saison.", None),
    ];

    #[test]
    fn an_acronym_is_a_club_only_after_a_word_of_sport() {
        for &(t, want) in CASES {
            let found = etabs(t);
            let ok = match want {
                Some(w) => found.iter().any(|o| o == w),
                None => found.is_empty(),
            };
            assert!(ok, "{t}: {found:?}");
        }
    }
}
