//! `load`: every problem of the corpus with its file and line.

use super::{edited, files, problems};
use crate::load::{load, LoadError};

fn one(file: &str, line: usize, message: &str) -> Vec<LoadError> {
    vec![LoadError {
        file: file.into(),
        line,
        message: message.into(),
    }]
}

#[test]
fn an_unknown_fact_is_reported_on_its_line_inside_a_long_condition() {
    let files = edited("rules/t.toml", |t| {
        t.replace("and tried\"\"\"", "and tired\"\"\"")
    });
    assert_eq!(
        problems(&files),
        one("rules/t.toml", 28, "rule `danger`: unknown fact `tired`")
    );
}

#[test]
fn a_value_not_of_the_fact_is_reported_with_the_accepted_ones() {
    let files = edited("rules/t.toml", |t| {
        t.replace("when = \"consent\"", "when = \"recipient = police\"")
    });
    assert_eq!(
        problems(&files),
        one(
            "rules/t.toml",
            14,
            "rule `consent`: `police` is not a value of `recipient` (accepted: judge, family)"
        )
    );
}

#[test]
fn a_bad_date_and_a_bad_verdict_are_reported_on_their_rule() {
    let files = edited("rules/t.toml", |t| {
        t.replace("valid_from = \"2021-01-01\"", "valid_from = \"2021-13-01\"")
            .replace("verdict = \"refer\"", "verdict = \"maybe\"")
    });
    let p = problems(&files);
    assert_eq!(
        p,
        vec![
            LoadError {
                file: "rules/t.toml".into(),
                line: 20,
                message: "`valid_from` must be a date YYYY-MM-DD".into(),
            },
            LoadError {
                file: "rules/t.toml".into(),
                line: 42,
                message: "rule `student-refers`: verdict `maybe` is not one of allowed, forbidden, not_required, refer, not_covered".into(),
            },
        ]
    );
}

#[test]
fn a_fact_declared_twice_and_a_missing_file_are_reported() {
    let mut files = edited("facts.toml", |t| {
        format!("{t}\n[[fact]]\nid = \"danger\"\ntype = \"bool\"\nquestion = \"?\"\nhelp = \"\"\nquestion_en = \"?\"\n")
    });
    files.retain(|f| f.path != "case_law.toml");
    let p = problems(&files);
    assert_eq!(
        p,
        vec![
            LoadError {
                file: "facts.toml".into(),
                line: 82,
                message: "fact `danger` is declared twice".into(),
            },
            LoadError {
                file: "case_law.toml".into(),
                line: 1,
                message: "file is missing".into(),
            },
        ]
    );
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let files = edited("facts.toml", |t| {
        t.replace("id = \"danger\"", "id = danger\"")
    });
    let p = problems(&files);
    assert_eq!((p[0].file.as_str(), p[0].line), ("facts.toml", 62), "{p:?}");
    // Without facts, every condition naming one is refused too.
    assert!(p[1..].iter().all(|e| e.file != "facts.toml"), "{p:?}");
}

#[test]
fn a_precedence_cycle_is_reported() {
    let files = edited("rules/t.toml", |t| {
        t.replace(
            "verdict = \"allowed\"\ndefeats = [\"base\"]\nexplanation = \"Le danger",
            "verdict = \"allowed\"\ndefeats = [\"base\", \"student-refers\"]\nexplanation = \"Le danger",
        )
    });
    assert_eq!(
        problems(&files),
        one(
            "rules/t.toml",
            20,
            "precedence cycle: danger ← student-refers defeats … danger"
        )
    );
}

#[test]
fn a_yes_no_fact_gets_its_two_answers() {
    let law = load(&files()).unwrap();
    let f = law.fact("consent").unwrap();
    let answers: Vec<(&str, &str, &str)> = f
        .choices
        .iter()
        .map(|c| (c.value.as_str(), c.label.as_str(), c.label_en.as_str()))
        .collect();
    assert_eq!(answers, [("false", "Non", "No"), ("true", "Oui", "Yes")]);
}

#[test]
fn only_an_annotation_can_be_shown_while_unknown() {
    let files = edited("rules/t.toml", |t| {
        t.replace(
            "when = \"consent\"\nverdict = \"allowed\"",
            "when = \"consent\"\nverdict = \"allowed\"\nshown_while_unknown = true",
        )
    });
    assert_eq!(
        problems(&files),
        one(
            "rules/t.toml",
            10,
            "rule `consent`: only an annotation (no verdict) can have `shown_while_unknown`"
        )
    );
}
