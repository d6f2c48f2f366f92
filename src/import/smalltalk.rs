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

/// The greeting intent's answer as [`SMALLTALK_RON`] has it.
const GREETING_ANSWER: &str =
    "Hello! Ask me a question in your own words and I'll find the answer.";

/// The small-talk file's text for a knowledge base whose other intents
/// have the ids `taken`: [`SMALLTALK_RON`] as written, or, when an intent
/// already has one of its ids (a FAQ row "Hello?" imports as `hello`, but
/// one could be `greeting`), without those intents (the comments are then
/// lost). `None` when nothing is left. With `greeting` (`bot.ron`'s), the
/// greeting intent answers "hi" with it rather than a generic text (a user
/// trial: the owner's edited greeting was shown only as the REPL banner
/// once `--small-talk` added the small talk).
///
/// # Errors
/// Only if [`SMALLTALK_RON`] did not parse, which a test rules out.
pub fn smalltalk_for(taken: &[&str], greeting: Option<&str>) -> Result<Option<String>> {
    let mut all: Vec<IntentDef> = crate::kb::ron_options()
        .from_str(SMALLTALK_RON)
        .map_err(|e| Error::data(SMALLTALK_FILE, e.to_string()))?;
    let greeting = greeting.filter(|g| !g.trim().is_empty() && *g != GREETING_ANSWER);
    if let Some(g) = greeting {
        for d in all.iter_mut().filter(|d| d.id == "greeting") {
            d.answer = g.to_string();
        }
    }
    let kept: Vec<IntentDef> = all
        .iter()
        .filter(|d| !taken.contains(&d.id.as_str()))
        .cloned()
        .collect();
    if kept.is_empty() {
        return Ok(None);
    }
    if kept.len() == all.len() {
        let quoted = format!("{GREETING_ANSWER:?}");
        return Ok(Some(match greeting {
            Some(g) => SMALLTALK_RON.replacen(
                &format!("answer: {quoted},"),
                &format!(
                    "// bot.ron's greeting when this file was written: keep the two alike\n        // (`faqbot check` warns while they differ: greeting-mismatch).\n        answer: {},",
                    ron::to_string(g).map_err(|e| Error::data(SMALLTALK_FILE, e.to_string()))?
                ),
                1,
            ),
            None => SMALLTALK_RON.to_string(),
        }));
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
        let all = smalltalk_for(&[], None).unwrap().unwrap();
        assert_eq!(all, SMALLTALK_RON);
        let some = smalltalk_for(&["thanks"], None).unwrap().unwrap();
        let kept: Vec<IntentDef> = crate::kb::ron_options().from_str(&some).unwrap();
        let ids: Vec<&str> = kept.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["greeting", "goodbye"]);
        assert!(kept
            .iter()
            .all(|d| d.kind == crate::schema::IntentKind::SmallTalk));
        assert_eq!(
            smalltalk_for(&["greeting", "thanks", "goodbye"], None).unwrap(),
            None
        );
    }

    #[test]
    fn the_greeting_answers_with_bot_ron_s_greeting() {
        let g = "Hi! I'm Boxy \"the\" storage bot. Ask me about units.";
        let text = smalltalk_for(&[], Some(g)).unwrap().unwrap();
        let defs: Vec<IntentDef> = crate::kb::ron_options().from_str(&text).unwrap();
        let greeting = defs.iter().find(|d| d.id == "greeting").unwrap();
        assert_eq!(greeting.answer, g);
        assert!(text.contains("keep the two alike"));
        // Other answers, comments and patterns as written (two comment
        // lines added above the answer).
        assert_eq!(text.lines().count(), SMALLTALK_RON.lines().count() + 2);
        let some = smalltalk_for(&["thanks"], Some(g)).unwrap().unwrap();
        let kept: Vec<IntentDef> = crate::kb::ron_options().from_str(&some).unwrap();
        assert_eq!(kept[0].answer, g);
        assert_eq!(
            smalltalk_for(&[], Some(GREETING_ANSWER)).unwrap().unwrap(),
            SMALLTALK_RON
        );
    }
}
