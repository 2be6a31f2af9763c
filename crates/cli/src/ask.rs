//! `sceau ask`: the guided interview in a terminal. Plain numbered menus on
//! standard input/output, so that it works over ssh, in a pseudo-terminal
//! and in scripts alike.

use std::io::{BufRead, Write};

use chrono::NaiveDate;
use sceau_engine::{Decision, FactKind, Law, Next, Situation, Verdict};

const HELP: &str = "Tapez le numéro de votre réponse, puis Entrée.\n  r : revenir à la question précédente    ? : aide sur la question\n  a ID : lire un article (par ex. a csp:L1110-4:III)    q : quitter";

struct Interview<'a> {
    law: &'a Law,
    situation: Situation,
    /// Answered facts, in order, to go back.
    history: Vec<usize>,
    /// Facts the user said they do not know.
    skipped: Vec<usize>,
}

enum Input {
    Line(String),
    Eof,
}

fn read(out: &mut impl Write, input: &mut impl BufRead) -> std::io::Result<Input> {
    write!(out, "> ")?;
    out.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(Input::Eof);
    }
    Ok(Input::Line(line.trim().to_string()))
}

pub fn run(law: &Law, as_of: NaiveDate, as_of_given: bool) -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    run_with(law, as_of, as_of_given, &mut input, &mut out)
}

pub fn run_with(
    law: &Law,
    as_of: NaiveDate,
    as_of_given: bool,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut situation = Situation::unknown(law, as_of);
    situation.as_of_given = as_of_given;
    let mut iv = Interview {
        law,
        situation,
        history: vec![],
        skipped: vec![],
    };
    writeln!(out, "Sceau — « Puis-je le dire, à qui, comment ? »")?;
    writeln!(
        out,
        "Date de la révélation : {}",
        sceau_engine::model::date_fr(as_of)
    )?;
    writeln!(out, "{HELP}")?;
    loop {
        let decision = iv.law.decide(&iv.situation);
        let next = match iv.law.next(&iv.situation) {
            Next::Ask(_) => decision
                .missing
                .iter()
                .filter_map(|m| iv.law.fact_idx(m))
                .find(|f| !iv.skipped.contains(f)),
            Next::Decided(_) => None,
        };
        match next {
            Some(f) => {
                if !iv.ask(f, out, input)? {
                    return Ok(());
                }
            }
            None => {
                show_decision(iv.law, &decision, out)?;
                if !iv.after_decision(out, input)? {
                    return Ok(());
                }
            }
        }
    }
}

impl Interview<'_> {
    /// Asks one fact; false when the user quits.
    fn ask(
        &mut self,
        f: usize,
        out: &mut impl Write,
        input: &mut impl BufRead,
    ) -> std::io::Result<bool> {
        let fact = &self.law.facts[f];
        writeln!(out)?;
        writeln!(
            out,
            "Question {} — {}",
            self.history.len() + 1,
            fact.question
        )?;
        let is_bool = fact.kind == FactKind::Bool;
        // Yes/no questions show « Oui » (value index 1) first.
        let number = |idx: usize| if is_bool { 2 - idx } else { idx + 1 };
        let mut shown: Vec<(usize, &str)> = fact
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| (number(i), c.label.as_str()))
            .collect();
        shown.sort();
        for (n, label) in shown {
            writeln!(out, "  {n}. {label}")?;
        }
        writeln!(out, "  0. Je ne sais pas")?;
        loop {
            let line = match read(out, input)? {
                Input::Eof => return Ok(false),
                Input::Line(l) => l,
            };
            match line.as_str() {
                "q" | "quitter" => return Ok(false),
                "?" | "aide" => {
                    writeln!(out, "{}", fact.help)?;
                    writeln!(out, "{HELP}")?;
                }
                "r" | "retour" => {
                    if !self.back(out)? {
                        writeln!(out, "C’est la première question.")?;
                        continue;
                    }
                    return Ok(true);
                }
                "0" => {
                    self.skipped.push(f);
                    return Ok(true);
                }
                l if l.starts_with("a ") => self.show_article(l[2..].trim(), out)?,
                l => match l.parse::<usize>() {
                    Ok(n) if n >= 1 && n <= fact.choices.len() => {
                        let idx = if is_bool { 2 - n } else { n - 1 };
                        self.situation.set(f, idx);
                        self.history.push(f);
                        return Ok(true);
                    }
                    _ => writeln!(
                        out,
                        "Réponse non reconnue : tapez un numéro de 0 à {}, ou « ? » pour l’aide.",
                        fact.choices.len()
                    )?,
                },
            }
        }
    }

    fn back(&mut self, out: &mut impl Write) -> std::io::Result<bool> {
        match self.history.pop() {
            None => Ok(false),
            Some(f) => {
                self.situation.forget(self.law, f);
                self.skipped.retain(|&s| s != f);
                writeln!(out, "Retour à la question précédente.")?;
                Ok(true)
            }
        }
    }

    fn show_article(&self, id: &str, out: &mut impl Write) -> std::io::Result<()> {
        out.flush()?;
        if let Err(e) = crate::print_article(self.law, id, self.situation.as_of, false) {
            writeln!(out, "{e}")?;
        }
        Ok(())
    }

    /// After a decision: read articles, go back, start again or quit.
    fn after_decision(
        &mut self,
        out: &mut impl Write,
        input: &mut impl BufRead,
    ) -> std::io::Result<bool> {
        writeln!(out)?;
        writeln!(
            out,
            "a ID : lire un article · r : revenir en arrière · n : nouvelle question · q : quitter"
        )?;
        loop {
            let line = match read(out, input)? {
                Input::Eof => return Ok(false),
                Input::Line(l) => l,
            };
            match line.as_str() {
                "q" | "quitter" => return Ok(false),
                "r" | "retour" => {
                    if self.back(out)? {
                        return Ok(true);
                    }
                    writeln!(out, "Aucune réponse à modifier.")?;
                }
                "n" | "nouvelle" => {
                    let as_of = self.situation.as_of;
                    let given = self.situation.as_of_given;
                    self.situation = Situation::unknown(self.law, as_of);
                    self.situation.as_of_given = given;
                    self.history.clear();
                    self.skipped.clear();
                    return Ok(true);
                }
                l if l.starts_with("a ") => self.show_article(l[2..].trim(), out)?,
                _ => writeln!(out, "Tapez « a ID », « r », « n » ou « q ».")?,
            }
        }
    }
}

fn show_decision(law: &Law, d: &Decision, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "══ Décision : {} ══", d.verdict.label_fr())?;
    writeln!(out, "{}", d.explanation.trim_end())?;
    if !d.basis.is_empty() {
        writeln!(out, "Fondement : {}", d.basis.join(", "))?;
    }
    for c in &d.case_law {
        if let Some(case) = law.case(c) {
            writeln!(
                out,
                "Jurisprudence : {} — {} ({})",
                case.jurisdiction, case.holding, c
            )?;
        }
    }
    if d.verdict == Verdict::Undetermined {
        writeln!(out, "Vous avez répondu « Je ne sais pas » à une question décisive : la réponse dépend de ce fait.")?;
    }
    Ok(())
}
