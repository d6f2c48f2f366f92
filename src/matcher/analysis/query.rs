//! The utterance's unit feature vector ([`Query`]): the tf-idf weights of
//! its tokens' features ([`super::features`]), unknown words counting at
//! their idf in the vector's length, and which tokens count as the rare
//! class ([`is_rare`]).

use super::{Analysis, QueryToken, MAX_SCAN};
use crate::matcher::features::{self, Found};
use crate::matcher::index::Index;
use crate::matcher::word_token::term_feature;

/// Whether `t` counts as the [`features::RARE`] class: not a stop word,
/// not an unknown everyday word, and a term at most one example uses (and
/// no keyword) or one the knowledge base does not know.
pub(crate) fn is_rare(ix: &Index, t: &QueryToken) -> bool {
    is_rare_with(ix, t, || ix.space.get(&t.token.term))
}

/// [`is_rare`] with the feature id of `t`'s term given by `id` (called
/// only when needed).
fn is_rare_with(ix: &Index, t: &QueryToken, id: impl FnOnce() -> Option<u32>) -> bool {
    !t.token.stop && !t.everyday && id().is_none_or(|f| ix.rare[f as usize])
}

/// The utterance's unit feature vector (reused scratch space).
#[derive(Default)]
pub(crate) struct Query {
    /// (feature id, value), by feature id; unit length counting unknown words.
    pub x: Vec<(u32, f32)>,
    /// Per token of the analysis: the feature id of its term, if known
    /// (looked up once for the vector, the rare class and coverage).
    pub terms: Vec<Option<u32>>,
    /// Per token: whether it counts as the rare class ([`is_rare`]).
    rare: Vec<bool>,
    buf: String,
}

impl Query {
    /// Fills `self.x` with the unit feature vector of `a`.
    // Out of line, as the pipeline is fastest with it (see
    // docs/benchmarks.md, speed7).
    #[inline(never)]
    pub fn vector(&mut self, ix: &Index, a: &Analysis) {
        // Plain loops rather than `extend` of a mapped iterator: a build
        // without link-time optimisation called the adapter out of line.
        self.terms.clear();
        self.rare.clear();
        for t in &a.tokens {
            let id = term_feature(ix, t);
            self.terms.push(id);
            self.rare.push(is_rare_with(ix, t, || id));
        }
        let (terms, rare) = (&self.terms, &self.rare);
        let weighted = |k: usize| {
            let t = &a.tokens[k];
            (&t.token, t.weight, rare[k])
        };
        // A corrected word counts as CORRECTED_WEIGHT of the word; the
        // rest of its unigram's mass is unknown (it lengthens the vector).
        let mut unknown2: f32 = a
            .tokens
            .iter()
            .zip(terms)
            .filter(|(t, _)| t.corrected_from.is_some())
            .filter_map(|(t, &id)| {
                let idf = ix.idf[id? as usize];
                let s = if t.token.stop {
                    features::STOP_WEIGHT
                } else {
                    1.0
                };
                Some((s * idf).powi(2) * (1.0 - t.weight * t.weight).max(0.0))
            })
            .sum();
        let Query { x: q, buf, .. } = self;
        q.clear();
        let n = a.tokens.len();
        let term = |k: usize| terms[k];
        let ids = (&ix.space, &ix.pairs);
        features::for_each_id_of(n, weighted, term, ids, buf, |f, w| match f {
            Found::Id(id) => q.push((id, w)),
            Found::Unknown(k) => {
                // The token's own blended idf (a short scan: the first
                // token with this term; an unseen word's idf otherwise).
                let f = &a.tokens[k].token.term;
                let idf = a
                    .tokens
                    .iter()
                    .take(MAX_SCAN)
                    .find(|t| t.token.term == *f)
                    .map_or(ix.unknown_idf, |t| t.unknown_idf);
                unknown2 += (w * idf).powi(2)
            }
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
