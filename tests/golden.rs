//! Golden rankings: what the matcher and the dialogue policy say today, for
//! every test line of the shared corpora and every user turn of the MINI
//! conversation tests, compared line by line with the checked-in files
//! under `tests/golden/`.
//!
//! It guards refactors: a change that should not move any score (splitting
//! a module, renaming, reordering code) must leave these files unchanged to
//! the 6th decimal.
//!
//! * `tests/golden/corpora.txt`: for each corpus in `../shared/datasets`
//!   (askubuntu, webapps, chatbot, banking77), the knowledge base is
//!   imported from `train.jsonl` (+ `train_oos.jsonl` where present) as
//!   `faqbot import` does, and every `test.jsonl` line gets its top 3
//!   intents with confidences (`Engine::rank`) and the reply kind and
//!   intent in a fresh session (as `faqbot eval` sees it).
//! * `tests/golden/mini.txt`: the bundled MINI knowledge base; every user
//!   turn of `tests/conversations/*.ron`, played in its case's session:
//!   the stateless top 3, the reply (kind, intent, confidence, text), the
//!   policy's route and ranking, and the full `/why` trace.
//!
//! # Re-blessing
//!
//! A change that moves rankings on purpose (a new stage, a tuned constant)
//! rewrites the files with
//!
//! ```text
//! FAQBOT_BLESS=1 cargo test --release --test golden
//! ```
//!
//! and the diff of `tests/golden/` goes into the commit, for review.
//!
//! # Shared corpora
//!
//! The corpora are read from `$FAQBOT_SHARED/datasets` when that variable
//! is set, else from `../shared/datasets` beside the repository. When they
//! are missing that part is skipped with a printed reason, unless
//! `FAQBOT_REQUIRE_SHARED=1` (as CI sets it), which makes it fail.

use faqbot::convtest::load_paths;
use faqbot::explain::render_decision;
use faqbot::import::{from_labelled, read_jsonl_file, to_ron};
use faqbot::{Engine, KnowledgeBase, Session};
use std::fmt::Write as _;
use std::path::PathBuf;

const CORPORA: [&str; 4] = ["askubuntu", "webapps", "chatbot", "banking77"];
const TOP: usize = 3;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared_datasets() -> PathBuf {
    match std::env::var_os("FAQBOT_SHARED") {
        Some(p) => PathBuf::from(p).join("datasets"),
        None => root().join("../shared/datasets"),
    }
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// Compares `actual` with the golden file `name`, or rewrites it when
/// `FAQBOT_BLESS=1`.
fn check_golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if flag("FAQBOT_BLESS") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        eprintln!("blessed {}", path.display());
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; write it with FAQBOT_BLESS=1 cargo test --test golden",
            path.display()
        )
    });
    if expected == actual {
        return;
    }
    let mut report = String::new();
    let (mut shown, mut differing) = (0, 0);
    let exp: Vec<&str> = expected.lines().collect();
    let act: Vec<&str> = actual.lines().collect();
    for i in 0..exp.len().max(act.len()) {
        let (e, a) = (exp.get(i).copied(), act.get(i).copied());
        if e != a {
            differing += 1;
            if shown < 20 {
                shown += 1;
                let _ = writeln!(
                    report,
                    "line {}:\n  expected {}\n  actual   {}",
                    i + 1,
                    e.unwrap_or("<none>"),
                    a.unwrap_or("<none>")
                );
            }
        }
    }
    panic!(
        "{} differs from the current code in {differing} lines \
         (bless with FAQBOT_BLESS=1 cargo test --test golden if intended):\n{report}",
        path.display()
    );
}

/// `id=0.123456 id=0.012345 ...`
fn ranking(engine: &Engine, ranked: &[faqbot::matcher::Scored]) -> String {
    let kb = engine.knowledge_base();
    ranked
        .iter()
        .map(|s| format!("{}={:.6}", kb.intents[s.intent].id, s.confidence))
        .collect::<Vec<_>>()
        .join(" ")
}

fn one_line(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

#[test]
fn shared_corpora_rankings_match_the_golden_file() {
    let dir = shared_datasets();
    if !dir.join("banking77/test.jsonl").is_file() {
        let why = format!("no shared corpora at {}", dir.display());
        if flag("FAQBOT_REQUIRE_SHARED") {
            panic!("{why}, and FAQBOT_REQUIRE_SHARED=1");
        }
        eprintln!("skipped: {why} (set FAQBOT_SHARED or FAQBOT_REQUIRE_SHARED=1)");
        return;
    }
    let mut out = String::new();
    for name in CORPORA {
        let corpus = dir.join(name);
        let mut rows = read_jsonl_file(&corpus.join("train.jsonl")).expect("train.jsonl reads");
        let oos = corpus.join("train_oos.jsonl");
        if oos.is_file() {
            rows.extend(read_jsonl_file(&oos).expect("train_oos.jsonl reads"));
        }
        let ron = to_ron(&from_labelled(&rows), name).expect("serialises");
        let kb = KnowledgeBase::from_sources(vec![(PathBuf::from("intents.ron"), ron)])
            .expect("imported knowledge base loads");
        let engine = Engine::new(kb);
        let test = read_jsonl_file(&corpus.join("test.jsonl")).expect("test.jsonl reads");
        for (n, row) in test.iter().enumerate() {
            let ranked = engine.rank(&row.text, TOP);
            let reply = engine.respond(&mut Session::new(), &row.text);
            let _ = writeln!(
                out,
                "{name}\t{}\t{}\t{} {}",
                n + 1,
                ranking(&engine, &ranked),
                reply.kind.as_str(),
                reply.intent.as_deref().unwrap_or("-"),
            );
        }
    }
    check_golden("corpora.txt", &out);
}

#[test]
fn mini_conversation_turns_match_the_golden_file() {
    let engine = Engine::bundled().expect("bundled knowledge base loads");
    let files = load_paths(&[root().join("tests/conversations")]).expect("test files parse");
    let mut out = String::new();
    for file in &files {
        let fname = file.path.file_name().unwrap().to_string_lossy().to_string();
        for (ci, case) in file.cases.iter().enumerate() {
            let mut session = Session::new();
            for (ti, turn) in case.all_turns().iter().enumerate() {
                let ranked = engine.rank(&turn.user, TOP);
                let (reply, decision) = engine.respond_traced(&mut session, &turn.user);
                let _ = writeln!(out, "== {fname} case {} turn {}", ci + 1, ti + 1);
                let _ = writeln!(out, "user\t{}", one_line(&turn.user));
                let _ = writeln!(out, "rank\t{}", ranking(&engine, &ranked));
                let _ = writeln!(
                    out,
                    "reply\t{} {} {:.6}\t{}",
                    reply.kind.as_str(),
                    reply.intent.as_deref().unwrap_or("-"),
                    reply.confidence,
                    one_line(&reply.text)
                );
                let _ = writeln!(
                    out,
                    "policy\t{:?}\t{}\t{}",
                    decision.route,
                    ranking(&engine, &decision.ranking),
                    one_line(&decision.reason)
                );
                for s in &decision.ranking {
                    let e = &s.evidence;
                    // A decision's ranking leaves the word shares to the explanation.
                    let shares = engine.matcher().word_shares(&decision.analysis, s);
                    let feats: Vec<String> = shares
                        .iter()
                        .map(|&(f, v)| format!("{}:{v:.6}", engine.matcher().feature_name(f)))
                        .collect();
                    let _ = writeln!(
                        out,
                        "evidence\t{}\tc={:.6} parts={:.6?} near={:?} l={:.6} e={:.6} s={:.6} \
                         kw={:?} k={:.6} pat={:?} missing={:?} cov={:.6} fam={:.6} feats=[{}]",
                        engine.knowledge_base().intents[s.intent].id,
                        s.confidence,
                        e.contributions,
                        e.nearest.map(|(x, c)| format!("{x}:{c:.6}")),
                        e.word_score,
                        e.words,
                        e.similarity,
                        e.keywords
                            .iter()
                            .map(|(k, v)| format!("{k}:{v:.6}"))
                            .collect::<Vec<_>>(),
                        e.keyword_score,
                        e.pattern,
                        e.missing_required,
                        e.coverage,
                        e.familiarity,
                        feats.join(" ")
                    );
                }
                for line in render_decision(&engine, &reply, &decision).lines() {
                    let _ = writeln!(out, "why\t{line}");
                }
            }
        }
    }
    check_golden("mini.txt", &out);
}
