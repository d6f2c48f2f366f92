//! Dense rows for the nearest-example stage ([`super`]): the densest runs
//! of the examples' postings copied as one value per example, which
//! [`super::Examples::find`] adds to an intent's cosines in a loop the
//! compiler vectorises instead of posting by posting (docs/benchmarks.md,
//! "speed6").

use super::Examples;

/// `dot[j] += x · row[j]` for every `j` (equal lengths, a multiple of
/// [`ROW_LANES`]): a plain loop, which the compiler turns into vector
/// instructions (eight values a turn). Indexed rather than zipped: a
/// build without link-time optimisation called `Zip::new` out of line
/// for every row.
#[inline(always)]
#[allow(clippy::needless_range_loop)] // indexed on purpose
pub(super) fn add_row(dot: &mut [f32], row: &[f32], x: f32) {
    // Rows are whole multiples of the lanes: saying so spares the
    // compiler's loop over the last four values at a time.
    debug_assert!(row.len() % ROW_LANES == 0);
    let n = dot.len().min(row.len()) & !(ROW_LANES - 1);
    let (dot, row) = (&mut dot[..n], &row[..n]);
    for j in 0..n {
        dot[j] += x * row[j];
    }
}

/// A dense row is as long as its intent's examples rounded up to a
/// multiple of this many (whole vector registers).
pub(crate) const ROW_LANES: usize = 8;

/// The most bytes the dense rows may take (BANKING77: 713 of the 1,006
/// runs that hold a quarter of their intent's examples, 0.38 MB; rows for
/// all of them, 0.55 MB, saved no more instructions a line).
pub(crate) const ROW_BUDGET: usize = 3 << 17;

/// A run gets a row when it holds at least one in this many of its
/// intent's examples.
const ROW_DENSITY: u64 = 4;

/// Dense copies of the densest runs (a feature's postings among one
/// intent's examples), made when the matcher is built (never stored): a
/// run that holds at least a quarter of its intent's examples gets a row
/// of one value per example of the intent (0.0 for an example without the
/// feature), padded with zeros to a multiple of [`ROW_LANES`], which
/// [`Examples::find`] adds to the intent's cosines at once instead of
/// posting by posting. The cosines are the same bits: an example with
/// the feature gets the same term in the same order, one without (or
/// after the intent's last example, in the padding) gets `x · 0.0`, a
/// zero, which leaves a sum as it is (a sum that starts at +0.0 never
/// becomes −0.0, and `s + ±0.0 = s` for any other `s`). Rows are made only
/// of finite values, so no term is NaN (and the order of an addition's
/// operands cannot pick another NaN); a query value that is not finite
/// takes the postings. The densest runs get rows first, within
/// [`ROW_BUDGET`] bytes (and [`NO_ROW`] rows).
#[derive(Default)]
pub(crate) struct Rows {
    /// Per run (index into `Examples::ranges`): its row's number, or
    /// [`NO_ROW`] (one load instead of a bit test and a count of the bits
    /// before it).
    row_of: Vec<u16>,
    /// Row r is `w[at[r]..at[r + 1]]` (read by the stage's tests too).
    pub(super) at: Vec<u32>,
    w: Vec<f32>,
}

/// A run without a row ([`Rows::row_of`]); rows are numbered below it.
const NO_ROW: u16 = u16::MAX;

impl Rows {
    /// The rows of `ex`'s densest runs, whose intents' examples are
    /// numbered by `int_start` (see [`Rows`]).
    pub fn new(ex: &Examples, int_start: &[u32]) -> Self {
        Self::with_budget(ex, int_start, ROW_BUDGET)
    }

    pub(super) fn with_budget(ex: &Examples, int_start: &[u32], budget: usize) -> Self {
        let n_intents = int_start.len().saturating_sub(1);
        let padded = |i: u32| {
            let i = i as usize;
            ((int_start[i + 1] - int_start[i]) as usize).next_multiple_of(ROW_LANES)
        };
        // (run, postings, intent's examples) of every dense enough run
        // whose postings are its intent's examples with finite values.
        let mut dense: Vec<(usize, u64, u64)> = Vec::new();
        for f in 0..ex.range_at.len().saturating_sub(1) {
            let post = &ex.post[ex.post_at[f] as usize..ex.post_at[f + 1] as usize];
            for r in ex.range_at[f] as usize..ex.range_at[f + 1] as usize {
                let (i, from, to) = ex.ranges[r];
                if i as usize >= n_intents {
                    continue;
                }
                let (a, b) = (int_start[i as usize], int_start[i as usize + 1]);
                let n = u64::from(to - from);
                if n * ROW_DENSITY < u64::from(b - a) || n == 0 {
                    continue;
                }
                let ok = post[from as usize..to as usize]
                    .iter()
                    .all(|&(e, v)| (a..b).contains(&e) && v.is_finite());
                if ok {
                    dense.push((r, n, u64::from(b - a)));
                }
            }
        }
        // Densest first (then by run), as many as the budget holds.
        dense.sort_unstable_by(|x, y| (y.1 * x.2).cmp(&(x.1 * y.2)).then(x.0.cmp(&y.0)));
        let mut left = budget / 4;
        dense.retain(|&(r, _, _)| {
            let len = padded(ex.ranges[r].0);
            let fits = len <= left;
            if fits {
                left -= len;
            }
            fits
        });
        // Row numbers fit in a `u16` below `NO_ROW`.
        dense.truncate(usize::from(NO_ROW));
        if dense.is_empty() {
            return Rows::default();
        }
        dense.sort_unstable_by_key(|d| d.0);
        let n_runs = ex.ranges.len();
        let mut rows = Rows {
            row_of: vec![NO_ROW; n_runs],
            at: Vec::with_capacity(dense.len() + 1),
            w: Vec::with_capacity(budget / 4 - left),
        };
        rows.at.push(0);
        for &(r, _, _) in &dense {
            let (i, from, to) = ex.ranges[r];
            rows.row_of[r] = (rows.at.len() - 1) as u16;
            let at = rows.w.len();
            rows.w.resize(at + padded(i), 0.0);
            let a = int_start[i as usize];
            let f = ex.range_at.partition_point(|&s| s as usize <= r) - 1;
            let post = &ex.post[ex.post_at[f] as usize..][from as usize..to as usize];
            for &(e, v) in post {
                rows.w[at + (e - a) as usize] = v;
            }
            rows.at.push(rows.w.len() as u32);
        }
        rows
    }

    /// Run `r`'s row, if it has one.
    #[inline]
    pub(super) fn row(&self, r: usize) -> Option<&[f32]> {
        let k = *self.row_of.get(r)?;
        if k == NO_ROW {
            return None;
        }
        let k = usize::from(k);
        Some(&self.w[self.at[k] as usize..self.at[k + 1] as usize])
    }
}
