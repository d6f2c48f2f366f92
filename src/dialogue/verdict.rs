//! Rule 5, the verdict: a ranking → the reply kind, the intents it
//! involves, and why.
//!
//! Takes the ranking (best first) and the threshold `t` and margin `m`
//! (from `bot.ron`, or swept by `faqbot eval`); gives the kind (answer,
//! clarify, fallback, handoff), the intents involved (the answer, the
//! clarification's choices, or the near misses of a fallback) and a
//! `Why` that renders the reason only when it is shown. Small talk
//! gives way to an FAQ intent that reaches `t`; a winner that is an exact
//! example or backed by a pattern is not made ambiguous by a runner-up.

use crate::kb::KnowledgeBase;
use crate::matcher::Scored;
use crate::reply::ReplyKind;
use crate::schema::IntentKind;

/// A close runner-up joins a clarification only if its confidence is at
/// least this share of the threshold.
pub const CLARIFY_FLOOR: f32 = 0.8;
/// Below the threshold, intents at or above this share of it are offered
/// as "did you mean" suggestions instead of popular topics.
pub const NEAR_MISS: f32 = 0.6;

/// Why the policy decided as it did; rendered only when shown.
pub(crate) enum Why {
    NoEvidence,
    OutOfScope(usize),
    Close {
        top: f32,
        threshold: f32,
        margin: f32,
    },
    Clear {
        top: f32,
        threshold: f32,
        lead: f32,
        margin: f32,
    },
    Below {
        top: f32,
        threshold: f32,
    },
}

impl Why {
    pub fn render(&self, kb: &KnowledgeBase) -> String {
        match *self {
            Why::NoEvidence => "no intent has any evidence".into(),
            Why::OutOfScope(i) => format!("best match `{}` is marked out of scope", kb.intents[i].id),
            Why::Close { top, threshold, margin } => format!(
                "{top:.2} ≥ threshold {threshold:.2} but the runner-up is within the margin {margin:.2}"
            ),
            Why::Clear { top, threshold, lead, margin } => format!(
                "{top:.2} ≥ threshold {threshold:.2} and margin to the runner-up {lead:.2} > {margin:.2}"
            ),
            Why::Below { top, threshold } => format!("{top:.2} < threshold {threshold:.2}"),
        }
    }
}

struct Thresholds {
    threshold: f32,
    margin: f32,
}

/// The policy on `ranking` at threshold and margin (0.0..=1.0): the reply
/// kind, the intents involved, and why.
pub(crate) fn verdict_at(
    kb: &KnowledgeBase,
    ranking: &[Scored],
    threshold: f32,
    margin: f32,
) -> (ReplyKind, Vec<usize>, Why) {
    let s = Thresholds { threshold, margin };
    let Some(top) = ranking.first() else {
        return (ReplyKind::Fallback, Vec::new(), Why::NoEvidence);
    };
    let kind_of = |i: usize| kb.intents[i].kind;
    // Small talk never outranks an FAQ answer that reaches the
    // threshold ("hi, I forgot my PIN" is about the PIN).
    let faq_ok = |r: &Scored| kind_of(r.intent) != IntentKind::SmallTalk;
    let filtered: Vec<Scored>;
    let ranking = if kind_of(top.intent) == IntentKind::SmallTalk
        && ranking
            .iter()
            .any(|r| faq_ok(r) && r.confidence >= s.threshold)
    {
        filtered = ranking.iter().filter(|r| faq_ok(r)).cloned().collect();
        &filtered[..]
    } else {
        ranking
    };
    let top = &ranking[0];
    if top.confidence >= s.threshold {
        if kind_of(top.intent) == IntentKind::OutOfScope {
            return (ReplyKind::Fallback, Vec::new(), Why::OutOfScope(top.intent));
        }
        let exact = top.evidence.nearest.is_some_and(|(_, c)| c >= 1.0);
        // An authored pattern is a precise signal: a runner-up that no
        // pattern speaks for does not make a pattern-backed winner ambiguous.
        let decisive = |r: &Scored| top.evidence.pattern.is_some() && r.evidence.pattern.is_none();
        let close: Vec<usize> = ranking[1..]
            .iter()
            .filter(|r| {
                !exact
                    && !decisive(r)
                    && faq_ok(r)
                    && r.confidence >= top.confidence - s.margin
                    && r.confidence >= CLARIFY_FLOOR * s.threshold
                    && kind_of(r.intent) != IntentKind::OutOfScope
            })
            .map(|r| r.intent)
            .take(2)
            .collect();
        if !close.is_empty() {
            let mut all = vec![top.intent];
            all.extend(close);
            return (
                ReplyKind::Clarify,
                all,
                Why::Close {
                    top: top.confidence,
                    threshold: s.threshold,
                    margin: s.margin,
                },
            );
        }
        let kind = if kind_of(top.intent) == IntentKind::Handoff {
            ReplyKind::Handoff
        } else {
            ReplyKind::Answer
        };
        let runner = ranking.get(1).map_or(0.0, |r| r.confidence);
        return (
            kind,
            vec![top.intent],
            Why::Clear {
                top: top.confidence,
                threshold: s.threshold,
                lead: top.confidence - runner,
                margin: s.margin,
            },
        );
    }
    let near: Vec<usize> = ranking
        .iter()
        .filter(|r| {
            r.confidence >= NEAR_MISS * s.threshold && matches!(kind_of(r.intent), IntentKind::Faq)
        })
        .map(|r| r.intent)
        .take(3)
        .collect();
    (
        ReplyKind::Fallback,
        near,
        Why::Below {
            top: top.confidence,
            threshold: s.threshold,
        },
    )
}
