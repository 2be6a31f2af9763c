//! Generalisation across the development sets, one line per set: each set
//! was written by another session, so a change designed from some of them is
//! judged by its figures on the others (leave-one-set-out).
//!
//! cargo run --release -p sceau-anonymise --example devsets -- [--show SET]
//! cargo run --release -p sceau-anonymise --example devsets -- --show all   # every set's
//! NODET=1 cargo run --release -p sceau-anonymise --example devsets   # the rules alone
//! NOSEQ=1 cargo run --release -p sceau-anonymise --example devsets   # without the sequence model
//!
//! Reads only the development and generator sets (never the held-out ones,
//! which `eval/anonymisation/run.sh` scores in aggregate). `--show SET`
//! prints that set's misses (« part » when some of the span was replaced,
//! with what stays in clear), false positives, clinical terms lost and
//! merged pairs of persons.
use sceau_anonymise::eval::{fmt_ratio, load_notes};
use sceau_anonymise::Anonymiser;

const SETS: [&str; 43] = [
    "dev/notes.jsonl",
    "dev2/notes.jsonl",
    "dev3/notes.jsonl",
    "dev4/notes.jsonl",
    "dev5/notes.jsonl",
    "dev6/notes.jsonl",
    "dev7/notes.jsonl",
    "dev8/notes.jsonl",
    "dev9/notes.jsonl",
    "dev10/notes.jsonl",
    "dev11/notes.jsonl",
    "dev12/notes.jsonl",
    "dev13/notes.jsonl",
    "dev14/notes.jsonl",
    "dev15/notes.jsonl",
    "dev16/notes.jsonl",
    "dev17/notes.jsonl",
    "dev18/notes.jsonl",
    "dev19/notes.jsonl",
    "dev20/notes.jsonl",
    "dev21/notes.jsonl",
    "dev22/notes.jsonl",
    "dev23/notes.jsonl",
    "dev24/notes.jsonl",
    "dev25/notes.jsonl",
    "dev26/notes.jsonl",
    "dev27/notes.jsonl",
    "dev28/notes.jsonl",
    "dev29/notes.jsonl",
    "dev30/notes.jsonl",
    "dev31/notes.jsonl",
    "dev32/notes.jsonl",
    "dev33/notes.jsonl",
    "dev34/notes.jsonl",
    "dev35/notes.jsonl",
    "dev36/notes.jsonl",
    "dev37/notes.jsonl",
    "dev38/notes.jsonl",
    "dev39/notes.jsonl",
    "dev40/notes.jsonl",
    "dev41/notes.jsonl",
    "dev42/notes.jsonl",
    "notes.jsonl",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let show = args
        .iter()
        .position(|a| a == "--show")
        .and_then(|i| args.get(i + 1).cloned());
    // another checkout's sets may be scored with this one's code
    let root = std::env::var("DEVSETS_DIR").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval/anonymisation/").into()
    });
    // NODET=1: the rules alone, without the learned detector
    // NOSEQ=1: the word detector without the sequence model
    let a = if std::env::var("NODET").is_ok() {
        Anonymiser::new().with_detector(None)
    } else if std::env::var("NOSEQ").is_ok() {
        Anonymiser::new().with_sequence(None)
    } else {
        Anonymiser::new()
    };
    println!(
        "{:<10} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  {:>9} {:>6} {:>6}",
        "set", "gold", "recall", "prec", "etab", "nom", "ville", "date", "kept", "merges", "splits"
    );
    for rel in SETS {
        let name = rel.split_once('/').map(|(d, _)| d).unwrap_or("generator");
        let notes = load_notes(&std::fs::read_to_string(format!("{root}{rel}"))?)?;
        let s = a.evaluate(&notes);
        let r = |k: &str| fmt_ratio(s.per_type.get(k).and_then(|c| c.recall()));
        println!(
            "{:<10} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  {:>4}/{:<4} {:>6} {:>6}",
            name,
            s.overall.gold,
            fmt_ratio(s.overall.recall()),
            fmt_ratio(s.overall.precision()),
            r("etablissement"),
            r("nom"),
            r("ville"),
            r("date"),
            s.keep_kept,
            s.keep_total,
            s.merges,
            s.split
        );
        if show.as_deref() == Some(name) || show.as_deref() == Some("all") {
            for ((id, k, t), left) in s.misses.iter().zip(&s.miss_left) {
                if left == t {
                    println!("  miss {id} {k}: {t}");
                } else {
                    println!("  part {id} {k}: {t}  →  {left}");
                }
            }
            for (id, k, t) in &s.false_positives {
                println!("  fp   {id} {k}: {t}");
            }
            for (t, n) in &s.keep_lost {
                println!("  lost {t} ×{n}");
            }
            for (id, pair) in &s.merge_notes {
                println!("  merge {id} {pair}");
            }
        }
    }
    Ok(())
}
