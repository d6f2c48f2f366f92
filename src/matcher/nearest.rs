//! Stage 5, nearest example: the unit feature vector `x` → for the best
//! few candidates, the highest cosine `n` between `x` and one of the
//! intent's examples.
//!
//! Takes the `Query` vector and the shortlisted candidates (best first);
//! gives `Near`: per intent, `(n, example)`. An utterance equal to an
//! example after normalisation has `n = 1` (`Near::exact`, looked up
//! before the candidates are chosen, since it forces its intent in). The
//! cosines come through postings of the examples' unit vectors, grouped
//! by intent, restricted to the [`NEAREST_CANDIDATES`] candidates (and
//! the out-of-scope intents among the candidates: their word evidence is
//! thin, see [`super::Matcher`]), so the cost does not grow with the
//! number of examples.

use super::analysis::{Analysis, Query};
use super::index::Index;

mod rows;
mod sets;
pub(crate) mod wide;
use rows::add_row;
pub(crate) use rows::{Rows, ROW_LANES};
pub(crate) use sets::RunSets;

/// How many candidate intents (best by evidence without it) get their
/// nearest example computed.
pub const NEAREST_CANDIDATES: usize = 3;

/// Postings of the examples' unit vectors, one flat array per kind
/// (a list per feature would cost an allocation and its header each).
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Examples {
    /// Feature f's postings are `post[post_at[f]..post_at[f + 1]]`.
    #[serde(with = "super::snapshot::packed::array")]
    post_at: Vec<u32>,
    /// Per feature: (example, value in the example's unit vector), by example.
    #[serde(with = "super::snapshot::packed::array")]
    post: Vec<(u32, f32)>,
    /// Feature f's runs are `ranges[range_at[f]..range_at[f + 1]]`.
    #[serde(with = "super::snapshot::packed::array")]
    range_at: Vec<u32>,
    /// Per feature: (intent, range of the feature's postings holding its
    /// examples), by intent.
    #[serde(with = "super::snapshot::packed::array")]
    ranges: Vec<(u32, u32, u32)>,
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
    /// Per candidate of the call: its place in the run sets
    /// ([`RunSets::slot`]).
    slots: Vec<(usize, u64)>,
}

impl Near {
    /// Makes room for `n` intents and `e` examples.
    pub fn fit(&mut self, n: usize, e: usize) {
        if self.near.len() < n {
            self.near.resize(n, (0.0, u32::MAX));
            self.is_cand.resize(n, false);
        }
        // A power of two of them, at least one: `Examples::find` masks
        // example ids instead of checking them; and room for a dense
        // row's padding after the last example ([`Rows`]).
        let e = e + ROW_LANES;
        if self.dot.len() < e {
            self.dot.resize(e.next_power_of_two(), 0.0);
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
    /// Whether these postings fit an index of `n_feat` features,
    /// `n_ex` examples and `n_intents` intents: offsets ascending and
    /// ending at the arrays' ends, every id in range, every run within its
    /// feature's postings (a snapshot read from the start-up cache).
    pub fn fits(&self, n_feat: usize, n_ex: usize, n_intents: usize) -> bool {
        let offsets_ok = |at: &[u32], len: usize| {
            at.len() == n_feat + 1
                && at.first() == Some(&0)
                && at.windows(2).all(|w| w[0] <= w[1])
                && at.last().is_some_and(|&e| e as usize == len)
        };
        offsets_ok(&self.post_at, self.post.len())
            && offsets_ok(&self.range_at, self.ranges.len())
            && self.post.iter().all(|p| (p.0 as usize) < n_ex)
            && (0..n_feat).all(|f| {
                let n = self.post_at[f + 1] - self.post_at[f];
                self.ranges[self.range_at[f] as usize..self.range_at[f + 1] as usize]
                    .iter()
                    .all(|&(i, a, b)| (i as usize) < n_intents && a <= b && b <= n)
            })
    }

    /// Indexes the examples' unit vectors (`ex_vecs`, one per example).
    pub fn new(ix: &Index, ex_vecs: &[Vec<(u32, f32)>]) -> Self {
        Self::of(ix.space.len(), &ix.ex_intent, ex_vecs)
    }

    /// [`Examples::new`] for `n_feat` features, example e belonging to
    /// intent `ex_intent[e]`.
    fn of(n_feat: usize, ex_intent: &[u32], ex_vecs: &[Vec<(u32, f32)>]) -> Self {
        // Per feature, how many postings and runs of intents: the
        // offsets of each feature's part of the flat arrays.
        let mut sizes = vec![(0u32, 0u32, u32::MAX); n_feat];
        for (e, v) in ex_vecs.iter().enumerate() {
            let i = ex_intent[e];
            for &(f, _) in v {
                let (n_post, n_ranges, last) = &mut sizes[f as usize];
                *n_post += 1;
                if *last != i || *n_ranges == 0 {
                    *n_ranges += 1;
                    *last = i;
                }
            }
        }
        let offsets = |n: &dyn Fn(&(u32, u32, u32)) -> u32| {
            let mut at = Vec::with_capacity(n_feat + 1);
            let mut sum = 0u32;
            at.push(0);
            for s in &sizes {
                sum += n(s);
                at.push(sum);
            }
            at
        };
        let post_at = offsets(&|s| s.0);
        let range_at = offsets(&|s| s.1);
        drop(sizes);
        let mut post = vec![(0u32, 0.0f32); post_at[n_feat] as usize];
        let mut ranges = vec![(0u32, 0u32, 0u32); range_at[n_feat] as usize];
        // Filled feature by feature in example order: the next free
        // posting and run of each feature.
        let mut next_post: Vec<u32> = post_at[..n_feat].to_vec();
        let mut next_range: Vec<u32> = range_at[..n_feat].to_vec();
        for (e, v) in ex_vecs.iter().enumerate() {
            let i = ex_intent[e];
            for &(f, x) in v {
                let f = f as usize;
                let local = next_post[f] - post_at[f];
                let r = next_range[f] as usize;
                if r > range_at[f] as usize && ranges[r - 1].0 == i {
                    ranges[r - 1].2 += 1;
                } else {
                    ranges[r] = (i, local, local + 1);
                    next_range[f] += 1;
                }
                post[next_post[f] as usize] = (e as u32, x);
                next_post[f] += 1;
            }
        }
        Examples {
            post_at,
            post,
            range_at,
            ranges,
        }
    }

    /// The nearest example and its cosine for each of the first `k` of
    /// `cands` (the [`NEAREST_CANDIDATES`] best, then any out-of-scope
    /// intents) without an exact match, into `out`. A run with a row in
    /// `rows` is added as that row (the same cosines, see [`Rows`]); a
    /// candidate's run of a feature with a set in `sets` is found there.
    // Out of line, as the pipeline is fastest with it (see
    // docs/benchmarks.md, speed7).
    #[inline(never)]
    #[allow(clippy::too_many_arguments)] // the stage's inputs, all read
    pub fn find(
        &self,
        ix: &Index,
        rows: &Rows,
        sets: &RunSets,
        q: &Query,
        cands: &[(f32, u32)],
        k: usize,
        out: &mut Near,
    ) {
        #[cfg(target_arch = "x86_64")]
        if wide::available() {
            // SAFETY: the CPU has the features `find_wide` is compiled
            // for (checked just above).
            unsafe { self.find_wide(&ix.int_start, rows, sets, q, cands, k, out) };
            return;
        }
        self.find_in(&ix.int_start, rows, sets, q, cands, k, out);
    }

    /// [`Examples::find_in`] compiled for AVX2 and POPCNT
    /// ([`wide::available`]): dense rows and the best example eight
    /// lanes an instruction, a run's row found with one `popcnt`. The
    /// same operations on the same values in the same order, so the same
    /// bits (no fused multiply-add: Rust never contracts `x * w + d`).
    ///
    /// # Safety
    /// The CPU must have AVX2 and POPCNT.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,popcnt")]
    #[allow(clippy::too_many_arguments)] // those of `find`
    unsafe fn find_wide(
        &self,
        int_start: &[u32],
        rows: &Rows,
        sets: &RunSets,
        q: &Query,
        cands: &[(f32, u32)],
        k: usize,
        out: &mut Near,
    ) {
        self.find_in(int_start, rows, sets, q, cands, k, out);
    }

    /// [`Examples::find`] with the examples of intent i at
    /// `int_start[i]..int_start[i + 1]`.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)] // those of `find`
    fn find_in(
        &self,
        int_start: &[u32],
        rows: &Rows,
        sets: &RunSets,
        q: &Query,
        cands: &[(f32, u32)],
        k: usize,
        out: &mut Near,
    ) {
        let cands = &cands[..cands.len().min(k)];
        let k = cands.len();
        let n_intents = int_start.len() - 1;
        for &(_, i) in cands {
            out.is_cand[i as usize] = true;
        }
        let Near {
            near,
            touched,
            is_cand,
            dot,
            slots,
        } = out;
        // A plain loop (`extend` with a `map` was called out of line).
        slots.clear();
        for c in cands {
            slots.push(sets.slot(c.1));
        }
        // Local slices: the loops below then keep their pointers in
        // registers instead of reloading them through `out` per entry.
        let (is_cand, dot) = (&mut is_cand[..], &mut dot[..]);
        // Example ids are below `dot`'s length, a power of two (`fit`).
        assert!(dot.len().is_power_of_two());
        let mask = dot.len() - 1;
        for &(f, x) in &q.x {
            let f = f as usize;
            let post = &self.post[self.post_at[f] as usize..self.post_at[f + 1] as usize];
            let first = self.range_at[f] as usize;
            let ranges = &self.ranges[first..self.range_at[f + 1] as usize];
            // `x · 0.0` is a zero only for a finite `x`.
            let with_rows = x.is_finite();
            let row = |r: usize| {
                let row = rows.row(first + r).filter(|_| with_rows)?;
                Some((int_start[ranges[r].0 as usize] as usize, row))
            };
            // A feature many intents use: each candidate's run found in
            // its set, or, without one, looked up by intent (ranges by
            // intent, ascending) instead of scanning them all. Each
            // candidate's examples get their own cosines, so the order
            // the candidates' runs are added in does not matter.
            if let Some(set) = sets.of(f) {
                for &slot in &*slots {
                    if let Some(r) = sets.run_in(set, slot) {
                        add_run(dot, mask, post, ranges[r], row(r), x);
                    }
                }
            } else if ranges.len() > 8 * k.max(1) {
                for c in cands {
                    if let Some(r) = run_at(ranges, c.1, n_intents) {
                        add_run(dot, mask, post, ranges[r], row(r), x);
                    }
                }
            } else {
                for (r, &run) in ranges.iter().enumerate() {
                    if is_cand[run.0 as usize] {
                        add_run(dot, mask, post, run, row(r), x);
                    }
                }
            }
        }
        for &(_, i) in cands {
            let i = i as usize;
            let (from, to) = (int_start[i], int_start[i + 1]);
            let dots = &mut dot[from as usize..to as usize];
            let best = best_of(dots, from);
            super::reset_all(dots, 0.0);
            if near[i].0 < 1.0 {
                near[i] = best;
                touched.push(i as u32);
            }
            is_cand[i] = false;
        }
    }
}

/// Adds `x` times a feature's run `(intent, from, to)` of `post` to the
/// cosines `dot` (a power of two long, `mask` its length minus one, which
/// every example id is below): as its dense row when it has one (`row`:
/// the intent's first example and the row), else posting by posting.
#[inline(always)]
fn add_run(
    dot: &mut [f32],
    mask: usize,
    post: &[(u32, f32)],
    (_, from, to): (u32, u32, u32),
    row: Option<(usize, &[f32])>,
    x: f32,
) {
    if let Some((at, row)) = row {
        add_row(&mut dot[at..at + row.len()], row, x);
        return;
    }
    // Masked with `mask` an id is itself and needs no bounds check (about
    // a third of the scatter's instructions).
    let dot = &mut dot[..=mask];
    // Four postings a turn (one loop test for four entries), then a pair
    // and a last one without a loop; the sums are the same: each entry is
    // still added in turn (docs/benchmarks.md, speed36).
    let mut fours = post[from as usize..to as usize].chunks_exact(4);
    for p in &mut fours {
        dot[p[0].0 as usize & mask] += x * p[0].1;
        dot[p[1].0 as usize & mask] += x * p[1].1;
        dot[p[2].0 as usize & mask] += x * p[2].1;
        dot[p[3].0 as usize & mask] += x * p[3].1;
    }
    let rest = fours.remainder();
    if rest.len() >= 2 {
        dot[rest[0].0 as usize & mask] += x * rest[0].1;
        dot[rest[1].0 as usize & mask] += x * rest[1].1;
    }
    if rest.len() & 1 == 1 {
        let (e, v) = rest[rest.len() - 1];
        dot[e as usize & mask] += x * v;
    }
}

impl Examples {
    /// Feature `f`'s runs: `(intent, from, to)`, ascending by intent, one
    /// per intent whose examples (its title counted as one) use `f`; the
    /// intent has `to - from` (at least 1) such examples, whose postings
    /// are `from..to` past the feature's first.
    pub fn runs(&self, f: u32) -> &[(u32, u32, u32)] {
        let f = f as usize;
        &self.ranges[self.range_at[f] as usize..self.range_at[f + 1] as usize]
    }

    /// Per intent, how many of its examples (its title counted as one)
    /// use every feature of `feats` (one or two feature ids): `(intent,
    /// count)`, ascending by intent, counts ≥ 1. Empty for none or more
    /// than two features.
    pub fn using_all(&self, feats: &[u32], n_intents: usize) -> Vec<(u32, u32)> {
        let runs = |f: u32| self.runs(f);
        let post = |f: u32, &(_, from, to): &(u32, u32, u32)| {
            let at = self.post_at[f as usize] as usize;
            &self.post[at + from as usize..at + to as usize]
        };
        match *feats {
            [f] => runs(f).iter().map(|&(i, a, b)| (i, b - a)).collect(),
            [f, g] => runs(f)
                .iter()
                .filter_map(|r| {
                    let other = run_of(runs(g), r.0, n_intents)?;
                    // Both runs hold example ids in ascending order.
                    let (mut x, mut y) = (post(f, r).iter().peekable(), post(g, other).iter());
                    let mut n = 0;
                    for &(e, _) in &mut y {
                        while x.next_if(|p| p.0 < e).is_some() {}
                        n += u32::from(x.peek().is_some_and(|p| p.0 == e));
                    }
                    (n > 0).then_some((r.0, n))
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The run of intent `i` among a feature's `ranges` (ascending by intent,
/// over `n_intents` intents): looked for first where it would be if the
/// runs were spread evenly (exactly there for a feature every intent
/// uses, such as a stop word), then by binary search.
fn run_of(ranges: &[(u32, u32, u32)], i: u32, n_intents: usize) -> Option<&(u32, u32, u32)> {
    Some(&ranges[run_at(ranges, i, n_intents)?])
}

/// Where [`run_of`]'s run is among `ranges`: at the guess, a few runs
/// from it (a feature most intents use misses it by a few), else where a
/// binary search finds it. The runs hold one intent each, ascending, so a
/// step past `i` means there is none.
#[inline]
fn run_at(ranges: &[(u32, u32, u32)], i: u32, n_intents: usize) -> Option<usize> {
    let guess = (i as usize * ranges.len() / n_intents.max(1)).min(ranges.len().checked_sub(1)?);
    let at = ranges[guess].0;
    if at == i {
        return Some(guess);
    }
    // Plain index loops (a zipped iterator was called out of line in a
    // build without link-time optimisation).
    let near = if at < i {
        (guess + 1..ranges.len().min(guess + 1 + RUN_STEPS)).find(|&k| ranges[k].0 >= i)
    } else {
        (guess.saturating_sub(RUN_STEPS)..guess)
            .rev()
            .find(|&k| ranges[k].0 <= i)
    };
    match near {
        Some(k) => (ranges[k].0 == i).then_some(k),
        None => ranges.binary_search_by_key(&i, |r| r.0).ok(),
    }
}

/// How many runs [`run_at`] looks at on one side of its guess before it
/// searches.
const RUN_STEPS: usize = 4;

/// The nearest of one intent's examples: `dots` are the cosines of its
/// examples, the first numbered `first`. Gives what the scan "the first
/// example whose cosine beats the best so far, which is then that cosine
/// capped at 1.0" gives (untouched examples are 0.0 and never win; a
/// cosine over 1.0 is rounding), as (cosine, example) or
/// (0.0, `u32::MAX`): the largest cosine is found first (eight lanes at a
/// time, which the compiler turns into vector instructions), then its
/// first example (the first eight holding it, each eight compared at
/// once, then its place among them), or, when rounding took it over 1.0,
/// the last example over 1.0 (each such one replaces the capped 1.0
/// before it).
#[inline(always)]
#[allow(clippy::needless_range_loop)] // indexed on purpose
fn best_of(dots: &[f32], first: u32) -> (f32, u32) {
    // Indexed loops, not zipped or chained iterators: a build without
    // link-time optimisation called their adapters out of line.
    let mut lanes = [0.0f32; 8];
    let mut chunks = dots.chunks_exact(8);
    for c in &mut chunks {
        let c = &c[..8];
        for j in 0..8 {
            let (m, d) = (lanes[j], c[j]);
            lanes[j] = if d > m { d } else { m };
        }
    }
    let mut top = 0.0f32;
    for &d in chunks.remainder() {
        top = if d > top { d } else { top };
    }
    for d in lanes {
        top = if d > top { d } else { top };
    }
    let at = |p: Option<usize>| p.map_or((0.0, u32::MAX), |p| (top.min(1.0), first + p as u32));
    if top > 1.0 {
        at(dots.iter().rposition(|&d| d > 1.0))
    } else if top > 0.0 {
        let eights = dots
            .chunks_exact(8)
            .position(|c| c.iter().fold(false, |holds, &d| holds | (d == top)));
        // Past the eights only when none holds it.
        let from = eights.map_or(dots.len() / 8 * 8, |c| c * 8);
        at(dots[from..]
            .iter()
            .position(|&d| d == top)
            .map(|p| from + p))
    } else {
        (0.0, u32::MAX)
    }
}

#[cfg(test)]
pub(crate) mod tests;
