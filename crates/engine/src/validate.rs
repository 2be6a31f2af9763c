//! Whole-corpus checks: every citation exists and is in force whenever the
//! rule is, every term and decision named exists, quotes match the texts,
//! and the exhaustive walk finds no conflict, no gap and no dead rule.

use crate::exhaustive::Witness;
use crate::law::{article_part, paragraph_part, Law};
use crate::load::LoadError;

/// Normalises a text for quote matching: one space between words, one
/// kind of apostrophe and of quotation mark.
pub fn normalise(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| match c {
            '’' | '‘' => '\'',
            '\u{a0}' | '\u{202f}' => ' ',
            c => c,
        })
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Law {
    /// Every problem of the corpus, with its file and line.
    pub fn validate(&self) -> Vec<LoadError> {
        self.validate_walked().0
    }

    /// Every problem of the corpus, and the walk over the space of
    /// situations that found its conflicts and gaps: `sceau rules check`
    /// reports the walk's figures without walking a second time.
    pub fn validate_walked(&self) -> (Vec<LoadError>, crate::exhaustive::Report) {
        let mut out = Vec::new();
        let epochs = self.epochs();
        for r in &self.rules {
            let mut err = |m: String| {
                out.push(LoadError {
                    file: r.file.clone(),
                    line: r.line,
                    message: format!("rule `{}`: {m}", r.id),
                })
            };
            for c in &r.cites {
                if !self.source_exists(c) {
                    err(format!("cites `{c}`, which is not in the corpus"));
                    continue;
                }
                let art = self.article(c).expect("exists");
                for &d in epochs.iter().filter(|&&d| r.in_force_on(d)) {
                    match art.version_on(d) {
                        None => err(format!(
                            "cites `{c}`, but no version of {} is in force on {d}",
                            art.id
                        )),
                        // A version marked unavailable has no text to hold
                        // the paragraph: the gap is declared, not silent.
                        Some(v) if v.status == "unavailable" => {}
                        // A partial version quoted without its divisions
                        // (an alinéa from the law that created it, before
                        // the paragraphs were numbered) cannot hold or deny
                        // a paragraph either: its `missing` note says so.
                        Some(v) if v.status == "partial" && v.paragraphs.is_empty() => {}
                        Some(v) => {
                            if let Some(k) = paragraph_part(c) {
                                if v.paragraph(k).is_none() {
                                    err(format!("cites `{c}`, but the version in force on {d} has no paragraph {k}"));
                                }
                            }
                        }
                    }
                }
            }
            for (kind, ids) in [
                ("condition", &r.conditions),
                ("duty", &r.duties),
                ("warning", &r.warnings),
                ("next_step", &r.next_steps),
            ] {
                for id in ids {
                    match self.term(id) {
                        None => err(format!("{kind} `{id}` is not in vocabulary.toml")),
                        // A duty may also be offered as a way forward.
                        Some(t) if kind == "next_step" && t.kind == "duty" => {}
                        Some(t) if t.kind != kind => err(format!(
                            "`{id}` is a {} in vocabulary.toml, not a {kind}",
                            t.kind
                        )),
                        _ => {}
                    }
                }
            }
            for c in &r.case_law {
                if self.case(c).is_none() {
                    err(format!("case law `{c}` is not in case_law.toml"));
                }
            }
            if r.explanation.trim().is_empty() {
                err("has no explanation".into());
            }
            if let Some(q) = &r.quote {
                let texts: Vec<String> = r
                    .cites
                    .iter()
                    .filter_map(|c| self.article(c).map(|a| (a, c)))
                    .flat_map(|(a, c)| {
                        a.versions.iter().map(move |v| {
                            match paragraph_part(c).and_then(|k| v.paragraph(k)) {
                                Some(p) => normalise(&p.text),
                                None => normalise(&v.full_text()),
                            }
                        })
                    })
                    .collect();
                for part in q.split('…').map(normalise).filter(|p| !p.is_empty()) {
                    if !texts.iter().any(|t| t.contains(&part)) {
                        err(format!(
                            "quote « {part} » is not in the text of {}",
                            r.cites
                                .iter()
                                .map(|c| article_part(c))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                }
            }
        }
        // A term no rule gives is a warning or a step the answer can never
        // show: the vocabulary promises what the law does not say (found
        // by a blind audit: a report's surplus never carried its warning).
        for t in &self.terms {
            let used = self.rules.iter().any(|r| {
                [&r.conditions, &r.duties, &r.warnings, &r.next_steps]
                    .iter()
                    .any(|ids| ids.contains(&t.id))
            });
            if !used {
                out.push(LoadError {
                    file: "vocabulary.toml".into(),
                    line: t.line,
                    message: format!(
                        "{} `{}` is given by no rule: the answer can never show it",
                        t.kind, t.id
                    ),
                });
            }
        }
        let rep = self.exhaustive();
        let describe = |w: &Witness| {
            let facts: Vec<String> = w.facts.iter().map(|(f, v)| format!("{f}={v}")).collect();
            format!("on {} with {}", w.date, facts.join(", "))
        };
        for w in &rep.conflicts {
            let first = self.rule(&w.rules[0]).expect("rule");
            out.push(LoadError {
                file: first.file.clone(),
                line: first.line,
                message: format!(
                    "conflict: rules {} reach different verdicts {} and none defeats the other",
                    w.rules.join(", "),
                    describe(w)
                ),
            });
        }
        for w in &rep.gaps {
            out.push(LoadError {
                file: "rules/".into(),
                line: 1,
                message: format!("gap: no rule applies {}", describe(w)),
            });
        }
        for id in &rep.dead {
            let r = self.rule(id).expect("rule");
            out.push(LoadError {
                file: r.file.clone(),
                line: r.line,
                message: format!("rule `{id}` can never apply"),
            });
        }
        (out, rep)
    }
}

/// Loads the corpus and checks it as a whole: the law, or every problem
/// with its file and line. `crates/law/build.rs` calls it on `law/`, so
/// that a build whose law does not load or validate fails.
pub fn check(files: &[crate::load::SourceFile]) -> Result<Law, Vec<LoadError>> {
    let law = crate::load::load(files)?;
    let problems = law.validate();
    if problems.is_empty() {
        Ok(law)
    } else {
        Err(problems)
    }
}
