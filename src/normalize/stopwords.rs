//! Step 5: stop-word classification.

/// English function words, plus filler words of support requests ("want",
/// "need", "possible", "else") and chat interjections ("lol", "haha",
/// "pls", "omg", "hmm") that say nothing about the topic: an example
/// "close my account pls lol" must not teach that "lol" means closing an
/// account. Negations
/// ("not", "no") are deliberately absent: they change what is asked.
const ENGLISH: &[&str] = &[
    "a",
    "able",
    "about",
    "all",
    "already",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anything",
    "are",
    "as",
    "at",
    "be",
    "been",
    "btw",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "else",
    "even",
    "ever",
    "for",
    "from",
    "get",
    "got",
    "had",
    "haha",
    "hahaha",
    "has",
    "have",
    "he",
    "hehe",
    "her",
    "here",
    "herself",
    "him",
    "himself",
    "his",
    "hmm",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "know",
    "let",
    "like",
    "lmao",
    "lol",
    "me",
    "might",
    "more",
    "most",
    "my",
    "myself",
    "need",
    "of",
    "omg",
    "on",
    "or",
    "other",
    "our",
    "ourselves",
    "own",
    "please",
    "pls",
    "plz",
    "possible",
    "quite",
    "really",
    "rofl",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "something",
    "still",
    "such",
    "tell",
    "than",
    "that",
    "the",
    "their",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "to",
    "too",
    "uh",
    "um",
    "umm",
    "us",
    "very",
    "want",
    "was",
    "way",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "will",
    "with",
    "would",
    "xd",
    "you",
    "your",
    "yourself",
];

/// The stop words of one language (empty for languages without a list).
pub struct StopWords {
    words: &'static [&'static str],
}

impl StopWords {
    /// The list for a language name; only English has one so far.
    pub fn new(language: &str) -> Self {
        let words = match language.to_ascii_lowercase().as_str() {
            "english" | "en" => ENGLISH,
            _ => &[],
        };
        StopWords { words }
    }

    /// Whether a folded word is a stop word.
    pub fn contains(&self, word: &str) -> bool {
        self.words.binary_search(&word).is_ok()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(super::ENGLISH.windows(2).all(|w| w[0] < w[1]));
    }
}
