//! "Was this helpful?" in the widget: only under FAQ answers, and never a
//! click that seems to do nothing (see the crate docs in `main.rs`).

use crate::numbers::{forget_session_and_reload, last_bot, say};
use crate::{count, wait_css};
use fantoccini::Locator;
use faqbot::server::AppState;
use faqbot::Engine;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedback_only_under_faq_answers_and_thanked_after_expiry() {
    let engine = Engine::bundled().unwrap();
    let Some(crate::Opened {
        c,
        addr: _,
        _driver,
        _profile,
    }) = crate::open_widget(
        "feedback widget test",
        AppState::new(Engine::bundled().unwrap()),
    )
    .await
    else {
        return;
    };
    wait_css(&c, ".faqbot-msg-bot[data-kind=greeting] .faqbot-choice").await;

    // Small talk is answered (kind `answer`, with an intent) but is no FAQ
    // entry: no "Was this helpful?". Nor under a fallback.
    let mut session = faqbot::Session::new();
    for (message, kind) in [
        ("hi", "answer"),
        ("I forgot my app PIN", "answer"),
        ("thanks", "answer"),
        ("what's the weather tomorrow in munich", "fallback"),
        ("bye", "answer"),
    ] {
        let expected = engine.respond(&mut session, message);
        assert_eq!(expected.kind.as_str(), kind, "{message}");
        say(&c, message).await;
        let (shown_kind, intent) = last_bot(&c).await;
        assert_eq!(shown_kind, kind, "{message}");
        assert_eq!(intent, expected.intent, "{message}");
        let rows = count(
            &c,
            ".faqbot-msg-bot:last-child .faqbot-feedback, .faqbot-msg-bot:last-child .faqbot-helpful",
        )
        .await;
        let faq = expected.top_kind == Some(faqbot::schema::IntentKind::Faq);
        assert_eq!(rows > 0, faq, "{message}: a feedback row iff an FAQ answer");
    }
    assert_eq!(
        count(&c, ".faqbot-feedback").await,
        1,
        "only under the PIN answer"
    );

    // "No" is not a dead end: thanked, then bot.ron's handoff text (how to
    // reach a person) as a message of its own, kept across a reload.
    let message = "how do I delete my MINI ID";
    let expected = engine.respond(&mut session, message);
    assert_eq!(expected.top_kind, Some(faqbot::schema::IntentKind::Faq));
    let intent = expected.intent.clone().unwrap();
    say(&c, message).await;
    wait_css(
        &c,
        &format!(".faqbot-msg-bot[data-intent={intent}] button.faqbot-not-helpful"),
    )
    .await
    .click()
    .await
    .unwrap();
    let handoff = wait_css(&c, ".faqbot-msg-bot[data-kind=handoff]").await;
    let shown = handoff.text().await.unwrap();
    let wanted = &engine.knowledge_base().settings.handoff;
    assert!(
        shown.contains(&wanted[..40]),
        "{shown:?} should show the handoff text {wanted:?}"
    );
    assert_eq!(count(&c, ".faqbot-feedback-thanks").await, 1);

    // The server forgets the conversation: "Yes" under the answer from
    // before cannot be recorded (404 unknown_session), and the user is
    // thanked all the same instead of the buttons just coming back.
    forget_session_and_reload(&c).await;
    wait_css(
        &c,
        ".faqbot-msg-bot[data-intent=reset_pin] button.faqbot-helpful",
    )
    .await
    .click()
    .await
    .unwrap();
    let thanks = wait_css(
        &c,
        ".faqbot-msg-bot[data-intent=reset_pin] .faqbot-feedback-thanks",
    )
    .await;
    assert!(thanks.is_displayed().await.unwrap());
    assert!(c
        .find(Locator::Css(
            ".faqbot-msg-bot[data-intent=reset_pin] button.faqbot-helpful"
        ))
        .await
        .is_err());
    c.close().await.unwrap();
}
