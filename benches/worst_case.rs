//! Worst-case cost of one utterance, per script, against a normal question
//! (issue 8): 1,000 × U+FDFA (NFKC expands it 18×), 64 KiB of Arabic and
//! of Hangul, and words of 64 K, 128 K and 256 K characters, on the
//! bundled MINI knowledge base, through the dialogue (`respond`, what the
//! chat, pipe and server run) and through `Engine::rank` (what `faqbot
//! misses` and the library run, without the dialogue's 1,000-character
//! cap). Run with
//! `cargo bench --bench worst_case -- --warm-up-time 1 --measurement-time 3`
//! and compare each input's time with `normal question`'s.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use faqbot::{Engine, Session};

/// (name, input): the worst inputs of the issue and a normal question.
pub fn inputs() -> Vec<(&'static str, String)> {
    let fill = |unit: &str, bytes: usize| unit.repeat(bytes / unit.len());
    vec![
        (
            "normal question",
            "How do I reset my MINI App PIN?".to_string(),
        ),
        ("U+FDFA x1000", "\u{fdfa}".repeat(1000)),
        (
            "Arabic 64 KiB",
            fill("\u{0645}\u{0631}\u{062d}\u{0628}\u{0627} ", 64 * 1024),
        ),
        (
            "Hangul 64 KiB",
            fill("\u{c548}\u{b155}\u{d558}\u{c138}\u{c694} ", 64 * 1024),
        ),
        ("word 64K chars", "a".repeat(64 * 1024)),
        ("word 128K chars", "ab".repeat(64 * 1024)),
        ("word 256K chars", "e".repeat(256 * 1024)),
    ]
}

fn worst_case(c: &mut Criterion) {
    let engine = Engine::bundled().expect("bundled knowledge base");
    let mut g = c.benchmark_group("respond");
    for (name, text) in inputs() {
        g.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, t| {
            b.iter(|| engine.respond(&mut Session::new(), black_box(t)))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("rank");
    for (name, text) in inputs() {
        g.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, t| {
            b.iter(|| engine.rank(black_box(t), 5))
        });
    }
    g.finish();
}

criterion_group!(benches, worst_case);
criterion_main!(benches);
