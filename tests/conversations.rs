//! Runs every conversation test under `tests/conversations/` through the
//! same runner as `faqbot test`, against the bundled knowledge base.

use faqbot::convtest::{load_paths, run_all};
use faqbot::Engine;
use std::path::PathBuf;

#[test]
fn bundled_knowledge_base_passes_every_conversation_test() {
    let engine = Engine::bundled().expect("bundled knowledge base loads");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conversations");
    let files = load_paths(&[dir]).expect("test files parse");
    let cases: usize = files.iter().map(|f| f.cases.len()).sum();
    assert!(
        cases >= 150,
        "expected the full MINI test set, found {cases} cases"
    );
    let report = run_all(&engine, &files);
    assert_eq!(report.failed(), 0, "\n{report}");
}

/// Every `tests/fixtures/dialogue/NAME/` holds a knowledge base (`kb/`) and
/// the conversation tests written for it (`conversations.ron`).
#[test]
fn fixture_knowledge_bases_pass_their_conversation_tests() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dialogue");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/fixtures/dialogue")
        .map(|e| e.expect("directory entry").path())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixture under {}", root.display());
    for dir in dirs {
        let kb = faqbot::KnowledgeBase::load_dir(dir.join("kb"))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let engine = Engine::new(kb);
        let files = load_paths(&[dir.join("conversations.ron")]).expect("test file parses");
        assert!(files.iter().map(|f| f.cases.len()).sum::<usize>() >= 3);
        let report = run_all(&engine, &files);
        assert_eq!(report.failed(), 0, "{}:\n{report}", dir.display());
    }
}
