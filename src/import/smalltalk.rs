//! The small talk a new knowledge base starts with: a greeting, thanks and
//! goodbye, so that "hello" — the first thing most people type — is not a
//! fallback. `faqbot import --small-talk` writes it next to the intents of a
//! FAQ spreadsheet ([`SMALLTALK_FILE`]) and `faqbot init` into its template;
//! the owner edits or deletes the file like any other.

use crate::error::{Error, Result};
use crate::schema::IntentDef;

/// The file the small talk is written to, next to the imported intents.
pub const SMALLTALK_FILE: &str = "smalltalk.ron";

/// Greeting, thanks and goodbye (kind `SmallTalk`: never a popular topic,
/// never counted as a miss, and they never beat an FAQ answer); the same
/// schema as any intent (see docs/authoring.md).
pub const SMALLTALK_RON: &str = r#"// Small talk: replies to greetings, thanks and goodbyes. Edit the answers
// to suit your bot (or delete this file); small talk is never offered as a
// popular topic and never beats an FAQ answer. The patterns (matched on the
// whole message) catch "good morning", "thanks a lot", "see you" and the
// like; the few examples hold no word a FAQ question would use ("morning",
// "day"), so that small talk does not pull such questions towards it.
[
    (
        id: "greeting",
        title: "Hello",
        kind: SmallTalk,
        examples: ["hi", "hello", "hey there"],
        keywords: [
            (word: "good morning", weight: 1.5),
            (word: "good afternoon", weight: 1.5),
            (word: "good evening", weight: 1.5),
        ],
        patterns: [
            r"^\s*(hi|hello|hey|hiya|heya|howdy|hallo|greetings)(\s+(there|bot|again|all|everyone|anyone\s+there))?\s*$",
            r"^\s*good\s+(morning|afternoon|evening|day)(\s+(there|bot))?\s*$",
        ],
        answer: "Hello! Ask me a question in your own words and I'll find the answer.",
    ),
    (
        id: "thanks",
        title: "Thank you",
        kind: SmallTalk,
        examples: ["thanks", "thank you", "cheers"],
        keywords: [(word: "thanks", weight: 2.0)],
        patterns: [
            r"^\s*(ok|okay|great|perfect|awesome|cool|nice|super|brilliant|many)?\s*(thanks|thank\s+you|thankyou|thx|ty|cheers)(\s+(a\s+lot|so\s+much|very\s+much|again|a\s+bunch|mate|bot))?\s*$",
            r"\b(that|this)\s+(helped|was\s+helpful)\b",
        ],
        answer: "You're welcome! Is there anything else I can help you with?",
    ),
    (
        id: "goodbye",
        title: "Goodbye",
        kind: SmallTalk,
        examples: ["bye", "goodbye", "bye bye"],
        keywords: [(word: "bye", weight: 3.0)],
        patterns: [
            r"^\s*(bye|goodbye|good\s+bye|bye\s+bye|see\s+(you|ya)|cya|ciao|farewell)\b",
            r"^\s*(that\s+is\s+(all|it)|have\s+a\s+(nice|good|great)\s+(day|evening|one)|i\s+am\s+done)\b",
        ],
        answer: "Goodbye! Come back any time if you have more questions.",
    ),
]
"#;

/// The small-talk file's text for a knowledge base whose other intents
/// have the ids `taken`: [`SMALLTALK_RON`] as written, or, when an intent
/// already has one of its ids (a FAQ row "Hello?" imports as `hello`, but
/// one could be `greeting`), without those intents (the comments are then
/// lost). `None` when nothing is left.
///
/// # Errors
/// Only if [`SMALLTALK_RON`] did not parse, which a test rules out.
pub fn smalltalk_for(taken: &[&str]) -> Result<Option<String>> {
    let all: Vec<IntentDef> = crate::kb::ron_options()
        .from_str(SMALLTALK_RON)
        .map_err(|e| Error::data(SMALLTALK_FILE, e.to_string()))?;
    let kept: Vec<IntentDef> = all
        .iter()
        .filter(|d| !taken.contains(&d.id.as_str()))
        .cloned()
        .collect();
    if kept.len() == all.len() {
        return Ok(Some(SMALLTALK_RON.to_string()));
    }
    if kept.is_empty() {
        return Ok(None);
    }
    super::to_ron(
        &kept,
        "Small talk: replies to greetings, thanks and goodbyes. Edit the answers\nto suit your bot (or delete this file).",
    )
    .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_small_talk_parses_and_gives_way_to_taken_ids() {
        let all = smalltalk_for(&[]).unwrap().unwrap();
        assert_eq!(all, SMALLTALK_RON);
        let some = smalltalk_for(&["thanks"]).unwrap().unwrap();
        let kept: Vec<IntentDef> = crate::kb::ron_options().from_str(&some).unwrap();
        let ids: Vec<&str> = kept.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["greeting", "goodbye"]);
        assert!(kept
            .iter()
            .all(|d| d.kind == crate::schema::IntentKind::SmallTalk));
        assert_eq!(
            smalltalk_for(&["greeting", "thanks", "goodbye"]).unwrap(),
            None
        );
    }
}
