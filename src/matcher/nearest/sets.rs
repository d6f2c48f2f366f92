//! Run sets for the nearest-example stage ([`super`]): per feature that
//! many intents use, those intents as a bit set, in which
//! [`super::Examples::find`] finds a candidate's run with one bit test and
//! one `popcnt` instead of a search among the feature's runs or a scan of
//! all of them (docs/benchmarks.md, "speed33").

use super::Examples;

/// A feature gets a set when it has at least this many runs (intents
/// whose examples use it): below that, scanning its runs for the
/// candidates costs about what the set costs.
pub(crate) const SET_MIN_RUNS: usize = 8;

/// ... and at least this many runs a word of its set: a set (a word of
/// bits and a rank, 16 bytes with padding, per 64 intents of the
/// knowledge base) then takes at most two thirds of the bytes of the
/// feature's runs (12 bytes a run),
/// so that a knowledge base of thousands of intents does not give sets
/// of mostly zeros to features a few dozen intents use.
pub(crate) const SET_RUNS_PER_WORD: usize = 2;

/// Per feature of at least [`SET_MIN_RUNS`] runs (and
/// [`SET_RUNS_PER_WORD`] a word of the set), the intents it has a run of, as bits (bit `i % 64` of the set's word `i / 64`), and per
/// word the bits set in the words before it: the run of intent `i` is
/// then the feature's run number "bits set before bit `i`", as the runs
/// are one per intent in ascending order. Made when the matcher is built
/// (never stored); BANKING77's sets take two words each.
#[derive(Default)]
pub(crate) struct RunSets {
    /// Words a set: the intents divided by 64, rounded up.
    words: usize,
    /// Per feature: its set's first word in `bits`, or `u32::MAX` for
    /// none (empty: no sets).
    at: Vec<u32>,
    /// The sets, `words` each: per word, its bits and the bits set in
    /// the words of its set before it (one bounds check for both).
    bits: Vec<(u64, u32)>,
}

impl RunSets {
    /// The sets of `ex`'s features of at least [`SET_MIN_RUNS`] runs and
    /// [`SET_RUNS_PER_WORD`] a word, for `n_intents` intents (a feature
    /// with a run of another intent gets none).
    pub fn new(ex: &Examples, n_intents: usize) -> Self {
        let words = n_intents.div_ceil(64);
        let n_feat = ex.range_at.len().saturating_sub(1);
        let mut s = RunSets {
            words,
            at: Vec::new(),
            bits: Vec::new(),
        };
        for f in 0..n_feat {
            let runs = &ex.ranges[ex.range_at[f] as usize..ex.range_at[f + 1] as usize];
            if runs.len() < SET_MIN_RUNS.max(SET_RUNS_PER_WORD * words)
                || runs.iter().any(|r| r.0 as usize >= n_intents)
            {
                continue;
            }
            let Ok(at) = u32::try_from(s.bits.len()) else {
                break;
            };
            if s.at.is_empty() {
                s.at = vec![u32::MAX; n_feat];
            }
            s.at[f] = at;
            let at = at as usize;
            s.bits.resize(at + words, (0, 0));
            for r in runs {
                s.bits[at + r.0 as usize / 64].0 |= 1 << (r.0 % 64);
            }
            let mut before = 0;
            for w in &mut s.bits[at..] {
                w.1 = before;
                before += w.0.count_ones();
            }
        }
        s
    }

    /// Feature `f`'s set, if it has one (its first word, for
    /// [`RunSets::run`]).
    #[inline]
    pub fn of(&self, f: usize) -> Option<usize> {
        let at = *self.at.get(f)?;
        (at != u32::MAX).then_some(at as usize)
    }

    /// Where intent `i`'s run is among the runs of the feature whose set
    /// is `set` ([`RunSets::of`]), if it has one: what [`super::run_at`]
    /// gives.
    #[cfg(test)]
    pub fn run(&self, set: usize, i: u32) -> Option<usize> {
        self.run_in(set, self.slot(i))
    }

    /// Where intent `i` is in every set: (word, bit), the bit 0 for an
    /// intent past the sets' (which then has no run in any). The same for
    /// every feature, so [`super::Examples::find`] takes it once a
    /// candidate.
    #[inline]
    pub fn slot(&self, i: u32) -> (usize, u64) {
        let w = i as usize / 64;
        if w >= self.words {
            (0, 0)
        } else {
            (w, 1u64 << (i % 64))
        }
    }

    /// [`RunSets::run`] of the intent at `slot` ([`RunSets::slot`]).
    #[inline]
    pub fn run_in(&self, set: usize, (w, bit): (usize, u64)) -> Option<usize> {
        let (h, before) = self.bits[set + w];
        if h & bit == 0 {
            return None;
        }
        Some((before + (h & (bit - 1)).count_ones()) as usize)
    }
}
