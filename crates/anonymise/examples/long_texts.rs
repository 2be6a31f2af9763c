//! How the anonymiser's time grows with the length of a text, on texts made
//! to be hard: one long line of titles (« M. Mme Dr Pr » in random order),
//! one of small numbers, and ordinary prose repeated. For each, the best of
//! `ROUNDS` runs at 12 000, 25 000, 50 000 and 97 000 characters, the time
//! per 1 000 characters, and the ratio of the longest to the shortest per
//! 1 000 characters: near 1 when the time grows linearly, near 8 when it
//! grows with the square of the length.
//!
//! `cargo run --release -p sceau-anonymise --example long_texts [-- KIND]`
//! (KIND: titles, numbers or prose; all three without it)
use std::time::{Duration, Instant};

use sceau_anonymise::Anonymiser;

const SIZES: [usize; 4] = [12_000, 25_000, 50_000, 97_000];
const ROUNDS: usize = 3;

/// Makes the next piece of a text.
type Piece = Box<dyn Fn(&mut Rng) -> String>;

/// A small deterministic generator (xorshift), so that every run reads the
/// same texts without a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn repeat_to(piece: impl Fn(&mut Rng) -> String, len: usize) -> String {
    let mut rng = Rng(0x5eed_cafe);
    let mut s = String::new();
    while s.len() < len {
        s.push_str(&piece(&mut rng));
        s.push(' ');
    }
    let mut end = len;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

fn best(a: &Anonymiser, text: &str) -> Duration {
    (0..ROUNDS)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(a.anonymise(text));
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let a = Anonymiser::new();
    a.warm_up();
    let prose = "Mme Lefèvre, 72 ans, vue le 3 mars au cabinet de Quimper pour une rééducation \
                 de l’épaule (test de Neer positif, EVA 6/10) ; son fils Paul l’accompagne.";
    let kinds: [(&str, Piece); 3] = [
        (
            "titles",
            Box::new(|r: &mut Rng| ["M.", "Mme", "Dr", "Pr"][r.below(4)].to_string()),
        ),
        (
            "numbers",
            Box::new(|r: &mut Rng| (1 + r.below(99)).to_string()),
        ),
        ("prose", Box::new(move |_: &mut Rng| prose.to_string())),
    ];
    println!("text      chars   ms (best of {ROUNDS})   ms per 1 000 chars");
    let only = std::env::args().nth(1);
    for (name, piece) in kinds
        .iter()
        .filter(|(n, _)| only.as_deref().is_none_or(|o| o == *n))
    {
        let mut per_k = Vec::new();
        for &n in &SIZES {
            let text = repeat_to(piece, n);
            let d = best(&a, &text);
            let ms = d.as_secs_f64() * 1e3;
            let k = ms / (text.chars().count() as f64 / 1e3);
            per_k.push(k);
            println!(
                "{name:<8} {:>7}   {ms:>10.1}   {k:>8.2}",
                text.chars().count()
            );
        }
        println!(
            "{name:<8} growth: {:.2} (per 1 000 characters, {} over {})",
            per_k[SIZES.len() - 1] / per_k[0],
            SIZES[SIZES.len() - 1],
            SIZES[0]
        );
    }
}
