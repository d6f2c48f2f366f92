//! Greetings, thanks and goodbyes in a knowledge base without small talk.
//!
//! A knowledge base imported from a spreadsheet has no small-talk intents
//! unless `faqbot import --small-talk` wrote them (they cost answered
//! questions on ten-row sheets, see docs/authoring.md). Without them
//! "hello" used to get "Sorry, I don't know the answer to that" and count
//! towards the handoff: "hello" and one unanswered question handed the
//! customer to a human. Now a message that would fall back, in a
//! knowledge base with no intent of kind `SmallTalk`, and that the
//! patterns of the bundled small talk ([`SMALLTALK_RON`], the file
//! `--small-talk` writes) recognise as a whole, gets the bot's own texts:
//! its `greeting` with the popular topics for a greeting, `texts.declined`
//! ("Is there anything else I can help you with?") for thanks or a
//! goodbye. It is no FAQ answer, no miss and no fallback towards the
//! handoff.

use regex::{Regex, RegexBuilder};
use std::sync::LazyLock;

/// The small talk `faqbot import --small-talk` and `faqbot init` write
/// (`data/smalltalk.ron`): greeting, thanks and goodbye, kind `SmallTalk`
/// (never a popular topic, never counted as a miss, never beating an FAQ
/// answer), in the schema of any intent (see docs/authoring.md).
pub const SMALLTALK_RON: &str = include_str!("../../data/smalltalk.ron");

/// Longest message, in words, read as a pleasantry: the patterns anchor a
/// greeting at both ends, but a goodbye only at the start ("see you
/// tomorrow" and a question after it is a question).
pub const MAX_WORDS: usize = 6;

/// What a pleasantry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pleasantry {
    /// "hi", "good morning".
    Greeting,
    /// "thanks", "that helped".
    Thanks,
    /// "bye", "see you", "that is all".
    Goodbye,
}

/// Per small-talk intent of [`SMALLTALK_RON`] its kind of pleasantry and its
/// patterns, case-insensitive. Empty if the file did not parse, which the
/// test of `import::smalltalk` rules out.
static PATTERNS: LazyLock<Vec<(Pleasantry, Vec<Regex>)>> = LazyLock::new(|| {
    let defs: Vec<crate::schema::IntentDef> = crate::kb::ron_options()
        .from_str(SMALLTALK_RON)
        .unwrap_or_default();
    defs.iter()
        .filter_map(|d| {
            let kind = match d.id.as_str() {
                "greeting" => Pleasantry::Greeting,
                "thanks" => Pleasantry::Thanks,
                "goodbye" => Pleasantry::Goodbye,
                _ => return None,
            };
            let res = d
                .patterns
                .iter()
                .filter_map(|p| RegexBuilder::new(p).case_insensitive(true).build().ok())
                .collect();
            Some((kind, res))
        })
        .collect()
});

/// The pleasantry `text` is (matched after folding, as patterns are), if
/// any; `None` for anything longer than [`MAX_WORDS`] words.
pub fn of(text: &str) -> Option<Pleasantry> {
    if text.split_whitespace().nth(MAX_WORDS).is_some() {
        return None;
    }
    let folded = crate::normalize::fold_text(text);
    let folded = folded.trim_end_matches(['!', '.', '?', ' ']);
    PATTERNS
        .iter()
        .find(|(_, res)| res.iter().any(|re| re.is_match(folded)))
        .map(|(kind, _)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings_thanks_and_goodbyes_are_recognised_and_questions_are_not() {
        assert_eq!(of("Hello!"), Some(Pleasantry::Greeting));
        assert_eq!(of("good morning"), Some(Pleasantry::Greeting));
        assert_eq!(of("thanks a lot"), Some(Pleasantry::Thanks));
        assert_eq!(of("Bye"), Some(Pleasantry::Goodbye));
        assert_eq!(of("hello, is there parking?"), None);
        assert_eq!(
            of("see you tomorrow, and is the pool open on sundays too"),
            None
        );
        assert_eq!(of("what are your opening hours"), None);
    }
}
