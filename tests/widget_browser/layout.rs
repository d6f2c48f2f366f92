//! The widget's layout in a real browser: what must stay in view, and how
//! big things are (see the crate docs in `main.rs`).

use crate::numbers::say;
use crate::{wait_css, PATIENCE};
use fantoccini::Client;
use faqbot::server::AppState;
use faqbot::Engine;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Runs `script` (which returns a boolean) until it returns true.
async fn wait_true(c: &Client, script: &str, what: &str) {
    let start = Instant::now();
    loop {
        let v = c.execute(script, vec![]).await.unwrap();
        if v == Value::Bool(true) {
            return;
        }
        assert!(start.elapsed() < PATIENCE, "{what}: never true");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Top and bottom of the last element matching `css`, and of the log.
async fn rects(c: &Client, css: &str) -> (f64, f64, f64, f64) {
    let v = c
        .execute(
            "var m = document.querySelectorAll(arguments[0]); var r = m[m.length - 1].getBoundingClientRect();\
             var l = document.querySelector('.faqbot-log').getBoundingClientRect();\
             return [r.top, r.bottom, l.top, l.bottom];",
            vec![Value::String(css.to_string())],
        )
        .await
        .unwrap();
    let f = |i: usize| v[i].as_f64().unwrap();
    (f(0), f(1), f(2), f(3))
}

const AT_BOTTOM: &str = "var l = document.querySelector('.faqbot-log');\
     return l.scrollHeight - l.clientHeight - l.scrollTop < 1;";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_keeps_the_latest_messages_in_view() {
    let Some(crate::Opened {
        c,
        addr,
        _driver,
        _profile,
    }) = crate::open_widget(
        "widget layout test",
        AppState::new(Engine::bundled().unwrap()),
    )
    .await
    else {
        return;
    };
    wait_css(&c, ".faqbot-msg-bot[data-kind=greeting] .faqbot-choice").await;
    // A short message is a small bubble at the right, not a bar.
    say(&c, "hi").await;
    let v = c
        .execute(
            "var m = document.querySelector('.faqbot-msg-user').getBoundingClientRect();\
             var l = document.querySelector('.faqbot-log').getBoundingClientRect();\
             return [m.width, m.right, l.width, l.right];",
            vec![],
        )
        .await
        .unwrap();
    let f = |i: usize| v[i].as_f64().unwrap();
    assert!(f(0) < 0.25 * f(2), "a bar: {v}");
    assert!(f(3) - f(1) < 30.0, "not at the right: {v}");

    say(&c, "I forgot my app PIN").await;
    say(&c, "can I use face id instead").await;
    say(&c, "which permissions does the app need").await;

    // After a reload the log is scrolled to its very end: the last
    // answer's "Was this helpful?" row is in view.
    c.refresh().await.unwrap();
    wait_css(&c, ".faqbot-msg-bot:last-child .faqbot-feedback").await;
    wait_true(&c, AT_BOTTOM, "scrolled to the end after a reload").await;
    let (_, row_bottom, _, log_bottom) = rects(&c, ".faqbot-feedback").await;
    assert!(
        row_bottom <= log_bottom + 0.5,
        "{row_bottom} > {log_bottom}"
    );

    // While "Typing…" shows (the reply held back), the message just sent is
    // not covered by it.
    c.execute(
        "window.__realFetch = window.fetch;\
         window.__gate = new Promise(function (r) { window.__release = r; });\
         window.fetch = function () {\
           var args = arguments;\
           return window.__gate.then(function () { return window.__realFetch.apply(window, args); });\
         };",
        vec![],
    )
    .await
    .unwrap();
    wait_css(&c, "input.faqbot-input")
        .await
        .send_keys("and the profile pic?\u{E007}")
        .await
        .unwrap();
    wait_true(
        &c,
        "return !document.querySelector('.faqbot-typing').hidden;",
        "typing shown",
    )
    .await;
    let (_, user_bottom, _, log_bottom) = rects(&c, ".faqbot-msg-user").await;
    assert!(
        user_bottom <= log_bottom + 0.5,
        "the typing line covers the message: {user_bottom} > {log_bottom}"
    );
    c.execute("window.__release();", vec![]).await.unwrap();
    wait_true(
        &c,
        "return document.querySelector('.faqbot-typing').hidden;",
        "typing hidden",
    )
    .await;

    // A long answer in a low window (a phone held sideways): its first line
    // is in view, not only its related questions and feedback row.
    // It fills that window, as on a phone held upright.
    c.set_window_size(844, 390).await.unwrap();
    crate::assert_panel_fills_window(&c, "innerHeight").await;
    say(&c, "can i see my car's range on my watch").await;
    let (top, _, log_top, log_bottom) = rects(&c, ".faqbot-msg-bot").await;
    assert!(
        top >= log_top - 0.5 && top < log_bottom,
        "the answer starts at {top}, the log shows {log_top}..{log_bottom}"
    );

    // The demo page on a phone: the script tag sample wraps instead of
    // running off the right edge of its box.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("http://{addr}/")).await.unwrap();
    wait_css(&c, ".demo pre").await;
    let v = c
        .execute(
            "var p = document.querySelector('.demo pre'); return [p.scrollWidth, p.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, client) = (v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
    assert!(
        scroll <= client,
        "the sample is {scroll} px wide in {client}"
    );
    c.close().await.unwrap();
}
