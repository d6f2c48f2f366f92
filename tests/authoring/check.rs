//! `faqbot check`: the data-driven cases of `check_cases.ron`, the
//! compiler-style rendering, and the bundled knowledge base.

use crate::support::{faqbot, fixture, root};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Case {
    dir: String,
    exit: i32,
    deny_exit: i32,
    findings: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
struct Expected {
    at: String,
    code: String,
    says: Vec<String>,
}

#[test]
fn every_fixture_reports_exactly_its_findings() {
    let text = std::fs::read_to_string(root().join(fixture("check_cases.ron"))).unwrap();
    let cases: Vec<Case> = ron::from_str(&text).expect("check_cases.ron parses");
    assert!(cases.len() >= 6);
    for case in cases {
        let dir = fixture(&case.dir);
        let run = faqbot(&["check", "--intents", &dir, "--format", "json"], "");
        assert_eq!(run.code, case.exit, "{}: exit code\n{run:?}", case.dir);
        let lines: Vec<serde_json::Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
            .collect();
        assert_eq!(
            lines.len(),
            case.findings.len(),
            "{}: number of findings\n{}",
            case.dir,
            run.stdout
        );
        for ((got, raw), want) in lines.iter().zip(run.stdout.lines()).zip(&case.findings) {
            let file = got["file"].as_str().unwrap_or_default();
            let at = format!("{}:{}:{}", file, got["line"], got["col"]);
            assert_eq!(
                at,
                format!("{dir}/{}", want.at),
                "{}: place of {}",
                case.dir,
                want.code
            );
            assert_eq!(got["code"], want.code.as_str(), "{}: {got}", case.dir);
            let line = raw;
            for s in &want.says {
                assert!(
                    line.contains(s.as_str()),
                    "{}: expected {s:?} in\n{line}",
                    case.dir
                );
            }
            let severity = if want.code.contains("regex") || want.code.starts_with("unknown") {
                "error"
            } else {
                "warning"
            };
            assert_eq!(got["severity"], severity);
        }
        let deny = faqbot(&["check", "--intents", &dir, "--deny-warnings"], "");
        assert_eq!(
            deny.code, case.deny_exit,
            "{}: --deny-warnings\n{deny:?}",
            case.dir
        );
    }
}

#[test]
fn text_output_shows_place_source_line_caret_and_hint() {
    let run = faqbot(&["check", "--intents", &fixture("bad_regex")], "");
    assert_eq!(run.code, 1);
    let out = &run.stdout;
    assert!(
        out.contains("error[bad-regex]: pattern of intent `reset_pin` does not compile"),
        "{out}"
    );
    assert!(
        out.contains("tests/fixtures/authoring/bad_regex/faq.ron:6:22"),
        "{out}"
    );
    assert!(out.contains(r#"patterns: [r"\bpin(\s+code"],"#), "{out}");
    assert!(out.contains("^^^^^^^^^^^^^"), "{out}");
    assert!(out.contains("help: did you mean `reset_pin`?"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "no colour when NO_COLOR is set or not a terminal"
    );
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}

#[test]
fn conflict_witness_names_both_intents_and_scores() {
    let run = faqbot(&["check", "--intents", &fixture("conflict")], "");
    assert_eq!(run.code, 0, "warnings alone do not fail");
    assert!(run.stdout.contains(
        "warning[example-conflict]: example \"how can I pay\" of `refund` ranks under `payment` (0.96; `refund` scores 0.04)"
    ), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "= \"store hours\" → answer `store_location` (0.87); `opening_hours` scores 0.13"
        ),
        "{}",
        run.stdout
    );
}

/// A stop-word example is answered when a message is exactly it
/// (tests/fixtures/dialogue/stopwords), so `check` does not warn about it,
/// and its typo variant would put the typo into a stop word, which no
/// example helps (trial 50): none is tried (the fixtures of
/// `check_cases.ron` show typo variants of content words still reported).
#[test]
fn no_content_example_is_not_warned_about_and_gets_no_typo() {
    let run = faqbot(
        &[
            "check",
            "--intents",
            &fixture("no_content"),
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "", "no finding: {}", run.stdout);
    let strict = faqbot(
        &[
            "check",
            "--intents",
            &fixture("no_content"),
            "--deny-warnings",
        ],
        "",
    );
    assert_eq!(strict.code, 0, "{}", strict.stdout);
}

#[test]
fn bundled_knowledge_base_is_clean_under_deny_warnings() {
    let run = faqbot(&["check", "--deny-warnings"], "");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stdout, "", "no finding on the bundled intents");
    assert!(run.stderr.contains("0 warnings"), "{}", run.stderr);
}

#[test]
fn an_unreadable_directory_is_exit_code_2() {
    let run = faqbot(
        &["check", "--intents", "tests/fixtures/authoring/no-such-dir"],
        "",
    );
    assert_eq!(run.code, 2, "{run:?}");
}

/// A knowledge base without `bot.ron` is checked with the default texts and
/// settings: `check` says so (a deploy that lost the file would otherwise
/// greet with "Hi! Ask me a question." and hand off without a phone number),
/// as a warning that `--deny-warnings` turns into a failure.
#[test]
fn a_knowledge_base_without_bot_ron_is_a_warning() {
    let dir = fixture("no_settings");
    let run = faqbot(&["check", "--intents", &dir, "--format", "json"], "");
    assert_eq!(run.code, 0, "{run:?}");
    let codes: Vec<String> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["code"].to_string())
        .collect();
    assert_eq!(codes, vec!["\"no-settings\"".to_string()], "{}", run.stdout);
    let deny = faqbot(&["check", "--intents", &dir, "--deny-warnings"], "");
    assert_eq!(deny.code, 1, "{deny:?}");
    let with = faqbot(
        &["check", "--intents", &fixture("clean"), "--format", "json"],
        "",
    );
    assert!(!with.stdout.contains("no-settings"), "{}", with.stdout);
}

/// `bot.ron`'s customer-facing `name` and `handoff` left at the generic
/// defaults get a note under the summary (trial 30's service desk went live
/// as "faqbot", handing off without a way to reach the desk); not a
/// warning, so `--deny-warnings` still passes. The bundled bot sets both;
/// without `bot.ron` the `no-settings` warning says it instead.
#[test]
fn generic_bot_name_and_handoff_get_a_note() {
    let clean = faqbot(
        &["check", "--deny-warnings", "--intents", &fixture("clean")],
        "",
    );
    assert_eq!(clean.code, 0, "{clean:?}");
    assert!(
        clean
            .stderr
            .contains("note: bot.ron's `handoff` is still the generic default"),
        "{}",
        clean.stderr
    );
    assert!(!clean.stderr.contains("`name`"), "{}", clean.stderr);
    // Only what is left to do (trial 46: after an import had set the
    // handoff, the note about the name still asked for it).
    assert!(
        !clean.stderr.contains("your business's name"),
        "{}",
        clean.stderr
    );
    let bundled = faqbot(&["check"], "");
    assert!(
        !bundled.stderr.contains("generic default"),
        "{}",
        bundled.stderr
    );
    let none = faqbot(&["check", "--intents", &fixture("no_settings")], "");
    assert!(!none.stderr.contains("generic default"), "{}", none.stderr);
    let dir = std::env::temp_dir().join(format!("faqbot-generic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        root().join(fixture("clean")).join("faq.ron"),
        dir.join("faq.ron"),
    )
    .unwrap();
    std::fs::write(dir.join("bot.ron"), "()").unwrap();
    let both = faqbot(&["check", "--intents", dir.to_str().unwrap()], "");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        both.stderr.contains("bot.ron's `name` and `handoff` are still the generic defaults (the bot introduces itself as \"faqbot\"; a customer who asks for a person is told no way to reach one): give the bot your business's name and say in `handoff` how customers reach your team"),
        "{}",
        both.stderr
    );
}
