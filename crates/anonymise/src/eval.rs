//! Scoring of an anonymiser against the annotated evaluation set
//! (`eval/anonymisation/notes.jsonl`). Used by the evaluation example, the
//! recall test and, for Presidio, on predictions read from a file.
//!
//! Matching is by character coverage, whatever the predicted type (what
//! matters for secrecy is that the identifier is gone):
//! - a gold identifier is *found* when the predicted spans cover at least 80 %
//!   of its letters and digits;
//! - a predicted span is *correct* when at least 50 % of its letters and digits
//!   lie inside gold identifiers;
//! - a clinical term of the keep-list is *kept* when no predicted span touches it.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GoldSpan {
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: String,
    /// for names: which person of the note (« p1 », « p2 »…)
    #[serde(default)]
    pub person: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeepSpan {
    pub start: usize,
    pub end: usize,
    pub term: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Note {
    pub id: String,
    #[serde(default)]
    pub genre: String,
    pub text: String,
    pub entities: Vec<GoldSpan>,
    #[serde(default)]
    pub keep: Vec<KeepSpan>,
}

/// A prediction: byte offsets and a type name (ours, or the peer's mapped to ours).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pred {
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: String,
}

pub fn load_notes(jsonl: &str) -> Result<Vec<Note>, serde_json::Error> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect()
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub gold: usize,
    pub found: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn recall(&self) -> Option<f64> {
        (self.gold > 0).then(|| self.found as f64 / self.gold as f64)
    }
    pub fn precision(&self) -> Option<f64> {
        (self.predicted > 0).then(|| self.correct as f64 / self.predicted as f64)
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Score {
    pub per_type: BTreeMap<String, Counts>,
    pub overall: Counts,
    pub keep_total: usize,
    pub keep_kept: usize,
    /// terms of the keep-list that were removed, with how often
    pub keep_lost: BTreeMap<String, usize>,
    /// (note id, type, text) of missed identifiers — synthetic data, safe to print
    pub misses: Vec<(String, String, String)>,
    /// for each miss, in order, the text of its span with the replaced
    /// characters shown as `_`: what a reader still sees of it
    pub miss_left: Vec<String>,
    pub false_positives: Vec<(String, String, String)>,
    /// persons of the gold (one per note and `person` id) that got a pseudonym
    pub persons: usize,
    /// pairs of different persons of a note that share a pseudonym
    pub merges: usize,
    /// persons written several times who got more than one pseudonym
    pub split: usize,
    /// (note id, persons) of the merges, for the development set only
    pub merge_notes: Vec<(String, String)>,
}

/// The letter(s) of a person's pseudonym: « Dr B », « Patient B », « B » → « B ».
fn letter_of(p: &str) -> &str {
    p.rsplit(' ').next().unwrap_or(p)
}

/// Person separation: for each note, the pseudonyms given to the spans of
/// each gold person. Two persons sharing one is a merge (they become the
/// same person in the published text); one person with two is a split.
pub fn score_persons(note: &Note, replacements: &[(usize, usize, String)], score: &mut Score) {
    use std::collections::{BTreeMap, BTreeSet};
    let mut by_person: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for g in &note.entities {
        let Some(p) = g.person.as_deref() else {
            continue;
        };
        for (s, e, pseudo) in replacements {
            if *s < g.end && g.start < *e {
                by_person.entry(p).or_default().insert(letter_of(pseudo));
            }
        }
    }
    score.persons += by_person.len();
    score.split += by_person.values().filter(|v| v.len() > 1).count();
    let persons: Vec<_> = by_person.iter().collect();
    for (i, (p, a)) in persons.iter().enumerate() {
        for (q, b) in &persons[i + 1..] {
            if !a.is_disjoint(b) {
                score.merges += 1;
                score
                    .merge_notes
                    .push((note.id.clone(), format!("{p}+{q}")));
            }
        }
    }
}

fn alnum_positions(text: &str, s: usize, e: usize) -> Vec<usize> {
    text[s..e]
        .char_indices()
        .filter(|(_, c)| c.is_alphanumeric())
        .map(|(i, _)| s + i)
        .collect()
}

/// Score one note's predictions.
pub fn score_note(note: &Note, preds: &[Pred], score: &mut Score) {
    let n = note.text.len();
    let mut covered = vec![false; n + 1];
    for p in preds {
        let (s, e) = (p.start.min(n), p.end.min(n));
        for c in &mut covered[s..e] {
            *c = true;
        }
    }
    let mut gold_mask = vec![false; n + 1];
    for g in &note.entities {
        for c in &mut gold_mask[g.start..g.end] {
            *c = true;
        }
    }
    for g in &note.entities {
        let pos = alnum_positions(&note.text, g.start, g.end);
        let hit = pos.iter().filter(|&&i| covered[i]).count();
        let found = !pos.is_empty() && hit * 5 >= pos.len() * 4;
        let c = score.per_type.entry(g.kind.clone()).or_default();
        c.gold += 1;
        score.overall.gold += 1;
        if found {
            c.found += 1;
            score.overall.found += 1;
        } else {
            score.misses.push((
                note.id.clone(),
                g.kind.clone(),
                note.text[g.start..g.end].to_string(),
            ));
            score.miss_left.push(
                note.text[g.start..g.end]
                    .char_indices()
                    .map(|(i, c)| if covered[g.start + i] { '_' } else { c })
                    .collect(),
            );
        }
    }
    for p in preds {
        let (s, e) = (p.start.min(n), p.end.min(n));
        let pos = alnum_positions(&note.text, s, e);
        let inside = pos.iter().filter(|&&i| gold_mask[i]).count();
        let correct = !pos.is_empty() && inside * 2 >= pos.len();
        let c = score.per_type.entry(p.kind.clone()).or_default();
        c.predicted += 1;
        score.overall.predicted += 1;
        if correct {
            c.correct += 1;
            score.overall.correct += 1;
        } else {
            score.false_positives.push((
                note.id.clone(),
                p.kind.clone(),
                note.text[s..e].to_string(),
            ));
        }
    }
    for k in &note.keep {
        score.keep_total += 1;
        if covered[k.start..k.end].iter().any(|&c| c) {
            *score.keep_lost.entry(k.term.clone()).or_default() += 1;
        } else {
            score.keep_kept += 1;
        }
    }
}

/// Targets of issue 8: recall ≥ 0.99 on these types, ≥ 0.95 overall.
pub const STRICT_TYPES: [&str; 5] = ["nom", "nir", "telephone", "email", "date"];

pub fn fmt_ratio(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "—".into())
}
