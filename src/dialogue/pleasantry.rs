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

/// Per kind of pleasantry, in order, its compiled patterns.
type PatternSet = Vec<(Pleasantry, Vec<Regex>)>;

/// Per small-talk intent of [`SMALLTALK_RON`] its kind of pleasantry and its
/// patterns, case-insensitive. Empty if the file did not parse, which the
/// test of `import::smalltalk` rules out.
static PATTERNS: LazyLock<PatternSet> = LazyLock::new(|| {
    pattern_sources()
        .into_iter()
        .map(|(kind, sources)| {
            let res = sources
                .iter()
                .filter_map(|p| RegexBuilder::new(p).case_insensitive(true).build().ok())
                .collect();
            (kind, res)
        })
        .collect()
});

/// [`PATTERNS`] for plain text (ASCII without a capital letter, as folding
/// leaves ASCII input): compiled without Unicode and case-insensitivity,
/// which is two fifths of the set-up. On such text each pattern matches as
/// its Unicode, case-insensitive self does (the classes `\s`, `\w`, `\b`
/// agree on ASCII, and a pattern's small letters meet only small letters;
/// a test compares the two sets). `None` unless every pattern is ASCII
/// without a capital letter and compiles so.
static PLAIN_PATTERNS: LazyLock<Option<PatternSet>> = LazyLock::new(|| {
    pattern_sources()
        .into_iter()
        .map(|(kind, sources)| {
            let res = sources.iter().map(|p| {
                let lower = p.is_ascii() && !unescaped(p).any(|b| b.is_ascii_uppercase());
                let re = RegexBuilder::new(p).unicode(false).build().ok();
                re.filter(|_| lower)
            });
            Some((kind, res.collect::<Option<Vec<Regex>>>()?))
        })
        .collect()
});

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
        r"|\b(real|live)\s+(person|human|agent)\b|^\s*(a\s+)?(human|agent|operator|representative)(\s+please)?\s*$",
        r"|^\s*(contact\s+|call\s+)?customer\s+(service|support|care)(\s+please)?\s*$",
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
    !more_words_than(text, MAX_HANDOFF_WORDS)
        && person_words::asks(folded).unwrap_or_else(|| ASKS_FOR_PERSON.is_match(folded))
}

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
fn pleasantry_in(patterns: &[(Pleasantry, Vec<Regex>)], folded: &str) -> Option<Pleasantry> {
    patterns
        .iter()
        .find(|(_, res)| res.iter().any(|re| re.is_match(folded)))
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
mod tests {
    use super::*;

    #[test]
    fn greetings_thanks_and_goodbyes_are_recognised_and_questions_are_not() {
        assert_eq!(of("Hello!"), Some(Pleasantry::Greeting));
        assert_eq!(of("good morning"), Some(Pleasantry::Greeting));
        assert_eq!(of("thanks a lot"), Some(Pleasantry::Thanks));
        assert_eq!(of("thnx"), Some(Pleasantry::Thanks));
        assert_eq!(of("ok thanx"), Some(Pleasantry::Thanks));
        assert_eq!(of("Bye"), Some(Pleasantry::Goodbye));
        assert_eq!(of("hello, is there parking?"), None);
        assert_eq!(
            of("see you tomorrow, and is the pool open on sundays too"),
            None
        );
        assert_eq!(of("what are your opening hours"), None);
        // The other languages faqbot has texts for (data/texts/).
        assert_eq!(of("Danke schön!"), Some(Pleasantry::Thanks));
        assert_eq!(of("Muchas gracias"), Some(Pleasantry::Thanks));
        assert_eq!(of("Tschüss"), Some(Pleasantry::Goodbye));
        assert_eq!(of("Tot ziens!"), Some(Pleasantry::Goodbye));
        assert_eq!(of("Bonjour"), Some(Pleasantry::Greeting));
        assert_eq!(of("Danke, wie lade ich mein Auto?"), None);
    }

    #[test]
    fn plain_text_meets_the_plain_patterns_as_the_unicode_ones() {
        let plain = PLAIN_PATTERNS
            .as_ref()
            .expect("every pattern compiles plain");
        let shape = |p: &[(Pleasantry, Vec<Regex>)]| -> Vec<(Pleasantry, usize)> {
            p.iter().map(|(k, res)| (*k, res.len())).collect()
        };
        assert_eq!(shape(plain), shape(&PATTERNS));
        assert_eq!(plain.iter().map(|(_, r)| r.len()).sum::<usize>(), 12);
        // The patterns' own words, and a few others.
        let mut vocab: Vec<String> = pattern_sources()
            .iter()
            .flat_map(|(_, ps)| ps.iter())
            .flat_map(|p| p.split(|c: char| !c.is_ascii_lowercase()))
            .filter(|w| w.len() > 1 || *w == "i" || *w == "a")
            .map(str::to_string)
            .collect();
        vocab.sort();
        vocab.dedup();
        vocab.extend(
            ["so", "much", "card", "_url_", "12", "okthanks", "goodnight"].map(String::from),
        );
        let mut rng = crate::testing::XorShift(0x2545_F491_4F6C_DD1D);
        let mut next = || rng.next();
        let mut found = 0;
        for _ in 0..100_000 {
            let n = next() % 6;
            let text = (0..n)
                .map(|_| vocab[(next() % vocab.len() as u64) as usize].as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let want = pleasantry_in(&PATTERNS, &text);
            assert_eq!(pleasantry_in(plain, &text), want, "{text:?}");
            found += usize::from(want.is_some());
        }
        assert!(found > 1000, "{found}");
        assert_eq!(unescaped(r"a\S\\B").collect::<Vec<_>>(), b"aB");
    }

    #[test]
    fn only_the_listed_emoji_say_thanks() {
        for text in ["👍", "🙏🏽", "❤️", "👍 👍", "😊", "☺️", "🙂"] {
            assert!(is_thanks_emoji(text), "{text}");
        }
        for text in ["😀", "😀😀😀", "😃", "😄", "😂", "😢", "👍😡", "👍 ok", ""]
        {
            assert!(!is_thanks_emoji(text), "{text}");
        }
    }

    #[test]
    fn requests_for_a_person_are_recognised() {
        assert!(asks_for_person("I want to talk to a human"));
        assert!(asks_for_person("can I speak to someone please"));
        assert!(asks_for_person("real person please"));
        assert!(asks_for_person("Agent!"));
        assert!(asks_for_person("customer service please"));
        // Questions that name customer service are questions.
        assert!(!asks_for_person(
            "how do i contact customer support about a transfer"
        ));
        assert!(!asks_for_person("can my son join the beginners class"));
        assert!(!asks_for_person(
            "do you have a human resources department in the building or only the shop floor staff"
        ));
    }

    /// `may_greet` is true wherever the greeting regex matches.
    #[test]
    fn may_greet_wherever_the_regex_matches() {
        let pieces = [
            "hi",
            "Hello",
            "HEY",
            "hiya",
            "heYa",
            "howdy",
            "hallo",
            "greetings",
            "greetingſ",
            "GOOD",
            "good",
            "morning",
            "day",
            "there",
            "bot",
            " ",
            "  ",
            "\t",
            "\u{a0}",
            "\u{2003}",
            ",",
            "!",
            ".",
            ":",
            ";",
            "-",
            "'",
            "é",
            "1",
            "x",
            "h",
            "i",
            "ſ",
            "K",
            "_",
            "\u{301}",
            "how",
            "do",
            "i",
            "reset",
            "my",
            "pin",
            "?",
            "😀",
        ];
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut matched = 0;
        for _ in 0..100_000 {
            let n = rng.next() % 7;
            let text: String = (0..n)
                .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
                .collect();
            let m = GREETING_PREFIX.is_match(&text);
            assert!(may_greet(&text) || !m, "{text:?}");
            matched += usize::from(m);
        }
        assert!(matched > 1000, "{matched}");
        for text in [
            "how do i reset my pin",
            "history",
            "hi5 there",
            "",
            " ",
            "¡hola",
        ] {
            assert!(!may_greet(text), "{text:?}");
        }
    }

    #[test]
    fn a_leading_greeting_is_cut_from_the_question() {
        assert_eq!(
            after_greeting("hi there, do you have parking?"),
            Some("do you have parking?")
        );
        assert_eq!(
            after_greeting("Hey is there parking"),
            Some("is there parking")
        );
        assert_eq!(
            after_greeting("Good morning! Can my son join?"),
            Some("Can my son join?")
        );
        assert_eq!(after_greeting("hello!"), None);
        assert_eq!(after_greeting("Hi there"), None);
        assert_eq!(after_greeting("hey tehre"), None);
        assert_eq!(after_greeting("hello everyone"), None);
        assert_eq!(after_greeting("hi there :)"), None);
        assert_eq!(after_greeting("hi-fi speakers in the car"), None);
        assert_eq!(after_greeting("history of payments"), None);
        assert_eq!(after_greeting("how do i say good morning in italian"), None);
    }
}
