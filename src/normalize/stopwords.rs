//! Step 5: stop-word classification.

/// English function words. Negations ("not", "no") and question-bearing
/// content words are deliberately absent: they change what is asked.
const ENGLISH: &[&str] = &[
    "a", "about", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but",
    "by", "can", "could", "did", "do", "does", "for", "from", "get", "got", "had", "has", "have",
    "he", "her", "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just",
    "let", "me", "might", "my", "of", "on", "or", "our", "please", "shall", "she", "should", "so",
    "some", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to",
    "too", "us", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will",
    "with", "would", "you", "your",
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
