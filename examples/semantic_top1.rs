//! Measures the semantic stage alone: top-1 of MiniLM similarity over a
//! knowledge base, per-question latency, index build time.
//!
//! ```text
//! export FAQBOT_SEMANTIC_MODEL=$(scripts/get-semantic-model.sh)
//! scripts/semantic-top1.py tests/semantic/paraphrases.tsv | \
//!   cargo run --release --features semantic --example semantic_top1
//! scripts/semantic-top1.py ../shared/devsets/mini | \
//!   cargo run --release --features semantic --example semantic_top1 -- [--intents DIR] [--faq-only]
//! ```
//!
//! Reads JSON lines `{"text": "...", "intents": ["id", ...]}` on standard
//! input (an empty list: out of scope). Prints the share of in-scope
//! questions whose first intent is one of theirs, ranking by
//! `phrasing + 0.5 × answer` (the stage's score), by the closest phrasing
//! alone and by the answer text alone; the ROC AUC of the top score for
//! in-scope against out-of-scope questions; p50/p99 per question.
//! `--faq-only` ranks only the FAQ intents (no small talk, handoff or
//! out-of-scope intents), e.g. the 21 MINI answers.

use faqbot::schema::IntentKind;
use faqbot::semantic::{Model, SemanticIndex, MODEL_ENV};
use faqbot::KnowledgeBase;
use std::io::BufRead;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kb = match args.iter().position(|a| a == "--intents") {
        Some(i) => KnowledgeBase::load_dir(&args[i + 1]).expect("knowledge base"),
        None => KnowledgeBase::bundled().expect("bundled knowledge base"),
    };
    let faq_only = args.iter().any(|a| a == "--faq-only");
    let dir = std::env::var_os(MODEL_ENV).expect("set FAQBOT_SEMANTIC_MODEL");
    let t = Instant::now();
    let model = Model::load(dir.as_ref()).expect("model");
    let load = t.elapsed();
    let t = Instant::now();
    let index = SemanticIndex::build(&model, &kb, None);
    let build = t.elapsed();
    eprintln!(
        "model load {:.0} ms; index of {} texts built in {:.0} ms (no cache)",
        load.as_secs_f64() * 1e3,
        index.stats().texts,
        build.as_secs_f64() * 1e3
    );

    let (mut n, mut by_score, mut by_phrasing, mut by_answer) = (0, 0, 0, 0);
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    let mut times = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let text = v["text"].as_str().unwrap_or_default();
        let want: Vec<&str> = v["intents"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default();
        let t = Instant::now();
        let mut sims = index.similarities(&model, text);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        if faq_only {
            sims.retain(|s| kb.intents[s.intent].kind == IntentKind::Faq);
        }
        let Some(top) = sims.first() else { continue };
        if want.is_empty() {
            neg.push(top.score);
            continue;
        }
        pos.push(top.score);
        n += 1;
        let hit = |i: usize| want.contains(&kb.intents[i].id.as_str());
        let best_by = |f: fn(&faqbot::semantic::IntentSimilarity) -> f32| {
            sims.iter()
                .max_by(|a, b| f(a).total_cmp(&f(b)).then(b.intent.cmp(&a.intent)))
                .map(|s| s.intent)
        };
        by_score += hit(top.intent) as usize;
        by_phrasing += best_by(|s| s.phrasing).is_some_and(hit) as usize;
        by_answer += best_by(|s| s.answer).is_some_and(hit) as usize;
    }
    let share = |k: usize| k as f64 / n.max(1) as f64;
    println!("in-scope questions: {n}, out-of-scope: {}", neg.len());
    println!("top-1 phrasing + 0.5 x answer: {:.3}", share(by_score));
    println!("top-1 closest phrasing only:   {:.3}", share(by_phrasing));
    println!("top-1 answer text only:        {:.3}", share(by_answer));
    if !neg.is_empty() && !pos.is_empty() {
        let wins: f64 = pos
            .iter()
            .map(|p| {
                neg.iter()
                    .map(|q| {
                        if p > q {
                            1.0
                        } else if p == q {
                            0.5
                        } else {
                            0.0
                        }
                    })
                    .sum::<f64>()
            })
            .sum();
        let auc = wins / (pos.len() * neg.len()) as f64;
        println!("AUC of the top score, in-scope vs out-of-scope: {auc:.3}");
    }
    times.sort_by(f64::total_cmp);
    if !times.is_empty() {
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "per question (embed + similarities): p50 {:.2} ms, p99 {:.2} ms, n {}",
            at(0.5),
            at(0.99),
            times.len()
        );
    }
}
