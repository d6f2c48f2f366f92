//! Conversation state, owned by the caller.

use serde::{Deserialize, Serialize};

/// The state of one conversation between turns.
///
/// Small and serde-serialisable: a server can keep it in memory, in a
/// cookie or in a shared store. The [`crate::Engine`] never stores it, so
/// one engine serves any number of conversations.
///
/// Every field has a default (`#[serde(default)]`), so a session stored
/// by an older faqbot, or only in part (`{}`, `{"turns": 1}`), still
/// reads: a missing field is that of [`Session::new`]. Unknown fields
/// are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    /// Number of turns played so far.
    pub turns: u32,
    /// Intent ids offered as numbered choices in the last reply (1-based
    /// numbers map to indices + 1). Empty when nothing was offered. Only
    /// the first [`crate::dialogue::choice::MAX_OFFERED`] (20) are read; an
    /// id the knowledge base no longer has (after a reload) keeps its
    /// number, and picking it says there is no such choice.
    pub offered: Vec<String>,
    /// The FAQ intent answered last; `None` at the start and after a
    /// fallback (a question the bot could not answer).
    pub last_intent: Option<String>,
    /// The text that led to the last answer, used to read a short
    /// follow-up question in context; cleared with `last_intent`. Read up
    /// to [`crate::dialogue::MAX_INPUT_CHARS`] characters, like a message.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_stored_in_part_or_by_an_older_faqbot_still_reads() {
        let empty: Session = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, Session::new());
        let turns: Session = serde_json::from_str(r#"{"turns":1}"#).unwrap();
        assert_eq!(
            turns,
            Session {
                turns: 1,
                ..Session::new()
            }
        );
        let old: Session =
            serde_json::from_str(r#"{"turns":2,"offered":["a"],"retired_field":true}"#).unwrap();
        assert_eq!(old.offered, ["a"]);
    }
}
