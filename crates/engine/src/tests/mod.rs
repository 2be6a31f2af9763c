//! Unit tests of the engine's modules on a small law written here (the
//! tests of the real corpus are in `crates/law/tests`). One file per
//! module tested; they sit above every layer, so that no module imports
//! the loader for its tests.

mod decision;
mod eval;
mod interview;
mod load;
mod qualities;
mod search;
mod situation;
mod validate;

use chrono::NaiveDate;

use crate::law::Law;
use crate::load::{load, LoadError, SourceFile};
use crate::situation::Situation;

const FACTS: &str = r#"
[[fact]]
id = "actor"
type = "enum"
question = "Qui êtes-vous ?"
help = ""
question_en = "Who are you?"
  [[fact.choice]]
  value = "kine"
  label = "Kinésithérapeute"
  label_en = "Physiotherapist"
  [[fact.choice]]
  value = "student"
  label = "Étudiant"
  label_en = "Student"

[[fact]]
id = "recipient"
type = "enum"
question = "À qui ?"
help = ""
question_en = "To whom?"
  [[fact.choice]]
  value = "judge"
  label = "Un juge"
  label_en = "A judge"
  [[fact.choice]]
  value = "family"
  label = "La famille"
  label_en = "The family"

[[fact]]
id = "recipient_judicial"
type = "bool"
question = "Est-ce une autorité judiciaire ?"
help = ""
question_en = "Is it a judicial authority?"

[[fact]]
id = "purpose"
type = "enum"
question = "Pourquoi ?"
help = ""
question_en = "Why?"
  [[fact.choice]]
  value = "care"
  label = "Soigner"
  label_en = "Care"
  [[fact.choice]]
  value = "report"
  label = "Signaler"
  label_en = "Report"

[[fact]]
id = "consent"
type = "bool"
question = "Le patient consent-il ?"
help = ""
question_en = "Does the patient consent?"

[[fact]]
id = "danger"
type = "bool"
question = "Y a-t-il un danger ?"
help = ""
question_en = "Is there a danger?"

[[fact]]
id = "tried"
type = "bool"
question = "Avez-vous tout essayé ?"
help = ""
question_en = "Did you try everything else?"

[[fact]]
id = "secret_asked"
type = "bool"
question = "Le patient a-t-il demandé le secret ?"
help = ""
question_en = "Did the patient ask for secrecy?"
"#;

const QUALITIES: &str = r#"
[[quality]]
fact = "recipient_judicial"
of = "recipient"
yes = ["judge"]

[[presumption]]
fact = "consent"
value = false
when = "secret_asked"
explanation = "Le patient a demandé le secret."

[[presumption]]
fact = "danger"
value = false
purposes = ["care"]
explanation = "Un soin ne suppose pas de danger."
"#;

const ARTICLES: &str = r#"
[[article]]
id = "t:1"
number = "1"
title = "Le secret"
  [[article.version]]
  source = "test"
  status = "complete"
  text = "Le secret s’impose."

[[article]]
id = "t:2"
number = "2"
title = "Les dérogations"
  [[article.version]]
  valid_until = "2020-12-31"
  source = "test"
  status = "partial"
  missing = "la fin"
  text = "Le secret cède."
  [[article.version]]
  valid_from = "2021-01-01"
  source = "test"
  status = "complete"
    [[article.version.paragraph]]
    key = "1"
    text = "Le secret cède au consentement."
    [[article.version.paragraph]]
    key = "2"
    text = "Le secret cède au danger."
"#;

const RULES: &str = r#"
[[rule]]
id = "secret"
cites = ["t:1"]
group = "base"
when = ""
verdict = "forbidden"
explanation = "Le secret s’impose."

[[rule]]
id = "consent"
cites = ["t:2"]
group = "derogation"
when = "consent"
verdict = "allowed"
defeats = ["base"]
next_steps = ["tell_patient"]
explanation = "Le patient consent."

[[rule]]
id = "danger"
cites = ["t:2:2"]
group = "derogation"
valid_from = "2021-01-01"
when = """
danger
and recipient_judicial
and tried"""
verdict = "allowed"
defeats = ["base"]
explanation = "Le danger le permet."

[[rule]]
id = "try-first"
cites = ["t:2"]
group = "limit"
when = "danger and recipient_judicial and not tried"
verdict = "forbidden"
duties = ["try_first"]
explanation = "Essayez d’abord le reste."

[[rule]]
id = "student-refers"
cites = ["t:1"]
profession = "student"
when = "not consent"
verdict = "refer"
defeats = ["base", "try-first", "danger"]
explanation = "Demandez à votre tuteur."

[[rule]]
id = "consent-note"
cites = ["t:2"]
attaches_to = ["consent"]
when = ""
conditions = ["only_necessary"]
explanation = "Ne dites que le nécessaire."
"#;

const VOCABULARY: &str = r#"
[[term]]
id = "only_necessary"
kind = "condition"
label = "Ne dire que le nécessaire"
label_en = "Only what is necessary"

[[term]]
id = "try_first"
kind = "duty"
label = "Essayer d’abord le reste"
label_en = "Try the rest first"

[[term]]
id = "tell_patient"
kind = "next_step"
label = "Prévenir le patient"
label_en = "Tell the patient"
source = "art. 2"
"#;

const CASE_LAW: &str = r#"
[[decision]]
id = "cass:2020-01-02"
date = "2020-01-02"
jurisdiction = "Cour de cassation"
holding = "Le secret est général."
quote = "Le secret est général et absolu."
source = "test"
"#;

const PROFESSIONS: &str = r#"
[[profession]]
id = "student"
label = "Étudiant"
actors = ["student"]
"#;

/// The small law's files, as `law/` would hold them.
pub(crate) fn files() -> Vec<SourceFile> {
    [
        ("facts.toml", FACTS),
        ("qualities.toml", QUALITIES),
        ("articles/t.toml", ARTICLES),
        ("rules/t.toml", RULES),
        ("vocabulary.toml", VOCABULARY),
        ("case_law.toml", CASE_LAW),
        ("professions.toml", PROFESSIONS),
    ]
    .into_iter()
    .map(|(path, text)| SourceFile {
        path: path.into(),
        text: text.into(),
    })
    .collect()
}

/// The files with `path`'s text edited.
pub(crate) fn edited(path: &str, edit: impl FnOnce(&str) -> String) -> Vec<SourceFile> {
    let mut files = files();
    let f = files.iter_mut().find(|f| f.path == path).expect("file");
    f.text = edit(&f.text);
    files
}

/// The problems of loading `files` (the law must not load).
pub(crate) fn problems(files: &[SourceFile]) -> Vec<LoadError> {
    load(files).expect_err("the law must not load")
}

pub(crate) fn law() -> Law {
    load(&files()).expect("the small law loads")
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// A situation on `as_of` with the facts given (value names).
pub(crate) fn situation(law: &Law, as_of: NaiveDate, facts: &[(&str, &str)]) -> Situation {
    let mut s = Situation::unknown(law, as_of);
    for (f, v) in facts {
        s.set_named(law, f, v).expect("fact and value exist");
    }
    s.as_of_given = true;
    s
}

#[test]
fn the_small_law_loads_and_validates() {
    let law = law();
    assert_eq!(law.facts.len(), 8);
    assert_eq!(law.rules.len(), 6);
    assert_eq!(law.validate(), vec![]);
}

/// The engine is pure: the date of a decision comes from the situation or
/// from its caller, never from a clock (a server in UTC would otherwise
/// date a disclosure in Paris the day before, between midnight and 2 am).
#[test]
fn no_module_reads_a_clock() {
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("src/ is readable") {
            let p = e.expect("entry").path();
            if p.is_dir() && !p.ends_with("tests") {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    sources(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 20, "{files:?}");
    let clocks = ["now()", "SystemTime", "Instant", "Local", "Utc", "today()"];
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        for c in clocks {
            assert!(!text.contains(c), "{} names `{c}`", f.display());
        }
    }
}

/// The modules from the bottom up, as lib.rs describes them: the law as
/// data, evaluation, the compiled law, the contract, the corpus.
const LAYERS: [&str; 21] = [
    "expr",
    "masks",
    "qualities",
    "law",
    "situation",
    "eval",
    "search",
    "assessment",
    "ranking",
    "exhaustive",
    "compiled",
    "wording",
    "decision",
    "pieces",
    "output",
    "input",
    "answers",
    "interview",
    "reference",
    "load",
    "validate",
];

/// Each module's code names only modules below it (comments may point
/// anywhere): the crate has no import circle.
#[test]
fn every_module_imports_only_from_below() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (level, module) in LAYERS.iter().enumerate() {
        let file = src.join(format!("{module}.rs"));
        let paths: Vec<std::path::PathBuf> = if file.exists() {
            vec![file]
        } else {
            std::fs::read_dir(src.join(module))
                .unwrap_or_else(|_| panic!("module {module} has a file or a folder"))
                .map(|e| e.unwrap().path())
                .collect()
        };
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.lines().filter(|l| !l.trim_start().starts_with("//"));
            for line in code {
                for (_, rest) in line
                    .match_indices("crate::")
                    .map(|(i, _)| line.split_at(i + 7))
                {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let at = LAYERS.iter().position(|m| *m == name);
                    assert!(
                        at.is_some_and(|at| at <= level),
                        "{} names crate::{name}, not below `{module}`",
                        path.display()
                    );
                }
            }
        }
    }
}
