//! Stage 6, combining: every source's evidence for one intent → its
//! confidence, step by step.
//!
//! Takes `Parts` (word evidence `l`, nearest cosine `n`, and the rule
//! stage's `k`, `p` and missing required keyword) and the utterance's
//! `Coverage` (measured once per utterance from the [`Analysis`]);
//! gives `Steps`: the calibrated word evidence `e`, coverage,
//! familiarity, and the noisy-OR's steps `c₁..c₅` and the confidence `c`
//! in 0.0..=1.0, exactly as the module doc of [`super`] writes them. The
//! `/why` trace is these same steps.

use super::analysis::{Analysis, QueryToken};
use super::answers::Answers;
use super::general_idf::GeneralIdf;
use super::index::Index;

/// Share of the nearest example in the similarity; the rest is word evidence.
pub const NEAREST_SHARE: f32 = 0.35;
/// Word evidence l equal to the word scale m gives e = 1 − exp(−WORD_GAIN).
pub const WORD_GAIN: f32 = 1.2;
/// How much of the remaining distance to 1.0 full keyword evidence closes.
pub const KEYWORD_GAIN: f32 = 0.6;
/// How much of the remaining distance to 1.0 a matching pattern closes.
pub const PATTERN_GAIN: f32 = 0.5;
/// Factor applied when a required keyword is missing.
pub const REQUIRED_PENALTY: f32 = 0.25;
/// The coverage factor's floor: an intent that explains none of the
/// utterance's known content words keeps this share of its confidence.
pub const COVERAGE_FLOOR: f32 = 0.4;
/// The familiarity factor's floor: an utterance of words the knowledge base
/// has never seen keeps this share of its confidence.
pub const FAMILIARITY_FLOOR: f32 = 0.4;

/// One intent's evidence from the earlier stages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Parts {
    /// Word evidence l (unbounded).
    pub l: f32,
    /// Nearest-example cosine n (1.0 for an exact example; 0.0 when not computed).
    pub near: f32,
    /// Keyword evidence k, 0.0..=1.0.
    pub k: f32,
    /// Whether one of the intent's patterns matches (p = 1).
    pub pattern: bool,
    /// Whether a required keyword is missing.
    pub missing: bool,
}

/// The steps of one intent's confidence.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Steps {
    /// The confidence c, 0.0..=1.0.
    pub c: f32,
    /// c₁ (the similarity s) to c₅.
    pub steps: [f32; 5],
    /// Calibrated word evidence e, 0.0..=1.0.
    pub e: f32,
    /// Coverage, 0.0..=1.0.
    pub coverage: f32,
    /// Familiarity, 0.0..=1.0.
    pub familiarity: f32,
    /// Share (0.0..=1.0, idf-weighted) of the content words that are
    /// unknown to the knowledge base but everyday English.
    pub everyday: f32,
    /// Share (0.0..=1.0, idf-weighted) of the content words that are
    /// unknown names counted as known words of this out-of-scope intent
    /// (0.0 for every other intent; see [`confidence`]).
    pub names: f32,
}

/// Idf mass of the current turn's content words: per intent the part its
/// examples or keywords use, and the known and unknown totals (scratch
/// reused between utterances; all zeros between calls).
#[derive(Default)]
pub(crate) struct Coverage {
    cov: Vec<f32>,
    /// The intents credited, for [`Self::reset`], when `cov` is longer
    /// than [`ZERO_ALL_UP_TO`] (empty and unused otherwise).
    touched: Vec<u32>,
    /// Whether `touched` is kept (`cov` longer than [`ZERO_ALL_UP_TO`]).
    track: bool,
    known_mass: f32,
    unknown_mass: f32,
    /// The part of `unknown_mass` from everyday-English words.
    everyday_mass: f32,
    /// Tokens (positions in the analysis) a matching pattern moved from
    /// unknown to known ([`Coverage::credit_pattern`]).
    moved: Vec<u32>,
}

impl Coverage {
    /// Makes room for `n` intents.
    /// `cov` is a power of two long (at least one), so that
    /// [`Coverage::measure`] can mask intent ids instead of checking them.
    pub fn fit(&mut self, n: usize) {
        if self.cov.len() < n.max(1) {
            self.cov.resize(n.max(1).next_power_of_two(), 0.0);
        }
        self.track = self.cov.len() > ZERO_ALL_UP_TO;
    }

    /// Measures the current turn's content words of `a`, whose terms'
    /// feature ids are `terms` (per token, [`super::analysis::Query::terms`]).
    // Out of line, as the pipeline is fastest with it (see
    // docs/benchmarks.md, speed7).
    #[inline(never)]
    pub fn measure(&mut self, ix: &Index, answers: &Answers, a: &Analysis, terms: &[Option<u32>]) {
        self.known_mass = 0.0;
        self.unknown_mass = 0.0;
        self.everyday_mass = 0.0;
        // The lexicon that tells a rare answer word is English.
        let english = ix.norm.is_english();
        assert_eq!(terms.len(), a.tokens.len());
        for (t, &id) in a
            .tokens
            .iter()
            .zip(terms)
            .filter(|(t, _)| t.current_content())
        {
            match (id, t.slot) {
                (Some(f), _) => {
                    let w = ix.idf[f as usize];
                    self.known_mass += w;
                    let owners = &ix.owners[f as usize];
                    if self.track {
                        for &i in owners {
                            self.credit(i, w);
                        }
                    } else {
                        // `credit` without the list: the parts in a local
                        // slice, not reloaded through `self` per owner,
                        // indexed by the id masked with the length minus
                        // one, which leaves an id below the length as it
                        // is and needs no bounds check (`fit`: a power of
                        // two long); two owners a turn (one loop test for
                        // two; each intent is credited once per word, so
                        // every sum is the same).
                        assert!(self.cov.len().is_power_of_two());
                        let mask = self.cov.len() - 1;
                        let cov = &mut self.cov[..=mask];
                        let mut pairs = owners.chunks_exact(2);
                        for p in &mut pairs {
                            cov[p[0] as usize & mask] += w;
                            cov[p[1] as usize & mask] += w;
                        }
                        for &i in pairs.remainder() {
                            cov[i as usize & mask] += w;
                        }
                    }
                    // A known word that an intent's answer uses (and its
                    // examples do not) counts for that intent too, as much
                    // as its answer text counts ([`Answers::intents_of`]):
                    // coverage then measures what the entry as a whole
                    // speaks of, not only its few phrasings.
                    for (i, share) in answers.intents_of(&t.token.term) {
                        self.credit(i, w * share);
                    }
                }
                // An unknown name where the examples put names counts as
                // a known word of the intents whose examples put names
                // there ([`super::slots`]).
                (None, Some(slot)) => {
                    let w = t.unknown_idf;
                    self.known_mass += w;
                    for &i in &ix.slot_owners[slot as usize] {
                        self.credit(i, w);
                    }
                }
                (None, None) => {
                    // A word no example, title or keyword has but an
                    // answer does, and that is not common English ("king
                    // size" in a dry cleaner's duvet prices), is a word of
                    // the knowledge base too: it counts for the intents
                    // whose answers use it, as a known word's answer share
                    // does above, and as known for familiarity
                    // ([`ANSWER_WORD_MIN_RANK`]).
                    if english && self.answer_word(answers, t) {
                        self.known_mass += t.unknown_idf;
                        continue;
                    }
                    self.unknown_mass += t.unknown_idf;
                    if t.everyday {
                        self.everyday_mass += t.unknown_idf;
                    }
                }
            }
        }
    }

    /// Whether the unknown token `t` (of an English knowledge base) is a
    /// word of some intents' answers ([`Answers::intents_of`]) no more
    /// common in English than rank [`ANSWER_WORD_MIN_RANK`] (or not in the
    /// lexicon at all); if so, credits those intents with its answer share.
    fn answer_word(&mut self, answers: &Answers, t: &QueryToken) -> bool {
        let mut owners = answers.intents_of(&t.token.term).peekable();
        if owners.peek().is_none() {
            return false;
        }
        let lex = crate::lexicon::english();
        if GeneralIdf::rank(lex, &t.token.word).is_some_and(|r| r < ANSWER_WORD_MIN_RANK) {
            return false;
        }
        for (i, share) in owners {
            self.credit(i, t.unknown_idf * share);
        }
        true
    }

    /// Credits intent `i`, one of whose patterns matched, with the
    /// current turn's content words that the pattern writes literally
    /// (`words`, sorted; [`super::rules::literal_words`]) and its examples
    /// and keywords do not: the author named them for this intent as
    /// surely as in an example ("who made you" for a pattern
    /// `who\s+(made|built)\s+you`, "made" in no example of the intent).
    /// Such a word the knowledge base otherwise does not know counts as
    /// known (familiarity), once, whichever pattern names it. A `.*` in a
    /// pattern credits nothing: only the words written in it count.
    pub fn credit_pattern(
        &mut self,
        ix: &Index,
        answers: &Answers,
        a: &Analysis,
        i: u32,
        words: &[String],
    ) {
        for (k, t) in a.tokens.iter().enumerate() {
            if !t.current_content() || words.binary_search(&t.token.word).is_err() {
                continue;
            }
            let w = match (ix.space.get(&t.token.term), t.slot) {
                (Some(f), _) if ix.owners[f as usize].contains(&i) => continue,
                (Some(f), _) => {
                    // The part an answer-text share did not credit yet.
                    let share = answers
                        .intents_of(&t.token.term)
                        .find(|&(j, _)| j == i)
                        .map_or(0.0, |(_, s)| s);
                    ix.idf[f as usize] * (1.0 - share).max(0.0)
                }
                (None, Some(slot)) if ix.slot_owners[slot as usize].contains(&i) => continue,
                (None, Some(_)) => t.unknown_idf,
                (None, None) => {
                    if !self.moved.contains(&(k as u32)) {
                        self.moved.push(k as u32);
                        self.unknown_mass -= t.unknown_idf;
                        if t.everyday {
                            self.everyday_mass -= t.unknown_idf;
                        }
                        self.known_mass += t.unknown_idf;
                    }
                    t.unknown_idf
                }
            };
            self.credit(i, w);
        }
    }

    /// Adds `w` of idf mass to intent `i`'s part (remembered for
    /// [`Self::reset`] when `track`).
    fn credit(&mut self, i: u32, w: f32) {
        if self.track && self.cov[i as usize] == 0.0 {
            self.touched.push(i);
        }
        self.cov[i as usize] += w;
    }

    /// Back to all zeros: the whole of `cov`, or only the intents credited
    /// (every entry that changed was zero when first credited).
    pub fn reset(&mut self) {
        if self.track {
            for &i in &self.touched {
                self.cov[i as usize] = 0.0;
            }
            self.touched.clear();
        } else {
            super::reset_all(&mut self.cov, 0.0);
        }
        self.moved.clear();
    }
}

/// Up to this many intents [`Coverage::reset`] zeroes every intent's part
/// (a loop the compiler vectorises; BANKING77's 77 cost about 25
/// instructions) instead of remembering the ~125 intents a line credits.
const ZERO_ALL_UP_TO: usize = 1024;

/// A word that only answers use counts as a word of the knowledge base
/// (for coverage and familiarity, `Coverage::measure`) when it is at
/// least this rare in English (the bundled lexicon's rank, base forms
/// included; unlisted words always): "king", "duvet", "cockapoo", not
/// "day" or "back", which a long answer shares with any question. Measured
/// at the defaults (session 31, docs/lexicon.md), nineteen FAQ sheets
/// (590 in-scope, 194 out-of-scope customer questions): right answers 155
/// → 174, wrong 8 → 9, out of scope unanswered 182 → 183; MINI
/// development set and corpora unchanged (BANKING77 answered right .845 →
/// .846). Every such word (rank 0): top-1 +18 but the Q+A sheets' long
/// answers made the calibration under-confident (right 15 → 3 of 60);
/// 2,000: 174 / 10, Q+A right 8.
pub const ANSWER_WORD_MIN_RANK: u32 = 8000;

/// The parts of [`confidence`] that depend on the turn alone (and on
/// whether the intent is out of scope), computed once for every intent
/// of a ranking: the same expressions, so the same values.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Turn {
    name_mass: f32,
    known: f32,
    familiarity: f32,
    everyday: f32,
    names: f32,
}

impl Turn {
    /// The turn's parts for `cov`, typical familiarity `typical` and an
    /// intent that is (`out_of_scope`) or is not out of scope.
    pub fn new(cov: &Coverage, typical: f32, out_of_scope: bool) -> Self {
        let name_mass = if out_of_scope {
            (cov.unknown_mass - cov.everyday_mass).max(0.0)
        } else {
            0.0
        };
        let known = cov.known_mass + name_mass;
        let total = cov.known_mass + cov.unknown_mass;
        let share = |mass: f32| {
            if total > 0.0 {
                (mass / total).clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        let familiarity = if total > 0.0 {
            (known / total / typical).min(1.0)
        } else {
            1.0
        };
        Turn {
            name_mass,
            known,
            familiarity,
            everyday: share(cov.everyday_mass),
            names: share(name_mass),
        }
    }
}

/// The confidence of intent `i` and its steps, for word scale `word_scale`
/// (> 0.0) and the turn's parts `turn` ([`Turn::new`]: for typical
/// familiarity `typical` (0.0..=1.0] and whether the intent is out of
/// scope).
///
/// For an out-of-scope intent ([`Turn::new`]'s `out_of_scope`), the utterance's unknown
/// names (content words the knowledge base has never seen that are not
/// everyday English: "Facebook", "Strava") count as known words that the
/// intent uses, in its coverage and its familiarity: such an intent stands
/// for questions about other products and companies, and a name the
/// knowledge base does not know is what they are made of, not a sign that
/// the intent explains the utterance less well. The FAQ intents keep both
/// factors as before, so "How do I delete my Facebook account?" stays
/// penalised for `delete_mini_id` and no longer for `out_of_scope`. Measured
/// on the MINI development set (session 21): out-of-scope messages left
/// unanswered .940 → .964 (the Facebook and iPhone questions), one in-scope
/// question at the threshold answered wrong instead of a fallback (.008 →
/// .011); every corpus, sheet and conversation test unchanged.
// `#[inline]`: called ~29 times a line from the pipeline, where only `c`
// is kept for most calls; without link-time optimisation a function of
// another module is otherwise never inlined.
#[inline]
pub(crate) fn confidence(
    i: usize,
    p: Parts,
    cov: &Coverage,
    word_scale: f32,
    turn: &Turn,
) -> Steps {
    let Turn {
        name_mass,
        known,
        familiarity,
        everyday,
        names,
    } = *turn;
    let e = 1.0 - (-WORD_GAIN * p.l.max(0.0) / word_scale).exp();
    let near = p.near.clamp(0.0, 1.0);
    let similarity = if near >= 1.0 {
        1.0
    } else {
        NEAREST_SHARE * near + (1.0 - NEAREST_SHARE) * e
    };
    let pat = if p.pattern { 1.0 } else { 0.0 };
    let c1 = similarity;
    let c2 = c1 + (1.0 - c1) * KEYWORD_GAIN * p.k;
    let c3 = c2 + (1.0 - c2) * PATTERN_GAIN * pat;
    let c4 = if p.missing { c3 * REQUIRED_PENALTY } else { c3 };
    let coverage = if known > 0.0 {
        ((cov.cov[i] + name_mass) / known).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let c5 = c4 * (COVERAGE_FLOOR + (1.0 - COVERAGE_FLOOR) * coverage);
    let c = c5 * (FAMILIARITY_FLOOR + (1.0 - FAMILIARITY_FLOOR) * familiarity);
    Steps {
        c: c.clamp(0.0, 1.0),
        steps: [c1, c2, c3, c4, c5],
        e,
        coverage,
        familiarity,
        everyday,
        names,
    }
}

#[cfg(test)]
mod tests {
    use super::Coverage;

    /// Credits with and without the list of intents credited give the
    /// same parts, and both are all zeros after `reset`.
    #[test]
    fn zeroing_all_is_zeroing_the_credited() {
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        let weights = [0.0f32, -0.0, 1.0, 0.5, -0.5, 1e-30, 3.0];
        for n in [1usize, 2, 7, 77, 300, 1024] {
            let (mut all, mut listed) = (Coverage::default(), Coverage::default());
            all.fit(n);
            listed.fit(n);
            assert!(!all.track);
            assert!(all.cov.len().is_power_of_two() && all.cov.len() >= n);
            listed.track = true;
            for _ in 0..20 {
                for _ in 0..rng.next() % 200 {
                    let i = (rng.next() % n as u64) as u32;
                    let w = weights[(rng.next() % weights.len() as u64) as usize];
                    all.credit(i, w);
                    listed.credit(i, w);
                }
                let bits = |c: &Coverage| c.cov.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&all), bits(&listed));
                all.reset();
                listed.reset();
                assert!(all.cov.iter().chain(&listed.cov).all(|x| x.to_bits() == 0));
            }
        }
        let mut big = Coverage::default();
        big.fit(1025);
        assert!(big.track);
    }
}
