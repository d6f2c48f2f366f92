//! One candidate intent of the fusion and its semantic evidence: the
//! lexical ranking joined with the semantically closest intents, each
//! with its closest-phrasing and answer cosines and the best other
//! intent's (the rivals the leads are measured against). The model that
//! turns a candidate into a probability is in [`super::fusion`].

use super::fusion::{COEFFICIENTS, P_FLOOR, SEMANTIC_LEAD, SEMANTIC_LEAD_FLOOR};
use super::index::IntentSimilarity;
use rustc_hash::FxHashMap;

fn logit(p: f32) -> f32 {
    let p = p.clamp(P_FLOOR, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

/// One candidate's evidence.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Candidate {
    pub(super) intent: usize,
    /// Lexical confidence, 0.0..=1.0 (0.0 when not ranked).
    pub(super) lexical: f32,
    /// Closest-phrasing cosine (-1.0 when the intent has no phrasing).
    pub(super) phrasing: f32,
    /// Answer cosine.
    pub(super) answer: f32,
    /// Best other intent's closest-phrasing cosine.
    pub(super) phrasing_rival: f32,
    /// Best other intent's answer cosine.
    pub(super) answer_rival: f32,
    /// Index of the closest phrasing in the index.
    pub(super) closest: Option<usize>,
}

impl Candidate {
    pub(super) fn features(&self) -> [f32; COEFFICIENTS] {
        [
            1.0,
            logit(self.lexical),
            self.phrasing,
            self.answer,
            self.phrasing - self.phrasing_rival,
            self.answer - self.answer_rival,
        ]
    }
}

/// The candidates of one question: its lexical ranking (intent,
/// confidence) and the `semantic` first of its semantic similarities
/// (best first).
impl Candidate {
    /// The lead of the closest phrasing over every other intent's when the
    /// lead rule applies: the lexical stages rank the intent, the lead is
    /// at least [`SEMANTIC_LEAD`] and the cosine at least
    /// [`SEMANTIC_LEAD_FLOOR`].
    pub(super) fn semantic_lead(&self) -> Option<f32> {
        let lead = self.phrasing - self.phrasing_rival;
        (self.lexical > 0.0 && self.phrasing >= SEMANTIC_LEAD_FLOOR && lead >= SEMANTIC_LEAD)
            .then_some(lead)
    }
}

pub(super) fn candidates(
    lexical: &[(usize, f32)],
    sims: &[IntentSimilarity],
    semantic: usize,
) -> Vec<Candidate> {
    let mut ids: Vec<usize> = lexical.iter().map(|&(i, _)| i).collect();
    for s in sims.iter().take(semantic) {
        if !ids.contains(&s.intent) {
            ids.push(s.intent);
        }
    }
    let sim_of: FxHashMap<usize, &IntentSimilarity> = sims.iter().map(|s| (s.intent, s)).collect();
    let best_phrasing = best_two(sims.iter().map(|s| (s.phrasing, s.intent)));
    let best_answer = best_two(sims.iter().map(|s| (s.answer, s.intent)));
    let rival = |best: &[(f32, usize); 2], i: usize| {
        if best[0].1 == i {
            best[1].0
        } else {
            best[0].0
        }
    };
    let lex_of = |i: usize| lexical.iter().find(|r| r.0 == i).map_or(0.0, |r| r.1);
    ids.iter()
        .map(|&i| {
            let s = sim_of.get(&i);
            Candidate {
                intent: i,
                lexical: lex_of(i),
                phrasing: s.map_or(-1.0, |s| s.phrasing),
                answer: s.map_or(-1.0, |s| s.answer),
                phrasing_rival: rival(&best_phrasing, i),
                answer_rival: rival(&best_answer, i),
                closest: s.and_then(|s| s.closest),
            }
        })
        .collect()
}

/// The two best `(cosine, intent)` pairs, best first; `(-1.0, usize::MAX)`
/// where there are fewer.
fn best_two(xs: impl Iterator<Item = (f32, usize)>) -> [(f32, usize); 2] {
    xs.fold([(-1.0f32, usize::MAX); 2], |mut top, x| {
        if x.0 > top[0].0 {
            top[1] = top[0];
            top[0] = x;
        } else if x.0 > top[1].0 {
            top[1] = x;
        }
        top
    })
}

#[cfg(test)]
mod tests {
    use super::super::fusion::{Fusion, SEMANTIC_CANDIDATES, SMALL_KB_CANDIDATES};
    use super::*;

    #[test]
    fn a_semantic_lead_needs_lexical_evidence_and_a_close_phrasing() {
        let c = |lexical, phrasing, phrasing_rival| Candidate {
            intent: 0,
            lexical,
            phrasing,
            answer: 0.0,
            phrasing_rival,
            answer_rival: 0.0,
            closest: None,
        };
        let lead = c(0.01, 0.62, 0.45).semantic_lead().expect("lead 0.17");
        assert!((lead - 0.17).abs() < 1e-5);
        // The new user's pizza question: far from every phrasing.
        assert_eq!(c(0.01, 0.40, 0.21).semantic_lead(), None);
        assert_eq!(c(0.0, 0.62, 0.45).semantic_lead(), None);
        assert_eq!(c(0.3, 0.62, 0.50).semantic_lead(), None);
    }

    #[test]
    fn candidates_join_lexical_and_semantic_intents() {
        let sim = |intent, phrasing| IntentSimilarity {
            intent,
            phrasing,
            closest: None,
            answer: phrasing / 2.0,
            score: phrasing,
        };
        let sims = vec![sim(2, 0.8), sim(0, 0.5), sim(1, 0.2), sim(3, 0.1)];
        let c = candidates(&[(0, 0.6), (1, 0.3)], &sims, SEMANTIC_CANDIDATES);
        let ids: Vec<usize> = c.iter().map(|c| c.intent).collect();
        assert_eq!(ids, vec![0, 1, 2]);
        // More semantic candidates reach further down the semantic ranking.
        let more = candidates(&[(0, 0.6)], &sims, SMALL_KB_CANDIDATES);
        let ids: Vec<usize> = more.iter().map(|c| c.intent).collect();
        assert_eq!(ids, vec![0, 2, 1, 3]);
        assert!(Fusion::semantic_candidates(true) > Fusion::semantic_candidates(false));
        assert_eq!(c[0].answer_rival, 0.4);
        assert_eq!(c[2].answer_rival, 0.25);
        assert_eq!(c[2].lexical, 0.0);
        assert_eq!(c[2].phrasing_rival, 0.5);
        assert_eq!(c[0].phrasing_rival, 0.8);
    }
}
