//! `sceau anonymise`: remove the direct identifiers of a clinical text for
//! publication or teaching (CSP R.4321-116). The result goes to standard
//! output; the report (replacements and residual risks, in French) to standard
//! error or to `--report FILE`. The report never repeats the identifiers
//! themselves unless `--show-originals FILE` asks for them in a file.
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use sceau_anonymise::{Anonymiser, BatchMap, DateMode, Kind, Options, Output};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Dates {
    /// « J0 », « J+14 », « M+3 » from the first date of the text
    Relative,
    /// the year only
    Year,
}

#[derive(Args, Debug)]
pub struct AnonymiseArgs {
    /// Text or Markdown file to anonymise (standard input if absent or « - »).
    pub input: Option<PathBuf>,
    /// Write the report to this file instead of standard error.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Keep pseudonyms consistent across a batch: read this map if it exists,
    /// write it back afterwards. It holds HMAC digests, not the originals,
    /// under a secret key kept beside it in FILE.cle (created 0600): the map
    /// alone reveals nothing; keep the key as confidential as the texts.
    #[arg(long, value_name = "FILE")]
    pub batch_map: Option<PathBuf>,
    /// How dates are replaced.
    #[arg(long, value_enum, default_value = "relative")]
    pub dates: Dates,
    /// Print one JSON object (text, replacements, risks) on standard output.
    #[arg(long)]
    pub json: bool,
    /// Also write each original next to its pseudonym in this file (patient
    /// data: keep it as confidential as the source text).
    #[arg(long, value_name = "FILE")]
    pub show_originals: Option<PathBuf>,
}

pub fn run(args: AnonymiseArgs) -> anyhow::Result<ExitCode> {
    let input = match &args.input {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read_to_string(p).with_context(|| format!("lecture de {}", p.display()))?
        }
        _ => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("lecture de l’entrée standard")?;
            s
        }
    };
    let options = Options {
        dates: match args.dates {
            Dates::Relative => DateMode::Relative,
            Dates::Year => DateMode::Year,
        },
    };
    let anonymiser = match &args.batch_map {
        Some(p) => {
            let key_path = PathBuf::from(format!("{}.cle", p.display()));
            let key = sceau_store::Key::load_or_create_at(&key_path)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            Anonymiser::with_key(options, key.pseudonym_key())
        }
        None => Anonymiser::with_options(options),
    };
    let mut map = match &args.batch_map {
        Some(p) if p.exists() => {
            let s = std::fs::read_to_string(p)
                .with_context(|| format!("lecture de {}", p.display()))?;
            serde_json::from_str(&s)
                .with_context(|| format!("table de pseudonymes illisible : {}", p.display()))?
        }
        _ => BatchMap::default(),
    };
    let out = anonymiser.anonymise_with(&input, &mut map);
    if let Some(p) = &args.batch_map {
        // Owner-only, like the originals below: the table leads back to them.
        crate::register::write_private(p, serde_json::to_string_pretty(&map)?.as_bytes())?;
    }
    if let Some(p) = &args.show_originals {
        let mut s = String::from("position\ttype\toriginal\tpseudonyme\n");
        for r in &out.replacements {
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                r.start,
                r.kind.id(),
                &input[r.start..r.end],
                r.pseudonym
            ));
        }
        // The patient's data in clear: owner-only, like a backup.
        crate::register::write_private(p, s.as_bytes())?;
    }

    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &out)?;
        writeln!(stdout)?;
    } else {
        stdout.write_all(out.text.as_bytes())?;
    }
    stdout.flush()?;

    let report = render_report(&input, &out);
    match &args.report {
        Some(p) => crate::register::write_private(p, report.as_bytes())?,
        None if !args.json => eprint!("{report}"),
        None => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// Line and column (in characters) of a byte offset.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// The report, in French. It names kinds, positions and pseudonyms, never the
/// original identifiers.
pub fn render_report(input: &str, out: &Output) -> String {
    let mut s = String::new();
    s.push_str("Rapport d’anonymisation (CSP R.4321-116)\n");
    s.push_str(&format!("{} remplacement(s)", out.replacements.len()));
    let mut counts: Vec<(Kind, usize)> = Vec::new();
    for r in &out.replacements {
        match counts.iter_mut().find(|(k, _)| *k == r.kind) {
            Some(c) => c.1 += 1,
            None => counts.push((r.kind, 1)),
        }
    }
    counts.sort();
    if !counts.is_empty() {
        let parts: Vec<String> = counts
            .iter()
            .map(|(k, n)| format!("{} {}", n, k.label_fr()))
            .collect();
        s.push_str(&format!(" : {}", parts.join(", ")));
    }
    s.push_str(".\n\nRemplacements (ligne:colonne, type, longueur de l’original → pseudonyme) :\n");
    for r in &out.replacements {
        let (l, c) = line_col(input, r.start);
        s.push_str(&format!(
            "  {l}:{c}\t{}\t{} car. → « {} »\n",
            r.kind.label_fr(),
            r.original_len,
            r.pseudonym
        ));
    }
    if out.risks.is_empty() {
        s.push_str(
            "\nAucun risque résiduel repéré par le lexique. Relisez tout de même le texte : \
                    un détail indirect peut suffire à reconnaître une personne.\n",
        );
    } else {
        s.push_str(&format!(
            "\nRisques résiduels de ré-identification à relire ({}) — non modifiés :\n",
            out.risks.len()
        ));
        for r in &out.risks {
            let (l, c) = line_col(input, r.span.0);
            s.push_str(&format!(
                "  {l}:{c}\t« {} » ({}) : {}\n",
                r.excerpt_hint,
                r.kind.replace('_', " "),
                r.advice_fr
            ));
        }
    }
    if out.replacements.iter().any(|r| r.kind == Kind::Date) {
        s.push_str("\nDates : J0 est la première date complète du texte, J+n le n-ième jour après, \
                    M+n le n-ième mois ; les dates de naissance et les dates lointaines deviennent un nombre \
                    d’années avant ou après J0 (« J0 −73 ans »).\n");
    }
    s.push_str(
        "\nÀ défaut d’une anonymisation certaine, l’accord écrit de la personne doit être obtenu \
                (CSP R.4321-116).\n",
    );
    s
}
