//! The chat widget in a real headless Chromium, driven over WebDriver
//! (chromedriver) with `fantoccini`, against the server on a real socket.
//!
//! Needs Debian's `chromium` and `chromium-driver` (installed by `.ci/run`).
//! Without them the test is SKIPPED with a loud message; with
//! `FAQBOT_REQUIRE_BROWSER=1` it fails instead. `FAQBOT_CHROMIUM` and
//! `FAQBOT_CHROMEDRIVER` override the binaries. Screenshots are saved to
//! `target/artifacts/`: `widget-answer.png` (after the first answer),
//! `widget.png` (the whole conversation), `widget-rich.png` (an answer with
//! a link and a list, German widget texts), `widget-reload.png` (the
//! transcript after a reload), `widget-phone.png` (390×844) and
//! `widget-empty-hint.png` (the hint after Enter on an empty input).

mod cors;
mod empty;
mod errors;
mod feedback;
mod handoff;
mod layout;
mod limit;
mod numbers;
mod rich;

use fantoccini::{Client, ClientBuilder, Locator};
use faqbot::server::{router, serve, AppState, ServeOptions};
use faqbot::Engine;
use serde_json::{json, Value};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Longest wait for the browser or the page; generous for a loaded machine.
pub(crate) const PATIENCE: Duration = Duration::from_secs(60);
const XSS: &str = "<img src=x onerror=alert(1)>";

pub(crate) fn find_binary(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

pub(crate) fn start_chromedriver(bin: &Path) -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(bin)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < PATIENCE, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    (driver, port)
}

pub(crate) async fn connect(driver_port: u16, chromium: &Path, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1100,820",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("WebDriver session")
}

pub(crate) async fn start_server(state: AppState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(
        listener,
        router(state),
        std::future::pending(),
        ServeOptions::default(),
    ));
    addr
}

/// A browser on the demo page of a server for `state`, its chat bubble
/// clicked and the greeting shown; what the test must keep alive with
/// it (the chromedriver process, the browser profile).
pub(crate) struct Opened {
    pub c: Client,
    pub addr: SocketAddr,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

/// [`Opened`] for a new server of `state`, or `None` when the browser is
/// missing ([`browser_or_skip`], which names `test`).
pub(crate) async fn open_widget(test: &str, state: AppState) -> Option<Opened> {
    let (chromium, driver_bin) = browser_or_skip(test)?;
    let addr = start_server(state).await;
    let (driver, port) = start_chromedriver(&driver_bin);
    let profile = tempfile::tempdir().unwrap();
    let c = connect(port, &chromium, profile.path()).await;
    c.goto(&format!("http://{addr}/")).await.unwrap();
    wait_css(&c, "button.faqbot-bubble")
        .await
        .click()
        .await
        .unwrap();
    wait_css(&c, ".faqbot-msg-bot[data-kind=greeting]").await;
    Some(Opened {
        c,
        addr,
        _driver: driver,
        _profile: profile,
    })
}

/// Asserts that the open widget's panel fills the window exactly (a
/// phone-sized or low viewport gets the full-screen panel), and that the
/// window is one: its width or height (`dim`, "innerWidth" or
/// "innerHeight") at most 480 px.
pub(crate) async fn assert_panel_fills_window(c: &Client, dim: &str) {
    let fit = c
        .execute(
            &format!(
                "var r = document.querySelector('.faqbot-panel').getBoundingClientRect();\
                 var d = document.documentElement;\
                 return [r.left, r.top, r.width - d.clientWidth, r.height - d.clientHeight, {dim}];"
            ),
            vec![],
        )
        .await
        .unwrap();
    let fit: Vec<f64> = fit
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(fit[4] <= 480.0, "a small viewport ({dim}): {fit:?}");
    for v in &fit[..4] {
        assert!(v.abs() < 1.0, "full screen: {fit:?}");
    }
}

/// Finds chromium and chromedriver, or says loudly why the test is
/// skipped (fails instead under `FAQBOT_REQUIRE_BROWSER=1`).
pub(crate) fn browser_or_skip(test: &str) -> Option<(PathBuf, PathBuf)> {
    let require = std::env::var("FAQBOT_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let chromium = find_binary(
        "FAQBOT_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let driver = find_binary("FAQBOT_CHROMEDRIVER", &["chromedriver"]);
    if let (Some(c), Some(d)) = (&chromium, &driver) {
        return Some((c.clone(), d.clone()));
    }
    let msg = format!(
        "{test}: chromium ({chromium:?}) or chromedriver ({driver:?}) not found; \
         install Debian's `chromium chromium-driver`"
    );
    assert!(!require, "FAQBOT_REQUIRE_BROWSER=1 but {msg}");
    // Straight to the process's stderr: libtest captures eprintln! of
    // passing tests, and a skip must not look like a pass.
    let bar = "!".repeat(78);
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("\n{bar}\n!!! SKIPPED: {msg}\n{bar}\n").as_bytes(),
    );
    None
}

pub(crate) async fn wait_css(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"))
}

pub(crate) async fn text_content(el: &fantoccini::elements::Element) -> String {
    el.prop("textContent").await.unwrap().unwrap_or_default()
}

pub(crate) async fn count(c: &Client, css: &str) -> u64 {
    let v = c
        .execute(
            "return document.querySelectorAll(arguments[0]).length;",
            vec![json!(css)],
        )
        .await
        .unwrap();
    v.as_u64().unwrap()
}

pub(crate) async fn wait_count(c: &Client, css: &str, n: u64) {
    let start = Instant::now();
    while count(c, css).await < n {
        assert!(start.elapsed() < PATIENCE, "fewer than {n} of {css}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Presses Enter in the element that has the focus (the input: sends the
/// message there).
pub(crate) async fn press_enter(c: &Client) {
    c.active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
}

pub(crate) async fn active_class(c: &Client) -> String {
    let el = c.active_element().await.unwrap();
    el.attr("class").await.unwrap().unwrap_or_default()
}

/// Saves a screenshot of the page to `target/artifacts/NAME`.
pub(crate) async fn save_screenshot(c: &Client, name: &str) {
    // CARGO_TARGET_TMPDIR is <target>/tmp.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"));
    let path = target.join("artifacts").join(name);
    let png = c.screenshot().await.expect("screenshot");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &png).unwrap();
    eprintln!("widget screenshot: {}", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_answers_follows_suggestions_and_shows_html_as_text() {
    let Some((chromium, driver_bin)) = browser_or_skip("widget browser test") else {
        return;
    };

    let engine = Engine::bundled().unwrap();
    let addr = start_server(AppState::new(Engine::bundled().unwrap())).await;
    let (_driver, port) = start_chromedriver(&driver_bin);
    let profile = tempfile::tempdir().unwrap();
    let c = connect(port, &chromium, profile.path()).await;

    c.goto(&format!("http://{addr}/")).await.unwrap();
    assert_eq!(c.title().await.unwrap(), "MINI App Assistant (faqbot demo)");

    // Open the panel: the greeting and the popular questions appear.
    wait_css(&c, "button.faqbot-bubble")
        .await
        .click()
        .await
        .unwrap();
    let greeting = wait_css(&c, ".faqbot-msg-bot[data-kind=greeting] .faqbot-text").await;
    assert_eq!(text_content(&greeting).await, engine.greeting());
    assert_eq!(
        active_class(&c).await,
        "faqbot-input",
        "focus moves to the input"
    );

    // Ask a MINI question; the answer is the knowledge base's answer.
    let question = "I forgot my app PIN";
    let mut session = faqbot::Session::new();
    let first = engine.respond(&mut session, question);
    let input = wait_css(&c, "input.faqbot-input").await;
    input
        .send_keys(&format!("{question}\u{E007}"))
        .await
        .unwrap();
    let answer = wait_css(&c, ".faqbot-msg-bot[data-intent=reset_pin]").await;
    let shown = answer.find(Locator::Css(".faqbot-text")).await.unwrap();
    assert_eq!(text_content(&shown).await, first.answer.clone().unwrap());
    save_screenshot(&c, "widget-answer.png").await;

    // Its suggestions are buttons; clicking the first asks that question.
    let choices = answer
        .find_all(Locator::Css("button.faqbot-choice"))
        .await
        .unwrap();
    assert_eq!(choices.len(), first.suggestions.len());
    assert_eq!(text_content(&choices[0]).await, first.suggestions[0].title);
    // Under the heading the reply names ("Related questions").
    let label = answer
        .find(Locator::Css(".faqbot-choices-label"))
        .await
        .unwrap();
    assert_eq!(
        Some(text_content(&label).await),
        first.suggestions_label.clone()
    );
    choices[0].click().await.unwrap();
    let second = engine.respond(&mut session, &first.suggestions[0].title);
    let next_intent = second.intent.clone().unwrap();
    assert_eq!(next_intent, first.suggestions[0].intent);
    let next = wait_css(&c, &format!(".faqbot-msg-bot[data-intent={next_intent}]")).await;
    let next_text = next.find(Locator::Css(".faqbot-text")).await.unwrap();
    assert_eq!(text_content(&next_text).await, second.answer.unwrap());

    // "Was this helpful?" on the first answer.
    answer
        .find(Locator::Css("button.faqbot-helpful"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_css(
        &c,
        ".faqbot-msg-bot[data-intent=reset_pin] .faqbot-feedback-thanks",
    )
    .await;

    // HTML typed by the user is shown as text and never becomes markup.
    let input = wait_css(&c, "input.faqbot-input").await;
    input.send_keys(&format!("{XSS}\u{E007}")).await.unwrap();
    wait_count(&c, ".faqbot-msg-bot", 4).await;
    let users = c
        .find_all(Locator::Css(".faqbot-msg-user .faqbot-text"))
        .await
        .unwrap();
    assert_eq!(text_content(users.last().unwrap()).await, XSS);
    assert_eq!(count(&c, ".faqbot img").await, 0, "no <img> was created");
    assert!(c.get_alert_text().await.is_err(), "no alert() ran");
    let bots = c.find_all(Locator::Css(".faqbot-msg-bot")).await.unwrap();
    let last_kind = bots.last().unwrap().attr("data-kind").await.unwrap();
    assert_eq!(last_kind.as_deref(), Some("fallback"));

    save_screenshot(&c, "widget.png").await;

    // A reload shows the same conversation again, so "1" picks the first
    // choice the user can still see (of the fallback above).
    let before = count(&c, ".faqbot-msg").await;
    let visible_first: Value = c
        .execute(
            "var m = document.querySelectorAll('.faqbot-msg-bot');\
             return m[m.length - 1].querySelector('.faqbot-choice').getAttribute('data-intent');",
            vec![],
        )
        .await
        .unwrap();
    c.refresh().await.unwrap();
    wait_count(&c, ".faqbot-msg", before).await;
    assert_eq!(
        count(&c, ".faqbot-msg").await,
        before,
        "the transcript, once"
    );
    let users = c
        .find_all(Locator::Css(".faqbot-msg-user .faqbot-text"))
        .await
        .unwrap();
    assert_eq!(text_content(users.last().unwrap()).await, XSS);
    assert_eq!(count(&c, ".faqbot img").await, 0, "restored as text too");
    let input = wait_css(&c, "input.faqbot-input").await;
    input.send_keys("1\u{E007}").await.unwrap();
    let picked = wait_css(
        &c,
        &format!(
            ".faqbot-msg-bot[data-intent={}]",
            visible_first.as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(
        picked.attr("data-kind").await.unwrap().as_deref(),
        Some("answer")
    );

    // Keyboard: Escape closes and returns focus to the bubble; Enter on the
    // bubble opens the panel again with focus in the input.
    c.active_element()
        .await
        .unwrap()
        .send_keys("\u{E00C}")
        .await
        .unwrap();
    assert!(!wait_css(&c, "#faqbot-panel")
        .await
        .is_displayed()
        .await
        .unwrap());
    assert!(active_class(&c).await.contains("faqbot-bubble"));
    press_enter(&c).await;
    assert!(wait_css(&c, "#faqbot-panel")
        .await
        .is_displayed()
        .await
        .unwrap());
    assert_eq!(active_class(&c).await, "faqbot-input");

    // "hi" is answered by the greeting intent, which offers the popular
    // topics: under "Popular topics", as the greeting's text says, not
    // under "Related questions" (trial 26).
    let hi = engine.respond(&mut faqbot::Session::new(), "hi");
    let popular = hi.suggestions_label.clone().expect("a label");
    assert_eq!(popular, engine.knowledge_base().settings.texts.popular);
    let input = wait_css(&c, "input.faqbot-input").await;
    input.send_keys("hi\u{E007}").await.unwrap();
    let greeted = wait_css(&c, ".faqbot-msg-bot[data-intent=greeting]").await;
    let label = greeted
        .find(Locator::Css(".faqbot-choices-label"))
        .await
        .unwrap();
    assert_eq!(text_content(&label).await, popular);

    // The page ran without script errors from the widget (CSP violations
    // or exceptions would show up as a missing greeting/answers above).
    let api_base: Value = c
        .execute("return typeof window.faqbotWidget;", vec![])
        .await
        .unwrap();
    assert_eq!(api_base, "object");
    c.close().await.unwrap();
}

/// Serves `page` at `/` from `listener`: the page of another origin that
/// embeds the widget.
pub(crate) fn serve_host_page(listener: tokio::net::TcpListener, page: String) {
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move || {
            let page = page.clone();
            async move { axum::response::Html(page) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
}

/// The widget embedded in a page of another origin (one script tag), with
/// that origin on the server's CORS allow-list: it loads its styles and
/// talks to the API across origins.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_embedded_on_another_origin_works_with_cors() {
    let Some((chromium, driver_bin)) = browser_or_skip("cross-origin widget test") else {
        return;
    };
    // The host page's server, on its own port (another origin).
    let host_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = host_listener.local_addr().unwrap();
    let mut state = AppState::new(Engine::bundled().unwrap());
    state.config.cors_origins = vec![format!("http://{host}")];
    let bot = start_server(state).await;
    let page = format!(
        "<!doctype html><html><head><title>Shop support</title></head><body>\
         <h1>Example shop</h1>\
         <script src=\"http://{bot}/widget.js\" data-title=\"Shop help\" data-open=\"true\" defer></script>\
         </body></html>"
    );
    serve_host_page(host_listener, page);

    let (_driver, port) = start_chromedriver(&driver_bin);
    let profile = tempfile::tempdir().unwrap();
    let c = connect(port, &chromium, profile.path()).await;
    c.goto(&format!("http://{host}/")).await.unwrap();
    // data-open="true": the panel is open, titled from data-title.
    let title = wait_css(&c, ".faqbot-title").await;
    assert_eq!(text_content(&title).await, "Shop help");
    wait_css(&c, ".faqbot-msg-bot[data-kind=greeting]").await;
    let input = wait_css(&c, "input.faqbot-input").await;
    input
        .send_keys("I forgot my app PIN\u{E007}")
        .await
        .unwrap();
    wait_css(&c, ".faqbot-msg-bot[data-intent=reset_pin]").await;
    // The stylesheet came from the bot's origin and applies.
    let position: Value = c
        .execute(
            "return getComputedStyle(document.querySelector('.faqbot')).position;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(position, "fixed");
    c.close().await.unwrap();
}
