//! Enter on an empty input (see the crate docs in `main.rs`).

use crate::{count, text_content, wait_count, wait_css};
use fantoccini::{Client, Locator};
use faqbot::server::AppState;
use faqbot::Engine;
use std::path::Path;

/// The hint above the input: `None` while hidden, else its text.
async fn hint(c: &Client) -> Option<String> {
    let el = wait_css(c, ".faqbot-hint").await;
    if el.is_displayed().await.unwrap() {
        Some(text_content(&el).await)
    } else {
        None
    }
}

/// Chat requests the page has made.
async fn chat_requests(c: &Client) -> u64 {
    c.execute(
        "return performance.getEntriesByType('resource')\
           .filter(function (e) { return e.name.indexOf('/api/v1/chat') >= 0; }).length;",
        vec![],
    )
    .await
    .unwrap()
    .as_u64()
    .unwrap()
}

/// Enter (or Send) with nothing typed shows bot.ron's `texts.empty` as a
/// hint (here the German bot's), sends nothing and adds nothing to the
/// conversation or the stored transcript; typing hides it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enter_on_an_empty_input_shows_the_empty_text_as_a_hint() {
    let kb = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kb/rich");
    let engine = Engine::load(kb).unwrap();
    let empty = engine.knowledge_base().settings.texts.empty.clone();
    assert_eq!(empty, "Bitte geben Sie eine Frage ein.");
    let Some(crate::Opened {
        c,
        addr: _,
        _driver,
        _profile,
    }) = crate::open_widget("empty input widget test", AppState::new(engine)).await
    else {
        return;
    };
    let input = wait_css(&c, "input.faqbot-input").await;
    assert_eq!(hint(&c).await, None, "no hint before Enter");

    input.send_keys("\u{E007}").await.unwrap();
    assert_eq!(hint(&c).await.as_deref(), Some(empty.as_str()));
    crate::save_screenshot(&c, "widget-empty-hint.png").await;
    let role = wait_css(&c, ".faqbot-hint")
        .await
        .attr("role")
        .await
        .unwrap();
    assert_eq!(
        role.as_deref(),
        Some("status"),
        "announced to screen readers"
    );
    assert_eq!(count(&c, ".faqbot-msg").await, 1, "only the greeting");
    assert_eq!(chat_requests(&c).await, 0, "nothing sent");
    let stored = c
        .execute(
            "return JSON.parse(sessionStorage.getItem('faqbot.state.v1') || '{\"items\":[]}').items.length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(stored.as_u64(), Some(0), "nothing in the transcript");
    assert_eq!(
        crate::active_class(&c).await,
        "faqbot-input",
        "the input keeps the focus"
    );

    // Typing hides it; blanks and a click on Send show it again.
    input.send_keys("  ").await.unwrap();
    assert_eq!(hint(&c).await, None);
    c.find(Locator::Css("button.faqbot-send"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(hint(&c).await.as_deref(), Some(empty.as_str()));
    assert_eq!(chat_requests(&c).await, 0);

    // A real question is sent as ever, and the hint is gone.
    input
        .send_keys("wie sende ich eine bestellung zurück\u{E007}")
        .await
        .unwrap();
    wait_count(&c, ".faqbot-msg-bot", 2).await;
    assert_eq!(hint(&c).await, None);
    assert_eq!(chat_requests(&c).await, 1);
    c.close().await.unwrap();
}
