//! Typed numbers in the widget: a bare number picks the choice button with
//! that number in the latest bot message, whatever the server remembers
//! (see the crate docs in `main.rs`).

use crate::{count, text_content, wait_count, wait_css};
use fantoccini::{Client, Locator};
use faqbot::server::AppState;
use faqbot::Engine;
use serde_json::{json, Value};

/// The `data-intent`s of the choice buttons in the latest bot message.
pub(crate) async fn visible_choices(c: &Client) -> Vec<String> {
    let v: Value = c
        .execute(
            "var m = document.querySelectorAll('.faqbot-msg-bot');\
             return Array.from(m[m.length - 1].querySelectorAll('.faqbot-choice'))\
               .map(function (b) { return b.getAttribute('data-intent'); });",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// `data-kind` and `data-intent` of the latest bot message.
pub(crate) async fn last_bot(c: &Client) -> (String, Option<String>) {
    let v: Value = c
        .execute(
            "var m = document.querySelectorAll('.faqbot-msg-bot'); var l = m[m.length - 1];\
             return [l.getAttribute('data-kind'), l.getAttribute('data-intent')];",
            vec![],
        )
        .await
        .unwrap();
    (
        v[0].as_str().unwrap().to_string(),
        v[1].as_str().map(str::to_string),
    )
}

/// Types `text` into the input, presses Enter and waits for the reply.
pub(crate) async fn say(c: &Client, text: &str) {
    let before = count(c, ".faqbot-msg-bot").await;
    wait_css(c, "input.faqbot-input")
        .await
        .send_keys(&format!("{text}\u{E007}"))
        .await
        .unwrap();
    wait_count(c, ".faqbot-msg-bot", before + 1).await;
}

/// What the server sees after a conversation expired (30 minutes idle) or
/// the server restarted: the widget's stored session id is unknown to it.
pub(crate) async fn forget_session_and_reload(c: &Client) {
    let before = count(c, ".faqbot-msg").await;
    c.execute(
        "var s = JSON.parse(sessionStorage.getItem('faqbot.state.v1'));\
         s.session = arguments[0];\
         sessionStorage.setItem('faqbot.state.v1', JSON.stringify(s));",
        vec![json!("00000000-0000-4000-8000-000000000000")],
    )
    .await
    .unwrap();
    c.refresh().await.unwrap();
    wait_count(c, ".faqbot-msg", before).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_numbers_pick_the_choices_on_screen() {
    let engine = Engine::bundled().unwrap();
    let Some(crate::Opened {
        c,
        addr: _,
        _driver,
        _profile,
    }) = crate::open_widget(
        "typed numbers widget test",
        AppState::new(Engine::bundled().unwrap()),
    )
    .await
    else {
        return;
    };
    wait_count(&c, ".faqbot-msg-bot[data-kind=greeting] .faqbot-choice", 3).await;

    // Each choice button shows the number that picks it, drawn by the
    // style sheet (not in the button's text or value, which are the title).
    let drawn: Value = c
        .execute(
            "return Array.from(document.querySelectorAll('.faqbot-choice'))\
               .map(function (b) { return getComputedStyle(b, '::before').content; });",
            vec![],
        )
        .await
        .unwrap();
    let drawn: Vec<String> = serde_json::from_value(drawn).unwrap();
    assert_eq!(drawn.len(), 3);
    assert!(
        drawn.iter().all(|d| d.contains("counter(faqbot-choice)")),
        "{drawn:?}"
    );

    // The very first message "1", with the greeting's popular topics on
    // screen: the server has offered nothing yet ("There is no choice 1."
    // when sent as it is), the widget asks popular topic 1.
    let popular = visible_choices(&c).await;
    let title =
        text_content(&wait_css(&c, ".faqbot-msg-bot[data-kind=greeting] .faqbot-choice").await)
            .await;
    let clicked = engine.respond(&mut faqbot::Session::new(), &title);
    assert_eq!(clicked.intent.as_deref(), Some(popular[0].as_str()));
    say(&c, "1").await;
    assert_eq!(
        last_bot(&c).await,
        ("answer".to_string(), Some(popular[0].clone()))
    );
    let users = c
        .find_all(Locator::Css(".faqbot-msg-user .faqbot-text"))
        .await
        .unwrap();
    assert_eq!(
        text_content(users.last().unwrap()).await,
        "1",
        "the transcript shows what the user typed"
    );

    // The server forgets the conversation; the choices on screen stay, and
    // "2." (with spaces and a dot) still picks the second one.
    let related = visible_choices(&c).await;
    assert!(
        related.len() >= 2,
        "the answer offers two related questions"
    );
    forget_session_and_reload(&c).await;
    assert_eq!(visible_choices(&c).await, related);
    say(&c, " 2. ").await;
    assert_eq!(
        last_bot(&c).await,
        ("answer".to_string(), Some(related[1].clone()))
    );

    // The transcript from before the expiry is kept across a reload too.
    let shown_messages = count(&c, ".faqbot-msg").await;
    c.refresh().await.unwrap();
    wait_count(&c, ".faqbot-msg", shown_messages).await;
    assert_eq!(count(&c, ".faqbot-msg").await, shown_messages);
    assert_eq!(count(&c, ".faqbot-msg-user").await, 2);

    // A number with no button of its own is sent as it is, and the server
    // says so.
    let shown = visible_choices(&c).await.len();
    assert!(shown < 9);
    say(&c, "9").await;
    let (kind, intent) = last_bot(&c).await;
    assert_ne!(kind, "answer");
    assert_eq!(intent, None);
    let last = c
        .find_all(Locator::Css(".faqbot-msg-bot .faqbot-text"))
        .await
        .unwrap();
    assert!(text_content(last.last().unwrap())
        .await
        .contains("There is no choice 9."));
    c.close().await.unwrap();
}
