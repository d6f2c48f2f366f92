//! Simulated small FAQs from a corpus's train split, for tuning the
//! defaults on knowledge bases like a freshly imported spreadsheet without
//! looking at any test set.
//!
//! ```text
//! cargo run --release --example small_faq -- ../shared/datasets/banking77 --draws 40
//! cargo run --release --example small_faq -- ../shared/datasets/banking77 --rows 10 --phrasings 1-3 -v
//! ```
//!
//! Each draw picks `--rows` (10) labels of `train.jsonl` at random and
//! builds a knowledge base the way `faqbot import` builds one from a
//! spreadsheet: per row a question (one training line), 0 to 2 alternates
//! (`--phrasings` 1-3 lines in all) and a short answer (the readable label,
//! the corpus has no answer texts). It is scored on other lines of the same
//! labels (`--per-row` 3 each, in scope) and on lines of labels not drawn
//! (`--oos` 10, out of scope: near misses of the same domain, the hard
//! kind). Prints the means over `--draws` draws: in-scope top-1, answered
//! right, answered wrong (and clarified), out-of-scope unanswered. `-v`
//! prints one tab-separated line per message (`IN`/`OOS`, top right 0/1,
//! top confidence, reply kind, text, then the top's raw confidence, the
//! runner-up's, familiarity, everyday share, coverage, nearest cosine,
//! word and keyword evidence), for reliability checks and feature
//! studies. `test.jsonl` is never read.

use faqbot::import::{read_jsonl_file, readable, slug, Labelled};
use faqbot::schema::{BotSettings, IntentDef, IntentKind};
use faqbot::{Engine, KnowledgeBase, ReplyKind, Session};
use std::collections::BTreeMap;
use std::path::PathBuf;

struct Args {
    dir: PathBuf,
    draws: usize,
    rows: usize,
    phrasings: (usize, usize),
    per_row: usize,
    oos: usize,
    verbose: bool,
}

fn args() -> Args {
    let mut a = Args {
        dir: PathBuf::from("../shared/datasets/banking77"),
        draws: 40,
        rows: 10,
        phrasings: (1, 3),
        per_row: 3,
        oos: 10,
        verbose: false,
    };
    let mut it = std::env::args().skip(1);
    let num = |v: Option<String>, d: usize| v.and_then(|v| v.parse().ok()).unwrap_or(d);
    while let Some(s) = it.next() {
        match s.as_str() {
            "--draws" => a.draws = num(it.next(), a.draws),
            "--rows" => a.rows = num(it.next(), a.rows),
            "--per-row" => a.per_row = num(it.next(), a.per_row),
            "--oos" => a.oos = num(it.next(), a.oos),
            "--phrasings" => {
                let v = it.next().unwrap_or_default();
                let mut p = v.split('-').filter_map(|x| x.parse().ok());
                let lo = p.next().unwrap_or(1);
                a.phrasings = (lo, p.next().unwrap_or(lo));
            }
            "-v" => a.verbose = true,
            d => a.dir = PathBuf::from(d),
        }
    }
    a
}

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

#[derive(Default)]
struct Tally {
    n: usize,
    top1: usize,
    right: usize,
    wrong: usize,
    clarified: usize,
    oos: usize,
    oos_silent: usize,
}

fn main() {
    let a = args();
    let train: Vec<Labelled> = read_jsonl_file(&a.dir.join("train.jsonl")).expect("train.jsonl");
    let mut by_label: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for l in &train {
        if let Some(label) = &l.intent {
            by_label
                .entry(label.clone())
                .or_default()
                .push(l.text.clone());
        }
    }
    let labels: Vec<String> = by_label.keys().cloned().collect();
    let mut rng = Rng::seeded(0x5EED_F00D);
    let mut t = Tally::default();
    for _ in 0..a.draws {
        let mut order = labels.clone();
        rng.shuffle(&mut order);
        let (drawn, rest) = order.split_at(a.rows.min(order.len()));
        let mut intents = Vec::new();
        let mut tests: Vec<(String, Option<String>)> = Vec::new();
        for label in drawn {
            let mut lines = by_label[label].clone();
            rng.shuffle(&mut lines);
            let lo = a.phrasings.0.max(1);
            let k = (lo + rng.below(a.phrasings.1.max(lo) - lo + 1)).min(lines.len());
            let id = slug(label);
            intents.push(IntentDef {
                id: id.clone(),
                title: lines[0].clone(),
                kind: IntentKind::Faq,
                examples: lines[..k].to_vec(),
                keywords: Vec::new(),
                patterns: Vec::new(),
                answer: format!("About {}.", readable(label).to_lowercase()),
                follow_ups: Vec::new(),
                popularity: 0,
            });
            for l in lines.iter().skip(k).take(a.per_row) {
                tests.push((l.clone(), Some(id.clone())));
            }
        }
        // A corpus with no label left over (rows ≥ labels) has no out-of-scope lines.
        let oos = if rest.is_empty() { 0 } else { a.oos };
        for _ in 0..oos {
            let label = &rest[rng.below(rest.len())];
            let lines = &by_label[label];
            tests.push((lines[rng.below(lines.len())].clone(), None));
        }
        let kb = KnowledgeBase {
            settings: BotSettings::default(),
            origins: vec![None; intents.len()],
            intents,
            sources: Vec::new(),
        };
        let engine = Engine::new(kb);
        for (text, want) in &tests {
            let reply = engine.respond(&mut Session::new(), text);
            let top = engine.rank(text, 2);
            let top_id = top
                .first()
                .map(|s| engine.knowledge_base().intents[s.intent].id.clone());
            let top_conf = top.first().map_or(0.0, |s| s.confidence);
            let answered = matches!(reply.kind, ReplyKind::Answer);
            // raw, rival raw, familiarity, everyday, coverage, nearest cosine, word evidence, keyword evidence
            let feats = top.first().map_or(String::new(), |s| {
                let e = &s.evidence;
                format!(
                    "{:.4}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{:.4}",
                    e.raw_confidence,
                    top.get(1).map_or(0.0, |r| r.evidence.raw_confidence),
                    e.familiarity,
                    e.everyday,
                    e.coverage,
                    e.nearest.map_or(0.0, |(_, c)| c),
                    e.words,
                    e.keyword_score
                )
            });
            match want {
                Some(w) => {
                    t.n += 1;
                    let ok = top_id.as_deref() == Some(w.as_str());
                    t.top1 += usize::from(ok);
                    if answered {
                        if reply.intent.as_deref() == Some(w.as_str()) {
                            t.right += 1;
                        } else {
                            t.wrong += 1;
                        }
                    }
                    t.clarified += usize::from(matches!(reply.kind, ReplyKind::Clarify));
                    if a.verbose {
                        println!(
                            "IN\t{}\t{top_conf:.3}\t{}\t{text}\t{feats}",
                            u8::from(ok),
                            reply.kind.as_str()
                        );
                    }
                }
                None => {
                    t.oos += 1;
                    t.oos_silent += usize::from(!answered);
                    if a.verbose {
                        println!(
                            "OOS\t0\t{top_conf:.3}\t{}\t{text}\t{feats}",
                            reply.kind.as_str()
                        );
                    }
                }
            }
        }
    }
    let f = |k: usize, n: usize| k as f64 / n.max(1) as f64;
    println!(
        "small_faq {} draws {} rows {} phrasings {}-{}: top-1 {:.3}  answered right {:.3}  wrong {:.3}  clarified {:.3}  oos unanswered {:.3}  (in {} oos {})",
        a.dir.file_name().map_or(String::new(), |s| s.to_string_lossy().into_owned()),
        a.draws,
        a.rows,
        a.phrasings.0,
        a.phrasings.1,
        f(t.top1, t.n),
        f(t.right, t.n),
        f(t.wrong, t.n),
        f(t.clarified, t.n),
        f(t.oos_silent, t.oos),
        t.n,
        t.oos
    );
}
