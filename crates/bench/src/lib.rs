//! What the benchmarks of Sceau measure on: the reference cases of
//! `tests/cases/`, a generated mix of complete and partial situations, the
//! guided interview replayed on each case against a static questionnaire.
//! The Cedar translation lives in `common/cedar.rs` (cedar-policy is a
//! dev-dependency: only the benches and tests compile it).

use std::path::PathBuf;

use chrono::NaiveDate;
use sceau_engine::{Law, Next, Situation};
use serde::Deserialize;

/// The date used when a case gives none, so that runs are comparable.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date")
}

#[derive(Debug, Deserialize)]
pub struct Case {
    pub id: String,
    pub situation: serde_json::Value,
}

pub fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases")
}

/// The reference cases (guide.yaml and own.yaml), in file order.
pub fn reference_cases() -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).expect("readable case file");
            serde_norway::from_str::<Vec<Case>>(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()))
        })
        .collect()
}

/// The reference cases as situations.
pub fn reference_situations(law: &Law) -> Vec<Situation> {
    reference_cases()
        .iter()
        .map(|c| {
            law.parse_situation(&c.situation, today())
                .unwrap_or_else(|e| panic!("{}: {e}", c.id))
        })
        .collect()
}

/// A small deterministic generator (xorshift): the mix is the same on
/// every run and machine, without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` generated situations: half complete (every fact known), half
/// partial (each fact unknown with probability 1/3), on dates on both
/// sides of the décret of 2026 (the law's epochs).
pub fn generated_mix(law: &Law, n: usize) -> Vec<Situation> {
    let mut rng = Rng(0x5cea_2026_u64);
    let epochs = law.epochs();
    (0..n)
        .map(|k| {
            let as_of = epochs[rng.below(epochs.len() as u64) as usize];
            let mut s = Situation::unknown(law, as_of);
            s.as_of_given = true;
            let partial = k % 2 == 1;
            for (i, f) in law.facts.iter().enumerate() {
                if partial && rng.below(3) == 0 {
                    continue;
                }
                s.set(i, rng.below(f.domain_size() as u64) as usize);
            }
            s
        })
        .collect()
}

/// The static questionnaire: every fact some rule reads.
pub fn static_questions(law: &Law) -> usize {
    law.facts
        .iter()
        .filter(|f| law.rules.iter().any(|r| r.when_src.contains(f.id.as_str())))
        .count()
}

/// The interview replayed on one case: every situation it goes through,
/// in order, from nothing known to the one the decision ends (a fact the
/// case leaves out is answered « je ne sais pas »).
pub fn interview_steps(law: &Law, full: &Situation) -> Vec<Situation> {
    let mut s = Situation::unknown(law, full.as_of);
    s.as_of_given = full.as_of_given;
    let mut skipped = Vec::new();
    let mut steps = Vec::new();
    loop {
        steps.push(s.clone());
        match law.next_skipping(&s, &skipped) {
            Next::Decided(_) => return steps,
            Next::Ask(f) => {
                let i = law.fact_idx(&f.id).expect("asked fact exists");
                match full.value(i) {
                    Some(v) => s.set(i, v),
                    None => skipped.push(i),
                }
            }
        }
    }
}

/// The questions asked until a verdict in the interview of one case.
pub fn interview_questions(law: &Law, full: &Situation) -> usize {
    interview_steps(law, full).len() - 1
}

/// Every distinct situation the interviews of the reference cases go
/// through (the first, nothing known, is shared by all of them): the steps
/// of the interview bench.
pub fn interview_states(law: &Law) -> Vec<Situation> {
    let mut seen = std::collections::HashSet::new();
    reference_situations(law)
        .iter()
        .flat_map(|full| interview_steps(law, full))
        .filter(|s| seen.insert(s.clone()))
        .collect()
}

/// One line of the interview table.
pub struct InterviewRow {
    pub case: String,
    pub asked: usize,
}

/// The interview on every reference case, and the static questionnaire's length.
pub fn interview_table(law: &Law) -> (Vec<InterviewRow>, usize) {
    let rows = reference_cases()
        .into_iter()
        .map(|c| {
            let full = law
                .parse_situation(&c.situation, today())
                .expect("valid case");
            InterviewRow {
                asked: interview_questions(law, &full),
                case: c.id,
            }
        })
        .collect();
    (rows, static_questions(law))
}
