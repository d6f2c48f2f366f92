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
//! use faqbot::{Engine, ReplyKind, Session};
//!
//! // The MINI App knowledge base is compiled into the crate.
//! let engine = Engine::bundled()?;
//! let mut session = Session::new();
//!
//! let reply = engine.respond(&mut session, "I forgot my app PIN");
//! assert_eq!(reply.kind, ReplyKind::Answer);
//! assert_eq!(reply.intent.as_deref(), Some("reset_pin"));
//! assert!(reply.confidence > 0.5 && reply.confidence <= 1.0);
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
//! Cargo features: the default, `cli`, builds everything (the binary, the
//! `server`, the `authoring` tools [`check`] and [`convtest`], `misses`,
//! `eval` and `html`, the reply's `answer_html`). With
//! `default-features = false` only the engine is built (the example above,
//! about 30 crates); docs/usage.md lists what each feature adds.

#![warn(missing_docs)]

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

pub use engine::{Engine, EngineId};
pub use error::{Diagnostic, Error, ErrorKind, Location, Result, Severity};
pub use kb::KnowledgeBase;
pub use matcher::Scored;
pub use reply::{Alternative, Reply, ReplyKind, Suggestion};
pub use session::Session;
