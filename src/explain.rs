//! Explanations: why the bot replied what it did, in words and numbers.
//!
//! [`Explanation::new`] gathers, from a reply and the [`Decision`] behind
//! it: the normalisation trace (each step's text, then every token with its
//! stem, stop-word flag, typo correction, joined compound and synonym), the
//! top intents with every contribution to their confidence (the nearest
//! example and the features it shares, the keywords, the pattern, the
//! required-keyword penalty, the coverage factor, the familiarity factor,
//! and the calibration step that turns the raw evidence into the
//! probability that the intent is right), the margin to the runner-up and
//! the policy's decision. It serialises to the JSON of
//! `faqbot explain --json`; [`Explanation::render`] is the text of
//! `faqbot explain` and of `/why all` in the REPL,
//! [`Explanation::render_short`] (the decision, the top 3 intents and
//! their biggest contributions) that of `/why` and `faqbot explain --short`.
//!
//! ```
//! use faqbot::{explain::Explanation, Engine, Session};
//! let engine = Engine::bundled()?;
//! let (reply, decision) = engine.respond_traced(&mut Session::new(), "I forgot my PIN");
//! let x = Explanation::new(&engine, &reply, &decision);
//! assert_eq!(x.decision.kind, faqbot::ReplyKind::Answer);
//! assert_eq!(x.ranking[0].intent, "reset_pin");
//! let sum: f32 = x.ranking[0].contributions.sum();
//! assert!((sum - x.ranking[0].confidence).abs() < 1e-4);
//! # Ok::<(), faqbot::Error>(())
//! ```

mod read;
mod render;
mod short;
pub use short::{SHORT_INTENTS, SHORT_PARTS, SHORT_WORDS};

use crate::dialogue::{Decision, Route};
use crate::matcher::{Analysis, Scored, CONTEXT_WEIGHT};
use crate::normalize::{
    fold_text, sanitize, unicode, MAX_FOLDED_CHARS, MAX_RAW_CHARS, MAX_WORD_CHARS,
};
use crate::reply::ReplyKind;
use crate::schema::IntentKind;
use crate::{Engine, Reply};
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
    /// The stem the matcher compares (after synonym mapping).
    pub term: String,
    /// Whether it is a stop word (weighs little).
    pub stop: bool,
    /// Whether the knowledge base uses this term at all.
    pub known: bool,
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

    /// The synonym group as the knowledge base writes it: its first entry
    /// (a phrase as such, `"log out"`), or `None` without a synonym.
    fn group(&self) -> Option<&str> {
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
            Some(_) => format!("synonym of {group:?}, read as one word"),
            None => format!("synonym of {group:?}"),
        })
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
    /// Share (0.0..=1.0) of the utterance's content words the knowledge base knows.
    pub familiarity: f32,
    /// Words of the intent's answer text the utterance uses (its examples
    /// do not) and the evidence each added to the keywords' part.
    pub answer_words: Vec<KeywordHit>,
    /// Share (0.0..=1.0) of the utterance's content words the knowledge
    /// base does not know but that are everyday English (not names).
    pub everyday: f32,
    /// Set when this runner-up's calibrated confidence was capped at
    /// `1 − p_top` or `p_top` (the ranking never promises more than one
    /// right answer) and lost at least 0.005 to the cap, so runner-ups
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
/// [`VISIBLE`] (see
/// [`crate::matcher::calibrate`]'s `apply`).
fn cap_of(engine: &Engine, a: &Analysis, top: &Scored, s: &Scored) -> Option<Cap> {
    use crate::matcher::calibrate::{foreign_share, raw_of, Observation};
    let c = engine.matcher().calibration();
    if c.is_identity() {
        return None;
    }
    let p_top = top.confidence - top.evidence.semantic;
    let shown = s.confidence - s.evidence.semantic;
    let cap = (1.0 - p_top).min(p_top);
    let own = c.probability(&Observation::of(s, raw_of(top), foreign_share(a)));
    let own = if s.evidence.missing_required.is_empty() {
        own
    } else {
        own.min(raw_of(s))
    };
    ((shown - cap).abs() < 1e-4 && own >= shown + VISIBLE).then_some(Cap { own, top: p_top })
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
    /// ([`crate::semantic::fusion`]).
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
    /// A stemmed term, or two terms for a bigram (`"forgot pin"`).
    pub feature: String,
    /// Its part of the similarity (negative when the word speaks against
    /// the intent).
    pub share: f32,
}

/// A keyword that matched.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeywordHit {
    /// The keyword as written.
    pub word: String,
    /// Evidence added: weight × specificity × the keyword unit.
    pub evidence: f32,
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
    /// The answer threshold from `bot.ron` (0.0..=1.0).
    pub threshold: f32,
    /// The clarification margin from `bot.ron` (0.0..=1.0).
    pub margin: f32,
}

fn route_name(r: Route) -> &'static str {
    match r {
        Route::Empty => "empty",
        Route::Number => "number",
        Route::Title => "title",
        Route::Ranked => "ranked",
        Route::Context => "context",
        Route::Offer => "offer",
    }
}

impl Explanation {
    /// Gathers the explanation of `reply`, produced with `decision`.
    pub fn new(engine: &Engine, reply: &Reply, decision: &Decision) -> Self {
        let kb = engine.knowledge_base();
        let m = engine.matcher();
        let norm = m.normalizer();
        let a = &decision.analysis;
        let sources = read::sources(m, &a.folded, &a.tokens);
        let tokens = a
            .tokens
            .iter()
            .zip(sources)
            .map(|(t, source)| {
                let word = t.token.word.as_str();
                let synonym = match &source.phrase {
                    Some(_) => Some(word.to_string()),
                    None => norm.synonym(word).map(str::to_string),
                };
                TraceToken {
                    word: t.token.word.clone(),
                    corrected_from: t.corrected_from.clone(),
                    joined: source.joined,
                    split_from: source.split_from,
                    group_phrase: synonym
                        .as_deref()
                        .and_then(|c| group_phrase(&kb.settings.synonyms, c)),
                    synonym,
                    phrase: source.phrase,
                    term: t.token.term.clone(),
                    stop: t.token.stop,
                    known: t.known,
                    context: t.weight <= CONTEXT_WEIGHT,
                    everyday: t.everyday,
                    slot: t.fills_slot(),
                }
            })
            .collect();
        let input = reply.input.trim();
        let ranking: Vec<RankedIntent> = decision
            .ranking
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let mut r = ranked(engine, Some(a), s);
                if k > 0 {
                    r.capped = cap_of(engine, a, &decision.ranking[0], s);
                }
                r
            })
            .collect();
        let margin = match decision.ranking.as_slice() {
            [a, b, ..] => Some(
                (a.confidence - a.evidence.calibration) - (b.confidence - b.evidence.calibration),
            ),
            _ => None,
        };
        Explanation {
            input: reply.input.clone(),
            trace: Trace {
                unicode_folded: unicode::fold(
                    &sanitize::clean(input, MAX_RAW_CHARS),
                    MAX_FOLDED_CHARS + MAX_WORD_CHARS,
                ),
                folded: fold_text(input),
                tokens,
            },
            ranking,
            margin,
            calibration: {
                let c = engine.matcher().calibration();
                CalibrationInfo {
                    in_scope_samples: c.in_scope,
                    out_of_scope_samples: c.out_of_scope,
                    coefficients: c.coefficients.to_vec(),
                }
            },
            decision: PolicyDecision {
                kind: reply.kind,
                intent: reply.intent.clone(),
                route: route_name(decision.route),
                reason: decision.reason.clone(),
                threshold: kb.settings.threshold,
                margin: kb.settings.margin,
            },
            semantic: engine.semantic().explain(kb, decision.semantic.as_ref()),
        }
    }
}

/// The first entry of the synonym group whose canonical word is
/// `canonical`, folded, when it is a phrase (`"log out"` for `logout`).
fn group_phrase(groups: &[Vec<String>], canonical: &str) -> Option<String> {
    groups.iter().find_map(|g| {
        let first = fold_text(g.first()?);
        (first.contains(' ') && first.split(' ').collect::<String>() == canonical).then_some(first)
    })
}

/// `s` ranked for the utterance `a` (when known: a decision's ranking
/// leaves the word shares to be computed here).
fn ranked(engine: &Engine, a: Option<&Analysis>, s: &Scored) -> RankedIntent {
    let kb = engine.knowledge_base();
    let m = engine.matcher();
    let def = &kb.intents[s.intent];
    let e = &s.evidence;
    let shares = match a {
        Some(a) if e.features.is_empty() => m.word_shares(a, s),
        _ => e.features.clone(),
    };
    let [similarity, keywords, pattern, required_penalty, coverage, familiarity] = e.contributions;
    RankedIntent {
        intent: def.id.clone(),
        kind: def.kind,
        confidence: s.confidence,
        raw_confidence: e.raw_confidence,
        contributions: Contributions {
            similarity,
            keywords,
            pattern,
            required_penalty,
            coverage,
            familiarity,
            calibration: e.calibration,
            semantic: e.semantic,
        },
        nearest: e.nearest.map(|(ex, cosine)| NearestExample {
            text: m.example(ex).0.to_string(),
            cosine,
        }),
        words: e.words,
        word_parts: shares
            .iter()
            .filter(|(_, share)| share.abs() >= 0.005)
            .map(|&(f, share)| SharedFeature {
                feature: m.feature_name(f).to_string(),
                share,
            })
            .collect(),
        keywords: e
            .keywords
            .iter()
            .filter_map(|(k, g)| {
                def.keywords.get(*k).map(|kw| KeywordHit {
                    word: kw.word().to_string(),
                    evidence: *g,
                })
            })
            .collect(),
        pattern: e.pattern.and_then(|p| def.patterns.get(p).cloned()),
        missing_required: e
            .missing_required
            .iter()
            .filter_map(|k| def.keywords.get(*k).map(|kw| kw.word().to_string()))
            .collect(),
        coverage: e.coverage,
        familiarity: e.familiarity,
        answer_words: e
            .answer_terms
            .iter()
            .map(|(t, g)| KeywordHit {
                word: t.clone(),
                evidence: *g,
            })
            .collect(),
        everyday: e.everyday,
        capped: None,
    }
}

/// One ranked intent as text: confidence, then each contribution (the
/// words' shares as `s` holds them: a [`crate::matcher::Matcher::rank_analysis`]
/// ranking has them).
pub fn render_scored(engine: &Engine, s: &Scored) -> String {
    ranked(engine, None, s).render()
}

/// The whole decision behind a reply, as shown by `/why all` and `faqbot explain`.
pub fn render_decision(engine: &Engine, reply: &Reply, d: &Decision) -> String {
    Explanation::new(engine, reply, d).render()
}
