//! The widget embedded on another origin whose server has no
//! `--cors-origin` (an operator's trial 51): the browser refuses its
//! requests, and the widget says in the console which flag to set.

use crate::{
    browser_or_skip, connect, serve_host_page, start_chromedriver, start_server, wait_css,
};
use faqbot::server::AppState;
use faqbot::Engine;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_cors_the_widget_warns_in_the_console_naming_the_flag() {
    let Some((chromium, driver_bin)) = browser_or_skip("cross-origin widget without CORS") else {
        return;
    };
    let host_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = host_listener.local_addr().unwrap();
    // No cors_origins: browsers refuse the API to pages of other origins.
    let bot = start_server(AppState::new(Engine::bundled().unwrap())).await;
    // The page records console.warn before the widget loads.
    let page = format!(
        "<!doctype html><html><head><title>Shop</title>\
         <script>window.__warns = []; var w = console.warn;\
         console.warn = function () {{ window.__warns.push([].join.call(arguments, ' '));\
         w.apply(console, arguments); }};</script></head><body>\
         <script src=\"http://{bot}/widget.js\" data-open=\"true\" defer></script>\
         </body></html>"
    );
    serve_host_page(host_listener, page);

    let (_driver, port) = start_chromedriver(&driver_bin);
    let profile = tempfile::tempdir().unwrap();
    let c = connect(port, &chromium, profile.path()).await;
    c.goto(&format!("http://{host}/")).await.unwrap();
    // The greeting of the failed menu (the built-in one) is shown after
    // the warning.
    wait_css(&c, ".faqbot-msg-bot[data-kind=greeting]").await;
    let warns: Value = c.execute("return window.__warns;", vec![]).await.unwrap();
    let warns = warns.as_array().unwrap();
    assert_eq!(warns.len(), 1, "{warns:?}");
    let text = warns[0].as_str().unwrap();
    assert!(
        text.contains(&format!("--cors-origin http://{host}"))
            && text.contains(&format!("http://{bot}/api/v1/intents")),
        "{text}"
    );
    c.close().await.unwrap();
}
