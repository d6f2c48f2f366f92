//! Every loading error, data-driven from `tests/kb_errors.ron`: each case
//! names a fixture knowledge base and every diagnostic it must produce.

use crate::support::{faqbot, fixture, root};
use faqbot::KnowledgeBase;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    dir: String,
    errors: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    /// `file:line:col` relative to the fixture directory ("" = no location).
    at: String,
    code: String,
    /// A piece of the rendered diagnostic (message, note or hint).
    says: String,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(root().join("tests/kb_errors.ron")).expect("cases file");
    ron::from_str(&text).expect("cases parse")
}

#[test]
fn every_loading_error_is_reported_with_its_place() {
    let mut problems = Vec::new();
    for case in cases() {
        let dir = fixture("kb").join(&case.dir);
        let got = match KnowledgeBase::load_dir(&dir) {
            Ok(_) => Vec::new(),
            Err(e) => e.diagnostics().to_vec(),
        };
        if case.errors.is_empty() && !got.is_empty() {
            problems.push(format!("{}: expected to load, got {got:?}", case.dir));
            continue;
        }
        if got.len() != case.errors.len() {
            let shown: Vec<String> = got.iter().map(|d| d.to_string()).collect();
            problems.push(format!(
                "{}: expected {} diagnostics, got {}:\n{}",
                case.dir,
                case.errors.len(),
                got.len(),
                shown.join("\n")
            ));
            continue;
        }
        for (want, d) in case.errors.iter().zip(&got) {
            let at = d
                .location
                .as_ref()
                .map(|l| {
                    let file = l.file.strip_prefix(&dir).unwrap_or(&l.file);
                    format!("{}:{}:{}", file.display(), l.line, l.col)
                })
                .unwrap_or_default();
            let rendered = d.to_string();
            if at != want.at || d.code != want.code || !rendered.contains(&want.says) {
                problems.push(format!(
                    "{}: expected {} {} {:?}, got {at} {}: {rendered}",
                    case.dir, want.at, want.code, want.says, d.code
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn a_broken_knowledge_base_exits_2_and_names_the_place() {
    let dir = fixture("kb/unknown_follow_up");
    let out = faqbot(&["--intents", dir.to_str().unwrap(), "ask", "pin"], b"");
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("faq.ron:6:22"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `biometric_login`?"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_missing_directory_exits_2() {
    let out = faqbot(&["--intents", "/nonexistent/faqbot-kb", "ask", "hi"], b"");
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("/nonexistent/faqbot-kb"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_bundled_and_example_knowledge_bases_load() {
    let kb = KnowledgeBase::bundled().expect("bundled loads");
    let faq = kb
        .intents
        .iter()
        .filter(|i| i.kind == faqbot::schema::IntentKind::Faq)
        .count();
    assert_eq!(faq, 21, "one FAQ intent per seed answer");
    for id in ["greeting", "thanks", "goodbye", "help", "handoff"] {
        assert!(kb.intent(id).is_some(), "small-talk intent {id}");
    }
    KnowledgeBase::load_dir(fixture("kb/minimal")).expect("minimal example loads");
}
