//! Stage 4, candidates: the intents with any evidence → the few worth
//! scoring in full.
//!
//! Takes the intents the earlier stages reached, in order: word evidence
//! first (with each one's `l`), then an exact example's intent, then
//! keyword and pattern intents; gives the candidate list as
//! `(rank key, intent)`: the [`WORD_CANDIDATES`] intents with the most
//! word evidence and every intent with keyword, pattern or exact-example
//! evidence (forced, key +∞). After the pipeline has replaced the keys by
//! confidences without nearest examples, `shortlist` keeps the best
//! few for the nearest-example stage. The cost grows with the postings of
//! the utterance's features, not with the number of intents.

use super::evidence::WordScores;
use super::rules::{Hits, Rules};

/// How many intents with the most word evidence are scored in full (all
/// intents with keyword, pattern or exact-example evidence are, too).
pub const WORD_CANDIDATES: usize = 24;

/// Orders `(score, intent)` best first; ties by the intents' `tie` rank
/// (ascending; [`super::index::Index::tie`]: by their texts, not their
/// position, so reordering intents changes no tie).
pub(crate) fn by_score<'a>(
    tie: &'a [u32],
) -> impl Fn(&(f32, u32), &(f32, u32)) -> std::cmp::Ordering + Copy + 'a {
    // The tie ranks are looked up only for equal scores.
    move |a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| tie[a.1 as usize].cmp(&tie[b.1 as usize]))
    }
}

/// The reached intents of one utterance (scratch reused between
/// utterances; empty between calls).
#[derive(Default)]
pub(crate) struct Candidates {
    /// `(rank key, intent)`: word evidence l or +∞ for forced ones, then
    /// whatever score the pipeline puts there.
    pub list: Vec<(f32, u32)>,
    seen: Vec<bool>,
    reached: Vec<u32>,
}

/// Where an intent was reached from.
enum Reach {
    /// Word evidence l through the weight postings.
    Words(f32),
    /// Keyword, pattern or exact-example evidence: always a candidate.
    Forced,
}

impl Candidates {
    /// Makes room for `n` intents.
    pub fn fit(&mut self, n: usize) {
        if self.seen.len() < n {
            self.seen.resize(n, false);
        }
    }

    /// Adds intent `i`, once; a forced reach wins over word evidence.
    fn reach(&mut self, i: u32, how: Reach) {
        let key = match how {
            Reach::Words(l) => l,
            Reach::Forced => f32::INFINITY,
        };
        if !self.seen[i as usize] {
            self.seen[i as usize] = true;
            self.reached.push(i);
            self.list.push((key, i));
        } else if key == f32::INFINITY {
            if let Some(c) = self.list.iter_mut().find(|c| c.1 == i) {
                c.0 = key;
            }
        }
    }

    /// Reaches every intent with evidence, in stage order: word evidence
    /// (in the order of `words.touched`), the exact example's
    /// intent, keyword intents (forced when their keyword evidence is
    /// positive), pattern intents.
    pub fn gather(&mut self, words: &WordScores, exact: Option<u32>, hits: &Hits, rules: &Rules) {
        for &i in &words.touched {
            self.reach(i, Reach::Words(words.lin[i as usize]));
        }
        if let Some(i) = exact {
            self.reach(i, Reach::Forced);
        }
        for &i in &hits.intents {
            let how = if hits.kw[i as usize] > 0.0 {
                Reach::Forced
            } else {
                Reach::Words(words.lin[i as usize])
            };
            self.reach(i, how);
        }
        for &p in &hits.patterns {
            self.reach(rules.pattern_intent(p), Reach::Forced);
        }
    }

    /// Keeps the `max(WORD_CANDIDATES, top)` best by word evidence, unless
    /// that would drop a forced one.
    pub fn select(&mut self, top: usize, tie: &[u32]) {
        let keep = WORD_CANDIDATES.max(top);
        if self.list.len() > keep {
            self.list.select_nth_unstable_by(keep, by_score(tie));
            let forced = self.list[keep..]
                .iter()
                .filter(|c| c.0 == f32::INFINITY)
                .count();
            if forced == 0 {
                self.list.truncate(keep);
            }
        }
    }

    /// Empty again.
    pub fn reset(&mut self) {
        for &i in &self.reached {
            self.seen[i as usize] = false;
        }
        self.reached.clear();
        self.list.clear();
    }
}

/// Keeps the `keep` best of `list` by score, sorted best first.
pub(crate) fn shortlist(list: &mut Vec<(f32, u32)>, keep: usize, tie: &[u32]) {
    if list.len() > keep {
        list.select_nth_unstable_by(keep, by_score(tie));
        list.truncate(keep);
    }
    list.sort_unstable_by(by_score(tie));
}
