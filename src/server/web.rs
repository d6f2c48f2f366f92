//! The chat widget's static files, compiled into the binary from `web/` so
//! `faqbot serve` works from any directory.
//!
//! - `/` — a demo support page that embeds the widget, titled with the
//!   bot's name and its most popular questions as examples;
//! - `/widget.js` — the widget: one `<script>` tag adds a chat bubble;
//! - `/widget.css` — its styles, loaded by `widget.js`;
//! - `/demo.css` — the demo page's own styles.
//!
//! Embedding on another site (allow that site's origin with
//! `faqbot serve --cors-origin https://support.example.com`):
//!
//! ```html
//! <script src="https://faqbot.example.com/widget.js" defer></script>
//! ```
//!
//! The demo page is sent with a strict `Content-Security-Policy` (scripts,
//! styles and requests only from this server). The widget inserts user text
//! with `textContent`, never as HTML; answers come from the reply's
//! sanitised `answer_html` (a handoff's text from `handoff_html`), rebuilt
//! node by node from an allow-list.

use super::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

/// The demo page's template (`web/index.html`): `{{name}}` is replaced by
/// the bot's `name` (`bot.ron`), `{{examples}}` by ", for example “…” or
/// “…”" with the titles of its two most popular topics (nothing when it
/// has none), both HTML-escaped ([`demo_page`]).
pub const INDEX_HTML: &str = include_str!("../../web/index.html");

/// The demo page for `engine`'s knowledge base: [`INDEX_HTML`] filled in, so
/// that `faqbot serve --intents shop` shows the shop's bot, not the MINI
/// App's.
pub fn demo_page(engine: &crate::Engine) -> String {
    let kb = engine.knowledge_base();
    let titles: Vec<String> = engine
        .popular()
        .iter()
        .take(2)
        .map(|&i| format!("&ldquo;{}&rdquo;", escape(&kb.intents[i].title)))
        .collect();
    let examples = if titles.is_empty() {
        String::new()
    } else {
        format!(", for example {}", titles.join(" or "))
    };
    INDEX_HTML
        .replace("{{name}}", &escape(&kb.settings.name))
        .replace("{{examples}}", &examples)
}
/// The widget script (`web/widget.js`).
pub const WIDGET_JS: &str = include_str!("../../web/widget.js");
/// The widget styles (`web/widget.css`).
pub const WIDGET_CSS: &str = include_str!("../../web/widget.css");
/// The demo page's styles (`web/demo.css`).
pub const DEMO_CSS: &str = include_str!("../../web/demo.css");

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

/// `text` with `&`, `<`, `>`, `"` and `'` as HTML entities.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

pub(crate) async fn index(State(state): State<AppState>) -> impl IntoResponse {
    let page = demo_page(&state.live.engine());
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        page,
    )
}

pub(crate) async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        WIDGET_JS,
    )
}

pub(crate) async fn style() -> impl IntoResponse {
    css(WIDGET_CSS)
}

pub(crate) async fn demo_style() -> impl IntoResponse {
    css(DEMO_CSS)
}

fn css(text: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_page_names_the_bot_and_its_popular_questions_escaped() {
        let mut kb = crate::KnowledgeBase::bundled().expect("bundled knowledge base");
        let page = demo_page(&crate::Engine::new(kb.clone()));
        assert!(page.contains("<h1>MINI App Assistant</h1>"), "{page}");
        assert!(!page.contains("{{"), "{page}");
        let first = crate::dialogue::popular(&kb)[0];
        assert!(page.contains(&format!("&ldquo;{}&rdquo;", kb.intents[first].title)));
        kb.settings.name = "Tom & Jerry's <Bakery>".into();
        let page = demo_page(&crate::Engine::new(kb));
        assert!(
            page.contains("<h1>Tom &amp; Jerry&#39;s &lt;Bakery&gt;</h1>"),
            "{page}"
        );
        assert!(!page.contains("<Bakery>"), "{page}");
    }
}
