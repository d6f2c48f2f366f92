//! `--small-talk`: the small-talk file an import writes beside the sheet's
//! intents.

use super::*;

/// A FAQ spreadsheet's knowledge base answers "hello", "thanks" and "bye"
/// with the small talk `faqbot import --small-talk` writes next to the rows, and the
/// rows still answer their questions (tests/fixtures/import/bakery_conversations.ron,
/// run by `faqbot test`). Labelled utterances get no small talk.
#[test]
fn csv_import_writes_small_talk_that_answers_greetings() {
    let dir = temp_dir("smalltalk");
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let out = import_command(fixture("bakery.csv"), &dir)
        .arg("--small-talk")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_succeeded(&out);
    assert!(stdout.contains("smalltalk.ron"), "{stdout}");
    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    let small_talk: Vec<&str> = kb
        .intents
        .iter()
        .filter(|d| d.kind == IntentKind::SmallTalk)
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(small_talk, ["goodbye", "greeting", "thanks"]);
    let out = std::process::Command::new(bin)
        .arg("test")
        .arg("--intents")
        .arg(&dir)
        .arg(fixture("bakery_conversations.ron"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("9 passed, 0 failed"), "{report}");
    // Importing again with --force succeeds (and keeps the small talk).
    let again = import_command(fixture("bakery.csv"), &dir)
        .arg("--force")
        .arg("--small-talk")
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    // Without --small-talk, a spreadsheet gets none (and is told how).
    let plain = temp_dir("smalltalk-plain");
    let out = import_command(fixture("bakery.csv"), &plain)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!plain.join("smalltalk.ron").exists());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--small-talk"));
    let _ = std::fs::remove_dir_all(&plain);

    let jsonl = temp_dir("smalltalk-jsonl");
    let out = import_command(fixture("labelled.jsonl"), &jsonl)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!jsonl.join("smalltalk.ron").exists());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&jsonl);
}

/// An imported row whose id is one of the small talk's keeps it; that
/// small-talk intent is left out, and the rest still loads.
#[test]
fn small_talk_gives_way_to_an_imported_id() {
    let dir = temp_dir("smalltalk-taken");
    let csv =
        "question,answer\nGreeting?,\"Our greeting cards are by the till.\"\nHello,Hi there.\n";
    let path = dir.with_extension("csv");
    std::fs::write(&path, csv).unwrap();
    let intents = import_files(std::slice::from_ref(&path), None).unwrap();
    write_dir(&dir, &intents, "test", false).unwrap();
    faqbot::import::write_smalltalk(&dir, &intents, None).unwrap();
    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    let ids: Vec<(&str, IntentKind)> = kb.intents.iter().map(|d| (d.id.as_str(), d.kind)).collect();
    assert_eq!(
        ids,
        [
            ("goodbye", IntentKind::SmallTalk),
            ("greeting", IntentKind::Faq),
            ("hello", IntentKind::Faq),
            ("thanks", IntentKind::SmallTalk)
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&path);
}

/// A user trial: the owner edited `bot.ron`'s greeting, then imported again
/// with `--small-talk`; "hi" got the small talk's generic "Hello! Ask me a
/// question in your own words…" without the popular topics, and the
/// edited greeting showed only as the REPL banner. Now the written small
/// talk answers "hi" with bot.ron's greeting, and a greeting, like the
/// bot's own, offers the popular topics.
#[test]
fn small_talk_greets_with_bot_ron_s_greeting_and_the_popular_topics() {
    let dir = temp_dir("smalltalk-greeting");
    assert_succeeded(
        &import_command(fixture("bakery.csv"), &dir)
            .output()
            .unwrap(),
    );
    let mine = "Good day! I'm the Crumb & Co. helper: ask about bread, cakes or delivery.";
    set_greeting(&dir, mine);
    let out = import_command(fixture("bakery.csv"), &dir)
        .args(["--force", "--small-talk"])
        .output()
        .unwrap();
    assert_succeeded(&out);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("--intents")
        .arg(&dir)
        .args(["--stateless", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"hi\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let reply: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON reply");
    assert_eq!(reply["intent"], "greeting", "{reply}");
    let said = reply["text"].as_str().unwrap();
    assert!(said.starts_with(mine), "{said}");
    assert!(said.contains("Popular topics:\n1. "), "{said}");
    assert!(
        reply["suggestions"]
            .as_array()
            .is_some_and(|s| !s.is_empty()),
        "{reply}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Trial 27: after `import --small-talk` the "next:" line said to edit
/// bot.ron's greeting; the owner did, "hello" still got the old text from
/// smalltalk.ron, and `faqbot check` said nothing. Now the line names both
/// places, and `check` warns (`greeting-mismatch`) until they are alike.
#[test]
fn an_edited_greeting_is_named_in_both_places_and_checked() {
    let dir = temp_dir("smalltalk-stale-greeting");
    let out = import_command(fixture("bakery.csv"), &dir)
        .arg("--small-talk")
        .output()
        .unwrap();
    assert_succeeded(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let next = stdout
        .lines()
        .find(|l| l.starts_with("next: edit") && l.contains("bot.ron"))
        .unwrap_or_else(|| panic!("a next: line for bot.ron\n{stdout}"));
    assert!(
        next.contains("small-talk intent `greeting`") && next.contains("smalltalk.ron"),
        "{next}"
    );
    let check = |dir: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
            .arg("check")
            .arg("--intents")
            .arg(dir)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(
        !check(&dir).contains("greeting-mismatch"),
        "{}",
        check(&dir)
    );
    let mine = "Good day! I'm the Crumb & Co. helper: ask about bread, cakes or delivery.";
    set_greeting(&dir, mine);
    let report = check(&dir);
    assert!(
        report.contains("warning[greeting-mismatch]")
            && report.contains("smalltalk.ron:")
            && report.contains("a user who types \"hello\""),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes `greeting` as `dir/bot.ron`'s greeting, as an author editing
/// the file would.
fn set_greeting(dir: &std::path::Path, greeting: &str) {
    let bot = dir.join("bot.ron");
    let text = std::fs::read_to_string(&bot).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("greeting:"))
        .expect("bot.ron has a greeting")
        .to_string();
    std::fs::write(
        &bot,
        text.replace(&line, &format!("    greeting: {greeting:?},")),
    )
    .unwrap();
}
