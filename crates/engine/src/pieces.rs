//! The contract's [`Decision`] assembled from pieces prepared once per law:
//! each rule's trace entries (one per outcome, in one table), each version
//! of each article, each presumption, and each line of the explanation
//! already laid out. A decision clones the shared pieces its assessment
//! selects instead of formatting its strings (its citations, the article
//! versions…), and its trace names the table's entries by index behind
//! one shared pointer: what the CLI, the pages and the interview render. [`Law::build`] formats the same decision string by
//! string; the reference engine uses it, and the tests compare both.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::assessment::{outcome_index, Assessment, DEFEATED, OUTCOMES};
use crate::decision::{
    Decision, Presumed, Trace, TraceEntry, VersionUsed, INCOMPLETE_TEXT, PARTIAL,
};
use crate::eval::Status;
use crate::law::{article_part, paragraph_part, Law, Verdict};
use crate::situation::Situation;
use crate::wording;

/// One rule, ready to be listed. Its trace entries are indices into
/// [`Pieces::trace`].
pub(crate) struct RulePieces {
    /// Its trace entry for each outcome of [`OUTCOMES`] (`defeated`: by no
    /// rule named).
    pub(crate) entries: [u32; 4],
    /// Its trace entry when defeated, for each rule that may defeat it
    /// (its defeaters; a limit: the grounds).
    pub(crate) defeated: Vec<(usize, u32)>,
    /// Its entry when the rule is not in force: before its period (when it
    /// has a start), and after it.
    pub(crate) before: Option<u32>,
    pub(crate) after: u32,
    /// The rule's period of validity, its open ends as the extreme dates:
    /// whether it is in force is two comparisons per rule of the trace.
    pub(crate) from: NaiveDate,
    pub(crate) until: NaiveDate,
    /// Indices into [`Pieces::strings`].
    pub(crate) cites: Vec<u32>,
    pub(crate) conditions: Vec<u32>,
    pub(crate) duties: Vec<u32>,
    pub(crate) warnings: Vec<u32>,
    pub(crate) case_law: Vec<u32>,
    pub(crate) next_steps: Vec<u32>,
    /// The articles of the corpus it cites, by index into [`Law::articles`].
    pub(crate) articles: Vec<usize>,
    /// Its explanation trimmed, when not empty: as `reasons` lists it.
    pub(crate) reason: Option<String>,
}

/// A string a decision lists (a citation, a vocabulary identifier).
pub(crate) struct StringPieces {
    pub(crate) text: String,
    /// Its line among the conditions, duties or warnings: the term's
    /// wording before any later version, then the later ones with their
    /// start, oldest first.
    pub(crate) label: (String, Vec<(NaiveDate, String)>),
    /// Its line among the ways forward.
    pub(crate) step: String,
    /// A citation of a paragraph: the article's index, the paragraph's key
    /// and the string of the article itself (the basis names the article on
    /// a date when its version has no such paragraph).
    pub(crate) whole: Option<(usize, String, u32)>,
}

/// Everything a [`Decision`] is assembled from, for one law.
pub(crate) struct Pieces {
    /// Every trace entry of every rule, shared by the decisions' traces
    /// (see [`crate::decision::Trace`]).
    pub(crate) trace: Arc<[TraceEntry]>,
    pub(crate) strings: Vec<StringPieces>,
    pub(crate) rules: Vec<RulePieces>,
    /// For each article of the corpus, each version: its `law_versions`
    /// entry and its line in the explanation.
    pub(crate) versions: Vec<Vec<(Arc<VersionUsed>, String)>>,
    /// The warning [`INCOMPLETE_TEXT`], by index into `strings`: given
    /// with an answer that rests on a version held only in part.
    pub(crate) incomplete_text: u32,
    /// Each presumption: its `presumed` entry and its line.
    pub(crate) presumptions: Vec<(Arc<Presumed>, String)>,
    /// Each fact's question, as the explanation's last line.
    pub(crate) questions: Vec<String>,
    /// The line of the verdicts still possible, for each set of them.
    pub(crate) possible: Vec<String>,
}

/// Interns the strings rules list, so that duplicates compare as numbers.
struct Interner<'a> {
    index: std::collections::HashMap<&'a str, u32>,
    strings: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let n = self.strings.len() as u32;
        *self.index.entry(s).or_insert_with(|| {
            self.strings.push(s);
            n
        })
    }
    fn ids(&mut self, items: &'a [String]) -> Vec<u32> {
        items.iter().map(|s| self.id(s)).collect()
    }
}

impl Pieces {
    fn prepare(law: &Law) -> Pieces {
        let mut strings = Interner {
            index: Default::default(),
            strings: Vec::new(),
        };
        let mut wholes = Vec::new();
        let mut trace: Vec<TraceEntry> = Vec::new();
        let mut rules = Vec::with_capacity(law.rules.len());
        for (i, r) in law.rules.iter().enumerate() {
            for c in &r.cites {
                let (Some(key), Some(&a)) =
                    (paragraph_part(c), law.article_index.get(article_part(c)))
                else {
                    continue;
                };
                let k = strings.id(c);
                wholes.push((k, (a, key.to_string(), strings.id(article_part(c)))));
            }
            let mut entry = |outcome: &'static str, by: Option<usize>, note: Option<String>| {
                trace.push(TraceEntry {
                    rule: r.id.clone(),
                    outcome,
                    by: by.map(|d| law.rules[d].id.clone()),
                    cites: r.cites.clone(),
                    note,
                });
                (trace.len() - 1) as u32
            };
            // `out_of_period` only compares the date with the start.
            let before = r.valid_from.and_then(|f| f.pred_opt()).map(|d| {
                let note = wording::out_of_period(r.valid_from, r.valid_until, d);
                entry("not_applicable", None, Some(note))
            });
            let note = wording::out_of_period(r.valid_from, r.valid_until, NaiveDate::MAX);
            let grounds: &[usize] = if law.is_limit(i) { law.grounds() } else { &[] };
            let mut defeated: Vec<(usize, u32)> = Vec::new();
            for &d in law.defeaters[i].iter().chain(grounds) {
                if !defeated.iter().any(|(x, _)| *x == d) {
                    defeated.push((d, entry("defeated", Some(d), None)));
                }
            }
            let mut articles = Vec::new();
            for c in &r.cites {
                if let Some(&a) = law.article_index.get(article_part(c)) {
                    if !articles.contains(&a) {
                        articles.push(a);
                    }
                }
            }
            let reason = r.explanation.trim();
            let entries = OUTCOMES.map(|o| entry(o, None, None));
            let after = entry("not_applicable", None, Some(note));
            rules.push(RulePieces {
                entries,
                defeated,
                before,
                after,
                from: r.valid_from.unwrap_or(NaiveDate::MIN),
                until: r.valid_until.unwrap_or(NaiveDate::MAX),
                cites: strings.ids(&r.cites),
                conditions: strings.ids(&r.conditions),
                duties: strings.ids(&r.duties),
                warnings: strings.ids(&r.warnings),
                case_law: strings.ids(&r.case_law),
                next_steps: strings.ids(&r.next_steps),
                articles,
                reason: (!reason.is_empty()).then(|| reason.to_string()),
            });
        }
        let incomplete_text = strings.id(INCOMPLETE_TEXT);
        let mut strings: Vec<StringPieces> = strings
            .strings
            .iter()
            .map(|&id| match law.term(id) {
                Some(t) => StringPieces {
                    text: id.to_string(),
                    label: (
                        wording::item_line(&t.label),
                        t.versions
                            .iter()
                            .map(|v| (v.valid_from, wording::item_line(&v.label)))
                            .collect(),
                    ),
                    step: wording::step_line(&t.label, &t.source),
                    whole: None,
                },
                None => StringPieces {
                    text: id.to_string(),
                    label: (wording::item_line(id), Vec::new()),
                    step: wording::step_line(id, ""),
                    whole: None,
                },
            })
            .collect();
        for (k, whole) in wholes {
            strings[k as usize].whole = Some(whole);
        }
        let versions = law
            .articles
            .iter()
            .map(|art| {
                art.versions
                    .iter()
                    .map(|v| {
                        let used = VersionUsed::of(art, v);
                        let line = wording::version_line(
                            &used.citation,
                            &used.period,
                            v.status == "complete",
                        );
                        (Arc::new(used), line)
                    })
                    .collect()
            })
            .collect();
        let presumptions = law
            .qualities
            .presumptions
            .iter()
            .map(|p| {
                let entry = Presumed::of(&law.facts[p.fact], p);
                (Arc::new(entry), wording::item_line(&p.explanation))
            })
            .collect();
        Pieces {
            trace: trace.into(),
            strings,
            rules,
            versions,
            incomplete_text,
            presumptions,
            questions: law
                .facts
                .iter()
                .map(|f| wording::question_line(&f.question))
                .collect(),
            possible: (0..32u8)
                .map(|set| wording::possible_line(&verdicts_of(set)))
                .collect(),
        }
    }

    /// A citation as the basis names it on `on`: the article itself when
    /// the version in force has no such paragraph.
    pub(crate) fn cited_on(&self, law: &Law, k: u32, on: NaiveDate) -> u32 {
        match &self.strings[k as usize].whole {
            Some((a, key, article)) => match law.articles[*a].version_on(on) {
                Some(v) if v.paragraph(key).is_none() => *article,
                _ => k,
            },
            None => k,
        }
    }

    /// The strings `items` names, each once, in order.
    fn list<'a>(&self, seen: &mut Vec<u32>, items: impl Iterator<Item = &'a u32>) -> Vec<String> {
        seen.clear();
        let mut out = Vec::new();
        for &k in items {
            if !seen.contains(&k) {
                seen.push(k);
                out.push(self.strings[k as usize].text.clone());
            }
        }
        out
    }
}

/// The verdicts of a set (bit `k`: verdict `k`), in order.
pub(crate) fn verdicts_of(set: u8) -> Vec<Verdict> {
    (0..5u8)
        .filter(|k| set & (1 << k) != 0)
        .map(Verdict::from_index)
        .collect()
}

/// `2026-12-01`, as chrono writes it (`%Y-%m-%d`). The digits are
/// written by hand for the years of four digits: `write!` cost most of
/// the date's rendering.
pub(crate) fn iso_date(out: &mut String, d: NaiveDate) {
    match u32::try_from(d.year()) {
        Ok(y) if y <= 9999 => {
            let digit = |n: u32| b'0' + n as u8;
            let (m, day) = (d.month(), d.day());
            let text = [
                digit(y / 1000),
                digit(y / 100 % 10),
                digit(y / 10 % 10),
                digit(y % 10),
                b'-',
                digit(m / 10),
                digit(m % 10),
                b'-',
                digit(day / 10),
                digit(day % 10),
            ];
            out.push_str(std::str::from_utf8(&text).expect("ASCII digits"));
        }
        _ => {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
    }
}

impl Law {
    pub(crate) fn pieces(&self) -> &Pieces {
        self.pieces
            .0
            .get_or_init(|| Some(Arc::new(Pieces::prepare(self)) as _))
            .as_deref()
            .and_then(|p| p.downcast_ref::<Pieces>())
            .expect("pieces prepared")
    }

    /// Prepares the pieces of the [`Decision`] now (otherwise the first
    /// decision does).
    pub fn prepare_decisions(&self) {
        self.pieces();
    }

    /// Decides a situation (the contract's function), with the compiled
    /// law ([`crate::compiled`]); [`crate::reference::decide`] gives the same
    /// decision by search, for the tests.
    pub fn decide(&self, s: &Situation) -> Decision {
        self.render(s, &self.assess(s))
    }

    /// The contract's decision from an assessment of the same situation.
    pub fn render(&self, _s: &Situation, a: &Assessment) -> Decision {
        self.assemble(a, &self.missing(a))
    }

    /// The contract's decision from an assessment and the ranked missing
    /// facts (empty unless the verdict is undetermined), from the prepared
    /// pieces: the same decision as [`Law::build`].
    pub(crate) fn assemble(&self, a: &Assessment, missing: &[usize]) -> Decision {
        let p = self.pieces();
        let (s, st, verdict, date) = (&a.situation, &a.status, a.verdict, a.situation.as_of);
        let plan = self.plan(st, verdict);
        let listed = || plan.listed().map(|i| &p.rules[i]);
        let mut seen = Vec::new();
        // Annotations carry no verdict: only the grounding rules' citations,
        // then those of the grounds a limit blocked.
        let basis: Vec<u32> = plan
            .grounding(self)
            .flat_map(|i| &p.rules[i].cites)
            .map(|&k| p.cited_on(self, k, date))
            .collect();
        let basis = p.list(&mut seen, basis.iter());
        let conditions = p.list(&mut seen, listed().flat_map(|r| &r.conditions));
        let duties = p.list(&mut seen, listed().flat_map(|r| &r.duties));
        let mut versions: Vec<&(Arc<VersionUsed>, String)> = Vec::new();
        let mut articles: Vec<usize> = Vec::new();
        for &i in listed().flat_map(|r| &r.articles) {
            if articles.contains(&i) {
                continue;
            }
            articles.push(i);
            if let Some(v) = self.articles[i]
                .versions
                .iter()
                .position(|v| v.in_force_on(date))
            {
                versions.push(&p.versions[i][v]);
            }
        }
        // Resting on a version held in part adds its warning last.
        let partial = versions.iter().any(|(v, _)| v.status == PARTIAL);
        let extra = partial.then_some(&p.incomplete_text);
        let warned = || listed().flat_map(|r| &r.warnings).chain(extra);
        let warnings = p.list(&mut seen, warned());
        let case_law = p.list(&mut seen, listed().flat_map(|r| &r.case_law));
        let next_steps = p.list(&mut seen, listed().flat_map(|r| &r.next_steps));
        let mut facts = 0u64;
        let mut presumed = Vec::new();
        for (q, piece) in self.qualities.presumptions.iter().zip(&p.presumptions) {
            if a.presumed & (1 << q.fact) != 0
                && q.made(s.masks[q.fact])
                && facts & (1 << q.fact) == 0
            {
                facts |= 1 << q.fact;
                presumed.push(piece);
            }
        }
        let trace = self.trace_of(p, st, date);
        let reasons: Vec<&str> = listed().filter_map(|r| r.reason.as_deref()).collect();
        let mut explanation = String::with_capacity(2048);
        explanation.push_str(verdict.label_fr());
        explanation.push_str(".\n");
        let steps = listed().flat_map(|r| &r.next_steps);
        lines(
            &mut explanation,
            &mut seen,
            wording::NEXT_STEPS_HEADING,
            steps,
            |k| &p.strings[k as usize].step,
        );
        if !presumed.is_empty() {
            explanation.push_str(wording::PRESUMED_HEADING);
            for (_, line) in &presumed {
                explanation.push_str(line);
            }
        }
        if verdict == Verdict::Undetermined {
            explanation.push_str(&p.possible[(a.possible & 0b1_1111) as usize]);
            if let Some(&m) = missing.first() {
                explanation.push_str(&p.questions[m]);
            }
        } else {
            for r in &reasons {
                explanation.push_str(r);
                explanation.push('\n');
            }
            for (k, title) in wording::LIST_HEADINGS.into_iter().enumerate() {
                let items = listed()
                    .flat_map(|r| match k {
                        0 => &r.conditions,
                        1 => &r.duties,
                        _ => &r.warnings,
                    })
                    .chain(extra.filter(|_| k == 2));
                lines(&mut explanation, &mut seen, title, items, |k| {
                    let (first, later) = &p.strings[k as usize].label;
                    later
                        .iter()
                        .rev()
                        .find(|(from, _)| *from <= date)
                        .map_or(first, |(_, t)| t)
                });
            }
            if !versions.is_empty() {
                explanation.push_str(&wording::versions_heading(date));
                for (_, line) in &versions {
                    explanation.push_str(line);
                }
            }
        }
        let mut as_of = String::with_capacity(10);
        iso_date(&mut as_of, date);
        Decision {
            verdict,
            basis,
            conditions,
            duties,
            warnings,
            case_law,
            explanation,
            as_of,
            missing: missing.iter().map(|&f| self.facts[f].id.clone()).collect(),
            trace,
            possible_verdicts: verdicts_of(a.possible),
            reasons: reasons.into_iter().map(str::to_string).collect(),
            law_versions: versions.into_iter().map(|(v, _)| v.clone()).collect(),
            next_steps,
            presumed: presumed.into_iter().map(|(q, _)| q.clone()).collect(),
        }
    }
}

impl Law {
    /// Rule `i`'s trace entry on `date` (its pieces `t`, status `st`): its
    /// index into [`Pieces::trace`], or `Err(d)` when it was defeated by a
    /// rule `d` its prepared entries do not name (not produced by the
    /// evaluation today). The JSON's trace picks the same entries.
    /// Inlined: both renderings call it once per rule of every decision.
    #[inline]
    pub(crate) fn trace_pick(
        &self,
        t: &RulePieces,
        i: usize,
        st: &Status,
        date: NaiveDate,
    ) -> Result<u32, usize> {
        // Not in force (`Rule::in_force_on`): before its period when it
        // has a start (then `before` was prepared), else after it.
        if date < t.from {
            return Ok(t.before.unwrap_or(t.after));
        }
        if date > t.until {
            return Ok(t.after);
        }
        match outcome_index(st, i) {
            (DEFEATED, Some(d)) => t
                .defeated
                .iter()
                .find(|(x, _)| *x == d)
                .map(|&(_, e)| e)
                .ok_or(d),
            (k, _) => Ok(t.entries[k]),
        }
    }

    /// The trace of a status on `date`: each rule's prepared entry, named by
    /// its index in the shared table.
    fn trace_of(&self, p: &Pieces, st: &Status, date: NaiveDate) -> Trace {
        let mut picks = Vec::with_capacity(self.rules.len());
        for (i, t) in p.rules.iter().enumerate() {
            match self.trace_pick(t, i, st, date) {
                Ok(k) => picks.push(k),
                Err(_) => return self.trace_with_unprepared(p, st, date),
            }
        }
        Trace::picked(p.trace.clone(), picks)
    }

    /// [`Law::trace_of`] when some rule's entry was not prepared: every
    /// entry copied into a trace of its own, the missing ones made.
    #[cold]
    fn trace_with_unprepared(&self, p: &Pieces, st: &Status, date: NaiveDate) -> Trace {
        let entries = p
            .rules
            .iter()
            .enumerate()
            .map(|(i, t)| match self.trace_pick(t, i, st, date) {
                Ok(k) => p.trace[k as usize].clone(),
                Err(d) => TraceEntry {
                    by: Some(self.rules[d].id.clone()),
                    ..p.trace[t.entries[DEFEATED] as usize].clone()
                },
            })
            .collect();
        Trace::owned(entries)
    }
}

/// The lines of `items`, each once, after `title` when there is one.
pub(crate) fn lines<'a, 'p>(
    out: &mut String,
    seen: &mut Vec<u32>,
    title: &str,
    items: impl Iterator<Item = &'a u32>,
    line: impl Fn(u32) -> &'p str,
) {
    seen.clear();
    for &k in items {
        if seen.contains(&k) {
            continue;
        }
        if seen.is_empty() {
            out.push_str(title);
        }
        seen.push(k);
        out.push_str(line(k));
    }
}
