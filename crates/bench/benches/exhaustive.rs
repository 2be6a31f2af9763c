//! Exhaustive verification: the walk of every class of situations the
//! rules can distinguish, over every period of the law, with the
//! conflict, gap and dead-rule checks (`Law::exhaustive`), and the whole
//! corpus validation that `sceau rules check` runs (`Law::validate`), and
//! the compilation of every period (`Law::compile_all`).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

fn exhaustive(c: &mut Criterion) {
    let law = sceau_law::law();
    let rep = law.exhaustive();
    println!(
        "exhaustive: {} classes standing for {:.3e} complete situations over {} periods; {} conflicts, {} gaps, {} dead rules",
        rep.classes,
        rep.situations,
        rep.periods.len(),
        rep.conflicts.len(),
        rep.gaps.len(),
        rep.dead.len()
    );
    let mut g = c.benchmark_group("verification");
    g.sample_size(10);
    g.bench_function("exhaustive_walk", |b| {
        b.iter(|| black_box(law.exhaustive()))
    });
    g.bench_function("validate_whole_corpus", |b| {
        b.iter(|| black_box(law.validate()))
    });
    // A clone of the law starts with no period compiled: this is the
    // compilation of the whole law (every period), clone included.
    let rep = law.clone().compile_all();
    println!(
        "compiled: {} periods, {} classes, {} shared diagram nodes, {} left to the reference engine",
        rep.periods, rep.classes, rep.nodes, rep.uncompiled
    );
    g.bench_function("compile_whole_law", |b| {
        b.iter(|| black_box(law.clone().compile_all()))
    });
    g.finish();
}

criterion_group!(benches, exhaustive);
criterion_main!(benches);
