//! Latency of the semantic stage in the bot's own code path: loads a
//! knowledge base with and without the sentence model, answers every line
//! of a JSONL file (`{"text": ...}`) with [`faqbot::Engine::respond_traced`]
//! (what pipe mode and the server call) and prints one JSON object: load
//! times (model stage with an empty and with a warm embedding cache),
//! p50/p99 per question with and without the stage, the share of questions
//! that ran the model, and peak memory (VmHWM).
//!
//! ```sh
//! cargo build --release --features semantic --example semantic_latency
//! target/release/examples/semantic_latency KB_DIR QUESTIONS.jsonl MODEL_DIR [CACHE_DIR]
//! ```
//!
//! With CACHE_DIR, the embedding cache there is used and the load with an
//! empty cache is not measured (it embeds every text: minutes for a large
//! knowledge base).

use faqbot::{Engine, Session};
use std::path::Path;
use std::time::Instant;

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn run(engine: &Engine, questions: &[String]) -> (Vec<f64>, usize) {
    let mut times = Vec::with_capacity(questions.len());
    let mut ran = 0;
    for q in questions {
        let t = Instant::now();
        let (_, d) = engine.respond_traced(&mut Session::new(), q);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        ran += usize::from(d.semantic.is_some_and(|s| s.ran));
    }
    times.sort_by(f64::total_cmp);
    (times, ran)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (kb, file, model, given) = match &args[..] {
        [_, kb, file, model] => (kb, file, model, None),
        [_, kb, file, model, cache] => (kb, file, model, Some(std::path::PathBuf::from(cache))),
        _ => {
            return Err(
                "usage: semantic_latency KB_DIR QUESTIONS.jsonl MODEL_DIR [CACHE_DIR]".into(),
            )
        }
    };
    let questions: Vec<String> = std::fs::read_to_string(file)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let t = Instant::now();
    let plain = Engine::load(kb)?;
    let load_plain = t.elapsed().as_secs_f64();
    let (times_plain, _) = run(&plain, &questions);
    let rss_plain = peak_rss_kb();
    let cache = match &given {
        Some(c) => c.clone(),
        None => tempfile_dir()?,
    };
    let mut load_cold = None;
    if given.is_none() {
        let t = Instant::now();
        let cold = Engine::load(kb)?.with_semantic_model(Path::new(model), Some(&cache));
        load_cold = Some(t.elapsed().as_secs_f64());
        drop(cold);
    }
    let t = Instant::now();
    let engine = Engine::load(kb)?.with_semantic_model(Path::new(model), Some(&cache));
    let load_warm = t.elapsed().as_secs_f64();
    let (times, ran) = run(&engine, &questions);
    if given.is_none() {
        let _ = std::fs::remove_dir_all(&cache);
    }
    let out = serde_json::json!({
        "questions": questions.len(),
        "load_s": {"without": load_plain, "with_empty_cache": load_cold, "with_warm_cache": load_warm},
        "ms_per_question": {
            "without": {"p50": percentile(&times_plain, 0.5), "p99": percentile(&times_plain, 0.99)},
            "with": {"p50": percentile(&times, 0.5), "p99": percentile(&times, 0.99)},
        },
        "share_ran_model": ran as f64 / questions.len().max(1) as f64,
        "peak_rss_mb": {"without": rss_plain as f64 / 1024.0, "with": peak_rss_kb() as f64 / 1024.0},
        "fusion": engine.semantic().fusion().map(|f| serde_json::json!({
            "coefficients": f.coefficients, "in_scope": f.in_scope, "out_of_scope": f.out_of_scope})),
    });
    println!("{out}");
    Ok(())
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!("faqbot-latency-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
