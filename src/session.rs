//! Conversation state, owned by the caller.

use serde::{Deserialize, Serialize};

/// The state of one conversation between turns.
///
/// Small and serde-serialisable: a server can keep it in memory, in a
/// cookie or in a shared store. The [`crate::Engine`] never stores it, so
/// one engine serves any number of conversations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Number of turns played so far.
    pub turns: u32,
    /// Intent ids offered as numbered choices in the last reply (1-based
    /// numbers map to indices + 1). Empty when nothing was offered.
    pub offered: Vec<String>,
    /// The FAQ intent answered last; `None` at the start and after a
    /// fallback (a question the bot could not answer).
    pub last_intent: Option<String>,
    /// The text that led to the last answer, used to read a short
    /// follow-up question in context; cleared with `last_intent`.
    pub last_utterance: Option<String>,
    /// Fallbacks in a row; a human is offered when it reaches the
    /// knowledge base's `max_fallbacks`.
    pub fallbacks_in_row: u32,
}

impl Session {
    /// A fresh conversation.
    pub fn new() -> Self {
        Session::default()
    }
}
