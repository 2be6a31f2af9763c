//! Loading the corpus: TOML files in, a compiled [`Law`] out, or every
//! problem found with its file and line. The conditions of rules are
//! parsed by [`condition`], `qualities.toml` by [`qualities`].

pub mod condition;
pub mod error;
mod qualities;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::expr::Expr;
use crate::law::*;
use crate::masks::{MAX_FACTS, MAX_VALUES};
use crate::qualities::Qualities;
use crate::wording;

pub use error::{LoadError, SourceFile};

use error::line_of;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticlesFile {
    #[serde(default)]
    article: Vec<Spanned<RawArticle>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    id: String,
    number: String,
    title: String,
    version: Vec<RawVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    valid_from: Option<String>,
    valid_until: Option<String>,
    amended_by: Option<String>,
    source: String,
    status: String,
    missing: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    paragraph: Vec<RawParagraph>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParagraph {
    key: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseLawFile {
    decision: Vec<Spanned<RawDecision>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    id: String,
    date: String,
    jurisdiction: String,
    number: Option<String>,
    holding: String,
    quote: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsFile {
    fact: Vec<Spanned<RawFact>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    question: String,
    help: String,
    question_en: String,
    #[serde(default)]
    choice: Vec<RawChoice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    value: String,
    label: String,
    label_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfessionsFile {
    profession: Vec<Spanned<RawProfession>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfession {
    id: String,
    label: String,
    actors: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    term: Vec<Spanned<RawTerm>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    id: String,
    kind: String,
    label: String,
    label_en: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    source: String,
    /// Later wordings, when the article the term comes from was rewritten.
    #[serde(default)]
    version: Vec<RawTermVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTermVersion {
    valid_from: String,
    label: String,
    label_en: String,
    #[serde(default)]
    detail: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    cites: Vec<String>,
    quote: Option<String>,
    group: Option<String>,
    profession: Option<String>,
    valid_from: Option<String>,
    valid_until: Option<String>,
    when: Spanned<String>,
    verdict: Option<String>,
    #[serde(default)]
    attaches_to: Vec<String>,
    #[serde(default)]
    shown_while_unknown: bool,
    #[serde(default)]
    conditions: Vec<String>,
    #[serde(default)]
    duties: Vec<String>,
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(default)]
    case_law: Vec<String>,
    #[serde(default)]
    defeats: Vec<String>,
    #[serde(default)]
    next_steps: Vec<String>,
    explanation: String,
}

struct Errors<'a> {
    list: Vec<LoadError>,
    file: &'a SourceFile,
}

impl Errors<'_> {
    fn at(&mut self, offset: usize, message: impl Into<String>) {
        self.list.push(LoadError {
            file: self.file.path.clone(),
            line: line_of(&self.file.text, offset),
            message: message.into(),
        });
    }
    fn date(&mut self, offset: usize, field: &str, s: &Option<String>) -> Option<NaiveDate> {
        let s = s.as_ref()?;
        match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.at(offset, format!("`{field}` must be a date YYYY-MM-DD"));
                None
            }
        }
    }
}

fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
    out: &mut Vec<LoadError>,
) -> Option<T> {
    match toml::from_str::<T>(&file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let line = e.span().map(|s| line_of(&file.text, s.start)).unwrap_or(1);
            out.push(LoadError {
                file: file.path.clone(),
                line,
                message: e.message().to_string(),
            });
            None
        }
    }
}

/// Where the body of the TOML string at the start of `text` begins: after
/// its quotes, and after the line break that follows the quotes of a
/// multi-line string (TOML drops it from the value).
fn body_start(text: &str) -> usize {
    if !(text.starts_with("\"\"\"") || text.starts_with("'''")) {
        return 1;
    }
    let rest = &text[3..];
    3 + if rest.starts_with('\n') {
        1
    } else if rest.starts_with("\r\n") {
        2
    } else {
        0
    }
}

/// Loads the corpus from its files. Paths are relative to `law/`:
/// `facts.toml`, `case_law.toml`, `professions.toml`, `vocabulary.toml`,
/// `articles/*.toml`, `rules/*.toml`. Other files are ignored.
pub fn load(files: &[SourceFile]) -> Result<Law, Vec<LoadError>> {
    let mut errors: Vec<LoadError> = Vec::new();
    let mut sorted: Vec<&SourceFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));

    let find = |name: &str| sorted.iter().copied().find(|f| f.path == name);
    let missing_file = |name: &str| LoadError {
        file: name.to_string(),
        line: 1,
        message: "file is missing".into(),
    };

    // Facts first: rules are compiled against them.
    let mut facts: Vec<FactDef> = Vec::new();
    match find("facts.toml") {
        None => errors.push(missing_file("facts.toml")),
        Some(file) => {
            if let Some(raw) = parse_toml::<FactsFile>(file, &mut errors) {
                let mut e = Errors { list: vec![], file };
                for f in raw.fact {
                    let at = f.span().start;
                    let f = f.into_inner();
                    let choices = match f.kind.as_str() {
                        "bool" => {
                            if !f.choice.is_empty() {
                                e.at(at, format!("fact `{}`: a bool fact has no `choice`", f.id));
                            }
                            wording::yes_no()
                        }
                        "enum" => {
                            if f.choice.len() < 2 || f.choice.len() > MAX_VALUES {
                                e.at(
                                    at,
                                    format!(
                                        "fact `{}`: an enum needs 2 to {MAX_VALUES} choices",
                                        f.id
                                    ),
                                );
                            }
                            f.choice
                                .into_iter()
                                .map(|c| Choice {
                                    value: c.value,
                                    label: c.label,
                                    label_en: c.label_en,
                                })
                                .collect()
                        }
                        other => {
                            e.at(
                                at,
                                format!("fact `{}`: type `{other}` is not `bool` or `enum`", f.id),
                            );
                            continue;
                        }
                    };
                    if facts.iter().any(|x| x.id == f.id) {
                        e.at(at, format!("fact `{}` is declared twice", f.id));
                    }
                    if f.id == "as_of" {
                        e.at(at, "`as_of` is reserved for the date of the disclosure");
                    }
                    let mut seen = std::collections::HashSet::new();
                    for c in &choices {
                        if !seen.insert(c.value.clone()) {
                            e.at(
                                at,
                                format!("fact `{}`: value `{}` is listed twice", f.id, c.value),
                            );
                        }
                    }
                    facts.push(FactDef {
                        kind: if f.kind == "bool" {
                            FactKind::Bool
                        } else {
                            FactKind::Enum
                        },
                        id: f.id,
                        question: f.question,
                        help: f.help,
                        question_en: f.question_en,
                        choices,
                    });
                }
                if facts.len() > MAX_FACTS {
                    e.at(0, format!("at most {MAX_FACTS} facts"));
                }
                errors.extend(e.list);
            }
        }
    }

    let mut articles: Vec<Article> = Vec::new();
    for file in sorted
        .iter()
        .filter(|f| f.path.starts_with("articles/") && f.path.ends_with(".toml"))
    {
        let Some(raw) = parse_toml::<ArticlesFile>(file, &mut errors) else {
            continue;
        };
        let mut e = Errors { list: vec![], file };
        let code = file
            .path
            .trim_start_matches("articles/")
            .trim_end_matches(".toml");
        for a in raw.article {
            let at = a.span().start;
            let a = a.into_inner();
            if !a.id.starts_with(&format!("{code}:")) || a.id.matches(':').count() != 1 {
                e.at(
                    at,
                    format!(
                        "article `{}`: identifier must be `{code}:<article>` in this file",
                        a.id
                    ),
                );
            }
            if articles.iter().any(|x| x.id == a.id) {
                e.at(at, format!("article `{}` is declared twice", a.id));
            }
            if a.version.is_empty() {
                e.at(at, format!("article `{}` has no version", a.id));
            }
            let mut versions = Vec::new();
            for v in a.version {
                let from = e.date(at, "valid_from", &v.valid_from);
                let until = e.date(at, "valid_until", &v.valid_until);
                if !matches!(v.status.as_str(), "complete" | "partial" | "unavailable") {
                    e.at(
                        at,
                        format!(
                            "article `{}`: status must be complete, partial or unavailable",
                            a.id
                        ),
                    );
                }
                if v.status != "complete" && v.missing.as_deref().unwrap_or("").trim().is_empty() {
                    e.at(
                        at,
                        format!(
                            "article `{}`: a {} text must say what is `missing`",
                            a.id, v.status
                        ),
                    );
                }
                if v.text.trim().is_empty() && v.paragraph.is_empty() && v.status != "unavailable" {
                    e.at(
                        at,
                        format!("article `{}`: a version needs a text or paragraphs", a.id),
                    );
                }
                versions.push(ArticleVersion {
                    valid_from: from,
                    valid_until: until,
                    amended_by: v.amended_by,
                    source: v.source,
                    status: v.status,
                    missing: v.missing,
                    text: v.text,
                    paragraphs: v
                        .paragraph
                        .into_iter()
                        .map(|p| Paragraph {
                            key: p.key,
                            text: p.text,
                        })
                        .collect(),
                });
            }
            // Versions must not overlap: one text in force on any day.
            for (i, a1) in versions.iter().enumerate() {
                for a2 in &versions[i + 1..] {
                    let start = a1.valid_from.max(a2.valid_from);
                    let end = match (a1.valid_until, a2.valid_until) {
                        (Some(x), Some(y)) => Some(x.min(y)),
                        (x, None) => x,
                        (None, y) => y,
                    };
                    let overlap = match (start, end) {
                        (Some(s), Some(e)) => s <= e,
                        _ => true,
                    };
                    if overlap {
                        e.at(
                            at,
                            format!(
                                "article `{}`: two versions are in force on the same day",
                                a.id
                            ),
                        );
                    }
                }
            }
            articles.push(Article {
                id: a.id,
                number: a.number,
                title: a.title,
                versions,
                file: file.path.clone(),
                line: line_of(&file.text, at),
            });
        }
        errors.extend(e.list);
    }

    let mut case_law = Vec::new();
    match find("case_law.toml") {
        None => errors.push(missing_file("case_law.toml")),
        Some(file) => {
            if let Some(raw) = parse_toml::<CaseLawFile>(file, &mut errors) {
                let mut e = Errors { list: vec![], file };
                for d in raw.decision {
                    let at = d.span().start;
                    let d = d.into_inner();
                    let Some(date) = e.date(at, "date", &Some(d.date.clone())) else {
                        continue;
                    };
                    if !d.id.ends_with(&d.date) {
                        e.at(
                            at,
                            format!("decision `{}`: identifier must end with its date", d.id),
                        );
                    }
                    case_law.push(CaseLaw {
                        id: d.id,
                        date,
                        jurisdiction: d.jurisdiction,
                        number: d.number,
                        holding: d.holding,
                        quote: d.quote,
                        source: d.source,
                    });
                }
                errors.extend(e.list);
            }
        }
    }

    let mut professions = Vec::new();
    match find("professions.toml") {
        None => errors.push(missing_file("professions.toml")),
        Some(file) => {
            if let Some(raw) = parse_toml::<ProfessionsFile>(file, &mut errors) {
                let mut e = Errors { list: vec![], file };
                let actor = facts.iter().find(|f| f.id == "actor");
                for p in raw.profession {
                    let at = p.span().start;
                    let p = p.into_inner();
                    for a in &p.actors {
                        if actor.is_some_and(|f| f.value_index(a).is_none()) {
                            e.at(
                                at,
                                format!("profession `{}`: `{a}` is not a value of `actor`", p.id),
                            );
                        }
                    }
                    professions.push(Profession {
                        id: p.id,
                        label: p.label,
                        actors: p.actors,
                    });
                }
                errors.extend(e.list);
            }
        }
    }

    // Qualities after the facts they relate (optional file).
    let qualities = match find("qualities.toml") {
        None => Qualities::default(),
        Some(file) => match qualities::load(&file.path, &file.text, &facts) {
            Ok(q) => q,
            Err(e) => {
                errors.extend(e);
                Qualities::default()
            }
        },
    };

    let mut terms = Vec::new();
    match find("vocabulary.toml") {
        None => errors.push(missing_file("vocabulary.toml")),
        Some(file) => {
            if let Some(raw) = parse_toml::<VocabularyFile>(file, &mut errors) {
                let mut e = Errors { list: vec![], file };
                for t in raw.term {
                    let at = t.span().start;
                    let t = t.into_inner();
                    if !matches!(
                        t.kind.as_str(),
                        "condition" | "duty" | "warning" | "next_step"
                    ) {
                        e.at(
                            at,
                            format!(
                                "term `{}`: kind must be condition, duty, warning or next_step",
                                t.id
                            ),
                        );
                    }
                    if terms.iter().any(|x: &Term| x.id == t.id) {
                        e.at(at, format!("term `{}` is declared twice", t.id));
                    }
                    let term_id = t.id.clone();
                    terms.push(Term {
                        id: t.id,
                        line: line_of(&file.text, at),
                        kind: t.kind,
                        label: t.label,
                        label_en: t.label_en,
                        detail: t.detail,
                        source: t.source,
                        versions: t
                            .version
                            .into_iter()
                            .filter_map(|v| {
                                match NaiveDate::parse_from_str(&v.valid_from, "%Y-%m-%d") {
                                    Ok(d) => Some(TermVersion {
                                        valid_from: d,
                                        label: v.label,
                                        label_en: v.label_en,
                                        detail: v.detail,
                                    }),
                                    Err(_) => {
                                        e.at(
                                            at,
                                            format!(
                                                "term `{term_id}`: `valid_from` must be a date YYYY-MM-DD"
                                            ),
                                        );
                                        None
                                    }
                                }
                            })
                            .collect(),
                    });
                }
                errors.extend(e.list);
            }
        }
    }

    let mut rules = Vec::new();
    for file in sorted
        .iter()
        .filter(|f| f.path.starts_with("rules/") && f.path.ends_with(".toml"))
    {
        let Some(raw) = parse_toml::<RulesFile>(file, &mut errors) else {
            continue;
        };
        let mut e = Errors { list: vec![], file };
        for r in raw.rule {
            let at = r.span().start;
            let r = r.into_inner();
            let when_at = r.when.span().start;
            let when_src = r.when.into_inner();
            let body_offset = when_at + body_start(&file.text[when_at..]);
            let when = match condition::parse(&when_src, &facts) {
                Ok(x) => x,
                Err(err) => {
                    let line =
                        line_of(&file.text, body_offset) + line_of(&when_src, err.offset) - 1;
                    e.list.push(LoadError {
                        file: file.path.clone(),
                        line,
                        message: format!("rule `{}`: {}", r.id, err.message),
                    });
                    Expr::True
                }
            };
            let mut when = qualities.rewrite(when);
            if let Some(pid) = &r.profession {
                match professions.iter().find(|p: &&Profession| &p.id == pid) {
                    None => e.at(at, format!("rule `{}`: unknown profession `{pid}`", r.id)),
                    Some(p) => {
                        if let Some(actor) = facts.iter().position(|f| f.id == "actor") {
                            let mask = p
                                .actors
                                .iter()
                                .filter_map(|a| facts[actor].value_index(a))
                                .fold(0u32, |m, i| m | (1 << i));
                            when = Expr::Atom {
                                fact: actor as u8,
                                mask,
                            }
                            .and(when);
                        }
                    }
                }
            }
            let verdict = match r.verdict.as_deref() {
                None => None,
                Some(v) => match Verdict::parse(v) {
                    Some(Verdict::Undetermined) | None => {
                        e.at(at, format!("rule `{}`: verdict `{v}` is not one of allowed, forbidden, not_required, refer, not_covered", r.id));
                        None
                    }
                    Some(v) => Some(v),
                },
            };
            if verdict.is_some() && !r.attaches_to.is_empty() {
                e.at(
                    at,
                    format!(
                        "rule `{}`: only an annotation (no verdict) can have `attaches_to`",
                        r.id
                    ),
                );
            }
            if verdict.is_some() && r.shown_while_unknown {
                e.at(
                    at,
                    format!(
                        "rule `{}`: only an annotation (no verdict) can have `shown_while_unknown`",
                        r.id
                    ),
                );
            }
            if r.cites.is_empty() {
                e.at(at, format!("rule `{}` cites no article", r.id));
            }
            let valid_from = e.date(at, "valid_from", &r.valid_from);
            let valid_until = e.date(at, "valid_until", &r.valid_until);
            rules.push(Rule {
                id: r.id,
                cites: r.cites,
                quote: r.quote,
                group: r.group,
                profession: r.profession,
                valid_from,
                valid_until,
                when_src,
                when,
                verdict,
                attaches_to: r.attaches_to,
                shown_while_unknown: r.shown_while_unknown,
                conditions: r.conditions,
                duties: r.duties,
                warnings: r.warnings,
                case_law: r.case_law,
                defeats: r.defeats,
                next_steps: r.next_steps,
                explanation: r.explanation,
                file: file.path.clone(),
                line: line_of(&file.text, at),
            });
        }
        errors.extend(e.list);
    }

    if rules.len() > MAX_RULES {
        errors.push(LoadError {
            file: "rules/".into(),
            line: 1,
            message: format!("at most {MAX_RULES} rules"),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    link(
        facts,
        articles,
        case_law,
        professions,
        terms,
        rules,
        qualities,
    )
}

/// Resolves names between parts (defeats, attachments) and orders the rules.
fn link(
    facts: Vec<FactDef>,
    articles: Vec<Article>,
    case_law: Vec<CaseLaw>,
    professions: Vec<Profession>,
    terms: Vec<Term>,
    rules: Vec<Rule>,
    qualities: Qualities,
) -> Result<Law, Vec<LoadError>> {
    let mut errors = Vec::new();
    let err = |r: &Rule, message: String| LoadError {
        file: r.file.clone(),
        line: r.line,
        message,
    };
    let mut rule_index = HashMap::new();
    for (i, r) in rules.iter().enumerate() {
        if rule_index.insert(r.id.clone(), i).is_some() {
            errors.push(err(r, format!("rule `{}` is declared twice", r.id)));
        }
    }
    // A name in `defeats` or `attaches_to` is a rule id or a group.
    let resolve = |name: &str| -> Vec<usize> {
        if let Some(&i) = rule_index.get(name) {
            return vec![i];
        }
        rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.group.as_deref() == Some(name))
            .map(|(i, _)| i)
            .collect()
    };
    let n = rules.len();
    let mut defeaters = vec![Vec::new(); n];
    let mut attached = vec![Vec::new(); n];
    for (i, r) in rules.iter().enumerate() {
        for name in &r.defeats {
            let targets = resolve(name);
            if targets.is_empty() {
                errors.push(err(
                    r,
                    format!(
                        "rule `{}` defeats `{name}`, which is neither a rule nor a group",
                        r.id
                    ),
                ));
            }
            if r.is_annotation() {
                errors.push(err(
                    r,
                    format!(
                        "rule `{}` is an annotation (no verdict) and cannot defeat",
                        r.id
                    ),
                ));
            }
            for t in targets {
                if t == i {
                    errors.push(err(r, format!("rule `{}` defeats itself", r.id)));
                } else if !defeaters[t].contains(&i) {
                    defeaters[t].push(i);
                }
            }
        }
        for name in &r.attaches_to {
            let targets: Vec<usize> = resolve(name)
                .into_iter()
                .filter(|&t| !rules[t].is_annotation())
                .collect();
            if targets.is_empty() {
                errors.push(err(
                    r,
                    format!(
                        "rule `{}` attaches to `{name}`, which names no verdict rule",
                        r.id
                    ),
                ));
            }
            attached[i].extend(targets);
        }
    }
    // Topological order, defeaters first; a cycle is an error.
    let mut order = Vec::with_capacity(n);
    let mut state = vec![0u8; n]; // 0 new, 1 visiting, 2 done
    fn visit(
        i: usize,
        defeaters: &[Vec<usize>],
        state: &mut [u8],
        order: &mut Vec<usize>,
        path: &mut Vec<usize>,
    ) -> Result<(), Vec<usize>> {
        match state[i] {
            2 => return Ok(()),
            1 => {
                let start = path.iter().position(|&p| p == i).unwrap_or(0);
                return Err(path[start..].to_vec());
            }
            _ => {}
        }
        state[i] = 1;
        path.push(i);
        for &d in &defeaters[i] {
            visit(d, defeaters, state, order, path)?;
        }
        path.pop();
        state[i] = 2;
        order.push(i);
        Ok(())
    }
    for i in 0..n {
        let mut path = Vec::new();
        if let Err(cycle) = visit(i, &defeaters, &mut state, &mut order, &mut path) {
            let names: Vec<&str> = cycle.iter().map(|&c| rules[c].id.as_str()).collect();
            errors.push(err(
                &rules[cycle[0]],
                format!(
                    "precedence cycle: {} defeats … {}",
                    names.join(" ← "),
                    names[0]
                ),
            ));
            return Err(errors);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let is_limit: Vec<bool> = rules
        .iter()
        .map(|r| r.verdict.is_some() && r.group.as_deref() == Some("limit"))
        .collect();
    let grounds: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| rules[i].verdict.is_some() && rules[i].group.as_deref() == Some("derogation"))
        .collect();
    let limits: Vec<usize> = order.iter().copied().filter(|&i| is_limit[i]).collect();
    // A rule's status depends on its defeaters' conditions too, and a
    // limit's on every ground's.
    let mut reads = vec![0u64; n];
    for &i in &order {
        let mut r = rules[i].when.reads();
        for &d in &defeaters[i] {
            r |= reads[d];
        }
        reads[i] = r;
    }
    let all_grounds = grounds.iter().fold(0u64, |a, &d| a | reads[d]);
    for &i in &limits {
        reads[i] |= all_grounds;
    }
    for i in 0..n {
        for &a in &attached[i].clone() {
            reads[i] |= reads[a];
        }
    }
    // Depth: a rule that defeats others sits above them. `order` lists
    // defeaters first, so walk it backwards from the most general rules.
    let mut depth = vec![0usize; n];
    for &i in order.iter().rev() {
        for &d in &defeaters[i] {
            depth[d] = depth[d].max(depth[i] + 1);
        }
    }
    let fact_index = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.clone(), i))
        .collect();
    let article_index = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let mut law = Law {
        qualities,
        facts,
        articles,
        case_law,
        professions,
        terms,
        rules,
        fact_index,
        article_index,
        rule_index,
        order,
        defeaters,
        attached,
        reads,
        depth,
        grounds,
        is_limit,
        limits,
        compiled: Periods::new(Vec::new()),
        prepared: Prepared::default(),
        pieces: Prepared::default(),
    };
    law.compiled = Periods::new(law.rule_boundaries());
    Ok(law)
}
