//! `faqbot test`: conversation tests in RON, run against a fixture
//! knowledge base.

use crate::support::{faqbot, fixture};

#[test]
fn passing_cases_exit_0() {
    let run = faqbot(
        &[
            "test",
            "--intents",
            &fixture("clean"),
            &fixture("conversations/passing.ron"),
        ],
        "",
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.trim(), "3 passed, 0 failed");
}

#[test]
fn a_failing_case_shows_reply_expectation_and_alternatives() {
    let run = faqbot(
        &[
            "test",
            "--intents",
            &fixture("clean"),
            &fixture("conversations/failing.ron"),
        ],
        "",
    );
    assert_eq!(run.code, 1, "{run:?}");
    let out = &run.stdout;
    // Which case, where, and which turn.
    assert!(out.contains("FAIL tests/fixtures/authoring/conversations/failing.ron:6: closing time is not about vegan food (turn 2)"), "{out}");
    // The reply, the expectation, the top alternatives with scores.
    assert!(out.contains("reply: answer opening_hours (1.00)"), "{out}");
    assert!(
        out.contains("intent: expected `vegan_options`, got `opening_hours`"),
        "{out}"
    );
    assert!(out.contains("top:   opening_hours 1.00, "), "{out}");
    // An intent id that does not exist is named, with a "did you mean".
    assert!(
        out.contains("unknown intent `wiif` in the test (did you mean `wifi`?)"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("1 passed, 2 failed"), "{out}");
}

#[test]
fn a_directory_runs_every_file_in_it() {
    let run = faqbot(
        &[
            "test",
            "--intents",
            &fixture("clean"),
            &fixture("conversations"),
        ],
        "",
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.trim_end().ends_with("4 passed, 2 failed"),
        "{}",
        run.stdout
    );
}
