//! The contract's decision as JSON text, written from fragments prepared
//! once per law: each rule's trace entries and lists, each article
//! version, each presumption and each line of the explanation, already
//! escaped; a decision concatenates the ones its assessment selects.
//! The bytes are exactly those `serde_json` writes for the [`crate::Decision`]
//! that [`Law::decide`] builds (same order, same escaping): the tests
//! compare both, and `sceau-load dump` prints this text.
//!
//! What depends on the date of the decision (whether a rule is in force,
//! the version of an article, the wording of a term) is prepared in every
//! variant and chosen by the date, so that one preparation serves every
//! period.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::assessment::Assessment;
use crate::decision::{TraceEntry, PARTIAL};
use crate::law::{Law, Verdict};
use crate::pieces::{iso_date, lines, Pieces};
use crate::situation::Situation;
use crate::wording;

/// A string as a JSON literal, quotes included.
fn literal<T: Serialize + ?Sized>(v: &T) -> Box<str> {
    serde_json::to_string(v)
        .expect("strings serialise")
        .into_boxed_str()
}

/// The JSON escaping of a text, without the quotes: the explanation is one
/// JSON string made of such pieces (escaping is character by character).
fn escaped(text: &str) -> Box<str> {
    let l = literal(text);
    l[1..l.len() - 1].into()
}

/// Appends the JSON escaping of `text` (without quotes), byte for byte
/// as [`escaped`] (`serde_json`) writes it, without its allocations: for
/// the one line of the explanation that depends on the date (the heading
/// of the texts applied).
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (k, b) in text.bytes().enumerate() {
        let short = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'\n' => 'n',
            b'\t' => 't',
            b'\r' => 'r',
            0x08 => 'b',
            0x0c => 'f',
            0..=0x1f => 'u',
            _ => continue,
        };
        out.push_str(&text[start..k]);
        out.push('\\');
        out.push(short);
        if short == 'u' {
            out.push_str("00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        start = k + 1;
    }
    out.push_str(&text[start..]);
}

/// One rule, ready to be written.
struct RuleText {
    /// Indices into [`Fragments::strings`] (the pieces' strings).
    cites: Vec<u32>,
    conditions: Vec<u32>,
    duties: Vec<u32>,
    warnings: Vec<u32>,
    case_law: Vec<u32>,
    next_steps: Vec<u32>,
    /// The articles of the corpus it cites, by index into [`Law::articles`].
    articles: Vec<usize>,
    /// The explanation, trimmed, when not empty: as a JSON literal (the
    /// `reasons` list) and escaped with its line break (the explanation).
    reason: Option<(Box<str>, Box<str>)>,
}

/// A vocabulary term's wording in the explanation's lists, by date.
struct LabelText {
    /// `– label\n`, escaped, before any later version.
    first: Box<str>,
    /// Later wordings, oldest first, with their start.
    later: Vec<(NaiveDate, Box<str>)>,
}

/// Everything a decision is written from, for one law: the pieces of the
/// [`crate::Decision`] ([`crate::pieces`]) as JSON text.
pub(crate) struct Fragments {
    /// Every trace entry of the pieces ([`Pieces::trace`], same indices),
    /// each after a comma (the first entry of the trace drops it).
    trace: Vec<Box<str>>,
    /// Every string a decision lists (citations, vocabulary identifiers), as
    /// JSON literals, by the pieces' index: removing duplicates compares
    /// numbers.
    strings: Vec<Box<str>>,
    /// For each string, its line in the explanation's conditions, duties
    /// or warnings (the term's wording on the date).
    labels: Vec<LabelText>,
    /// For each string, its line among the ways forward.
    steps: Vec<Box<str>>,
    rules: Vec<RuleText>,
    /// For each article of the corpus, each version: the `law_versions`
    /// entry and the explanation's line.
    articles: Vec<Vec<(Box<str>, Box<str>)>>,
    /// Each fact's identifier as a JSON literal.
    facts: Vec<Box<str>>,
    /// Each fact's question, as the explanation's last line.
    questions: Vec<Box<str>>,
    /// Each presumption: its `presumed` entry and its explanation line.
    presumptions: Vec<(Box<str>, Box<str>)>,
    /// Each verdict (by index) as a JSON literal, and the explanation's
    /// first line for it, escaped.
    verdicts: Vec<(Box<str>, Box<str>)>,
    /// The explanation's headings, escaped: the ways forward, the
    /// presumptions, then the conditions, duties and warnings.
    headings: Vec<Box<str>>,
    /// The line of the verdicts still possible, escaped, for each set of
    /// them (bit `k`: verdict `k`).
    possible: Vec<Box<str>>,
    /// The room a decision's text is given at once: the longest trace
    /// (each rule's longest entry) and as much again for the rest, so that
    /// the text is seldom copied to grow (the trace is most of it).
    capacity: usize,
}

impl Fragments {
    fn prepare(law: &Law, p: &Pieces) -> Fragments {
        let entry = |e: &TraceEntry| format!(",{}", literal(e)).into_boxed_str();
        let rules = p
            .rules
            .iter()
            .map(|r| RuleText {
                cites: r.cites.clone(),
                conditions: r.conditions.clone(),
                duties: r.duties.clone(),
                warnings: r.warnings.clone(),
                case_law: r.case_law.clone(),
                next_steps: r.next_steps.clone(),
                articles: r.articles.clone(),
                reason: r
                    .reason
                    .as_deref()
                    .map(|x| (literal(x), escaped(&format!("{x}\n")))),
            })
            .collect();
        let verdicts = (0..6u8)
            .map(|k| {
                let v = Verdict::from_index(k);
                (literal(&v), escaped(&format!("{}.\n", v.label_fr())))
            })
            .collect();
        let headings = [wording::NEXT_STEPS_HEADING, wording::PRESUMED_HEADING]
            .into_iter()
            .chain(wording::LIST_HEADINGS)
            .map(escaped)
            .collect();
        let trace: Vec<Box<str>> = p.trace.iter().map(entry).collect();
        let longest_trace: usize = p
            .rules
            .iter()
            .map(|r| {
                let entries = r.entries.iter().chain(&r.before).chain([&r.after]);
                entries
                    .chain(r.defeated.iter().map(|(_, e)| e))
                    .map(|&k| trace[k as usize].len())
                    .max()
                    .unwrap_or(0)
            })
            .sum();
        Fragments {
            capacity: 2 * longest_trace,
            trace,
            strings: p.strings.iter().map(|s| literal(&s.text)).collect(),
            labels: p
                .strings
                .iter()
                .map(|s| LabelText {
                    first: escaped(&s.label.0),
                    later: s.label.1.iter().map(|(d, l)| (*d, escaped(l))).collect(),
                })
                .collect(),
            steps: p.strings.iter().map(|s| escaped(&s.step)).collect(),
            rules,
            articles: p
                .versions
                .iter()
                .map(|vs| {
                    vs.iter()
                        .map(|(v, line)| (literal(&**v), escaped(line)))
                        .collect()
                })
                .collect(),
            facts: law.facts.iter().map(|f| literal(&f.id)).collect(),
            questions: p.questions.iter().map(|q| escaped(q)).collect(),
            presumptions: p
                .presumptions
                .iter()
                .map(|(e, line)| (literal(&**e), escaped(line)))
                .collect(),
            verdicts,
            headings,
            possible: p.possible.iter().map(|l| escaped(l)).collect(),
        }
    }
}

/// Writes a JSON list of interned strings, each once, in order.
fn list<'a>(
    out: &mut String,
    f: &Fragments,
    seen: &mut Vec<u32>,
    items: impl Iterator<Item = &'a u32>,
) {
    seen.clear();
    out.push('[');
    for &k in items {
        if seen.contains(&k) {
            continue;
        }
        if !seen.is_empty() {
            out.push(',');
        }
        seen.push(k);
        out.push_str(&f.strings[k as usize]);
    }
    out.push(']');
}

impl Law {
    /// Prepares the fragments of the decision's JSON now (otherwise the
    /// first [`Law::decision_json`] does).
    pub fn prepare_json(&self) {
        self.fragments();
        self.prepare_decisions();
    }

    fn fragments(&self) -> &Fragments {
        self.prepared
            .0
            .get_or_init(|| Some(Arc::new(Fragments::prepare(self, self.pieces())) as _))
            .as_deref()
            .and_then(|p| p.downcast_ref::<Fragments>())
            .expect("fragments prepared")
    }

    /// The contract's decision on `s` as JSON text: the same bytes as
    /// `serde_json::to_string(&law.decide(s))`, without building the
    /// [`crate::Decision`].
    pub fn decide_json(&self, s: &Situation) -> String {
        let a = self.assess(s);
        let missing = self.missing(&a);
        self.decision_json(&a, &missing)
    }

    /// The decision of an assessment and its missing facts ([`Law::missing`])
    /// as JSON text (see [`Law::decide_json`]).
    pub fn decision_json(&self, a: &Assessment, missing: &[usize]) -> String {
        let (f, p) = (self.fragments(), self.pieces());
        let (s, st, verdict, date) = (&a.situation, &a.status, a.verdict, a.situation.as_of);
        let plan = self.plan(st, verdict);
        let listed = || plan.listed().map(|i| &f.rules[i]);
        let mut out = String::with_capacity(f.capacity);
        let mut seen = Vec::new();
        out.push_str("{\"verdict\":");
        out.push_str(&f.verdicts[verdict as usize].0);
        // Annotations carry no verdict: only the grounding rules' citations,
        // then those of the grounds a limit blocked.
        out.push_str(",\"basis\":");
        let basis: Vec<u32> = plan
            .grounding(self)
            .flat_map(|i| &f.rules[i].cites)
            .map(|&k| p.cited_on(self, k, date))
            .collect();
        list(&mut out, f, &mut seen, basis.iter());
        out.push_str(",\"conditions\":");
        list(&mut out, f, &mut seen, listed().flat_map(|r| &r.conditions));
        out.push_str(",\"duties\":");
        list(&mut out, f, &mut seen, listed().flat_map(|r| &r.duties));
        // The articles applied and their versions on the date, for the
        // warnings, the explanation and `law_versions`.
        let mut versions: Vec<&(Box<str>, Box<str>)> = Vec::new();
        let mut partial = false;
        seen.clear();
        for &k in listed().flat_map(|r| &r.articles) {
            if seen.contains(&(k as u32)) {
                continue;
            }
            seen.push(k as u32);
            if let Some(v) = self.articles[k]
                .versions
                .iter()
                .position(|v| v.in_force_on(date))
            {
                partial |= self.articles[k].versions[v].status == PARTIAL;
                versions.push(&f.articles[k][v]);
            }
        }
        // Resting on a version held in part adds its warning last.
        let extra = partial.then_some(&p.incomplete_text);
        out.push_str(",\"warnings\":");
        list(
            &mut out,
            f,
            &mut seen,
            listed().flat_map(|r| &r.warnings).chain(extra),
        );
        out.push_str(",\"case_law\":");
        list(&mut out, f, &mut seen, listed().flat_map(|r| &r.case_law));
        let presumed = self.presumed_fragments(f, s, a.presumed);
        out.push_str(",\"explanation\":\"");
        let rules: Vec<&RuleText> = listed().collect();
        self.explanation_json(
            &mut out, f, a, &rules, missing, &versions, &presumed, extra, &mut seen,
        );
        out.push_str("\",\"as_of\":\"");
        iso_date(&mut out, date);
        out.push_str("\",\"missing\":[");
        for (k, &m) in missing.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            out.push_str(&f.facts[m]);
        }
        out.push_str("],\"trace\":[");
        for (i, t) in p.rules.iter().enumerate() {
            let entry: &str = match self.trace_pick(t, i, st, date) {
                Ok(k) => &f.trace[k as usize],
                Err(d) => &self.defeated_entry(i, d),
            };
            // Every entry starts with a comma; the first drops it.
            out.push_str(if i == 0 { &entry[1..] } else { entry });
        }
        out.push_str("],\"possible_verdicts\":[");
        let mut first = true;
        for k in (0..5u8).filter(|k| a.possible & (1 << k) != 0) {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&f.verdicts[k as usize].0);
        }
        out.push_str("],\"reasons\":[");
        let mut first = true;
        for (reason, _) in listed().filter_map(|r| r.reason.as_ref()) {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(reason);
        }
        out.push_str("],\"law_versions\":[");
        for (k, (entry, _)) in versions.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            out.push_str(entry);
        }
        out.push_str("],\"next_steps\":");
        list(&mut out, f, &mut seen, listed().flat_map(|r| &r.next_steps));
        out.push_str(",\"presumed\":[");
        for (k, (entry, _)) in presumed.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            out.push_str(entry);
        }
        out.push_str("]}");
        out
    }

    /// A trace entry « defeated by `d` » not prepared (a defeater outside
    /// the rule's list: not produced by the evaluation today).
    fn defeated_entry(&self, i: usize, d: usize) -> String {
        let r = &self.rules[i];
        let e = literal(&TraceEntry {
            rule: r.id.clone(),
            outcome: "defeated",
            by: Some(self.rules[d].id.clone()),
            cites: r.cites.clone(),
            note: None,
        });
        format!(",{e}")
    }

    /// The presumptions listed (see `Law::presumed_list`): those that
    /// carried the answer, once per fact.
    fn presumed_fragments<'f>(
        &self,
        f: &'f Fragments,
        s: &Situation,
        bits: u64,
    ) -> Vec<&'f (Box<str>, Box<str>)> {
        let mut facts = 0u64;
        let mut out = Vec::new();
        for (p, text) in self.qualities.presumptions.iter().zip(&f.presumptions) {
            if bits & (1 << p.fact) != 0 && p.made(s.masks[p.fact]) && facts & (1 << p.fact) == 0 {
                facts |= 1 << p.fact;
                out.push(text);
            }
        }
        out
    }

    /// The explanation's text, escaped (see [`wording::explanation`]).
    #[allow(clippy::too_many_arguments)]
    fn explanation_json(
        &self,
        out: &mut String,
        f: &Fragments,
        a: &Assessment,
        listed: &[&RuleText],
        missing: &[usize],
        versions: &[&(Box<str>, Box<str>)],
        presumed: &[&(Box<str>, Box<str>)],
        extra: Option<&u32>,
        seen: &mut Vec<u32>,
    ) {
        let date = a.situation.as_of;
        out.push_str(&f.verdicts[a.verdict as usize].1);
        let steps = listed.iter().flat_map(|r| &r.next_steps);
        lines(out, seen, &f.headings[0], steps, |k| &f.steps[k as usize]);
        if !presumed.is_empty() {
            out.push_str(&f.headings[1]);
            for (_, line) in presumed {
                out.push_str(line);
            }
        }
        if a.verdict == Verdict::Undetermined {
            out.push_str(&f.possible[(a.possible & 0b1_1111) as usize]);
            if let Some(&m) = missing.first() {
                out.push_str(&f.questions[m]);
            }
            return;
        }
        for (_, line) in listed.iter().filter_map(|r| r.reason.as_ref()) {
            out.push_str(line);
        }
        for (k, title) in f.headings[2..].iter().enumerate() {
            let items = listed
                .iter()
                .flat_map(|r| match k {
                    0 => &r.conditions,
                    1 => &r.duties,
                    _ => &r.warnings,
                })
                .chain(extra.filter(|_| k == 2));
            lines(out, seen, title, items, |k| {
                let l = &f.labels[k as usize];
                l.later
                    .iter()
                    .rev()
                    .find(|(from, _)| *from <= date)
                    .map_or(&l.first, |(_, t)| t)
            });
        }
        if !versions.is_empty() {
            push_escaped(out, &wording::versions_heading(date));
            for (_, line) in versions {
                out.push_str(line);
            }
        }
    }
}
