//! A message the widget could not send: not lost, and the widget's own
//! short error texts (see the crate docs in `main.rs`).

use crate::{count, press_enter, text_content, wait_count, wait_css};
use fantoccini::{Client, Locator};
use faqbot::server::AppState;
use faqbot::Engine;
use serde_json::{json, Value};

/// Makes the page's chat requests fail: `"offline"` (the network fails),
/// `"429"` (the server refuses with its English error message) or `null`
/// (they go through again). Other requests are untouched.
async fn chat_fails(c: &Client, how: Value) {
    c.execute(
        "if (!window.__realFetch) {\
           window.__realFetch = window.fetch;\
           window.fetch = function (url) {\
             if (String(url).indexOf('/api/v1/chat') >= 0) {\
               if (window.__fail === 'offline') {\
                 return Promise.reject(new TypeError('Failed to fetch'));\
               }\
               if (window.__fail === '429') {\
                 return Promise.resolve(new Response(JSON.stringify({error: {code: 'rate_limited',\
                   message: 'too many requests; retry in 9 s'}}),\
                   {status: 429, headers: {'Content-Type': 'application/json'}}));\
               }\
             }\
             return window.__realFetch.apply(this, arguments);\
           };\
         }\
         window.__fail = arguments[0];",
        vec![how],
    )
    .await
    .unwrap();
}

async fn input_value(c: &Client) -> String {
    let v = c
        .execute(
            "return document.querySelector('.faqbot-input').value;",
            vec![],
        )
        .await
        .unwrap();
    v.as_str().unwrap().to_string()
}

/// The selected part of the input's text, when the input has the focus
/// (empty otherwise).
async fn selected(c: &Client) -> String {
    let v = c
        .execute(
            "var i = document.querySelector('.faqbot-input');\
             return document.activeElement === i\
               ? i.value.substring(i.selectionStart, i.selectionEnd) : '';",
            vec![],
        )
        .await
        .unwrap();
    v.as_str().unwrap().to_string()
}

async fn last_error(c: &Client) -> String {
    let errors = c
        .find_all(Locator::Css(
            ".faqbot-msg-bot[data-kind=error] .faqbot-text",
        ))
        .await
        .unwrap();
    text_content(errors.last().unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_that_failed_to_send_is_kept_and_the_error_is_the_widgets() {
    let engine = Engine::bundled().unwrap();
    let texts = engine.knowledge_base().settings.texts.clone();
    let Some(crate::Opened {
        c,
        addr: _,
        _driver,
        _profile,
    }) = crate::open_widget("send error widget test", AppState::new(engine)).await
    else {
        return;
    };

    // Offline: the message goes back into the input, its bubble is marked
    // as not sent, and the error is the widget's offline text.
    let question = "I forgot my app PIN";
    chat_fails(&c, json!("offline")).await;
    wait_css(&c, "input.faqbot-input")
        .await
        .send_keys(&format!("{question}\u{E007}"))
        .await
        .unwrap();
    wait_count(&c, ".faqbot-msg-bot[data-kind=error]", 1).await;
    assert_eq!(last_error(&c).await, texts.offline);
    assert_eq!(input_value(&c).await, question, "the message is not lost");
    assert_eq!(
        selected(&c).await,
        question,
        "put back selected, with the focus in the input"
    );
    assert_eq!(count(&c, ".faqbot-msg-user.faqbot-msg-failed").await, 1);

    // Typing the next question replaces it instead of gluing on to it.
    let next = "how do I delete my MINI ID";
    chat_fails(&c, json!("offline")).await;
    c.active_element()
        .await
        .unwrap()
        .send_keys(next)
        .await
        .unwrap();
    assert_eq!(
        input_value(&c).await,
        next,
        "typing replaced the failed message"
    );
    press_enter(&c).await;
    wait_count(&c, ".faqbot-msg-bot[data-kind=error]", 2).await;
    assert_eq!(input_value(&c).await, next);
    assert_eq!(selected(&c).await, next);
    assert_eq!(count(&c, ".faqbot-msg-user.faqbot-msg-failed").await, 2);
    // The first question again, typed over the selected one.
    c.active_element()
        .await
        .unwrap()
        .send_keys(question)
        .await
        .unwrap();
    assert_eq!(input_value(&c).await, question);

    // The server refuses (429 with an English message): the widget's own
    // error text, without the server's words.
    chat_fails(&c, json!("429")).await;
    wait_css(&c, "input.faqbot-input")
        .await
        .send_keys("\u{E007}")
        .await
        .unwrap();
    wait_count(&c, ".faqbot-msg-bot[data-kind=error]", 3).await;
    assert_eq!(last_error(&c).await, texts.error);
    assert_eq!(input_value(&c).await, question);
    assert_eq!(selected(&c).await, question);

    // Back online: Enter sends the kept (selected) message.
    chat_fails(&c, Value::Null).await;
    press_enter(&c).await;
    wait_css(&c, ".faqbot-msg-bot[data-intent=reset_pin]").await;
    assert_eq!(input_value(&c).await, "");

    // Tapping a suggestion while something is half typed keeps the draft.
    let draft = "my car is a 2019 Cooper and";
    wait_css(&c, "input.faqbot-input")
        .await
        .send_keys(draft)
        .await
        .unwrap();
    let suggestion = wait_css(&c, ".faqbot-msg-bot[data-intent=reset_pin] .faqbot-choice").await;
    let picked = suggestion.attr("data-intent").await.unwrap().unwrap();
    suggestion.click().await.unwrap();
    wait_css(&c, &format!(".faqbot-msg-bot[data-intent={picked}]")).await;
    assert_eq!(input_value(&c).await, draft, "the draft survives a tap");

    // Only what was sent is kept across a reload.
    c.refresh().await.unwrap();
    wait_css(&c, &format!(".faqbot-msg-bot[data-intent={picked}]")).await;
    assert_eq!(count(&c, ".faqbot-msg-user").await, 2);
    assert_eq!(count(&c, ".faqbot-msg-bot[data-kind=error]").await, 0);
    c.close().await.unwrap();
}
