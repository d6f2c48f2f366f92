//! Load-time sharing: the folded text of every title, example and answer
//! of a knowledge base, and the token of every word in them, computed once
//! and read by every matcher built while the knowledge base loads.
//!
//! Loading builds more than one matcher over the same texts: the one that
//! answers and the calibration's (four for a small knowledge base, see
//! [`super::calibrate`]), which also ranks held-out examples. Folding
//! ([`crate::normalize::fold_text`]) and the per-word steps
//! ([`Normalizer::token`]) are pure functions of the text (and of the
//! normaliser), so reading them from here gives every matcher exactly what
//! it would have computed itself. A `Prepared` lives only while one
//! knowledge base loads; user input never goes through it.

use crate::kb::KnowledgeBase;
use crate::normalize::{fold_text, typed, Normalizer, Token};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// Folded texts and word tokens of one knowledge base (see the module
/// doc). `Send + Sync`: the calibration reads it on its own thread.
pub(crate) struct Prepared {
    /// The normaliser the tokens were made with.
    norm: Arc<Normalizer>,
    /// Raw text (title, example or answer) → its folded text.
    folded: HashMap<String, String>,
    /// Folded word (after phrase rewriting) → its token.
    tokens: HashMap<String, Token>,
}

impl Prepared {
    /// Folds every title, example and answer of `kb` and makes the token
    /// of every word of them with `norm`. Cost: one fold per distinct text,
    /// one token per distinct word. A knowledge base of more than
    /// [`PARALLEL_MIN_TEXTS`] distinct texts is prepared in two halves on
    /// two threads when there is a second core (the same values: both
    /// steps are pure functions).
    pub fn new(kb: &KnowledgeBase, norm: Arc<Normalizer>) -> Self {
        let mut seen: HashSet<&str> = HashSet::default();
        let texts: Vec<&String> = kb
            .intents
            .iter()
            .flat_map(|d| {
                std::iter::once(&d.title)
                    .chain(&d.examples)
                    .chain(std::iter::once(&d.answer))
            })
            .filter(|t| seen.insert(t.as_str()))
            .collect();
        let two_cores = || std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        let (folded, tokens) = if texts.len() > PARALLEL_MIN_TEXTS && two_cores() {
            let (first, second) = texts.split_at(texts.len() / 2);
            std::thread::scope(|s| {
                let other = std::thread::Builder::new()
                    .name("faqbot-prepare".into())
                    .spawn_scoped(s, || prepare(second, &norm));
                let mut one = prepare(first, &norm);
                let two = match other {
                    Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                    Err(_) => prepare(second, &norm),
                };
                one.0.extend(two.0);
                for (w, t) in two.1 {
                    one.1.entry(w).or_insert(t);
                }
                one
            })
        } else {
            prepare(&texts, &norm)
        };
        Prepared {
            norm,
            folded,
            tokens,
        }
    }

    /// The folded text of `text` (`fold_text(text)`).
    pub fn fold(&self, text: &str) -> String {
        match self.folded.get(text) {
            Some(f) => f.clone(),
            None => fold_text(text),
        }
    }

    /// `norm.token(word)`, read from here when `norm` is the normaliser
    /// the tokens were made with.
    pub fn token(&self, norm: &Normalizer, word: &str) -> Token {
        if std::ptr::eq(norm, &*self.norm) {
            if let Some(t) = self.tokens.get(word) {
                return t.clone();
            }
        }
        norm.token(word)
    }

    /// `norm.tokens(text)` ([`Normalizer::tokens`]) with the folded text
    /// and the tokens read from here.
    pub fn tokens(&self, norm: &Normalizer, text: &str) -> Vec<Token> {
        let folded = self.fold(text);
        norm.rewrite_phrases(&folded)
            .split(' ')
            .filter(|w| !w.is_empty() && !typed::is_typed(w))
            .map(|w| self.token(norm, w))
            .collect()
    }
}

/// Knowledge bases with more distinct texts than this are prepared on two
/// threads (see [`Prepared::new`]).
pub const PARALLEL_MIN_TEXTS: usize = 2000;

type Folded = HashMap<String, String>;
type Tokens = HashMap<String, Token>;

/// The folded texts of `texts` and the tokens of their words.
fn prepare(texts: &[&String], norm: &Normalizer) -> (Folded, Tokens) {
    let mut folded: Folded = HashMap::default();
    let mut tokens: Tokens = HashMap::default();
    folded.reserve(texts.len());
    for text in texts {
        let f = fold_text(text);
        for w in norm.rewrite_phrases(&f).split(' ') {
            if !w.is_empty() && !tokens.contains_key(w) {
                tokens.insert(w.to_string(), norm.token(w));
            }
        }
        folded.insert(text.to_string(), f);
    }
    (folded, tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_normaliser_computes() {
        let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
        let norm = super::super::index::normalizer(&kb);
        let prep = Prepared::new(&kb, norm.clone());
        let other = Normalizer::new("english", &[]);
        let mut texts: Vec<&str> = Vec::new();
        for d in &kb.intents {
            texts.push(&d.title);
            texts.push(&d.answer);
            texts.extend(d.examples.iter().map(String::as_str));
        }
        texts.extend([
            "not in the knowledge base at all",
            "",
            "mail jo@example.org",
        ]);
        for t in texts {
            assert_eq!(prep.fold(t), fold_text(t), "{t}");
            assert_eq!(prep.tokens(&norm, t), norm.tokens(t), "{t}");
            assert_eq!(prep.tokens(&other, t), other.tokens(t), "{t}");
        }
    }

    #[test]
    fn a_large_knowledge_base_prepared_in_halves_reads_the_same() {
        let mut kb = KnowledgeBase::bundled().expect("bundled knowledge base");
        let words = ["charging", "pin", "héllo", "can't", "MINI", "1,000 km"];
        for k in 0..PARALLEL_MIN_TEXTS + 100 {
            let i = k % kb.intents.len();
            let text = format!("{} {} question {k}", words[k % 6], words[(k / 6) % 6]);
            kb.intents[i].examples.push(text);
        }
        let norm = super::super::index::normalizer(&kb);
        let prep = Prepared::new(&kb, norm.clone());
        for d in &kb.intents {
            for t in d.examples.iter().chain([&d.title, &d.answer]) {
                assert_eq!(prep.folded.get(t.as_str()), Some(&fold_text(t)), "{t}");
                for w in norm.rewrite_phrases(&fold_text(t)).split(' ') {
                    if !w.is_empty() {
                        assert_eq!(prep.tokens.get(w), Some(&norm.token(w)), "{w}");
                    }
                }
            }
        }
    }
}
