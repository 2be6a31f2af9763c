//! Shared by the law's tests: the YAML cases of tests/cases/ and how a
//! decision is checked against a case's expectations (the same rules as
//! the guide's hook: every `*_includes` item present, every `*_exclude`
//! item absent, a basis for every verdict but `undetermined`).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use sceau_engine::{Decision, Law};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Case {
    pub id: String,
    pub source: String,
    pub situation: serde_json::Value,
    pub expect: Expect,
    #[serde(skip)]
    pub file: String,
}

/// Unknown expectation keys are caught by `key`, which panics on them.
#[derive(Debug, Deserialize)]
pub struct Expect {
    pub verdict: String,
    #[serde(flatten)]
    pub lists: BTreeMap<String, Vec<String>>,
}

pub fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases")
}

/// Every case of every YAML file in tests/cases/.
pub fn all_cases() -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        let mut cases: Vec<Case> =
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        for c in &mut cases {
            c.file = name.clone();
        }
        out.extend(cases);
    }
    out
}

pub fn field<'a>(d: &'a Decision, name: &str) -> &'a [String] {
    match name {
        "basis" => &d.basis,
        "duties" => &d.duties,
        "conditions" => &d.conditions,
        "warnings" => &d.warnings,
        "case_law" => &d.case_law,
        "missing" => &d.missing,
        "next_steps" => &d.next_steps,
        other => panic!("unknown field {other}"),
    }
}

/// `basis_includes` → ("basis", true); `warnings_exclude` → ("warnings", false).
fn key(k: &str) -> (&'static str, bool) {
    let include = k.ends_with("_includes") || k.ends_with("_include");
    let stem = k
        .trim_end_matches("_includes")
        .trim_end_matches("_include")
        .trim_end_matches("_exclude");
    let f = match stem {
        "basis" => "basis",
        "duties" => "duties",
        "conditions" => "conditions",
        "warnings" => "warnings",
        "case_law" => "case_law",
        "missing" => "missing",
        "next_steps" => "next_steps",
        other => panic!("unknown expectation key {other}"),
    };
    (f, include)
}

/// Whether the answer's item `have` is the expected `item`. In `basis`, an
/// article named without a paragraph (`csp:L1111-2`) is named by any of
/// its paragraphs (`csp:L1111-2:II`): the contract's identifiers are
/// `<code>:<article>[:<paragraph>]`, so a case written at the article's
/// level is satisfied by, and for a ban excludes, each paragraph of it.
fn names(field: &str, have: &str, item: &str) -> bool {
    have == item
        || (field == "basis"
            && item.matches(':').count() == 1
            && have
                .strip_prefix(item)
                .is_some_and(|rest| rest.starts_with(':')))
}

pub const TODAY: (i32, u32, u32) = (2026, 11, 24);

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

/// Problems of a decision against a case's expectations (empty: passes).
pub fn check(law: &Law, case: &Case) -> Vec<String> {
    let s = match law.parse_situation(&case.situation, today()) {
        Ok(s) => s,
        Err(e) => return vec![format!("invalid situation: {}", e.message_en)],
    };
    let d = law.decide(&s);
    let mut problems = Vec::new();
    if d.verdict.as_str() != case.expect.verdict {
        problems.push(format!(
            "verdict {} != {}",
            d.verdict.as_str(),
            case.expect.verdict
        ));
    }
    for (k, items) in &case.expect.lists {
        let (f, include) = key(k);
        let have = field(&d, f);
        for item in items {
            let found = have.iter().any(|h| names(f, h, item));
            if include && !found {
                problems.push(format!("{f} lacks {item} (has {have:?})"));
            }
            if !include && found {
                problems.push(format!("{f} must not contain {item}"));
            }
        }
    }
    if d.verdict.as_str() != "undetermined" && d.basis.is_empty() {
        problems.push("empty basis".into());
    }
    problems
}

#[derive(Debug, Deserialize)]
pub struct Disagreement {
    pub id: String,
    pub answer: String,
    pub reason: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
struct DisagreementsFile {
    disagreement: Vec<Disagreement>,
}

/// The blind cases the rules answer differently, with the reason
/// (tests/cases/blind-disagreements.toml).
pub fn blind_disagreements() -> Vec<Disagreement> {
    let text = std::fs::read_to_string(cases_dir().join("blind-disagreements.toml"))
        .expect("tests/cases/blind-disagreements.toml");
    toml::from_str::<DisagreementsFile>(&text)
        .expect("valid TOML")
        .disagreement
}

/// A proptest runner with a fixed seed and no persistence file: the same
/// cases on every run and machine.
pub fn runner(cases: u32) -> proptest::test_runner::TestRunner {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}
