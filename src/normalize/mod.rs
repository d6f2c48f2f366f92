//! Normalisation: the ordered steps that turn raw text into tokens.
//!
//! The same pipeline runs over authored examples, keywords, titles and user
//! input, so that both sides of every comparison are in the same form. The
//! steps, in order (see [`STEPS`]):
//!
//! 1. [`unicode::fold`]: Unicode NFKC, removal of control, zero-width and
//!    non-breaking characters, folding of curly quotes, dashes and accents
//!    (`é` → `e`, `ß` → `ss`), case folding.
//! 2. [`contractions::expand`]: `can't`, `cant`, `cannot` → `can not`,
//!    `I'm` → `i am`, possessive `'s` dropped; punctuation becomes a word
//!    boundary. The result is the *folded text* that patterns are matched on.
//! 3. [`synonyms`] from `bot.ron`: each entry of a group (a word, an
//!    inflected form of one, or a phrase) is read as the group's first entry.
//! 4. [`stem`]: a Snowball stemmer (`charging` → `charg`).
//! 5. [`stopwords`]: stop words are classified (`Token::stop`), not removed;
//!    the matcher gives them a small weight.
//!
//! Typo correction is not a normalisation step: it needs the knowledge
//! base's vocabulary and lives in [`crate::matcher`].

pub mod contractions;
pub mod stem;
pub mod stopwords;
pub mod synonyms;
pub mod unicode;

use std::borrow::Cow;
use synonyms::Synonyms;

/// The names of the normalisation steps, in the order they run.
pub const STEPS: [&str; 5] = [
    "unicode-fold",
    "contractions",
    "synonyms",
    "stem",
    "stopwords",
];

/// One word of normalised text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The word after folding and contraction expansion (`"charging"`).
    pub word: String,
    /// The term the matcher compares: synonym-mapped and stemmed (`"charg"`).
    pub term: String,
    /// Whether the word is a stop word (`"the"`, `"how"`); stop words are
    /// kept but weigh little.
    pub stop: bool,
}

/// The normalisation pipeline for one language, with a knowledge base's
/// synonym groups. Cheap to share: it holds no per-call state.
pub struct Normalizer {
    stemmer: stem::Stem,
    stop: stopwords::StopWords,
    synonyms: Synonyms,
}

impl std::fmt::Debug for Normalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Normalizer")
            .field("language", &self.stemmer.language())
            .field("synonyms", &!self.synonyms.is_empty())
            .finish()
    }
}

impl Normalizer {
    /// A pipeline for `language` (a Snowball language name such as
    /// `"english"`; unknown names fall back to no stemming and no stop
    /// words) with the given synonym groups (first entry of each is
    /// canonical; see [`synonyms`]).
    pub fn new(language: &str, synonym_groups: &[Vec<String>]) -> Self {
        Normalizer {
            stemmer: stem::Stem::new(language),
            stop: stopwords::StopWords::new(language),
            synonyms: Synonyms::new(synonym_groups, fold_text),
        }
    }

    /// Steps 1 and 2: the folded text that regex patterns are matched on
    /// (lower case, single spaces, no punctuation but digits and letters).
    pub fn fold(&self, text: &str) -> String {
        fold_text(text)
    }

    /// The whole pipeline: tokens of `text`, in order.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        self.tokens_of_folded(&self.fold(text))
    }

    /// Step 3's phrase part: `folded` with each multi-word synonym entry
    /// ("air conditioning", "signing out") replaced by its group's
    /// canonical word. Split the result into words for [`Normalizer::token`].
    pub fn rewrite_phrases<'a>(&self, folded: &'a str) -> Cow<'a, str> {
        self.synonyms.rewrite(folded)
    }

    /// The words of the multi-word synonym entries, in no particular order.
    pub fn phrase_words(&self) -> impl Iterator<Item = &str> {
        self.synonyms.phrase_words()
    }

    /// Whether a synonym group has a multi-word entry.
    pub fn has_phrases(&self) -> bool {
        self.synonyms.has_phrases()
    }

    /// Whether `word` (folded) is a word of a multi-word synonym entry
    /// (typo correction restores such words before phrases are read).
    pub fn in_phrase(&self, word: &str) -> bool {
        self.synonyms.in_phrase(word)
    }

    /// Steps 3 to 5 on already folded text (see [`Normalizer::fold`]).
    pub fn tokens_of_folded(&self, folded: &str) -> Vec<Token> {
        self.rewrite_phrases(folded)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| self.token(w))
            .collect()
    }

    /// Step 3 alone: the canonical word `word` (folded) is read as, when a
    /// synonym group of `bot.ron` applies to it; `None` otherwise.
    pub fn synonym(&self, word: &str) -> Option<&str> {
        self.synonyms.word(word)
    }

    /// Steps 3 to 5 for one folded word.
    pub fn token(&self, word: &str) -> Token {
        let mapped = self.synonyms.word(word).unwrap_or(word);
        Token {
            word: word.to_string(),
            term: self.stemmer.stem(mapped),
            stop: self.stop.contains(mapped),
        }
    }
}

/// Steps 1 and 2 without a [`Normalizer`]: language-independent folding.
pub fn fold_text(text: &str) -> String {
    contractions::expand(&unicode::fold(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_curly_apostrophes_and_contractions() {
        assert_eq!(fold_text("I CAN\u{2019}T log in"), "i can not log in");
        assert_eq!(fold_text("cant"), "can not");
        assert_eq!(fold_text("Cannot"), "can not");
        assert_eq!(fold_text("my MINI's app"), "my mini app");
    }

    #[test]
    fn folds_accents_invisibles_and_punctuation() {
        assert_eq!(fold_text("Caf\u{e9}\u{200b}  cr\u{e8}me!!"), "cafe creme");
        assert_eq!(fold_text("a\u{a0}b"), "a b");
        assert_eq!(fold_text("Stra\u{df}e"), "strasse");
        assert_eq!(fold_text("\u{ff21}pp"), "app");
        assert_eq!(fold_text("e-mail, plug-in"), "email plug in");
    }

    #[test]
    fn stems_and_classifies_stop_words() {
        let n = Normalizer::new("english", &[vec!["phone".into(), "smartphone".into()]]);
        let t = n.tokens("How do I charge my smartphone?");
        let terms: Vec<_> = t.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, ["how", "do", "i", "charg", "my", "phone"]);
        assert!(t[0].stop && !t[3].stop && !t[5].stop);
    }

    #[test]
    fn hostile_input_is_harmless() {
        assert_eq!(fold_text(""), "");
        assert_eq!(fold_text("\u{1b}[31mred\u{7}"), "31mred");
        assert_eq!(fold_text("\u{fffd}\u{0}"), "");
        assert_eq!(fold_text("🚗🚗"), "");
    }
}
