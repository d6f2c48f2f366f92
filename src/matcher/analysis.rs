//! Stage 1, analysis: an utterance → its tokens ([`Analysis`]) → its unit
//! feature vector (`Query`).
//!
//! Takes the text (and, for a short follow-up, the previous turn's text)
//! and the `Index`; gives the folded text (what patterns are matched
//! on), the tokens in order with their weights (1.0 for the current turn,
//! [`CONTEXT_WEIGHT`] for context words, [`CORRECTED_WEIGHT`] for typo
//! corrections, see [`super::typo`]), and the tf-idf vector `x` of their
//! features ([`super::features`]), scaled to unit length with unknown
//! words counting at the highest idf.

use super::features;
use super::index::Index;
use super::typo::CORRECTED_WEIGHT;
use crate::normalize::Token;

/// Weight of the previous turn's words when a short follow-up is read in context.
pub const CONTEXT_WEIGHT: f32 = 0.5;

/// An utterance after normalisation and typo correction.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// The folded text (what patterns are matched on).
    pub folded: String,
    /// Tokens in order, each with its weight and any typo correction.
    pub tokens: Vec<QueryToken>,
}

/// One token of an analysed utterance.
#[derive(Clone, Debug)]
pub struct QueryToken {
    /// The normalised token (after correction, if any).
    pub token: Token,
    /// The word as typed, when typo correction replaced it.
    pub corrected_from: Option<String>,
    /// 1.0 for the current turn, [`CONTEXT_WEIGHT`] for context words,
    /// [`CORRECTED_WEIGHT`] for corrected typos.
    pub weight: f32,
    /// Whether the knowledge base knows this term.
    pub known: bool,
}

impl QueryToken {
    /// Whether the token is a content word of the current turn (keywords
    /// and coverage read only these).
    pub(crate) fn current_content(&self) -> bool {
        !self.token.stop && self.weight > CONTEXT_WEIGHT
    }
}

/// Normalises `text` and corrects typos against the knowledge base's vocabulary.
pub(crate) fn analyze(ix: &Index, text: &str) -> Analysis {
    let folded = ix.norm.fold(text);
    let mut raw: Vec<Token> = folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| match ix.word_tokens.get(w) {
            Some(t) => t.clone(),
            None => ix.norm.token(w),
        })
        .collect();
    // Compounds typed apart ("finger print") are read as the known
    // word ("fingerprint"), unless the knowledge base itself writes
    // them apart ("top up" next to "topup").
    let mut i = 0;
    while i + 1 < raw.len() {
        if !raw[i].stop {
            let joined = format!("{}{}", raw[i].word, raw[i + 1].word);
            if let Some(t) = ix.word_tokens.get(&joined) {
                let apart = format!("{} {}", raw[i].term, raw[i + 1].term);
                if ix.space.get(&apart).is_none() {
                    raw[i] = t.clone();
                    raw.remove(i + 1);
                }
            }
        }
        i += 1;
    }
    let tokens = raw
        .into_iter()
        .map(|t| {
            let known = ix.word_tokens.contains_key(&t.word) || ix.space.get(&t.term).is_some();
            let fix = if known || t.stop {
                None
            } else {
                ix.typos.correct(&t.word)
            };
            match fix {
                Some(c) => QueryToken {
                    token: ix.norm.token(c),
                    corrected_from: Some(t.word),
                    weight: CORRECTED_WEIGHT,
                    known: true,
                },
                None => QueryToken {
                    token: t,
                    corrected_from: None,
                    weight: 1.0,
                    known,
                },
            }
        })
        .collect();
    Analysis { folded, tokens }
}

/// `a` with the previous turn's words added at [`CONTEXT_WEIGHT`].
pub(crate) fn with_context(ix: &Index, a: &Analysis, previous: &str) -> Analysis {
    let mut out = a.clone();
    let prev = analyze(ix, previous);
    for mut t in prev.tokens {
        t.weight = CONTEXT_WEIGHT;
        out.tokens.push(t);
    }
    out
}

/// The utterance's unit feature vector (reused scratch space).
#[derive(Default)]
pub(crate) struct Query {
    /// (feature id, value), by feature id; unit length counting unknown words.
    pub x: Vec<(u32, f32)>,
    buf: String,
}

impl Query {
    /// Fills `self.x` with the unit feature vector of `a`.
    pub fn vector(&mut self, ix: &Index, a: &Analysis) {
        let weighted: Vec<features::Weighted<'_>> = a
            .tokens
            .iter()
            .map(|t| {
                let tok = &t.token;
                let rare = !tok.stop && ix.space.get(&tok.term).is_none_or(|f| ix.rare[f as usize]);
                (tok, t.weight, rare)
            })
            .collect();
        let mut unknown2 = 0.0f32;
        let Query { x: q, buf } = self;
        q.clear();
        features::for_each(&weighted, buf, |f, w, unigram| match ix.space.get(f) {
            Some(id) => q.push((id, w)),
            None if unigram => unknown2 += (w * ix.unknown_idf).powi(2),
            None => {}
        });
        features::merge(q);
        let mut norm2 = unknown2;
        for (f, w) in q.iter_mut() {
            *w *= ix.idf[*f as usize];
            norm2 += *w * *w;
        }
        let n = norm2.sqrt();
        if n > 0.0 {
            for (_, w) in q.iter_mut() {
                *w /= n;
            }
        }
    }
}
