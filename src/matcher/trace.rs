//! Stage 7, the trace: one intent's stage results → its [`Scored`] entry
//! with the named, additive contributions that `/why` and
//! `faqbot explain` show.
//!
//! Takes the same values the confidence was computed from (the
//! `Parts` and `Steps` of [`super::combine`], the nearest example,
//! the rule facts and the features' shares of the word evidence); gives
//! [`Evidence`]. Nothing is recomputed here: the contributions are the
//! differences between the noisy-OR's steps.

use super::combine::{Parts, Steps};
use super::rules::RuleTrace;

/// Why an intent got its confidence: the named, additive contributions.
/// Serialised as part of a [`crate::dialogue::Decision`] (`nearest` as
/// `[index, cosine]`, the pairs of `features`, `keywords` and
/// `answer_terms` as two-element arrays).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Evidence {
    /// The nearest example (index into [`super::Matcher::example`]) and its cosine
    /// (0.0..=1.0); `None` when not computed or no example shares a feature.
    pub nearest: Option<(usize, f32)>,
    /// Word evidence l (unbounded; about [`super::Matcher::word_scale`] for a
    /// typical right match).
    pub word_score: f32,
    /// Calibrated word evidence e, 0.0..=1.0.
    pub words: f32,
    /// Each feature's share of the similarity's word part: (feature id for
    /// [`super::Matcher::feature_name`], contribution to the confidence before the
    /// keyword, pattern, penalty and coverage steps), largest magnitude
    /// first. They sum to `(1 − NEAREST_SHARE) · words`. Empty in a
    /// ranking made for a decision ([`super::Matcher::rank_for_decision`],
    /// what replies are made from): [`super::Matcher::word_shares`] gives
    /// them.
    pub features: Vec<(u32, f32)>,
    /// The similarity s, 0.0..=1.0.
    pub similarity: f32,
    /// Matched keywords: (index into the intent's `keywords`, evidence added to k).
    pub keywords: Vec<(usize, f32)>,
    /// Keyword evidence k, 0.0..=1.0.
    pub keyword_score: f32,
    /// Index of the first matching pattern in the intent's `patterns`.
    pub pattern: Option<usize>,
    /// Required keywords (indices into the intent's `keywords`) that are missing.
    pub missing_required: Vec<usize>,
    /// Share (0.0..=1.0, idf-weighted) of the utterance's known content
    /// words that the intent's examples and keywords use.
    pub coverage: f32,
    /// Share (0.0..=1.0, idf-weighted) of the utterance's content words
    /// that the knowledge base knows at all, divided by the share of a
    /// typical question of its own ([`super::Matcher::typical_familiarity`])
    /// and capped at 1.0 (the same for every FAQ intent; an out-of-scope
    /// intent also counts the unknown names, see [`Evidence::names`]).
    pub familiarity: f32,
    /// Share (0.0..=1.0, idf-weighted) of the utterance's content words
    /// that the knowledge base does not know but that are everyday English
    /// ("lately", "look"; [`crate::lexicon`]), as opposed to names
    /// ("Netflix"): an absolute share (part of what the knowledge base does
    /// not know, unlike the relative `familiarity`), not a step of the
    /// confidence, for calibration and `/why`.
    pub everyday: f32,
    /// Share (0.0..=1.0, idf-weighted) of the utterance's content words
    /// that are names the knowledge base does not know ("Facebook":
    /// neither known nor everyday English) and that this out-of-scope
    /// intent counts as its own words in `coverage` and `familiarity`;
    /// 0.0 for every other intent.
    pub names: f32,
    /// Words of the intent's answer text that the utterance uses and its
    /// examples do not: (term, evidence added to the keyword evidence k),
    /// see [`super::answers`].
    pub answer_terms: Vec<(String, f32)>,
    /// Confidence added by similarity, keywords and pattern, then the
    /// (negative) changes from the required-keyword penalty, the coverage
    /// factor and the familiarity factor; they sum to the raw confidence.
    pub contributions: [f32; 6],
    /// The raw confidence, 0.0..=1.0: the noisy-OR of the evidence before
    /// calibration (the sum of `contributions`).
    pub raw_confidence: f32,
    /// The calibration step ([`super::calibrate`]): the confidence minus
    /// the raw confidence, -1.0..=1.0. `contributions` and `calibration`
    /// sum to the confidence.
    pub calibration: f32,
    /// The semantic stage's step (`semantic::fusion`, with the `semantic` feature): the fused
    /// confidence minus the calibrated lexical one, -1.0..=1.0; 0.0 when
    /// the stage did not run. `contributions`, `calibration` and `semantic`
    /// sum to the confidence.
    pub semantic: f32,
}

impl Evidence {
    /// Whether the utterance is one of the intent's examples: its nearest
    /// example's cosine is 1.0 (an exact example is never made ambiguous
    /// by a runner-up, nor read as small talk or a vague word).
    pub fn is_exact(&self) -> bool {
        self.nearest.is_some_and(|(_, c)| c >= 1.0)
    }
}

/// One ranked intent.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Scored {
    /// Index of the intent in [`crate::KnowledgeBase::intents`] of the
    /// knowledge base that was ranked; [`crate::Engine::intent_id`] gives
    /// its id.
    pub intent: usize,
    /// Confidence in 0.0..=1.0: the calibrated probability that this
    /// intent is the right one ([`super::calibrate`]).
    pub confidence: f32,
    /// How the confidence was reached.
    pub evidence: Evidence,
}

/// The ranked entry of intent `i`: its [`Parts`] and [`Steps`], its
/// nearest example (`u32::MAX` for none), its rule facts, and `features`,
/// the features' shares of the word part of the similarity.
pub(crate) fn scored(
    i: usize,
    p: Parts,
    s: Steps,
    nearest: u32,
    rules: RuleTrace,
    features: Vec<(u32, f32)>,
) -> Scored {
    let [c1, c2, c3, c4, c5] = s.steps;
    let c = s.c;
    Scored {
        intent: i,
        confidence: c,
        evidence: Evidence {
            nearest: (nearest != u32::MAX).then_some((nearest as usize, p.near.clamp(0.0, 1.0))),
            word_score: p.l,
            words: s.e,
            features,
            similarity: c1,
            keywords: rules.keywords,
            keyword_score: p.k,
            pattern: rules.pattern,
            missing_required: rules.missing_required,
            coverage: s.coverage,
            familiarity: s.familiarity,
            everyday: s.everyday,
            names: s.names,
            answer_terms: rules.answer_terms,
            contributions: [c1, c2 - c1, c3 - c2, c4 - c3, c5 - c4, c - c5],
            raw_confidence: c,
            calibration: 0.0,
            semantic: 0.0,
        },
    }
}

/// The word part of the similarity, `(1 − NEAREST_SHARE) · e` (0.0 for an
/// exact example), when there is word evidence to share out among the
/// features.
pub(crate) fn word_part(p: &Parts, s: &Steps) -> Option<f32> {
    word_part_of(p.l, p.near, s.e)
}

/// [`word_part`] from the word evidence `l`, the nearest example's cosine
/// and the calibrated word evidence `e` (as [`Evidence`] keeps them).
pub(crate) fn word_part_of(l: f32, near: f32, e: f32) -> Option<f32> {
    let part = if near >= 1.0 {
        0.0
    } else {
        (1.0 - super::combine::NEAREST_SHARE) * e
    };
    (l > 0.0 && part > 0.0).then_some(part)
}
