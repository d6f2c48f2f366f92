//! The compiled matcher: scores an utterance against every intent.
//!
//! # The formula
//!
//! Built once per knowledge base; every statistic below is derived from
//! the knowledge base alone, deterministically, when it is loaded. There
//! is no model file and no training step to run.
//!
//! * **Features** ([`features`]): each example (an intent's title counts as
//!   one more example) and each utterance is a bag of word unigrams (stop
//!   words weigh less) and bigrams of adjacent words, after normalisation
//!   and typo correction; a rare word (one at most one example uses, or
//!   an unknown one: typically a name) also counts as the class `<rare>`,
//!   which stands for it in its bigrams.
//! * **idf(f)** = ln((1 + E) / (1 + df)) + 1 over the E examples, blended
//!   with the word's specificity in English at large as far as the
//!   knowledge base is small ([`general_idf`]: a ten-row sheet's "sell"
//!   used once is still a common word). Vectors are
//!   tf-idf, scaled to unit length. Words the knowledge base has never seen
//!   count towards an utterance's length with the highest idf (an everyday
//!   one with its blended idf), so unknown
//!   words dilute every intent's evidence (their `<rare>` class is a known
//!   feature like any other).
//! * **Word weights** ([`linear`]): a weight `w[f][i]` per feature and
//!   intent, set from the examples by a deterministic averaged perceptron:
//!   positive for words that speak for an intent, negative for words that
//!   speak for a rival it is confused with. In knowledge bases of more
//!   than [`linear::COMMON_MIN_INTENTS`] intents, a feature used by more
//!   than [`linear::COMMON_SHARE`] of them carries no weight (it still
//!   counts in the vector's length, the nearest example and coverage).
//! * **Word scale** m: the typical word evidence of a correctly matched
//!   utterance the weights have not learned from, measured while they are
//!   learned (progressive validation, see [`Matcher::word_scale`]). It
//!   makes word evidence comparable across knowledge bases, so that one
//!   threshold fits all.
//!
//! Per utterance `u` with unit feature vector `x`, for each candidate intent
//! `i` (found through inverted indexes: the [`WORD_CANDIDATES`] intents
//! with the most word evidence, and every intent with keyword, pattern or
//! exact-example evidence; the cost grows with the postings of the
//! utterance's features and the examples of a few candidates, not with the
//! number of examples; see [`candidates`]):
//!
//! 1. **word evidence** `l = Σ_f x_f · w[f][i]` (each term is one named
//!    contribution) and its calibrated form
//!    `e = 1 − exp(−WORD_GAIN · max(l, 0) / m)` in 0.0..=1.0.
//! 2. **nearest example** `n`: the highest cosine between `x` and one of
//!    the intent's examples, computed for the [`NEAREST_CANDIDATES`]
//!    intents with the best evidence without it and for every
//!    out-of-scope intent with any evidence; an utterance equal to an
//!    example after normalisation has `n = 1`.
//! 3. **similarity** `s = NEAREST_SHARE · n + (1 − NEAREST_SHARE) · e`,
//!    or 1 for an exact example.
//! 4. **keywords** `k = min(1, Σ KEYWORD_UNIT · weight · specificity)` over
//!    the intent's keywords that occur (contiguously, among non-stop
//!    terms), where specificity(t) = ln((N + 1) / n_t) / ln(N + 1) is 1.0
//!    for a word only one of the N intents uses and near 0.0 for a word all
//!    use; plus, as weaker evidence, the words of the intent's answer text
//!    that its examples do not use ([`answers`]).
//! 5. **pattern** `p = 1` when one of the intent's regexes matches the
//!    folded utterance.
//!
//! The confidence combines them as a noisy-OR, which keeps it in
//! 0.0..=1.0 and gives every source a named, positive contribution:
//!
//! ```text
//! c₁ = s
//! c₂ = c₁ + (1 − c₁) · KEYWORD_GAIN · k
//! c₃ = c₂ + (1 − c₂) · PATTERN_GAIN · p
//! c₄ = c₃ · REQUIRED_PENALTY   if a required keyword is missing, else c₃
//! c₅ = c₄ · (COVERAGE_FLOOR + (1 − COVERAGE_FLOOR) · coverage)
//! c  = c₅ · (FAMILIARITY_FLOOR + (1 − FAMILIARITY_FLOOR) · familiarity)
//! ```
//!
//! where *coverage* is the idf-weighted share of the utterance's known
//! content words that the intent's examples or keywords use at all (or,
//! when one of its patterns matches, that pattern writes literally:
//! `combine::Coverage::credit_pattern`), and
//! *familiarity* the idf-weighted share of its content words that the
//! knowledge base knows at all (the same for every FAQ intent, so it lowers
//! confidence without changing their ranking): an utterance about "Netflix
//! passwords" is only partly explained by the PIN-reset intent, and
//! "Netflix" is a word the knowledge base has never seen. For an
//! out-of-scope intent such an unknown name counts as a known word it
//! uses, in coverage and familiarity alike: questions about other
//! products are what it stands for (`combine::confidence`,
//! [`Evidence::names`]). An unknown word
//! that is everyday English ("lately"; [`crate::lexicon`]) is not read as
//! a name (no `<rare>` class), and its share is reported apart
//! ([`Evidence::everyday`]). The word part of `c₁`,
//! `(1 − NEAREST_SHARE) · e`, is split among the features in proportion
//! to their terms `x_f · w[f][i]` of `l`; `/why` lists them.
//!
//! Ties in confidence break by intent id (ascending), so rankings are
//! deterministic.
//!
//! # Stages
//!
//! One file per stage; data flows one way, as plain structs, and no
//! stage reads from a later one or from this module. [`Matcher::rank`]
//! calls them in this order:
//!
//! 0. [`index`]: the knowledge base → the feature space, idf, owners,
//!    specificity, examples and vocabulary (once, when loaded; with
//!    [`features`] and [`typo`]). [`linear`] learns the word weights.
//! 1. [`analysis`]: text → tokens (typo-corrected, context words added)
//!    → the unit feature vector `x`.
//! 2. [`evidence`]: `x` → word evidence `l` per intent (step 1).
//! 3. [`rules`]: tokens and folded text → keywords `k`, required
//!    keywords, patterns `p` (steps 4, 5 and `c₄`); [`answers`] adds the
//!    answer-text words to `k`.
//! 4. [`candidates`]: the intents reached → the few scored in full.
//! 5. [`nearest`]: `x` → nearest example `n` of the best candidates
//!    (step 2; exact examples are looked up before stage 4).
//! 6. [`combine`]: coverage, familiarity, `e`, `s` and the noisy-OR
//!    `c₁..c₅`, `c` (step 3 and the formula above).
//! 7. [`trace`]: the same parts and steps → [`Scored`] with its
//!    [`Evidence`] for `/why`.
//! 8. [`calibrate`]: the raw confidences → the confidence, the estimated
//!    probability that the intent is right, by a model fitted to this
//!    knowledge base when it is loaded (held-out examples, held-out
//!    intents, bundled background sentences); the step is one more named
//!    contribution in the [`Evidence`].

pub mod analysis;
pub mod answers;
pub mod calibrate;
mod calibration_cache;
pub(crate) use calibration_cache::content_hash;
pub mod candidates;
pub mod combine;
pub mod evidence;
pub mod features;
pub mod general_idf;
pub mod index;
pub mod linear;
mod load;
pub mod nearest;
mod patterns;
mod pipeline;
pub(crate) use pipeline::recycle as recycle_ranking;
mod prepared;
pub mod rules;
pub mod slots;
mod snapshot;
pub mod trace;
pub mod typo;
mod weights_cache;
mod word_token;
pub mod work;

pub use analysis::MAX_SPLIT_CHARS;
pub use analysis::{Analysis, QueryToken, CONTEXT_WEIGHT};
pub use candidates::WORD_CANDIDATES;
pub use combine::{
    COVERAGE_FLOOR, FAMILIARITY_FLOOR, KEYWORD_GAIN, NEAREST_SHARE, PATTERN_GAIN, REQUIRED_PENALTY,
    WORD_GAIN,
};
pub use features::{BIGRAM_WEIGHT, RARE, STOP_WEIGHT};
pub use index::MIN_TYPICAL_FAMILIARITY;
pub use nearest::NEAREST_CANDIDATES;
pub use patterns::PATTERN_CHUNK;
pub use rules::KEYWORD_UNIT;
pub use trace::{Evidence, Scored};
pub use typo::{CORRECTED_WEIGHT, MAX_TYPO_CHARS, MIN_TYPO_LEN};

use crate::normalize::Normalizer;
use analysis::Query;
use answers::Answers;
use evidence::Weights;
use index::Index;
use nearest::Examples;
use rules::Rules;

/// Knowledge bases of at most this many examples fit their calibration on
/// a second thread while the matcher is built ([`Matcher::new`]).
pub const PARALLEL_FIT_MAX_EXAMPLES: usize = calibrate::SMALL_KB;

/// The compiled, immutable matcher for one knowledge base. `Send + Sync`.
pub struct Matcher {
    ix: Index,
    weights: Weights,
    /// Dense rows of the long weight lists (made from `weights`).
    dense: evidence::Dense,
    examples: Examples,
    /// Dense rows of the densest runs of `examples` (made from them).
    near_rows: nearest::Rows,
    /// The intents of each feature many use, as bit sets (made from
    /// `examples`).
    near_sets: nearest::RunSets,
    rules: Rules,
    calibration: calibrate::Calibration,
    answers: Answers,
}

/// Per intent, how many of its phrasings use some words: `(intent,
/// count)`, most first ([`Matcher::phrasings_using`]).
pub type PhrasingCounts = Vec<(usize, u32)>;

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("intents", &self.ix.n_intents)
            .field("examples", &self.ix.ex_text.len())
            .field("features", &self.ix.idf.len())
            .field("word_scale", &self.weights.word_scale)
            .finish()
    }
}

impl Matcher {
    /// Calibrates `ranking` (best first, from [`Matcher::rank_analysis`]
    /// of `a`) again after entries were removed from it, so that the new
    /// top is measured against its own runner-up (a follow-up that leaves
    /// out the intent just answered).
    pub fn recalibrate(&self, a: &Analysis, ranking: &mut [Scored]) {
        for s in ranking.iter_mut() {
            s.confidence = calibrate::raw_of(s);
            s.evidence.calibration = 0.0;
        }
        let raw = |k: usize| ranking.get(k).map_or(0.0, |s: &Scored| s.confidence);
        let (best, second) = (raw(0), raw(1));
        calibrate::apply(&self.calibration, a, ranking, best, second);
    }

    /// The calibration fitted to this knowledge base when it was loaded.
    pub fn calibration(&self) -> &calibrate::Calibration {
        &self.calibration
    }

    /// The normaliser built from the knowledge base's language and synonyms.
    pub fn normalizer(&self) -> &Normalizer {
        &self.ix.norm
    }

    /// Number of examples indexed (titles included).
    pub fn example_count(&self) -> usize {
        self.ix.ex_text.len()
    }

    /// Number of distinct features (unigrams and bigrams) of the examples and keywords.
    pub fn feature_count(&self) -> usize {
        self.ix.space.len()
    }

    /// The text of example `i` and the index of its intent.
    pub fn example(&self, i: usize) -> (&str, usize) {
        (&self.ix.ex_text[i], self.ix.ex_intent[i] as usize)
    }

    /// The text of a feature: a term (`"refund"`) or a bigram (`"reset pin"`).
    pub fn feature_name(&self, id: u32) -> &str {
        self.ix.space.name(id)
    }

    /// The word scale m (> 0.0): the median word evidence l of the right
    /// intent for examples scored before they were learned from (see
    /// the [`linear`] module).
    pub fn word_scale(&self) -> f32 {
        self.weights.word_scale
    }

    /// The typical familiarity (0.0..=1.0] of an utterance the knowledge
    /// base has not seen: the mean, over the examples, of the idf-weighted
    /// share of an example's content words that other examples (or
    /// keywords) use too. Familiarity is measured relative to it, so that
    /// knowledge bases full of names (stations, products) do not treat
    /// every new name as a sign of an unrelated question.
    pub fn typical_familiarity(&self) -> f32 {
        self.ix.typical_familiarity
    }

    /// Specificity (0.0..=1.0) of a term across intents; 1.0 for unknown terms.
    pub fn specificity(&self, term: &str) -> f32 {
        self.ix
            .space
            .get(term)
            .map_or(1.0, |f| self.ix.specificity[f as usize])
    }

    /// Whether each token of `a` counts as the [`RARE`] class (a word at
    /// most one example uses, or an unknown one that is not everyday
    /// English: mostly names; see [`features`]): the tokens a `<rare>`
    /// feature of a ranking stands for. For explanations.
    pub fn rare_tokens(&self, a: &Analysis) -> Vec<bool> {
        a.tokens
            .iter()
            .map(|t| analysis::is_rare(&self.ix, t))
            .collect()
    }

    /// Normalises `text` and corrects typos against the knowledge base's vocabulary.
    pub fn analyze(&self, text: &str) -> Analysis {
        analysis::analyze(&self.ix, text)
    }

    /// The words an analysis of `folded` (the folded text,
    /// [`Analysis::folded`]) reads before it makes tokens of them, each
    /// with the span of the non-empty words of `folded` it stands for
    /// (index of the first, how many): more than one for a synonym phrase
    /// read as its group's word. Misspelt words of phrases are corrected
    /// first, as the analysis does. For explanations.
    pub fn read_words(&self, folded: &str) -> Vec<(String, usize, usize)> {
        let restored = analysis::restore_phrase_words(&self.ix, folded);
        self.ix
            .norm
            .phrase_spans(&restored)
            .into_iter()
            .map(|(w, i, n)| (w.to_string(), i, n))
            .collect()
    }

    /// Adds the previous turn's words to `a` at [`CONTEXT_WEIGHT`], for
    /// reading a short follow-up ("and on my Apple Watch?") in context.
    pub fn with_context(&self, a: &Analysis, previous: &str) -> Analysis {
        analysis::with_context(&self.ix, a, previous)
    }

    /// Ranks every intent that has any evidence for `text`, best first,
    /// at most `top` of them. Intents without evidence are left out.
    pub fn rank(&self, text: &str, top: usize) -> Vec<Scored> {
        self.rank_analysis(&self.analyze(text), top)
    }

    /// Like [`Matcher::rank`] for an already analysed utterance.
    pub fn rank_analysis(&self, a: &Analysis, top: usize) -> Vec<Scored> {
        self.rank_with(a, top, true)
    }

    /// Like [`Matcher::rank_analysis`], but every entry's
    /// [`Evidence::features`] is left empty: what the dialogue decides
    /// with (the shares are only shown, never decided on; they are about a
    /// sixth of a ranking's cost). [`Matcher::word_shares`] gives them
    /// later, for the explanation of a reply.
    pub fn rank_for_decision(&self, a: &Analysis, top: usize) -> Vec<Scored> {
        self.rank_with(a, top, false)
    }

    /// Each feature's share of the word part of `s`'s similarity (`s`
    /// ranked for the utterance `a`): what [`Evidence::features`] holds
    /// in a [`Matcher::rank_analysis`] ranking. Empty when there is no word
    /// evidence to share out (an exact example, no word evidence).
    pub fn word_shares(&self, a: &Analysis, s: &Scored) -> Vec<(u32, f32)> {
        let e = &s.evidence;
        let near = e.nearest.map_or(0.0, |(_, c)| c);
        let Some(part) = trace::word_part_of(e.word_score, near, e.words) else {
            return Vec::new();
        };
        let mut q = Query::default();
        q.vector(&self.ix, a);
        self.weights.shares(s.intent, &q, e.word_score, part)
    }

    /// The phrasings that use the current turn's content words, for an
    /// utterance of one or two of them ("account", "mini id"), each known to
    /// the knowledge base: the words as typed, and per intent the number of
    /// its examples (its title counted as one) that use them all, as
    /// `(intent, count)`, most first (ties in the intents' stable order,
    /// never their position). `None` for other utterances.
    pub fn phrasings_using(&self, a: &Analysis) -> Option<(Vec<String>, PhrasingCounts)> {
        let words = self.known_content_words(a, 2)?;
        if words.is_empty() {
            return None;
        }
        let feats: Vec<u32> = words.iter().map(|w| w.0).collect();
        let words = words.iter().map(|w| w.1.token.word.clone()).collect();
        Some((words, self.phrasings_with(&feats)))
    }

    /// The distinct content words of `a` (their feature and first token),
    /// in order; `None` when one is unknown to the knowledge base or there
    /// are more than `max`.
    pub(crate) fn known_content_words<'a>(
        &self,
        a: &'a Analysis,
        max: usize,
    ) -> Option<Vec<(u32, &'a analysis::QueryToken)>> {
        let mut words: Vec<(u32, &analysis::QueryToken)> = Vec::new();
        for t in a.tokens.iter().filter(|t| t.current_content()) {
            let f = word_token::term_feature(&self.ix, t)?;
            if words.iter().any(|w| w.0 == f) {
                continue;
            }
            if words.len() == max {
                return None;
            }
            words.push((f, t));
        }
        Some(words)
    }

    /// Whether an intent's answer uses `term` (folded, stemmed) as answer
    /// evidence ([`answers`]: not one of the most frequent English words
    /// of an English knowledge base's answers).
    pub(crate) fn answers_use(&self, term: &str) -> bool {
        self.answers.intents_of(term).next().is_some()
    }

    /// Whether intent `i`'s examples (its title among them) or its answer
    /// text use the token `t`'s term (its word as read: folded, stemmed,
    /// a synonym read as its group's word).
    pub(crate) fn intent_uses(&self, i: usize, t: &analysis::QueryToken) -> bool {
        let in_phrasings = word_token::term_feature(&self.ix, t)
            .is_some_and(|f| self.phrasings_of(f).any(|(j, _)| j == i));
        in_phrasings
            || self
                .answers
                .intents_of(&t.token.term)
                .any(|(j, _)| j as usize == i)
    }

    /// Per intent, its examples (title counted as one) that use feature
    /// `f`: `(intent, count)`, ascending by intent, counts at least 1.
    /// Read by the dialogue's rule for a message that joins two intents'
    /// topics (`dialogue::split`).
    pub(crate) fn phrasings_of(&self, f: u32) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.examples
            .runs(f)
            .iter()
            .map(|&(i, a, b)| (i as usize, b - a))
    }

    /// Intent `i`'s place in the intents' stable order (ties between
    /// equal counts or scores break by it, ascending): a permutation of
    /// `0..n_intents` made from the intents' texts ([`intent_hash`]).
    pub(crate) fn tie_rank(&self, i: usize) -> u32 {
        self.ix.tie[i]
    }

    /// Per intent, its examples (title counted as one) that use every
    /// feature of `feats` (one or two), most first, ties in the intents'
    /// stable order.
    fn phrasings_with(&self, feats: &[u32]) -> PhrasingCounts {
        let mut counts: PhrasingCounts = self
            .examples
            .using_all(feats, self.ix.n_intents)
            .into_iter()
            .map(|(i, n)| (i as usize, n))
            .collect();
        counts.sort_by_key(|&(i, n)| (std::cmp::Reverse(n), self.ix.tie[i]));
        counts
    }
}

/// FNV-1a of `s`: a stable hash, the same on every machine and run (the
/// calibration's choice of samples and the word weights' example order
/// depend on it, never on ids or positions).
pub(crate) fn stable_hash(s: &str) -> u64 {
    let mut x: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        x ^= u64::from(b);
        x = x.wrapping_mul(0x100_0000_01b3);
    }
    x
}

/// [`stable_hash`] of an intent's title and examples (one per line): the
/// key that orders intents by their texts, never by id or position
/// ([`index::Index::tie`], the calibration's held-out intents).
pub(crate) fn intent_hash(d: &crate::schema::IntentDef) -> u64 {
    stable_hash(&format!("{}\n{}", d.title, d.examples.join("\n")))
}

/// Sets every entry of `s` to `v` (a per-utterance reset of scratch
/// arrays): the same entries as `s.fill(v)`, written as a plain loop that
/// the compiler turns into a `memset` where it is inlined. The standard
/// library's `fill` is one generic instance shared by the stages' resets,
/// which a build without link-time optimisation inlined into some callers
/// and called out of line from others, changing with unrelated edits
/// (docs/benchmarks.md, speed34).
#[inline(always)]
pub(crate) fn reset_all<T: Copy>(s: &mut [T], v: T) {
    for x in s {
        *x = v;
    }
}
