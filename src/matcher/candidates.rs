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
    /// Makes room for `n` intents: the flags a power of two long (at
    /// least one), so that [`Candidates::reach_all`] can mask intent ids
    /// instead of checking them.
    pub fn fit(&mut self, n: usize) {
        if self.seen.len() < n.max(1) {
            self.seen.resize(n.max(1).next_power_of_two(), false);
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

    /// `reach(i, Reach::Words(lin[i]))` for each intent of `touched`, the
    /// first reached: each intent is listed once there (word evidence
    /// lists an intent when first flagged) and none is seen yet (all flags
    /// are false between utterances), so each is added as it comes.
    fn reach_all(&mut self, touched: &[u32], lin: &[f32]) {
        assert!(self.reached.is_empty() && self.list.is_empty());
        self.reached.extend_from_slice(touched);
        // Written in place after one resize (a plain loop: `extend` of a
        // mapped iterator was called out of line in a build without
        // link-time optimisation, and `push` checks the capacity each time).
        let start = self.list.len();
        self.list.resize(start + touched.len(), (0.0, 0));
        // Local slices (not reloaded per entry), one loop for the flags
        // and the entries; a flag is indexed by the id masked with the
        // flags' length minus one, which leaves an id below the length as
        // it is and needs no bounds check (`fit`: a power of two long).
        let list = &mut self.list[start..start + touched.len()];
        assert!(self.seen.len().is_power_of_two());
        let mask = self.seen.len() - 1;
        let seen = &mut self.seen[..=mask];
        for (k, &i) in touched.iter().enumerate() {
            seen[i as usize & mask] = true;
            list[k] = (lin[i as usize], i);
        }
    }

    /// Reaches every intent with evidence, in stage order: word evidence
    /// (in the order of `words.touched`), the exact example's
    /// intent, keyword intents (forced when their keyword evidence is
    /// positive), pattern intents.
    // Out of line, as the pipeline is fastest with it (see
    // docs/benchmarks.md, speed7).
    #[inline(never)]
    pub fn gather(&mut self, words: &WordScores, exact: Option<u32>, hits: &Hits, rules: &Rules) {
        self.reach_all(&words.touched, &words.lin);
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
    /// that would drop a forced one (then all are kept). The order they
    /// are left in does not matter: the pipeline ranks them again.
    // Out of line, as the pipeline is fastest with it (see
    // docs/benchmarks.md, speed7).
    #[inline(never)]
    pub fn select(&mut self, top: usize, tie: &[u32]) {
        let keep = WORD_CANDIDATES.max(top);
        if self.list.len() > keep {
            // When at least `keep` entries have positive evidence, the
            // best `keep` are among them: the others (no evidence above
            // 0.0, not NaN) go before the selection, unless more than
            // `keep` are forced or NaN (which `by_score` may put ahead of
            // +∞): a forced one is then left over and all are kept.
            let (mut positive, mut first) = (0, 0);
            for c in &self.list {
                positive += usize::from(c.0 > 0.0);
                first += usize::from(c.0 == f32::INFINITY || c.0.is_nan());
            }
            if positive >= keep && first <= keep && positive < self.list.len() {
                self.list.retain(|c| c.0 > 0.0 || c.0.is_nan());
                if self.list.len() <= keep {
                    return;
                }
            }
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

    /// Empty again. With intents reached for a quarter or more of the
    /// flags (BANKING77: all 77 on most lines, of 128 flags) every flag is cleared at once, a
    /// fill the compiler vectorises: the same flags, as only the intents
    /// of `reached` are ever flagged.
    pub fn reset(&mut self) {
        if self.reached.len() * 4 >= self.seen.len() {
            super::reset_all(&mut self.seen, false);
        } else {
            for &i in &self.reached {
                self.seen[i as usize] = false;
            }
        }
        self.reached.clear();
        self.list.clear();
    }
}

/// Keeps the `keep` best of `list` by score, sorted best first.
// Out of line, as the pipeline is fastest with the stages so (see
// docs/benchmarks.md, speed7).
#[inline(never)]
pub(crate) fn shortlist(list: &mut Vec<(f32, u32)>, keep: usize, tie: &[u32]) {
    if list.len() > keep && keep <= INSERT_UP_TO {
        insert_best(list, keep, tie);
        return;
    }
    if list.len() > keep {
        list.select_nth_unstable_by(keep, by_score(tie));
        list.truncate(keep);
    }
    list.sort_unstable_by(by_score(tie));
}

/// Up to this many kept, [`shortlist`] keeps them by insertion.
const INSERT_UP_TO: usize = 16;

/// [`shortlist`] by insertion (`keep` ≥ 1): one pass over `list` that
/// keeps the best entries so far, sorted, at its head (an entry that
/// does not beat the last of a full head costs one comparison; the
/// ~24 candidates of a line give about 5). `by_score` is a strict total
/// order (ties are told apart by `tie`, a permutation, and no intent is
/// listed twice), so the entries kept and their order are those of a
/// selection and a sort.
fn insert_best(list: &mut Vec<(f32, u32)>, keep: usize, tie: &[u32]) {
    use std::cmp::Ordering::Less;
    let order = by_score(tie);
    // `list[..n]` is the head: the best `n` of `list[..j]`, sorted. As
    // n ≤ j, writing within `list[..=n]` never touches an entry not read.
    let mut n = 0;
    for j in 0..list.len() {
        let c = list[j];
        if n == keep {
            if order(&c, &list[n - 1]) != Less {
                continue;
            }
            n -= 1;
        }
        let mut p = n;
        while p > 0 && order(&c, &list[p - 1]) == Less {
            list[p] = list[p - 1];
            p -= 1;
        }
        list[p] = c;
        n += 1;
    }
    list.truncate(n);
}

#[cfg(test)]
mod tests {
    use super::{by_score, Candidates, Reach, WORD_CANDIDATES};
    use crate::testing::XorShift;

    /// `reach_all` leaves what reaching each intent in turn leaves, on
    /// generated lists of distinct intents (as word evidence lists them).
    #[test]
    fn reaching_all_at_once_is_reaching_each() {
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        for n in [1usize, 5, 77, 200] {
            let (mut all, mut each) = (Candidates::default(), Candidates::default());
            all.fit(n);
            each.fit(n);
            for _ in 0..200 {
                let mut touched: Vec<u32> = (0..n as u32).filter(|_| rng.next() % 3 == 0).collect();
                // Any order: shuffled.
                for k in (1..touched.len()).rev() {
                    touched.swap(k, (rng.next() % (k as u64 + 1)) as usize);
                }
                let lin: Vec<f32> = (0..n)
                    .map(|_| (rng.next() % 100) as f32 / 7.0 - 3.0)
                    .collect();
                all.reach_all(&touched, &lin);
                for &i in &touched {
                    each.reach(i, Reach::Words(lin[i as usize]));
                }
                let bits = |c: &Candidates| {
                    let list: Vec<(u32, u32)> =
                        c.list.iter().map(|&(k, i)| (k.to_bits(), i)).collect();
                    (list, c.reached.clone(), c.seen.clone())
                };
                assert_eq!(bits(&all), bits(&each));
                all.reset();
                each.reset();
                assert!(all.seen.iter().chain(&each.seen).all(|s| !s));
            }
        }
    }

    /// The selection `Candidates::select` makes without leaving out the
    /// entries without positive evidence first.
    /// The shortlist by insertion keeps what a selection and a sort
    /// keep, in the same order, on generated lists (ties of score told
    /// apart by `tie`, NaN, infinities, zeros of both signs).
    #[test]
    fn insertion_keeps_what_selection_keeps() {
        let mut rng = XorShift(0x853c_49e6_748f_ea9b);
        let odd = [
            0.0f32,
            -0.0,
            0.5,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            -f32::NAN,
        ];
        for round in 0..30_000 {
            let n = 1 + (rng.next() % 90) as usize;
            let mut tie: Vec<u32> = (0..n as u32).collect();
            let mut ids: Vec<u32> = (0..n as u32).collect();
            for k in (1..n).rev() {
                tie.swap(k, (rng.next() % (k as u64 + 1)) as usize);
                ids.swap(k, (rng.next() % (k as u64 + 1)) as usize);
            }
            let len = (rng.next() % (n as u64 + 1)) as usize;
            let list: Vec<(f32, u32)> = ids[..len]
                .iter()
                .map(|&i| {
                    let s = if round % 3 == 0 && rng.next() % 4 == 0 {
                        odd[(rng.next() % odd.len() as u64) as usize]
                    } else {
                        (rng.next() % 8) as f32 / 4.0 - 0.5
                    };
                    (s, i)
                })
                .collect();
            let keep = 1 + (rng.next() % 20) as usize;
            let mut want = list.clone();
            if want.len() > keep {
                want.select_nth_unstable_by(keep, by_score(&tie));
                want.truncate(keep);
            }
            want.sort_unstable_by(by_score(&tie));
            let mut got = list.clone();
            super::shortlist(&mut got, keep, &tie);
            let bits = |l: &[(f32, u32)]| -> Vec<(u32, u32)> {
                l.iter().map(|c| (c.0.to_bits(), c.1)).collect()
            };
            assert_eq!(bits(&got), bits(&want), "{list:?} keep {keep}");
        }
    }

    fn plain_select(list: &mut Vec<(f32, u32)>, top: usize, tie: &[u32]) {
        let keep = WORD_CANDIDATES.max(top);
        if list.len() > keep {
            list.select_nth_unstable_by(keep, by_score(tie));
            let forced = list[keep..].iter().filter(|c| c.0 == f32::INFINITY).count();
            if forced == 0 {
                list.truncate(keep);
            }
        }
    }

    /// On generated candidate lists (every length up to 90, mostly
    /// positive or mostly not, equal scores, ±0.0, ±∞ as forced and
    /// negative ones, NaN of both signs, tie ranks a permutation),
    /// `select` keeps the entries the plain selection keeps (as a set:
    /// their order does not matter).
    #[test]
    fn leaving_out_what_cannot_be_selected_keeps_the_same_entries() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let odd = [
            0.0f32,
            -0.0,
            0.5,
            -0.5,
            1e-40,
            -1e-40,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            -f32::NAN,
            f32::MAX,
        ];
        let mut shortened = 0;
        for round in 0..30_000 {
            let n = 1 + (rng.next() % 90) as usize;
            let shuffled = |rng: &mut XorShift| {
                let mut v: Vec<u32> = (0..n as u32).collect();
                for k in (1..n).rev() {
                    v.swap(k, (rng.next() % (k as u64 + 1)) as usize);
                }
                v
            };
            let tie = shuffled(&mut rng);
            let ids = shuffled(&mut rng);
            let len = (rng.next() % (n as u64 + 1)) as usize;
            let positive_share = rng.next() % 101;
            let odd_share = [0, 2, 10, 40][round % 4];
            let list: Vec<(f32, u32)> = ids[..len]
                .iter()
                .map(|&i| {
                    let s = if rng.next() % 100 < odd_share {
                        odd[(rng.next() % odd.len() as u64) as usize]
                    } else if rng.next() % 100 < positive_share {
                        (1 + rng.next() % 40) as f32 / 16.0
                    } else {
                        -((rng.next() % 40) as f32) / 16.0
                    };
                    (s, i)
                })
                .collect();
            let top = (rng.next() % 30) as usize;
            let mut plain = list.clone();
            plain_select(&mut plain, top, &tie);
            let mut c = Candidates {
                list: list.clone(),
                ..Candidates::default()
            };
            c.select(top, &tie);
            let bits = |l: &[(f32, u32)]| {
                let mut v: Vec<(u32, u32)> = l.iter().map(|c| (c.1, c.0.to_bits())).collect();
                v.sort_unstable();
                v
            };
            assert_eq!(bits(&c.list), bits(&plain), "{list:?} top {top}");
            let keep = WORD_CANDIDATES.max(top);
            shortened +=
                usize::from(list.len() > keep && list.iter().filter(|c| c.0 > 0.0).count() >= keep);
        }
        assert!(shortened > 1000, "{shortened}");
    }
}
