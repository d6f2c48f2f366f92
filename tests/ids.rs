//! Scores do not depend on how intents are named or in which order they
//! are listed (issue 13). A knowledge base whose intent ids are all renamed,
//! nothing else changed, ranks every message the same, with exactly the
//! same confidences; one whose intents are also reversed gives the same top
//! two with the same confidences (up to float rounding).
//!
//! Data: the spreadsheet fixture (`tests/fixtures/spreadsheet`) with its
//! questions, the bundled MINI knowledge base with the messages of
//! `tests/heldout/mini_heldout.ron`, and the `conflict` authoring fixture
//! (the same example in two intents).

use faqbot::import::{from_csv, read_jsonl_file};
use faqbot::matcher::Matcher;
use faqbot::schema::BotSettings;
use faqbot::KnowledgeBase;
use std::path::Path;

type Rankings = Vec<Vec<(String, f32)>>;

/// Every message's `top` best (intent title, confidence).
fn rankings(kb: &KnowledgeBase, texts: &[String], top: usize) -> Rankings {
    let m = Matcher::new(kb);
    texts
        .iter()
        .map(|t| {
            m.rank(t, top)
                .into_iter()
                .map(|s| (kb.intents[s.intent].title.clone(), s.confidence))
                .collect()
        })
        .collect()
}

/// `kb` with every id replaced by one that sorts in the opposite order
/// and shares no characters with the old one.
fn renamed(kb: &KnowledgeBase) -> KnowledgeBase {
    let mut kb = kb.clone();
    let n = kb.intents.len();
    for (k, d) in kb.intents.iter_mut().enumerate() {
        d.id = format!("x{:04}", n - k);
    }
    kb
}

/// `kb` renamed as [`renamed`] and its intents listed in reverse order.
fn reversed(kb: &KnowledgeBase) -> KnowledgeBase {
    let mut kb = renamed(kb);
    kb.intents.reverse();
    kb
}

/// The spreadsheet fixture (intents sorted by id) and its questions.
fn spreadsheet() -> (KnowledgeBase, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spreadsheet");
    let path = dir.join("faq.csv");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let mut intents = from_csv(&path, text.as_bytes()).expect("valid CSV");
    intents.sort_by(|a, b| a.id.cmp(&b.id));
    let kb = KnowledgeBase {
        settings: BotSettings::default(),
        intents,
        origins: Vec::new(),
        sources: Vec::new(),
    };
    let texts = read_jsonl_file(&dir.join("questions.jsonl"))
        .expect("questions")
        .into_iter()
        .map(|r| r.text)
        .collect();
    (kb, texts)
}

/// The bundled knowledge base and the user turns of the MINI held-out set.
fn bundled() -> (KnowledgeBase, Vec<String>) {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let ron = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/heldout/mini_heldout.ron"),
    )
    .expect("held-out set");
    let texts = ron
        .split("user: \"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_string))
        .collect();
    (kb, texts)
}

/// Renaming alone: the same top five, exactly.
fn assert_renaming_changes_nothing(kb: &KnowledgeBase, texts: &[String]) {
    assert!(texts.len() >= 30, "{} messages", texts.len());
    let (a, b) = (rankings(kb, texts, 5), rankings(&renamed(kb), texts, 5));
    let mut ranked = 0;
    for ((x, y), t) in a.iter().zip(&b).zip(texts) {
        assert_eq!(x, y, "{t}");
        ranked += usize::from(!x.is_empty());
    }
    assert!(
        ranked * 2 > texts.len(),
        "only {ranked} messages ranked anything"
    );
}

/// Renaming and reversing: the decision reads the top two, so the same
/// confidences there, and the same top unless the top two score exactly
/// alike (then tie order decides, as it may). Lower places may differ:
/// which of several intents with exactly equal early evidence get the
/// nearest-example stage is decided by tie order.
fn assert_order_changes_nothing(kb: &KnowledgeBase, texts: &[String]) {
    let (a, b) = (rankings(kb, texts, 2), rankings(&reversed(kb), texts, 2));
    for ((x, y), t) in a.iter().zip(&b).zip(texts) {
        for (p, q) in x.iter().zip(y) {
            assert!((p.1 - q.1).abs() < 1e-4, "{t}: {x:?} vs {y:?}");
        }
        if x.len() >= 2 && (x[0].1 - x[1].1).abs() < 1e-6 {
            let mut xs = [&x[0].0, &x[1].0];
            let mut ys = [&y[0].0, &y[1].0];
            xs.sort();
            ys.sort();
            assert_eq!(xs, ys, "{t}: the tied top two");
        } else {
            assert_eq!(x.first().map(|e| &e.0), y.first().map(|e| &e.0), "{t}");
        }
    }
}

#[test]
fn renamed_spreadsheet_scores_the_same() {
    let (kb, texts) = spreadsheet();
    assert_renaming_changes_nothing(&kb, &texts);
}

#[test]
fn renamed_bundled_knowledge_base_scores_the_same() {
    let (kb, texts) = bundled();
    assert_renaming_changes_nothing(&kb, &texts);
}

#[test]
fn reordered_spreadsheet_scores_the_same() {
    let (kb, texts) = spreadsheet();
    assert_order_changes_nothing(&kb, &texts);
}

#[test]
fn reordered_bundled_knowledge_base_scores_the_same() {
    let (kb, texts) = bundled();
    assert!(texts.len() >= 50, "{}", texts.len());
    assert_order_changes_nothing(&kb, &texts);
}

#[test]
fn the_same_example_in_two_intents_scores_the_same_in_either_order() {
    // "store hours" is an example of two intents of this fixture.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/authoring/conflict");
    let kb = KnowledgeBase::load_dir(&dir).expect("fixture loads");
    let mut texts: Vec<String> = kb
        .intents
        .iter()
        .flat_map(|d| d.examples.iter().cloned())
        .collect();
    texts.extend(
        [
            "sotre hours",
            "when is the store open",
            "refund for my card payment",
        ]
        .map(String::from),
    );
    assert_order_changes_nothing(&kb, &texts);
}

/// A knowledge base built in code with its intents in any order (a struct
/// literal, not a loader): the engine sorts them by id, so lookups by id
/// (`KnowledgeBase::index_of`, `faqbot eval`'s labels) find every intent,
/// and it answers as the sorted one does.
#[test]
fn an_engine_on_unsorted_intents_finds_every_intent_by_id() {
    let (sorted, texts) = spreadsheet();
    let mut shuffled = sorted.clone();
    shuffled.intents.reverse();
    shuffled.intents.swap(0, 3);
    let engine = faqbot::Engine::new(shuffled);
    let kb = engine.knowledge_base();
    for (k, d) in kb.intents.iter().enumerate() {
        assert_eq!(kb.index_of(&d.id), Some(k), "{}", d.id);
    }
    let same = faqbot::Engine::new(sorted);
    for t in &texts {
        let (a, b) = (engine.rank(t, 3), same.rank(t, 3));
        let ids = |e: &faqbot::Engine, r: &[faqbot::matcher::Scored]| -> Vec<String> {
            r.iter()
                .map(|s| e.knowledge_base().intents[s.intent].id.clone())
                .collect()
        };
        assert_eq!(ids(&engine, &a), ids(&same, &b), "{t}");
    }
    let rows = read_jsonl_file(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spreadsheet/questions.jsonl"),
    )
    .unwrap();
    assert!(faqbot::eval::evaluate(&engine, &rows)
        .unknown_labels
        .is_empty());
}
