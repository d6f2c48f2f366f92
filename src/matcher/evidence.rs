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

mod dense;
pub(crate) use dense::Dense;
use dense::{add_row, or_flags, FLAG_LANES};

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
    /// (summed in the order of `x`) and lists the intents reached. A
    /// feature with a row in `dense` is added as that row when the
    /// intents are collected by id (the sums are the same, see [`Dense`]).
    // Out of line, as the pipeline is fastest with it (see
    // docs/benchmarks.md, speed7).
    #[inline(never)]
    pub fn score(&self, dense: &Dense, q: &Query, out: &mut WordScores) {
        #[cfg(target_arch = "x86_64")]
        if super::nearest::wide::available() {
            // SAFETY: the CPU has the features `score_wide` is compiled
            // for (checked just above).
            unsafe { self.score_wide(dense, q, out) };
            return;
        }
        self.score_in(dense, q, out);
    }

    /// [`Weights::score`] compiled for AVX2 and POPCNT: dense rows eight
    /// lanes an instruction. The same operations on the same values in
    /// the same order, so the same bits (no fused multiply-add: Rust
    /// never contracts `x * w + l`).
    ///
    /// # Safety
    /// The CPU must have AVX2 and POPCNT.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,popcnt")]
    unsafe fn score_wide(&self, dense: &Dense, q: &Query, out: &mut WordScores) {
        self.score_in(dense, q, out);
    }

    /// [`Weights::score`] itself.
    #[inline(always)]
    #[allow(clippy::needless_range_loop)] // indexed on purpose, see below
    fn score_in(&self, dense: &Dense, q: &Query, out: &mut WordScores) {
        let WordScores {
            lin,
            seen,
            touched,
            intents,
        } = out;
        // Equal lengths, a power of two (`fit`): an intent id masked with
        // `mask` is itself (ids are below the length) and needs no bounds
        // check in the loops below.
        assert!(lin.len() == seen.len() && lin.len().is_power_of_two());
        let mask = lin.len() - 1;
        let (lin, seen) = (&mut lin[..=mask], &mut seen[..=mask]);
        let lists = || q.x.iter().map(|&(f, x)| (&self.weights[f as usize][..], x));
        let mut entries = 0;
        for &(f, _) in &q.x {
            entries += self.weights[f as usize].len();
        }
        super::work::add(q.x.len() + entries);
        if seen.len() <= entries {
            // Fewer intents than entries: flag without a branch, then
            // collect the flags (by intent id).
            for &(f, x) in &q.x {
                if let Some((row, present)) = dense.row(f, x) {
                    // Whole rows, which the compiler vectorises.
                    add_row(lin, row, x);
                    or_flags(seen, present);
                    continue;
                }
                for &(i, w) in &self.weights[f as usize] {
                    lin[i as usize & mask] += x * w;
                    seen[i as usize & mask] = true;
                }
            }
            flagged(&seen[..(*intents).min(seen.len())], touched);
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
    /// How many intents (`fit`): no flag after them is ever set.
    intents: usize,
}

/// Appends to `out` the index of every set flag of `seen`, in order
/// (what `filter` gives), without a branch: each index is written and
/// the end moved by its flag. The indexes go into a local slice of the
/// new entries (indexing `out` itself reloaded its length and pointer
/// for every flag: the store might have changed them, as far as the
/// compiler could tell).
fn flagged(seen: &[bool], out: &mut Vec<u32>) {
    let start = out.len();
    out.resize(start + seen.len(), 0);
    let slots = &mut out[start..];
    let mut k = 0;
    for (i, &s) in seen.iter().enumerate() {
        slots[k] = i as u32;
        k += usize::from(s);
    }
    out.truncate(start + k);
}

impl WordScores {
    /// Makes room for `n` intents (a power of two of them, at least
    /// [`FLAG_LANES`]: [`Weights::score`] masks ids instead of checking
    /// them, and adds a dense row's weights and flags, `n` rounded up to
    /// their lanes, [`dense::DENSE_LANES`] and [`FLAG_LANES`], powers of two).
    pub fn fit(&mut self, n: usize) {
        self.intents = n;
        if self.lin.len() < n.max(FLAG_LANES) {
            let n = n.max(FLAG_LANES).next_power_of_two();
            self.lin.resize(n, 0.0);
            self.seen.resize(n, false);
        }
    }

    /// Back to all zeros. When a quarter or more of the entries were
    /// touched (BANKING77: all 77 intents of 128 on most lines), the whole
    /// arrays are zeroed, a fill the compiler vectorises, instead of the
    /// touched entries one by one: the same zeros, as every entry that is
    /// not touched is +0.0 and unflagged already ([`Weights::score`] adds
    /// only `x · 0.0` to an intent it does not flag, which leaves +0.0).
    pub fn reset(&mut self) {
        if self.touched.len() * 4 >= self.lin.len() {
            super::reset_all(&mut self.lin, 0.0);
            super::reset_all(&mut self.seen, false);
        } else {
            for &i in &self.touched {
                self.lin[i as usize] = 0.0;
                self.seen[i as usize] = false;
            }
        }
        self.touched.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::super::analysis::Query;
    use super::{flagged, Dense, Weights, WordScores};
    use crate::testing::XorShift;

    /// `flagged` lists what filtering the flags lists, after what the
    /// list held.
    #[test]
    fn flagged_lists_the_set_flags() {
        let mut rng = XorShift(0x853c_49e6_748f_ea9b);
        for len in 0..=140 {
            for _ in 0..50 {
                let share = rng.next() % 101;
                let seen: Vec<bool> = (0..len).map(|_| rng.next() % 100 < share).collect();
                let before: Vec<u32> = (0..rng.next() % 3).map(|k| k as u32 + 500).collect();
                let mut want = before.clone();
                want.extend((0u32..).zip(&seen).filter(|p| *p.1).map(|p| p.0));
                let mut got = before;
                flagged(&seen, &mut got);
                assert_eq!(got, want, "{seen:?}");
            }
        }
    }

    /// `Weights::score` with rows and without give the same word evidence
    /// (the same bits) and the same intents, in the same order, on
    /// generated weights and queries: lists of every length, zero and
    /// negative weights, zero, tiny and huge query values.
    #[test]
    fn dense_rows_give_the_sums_of_the_lists() {
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        let values = [0.0f32, -0.0, 1.0, -1.0, 0.5, 1e-30, -1e-30, 3e38, 0.1, -0.3];
        // Queries that took at least one row (the rows are used only
        // when the intents are collected by id).
        let mut with_rows = 0;
        for round in 0..400 {
            let n_intents = 1 + (rng.next() % 90) as usize;
            let n_feat = 1 + (rng.next() % 12) as usize;
            let mut weights: Vec<Vec<(u32, f32)>> = Vec::new();
            for _ in 0..n_feat {
                let share = rng.next() % 101;
                let mut list = Vec::new();
                for i in 0..n_intents as u32 {
                    if rng.next() % 100 >= share {
                        continue;
                    }
                    let w = if rng.next() % 3 == 0 {
                        values[(rng.next() % values.len() as u64) as usize]
                    } else {
                        (rng.next() % 2001) as f32 / 1000.0 - 1.0
                    };
                    list.push((i, w));
                }
                weights.push(list);
            }
            let w = Weights {
                weights,
                word_scale: 1.0,
            };
            let idf: Vec<f32> = (0..n_feat).map(|f| (f % 3) as f32).collect();
            let dense = Dense::new(&w, n_intents, &idf);
            let none = Dense::default();
            for _ in 0..20 {
                let mut q = Query::default();
                for f in 0..n_feat as u32 {
                    if rng.next() % 2 == 0 {
                        let x = if rng.next() % 4 == 0 {
                            values[(rng.next() % values.len() as u64) as usize]
                        } else {
                            (rng.next() % 1000) as f32 / 997.0
                        };
                        q.x.push((f, x));
                    }
                }
                if round % 50 == 0 && !q.x.is_empty() {
                    q.x[0].1 = f32::NAN;
                }
                let run = |d: &Dense, wide: bool| {
                    let mut out = WordScores::default();
                    out.fit(n_intents);
                    if wide {
                        #[cfg(target_arch = "x86_64")]
                        // SAFETY: `wide` only when the CPU has the features.
                        unsafe {
                            w.score_wide(d, &q, &mut out)
                        };
                    } else {
                        w.score_in(d, &q, &mut out);
                    }
                    let lin: Vec<u32> = out
                        .touched
                        .iter()
                        .map(|&i| out.lin[i as usize].to_bits())
                        .collect();
                    let rest = out
                        .lin
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !out.touched.contains(&(*i as u32)))
                        .all(|(_, l)| l.to_bits() == 0);
                    let result = (out.touched.clone(), lin, rest);
                    // Either way of zeroing leaves all zeros.
                    out.reset();
                    assert!(out.lin.iter().all(|l| l.to_bits() == 0));
                    assert!(out.seen.iter().all(|s| !s));
                    result
                };
                let (a, b) = (run(&dense, false), run(&none, false));
                assert_eq!(a, b, "{:?} {:?}", w.weights, q.x);
                assert!(a.2);
                if super::super::nearest::tests::wide_available() {
                    // The copy compiled for AVX2 gives the same bits.
                    assert_eq!(run(&dense, true), a, "{:?} {:?}", w.weights, q.x);
                    assert_eq!(run(&none, true), a);
                }
                let entries: usize = q.x.iter().map(|&(f, _)| w.weights[f as usize].len()).sum();
                let lanes = n_intents.max(8).next_power_of_two();
                with_rows += usize::from(
                    lanes <= entries && q.x.iter().any(|&(f, x)| dense.row(f, x).is_some()),
                );
            }
        }
        assert!(with_rows > 2000, "{with_rows}");
    }
}
