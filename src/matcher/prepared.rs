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
use rustc_hash::FxHashMap as HashMap;
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
    /// Folds every title, example and answer of `kb` and, when `tokens`,
    /// makes the token of every word of them with `norm` (else
    /// [`Prepared::token`] makes each when asked, the same token). Cost:
    /// one fold per distinct text, one token per distinct word.
    pub fn new(kb: &KnowledgeBase, norm: Arc<Normalizer>, tokens_too: bool) -> Self {
        let mut folded: HashMap<String, String> = HashMap::default();
        let mut tokens: HashMap<String, Token> = HashMap::default();
        for d in &kb.intents {
            let texts = std::iter::once(&d.title)
                .chain(&d.examples)
                .chain(std::iter::once(&d.answer));
            for text in texts {
                if folded.contains_key(text.as_str()) {
                    continue;
                }
                let f = fold_text(text);
                if tokens_too {
                    for w in norm.rewrite_phrases(&f).split(' ') {
                        if !w.is_empty() && !tokens.contains_key(w) {
                            tokens.insert(w.to_string(), norm.token(w));
                        }
                    }
                }
                folded.insert(text.clone(), f);
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_normaliser_computes() {
        let kb = KnowledgeBase::bundled().expect("bundled knowledge base");
        let norm = super::super::index::normalizer(&kb);
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
        // With the tokens made up front or when asked.
        for tokens_too in [true, false] {
            let prep = Prepared::new(&kb, norm.clone(), tokens_too);
            for &t in &texts {
                assert_eq!(prep.fold(t), fold_text(t), "{t}");
                assert_eq!(prep.tokens(&norm, t), norm.tokens(t), "{t}");
                assert_eq!(prep.tokens(&other, t), other.tokens(t), "{t}");
            }
        }
    }
}
