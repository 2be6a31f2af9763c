//! The contract's decision: verdict, basis, conditions, duties, warnings,
//! case law, missing facts, trace, and an explanation built from the
//! rules' own sentences (laid out by [`crate::wording`]).

use std::sync::Arc;

use chrono::NaiveDate;
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use crate::assessment::outcome;
use crate::eval::Status;
use crate::expr::Tri;
use crate::law::{article_part, Law, Verdict};
use crate::situation::Situation;
use crate::wording::{self, Explanation};

/// Kept at their former paths.
pub use crate::assessment::{Assessment, DECIDE_BUDGET};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TraceEntry {
    pub rule: String,
    /// `applied`, `defeated`, `not_applicable` or `unknown`.
    pub outcome: &'static str,
    /// The rule that defeated this one.
    pub by: Option<String>,
    pub cites: Vec<String>,
    /// Why, when the outcome needs a word (out of its period of validity…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A decision's trace: one entry per rule, in the law's order.
///
/// The entries are the law's, prepared once ([`crate::pieces`]): a trace
/// holds the whole table behind one shared pointer and, for each rule, the
/// index of its entry, so that rendering and dropping a decision count one
/// reference, not one per rule. Serialised as the list of its entries.
#[derive(Clone)]
pub struct Trace {
    table: Arc<[TraceEntry]>,
    picks: Vec<u32>,
}

impl Trace {
    /// A trace of entries made for it (the reference rendering).
    pub(crate) fn owned(entries: Vec<TraceEntry>) -> Trace {
        Trace {
            picks: (0..entries.len() as u32).collect(),
            table: entries.into(),
        }
    }

    /// The entries `picks` names in `table`.
    pub(crate) fn picked(table: Arc<[TraceEntry]>, picks: Vec<u32>) -> Trace {
        debug_assert!(picks.iter().all(|&k| (k as usize) < table.len()));
        Trace { table, picks }
    }

    /// The entries, in the law's order of the rules.
    pub fn iter(&self) -> TraceIter<'_> {
        TraceIter {
            table: &self.table,
            picks: self.picks.iter(),
        }
    }

    /// The entry of the rule of index `i`.
    pub fn get(&self, i: usize) -> Option<&TraceEntry> {
        self.picks.get(i).map(|&k| &self.table[k as usize])
    }

    pub fn len(&self) -> usize {
        self.picks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.picks.is_empty()
    }
}

/// The entries of a [`Trace`], in order.
#[derive(Clone)]
pub struct TraceIter<'a> {
    table: &'a [TraceEntry],
    picks: std::slice::Iter<'a, u32>,
}

impl<'a> Iterator for TraceIter<'a> {
    type Item = &'a TraceEntry;
    fn next(&mut self) -> Option<&'a TraceEntry> {
        self.picks.next().map(|&k| &self.table[k as usize])
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.picks.size_hint()
    }
}

impl DoubleEndedIterator for TraceIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.picks.next_back().map(|&k| &self.table[k as usize])
    }
}

impl ExactSizeIterator for TraceIter<'_> {}

impl<'a> IntoIterator for &'a Trace {
    type Item = &'a TraceEntry;
    type IntoIter = TraceIter<'a>;
    fn into_iter(self) -> TraceIter<'a> {
        self.iter()
    }
}

impl PartialEq for Trace {
    fn eq(&self, other: &Trace) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Trace {}

impl std::fmt::Debug for Trace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Trace {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.len()))?;
        for e in self.iter() {
            seq.serialize_element(e)?;
        }
        seq.end()
    }
}

/// Which version of a cited article was applied.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VersionUsed {
    pub article: String,
    pub number: String,
    /// « art. R. 4321-90 du code de la santé publique ».
    pub citation: String,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub status: String,
    pub period: String,
}

/// The status of an article's version that the corpus holds only in part.
pub(crate) const PARTIAL: &str = "partial";
/// The warning given with every answer that rests on such a version.
pub(crate) const INCOMPLETE_TEXT: &str = "incomplete_text";

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    pub basis: Vec<String>,
    pub conditions: Vec<String>,
    pub duties: Vec<String>,
    pub warnings: Vec<String>,
    pub case_law: Vec<String>,
    pub explanation: String,
    pub as_of: String,
    pub missing: Vec<String>,
    /// One entry per rule (see [`Trace`]).
    pub trace: Trace,
    /// Extension: the verdicts still possible when undetermined.
    pub possible_verdicts: Vec<Verdict>,
    /// Extension: the French sentences of the rules applied, most specific
    /// first (the explanation without its lists), for pages that lay them out.
    pub reasons: Vec<String>,
    /// Extension: the version of each cited article that was applied.
    pub law_versions: Vec<Arc<VersionUsed>>,
    /// Extension (2026-11): the lawful ways forward, most useful first
    /// (vocabulary ids of kind `next_step`).
    pub next_steps: Vec<String>,
    /// Extension: facts the decision presumed because they were not given
    /// (`law/qualities.toml`), with the reason; a fact given always wins.
    pub presumed: Vec<Arc<Presumed>>,
}

/// A fact filled by a presumption: its value, or the values it rules out
/// (`excluded`, and then no `value`: the fact stays open among the others).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Presumed {
    pub fact: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<String>,
    pub explanation: String,
}

impl Presumed {
    pub(crate) fn of(fact: &crate::law::FactDef, p: &crate::qualities::Presumption) -> Self {
        let values = |m: u32| {
            (0..fact.choices.len())
                .filter(|&i| m & (1 << i) != 0)
                .map(|i| fact.choices[i].value.clone())
                .collect::<Vec<_>>()
        };
        Presumed {
            fact: fact.id.clone(),
            value: (p.excludes == 0).then(|| fact.choices[p.value].value.clone()),
            excluded: values(p.excludes),
            explanation: p.explanation.clone(),
        }
    }
}

/// What a decision lists, as rule indices (see [`Law::plan`]).
pub(crate) struct Plan {
    /// The rules that ground the verdict, most specific first.
    pub contributors: Vec<usize>,
    /// The annotations active on them.
    pub annotations: Vec<usize>,
    /// When forbidden: the grounds whose condition held but a limit blocked.
    pub blocked: Vec<usize>,
}

impl Plan {
    /// The rules a decision lists: the contributors, then the annotations.
    pub fn listed(&self) -> impl Iterator<Item = usize> + '_ {
        self.contributors.iter().chain(&self.annotations).copied()
    }

    /// The rules whose citations make the basis: the contributors with a
    /// verdict (annotations carry none), then the grounds a limit blocked.
    pub fn grounding<'a>(&'a self, law: &'a Law) -> impl Iterator<Item = usize> + 'a {
        self.contributors
            .iter()
            .filter(|&&i| law.rules[i].verdict.is_some())
            .chain(&self.blocked)
            .copied()
    }
}

impl VersionUsed {
    /// Version `v` of article `art`, as a decision lists it.
    pub(crate) fn of(art: &crate::law::Article, v: &crate::law::ArticleVersion) -> VersionUsed {
        VersionUsed {
            article: art.id.clone(),
            number: art.number.clone(),
            citation: art.citation_fr(),
            valid_from: v.valid_from.map(|d| d.to_string()),
            valid_until: v.valid_until.map(|d| d.to_string()),
            status: v.status.clone(),
            period: v.period_fr(),
        }
    }
}

fn push_all(out: &mut Vec<String>, items: &[String]) {
    for i in items {
        if !out.contains(i) {
            out.push(i.clone());
        }
    }
}

impl Law {
    /// A rule cites a paragraph as the article is divided today; on a date
    /// when the version in force has no such paragraph (L. 1110-4 before its
    /// 2016 rewrite, L. 1111-2 before its II of 2020), the basis names the
    /// article, never a paragraph that did not exist.
    fn cited_as_in_force(&self, cites: Vec<String>, on: NaiveDate) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(cites.len());
        for c in cites {
            let id = match (crate::law::paragraph_part(&c), self.article(&c)) {
                (Some(k), Some(art)) => match art.version_on(on) {
                    Some(v) if v.paragraph(k).is_none() => article_part(&c).to_string(),
                    _ => c,
                },
                _ => c,
            };
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    /// The facts whose answers may change an undetermined verdict, most
    /// decisive first (indices into [`Law::facts`]); empty when the verdict
    /// is settled. The decision's `missing`, before it is rendered.
    pub fn missing(&self, a: &Assessment) -> Vec<usize> {
        if a.verdict == Verdict::Undetermined {
            self.missing_facts(&a.situation, &a.status)
        } else {
            vec![]
        }
    }

    /// The rules that ground the verdict, the annotations completing them
    /// and the grounds a limit blocked: what every rendering of the
    /// decision lists, as rule indices ([`crate::output`] writes the same
    /// decision as JSON from them).
    pub(crate) fn plan(&self, st: &Status, verdict: Verdict) -> Plan {
        // The rules that ground the verdict: certainly active ones, else (a
        // verdict proven by splitting) those that may be active.
        let mut contributors: Vec<usize> = Vec::new();
        if verdict == Verdict::Undetermined {
            return Plan {
                contributors,
                annotations: vec![],
                blocked: vec![],
            };
        }
        // Loops rather than filtered iterators: their closures were not
        // inlined, a call per rule of every decision. The status first (a
        // byte a rule, in order), each rule's definition only for the few
        // it leaves.
        for want in [Tri::T, Tri::U] {
            for &i in &self.order {
                if st.active[i] == want && self.rules[i].verdict == Some(verdict) {
                    contributors.push(i);
                }
            }
            if !contributors.is_empty() {
                break;
            }
        }
        // Most specific first: a rule that defeats others comes before them.
        contributors.reverse();
        contributors.sort_by_key(|&i| std::cmp::Reverse(self.depth[i]));
        let mut annotations: Vec<usize> = Vec::new();
        for i in 0..self.rules.len() {
            if st.active[i] == Tri::T
                && self.rules[i].is_annotation()
                && (self.attached[i].is_empty()
                    || self.attached[i].iter().any(|a| contributors.contains(a)))
            {
                annotations.push(i);
            }
        }
        // « Pourquoi pas ? »: a forbidden verdict also names the grounds whose
        // conditions held but which a limit blocked (their unmet requirement).
        let blocked: Vec<usize> = if verdict == Verdict::Forbidden {
            self.grounds
                .iter()
                .copied()
                .filter(|&i| st.when[i] == Tri::T && st.active[i] == Tri::F)
                .collect()
        } else {
            vec![]
        };
        Plan {
            contributors,
            annotations,
            blocked,
        }
    }

    /// The contract's decision from an assessment and the ranked missing
    /// facts (empty unless the verdict is undetermined), every string
    /// formatted here: the reference engine's rendering, which the tests
    /// compare with [`Law::assemble`]'s (from prepared pieces).
    pub(crate) fn build(&self, a: &Assessment, missing: Vec<usize>) -> Decision {
        let (s, st, verdict, possible, presumed_bits) =
            (&a.situation, &a.status, a.verdict, a.possible, a.presumed);
        let Plan {
            contributors,
            annotations,
            blocked,
        } = self.plan(st, verdict);
        let mut basis = Vec::new();
        let mut conditions = Vec::new();
        let mut duties = Vec::new();
        let mut warnings = Vec::new();
        let mut case_law = Vec::new();
        let mut next_steps = Vec::new();
        for &i in contributors.iter().chain(&annotations) {
            let r = &self.rules[i];
            if r.verdict.is_some() {
                push_all(&mut basis, &r.cites);
            }
            push_all(&mut conditions, &r.conditions);
            push_all(&mut duties, &r.duties);
            push_all(&mut warnings, &r.warnings);
            push_all(&mut case_law, &r.case_law);
            push_all(&mut next_steps, &r.next_steps);
        }
        for &i in &blocked {
            push_all(&mut basis, &self.rules[i].cites);
        }
        let basis = self.cited_as_in_force(basis, s.as_of);
        let missing: Vec<String> = missing
            .into_iter()
            .map(|f| self.facts[f].id.clone())
            .collect();
        let trace = self.trace(s, st);
        let mut cited: Vec<String> = Vec::new();
        for &i in contributors.iter().chain(&annotations) {
            for c in &self.rules[i].cites {
                let a = article_part(c).to_string();
                if !cited.contains(&a) {
                    cited.push(a);
                }
            }
        }
        let law_versions: Vec<Arc<VersionUsed>> = cited
            .iter()
            .filter_map(|a| {
                let art = self.article(a)?;
                let v = art.version_on(s.as_of)?;
                Some(Arc::new(VersionUsed::of(art, v)))
            })
            .collect();
        // An answer that rests on a version the corpus holds only in part
        // says so, whichever rule gave it (blind case b15-107).
        if law_versions.iter().any(|v| v.status == PARTIAL) {
            push_all(&mut warnings, &[INCOMPLETE_TEXT.to_string()]);
        }
        let possible_verdicts: Vec<Verdict> = (0..5u8)
            .filter(|i| possible & (1 << i) != 0)
            .map(Verdict::from_index)
            .collect();
        let mut d = Decision {
            verdict,
            basis,
            conditions,
            duties,
            warnings,
            case_law,
            explanation: String::new(),
            as_of: s.as_of.format("%Y-%m-%d").to_string(),
            missing,
            trace,
            possible_verdicts,
            reasons: contributors
                .iter()
                .chain(&annotations)
                .map(|&i| self.rules[i].explanation.trim().to_string())
                .filter(|e| !e.is_empty())
                .collect(),
            law_versions,
            next_steps,
            presumed: self.presumed_list(s, presumed_bits),
        };
        d.explanation = self.explain(&d, s);
        d
    }

    fn presumed_list(&self, s: &Situation, bits: u64) -> Vec<Arc<Presumed>> {
        self.qualities
            .presumptions
            .iter()
            .filter(|p| bits & (1 << p.fact) != 0 && p.made(s.masks[p.fact]))
            .map(|p| Arc::new(Presumed::of(&self.facts[p.fact], p)))
            .fold(Vec::new(), |mut out: Vec<Arc<Presumed>>, p| {
                if !out.iter().any(|x| x.fact == p.fact) {
                    out.push(p);
                }
                out
            })
    }

    fn trace(&self, s: &Situation, st: &Status) -> Trace {
        let entries = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let (outcome, by, note) = if !r.in_force_on(s.as_of) {
                    let note = wording::out_of_period(r.valid_from, r.valid_until, s.as_of);
                    ("not_applicable", None, Some(note))
                } else {
                    let (o, by) = outcome(st, i);
                    (o, by.map(|d| self.rules[d].id.clone()), None)
                };
                TraceEntry {
                    rule: r.id.clone(),
                    outcome,
                    by,
                    cites: r.cites.clone(),
                    note,
                }
            })
            .collect();
        Trace::owned(entries)
    }

    /// The explanation of `d`, its terms and question resolved on its date.
    fn explain(&self, d: &Decision, s: &Situation) -> String {
        fn on<'a>(law: &'a Law, ids: &'a [String], date: NaiveDate) -> Vec<&'a str> {
            ids.iter()
                .map(|id| law.term(id).map(|t| t.on(date).0).unwrap_or(id.as_str()))
                .collect()
        }
        let labels = |ids| on(self, ids, s.as_of);
        wording::explanation(&Explanation {
            verdict: d.verdict,
            next_steps: d
                .next_steps
                .iter()
                .map(|id| match self.term(id) {
                    Some(t) => (t.label.as_str(), t.source.as_str()),
                    None => (id.as_str(), ""),
                })
                .collect(),
            presumed: d.presumed.iter().map(|p| p.explanation.as_str()).collect(),
            possible: &d.possible_verdicts,
            question: d
                .missing
                .first()
                .and_then(|m| self.fact(m))
                .map(|f| f.question.as_str()),
            reasons: &d.reasons,
            conditions: labels(&d.conditions),
            duties: labels(&d.duties),
            warnings: labels(&d.warnings),
            as_of: s.as_of,
            versions: d
                .law_versions
                .iter()
                .map(|v| {
                    (
                        v.citation.as_str(),
                        v.period.as_str(),
                        v.status == "complete",
                    )
                })
                .collect(),
        })
    }
}
