//! Cross-validation of the matcher on the train splits only, for tuning
//! without looking at any test split.
//!
//! ```text
//! cargo run --release --example cv -- ../shared/datasets --repeats 6
//! cargo run --release --example cv -- ../shared/datasets --repeats 6 --names
//! cargo run --release --example cv -- ../shared/datasets --repeats 6 --unk 0.25
//! cargo run --release --example cv -- --only chatbot -v
//! ```
//!
//! For each corpus, `train.jsonl` is split into `--folds` (5) stratified
//! folds (labels dealt round-robin after a fixed-seed shuffle; `--repeats`
//! different shuffles, 3 by default; BANKING77 once). Every fold is
//! matched, the way `faqbot eval` does, by a knowledge base imported from
//! the other folds (plus `train_oos.jsonl`, as the real import does).
//! Prints per corpus the in-scope accuracy (right / lines), the share
//! answered right at the default threshold, the mean
//! margin of the labelled intent over the best other one (clamped to
//! ±0.5) and how many lines have a margin under 0.1 ("fragile").
//! `test.jsonl` is never read.
//!
//! Perturbations of the held-out lines, to measure words the knowledge
//! base has never seen:
//! * `--names`: every content word missing from an English dictionary
//!   (`/usr/share/dict/words`, Debian package `wamerican`) — station,
//!   product and place names — becomes a made-up word;
//! * `--unk P`: every content word becomes a made-up word with probability P.
//!
//! `-v` prints the lines of the first repeat that are ranked wrong.

use faqbot::eval::evaluate;
use faqbot::import::{from_labelled, read_jsonl_file, Labelled};
use faqbot::schema::BotSettings;
use faqbot::{Engine, KnowledgeBase};
use std::path::PathBuf;

struct Args {
    dir: PathBuf,
    folds: usize,
    repeats: usize,
    only: Option<String>,
    verbose: bool,
    unk: f64,
    names: bool,
}

fn args() -> Args {
    let mut a = Args {
        dir: PathBuf::from("../shared/datasets"),
        folds: 5,
        repeats: 3,
        only: None,
        verbose: false,
        unk: 0.0,
        names: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(s) = it.next() {
        match s.as_str() {
            "--folds" => a.folds = it.next().and_then(|v| v.parse().ok()).unwrap_or(5),
            "--repeats" => a.repeats = it.next().and_then(|v| v.parse().ok()).unwrap_or(3),
            "--only" => a.only = it.next(),
            "-v" => a.verbose = true,
            "--names" => a.names = true,
            "--unk" => a.unk = it.next().and_then(|v| v.parse().ok()).unwrap_or(0.2),
            d => a.dir = PathBuf::from(d),
        }
    }
    a
}

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

/// The fold shuffle.
fn shuffle<T>(v: &mut [T], seed: u64) {
    Rng::seeded(seed).shuffle(v);
}

/// Replaces each content word (not a stop word, 3+ letters) of `text`
/// with probability `p` by a made-up word no knowledge base knows.
fn unknownify(
    text: &str,
    p: f64,
    seed: u64,
    names: Option<&std::collections::HashSet<String>>,
) -> String {
    let norm = faqbot::normalize::Normalizer::new("en", &[]);
    let mut rng = Rng::seeded(seed);
    let mut next = move || rng.next();
    text.split(' ')
        .map(|w| {
            let toks = norm.tokens(w);
            let content = toks.len() == 1
                && !toks[0].stop
                && toks[0].word.chars().count() >= 3
                && toks[0].word.chars().all(char::is_alphabetic);
            let name = names.is_some_and(|d| content && !d.contains(&toks[0].word));
            if name || (content && (next() % 10_000) as f64 / 10_000.0 < p) {
                let made: String = (0..8)
                    .map(|_| (b'a' + (next() % 26) as u8) as char)
                    .collect();
                format!("qx{made}")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let a = args();
    if a.names && !std::path::Path::new("/usr/share/dict/words").exists() {
        eprintln!("--names needs /usr/share/dict/words (apt-get install wamerican)");
        std::process::exit(2);
    }
    // Words of an English dictionary (for --names: other words are
    // names, replaced by made-up ones in the held-out lines).
    let dict: std::collections::HashSet<String> = std::fs::read_to_string("/usr/share/dict/words")
        .unwrap_or_default()
        .lines()
        .map(|w| w.to_lowercase())
        .collect();
    let corpora = ["askubuntu", "webapps", "chatbot", "banking77"];
    let mut summary = Vec::new();
    for name in corpora {
        if a.only.as_deref().is_some_and(|o| !name.starts_with(o)) {
            continue;
        }
        let dir = a.dir.join(name);
        let train = read_jsonl_file(&dir.join("train.jsonl")).expect("train.jsonl");
        let oos_path = dir.join("train_oos.jsonl");
        let oos: Vec<Labelled> = if oos_path.exists() {
            read_jsonl_file(&oos_path).expect("train_oos.jsonl")
        } else {
            Vec::new()
        };
        let repeats = if name == "banking77" { 1 } else { a.repeats };
        let (mut right, mut n) = (0usize, 0usize);
        let mut answered_right = 0usize;
        let (mut margin_sum, mut fragile) = (0f64, 0usize);
        let mut per = Vec::new();
        for rep in 0..repeats {
            // Stratified: group by label, shuffle, deal round-robin.
            let mut idx: Vec<usize> = (0..train.len()).collect();
            shuffle(&mut idx, 1 + rep as u64);
            idx.sort_by(|&x, &y| train[x].intent.cmp(&train[y].intent));
            let mut fold_of = vec![0usize; train.len()];
            for (k, &i) in idx.iter().enumerate() {
                fold_of[i] = k % a.folds;
            }
            let (mut r_right, mut r_n) = (0usize, 0usize);
            for fold in 0..a.folds {
                let mut rows: Vec<Labelled> = train
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| fold_of[*i] != fold)
                    .map(|(_, r)| r.clone())
                    .collect();
                rows.extend(oos.iter().cloned());
                let held: Vec<Labelled> = train
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| fold_of[*i] == fold)
                    .map(|(i, r)| {
                        let mut r = r.clone();
                        if a.unk > 0.0 || a.names {
                            r.text = unknownify(
                                &r.text,
                                a.unk,
                                (rep * 100_003 + i) as u64,
                                a.names.then_some(&dict),
                            );
                        }
                        r
                    })
                    .collect();
                let intents = from_labelled(&rows);
                let kb = KnowledgeBase {
                    settings: BotSettings::default(),
                    origins: vec![None; intents.len()],
                    intents,
                    sources: Vec::new(),
                };
                let engine = Engine::new(kb);
                let report = evaluate(&engine, &held);
                for r in &held {
                    let Some(want) = r
                        .intent
                        .as_deref()
                        .and_then(|l| faqbot::eval::resolve_label(&engine, l))
                    else {
                        continue;
                    };
                    let ranking = engine.rank(&r.text, 3);
                    let own = ranking
                        .iter()
                        .find(|s| s.intent == want)
                        .map_or(0.0, |s| s.confidence);
                    let other = ranking
                        .iter()
                        .find(|s| s.intent != want)
                        .map_or(0.0, |s| s.confidence);
                    let m = own - other;
                    margin_sum += f64::from(m.clamp(-0.5, 0.5));
                    if m < 0.1 {
                        fragile += 1;
                    }
                }
                let acc = report.accuracy.unwrap_or(0.0);
                let k = (acc * report.in_scope as f64).round() as usize;
                answered_right += (report.at_threshold.in_scope_accuracy.unwrap_or(0.0)
                    * report.in_scope as f64)
                    .round() as usize;
                r_right += k;
                r_n += report.in_scope;
                if a.verbose && rep == 0 {
                    for r in &held {
                        let (_, d) = engine.respond_traced(&mut faqbot::Session::new(), &r.text);
                        let top = d
                            .ranking
                            .first()
                            .map(|s| engine.knowledge_base().intents[s.intent].id.clone());
                        let want = r.intent.as_deref().map(faqbot::import::slug);
                        if top != want {
                            let conf: Vec<String> = d
                                .ranking
                                .iter()
                                .take(2)
                                .map(|s| {
                                    format!(
                                        "{}={:.3}",
                                        engine.knowledge_base().intents[s.intent].id,
                                        s.confidence
                                    )
                                })
                                .collect();
                            eprintln!(
                                "  {name}: {:?} want {:?} got {}",
                                r.text,
                                want,
                                conf.join(" ")
                            );
                        }
                    }
                }
            }
            per.push(format!("{r_right}/{r_n}"));
            right += r_right;
            n += r_n;
        }
        println!(
            "{name:10} {:.4}  ({right}/{n})  answered right {:.4}  margin {:.3} fragile {fragile}  repeats: {}",
            right as f64 / n as f64,
            answered_right as f64 / n as f64,
            margin_sum / n as f64,
            per.join(" ")
        );
        summary.push(format!(
            "{name}={:.4}/{:.4}",
            right as f64 / n as f64,
            answered_right as f64 / n as f64
        ));
    }
    println!("SUMMARY {}", summary.join(" "));
}
