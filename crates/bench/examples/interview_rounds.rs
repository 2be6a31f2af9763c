//! The time of the interview's next question as the fastest of many
//! rounds: each round asks the next question once at every distinct step
//! of the reference cases' interviews that asks one (the steps of the
//! criterion bench `interview/next_question_asking`); the minimum over
//! rounds is the figure least moved by the other work of a shared machine,
//! and serves to compare two builds of the engine run one after the other.
//! It prints first a checksum of the interviews (every step, in the order
//! the interviews reach them with the facts a case leaves out skipped, and
//! the answer at each: the question, or the decision), which two builds
//! that ask the same questions share.
//!
//! `cargo run --release -p sceau-bench --example interview_rounds`
//! (`ROUNDS`, 40 by default).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::hint::black_box;
use std::time::Instant;

use sceau_bench::interview_states;
use sceau_engine::Next;

fn main() {
    let law = sceau_law::law();
    let states = interview_states(law);
    let mut sum = DefaultHasher::new();
    let mut asking = Vec::new();
    for s in &states {
        s.hash(&mut sum);
        match law.next(s) {
            Next::Ask(f) => {
                f.id.hash(&mut sum);
                asking.push(s.clone());
            }
            Next::Decided(d) => format!("{d:?}").hash(&mut sum),
        }
    }
    println!(
        "{} steps, {} ask; questions checksum {:016x}",
        states.len(),
        asking.len(),
        sum.finish()
    );
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(40);
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        for s in &asking {
            black_box(law.next(black_box(s)));
        }
        times.push(t.elapsed().as_nanos() as f64 / asking.len() as f64);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "next question (asking steps): min {:.0} ns, median {:.0} ns a step",
        times[0],
        times[rounds / 2]
    );
}
