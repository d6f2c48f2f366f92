//! The intent classifier of a small knowledge base: a softmax regression
//! on the sentence embeddings of its phrasings (title, examples, title +
//! answer) and answers, trained when the knowledge base loads.
//!
//! The closest phrasing's cosine compares a question with one text at a
//! time; a customer who describes a situation is often nearer some other
//! intent's phrasing than to any one of the right intent's. The classifier
//! learns, from all the texts of every intent at once, which directions of
//! the embedding space tell the intents apart (a frozen sentence model
//! with a trained linear head, as in few-shot intent detection). On the
//! four development sheets (`tests/fixtures/devsheets`) its top intent was
//! right for 103 of 120 customer questions, the closest phrasing +
//! 0.5 × answer's for 96 (see docs/semantic.md, eleventh round).
//!
//! Its probability of each candidate and its lead over the best other
//! intent's are two more features of the fusion ([`super::fusion`]),
//! fitted like the others on the knowledge base's own held-out texts (one
//! classifier per fold, trained without them). Only for knowledge bases
//! of at most [`MAX_PHRASINGS`] phrasings (a spreadsheet of a few dozen
//! rows): training costs `texts × dim × intents × STEPS` multiply-adds
//! per classifier, and a large knowledge base's fit has its own examples
//! to lean on.

use super::index::SemanticIndex;

/// Knowledge bases with more embedded phrasings than this get no
/// classifier (the fusion then uses its six features alone, as before).
pub const MAX_PHRASINGS: usize = 150;
/// The embeddings are scaled by this before the softmax (cosine-sized
/// inputs would need huge weights; 5–20 gave the same top-1 on the
/// development sheets).
pub const TEMPERATURE: f32 = 10.0;
/// L2 penalty on the weights.
pub const L2: f32 = 1e-3;
/// Gradient steps (full batch).
pub const STEPS: usize = 100;
/// Step size.
pub const RATE: f32 = 1.5;
/// Weight of an answer text relative to a phrasing (the development
/// sheets' top-1 was the same at 0.5 and 1.0, 98 without answers).
pub const ANSWER_WEIGHT: f32 = 1.0;

/// A trained classifier: one weight row and bias per intent.
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    dim: usize,
    /// `[intents, dim]`, row-major (applied to embeddings × [`TEMPERATURE`]).
    weights: Vec<f32>,
    bias: Vec<f32>,
    /// Intents that had training texts; the others get probability 0.
    present: Vec<bool>,
}

impl Head {
    /// Trains the classifier of `index` on its phrasings `p` with
    /// `keep_phrasing(p)` and the answers of the intents `i` with
    /// `keep_answer(i)` (the fusion's fit holds texts out this way);
    /// `None` when the index has more than [`MAX_PHRASINGS`] phrasings or
    /// fewer than two intents have texts. Deterministic.
    pub fn train(
        index: &SemanticIndex,
        keep_phrasing: impl Fn(usize) -> bool,
        keep_answer: impl Fn(usize) -> bool,
    ) -> Option<Head> {
        let phrasings = index.phrasings();
        if phrasings.len() > MAX_PHRASINGS {
            return None;
        }
        let intents = index.intents();
        let mut texts: Vec<(&[f32], usize, f32)> = Vec::new();
        for (p, ph) in phrasings.iter().enumerate() {
            if keep_phrasing(p) {
                texts.push((index.phrasing_vec(p), ph.intent, 1.0));
            }
        }
        for i in 0..intents {
            let v = index.answer_vec(i);
            if keep_answer(i) && !v.is_empty() {
                texts.push((v, i, ANSWER_WEIGHT));
            }
        }
        let mut present = vec![false; intents];
        for t in &texts {
            present[t.1] = true;
        }
        if present.iter().filter(|&&p| p).count() < 2 {
            return None;
        }
        Some(Head::fit(index.dim(), &texts, present))
    }

    fn fit(dim: usize, texts: &[(&[f32], usize, f32)], present: Vec<bool>) -> Head {
        let classes = present.len();
        let total: f32 = texts.iter().map(|t| t.2).sum();
        let mut head = Head {
            dim,
            weights: vec![0.0; classes * dim],
            bias: vec![0.0; classes],
            present,
        };
        let mut gw = vec![0.0f32; classes * dim];
        let mut gb = vec![0.0f32; classes];
        for _ in 0..STEPS {
            gw.iter_mut().for_each(|g| *g = 0.0);
            gb.iter_mut().for_each(|g| *g = 0.0);
            for &(x, y, w) in texts {
                let p = head.probabilities(x);
                for c in (0..classes).filter(|&c| head.present[c]) {
                    let err = w * (p[c] - if c == y { 1.0 } else { 0.0 }) / total;
                    gb[c] += err;
                    let e = err * TEMPERATURE;
                    for (g, xv) in gw[c * dim..(c + 1) * dim].iter_mut().zip(x) {
                        *g += e * xv;
                    }
                }
            }
            for (w, g) in head.weights.iter_mut().zip(&gw) {
                *w -= RATE * (g + L2 * *w);
            }
            for (b, g) in head.bias.iter_mut().zip(&gb) {
                *b -= RATE * g;
            }
        }
        head
    }

    /// The probability (0.0..=1.0) of each intent for the embedded
    /// question `q` (`dim` values, from the same model), indexed by
    /// intent; intents without training texts get 0.0. Empty when `q`
    /// has another length.
    pub fn probabilities(&self, q: &[f32]) -> Vec<f32> {
        if q.len() != self.dim || self.dim == 0 {
            return Vec::new();
        }
        let z: Vec<f32> = (0..self.bias.len())
            .map(|c| {
                let row = &self.weights[c * self.dim..(c + 1) * self.dim];
                let dot: f32 = row.iter().zip(q).map(|(w, x)| w * x).sum();
                TEMPERATURE * dot + self.bias[c]
            })
            .collect();
        let max = z
            .iter()
            .zip(&self.present)
            .filter(|(_, &p)| p)
            .map(|(z, _)| *z)
            .fold(f32::NEG_INFINITY, f32::max);
        let e: Vec<f32> = z
            .iter()
            .zip(&self.present)
            .map(|(z, &p)| if p { (z - max).exp() } else { 0.0 })
            .collect();
        let sum: f32 = e.iter().sum();
        e.iter().map(|v| v / sum).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classifier_learns_which_direction_is_which_intent() {
        // Two intents in a 3-d space, the third dimension shared noise.
        let a = [0.9f32, 0.1, 0.42];
        let b = [0.1f32, 0.9, 0.42];
        let texts: Vec<(&[f32], usize, f32)> = vec![(&a, 0, 1.0), (&b, 1, 1.0)];
        let h = Head::fit(3, &texts, vec![true, true, false]);
        let p = h.probabilities(&[0.8, 0.3, 0.5]);
        assert!(p[0] > 0.8 && p[1] < 0.2, "{p:?}");
        assert_eq!(p[2], 0.0, "an intent without texts is never likely");
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(h.probabilities(&[1.0]).is_empty());
    }
}
