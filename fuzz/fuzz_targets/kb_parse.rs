//! Knowledge-base files from RON text, as `faqbot check` and a (re)load
//! read them: `KnowledgeBase::parse` on in-memory files, then, when they
//! load, an engine, a few turns and every lint, and the report rendered.
//!
//! Input: files separated by the byte 0xFF (never in UTF-8), each decoded
//! lossily: `faq.ron`, then `bot.ron`, then `more.ron`.
//!
//! Checks: no panic; a knowledge base exactly when no diagnostic is an
//! error; every diagnostic but `no-intents` has a place, and every place
//! (also the related ones) is in its file: a known file, a line of it, a
//! column of that line (or one past its end); the engine's replies have a
//! finite confidence in 0..=1; the report renders as text and JSON.
#![no_main]

use faqbot::check::{lint, render, CheckOptions, Finding, Report};
use faqbot::{Engine, KnowledgeBase, Location, Session, Severity};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

const NAMES: [&str; 3] = ["faq.ron", "bot.ron", "more.ron"];

fn assert_in_file(l: &Location, files: &[(PathBuf, String)], what: &str) {
    let (_, text) = files
        .iter()
        .find(|(p, _)| *p == l.file)
        .unwrap_or_else(|| panic!("{what}: {l} names no file given"));
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        l.line >= 1 && l.line <= lines.len(),
        "{what}: {l}: no such line"
    );
    let chars = lines[l.line - 1].chars().count();
    assert!(
        l.col >= 1 && l.col <= chars + 1,
        "{what}: {l}: no such column ({chars} characters)"
    );
}

fuzz_target!(|data: &[u8]| {
    let files: Vec<(PathBuf, String)> = data
        .split(|&b| b == 0xFF)
        .zip(NAMES)
        .map(|(raw, name)| {
            (
                PathBuf::from(name),
                String::from_utf8_lossy(raw).into_owned(),
            )
        })
        .collect();
    let (kb, diags) = KnowledgeBase::parse(files.clone());
    let errors = diags.iter().any(|d| d.severity == Severity::Error);
    assert_eq!(kb.is_some(), !errors, "{diags:?}");
    for d in &diags {
        match &d.location {
            Some(l) => assert_in_file(l, &files, &d.to_string()),
            None => assert_eq!(d.code, "no-intents", "a diagnostic without a place: {d}"),
        }
        for (l, _) in &d.related {
            assert_in_file(l, &files, &d.to_string());
        }
    }
    let mut report = Report {
        findings: diags.into_iter().map(Finding::from).collect(),
        intents: 0,
        sources: files,
        thin: Vec::new(),
        faq_intents: 0,
    };
    if let Some(kb) = kb {
        report.intents = kb.intents.len();
        report.sources = kb.sources.clone();
        let probes: Vec<String> = kb
            .intents
            .iter()
            .take(2)
            .flat_map(|d| {
                [d.title.clone()]
                    .into_iter()
                    .chain(d.examples.first().cloned())
            })
            .chain(["1".to_string(), "hello".to_string(), "yes".to_string()])
            .collect();
        let engine = Engine::new(kb);
        let mut session = Session::new();
        for p in &probes {
            let reply = engine.respond(&mut session, p);
            assert!(
                reply.confidence.is_finite() && (0.0..=1.0).contains(&reply.confidence),
                "{reply:?}"
            );
        }
        report
            .findings
            .extend(lint(&engine, &CheckOptions::default()));
    }
    let _ = render::render_text(&report, false);
    let _ = render::render_json(&report);
});
