//! `qualities`: conditions on a quality rewritten over the label, labels
//! narrowed by the qualities given, presumptions.

use super::{date, edited, law, problems, situation};
use crate::load::LoadError;

#[test]
fn a_condition_on_a_quality_reads_the_label_instead() {
    let law = law();
    let (recipient, judicial) = (
        law.fact_idx("recipient").unwrap(),
        law.fact_idx("recipient_judicial").unwrap(),
    );
    let (danger, tried) = (
        law.fact_idx("danger").unwrap(),
        law.fact_idx("tried").unwrap(),
    );
    let reads = law.rule("danger").unwrap().when.reads();
    assert_eq!(reads, 1 << recipient | 1 << danger | 1 << tried);
    assert_eq!(reads & 1 << judicial, 0);
}

#[test]
fn a_quality_given_narrows_the_label_or_contradicts_it() {
    let law = law();
    let recipient = law.fact_idx("recipient").unwrap();
    let judicial = law.fact_idx("recipient_judicial").unwrap();
    let mut s = situation(&law, date(2022, 1, 1), &[("recipient_judicial", "false")]);
    assert_eq!(law.qualities.restrict(&mut s.masks), Ok(()));
    // Only `family` (value 1) is not a judicial authority.
    assert_eq!(s.masks[recipient], 0b10);
    let mut s = situation(
        &law,
        date(2022, 1, 1),
        &[("recipient", "judge"), ("recipient_judicial", "false")],
    );
    assert_eq!(law.qualities.restrict(&mut s.masks), Err(judicial));
}

#[test]
fn a_presumption_fills_an_unknown_fact_only() {
    let law = law();
    let danger = law.fact_idx("danger").unwrap();
    let consent = law.fact_idx("consent").unwrap();
    // A disclosure for care is not presumed to face a danger.
    let mut s = situation(&law, date(2022, 1, 1), &[("purpose", "care")]);
    assert_eq!(law.qualities.presume(&mut s.masks), 1 << danger);
    assert_eq!(s.masks[danger], 0b01);
    // Not for a report, and never over a fact given.
    let mut s = situation(&law, date(2022, 1, 1), &[("purpose", "report")]);
    assert_eq!(law.qualities.presume(&mut s.masks), 0);
    let mut s = situation(
        &law,
        date(2022, 1, 1),
        &[
            ("purpose", "care"),
            ("danger", "true"),
            ("secret_asked", "true"),
        ],
    );
    assert_eq!(law.qualities.presume(&mut s.masks), 1 << consent);
    assert_eq!((s.masks[danger], s.masks[consent]), (0b10, 0b01));
}

#[test]
fn a_value_unknown_to_the_label_is_reported_in_qualities_toml() {
    let files = edited("qualities.toml", |t| {
        t.replace("yes = [\"judge\"]", "yes = [\"judges\"]")
    });
    assert_eq!(
        problems(&files),
        vec![LoadError {
            file: "qualities.toml".into(),
            line: 2,
            message:
                "quality `recipient_judicial`: `judges` in `yes` is not a value of `recipient`"
                    .into(),
        }]
    );
}

#[test]
fn a_presumption_can_rule_a_value_out_and_leave_the_others_open() {
    let files = edited("qualities.toml", |t| {
        format!(
            "{t}\n[[presumption]]\nfact = \"actor\"\nexcludes = [\"student\"]\npurposes = [\"care\"]\nexplanation = \"Pas un étudiant.\"\n"
        )
    });
    let law = crate::load::load(&files).expect("loads");
    let actor = law.fact_idx("actor").unwrap();
    let danger = law.fact_idx("danger").unwrap();
    let mut s = situation(&law, date(2022, 1, 1), &[("purpose", "care")]);
    assert_eq!(
        law.qualities.presume(&mut s.masks),
        1 << danger | 1 << actor
    );
    // `student` (value 1) is ruled out; `kine` is left.
    assert_eq!(s.masks[actor], 0b01);
    // A value given wins, and another purpose presumes nothing.
    let mut s = situation(
        &law,
        date(2022, 1, 1),
        &[("purpose", "care"), ("actor", "student")],
    );
    assert_eq!(law.qualities.presume(&mut s.masks), 1 << danger);
    assert_eq!(s.masks[actor], 0b10);
    let mut s = situation(&law, date(2022, 1, 1), &[("purpose", "report")]);
    assert_eq!(law.qualities.presume(&mut s.masks), 0);
    // The answer's entry names what was ruled out, and no value.
    let p = law.qualities.presumptions.last().unwrap();
    let entry = crate::decision::Presumed::of(&law.facts[actor], p);
    assert_eq!(
        (entry.value, entry.excluded),
        (None, vec!["student".to_string()])
    );
}

#[test]
fn a_presumption_that_rules_out_every_value_or_names_none_is_refused() {
    for bad in [
        "excludes = [\"kine\", \"student\"]",
        "excludes = [\"teacher\"]",
        "excludes = []",
    ] {
        let files = edited("qualities.toml", |t| {
            format!("{t}\n[[presumption]]\nfact = \"actor\"\n{bad}\nexplanation = \"x\"\n")
        });
        let p = problems(&files);
        assert!(
            p.iter().any(|e| e.message.contains("`excludes`")),
            "{bad}: {p:?}"
        );
    }
}
