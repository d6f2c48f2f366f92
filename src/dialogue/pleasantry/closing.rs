//! Closing phrases: "never mind", "forget it", "exit", "end chat", "no
//! that's it". A customer who wants to stop was told how to delete their
//! account ("close"), got the answer before again ("never mind" read with
//! the question before it), or was handed off after "exit" and "quit" (a
//! user trial). In every knowledge base, whatever its small talk, such a
//! whole message is read as what it says: a goodbye or "never mind".
//!
//! Single words that can be real questions of some knowledge base are
//! left to the matcher: "cancel" (a gym's "how do I cancel my
//! membership"), "stop" (stop charging), "close" (closing times). "exit"
//! and "quit" are taken (nobody asks a question in one of them, and the
//! REPL already ends on them); an intent with such an example still
//! answers it (the policy checks for an exact example first).

/// What a closing phrase says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closing {
    /// The conversation is over: "exit", "quit", "end chat", "that's it".
    Goodbye,
    /// The question is dropped: "never mind", "forget it". Answered as a
    /// "no" is (`texts.declined`, or `texts.farewell` once the topic is
    /// closed).
    Declined,
}

/// Folded phrases (contractions expanded: "that's" is "that is") that end
/// the conversation.
pub const GOODBYE: &[&str] = &[
    "exit",
    "quit",
    "exit chat",
    "quit chat",
    "exit the chat",
    "quit the chat",
    "end chat",
    "end the chat",
    "end this chat",
    "close chat",
    "close the chat",
    "close this chat",
    "leave chat",
    "leave the chat",
    "stop chat",
    "stop the chat",
    "stop chatting",
    "end conversation",
    "end the conversation",
    "end this conversation",
    "close the conversation",
    "that is it",
    "that is all",
    "that will be all",
    "that would be all",
    "that is everything",
    "nothing else",
    "nothing more",
    "i am done",
    "i am finished",
    "all done",
    "we are done",
];

/// Folded phrases that drop the question.
pub const DECLINED: &[&str] = &[
    "never mind",
    "nevermind",
    "nvm",
    "forget it",
    "forget about it",
    "forget that",
    "it does not matter",
    "does not matter",
    "not important",
];

/// Words around a closing phrase that do not change it: "no, that's it",
/// "ok never mind", "forget it then", "that's it thanks".
const BEFORE: &[&str] = &[
    "no", "nope", "ok", "okay", "oh", "ah", "alright", "well", "so", "um",
];
const AFTER: &[&str] = &[
    "thanks",
    "thank you",
    "thx",
    "then",
    "please",
    "for now",
    "for today",
    "anyway",
    "bye",
    "goodbye",
];

/// The words of `text` as [`closing`] reads them: runs of letters, digits
/// and apostrophes.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
}

/// Every word of the phrase lists: a message with any other word is no
/// closing phrase, which nearly every question shows at its first words
/// without a copy (every turn asks, and the whole reading below costs
/// about 3 k instructions a line). Hashed with FxHash, as the matcher's
/// maps are (SipHash's protection against chosen keys is not needed for
/// a fixed set of our own words).
fn vocabulary() -> &'static rustc_hash::FxHashSet<&'static str> {
    static WORDS: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        [GOODBYE, DECLINED, BEFORE, AFTER]
            .iter()
            .flat_map(|list| list.iter().flat_map(|p| words(p)))
            .collect()
    })
}

/// The closing phrase `folded` (a message folded as the matcher folds it:
/// lower case, contractions expanded) is as a whole, if any.
pub fn closing(folded: &str) -> Option<Closing> {
    if folded.len() > 60 || words(folded).any(|w| !vocabulary().contains(w)) {
        return None;
    }
    whole(folded)
}

/// [`closing`] without the vocabulary's shortcut.
fn whole(folded: &str) -> Option<Closing> {
    let joined = words(folded).collect::<Vec<_>>().join(" ");
    // The words around are cut off the one copy, as slices.
    let mut text = joined.as_str();
    loop {
        let before = text.len();
        for w in BEFORE {
            if let Some(rest) = text.strip_prefix(w).and_then(|r| r.strip_prefix(' ')) {
                text = rest;
            }
        }
        for w in AFTER {
            if let Some(rest) = text.strip_suffix(w).and_then(|r| r.strip_suffix(' ')) {
                text = rest;
            }
        }
        if text.len() == before {
            break;
        }
    }
    if GOODBYE.contains(&text) {
        Some(Closing::Goodbye)
    } else if DECLINED.contains(&text) {
        Some(Closing::Declined)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::fold_text;

    fn of(text: &str) -> Option<Closing> {
        closing(&fold_text(text))
    }

    /// The vocabulary's shortcut changes no answer: random messages of
    /// the lists' words (and a few others) read the same with and without.
    #[test]
    fn the_vocabulary_shortcut_is_exact() {
        let mut pool: Vec<&str> = vocabulary().iter().copied().collect();
        pool.sort_unstable();
        pool.extend(["card", "pin", "the", "how", "it's", "x1"]);
        let reference = |t: &str| if t.len() > 60 { None } else { whole(t) };
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut found = 0;
        for _ in 0..20_000 {
            let n = 1 + (rng.next() % 5) as usize;
            let text: Vec<&str> = (0..n)
                .map(|_| pool[(rng.next() % pool.len() as u64) as usize])
                .collect();
            let text = text.join(if rng.next() % 2 == 0 { " " } else { ", " });
            assert_eq!(closing(&text), reference(&text), "{text:?}");
            found += usize::from(closing(&text).is_some());
        }
        // Every listed phrase, with and without words around it.
        for p in GOODBYE.iter().chain(DECLINED) {
            for t in [p.to_string(), format!("ok {p} thanks"), format!("{p} card")] {
                assert_eq!(closing(&t), reference(&t), "{t:?}");
            }
            assert!(closing(p).is_some(), "{p:?}");
        }
        assert!(found > 0, "the random messages include closing phrases");
    }

    #[test]
    fn closing_phrases_are_recognised_whole() {
        for text in [
            "Exit",
            "quit!",
            "End chat",
            "ok, end the chat please",
            "no that's it",
            "No, that’s it, thanks.",
            "that's all for now",
            "nothing else thanks",
        ] {
            assert_eq!(of(text), Some(Closing::Goodbye), "{text:?}");
        }
        for text in [
            "never mind",
            "Nevermind!",
            "nvm",
            "oh forget it then",
            "it doesn't matter",
            "no never mind thanks",
        ] {
            assert_eq!(of(text), Some(Closing::Declined), "{text:?}");
        }
    }

    #[test]
    fn questions_with_those_words_and_single_topic_words_are_not() {
        for text in [
            "how do I exit the app",
            "quit smoking tips",
            "the app says end chat",
            "never mind the PIN, how do I charge",
            "I forget it every time",
            "is that it for the warranty",
            "cancel",
            "stop",
            "close",
            "no",
            "end",
        ] {
            assert_eq!(of(text), None, "{text:?}");
        }
    }
}
