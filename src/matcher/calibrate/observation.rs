//! What a ranked intent's calibrated confidence is computed from: its
//! [`Observation`] (raw confidence, the rival's, familiarity and the share
//! of foreign words) and the feature vector the model weighs
//! ([`Observation::features`]).

use super::COEFFICIENTS;
use crate::matcher::analysis::Analysis;
use crate::matcher::trace::Scored;

/// The share of the current turn's content words of `a` that are
/// [`Observation::foreign`], for the ranked intent `s`: a name that `s`'s
/// own answer text uses ("clevedon" in the list of areas a plumber
/// covers, "IELTS" in a language school's exam answer) is the business's
/// word, not another product's, so it is not foreign to `s` (it still is
/// to every other intent). Trial 27 (three question-and-answer sheets):
/// such names pulled the right rows' confidences down, below the
/// out-of-scope messages'.
pub fn foreign_share(a: &Analysis, s: &Scored) -> f32 {
    ForeignWords::of(a).share(s)
}

/// The current turn's foreign words, found once for a whole ranking
/// ([`super::apply`] asks for every ranked intent's [`foreign_share`]).
pub(super) struct ForeignWords<'a> {
    /// Content words of the current turn.
    content: usize,
    /// Terms of those that are neither known nor everyday English.
    terms: Vec<&'a str>,
}

impl<'a> ForeignWords<'a> {
    pub(super) fn of(a: &'a Analysis) -> Self {
        let lex = crate::lexicon::english();
        let mut content = 0;
        let mut terms = Vec::new();
        for t in a.tokens.iter().filter(|t| t.current_content()) {
            content += 1;
            if !t.known && !t.fills_slot() && !lex.is_everyday(&t.token.word) {
                terms.push(t.token.term.as_str());
            }
        }
        ForeignWords { content, terms }
    }

    /// [`foreign_share`] for the ranked intent `s`.
    pub(super) fn share(&self, s: &Scored) -> f32 {
        if self.content == 0 {
            return 0.0;
        }
        let answer = &s.evidence.answer_terms;
        let foreign = self
            .terms
            .iter()
            .filter(|&&w| !answer.iter().any(|(t, _)| t == w))
            .count();
        foreign as f32 / self.content as f32
    }
}

/// What one ranked intent's calibrated confidence is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Observation {
    /// The intent's raw confidence, 0.0..=1.0.
    pub raw: f32,
    /// The best other intent's raw confidence, 0.0..=1.0 (0.0 when none).
    pub rival: f32,
    /// Share (0.0..=1.0) of the utterance's content words the knowledge base knows.
    pub familiarity: f32,
    /// Share (0.0..=1.0) of the utterance's content words that are neither
    /// known to the knowledge base nor everyday English ([`crate::lexicon`])
    /// nor in the observed intent's answer text: names of other products,
    /// places, brands ([`foreign_share`]).
    pub foreign: f32,
}

/// The raw confidence of a ranked entry (its confidence before calibration).
pub fn raw_of(s: &Scored) -> f32 {
    s.confidence - s.evidence.calibration
}

impl Observation {
    /// The observation of the ranked entry `s` (its confidence raw or
    /// calibrated), with `rival` the raw confidence of the best other
    /// intent and `foreign` the utterance's [`foreign_share`].
    pub fn of(s: &Scored, rival: f32, foreign: f32) -> Observation {
        Observation {
            raw: raw_of(s),
            rival,
            familiarity: s.evidence.familiarity,
            foreign,
        }
    }

    /// The observation of the top of `ranking` for the utterance `a`, and
    /// the top intent (`None` and an all-zero observation when nothing ranks).
    pub fn top(a: &Analysis, ranking: &[Scored]) -> (Option<usize>, Observation) {
        let Some(top) = ranking.first() else {
            return (None, Observation::default());
        };
        let rival = ranking.get(1).map_or(0.0, raw_of);
        (
            Some(top.intent),
            Observation::of(top, rival, foreign_share(a, top)),
        )
    }
}

fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

impl Observation {
    /// The feature vector `[1, logit(c), logit(½ + ½·(c − c_rival)·familiarity),
    /// familiarity, max(0, foreign − typical_foreign)]`: the lead over the
    /// runner-up counts only as far as the utterance's words are the
    /// knowledge base's own (a lone candidate for a message of unknown words
    /// is no clear winner), and foreign words count only beyond the share
    /// the knowledge base's own messages have (`typical_foreign`,
    /// 0.0..=1.0: station or software names are normal in some).
    pub fn features(&self, typical_foreign: f32) -> [f32; COEFFICIENTS] {
        [
            1.0,
            logit(self.raw),
            logit(0.5 + 0.5 * (self.raw - self.rival) * self.familiarity.clamp(0.0, 1.0)),
            self.familiarity,
            (self.foreign - typical_foreign).max(0.0),
        ]
    }
}
