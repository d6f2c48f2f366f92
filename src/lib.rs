//! # faqbot
//!
//! A rule-based, explainable customer-support FAQ chatbot. Support teams
//! declare *intents* in RON files (example questions, keywords, regex
//! patterns, the answer, follow-up suggestions); faqbot scores each user
//! utterance against them and answers with the best FAQ text, asks to
//! clarify when two intents are close, or falls back honestly when nothing
//! fits.
//!
//! ```
//! use faqbot::{Engine, IntentKind, ReplyKind, Session};
//!
//! // The MINI App knowledge base is compiled into the crate.
//! let engine = Engine::bundled()?;
//! let mut session = Session::new();
//!
//! let reply = engine.respond(&mut session, "I forgot my app PIN");
//! assert_eq!(reply.kind, ReplyKind::Answer);
//! assert_eq!(reply.intent.as_deref(), Some("reset_pin"));
//! assert!(reply.confidence > 0.5 && reply.confidence <= 1.0);
//! // The kind of the intent ranked first: an FAQ entry (not small talk).
//! assert_eq!(reply.top_kind, Some(IntentKind::Faq));
//!
//! // Follow-ups are offered as numbered suggestions; "1" picks the first.
//! let next = engine.respond(&mut session, "1");
//! assert_eq!(next.intent.as_deref(), Some(reply.suggestions[0].intent.as_str()));
//!
//! // A stateless ranking, best first: each entry names its intent by
//! // position in the knowledge base; `intent_id` gives the id.
//! let ranking: Vec<faqbot::Scored> = engine.rank("I forgot my app PIN", 3);
//! assert_eq!(engine.intent_id(&ranking[0]), Some("reset_pin"));
//! # Ok::<(), faqbot::Error>(())
//! ```
//!
//! The pipeline, one module per stage: [`schema`] (the RON format) →
//! [`kb`] (loading and validation) → [`normalize`] (text to tokens) →
//! [`matcher`] (scoring) → [`dialogue`] (the reply policy) → [`Reply`].
//!
//! Tools for authors: [`check`] (loading errors and lints with witnesses,
//! `faqbot check`), [`convtest`] (conversation tests, `faqbot test`),
//! [`explain`] (why a reply, `faqbot explain` and `/why`) and [`misses`]
//! (the unanswered log and `faqbot misses`).
//!
//! # Cargo features
//!
//! The default, `cli`, builds everything. With `default-features = false`
//! only the engine is built (the example above, 34 crates);
//! docs/usage.md lists the crates each feature adds. Which module or item
//! needs which feature:
//!
//! | feature | gives |
//! |---|---|
//! | (none) | [`Engine`], [`Session`], [`Reply`], [`KnowledgeBase`], [`schema`], [`kb`], [`normalize`], [`matcher`], [`dialogue`], [`explain`], [`lexicon`], [`markup`] (`to_plain`, `link_problems`), [`cache`], [`semantic`] (its interface; the stage is off, [`semantic::BUILT`] is `false`) |
//! | `html` | [`Reply::answer_html`] and [`Engine::answer_html`] filled (`None` without it; both exist in every build), `markup::to_html` |
//! | `authoring` | [`check`], [`convtest`] |
//! | `misses` | [`misses`] (the unanswered log) |
//! | `eval` | [`eval`], [`import`] |
//! | `server` (implies `html`, `misses`) | [`server`]: the router, in-memory sessions, hot reload, health checks, `/metrics` |
//! | `redis` (implies `server`) | [`server::sessions::RedisStore`]: sessions shared in Redis |
//! | `webhook` (implies `server`) | [`server::webhook::Webhook::spawn`]: the handoff webhook |
//! | `rate-limit` (implies `server`) | [`server::ratelimit::layer`]: the per-client rate limit (a `server::Config::rate_limit` set without it makes the router panic) |
//! | `cli` (default; implies all of the above) | the `faqbot` binary, [`cli`] |
//! | `semantic` (off by default) | the sentence-embedding stage: [`semantic`]'s model, index and fusion |
//!
//! Built with `--cfg docsrs` on nightly (as docs.rs does, see
//! `[package.metadata.docs.rs]`), every feature-gated item is marked with
//! the features it needs.
// In a build without a feature, the links above to what it gives point at
// the table instead.
#![cfg_attr(
    not(feature = "authoring"),
    doc = "",
    doc = "[`check`]: #cargo-features",
    doc = "[`convtest`]: #cargo-features"
)]
#![cfg_attr(not(feature = "misses"), doc = "", doc = "[`misses`]: #cargo-features")]
#![cfg_attr(
    not(feature = "eval"),
    doc = "",
    doc = "[`eval`]: #cargo-features",
    doc = "[`import`]: #cargo-features"
)]
#![cfg_attr(not(feature = "server"), doc = "", doc = "[`server`]: #cargo-features")]
#![cfg_attr(
    not(feature = "redis"),
    doc = "",
    doc = "[`server::sessions::RedisStore`]: #cargo-features"
)]
#![cfg_attr(
    not(feature = "webhook"),
    doc = "",
    doc = "[`server::webhook::Webhook::spawn`]: #cargo-features"
)]
#![cfg_attr(
    not(feature = "rate-limit"),
    doc = "",
    doc = "[`server::ratelimit::layer`]: #cargo-features"
)]
#![cfg_attr(not(feature = "cli"), doc = "", doc = "[`cli`]: #cargo-features")]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod build_info;
pub mod cache;
#[cfg(feature = "authoring")]
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "authoring")]
pub mod convtest;
pub mod dialogue;
pub mod engine;
pub mod error;
#[cfg(feature = "eval")]
pub mod eval;
pub mod explain;
#[cfg(feature = "eval")]
pub mod import;
pub mod kb;
pub mod lexicon;
pub mod markup;
pub mod matcher;
#[cfg(feature = "misses")]
pub mod misses;
pub mod normalize;
pub mod reply;
pub mod schema;
pub mod semantic;
#[cfg(feature = "server")]
pub mod server;
pub mod session;
#[cfg(test)]
mod testing;

pub use dialogue::Decision;
pub use engine::{Engine, EngineId};
pub use error::{Diagnostic, Error, ErrorKind, Location, Result, Severity};
pub use kb::KnowledgeBase;
pub use matcher::Scored;
pub use reply::{Alternative, RaisedBy, Reply, ReplyKind, Suggestion};
// `Reply::top_kind`'s type, to match on without naming the schema module.
pub use schema::IntentKind;
pub use session::Session;

/// The Rust snippets of README.md and docs/usage.md, compiled and run as
/// doctests (`cargo test --doc`) so that what a new user copies compiles.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
#[doc = include_str!("../docs/usage.md")]
pub struct DocSnippets;
