//! The words of `/why` and `faqbot explain` are the user's: the cases of
//! `tests/fixtures/authoring/why_words.ron`, each a question, an intent
//! of its ranking and the word parts it must show as typed, checked in
//! `explain --json` (`feature` unchanged, `as_typed` added), in the text
//! and in the short form; and on every case, no matcher term or `<rare>`
//! in the text, and every word shown one the trace read.

use crate::support::{faqbot, fixture, root};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    intents: Option<String>,
    input: String,
    intent: String,
    words: BTreeMap<String, String>,
    /// Answer-text words (terms) → as typed.
    #[serde(default)]
    answer_words: BTreeMap<String, String>,
}

/// `faqbot explain ARGS… --intents DIR INPUT`, stdout (exit 0).
fn explain(args: &[&str], intents: Option<&str>, input: &str) -> String {
    let mut all: Vec<&str> = vec!["explain"];
    all.extend(args);
    if let Some(dir) = intents {
        all.extend(["--intents", dir]);
    }
    all.push(input);
    let run = faqbot(&all, "");
    assert_eq!(run.code, 0, "{run:?}");
    run.stdout
}

#[test]
fn word_parts_are_shown_in_the_users_words() {
    let text = std::fs::read_to_string(root().join(fixture("why_words.ron"))).unwrap();
    let cases: Vec<Case> = ::faqbot::kb::ron_options()
        .from_str(&text)
        .expect("why_words.ron parses");
    assert!(cases.len() >= 5);
    let tmp = tempfile::tempdir().expect("temp dir");
    for (n, case) in cases.iter().enumerate() {
        let name = &case.name;
        // A sheet is imported first, as its author would.
        let intents = case.intents.as_ref().map(|p| {
            if !p.ends_with(".csv") {
                return p.clone();
            }
            let out = tmp.path().join(n.to_string());
            let out = out.to_str().expect("utf-8 path").to_string();
            let run = faqbot(&["import", p, "--out", &out], "");
            assert_eq!(run.code, 0, "{name}: {run:?}");
            out
        });
        let intents = intents.as_deref();
        let json = explain(&["--json"], intents, &case.input);
        let x: serde_json::Value = serde_json::from_str(&json).expect("one JSON object");
        let read: Vec<String> = x["trace"]["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| {
                let shown = t["phrase"].as_str().or(t["word"].as_str()).unwrap();
                shown.split(' ').map(str::to_string).collect::<Vec<_>>()
            })
            .collect();
        let ranking = x["ranking"].as_array().unwrap();
        let ranked = ranking
            .iter()
            .find(|r| r["intent"] == case.intent.as_str())
            .unwrap_or_else(|| panic!("{name}: `{}` not ranked\n{json}", case.intent));
        let parts = ranked["word_parts"].as_array().unwrap();
        for (feature, typed) in &case.words {
            assert!(
                parts
                    .iter()
                    .any(|p| p["feature"] == feature.as_str() && p["as_typed"] == typed.as_str()),
                "{name}: no part {feature:?} shown as {typed:?} in {parts:#?}"
            );
        }
        let answer = ranked["answer_words"].as_array().unwrap();
        for (term, typed) in &case.answer_words {
            assert!(
                answer
                    .iter()
                    .any(|p| p["word"] == term.as_str() && p["as_typed"] == typed.as_str()),
                "{name}: no answer word {term:?} shown as {typed:?} in {answer:#?}"
            );
        }
        // Every part of every intent: the words read, and the marks.
        for p in ranking
            .iter()
            .flat_map(|r| r["word_parts"].as_array().unwrap())
        {
            let typed = p["as_typed"].as_str().unwrap();
            let bare = typed
                .replace(" (unknown words)", "")
                .replace(" (unknown word)", "")
                .replace(" (rare words)", "")
                .replace(" (rare word)", "");
            let words = bare
                .split([' ', '/'])
                .filter(|w| !w.is_empty() && *w != "\u{2026}");
            for w in words {
                assert!(read.iter().any(|r| r == w), "{name}: {w:?} of {p} not read");
            }
            let rare = p["feature"].as_str().unwrap().contains("<rare>");
            assert_eq!(rare, typed != bare, "{name}: marked iff <rare>: {p}");
        }
        let text = explain(&[], intents, &case.input);
        let short = explain(&["--short"], intents, &case.input);
        for (feature, typed) in &case.words {
            let line = format!("'{typed}' \u{2192} {}", case.intent);
            assert!(text.contains(&line), "{name}: {line:?} in\n{text}");
            assert!(!text.contains(&format!("'{feature}' \u{2192}")) || feature == typed);
        }
        for (term, typed) in &case.answer_words {
            assert!(
                text.contains(&format!("answer text '{typed}' ")),
                "{name}\n{text}"
            );
            assert!(!text.contains(&format!("answer text '{term}' ")) || term == typed);
        }
        for out in [&text, &short] {
            assert!(!out.contains("<rare>"), "{name}:\n{out}");
            let legend = "(a word marked (unknown word) is one";
            let marked = out
                .lines()
                .filter(|l| !l.contains(legend))
                .any(|l| l.contains("(unknown word") || l.contains("(rare word"));
            assert_eq!(
                marked,
                out.contains(legend),
                "{name}: the legend goes with the marks\n{out}"
            );
        }
    }
}
