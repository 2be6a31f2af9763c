//! The corpus is validated by tests: it loads, every rule cites an article
//! of the corpus, facts and values match the contract, precedence has no
//! cycle, and the exhaustive walk finds no conflict, gap or dead rule. Each
//! check is also shown to fail on a corpus broken on purpose, with the file
//! and line of the problem.

use sceau_engine::load::load;
use sceau_engine::{LoadError, SourceFile};

fn files() -> Vec<SourceFile> {
    sceau_law::embedded_files()
}

fn with(files: &mut [SourceFile], path: &str, edit: impl FnOnce(&str) -> String) {
    let f = files
        .iter_mut()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} exists"));
    f.text = edit(&f.text);
}

/// Loads and validates; all problems.
fn problems(files: &[SourceFile]) -> Vec<LoadError> {
    match load(files) {
        Err(e) => e,
        Ok(law) => law.validate(),
    }
}

const EXTRA_RULE: &str = r#"
[[rule]]
id = "test.extra"
cites = ["cp:226-13"]
group = "derogation"
when = "recipient = tiers and purpose = autre and info_obtained_in_practice"
verdict = "allowed"
defeats = ["secret"]
explanation = "Règle de test."
"#;

#[test]
fn embedded_corpus_is_valid() {
    let law = sceau_law::law();
    let p = law.validate();
    assert!(
        p.is_empty(),
        "{}",
        p.iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_citation_exists_in_the_corpus_with_text() {
    let law = sceau_law::law();
    for r in &law.rules {
        for c in &r.cites {
            assert!(law.source_exists(c), "rule {} cites {c}, absent", r.id);
            let art = law.article(c).unwrap();
            assert!(!art.versions.is_empty());
            for v in &art.versions {
                assert!(!v.source.trim().is_empty(), "{c}: a version has no source");
            }
        }
    }
    // The articles the guide quotes are all there.
    for id in [
        "csp:L1110-4",
        "csp:L4323-3",
        "csp:R4321-55",
        "csp:R4321-90",
        "csp:R4321-114",
        "csp:R4321-115",
        "csp:R4321-116",
        "csp:R4321-136",
        "csp:R4321-141",
        "cp:226-13",
        "cp:226-14",
        "cpp:60-1",
        "cpp:77-1-1",
        "cpp:99-3",
        "cpp:56-3",
        "cc:9",
        "cp:132-80",
    ] {
        assert!(law.article(id).is_some(), "{id} missing from the corpus");
    }
    for p in [
        "csp:L1110-4:I",
        "csp:L1110-4:II",
        "csp:L1110-4:III",
        "csp:L1110-4:IV",
        "csp:L1110-4:V",
        "csp:L1110-4:VI",
    ] {
        assert!(law.source_exists(p), "{p}");
    }
    for k in 1..=5 {
        assert!(law.source_exists(&format!("cp:226-14:{k}")));
    }
}

#[test]
fn the_six_decisions_of_the_guide_are_in_the_corpus() {
    let law = sceau_law::law();
    for id in [
        "cdn-medecins:2000-06-07",
        "cdn-medecins:2009-07-03",
        "cdn-medecins:2018-09-26",
        "cdn-medecins:2018-11-27",
        "cdpi-mk:2022-03-29",
        "cdn-mk:2021-06-04",
    ] {
        let c = law.case(id).unwrap_or_else(|| panic!("{id}"));
        assert!(!c.holding.is_empty() && !c.quote.is_empty());
    }
}

#[test]
fn facts_match_the_contract() {
    // The contract's closed sets (shared/spec/CONTRACT.md): public API.
    let contract: &[(&str, &[&str])] = &[
        (
            "actor",
            &[
                "masseur_kinesitherapeute",
                "etudiant_mk",
                "medecin",
                "autre_professionnel_sante",
                "assistant",
            ],
        ),
        (
            "actor_context",
            &["liberal", "salarie", "expert_judiciaire"],
        ),
        (
            "recipient",
            &[
                "equipe_de_soins",
                "professionnel_hors_equipe",
                "tuteur_de_stage",
                "famille_proches",
                "personne_de_confiance",
                "ayant_droit",
                "titulaire_autorite_parentale",
                "procureur",
                "crip",
                "prefet",
                "autorite_medicale",
                "autorite_administrative",
                "police_gendarmerie",
                "juge",
                "juridiction",
                "employeur",
                "assureur",
                "public",
                "patient",
                "tiers",
            ],
        ),
        (
            "purpose",
            &[
                "coordination_soins",
                "signalement",
                "reponse_requisition",
                "expertise",
                "publication_enseignement",
                "soutien_diagnostic_grave",
                "droits_ayants_droit",
                "defense_personnelle",
                "prevention_danger_imminent",
                "demande_employeur",
                "demande_assureur",
                "confirmation_presence",
                "temoignage",
                "autre",
            ],
        ),
        (
            "patient_consent",
            &["obtenu", "refuse", "non_demande", "impossible"],
        ),
        (
            "violence_kind",
            &["physique", "sexuelle", "psychologique", "privations"],
        ),
    ];
    let bools = [
        "recipient_participates_in_care",
        "recipient_bound_by_secrecy",
        "info_obtained_in_practice",
        "info_strictly_necessary",
        "info_within_expert_questions",
        "info_public_knowledge",
        "patient_alive",
        "patient_minor",
        "patient_can_protect_self",
        "patient_consent_written",
        "patient_opposition",
        "patient_opposed_before_death",
        "minor_opposed",
        "identification_possible",
        "violence_observed",
        "violence_within_couple",
        "life_in_immediate_danger",
        "victim_under_emprise",
        "person_dangerous",
        "holds_or_seeks_weapon",
        "grave_imminent_risk",
        "alternatives_exhausted",
        "proceedings_about_own_practice",
        "patient_requested_secrecy",
    ];
    let law = sceau_law::law();
    for (id, values) in contract {
        // Values are only ever added (CONTRACT.md): every contract value is
        // still accepted, in the contract's order.
        let f = law.fact(id).unwrap_or_else(|| panic!("fact {id}"));
        let kept: Vec<String> = f
            .accepted_values()
            .into_iter()
            .filter(|v| values.contains(&v.as_str()))
            .collect();
        assert_eq!(
            kept,
            values.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "{id}"
        );
    }
    for id in bools {
        assert_eq!(
            law.fact(id).unwrap_or_else(|| panic!("fact {id}")).kind,
            sceau_engine::FactKind::Bool
        );
    }
    // Facts beyond the contract are the project's extension of it, each
    // documented in docs/contract.md (never renamed or dropped either).
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/contract.md"),
    )
    .expect("docs/contract.md");
    for f in &law.facts {
        let in_contract =
            contract.iter().any(|(id, _)| *id == f.id) || bools.contains(&f.id.as_str());
        assert!(
            in_contract || doc.contains(&format!("`{}`", f.id)),
            "fact {} extends the contract without a line in docs/contract.md",
            f.id
        );
    }
    for f in &law.facts {
        assert!(
            f.question.trim_end().ends_with('?'),
            "{}: a question ends with « ? »",
            f.id
        );
        assert!(!f.help.is_empty() && !f.question_en.is_empty(), "{}", f.id);
    }
}

fn assert_problem(p: &[LoadError], file: &str, needle: &str) {
    assert!(
        p.iter()
            .any(|e| e.file == file && e.line > 1 && e.message.contains(needle)),
        "expected a problem in {file} mentioning {needle:?}, got:\n{}",
        p.iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn a_citation_absent_from_the_corpus_is_reported_with_its_line() {
    let mut f = files();
    with(&mut f, "rules/cp-226-13.toml", |t| {
        format!("{t}{}", EXTRA_RULE.replace("cp:226-13", "cp:226-99"))
    });
    assert_problem(&problems(&f), "rules/cp-226-13.toml", "cp:226-99");
}

#[test]
fn an_undeclared_fact_or_value_is_reported_with_its_line() {
    let mut f = files();
    with(&mut f, "rules/cp-226-13.toml", |t| {
        format!(
            "{t}{}",
            EXTRA_RULE.replace("purpose = autre", "purpose = vacances")
        )
    });
    assert_problem(&problems(&f), "rules/cp-226-13.toml", "vacances");
    let mut f = files();
    with(&mut f, "rules/cp-226-13.toml", |t| {
        format!(
            "{t}{}",
            EXTRA_RULE.replace("purpose = autre", "humeur = bonne")
        )
    });
    let p = problems(&f);
    assert_problem(&p, "rules/cp-226-13.toml", "unknown fact `humeur`");
    let line = p
        .iter()
        .find(|e| e.message.contains("humeur"))
        .unwrap()
        .line;
    let text = &f
        .iter()
        .find(|x| x.path == "rules/cp-226-13.toml")
        .unwrap()
        .text;
    assert!(
        text.lines().nth(line - 1).unwrap().contains("humeur"),
        "line {line} points at the condition"
    );
}

#[test]
fn a_precedence_cycle_is_reported() {
    let mut f = files();
    with(&mut f, "rules/cp-226-13.toml", |t| {
        format!(
            "{t}{}",
            EXTRA_RULE.replace(
                "defeats = [\"secret\"]",
                "defeats = [\"secret\", \"test.other\"]"
            )
        ) + r#"
[[rule]]
id = "test.other"
cites = ["cp:226-13"]
when = "recipient = tiers"
verdict = "forbidden"
defeats = ["test.extra"]
explanation = "Règle de test."
"#
    });
    assert_problem(&problems(&f), "rules/cp-226-13.toml", "precedence cycle");
}

#[test]
fn two_rules_that_clash_without_precedence_are_reported() {
    let mut f = files();
    // Allowed for the same situations as a limit that forbids: no precedence between them.
    // Two grounds with different verdicts for the same situations, neither
    // defeating the other (a limit never clashes with a ground: any ground
    // that holds unblocked wins over the limits of the others).
    with(&mut f, "rules/cp-226-13.toml", |t| {
        format!(
            "{t}{}",
            EXTRA_RULE
                .replace(
                    "recipient = tiers and purpose = autre",
                    "recipient = patient"
                )
                .replace("verdict = \"allowed\"", "verdict = \"not_required\"")
        )
    });
    let p = problems(&f);
    assert!(
        p.iter().any(|e| e.message.contains("conflict")
            && e.message.contains("test.extra")
            && e.message.contains("csp.l1110-4.i.le-patient-lui-meme")),
        "{p:?}"
    );
}

#[test]
fn a_gap_and_a_dead_rule_are_reported() {
    let mut f = files();
    with(&mut f, "rules/cp-226-13.toml", |t| {
        t.replacen(
            "when = \"info_obtained_in_practice\"",
            "when = \"info_obtained_in_practice and patient_alive\"",
            1,
        )
    });
    assert!(problems(&f).iter().any(|e| e.message.starts_with("gap")));
    let mut f = files();
    with(&mut f, "rules/cp-226-13.toml", |t| {
        format!(
            "{t}{}",
            EXTRA_RULE.replace(
                "recipient = tiers and purpose = autre",
                "recipient = tiers and recipient = patient"
            )
        )
    });
    assert_problem(&problems(&f), "rules/cp-226-13.toml", "can never apply");
}

#[test]
fn a_quote_that_is_not_in_the_text_is_reported() {
    let mut f = files();
    with(&mut f, "rules/cp-226-13.toml", |t| {
        format!(
            "{t}{}",
            EXTRA_RULE.replace(
                "group =",
                "quote = \"Le secret est levé le dimanche\"\ngroup ="
            )
        )
    });
    assert_problem(&problems(&f), "rules/cp-226-13.toml", "quote");
}

#[test]
fn a_term_or_decision_not_declared_is_reported() {
    let mut f = files();
    with(&mut f, "rules/cp-226-13.toml", |t| {
        format!(
            "{t}{}",
            EXTRA_RULE.replace(
                "group =",
                "warnings = [\"cela_depend\"]\ncase_law = [\"cass:2099-01-01\"]\ngroup ="
            )
        )
    });
    let p = problems(&f);
    assert_problem(&p, "rules/cp-226-13.toml", "cela_depend");
    assert_problem(&p, "rules/cp-226-13.toml", "cass:2099-01-01");
}

#[test]
fn a_term_that_no_rule_gives_is_reported() {
    let mut f = files();
    with(&mut f, "vocabulary.toml", |t| {
        format!(
            "{t}\n[[term]]\nid = \"jamais_donne\"\nkind = \"warning\"\nlabel = \"Jamais donné\"\nlabel_en = \"Never given\"\n"
        )
    });
    assert_problem(&problems(&f), "vocabulary.toml", "jamais_donne");
}

#[test]
fn a_rule_citing_a_paragraph_missing_from_a_version_in_force_is_reported() {
    let mut f = files();
    with(&mut f, "rules/cp-226-13.toml", |t| {
        format!(
            "{t}{}",
            EXTRA_RULE.replace("cites = [\"cp:226-13\"]", "cites = [\"csp:L1110-4:IX\"]")
        )
    });
    assert_problem(&problems(&f), "rules/cp-226-13.toml", "csp:L1110-4:IX");
}

#[test]
fn a_toml_syntax_error_names_file_and_line() {
    let mut f = files();
    with(&mut f, "facts.toml", |t| {
        t.replacen("type = \"enum\"", "type = = \"enum\"", 1)
    });
    let p = problems(&f);
    assert!(
        p.iter().any(|e| e.file == "facts.toml" && e.line > 1),
        "{p:?}"
    );
}

/// What crates/law/build.rs does before embedding `law/`: read the folder
/// from disk, then `sceau_engine::validate::check`. A law with a typo in a
/// multi-line condition is refused there, on the line of the typo.
#[test]
fn the_build_check_refuses_a_law_folder_that_does_not_load() {
    let dir = std::env::temp_dir().join(format!("sceau-law-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for f in files() {
        let path = dir.join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = if f.path == "rules/cp-122-7.toml" {
            f.text.replacen(
                "and alternatives_exhausted\n",
                "and alternatives_exhaustd\n",
                1,
            )
        } else {
            f.text
        };
        std::fs::write(path, text).unwrap();
    }
    let read = sceau_law::read_dir(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let problems = sceau_engine::validate::check(&read).expect_err("refused");
    let text = &read
        .iter()
        .find(|f| f.path == "rules/cp-122-7.toml")
        .unwrap()
        .text;
    let line = text
        .lines()
        .position(|l| l.contains("alternatives_exhaustd"))
        .unwrap()
        + 1;
    assert_eq!(
        problems,
        vec![LoadError {
            file: "rules/cp-122-7.toml".into(),
            line,
            message:
                "rule `cp.122-7.danger-grave-et-imminent`: unknown fact `alternatives_exhaustd`"
                    .into(),
        }]
    );
}

/// Readers write article numbers as the codes print them (« L. 1111-5 »,
/// « R.4321-90 », « 226-14 1° »): each form names the contract identifier,
/// and a number shared by no article, or an unknown code, names none.
#[test]
fn article_numbers_written_as_readers_write_them_name_the_contract_identifier() {
    let law = load(&files()).expect("the embedded law loads");
    let cases = [
        ("csp:L1110-4:III", Some("csp:L1110-4:III")),
        ("csp:L.1111-5", Some("csp:L1111-5")),
        ("CSP L. 1111-5-1", Some("csp:L1111-5-1")),
        ("R.4321-90", Some("csp:R4321-90")),
        ("r4127-4", Some("csp:R4127-4")),
        ("226-14 1°", Some("cp:226-14:1")),
        ("cp 226-14 3°", Some("cp:226-14:3")),
        ("L.1110-4 iv", Some("csp:L1110-4:IV")),
        ("css:L.315-1", Some("css:L315-1")),
        ("cpp:60-1", Some("cpp:60-1")),
        ("cp:L1110-4", None),
        ("999-1", None),
        ("", None),
    ];
    for (query, expected) in cases {
        assert_eq!(
            law.resolve_article_id(query).as_deref(),
            expected,
            "{query:?}"
        );
    }
}
