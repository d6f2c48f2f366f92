//! The JSON wire format of the HTTP API (version 1).
//!
//! All request and response bodies are JSON objects (`Content-Type:
//! application/json`). Field names are a public contract.
//!
//! | method | path | request | response |
//! |---|---|---|---|
//! | `POST` | `/api/v1/chat` | [`ChatRequest`] | [`ChatResponse`] |
//! | `GET` | `/api/v1/intents` | - | [`IntentsResponse`] |
//! | `POST` | `/api/v1/feedback` | [`FeedbackRequest`] | [`FeedbackResponse`] |
//! | `GET` | `/healthz` | - | [`Health`] |
//! | `GET` | `/readyz` | - | [`Readiness`] (200 ready, 503 not) |
//! | `GET` | `/metrics` | - | Prometheus text ([`super::metrics`]) |
//! | `GET` | `/`, `/widget.js`, `/widget.css`, `/demo.css` | - | the demo page and the widget |
//!
//! Errors are [`super::errors::ErrorBody`] objects with a 4xx/5xx status:
//! `{"error": {"code": "message_too_long", "message": "..."}}`.

use crate::reply::Reply;
use crate::schema::UiTexts;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/chat` request body.
///
/// ```json
/// {"session": null, "message": "I forgot my app PIN"}
/// ```
///
/// `session` is the id returned by an earlier reply, or `null` (or absent)
/// to start a conversation. An unknown or expired id also starts a new
/// conversation, under a new id. `message` is at most the server's message
/// limit in characters (default 1000); control characters and format
/// characters (bidi controls, zero-width characters) are removed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatRequest {
    /// The conversation's id, or `null` to start one.
    #[serde(default)]
    pub session: Option<String>,
    /// What the user typed. May be empty (the bot then asks for a question).
    pub message: String,
    /// Also return the reply's explanation in the response's `why` (only
    /// on a server started with `--explain`, [`super::Config::explain`];
    /// otherwise `403 explain_disabled`). Default `false`.
    #[serde(default)]
    pub why: bool,
}

/// `POST /api/v1/chat` response: exactly the [`Reply`] object of pipe
/// mode's `--json`, plus the conversation id in `"session"`.
///
/// ```json
/// {"session": "9b2f4c1e-8a1d-4f0e-9c3b-2d7e6f5a4b3c",
///  "input": "I forgot my app PIN", "kind": "answer", "intent": "reset_pin",
///  "title": "How do I reset the PIN protection for opening the MINI App?",
///  "confidence": 0.95, "raised_by": null, "text": "After three incorrect PIN entries ...",
///  "answer": "After three incorrect PIN entries ...",
///  "suggestions": [{"intent": "biometric_login", "title": "Can I open ..."}],
///  "suggestions_label": "Related questions",
///  "alternatives": [{"intent": "biometric_login", "confidence": 0.14}],
///  "top_kind": "faq"}
/// ```
///
/// Send `session` back with the next message to continue the conversation
/// (numbered choices such as `"1"`, and short follow-ups, depend on it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatResponse {
    /// The conversation's id: the one sent, or a new one.
    pub session: String,
    /// Whether this turn started a new conversation: the request's
    /// `session` was `null` or absent, or named one the server does not
    /// have (never issued, or expired after `--session-idle`). An
    /// integration that sends ids of its own sees `true` on every turn:
    /// only ids the server returned continue a conversation.
    pub new_session: bool,
    /// The reply's explanation, when the request asked for it (`"why":
    /// true`): the decision, the top intents and their main contributions,
    /// as `/why` shows them in the REPL ([`crate::explain::Explanation`]);
    /// absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// The reply, flattened into this object.
    #[serde(flatten)]
    pub reply: Reply,
}

/// One entry of the intents menu.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MenuItem {
    /// Intent id.
    pub id: String,
    /// The intent's title (its canonical question). Sending it as a chat
    /// message asks that question.
    pub title: String,
}

/// `GET /api/v1/intents` response: the bot's name and greeting, and the
/// FAQ intents (not small talk, handoff or out-of-scope) with a title,
/// most popular first, then by id.
///
/// ```json
/// {"name": "MINI App Assistant", "greeting": "Hello! I'm the MINI App Assistant. ...",
///  "handoff": "It seems I can't answer this one. MINI Customer Support can help you further: ...",
///  "intents": [{"id": "delete_app_data", "title": "How do I delete the data stored by the MINI App?"}],
///  "texts": {"placeholder": "Type your question…", "send": "Send", "related": "Related questions", ...}}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntentsResponse {
    /// The bot's name from `bot.ron`.
    pub name: String,
    /// The bot's greeting from `bot.ron`.
    pub greeting: String,
    /// `bot.ron`'s handoff text (how a customer reaches a person): the
    /// widget shows it after a "no" to "Was this helpful?", so that an
    /// unhelpful answer is not a dead end (trial 31).
    #[serde(default)]
    pub handoff: String,
    /// `handoff` as sanitised HTML, its phone numbers, e-mail and web
    /// addresses links (as a handoff reply's `handoff_html`, see
    /// [`crate::markup::text_to_html`]); the widget shows it in place of
    /// `handoff`. Added after `handoff`; absent from an older server.
    #[serde(default)]
    pub handoff_html: Option<String>,
    /// The menu, most popular first.
    pub intents: Vec<MenuItem>,
    /// The widget's own texts from `bot.ron` (English defaults).
    #[serde(default)]
    pub texts: UiTexts,
}

/// `POST /api/v1/feedback` request body: was a reply helpful?
///
/// ```json
/// {"session": "9b2f4c1e-...", "intent": "reset_pin", "input": "I forgot my app PIN", "helpful": true}
/// ```
///
/// `session` and `intent` are required: feedback is accepted only for a
/// conversation that exists (`404 unknown_session` otherwise) and an intent
/// (`snake_case`, at most 100 bytes) that this conversation was answered
/// with (`422 intent_not_answered` otherwise); `input` is the reply's
/// `input` (optional, cut to the message limit). With `--feedback FILE` each accepted request is appended to FILE
/// as one JSON line: these fields plus `"time"` (Unix seconds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// The conversation's id (required; `Option` so that a missing one
    /// gets a clear error).
    #[serde(default)]
    pub session: Option<String>,
    /// The intent of the reply being rated (required, as `session`).
    #[serde(default)]
    pub intent: Option<String>,
    /// The user's question that led to the reply.
    #[serde(default)]
    pub input: Option<String>,
    /// `true` for "helpful", `false` for "not helpful".
    pub helpful: bool,
}

/// `POST /api/v1/feedback` response.
///
/// ```json
/// {"recorded": true}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackResponse {
    /// Whether the feedback was written (false when the server runs
    /// without `--feedback FILE`).
    pub recorded: bool,
}

/// One line of the `--feedback` JSONL file.
///
/// ```json
/// {"time": 1764489600, "session": "9b2f...", "intent": "reset_pin", "input": "I forgot my app PIN", "helpful": true}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackRecord {
    /// When the feedback arrived, in seconds since the Unix epoch.
    pub time: u64,
    /// The conversation's id, if sent.
    pub session: Option<String>,
    /// The rated reply's intent, if sent.
    pub intent: Option<String>,
    /// The question that led to the reply, if sent.
    pub input: Option<String>,
    /// Helpful or not.
    pub helpful: bool,
}

/// Which faqbot build answers ([`crate::build_info`]): in `/healthz`, so
/// that the instances of a rolling upgrade can be told apart.
///
/// ```json
/// {"version": "0.1.0", "commit": "2317eb8c4f1a", "dirty": false}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuildInfo {
    /// The crate's version, e.g. `"0.1.0"`.
    pub version: String,
    /// The git commit it was built from (12 hex digits), or `"unknown"`.
    pub commit: String,
    /// Whether the files it was built from had uncommitted changes to
    /// `commit` ([`crate::build_info::DIRTY`]; `faqbot --version` then
    /// prints `commit …-dirty`). Added after `commit`; `false` from an
    /// older faqbot.
    #[serde(default)]
    pub dirty: bool,
}

impl BuildInfo {
    /// This build.
    pub fn current() -> Self {
        BuildInfo {
            version: crate::build_info::VERSION.to_string(),
            commit: crate::build_info::COMMIT.to_string(),
            dirty: crate::build_info::DIRTY,
        }
    }
}

/// `"unknown"` for both: what a `/healthz` body without `build` (from an
/// older faqbot) reads as.
impl Default for BuildInfo {
    fn default() -> Self {
        BuildInfo {
            version: "unknown".to_string(),
            commit: "unknown".to_string(),
            dirty: false,
        }
    }
}

/// The knowledge base being served.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KbInfo {
    /// Number of intents.
    pub intents: usize,
    /// How many knowledge bases have been loaded: 1 at start, +1 per
    /// successful reload. Per process: two instances serving the same
    /// files may differ (compare `hash`).
    pub generation: u64,
    /// The knowledge base's content hash (16 hex digits,
    /// [`crate::KnowledgeBase::content_hash`]): the same on every instance
    /// of one faqbot build serving the same knowledge base, so a rollout
    /// can be checked across machines.
    #[serde(default)]
    pub hash: String,
    /// The semantic stage ([`crate::semantic::Status::code`]): `"on"`,
    /// `"not_built"`, `"no_model"` or `"failed"` (a model directory that did
    /// not load; `semantic_error` says why).
    #[serde(default)]
    pub semantic: String,
    /// Why the model did not load, when `semantic` is `"failed"` (the
    /// directory and what is missing from it, or the file that did not
    /// load: `"/srv/model: the directory does not exist"`); answers then
    /// come without the semantic stage. Absent otherwise. Added after
    /// `semantic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semantic_error: Option<String>,
}

/// The outcome of the last reload attempt.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReloadInfo {
    /// Whether the last attempt succeeded (`true` before any attempt).
    pub ok: bool,
    /// Attempts so far (watcher and SIGHUP).
    pub attempts: u64,
    /// Errors found by the last attempt (0 when it succeeded). Every
    /// diagnostic is in the server log; the first is in `message`.
    pub errors: usize,
    /// When the last attempt finished, in Unix seconds; `null` before any.
    pub at: Option<u64>,
    /// Failed attempts since the server started.
    #[serde(default)]
    pub failed: u64,
    /// Why the last attempt was rejected (its first error, as
    /// `file:line:col: error[code]: ...`); `null` when it succeeded.
    #[serde(default)]
    pub message: Option<String>,
}

/// Why the server is degraded: one entry of [`Health::reasons`].
///
/// | code | when |
/// |---|---|
/// | `reload_failed` | the last knowledge-base reload was rejected (the previous knowledge base still answers); `message` is its first error |
/// | `session_store_unavailable` | the session store (Redis) cannot be reached: chat answers `503` until it is back |
/// | `shutting_down` | the server received SIGTERM or Ctrl-C and is draining (`--shutdown-grace`) or stopping: every endpoint still answers, `/readyz` answers `503` |
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// A stable `snake_case` code (see above).
    pub code: String,
    /// A sentence for the operator.
    pub message: String,
}

/// `GET /healthz` response (status 200 while the process answers, so it
/// serves as a liveness probe; `status` tells whether all is well).
///
/// ```json
/// {"status": "degraded",
///  "reasons": [{"code": "reload_failed", "message": "intents/faq.ron:3:1: error[parse]: ..."}],
///  "build": {"version": "0.1.0", "commit": "2317eb8c4f1a"},
///  "kb": {"intents": 47, "generation": 1},
///  "reload": {"ok": false, "attempts": 1, "errors": 1, "at": 1764489600, "failed": 1,
///             "message": "intents/faq.ron:3:1: error[parse]: ..."},
///  "store": "redis",
///  "sessions": {"live": 12, "capacity": 10000, "expired": 0, "evicted": 0}}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"`, or `"degraded"` when `reasons` is not empty.
    pub status: String,
    /// What is wrong, empty when `status` is `"ok"`.
    #[serde(default)]
    pub reasons: Vec<Reason>,
    /// The session store's backend: `"memory"` or `"redis"`.
    #[serde(default)]
    pub store: String,
    /// Which faqbot build answers (added after an operator's trial 51;
    /// `unknown` when read from an older server's body).
    #[serde(default)]
    pub build: BuildInfo,
    /// The knowledge base being served.
    pub kb: KbInfo,
    /// The last reload attempt.
    pub reload: ReloadInfo,
    /// Session-store counters, or `null` when the store cannot say.
    pub sessions: Option<super::sessions::StoreStats>,
}

/// `GET /readyz` response: whether a load balancer should send traffic
/// here. Ready (200) while the session store can be reached and the server
/// is not shutting down; otherwise 503 with `ready: false` and the reasons
/// (a rejected reload does not make the server unready: the previous
/// knowledge base still answers).
///
/// ```json
/// {"ready": true, "reasons": []}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Readiness {
    /// Whether to send traffic.
    pub ready: bool,
    /// Why not, empty when ready (codes as in [`Reason`] except
    /// `reload_failed`).
    pub reasons: Vec<Reason>,
}
