//! Embedded dictionaries (built by `data/build_data.py` from registry packages)
//! and the hand-kept allow-list and risk lexicon.
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::fast_hash::{StrMap, StrSet};

const PRENOMS: &str = include_str!("../data/prenoms.txt");
const NOMS: &str = include_str!("../data/noms.txt");
const COMMUNES: &str = include_str!("../data/communes.tsv");
const ALLOW: &str = include_str!("../data/allow.txt");
const RISQUES: &str = include_str!("../data/risques.txt");
const MOTS: &str = include_str!("../data/mots.txt");
const ETABLISSEMENTS: &str = include_str!("../data/etablissements.txt");
const SITES: &str = include_str!("../data/sites.txt");
const VILLES_ETRANGERES: &str = include_str!("../data/villes_etrangeres.txt");

/// Lower case without French diacritics: the key of every dictionary lookup.
/// [`fold`] of the last `chars` characters of `text` before byte `at`: the
/// context a rule reads before a token. Folding the whole prefix for each
/// token made long texts quadratic (an audit's 97 600 characters of titles
/// took 8 s on the server's request threads).
pub fn fold_before(text: &str, at: usize, chars: usize) -> String {
    let head = &text[..at];
    let from = head
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    fold(&head[from..])
}

pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // most letters are ASCII, which fold to their lower case alone
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for l in c.to_lowercase() {
            let r = match l {
                'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => 'a',
                'ç' => 'c',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'î' | 'ï' | 'í' | 'ì' => 'i',
                'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
                'ù' | 'û' | 'ü' | 'ú' => 'u',
                'ÿ' | 'ý' => 'y',
                'ñ' => 'n',
                '’' => '\'',
                'œ' => {
                    out.push('o');
                    'e'
                }
                'æ' => {
                    out.push('a');
                    'e'
                }
                other => other,
            };
            out.push(r);
        }
    }
    out
}

/// A dictionary entry: is the name also an ordinary French word?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub word: bool,
}

pub struct Dicts {
    pub first_names: StrMap<Entry>,
    pub surnames: StrMap<Entry>,
    /// folded commune name → also a French word
    pub communes: StrMap<Entry>,
    pub postcodes: StrSet,
    /// Patterns of commune names as written (and in upper case), for Aho-Corasick.
    pub commune_ac: AhoCorasick,
    pub commune_patterns: Vec<String>,
    pub allow: StrSet,
    /// words never taken for a name without a title (« ! » lines of the allow-list)
    pub stop: StrSet,
    /// common French words (folded): not reported as unknown proper nouns
    pub common: StrSet,
    pub risk_ac: AhoCorasick,
    pub risk_terms: Vec<(String, String)>,
    /// proper names of health establishments (folded words joined by a space)
    /// → taken only after a place cue in a sentence about care
    pub establishments: StrMap<bool>,
    /// hospital sites written as an acronym alone (« HEGP »), from `sites.txt`
    pub site_acronyms: StrSet,
    /// towns outside France (folded), from `villes_etrangeres.txt`: taken
    /// only after a preposition of place
    pub foreign_towns: StrSet,
}

fn parse_tab(data: &str) -> StrMap<Entry> {
    let mut m = StrMap::default();
    for line in data.lines() {
        let mut it = line.split('\t');
        let name = it.next().unwrap_or("").trim();
        if name.is_empty() {
            continue;
        }
        let word = it.next().is_some_and(|f| f.contains('w'));
        m.entry(fold(name)).or_insert(Entry { word });
    }
    m
}

/// The part of a compound commune name before « -Saint- », « -sur- »,
/// « -la- »… (« Montbonnot » of Montbonnot-Saint-Martin), if it is one word.
/// The second value tells a merged name's (see
/// `merged_commune_short_form`).
fn commune_short_form(name: &str) -> Option<(&str, bool)> {
    const LINKS: &[&str] = &[
        "-Saint-", "-Sainte-", "-sur-", "-sous-", "-lès-", "-lez-", "-en-", "-la-", "-le-",
        "-les-", "-de-", "-du-", "-des-", "-aux-",
    ];
    let Some(cut) = LINKS.iter().filter_map(|l| name.find(l)).min() else {
        return merged_commune_short_form(name).map(|s| (s, true));
    };
    let short = &name[..cut];
    // « Saint-Pée » for Saint-Pée-sur-Nivelle: the saint is the name
    let saint = ["Saint-", "Sainte-"]
        .iter()
        .find_map(|p| short.strip_prefix(p))
        .is_some_and(|rest| !rest.contains(['-', ' ', '\'']));
    (saint || !short.contains(['-', ' ', '\''])).then_some((short, false))
}

/// The first part of a commune merged from two (« Décines » of
/// Décines-Charpieu, « Carhaix » of Carhaix-Plouguer, « Caluire » of
/// Caluire-et-Cuire): people name the town by it. Every part but « et »
/// is a name with its capital, and the first is one word.
fn merged_commune_short_form(name: &str) -> Option<&str> {
    if name.contains([' ', '\'', '’']) {
        return None;
    }
    let mut parts = name.split('-');
    let first = parts.next()?;
    let mut rest = parts.filter(|p| *p != "et").peekable();
    rest.peek()?;
    rest.all(|p| p.chars().next().is_some_and(char::is_uppercase))
        .then_some(first)
}

impl Dicts {
    fn load() -> Dicts {
        let first_names = parse_tab(PRENOMS);
        let surnames = parse_tab(NOMS);
        let mut communes = StrMap::default();
        let mut postcodes = StrSet::default();
        let common: StrSet = MOTS.lines().map(|l| l.trim().to_string()).collect();
        let mut patterns = Vec::new();
        let mut short_forms = Vec::new();
        for line in COMMUNES.lines() {
            let mut it = line.split('\t');
            let name = it.next().unwrap_or("").trim();
            let cps = it.next().unwrap_or("");
            let word = it.next().is_some_and(|f| f.contains('w'));
            if name.is_empty() {
                continue;
            }
            for cp in cps.split(',') {
                postcodes.insert(cp.to_string());
            }
            communes.insert(fold(name), Entry { word });
            if name.chars().count() >= 2 {
                patterns.push(name.to_string());
                let up = name.to_uppercase();
                // « NIMES », « ORLEANS »: capitals are often typed without
                // their accents; never a common word (« PRISE EN CHARGE »
                // is no Chargé)
                let bare = fold(name).to_uppercase();
                if bare != up && bare.chars().count() >= 5 && !common.contains(&fold(name)) {
                    patterns.push(bare);
                }
                if up != name {
                    patterns.push(up);
                }
                // Saint-Malo is often written « St-Malo » or « St Malo ».
                if let Some(rest) = name.strip_prefix("Saint-") {
                    patterns.push(format!("St-{rest}"));
                    patterns.push(format!("St {rest}"));
                    patterns.push(fold(&format!("st {rest}")).replace('-', " "));
                    // « à st-jean-de-luz » in a message
                    patterns.push(fold(&format!("st-{rest}")));
                }
                if let Some(rest) = name.strip_prefix("Sainte-") {
                    patterns.push(format!("Ste-{rest}"));
                    patterns.push(format!("Ste {rest}"));
                }
                // forums write « on habite plouguerneau », « de st etienne »:
                // in lower case, with or without accents (taken only after a
                // preposition, see names::communes)
                if name.chars().count() >= 4 {
                    let low = name.to_lowercase();
                    let folded = fold(name);
                    patterns.push(low.clone());
                    if folded != low {
                        patterns.push(folded.clone());
                    }
                    // « à champigny sur marne »: spaces for the hyphens
                    if name.contains('-') {
                        patterns.push(low.replace('-', " "));
                        if folded != low {
                            patterns.push(folded.replace('-', " "));
                        }
                    }
                }
                if name.contains('-') {
                    patterns.push(name.replace('-', " "));
                }
                // « au Bourg-d'Oisans », « aux Sables-d'Olonne »: the article
                // of « Le Bourg-d'Oisans » contracted with the preposition
                // (names::communes keeps the preposition out of the span)
                for (article, contracted) in [("Le ", ["au ", "du "]), ("Les ", ["aux ", "des "])] {
                    if let Some(rest) = name.strip_prefix(article) {
                        for c in contracted {
                            patterns.push(format!("{c}{rest}"));
                        }
                    }
                }
            }
            short_forms.push(name);
        }
        // « Montbonnot » for Montbonnot-Saint-Martin, « Rillieux » for
        // Rillieux-la-Pape: the first part of a compound name before a saint
        // or a preposition, as people say it. Such a short form is taken as
        // an ordinary word (a capital inside a sentence or a preposition
        // before it), never when it is itself a common word.
        for name in short_forms {
            let Some((short, merged)) = commune_short_form(name) else {
                continue;
            };
            let f = fold(short);
            if communes.contains_key(&f) || common.contains(&f) || short.chars().count() < 5 {
                continue;
            }
            // « Vincent » of Vincent-Froideville, « Claye » of Claye-Souilly:
            // the first part of a merged name that is a person's stays one
            if merged && (first_names.contains_key(&f) || surnames.contains_key(&f)) {
                continue;
            }
            communes.insert(f.clone(), Entry { word: true });
            patterns.push(short.to_string());
            // in lower case too (« à carhaix », « a saint-pée »), taken only
            // after a preposition as the full names are
            patterns.push(short.to_lowercase());
            if f != short.to_lowercase() {
                patterns.push(f);
            }
        }
        let commune_ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("commune automaton");
        let mut allow = StrSet::default();
        let mut stop = StrSet::default();
        for l in ALLOW
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
        {
            if let Some(w) = l.strip_prefix('!') {
                stop.insert(fold(w));
            } else {
                allow.insert(fold(l));
            }
        }
        let mut risk_terms = Vec::new();
        for line in RISQUES.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some((cat, term)) = line.split_once('|') {
                risk_terms.push((cat.trim().to_string(), term.trim().to_string()));
            }
        }
        let risk_ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(risk_terms.iter().map(|(_, t)| fold(t)))
            .expect("risk automaton");
        let site_acronyms = SITES
            .lines()
            .filter_map(|l| l.strip_suffix("\ta"))
            .map(str::to_string)
            .collect();
        let establishments = ETABLISSEMENTS
            .lines()
            .chain(SITES.lines().filter(|l| !l.starts_with('#')))
            .filter_map(|l| {
                let (name, flags) = l.split_once('\t')?;
                Some((name.to_string(), flags.contains('c')))
            })
            .collect();
        let foreign_towns = VILLES_ETRANGERES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        Dicts {
            foreign_towns,
            establishments,
            site_acronyms,
            common,
            first_names,
            surnames,
            communes,
            postcodes,
            commune_ac,
            commune_patterns: patterns,
            allow,
            stop,
            risk_ac,
            risk_terms,
        }
    }

    pub fn get() -> &'static Dicts {
        static D: OnceLock<Dicts> = OnceLock::new();
        D.get_or_init(Dicts::load)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_before_folds_only_the_last_characters() {
        let text = "Suivi par l’ex-Mme Élodie";
        let at = text.find("Élodie").unwrap();
        assert_eq!(fold_before(text, at, 7), "ex-mme ");
        // More characters than the text holds: the whole prefix.
        assert_eq!(fold_before(text, at, 500), fold(&text[..at]));
        assert_eq!(fold_before(text, 0, 5), "");
        // Characters, not bytes: « é » is two bytes.
        assert_eq!(fold_before("café X", 6, 2), "e ");
    }
}
