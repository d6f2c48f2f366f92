//! The rich-answer widget test: a link, a list, German widget texts, a
//! reload and a phone-sized window (see the crate docs in `main.rs`).

use crate::{count, save_screenshot, text_content, wait_css, PATIENCE};
use fantoccini::Locator;
use faqbot::server::AppState;
use faqbot::Engine;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where a test's knowledge base lives.
fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// An answer with a link, a list and emphasis (a German bot with German
/// widget texts from bot.ron): the link is clickable, opens a new tab and
/// is safe; a reload keeps the conversation; on a phone the panel fills
/// the screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_shows_rich_answers_survives_a_reload_and_fills_a_phone() {
    let engine = Engine::load(fixture("kb/rich")).unwrap();
    let expected = engine.respond(
        &mut faqbot::Session::new(),
        "wie sende ich eine bestellung zurück",
    );
    assert_eq!(expected.intent.as_deref(), Some("return_order"));
    let Some(crate::Opened {
        c,
        addr: _,
        _driver,
        _profile,
    }) = crate::open_widget("rich widget test", AppState::new(engine)).await
    else {
        return;
    };

    // The widget's own texts come from bot.ron.
    let input = wait_css(&c, "input.faqbot-input").await;
    assert_eq!(
        input.attr("placeholder").await.unwrap().as_deref(),
        Some("Ihre Frage…")
    );
    assert_eq!(
        text_content(&wait_css(&c, "button.faqbot-send").await).await,
        "Senden"
    );
    assert_eq!(
        text_content(&wait_css(&c, ".faqbot-choices-label").await).await,
        "Häufige Fragen"
    );

    input
        .send_keys("wie sende ich eine bestellung zurück\u{E007}")
        .await
        .unwrap();
    let answer = wait_css(&c, ".faqbot-msg-bot[data-intent=return_order]").await;
    let rich = answer.find(Locator::Css(".faqbot-rich")).await.unwrap();
    // Bold, a numbered list, and a link that opens in a new tab, safely.
    let strong = rich.find(Locator::Css("strong")).await.unwrap();
    assert_eq!(text_content(&strong).await, "30 Tage");
    let items = rich.find_all(Locator::Css("ol > li")).await.unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(text_content(&items[0]).await, "Pack the item");
    let link = rich
        .find(Locator::Css("a[href='https://shop.example.com/returns']"))
        .await
        .unwrap();
    assert_eq!(text_content(&link).await, "our returns page");
    assert_eq!(
        link.attr("target").await.unwrap().as_deref(),
        Some("_blank")
    );
    assert_eq!(link.attr("rel").await.unwrap().as_deref(), Some("noopener"));
    let mail = rich.find(Locator::Css("a[href^='mailto:']")).await.unwrap();
    assert_eq!(text_content(&mail).await, "hilfe@shop.example.com");
    // The phone number typed in the answer is a link a phone can call
    // (trial 51).
    let tel = rich
        .find(Locator::Css("a[href='tel:01632960123']"))
        .await
        .unwrap();
    assert_eq!(text_content(&tel).await, "01632 960123");
    // Every link in the log is http(s), mailto or tel; no images, no scripts.
    let unsafe_links: Value = c
        .execute(
            "return Array.from(document.querySelectorAll('.faqbot-log a'))\
             .filter(a => !/^(https?:|mailto:|tel:)/.test(a.getAttribute('href') || '')).length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(unsafe_links, 0);
    assert_eq!(count(&c, ".faqbot-log img, .faqbot-log script").await, 0);
    // The label and the feedback question are the German ones.
    let label = answer
        .find(Locator::Css(".faqbot-choices-label"))
        .await
        .unwrap();
    assert_eq!(text_content(&label).await, "Verwandte Fragen");
    let q = answer
        .find(Locator::Css(".faqbot-feedback-q"))
        .await
        .unwrap();
    assert_eq!(text_content(&q).await, "War das hilfreich?");
    save_screenshot(&c, "widget-rich.png").await;

    // Clicking the link opens a new tab and leaves the chat where it is.
    let page = c.window().await.unwrap();
    assert!(link.is_displayed().await.unwrap());
    link.click().await.unwrap();
    let start = Instant::now();
    while c.windows().await.unwrap().len() < 2 {
        assert!(start.elapsed() < PATIENCE, "the link opened no tab");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for w in c.windows().await.unwrap() {
        if w != page {
            c.switch_to_window(w).await.unwrap();
            c.close_window().await.unwrap();
        }
    }
    c.switch_to_window(page).await.unwrap();

    // Rate the answer, then reload: the panel is open again with the same
    // transcript (feedback remembered), and "1" picks the visible follow-up.
    answer
        .find(Locator::Css("button.faqbot-helpful"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_css(&c, ".faqbot-feedback-thanks").await;
    c.refresh().await.unwrap();
    let again = wait_css(&c, ".faqbot-msg-bot[data-intent=return_order]").await;
    assert!(again
        .find(Locator::Css(
            ".faqbot-rich a[href='https://shop.example.com/returns']"
        ))
        .await
        .is_ok());
    let thanks = again
        .find(Locator::Css(".faqbot-feedback-thanks"))
        .await
        .unwrap();
    assert_eq!(text_content(&thanks).await, "Danke für Ihr Feedback!");
    assert_eq!(count(&c, ".faqbot-msg-user").await, 1);
    let input = wait_css(&c, "input.faqbot-input").await;
    input.send_keys("1\u{E007}").await.unwrap();
    let follow = wait_css(&c, ".faqbot-msg-bot[data-intent=delivery_time]").await;
    let code = follow
        .find(Locator::Css(".faqbot-rich code"))
        .await
        .unwrap();
    assert_eq!(text_content(&code).await, "Mein Konto");
    save_screenshot(&c, "widget-reload.png").await;

    // A phone (390×844 CSS pixels): the open panel fills the screen.
    c.set_window_size(390, 844).await.unwrap();
    c.refresh().await.unwrap();
    wait_css(&c, ".faqbot-msg-bot[data-intent=delivery_time]").await;
    crate::assert_panel_fills_window(&c, "innerWidth").await;
    let bubble_shown = wait_css(&c, "button.faqbot-bubble")
        .await
        .is_displayed()
        .await
        .unwrap();
    assert!(
        !bubble_shown,
        "the bubble hides behind the full-screen panel"
    );
    // Scroll the answer with the link and the list into view for the picture.
    c.execute(
        "document.querySelector('.faqbot-msg-bot[data-intent=return_order]').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    save_screenshot(&c, "widget-phone.png").await;
    // Closing returns to the page, with the bubble.
    wait_css(&c, "button.faqbot-close")
        .await
        .click()
        .await
        .unwrap();
    assert!(wait_css(&c, "button.faqbot-bubble")
        .await
        .is_displayed()
        .await
        .unwrap());
    c.close().await.unwrap();
}
