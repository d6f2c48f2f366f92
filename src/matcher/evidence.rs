//! Stage 2, word evidence: the unit feature vector `x` → each intent's
//! word evidence `l_i`, through per-feature, per-intent word weights
//! learned deterministically when the knowledge base is loaded.
//!
//! Takes the `Query` vector; gives `WordScores`: `l_i` for every intent
//! any feature of the utterance has a weight for, and, for the trace, each feature's share of one
//! intent's evidence (`Weights::shares`). Built from the examples' unit
//! vectors (`Weights::learn`), which also measures the word scale.
//!
//!
//! See [`super::linear`] for how the weights are learned.

use super::analysis::Query;
use super::index::Index;
use super::linear::{is_common, train_with_progress, typical_score, Sample};
use super::stable_hash;

/// The learned weights and word scale of one knowledge base.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Weights {
    /// Per feature: (intent, weight), sorted by intent.
    #[serde(with = "super::snapshot::packed::lists")]
    pub weights: Vec<Vec<(u32, f32)>>,
    /// The word scale m (see [`super::Matcher::word_scale`]).
    pub word_scale: f32,
}

impl Weights {
    /// Learns the weights from the examples' unit vectors, leaving common
    /// features out (see the module doc).
    pub fn learn(ix: &Index, ex_vecs: &[Vec<(u32, f32)>]) -> Self {
        let (n_feat, n_intents) = (ix.space.len(), ix.n_intents);
        let common: Vec<bool> = ix
            .owners
            .iter()
            .map(|o| is_common(o.len(), n_intents))
            .collect();
        let pruned: Vec<Vec<(u32, f32)>> = if common.contains(&true) {
            ex_vecs
                .iter()
                .map(|x| {
                    x.iter()
                        .copied()
                        .filter(|&(f, _)| !common[f as usize])
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        };
        let train_x = if pruned.is_empty() { ex_vecs } else { &pruned };
        // Rivals of equal score are told apart by their texts, not their
        // position (`Index::tie`).
        let tie = &ix.tie;
        // The perceptron's result depends on the order it sees the
        // examples in: an order given by their text (the FNV-1a hash; the
        // same text in two intents by the intents' rank), never by intent
        // ids or file order.
        let mut order: Vec<(u64, u32, usize)> = ix
            .ex_text
            .iter()
            .take(train_x.len())
            .enumerate()
            .map(|(k, t)| (stable_hash(t), tie[ix.ex_intent[k] as usize], k))
            .collect();
        order.sort_unstable();
        let samples: Vec<Sample<'_>> = order
            .iter()
            .map(|&(_, _, k)| Sample {
                x: &train_x[k],
                y: ix.ex_intent[k],
            })
            .collect();
        let mut progress = Vec::new();
        let weights = train_with_progress(&samples, n_feat, tie, &mut progress);
        Weights {
            weights,
            word_scale: typical_score(progress),
        }
    }

    /// Adds every intent's word evidence `l_i = Σ_f x_f · w[f][i]` to `out`
    /// (summed in the order of `x`) and lists the intents reached.
    pub fn score(&self, q: &Query, out: &mut WordScores) {
        let WordScores { lin, seen, touched } = out;
        // Equal lengths, a power of two (`fit`): an intent id masked with
        // `mask` is itself (ids are below the length) and needs no bounds
        // check in the loops below.
        assert!(lin.len() == seen.len() && lin.len().is_power_of_two());
        let mask = lin.len() - 1;
        let (lin, seen) = (&mut lin[..=mask], &mut seen[..=mask]);
        let lists = || q.x.iter().map(|&(f, x)| (&self.weights[f as usize][..], x));
        let entries: usize = lists().map(|(l, _)| l.len()).sum();
        super::work::add(q.x.len() + entries);
        if seen.len() <= entries {
            // Fewer intents than entries: flag without a branch, then
            // collect the flags (by intent id).
            for (list, x) in lists() {
                for &(i, w) in list {
                    lin[i as usize & mask] += x * w;
                    seen[i as usize & mask] = true;
                }
            }
            touched.extend((0u32..).zip(seen.iter()).filter(|p| *p.1).map(|p| p.0));
        } else {
            // Many intents (a pass over all would cost more than the
            // entries): each one listed when first reached.
            for (list, x) in lists() {
                for &(i, w) in list {
                    if !seen[i as usize & mask] {
                        seen[i as usize & mask] = true;
                        touched.push(i);
                    }
                    lin[i as usize & mask] += x * w;
                }
            }
        }
    }

    /// Each feature's share of `part` (a part of the confidence) for intent
    /// `i` with word evidence `l > 0`: `part · x_f · w[f][i] / l`, largest
    /// magnitude first, then by feature id.
    pub fn shares(&self, i: usize, q: &Query, l: f32, part: f32) -> Vec<(u32, f32)> {
        let mut feats: Vec<(u32, f32)> = Vec::with_capacity(q.x.len());
        for &(f, x) in &q.x {
            let list = &self.weights[f as usize];
            if let Ok(k) = list.binary_search_by_key(&(i as u32), |e| e.0) {
                feats.push((f, part * x * list[k].1 / l));
            }
        }
        feats.sort_unstable_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        feats
    }
}

/// Word evidence per intent (scratch reused between utterances; all
/// zeros between calls).
#[derive(Default)]
pub(crate) struct WordScores {
    /// Per intent: l.
    pub lin: Vec<f32>,
    seen: Vec<bool>,
    /// The intents with a weight on any feature (by id or in the order
    /// reached; the candidates do not depend on the order).
    pub touched: Vec<u32>,
}

impl WordScores {
    /// Makes room for `n` intents (a power of two of them, at least one:
    /// [`Weights::score`] masks ids instead of checking them).
    pub fn fit(&mut self, n: usize) {
        if self.lin.len() < n.max(1) {
            let n = n.next_power_of_two();
            self.lin.resize(n, 0.0);
            self.seen.resize(n, false);
        }
    }

    /// Back to all zeros.
    pub fn reset(&mut self) {
        for &i in &self.touched {
            self.lin[i as usize] = 0.0;
            self.seen[i as usize] = false;
        }
        self.touched.clear();
    }
}
