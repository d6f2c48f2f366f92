//! Knowledge-base load and matching latency.
//!
//! Sets: the bundled MINI knowledge base; BANKING77 imported from
//! `../shared/datasets/banking77/train.jsonl` (77 intents, 10,003
//! examples; skipped when the file is missing); and a generated set of
//! 1,000 intents × 100 examples (100,000 examples) over a 5,000-word
//! vocabulary. Run with
//! `cargo bench --bench matching -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use faqbot::import::{from_labelled, read_jsonl_file, to_ron, Labelled};
use faqbot::{Engine, KnowledgeBase, Session};
use std::path::{Path, PathBuf};

fn dataset(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/datasets/banking77")
        .join(name)
}

/// RON text of a knowledge base imported from labelled rows.
fn ron_of(rows: &[Labelled]) -> String {
    to_ron(&from_labelled(rows), "bench").expect("serialises")
}

fn load(ron: &str) -> Engine {
    let kb = KnowledgeBase::from_sources(vec![(PathBuf::from("intents.ron"), ron.to_string())])
        .expect("loads");
    Engine::new(kb)
}

/// A deterministic pseudo-random generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    }
}

/// Pronounceable pseudo-words: "bakito", "rumelo", ...
fn word(n: usize) -> String {
    const C: &[u8] = b"bdfgklmnprstvz";
    const V: &[u8] = b"aeiou";
    let mut s = String::new();
    let mut k = n + 7;
    for _ in 0..3 {
        s.push(C[k % C.len()] as char);
        k /= C.len();
        s.push(V[k % V.len()] as char);
        k = k / V.len() + 3;
    }
    s
}

/// `intents` × `per_intent` examples: each intent has 8 topic words of its
/// own; an example mixes 2-3 topic words with 3-5 common words.
fn generated(intents: usize, per_intent: usize) -> (Vec<Labelled>, Vec<String>) {
    let mut rng = Rng(42);
    let vocab: Vec<String> = (0..5000).map(word).collect();
    let common = [
        "how", "do", "i", "my", "the", "can", "you", "to", "is", "what", "a", "why",
    ];
    let mut rows = Vec::new();
    let mut queries = Vec::new();
    for i in 0..intents {
        let topic: Vec<&str> = (0..8)
            .map(|_| vocab[rng.below(vocab.len())].as_str())
            .collect();
        for e in 0..per_intent + 1 {
            let mut words: Vec<&str> = Vec::new();
            for _ in 0..3 + rng.below(3) {
                words.push(common[rng.below(common.len())]);
            }
            for _ in 0..2 + rng.below(2) {
                words.insert(rng.below(words.len() + 1), topic[rng.below(topic.len())]);
            }
            let text = words.join(" ");
            if e == per_intent {
                queries.push(text); // one held-out utterance per intent
            } else {
                rows.push(Labelled {
                    text,
                    intent: Some(format!("intent {i}")),
                });
            }
        }
    }
    (rows, queries)
}

fn benches(c: &mut Criterion) {
    let mut sets: Vec<(&str, String, Vec<String>)> = Vec::new();
    let mini = KnowledgeBase::bundled().expect("bundled");
    let mini_queries: Vec<String> = [
        "I forgot my app PIN",
        "how do i charge my car overnight when power is cheap",
        "can I delete my MINI ID",
        "what's the weather in Paris",
        "hello",
        "the app wont show my fuel level",
    ]
    .map(String::from)
    .to_vec();
    if let (Ok(train), Ok(test)) = (
        read_jsonl_file(&dataset("train.jsonl")),
        read_jsonl_file(&dataset("test.jsonl")),
    ) {
        let queries: Vec<String> = test.into_iter().map(|r| r.text).take(500).collect();
        sets.push(("banking77_10k", ron_of(&train), queries));
    }
    let (rows, queries) = generated(1000, 100);
    sets.push(("generated_100k", ron_of(&rows), queries));

    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("mini", |b| b.iter(|| Engine::new(black_box(mini.clone()))));
    // What start-up on the bundled knowledge base costs: parse (its
    // patterns are not compiled to be checked) and compile.
    g.bench_function("mini_bundled", |b| {
        b.iter(|| Engine::bundled().expect("bundled"))
    });
    for (name, ron, _) in &sets {
        g.bench_with_input(BenchmarkId::from_parameter(name), ron, |b, ron| {
            b.iter(|| load(black_box(ron)))
        });
    }
    g.finish();

    // A warm start: parse, then the start-up cache (calibration, patterns'
    // literals and the built matcher's snapshot, written by a first load)
    // read instead of fitting and building. What `faqbot` does on its
    // second start with the same knowledge base.
    let cache = tempfile::tempdir().expect("temporary directory");
    let cached = |ron: Option<&str>| {
        let kb = match ron {
            None => KnowledgeBase::bundled().expect("bundled"),
            Some(ron) => {
                KnowledgeBase::from_sources(vec![(PathBuf::from("intents.ron"), ron.to_string())])
                    .expect("loads")
            }
        };
        Engine::with_calibration_cache(kb, Some(cache.path()))
    };
    let mut g = c.benchmark_group("load_cached");
    g.sample_size(10);
    drop(cached(None));
    g.bench_function("mini_bundled", |b| b.iter(|| cached(black_box(None))));
    for (name, ron, _) in sets.iter().filter(|s| s.0 == "banking77_10k") {
        drop(cached(Some(ron)));
        g.bench_with_input(BenchmarkId::from_parameter(name), ron, |b, ron| {
            b.iter(|| cached(black_box(Some(ron))))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("respond");
    let engines: Vec<(&str, Engine, Vec<String>)> =
        std::iter::once(("mini", Engine::new(mini.clone()), mini_queries))
            .chain(sets.iter().map(|(n, ron, q)| (*n, load(ron), q.clone())))
            .collect();
    for (name, engine, queries) in &engines {
        let mut k = 0;
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                k = (k + 1) % queries.len();
                engine.respond(&mut Session::new(), black_box(&queries[k]))
            })
        });
    }
    g.finish();

    // Pipe mode's work per line (`--stateless --json`): a fresh session,
    // the reply and its JSON line.
    let mut g = c.benchmark_group("pipe_line");
    for (name, engine, queries) in &engines {
        let mut k = 0;
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                k = (k + 1) % queries.len();
                let reply = engine.respond(&mut Session::new(), black_box(&queries[k]));
                serde_json::to_string(&reply).expect("JSON")
            })
        });
    }
    g.finish();
}

criterion_group!(matching, benches);
criterion_main!(matching);
