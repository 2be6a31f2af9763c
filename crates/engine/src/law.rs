//! The law once loaded: facts, articles with their versions, case law,
//! professions, vocabulary and compiled rules, with the indices the
//! evaluation needs. Pure data: nothing here evaluates or words anything.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use serde::Serialize;

use crate::expr::{Expr, Tri};
use crate::qualities::Qualities;

/// At most this many rules (statuses are fixed arrays).
pub const MAX_RULES: usize = 256;

/// Bit for "no rule applies" in a set of verdicts (beside the bits of
/// [`Verdict::bit`]): a gap in the law, which the corpus checks forbid.
pub const GAP: u8 = 1 << 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allowed,
    Forbidden,
    NotRequired,
    Refer,
    NotCovered,
    Undetermined,
}

impl Verdict {
    /// The verdicts a rule can carry (all but `undetermined`).
    pub const RULE_VERDICTS: [Verdict; 5] = [
        Verdict::Allowed,
        Verdict::Forbidden,
        Verdict::NotRequired,
        Verdict::Refer,
        Verdict::NotCovered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Forbidden => "forbidden",
            Verdict::NotRequired => "not_required",
            Verdict::Refer => "refer",
            Verdict::NotCovered => "not_covered",
            Verdict::Undetermined => "undetermined",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::RULE_VERDICTS
            .into_iter()
            .chain([Verdict::Undetermined])
            .find(|v| v.as_str() == s)
    }

    /// Bit used in verdict sets.
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }

    pub fn from_index(i: u8) -> Verdict {
        match i {
            0 => Verdict::Allowed,
            1 => Verdict::Forbidden,
            2 => Verdict::NotRequired,
            3 => Verdict::Refer,
            4 => Verdict::NotCovered,
            _ => Verdict::Undetermined,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    Bool,
    Enum,
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub label_en: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactDef {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: FactKind,
    pub question: String,
    pub help: String,
    pub question_en: String,
    /// For booleans: `false` then `true` (value index 0 and 1).
    pub choices: Vec<Choice>,
}

impl FactDef {
    pub fn domain_size(&self) -> usize {
        self.choices.len()
    }

    /// Mask with every value of the domain possible.
    pub fn full_mask(&self) -> u32 {
        if self.choices.len() >= 32 {
            u32::MAX
        } else {
            (1u32 << self.choices.len()) - 1
        }
    }

    pub fn value_index(&self, value: &str) -> Option<usize> {
        self.choices.iter().position(|c| c.value == value)
    }

    pub fn accepted_values(&self) -> Vec<String> {
        self.choices.iter().map(|c| c.value.clone()).collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Paragraph {
    pub key: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleVersion {
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub amended_by: Option<String>,
    pub source: String,
    pub status: String,
    pub missing: Option<String>,
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
}

impl ArticleVersion {
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_until.is_none_or(|u| date <= u)
    }

    /// The whole text: opening words then each paragraph with its key.
    pub fn full_text(&self) -> String {
        let mut out = self.text.trim().to_string();
        for p in &self.paragraphs {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&paragraph_heading(&p.key));
            out.push_str(p.text.trim());
        }
        out
    }

    pub fn paragraph(&self, key: &str) -> Option<&Paragraph> {
        self.paragraphs.iter().find(|p| p.key == key)
    }
}

fn paragraph_heading(key: &str) -> String {
    if key.chars().all(|c| c.is_ascii_digit()) {
        format!("{key}° ")
    } else if key.chars().all(|c| "IVXL bis".contains(c)) {
        format!("{key}. ")
    } else {
        String::new()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub id: String,
    pub number: String,
    pub title: String,
    pub versions: Vec<ArticleVersion>,
    pub file: String,
    pub line: usize,
}

impl Article {
    pub fn code(&self) -> &str {
        self.id.split(':').next().unwrap_or("")
    }

    pub fn version_on(&self, date: NaiveDate) -> Option<&ArticleVersion> {
        self.versions.iter().find(|v| v.in_force_on(date))
    }

    /// Dates on which some version starts or the day after one ends.
    pub fn boundaries(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.versions.iter().flat_map(|v| {
            v.valid_from
                .into_iter()
                .chain(v.valid_until.and_then(|u| u.succ_opt()))
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseLaw {
    pub id: String,
    pub date: NaiveDate,
    pub jurisdiction: String,
    pub number: Option<String>,
    pub holding: String,
    pub quote: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Profession {
    pub id: String,
    pub label: String,
    pub actors: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub id: String,
    /// Where it is declared in vocabulary.toml, for the corpus's problems
    /// (not part of what the API shows of a term).
    #[serde(skip)]
    pub line: usize,
    pub kind: String,
    pub label: String,
    pub label_en: String,
    pub detail: String,
    /// Where the step comes from (article, guide), for `next_step` terms.
    pub source: String,
    /// Later wordings, oldest first: the term follows the version of the
    /// article in force on the date of the disclosure.
    pub versions: Vec<TermVersion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermVersion {
    pub valid_from: NaiveDate,
    pub label: String,
    pub label_en: String,
    pub detail: String,
}

impl Term {
    /// The wording in force on `date`: (label, detail).
    pub fn on(&self, date: NaiveDate) -> (&str, &str) {
        match self.versions.iter().rev().find(|v| v.valid_from <= date) {
            Some(v) => (&v.label, &v.detail),
            None => (&self.label, &self.detail),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub cites: Vec<String>,
    pub quote: Option<String>,
    pub group: Option<String>,
    pub profession: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// The condition as written, for people.
    pub when_src: String,
    /// The condition compiled, with the profession's actors conjoined.
    pub when: Expr,
    pub verdict: Option<Verdict>,
    pub attaches_to: Vec<String>,
    /// An annotation shown unless the facts rule its condition out: a duty
    /// worded on a fact the interview never asks (because it changes no
    /// verdict) would otherwise vanish in the common case, where that fact
    /// is not given.
    pub shown_while_unknown: bool,
    pub conditions: Vec<String>,
    pub duties: Vec<String>,
    pub warnings: Vec<String>,
    pub case_law: Vec<String>,
    pub defeats: Vec<String>,
    /// Lawful ways forward when this rule grounds the verdict (vocabulary ids).
    pub next_steps: Vec<String>,
    pub explanation: String,
    pub file: String,
    pub line: usize,
}

impl Rule {
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_until.is_none_or(|u| date <= u)
    }

    pub fn is_annotation(&self) -> bool {
        self.verdict.is_none()
    }

    /// How the annotation's condition `w` counts toward its activity: as
    /// itself, or, when it is shown while unknown, true unless false.
    pub(crate) fn shown_when(&self, w: Tri) -> Tri {
        if self.shown_while_unknown && w == Tri::U {
            Tri::T
        } else {
            w
        }
    }
}

/// Where a legal source identifier points in the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceRef {
    pub article: usize,
    /// Some(key) when the identifier names a paragraph.
    pub paragraph: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Law {
    /// Qualities of labels and presumptions (`qualities.toml`).
    pub qualities: Qualities,
    pub facts: Vec<FactDef>,
    pub articles: Vec<Article>,
    pub case_law: Vec<CaseLaw>,
    pub professions: Vec<Profession>,
    pub terms: Vec<Term>,
    pub rules: Vec<Rule>,
    pub(crate) fact_index: HashMap<String, usize>,
    pub(crate) article_index: HashMap<String, usize>,
    pub(crate) rule_index: HashMap<String, usize>,
    /// Rule indices, every defeater before the rules it defeats.
    pub(crate) order: Vec<usize>,
    /// For each rule, the rules that defeat it (groups expanded).
    pub(crate) defeaters: Vec<Vec<usize>>,
    /// For each annotation, the verdict rules it attaches to (empty: any).
    pub(crate) attached: Vec<Vec<usize>>,
    /// Facts each rule reads, its defeaters included (bitset).
    pub(crate) reads: Vec<u64>,
    /// How many levels of rules each rule overrides (specific rules first).
    pub(crate) depth: Vec<usize>,
    /// Verdict rules of group `derogation`: the grounds (in `order`).
    pub(crate) grounds: Vec<usize>,
    /// Whether each rule is a verdict rule of group `limit`: it blocks the
    /// grounds it defeats, and gives its verdict only when no ground applies.
    pub(crate) is_limit: Vec<bool>,
    /// The limits, in `order`.
    pub(crate) limits: Vec<usize>,
    /// The periods of validity compiled for fast decisions (filled lazily
    /// by [`crate::compiled`]).
    pub(crate) compiled: Periods,
    /// What rendering a decision needs prepared once (filled lazily by
    /// [`crate::output`]).
    pub(crate) prepared: Prepared,
    /// What assembling a [`crate::Decision`] needs prepared once (filled
    /// lazily by [`crate::pieces`]).
    pub(crate) pieces: Prepared,
}

/// What the compiled layer keeps for one period of validity; the model
/// holds it without knowing its type, so that it names nothing above it.
pub(crate) type Compiled = Option<Arc<dyn Any + Send + Sync>>;

/// One slot per period during which the rules in force do not change (the
/// days between two [`Law::rule_boundaries`]), filled on demand by
/// [`crate::compiled`]. A clone starts empty: the periods belong to the
/// rules they were compiled from.
pub(crate) struct Periods {
    pub(crate) bounds: Vec<NaiveDate>,
    pub(crate) slots: Vec<OnceLock<Compiled>>,
}

impl Periods {
    pub(crate) fn new(bounds: Vec<NaiveDate>) -> Periods {
        let slots = (0..=bounds.len()).map(|_| OnceLock::new()).collect();
        Periods { bounds, slots }
    }

    /// The slot of the period containing `date`.
    pub(crate) fn slot(&self, date: NaiveDate) -> &OnceLock<Compiled> {
        &self.slots[self.bounds.partition_point(|b| *b <= date)]
    }
}

impl Clone for Periods {
    fn clone(&self) -> Periods {
        Periods::new(self.bounds.clone())
    }
}

/// One slot filled on demand by a layer above the model, which the model
/// holds without knowing its type. A clone starts empty, like [`Periods`].
#[derive(Default)]
pub(crate) struct Prepared(pub(crate) OnceLock<Compiled>);

impl Clone for Prepared {
    fn clone(&self) -> Prepared {
        Prepared::default()
    }
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.0.get().is_some() {
            "ready"
        } else {
            "empty"
        };
        write!(f, "Prepared({state})")
    }
}

impl std::fmt::Debug for Periods {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let compiled = self.slots.iter().filter(|p| p.get().is_some()).count();
        write!(f, "Periods({compiled} of {} compiled)", self.slots.len())
    }
}

impl Law {
    pub fn fact(&self, id: &str) -> Option<&FactDef> {
        self.fact_index.get(id).map(|&i| &self.facts[i])
    }

    pub fn fact_idx(&self, id: &str) -> Option<usize> {
        self.fact_index.get(id).copied()
    }

    /// The grounds (verdict rules of group `derogation`), in precedence order.
    pub fn grounds(&self) -> &[usize] {
        &self.grounds
    }

    /// Whether rule `i` is a limit: it blocks the grounds it defeats and
    /// gives its verdict only when no ground applies.
    pub fn is_limit(&self, i: usize) -> bool {
        self.is_limit[i]
    }

    /// The rules that defeat rule `i` (groups expanded), for tools that
    /// translate the rules into another formalism (the Cedar benchmark).
    pub fn defeaters_of(&self, i: usize) -> &[usize] {
        &self.defeaters[i]
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rule_index.get(id).map(|&i| &self.rules[i])
    }

    pub fn article(&self, id: &str) -> Option<&Article> {
        let base = article_part(id);
        self.article_index.get(base).map(|&i| &self.articles[i])
    }

    /// The contract identifier of an article (and paragraph) written the way
    /// a reader writes it: `csp:L.1111-5`, `CSP L 1111-5`, `R.4321-90`,
    /// `226-14 1°`, `cp:226-14:1`. Without a code, the article number must
    /// name one article of the corpus (`L1110-4` exists only in the CSP).
    /// `None` when nothing, or more than one article, matches.
    pub fn resolve_article_id(&self, query: &str) -> Option<String> {
        let words: Vec<&str> = query
            .split(|c: char| c == ':' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        let (code, rest) = match words.first() {
            Some(w)
                if self
                    .articles
                    .iter()
                    .any(|a| a.id.starts_with(&format!("{}:", w.to_lowercase()))) =>
            {
                (Some(w.to_lowercase()), &words[1..])
            }
            _ => (None, &words[..]),
        };
        // The number may have been split by a space after its letter
        // (« L. 1111-5 »): join the leading letter with what follows.
        let (number, paragraph) = match rest {
            [letter, num, tail @ ..]
                if letter.trim_end_matches('.').len() == 1
                    && letter
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic()) =>
            {
                (format!("{letter}{num}"), tail)
            }
            [num, tail @ ..] => (num.to_string(), tail),
            [] => return None,
        };
        let number: String = number
            .chars()
            .filter(|c| *c != '.')
            .collect::<String>()
            .to_uppercase();
        let candidates: Vec<&Article> = self
            .articles
            .iter()
            .filter(|a| {
                let (a_code, a_num) = a.id.split_once(':').unwrap_or(("", &a.id));
                a_num.eq_ignore_ascii_case(&number) && code.as_deref().is_none_or(|c| c == a_code)
            })
            .collect();
        let [article] = candidates[..] else {
            return None;
        };
        match paragraph {
            [] => Some(article.id.clone()),
            [p] => {
                let key = p.trim_end_matches('°').to_uppercase();
                Some(format!("{}:{key}", article.id))
            }
            _ => None,
        }
    }

    pub fn case(&self, id: &str) -> Option<&CaseLaw> {
        self.case_law.iter().find(|c| c.id == id)
    }

    pub fn term(&self, id: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }

    /// Resolves `csp:L1110-4:III` in the version in force on `date`.
    pub fn source_text(
        &self,
        id: &str,
        date: NaiveDate,
    ) -> Option<(&Article, &ArticleVersion, Option<&Paragraph>)> {
        let art = self.article(id)?;
        let version = art.version_on(date)?;
        match paragraph_part(id) {
            None => Some((art, version, None)),
            Some(key) => version.paragraph(key).map(|p| (art, version, Some(p))),
        }
    }

    /// Whether an identifier exists in some version of the corpus.
    pub fn source_exists(&self, id: &str) -> bool {
        match self.article(id) {
            None => false,
            Some(art) => match paragraph_part(id) {
                None => true,
                Some(key) => art.versions.iter().any(|v| v.paragraph(key).is_some()),
            },
        }
    }

    /// Rules that cite the article (any paragraph of it).
    pub fn rules_citing(&self, article_id: &str) -> Vec<&Rule> {
        let base = article_part(article_id);
        self.rules
            .iter()
            .filter(|r| r.cites.iter().any(|c| article_part(c) == base))
            .collect()
    }

    /// Dates at which the applicable law changes (a rule or a version starts or ends).
    pub fn boundaries(&self) -> Vec<NaiveDate> {
        let mut out: Vec<NaiveDate> = self
            .articles
            .iter()
            .flat_map(|a| a.boundaries())
            .chain(self.rule_boundaries())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The dates at which the set of rules in force changes (a rule's first
    /// day, or the day after its last). The compiled periods follow these
    /// alone: a program and a diagram read the date only through the rules
    /// in force, so an article's new version does not compile them again.
    pub fn rule_boundaries(&self) -> Vec<NaiveDate> {
        let mut out: Vec<NaiveDate> = self
            .rules
            .iter()
            .flat_map(|r| {
                r.valid_from
                    .into_iter()
                    .chain(r.valid_until.and_then(|u| u.succ_opt()))
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// One date inside each period during which the law does not change.
    pub fn epochs(&self) -> Vec<NaiveDate> {
        let bounds = self.boundaries();
        let mut out = Vec::new();
        match bounds.first() {
            None => out.push(NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date")),
            Some(first) => {
                out.push(first.pred_opt().unwrap_or(*first));
                out.extend(bounds.iter().copied());
            }
        }
        out
    }
}

/// `csp:L1110-4:III` → `csp:L1110-4`.
pub fn article_part(id: &str) -> &str {
    let mut parts = id.splitn(3, ':');
    let code = parts.next().unwrap_or("");
    match parts.next() {
        Some(art) => &id[..code.len() + 1 + art.len()],
        None => id,
    }
}

/// `csp:L1110-4:III` → `Some("III")`.
pub fn paragraph_part(id: &str) -> Option<&str> {
    id.splitn(3, ':').nth(2)
}
