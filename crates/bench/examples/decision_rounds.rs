//! The time of a decision as the fastest of many rounds: each round
//! decides the 1 000 complete or the 1 000 partial generated situations of
//! the decision bench once; the minimum over rounds is the figure least
//! moved by the other work of a shared machine (criterion's median moves
//! by a fifth from one run to the next under load), and serves to compare
//! two builds of the engine run one after the other.
//!
//! `cargo run --release -p sceau-bench --example decision_rounds [FILTER…]`
//! (`ROUNDS`, 40 by default; a filter such as `partial/json` keeps the
//! lines whose name contains it).

use std::hint::black_box;
use std::time::Instant;

use sceau_bench::generated_mix;

fn main() {
    let law = sceau_law::law();
    law.compile_all();
    law.prepare_json();
    let mix = generated_mix(law, 2000);
    // generated_mix alternates complete and partial situations.
    let complete: Vec<_> = mix.iter().step_by(2).cloned().collect();
    let partial: Vec<_> = mix.iter().skip(1).step_by(2).cloned().collect();
    let filters: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(40);
    for (name, set) in [("complete", &complete), ("partial", &partial)] {
        for mode in ["assess", "json", "decide"] {
            let key = format!("{name}/{mode}");
            if !filters.is_empty() && !filters.iter().any(|w| key.contains(w.as_str())) {
                continue;
            }
            let mut times = Vec::with_capacity(rounds);
            for _ in 0..rounds {
                let t = Instant::now();
                for s in set.iter() {
                    match mode {
                        "assess" => {
                            black_box(law.assess(black_box(s)));
                        }
                        "json" => {
                            black_box(law.decide_json(black_box(s)));
                        }
                        _ => {
                            black_box(law.decide(black_box(s)));
                        }
                    }
                }
                times.push(t.elapsed().as_nanos() as f64 / set.len() as f64);
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{key:16} min {:6.0} ns  median {:6.0} ns  ({rounds} rounds)",
                times.first().copied().unwrap_or(f64::NAN),
                times.get(rounds / 2).copied().unwrap_or(f64::NAN)
            );
        }
    }
}
