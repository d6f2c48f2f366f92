//! The hours row of an imported sheet: the one row that asks for the
//! opening hours gets patterns for customers' "what time do you shut?"
//! (src/import/hours.rs).

use super::*;

/// A laundrette's sheet: "What are your opening hours?" gets the patterns,
/// the import says so, the bank-holiday row gets none, and customers' ways
/// of asking when it opens or closes
/// (tests/fixtures/import/laundrette_conversations.ron, run by `faqbot
/// test`) reach it; without the patterns some of them fall back.
#[test]
fn the_hours_row_answers_what_time_do_you_close() {
    let (dir, out) = import_fixture("laundrette.csv", "hours");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("`what_are_your_opening_hours` gives your opening hours: it got patterns"),
        "{stdout}"
    );
    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    for d in &kb.intents {
        assert_eq!(
            d.patterns.len(),
            if d.id == "what_are_your_opening_hours" {
                faqbot::import::hours::HOURS_PATTERNS.len()
            } else {
                0
            },
            "{}",
            d.id
        );
    }
    let play = |dir: &Path| {
        bot_in(dir)
            .arg("test")
            .arg(fixture("laundrette_conversations.ron"))
            .output()
            .unwrap()
    };
    let run = play(&dir);
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{report}");
    assert!(report.contains("8 passed, 0 failed"), "{report}");
    // The same sheet without the patterns: cases fail.
    let intents = dir.join(faqbot::import::INTENTS_FILE);
    let text = std::fs::read_to_string(&intents).unwrap();
    let start = text.find("        patterns: [").expect("the patterns");
    let end = start + text[start..].find("        ],\n").unwrap() + "        ],\n".len();
    std::fs::write(&intents, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let run = play(&dir);
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(!run.status.success(), "{report}");
    assert!(report.contains("\"wat time u shut tonight\""), "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}
