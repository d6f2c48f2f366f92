//! Measuring matching quality on labelled utterances (`faqbot eval`).
//!
//! Evaluation has two phases that never mix:
//!
//! 1. [`predict`] sees only the texts. Every utterance goes through
//!    [`Engine::respond_traced`] with a fresh [`Session`] (the same code
//!    path as the bot), and the ranking and the reply are kept.
//! 2. [`score`] compares the predictions with the labels.
//!
//! [`cross_validate()`] runs both on a knowledge base's own examples, each
//! answered by a bot built without it (`faqbot eval --cross-validate`).
//!
//! # Metrics
//!
//! A label matches the intent whose id equals it, or else the intent whose
//! id is its import slug ([`crate::import::slug`]: `"Make Update"` →
//! `make_update`), or else the one intent whose title it is (case,
//! surrounding whitespace and final punctuation aside: an owner labels a
//! question with the row's question), see [`label`]. Lines with
//! `"intent": null` are *out of scope* (OOS).
//!
//! * **accuracy**: share of in-scope lines whose top-ranked intent is the
//!   label, no threshold (an empty ranking is wrong).
//! * **macro-F1**: per intent F1 = 2·P·R/(P+R) over the in-scope lines and
//!   the top-ranked intents (no threshold), averaged over every intent that
//!   is a label or a prediction (as scikit-learn's `f1_score(average =
//!   "macro")`); an intent with P + R = 0 has F1 = 0.
//! * **at the threshold** of `bot.ron` (the dialogue policy: threshold and
//!   margin): a line is *answered* when the reply is an answer (or a handoff
//!   intent's reply); clarifications and fallbacks are not answers.
//!   *in-scope accuracy* = in-scope lines answered with their label /
//!   in-scope lines; *OOS recall* = OOS lines not answered / OOS lines;
//!   *OOS precision* = OOS lines not answered / lines not answered.
//! * **sweep**, for thresholds 0.00, 0.01, ..., 1.00 (margin from `bot.ron`):
//!   *coverage* = answered lines / all lines; *accuracy* = lines answered
//!   with their label / answered lines (an answered OOS line is wrong);
//!   *OOS recall* as above. A reply whose confidence a rule set to the
//!   threshold (`raised_by`) counts as answered at every threshold: the
//!   rule would raise it to any threshold `bot.ron` set (a new user set
//!   the recommended 0.66 and saw the same out-of-scope answers).
//!   Conversation rules are not replayed: each line is a fresh session.
//! * **recommended threshold**: the one that maximises right − wrong
//!   decisions, where right = in-scope lines answered with their label + OOS
//!   lines not answered, wrong = lines answered with another intent (or
//!   answered at all when OOS); unanswered in-scope lines count 0. A wrong
//!   answer thus costs as much as a right one gains. Ties go to the
//!   threshold nearest `bot.ron`'s (the lowest of two as near). Recommend on
//!   a development split, not on the test split.
//! * **calibration** ([`Reliability`]): the in-scope lines put in
//!   [`CALIBRATION_BINS`] equal-width bins by the top intent's confidence;
//!   per bin the mean confidence and the share whose top intent is the
//!   label. *ECE* (expected calibration error) = Σ over bins of
//!   (lines in the bin / in-scope lines) · |accuracy − mean confidence|,
//!   0.0..=1.0 (Guo et al. 2017, "On Calibration of Modern Neural
//!   Networks"): 0.0 when a confidence of 0.8 is right 80 % of the time.
//! * **throughput**: utterances per second over phase 1, one thread.

pub mod cross_validate;
pub mod label;
mod reliability;
mod render;
mod report;

pub use cross_validate::{cross_validate, CrossValidation, DEFAULT_FOLDS};
pub use reliability::{reliability, Reliability, ReliabilityBin, CALIBRATION_BINS};
pub use render::{fmt_opt, render, FEW_LINES};
pub use report::{AtThreshold, Confusion, IntentScore, Miss, Report, SweepPoint};

use crate::import::Labelled;
use crate::matcher::Scored;
use crate::reply::ReplyKind;
use crate::{Engine, Session};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// How many ranked intents are kept per utterance (enough for the policy).
pub const KEEP_RANKED: usize = 5;
/// How many confused pairs a report lists.
pub const MAX_CONFUSIONS: usize = 10;
/// How many of the lines not handled right the text report lists (the
/// JSON report has every one).
pub const SHOWN_MISSES: usize = 15;

/// What the engine did with one utterance (no label involved).
#[derive(Clone, Debug)]
pub struct Prediction {
    /// The ranking, best first, at most [`KEEP_RANKED`] intents.
    pub ranking: Vec<Scored>,
    /// The reply kind at `bot.ron`'s threshold and margin.
    pub kind: ReplyKind,
    /// The intent answered (answer or handoff intent), if any.
    pub answered: Option<usize>,
    /// When nothing is answered: the intents the reply offers as numbered
    /// suggestions (a clarification's choices, a fallback's near misses,
    /// candidates or popular topics), in order; empty for an answer.
    pub offered: Vec<usize>,
    /// Whether a rule set the top's confidence to the threshold
    /// ([`crate::Reply::raised_by`]): the sweep then answers it at every
    /// threshold, as the bot would with that threshold in `bot.ron`.
    pub raised: bool,
}

impl Prediction {
    /// The top-ranked intent, if any intent had evidence.
    pub fn top(&self) -> Option<usize> {
        self.ranking.first().map(|s| s.intent)
    }
}

/// Runs every text through the engine, each in a fresh session. Returns
/// the predictions (same order) and the time taken.
pub fn predict<'a>(
    engine: &Engine,
    texts: impl IntoIterator<Item = &'a str>,
) -> (Vec<Prediction>, Duration) {
    let start = Instant::now();
    let mut out = Vec::new();
    for text in texts {
        let (reply, decision) = engine.respond_traced(&mut Session::new(), text);
        let mut ranking = decision.ranking;
        ranking.truncate(KEEP_RANKED);
        let answered = match reply.kind {
            ReplyKind::Answer | ReplyKind::Handoff => reply
                .intent
                .as_deref()
                .and_then(|id| engine.knowledge_base().index_of(id)),
            _ => None,
        };
        let offered = if answered.is_some() {
            Vec::new()
        } else {
            let kb = engine.knowledge_base();
            reply
                .suggestions
                .iter()
                .filter_map(|s| kb.index_of(&s.intent))
                .collect()
        };
        out.push(Prediction {
            ranking,
            kind: reply.kind,
            answered,
            offered,
            raised: reply.raised_by.is_some(),
        });
    }
    (out, start.elapsed())
}

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// Resolves a label to an intent index: the intent with that id, else the
/// one with the label's import slug, else the one intent whose title it is
/// ([`label::resolve`]; a title of several intents resolves to none:
/// [`label::check_labels`] tells).
pub fn resolve_label(engine: &Engine, label: &str) -> Option<usize> {
    match label::resolve(engine.knowledge_base(), label) {
        label::Label::Intent(i) => Some(i),
        label::Label::Ambiguous(_) | label::Label::Unknown => None,
    }
}

/// Scores predictions against labels (same order and length; extra items
/// of the longer list are ignored). `elapsed` is the matching time.
pub fn score(
    engine: &Engine,
    predictions: &[Prediction],
    labels: &[Option<String>],
    elapsed: Duration,
) -> Report {
    let kb = engine.knowledge_base();
    let settings = &kb.settings;
    let n = predictions.len().min(labels.len());
    let mut unknown: Vec<String> = Vec::new();
    // Gold: Some(Some(i)) in scope and known, Some(None) in scope but
    // unknown label, None out of scope.
    let gold: Vec<Option<Option<usize>>> = labels[..n]
        .iter()
        .map(|l| {
            l.as_ref().map(|l| {
                let r = resolve_label(engine, l);
                if r.is_none() && !unknown.contains(l) {
                    unknown.push(l.clone());
                }
                r
            })
        })
        .collect();
    unknown.sort();
    let preds = &predictions[..n];
    let in_scope = gold.iter().filter(|g| g.is_some()).count();
    let oos = n - in_scope;

    // No threshold: accuracy, F1, confusions.
    let mut right = 0;
    let mut pairs: Vec<(f32, bool)> = Vec::new();
    let mut tp: HashMap<usize, usize> = HashMap::new();
    let mut fp: HashMap<usize, usize> = HashMap::new();
    let mut support: HashMap<usize, usize> = HashMap::new();
    let mut confused: BTreeMap<(String, String), usize> = BTreeMap::new();
    let id = |i: usize| kb.intents[i].id.clone();
    for (g, p) in gold.iter().zip(preds) {
        let Some(g) = g else { continue };
        let top = p.top();
        if let Some(g) = g {
            *support.entry(*g).or_default() += 1;
        }
        pairs.push((
            p.ranking.first().map_or(0.0, |s| s.confidence),
            top.is_some() && top == *g,
        ));
        if top.is_some() && top == *g {
            right += 1;
            *tp.entry(top.unwrap_or_default()).or_default() += 1;
        } else {
            if let Some(t) = top {
                *fp.entry(t).or_default() += 1;
            }
            let expected = g.map_or_else(|| "(unknown label)".to_string(), id);
            let predicted = top.map_or_else(|| "(none)".to_string(), id);
            *confused.entry((expected, predicted)).or_default() += 1;
        }
    }
    let mut classes: Vec<usize> = support.keys().chain(fp.keys()).copied().collect();
    classes.sort_unstable();
    classes.dedup();
    let intents: Vec<IntentScore> = classes
        .iter()
        .map(|&c| {
            let t = tp.get(&c).copied().unwrap_or(0);
            let s = support.get(&c).copied().unwrap_or(0);
            let f = fp.get(&c).copied().unwrap_or(0);
            let precision = ratio(t, t + f).unwrap_or(0.0);
            let recall = ratio(t, s).unwrap_or(0.0);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            IntentScore {
                intent: id(c),
                support: s,
                precision,
                recall,
                f1,
            }
        })
        .collect();
    let macro_f1 = (in_scope > 0 && !intents.is_empty())
        .then(|| intents.iter().map(|s| s.f1).sum::<f64>() / intents.len() as f64);
    let mut confusions: Vec<Confusion> = confused
        .into_iter()
        .map(|((expected, predicted), count)| Confusion {
            expected,
            predicted,
            count,
        })
        .collect();
    confusions.sort_by_key(|c| std::cmp::Reverse(c.count)); // stable: ties stay in name order
    confusions.truncate(MAX_CONFUSIONS);

    // At the configured threshold.
    let mut at = AtThreshold {
        threshold: settings.threshold,
        margin: settings.margin,
        in_scope_accuracy: None,
        oos_recall: None,
        oos_precision: None,
        answered: 0,
        clarified: 0,
        fallbacks: 0,
        offered_right: 0,
        unanswered_in_scope: 0,
    };
    let (mut in_right, mut oos_rejected, mut rejected) = (0, 0, 0);
    let mut misses = Vec::new();
    for (k, (g, p)) in gold.iter().zip(preds).enumerate() {
        let handled = match g {
            Some(g) => g.is_some() && p.answered == *g,
            None => p.answered.is_none(),
        };
        if !handled {
            misses.push(Miss {
                line: k + 1,
                text: String::new(),
                expected: labels[k].clone(),
                kind: p.kind.as_str().to_string(),
                answered: p.answered.map(id),
                top: p.top().map(id),
                confidence: p.ranking.first().map_or(0.0, |s| s.confidence),
                location: None,
            });
        }
        match p.kind {
            ReplyKind::Clarify => at.clarified += 1,
            ReplyKind::Fallback => at.fallbacks += 1,
            _ => {}
        }
        if p.answered.is_some() {
            at.answered += 1;
        } else {
            rejected += 1;
        }
        match g {
            Some(g) => {
                in_right += usize::from(p.answered.is_some() && p.answered == *g);
                if p.answered.is_none() {
                    at.unanswered_in_scope += 1;
                    at.offered_right += usize::from(g.is_some_and(|g| p.offered.contains(&g)));
                }
            }
            None => oos_rejected += usize::from(p.answered.is_none()),
        }
    }
    at.in_scope_accuracy = ratio(in_right, in_scope);
    if oos > 0 {
        at.oos_recall = ratio(oos_rejected, oos);
        at.oos_precision = ratio(oos_rejected, rejected);
    }

    // Sweep.
    let sweep: Vec<SweepPoint> = (0..=100)
        .map(|k| {
            let t = k as f32 / 100.0;
            let (mut answered, mut ok, mut wrong, mut oos_rej) = (0, 0, 0, 0);
            for (g, p) in gold.iter().zip(preds) {
                let raised;
                let ranking = match p.ranking.first() {
                    // The rule raises its top to whatever the threshold is.
                    Some(top) if p.raised && top.confidence < t => {
                        let mut r = p.ranking.clone();
                        r[0].confidence = t;
                        raised = r;
                        &raised
                    }
                    _ => &p.ranking,
                };
                let (_, a) = engine.decide(ranking, t, settings.margin);
                match (g, a) {
                    (_, Some(a)) => {
                        answered += 1;
                        if g.is_some_and(|g| g == Some(a)) {
                            ok += 1;
                        } else {
                            wrong += 1;
                        }
                    }
                    (None, None) => oos_rej += 1,
                    (Some(_), None) => {}
                }
            }
            SweepPoint {
                threshold: t,
                coverage: ratio(answered, n).unwrap_or(0.0),
                accuracy: ratio(ok, answered),
                oos_recall: ratio(oos_rej, oos),
                utility: ratio(ok + oos_rej, n).unwrap_or(0.0) - ratio(wrong, n).unwrap_or(0.0),
            }
        })
        .collect();
    // Ties (utilities within float noise) go to the threshold nearest the
    // one in use: a tie is no reason to change it (a new-user trial was
    // told 0.56 with the same utility as its 0.65, then not to change it).
    let best = sweep.iter().map(|p| p.utility).fold(f64::MIN, f64::max);
    let recommended_threshold = sweep
        .iter()
        .filter(|p| p.utility >= best - 1e-9)
        .min_by(|a, b| {
            let d = |p: &SweepPoint| (p.threshold - settings.threshold).abs();
            d(a).total_cmp(&d(b))
        })
        .map_or(settings.threshold, |p| p.threshold);

    let seconds = elapsed.as_secs_f64();
    Report {
        lines: n,
        in_scope,
        out_of_scope: oos,
        unknown_labels: unknown,
        accuracy: ratio(right, in_scope),
        macro_f1,
        at_threshold: at,
        confusions,
        misses,
        intents,
        sweep,
        recommended_threshold,
        calibration: reliability(pairs),
        seconds,
        utterances_per_second: if seconds > 0.0 {
            n as f64 / seconds
        } else {
            0.0
        },
    }
}

/// Predicts every row's intent from its text alone, then scores the
/// predictions against the rows' labels.
pub fn evaluate(engine: &Engine, rows: &[Labelled]) -> Report {
    let (preds, elapsed) = predict(engine, rows.iter().map(|r| r.text.as_str()));
    let labels: Vec<Option<String>> = rows.iter().map(|r| r.intent.clone()).collect();
    let mut report = score(engine, &preds, &labels, elapsed);
    for m in &mut report.misses {
        m.text.clone_from(&rows[m.line - 1].text);
    }
    report
}
