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
