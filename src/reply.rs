//! The reply to one user turn, and its JSON wire format.
//!
//! One [`Reply`] serialises to exactly one JSON object; pipe mode's `--json`
//! prints one per input line and the HTTP API returns the same object:
//!
//! ```json
//! {"input": "I forgot my app PIN", "kind": "answer", "intent": "reset_pin",
//!  "title": "How do I reset the PIN protection for opening the MINI App?",
//!  "confidence": 0.93, "text": "After three incorrect PIN entries ...\n\n1. ...",
//!  "answer": "After three incorrect PIN entries ...",
//!  "answer_html": "<p>After three incorrect PIN entries ...</p>",
//!  "suggestions": [{"intent": "biometric_login", "title": "..."}],
//!  "alternatives": [{"intent": "delete_mini_id", "confidence": 0.12}]}
//! ```

use serde::{Deserialize, Serialize};

/// What kind of reply the dialogue policy chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplyKind {
    /// An intent won clearly: its answer is shown.
    Answer,
    /// Two or three intents were too close: the user is asked to pick one.
    Clarify,
    /// Nothing reached the threshold: an honest "I don't know" with popular topics.
    Fallback,
    /// The user asked for a person, or fallbacks repeated: how to reach support.
    Handoff,
}

impl ReplyKind {
    /// The lower-case name used in JSON and test files.
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyKind::Answer => "answer",
            ReplyKind::Clarify => "clarify",
            ReplyKind::Fallback => "fallback",
            ReplyKind::Handoff => "handoff",
        }
    }
}

/// An intent offered to the user as a numbered choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Intent id.
    pub intent: String,
    /// The intent's title (its canonical question).
    pub title: String,
}

/// A runner-up intent and its confidence (0.0..=1.0).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// Intent id.
    pub intent: String,
    /// Confidence in 0.0..=1.0.
    pub confidence: f32,
}

/// The bot's reply to one user turn. Field names are a public contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// The user's text as received (control characters removed).
    pub input: String,
    /// What the policy decided.
    pub kind: ReplyKind,
    /// The intent answered (for `answer`, and `handoff` from the handoff
    /// intent); `null` for clarify and fallback.
    pub intent: Option<String>,
    /// Title of `intent`, or `null`.
    pub title: Option<String>,
    /// Confidence of the best-ranked intent, 0.0..=1.0.
    pub confidence: f32,
    /// Everything shown to the user: the message and the numbered suggestions.
    pub text: String,
    /// The intent's answer text as written (a small Markdown subset, see
    /// [`crate::markup`]), or `null` when no intent was answered.
    pub answer: Option<String>,
    /// `answer` as sanitised HTML (`faqbot::markup::to_html`: paragraphs,
    /// line breaks, emphasis, inline code, lists and http/https/mailto links
    /// with `rel="noopener"`), or `null` when `answer` is `null`. Safe to
    /// insert into a page as HTML. Always `null` when faqbot is built
    /// without the cargo feature `html` (on by default).
    #[serde(default)]
    pub answer_html: Option<String>,
    /// Intents offered as numbered choices, in the order numbered (1-based).
    pub suggestions: Vec<Suggestion>,
    /// The top-ranked intents other than `intent`, best first, at most 3.
    pub alternatives: Vec<Alternative>,
}

impl Reply {
    /// The reply as readable plain text for a terminal: `text` with the
    /// answer's Markdown rendered by [`crate::markup::to_plain`] (links as
    /// "text (URL)"). Equal to `text` when the answer has no Markdown.
    pub fn plain_text(&self) -> String {
        match &self.answer {
            Some(a) if self.text.starts_with(a.as_str()) => {
                let mut out = crate::markup::to_plain(a);
                out.push_str(&self.text[a.len()..]);
                out
            }
            _ => self.text.clone(),
        }
    }
}
