//! Step 3: synonym groups from `bot.ron`, for words, inflected forms and
//! multi-word phrases.
//!
//! Every entry of a group is read as the group's *canonical word*: its
//! first entry, folded, with any spaces removed (`"air conditioning"` →
//! `"airconditioning"`, the same way a compound typed apart is read as
//! the joined word). So a group may mix single words and phrases:
//!
//! ```text
//! ["manual", "handbook", "instruction book", "owner's guide"]
//! ["sign out", "log out", "logout"]
//! ```
//!
//! * **Phrases** (entries of two or more words) are replaced in the folded
//!   text, longest first, before it is split into tokens ([`Synonyms::rewrite`]).
//! * **Inflected forms** need not be listed: a word that is not an entry
//!   itself is looked up by its base forms ("journeys" → "journey",
//!   "signing out" → "sign out", "went" → "go"). Base forms come from the
//!   bundled lexicon's WordNet morphology ([`crate::lexicon`]), which knows
//!   that "united" is not a form of "unit"; for a word the lexicon does
//!   not list ("aircons"), from the regular English endings (-s, -es,
//!   -ies, -ed, -ied, -ing, with a doubled final consonant).
//!
//! An entry listed in two groups keeps the first group.

use crate::lexicon;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;

/// Longest phrase (in words) a group entry may have; longer ones are
/// ignored, which bounds the work per word of input.
pub const MAX_PHRASE_WORDS: usize = 6;

/// The compiled synonym groups of a knowledge base.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Synonyms {
    /// Single folded word → canonical word.
    words: HashMap<String, String>,
    /// First word of a phrase → (the phrase's words, canonical word),
    /// longest phrase first.
    phrases: HashMap<String, Vec<(Vec<String>, String)>>,
    /// Every word of every phrase.
    phrase_words: HashSet<String>,
    /// Inflected form (by the lexicon) → canonical word, for the forms of
    /// single-word entries and canonical words.
    inflected: HashMap<Box<str>, String>,
    /// Inflected form (by the lexicon) → the phrase words it is a form of.
    phrase_inflected: HashMap<Box<str>, Vec<Box<str>>>,
}

impl Synonyms {
    /// Compiles `groups` (each entry raw text, folded with `fold`).
    pub fn new(groups: &[Vec<String>], fold: impl Fn(&str) -> String) -> Self {
        let mut s = Synonyms::default();
        for group in groups {
            let mut entries = group.iter().map(|e| fold(e)).filter(|e| !e.is_empty());
            let Some(first) = entries.next() else {
                continue;
            };
            let canonical: String = first.split(' ').collect();
            for e in std::iter::once(first).chain(entries) {
                let words: Vec<String> = e.split(' ').map(str::to_string).collect();
                let joined: String = words.concat();
                if joined != canonical {
                    s.words.entry(joined).or_insert_with(|| canonical.clone());
                }
                if words.len() >= 2 && words.len() <= MAX_PHRASE_WORDS {
                    s.phrase_words.extend(words.iter().cloned());
                    let list = s.phrases.entry(words[0].clone()).or_default();
                    if !list.iter().any(|(w, _)| *w == words) {
                        list.push((words, canonical.clone()));
                    }
                }
            }
        }
        for list in s.phrases.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        }
        // Reverse the lexicon's base forms once for the words the groups
        // use, so that a lookup costs one hash probe.
        if !s.is_empty() {
            let canon: HashMap<String, String> = s
                .words
                .iter()
                .map(|(w, c)| (w.clone(), c.clone()))
                .chain(s.words.values().map(|c| (c.clone(), c.clone())))
                .collect();
            let lex = lexicon::english();
            for (w, b) in lex.inflections() {
                if !s.words.contains_key(w) && !lemma_plus_d(lex, w, b) {
                    if let Some(c) = canon.get(b).filter(|c| c.as_str() != w) {
                        s.inflected.entry(w.into()).or_insert_with(|| c.clone());
                    }
                }
                if s.phrase_words.contains(b) {
                    s.phrase_inflected
                        .entry(w.into())
                        .or_default()
                        .push(b.into());
                }
            }
        }
        s
    }

    /// Whether a group lists `word` (folded, a single word) itself, as
    /// opposed to [`Synonyms::word`] reading it as an inflected form of a
    /// listed word.
    pub fn listed(&self, word: &str) -> bool {
        self.words.contains_key(word)
    }

    /// Whether `word` (folded) is a word of one of the phrases.
    pub fn in_phrase(&self, word: &str) -> bool {
        self.phrase_words.contains(word)
    }

    /// Every word of every phrase, in no particular order.
    pub fn phrase_words(&self) -> impl Iterator<Item = &str> {
        self.phrase_words.iter().map(String::as_str)
    }

    /// Whether some group has a phrase (an entry of two or more words).
    pub fn has_phrases(&self) -> bool {
        !self.phrases.is_empty()
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }

    /// The canonical word a single folded word is read as: the word's own
    /// group, else the group of one of its base forms; `None` when no
    /// group applies (or `word` is a canonical word itself).
    pub fn word(&self, word: &str) -> Option<&str> {
        if let Some(c) = self.words.get(word) {
            return Some(c);
        }
        if self.words.is_empty() {
            return None;
        }
        if let Some(c) = self.inflected.get(word) {
            return Some(c);
        }
        if lexicon::english().rank(word).is_some() {
            return None;
        }
        guessed_bases(word)
            .iter()
            .find_map(|b| self.canonical_of(b))
    }

    /// Replaces each phrase of a group in `folded` (words separated by
    /// single spaces) by its canonical word, longest match first; words of
    /// the text may be inflected forms of the phrase's words. Borrows
    /// `folded` unchanged when no phrase occurs. Cost: linear in the words
    /// of `folded` times the phrases sharing a first word.
    pub fn rewrite<'a>(&self, folded: &'a str) -> Cow<'a, str> {
        if self.phrases.is_empty() {
            return Cow::Borrowed(folded);
        }
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let mut out: Vec<&str> = Vec::with_capacity(words.len());
        let mut changed = false;
        let mut i = 0;
        while i < words.len() {
            match self.phrase_at(&words[i..]) {
                Some((len, canonical)) => {
                    out.push(canonical);
                    i += len;
                    changed = true;
                }
                None => {
                    out.push(words[i]);
                    i += 1;
                }
            }
        }
        if changed {
            Cow::Owned(out.join(" "))
        } else {
            Cow::Borrowed(folded)
        }
    }

    /// [`Synonyms::rewrite`] word by word, for explanations: each word of
    /// the result with the words of `folded` it stands for (the index of
    /// the first among the non-empty words, and how many): one for a word
    /// kept, the phrase's length for a phrase read as its group's word.
    pub fn rewrite_spans<'a>(&'a self, folded: &'a str) -> Vec<(&'a str, usize, usize)> {
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            match self.phrase_at(&words[i..]) {
                Some((len, canonical)) => {
                    out.push((canonical, i, len));
                    i += len;
                }
                None => {
                    out.push((words[i], i, 1));
                    i += 1;
                }
            }
        }
        out
    }

    /// The canonical word of an entry or canonical word `w`.
    fn canonical_of(&self, w: &str) -> Option<&str> {
        self.words.get(w).map(String::as_str).or_else(|| {
            self.words
                .values()
                .find(|c| c.as_str() == w)
                .map(String::as_str)
        })
    }

    /// Whether text word `w` is phrase word `p` or a form of it.
    fn matches(&self, w: &str, p: &str) -> bool {
        w == p
            || self
                .phrase_inflected
                .get(w)
                .is_some_and(|l| l.iter().any(|b| &**b == p))
            || (lexicon::english().rank(w).is_none() && guessed_bases(w).iter().any(|b| b == p))
    }

    /// The longest phrase starting at `words[0]`: (its length in words,
    /// canonical word). The phrases tried are those whose first word is
    /// `words[0]` or a phrase word it may be a form of (by the lexicon, or
    /// guessed from its ending when the lexicon does not list it), in that
    /// order; the first of the longest that match wins.
    fn phrase_at(&self, words: &[&str]) -> Option<(usize, &str)> {
        let first = *words.first()?;
        let mut best: Option<(usize, &str)> = None;
        self.longest_of(first, words, &mut best);
        if let Some(l) = self.phrase_inflected.get(first) {
            for b in l {
                self.longest_of(b, words, &mut best);
            }
        } else if lexicon::english().rank(first).is_none() {
            for b in guessed_bases(first) {
                self.longest_of(&b, words, &mut best);
            }
        }
        best
    }

    /// Updates `best` with the phrases whose first word is `start` that
    /// match `words` and are longer than `best`.
    fn longest_of<'s>(&'s self, start: &str, words: &[&str], best: &mut Option<(usize, &'s str)>) {
        let Some(list) = self.phrases.get(start) else {
            return;
        };
        for (phrase, canonical) in list {
            let n = phrase.len();
            if n > words.len() || best.is_some_and(|b| b.0 >= n) {
                continue;
            }
            if phrase[1..]
                .iter()
                .zip(&words[1..n])
                .all(|(p, w)| self.matches(w, p))
            {
                *best = Some((n, canonical));
            }
        }
    }
}

/// Whether `w` is a word of its own that WordNet's morphology also reads
/// as `b` + "d", a three-letter word in "ee" and "d": a lemma such as
/// "feed" (read as "fee", which the common group price ~ cost ~ fee made a
/// word of price: trial 65's "who will feed my fish" got a pet shop's
/// unwanted-fish row), "seed" ("see") or "need". Such a word is not read
/// as a form of `b`. Longer words stay forms of theirs, lemmas or not:
/// "removed", "charged" and "scheduled" are WordNet lemmas (adjectives)
/// and forms of the MINI knowledge base's "remove", "charge" and
/// "schedule" (excluding every lemma lost a MINI question).
fn lemma_plus_d(lex: &lexicon::Lexicon, w: &str, b: &str) -> bool {
    b.len() == 3
        && b.ends_with("ee")
        && w.len() == 4
        && w.starts_with(b)
        && w.ends_with('d')
        && lex.info(w).is_some_and(|i| i.lemma)
}

/// The base forms of `word`: from the bundled lexicon when it lists the
/// word, else guessed from regular English endings (at least two letters
/// of stem are left).
pub fn base_forms(word: &str) -> Box<dyn Iterator<Item = Cow<'static, str>> + '_> {
    let lex = lexicon::english();
    if lex.rank(word).is_some() {
        return Box::new(lex.base_forms(word).map(Cow::Borrowed));
    }
    Box::new(guessed_bases(word).into_iter().map(Cow::Owned))
}

/// Candidate base forms of an unlisted word by regular endings.
fn guessed_bases(word: &str) -> Vec<String> {
    const RULES: [(&str, &str); 9] = [
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("d", ""),
    ];
    let mut out = Vec::new();
    if !word.is_ascii() || word.ends_with("ss") {
        return out;
    }
    for (suffix, add) in RULES {
        let Some(stem) = word.strip_suffix(suffix) else {
            continue;
        };
        if stem.len() < 2 {
            continue;
        }
        let base = format!("{stem}{add}");
        let b = base.as_bytes();
        // "stopped" → "stopp" → "stop"
        if add.is_empty() && (suffix == "ed" || suffix == "ing") && b.len() >= 3 {
            let n = b.len();
            if b[n - 1] == b[n - 2] {
                out.push(base[..n - 1].to_string());
            }
        }
        if !out.contains(&base) {
            out.push(base);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(g: &[&[&str]]) -> Synonyms {
        let g: Vec<Vec<String>> = g
            .iter()
            .map(|g| g.iter().map(|s| s.to_string()).collect())
            .collect();
        Synonyms::new(&g, crate::normalize::fold_text)
    }

    #[test]
    fn words_and_their_inflections_map_to_the_canonical_word() {
        let s = groups(&[&["trip", "journey", "ride"], &["unit", "measurement"]]);
        assert_eq!(s.word("journey"), Some("trip"));
        assert_eq!(s.word("journeys"), Some("trip"));
        assert_eq!(s.word("rides"), Some("trip"));
        assert_eq!(s.word("measurements"), Some("unit"));
        assert_eq!(s.word("trip"), None);
        let f = groups(&[&["forgot", "forget"]]);
        assert_eq!(
            f.word("forgot"),
            None,
            "a canonical word is not its own synonym"
        );
        assert_eq!(f.word("forgets"), Some("forgot"));
        // "united" is not a form of "unit".
        assert_eq!(s.word("united"), None);
        assert!(s.listed("journey") && !s.listed("journeys") && !s.listed("trip"));
    }

    /// A lemma that is also `base` + "d" by WordNet's morphology ("feed",
    /// "fee") is a word of its own; regular forms still map.
    #[test]
    fn a_lemma_is_no_past_tense_of_a_group_word() {
        let s = groups(&[&["price", "cost", "fee"], &["look", "see"]]);
        assert_eq!(s.word("fees"), Some("price"));
        assert_eq!(s.word("feed"), None, "feed my fish is no price");
        assert_eq!(s.word("seed"), None, "seed potatoes are not looked at");
        assert_eq!(s.word("costs"), Some("price"));
        assert_eq!(s.word("sees"), Some("look"));
        let p = groups(&[&["price", "cost"], &["remove", "delete"]]);
        assert_eq!(p.word("priced"), Some("price"));
        assert_eq!(
            p.word("removed"),
            Some("remove"),
            "a lemma, and a form of remove"
        );
    }

    #[test]
    fn phrases_are_rewritten_longest_first_with_inflections() {
        let s = groups(&[
            &["manual", "handbook", "instruction book", "owner's guide"],
            &["sign out", "log out", "logout"],
            &["climate", "air conditioning", "air con"],
        ]);
        assert_eq!(
            s.rewrite("where is the instruction book"),
            "where is the manual"
        );
        assert_eq!(s.rewrite("my instruction books"), "my manual");
        assert_eq!(
            s.rewrite("i keep getting logged out"),
            "i keep getting signout"
        );
        assert_eq!(s.rewrite("signing out of the app"), "signout of the app");
        assert_eq!(s.word("logout"), Some("signout"));
        assert_eq!(
            s.rewrite("turn on air conditioning now"),
            "turn on climate now"
        );
        assert_eq!(s.word("airconditioning"), Some("climate"));
        assert_eq!(s.rewrite("owner guide"), "manual");
        assert!(matches!(s.rewrite("nothing here"), Cow::Borrowed(_)));
        assert_eq!(s.rewrite("air"), "air");
    }

    #[test]
    fn guesses_bases_of_unlisted_words() {
        assert!(guessed_bases("aircons").contains(&"aircon".to_string()));
        assert!(guessed_bases("zapped").contains(&"zap".to_string()));
        assert!(guessed_bases("glass").is_empty());
        assert!(guessed_bases("es").is_empty());
    }
}
