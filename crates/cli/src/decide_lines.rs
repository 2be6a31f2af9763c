//! `sceau decide --jsonl`: many situations in one process, one JSON object
//! per line in, one decision per line out, in the same order. A jurist who
//! checks a series of cases, or a script, pays the law's loading and each
//! period's compilation once instead of once per situation.
//!
//! A line that is not a valid situation does not stop the others: its place
//! in the output holds `{"line": N, "error": {…}}` (the API's error body,
//! which names the field and never echoes the value), its French message
//! goes to standard error, and the command ends with status 2. Blank lines
//! are skipped and give no output line; `line` counts every input line.

use std::io::BufRead;
use std::process::ExitCode;

use chrono::NaiveDate;
use sceau_engine::Law;

pub fn decide_lines(law: &Law, file: Option<String>, today: NaiveDate) -> ExitCode {
    let reader: Box<dyn BufRead> = match file.as_deref() {
        None | Some("-") => Box::new(std::io::stdin().lock()),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!(
                    "Impossible de lire le fichier {path} : {e}\nCannot read file {path}: {e}"
                );
                return ExitCode::from(2);
            }
        },
    };
    let mut invalid = 0usize;
    for (i, line) in reader.lines().enumerate() {
        let n = i + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                // Not UTF-8, or the input broke off: what was read is decided.
                eprintln!("Ligne {n} illisible : {e}\nLine {n} cannot be read: {e}");
                return ExitCode::from(2);
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let out = match law.parse_situation_str(&line, today) {
            Ok(s) => serde_json::to_string(&law.decide(&s)),
            Err(e) => {
                invalid += 1;
                eprintln!("Ligne {n} : {}\nLine {n}: {}", e.message, e.message_en);
                serde_json::to_string(&serde_json::json!({ "line": n, "error": e }))
            }
        };
        match out {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("Erreur interne : {e}");
                return ExitCode::from(1);
            }
        }
    }
    if invalid > 0 {
        eprintln!(
            "{invalid} ligne(s) sans situation valide.\n{invalid} line(s) without a valid situation."
        );
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
