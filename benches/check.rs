//! `faqbot check` on a synthetic knowledge base of 1,000 intents (the
//! generator of `examples/gen_kb.rs`), all lints on.
//!
//! ```text
//! cargo bench --bench check -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! For 10,000 intents, time the command line instead (see the example).

use criterion::{criterion_group, criterion_main, Criterion};
use faqbot::check::{check_sources, CheckOptions};
use std::path::PathBuf;

#[path = "../examples/gen_kb.rs"]
mod gen_kb;

fn bench(c: &mut Criterion) {
    let files: Vec<(PathBuf, String)> = gen_kb::generate(1_000)
        .into_iter()
        .map(|(n, t)| (PathBuf::from(n), t))
        .collect();
    let mut g = c.benchmark_group("check");
    g.sample_size(10);
    g.bench_function("1000 intents, all lints", |b| {
        b.iter(|| check_sources(files.clone(), &CheckOptions::default()))
    });
    g.bench_function("1000 intents, without variants", |b| {
        b.iter(|| check_sources(files.clone(), &CheckOptions { robustness: false }))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
