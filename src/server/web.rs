//! The chat widget's static files, compiled into the binary from `web/` so
//! `faqbot serve` works from any directory.
//!
//! - `/` — a demo support page that embeds the widget;
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
//! sanitised `answer_html`, rebuilt node by node from an allow-list.

use axum::http::header;
use axum::response::IntoResponse;

/// The demo page (`web/index.html`).
pub const INDEX_HTML: &str = include_str!("../../web/index.html");
/// The widget script (`web/widget.js`).
pub const WIDGET_JS: &str = include_str!("../../web/widget.js");
/// The widget styles (`web/widget.css`).
pub const WIDGET_CSS: &str = include_str!("../../web/widget.css");
/// The demo page's styles (`web/demo.css`).
pub const DEMO_CSS: &str = include_str!("../../web/demo.css");

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

pub(crate) async fn index() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        INDEX_HTML,
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
