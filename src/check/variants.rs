//! Robustness variants of an example: the small changes real users make.
//!
//! [`variants`] derives, deterministically, up to one variant per
//! [`Change`]. A well-written intent still wins every variant of each of its
//! examples; `faqbot check` reports those that do not (`fragile-example`).

use crate::matcher::MIN_TYPO_LEN;
use serde::Serialize;

/// The kind of change a variant makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// All lower case.
    Lowercase,
    /// All upper case.
    Uppercase,
    /// Trailing `?`, `!` or `.` removed, or `?` added when there was none.
    Punctuation,
    /// Straight apostrophes `'` made curly `’`.
    CurlyApostrophe,
    /// One contraction expanded (`can't` → `cannot`) or made (`do not` → `don't`).
    Contraction,
    /// One typo: the two middle letters of the longest word swapped
    /// (words shorter than [`MIN_TYPO_LEN`] are left alone, as the matcher
    /// does not correct them).
    Typo,
}

impl Change {
    /// A short name: `"lowercase"`, `"typo"`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Lowercase => "lowercase",
            Change::Uppercase => "uppercase",
            Change::Punctuation => "punctuation",
            Change::CurlyApostrophe => "curly-apostrophe",
            Change::Contraction => "contraction",
            Change::Typo => "typo",
        }
    }
}

/// Contracted and expanded forms, tried in order (lower case).
const CONTRACTIONS: &[(&str, &str)] = &[
    ("can't", "cannot"),
    ("don't", "do not"),
    ("doesn't", "does not"),
    ("didn't", "did not"),
    ("isn't", "is not"),
    ("won't", "will not"),
    ("i'm", "i am"),
    ("it's", "it is"),
    ("what's", "what is"),
    ("i've", "i have"),
];

/// The variants of `example`, at most one per [`Change`], each differing
/// from the example; in [`Change`] order. `content` says whether a word
/// (lower case) is a content word: the typo goes into the longest one, as
/// a typo in a stop word ("Wehre are you?") is nothing an author can help
/// with an example (trial 50: `check`'s only warning on a sheet was that
/// typo of its location row).
pub fn variants(example: &str, content: impl Fn(&str) -> bool) -> Vec<(Change, String)> {
    let mut out = Vec::new();
    if example.trim().is_empty() {
        return out;
    }
    let mut push = |c: Change, v: String| {
        if v != example && !v.trim().is_empty() {
            out.push((c, v));
        }
    };
    push(Change::Lowercase, example.to_lowercase());
    push(Change::Uppercase, example.to_uppercase());
    let trimmed = example.trim_end();
    let punct = match trimmed.strip_suffix(['?', '!', '.']) {
        Some(rest) => rest.trim_end().to_string(),
        None => format!("{trimmed}?"),
    };
    push(Change::Punctuation, punct);
    if example.contains('\'') {
        push(Change::CurlyApostrophe, example.replace('\'', "\u{2019}"));
    }
    if let Some(v) = contraction(example) {
        push(Change::Contraction, v);
    }
    if let Some(v) = typo(example, content) {
        push(Change::Typo, v);
    }
    out
}

/// Replaces the first contraction (either direction) found as whole words.
fn contraction(example: &str) -> Option<String> {
    let lower = example.to_lowercase();
    // Only when lower-casing keeps byte offsets (true for ASCII text).
    if lower.len() != example.len() {
        return None;
    }
    let mut best: Option<(usize, &str, &str)> = None;
    for &(short, long) in CONTRACTIONS {
        for (from, to) in [(short, long), (long, short)] {
            if let Some(i) = find_word(&lower, from) {
                if best.is_none_or(|(b, _, _)| i < b) {
                    best = Some((i, from, to));
                }
            }
        }
    }
    let (i, from, to) = best?;
    // Lower-casing kept the length, but check the offsets really line up
    // (they may not when some characters grew and others shrank).
    let original = example.get(i..i + from.len())?;
    if original.to_lowercase() != from {
        return None;
    }
    let to = if original.starts_with(|c: char| c.is_uppercase()) {
        let mut cs = to.chars();
        cs.next()
            .map(|c| c.to_uppercase().chain(cs).collect::<String>())
            .unwrap_or_default()
    } else {
        to.to_string()
    };
    Some(format!(
        "{}{}{}",
        example.get(..i)?,
        to,
        example.get(i + from.len()..)?
    ))
}

/// Byte offset of `word` in `text` as a whole word (ASCII boundaries).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let end = at + word.len();
        let ok_before = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '\'');
        let ok_after = text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '\'');
        if ok_before && ok_after {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// Swaps two different adjacent letters nearest the middle of the longest
/// all-letter content word (the first on ties), never its first or last
/// letter.
fn typo(example: &str, content: impl Fn(&str) -> bool) -> Option<String> {
    let words: Vec<(usize, &str)> = example
        .split_whitespace()
        .map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            (w.chars().count(), w)
        })
        .filter(|(n, w)| {
            *n >= MIN_TYPO_LEN && w.chars().all(char::is_alphabetic) && content(&w.to_lowercase())
        })
        .collect();
    let &(n, word) = words.iter().rev().max_by_key(|(n, _)| *n)?;
    let chars: Vec<char> = word.chars().collect();
    let mid = n / 2 - 1;
    let k = (mid..n - 2)
        .chain((1..mid).rev())
        .find(|&k| chars[k] != chars[k + 1])?;
    let mut swapped = chars.clone();
    swapped.swap(k, k + 1);
    let swapped: String = swapped.into_iter().collect();
    let at = example.find(word)?;
    Some(format!(
        "{}{}{}",
        &example[..at],
        swapped,
        &example[at + word.len()..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(example: &str, c: Change) -> Option<String> {
        variants(example, |_| true)
            .into_iter()
            .find(|(k, _)| *k == c)
            .map(|(_, v)| v)
    }

    #[test]
    fn makes_each_kind_of_variant() {
        let e = "I can't reset my PIN?";
        assert_eq!(
            get(e, Change::Lowercase).as_deref(),
            Some("i can't reset my pin?")
        );
        assert_eq!(
            get(e, Change::Uppercase).as_deref(),
            Some("I CAN'T RESET MY PIN?")
        );
        assert_eq!(
            get(e, Change::Punctuation).as_deref(),
            Some("I can't reset my PIN")
        );
        assert_eq!(
            get(e, Change::CurlyApostrophe).as_deref(),
            Some("I can\u{2019}t reset my PIN?")
        );
        assert_eq!(
            get(e, Change::Contraction).as_deref(),
            Some("I cannot reset my PIN?")
        );
        assert_eq!(
            get(e, Change::Typo).as_deref(),
            Some("I can't rseet my PIN?")
        );
    }

    #[test]
    fn contractions_go_both_ways_and_keep_case() {
        assert_eq!(
            get("Do not charge", Change::Contraction).as_deref(),
            Some("Don't charge")
        );
        assert_eq!(get("the ISO standard", Change::Contraction), None);
        assert_eq!(
            get("what is it", Change::Contraction).as_deref(),
            Some("what's it")
        );
    }

    #[test]
    fn typo_skips_short_words_and_identical_letters() {
        assert_eq!(get("my pin", Change::Typo), None);
        assert_eq!(get("hello", Change::Typo).as_deref(), Some("hlelo"));
        assert_eq!(get("charging", Change::Typo).as_deref(), Some("chagring"));
        assert_eq!(get("aaaaa", Change::Typo), None);
    }

    #[test]
    fn the_typo_goes_into_the_longest_content_word() {
        let stop = |w: &str| ["where", "are", "you", "there"].contains(&w);
        let typo = |e: &str| {
            variants(e, |w| !stop(w))
                .into_iter()
                .find(|(k, _)| *k == Change::Typo)
                .map(|(_, v)| v)
        };
        assert_eq!(typo("Where are you?"), None);
        assert_eq!(
            typo("Where is there parking?").as_deref(),
            Some("Where is there pakring?")
        );
    }

    #[test]
    fn odd_unicode_never_panics() {
        for e in [
            "\u{1e9e}\u{130} can't",
            "İ don't ẞ",
            "’’",
            "a\u{301}bcdéf can't",
        ] {
            let _ = variants(e, |_| true);
        }
    }

    #[test]
    fn no_variant_equals_the_example() {
        for (_, v) in variants("pin", |_| true) {
            assert_ne!(v, "pin");
        }
        assert_eq!(get("pin?", Change::Punctuation).as_deref(), Some("pin"));
        assert_eq!(get("", Change::Punctuation), None);
    }
}
