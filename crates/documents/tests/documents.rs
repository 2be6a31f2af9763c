//! The documents, end to end through the library: decided by the engine,
//! checked, drafted, rendered to PDF and read back with a real PDF reader
//! (`pdftotext`, Debian package poppler-utils).

use std::path::PathBuf;
use std::process::Command;

use chrono::NaiveDate;
use sceau_documents::expertise::{checklist, ExpertiseForm};
use sceau_documents::requisition::{self, RequisitionForm};
use sceau_documents::{check, draft, Directory, Field, ItemRef, Refusal, ReportForm};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn form_text(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/forms")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn form(name: &str) -> ReportForm {
    ReportForm::from_json_str(&form_text(name)).expect("valid form")
}

/// Text of a PDF as pdftotext extracts it, with spaces normalised.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempdir();
    let p = dir.join("doc.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&p)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (Debian package poppler-utils)");
    assert!(out.status.success(), "pdftotext failed");
    normalise(&String::from_utf8(out.stdout).expect("utf-8"))
}

fn pdf_pages(pdf: &[u8]) -> usize {
    let dir = tempdir();
    let p = dir.join("doc.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = Command::new("pdfinfo")
        .arg(&p)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let s = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(s.contains("595.28 x 841.89"), "A4: {s}");
    s.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

fn normalise(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "sceau-documents-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn assert_letter_sections(text: &str) {
    for needle in [
        "RPPS",
        "Constatations",
        "Propos recueillis",
        "Fondement légal",
        "Fait à",
        "Signature",
        "24 novembre 2026",
    ] {
        assert!(text.contains(needle), "missing « {needle} » in:\n{text}");
    }
}

#[test]
fn couple_3_without_consent_to_the_procureur() {
    let law = sceau_law::law();
    let f = form("couple-3-sans-accord.json");
    assert!(check(&f).is_empty(), "{:?}", check(&f));
    let d = draft(law, &f, &Directory::builtin(), today()).expect("3° applies");
    assert_eq!(d.derogation.paragraphs, vec![3]);
    assert_eq!(d.recipient.kind, "procureur");
    assert!(d
        .pending_duties
        .contains(&"inform_victim_of_report".to_string()));
    let pdf = d.pdf().unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    assert_letter_sections(&text);
    for needle in [
        "Jeanne Martin",
        "RPPS : 10101010101",
        "Madame, Monsieur le procureur de la République",
        "Tribunal judiciaire de Lyon",
        "Lyon, le 24 novembre 2026",
        "Mme Dubois déclare : « Il a serré mon cou jusqu’à ce que je ne respire plus. »",
        "Le 23 novembre 2026, Mme Dubois m’a déclaré : « J’ai peur qu’il me tue si je pars »",
        "Lors de la séance du 23 novembre 2026, j’ai constaté",
        "Ecchymoses violacées de 3 cm",
        "article 226-14, 3°, du code pénal",
        "danger immédiat",
        "emprise",
        "sera informée de ce signalement",
        "Mme Claire Dubois, née le 12 mars 1988",
    ] {
        assert!(text.contains(needle), "missing « {needle} » in:\n{text}");
    }
    // The duties are for the professional, not in the letter.
    assert!(!text.contains("Suites à donner"));
    assert!(!text.contains("S’efforcer d’obtenir"));
    assert!(d
        .follow_up
        .iter()
        .any(|l| l.contains("informer la victime")));
    assert!(d.follow_up.iter().any(|l| l.contains("annuaire d’exemple")));
    // The plain text says the same.
    let txt = normalise(&d.text());
    assert!(txt.contains("Mme Dubois déclare : « Il a serré mon cou"));
    assert!(
        d.text().contains("Objet\u{a0}:"),
        "non-breaking space before the colon"
    );
}

#[test]
fn minor_to_the_crip() {
    let law = sceau_law::law();
    let f = form("mineur-crip.json");
    let d = draft(law, &f, &Directory::builtin(), today()).expect("1°/2° apply");
    assert!(d.derogation.paragraphs.contains(&2));
    assert_eq!(d.recipient.kind, "crip");
    let text = pdf_text(&d.pdf().unwrap());
    assert_letter_sections(&text);
    for needle in [
        "Information préoccupante concernant Léa Morel",
        "informations préoccupantes (CRIP)",
        "Léa Morel déclare : « Papa il tape avec la ceinture",
        "La personne qui accompagne Léa Morel (sa grand-mère) déclare",
        "S’agissant d’un mineur, son accord n’est pas nécessaire",
        "Article 226-14, 2° :",
    ] {
        assert!(text.contains(needle), "missing « {needle} » in:\n{text}");
    }
}

#[test]
fn weapon_to_the_prefet_de_police_in_paris() {
    let law = sceau_law::law();
    let f = form("arme-prefet.json");
    let d = draft(law, &f, &Directory::builtin(), today()).expect("4° applies");
    assert_eq!(d.derogation.paragraphs, vec![4]);
    let pdf = d.pdf().unwrap();
    let text = pdf_text(&pdf);
    assert_letter_sections(&text);
    for needle in [
        "Monsieur le préfet de police",
        "article 226-14, 4°, du code pénal",
        "M. Leroy déclare : « J’ai une carabine",
    ] {
        assert!(text.contains(needle), "missing « {needle} » in:\n{text}");
    }
    let pages = pdf_pages(&pdf);
    assert!(pages <= 2);
    if pages > 1 {
        let t = text.replace(' ', "");
        assert!(t.contains("1/2") && t.contains("2/2"), "page numbers");
    }
}

#[test]
fn no_derogation_no_document() {
    let law = sceau_law::law();
    let f = form("sans-derogation.json");
    match draft(law, &f, &Directory::builtin(), today()) {
        Err(Refusal::NoDerogation { options, .. }) => {
            let all = options.join(" ");
            for needle in [
                "3919",
                "médecin traitant",
                "conseil départemental de l’ordre",
                "attestation",
            ] {
                assert!(all.contains(needle), "missing {needle} in {all}");
            }
        }
        other => panic!("expected a refusal, got {:?}", other.map(|d| d.derogation)),
    }
}

#[test]
fn a_report_declared_to_hold_needless_information_is_refused_with_the_way_forward() {
    let law = sceau_law::law();
    let mut f = form("mineur-crip.json");
    let ok = draft(law, &f, &Directory::builtin(), today());
    assert!(ok.is_ok(), "the same report without surplus is produced");
    f.situation["info_strictly_necessary"] = serde_json::Value::Bool(false);
    match draft(law, &f, &Directory::builtin(), today()) {
        Err(r @ Refusal::DeclaredUnnecessary { .. }) => {
            let m = r.message_fr();
            assert!(m.contains("Retirez-les"), "{m}");
        }
        other => panic!(
            "expected the surplus refusal, got {:?}",
            other.map(|d| d.derogation)
        ),
    }
}

#[test]
fn needless_parts_block_the_report_until_removed() {
    let law = sceau_law::law();
    let mut f = form("couple-superflu.json");
    let flags = check(&f);
    let flagged: Vec<(Field, usize)> = flags.iter().map(|x| (x.field, x.index)).collect();
    // Every needless part is flagged, the needed ones are not.
    for (field, i) in [
        (Field::Observations, 1),
        (Field::Statements, 1),
        (Field::Context, 0),
        (Field::Context, 1),
        (Field::Context, 2),
        (Field::Context, 3),
        (Field::Context, 4),
        (Field::Context, 5),
    ] {
        assert!(
            flagged.contains(&(field, i)),
            "{field:?}[{i}] not flagged: {flags:?}"
        );
    }
    for (field, i) in [
        (Field::Observations, 0),
        (Field::Statements, 0),
        (Field::Context, 6),
    ] {
        assert!(
            !flagged.contains(&(field, i)),
            "{field:?}[{i}] flagged: {flags:?}"
        );
    }
    let kinds: Vec<&str> = flags
        .iter()
        .flat_map(|x| x.kinds.iter().map(String::as_str))
        .collect();
    for k in [
        "alleged_author",
        "hearsay",
        "medical_history",
        "unrelated_diagnosis",
        "family_members",
        "opinion",
        "social_details",
    ] {
        assert!(kinds.contains(&k), "kind {k} missing: {kinds:?}");
    }
    assert!(matches!(
        draft(law, &f, &Directory::builtin(), today()),
        Err(Refusal::Flagged { .. })
    ));
    // Confirming one part lets it through; the others still block.
    f.confirmed.push(ItemRef {
        field: Field::Context,
        index: 2,
    });
    match draft(law, &f, &Directory::builtin(), today()) {
        Err(Refusal::Flagged { flags }) => assert_eq!(flags.len(), flagged.len() - 1),
        _ => panic!("still flagged"),
    }
    // Remove every flagged part.
    f.confirmed.clear();
    f.observations.remove(1);
    f.statements.remove(1);
    f.context = vec![f.context[6].clone()];
    assert!(check(&f).is_empty(), "{:?}", check(&f));
    let d = draft(law, &f, &Directory::builtin(), today()).expect("2° with consent");
    assert_eq!(d.derogation.paragraphs, vec![2]);
    let text = pdf_text(&d.pdf().unwrap());
    assert_letter_sections(&text);
    assert!(text.contains("Mme Dubois a donné son accord à ce signalement"));
    for gone in [
        "Lefèvre",
        "Paul Lefèvre",
        "dépression",
        "lombalgie",
        "psychiatrie",
        "exagère",
        "chômage",
        "RSA",
        "voisine",
        "causées par son mari",
    ] {
        assert!(!text.contains(gone), "« {gone} » must not be in:\n{text}");
        assert!(!d.text().contains(gone));
    }
}

#[test]
fn recipient_address_from_the_form_or_an_error_naming_the_field() {
    let law = sceau_law::law();
    let mut f = form("couple-3-sans-accord.json");
    f.jurisdiction = Some("971".into());
    match draft(law, &f, &Directory::builtin(), today()) {
        Err(Refusal::Invalid(e)) => assert_eq!(e.field, "jurisdiction"),
        _ => panic!("expected an invalid form"),
    }
    f.recipient_address = Some(sceau_documents::Lines(vec![
        "Madame, Monsieur le procureur de la République".into(),
        "Tribunal judiciaire de Pointe-à-Pitre".into(),
    ]));
    let d = draft(law, &f, &Directory::builtin(), today()).unwrap();
    assert!(!d.recipient.example);
    assert!(d.text().contains("Pointe-à-Pitre"));
}

#[test]
fn invalid_forms_name_the_field_not_the_value() {
    let mut v: serde_json::Value =
        serde_json::from_str(&form_text("couple-3-sans-accord.json")).unwrap();
    v["author"].as_object_mut().unwrap().remove("rpps");
    let e = ReportForm::from_json(&v).unwrap_err();
    assert_eq!(e.field, "author.rpps");
    v["author"]["rpps"] = "123".into();
    let e = ReportForm::from_json(&v).unwrap_err();
    assert_eq!(e.field, "author.rpps");
    v["author"]["rpps"] = "10101010101".into();
    v["victim"]["birth_date"] = "Secret-Value".into();
    let e = ReportForm::from_json(&v).unwrap_err();
    assert_eq!(e.field, "victim.birth_date");
    assert!(!e.message.contains("Secret-Value") && !e.message_en.contains("Secret-Value"));
    v["victim"]["birth_date"] = "1988-03-12".into();
    v["situation"]["recipient"] = "voisin".into();
    let f = ReportForm::from_json(&v).unwrap();
    match draft(sceau_law::law(), &f, &Directory::builtin(), today()) {
        Err(Refusal::Invalid(e)) => assert_eq!(e.field, "situation.recipient"),
        _ => panic!("expected an invalid situation"),
    }
}

#[test]
fn requisition_reply_declines_and_cites_the_texts() {
    let law = sceau_law::law();
    let f = RequisitionForm::from_json_str(&form_text("requisition.json")).unwrap();
    let r = requisition::draft(law, &f, today()).expect("not_required");
    let text = pdf_text(&sceau_documents::pdf::render(&r.letter).unwrap());
    for needle in [
        "Jeanne Martin",
        "RPPS : 10101010101",
        "Officier de police judiciaire",
        "Votre réquisition du 20 novembre 2026 (référence PV 2026/00123)",
        "l’article 77-1-1 du code de procédure pénale",
        "sans motif légitime",
        "R. 4321-55 du code de la santé publique",
        "226-13 du code pénal",
        "L. 1110-4",
        "56-3",
        "il semble possible d’affirmer",
        "ni de confirmer ou d’infirmer",
        "saisie",
        "conseil départemental de l’ordre",
        "Fait à Lyon, le 24 novembre 2026",
        "je suis tenue au secret professionnel",
    ] {
        assert!(text.contains(needle), "missing « {needle} » in:\n{text}");
    }
    assert!(r.follow_up.iter().any(|l| l.contains("par écrit")));
}

#[test]
fn expert_checklist_marks_what_answers_no_question() {
    let law = sceau_law::law();
    let f = ExpertiseForm::from_json_str(&form_text("expertise.json")).unwrap();
    let c = checklist(law, &f, today()).unwrap();
    assert_eq!(c.outside_mission, vec![2]);
    assert_eq!(c.decision.verdict, sceau_engine::Verdict::Forbidden);
    let text = pdf_text(&sceau_documents::pdf::render(&c.document).unwrap());
    for needle in [
        "R. 4321-141",
        "Q1.",
        "Décrire les séquelles fonctionnelles",
        "répond à Q1",
        "ne répond à aucune question de la mission : à taire",
        "J’atteste avoir accompli personnellement ma mission",
    ] {
        assert!(text.contains(needle), "missing « {needle} » in:\n{text}");
    }
    let mut ok = f.clone();
    ok.elements.pop();
    let c = checklist(law, &ok, today()).unwrap();
    assert_eq!(c.decision.verdict, sceau_engine::Verdict::Allowed);
}

/// Issue 19: letters are filed — PDF/A-2a (krilla's own validator refuses to
/// export otherwise), tagged for screen readers, with title, author,
/// language and date in the metadata, as `pdfinfo` reads them.
#[test]
fn letters_are_pdf_a_2a_tagged_with_their_metadata() {
    let law = sceau_law::law();
    let f = form("couple-3-sans-accord.json");
    let d = draft(law, &f, &Directory::builtin(), today()).expect("3° applies");
    let pdf = d.pdf().unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    // The XMP packet declares the conformance (part 2, level A).
    assert!(raw.contains("<pdfaid:part>2</pdfaid:part>"), "PDF/A part");
    assert!(
        raw.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "PDF/A level A"
    );
    // Tagged: a structure tree, marked content, a language.
    assert!(raw.contains("/StructTreeRoot"), "structure tree");
    assert!(raw.contains("/Marked true"), "MarkInfo");
    assert!(raw.contains("/Lang"), "language");
    let dir = tempdir();
    let p = dir.join("doc.pdf");
    std::fs::write(&p, &pdf).unwrap();
    let out = Command::new("pdfinfo")
        .arg(&p)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    let field = |k: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(k))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    assert_eq!(field("Tagged:"), "yes", "{info}");
    assert!(field("Title:").starts_with("Signalement"), "{info}");
    assert_eq!(field("Author:"), "Jeanne Martin", "{info}");
    assert!(!field("CreationDate:").is_empty(), "{info}");
    // Still the same text for a reader.
    assert!(pdf_text(&pdf).contains("article 226-14, 3°, du code pénal"));
}

/// A letter whose text only was kept (the register stores the text of a
/// report) renders again to PDF with the same words, line for line.
#[test]
fn a_kept_letter_renders_again_word_for_word() {
    let law = sceau_law::law();
    let d = draft(
        law,
        &form("couple-3-sans-accord.json"),
        &Directory::builtin(),
        today(),
    )
    .expect("3° applies");
    let text = d.text();
    let kept = sceau_documents::Document::from_text(
        "Signalement",
        &text,
        Some("Texte du signalement tel qu’enregistré".into()),
    );
    assert_eq!(
        kept.to_text(),
        format!("{text}\nTexte du signalement tel qu’enregistré\n")
    );
    let pdf = sceau_documents::pdf::render(&kept).expect("PDF/A-2a");
    let read = pdf_text(&pdf);
    let mut lines = 0;
    for l in text.lines().map(normalise).filter(|l| !l.is_empty()) {
        if l.chars().all(|c| c == '-' || c == '=') {
            // An underline: drawn as a rule, not text.
            assert!(!read.contains(&l[..3]), "an underline left as text: {read}");
            continue;
        }
        assert!(read.contains(&l), "missing « {l} » in:\n{read}");
        lines += 1;
    }
    assert!(lines > 20, "{lines}");
    assert!(read.contains("Mme Dubois déclare : « Il a serré mon cou"));
    assert_eq!(pdf_pages(&pdf), sceau_documents::pdf::page_count(&kept));
}
