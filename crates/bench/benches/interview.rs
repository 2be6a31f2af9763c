//! The guided interview: the number of questions asked to reach a verdict
//! on every reference case against a static questionnaire (printed first),
//! and the time to compute the next question at every step of those
//! interviews.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sceau_bench::{interview_states, interview_table};
use sceau_engine::{reference, Next, Situation};

fn questions_table() {
    let law = sceau_law::law();
    let (rows, fixed) = interview_table(law);
    let total: usize = rows.iter().map(|r| r.asked).sum();
    let max = rows.iter().map(|r| r.asked).max().unwrap_or(0);
    let mean = total as f64 / rows.len() as f64;
    println!(
        "interview: {} cases, questions asked mean {mean:.2}, max {max}; static questionnaire {fixed}; ratio {:.2}",
        rows.len(),
        mean / fixed as f64
    );
}

fn next_question(c: &mut Criterion) {
    questions_table();
    let law = sceau_law::law();
    let states = interview_states(law);
    let first = Situation::unknown(law, sceau_bench::today());
    let t = std::time::Instant::now();
    black_box(law.next(&first));
    let compiled = t.elapsed();
    let t = std::time::Instant::now();
    black_box(reference::decide(law, &first));
    println!(
        "interview: {} distinct steps; first question (nothing known) in {:.1} µs compiled \
         (period already compiled by the steps above), {:.1} ms by the reference engine",
        states.len(),
        compiled.as_secs_f64() * 1e6,
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = std::time::Instant::now();
    black_box(law.next(&first));
    println!(
        "interview: first question again, period compiled: {:.1} µs",
        t.elapsed().as_secs_f64() * 1e6
    );
    let mut g = c.benchmark_group("interview");
    // One iteration asks every step of every reference interview: tens of ms.
    g.sample_size(10);
    g.throughput(Throughput::Elements(states.len() as u64));
    g.bench_function("next_question", |b| {
        b.iter(|| {
            for s in &states {
                black_box(law.next(black_box(s)));
            }
        })
    });
    // The same steps split: those that ask (the question alone, no
    // decision rendered) and those that end with the rendered decision.
    let (asking, deciding): (Vec<Situation>, Vec<Situation>) = states
        .iter()
        .cloned()
        .partition(|s| matches!(law.next(s), Next::Ask(_)));
    println!(
        "interview: {} steps ask a question, {} end with the decision",
        asking.len(),
        deciding.len()
    );
    for (name, set) in [("asking", &asking), ("deciding", &deciding)] {
        g.throughput(Throughput::Elements(set.len() as u64));
        g.bench_function(format!("next_question_{name}"), |b| {
            b.iter(|| {
                for s in set {
                    black_box(law.next(black_box(s)));
                }
            })
        });
    }
    g.throughput(Throughput::Elements(states.len() as u64));
    // The reference engine's step: its full decision, whose first missing
    // fact is the question.
    g.bench_function("next_question_reference", |b| {
        b.iter(|| {
            for s in &states {
                black_box(reference::decide(law, black_box(s)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, next_question);
criterion_main!(benches);
