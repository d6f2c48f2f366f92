//! Embeds each line of standard input with the sentence model and prints
//! one JSON line per sentence (`text`, `embedding`, `ms`: the forward
//! pass's wall time), then a summary line on standard error (model load
//! time, p50 / p90 per sentence). For checking a model against a reference
//! (`scripts/semantic-reference.py`) and for the per-question cost.
//!
//! ```sh
//! cargo build --release --features semantic --example semantic_embed
//! target/release/examples/semantic_embed MODEL_DIR < sentences.txt > embeddings.jsonl
//! ```

use faqbot::semantic::Model;
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Instant;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: semantic_embed MODEL_DIR < lines");
    let t = Instant::now();
    let model = Model::load(Path::new(&dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut times = Vec::new();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        if line.trim().is_empty() {
            continue;
        }
        let t = Instant::now();
        let e = model.embed(&line);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        times.push(ms);
        let v = serde_json::json!({"text": line, "embedding": e, "ms": ms});
        writeln!(out, "{v}").expect("stdout");
    }
    out.flush().expect("stdout");
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times.get(((times.len().max(1) - 1) as f64 * q).round() as usize);
    eprintln!(
        "{{\"arch\": \"{:?}\", \"dim\": {}, \"load_ms\": {load_ms:.0}, \"sentences\": {}, \"p50_ms\": {:.1}, \"p90_ms\": {:.1}}}",
        model.arch(),
        model.dim(),
        times.len(),
        at(0.5).copied().unwrap_or(0.0),
        at(0.9).copied().unwrap_or(0.0)
    );
}
