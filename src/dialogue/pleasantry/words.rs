//! A whole message of thanks and goodbye words with politeness around
//! them ("ok great thanks", "perfect, thanks for your help", "thank you
//! very much for your help", "cheers mate, bye"), which the bundled
//! patterns ([`super::SMALLTALK_RON`]) do not list one by one. A user
//! trial (a self-storage sheet imported without small talk): such
//! closings got "Sorry, I don't know the answer to that.", and "ok great
//! thanks" after one miss handed the customer off; with small talk, "ok
//! thanks" got an FAQ answer with "ok" in an example.
//!
//! Read on folded text (lower case, contractions expanded, punctuation a
//! word boundary): every word must be one of [`THANKS`], [`GOODBYE`] or
//! [`AROUND`], at least one of the first two, and the message at most
//! [`MAX_WORDS`] words. A goodbye word makes it a goodbye ("thanks, bye"
//! ends the conversation), else it is thanks. A word outside the lists
//! ("thanks, how do I cancel") makes it a question, read as usual.

use super::Pleasantry;

/// Most words of such a message ("thank you very much for all your
/// help" is 8).
pub const MAX_WORDS: usize = 10;

/// Words that say thanks (folded), also in the languages `faqbot import`
/// writes texts for.
pub const THANKS: &[&str] = &[
    "appreciate",
    "appreciated",
    "bedankt",
    "cheers",
    "danke",
    "gracias",
    "grazie",
    "merci",
    "obrigada",
    "obrigado",
    "ta",
    "thank",
    "thankful",
    "thanks",
    "thankyou",
    "thanx",
    "thnx",
    "thx",
    "ty",
    "tysm",
];

/// Words that say goodbye (folded).
pub const GOODBYE: &[&str] = &[
    "adios", "bye", "byebye", "ciao", "cya", "farewell", "goodbye", "tschuss",
];

/// Words of politeness and approval that may surround them: "ok", "great",
/// "so much", "for your help", "that was helpful", "have a nice day", "see
/// you later". No word that names a topic ("help" names none alone: "help"
/// is no thanks, the list needs a thanks word too). Sorted.
pub const AROUND: &[&str] = &[
    "a",
    "again",
    "ah",
    "all",
    "alright",
    "amazing",
    "and",
    "answer",
    "answers",
    "awesome",
    "brilliant",
    "buddy",
    "bunch",
    "clear",
    "cool",
    "day",
    "evening",
    "everything",
    "excellent",
    "fab",
    "fantastic",
    "fine",
    "for",
    "good",
    "got",
    "great",
    "guys",
    "have",
    "help",
    "helped",
    "helpful",
    "helping",
    "helps",
    "i",
    "info",
    "information",
    "is",
    "it",
    "just",
    "k",
    "kind",
    "kk",
    "later",
    "lot",
    "lovely",
    "man",
    "many",
    "mate",
    "much",
    "nice",
    "now",
    "of",
    "oh",
    "ok",
    "okay",
    "perfect",
    "really",
    "right",
    "see",
    "so",
    "soon",
    "sorted",
    "super",
    "that",
    "the",
    "then",
    "this",
    "too",
    "understood",
    "very",
    "was",
    "we",
    "week",
    "weekend",
    "well",
    "wonderful",
    "wow",
    "you",
    "your",
];

/// Which of the three lists a word is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum List {
    Thanks,
    Goodbye,
    Around,
}

/// The list `w` is on, if any: one look-up in a map of the three lists'
/// words (they are disjoint, a test checks), made on first use. A hash
/// look-up rather than a binary search of the merged lists: most
/// questions are turned away at their first or second word, each of
/// which a binary search compared with about seven of the lists' words.
fn list_of(w: &str) -> Option<List> {
    static ALL: std::sync::OnceLock<rustc_hash::FxHashMap<&str, List>> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| {
        [
            (THANKS, List::Thanks),
            (GOODBYE, List::Goodbye),
            (AROUND, List::Around),
        ]
        .iter()
        .flat_map(|&(words, list)| words.iter().map(move |&w| (w, list)))
        .collect()
    });
    all.get(w).copied()
}

/// Whether `folded` is only words of approval and politeness
/// ([`AROUND`]: "ok", "great", "perfect", "ok cool"), without a thanks
/// or goodbye word: an acknowledgement, not thanks. The bundled thanks
/// patterns take "ok" for thanks, and "ok" after a fallback or a
/// greeting got "You're welcome!" (trials 48 and 49).
pub fn only_approval(folded: &str) -> bool {
    let mut n = 0;
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        n += 1;
        if n > MAX_WORDS || list_of(w) != Some(List::Around) {
            return false;
        }
    }
    n > 0
}

/// The pleasantry `folded` is as a bag of the words above, if any.
pub fn of_words(folded: &str) -> Option<Pleasantry> {
    let (mut thanks, mut goodbye, mut n) = (false, false, 0);
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        n += 1;
        if n > MAX_WORDS {
            return None;
        }
        match list_of(w)? {
            List::Thanks => thanks = true,
            List::Goodbye => goodbye = true,
            List::Around => {}
        }
    }
    if goodbye {
        Some(Pleasantry::Goodbye)
    } else if thanks {
        Some(Pleasantry::Thanks)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::fold_text;

    #[test]
    fn approval_alone_is_no_thanks() {
        for t in ["ok", "Okay!", "ok great", "perfect"] {
            assert!(only_approval(&fold_text(t)), "{t}");
        }
        for t in ["ok thanks", "thank you", "ok bye", "ok how much is it", ""] {
            assert!(!only_approval(&fold_text(t)), "{t}");
        }
    }

    #[test]
    fn lists_are_sorted_folded_and_disjoint() {
        for list in [THANKS, GOODBYE, AROUND] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            assert!(list.iter().all(|w| fold_text(w) == *w), "{list:?}");
        }
        assert!(THANKS
            .iter()
            .all(|w| !GOODBYE.contains(w) && !AROUND.contains(w)));
        assert!(GOODBYE.iter().all(|w| !AROUND.contains(w)));
    }

    /// `list_of` finds each word on its own list, and no other word.
    #[test]
    fn list_of_is_the_three_searches() {
        let mut words: Vec<String> = [THANKS, GOODBYE, AROUND]
            .concat()
            .iter()
            .flat_map(|w| [w.to_string(), format!("{w}s"), w.chars().skip(1).collect()])
            .collect();
        words.extend(["", "a", "zzz", "how", "thanksgiving"].map(String::from));
        for w in &words {
            let w = w.as_str();
            let want = if THANKS.binary_search(&w).is_ok() {
                Some(List::Thanks)
            } else if GOODBYE.binary_search(&w).is_ok() {
                Some(List::Goodbye)
            } else if AROUND.binary_search(&w).is_ok() {
                Some(List::Around)
            } else {
                None
            };
            assert_eq!(list_of(w), want, "{w:?}");
        }
    }

    #[test]
    fn closings_with_politeness_around_them() {
        let of = |t: &str| of_words(&fold_text(t));
        for t in [
            "ok great thanks",
            "thanks ok",
            "That's ok, thanks",
            "thanks, that's great",
            "perfect, thanks for your help",
            "Thank you very much for your help!",
            "thanks for the info",
            "ta",
            "brilliant, cheers",
            "ok got it, thanks",
            "thank you, that helped a lot",
            "much appreciated",
            "many thanks, have a good day",
        ] {
            assert_eq!(of(t), Some(Pleasantry::Thanks), "{t}");
        }
        for t in [
            "ok bye",
            "cheers mate, bye",
            "thank you so much, bye",
            "thanks, bye, see you",
        ] {
            assert_eq!(of(t), Some(Pleasantry::Goodbye), "{t}");
        }
        for t in [
            "thanks, how do I cancel",
            "thanks for the parking info",
            "ok great",
            "help",
            "no thanks",
            "thank you for your help with my booking yesterday evening friend",
            "",
        ] {
            assert_eq!(of(t), None, "{t}");
        }
    }
}
