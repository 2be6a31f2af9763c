//! `decision`: the contract's output and its explanation, and the compiled
//! law deciding as the reference does.

use super::{date, law, situation};
use crate::law::Verdict;
use crate::masks::branches;
use crate::reference;

#[test]
fn a_decision_explains_itself_from_the_rules_sentences() {
    let law = law();
    let s = situation(
        &law,
        date(2022, 1, 1),
        &[("actor", "kine"), ("consent", "true")],
    );
    let d = law.decide(&s);
    assert_eq!(d.verdict, Verdict::Allowed);
    assert_eq!(d.basis, ["t:2"]);
    assert_eq!(d.conditions, ["only_necessary"]);
    assert_eq!(d.next_steps, ["tell_patient"]);
    assert_eq!(
        d.reasons,
        ["Le patient consent.", "Ne dites que le nécessaire."]
    );
    assert_eq!(
        d.explanation,
        "Vous pouvez le dire.
Ce que vous pouvez faire :
– Prévenir le patient (art. 2)
Le patient consent.
Ne dites que le nécessaire.
Conditions :
– Ne dire que le nécessaire
Textes appliqués au 1er janvier 2022 :
– art. 2 (version en vigueur depuis le 1er janvier 2021)
"
    );
}

#[test]
fn an_undetermined_decision_names_the_verdicts_and_the_question() {
    let law = law();
    let s = situation(&law, date(2022, 1, 1), &[("actor", "kine")]);
    let d = law.decide(&s);
    assert_eq!(d.verdict, Verdict::Undetermined);
    assert_eq!(d.possible_verdicts, [Verdict::Allowed, Verdict::Forbidden]);
    assert_eq!(d.missing, ["consent", "recipient", "danger", "tried"]);
    assert_eq!(
        d.explanation,
        "Il manque des éléments pour répondre.
Selon les faits encore inconnus, la réponse pourrait être : « Vous pouvez le dire », « Vous ne devez pas le dire ».
Question la plus décisive : Le patient consent-il ?
"
    );
}

#[test]
fn the_trace_says_why_a_rule_is_not_in_force() {
    let law = law();
    let s = situation(
        &law,
        date(2020, 6, 1),
        &[("actor", "kine"), ("consent", "false")],
    );
    let d = law.decide(&s);
    let danger = d.trace.iter().find(|t| t.rule == "danger").unwrap();
    assert_eq!(danger.outcome, "not_applicable");
    assert_eq!(
        danger.note.as_deref(),
        Some("règle applicable à partir du 1er janvier 2021")
    );
    let secret = d.trace.iter().find(|t| t.rule == "secret").unwrap();
    assert_eq!((secret.outcome, secret.note.as_deref()), ("applied", None));
    // The article in force then was partial.
    assert_eq!(d.verdict, Verdict::Forbidden);
    assert!(d.explanation.ends_with(
        "Textes appliqués au 1er juin 2020 :\n– art. 1 (version en vigueur, date d’entrée en vigueur non précisée)\n"
    ));
}

#[test]
fn a_decision_holds_the_prepared_trace_by_one_shared_pointer() {
    let law = law();
    let s = situation(&law, date(2022, 1, 1), &[("actor", "kine")]);
    let table = &law.pieces().trace;
    let before = std::sync::Arc::strong_count(table);
    let d = law.decide(&s);
    // One reference for the whole trace, not one per rule.
    assert_eq!(std::sync::Arc::strong_count(table), before + 1);
    assert_eq!(d.trace.len(), law.rules.len());
    assert!(d
        .trace
        .iter()
        .all(|e| table.iter().any(|t| std::ptr::eq(t, e))));
    // The same entries, and the same JSON, as the trace made for the
    // reference rendering.
    let r = reference::decide(&law, &s);
    assert_eq!(d.trace, r.trace);
    assert_eq!(
        serde_json::to_string(&d.trace).unwrap(),
        serde_json::to_string(&r.trace).unwrap()
    );
    drop(d);
    assert_eq!(std::sync::Arc::strong_count(table), before);
}

#[test]
fn a_presumption_that_carries_the_answer_is_listed() {
    let law = law();
    let s = situation(
        &law,
        date(2022, 1, 1),
        &[
            ("actor", "kine"),
            ("secret_asked", "true"),
            ("purpose", "care"),
        ],
    );
    let d = law.decide(&s);
    assert_eq!(d.verdict, Verdict::Forbidden);
    let presumed: Vec<(&str, &str)> = d
        .presumed
        .iter()
        .map(|p| (p.fact.as_str(), p.value.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(presumed, [("consent", "false"), ("danger", "false")]);
    assert!(d.explanation.contains(
        "Présumé, faute d’indication contraire :\n– Le patient a demandé le secret.\n– Un soin ne suppose pas de danger.\n"
    ));
}

/// Every partial situation of the small law (each fact unknown or set to
/// one value), on both sides of its change of law.
fn every_situation(f: usize, masks: [u32; 64], out: &mut Vec<[u32; 64]>, facts: usize) {
    if f == facts {
        out.push(masks);
        return;
    }
    every_situation(f + 1, masks, out, facts);
    for m in branches(&masks, f) {
        every_situation(f + 1, m, out, facts);
    }
}

/// `law`'s compiled decision on every situation of `day` is the reference's.
fn compiled_decides_as_reference(law: &crate::law::Law, day: chrono::NaiveDate) {
    let unknown = crate::situation::Situation::unknown(law, day);
    let mut all = Vec::new();
    every_situation(0, unknown.masks, &mut all, law.facts.len());
    assert_eq!(all.len(), 3usize.pow(law.facts.len() as u32));
    for masks in all {
        let mut s = unknown.clone();
        s.masks = masks;
        assert_eq!(
            law.decide(&s),
            reference::decide(law, &s),
            "{:?}",
            s.known(law)
        );
    }
}

#[test]
fn the_compiled_law_decides_as_the_reference_on_every_situation() {
    let law = law();
    for day in [date(2020, 6, 1), date(2022, 1, 1)] {
        compiled_decides_as_reference(&law, day);
    }
}

/// The small law with an annotation on `consent` shown unless `danger` is
/// known: a duty worded on a fact that never changes the verdict.
fn law_with_annotation_shown_while_unknown() -> crate::law::Law {
    let files = super::edited("rules/t.toml", |t| {
        format!(
            "{t}
[[rule]]
id = \"consent-unless-danger\"
cites = [\"t:2\"]
attaches_to = [\"consent\"]
when = \"not danger\"
shown_while_unknown = true
duties = [\"try_first\"]
explanation = \"Sauf danger, essayez d’abord le reste.\"
"
        )
    });
    crate::load::load(&files).expect("the edited law loads")
}

#[test]
fn an_annotation_shown_while_unknown_is_hidden_only_when_its_condition_is_false() {
    let law = law_with_annotation_shown_while_unknown();
    let duties = |facts: &[(&str, &str)]| {
        let mut all = vec![("actor", "kine"), ("consent", "true")];
        all.extend_from_slice(facts);
        let d = law.decide(&situation(&law, date(2022, 1, 1), &all));
        assert_eq!(d.verdict, Verdict::Allowed);
        d.duties
    };
    assert_eq!(duties(&[]), ["try_first"], "danger unknown: shown");
    assert_eq!(duties(&[("danger", "false")]), ["try_first"]);
    assert!(
        duties(&[("danger", "true")]).is_empty(),
        "ruled out: hidden"
    );
    // The reading of the unknown fact never makes the engine ask it.
    let d = law.decide(&situation(
        &law,
        date(2022, 1, 1),
        &[("actor", "kine"), ("consent", "true")],
    ));
    assert!(d.missing.is_empty(), "{:?}", d.missing);
}

#[test]
fn the_compiled_law_shows_annotations_while_unknown_as_the_reference() {
    let law = law_with_annotation_shown_while_unknown();
    compiled_decides_as_reference(&law, date(2022, 1, 1));
}

#[test]
fn the_date_is_written_as_chrono_writes_it() {
    // Hand-written digits for years of four digits, chrono's format for
    // the others: both give `%Y-%m-%d`.
    let dates = [
        chrono::NaiveDate::MIN,
        date(-5, 3, 9),
        date(0, 1, 1),
        date(7, 12, 31),
        date(999, 10, 10),
        date(1000, 1, 1),
        date(2026, 11, 30),
        date(9999, 12, 31),
        date(10000, 1, 1),
        chrono::NaiveDate::MAX,
    ];
    for d in dates {
        let mut out = String::from("x");
        crate::pieces::iso_date(&mut out, d);
        assert_eq!(out, format!("x{}", d.format("%Y-%m-%d")), "{d:?}");
    }
}

#[test]
fn a_text_is_escaped_as_serde_json_escapes_it() {
    let mut texts: Vec<String> = (0u8..0x80).map(|b| format!("a{}b", b as char)).collect();
    texts.push("Textes appliqués au 1er décembre 2026\u{a0}:\n".to_string());
    texts.push("« guillemets\u{202f}» \"cités\" \\ fin\t\r\u{7f}\u{1f}".to_string());
    texts.push(String::new());
    for text in texts {
        let literal = serde_json::to_string(&text).unwrap();
        let mut out = String::new();
        crate::output::push_escaped(&mut out, &text);
        assert_eq!(out, literal[1..literal.len() - 1], "{text:?}");
    }
}
