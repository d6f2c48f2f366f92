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
//! Only the engine that made a decision can explain it (the decision names
//! intents by position): [`Explanation::try_new`] returns an error for
//! another one, e.g. after a reload.
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
mod typed;
mod types;
pub use short::{SHORT_INTENTS, SHORT_PARTS, SHORT_WORDS};
pub use typed::{RARE_MARK, UNKNOWN_MARK};
use types::cap_of;
pub use types::{
    CalibrationInfo, Cap, Contributions, Explanation, KeywordHit, NearestExample, PolicyDecision,
    RankedIntent, SemanticCandidate, SharedFeature, Trace, TraceToken,
};

use crate::dialogue::{Decision, Route};
use crate::matcher::{calibrate, Analysis, Scored, CONTEXT_WEIGHT};
use crate::normalize::{
    fold_text, sanitize, unicode, MAX_FOLDED_CHARS, MAX_RAW_CHARS, MAX_WORD_CHARS,
};
use crate::{Engine, Reply};

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
    /// Gathers the explanation of `reply`, produced with `decision` by
    /// `engine`.
    ///
    /// # Panics
    /// If `decision` was made by another engine (one replaced by a reload
    /// since, say): see [`Explanation::try_new`], which returns an error
    /// instead.
    pub fn new(engine: &Engine, reply: &Reply, decision: &Decision) -> Self {
        Self::try_new(engine, reply, decision).unwrap_or_else(|e| panic!("{e}"))
    }

    /// [`Explanation::new`] for a decision that may come from another
    /// engine: a server or bot that keeps a turn's `(Reply, Decision)` to
    /// explain it later, while the knowledge base may be reloaded.
    ///
    /// # Errors
    /// [`crate::ErrorKind::WrongEngine`] when [`Decision::engine`] is not
    /// `engine`'s [`Engine::id`]: the decision's intents are positions in
    /// the knowledge base of the engine that made it, so only that engine
    /// can explain it (keep its `Arc<Engine>` with the reply).
    ///
    /// ```
    /// use faqbot::{explain::Explanation, Engine, ErrorKind, Session};
    /// let old = Engine::bundled()?;
    /// let (reply, decision) = old.respond_traced(&mut Session::new(), "I forgot my PIN");
    /// let reloaded = Engine::bundled()?;
    /// let err = Explanation::try_new(&reloaded, &reply, &decision).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::WrongEngine { .. }));
    /// assert!(Explanation::try_new(&old, &reply, &decision).is_ok());
    /// # Ok::<(), faqbot::Error>(())
    /// ```
    pub fn try_new(engine: &Engine, reply: &Reply, decision: &Decision) -> crate::Result<Self> {
        if decision.engine != engine.id() {
            return Err(crate::Error::wrong_engine(decision.engine, engine.id()));
        }
        Ok(Self::gather(engine, reply, decision))
    }

    /// [`Explanation::try_new`] once the engine is known to be the right one.
    fn gather(engine: &Engine, reply: &Reply, decision: &Decision) -> Self {
        let kb = engine.knowledge_base();
        let m = engine.matcher();
        let norm = m.normalizer();
        let a = &decision.analysis;
        let sources = read::sources(m, &a.folded, &a.tokens);
        let rare = m.rare_tokens(a);
        let tokens: Vec<TraceToken> = a
            .tokens
            .iter()
            .zip(sources)
            .zip(rare)
            .map(|((t, source), rare)| {
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
                    common_synonym: synonym
                        .as_deref()
                        .is_some_and(|c| is_common_group(&kb.settings, c)),
                    synonym,
                    phrase: source.phrase,
                    term: t.token.term.clone(),
                    stop: t.token.stop,
                    known: t.known,
                    rare,
                    context: t.weight <= CONTEXT_WEIGHT,
                    everyday: t.everyday,
                    slot: t.fills_slot(),
                }
            })
            .collect();
        let input = reply.input.trim();
        let runner_ups = decision.ranking.get(1..).unwrap_or_default();
        let ranking: Vec<RankedIntent> = decision
            .ranking
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let mut r = ranked(engine, Some((a, &tokens)), s);
                if k > 0 {
                    // Two runner-ups at the same visible confidence: each
                    // one the cap changed at all says so, or the list would
                    // show equal confidences without a reason.
                    let tied = s.confidence >= 0.005
                        && runner_ups
                            .iter()
                            .filter(|o| (o.confidence - s.confidence).abs() < 1e-6)
                            .count()
                            > 1;
                    r.capped = cap_of(engine, a, &decision.ranking[0], s, tied);
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
                    typical_foreign: c.typical_foreign,
                    sparse: c.sparse,
                    top_features: match (&decision.semantic, decision.ranking.is_empty()) {
                        (None, false) => {
                            let (_, o) = calibrate::Observation::top(a, &decision.ranking);
                            Some(o.features(c.typical_foreign).to_vec())
                        }
                        _ => None,
                    },
                }
            },
            decision: PolicyDecision {
                kind: reply.kind,
                intent: reply.intent.clone(),
                route: route_name(decision.route),
                reason: decision.reason.clone(),
                raised_by: reply.raised_by,
                threshold: kb.settings.threshold,
                margin: kb.settings.margin,
            },
            semantic: engine.semantic().explain(kb, decision.semantic.as_ref()),
            semantic_candidates: decision
                .semantic
                .iter()
                .flat_map(|s| &s.candidates)
                .filter_map(|c| {
                    Some(SemanticCandidate {
                        intent: kb.intents.get(c.intent)?.id.clone(),
                        features: c.features.to_vec(),
                    })
                })
                .collect(),
        }
    }
}

/// Whether `canonical` is the word of a common English synonym group
/// that none of `bot.ron`'s own groups lists (merged into one of them, it
/// reads as the author's group).
fn is_common_group(settings: &crate::schema::BotSettings, canonical: &str) -> bool {
    let joined = |e: &str| fold_text(e).split(' ').collect::<String>();
    settings.common_synonyms
        && crate::normalize::common_synonyms::COMMON_GROUPS
            .iter()
            .any(|g| joined(g[0]) == canonical)
        && !settings
            .synonyms
            .iter()
            .flatten()
            .any(|e| joined(e) == canonical)
}

/// The first entry of the synonym group whose canonical word is
/// `canonical`, folded, when it is a phrase (`"log out"` for `logout`).
fn group_phrase(groups: &[Vec<String>], canonical: &str) -> Option<String> {
    groups.iter().find_map(|g| {
        let first = fold_text(g.first()?);
        (first.contains(' ') && first.split(' ').collect::<String>() == canonical).then_some(first)
    })
}

/// `s` ranked for the utterance `a` with its trace `tokens` (when known:
/// a decision's ranking leaves the word shares to be computed here, and
/// the tokens show them in the user's words).
fn ranked(engine: &Engine, a: Option<(&Analysis, &[TraceToken])>, s: &Scored) -> RankedIntent {
    let kb = engine.knowledge_base();
    let m = engine.matcher();
    let def = &kb.intents[s.intent];
    let e = &s.evidence;
    let tokens = a.map_or(&[][..], |(_, t)| t);
    let shares = match a {
        Some((a, _)) if e.features.is_empty() => m.word_shares(a, s),
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
            .map(|&(f, share)| {
                let feature = m.feature_name(f);
                SharedFeature {
                    as_typed: typed::as_typed(feature, tokens)
                        .unwrap_or_else(|| feature.to_string()),
                    feature: feature.to_string(),
                    share,
                }
            })
            .collect(),
        keywords: e
            .keywords
            .iter()
            .filter_map(|(k, g)| {
                def.keywords.get(*k).map(|kw| KeywordHit {
                    word: kw.word().to_string(),
                    as_typed: None,
                    read_as: None,
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
                as_typed: Some(typed::as_typed(t, tokens).unwrap_or_else(|| t.clone())),
                read_as: answer_word_read_as(t, tokens),
                word: t.clone(),
                evidence: *g,
            })
            .collect(),
        everyday: e.everyday,
        names: e.names,
        capped: None,
    }
}

/// The synonym group's word the answer-text term `t` was read as, when
/// every word of `tokens` read as `t` was typed as another word of the
/// group ("gift card" read as "voucher"); `None` when one was typed as
/// the group's word itself, or as an inflection of it ("units" read as
/// "unit" is no other word).
fn answer_word_read_as(t: &str, tokens: &[TraceToken]) -> Option<String> {
    let mut read = None;
    for k in tokens.iter().filter(|k| k.term == t) {
        let typed = k.shown();
        let s = k.synonym.as_deref()?;
        if s == typed || crate::lexicon::english().base_forms(typed).any(|b| b == s) {
            return None;
        }
        read = Some(s.to_string());
    }
    read
}

/// One ranked intent as text: confidence, then each contribution (the
/// words' shares as `s` holds them: a [`crate::matcher::Matcher::rank_analysis`]
/// ranking has them). Without the utterance at hand the words are shown
/// as the matcher's features (stems, `<rare>`); [`Explanation`] shows
/// them in the user's words.
pub fn render_scored(engine: &Engine, s: &Scored) -> String {
    ranked(engine, None, s).render()
}

/// The whole decision behind a reply, as shown by `/why all` and `faqbot explain`.
///
/// # Panics
/// As [`Explanation::new`]: if `d` was made by another engine.
pub fn render_decision(engine: &Engine, reply: &Reply, d: &Decision) -> String {
    Explanation::new(engine, reply, d).render()
}
