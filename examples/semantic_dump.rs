//! Dumps what the semantic fusion sees, for offline experiments with its
//! features: the knowledge base's embedded phrasings, answers and answer
//! sentences, the fitted fusion, and for each question on standard input
//! (JSON lines with `text`, optional `intent`) its embedding and lexical
//! ranking (top 5: intent, confidence, calibration step, required keyword
//! missing) and content words; the background sentences' embeddings.
//! Output: one JSON document on standard output.
//!
//! ```text
//! cargo run --release --features semantic --example semantic_dump -- KB_DIR MODEL_DIR [CACHE_DIR] < questions.jsonl
//! ```

use faqbot::matcher::Matcher;
use faqbot::semantic::{Fusion, Model, SemanticIndex};
use faqbot::KnowledgeBase;
use serde_json::{json, Value};
use std::io::BufRead;
use std::path::Path;

fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        cur.push(c);
        let end = matches!(c, '.' | '!' | '?' | '\n')
            && chars.get(k + 1).is_none_or(|n| n.is_whitespace());
        if end && cur.trim().chars().count() > 3 {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if cur.trim().chars().count() > 3 {
        out.push(cur.trim().to_string());
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kb = KnowledgeBase::load_dir(&args[1]).expect("knowledge base");
    let model = Model::load(Path::new(&args[2])).expect("model");
    let cache = args.get(3).map(Path::new);
    let matcher = Matcher::new(&kb);
    let index = SemanticIndex::build(&model, &kb, cache);
    let fusion = Fusion::fit_to(&kb, &matcher, &index, model.arch());
    let phrasings: Vec<Value> = index
        .phrasings()
        .iter()
        .enumerate()
        .map(|(p, ph)| json!({"intent": ph.intent, "kind": format!("{:?}", ph.kind), "text": ph.text, "vec": index.phrasing_vec(p)}))
        .collect();
    let intents: Vec<Value> = kb
        .intents
        .iter()
        .map(|d| {
            let sents = sentences(&d.answer);
            let svecs: Vec<Vec<f32>> = sents.iter().map(|s| model.embed(s)).collect();
            json!({
                "id": d.id, "kind": format!("{:?}", d.kind), "title": d.title,
                "answer": d.answer, "answer_vec": model.embed(&d.answer),
                "title_answer_vec": model.embed(&format!("{} {}", d.title, d.answer)),
                "sentences": sents, "sentence_vecs": svecs,
            })
        })
        .collect();
    let mut questions = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let text = v["text"].as_str().unwrap_or_default();
        let ranking: Vec<Value> = matcher
            .rank(text, 5)
            .iter()
            .map(|s| {
                json!([
                    s.intent,
                    s.confidence,
                    s.evidence.calibration,
                    !s.evidence.missing_required.is_empty()
                ])
            })
            .collect();
        let content = matcher
            .analyze(text)
            .tokens
            .iter()
            .filter(|t| !t.token.stop && t.weight > 0.5)
            .count();
        questions.push(json!({
            "content": content, "text": text, "intent": v["intent"], "vec": model.embed(text), "lexical": ranking,
        }));
    }
    let fit: Vec<Value> = faqbot::semantic::fit::fit_samples(&kb, &matcher, &index)
        .iter()
        .map(|r| {
            let sims: Vec<Value> = r
                .sims
                .iter()
                .map(|s| json!([s.intent, s.phrasing, s.answer, s.closest]))
                .collect();
            json!({"right": r.right, "lexical": r.lexical, "sims": sims})
        })
        .collect();
    let background: Vec<Vec<f32>> = index.background_vecs().map(|v| v.to_vec()).collect();
    let out = json!({
        "background": background, "small": fusion.small,
        "fit": fit, "fusion": fusion.coefficients, "in_scope": fusion.in_scope, "out_of_scope": fusion.out_of_scope,
        "phrasings": phrasings, "intents": intents, "questions": questions,
    });
    println!("{out}");
}
