//! The learned detector (issue 18): its training and its judgement.
//!
//! Which sets the models learn from: both the sixteen of `DEV` (dev to
//! dev16); `SCORED_ONLY` (dev17 to dev42) is scored only.
//!
//! cargo run --release -p sceau-anonymise --example detector -- train --threshold 40 --epochs 10
//!     trains the word detector on the sets of `DEV` and writes
//!     crates/anonymise/data/detecteur.tsv, whose header repeats the sets,
//!     the token count and this command (the defaults are the shipped ones:
//!     `train` alone gives the same weights; `--pool dev,dev2,…` trains on
//!     the sets it names)
//! cargo run --release -p sceau-anonymise --example detector -- loso [--thresholds 15,20,25] [--no-sequence] [--pool dev,dev2,…|all] [--seq-pool …] [--no-generator]
//!     leave-one-set-out: for each development set, trains the word
//!     detector and the sequence model on the others of their pools and
//!     scores that set with the rules alone and with the rules and both
//!     (the word detector alone with --no-sequence), then the sum over the
//!     development sets (« all dev sets »);
//!     the generator's set, never trained on, is scored with weights
//!     trained on the whole pools (left out with --no-generator);
//!     --pool names the word detector's training sets, --seq-pool the
//!     sequence model's (`DEV` by default, « all » for every set): a set
//!     outside a pool is scored with weights trained on the whole pool, so
//!     that two lists of training sets are compared on the same sum
//!
//! cargo run --release -p sceau-anonymise --example detector -- seqtrain --biases 0 --epochs 10
//!     trains the sequence model on the sets of `DEV` (`--pool` as for
//!     `train`) and writes crates/anonymise/data/etiqueteur.tsv (header as
//!     above)
//! cargo run --release -p sceau-anonymise --example detector -- seqloso [--biases 0,10] [--with-words] [--show SET]
//!     leave-one-set-out of the sequence model alone or before the word
//!     detector, for several biases of « O »
//!
//! Reads only the development sets and the generator's set, never a
//! held-out one. Training is deterministic: the same commit gives the same
//! weights.
use std::sync::Arc;

use sceau_anonymise::detector::sequence;
use sceau_anonymise::eval::{fmt_ratio, load_notes, Counts, Note, Score};
use sceau_anonymise::{detector_examples, Anonymiser, DetectorModel, DETECTOR_CLASSES};

/// The first sixteen development sets: both models' training sets.
const DEV: [&str; 16] = [
    "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11",
    "dev12", "dev13", "dev14", "dev15", "dev16",
];
/// The later development sets, scored by `loso` but learnt from by neither
/// model (`--pool` and `--seq-pool` compare two lists of training sets on
/// the same sets).
const SCORED_ONLY: [&str; 26] = [
    "dev17", "dev18", "dev19", "dev20", "dev21", "dev22", "dev23", "dev24", "dev25", "dev26",
    "dev27", "dev28", "dev29", "dev30", "dev31", "dev32", "dev33", "dev34", "dev35", "dev36",
    "dev37", "dev38", "dev39", "dev40", "dev41", "dev42",
];
const EPOCHS: usize = 10;
const THRESHOLD: f32 = 40.0;
/// The bias of « O » in the sequence model.
const SEQ_BIAS: f32 = 0.0;

fn root() -> String {
    std::env::var("DEVSETS_DIR").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval/anonymisation/").into()
    })
}

fn load(rel: &str) -> Result<Vec<Note>, Box<dyn std::error::Error>> {
    Ok(load_notes(&std::fs::read_to_string(format!(
        "{}{rel}",
        root()
    ))?)?)
}

/// The sets the word detector learns from (`train`; `loso` without
/// `--pool`): `DEV`. Trained on every development set (`--pool all`) it
/// does better leave one set out but, shipped, lowers dev13's recall
/// (twenty-seventh round, method.md).
fn word_pool() -> Vec<&'static str> {
    DEV.to_vec()
}

/// The sets the sequence model learns from (`seqtrain`; `loso` without
/// `--seq-pool`): `DEV` alone. Trained on every set it stopped short in
/// establishments' names (« Atelier Breton » for « Atelier Breton
/// d'Orthopédie Technique », twenty-fourth round).
fn seq_pool() -> Vec<&'static str> {
    DEV.to_vec()
}

/// Which of the sets `names` a pool holds: the list given after `flag`
/// (« dev,dev2,… », or « all »), else `default`.
fn pool_of(
    args: &[String],
    flag: &str,
    names: &[&str],
    default: &[&str],
) -> Result<Vec<bool>, String> {
    let Some(p) = arg::<String>(args, flag) else {
        return Ok(names.iter().map(|n| default.contains(n)).collect());
    };
    if p == "all" {
        return Ok(vec![true; names.len()]);
    }
    let p: Vec<&str> = p.split(',').collect();
    if let Some(bad) = p.iter().find(|d| !names.contains(d)) {
        return Err(format!("{flag}: no development set {bad}"));
    }
    Ok(names.iter().map(|n| p.contains(n)).collect())
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1)?.parse().ok()
}

fn train(
    examples: &[&[sceau_anonymise::detector::Example]],
    epochs: usize,
    threshold: f32,
) -> DetectorModel {
    let all: Vec<_> = examples.iter().flat_map(|e| e.iter()).collect();
    let mut m = DetectorModel::train_refs(
        &all,
        DETECTOR_CLASSES.iter().map(|c| c.to_string()).collect(),
        epochs,
    );
    m.threshold = threshold;
    m
}

/// Gold identifiers neither replaced nor listed as a residual risk: what
/// passes silently.
fn silent(a: &Anonymiser, notes: &[Note]) -> usize {
    let mut n = 0;
    for note in notes {
        let out = a.anonymise(&note.text);
        let spans: Vec<(usize, usize)> = out
            .replacements
            .iter()
            .map(|r| (r.start, r.end))
            .chain(out.risks.iter().map(|r| r.span))
            .collect();
        for g in &note.entities {
            let pos: Vec<usize> = note.text[g.start..g.end]
                .char_indices()
                .filter(|(_, c)| c.is_alphanumeric())
                .map(|(i, _)| g.start + i)
                .collect();
            let hit = pos
                .iter()
                .filter(|&&i| spans.iter().any(|&(s, e)| s <= i && i < e))
                .count();
            if hit * 5 < pos.len() * 4 {
                n += 1;
            }
        }
    }
    n
}

/// The development sets' scores summed, per pass: one line to compare
/// two trainings by (the generator's set, far larger and never trained
/// on, stays on its own line).
#[derive(Default)]
struct Pooled {
    overall: Counts,
    per_type: std::collections::BTreeMap<String, Counts>,
    keep_kept: usize,
    keep_total: usize,
    merges: usize,
    silent: usize,
}

impl Pooled {
    fn add(&mut self, s: &Score, silent: usize) {
        fn sum(a: &mut Counts, b: &Counts) {
            a.gold += b.gold;
            a.found += b.found;
            a.predicted += b.predicted;
            a.correct += b.correct;
        }
        sum(&mut self.overall, &s.overall);
        for (k, c) in &s.per_type {
            sum(self.per_type.entry(k.clone()).or_default(), c);
        }
        self.keep_kept += s.keep_kept;
        self.keep_total += s.keep_total;
        self.merges += s.merges;
        self.silent += silent;
    }

    fn score(&self) -> Score {
        Score {
            overall: self.overall.clone(),
            per_type: self.per_type.clone(),
            keep_kept: self.keep_kept,
            keep_total: self.keep_total,
            merges: self.merges,
            ..Score::default()
        }
    }
}

fn row(set: &str, what: &str, s: &Score, silent: usize) -> String {
    let r = |k: &str| fmt_ratio(s.per_type.get(k).and_then(|c| c.recall()));
    format!(
        "| {set} | {what} | {} | {} | {} | {} | {} | {} | {} | {}/{} | {} | {silent} |",
        s.overall.gold,
        fmt_ratio(s.overall.recall()),
        fmt_ratio(s.overall.precision()),
        r("nom"),
        r("etablissement"),
        r("ville"),
        r("chambre"),
        s.keep_kept,
        s.keep_total,
        s.merges
    )
}

/// What the learned passes changed on a set against the rules alone:
/// terms lost, false positives added, identifiers found.
fn show_changes(before: &Score, with: &Score) {
    for (term, n) in &with.keep_lost {
        if before.keep_lost.get(term) != Some(n) {
            println!("  lost {term} ×{n}");
        }
    }
    for fp in &with.false_positives {
        if !before.false_positives.contains(fp) {
            println!("  fp {} {}: {}", fp.0, fp.1, fp.2);
        }
    }
    for m in &before.misses {
        if !with.misses.contains(m) {
            println!("  found {} {}: {}", m.0, m.1, m.2);
        }
    }
}

/// The word detector trained on examples already gathered from several sets.
fn train_flat(
    examples: &[&sceau_anonymise::detector::Example],
    epochs: usize,
    threshold: f32,
) -> DetectorModel {
    let mut m = DetectorModel::train_refs(
        examples,
        DETECTOR_CLASSES.iter().map(|c| c.to_string()).collect(),
        epochs,
    );
    m.threshold = threshold;
    m
}

/// The training items (lines, examples) of every set but the `i`-th.
fn all_but<T>(sets: &[Vec<T>], i: usize) -> Vec<&T> {
    kept(sets, |j| j != i).flatten().collect()
}

/// The sets whose rank `keep` accepts.
fn kept<T>(sets: &[Vec<T>], keep: impl Fn(usize) -> bool) -> impl Iterator<Item = &Vec<T>> {
    sets.iter()
        .enumerate()
        .filter(move |&(j, _)| keep(j))
        .map(|(_, l)| l)
}

/// The names of the sets a pool holds.
fn kept_names<'a>(names: &[&'a str], pool: &[bool]) -> Vec<&'a str> {
    names
        .iter()
        .zip(pool)
        .filter(|(_, &p)| p)
        .map(|(n, _)| *n)
        .collect()
}

/// The short hash of the commit the weights are trained at.
fn head_commit() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let epochs = arg(&args, "--epochs").unwrap_or(EPOCHS);
    let rules = Anonymiser::new().with_detector(None);
    // `loso`, `train` and `seqtrain` read every development set (a pool
    // chooses which are learnt from); `seqloso` reads `DEV` alone
    let names: Vec<&str> = if args.get(1).map(String::as_str) == Some("seqloso") {
        DEV.to_vec()
    } else {
        DEV.iter().chain(SCORED_ONLY.iter()).copied().collect()
    };
    let sets: Vec<Vec<Note>> = names
        .iter()
        .map(|d| load(&format!("{d}/notes.jsonl")))
        .collect::<Result<_, _>>()?;
    let examples: Vec<_> = sets
        .iter()
        .map(|notes| {
            detector_examples(
                notes,
                |t| rules.detect(t),
                !args.iter().any(|a| a == "--residual-only"),
            )
        })
        .collect();
    match args.get(1).map(String::as_str) {
        Some("train") => {
            let threshold = arg(&args, "--threshold").unwrap_or(THRESHOLD);
            let pool = pool_of(&args, "--pool", &names, &word_pool())?;
            let refs: Vec<_> = kept(&examples, |j| pool[j]).map(|e| e.as_slice()).collect();
            let m = train(&refs, epochs, threshold);
            let trained: Vec<&str> = kept_names(&names, &pool);
            let commit = head_commit();
            let provenance = format!(
                "Weights of the learned detector of sceau-anonymise (averaged perceptron).\n\
                 Trained on eval/anonymisation/{{{}}}/notes.jsonl ({} training tokens: the words that start with a capital or a digit,\n\
                 clinical vocabulary and titles left out), {epochs} epochs,\n\
                 at commit {commit} (the sets and rules of that commit), threshold {threshold}, by:\n\
                 cargo run --release -p sceau-anonymise --example detector -- train --threshold {threshold} --epochs {epochs}",
                trained.join(","),
                refs.iter().map(|e| e.len()).sum::<usize>()
            );
            let out = arg::<String>(&args, "--out").unwrap_or_else(|| {
                concat!(env!("CARGO_MANIFEST_DIR"), "/data/detecteur.tsv").into()
            });
            std::fs::write(&out, m.to_tsv(&provenance))?;
            println!("{} features written to {out}", m.weights.len());
        }
        Some("loso") => {
            let thresholds: Vec<f32> = arg::<String>(&args, "--thresholds")
                .unwrap_or_else(|| THRESHOLD.to_string())
                .split(',')
                .map(|t| t.parse())
                .collect::<Result<_, _>>()?;
            println!("| set | pass | gold | recall | prec | nom | etab | ville | chambre | kept | merges | silent |");
            println!("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            // the sets the models are trained on (`DEV` unless `--pool`
            // names others): a set of the pool is scored by models
            // trained on the rest of the pool, any other by models trained
            // on the whole pool
            let in_pool = pool_of(&args, "--pool", &names, &word_pool())?;
            // the sequence model's own pool (`--seq-pool`)
            let in_seq_pool = pool_of(&args, "--seq-pool", &names, &seq_pool())?;
            let with_generator = !args.iter().any(|a| a == "--no-generator");
            let generator = if with_generator {
                load("notes.jsonl")?
            } else {
                Vec::new()
            };
            let no_sequence = args.iter().any(|a| a == "--no-sequence");
            let mut interner = sequence::Interner::default();
            let seq_lines: Vec<Vec<sequence::Line>> = if no_sequence {
                Vec::new()
            } else {
                sets.iter()
                    .map(|notes| sequence::lines_of(notes, |t| rules.detect(t), &mut interner))
                    .collect()
            };
            let pass = if no_sequence {
                "rules + detector"
            } else {
                "rules + sequence + detector"
            };
            for (i, e) in examples.iter().enumerate() {
                let mut n = [0usize; 5];
                for x in e.iter() {
                    n[x.class] += 1;
                }
                eprintln!("{}: {n:?} training tokens per class", names[i]);
            }
            let mut pooled_rules = Pooled::default();
            let mut pooled: Vec<Pooled> = thresholds.iter().map(|_| Pooled::default()).collect();
            let generator_name = with_generator.then_some("generator");
            for (i, name) in names.iter().chain(generator_name.iter()).enumerate() {
                let notes = if i < names.len() {
                    &sets[i]
                } else {
                    &generator
                };
                let t0 = std::time::Instant::now();
                let alone = rules.evaluate(notes);
                let t_rules = t0.elapsed();
                let quiet = silent(&rules, notes);
                if i < names.len() {
                    pooled_rules.add(&alone, quiet);
                }
                println!("{}", row(name, "rules", &alone, quiet));
                let trained_on = |j: usize| in_pool[j] && j != i;
                let seq_trained_on = |j: usize| in_seq_pool[j] && j != i;
                let others: Vec<_> = kept(&examples, trained_on).map(|e| e.as_slice()).collect();
                let base = train(&others, epochs, 0.0);
                // the sequence model trained on the same sets (none with
                // --no-sequence: the word detector alone)
                let seq = (!no_sequence).then(|| {
                    let l: Vec<_> = kept(&seq_lines, seq_trained_on).flatten().collect();
                    Arc::new(sequence::train(&l, &interner, epochs, SEQ_BIAS))
                });
                for (&t, pool) in thresholds.iter().zip(pooled.iter_mut()) {
                    let mut m = base.clone();
                    m.threshold = t;
                    let a = Anonymiser::new()
                        .with_detector(Some(Arc::new(m)))
                        .with_sequence(seq.clone());
                    let t0 = std::time::Instant::now();
                    let with = a.evaluate(notes);
                    eprintln!(
                        "{name}: scored in {:?} with the rules alone, {:?} with the detector",
                        t_rules,
                        t0.elapsed()
                    );
                    let quiet = silent(&a, notes);
                    if i < names.len() {
                        pool.add(&with, quiet);
                    }
                    println!("{}", row(name, &format!("{pass} ({t})"), &with, quiet));
                    if arg::<String>(&args, "--show").as_deref() == Some(*name) {
                        show_changes(&rules.evaluate(notes), &with);
                    }
                }
            }
            let all = "all dev sets";
            println!(
                "{}",
                row(all, "rules", &pooled_rules.score(), pooled_rules.silent)
            );
            for (&t, p) in thresholds.iter().zip(&pooled) {
                let what = format!("{pass} ({t})");
                println!("{}", row(all, &what, &p.score(), p.silent));
            }
        }
        Some("seqloso") | Some("seqtrain") => {
            sequence(&args, &names, &sets, &examples, &rules, epochs)?
        }
        _ => return Err("usage: detector train|loso|seqtrain|seqloso".into()),
    }
    Ok(())
}

/// The sequence model: `seqtrain` writes `data/etiqueteur.tsv` from its
/// pool (`DEV`); `seqloso [--biases 0,20] [--with-words]` trains it on
/// all sets of `DEV` but one and scores that one, alone or before the
/// word detector (itself trained on the same sets).
fn sequence(
    args: &[String],
    names: &[&str],
    sets: &[Vec<Note>],
    examples: &[Vec<sceau_anonymise::detector::Example>],
    rules: &Anonymiser,
    epochs: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut interner = sequence::Interner::default();
    let lines: Vec<Vec<sequence::Line>> = sets
        .iter()
        .map(|notes| sequence::lines_of(notes, |t| rules.detect(t), &mut interner))
        .collect();
    let biases: Vec<f32> = arg::<String>(args, "--biases")
        .unwrap_or_else(|| SEQ_BIAS.to_string())
        .split(',')
        .map(|t| t.parse())
        .collect::<Result<_, _>>()?;
    if args.get(1).map(String::as_str) == Some("seqtrain") {
        let pool = pool_of(args, "--pool", names, &seq_pool())?;
        let all: Vec<&sequence::Line> = kept(&lines, |j| pool[j]).flatten().collect();
        let m = sequence::train(&all, &interner, epochs, biases[0]);
        let commit = head_commit();
        let provenance = format!(
            "Weights of the sequence model of sceau-anonymise (averaged structured perceptron, BIO tags, Viterbi).\n\
             Trained on eval/anonymisation/{{{}}}/notes.jsonl ({} lines, every word), {epochs} epochs,\n\
             at commit {commit} (the sets and rules of that commit), bias of « O » {}, by:\n\
             cargo run --release -p sceau-anonymise --example detector -- seqtrain --biases {} --epochs {epochs}",
            kept_names(names, &pool).join(","),
            all.len(),
            biases[0],
            biases[0]
        );
        let out = arg::<String>(args, "--out")
            .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/data/etiqueteur.tsv").into());
        std::fs::write(&out, m.to_tsv(&provenance))?;
        println!("{} features written to {out}", m.weights.len());
        return Ok(());
    }
    let with_words = args.iter().any(|a| a == "--with-words");
    println!("| set | pass | gold | recall | prec | nom | etab | ville | chambre | kept | merges | silent |");
    println!("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut pooled: Vec<Pooled> = biases.iter().map(|_| Pooled::default()).collect();
    let only = arg::<String>(args, "--show");
    for (i, name) in DEV.iter().enumerate() {
        if only.as_deref().is_some_and(|o| o != *name) {
            continue;
        }
        let notes = &sets[i];
        let train_lines = all_but(&lines, i);
        let t0 = std::time::Instant::now();
        let base = sequence::train(&train_lines, &interner, epochs, 0.0);
        eprintln!("{name}: trained in {:?}", t0.elapsed());
        let words =
            with_words.then(|| Arc::new(train_flat(&all_but(examples, i), epochs, THRESHOLD)));
        for (&b, pool) in biases.iter().zip(pooled.iter_mut()) {
            let mut m = base.clone();
            m.threshold = b;
            let a = Anonymiser::new()
                .with_detector(words.clone())
                .with_sequence(Some(Arc::new(m)));
            let with = a.evaluate(notes);
            let quiet = silent(&a, notes);
            pool.add(&with, quiet);
            let what = format!(
                "rules + sequence ({b}){}",
                if with_words { " + words" } else { "" }
            );
            println!("{}", row(name, &what, &with, quiet));
            if arg::<String>(args, "--show").as_deref() == Some(*name) {
                show_changes(&rules.evaluate(notes), &with);
            }
        }
    }
    for (&b, p) in biases.iter().zip(&pooled) {
        let what = format!(
            "rules + sequence ({b}){}",
            if with_words { " + words" } else { "" }
        );
        println!("{}", row("all dev sets", &what, &p.score(), p.silent));
    }
    Ok(())
}
