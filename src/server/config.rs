//! The HTTP layer's limits and options ([`Config`]) and the default
//! sizes of the server's worker pools.

use super::ratelimit;
use std::time::Duration;

/// Limits and options of the HTTP layer. The defaults suit a public chat
/// widget; `faqbot serve` flags override them.
#[derive(Clone, Debug)]
pub struct Config {
    /// Longest chat message in characters (Unicode scalar values);
    /// default 1000, the engine's own input cap
    /// ([`crate::dialogue::MAX_INPUT_CHARS`]). Longer messages get
    /// `422 message_too_long`.
    pub max_message_chars: usize,
    /// Largest request body in bytes; default 16 KiB (a 1000-character
    /// message is at most 4 KB of UTF-8, or 6 KB with `\u` escapes).
    /// Larger bodies get `413 body_too_large`.
    pub body_limit_bytes: usize,
    /// Time allowed for one request, reading the body included; default
    /// 10 s. Slower requests get `408 timeout`.
    pub request_timeout: Duration,
    /// Origins allowed to call the API from a browser (CORS), e.g.
    /// `https://support.example.com`; `*` allows any. Empty (the default):
    /// no CORS headers, so only pages served by this server can call it.
    pub cors_origins: Vec<String>,
    /// Per-client rate limit of chat and feedback; `None` (the default):
    /// no limit. Applying it needs the cargo feature `rate-limit`: in a
    /// build without it, [`router`](super::router) panics when this is set.
    pub rate_limit: Option<ratelimit::RateLimit>,
    /// Whether a chat request may ask for the reply's explanation
    /// (`"why": true`, answered in the response's `why`: what `/why`
    /// shows in the REPL). Default `false`: an explanation shows the
    /// knowledge base's examples, keywords and scores, which an operator
    /// may not want every customer to read; such a request then gets
    /// `403 explain_disabled`. `faqbot serve --explain` turns it on.
    pub explain: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_message_chars: crate::dialogue::MAX_INPUT_CHARS,
            body_limit_bytes: 16 * 1024,
            request_timeout: Duration::from_secs(10),
            cors_origins: Vec::new(),
            rate_limit: None,
            explain: false,
        }
    }
}

/// Default most chat turns matched at once (on Tokio's blocking pool);
/// further requests wait for a slot. Matching one turn takes microseconds
/// to a few milliseconds of CPU, so this only bounds the threads a flood of
/// slow inputs can occupy.
pub const DEFAULT_MATCHING_SLOTS: usize = 64;
/// Default slots for questions being embedded by the semantic stage's
/// sentence model (milliseconds of CPU each): a burst of such questions
/// queues for these slots while the others are matched in microseconds.
pub const DEFAULT_INFERENCE_SLOTS: usize = 2;
