//! The self-audit checklist (`law/audit.toml`) and its report: every point
//! cites articles of the corpus, the report lists the actions with their
//! articles, compares with the previous audit, and reads back from the PDF.

use std::collections::HashMap;
use std::process::Command;

use chrono::NaiveDate;
use sceau_documents::audit::{compare, report, Answer, AuditRecord, Change, Checklist};

fn record(number: i64, day: u32, answers: &[(&str, Answer)]) -> AuditRecord {
    AuditRecord {
        number,
        date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
        author: "Claire Martin".into(),
        practice: "Cabinet des Lilas".into(),
        answers: answers
            .iter()
            .map(|(p, a)| (p.to_string(), (*a, None)))
            .collect::<HashMap<_, _>>(),
    }
}

fn all(c: &Checklist, a: Answer) -> Vec<(&str, Answer)> {
    c.point.iter().map(|p| (p.id.as_str(), a)).collect()
}

#[test]
fn every_point_cites_articles_of_the_corpus() {
    let c = Checklist::builtin();
    let law = sceau_law::law();
    assert!(c.point.len() >= 15, "{} points", c.point.len());
    assert_eq!(c.unknown_citations(law), vec![]);
    // the three articles the issue names are all applied
    for art in ["csp:R4321-114", "csp:R4321-115", "csp:R4321-116"] {
        assert!(
            c.point.iter().any(|p| p.cites.iter().any(|x| x == art)),
            "{art}"
        );
    }
    // the themes of the guide: premises, shared premises, staff, documents, home visits
    for s in ["locaux", "partage", "personnel", "documents", "domicile"] {
        assert!(c.points_of(s).count() >= 2, "section {s}");
    }
    for p in &c.point {
        assert!(p.question.ends_with('?'), "{}: a question", p.id);
        assert!(
            !p.action.trim().is_empty() && !p.help.trim().is_empty(),
            "{}",
            p.id
        );
    }
}

#[test]
fn a_citation_outside_the_corpus_is_reported() {
    let text = r#"
version = "x"
[[section]]
id = "s"
title = "S"
[[point]]
id = "p"
section = "s"
question = "Q ?"
help = "h"
cites = ["csp:R9999-1"]
action = "a"
"#;
    let c = Checklist::parse(text).unwrap();
    assert_eq!(
        c.unknown_citations(sceau_law::law()),
        vec![("p".to_string(), "csp:R9999-1".to_string())]
    );
    assert!(Checklist::parse(&text.replace("section = \"s\"", "section = \"t\"")).is_err());
}

#[test]
fn comparison_sorts_points_into_improved_regressed_unchanged() {
    let c = Checklist::builtin();
    let mut first = all(c, Answer::Oui);
    first[0].1 = Answer::Non; // locaux_occultation: non → oui
    first[4].1 = Answer::SansObjet; // partage_bureaux: sans objet → non
    let mut second = all(c, Answer::Oui);
    second[4].1 = Answer::Non;
    second[9].1 = Answer::Non; // documents_sessions: oui → non
    let a = record(1, 2, &first);
    let b = record(2, 24, &second);
    let cmp = compare(c, &b, &a);
    assert_eq!(cmp.of(Change::Improved), vec![c.point[0].id.as_str()]);
    assert_eq!(cmp.of(Change::Regressed), vec![c.point[9].id.as_str()]);
    assert_eq!(cmp.of(Change::Other), vec![c.point[4].id.as_str()]);
    assert_eq!(cmp.of(Change::Unchanged).len(), c.point.len() - 3);
}

fn norm(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("sceau-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("audit.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&p)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    let _ = std::fs::remove_dir_all(&dir);
    norm(&String::from_utf8(out.stdout).unwrap())
}

#[test]
fn report_lists_actions_with_articles_and_the_difference() {
    let c = Checklist::builtin();
    let law = sceau_law::law();
    let mut first = all(c, Answer::Oui);
    first[0].1 = Answer::Non;
    let mut second = all(c, Answer::Oui);
    second[6].1 = Answer::Non; // personnel_instruit
    let a = record(1, 2, &first);
    let mut b = record(2, 24, &second);
    b.answers.get_mut("documents_ecrans").unwrap().1 = Some("filtre posé à l’accueil".into());
    let doc = report(law, c, &b, Some(&a));
    let text = norm(&doc.to_text());
    assert!(text.contains("Audit n° 2"), "{text}");
    assert!(text.contains("24 novembre 2026"));
    assert!(
        text.contains(&norm(&c.point[6].action)),
        "the action of the « non »"
    );
    assert!(
        !text.contains(&norm(&c.point[0].action)),
        "no action for a « oui »"
    );
    assert!(text.contains("Points améliorés (1)"), "{text}");
    assert!(text.contains("Points en recul (1)"), "{text}");
    assert!(text.contains("Commentaire : filtre posé"));
    assert!(text.contains("art. R. 4321-115 du code de la santé publique"));
    let pdf = sceau_documents::pdf::render(&doc).expect("PDF");
    let t = pdf_text(&pdf);
    for needle in [
        "Audit du secret professionnel au cabinet",
        "Actions à mener",
        "Évolution depuis l’audit n° 1 du 2 novembre 2026",
        "Points améliorés",
        "Points en recul",
        "Les personnes qui vous assistent",
        "art. R. 4321-115 du code de la santé publique",
        "Article R. 4321-114 :",
        "Claire Martin",
    ] {
        assert!(t.contains(needle), "PDF lacks {needle:?}: {t}");
    }
    // a first audit has nothing to compare with
    let first_doc = norm(&report(law, c, &a, None).to_text());
    assert!(first_doc.contains("Premier audit du cabinet"));
}
