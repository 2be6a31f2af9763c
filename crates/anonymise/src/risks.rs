//! Residual re-identification risks: indirect details found through a lexicon
//! (`data/risques.txt`) that the anonymiser does not replace, for the author
//! to review.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};
use crate::{Cand, Info, Risk};

pub fn advice(kind: &str) -> &'static str {
    match kind {
        "profession_rare" => "Profession rare ou très localisée : généralisez-la (« profession manuelle », « cadre ») ou supprimez-la si elle n’est pas utile au propos.",
        "sportif_haut_niveau" => "Sportif de haut niveau ou palmarès : une équipe, un titre ou une compétition suffisent souvent à retrouver la personne ; écrivez « sportif pratiquant en compétition ».",
        "notoriete" => "Personne publique ou exposée : sa notoriété la rend reconnaissable même sans nom ; obtenez son accord écrit ou retirez ce détail.",
        "mandat_electif" => "Mandat électif ou fonction officielle : facile à rapprocher d’une personne réelle ; généralisez ou supprimez.",
        "signe_distinctif" => "Signe physique distinctif (tatouage, cicatrice, amputation…) : ne le décrivez que s’il est nécessaire au propos, sans localisation ni motif précis.",
        "maladie_rare" => "Maladie rare : avec un lieu ou un âge, elle peut désigner une seule personne ; envisagez de ne citer que la famille de pathologies.",
        "composition_familiale" => "Composition familiale particulière (jumeaux, famille nombreuse, veuvage…) : supprimez-la ou restez général.",
        "petite_commune" => "Petite commune, village ou lieu-dit : à cette échelle, un seul détail suffit à reconnaître la personne ; parlez de « milieu rural ».",
        "evenement" => "Événement daté ou médiatisé (accident, agression, fait divers) : il permet de retrouver la personne dans la presse ; restez général.",
        "age_extreme" => "Âge très élevé (centenaire, doyen…) : très peu de personnes sont concernées ; écrivez « patient très âgé ».",
        "origine" => "Origine, nationalité, situation particulière (détention, asile) : donnée sensible et identifiante en petit nombre ; ne la gardez que si elle est indispensable.",
        "nombre_enfants" => "Nombre exact d’enfants : avec d’autres détails, il peut identifier une famille ; arrondissez ou supprimez.",
        "nom_ambigu" => "Nom que portent plusieurs personnes du texte (même famille, homonyme) : l’anonymiseur ne sait pas laquelle il désigne et lui a donné un pseudonyme à part ; relisez et précisez (prénom, lien) si le lecteur doit savoir qui c’est.",
        "mot_inconnu" => "Nom propre ou mot rare que l’anonymiseur n’a ni remplacé ni reconnu comme vocabulaire clinique : vérifiez qu’il ne désigne ni une personne, ni un lieu, ni un établissement.",
        _ => "Détail indirect à relire avant publication.",
    }
}

fn children_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b(?:m[èe]re|p[èe]re|parent)s? (?:de|d['’]) ?(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix) enfants\b").unwrap()
    })
}

/// Fold while keeping, for each byte of the folded text, the byte of the input it comes from.
fn fold_map(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut buf = [0u8; 4];
    for (i, c) in text.char_indices() {
        let f = fold(c.encode_utf8(&mut buf));
        for _ in 0..f.len() {
            map.push(i);
        }
        out.push_str(&f);
    }
    map.push(text.len());
    (out, map)
}

pub fn detect(text: &str, cands: &[Cand]) -> Vec<Risk> {
    let d = Dicts::get();
    let (folded, map) = fold_map(text);
    let fb = folded.as_bytes();
    let mut out = Vec::new();
    for m in d.risk_ac.find_iter(&folded) {
        let (s, e) = (m.start(), m.end());
        let ok_before = s == 0 || !fb[s - 1].is_ascii_alphanumeric();
        let ok_after = e == fb.len() || !fb[e].is_ascii_alphanumeric() && fb[e] < 0x80;
        if !ok_before || !ok_after {
            continue;
        }
        let (cat, term) = &d.risk_terms[m.pattern().as_usize()];
        let start = map[s];
        let end = map[e];
        // a risk inside a replaced span is already settled
        if cands.iter().any(|c| c.start <= start && end <= c.end) {
            continue;
        }
        out.push(Risk {
            kind: cat.clone(),
            span: (start, end),
            excerpt_hint: term.clone(),
            advice_fr: advice(cat).to_string(),
        });
    }
    for m in children_re().find_iter(text) {
        out.push(Risk {
            kind: "nombre_enfants".into(),
            span: (m.start(), m.end()),
            excerpt_hint: "nombre d’enfants".into(),
            advice_fr: advice("nombre_enfants").into(),
        });
    }
    unknown_words(text, cands, &mut out);
    for c in cands {
        if let Info::Person { key, .. } = &c.info {
            if crate::homonyms::is_ambiguous(key) {
                out.push(Risk {
                    kind: "nom_ambigu".into(),
                    span: (c.start, c.end),
                    excerpt_hint: "nom porté par plusieurs personnes".into(),
                    advice_fr: advice("nom_ambigu").into(),
                });
            }
        }
    }
    out.sort_by_key(|r| r.span.0);
    out
}

fn word_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\p{L}[\p{L}\p{M}]*(?:-\p{L}[\p{L}\p{M}]*)*").unwrap())
}

/// Every capitalised word, and every word in capitals, that was neither
/// replaced nor known (common French, clinical vocabulary): nothing unknown
/// passes silently. Each word is listed once, at its first place.
fn unknown_words(text: &str, cands: &[Cand], out: &mut Vec<Risk>) {
    let d = Dicts::get();
    let mut seen = std::collections::HashSet::new();
    let mut ci = 0;
    for m in word_re().find_iter(text) {
        let w = m.as_str();
        let first = w.chars().next().unwrap();
        if !first.is_uppercase() {
            continue;
        }
        let letters = w.chars().count();
        let upper = w.chars().all(|c| !c.is_lowercase());
        if letters < 3 || upper && letters < 4 {
            continue;
        }
        while ci < cands.len() && cands[ci].end <= m.start() {
            ci += 1;
        }
        if cands[ci..]
            .iter()
            .take_while(|c| c.start < m.end())
            .any(|c| c.start < m.end() && m.start() < c.end)
        {
            continue;
        }
        let f = fold(w);
        let known = |x: &str| d.common.contains(x) || d.allow.contains(x) || d.stop.contains(x);
        if known(&f) || f.split('-').all(known) || crate::names::is_title_word(&f) {
            continue;
        }
        if !seen.insert(f) {
            continue;
        }
        out.push(Risk {
            kind: "mot_inconnu".into(),
            span: (m.start(), m.end()),
            excerpt_hint: "nom propre ou mot rare".into(),
            advice_fr: advice("mot_inconnu").into(),
        });
    }
}
