//! The data of an explanation ([`super::Explanation`] and its parts):
//! the JSON of `faqbot explain --json`, field by field.

use crate::matcher::{Analysis, Scored};
use crate::reply::ReplyKind;
use crate::schema::IntentKind;
use crate::Engine;
use serde::Serialize;

/// Everything behind one reply. Field names are the JSON of
/// `faqbot explain --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// The user's text as received.
    pub input: String,
    /// How the text was normalised.
    pub trace: Trace,
    /// The top intents (at most 5), best first.
    pub ranking: Vec<RankedIntent>,
    /// Raw confidence (the evidence before calibration) of the best intent
    /// minus the runner-up's (0.0..=1.0): what the policy's margin
    /// compares; `null` with fewer than two ranked intents.
    pub margin: Option<f32>,
    /// The calibration the confidences went through.
    pub calibration: CalibrationInfo,
    /// What the dialogue policy decided and why.
    pub decision: PolicyDecision,
    /// The semantic stage: whether it is on (`"semantic: off (...)"`) and,
    /// when it ran for this question, the closest phrasings and the
    /// contribution of each (see [`crate::semantic::Stage::explain`]).
    pub semantic: Vec<String>,
    /// Every candidate the semantic stage's fusion weighed for this
    /// question, with its model's inputs (left out of the JSON when the
    /// stage did not run): what `scripts/fusion-customer-fit.py` fits the
    /// coefficients of sparse knowledge bases to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub semantic_candidates: Vec<SemanticCandidate>,
}

/// One candidate of the semantic stage's fusion
/// ([`crate::semantic::CandidateFeatures`], with the intent's id).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SemanticCandidate {
    /// The intent's id.
    pub intent: String,
    /// The fusion model's features: `[1, logit(lexical confidence),
    /// closest-phrasing cosine, answer cosine, phrasing lead, answer lead]`
    /// (cosines -1.0..=1.0, leads -2.0..=2.0).
    pub features: Vec<f32>,
}

/// How the knowledge base's calibration was fitted when it was loaded
/// ([`crate::matcher::calibrate`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalibrationInfo {
    /// In-scope samples (held-out examples) the fit saw.
    pub in_scope_samples: usize,
    /// Out-of-scope samples (examples of held-out intents, background sentences).
    pub out_of_scope_samples: usize,
    /// The model's coefficients: intercept, logit of the raw confidence,
    /// logit of the margin, familiarity, share of foreign words.
    pub coefficients: Vec<f32>,
    /// The mean share (0.0..=1.0) of foreign words in the knowledge base's
    /// own in-scope samples: foreign words count only beyond it.
    pub typical_foreign: f32,
    /// Whether the fit (of an English knowledge base) saw fewer than
    /// [`crate::matcher::calibrate::SPARSE_IN_SCOPE`] in-scope samples and
    /// so leaned on the prior fitted to customers' questions of other FAQ
    /// sheets ([`crate::matcher::calibrate::SPARSE_PRIOR`]).
    pub sparse: bool,
    /// The model's features for the top intent, the vector the
    /// coefficients multiply: `[1, logit(raw confidence), logit(½ + ½ ·
    /// lead · familiarity), familiarity, foreign beyond typical]` (logits
    /// -9.3..=9.3, shares 0.0..=1.0; see [`crate::matcher::calibrate`]).
    /// `null` when nothing ranks or the semantic stage re-ranked (its
    /// fusion's inputs are `semantic_candidates`): what
    /// `scripts/lexical-customer-fit.py` fits coefficients to. The top's
    /// confidence is `1 / (1 + exp(−coefficients · top_features))` unless
    /// a rule capped it (a missing required keyword).
    pub top_features: Option<Vec<f32>>,
}

/// The normalisation trace (see [`crate::normalize`] for the steps).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trace {
    /// After step 1 (Unicode folding, lower case).
    pub unicode_folded: String,
    /// After step 2 (contractions expanded, punctuation removed): the text
    /// regex patterns are matched on.
    pub folded: String,
    /// The tokens the matcher ranked, in order; context words from the
    /// previous question last.
    pub tokens: Vec<TraceToken>,
}

/// One token of the trace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceToken {
    /// The word after folding (after typo correction, if any).
    pub word: String,
    /// The word as typed when typo correction replaced it.
    pub corrected_from: Option<String>,
    /// Whether two typed words were read as this one ("finger print").
    pub joined: bool,
    /// The typed word this token is one of two parts of ("faceid" read as
    /// "face" and "id"), if it is.
    pub split_from: Option<String>,
    /// The canonical word of the synonym group applied, if any (for a
    /// synonym phrase, the word it is read as, which is also `word`).
    pub synonym: Option<String>,
    /// The words as typed when a multi-word synonym entry was read as this
    /// one word ("sign out" read as `logout`), if it was.
    pub phrase: Option<String>,
    /// The first entry of the synonym group applied, folded, when it is a
    /// phrase (`"log out"`, whose canonical word is `logout`): how the
    /// group is written in `bot.ron`.
    pub group_phrase: Option<String>,
    /// Whether the synonym group applied is one of the common English
    /// groups ([`crate::normalize::common_synonyms`]), not in `bot.ron`.
    pub common_synonym: bool,
    /// The stem the matcher compares (after synonym mapping).
    pub term: String,
    /// Whether it is a stop word (weighs little).
    pub stop: bool,
    /// Whether the knowledge base uses this term at all.
    pub known: bool,
    /// Whether the matcher reads it as the class `<rare>` (a word at most
    /// one example uses, or an unknown word that is not everyday English:
    /// mostly names; see [`crate::matcher::features`]): the words a
    /// `<rare>` feature of [`RankedIntent::word_parts`] stands for.
    pub rare: bool,
    /// Whether it comes from the previous question (read in context).
    pub context: bool,
    /// Unknown to the knowledge base but everyday English (not a name).
    pub everyday: bool,
    /// An unknown name where the knowledge base's examples put names
    /// ("from ·" in a timetable bot): read as familiar
    /// ([`crate::matcher::slots`]).
    pub slot: bool,
}

impl TraceToken {
    /// What the user typed for this token, as the trace's word column
    /// shows it: the typed phrase of a synonym phrase, else the word.
    pub fn shown(&self) -> &str {
        self.phrase.as_deref().unwrap_or(&self.word)
    }

    /// What the word read is to the word typed, when typo correction or
    /// number replaced it: `"singular"` ("dvd" read for "dvds"),
    /// `"plural"` ("pdfs" read for "pdf"), else `"typo fix"`.
    pub fn correction_kind(&self) -> Option<&'static str> {
        let from = self.corrected_from.as_deref()?;
        let w = self.word.as_str();
        let singular = from
            .strip_suffix('s')
            .is_some_and(|f| f == w || f.strip_suffix('e') == Some(w));
        Some(if singular {
            "singular"
        } else if w.strip_suffix('s') == Some(from) {
            "plural"
        } else {
            "typo fix"
        })
    }

    /// The synonym group as the knowledge base writes it: its first entry
    /// (a phrase as such, `"log out"`), or `None` without a synonym.
    pub(super) fn group(&self) -> Option<&str> {
        self.group_phrase.as_deref().or(self.synonym.as_deref())
    }

    /// The trace's note on the synonym group applied: `synonym of
    /// "biometric"`; for a phrase, `synonym of "log out", read as one
    /// word`, or `synonym phrase, read as one word` when it is the
    /// group's first entry.
    pub fn synonym_note(&self) -> Option<String> {
        let group = self.group()?;
        Some(match &self.phrase {
            Some(p) if p == group => "synonym phrase, read as one word".into(),
            Some(_) => format!("{}synonym of {group:?}, read as one word", self.common()),
            None => format!("{}synonym of {group:?}", self.common()),
        })
    }

    /// `"common "` for a common English synonym group, else `""`.
    pub(crate) fn common(&self) -> &'static str {
        if self.common_synonym {
            "common "
        } else {
            ""
        }
    }
}

/// One ranked intent and how its confidence was reached.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankedIntent {
    /// Intent id.
    pub intent: String,
    /// The intent's kind.
    pub kind: IntentKind,
    /// Confidence in 0.0..=1.0 (the calibrated probability that this
    /// intent is right); the sum of `contributions`.
    pub confidence: f32,
    /// The raw confidence in 0.0..=1.0: the evidence before calibration
    /// (the sum of `contributions` without `calibration`).
    pub raw_confidence: f32,
    /// The named contributions to the confidence.
    pub contributions: Contributions,
    /// The nearest example and its cosine.
    pub nearest: Option<NearestExample>,
    /// Calibrated word evidence e, 0.0..=1.0 (the learned per-word weights
    /// of [`crate::matcher`], summed and calibrated).
    pub words: f32,
    /// Each word or bigram's part of the similarity, largest magnitude
    /// first ("'pin' → reset_pin +0.21"); only parts of at least 0.005.
    pub word_parts: Vec<SharedFeature>,
    /// The keywords that matched and the evidence each added (before the
    /// cap of 1.0 and the keyword gain).
    pub keywords: Vec<KeywordHit>,
    /// The first pattern that matched the folded text.
    pub pattern: Option<String>,
    /// Required keywords that are missing.
    pub missing_required: Vec<String>,
    /// Share (0.0..=1.0) of the utterance's content words the intent uses.
    pub coverage: f32,
    /// Familiarity (0.0..=1.0): the idf-weighted share of the utterance's
    /// content words the knowledge base knows, divided by the share a typical
    /// question of its own gets ([`crate::matcher::Matcher::typical_familiarity`])
    /// and capped at 1.0: 1.0 means "as familiar as usual".
    pub familiarity: f32,
    /// Words of the intent's answer text the utterance uses (its examples
    /// do not) and the evidence each added to the keywords' part (`word`
    /// the term, `as_typed` the user's words).
    pub answer_words: Vec<KeywordHit>,
    /// Share (0.0..=1.0, idf-weighted) of the utterance's content words the
    /// knowledge base does not know but that are everyday English (not
    /// names); an absolute share, unlike `familiarity`.
    pub everyday: f32,
    /// Share (0.0..=1.0) of the utterance's content words that are names
    /// the knowledge base does not know ("Facebook") and that this
    /// out-of-scope intent counts as its own words (coverage and
    /// familiarity); 0.0 for every other intent.
    pub names: f32,
    /// Set when this runner-up's calibrated confidence was capped at
    /// `1 − p_top` or `p_top` (the ranking never promises more than one
    /// right answer) and lost at least 0.005 to the cap (anything, when
    /// another runner-up shows the same confidence), so runner-ups
    /// that reach the cap show the same confidence; left out of the JSON
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capped: Option<Cap>,
}

/// A runner-up's calibrated confidence before the cap ([`RankedIntent::capped`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Cap {
    /// The intent's own calibrated probability, 0.0..=1.0, before the cap.
    pub own: f32,
    /// The top intent's calibrated confidence, 0.0..=1.0; the cap is
    /// `min(1 − top, top)`.
    pub top: f32,
}

impl Cap {
    /// The own probability as text beside the capped confidence `shown`:
    /// two decimals, or three when two would read the same as `shown`.
    pub fn own_text(&self, shown: f32) -> String {
        let own = format!("{:.2}", self.own);
        if own == format!("{shown:.2}") {
            format!("{:.3}", self.own)
        } else {
            own
        }
    }

    /// "capped at 1 − the top's 0.80" (or "at the top's 0.40").
    pub fn note(&self) -> String {
        if 1.0 - self.top <= self.top {
            format!("capped at 1 \u{2212} the top's {:.2}", self.top)
        } else {
            format!("capped at the top's {:.2}", self.top)
        }
    }
}

/// Smallest change of a confidence that the text shows (two decimals).
const VISIBLE: f32 = 0.005;

/// The cap on the runner-up `s` of a ranking whose top is `top`, for the
/// utterance `a`, when it changed `s`'s lexical confidence by at least
/// [`VISIBLE`], or at all when `tied` (another runner-up shows the same
/// confidence; see [`crate::matcher::calibrate`]'s `apply`).
pub(super) fn cap_of(
    engine: &Engine,
    a: &Analysis,
    top: &Scored,
    s: &Scored,
    tied: bool,
) -> Option<Cap> {
    use crate::matcher::calibrate::{foreign_share, raw_of, Observation};
    let c = engine.matcher().calibration();
    if c.is_identity() {
        return None;
    }
    let p_top = top.confidence - top.evidence.semantic;
    let shown = s.confidence - s.evidence.semantic;
    let cap = (1.0 - p_top).min(p_top);
    let own = c.probability(&Observation::of(s, raw_of(top), foreign_share(a, s)));
    let own = if s.evidence.missing_required.is_empty() {
        own
    } else {
        own.min(raw_of(s))
    };
    let lost = if tied { 1e-4 } else { VISIBLE };
    ((shown - cap).abs() < 1e-4 && own >= shown + lost).then_some(Cap { own, top: p_top })
}

/// The additive contributions to a confidence ([`crate::matcher`] has the formula).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Contributions {
    /// From the similarity with the examples (≥ 0).
    pub similarity: f32,
    /// From the keywords (≥ 0).
    pub keywords: f32,
    /// From a matching pattern (≥ 0).
    pub pattern: f32,
    /// From a missing required keyword (≤ 0).
    pub required_penalty: f32,
    /// From the coverage factor (≤ 0).
    pub coverage: f32,
    /// From the familiarity factor (≤ 0): words the knowledge base has never seen.
    pub familiarity: f32,
    /// From the calibration (either sign): the calibrated confidence minus
    /// the raw one ([`crate::matcher::calibrate`]).
    pub calibration: f32,
    /// From the semantic stage (either sign; left out of the JSON when
    /// 0.0): the fused confidence minus the calibrated lexical one
    /// (`semantic::fusion`, with the `semantic` feature).
    #[serde(skip_serializing_if = "is_zero")]
    pub semantic: f32,
}

fn is_zero(v: &f32) -> bool {
    *v == 0.0
}

impl Contributions {
    /// The sum: the confidence.
    pub fn sum(&self) -> f32 {
        self.similarity
            + self.keywords
            + self.pattern
            + self.required_penalty
            + self.coverage
            + self.familiarity
            + self.calibration
            + self.semantic
    }
}

/// The example nearest to the utterance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NearestExample {
    /// The example (or title) text.
    pub text: String,
    /// Cosine similarity, 0.0..=1.0.
    pub cosine: f32,
}

/// A word or bigram of the utterance and its part of an intent's similarity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SharedFeature {
    /// The matcher's feature: a stemmed term (`"delet"`), two terms for a
    /// bigram (`"forgot pin"`), or `"<rare>"` in place of a rare word's
    /// term ([`crate::matcher::RARE`]).
    pub feature: String,
    /// The same in the user's words, as `faqbot explain` and `/why` show
    /// it: the words of the utterance it came from, folded
    /// ([`TraceToken::shown`]: `"delete"`, `"forgot my"`), a word standing
    /// for `"<rare>"` followed by `(unknown word)` or `(rare word)`
    /// (`"facebook (unknown word) account"`); different occurrences joined
    /// by `" / "` (`"remove / delete"` for one term). The feature itself
    /// when the utterance is not at hand ([`super::render_scored`]).
    pub as_typed: String,
    /// Its part of the similarity (negative when the word speaks against
    /// the intent).
    pub share: f32,
}

/// A keyword that matched (or a word of the answer text, in
/// [`RankedIntent::answer_words`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeywordHit {
    /// The keyword as written (of the answer text: the matcher's term,
    /// `"biometr"`).
    pub word: String,
    /// Of an answer-text word: the same in the user's words, as
    /// [`SharedFeature::as_typed`] (`"fingerprint"`); left out of the JSON
    /// for a keyword, whose `word` is as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_typed: Option<String>,
    /// Of an answer-text word typed as a synonym: the group's word it was
    /// read as (`"voucher"` for a typed `"gift voucher"`), as the answer's
    /// word of the group is; left out of the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_as: Option<String>,
    /// Evidence added: weight × specificity × the keyword unit.
    pub evidence: f32,
}

impl KeywordHit {
    /// The word as `faqbot explain` shows it: `as_typed`, else `word`.
    pub fn shown(&self) -> &str {
        self.as_typed.as_deref().unwrap_or(&self.word)
    }

    /// The answer-text label of `explain` and `/why`: `answer text
    /// 'parking'`, or `answer text 'gift voucher' (read as 'voucher')` for
    /// a synonym (a new user's trial read "'gift voucher'" beside an
    /// answer that says "NHS voucher").
    pub fn answer_label(&self) -> String {
        match &self.read_as {
            Some(r) => format!("answer text '{}' (read as '{r}')", self.shown()),
            None => format!("answer text '{}'", self.shown()),
        }
    }
}

/// The dialogue policy's decision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyDecision {
    /// The reply kind.
    pub kind: ReplyKind,
    /// The intent answered, if any.
    pub intent: Option<String>,
    /// Which rule produced it: `empty`, `number`, `title`, `ranked`, `context`.
    pub route: &'static str,
    /// Why, in one sentence.
    pub reason: String,
    /// The rule that set the reply's confidence to the threshold, if one
    /// did (the reply's `raised_by`, [`crate::reply::RaisedBy`]).
    pub raised_by: Option<crate::reply::RaisedBy>,
    /// The answer threshold from `bot.ron` (0.0..=1.0).
    pub threshold: f32,
    /// The clarification margin from `bot.ron` (0.0..=1.0).
    pub margin: f32,
}
