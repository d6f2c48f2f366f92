//! The widget's 1000-character limit (see the crate docs in `main.rs`).

use crate::{count, text_content, wait_count, wait_css};
use fantoccini::{Client, Locator};
use faqbot::server::AppState;
use faqbot::Engine;
use serde_json::{json, Value};

/// The input's value: its length in code points, whether it holds a lone
/// surrogate (half an emoji), and its text.
async fn input_state(c: &Client) -> (u64, bool, String) {
    let v: Value = c
        .execute(
            "var v = document.querySelector('.faqbot-input').value;\
             return [Array.from(v).length,\
                     /[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(^|[^\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]/.test(v), v];",
            vec![],
        )
        .await
        .unwrap();
    (
        v[0].as_u64().unwrap(),
        v[1].as_bool().unwrap(),
        v[2].as_str().unwrap().to_string(),
    )
}

/// The counter under the log: `None` while hidden, else its text.
async fn counter(c: &Client) -> Option<String> {
    let el = wait_css(c, ".faqbot-count").await;
    if el.is_displayed().await.unwrap() {
        Some(text_content(&el).await)
    } else {
        None
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_messages_stop_at_1000_characters_with_a_counter_never_inside_an_emoji() {
    let Some(crate::Opened {
        c,
        addr: _,
        _driver,
        _profile,
    }) = crate::open_widget(
        "message limit widget test",
        AppState::new(Engine::bundled().unwrap()),
    )
    .await
    else {
        return;
    };
    let input = wait_css(&c, "input.faqbot-input").await;

    // A short message: no counter.
    input.send_keys("hello").await.unwrap();
    assert_eq!(counter(&c).await, None);

    // A paste of 1,012 characters whose 999th and 1000th are emoji (two
    // UTF-16 units each): cut after the second emoji, not inside it, and
    // the counter says the limit is reached.
    let pasted = format!("{}\u{1F600}\u{1F600}\u{1F600} and more", "x".repeat(993));
    c.execute(
        "var i = document.querySelector('.faqbot-input'); i.value += arguments[0];\
         i.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));",
        vec![json!(pasted)],
    )
    .await
    .unwrap();
    let (chars, broken, value) = input_state(&c).await;
    assert_eq!(chars, 1000);
    assert!(!broken, "no half emoji");
    assert!(value.starts_with("hello"));
    assert!(value.ends_with("x\u{1F600}\u{1F600}"), "{value:?}");
    assert_eq!(counter(&c).await.as_deref(), Some("1000/1000"));
    assert_eq!(
        count(&c, ".faqbot-count.faqbot-count-full").await,
        1,
        "highlighted at the limit"
    );

    // Typing more adds nothing.
    input.send_keys("y").await.unwrap();
    assert_eq!(input_state(&c).await.2, value);

    // Deleting below 900 hides the counter again.
    c.execute(
        "var i = document.querySelector('.faqbot-input'); i.value = i.value.slice(0, 890);\
         i.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'deleteContentBackward'}));",
        vec![],
    )
    .await
    .unwrap();
    assert_eq!(counter(&c).await, None);

    // The full 1000 characters are sent and answered (the server takes up
    // to 1000), and the counter goes away with the text.
    c.execute(
        "var i = document.querySelector('.faqbot-input'); i.value = arguments[0];\
         i.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));",
        vec![json!(value)],
    )
    .await
    .unwrap();
    assert_eq!(counter(&c).await.as_deref(), Some("1000/1000"));
    input.send_keys("\u{E007}").await.unwrap();
    wait_count(&c, ".faqbot-msg-bot", 2).await;
    let bots = c.find_all(Locator::Css(".faqbot-msg-bot")).await.unwrap();
    let kind = bots.last().unwrap().attr("data-kind").await.unwrap();
    assert_ne!(kind.as_deref(), Some("error"), "the server took it");
    let mine = wait_css(&c, ".faqbot-msg-user .faqbot-text").await;
    assert_eq!(text_content(&mine).await, value.trim());
    assert_eq!(counter(&c).await, None);
    c.close().await.unwrap();
}
