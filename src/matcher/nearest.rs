//! Stage 5, nearest example: the unit feature vector `x` → for the best
//! few candidates, the highest cosine `n` between `x` and one of the
//! intent's examples.
//!
//! Takes the `Query` vector and the shortlisted candidates (best first);
//! gives `Near`: per intent, `(n, example)`. An utterance equal to an
//! example after normalisation has `n = 1` (`Near::exact`, looked up
//! before the candidates are chosen, since it forces its intent in). The
//! cosines come through postings of the examples' unit vectors, grouped
//! by intent, restricted to the [`NEAREST_CANDIDATES`] candidates, so the
//! cost does not grow with the number of examples.

use super::analysis::{Analysis, Query};
use super::index::Index;

/// How many candidate intents (best by evidence without it) get their
/// nearest example computed.
pub const NEAREST_CANDIDATES: usize = 3;

/// Postings of the examples' unit vectors.
pub(crate) struct Examples {
    /// Per feature: (example, value in the example's unit vector), by example.
    post: Vec<Vec<(u32, f32)>>,
    /// Per feature: (intent, range of `post[f]` holding its examples), by intent.
    ranges: Vec<Vec<(u32, u32, u32)>>,
}

/// Nearest examples of one utterance (scratch reused between utterances;
/// all zeros between calls).
#[derive(Default)]
pub(crate) struct Near {
    /// Per intent: (cosine n, example), or (0.0, `u32::MAX`) when none.
    pub near: Vec<(f32, u32)>,
    touched: Vec<u32>,
    is_cand: Vec<bool>,
    dot: Vec<f32>,
}

impl Near {
    /// Makes room for `n` intents and `e` examples.
    pub fn fit(&mut self, n: usize, e: usize) {
        if self.near.len() < n {
            self.near.resize(n, (0.0, u32::MAX));
            self.is_cand.resize(n, false);
        }
        if self.dot.len() < e {
            self.dot.resize(e, 0.0);
        }
    }

    /// The intent of the example `a` equals after normalisation, if any
    /// (its nearest example, `n = 1`).
    pub fn exact(&mut self, ix: &Index, a: &Analysis) -> Option<u32> {
        let &e = ix.exact.get(&a.folded)?;
        let i = ix.ex_intent[e as usize];
        self.near[i as usize] = (1.0, e);
        self.touched.push(i);
        Some(i)
    }

    /// Back to all zeros.
    pub fn reset(&mut self) {
        for &i in &self.touched {
            self.near[i as usize] = (0.0, u32::MAX);
        }
        self.touched.clear();
    }
}

impl Examples {
    /// Indexes the examples' unit vectors (`ex_vecs`, one per example).
    pub fn new(ix: &Index, ex_vecs: &[Vec<(u32, f32)>]) -> Self {
        let n_feat = ix.space.len();
        // Each list at its final size (no growth, no spare capacity):
        // per feature, its examples and the runs of their intents.
        let mut sizes = vec![(0usize, 0usize, u32::MAX); n_feat];
        for (e, v) in ex_vecs.iter().enumerate() {
            let i = ix.ex_intent[e];
            for &(f, _) in v {
                let (n_post, n_ranges, last) = &mut sizes[f as usize];
                *n_post += 1;
                if *last != i || *n_ranges == 0 {
                    *n_ranges += 1;
                    *last = i;
                }
            }
        }
        let mut post: Vec<Vec<(u32, f32)>> = sizes
            .iter()
            .map(|&(n, _, _)| Vec::with_capacity(n))
            .collect();
        let mut ranges: Vec<Vec<(u32, u32, u32)>> = sizes
            .iter()
            .map(|&(_, n, _)| Vec::with_capacity(n))
            .collect();
        drop(sizes);
        for (e, v) in ex_vecs.iter().enumerate() {
            let i = ix.ex_intent[e];
            for &(f, x) in v {
                let (post, ranges) = (&mut post[f as usize], &mut ranges[f as usize]);
                match ranges.last_mut() {
                    Some(r) if r.0 == i => r.2 += 1,
                    _ => ranges.push((i, post.len() as u32, post.len() as u32 + 1)),
                }
                post.push((e as u32, x));
            }
        }
        Examples { post, ranges }
    }

    /// The nearest example and its cosine for each of the first
    /// [`NEAREST_CANDIDATES`] of `cands` (best first) without an exact
    /// match, into `out`.
    pub fn find(&self, ix: &Index, q: &Query, cands: &[(f32, u32)], out: &mut Near) {
        let cands = &cands[..cands.len().min(NEAREST_CANDIDATES)];
        let k = cands.len();
        for &(_, i) in cands {
            out.is_cand[i as usize] = true;
        }
        let Near {
            near,
            touched,
            is_cand,
            dot,
        } = out;
        // Local slices: the loops below then keep their pointers in
        // registers instead of reloading them through `out` per entry.
        let (is_cand, dot) = (&mut is_cand[..], &mut dot[..]);
        for &(f, x) in &q.x {
            let post = &self.post[f as usize][..];
            let ranges = &self.ranges[f as usize][..];
            let mut add = |&(_, from, to): &(u32, u32, u32)| {
                for &(e, v) in &post[from as usize..to as usize] {
                    dot[e as usize] += x * v;
                }
            };
            // A feature many intents use (ranges by intent, ascending):
            // look the few candidates up instead of scanning them all.
            if ranges.len() > 8 * k.max(1) {
                for c in cands {
                    if let Ok(r) = ranges.binary_search_by_key(&c.1, |r| r.0) {
                        add(&ranges[r]);
                    }
                }
            } else {
                for r in ranges.iter().filter(|r| is_cand[r.0 as usize]) {
                    add(r);
                }
            }
        }
        for &(_, i) in cands {
            let i = i as usize;
            let (from, to) = (ix.int_start[i], ix.int_start[i + 1]);
            // The first example of the highest cosine (untouched ones
            // are 0.0 and never win), its cosine capped at 1.0.
            let mut best = (0.0f32, u32::MAX);
            for (e, d) in (from..to).zip(&mut dot[from as usize..to as usize]) {
                if *d > best.0 {
                    best = (d.min(1.0), e);
                }
                *d = 0.0;
            }
            if near[i].0 < 1.0 {
                near[i] = best;
                touched.push(i as u32);
            }
            is_cand[i] = false;
        }
    }
}
