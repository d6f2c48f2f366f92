//! A ten-row FAQ spreadsheet of a dental practice (`tests/fixtures/spreadsheet/faq.csv`, one or
//! two alternate phrasings per row), imported as `faqbot import` does, answers customer-style
//! questions (`questions.jsonl`: 30 in scope, written the way patients type, 10 out of scope) at
//! the default settings, and its confidences are calibrated probabilities.
//!
//! The target (issue 13) is 80 % of the in-scope questions answered right and 80 % of the
//! out-of-scope ones unanswered; the floors below are what the matcher reaches today, so that a
//! change that loses ground fails here. Raise them as the matcher improves.

use faqbot::eval::evaluate;
use faqbot::import::{from_csv, read_jsonl_file};
use faqbot::schema::BotSettings;
use faqbot::{Engine, KnowledgeBase};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/spreadsheet")
        .join(name)
}

fn engine() -> Engine {
    let path = fixture("faq.csv");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let mut intents = from_csv(&path, text.as_bytes()).expect("valid CSV");
    intents.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(intents.len(), 10);
    assert!(
        intents.iter().all(|d| d.examples.len() <= 3),
        "≤ 2 alternates per row"
    );
    Engine::new(KnowledgeBase {
        settings: BotSettings::default(),
        intents,
        origins: Vec::new(),
        sources: Vec::new(),
    })
}

#[test]
fn imported_spreadsheet_answers_customers_and_stays_silent_out_of_scope() {
    let engine = engine();
    let rows = read_jsonl_file(&fixture("questions.jsonl")).expect("questions");
    assert_eq!(rows.iter().filter(|r| r.intent.is_some()).count(), 30);
    assert_eq!(rows.iter().filter(|r| r.intent.is_none()).count(), 10);
    let r = evaluate(&engine, &rows);
    assert!(r.unknown_labels.is_empty(), "{:?}", r.unknown_labels);
    let at = &r.at_threshold;
    let right = at.in_scope_accuracy.expect("in-scope lines");
    let silent = at.oos_recall.expect("out-of-scope lines");
    let top1 = r.accuracy.expect("in-scope lines");
    eprintln!("top-1 {top1:.3}, answered right {right:.3}, out of scope unanswered {silent:.3}");
    assert!(top1 >= 0.5, "top-1 {top1:.3}");
    assert!(right >= 0.15, "in scope answered right {right:.3}");
    assert!(silent >= 0.8, "out of scope unanswered {silent:.3}");
}

#[test]
fn spreadsheet_confidences_are_probabilities_of_being_right() {
    // Calibration is fitted from the spreadsheet itself: an exact row
    // question is answered with high confidence, an unrelated message
    // gets a low one.
    let engine = engine();
    let exact = engine.rank("Do you offer teeth whitening?", 1);
    assert_eq!(
        exact
            .first()
            .map(|s| engine.knowledge_base().intents[s.intent].id.as_str()),
        Some("do_you_offer_teeth_whitening")
    );
    assert!(exact[0].confidence >= 0.8, "{exact:?}");
    let far = engine.rank("who won the cricket world cup in 1983", 1);
    assert!(far.first().is_none_or(|s| s.confidence < 0.3), "{far:?}");
}

/// The development sheets (`tests/fixtures/devsheets/*`, for tuning the
/// defaults; the sheet above is a test sheet) stay usable: each imports,
/// has 10–12 rows of at most 2 alternates, 30 in-scope questions whose
/// labels are ids of the import (every row asked at least twice) and 10
/// out-of-scope ones, and no question repeats a row's own phrasing.
#[test]
fn development_sheets_are_valid_and_label_every_question_with_an_imported_id() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/devsheets");
    let mut sheets = 0;
    for entry in std::fs::read_dir(&root).expect("devsheets") {
        let dir = entry.expect("entry").path();
        let csv = dir.join("faq.csv");
        if !csv.is_file() {
            continue;
        }
        sheets += 1;
        let text = std::fs::read_to_string(&csv).expect("faq.csv");
        let intents = from_csv(&csv, text.as_bytes()).expect("valid CSV");
        assert!((10..=12).contains(&intents.len()), "{}", csv.display());
        assert!(
            intents.iter().all(|d| d.examples.len() <= 3),
            "{}",
            csv.display()
        );
        let rows = read_jsonl_file(&dir.join("questions.jsonl")).expect("questions");
        assert_eq!(rows.iter().filter(|r| r.intent.is_none()).count(), 10);
        assert_eq!(rows.iter().filter(|r| r.intent.is_some()).count(), 30);
        for d in &intents {
            let asked = rows
                .iter()
                .filter(|r| r.intent.as_deref() == Some(d.id.as_str()))
                .count();
            assert!(
                asked >= 2,
                "{}: row {} asked {asked} times",
                csv.display(),
                d.id
            );
        }
        for r in &rows {
            if let Some(label) = &r.intent {
                assert!(
                    intents.iter().any(|d| &d.id == label),
                    "{}: unknown label {label}",
                    csv.display()
                );
            }
            let phrasing = |e: &String| e.to_lowercase() == r.text.to_lowercase();
            assert!(
                !intents.iter().any(|d| d.examples.iter().any(phrasing)),
                "{:?} is a row's phrasing",
                r.text
            );
        }
    }
    assert_eq!(sheets, 4);
}

#[test]
fn imported_spreadsheet_without_small_talk_greets_and_hands_off_only_after_real_misses() {
    let engine = engine();
    let files = faqbot::convtest::load_paths(&[fixture("conversations.ron")]).expect("parses");
    assert_eq!(files.iter().map(|f| f.cases.len()).sum::<usize>(), 13);
    let report = faqbot::convtest::run_all(&engine, &files);
    assert_eq!(report.failed(), 0, "\n{report}");
}
