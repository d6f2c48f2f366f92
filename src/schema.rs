//! The on-disk knowledge-base format: plain serde structs read from RON.
//!
//! These types mirror the files an author writes and nothing more; the
//! matcher compiles them into its own runtime structures ([`crate::matcher`]).
//! Every struct denies unknown fields, so a typo such as `exmaples:` is a
//! loading error with a `file:line:col`, not a silently ignored field.
//!
//! A knowledge base is a directory of `.ron` files. Each file except
//! `bot.ron` holds a list of [`IntentDef`]; the optional `bot.ron` holds one
//! [`BotSettings`]. A minimal intent is five lines:
//!
//! ```ron
//! [
//!     (
//!         id: "opening_hours",
//!         title: "When are you open?",
//!         examples: ["opening hours", "when do you open", "are you open on sunday"],
//!         answer: "We are open 9:00-17:00, Monday to Friday.",
//!     ),
//! ]
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an intent is for; decides the reply kind when it wins.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IntentKind {
    /// A question from the FAQ (the default). Replies are of kind `answer`.
    #[default]
    Faq,
    /// Greetings, thanks, goodbyes, "what can you do": answered like an FAQ
    /// but never offered as a popular topic and never counted as a miss.
    SmallTalk,
    /// The user asks for a person. Replies are of kind `handoff`.
    Handoff,
    /// Examples of what the bot must *not* answer (e.g. imported from
    /// `train_oos.jsonl`). Winning this intent yields a `fallback`.
    OutOfScope,
}

/// A keyword: a word or short phrase that signals an intent.
///
/// Written either as a plain string (`"pin"`, weight 1.0, not required) or
/// as a struct: `(word: "apple watch", weight: 2.0, required: true)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeywordDef {
    /// `"pin"`: weight 1.0, not required.
    Plain(String),
    /// `(word: "pin", weight: 2.0, required: true)`.
    Detailed(KeywordSpec),
}

impl From<&str> for KeywordDef {
    /// `KeywordDef::from("pin")`: the plain form (weight 1.0, not required).
    fn from(word: &str) -> Self {
        KeywordDef::Plain(word.to_string())
    }
}

impl From<String> for KeywordDef {
    /// The plain form of an owned word (weight 1.0, not required).
    fn from(word: String) -> Self {
        KeywordDef::Plain(word)
    }
}

/// The struct form of a [`KeywordDef`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeywordSpec {
    /// The word or phrase; normalised and stemmed like user input, so
    /// `"charging"` also matches "charge" and "charges".
    pub word: String,
    /// Relative importance, > 0.0; default 1.0. A keyword of weight 2.0
    /// counts as much as two of weight 1.0.
    #[serde(default = "default_weight")]
    pub weight: f32,
    /// When true the intent cannot win unless this keyword (or one of its
    /// typo-corrected forms) occurs in the utterance. Default false.
    #[serde(default)]
    pub required: bool,
}

fn default_weight() -> f32 {
    1.0
}

impl KeywordDef {
    /// The keyword text as written.
    pub fn word(&self) -> &str {
        match self {
            KeywordDef::Plain(w) => w,
            KeywordDef::Detailed(k) => &k.word,
        }
    }
    /// The weight (1.0 for the plain form).
    pub fn weight(&self) -> f32 {
        match self {
            KeywordDef::Plain(_) => 1.0,
            KeywordDef::Detailed(k) => k.weight,
        }
    }
    /// Whether the keyword must occur for the intent to win.
    pub fn required(&self) -> bool {
        match self {
            KeywordDef::Plain(_) => false,
            KeywordDef::Detailed(k) => k.required,
        }
    }
}

/// One intent as written in a `.ron` file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentDef {
    /// Unique id, `snake_case` (`[a-z0-9_]+`), used by follow-ups, tests and
    /// the JSON output.
    pub id: String,
    /// The canonical question, shown when the bot offers this intent as a
    /// suggestion and matched as one more example (see
    /// [`IntentDef::phrasing_title`]). Missing (empty) titles are a
    /// `faqbot check` warning.
    #[serde(default)]
    pub title: String,
    /// What the intent is for; default [`IntentKind::Faq`].
    #[serde(default)]
    pub kind: IntentKind,
    /// Alternative phrasings users type (training phrases).
    #[serde(default)]
    pub examples: Vec<String>,
    /// Words or short phrases that signal the intent.
    #[serde(default)]
    pub keywords: Vec<KeywordDef>,
    /// Regular expressions (Rust `regex` syntax), matched case-insensitively
    /// against the normalised utterance (lower-cased, accents and
    /// punctuation folded, contractions expanded, not stemmed).
    #[serde(default)]
    pub patterns: Vec<String>,
    /// The reply text. Required (not empty) for FAQ, small-talk and
    /// handoff intents. An out-of-scope intent may leave it out: when it
    /// has one, that text replaces `bot.ron`'s `fallback` when the intent
    /// wins ("Sorry, we don't sell dog food."); an answer that is a single
    /// note in parentheses (what `faqbot import` wrote before) counts as
    /// none ([`IntentDef::out_of_scope_reply`]).
    #[serde(default)]
    pub answer: String,
    /// Ids of related intents offered as numbered suggestions after the
    /// answer (the first 20, `dialogue::choice::MAX_OFFERED`).
    #[serde(default)]
    pub follow_ups: Vec<String>,
    /// How often the entry was viewed; ranks "popular topics". Default 0.
    #[serde(default)]
    pub popularity: u64,
}

impl IntentDef {
    /// The title as one more phrasing of the intent, or `None`: when it is
    /// empty, and for an out-of-scope intent, whose title names the kind
    /// of message ("Not a library question", "Not covered by the MINI App
    /// FAQ") rather than phrasing one; matched, its words pulled the very
    /// questions the knowledge base is about towards the out-of-scope
    /// intent (a support author's trial: "how do i join the library").
    pub fn phrasing_title(&self) -> Option<&str> {
        (self.kind != IntentKind::OutOfScope && !self.title.trim().is_empty())
            .then_some(self.title.as_str())
    }

    /// The text an out-of-scope intent replies with when it wins, instead
    /// of `bot.ron`'s `fallback`: its answer, trimmed; `None` for other
    /// kinds, an empty answer, or an answer that is one note in
    /// parentheses ("(Questions this bot does not answer; winning this
    /// intent gives a fallback.)", which `faqbot import` wrote before out-of-scope answers were
    /// shown).
    pub fn out_of_scope_reply(&self) -> Option<&str> {
        let a = self.answer.trim();
        let note = a.starts_with('(') && a.ends_with(')') && a[1..].find(')') == Some(a.len() - 2);
        (self.kind == IntentKind::OutOfScope && !a.is_empty() && !note).then_some(a)
    }

    /// The answer `faqbot import` writes for an intent of labelled
    /// utterances, which have no answers: `(Imported answer for the intent
    /// “label”: replace this text with the real answer.)`. The one place
    /// this text is made; [`IntentDef::has_placeholder_answer`] recognises
    /// it (`faqbot check`: `placeholder-answer`).
    pub fn placeholder_answer(label: &str) -> String {
        format!("{PLACEHOLDER_HEAD}{label}{PLACEHOLDER_TAIL}")
    }

    /// Whether the answer is still the one [`IntentDef::placeholder_answer`]
    /// made (for any label), white space around it aside: an imported
    /// intent whose real answer has not been written yet, which customers
    /// would be shown as it is.
    pub fn has_placeholder_answer(&self) -> bool {
        let a = self.answer.trim();
        a.len() >= PLACEHOLDER_HEAD.len() + PLACEHOLDER_TAIL.len()
            && a.starts_with(PLACEHOLDER_HEAD)
            && a.ends_with(PLACEHOLDER_TAIL)
    }
}

/// The text before the label in [`IntentDef::placeholder_answer`].
const PLACEHOLDER_HEAD: &str = "(Imported answer for the intent \u{201c}";
/// The text after the label in [`IntentDef::placeholder_answer`].
const PLACEHOLDER_TAIL: &str = "\u{201d}: replace this text with the real answer.)";

/// Whether `b` is false (serde's `skip_serializing_if` for a default of false).
fn is_false(b: &bool) -> bool {
    !*b
}

/// Bot-wide settings from the optional `bot.ron`. Every field has a default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BotSettings {
    /// Display name of the bot.
    pub name: String,
    /// First message of a conversation.
    pub greeting: String,
    /// Reply when no intent reaches the threshold; popular topics follow it.
    pub fallback: String,
    /// Lead-in of a clarification question; the close intents follow it.
    pub clarify: String,
    /// Offer of a human, added to the `max_fallbacks`-th fallback in a row
    /// (which becomes the handoff; any suggestions then follow under `texts.or_pick`), and the reply
    /// to a request for a person in a knowledge base without a handoff
    /// intent. Default "A member of our support team can help you
    /// further.": it reads as the reply to "can I talk to a person" and
    /// after two misses alike ("I can't answer this one myself; ..." answered
    /// a request for a person oddly: trial 27).
    pub handoff: String,
    /// Minimum confidence (0.0..=1.0) for an answer. The confidence is the
    /// calibrated probability that the intent is right (see
    /// `docs/confidence.md`), so the default 0.65 ("right at least 13 times
    /// in 20") fits every knowledge base; set it here only to override.
    pub threshold: f32,
    /// When the runner-up's raw evidence is within this distance of the
    /// winner's (0.0..=1.0), the bot asks which was meant. Default 0.03.
    pub margin: f32,
    /// The `max_fallbacks`-th fallback in a row becomes the handoff (with
    /// 2, the second one). At least 1. Default 2.
    pub max_fallbacks: u32,
    /// How many popular topics a fallback or the help reply offers. Default 3;
    /// at most 20 are offered (`dialogue::choice::MAX_OFFERED`).
    pub popular_topics: usize,
    /// Snowball stemmer language (`"english"`, `"german"`, ...). Default `"english"`.
    pub language: String,
    /// Synonym groups: every word of a group is read as the group's first
    /// word, in examples, keywords and user input alike.
    pub synonyms: Vec<Vec<String>>,
    /// Whether the common English synonym groups
    /// ([`crate::normalize::common_synonyms::COMMON_GROUPS`]: "pets" for
    /// "dog", "internet" for "wifi", "money back" for "refund") are merged
    /// into `synonyms` (for `language: "english"` only). Default false
    /// (measured in docs/lexicon.md: more right answers on imported
    /// sheets, a slower analysis); written to `bot.ron` only when true.
    #[serde(skip_serializing_if = "is_false")]
    pub common_synonyms: bool,
    /// The bot's own texts (the widget's button labels and placeholder, the
    /// reply texts that are no intent's answer, ...), so a bot can speak
    /// German or Spanish. Every text has an English default.
    pub texts: UiTexts,
    /// Directory of the sentence model of the optional semantic stage
    /// (cargo feature `semantic`, see `docs/semantic.md`), relative to the
    /// knowledge-base directory. `--semantic-model DIR` and
    /// `FAQBOT_SEMANTIC_MODEL` take precedence. Default: none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub semantic_model: Option<std::path::PathBuf>,
}

/// The bot's own texts, from `texts: (...)` in `bot.ron`: the chat
/// widget's labels and messages, and the reply texts that are no intent's
/// answer (the lines before suggestions, the replies to an empty message,
/// to a number that was not offered, to "yes" or "no"). Served to the
/// widget by `GET /api/v1/intents`. Every field defaults to English.
///
/// ```ron
/// texts: (placeholder: "Ihre Frage…", send: "Senden", related: "Verwandte Fragen",
///         helpful: "War das hilfreich?", yes: "Ja", no: "Nein"),
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiTexts {
    /// Placeholder of the input field. Default "Type your question…".
    pub placeholder: String,
    /// The send button. Default "Send".
    pub send: String,
    /// Label above an answer's follow-up questions. Default "Related questions".
    pub related: String,
    /// Label above the popular topics: under the greeting in the widget, and
    /// (with a colon) in a fallback's and the help reply's text. Default
    /// "Popular topics".
    pub popular: String,
    /// The feedback question under an answer. Default "Was this helpful?".
    pub helpful: String,
    /// The positive feedback button. Default "Yes".
    pub yes: String,
    /// The negative feedback button. Default "No".
    pub no: String,
    /// Shown after feedback was sent. Default "Thanks for your feedback!".
    pub thanks: String,
    /// Accessible label of the chat bubble when closed. Default "Open chat".
    pub open: String,
    /// Accessible label of the close buttons. Default "Close chat".
    pub close: String,
    /// Shown while waiting for a reply. Default "Typing…".
    pub typing: String,
    /// Shown when the server answers with an error. Default "Sorry, something
    /// went wrong. Please try again.".
    pub error: String,
    /// Shown when the server cannot be reached. Default "Sorry, I can't reach
    /// the server right now. Please try again.".
    pub offline: String,
    /// Reply text: the line before a fallback's near misses. Default "Did
    /// you mean one of these?".
    pub near_miss: String,
    /// Reply text: a fallback's message, in place of `bot.ron`'s
    /// `fallback`, when it offers exactly one near miss as one line
    /// ([`UiTexts::one_near_miss`]). Default "I'm not sure I
    /// understood.". Used only while `fallback` is the default, or when
    /// set to a text of its own: a team's own `fallback` text is kept
    /// (`dialogue::render`). Trial 49: "Sorry, I don't
    /// know the answer to that." before exactly the right entry's title
    /// made the bot look as if it had not understood it at all.
    pub unsure: String,
    /// Reply text: the line offering a fallback's one near miss, in place
    /// of `near_miss` and the numbered choice (the reply's `suggestions`
    /// still hold it, and "1" or "yes" still picks it); `{title}` is
    /// replaced by its title, with "?" added when the title ends with no
    /// "?", "!" or ".". Default "Did you mean: {title}". Used only while
    /// `near_miss` is the default or when set to a text of its own; empty
    /// or without `{title}` (a `faqbot check` warning): `near_miss` and
    /// the numbered choice, as for several near misses.
    pub one_near_miss: String,
    /// Reply text: the line before a fallback's weaker suggestions (intents
    /// with some evidence but no near miss, topped up with popular topics;
    /// see [`crate::dialogue::SUGGEST`]). Default "These topics might help:".
    pub might_help: String,
    /// Reply text: the answer to an empty message. Default "Please type a
    /// question.".
    pub empty: String,
    /// Reply text: the line before the choices still offered, after an
    /// empty message, and before a fallback's suggestions after the
    /// handoff text (the `max_fallbacks`-th fallback in a row). Default
    /// "Or pick one of these:".
    pub or_pick: String,
    /// Reply text: a number that was not offered; `{n}` is replaced by the
    /// number. Default "There is no choice {n}.".
    pub no_choice: String,
    /// Reply text: the line before the choices again, after a number that
    /// was not offered. Default "Please pick one of these:".
    pub pick: String,
    /// Reply text: the line before the offers again, after a "yes" to
    /// several of them. Default "Which one would you like?".
    pub which: String,
    /// Reply text: the answer to a "no" to an offer. Default "All right. Is
    /// there anything else I can help you with?".
    pub declined: String,
    /// Reply text: the reply to a message without a content word of its
    /// own right after an answer ("how?", "what else?", "why?"), before
    /// that answer and its follow-ups are offered again under
    /// `about_last`. Default "Could you tell me a bit more about what you
    /// would like to know?".
    pub say_more: String,
    /// Reply text: the line before the answer just given and its
    /// follow-ups, after `say_more`. Default "About my last answer:".
    pub about_last: String,
    /// Reply text: the answer to thanks in a knowledge base without small
    /// talk. Default "You're welcome! Is there anything else I can help
    /// you with?".
    pub welcome: String,
    /// Reply text: the answer to a goodbye in a knowledge base without
    /// small talk, and to a bare "no" once the topic is closed (after
    /// thanks). Default "Goodbye, and thanks for getting in touch!".
    pub farewell: String,
    /// Reply text: the answer to a bare "yes" with nothing on offer (to
    /// "anything else?", say). Default "Sure, what would you like to
    /// know?".
    pub go_on: String,
    /// Reply text: the fallback text for a message in another language
    /// than an English knowledge base's (most words neither the knowledge
    /// base's nor English; see `crate::dialogue::language`). Default
    /// "Sorry, I can only answer questions in English.".
    pub english_only: String,
}

impl UiTexts {
    /// The default `near_miss`.
    pub(crate) const DEFAULT_NEAR_MISS: &str = "Did you mean one of these?";
    /// The default `unsure`.
    pub(crate) const DEFAULT_UNSURE: &str = "I'm not sure I understood.";
    /// The default `one_near_miss`.
    pub(crate) const DEFAULT_ONE_NEAR_MISS: &str = "Did you mean: {title}";
}

impl Default for UiTexts {
    fn default() -> Self {
        UiTexts {
            placeholder: "Type your question\u{2026}".into(),
            send: "Send".into(),
            related: "Related questions".into(),
            popular: "Popular topics".into(),
            helpful: "Was this helpful?".into(),
            yes: "Yes".into(),
            no: "No".into(),
            thanks: "Thanks for your feedback!".into(),
            open: "Open chat".into(),
            close: "Close chat".into(),
            typing: "Typing\u{2026}".into(),
            error: "Sorry, something went wrong. Please try again.".into(),
            offline: "Sorry, I can't reach the server right now. Please try again.".into(),
            near_miss: UiTexts::DEFAULT_NEAR_MISS.into(),
            unsure: UiTexts::DEFAULT_UNSURE.into(),
            one_near_miss: UiTexts::DEFAULT_ONE_NEAR_MISS.into(),
            might_help: "These topics might help:".into(),
            empty: "Please type a question.".into(),
            or_pick: "Or pick one of these:".into(),
            no_choice: "There is no choice {n}.".into(),
            pick: "Please pick one of these:".into(),
            which: "Which one would you like?".into(),
            declined: "All right. Is there anything else I can help you with?".into(),
            say_more: "Could you tell me a bit more about what you would like to know?".into(),
            about_last: "About my last answer:".into(),
            welcome: "You're welcome! Is there anything else I can help you with?".into(),
            farewell: "Goodbye, and thanks for getting in touch!".into(),
            go_on: "Sure, what would you like to know?".into(),
            english_only: "Sorry, I can only answer questions in English.".into(),
        }
    }
}

impl BotSettings {
    /// Whether `language` names English, by name or code in any case
    /// ("english", "English", "en"): the English-only reply to messages
    /// in another language is given only then.
    pub fn is_english(&self) -> bool {
        matches!(
            self.language.to_ascii_lowercase().as_str(),
            "english" | "en"
        )
    }
}

impl BotSettings {
    /// The default `fallback` text.
    pub(crate) const DEFAULT_FALLBACK: &str = "Sorry, I don't know the answer to that.";
}

impl Default for BotSettings {
    fn default() -> Self {
        BotSettings {
            name: "faqbot".into(),
            greeting: "Hi! Ask me a question.".into(),
            fallback: BotSettings::DEFAULT_FALLBACK.into(),
            clarify: "Did you mean one of these?".into(),
            handoff: "A member of our support team can help you further.".into(),
            threshold: 0.65,
            margin: 0.03,
            max_fallbacks: 2,
            popular_topics: 3,
            language: "english".into(),
            synonyms: Vec::new(),
            common_synonyms: false,
            texts: UiTexts::default(),
            semantic_model: None,
        }
    }
}

/// A map from intent id to its definition, in id order; a convenience for tools.
pub type IntentMap = BTreeMap<String, IntentDef>;

#[cfg(test)]
mod tests {
    use super::BotSettings;

    /// Every spelling the load accepts for English gives the English-only
    /// reply (review of session 21: "en" and "English" did not).
    #[test]
    fn english_by_name_or_code_in_any_case() {
        for (language, english) in [
            ("english", true),
            ("English", true),
            ("EN", true),
            ("en", true),
            ("german", false),
            ("de", false),
        ] {
            let s = BotSettings {
                language: language.to_string(),
                ..BotSettings::default()
            };
            assert_eq!(s.is_english(), english, "{language}");
        }
    }
}
