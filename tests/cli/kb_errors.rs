//! Every loading error, data-driven from `tests/kb_errors.ron`: each case
//! names a fixture knowledge base and every diagnostic it must produce.

use crate::support::{faqbot, faqbot_in, fixture, root};
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

/// `--intents` on the parent of the knowledge base, relative to the
/// working directory: the error names it as given and absolute, and the
/// subdirectory that holds the .ron files.
#[test]
fn the_parent_of_a_knowledge_base_names_its_subdirectory() {
    let out = faqbot_in(
        &fixture("kb"),
        &["--intents", "nested", "ask", "opening hours"],
        b"",
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    let absolute = fixture("kb/nested");
    for want in [
        format!(
            "error[no-intents]: the knowledge base in `nested` ({}) has no intents",
            absolute.display()
        ),
        "hint: `nested/intents` holds .ron files: is that the knowledge base?".to_string(),
    ] {
        assert!(out.stderr.contains(&want), "{want}\n{}", out.stderr);
    }
    // Without a subdirectory of .ron files there is no hint.
    let err = KnowledgeBase::load_dir(fixture("kb/empty_dir")).unwrap_err();
    assert_eq!(err.diagnostics().len(), 1);
    assert_eq!(err.diagnostics()[0].hint, None);
}

/// A file given as the knowledge base: an I/O error that names the file
/// and its directory, as the library and as the command line report it.
#[test]
fn a_file_instead_of_a_directory_names_its_directory() {
    let file = fixture("kb/minimal/faq.ron");
    let err = faqbot::Engine::load(&file).unwrap_err();
    assert!(
        matches!(err.kind(), faqbot::ErrorKind::Io { path, .. } if *path == file),
        "{err:?}"
    );
    let want = format!(
        "did you mean `{}`, the directory this file is in?",
        fixture("kb/minimal").display()
    );
    assert!(err.to_string().contains(&want), "{err}");
    assert!(
        err.to_string().contains(&file.display().to_string()),
        "{err}"
    );
    let out = faqbot_in(
        &fixture("kb/minimal"),
        &["--intents", "faq.ron", "ask", "opening hours"],
        b"",
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("faq.ron: ")
            && out.stderr.contains(": a knowledge base is a directory"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("did you mean `.`, the directory this file is in?"),
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

/// A knowledge base without `bot.ron` loads with the default texts: the
/// load says so (library trial, finding 14: a deploy that deleted bot.ron
/// swapped in an engine without the operator's phone number, silently).
#[test]
fn a_knowledge_base_without_bot_ron_warns_that_defaults_are_used() {
    let (_, warnings) = KnowledgeBase::load_dir_with_warnings(fixture("kb/minimal")).unwrap();
    let codes: Vec<&str> = warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, ["no-settings"]);
    let shown = warnings[0].to_string();
    assert!(
        shown.contains("has no bot.ron: the default texts and settings are used"),
        "{shown}"
    );
    let (_, warnings) = KnowledgeBase::load_dir_with_warnings(fixture("kb/rich")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// Every code the loader can report is listed, with what it means, in
/// docs/authoring.md (library trial, finding 12: most were listed
/// nowhere). The codes are read from the loader's source, so a new one
/// fails here until it is documented.
#[test]
fn every_load_error_code_is_listed_in_the_authoring_doc() {
    let doc = std::fs::read_to_string(root().join("docs/authoring.md")).unwrap();
    let call = regex::Regex::new(r#"Diagnostic::(?:error|warning)\(\s*"([a-z0-9-]+)""#).unwrap();
    let pair = regex::Regex::new(r#"\("([a-z]+(?:-[a-z]+)+)", ""#).unwrap();
    let mut codes = std::collections::BTreeSet::new();
    let mut files = vec![root().join("src/kb.rs")];
    let mut dirs = vec![root().join("src/kb")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for re in [&call, &pair] {
            codes.extend(re.captures_iter(&text).map(|c| c[1].to_string()));
        }
    }
    assert!(codes.len() >= 19, "the scan found only {codes:?}");
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !doc.contains(&format!("| `{c}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "not in docs/authoring.md's table of load codes: {missing:?}"
    );
}
