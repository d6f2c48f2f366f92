//! `faqbot import faq.md`: a FAQ page in Markdown (questions as headings
//! or bold paragraphs) imported as a knowledge base that answers them.

use super::{import_command, import_fixture, temp_dir};

/// The page's questions become intents with their Markdown answers; the
/// section headings do not; the question without an answer is named in a
/// note; customers' questions get the answers.
#[test]
fn a_markdown_faq_page_imports_and_answers() {
    let (dir, out) = import_fixture("faq_page.md", "faq-page");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("faq_page.md: read as a FAQ page: 5 questions under 3 section headings"),
        "{stderr}"
    );
    assert!(
        stdout
            .contains("faq_page.md:32: \"Do you fix electric bikes?\" has no answer yet; left out"),
        "{stdout}"
    );
    let kb = faqbot::KnowledgeBase::load_dir(&dir).unwrap();
    let mut ids: Vec<&str> = kb.intents.iter().map(|d| d.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "can_i_pay_in_instalments",
            "do_i_need_to_book_a_service",
            "do_you_sell_second_hand_bikes",
            "how_long_does_a_repair_take",
        ]
    );
    let finance = &kb
        .intents
        .iter()
        .find(|d| d.id == "can_i_pay_in_instalments")
        .unwrap()
        .answer;
    assert!(
        finance.contains("- 12 months at 0% interest\n- a deposit of 10%"),
        "{finance}"
    );
    assert!(
        finance.contains("[our finance page](https://example.com/finance)"),
        "{finance}"
    );
    for (question, id) in [
        ("do you have used bikes", "do_you_sell_second_hand_bikes"),
        (
            "can I pay in instalments for a bike",
            "can_i_pay_in_instalments",
        ),
        (
            "how long does a repair usually take?",
            "how_long_does_a_repair_take",
        ),
    ] {
        let ask = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
            .arg("--intents")
            .arg(&dir)
            .args(["--json", "ask", question])
            .output()
            .unwrap();
        let reply: serde_json::Value = serde_json::from_slice(&ask.stdout).unwrap();
        assert_eq!(reply["intent"], id, "{question}: {reply}");
    }
}

/// A Markdown file without questions is an error that says what a
/// question on a FAQ page looks like, and nothing is written.
#[test]
fn a_markdown_file_without_questions_is_an_error() {
    let dir = temp_dir("faq-page-none");
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("notes.md");
    std::fs::write(&page, "Some notes.\n\nNo questions here.\n").unwrap();
    let out_dir = dir.join("kb");
    let out = import_command(&page, &out_dir).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("notes.md: no question found"), "{stderr}");
    assert!(!out_dir.join("intents.ron").exists());
}
