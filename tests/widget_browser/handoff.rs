//! The handoff text in the widget: its phone number, e-mail and web
//! address are links, as an answer's are (see the crate docs in `main.rs`).

use crate::numbers::{last_bot, say};
use crate::{count, text_content, wait_count, wait_css};
use fantoccini::{Client, Locator};
use faqbot::server::AppState;
use faqbot::Engine;
use std::path::Path;

/// The `href`s of the links in the latest message of kind `handoff`,
/// and that message's text.
async fn last_handoff(c: &Client) -> (Vec<String>, String) {
    let all = c
        .find_all(Locator::Css(".faqbot-msg-bot[data-kind=handoff]"))
        .await
        .unwrap();
    let msg = all.last().expect("a handoff message");
    let mut hrefs = Vec::new();
    for a in msg.find_all(Locator::Css(".faqbot-rich a")).await.unwrap() {
        hrefs.push(a.attr("href").await.unwrap().unwrap_or_default());
    }
    let text = msg.find(Locator::Css(".faqbot-text")).await.unwrap();
    (hrefs, text_content(&text).await)
}

/// A request for a person, a request for contact details, repeated
/// misses and a "No" under an answer all show bot.ron's handoff text with
/// its phone number (`tel:`), e-mail and web address as links; a reload
/// keeps them links.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handoff_texts_phone_number_and_addresses_are_links() {
    let kb = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kb/contact");
    let engine = Engine::load(&kb).unwrap();
    let handoff = engine.knowledge_base().settings.handoff.clone();
    let Some(crate::Opened {
        c,
        addr: _,
        _driver,
        _profile,
    }) = crate::open_widget("handoff widget test", AppState::new(engine)).await
    else {
        return;
    };
    let links = vec![
        "tel:01632960735".to_string(),
        "mailto:workshop@bikes.example.com".to_string(),
        "https://bikes.example.com/contact".to_string(),
    ];

    for message in ["can I speak to someone", "how do I contact you"] {
        say(&c, message).await;
        assert_eq!(last_bot(&c).await.0, "handoff", "{message}");
        let (hrefs, text) = last_handoff(&c).await;
        assert_eq!(hrefs, links, "{message}");
        assert_eq!(text, handoff, "{message}: the text as written");
    }
    let tel = wait_css(
        &c,
        ".faqbot-msg-bot[data-kind=handoff] a[href='tel:01632960735']",
    )
    .await;
    assert_eq!(text_content(&tel).await, "01632 960735");

    // Two misses in a row: the handoff text, its links, and the popular
    // topics as buttons (not as numbered lines in the text).
    say(&c, "zxq wibble frobnicate").await;
    say(&c, "quux blorp snarf").await;
    assert_eq!(last_bot(&c).await.0, "handoff");
    let (hrefs, text) = last_handoff(&c).await;
    assert_eq!(hrefs, links);
    assert!(text.starts_with(&handoff), "{text:?}");
    assert!(!text.contains("1. "), "{text:?}");
    assert!(count(&c, ".faqbot-msg-bot:last-child .faqbot-choice").await > 0);

    // "No" under an answer: the handoff text from GET /api/v1/intents.
    say(&c, "when does the workshop open").await;
    wait_css(
        &c,
        ".faqbot-msg-bot[data-intent=opening_hours] button.faqbot-not-helpful",
    )
    .await
    .click()
    .await
    .unwrap();
    wait_count(&c, ".faqbot-msg-bot[data-kind=handoff]", 4).await;
    let (hrefs, text) = last_handoff(&c).await;
    assert_eq!(hrefs, links);
    assert_eq!(text, handoff);

    // A reload shows the same messages, links and all.
    c.refresh().await.unwrap();
    wait_count(&c, ".faqbot-msg-bot[data-kind=handoff]", 4).await;
    assert_eq!(
        count(&c, ".faqbot-msg-bot[data-kind=handoff] a[href^='tel:']").await,
        4
    );
    c.close().await.unwrap();
}
