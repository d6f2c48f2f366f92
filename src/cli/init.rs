//! `faqbot init DIR`: scaffold a new knowledge base.
//!
//! Writes `DIR/intents/bot.ron` (settings, with the widget texts to
//! translate), `DIR/intents/faq.ron` (two intents that follow each other up),
//! `DIR/intents/smalltalk.ron` (greeting, thanks and goodbye, the same as
//! `faqbot import` writes: [`crate::import::SMALLTALK_RON`], greeting with
//! `bot.ron`'s [`GREETING`]) and
//! `DIR/tests/conversation.ron` (a conversation test), so that
//!
//! ```sh
//! faqbot check --intents DIR/intents --deny-warnings
//! faqbot test --intents DIR/intents DIR/tests
//! faqbot --intents DIR/intents
//! ```
//!
//! pass and chat at once. Existing files are never overwritten: if any of
//! the four exists, nothing is written and the exit code is 2.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// Arguments of `faqbot init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The directory to create (or an empty one to fill).
    pub dir: PathBuf,
}

/// The greeting of [`BOT_RON`], which the small talk's greeting intent
/// also answers with (`greeting-mismatch` of `faqbot check` otherwise).
pub const GREETING: &str = "Hi! Ask me about opening hours or returns.";

/// `bot.ron` of a new knowledge base.
pub const BOT_RON: &str = r#"// Bot-wide settings. Every field is optional; see docs/authoring.md.
(
    name: "Help Bot",
    greeting: "Hi! Ask me about opening hours or returns.",
    fallback: "Sorry, I don't know the answer to that. Could you rephrase it?",
    clarify: "Which of these do you mean?",
    handoff: "Please write to support@example.com and a person will help you.",
    // The confidence is a calibrated probability, so the defaults
    // (threshold: 0.65, margin: 0.03) fit most knowledge bases; set them
    // only to override, after `faqbot eval` on questions of your own.
    // The chat widget's own texts; translate them for a bot in another language.
    texts: (
        placeholder: "Type your question…",
        send: "Send",
        related: "Related questions",
        helpful: "Was this helpful?",
    ),
)
"#;

/// `faq.ron` of a new knowledge base: two intents.
pub const FAQ_RON: &str = r#"// Intents: what people ask, and the answer. Answers may use links,
// **bold**, *emphasis*, `code` and lists (a small Markdown subset).
[
    (
        id: "opening_hours",
        title: "When are you open?",
        examples: [
            "when are you open",
            "opening hours",
            "what time do you close",
            "are you open on saturday",
        ],
        keywords: ["open", "hours", "close"],
        answer: "We are open **Monday to Friday, 9:00-17:00**.",
        follow_ups: ["returns"],
    ),
    (
        id: "returns",
        title: "How do I return something?",
        examples: [
            "how do I return something",
            "return policy",
            "can I send it back",
            "I want a refund",
        ],
        keywords: ["return", "refund", "send back"],
        answer: "You can return anything within 30 days:\n\n1. Pack it with the receipt\n2. Send it to the address on [our returns page](https://example.com/returns)",
        follow_ups: ["opening_hours"],
    ),
]
"#;

/// `tests/conversation.ron` of a new knowledge base.
pub const TEST_RON: &str = r#"// Conversation tests: run them with
//   faqbot test --intents intents tests
[
    (
        name: "opening hours, then returns by number",
        turns: [
            (user: "when do you open?", intent: "opening_hours", kind: answer,
             suggestions_include: ["returns"]),
            (user: "1", intent: "returns", answer_contains: "30 days"),
        ],
    ),
    (user: "can I get my money back", intent: "returns"),
    (user: "what is the weather like", kind: fallback),
    // Small talk (intents/smalltalk.ron).
    (user: "hello", intent: "greeting"),
    (user: "thanks!", intent: "thanks"),
]
"#;

/// Writes the four files under `dir`, refusing to overwrite any.
///
/// # Errors
/// An existing file (nothing is written then) or an I/O error.
pub fn scaffold(dir: &Path) -> Result<Vec<PathBuf>> {
    // The small talk greets with bot.ron's greeting, as an import's does.
    let smalltalk = crate::import::smalltalk_for(&[], Some(GREETING))?
        .unwrap_or_else(|| crate::import::SMALLTALK_RON.to_string());
    let files = [
        (dir.join("intents").join("bot.ron"), BOT_RON),
        (dir.join("intents").join("faq.ron"), FAQ_RON),
        (
            dir.join("intents").join(crate::import::SMALLTALK_FILE),
            smalltalk.as_str(),
        ),
        (dir.join("tests").join("conversation.ron"), TEST_RON),
    ];
    for (path, _) in &files {
        if path.exists() {
            return Err(Error::data(
                path.display().to_string(),
                "already exists; faqbot init never overwrites files (nothing was written)",
            ));
        }
    }
    let mut written = Vec::new();
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// Runs `faqbot init DIR`.
///
/// # Errors
/// See [`scaffold`].
pub fn run(args: &Args) -> Result<u8> {
    let written = scaffold(&args.dir)?;
    for p in &written {
        println!("created {}", p.display());
    }
    let d = args.dir.display();
    println!(
        "\nNext:\n  faqbot check --intents {d}/intents\n  faqbot test --intents {d}/intents {d}/tests\n  faqbot --intents {d}/intents"
    );
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::BOT_RON;
    use crate::schema::BotSettings;

    /// The scaffold leaves the threshold and margin to the defaults: a
    /// copied number would go stale when the defaults move (it did: 0.45
    /// stayed behind when the confidence became calibrated).
    #[test]
    fn the_scaffolded_settings_keep_the_default_threshold_and_margin() {
        let s: BotSettings = ron::from_str(BOT_RON).expect("BOT_RON parses");
        let d = BotSettings::default();
        assert_eq!((s.threshold, s.margin), (d.threshold, d.margin));
        assert_ne!(s.name, d.name, "the scaffold's own settings were read");
    }
}
