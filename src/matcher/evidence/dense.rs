//! Dense rows of the word weights for [`super::Weights::score`]: the
//! longest weight lists copied as one weight and one flag per intent,
//! which the scoring adds and flags a whole vector register at a time
//! instead of entry by entry (docs/benchmarks.md, "speed33").

use super::Weights;

/// A dense row's weights are as many as the intents rounded up to a
/// multiple of this many (whole vector registers of `f32`).
pub(crate) const DENSE_LANES: usize = 8;

/// A dense row's flags are as many as the intents rounded up to a
/// multiple of this many (whole vector registers of `bool`), so that
/// [`or_flags`] ORs 32 flags an instruction with no remainder.
pub(crate) const FLAG_LANES: usize = 32;

/// Dense copies of the long weight lists, made when the matcher is built
/// (never stored): the row of a feature with a weight for at least a
/// quarter of the intents holds its weight per intent, 0.0 where it has
/// none, and flags the intents it has one for. Adding such a row to the
/// word evidence gives the sums the list gives: for an intent with a
/// weight the same term is added in the same order, and for one without,
/// `x · 0.0` is a zero, which leaves every sum as it is (a sum that starts
/// at +0.0 never becomes −0.0, and `s + ±0.0 = s` for any other `s`). A
/// query value that is not finite (`x · 0.0` would be NaN) takes the
/// list. The rows go to the commonest such features (lowest idf) within
/// [`DENSE_BUDGET`] bytes (BANKING77: 655 of its 1,569 such rows, of 80
/// intents, 0.26 MB; all of them gave no fewer instructions a line);
/// knowledge bases of more than [`DENSE_MAX_INTENTS`] intents keep the
/// lists only.
#[derive(Default)]
pub(crate) struct Dense {
    /// The intents rounded up to [`DENSE_LANES`]: each row's weights.
    stride: usize,
    /// The intents rounded up to [`FLAG_LANES`]: each row's flags.
    flag_stride: usize,
    /// Per feature: its row, or `u32::MAX` for none (empty: no rows).
    row_of: Vec<u32>,
    /// The rows' weights, `stride` each.
    w: Vec<f32>,
    /// The rows' flags (the intents with a weight), `flag_stride` each.
    present: Vec<bool>,
}

/// The most intents a knowledge base may have for dense rows (a row
/// costs 5 bytes an intent).
pub(crate) const DENSE_MAX_INTENTS: usize = 1024;

/// The most bytes the dense rows' weights and flags may take, counted as
/// 5 bytes an intent (the flags' padding to [`FLAG_LANES`] is not
/// counted: BANKING77's 77 intents take 80 weights and 96 flags).
pub(crate) const DENSE_BUDGET: usize = 1 << 18;

impl Dense {
    /// The rows of `weights`' lists of at least a quarter of the
    /// `n_intents` intents, commonest first by `idf` (per feature) within
    /// the budget.
    pub fn new(weights: &Weights, n_intents: usize, idf: &[f32]) -> Self {
        if n_intents == 0 || n_intents > DENSE_MAX_INTENTS || idf.len() != weights.weights.len() {
            return Dense::default();
        }
        let stride = n_intents.div_ceil(DENSE_LANES) * DENSE_LANES;
        let flag_stride = n_intents.div_ceil(FLAG_LANES) * FLAG_LANES;
        // The commonest features first (lowest idf, then by id), as many
        // as the budget holds.
        let mut long: Vec<(f32, u32)> = (0u32..)
            .zip(&weights.weights)
            .filter(|(_, list)| list.len() * 4 >= stride)
            .map(|(f, _)| (idf[f as usize], f))
            .collect();
        long.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        long.truncate(DENSE_BUDGET / (stride * 5));
        let mut d = Dense {
            stride,
            flag_stride,
            row_of: vec![u32::MAX; weights.weights.len()],
            w: Vec::with_capacity(long.len() * stride),
            present: Vec::with_capacity(long.len() * flag_stride),
        };
        for &(_, f) in &long {
            let list = &weights.weights[f as usize];
            if list.iter().any(|e| e.0 as usize >= n_intents) {
                continue;
            }
            let f = f as usize;
            let (at, flags_at) = (d.w.len(), d.present.len());
            d.row_of[f] = (at / stride) as u32;
            d.w.resize(at + stride, 0.0);
            d.present.resize(flags_at + flag_stride, false);
            for &(i, w) in list {
                d.w[at + i as usize] = w;
                d.present[flags_at + i as usize] = true;
            }
        }
        d
    }

    /// Feature `f`'s row (its weights, a multiple of [`DENSE_LANES`]
    /// long) and flags (a multiple of [`FLAG_LANES`] long), if it has a
    /// row and `x` is finite.
    #[inline]
    pub(super) fn row(&self, f: u32, x: f32) -> Option<(&[f32], &[bool])> {
        let r = *self.row_of.get(f as usize)?;
        if r == u32::MAX || !x.is_finite() {
            return None;
        }
        let (at, flags_at) = (r as usize * self.stride, r as usize * self.flag_stride);
        Some((
            &self.w[at..at + self.stride],
            &self.present[flags_at..flags_at + self.flag_stride],
        ))
    }
}

/// `l[j] += x · row[j]` for every `j` below `row.len()` (a multiple of
/// [`DENSE_LANES`], at most `l.len()`): a row [`DENSE_LANES`] lanes a turn,
/// one vector instruction each (a loop over single entries was split by
/// the compiler into wide lanes, narrow lanes and overlap checks). The
/// loop's test is the chunk's bounds check, so no other is left.
/// Indexed, not zipped: a build without link-time optimisation called
/// `Zip::new` out of line.
#[inline(always)]
pub(super) fn add_row(l: &mut [f32], row: &[f32], x: f32) {
    let l = &mut l[..row.len()];
    let mut at = 0;
    while at + DENSE_LANES <= row.len() {
        let (l, row) = (&mut l[at..at + DENSE_LANES], &row[at..at + DENSE_LANES]);
        for j in 0..DENSE_LANES {
            l[j] += x * row[j];
        }
        at += DENSE_LANES;
    }
}

/// `seen[j] |= flags[j]` for every `j` below `flags.len()` (a multiple of
/// [`FLAG_LANES`], at most `seen.len()`), [`FLAG_LANES`] flags a turn.
#[inline(always)]
pub(super) fn or_flags(seen: &mut [bool], flags: &[bool]) {
    let seen = &mut seen[..flags.len()];
    let mut at = 0;
    while at + FLAG_LANES <= flags.len() {
        let (s, f) = (&mut seen[at..at + FLAG_LANES], &flags[at..at + FLAG_LANES]);
        for j in 0..FLAG_LANES {
            s[j] |= f[j];
        }
        at += FLAG_LANES;
    }
}
