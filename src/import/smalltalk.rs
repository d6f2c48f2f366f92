//! The small talk a new knowledge base starts with: a greeting, thanks and
//! goodbye, so that "hello" — the first thing most people type — is not a
//! fallback. `faqbot import --small-talk` writes it next to the intents of a
//! FAQ spreadsheet ([`SMALLTALK_FILE`]) and `faqbot init` into its template;
//! the owner edits or deletes the file like any other.

use crate::error::{Error, Result};
use crate::schema::IntentDef;

/// The file the small talk is written to, next to the imported intents.
pub const SMALLTALK_FILE: &str = "smalltalk.ron";

pub use crate::dialogue::pleasantry::SMALLTALK_RON;

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
