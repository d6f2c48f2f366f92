//! Per-feature, per-intent word weights, learned deterministically when the
//! knowledge base is loaded (used by the word-evidence stage, [`super::evidence`]).
//!
//! The weights `w[f][i]` make the *word evidence* of intent `i` for an
//! utterance with (tf-idf, unit-length) feature vector `x`:
//!
//! ```text
//! l_i = Σ_f x_f · w[f][i]
//! ```
//!
//! so every feature's share of the evidence is one named number
//! (`'refund' → request_refund +0.21`).
//!
//! # How the weights are set
//!
//! An averaged passive-aggressive perceptron (Crammer et al. 2006, PA-I;
//! averaging as in Collins 2002) over the knowledge base's own examples:
//! for [`epochs`] passes over the examples, in an order shuffled by a
//! fixed-seed generator from an order given by a hash of their text (so the
//! result never changes between loads or machines, nor when intents are
//! renamed or reordered), each example `x` of intent `y` is scored against the intents
//! that have any weight on its features. When `y` does not beat the best
//! other intent `c` by a margin of 1, the weights move just enough to fix
//! that, at most [`STEP_CAP`]: `w[·][y] += τ·x`, `w[·][c] −= τ·x` with
//! `τ = min(STEP_CAP, (1 − (l_y − l_c)) / 2)`. The final weights are the
//! average over all steps, which generalises better than the last ones.
//!
//! Weights stay sparse: a feature only carries weights for intents that
//! use it or were confused with one that does. Cost: about
//! `passes × examples × features per example × weights per feature`,
//! some 40 ms for 10,000 examples. There is no model file and nothing to
//! train separately: the same knowledge base always gives the same weights.
//!
//! # Common features
//!
//! In a knowledge base of more than [`COMMON_MIN_INTENTS`] intents, a
//! feature that more than [`COMMON_SHARE`] of the intents use ("how",
//! "not working" in a catalogue of 10,000 products), or more than
//! [`COMMON_MAX_OWNERS`] of them, is left out of the learning and carries
//! no weight ([`is_common`]). Such a feature hardly
//! tells intents apart, yet its weight list would span thousands of
//! intents, and every example and utterance that has it would score them
//! all: for 10,000 intents this takes loading from about 7 s to about
//! 1.3 s and `faqbot check` from about 25 s to about 7 s, with the same
//! findings. Smaller knowledge bases (every corpus measured, the MINI
//! one) learn a weight for every feature: there a word most intents use
//! still carries evidence through its negative weights, and its weights
//! are cheap.

/// Most passes over the examples.
pub const EPOCHS: usize = 5;
/// Examples presented in all passes together, at least one pass: large
/// knowledge bases get fewer passes ([`epochs`]).
pub const PRESENTATIONS: usize = 30_000;

/// Passes over `n` examples: `PRESENTATIONS / n` rounded up, in
/// `1..=EPOCHS` (5 for up to 6,000 examples, 3 for 10,000, 1 above 30,000).
pub fn epochs(n: usize) -> usize {
    PRESENTATIONS.div_ceil(n.max(1)).clamp(1, EPOCHS)
}
/// Largest single correction τ.
pub const STEP_CAP: f32 = 0.5;
/// Share of the intents (0.0..=1.0) above which a feature is common, in a
/// knowledge base of more than [`COMMON_MIN_INTENTS`] intents.
pub const COMMON_SHARE: f32 = 0.5;
/// Knowledge bases of at most this many intents have no common features.
pub const COMMON_MIN_INTENTS: usize = 1000;
/// In a knowledge base of more than [`COMMON_MIN_INTENTS`] intents, a
/// feature used by more than this many intents is common too, whatever
/// their share: its weight list would grow with the knowledge base, and
/// so would the cost of every example that has it (loading 100,000
/// intents would grow with their square).
pub const COMMON_MAX_OWNERS: usize = 1000;

/// Whether a feature used by `owners` of the `n_intents` intents is common
/// (see the module doc): more than [`COMMON_SHARE`] of them or more than
/// [`COMMON_MAX_OWNERS`], in a knowledge base of more than
/// [`COMMON_MIN_INTENTS`] intents. Common features carry no learned
/// weight.
pub fn is_common(owners: usize, n_intents: usize) -> bool {
    n_intents > COMMON_MIN_INTENTS
        && (owners as f32 > COMMON_SHARE * n_intents as f32 || owners > COMMON_MAX_OWNERS)
}

/// Seed of the shuffling generator. The examples reach the learner in an
/// order given by a hash of their text (see [`super::evidence::Weights::learn`]),
/// so only this seed decides the order. Seeds change the weights only by
/// noise: 17 seeds cross-validated on the train splits of
/// `../shared/datasets` (`cargo run --release --example cv -- --repeats 20`)
/// gave mean top-1 and answered-right shares within 0.005 of each other;
/// this one (seed 12 of that run, `(12 + 1) · 0x2545_F491_4F6C_DD1D | 1`)
/// had the best mean. Test splits were not used.
const SEED: u64 = 0xe48d_6b61_0887_3a79;

/// A training example: sparse unit-length features and its intent.
pub(crate) struct Sample<'a> {
    pub x: &'a [(u32, f32)],
    pub y: u32,
}

/// xorshift64*: a tiny deterministic generator for shuffling.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One weight during training: intent, current weight, accumulated
/// step-weighted updates (for the average).
#[derive(Clone, Copy)]
struct Entry {
    intent: u32,
    w: f32,
    u: f64,
}

/// Largest `features × intents` for which the weights are learned in a
/// dense matrix (faster); larger knowledge bases use sparse lists.
pub const DENSE_LIMIT: usize = 1 << 22;

/// Learns the weights; returns, per feature, `(intent, weight)` sorted by
/// intent, without zero weights. The rival of an example is the best other
/// intent with any weight on its features (or none, scoring 0); between
/// rivals of exactly equal score, the one with the lower `tie` rank (one
/// per intent, `tie.len()` intents) wins, so that the result does not
/// depend on the intents' order when `tie` does not.
///
/// Also collects in `progress` the own-intent score of every
/// example that its intent wins in the first pass, before the example is
/// learned from (progressive validation).
pub(crate) fn train_with_progress(
    samples: &[Sample<'_>],
    n_features: usize,
    tie: &[u32],
    progress: &mut Vec<f32>,
) -> Vec<Vec<(u32, f32)>> {
    if n_features.saturating_mul(tie.len()) <= DENSE_LIMIT {
        train_dense(samples, n_features, tie, progress)
    } else {
        train_sparse(samples, n_features, tie, progress)
    }
}

/// [`train`] with `features × intents` matrices. An intent with any weight
/// on the example's features almost surely scores ≠ 0, so rivals are the
/// intents scoring ≠ 0, as in the sparse form.
fn train_dense(
    samples: &[Sample<'_>],
    n_features: usize,
    tie: &[u32],
    progress: &mut Vec<f32>,
) -> Vec<Vec<(u32, f32)>> {
    let nc = tie.len();
    let mut w = vec![0f32; n_features * nc];
    let mut u = vec![0f32; n_features * nc];
    let mut score = vec![0f32; nc];
    let mut order: Vec<usize> = (0..samples.len()).collect();
    let mut rng = Rng(SEED);
    let mut t: f32 = 1.0;
    for epoch in 0..epochs(samples.len()) {
        for k in (1..order.len()).rev() {
            order.swap(k, rng.below(k + 1));
        }
        for &e in &order {
            let s = &samples[e];
            score.iter_mut().for_each(|v| *v = 0.0);
            for &(f, x) in s.x {
                let base = f as usize * nc;
                for (sc, &wt) in score.iter_mut().zip(&w[base..base + nc]) {
                    *sc += x * wt;
                }
            }
            let y = s.y as usize;
            let own = score[y];
            let mut rival: Option<(usize, f32)> = None;
            for (c, &v) in score.iter().enumerate() {
                if c != y
                    && v != 0.0
                    && rival.is_none_or(|(rc, rv)| v > rv || (v == rv && tie[c] < tie[rc]))
                {
                    rival = Some((c, v));
                }
            }
            if let Some(tau) = correction(own, rival.map(|r| r.1), epoch == 0, progress) {
                for &(f, x) in s.x {
                    let base = f as usize * nc;
                    let d = tau * x;
                    w[base + y] += d;
                    u[base + y] += t * d;
                    if let Some((c, _)) = rival {
                        w[base + c] -= d;
                        u[base + c] -= t * d;
                    }
                }
            }
            t += 1.0;
        }
    }
    (0..n_features)
        .map(|f| {
            let base = f * nc;
            (0..nc)
                .filter(|&c| u[base + c] != 0.0)
                .map(|c| (c as u32, w[base + c] - u[base + c] / t))
                .filter(|(_, v)| *v != 0.0)
                .collect()
        })
        .collect()
}

fn train_sparse(
    samples: &[Sample<'_>],
    n_features: usize,
    tie: &[u32],
    progress: &mut Vec<f32>,
) -> Vec<Vec<(u32, f32)>> {
    let n_intents = tie.len();
    let mut weights: Vec<Vec<Entry>> = vec![Vec::new(); n_features];
    let mut score = vec![0f32; n_intents];
    let mut seen = vec![false; n_intents];
    let mut touched: Vec<u32> = Vec::new();
    let mut order: Vec<usize> = (0..samples.len()).collect();
    let mut rng = Rng(SEED);
    let mut t: f64 = 1.0;
    for epoch in 0..epochs(samples.len()) {
        for k in (1..order.len()).rev() {
            order.swap(k, rng.below(k + 1));
        }
        for &e in &order {
            let s = &samples[e];
            for &(f, x) in s.x {
                for en in &weights[f as usize] {
                    let i = en.intent as usize;
                    if !seen[i] {
                        seen[i] = true;
                        touched.push(en.intent);
                    }
                    score[i] += x * en.w;
                }
            }
            let own = score[s.y as usize];
            let mut rival: Option<(u32, f32)> = None;
            for &c in &touched {
                let v = score[c as usize];
                if c != s.y
                    && v != 0.0
                    && rival.is_none_or(|(rc, rv)| {
                        v > rv || (v == rv && tie[c as usize] < tie[rc as usize])
                    })
                {
                    rival = Some((c, v));
                }
            }
            if let Some(tau) = correction(own, rival.map(|r| r.1), epoch == 0, progress) {
                for &(f, x) in s.x {
                    let list = &mut weights[f as usize];
                    bump(list, s.y, tau * x, t);
                    if let Some((c, _)) = rival {
                        bump(list, c, -tau * x, t);
                    }
                }
            }
            for &c in &touched {
                score[c as usize] = 0.0;
                seen[c as usize] = false;
            }
            score[s.y as usize] = 0.0;
            touched.clear();
            t += 1.0;
        }
    }
    weights
        .into_iter()
        .map(|list| {
            let out: Vec<(u32, f32)> = list
                .into_iter()
                .map(|en| (en.intent, (f64::from(en.w) - en.u / t) as f32))
                .filter(|(_, w)| *w != 0.0)
                .collect();
            debug_assert!(out.windows(2).all(|p| p[0].0 < p[1].0));
            out
        })
        .collect()
}

/// The passive-aggressive step for one example: `None` when its own intent
/// already beats the best rival by the margin of 1, else τ. In the first
/// pass, an example its intent already wins records its score in
/// `progress` (progressive validation of the word scale).
fn correction(
    own: f32,
    rival: Option<f32>,
    first_pass: bool,
    progress: &mut Vec<f32>,
) -> Option<f32> {
    let rival_score = rival.unwrap_or(0.0);
    if first_pass && own > 0.0 && own > rival_score {
        progress.push(own);
    }
    let loss = 1.0 - (own - rival_score);
    (loss > 0.0).then(|| (loss / if rival.is_some() { 2.0 } else { 1.0 }).min(STEP_CAP))
}

/// Adds `delta` to the weight of `intent` in `list` (kept sorted by
/// intent: one binary search, however many intents share the feature).
fn bump(list: &mut Vec<Entry>, intent: u32, delta: f32, t: f64) {
    match list.binary_search_by_key(&intent, |e| e.intent) {
        Ok(k) => {
            let e = &mut list[k];
            e.w += delta;
            e.u += t * f64::from(delta);
        }
        Err(k) => list.insert(
            k,
            Entry {
                intent,
                w: delta,
                u: t * f64::from(delta),
            },
        ),
    }
}

/// Word scale used when no example could be scored (e.g. every intent has
/// a single example).
pub const DEFAULT_SCALE: f32 = 0.4;
/// Smallest word scale, so that a knowledge base of near-duplicates cannot
/// inflate every confidence.
pub const MIN_SCALE: f32 = 0.15;

/// The typical word evidence of a right match on an utterance not learned
/// from yet: the median of the `progress` scores collected by
/// [`train_with_progress`] (first pass, each example scored before it is
/// learned from, kept when its own intent wins). At least [`MIN_SCALE`];
/// [`DEFAULT_SCALE`] when there is none.
pub(crate) fn typical_score(mut progress: Vec<f32>) -> f32 {
    if progress.is_empty() {
        return DEFAULT_SCALE;
    }
    progress.sort_unstable_by(f32::total_cmp);
    progress[progress.len() / 2].max(MIN_SCALE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_only_in_large_knowledge_bases_and_above_the_share() {
        assert!(!is_common(COMMON_MIN_INTENTS, COMMON_MIN_INTENTS));
        assert!(is_common(COMMON_MIN_INTENTS, COMMON_MIN_INTENTS + 1));
        assert!(!is_common(COMMON_MIN_INTENTS / 2, COMMON_MIN_INTENTS + 1));
        assert!(!is_common(77, 77));
        // Above the absolute bound, whatever the share.
        assert!(is_common(COMMON_MAX_OWNERS + 1, 100_000));
        assert!(!is_common(COMMON_MAX_OWNERS, 100_000));
    }
}
