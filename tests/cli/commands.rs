//! `init`, `completions`, `man`, `test --junit`, `--color`, `--json` and
//! the exit codes of `ask`, through the real binary.

use crate::support::{faqbot, faqbot_in, fixture, json_lines};
use std::process::Command;

/// Regression (trial 54): `faqbot test --intents KB` on a knowledge base
/// from `faqbot import`, from a directory without `tests/conversations`,
/// said only "No such file or directory". It now says what to name, and
/// names `init`'s tests beside `--intents DIR/intents` when they exist.
#[test]
fn test_without_files_says_what_to_name_where_the_default_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let sheet = fixture("spreadsheet/faq.csv");
    let out = faqbot_in(
        tmp.path(),
        &["import", sheet.to_str().unwrap(), "--out", "kb"],
        b"",
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let out = faqbot_in(tmp.path(), &["test", "--intents", "kb"], b"");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("tests/conversations"), "{}", out.stderr);
    assert!(
        out.stderr.contains("faqbot test --intents KB FILE.ron"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("docs/authoring.md"), "{}", out.stderr);

    let out = faqbot_in(tmp.path(), &["init", "mybot"], b"");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let out = faqbot_in(tmp.path(), &["test", "--intents", "mybot/intents"], b"");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("did you mean `faqbot test --intents mybot/intents mybot/tests`?"),
        "{}",
        out.stderr
    );
    // What it suggests runs.
    let out = faqbot_in(
        tmp.path(),
        &["test", "--intents", "mybot/intents", "mybot/tests"],
        b"",
    );
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
}

/// Regression (trial 55): `faqbot test --intents KB KB` (a directory of
/// intents, no test file in it) printed "0 passed, 0 failed" and exited 0.
/// Files without a case are an error now, and a real test file still runs.
#[test]
fn test_on_files_without_a_case_is_an_error_not_a_pass() {
    let tmp = tempfile::tempdir().unwrap();
    let sheet = fixture("spreadsheet/faq.csv");
    let out = faqbot_in(
        tmp.path(),
        &["import", sheet.to_str().unwrap(), "--out", "kb/intents"],
        b"",
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    for dir in ["kb", "empty"] {
        let out = faqbot_in(tmp.path(), &["test", "--intents", "kb/intents", dir], b"");
        assert_eq!(out.code, Some(2), "{dir}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains("no test case here"), "{}", out.stderr);
        assert!(!out.stdout.contains("0 passed"), "{}", out.stdout);
    }
    // The knowledge base's own directory named as the tests: its files are
    // not tests, and the hint says so.
    let out = faqbot_in(
        tmp.path(),
        &["test", "--intents", "kb/intents", "kb/intents"],
        b"",
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("looks like a knowledge-base file"),
        "{}",
        out.stderr
    );
}

#[test]
fn init_scaffolds_a_knowledge_base_that_checks_and_tests_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mybot");
    let d = dir.to_str().unwrap();
    let out = faqbot(&["init", d], b"");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for f in [
        "intents/bot.ron",
        "intents/faq.ron",
        "intents/smalltalk.ron",
        "tests/conversation.ron",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let intents = format!("{d}/intents");
    let check = faqbot(&["check", "--intents", &intents, "--deny-warnings"], b"");
    assert_eq!(check.code, Some(0), "{}{}", check.stdout, check.stderr);
    let tests = format!("{d}/tests");
    let test = faqbot(&["test", "--intents", &intents, &tests], b"");
    assert_eq!(test.code, Some(0), "{}", test.stdout);
    assert!(
        test.stdout.contains("5 passed, 0 failed"),
        "{}",
        test.stdout
    );
    // Small talk: the first thing a user types is answered, and an FAQ
    // question still gets its intent.
    let chat = faqbot(
        &["--intents", &intents, "--json", "--stateless"],
        b"hello
thank you
bye
when are you open
",
    );
    let replies = json_lines(&chat);
    let got: Vec<(&str, &str)> = replies
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap(),
                r["intent"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("answer", "greeting"),
            ("answer", "thanks"),
            ("answer", "goodbye"),
            ("answer", "opening_hours")
        ],
        "{}",
        chat.stdout
    );
    // A second init changes nothing and says why.
    std::fs::write(dir.join("intents/faq.ron"), "[]").unwrap();
    let again = faqbot(&["init", d], b"");
    assert_eq!(again.code, Some(2));
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("intents/faq.ron")).unwrap(),
        "[]"
    );
}

#[test]
fn test_junit_writes_one_testcase_per_case_with_failures() {
    let tmp = tempfile::tempdir().unwrap();
    let xml_path = tmp.path().join("junit.xml");
    let kb = fixture("authoring/clean");
    let tests = fixture("authoring/conversations");
    let out = faqbot(
        &[
            "test",
            "--intents",
            kb.to_str().unwrap(),
            tests.to_str().unwrap(),
            "--junit",
            xml_path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.code, Some(1), "failing.ron fails");
    let xml = std::fs::read_to_string(&xml_path).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    let cases = xml.matches("<testcase ").count();
    let failures = xml.matches("<failure ").count();
    let summary = out.stdout.lines().last().unwrap().to_string();
    assert_eq!(
        summary,
        format!("{} passed, {failures} failed", cases - failures)
    );
    assert!(failures >= 1);
    assert!(
        xml.contains("expected `vegan_options`, got `opening_hours`"),
        "{xml}"
    );
}

#[test]
fn ask_exits_1_without_an_answer() {
    let answered = faqbot(&["ask", "I forgot my app PIN"], b"");
    assert_eq!(answered.code, Some(0));
    let fallback = faqbot(&["ask", "what is the capital of peru"], b"");
    assert_eq!(fallback.code, Some(1), "{}", fallback.stdout);
    assert!(!fallback.stdout.is_empty(), "the reply is still printed");
    // A knowledge base without small talk: "thanks" gets the bot's own
    // reply (kind answer, no intent), which is no failure.
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    let sheet = fixture("spreadsheet/faq.csv");
    let kb = kb.to_str().unwrap();
    let imported = faqbot(&["import", sheet.to_str().unwrap(), "--out", kb], b"");
    assert_eq!(imported.code, Some(0), "{}", imported.stderr);
    let thanks = faqbot(&["--intents", kb, "ask", "thanks"], b"");
    assert_eq!(thanks.code, Some(0), "{}", thanks.stdout);
}

/// An intent with few phrasings is nothing wrong (no warning, so
/// `--deny-warnings` passes) but few customers will reach it: `check`
/// names such intents in a note under its summary.
#[test]
fn check_notes_intents_with_few_phrasings() {
    let tmp = tempfile::tempdir().unwrap();
    let faq = r#"[
        (id: "hours", title: "When are you open?", examples: ["opening hours"], answer: "9 to 5."),
        (id: "parking", title: "Is there parking?",
         examples: ["where do I leave the car", "car park", "parking cost"], answer: "Yes, behind the shop."),
    ]"#;
    std::fs::write(tmp.path().join("faq.ron"), faq).unwrap();
    std::fs::write(tmp.path().join("bot.ron"), "(name: \"Shop Bot\")").unwrap();
    let dir = tmp.path().to_str().unwrap();
    let out = faqbot(&["check", "--intents", dir, "--deny-warnings"], b"");
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("note: 1 of 2 FAQ intents has fewer than 4 phrasings")
            && out.stderr.contains("(hours)")
            && !out.stderr.contains("parking"),
        "{}",
        out.stderr
    );
}

#[test]
fn check_takes_json_as_well_as_format_json() {
    let kb = fixture("authoring/links");
    let kb = kb.to_str().unwrap();
    let a = faqbot(&["check", "--intents", kb, "--format", "json"], b"");
    let b = faqbot(&["check", "--intents", kb, "--json"], b"");
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(json_lines(&b).len(), 2);
}

#[test]
fn color_follows_the_flag_and_the_environment() {
    let kb = fixture("authoring/links");
    let kb = kb.to_str().unwrap();
    let run = |color: &str, env: &[(&str, &str)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_faqbot"));
        cmd.args(["check", "--intents", kb, "--color", color])
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        String::from_utf8(out.stdout).unwrap().contains('\u{1b}')
    };
    assert!(run("always", &[]));
    assert!(run("always", &[("NO_COLOR", "1")]), "the flag wins");
    assert!(!run("never", &[("CLICOLOR_FORCE", "1")]));
    assert!(!run("auto", &[]), "a pipe is not a terminal");
    assert!(run("auto", &[("CLICOLOR_FORCE", "1")]));
    assert!(!run("auto", &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
}

#[test]
fn completions_and_man_page_cover_the_subcommands() {
    let bash = faqbot(&["completions", "bash"], b"");
    assert_eq!(bash.code, Some(0));
    for sub in ["ask", "check", "init", "serve", "completions"] {
        assert!(bash.stdout.contains(sub), "{sub}");
    }
    let zsh = faqbot(&["completions", "zsh"], b"");
    assert!(zsh.stdout.starts_with("#compdef faqbot"), "{}", zsh.stdout);
    let man = faqbot(&["man"], b"");
    assert_eq!(man.code, Some(0));
    assert!(
        man.stdout.contains(".TH faqbot 1"),
        "{}",
        &man.stdout[..200]
    );
    assert!(man.stdout.contains("\\-\\-color"), "documents --color");
    let bad = faqbot_in(&std::env::temp_dir(), &["completions", "tcsh"], b"");
    assert_eq!(bad.code, Some(2));
}

#[test]
fn eval_cross_validate_places_each_miss_at_its_example() {
    let dir = std::env::temp_dir().join(format!("faqbot-cv-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let kb = r#"[
    (id: "hours", title: "Opening hours", examples: ["opening hours on monday", "opening hours on sunday", "opening hours at easter"], answer: "9 to 5."),
    (id: "delivery", title: "Delivery costs", examples: ["delivery price abroad", "delivery price at home",
        "zebra xylophone quartet",
        "zebra xylophone quartet"], answer: "Free over 50."),
]"#;
    std::fs::write(dir.join("kb.ron"), kb).unwrap();
    std::fs::write(dir.join("bot.ron"), "(name: \"Shop\")").unwrap();
    let d = dir.to_str().unwrap();

    let out = faqbot(&["eval", "--cross-validate", "--json", "--intents", d], b"");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    // Six texts to hold out, dealt by their hashes: one of the five folds
    // gets none, and no bot is built for it.
    assert_eq!(v["folds"], 4);
    assert_eq!(v["report"]["lines"], 7);
    let misses = v["report"]["misses"].as_array().unwrap();
    let odd: Vec<&str> = misses
        .iter()
        .filter(|m| m["text"] == "zebra xylophone quartet")
        .map(|m| m["location"].as_str().unwrap())
        .collect();
    // Both copies are held out together (a copy left in would answer its
    // twin), and each is placed at its own opening quote: lines 4 and 5,
    // column 9 of kb.ron, in file order.
    assert_eq!(odd.len(), 2, "{misses:?}");
    assert!(
        odd[0].ends_with("kb.ron:4:9") && odd[1].ends_with("kb.ron:5:9"),
        "{odd:?}"
    );

    // The text report names the folds and the place; `--cv` is the same.
    let text = faqbot(&["eval", "--cv", "--folds", "3", "--intents", d], b"");
    assert_eq!(text.code, Some(0), "{}", text.stderr);
    assert!(text.stdout.contains("in 3 folds"), "{}", text.stdout);
    assert!(
        text.stdout.contains("kb.ron:4:9: expected delivery"),
        "{}",
        text.stdout
    );

    // A file or --cross-validate, not both and not neither; 2 to 20 folds.
    for args in [
        vec!["eval", "--intents", d],
        vec!["eval", "--cv", "x.jsonl", "--intents", d],
        vec!["eval", "--cv", "--folds", "1", "--intents", d],
        vec!["eval", "--cv", "--folds", "21", "--intents", d],
        vec!["eval", "x.jsonl", "--folds", "3", "--intents", d],
    ] {
        let bad = faqbot(&args, b"");
        assert_eq!(bad.code, Some(2), "{args:?}: {}", bad.stdout);
    }
    // A knowledge base with nothing to hold out (the one example repeats
    // the title) says so instead of printing an empty report.
    std::fs::write(
        dir.join("kb.ron"),
        r#"[(id: "only", title: "Opening hours?", examples: ["opening hours"], answer: "9 to 5.")]"#,
    )
    .unwrap();
    let none = faqbot(&["eval", "--cv", "--intents", d], b"");
    assert_eq!(none.code, Some(0), "{}", none.stderr);
    assert!(
        none.stdout.contains("(1 intent, 1 example) in 0 folds"),
        "{}",
        none.stdout
    );
    assert!(
        none.stdout.contains("nothing to hold out"),
        "{}",
        none.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}
