//! A learned detector for what the rules leave: after every rule pass, each
//! word no rule took is scored by an averaged perceptron trained on the
//! development sets' annotations (`data/detecteur.tsv`, see
//! `data/README.md` for how it was trained), and taken as a name, an
//! establishment, a commune or a room when its score stands far enough
//! above « no identifier ». Clinical vocabulary and titles are never
//! scored: the detector cannot take « Lachman » or « Dr ».
use std::sync::{Arc, OnceLock};

use crate::dicts::{fold, Dicts};
use crate::eval::Note;
use crate::{Cand, Info, Kind, Span};

pub mod features;
pub mod model;

pub use model::{Example, Model};

use features::Doc;

const WEIGHTS: &str = include_str!("../../data/detecteur.tsv");

/// Below every rule (propers' proper nouns by default are at 10).
const PRIO: u8 = 5;

/// The classes the detector learns: what the rules miss most.
pub const CLASSES: [&str; 5] = ["O", "nom", "etablissement", "ville", "chambre"];

/// The weights shipped with the crate.
pub fn embedded() -> Arc<Model> {
    static M: OnceLock<Arc<Model>> = OnceLock::new();
    M.get_or_init(|| {
        Arc::new(Model::parse(WEIGHTS).expect("data/detecteur.tsv is checked by a unit test"))
    })
    .clone()
}

/// Words the detector never takes: clinical vocabulary and titles, the
/// kinds of service that every town or département has (« le SAMU », « la
/// CPAM »: the rules' list, which they leave when alone), and words in lower
/// case (a name, a place or a room starts with a capital or a digit; the
/// lower-case words of a note are its clinical content).
fn excluded(w: &str) -> bool {
    if w.chars().next().is_some_and(char::is_lowercase) {
        return true;
    }
    let d = Dicts::get();
    let f = fold(w);
    d.allow.contains(&f)
        || d.stop.contains(&f)
        || crate::names::is_title_word(&f)
        || crate::propers::cued::GENERIC.contains(&f.as_str())
}

/// « classification de Marsh », « stade de Tanner », « test d'Ober »: a
/// word right after a head of eponyms (the rules' list), « de » or « d' »
/// between, is a test, a sign or a method, whatever the weights say.
fn after_eponym_head(doc: &Doc, i: usize) -> bool {
    let word = |j: usize| fold(&doc.text[doc.toks[j].0..doc.toks[j].1]);
    let joined = |j: usize| {
        doc.text[doc.toks[j].1..doc.toks[j + 1].0]
            .chars()
            .all(|c| matches!(c, ' ' | '\'' | '’' | '\u{a0}'))
    };
    let mut j = i;
    for _ in 0..2 {
        if j == 0 || !joined(j - 1) {
            return false;
        }
        j -= 1;
        let w = word(j);
        if crate::names::EPONYM_HEADS.contains(&w.as_str()) {
            return true;
        }
        if !matches!(w.as_str(), "de" | "du" | "des" | "d") {
            return false;
        }
    }
    false
}

/// The training tokens of annotated notes: every token the rules (`rules`)
/// did not take, labelled with its gold class or « O ». Tokens inside gold
/// identifiers of other kinds (dates, numbers…) are left out: the rules
/// own them.
/// With `covered_too`, the tokens the rules took are examples as well: what
/// an identifier looks like, learnt from every one, not only from the few
/// the rules missed.
pub fn examples(
    notes: &[Note],
    rules: impl Fn(&str) -> Vec<Span>,
    covered_too: bool,
) -> Vec<Example> {
    let mut out = Vec::new();
    for n in notes {
        let text = &n.text;
        let spans: Vec<_> = rules(text)
            .into_iter()
            .map(|s| (s.start, s.end, s.kind))
            .collect();
        let doc = Doc::new(text, &spans);
        for (i, &(s, e)) in doc.toks.iter().enumerate() {
            if doc.rules[i].is_some() && !covered_too || excluded(&text[s..e]) {
                continue;
            }
            let gold = n.entities.iter().find(|g| g.start < e && s < g.end);
            let class = match gold {
                None => 0,
                Some(g) => match CLASSES.iter().position(|c| *c == g.kind) {
                    Some(c) => c,
                    None => continue,
                },
            };
            out.push(Example {
                features: doc.features(i),
                class,
            });
        }
    }
    out
}

/// The hook in the pipeline: the rules' candidates, and the detector's on
/// the words they left.
pub(crate) fn detect(text: &str, found: Vec<Cand>, model: Option<&Model>) -> Vec<Cand> {
    let Some(m) = model else {
        return found;
    };
    let spans: Vec<_> = found.iter().map(|c| (c.start, c.end, c.kind)).collect();
    let doc = Doc::new(text, &spans);
    let toks = &doc.toks;
    let labels: Vec<Option<usize>> = toks
        .iter()
        .enumerate()
        .map(|(i, &(s, e))| {
            if doc.rules[i].is_some() || excluded(&text[s..e]) || after_eponym_head(&doc, i) {
                return None;
            }
            m.decide(&doc.features(i)).map(|d| d.0)
        })
        .collect();
    let mut more: Vec<(usize, usize, Kind)> = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let Some(k) = l
            .and_then(|c| m.classes.get(c))
            .and_then(|c| Kind::from_id(c))
        else {
            continue;
        };
        let (s, e) = toks[i];
        // words of one class joined by a space are one identifier
        if let Some(last) = more.last_mut() {
            if last.2 == k && i > 0 && labels[i - 1] == *l && &text[last.1..s] == " " {
                last.1 = e;
                continue;
            }
        }
        more.push((s, e, k));
    }
    if more.is_empty() {
        return found;
    }
    let mut out = found;
    let linked: Vec<Cand> = more
        .into_iter()
        .map(|(s, e, kind)| Cand {
            start: s,
            end: e,
            kind,
            prio: PRIO,
            info: if kind == Kind::Nom {
                person(&text[s..e], &out)
            } else {
                Info::None
            },
        })
        .collect();
    out.extend(linked);
    out.sort_by_key(|c| c.start);
    out
}

/// The person a name found by the detector stands for: the one person of
/// the rules whose surname or first name it is (so that « Kerbrat » is the
/// « Mme Anne Kerbrat » of the line before), else a person of its own.
fn person(name: &str, found: &[Cand]) -> Info {
    let words: Vec<String> = name.split(' ').map(fold).collect();
    let mut matches = found.iter().filter_map(|c| match &c.info {
        Info::Person { key, .. } => {
            let parts: Vec<&str> = key.trim_start_matches(['!', '?']).split('|').collect();
            let hit = words.iter().any(|w| parts.iter().take(2).any(|p| p == w));
            hit.then_some((key.clone(), c.info.clone()))
        }
        _ => None,
    });
    if let Some((k, info)) = matches.next() {
        // two persons of the rules bear it: a person of its own rather
        // than the risk of merging them
        if matches.all(|(k2, _)| k2 == k) {
            return info;
        }
    }
    let d = Dicts::get();
    let key = match words.as_slice() {
        [first, rest @ ..] if !rest.is_empty() && d.first_names.contains_key(first) => {
            format!("{}|{first}", rest.join(" "))
        }
        _ => format!("{}|??", words.join(" ")),
    };
    Info::Person {
        key,
        title: None,
        patient: false,
        aliases: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_weights_load() {
        let m = embedded();
        assert_eq!(m.classes, CLASSES);
        assert!(m.weights.len() > 1000, "{} features", m.weights.len());
        assert!(m.threshold > 0.0);
    }

    #[test]
    fn a_name_found_by_the_detector_is_the_rules_person_that_bears_it() {
        let found = vec![Cand {
            start: 0,
            end: 12,
            kind: Kind::Nom,
            prio: 90,
            info: Info::Person {
                key: "kerbrat|anne".into(),
                title: None,
                patient: true,
                aliases: Vec::new(),
            },
        }];
        match person("Kerbrat", &found) {
            Info::Person { key, patient, .. } => {
                assert_eq!(key, "kerbrat|anne");
                assert!(patient);
            }
            _ => panic!("not a person"),
        }
        match person("Jean Le Goff", &found) {
            Info::Person { key, .. } => assert_eq!(key, "le goff|jean"),
            _ => panic!("not a person"),
        }
    }

    /// A model that takes every word it is shown for a name.
    fn every_word_a_name() -> Model {
        Model {
            classes: CLASSES.iter().map(|c| c.to_string()).collect(),
            weights: [("bias".to_string(), vec![0.0, 5.0, 0.0, 0.0, 0.0])].into(),
            threshold: 1.0,
        }
    }

    #[test]
    fn the_pipeline_calls_the_detector_after_the_rules_and_names_its_people() {
        let t = "Revu ce jour.\nZorglub marche mieux.";
        let rules = crate::Anonymiser::new().with_detector(None);
        assert!(rules.detect(t).is_empty());
        let a = crate::Anonymiser::new().with_detector(Some(Arc::new(every_word_a_name())));
        let got = a.detect(t);
        assert!(
            got.iter()
                .any(|s| &t[s.start..s.end] == "Zorglub" && s.kind == Kind::Nom),
            "{got:?}"
        );
        let out = a.anonymise(t);
        assert!(!out.text.contains("Zorglub"));
        assert!(out.text.contains("Personne A"), "{}", out.text);
    }

    /// The words of `t` that the detector takes with model `m`.
    fn taken<'a>(t: &'a str, m: &Model) -> Vec<&'a str> {
        detect(t, Vec::new(), Some(m))
            .iter()
            .map(|c| &t[c.start..c.end])
            .collect()
    }

    #[test]
    fn clinical_words_are_never_scored() {
        let m = every_word_a_name();
        let t = "Lachman négatif chez Kerbrat";
        let got = taken(t, &m);
        assert!(!got.iter().any(|w| w.contains("Lachman")), "{got:?}");
        assert!(got.iter().any(|w| w.contains("Kerbrat")), "{got:?}");
        let t = "classification de Marsh, test d’Ober, revu par Marsh";
        let starts: Vec<usize> = detect(t, Vec::new(), Some(&m))
            .iter()
            .map(|c| c.start)
            .collect();
        assert!(!starts.contains(&t.find("Marsh").unwrap()), "{starts:?}");
        assert!(!starts.contains(&t.find("Ober").unwrap()), "{starts:?}");
        assert!(starts.contains(&t.rfind("Marsh").unwrap()), "{starts:?}");
    }

    #[test]
    fn a_kind_of_service_alone_is_never_scored() {
        // a model that would take every word still leaves « SAMU » and
        // « CPAM », and takes the unknown word beside them
        let m = every_word_a_name();
        let t = "Le SAMU et la CPAM ont rappelé Kerbrat";
        let got = taken(t, &m);
        assert!(
            !got.iter().any(|w| w.contains("SAMU") || w.contains("CPAM")),
            "{got:?}"
        );
        assert!(got.iter().any(|w| w.contains("Kerbrat")), "{got:?}");
    }
}
