//! Prototype of the load-time calibration samples (issue 13): dumps
//! features of rankings as JSON lines for offline analysis.
//!
//! ```text
//! cargo run --release --example calib_dump -- samples KB_DIR|- [--cap N]
//! cargo run --release --example calib_dump -- score KB_DIR|- FILE.jsonl
//! cargo run --release --example calib_dump -- observe KB_DIR|- FILE.jsonl
//! cargo run --release --example calib_dump -- ranking KB_DIR|- FILE.jsonl
//! ```
//!
//! `ranking` prints one JSON line per utterance: the gold label, the
//! utterance's familiarity, foreign and everyday shares and content-word
//! counts, and for each of the top five ranked intents its calibrated and
//! raw confidence, word evidence `l` and `e`, nearest cosine (−1 when not
//! computed), coverage, keyword evidence and pattern
//! (`scripts/separation-bound.py` reads it).

use faqbot::import::read_jsonl_file;
use faqbot::matcher::{Matcher, Scored};
use faqbot::schema::IntentKind;
use faqbot::KnowledgeBase;
use std::time::Instant;

fn h(s: &str) -> u64 {
    // FNV-1a: stable across runs and machines.
    let mut x: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        x ^= u64::from(b);
        x = x.wrapping_mul(0x100_0000_01b3);
    }
    x
}

fn feats(m: &Matcher, kb: &KnowledgeBase, text: &str) -> serde_json::Value {
    let a = m.analyze(text);
    let r: Vec<Scored> = m.rank_analysis(&a, 5);
    let content = a.tokens.iter().filter(|t| !t.token.stop).count();
    let known = a.tokens.iter().filter(|t| !t.token.stop && t.known).count();
    let top = r.first();
    let g = |f: &dyn Fn(&Scored) -> f32| top.map_or(0.0, f);
    serde_json::json!({
        "c1": g(&|s| s.confidence),
        "c2": r.get(1).map_or(0.0, |s| s.confidence),
        "sim": g(&|s| s.evidence.similarity),
        "words": g(&|s| s.evidence.words),
        "wscore": g(&|s| s.evidence.word_score),
        "near": g(&|s| s.evidence.nearest.map_or(0.0, |n| n.1)),
        "kw": g(&|s| s.evidence.keyword_score),
        "pat": g(&|s| if s.evidence.pattern.is_some() {1.0} else {0.0}),
        "cov": g(&|s| s.evidence.coverage),
        "fam": g(&|s| s.evidence.familiarity),
        "ncontent": content,
        "nknown": known,
        "ntok": a.tokens.len(),
        "top": top.map(|s| kb.intents[s.intent].id.clone()),
        "topkind": top.map(|s| format!("{:?}", kb.intents[s.intent].kind)),
    })
}

fn load(dir: &str) -> KnowledgeBase {
    if dir == "-" {
        KnowledgeBase::bundled().unwrap()
    } else {
        KnowledgeBase::load_dir(dir).unwrap()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let kb = load(&args[1]);
    if args[0] == "observe" {
        // One line per utterance: top id, second raw, observation fields.
        let m = Matcher::new(&kb);
        for row in read_jsonl_file(args[2].as_ref()).unwrap() {
            let a = m.analyze(&row.text);
            let r = m.rank_analysis(&a, 3);
            let (top, o) = faqbot::matcher::calibrate::Observation::top(&a, &r);
            println!(
                "{}",
                serde_json::json!({
                    "top": top.map(|i| kb.intents[i].id.clone()),
                    "p": r.first().map_or(0.0, |s| s.confidence),
                    "raw": o.raw, "rival": o.rival, "fam": o.familiarity, "foreign": o.foreign,
                    "cov": r.first().map_or(0.0, |s| s.evidence.coverage),
                    "near": r.first().and_then(|s| s.evidence.nearest).map_or(0.0, |n| n.1),
                    "content": a.tokens.iter().filter(|t| !t.token.stop && t.weight >= 1.0).count(),
                    "kind": top.map(|i| format!("{:?}", kb.intents[i].kind)),
                    "gold": row.intent,
                    "tf": m.calibration().typical_foreign,
                    "nin": m.calibration().in_scope,
                    "coef": m.calibration().coefficients,
                })
            );
        }
        return;
    }
    if args[0] == "ranking" {
        // One line per utterance: the top five entries' evidence.
        let m = Matcher::new(&kb);
        for row in read_jsonl_file(args[2].as_ref()).unwrap() {
            let a = m.analyze(&row.text);
            let r = m.rank_analysis(&a, 5);
            let (_, o) = faqbot::matcher::calibrate::Observation::top(&a, &r);
            let ents: Vec<serde_json::Value> = r
                .iter()
                .map(|s| {
                    let e = &s.evidence;
                    serde_json::json!({
                        "id": kb.intents[s.intent].id,
                        "oos": kb.intents[s.intent].kind != IntentKind::Faq,
                        "p": s.confidence, "raw": e.raw_confidence, "l": e.word_score,
                        "e": e.words, "near": e.nearest.map_or(-1.0, |n| n.1),
                        "cov": e.coverage, "k": e.keyword_score,
                        "pat": e.pattern.is_some(), "sim": e.similarity,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::json!({
                    "gold": row.intent, "fam": o.familiarity, "foreign": o.foreign,
                    "everyday": r.first().map_or(0.0, |s| s.evidence.everyday),
                    "content": a.tokens.iter().filter(|t| !t.token.stop && t.weight >= 1.0).count(),
                    "known": a.tokens.iter().filter(|t| !t.token.stop && t.weight >= 1.0 && t.known).count(),
                    "r": ents,
                })
            );
        }
        return;
    }
    if args[0] == "score" {
        let m = Matcher::new(&kb);
        for row in read_jsonl_file(args[2].as_ref()).unwrap() {
            let mut v = feats(&m, &kb, &row.text);
            v["gold"] = serde_json::json!(row.intent);
            println!("{v}");
        }
        return;
    }
    let cap: usize = args
        .iter()
        .position(|a| a == "--cap")
        .map_or(100_000, |i| args[i + 1].parse().unwrap());
    let budget: usize = args
        .iter()
        .position(|a| a == "--budget")
        .map_or(usize::MAX, |i| args[i + 1].parse().unwrap());
    let t = Instant::now();
    // Held-out intents: every 6th FAQ intent by a hash of its content.
    let faq: Vec<usize> = (0..kb.intents.len())
        .filter(|&i| kb.intents[i].kind == IntentKind::Faq)
        .collect();
    let mut order: Vec<usize> = faq.clone();
    order.sort_by_key(|&i| {
        let d = &kb.intents[i];
        h(&format!("{}\n{}", d.title, d.examples.join("\n")))
    });
    let held_int: Vec<usize> = if faq.len() >= 3 {
        order.iter().copied().step_by(6).collect()
    } else {
        Vec::new()
    };
    let mut sub = kb.clone();
    let mut in_samples: Vec<(String, String)> = Vec::new();
    let mut oos_samples: Vec<String> = Vec::new();
    let norm = faqbot::normalize::Normalizer::new(&kb.settings.language, &kb.settings.synonyms);
    for &i in &faq {
        let d = &mut sub.intents[i];
        if held_int.contains(&i) {
            oos_samples.extend(d.examples.iter().cloned());
            if !d.title.is_empty() {
                oos_samples.push(d.title.clone());
            }
            d.examples.clear();
            d.title.clear();
            d.keywords.clear();
            d.patterns.clear();
            continue;
        }
        let mut ex: Vec<(u64, usize)> = d
            .examples
            .iter()
            .enumerate()
            .map(|(k, e)| (h(e), k))
            .collect();
        ex.sort();
        let texts = d.examples.len() + usize::from(!d.title.is_empty());
        if texts < 2 {
            continue;
        }
        let take = (d.examples.len() / 3).max(1).min(texts - 1);
        let out: Vec<usize> = ex.iter().take(take).map(|x| x.1).collect();
        let title_f = norm.fold(&d.title);
        for &k in &out {
            in_samples.push((d.examples[k].clone(), d.id.clone()));
            if norm.fold(&d.examples[k]) == title_f {
                d.title.clear();
            }
        }
        let per = (budget / faq.len().max(1)).max(2);
        let keep: Vec<usize> = ex.iter().skip(take).take(per).map(|x| x.1).collect();
        let mut k = 0;
        d.examples.retain(|_| {
            k += 1;
            keep.contains(&(k - 1))
        });
    }
    for d in &mut sub.intents {
        d.patterns.clear();
    }
    sub.intents.retain(|d| {
        !(d.examples.is_empty()
            && d.title.is_empty()
            && d.keywords.is_empty()
            && d.patterns.is_empty())
    });
    in_samples.sort_by_key(|(t, _)| h(t));
    in_samples.truncate(cap);
    oos_samples.sort_by_key(|t| h(t));
    oos_samples.truncate(cap);
    let t_split = t.elapsed();
    let m = Matcher::new(&sub);
    let t_build = t.elapsed();
    for (text, id) in &in_samples {
        let mut v = feats(&m, &sub, text);
        v["gold"] = serde_json::json!(id);
        v["src"] = "in".into();
        println!("{v}");
    }
    for text in &oos_samples {
        let mut v = feats(&m, &sub, text);
        v["gold"] = serde_json::Value::Null;
        v["src"] = "held".into();
        println!("{v}");
    }
    for text in include_str!("../data/background/out-of-domain.txt").lines() {
        let mut v = feats(&m, &sub, text);
        v["gold"] = serde_json::Value::Null;
        v["src"] = "bg".into();
        println!("{v}");
    }
    eprintln!(
        "split {:?} build {:?} score {:?}; {} in, {} held-int samples",
        t_split,
        t_build - t_split,
        t.elapsed() - t_build,
        in_samples.len(),
        oos_samples.len()
    );
}
