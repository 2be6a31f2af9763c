//! Decision latency and throughput: Sceau (compiled, and the reference
//! engine) against the same allow/forbid rules as Cedar policies, generated
//! and hand-written (see common/cedar.rs), on the reference cases
//! and on a generated mix of complete and partial situations; then from
//! JSON text to decision JSON. One iteration decides the whole set, so the
//! throughput line reads as decisions per second.

#[path = "../common/cedar.rs"]
mod cedar;

use std::hint::black_box;

use cedar_policy::Authorizer;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sceau_bench::{generated_mix, reference_cases, reference_situations, today};
use sceau_engine::{reference, Situation};

fn sets() -> Vec<(&'static str, Vec<Situation>)> {
    let law = sceau_law::law();
    let mix = generated_mix(law, 2000);
    // generated_mix alternates complete and partial situations.
    let (complete, partial): (Vec<_>, Vec<_>) = mix
        .iter()
        .cloned()
        .enumerate()
        .partition(|(k, _)| k % 2 == 0);
    let strip = |v: Vec<(usize, Situation)>| v.into_iter().map(|(_, s)| s).collect();
    vec![
        ("reference", reference_situations(law)),
        ("complete", strip(complete)),
        ("partial", strip(partial)),
        ("mix", mix),
    ]
}

fn decisions(c: &mut Criterion) {
    let law = sceau_law::law();
    law.compile_all();
    let set = cedar::policies(law);
    let hand = cedar::hand_policies();
    let auth = Authorizer::new();
    let parties = cedar::Parties::default();
    for (name, situations) in sets() {
        let requests: Vec<_> = situations.iter().map(|s| parties.request(law, s)).collect();
        let mut g = c.benchmark_group(format!("decision/{name}"));
        g.throughput(Throughput::Elements(situations.len() as u64));
        // The reference engine takes up to a second per iteration on the
        // partial situations: ten samples, each a whole set.
        g.sample_size(10);
        g.bench_function("sceau_verdict_and_trace", |b| {
            b.iter(|| {
                for s in &situations {
                    black_box(law.assess(black_box(s)));
                }
            })
        });
        g.bench_function("sceau_rendered_decision", |b| {
            b.iter(|| {
                for s in &situations {
                    black_box(law.decide(black_box(s)));
                }
            })
        });
        // The contract's JSON text, as the API sends it (written from
        // prepared fragments: the same bytes as serde's of the decision).
        g.bench_function("sceau_rendered_json", |b| {
            b.iter(|| {
                for s in &situations {
                    black_box(law.decide_json(black_box(s)));
                }
            })
        });
        g.bench_function("sceau_reference_rendered_decision", |b| {
            b.iter(|| {
                for s in &situations {
                    black_box(reference::decide(law, black_box(s)));
                }
            })
        });
        g.bench_function("cedar_hand_written_prebuilt_request", |b| {
            b.iter(|| {
                for r in &requests {
                    black_box(cedar::allows(&auth, &hand, black_box(r)));
                }
            })
        });
        g.bench_function("cedar_prebuilt_request", |b| {
            b.iter(|| {
                for r in &requests {
                    black_box(cedar::allows(&auth, &set, black_box(r)));
                }
            })
        });
        g.bench_function("cedar_request_built", |b| {
            b.iter(|| {
                for s in &situations {
                    let r = parties.request(law, black_box(s));
                    black_box(cedar::allows(&auth, &set, &r));
                }
            })
        });
        g.finish();
    }
}

fn json_to_json(c: &mut Criterion) {
    let law = sceau_law::law();
    law.compile_all();
    let set = cedar::policies(law);
    let auth = Authorizer::new();
    let parties = cedar::Parties::default();
    let mut situations: Vec<Situation> = reference_situations(law);
    let mut sceau_texts: Vec<String> = reference_cases()
        .iter()
        .map(|c| c.situation.to_string())
        .collect();
    // The generated mix draws qualities independently of the labels: the
    // contract refuses the contradictory ones (a 422 over HTTP), so only the
    // bodies it accepts are timed, on both sides.
    for s in generated_mix(law, 200) {
        let text = serde_json::Value::Object(s.to_json(law)).to_string();
        if law.parse_situation_str(&text, today()).is_ok() {
            sceau_texts.push(text);
            situations.push(s);
        }
    }
    let cedar_texts: Vec<String> = situations
        .iter()
        .map(|s| cedar::context_json(law, s).to_string())
        .collect();
    let mut g = c.benchmark_group("json_to_json");
    g.throughput(Throughput::Elements(sceau_texts.len() as u64));
    g.bench_function("sceau", |b| {
        b.iter(|| {
            for t in &sceau_texts {
                let s = law.parse_situation_str(black_box(t), today()).unwrap();
                black_box(law.decide_json(&s));
            }
        })
    });
    g.bench_function("cedar", |b| {
        b.iter(|| {
            for t in &cedar_texts {
                let r = parties.request_from_json(black_box(t));
                black_box(cedar::response_json(&auth, &set, &r));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, decisions, json_to_json);
criterion_main!(benches);
