//! Scores do not depend on how intents are named (issue 13): a knowledge
//! base whose intent ids are all renamed, nothing else changed, ranks every
//! message the same, with exactly the same confidences.
//!
//! Data: the spreadsheet fixture (`tests/fixtures/spreadsheet`) with its
//! questions, and the bundled MINI knowledge base with the messages of
//! `tests/heldout/mini_heldout.ron`.

use faqbot::import::{from_csv, read_jsonl_file};
use faqbot::matcher::Matcher;
use faqbot::schema::BotSettings;
use faqbot::KnowledgeBase;
use std::path::Path;

/// Every message's top five (intent title, confidence).
fn rankings(kb: &KnowledgeBase, texts: &[String]) -> Vec<Vec<(String, f32)>> {
    let m = Matcher::new(kb);
    texts
        .iter()
        .map(|t| {
            m.rank(t, 5)
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

fn assert_same(kb: &KnowledgeBase, texts: &[String]) {
    assert!(texts.len() >= 30, "{} messages", texts.len());
    let (a, b) = (rankings(kb, texts), rankings(&renamed(kb), texts));
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

#[test]
fn renamed_spreadsheet_scores_the_same() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spreadsheet");
    let path = dir.join("faq.csv");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let kb = KnowledgeBase {
        settings: BotSettings::default(),
        intents: from_csv(&path, text.as_bytes()).expect("valid CSV"),
        origins: Vec::new(),
        sources: Vec::new(),
    };
    let texts: Vec<String> = read_jsonl_file(&dir.join("questions.jsonl"))
        .expect("questions")
        .into_iter()
        .map(|r| r.text)
        .collect();
    assert_same(&kb, &texts);
}

#[test]
fn renamed_bundled_knowledge_base_scores_the_same() {
    let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
    let ron = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/heldout/mini_heldout.ron"),
    )
    .expect("held-out set");
    let texts: Vec<String> = ron
        .split("user: \"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_string))
        .collect();
    assert_same(&kb, &texts);
}
