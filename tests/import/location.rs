//! The location row of an imported sheet: the one row that asks where the
//! business is gets patterns for customers' "where are you?"
//! (src/import/location.rs).

use super::*;

/// A bookshop's sheet: "Where can we find you?" gets the patterns, the
/// import says so, no other row gets any (but the hours row its own), and customers' ways of asking
/// where it is (tests/fixtures/import/bookshop_conversations.ron, run by
/// `faqbot test`) reach it; without the patterns "where are you" (stop
/// words only) and "what's the address" fall back.
#[test]
fn the_location_row_answers_where_are_you() {
    let (dir, out) = import_fixture("bookshop.csv", "location");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("`where_can_we_find_you` says where you are: it got patterns"),
        "{stdout}"
    );
    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    for d in &kb.intents {
        assert_eq!(
            d.patterns.len(),
            match d.id.as_str() {
                "where_can_we_find_you" => faqbot::import::location::LOCATION_PATTERNS.len(),
                // The hours row gets patterns of its own (tests/import/hours.rs).
                // No row asks about holidays, so it gets their patterns too.
                "when_are_you_open" => {
                    faqbot::import::hours::HOURS_PATTERNS.len()
                        + faqbot::import::hours::HOLIDAY_PATTERNS.len()
                }
                _ => 0,
            },
            "{}",
            d.id
        );
    }
    let play = |dir: &Path| {
        bot_in(dir)
            .arg("test")
            .arg(fixture("bookshop_conversations.ron"))
            .output()
            .unwrap()
    };
    let run = play(&dir);
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{report}");
    assert!(report.contains("14 passed, 0 failed"), "{report}");
    // The same sheet without the patterns: the first cases fail.
    let intents = dir.join(faqbot::import::INTENTS_FILE);
    let text = std::fs::read_to_string(&intents).unwrap();
    let row = text
        .find("\"where_can_we_find_you\"")
        .expect("the location row");
    let start = row
        + text[row..]
            .find("        patterns: [")
            .expect("the patterns");
    let end = start + text[start..].find("        ],\n").unwrap() + "        ],\n".len();
    std::fs::write(&intents, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let run = play(&dir);
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(!run.status.success(), "{report}");
    assert!(report.contains("\"where are you\""), "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}
