//! Greetings, thanks and goodbyes that no small-talk intent answers.
//!
//! A knowledge base imported from a spreadsheet has no small-talk intents
//! unless `faqbot import --small-talk` wrote them (they cost answered
//! questions on ten-row sheets, see docs/authoring.md). Without them
//! "hello" used to get "Sorry, I don't know the answer to that" and count
//! towards the handoff: "hello" and one unanswered question handed the
//! customer to a human. Now a message that would fall back, and that the
//! patterns of the bundled small talk ([`SMALLTALK_RON`], the file
//! `--small-talk` writes) recognise as a whole as a kind of pleasantry
//! that no small-talk intent of the knowledge base answers, gets the
//! bot's own texts: its `greeting` with the popular topics for a
//! greeting, `texts.welcome` for thanks, `texts.farewell` for a goodbye.
//! Each kind counts on its own: a knowledge base with `greeting` and
//! `thanks` intents but no goodbye still gets the farewell for "bye"
//! (a library trial: "bye" was a fallback there, and "goodbye" next the
//! handoff). An intent answers a kind when its id is `greeting`,
//! `thanks` or `goodbye`, or its title or an example is such a
//! pleasantry. It is no FAQ answer, no miss and no fallback towards the
//! handoff. Likewise, in a knowledge base without a handoff intent, a
//! request for a person ([`asks_for_person`]) gets `bot.ron`'s `handoff`
//! text at once instead of a fallback. A greeting before a question is
//! cut off before the question is ranked ([`after_greeting`]). A message
//! that would fall back, and that the patterns recognise as a kind that a
//! small-talk intent *does* answer, gets that intent's answer: the bundled
//! patterns know greetings, thanks and goodbyes in German, French,
//! Spanish, Italian, Portuguese and Dutch ("Danke", "Tschüss"), which an
//! English small talk's own patterns do not (`faqbot import` writes the
//! bot's texts in those languages, `crate::import::translations`).

mod acknowledgement;
mod closing;
mod person_words;
pub mod words;

pub use acknowledgement::after_acknowledgement;
pub use closing::{closing, Closing};

use crate::kb::KnowledgeBase;
use crate::schema::IntentKind;
use regex::{Regex, RegexBuilder};
use std::sync::LazyLock;

/// Emoji that say thanks or "fine" in a chat (👍 🙏 👌 👏 🤝 ❤️ 💙 💚 😊 ☺️
/// 🙂): a message of only these, with any skin tone or presentation
/// selector, is read as "thanks" (a widget user's 👍 after an answer got
/// "Sorry, I don't have an answer for that"). Other faces (😀 😂 😢) are
/// not: a message of them gets the reply to any emoji-only message (a
/// user trial: 😀 as the first message got "You're welcome!").
pub const THANKS_EMOJI: &[char] = &[
    '\u{1f44d}',
    '\u{1f64f}',
    '\u{1f44c}',
    '\u{1f44f}',
    '\u{1f91d}',
    '\u{2764}',
    '\u{1f499}',
    '\u{1f49a}',
    '\u{1f60a}',
    '\u{263a}',
    '\u{1f642}',
];

/// Whether `text` is only [`THANKS_EMOJI`] (at least one), blanks, skin
/// tones (U+1F3FB..=U+1F3FF) and emoji presentation selectors.
pub(crate) fn is_thanks_emoji(text: &str) -> bool {
    let mut any = false;
    for c in text.chars() {
        if THANKS_EMOJI.contains(&c) {
            any = true;
        } else if !(c.is_whitespace()
            || matches!(c, '\u{fe0f}' | '\u{200d}' | '\u{1f3fb}'..='\u{1f3ff}'))
        {
            return false;
        }
    }
    any
}

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

impl Pleasantry {
    /// The pleasantry a small-talk intent with this id answers: the ids of
    /// the small talk `faqbot init` writes and `data/smalltalk.ron` holds
    /// (`greeting`, `thanks`, `goodbye`); `None` for any other id.
    fn of_id(id: &str) -> Option<Self> {
        match id {
            "greeting" => Some(Pleasantry::Greeting),
            "thanks" => Some(Pleasantry::Thanks),
            "goodbye" => Some(Pleasantry::Goodbye),
            _ => None,
        }
    }
}

/// Per kind of pleasantry, in order, its patterns compiled as one regex.
type PatternSet = Vec<(Pleasantry, Regex)>;

/// Per small-talk intent of [`SMALLTALK_RON`] its kind of pleasantry and its
/// patterns as one case-insensitive regex ([`either`]). Empty if the file
/// did not parse, which the test of `import::smalltalk` rules out.
static PATTERNS: LazyLock<PatternSet> = LazyLock::new(|| {
    pattern_sources()
        .into_iter()
        .map(|(kind, sources)| {
            let build = |p: &str| RegexBuilder::new(p).case_insensitive(true).build();
            let re = build(&either(&sources)).unwrap_or_else(|_| {
                // Without the patterns that do not compile on their own
                // (none do: a test compiles each).
                let valid: Vec<String> = sources.into_iter().filter(|p| build(p).is_ok()).collect();
                build(&either(&valid)).expect("patterns that compile, joined")
            });
            (kind, re)
        })
        .collect()
});

/// [`PATTERNS`] for plain text (ASCII without a capital letter, as folding
/// leaves ASCII input): compiled without Unicode and case-insensitivity,
/// which is two fifths of the set-up. On such text each pattern matches as
/// its Unicode, case-insensitive self does (the classes `\s`, `\w`, `\b`
/// agree on ASCII, and a pattern's small letters meet only small letters;
/// a test compares the two sets). `None` unless every pattern is ASCII
/// without a capital letter and the kind's patterns compile so.
static PLAIN_PATTERNS: LazyLock<Option<PatternSet>> = LazyLock::new(|| {
    pattern_sources()
        .into_iter()
        .map(|(kind, sources)| {
            let lower = sources
                .iter()
                .all(|p| p.is_ascii() && !unescaped(p).any(|b| b.is_ascii_uppercase()));
            let re = RegexBuilder::new(&either(&sources))
                .unicode(false)
                .build()
                .ok();
            Some((kind, re.filter(|_| lower)?))
        })
        .collect()
});

/// One pattern that matches where one of `patterns` does: each in a group
/// of its own (which also keeps a flag it sets to itself), joined by `|`.
/// One regex a kind instead of one a pattern is a quarter of the set-up
/// (12 patterns, 3 kinds), and a message is searched three times at most.
fn either(patterns: &[String]) -> String {
    let groups: Vec<String> = patterns.iter().map(|p| format!("(?:{p})")).collect();
    groups.join("|")
}

/// The bytes of a pattern that no backslash escapes (`\S` and `\W` are no
/// capital letters), without the backslashes.
fn unescaped(p: &str) -> impl Iterator<Item = u8> + '_ {
    let mut escaped = false;
    p.bytes().filter(move |&b| {
        let keep = !escaped && b != b'\\';
        escaped = !escaped && b == b'\\';
        keep
    })
}

/// Per small-talk intent of [`SMALLTALK_RON`] its kind and its patterns'
/// sources.
fn pattern_sources() -> Vec<(Pleasantry, Vec<String>)> {
    let defs: Vec<crate::schema::IntentDef> = crate::kb::ron_options()
        .from_str(SMALLTALK_RON)
        .unwrap_or_default();
    defs.into_iter()
        .filter_map(|d| Some((Pleasantry::of_id(&d.id)?, d.patterns)))
        .collect()
}

/// A greeting at the start of a message, before the question: "hi",
/// "hello there", "hey team", "good morning", then at least one space or
/// punctuation mark (not a hyphen: "hi-fi").
static GREETING_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(
        r"^\s*(?:hi|hello|hey|hiya|heya|howdy|hallo|greetings|good\s+(?:morning|afternoon|evening|day))(?:\s+(?:there|bot|again|all|everyone|team|guys|folks))?[\s,.!:;]+",
    )
    .case_insensitive(true)
    .build()
    .expect("a valid pattern")
});

/// The question after a leading greeting ("hi there, do you have
/// parking" → "do you have parking"), when at least two words, one with
/// a letter, follow it; `None` when `text` does not start with a greeting or is
/// only one (as [`of`] reads it: "hi there"). The policy ranks this rest, so that "hi" neither pulls the
/// question towards a greeting intent (whose examples are "hi", "hello")
/// nor dilutes the question's own words.
pub fn after_greeting(text: &str) -> Option<&str> {
    if !may_greet(text) {
        return None;
    }
    let m = GREETING_PREFIX.find(text)?;
    if of(text).is_some() {
        // "hi there", "hello everyone": a greeting as a whole.
        return None;
    }
    let rest = text[m.end()..].trim();
    // One word after a greeting is more often a typo of its continuation
    // ("hey tehre") than a question.
    (rest.chars().any(char::is_alphabetic) && rest.split_whitespace().nth(1).is_some())
        .then_some(rest)
}

/// The words [`GREETING_PREFIX`] starts with.
const GREETING_WORDS: [&str; 9] = [
    "hi",
    "hello",
    "hey",
    "hiya",
    "heya",
    "howdy",
    "hallo",
    "greetings",
    "good",
];

/// Whether [`GREETING_PREFIX`] can match `text`: not when its first word
/// (the alphanumeric characters after the leading whitespace) is ASCII
/// and, ASCII case aside, none of [`GREETING_WORDS`]. A match covers the
/// whitespace, then a greeting word, whose letters are alphanumeric (and
/// ASCII ones where the text is ASCII), then whitespace or punctuation:
/// that word is the first word. Nearly every question is turned away here
/// without running the regex (or compiling it).
fn may_greet(text: &str) -> bool {
    let t = text.trim_start();
    let word = &t[..t.find(|c: char| !c.is_alphanumeric()).unwrap_or(t.len())];
    !word.is_ascii() || GREETING_WORDS.iter().any(|g| g.eq_ignore_ascii_case(word))
}

/// A request for a person: "talk to a human", "can I speak to someone",
/// "real person please", "customer service" as a whole message (the bundled MINI
/// knowledge base's handoff patterns, `intents/smalltalk.ron`, without its
/// product name).
static ASKS_FOR_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(concat!(
        r"\b(talk|speak|chat)\w*\s+(to|with)\s+(a\s+|an\s+|the\s+|your\s+|some\s+)?(real\s+|live\s+)?",
        r"(human|person|agent|some\s*one|somebody|operator|representative|rep|employee|staff|support)\b",
        r"|\b(real|live)\s+(person|human|agent)\b|^\s*(a\s+)?(human|agent|operator|representative)(\s+(please|pls|plz))?\s*$",
        r"|^\s*(contact\s+|call\s+)?customer\s+(service|support|care)(\s+(please|pls|plz))?\s*$",
    ))
    .case_insensitive(true)
    .build()
    .expect("a valid pattern")
});

/// Longest message, in words, read as a request for a person: longer ones
/// are questions that mention one ("can a real person check my bike
/// before the race next week").
pub const MAX_HANDOFF_WORDS: usize = 12;

/// Whether `text` asks for a person (at most [`MAX_HANDOFF_WORDS`] words).
/// The policy gives a knowledge base without a handoff intent `bot.ron`'s
/// `handoff` text for it, at once, not at the `max_fallbacks`-th miss in a row.
pub fn asks_for_person(text: &str) -> bool {
    asks_for_person_folded(text, &crate::normalize::fold_text(text))
}

/// [`asks_for_person`] with `folded`, `text` already folded
/// ([`crate::normalize::fold_text`], as the analysis of `text` holds it):
/// the policy does not fold the question a second time.
pub fn asks_for_person_folded(text: &str, folded: &str) -> bool {
    // The word test of plain folded text first: nearly every message is
    // no request for a person, and the word count is then not needed
    // (both tests only read their text, so the order changes no answer).
    match person_words::asks(folded) {
        Some(false) => false,
        Some(true) => !more_words_than(text, MAX_HANDOFF_WORDS),
        None => !more_words_than(text, MAX_HANDOFF_WORDS) && ASKS_FOR_PERSON.is_match(folded),
    }
}

/// A request for the business's contact details: "what's your phone
/// number", "email address?", "how can I contact you", "can i ring you",
/// "contact details please" (matched on the folded text: "what's" is
/// "what is", "e-mail" is "e mail"; "how can I get in touch" as the whole
/// ending, trial 53). "My phone number" is not one (a
/// customer's own details), nor a street address (a location row
/// answers those).
static ASKS_FOR_CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(concat!(
        r"\b(your|ur|shop\s*s?|office\s*s?|clinic\s*s?|business\s*s?)\s+",
        r"(phone|telephone|tel|mobile|contact|whatsapp|landline|office|shop)?\s*(number|nr|num)\b",
        r"|\b(the|a)\s+(phone|telephone|tel|mobile|contact|whatsapp|landline|office|shop)\s*(number|no|nr|num)\b",
        r"|\bthe\s+number\s*$",
        r"|\b(your|ur|the)\s+(e\s?mail|email)(\s+address)?\b",
        r"|\b(contact|phone|telephone)\s+(details|info|information|number|no)\b",
        r"|\b(how|where)\s+(can|do|could|should|would)\s+(i|we)\s+(contact|reach|call|ring|phone|e\s?mail|email|get\s+in\s+touch\s+with|get\s+hold\s+of)\s+(you|u|someone|somebody|anyone|the\s+\w+)\b",
        r"|\b(how|where)\s+(can|do|could|should|would)\s+(i|we)\s+get\s+in\s+touch\s*$",
        r"|\b(can|could|may)\s+(i|we)\s+(call|ring|phone|e\s?mail|email)\s+(you|u)\b",
        r"|^\s*(contact|phone|telephone|number|e\s?mail|email)(\s+(number|address|details|please))?\s*$",
    ))
    .case_insensitive(true)
    .build()
    .expect("a valid pattern")
});

/// Whether the folded `text` (at most [`MAX_HANDOFF_WORDS`] words) asks
/// for the business's contact details (see `ASKS_FOR_CONTACT`). A knowledge
/// base without a handoff intent gives a fallback such a message `bot.ron`'s
/// `handoff` text, which is how to reach the team (`faqbot import` puts the
/// phone number or e-mail address it finds in the sheet's answers there):
/// trial 45, "whats the phone number" fell back although the handoff text
/// had the number. An FAQ entry that answers the message wins, and a
/// handoff text without contact details
/// ([`crate::normalize::contact::gives_contact`]) is not given.
pub fn asks_for_contact_folded(text: &str, folded: &str) -> bool {
    !more_words_than(text, MAX_HANDOFF_WORDS)
        && ASKS_FOR_CONTACT.is_match(folded)
        && !OWN_CONTACT.is_match(folded)
}

/// The customer's own contact details ("my phone number has changed"):
/// not a request for the business's.
static OWN_CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(
        r"\b(my|our|mine)\s+(phone|telephone|tel|mobile|contact|whatsapp|landline|e\s?mail|email|number)\b",
    )
    .case_insensitive(true)
    .build()
    .expect("a valid pattern")
});

/// Whether `text` has more than `n` words (runs of non-whitespace):
/// `text.split_whitespace().nth(n).is_some()`, byte by byte for ASCII.
fn more_words_than(text: &str, n: usize) -> bool {
    if !text.is_ascii() {
        return text.split_whitespace().nth(n).is_some();
    }
    // ASCII whitespace as `char::is_whitespace` has it (with the vertical
    // tab, which `u8::is_ascii_whitespace` leaves out).
    let space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    let mut words = 0;
    let mut prev_space = true;
    for &b in text.as_bytes() {
        let is_space = space(b);
        if prev_space && !is_space {
            words += 1;
            if words > n {
                return true;
            }
        }
        prev_space = is_space;
    }
    false
}

/// The pleasantry `text` is (matched after folding, as patterns are), if
/// any: a whole message the bundled patterns recognise (at most
/// [`MAX_WORDS`] words), or one of only thanks or goodbye words with
/// politeness around them ([`words::of_words`], at most
/// [`words::MAX_WORDS`]).
pub fn of(text: &str) -> Option<Pleasantry> {
    if text.split_whitespace().nth(words::MAX_WORDS).is_some() {
        return None;
    }
    of_folded(text, &crate::normalize::fold_text(text))
}

/// [`of`] with `folded`, `text` already folded
/// ([`crate::normalize::fold_text`], as the analysis of `text` holds it).
pub fn of_folded(text: &str, folded: &str) -> Option<Pleasantry> {
    let folded = folded.trim_end_matches(['!', '.', '?', ' ']);
    if text.split_whitespace().nth(MAX_WORDS).is_some() {
        return words::of_words(folded);
    }
    let plain = !folded
        .bytes()
        .any(|b| !b.is_ascii() || b.is_ascii_uppercase());
    // Each set is compiled only when a text needs it.
    let plain_set = if plain {
        PLAIN_PATTERNS.as_deref()
    } else {
        None
    };
    match plain_set {
        Some(patterns) => pleasantry_in(patterns, folded),
        None => pleasantry_in(&PATTERNS, folded),
    }
    .or_else(|| words::of_words(folded))
}

/// The kind of the first of `patterns` that matches `folded`.
fn pleasantry_in(patterns: &[(Pleasantry, Regex)], folded: &str) -> Option<Pleasantry> {
    patterns
        .iter()
        .find(|(_, re)| re.is_match(folded))
        .map(|(kind, _)| *kind)
}

/// Which pleasantries a knowledge base's small-talk intents answer, and
/// whether it has a handoff intent: the policy answers the others itself
/// (this module). Computed once per engine.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Kinds {
    /// Greeting, thanks, goodbye (in [`Pleasantry`]'s order):
    /// whether some small-talk intent answers it.
    pub pleasantries: [bool; 3],
    /// Per kind, the small-talk intent (an index into `kb.intents`) that
    /// answers it: the one with the kind's id, else the first whose title
    /// or an example is such a pleasantry.
    pub intents: [Option<usize>; 3],
    pub handoff: bool,
}

impl Kinds {
    /// A small-talk intent answers a pleasantry when its id is that of the
    /// small talk `faqbot init` writes (`greeting`, `thanks`, `goodbye`) or
    /// one of its examples or its title is that pleasantry
    /// ([`of`]): a knowledge base with a greeting and thanks
    /// but no goodbye still gets the built-in farewell for "bye".
    pub fn of(kb: &KnowledgeBase) -> Self {
        let mut pleasantries = [false; 3];
        let mut intents = [None; 3];
        let small_talk = kb
            .intents
            .iter()
            .enumerate()
            .filter(|(_, i)| i.kind == IntentKind::SmallTalk);
        for (k, i) in small_talk {
            let by_id = Pleasantry::of_id(&i.id);
            if let Some(p) = by_id {
                intents[p as usize] = Some(k);
            }
            let texts = std::iter::once(&i.title).chain(&i.examples);
            for p in by_id.into_iter().chain(texts.filter_map(|t| of(t))) {
                pleasantries[p as usize] = true;
                intents[p as usize].get_or_insert(k);
            }
        }
        Kinds {
            pleasantries,
            intents,
            handoff: kb.intents.iter().any(|i| i.kind == IntentKind::Handoff),
        }
    }

    /// The small-talk intent that answers `p`, if any.
    pub fn intent(&self, p: Pleasantry) -> Option<usize> {
        self.intents[p as usize]
    }

    /// Whether some small-talk intent answers `p`.
    pub fn answers(&self, p: Pleasantry) -> bool {
        self.pleasantries[p as usize]
    }
}

#[cfg(test)]
mod tests;
