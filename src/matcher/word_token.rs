//! A word of the knowledge base, normalised once, with its term's
//! feature id: the analysis finds both with one look-up of the word, and
//! the query vector and the dialogue's rules then need no look-up of the
//! term ([`term_feature`]).

use super::analysis::QueryToken;
use super::features::Space;
use super::index::Index;
use crate::normalize::Token;

/// One entry of [`Index::word_tokens`]. Serialised as its token alone:
/// the id is set again whenever an index is built or read back
/// ([`link`]).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct WordToken {
    /// The word normalised.
    pub token: Token,
    /// The feature id of `token.term` (what [`Space::get`] gives), once
    /// [`link`] has run; `None` before, or when the term is no feature.
    #[serde(skip)]
    pub term_id: Option<u32>,
}

impl WordToken {
    /// `token`, its term's id not yet set.
    pub fn new(token: Token) -> Self {
        WordToken {
            token,
            term_id: None,
        }
    }
}

/// Sets every word's term id from `ix.space` (once per built or loaded
/// index: one look-up per word of the knowledge base).
pub(crate) fn link(ix: &mut Index) {
    let Index {
        word_tokens, space, ..
    } = ix;
    for w in word_tokens.values_mut() {
        w.term_id = space.get(&w.token.term);
    }
}

/// The feature id of `t`'s term, what `ix.space.get(&t.token.term)`
/// gives: the id the analysis found with the word when it still names
/// that term in this index (a comparison of the two texts instead of a
/// hash look-up), else looked up.
#[inline]
pub(crate) fn term_feature(ix: &Index, t: &QueryToken) -> Option<u32> {
    match t.term_id {
        Some(f) if names(&ix.space, f, &t.token.term) => Some(f),
        _ => ix.space.get(&t.token.term),
    }
}

/// Whether feature `f` of `space` exists and is named `term`.
#[inline]
fn names(space: &Space, f: u32, term: &str) -> bool {
    (f as usize) < space.len() && space.name(f) == term
}

#[cfg(test)]
mod tests {
    use super::term_feature;
    use crate::kb::KnowledgeBase;
    use crate::matcher::Matcher;
    use std::path::PathBuf;

    fn small() -> KnowledgeBase {
        let ron = r#"[
            (id: "pin", title: "How do I reset my PIN?", examples: ["reset my pin", "forgot the pin code"], answer: "Log in again."),
            (id: "card", title: "My card is lost", examples: ["lost my card", "card stolen yesterday"], answer: "Freeze it."),
        ]"#;
        KnowledgeBase::from_sources(vec![(PathBuf::from("t.ron"), ron.into())]).unwrap()
    }

    /// Every token's id is what looking its term up gives: for the
    /// bundled knowledge base's own examples, typos, unknown words and
    /// compounds, for a token whose term was changed after the analysis,
    /// and for an analysis read by another matcher.
    #[test]
    fn a_token_s_term_feature_is_the_look_up() {
        let bundled = Matcher::new(&KnowledgeBase::bundled().unwrap());
        let other = Matcher::new(&small());
        let texts = [
            "how do I reset my pin",
            "resset my pni please",
            "fingerprint finger print twofactor",
            "the zorblax quantum widget",
            "lost my card yesterday",
            "",
        ];
        let mut linked = 0;
        for text in texts {
            let mut a = bundled.analyze(text);
            for m in [&bundled, &other] {
                for t in &a.tokens {
                    assert_eq!(
                        term_feature(&m.ix, t),
                        m.ix.space.get(&t.token.term),
                        "{text:?} {t:?}"
                    );
                    linked += usize::from(m.ix.space.get(&t.token.term).is_some());
                }
            }
            for t in &mut a.tokens {
                t.token.term.push('x');
                assert_eq!(
                    term_feature(&bundled.ix, t),
                    bundled.ix.space.get(&t.token.term)
                );
            }
        }
        assert!(linked > 10, "{linked}");
        let a = bundled.analyze("reset my pin");
        assert!(a.tokens.iter().any(|t| t.term_id.is_some()));
    }
}
