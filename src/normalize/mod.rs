//! Normalisation: the ordered steps that turn raw text into tokens.
//!
//! The same pipeline runs over authored examples, keywords, titles and user
//! input, so that both sides of every comparison are in the same form. The
//! steps, in order (see [`STEPS`]):
//!
//! 0. [`sanitize::clean`]: every Unicode whitespace becomes a space,
//!    terminal escape sequences are removed whole, other control
//!    characters and format characters (bidi controls, zero-width
//!    characters; but for those inside an emoji) removed; at most
//!    [`MAX_RAW_CHARS`] characters are kept.
//! 1. [`unicode::fold`]: Unicode NFKC, removal of format characters,
//!    control characters and non-breaking spaces to spaces, folding of
//!    curly quotes, dashes and accents (`é` → `e`, `ß` → `ss`), case
//!    folding.
//! 2. [`typed::mark`]: e-mail addresses, URLs, phone, order and ticket
//!    numbers and dates become typed words (`_email_`, ...), which the
//!    matcher leaves out.
//! 3. [`elongated::squash`]: stretched chat words (`sloooow` → `slow`);
//!    then [`contractions::expand`]: `can't`, `cant`, `cannot` → `can not`,
//!    `I'm` → `i am`, possessive `'s` dropped; punctuation becomes a word
//!    boundary. After the caps ([`MAX_FOLDED_CHARS`], [`MAX_WORDS`],
//!    [`MAX_WORD_CHARS`]) the result is the *folded text* that patterns are
//!    matched on.
//! 4. [`synonyms`] from `bot.ron`, with the [`common_synonyms`] of English
//!    merged in: each entry of a group (a word, an inflected form of one,
//!    or a phrase) is read as the group's first entry.
//! 5. [`stem`]: a Snowball stemmer (`charging` → `charg`) that keeps
//!    derivations which name something else apart (`business` ≠ `busy`).
//! 6. [`stopwords`]: stop words are classified (`Token::stop`), not removed;
//!    the matcher gives them a small weight.
//!
//! Typo correction is not a normalisation step: it needs the knowledge
//! base's vocabulary and lives in [`crate::matcher`].
//!
//! # Cost
//!
//! Whatever the characters, folding reads at most [`MAX_RAW_CHARS`]
//! characters, NFKC output is cut after [`MAX_FOLDED_CHARS`] +
//! [`MAX_WORD_CHARS`] characters (one character can expand into 18), and
//! the folded text has at most
//! [`MAX_FOLDED_CHARS`] characters, [`MAX_WORDS`] words of at most
//! [`MAX_WORD_CHARS`] characters each: everything after folding works on
//! a bounded amount of text.

pub mod common_synonyms;
pub mod contact;
pub mod contractions;
pub mod elongated;
pub mod sanitize;
pub mod stem;
pub mod stopwords;
pub mod synonyms;
pub mod typed;
pub mod unicode;

/// Most characters of raw text that folding reads (the cap before
/// normalisation; the dialogue caps a turn at 1000 already).
pub const MAX_RAW_CHARS: usize = 2000;
/// Most characters of folded text (the cap after normalisation): room
/// for [`MAX_WORDS`] words of ten characters.
pub const MAX_FOLDED_CHARS: usize = 640;
/// Most words of folded text; the rest of a longer text is ignored. A
/// support question rarely has more than 40.
pub const MAX_WORDS: usize = 64;
/// Longest word, in characters; a longer one is cut (no word of any
/// dictionary is that long; a pasted blob is not a word).
pub const MAX_WORD_CHARS: usize = 48;

use std::borrow::Cow;
use synonyms::Synonyms;

/// The names of the normalisation steps, in the order they run.
pub const STEPS: [&str; 7] = [
    "sanitize",
    "unicode-fold",
    "typed-tokens",
    "contractions",
    "synonyms",
    "stem",
    "stopwords",
];

/// One word of normalised text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// Serialised as its language name and compiled synonym groups (the
/// stemmer and stop words are made again from the name): what the
/// matcher's snapshot in the start-up cache keeps.
impl serde::Serialize for Normalizer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&(self.stemmer.language(), &self.synonyms), s)
    }
}

impl<'de> serde::Deserialize<'de> for Normalizer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let (language, synonyms): (String, Synonyms) = serde::Deserialize::deserialize(d)?;
        Ok(Normalizer {
            stemmer: stem::Stem::new(&language),
            stop: stopwords::StopWords::new(&language),
            synonyms,
        })
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

    /// Steps 0 to 3: the folded text that regex patterns are matched on
    /// (lower case, single spaces, no punctuation but digits, letters and
    /// the `_` of typed words), within the caps of the module doc.
    pub fn fold(&self, text: &str) -> String {
        fold_text(text)
    }

    /// The whole pipeline: tokens of `text`, in order.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        self.tokens_of_folded(&self.fold(text))
    }

    /// Step 4's phrase part: `folded` with each multi-word synonym entry
    /// ("air conditioning", "signing out") replaced by its group's
    /// canonical word. Split the result into words for [`Normalizer::token`].
    pub fn rewrite_phrases<'a>(&self, folded: &'a str) -> Cow<'a, str> {
        self.synonyms.rewrite(folded)
    }

    /// [`Normalizer::rewrite_phrases`] word by word: each word of the
    /// result with the span of words of `folded` it stands for (see
    /// [`Synonyms::rewrite_spans`]).
    pub fn phrase_spans<'a>(&'a self, folded: &'a str) -> Vec<(&'a str, usize, usize)> {
        self.synonyms.rewrite_spans(folded)
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

    /// Steps 4 to 6 on already folded text (see [`Normalizer::fold`]).
    /// Typed words (see [`typed`]) are left out.
    pub fn tokens_of_folded(&self, folded: &str) -> Vec<Token> {
        self.rewrite_phrases(folded)
            .split(' ')
            .filter(|w| !w.is_empty() && !typed::is_typed(w))
            .map(|w| self.token(w))
            .collect()
    }

    /// Step 4 alone: the canonical word `word` (folded) is read as, when a
    /// synonym group of `bot.ron` applies to it; `None` otherwise.
    ///
    /// A stop word is read as a group's word only when the group lists it
    /// itself, never as an inflected form of one: "his" is not the plural
    /// of the greeting "hi", "us" not that of the letter "u".
    pub fn synonym(&self, word: &str) -> Option<&str> {
        let canonical = self.synonyms.word(word)?;
        (!self.stop.contains(word) || self.synonyms.listed(word)).then_some(canonical)
    }

    /// Whether this normaliser reads English (its stemmer's language),
    /// the language of the bundled lexicon ([`crate::lexicon`]).
    pub fn is_english(&self) -> bool {
        self.stemmer.is_english()
    }

    /// Steps 4 to 6 for one folded word.
    ///
    /// A content word whose stem is a modal verb ([`MODALS`]) keeps its own
    /// form as its term: modals never inflect, so "cans" and "wills" are
    /// other words (read as the modal's term, "can i keep gas cans in there"
    /// ranked "Can I park my RV here?" on "can", trial 35). Inflections of
    /// other stop words ("needs", "wanted") are read as the stop word.
    pub fn token(&self, word: &str) -> Token {
        let mapped = self.synonym(word).unwrap_or(word);
        let stop = self.stop.contains(mapped);
        let stem = self.stemmer.stem(mapped);
        let modal = || self.stemmer.is_english() && MODALS.contains(&stem.as_str());
        let term = if !stop && stem != mapped && modal() {
            mapped.to_string()
        } else {
            stem
        };
        Token {
            word: word.to_string(),
            term,
            stop,
        }
    }
}

/// English modal verbs that are stop words and never inflect: a word
/// stemmed to one of them is another word ([`Normalizer::token`], English
/// knowledge bases only).
pub const MODALS: [&str; 5] = ["can", "will", "may", "must", "shall"];

/// Steps 0 to 3 without a [`Normalizer`]: language-independent folding,
/// within the caps of the module doc.
///
/// ASCII text without escape sequences (nearly every question) takes one
/// pass for steps 0 and 1 ([`sanitize::clean_fold_ascii`]), with the same
/// result as the two steps.
pub fn fold_text(text: &str) -> String {
    let folded = if text.is_ascii() && !text.contains('\u{1b}') {
        sanitize::clean_fold_ascii(text, MAX_FOLDED_CHARS + MAX_WORD_CHARS)
    } else {
        unicode::fold(
            &sanitize::clean(text, MAX_RAW_CHARS),
            MAX_FOLDED_CHARS + MAX_WORD_CHARS,
        )
    };
    cap(contractions::expand(&elongated::squash(&typed::mark(
        &folded,
    ))))
}

// Step 1 keeps fewer characters than step 0: for ASCII, where each
// character of step 0's output is one of step 1's, the smaller cap is the
// only one that applies.
const _: () = assert!(MAX_FOLDED_CHARS + MAX_WORD_CHARS <= MAX_RAW_CHARS);

/// Whether `text` is ASCII, single-spaced without a space at either end,
/// and within the caps: then [`cap`] returns it as it is.
fn within_caps(text: &str) -> bool {
    if text.len() > MAX_FOLDED_CHARS || !text.is_ascii() {
        return false;
    }
    let (mut words, mut run) = (0usize, 0usize);
    for &b in text.as_bytes() {
        if b == b' ' {
            if run == 0 {
                return false;
            }
            words += 1;
            run = 0;
        } else {
            run += 1;
            if run > MAX_WORD_CHARS {
                return false;
            }
        }
    }
    text.is_empty() || (run > 0 && words < MAX_WORDS)
}

/// At most [`MAX_WORDS`] words of at most [`MAX_WORD_CHARS`] characters,
/// [`MAX_FOLDED_CHARS`] characters in all, of single-spaced text.
fn cap(text: String) -> String {
    if within_caps(&text) {
        return text;
    }
    cap_words(&text)
}

/// [`cap`] word by word (any text).
fn cap_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * MAX_FOLDED_CHARS));
    let mut chars = 0;
    for w in text.split(' ').filter(|w| !w.is_empty()).take(MAX_WORDS) {
        let end = w
            .char_indices()
            .nth(MAX_WORD_CHARS)
            .map_or(w.len(), |(i, _)| i);
        let w = &w[..end];
        let n = w.chars().count() + usize::from(!out.is_empty());
        if chars + n > MAX_FOLDED_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        chars += n;
    }
    out
}

#[cfg(test)]
mod tests;
