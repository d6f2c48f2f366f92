//! The conversation-test file format (`tests/conversations/*.ron`), read by
//! `faqbot test` and by `cargo test` through the same runner.
//!
//! A file is a list of [`TestCase`]s. Each case starts a fresh session and
//! plays its turns in order; every field of a [`TurnExpect`] other than
//! `user` is optional and, when given, must hold for that turn's reply.
//!
//! ```ron
//! [
//!     (
//!         name: "forgotten PIN, then first follow-up by number",
//!         turns: [
//!             (user: "I forgot my app PIN", intent: "reset_pin", kind: answer),
//!             (user: "1", intent: "biometric_login"),
//!         ],
//!     ),
//!     (user: "hello there", intent: "greeting"),
//! ]
//! ```
//!
//! The second entry shows the one-turn shorthand: a case with a `user`
//! field is a single turn (played before any `turns`), and takes every
//! expectation a turn takes.

use crate::reply::ReplyKind;
use serde::{Deserialize, Serialize};

/// One named conversation test.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    /// Shown in reports; defaults to the first user turn's text.
    #[serde(default)]
    pub name: Option<String>,
    /// The turns, played in order in one session.
    #[serde(default)]
    pub turns: Vec<TurnExpect>,
    /// Shorthand for a one-turn case: the user's text (see [`TurnExpect`]).
    #[serde(default)]
    pub user: Option<String>,
    /// Shorthand: expected intent id of the single turn.
    #[serde(default)]
    pub intent: Option<String>,
    /// Shorthand: expected reply kind of the single turn.
    #[serde(default)]
    pub kind: Option<ReplyKind>,
    /// Shorthand: the single turn must not be answered with this intent.
    #[serde(default)]
    pub not_intent: Option<String>,
    /// Shorthand: the single turn's answer must contain this.
    #[serde(default)]
    pub answer_contains: Option<String>,
    /// Shorthand: the single turn's text must contain this.
    #[serde(default)]
    pub text_contains: Option<String>,
    /// Shorthand: the single turn must suggest each of these intents.
    #[serde(default)]
    pub suggestions_include: Vec<String>,
    /// Shorthand: the single turn must suggest none of these intents.
    #[serde(default)]
    pub suggestions_exclude: Vec<String>,
    /// Shorthand: the single turn's confidence must be at least this.
    #[serde(default)]
    pub min_confidence: Option<f32>,
    /// Shorthand: the single turn's `raised_by` (see [`TurnExpect`]).
    #[serde(default)]
    pub raised_by: Option<String>,
}

/// One user turn and what must hold for the bot's reply to it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnExpect {
    /// What the user types.
    pub user: String,
    /// The reply's intent id must equal this.
    #[serde(default)]
    pub intent: Option<String>,
    /// The reply must not carry this intent id.
    #[serde(default)]
    pub not_intent: Option<String>,
    /// The reply kind must equal this (`answer`, `clarify`, `fallback`, `handoff`).
    #[serde(default)]
    pub kind: Option<ReplyKind>,
    /// The intent's answer must contain this text (case-insensitive).
    #[serde(default)]
    pub answer_contains: Option<String>,
    /// The full text shown to the user must contain this (case-insensitive).
    #[serde(default)]
    pub text_contains: Option<String>,
    /// Each of these intent ids must be among the numbered suggestions.
    #[serde(default)]
    pub suggestions_include: Vec<String>,
    /// None of these intent ids may be among the numbered suggestions.
    #[serde(default)]
    pub suggestions_exclude: Vec<String>,
    /// The reply's confidence must be at least this (0.0..=1.0).
    #[serde(default)]
    pub min_confidence: Option<f32>,
    /// The rule that set the reply's confidence to the threshold must be
    /// this ([`crate::reply::RaisedBy`]'s JSON name, e.g.
    /// `"last_answer_property"`), or `"none"` for a confidence no rule set.
    #[serde(default)]
    pub raised_by: Option<String>,
}
