//! `--handoff-webhook URL`: tell people when a conversation needs them.
//!
//! When a chat reply hands the conversation to a human (reply kind
//! `handoff`: the user asked for one, or fell back too often), the server
//! posts a [`HandoffEvent`] as JSON to the URL, e.g. a ticketing system's
//! or a chat channel's incoming webhook (via a small adapter if it expects
//! its own format):
//!
//! ```json
//! {"event": "handoff", "event_id": "0f6c2d8e-5b7a-4c1e-9d3f-8a2b4c6d1e0f",
//!  "handoffs_in_session": 1, "session": "9b2f4c1e-8a1d-4f0e-9c3b-2d7e6f5a4b3c",
//!  "time": 1764489600, "bot": "MINI App Assistant",
//!  "transcript": [
//!    {"time": 1764489590, "user": "my car is not showing, mail me at <email>",
//!     "kind": "fallback", "intent": null, "confidence": 0.21, "bot": "Sorry, I ..."},
//!    {"time": 1764489600, "user": "talk to a human", "kind": "handoff",
//!     "intent": "human_agent", "confidence": 1.0, "bot": "I'll connect you ..."}]}
//! ```
//!
//! The user's text is masked as in the unanswered log (e-mail addresses,
//! phone numbers, long digit runs); the transcript holds the last
//! [`super::sessions::MAX_TRANSCRIPT_TURNS`] turns, the user's side cut to
//! [`super::sessions::MAX_USER_CHARS`] characters, the bot's to
//! [`super::sessions::MAX_BOT_CHARS`]. The server keeps transcripts only
//! when a webhook is configured.
//!
//! Delivery never delays the user's reply: events go through a bounded
//! queue ([`QUEUE`]; when it is full the event is dropped and counted) to
//! a background task that posts each with a timeout per attempt and
//! retries failures (connection errors, timeouts, 408, 429 and 5xx) with
//! exponential backoff: 4 attempts, 1 s, 2 s and 4 s apart by default. Any
//! 2xx status is success; other 4xx are not retried. Outcomes are logged
//! and counted in `faqbot_webhook_deliveries_total`. Delivery is at least
//! once: a receiver that answered too late gets the event again, with the
//! same `event_id`.
//!
//! A handoff given up on (every attempt failed, a status that is not
//! retried, or a full queue) is lost, unless a dead-letter file is given
//! ([`Webhook::spawn_with_dead_letter`], `--handoff-dead-letter FILE`):
//! it is then appended there as a JSON line ([`dead_letter`]) to be
//! replayed, and the log says so.
//!
//! Logs name the URL without its query string or user info
//! (`redacted`: `scheme://host:port/path`), since either may hold a
//! secret; a failure is logged with its cause (connection refused, DNS,
//! TLS, ...).
//!
//! The payload ([`HandoffEvent`]) and the settings ([`WebhookOptions`]) are
//! in every build with the `server` feature; delivering them
//! ([`Webhook::spawn`], an HTTP(S) client: reqwest with rustls) needs the
//! cargo feature `webhook` (part of `cli`). Without it no [`Webhook`] can be
//! started, so [`super::AppState::webhook`] stays `None`.
#![cfg_attr(
    not(feature = "webhook"),
    doc = "",
    doc = "[`Webhook::spawn`]: crate#cargo-features",
    doc = "[`Webhook::spawn_with_dead_letter`]: crate#cargo-features"
)]

pub mod dead_letter;

pub use dead_letter::{DeadLetter, UndeliveredHandoff};

use super::metrics::{Metrics, ResultLabels};
use super::sessions::Turn;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

/// The JSON body posted on a handoff. Field names are a public contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandoffEvent {
    /// Always `"handoff"`.
    pub event: String,
    /// This handoff's id: a random UUID, new for every handoff and the same
    /// in every delivery attempt of it (also sent as the `Idempotency-Key`
    /// header), so a receiver that keeps the ids it has processed can drop
    /// a retry of an event it already has.
    #[serde(default)]
    pub event_id: String,
    /// Handoffs in this conversation so far, this one included: 1 for the
    /// first, 2 or more when a conversation already handed over asks again
    /// (a receiver would then add to the ticket it opened for `session`
    /// rather than open another).
    #[serde(default)]
    pub handoffs_in_session: u32,
    /// The conversation's id (as returned to the widget).
    pub session: String,
    /// When the handoff reply was sent, in Unix seconds.
    pub time: u64,
    /// The bot's name from the knowledge base's `bot.ron`.
    pub bot: String,
    /// The conversation so far, oldest turn first, the handoff turn last.
    pub transcript: Vec<Turn>,
}

/// Events waiting for delivery at most; more are dropped (and counted).
pub const QUEUE: usize = 1024;
/// Deliveries in flight at once.
#[cfg(feature = "webhook")]
const IN_FLIGHT: usize = 16;

/// Delivery settings.
#[derive(Clone, Debug)]
pub struct WebhookOptions {
    /// Time allowed for one attempt (connect, send, response head); default 5 s.
    pub timeout: Duration,
    /// Attempts in all, at least 1; default 4.
    pub attempts: u32,
    /// Pause before the first retry, doubled for each next one; default 1 s.
    pub backoff: Duration,
}

impl Default for WebhookOptions {
    fn default() -> Self {
        WebhookOptions {
            timeout: Duration::from_secs(5),
            attempts: 4,
            backoff: Duration::from_secs(1),
        }
    }
}

/// The sending side: cheap to clone; [`Webhook::send`] never waits.
/// Started by [`Webhook::spawn`] (cargo feature `webhook`).
#[cfg_attr(
    not(feature = "webhook"),
    doc = "",
    doc = "[`Webhook::spawn`]: crate#cargo-features"
)]
#[derive(Clone, Debug)]
pub struct Webhook {
    tx: tokio::sync::mpsc::Sender<HandoffEvent>,
    metrics: Arc<Metrics>,
    dead_letter: Option<DeadLetter>,
    /// The URL as logs show it (without user info or query string).
    shown: String,
}

impl Webhook {
    /// Starts the delivery task (inside a Tokio runtime) for `url`.
    ///
    /// # Errors
    /// A URL that is not `http://` or `https://`, or an HTTP client that
    /// cannot be built.
    #[cfg(feature = "webhook")]
    pub fn spawn(
        url: &str,
        options: WebhookOptions,
        metrics: Arc<Metrics>,
    ) -> Result<Webhook, String> {
        Self::spawn_with_dead_letter(url, options, metrics, None)
    }

    /// Like [`Webhook::spawn`]; a handoff that is given up on (see the
    /// [module docs](self)) is appended to `dead_letter`, if given,
    /// instead of being lost.
    ///
    /// # Errors
    /// As [`Webhook::spawn`].
    #[cfg(feature = "webhook")]
    pub fn spawn_with_dead_letter(
        url: &str,
        options: WebhookOptions,
        metrics: Arc<Metrics>,
        dead_letter: Option<DeadLetter>,
    ) -> Result<Webhook, String> {
        // The URL may hold a password: error messages do not repeat it.
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("not a valid URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!(
                "`{}:` URLs are not supported; use http:// or https://",
                parsed.scheme()
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .user_agent(concat!("faqbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        let (tx, mut rx) = tokio::sync::mpsc::channel::<HandoffEvent>(QUEUE);
        let slots = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
        let m = metrics.clone();
        let shown = redacted(&parsed);
        let dl = dead_letter.clone();
        tokio::spawn(async move {
            while let Some(event) = rx.recv().await {
                let Ok(permit) = slots.clone().acquire_owned().await else {
                    return;
                };
                let (client, url, options, m, dl) = (
                    client.clone(),
                    parsed.clone(),
                    options.clone(),
                    m.clone(),
                    dl.clone(),
                );
                tokio::spawn(async move {
                    let result = deliver(&client, &url, &options, &event).await;
                    let label = if result.is_ok() { "ok" } else { "failed" };
                    m.webhook
                        .get_or_create(&ResultLabels { result: label })
                        .inc();
                    if let Err((attempts, error)) = result {
                        give_up(dl.as_ref(), &redacted(&url), attempts, error, event).await;
                    }
                    drop(permit);
                });
            }
        });
        Ok(Webhook {
            tx,
            metrics,
            dead_letter,
            shown,
        })
    }

    /// Queues `event` for delivery; drops it (logged and counted) when the
    /// queue is full.
    ///
    /// With a dead-letter file the dropped event is appended there, on a
    /// task of its own (this call still never waits; it must run inside
    /// a Tokio runtime then).
    pub fn send(&self, event: HandoffEvent) {
        use tokio::sync::mpsc::error::TrySendError;
        let (error, event) = match self.tx.try_send(event) {
            Ok(()) => return,
            Err(TrySendError::Full(event)) => ("the delivery queue was full", event),
            Err(TrySendError::Closed(event)) => ("the delivery task has stopped", event),
        };
        tracing::warn!("handoff webhook event dropped: {error}");
        self.metrics
            .webhook
            .get_or_create(&ResultLabels { result: "dropped" })
            .inc();
        if self.dead_letter.is_some() {
            let (dl, shown) = (self.dead_letter.clone(), self.shown.clone());
            tokio::spawn(
                async move { give_up(dl.as_ref(), &shown, 0, error.to_string(), event).await },
            );
        }
    }
}

/// A handoff not delivered: into the dead-letter file if there is one
/// (which logs it), else a log line that it is lost.
async fn give_up(
    dead_letter: Option<&DeadLetter>,
    shown: &str,
    attempts: u32,
    error: String,
    event: HandoffEvent,
) {
    match dead_letter {
        Some(dl) => {
            dl.keep(UndeliveredHandoff {
                time: super::reload::unix_now(),
                attempts,
                url: shown.to_string(),
                error,
                event,
            })
            .await;
        }
        None => tracing::error!(
            session = event.session.get(..8).unwrap_or(&event.session),
            event_id = %event.event_id,
            url = %shown,
            "handoff webhook not delivered; giving up (no --handoff-dead-letter file: the \
             handoff is lost)"
        ),
    }
}

#[cfg(feature = "webhook")]
async fn deliver(
    client: &reqwest::Client,
    url: &reqwest::Url,
    options: &WebhookOptions,
    event: &HandoffEvent,
) -> Result<u32, (u32, String)> {
    let body = match serde_json::to_vec(event) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!("cannot serialise a handoff event: {e}");
            return Err((0, format!("cannot serialise the event: {e}")));
        }
    };
    let session = event.session.get(..8).unwrap_or(&event.session);
    let shown = redacted(url);
    let mut pause = options.backoff;
    let attempts = options.attempts.max(1);
    let mut last = (0, String::new());
    for attempt in 1..=attempts {
        let sent = client
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", event.event_id.as_str())
            .body(body.clone())
            .send()
            .await;
        let retry = match sent {
            Ok(resp) if resp.status().is_success() => {
                tracing::info!(
                    session,
                    event_id = %event.event_id,
                    attempt,
                    "handoff webhook delivered"
                );
                return Ok(attempt);
            }
            Ok(resp) => {
                let s = resp.status();
                tracing::warn!(
                    session,
                    event_id = %event.event_id,
                    attempt,
                    status = s.as_u16(),
                    url = %shown,
                    "handoff webhook refused"
                );
                last = (attempt, format!("the receiver answered {s}"));
                s.is_server_error() || s.as_u16() == 408 || s.as_u16() == 429
            }
            Err(e) => {
                let why = cause(e);
                tracing::warn!(
                    session,
                    event_id = %event.event_id,
                    attempt,
                    url = %shown,
                    "handoff webhook failed: {why}"
                );
                last = (attempt, why);
                true
            }
        };
        if !retry || attempt == attempts {
            break;
        }
        tokio::time::sleep(pause).await;
        pause *= 2;
    }
    Err(last)
}

/// `url` as logs show it: `scheme://host:port/path`, without user info,
/// query string or fragment (any of which may hold a token).
#[cfg(feature = "webhook")]
pub fn redacted(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port_or_known_default() {
        Some(port) => format!("{}://{host}:{port}{}", url.scheme(), url.path()),
        None => format!("{}://{host}{}", url.scheme(), url.path()),
    }
}

/// A request error and its causes, `a: b: c`, without the URL (reqwest
/// puts the whole URL, query string included, into its message).
#[cfg(feature = "webhook")]
fn cause(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let next = s.to_string();
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = s.source();
    }
    text
}

#[cfg(all(test, feature = "webhook"))]
mod tests {
    /// Logs never show user info, query strings or fragments.
    #[test]
    fn redacted_urls_keep_scheme_host_port_and_path() {
        let cases = [
            ("http://127.0.0.1:9097/hook", "http://127.0.0.1:9097/hook"),
            (
                "http://bot:TopSecret@127.0.0.1:9097/hook?token=QueryTok",
                "http://127.0.0.1:9097/hook",
            ),
            (
                "https://hooks.example.com/a/b#frag",
                "https://hooks.example.com:443/a/b",
            ),
            (
                "https://user@[2001:db8::1]:8443/",
                "https://[2001:db8::1]:8443/",
            ),
        ];
        for (url, shown) in cases {
            let url = reqwest::Url::parse(url).unwrap();
            assert_eq!(super::redacted(&url), shown);
        }
    }
}
