//! Step 5: stop-word classification.

/// English function words, plus filler words of support requests ("want",
/// "need", "possible", "else") that say nothing about the topic. Negations
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
    "has",
    "have",
    "he",
    "her",
    "here",
    "herself",
    "him",
    "himself",
    "his",
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
    "me",
    "might",
    "more",
    "most",
    "my",
    "myself",
    "need",
    "of",
    "on",
    "or",
    "other",
    "our",
    "ourselves",
    "own",
    "please",
    "possible",
    "quite",
    "really",
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
