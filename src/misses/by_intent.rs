//! The unanswered turns gathered by the FAQ entry each comes closest to,
//! for `faqbot misses` on a small log.
//!
//! On a small log most groups ([`mod@super::group`]) are single turns: 39
//! unanswered turns made 39 groups in trial 41, which told the owner
//! nothing the log did not. What an owner can act on is, per FAQ entry,
//! the customers' messages that came close to it: each is a phrasing to
//! add to that entry's row, in the customers' own words (the fix that
//! works on a freshly imported sheet). A turn close to no entry asks for
//! a new entry instead.
//!
//! Each distinct utterance's closest FAQ intent ([`NearestFaq`]) is the
//! first FAQ intent of the ranking the group's closest intent is read
//! from (small talk and out-of-scope intents left out). How close it is
//! is read from its raw confidence (the evidence before calibration): the
//! calibrated confidence does not tell, as a small knowledge base gives
//! almost any message one near 0.5. Three tiers, measured on the four
//! development sheets and trial 41's two (216 unanswered turns; the right
//! entry ranked first for 71, 59 out of scope):
//!
//! | raw confidence | tier | right entry | another entry | out of scope |
//! |---|---|---|---|---|
//! | ≥ [`PAIR_EVIDENCE_FLOOR`] (0.2) | *close* | 39 | 13 | 5 |
//! | ≥ [`WEAK_EVIDENCE`] (0.1) | listed under the entry, *weak* | 25 | 42 | 34 |
//! | lower, or no FAQ intent | close to no entry | 7 | 31 | 20 |
//!
//! (The near-miss bar of a fallback's "did you mean", a confidence of at
//! least `NEAR_MISS` × the threshold and a word in common, called 93
//! turns close: 44 right, 31 another entry's, 18 out of scope.) Samples
//! the current knowledge base answers now are left out: they are fixed.

use super::group::{MissGroup, Sample};
use crate::dialogue::verdict::PAIR_EVIDENCE_FLOOR;
use crate::matcher::Scored;
use crate::schema::IntentKind;
use crate::Engine;
use serde::Serialize;

/// Raw confidence (0.0..=1.0) below which a turn's closest FAQ intent is
/// not worth listing it under: the turn is close to no entry (module
/// documentation).
pub const WEAK_EVIDENCE: f32 = 0.1;

/// The FAQ intent a logged utterance comes closest to, in `--json` as a
/// sample's `closest`: `{"intent", "confidence", "raw_confidence", "close"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NearestFaq {
    /// Intent id.
    pub intent: String,
    /// The utterance's confidence for it, 0.0..=1.0, with the current
    /// knowledge base.
    pub confidence: f32,
    /// The raw confidence (before calibration), 0.0..=1.0.
    pub raw_confidence: f32,
    /// Whether it is close enough for the utterance to be one more phrasing
    /// of it: `raw_confidence` at least [`PAIR_EVIDENCE_FLOOR`] (module
    /// documentation). `false`: the right entry is another one, or none.
    pub close: bool,
}

/// The first FAQ intent of `ranking` (best first), if any, with whether
/// it is close (module documentation) under `engine`'s threshold.
pub(crate) fn nearest_faq(engine: &Engine, ranking: &[Scored]) -> Option<NearestFaq> {
    let kb = engine.knowledge_base();
    let top = ranking
        .iter()
        .find(|s| kb.intents[s.intent].kind == IntentKind::Faq)?;
    Some(NearestFaq {
        intent: kb.intents[top.intent].id.clone(),
        confidence: top.confidence,
        raw_confidence: top.evidence.raw_confidence,
        close: top.evidence.raw_confidence >= PAIR_EVIDENCE_FLOOR,
    })
}

/// One distinct unanswered utterance of [`ByIntent`].
#[derive(Clone, Debug, PartialEq)]
pub struct Turn<'a> {
    /// The utterance as first logged.
    pub text: &'a str,
    /// How often it was logged (1 or more).
    pub count: usize,
    /// Its closest FAQ intent, if any ranks at all.
    pub closest: Option<&'a NearestFaq>,
}

/// An FAQ intent and the unanswered turns that came close to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry<'a> {
    /// Intent id.
    pub intent: &'a str,
    /// Logged turns listed under it (the sum of its samples' counts, 1 or
    /// more).
    pub turns: usize,
    /// Of those, the turns close to it ([`NearestFaq::close`]).
    pub close: usize,
    /// Its distinct utterances, the close ones first, each tier the most
    /// confident first.
    pub samples: Vec<Turn<'a>>,
}

/// The unanswered turns of a log by the FAQ entry each comes closest to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ByIntent<'a> {
    /// The entries with turns listed under them, most logged turns first
    /// (ties: most close turns first, then by intent id).
    pub entries: Vec<Entry<'a>>,
    /// The turns close to no entry (raw confidence below
    /// [`WEAK_EVIDENCE`]), the most confident first (those no FAQ intent
    /// ranks for last).
    pub not_close: Vec<Turn<'a>>,
}

impl ByIntent<'_> {
    /// Logged turns in [`ByIntent::not_close`].
    pub fn not_close_turns(&self) -> usize {
        self.not_close.iter().map(|t| t.count).sum()
    }
}

/// Gathers the samples of `groups` not answered now by their closest FAQ
/// intent (module documentation). Every group's samples are read, so
/// truncate the groups after this, not before.
pub fn by_intent(groups: &[MissGroup]) -> ByIntent<'_> {
    let mut out = ByIntent::default();
    let samples = groups
        .iter()
        .flat_map(|g| &g.samples)
        .filter(|s| s.answered_by.is_none());
    for s in samples {
        let turn = turn(s);
        match &s.closest {
            Some(c) if c.raw_confidence >= WEAK_EVIDENCE => {
                let close = if c.close { s.count } else { 0 };
                match out.entries.iter_mut().find(|e| e.intent == c.intent) {
                    Some(e) => {
                        e.turns += s.count;
                        e.close += close;
                        e.samples.push(turn);
                    }
                    None => out.entries.push(Entry {
                        intent: &c.intent,
                        turns: s.count,
                        close,
                        samples: vec![turn],
                    }),
                }
            }
            _ => out.not_close.push(turn),
        }
    }
    let confidence = |t: &Turn| t.closest.map_or(-1.0, |c| c.confidence);
    let by_confidence = |a: &Turn, b: &Turn| {
        confidence(b)
            .total_cmp(&confidence(a))
            .then(b.count.cmp(&a.count))
            .then(a.text.cmp(b.text))
    };
    let close = |t: &Turn| t.closest.is_some_and(|c| c.close);
    for e in &mut out.entries {
        e.samples
            .sort_by(|a, b| close(b).cmp(&close(a)).then_with(|| by_confidence(a, b)));
    }
    out.entries.sort_by(|a, b| {
        b.turns
            .cmp(&a.turns)
            .then(b.close.cmp(&a.close))
            .then(a.intent.cmp(b.intent))
    });
    out.not_close.sort_by(by_confidence);
    out
}

fn turn(s: &Sample) -> Turn<'_> {
    Turn {
        text: &s.text,
        count: s.count,
        closest: s.closest.as_ref(),
    }
}

/// Whether the groups say little on their own, so that `faqbot misses`
/// shows [`by_intent`] too: at least two groups not answered now, more
/// than half of them single turns.
pub fn groups_are_small(groups: &[MissGroup]) -> bool {
    let open: Vec<&MissGroup> = groups.iter().filter(|g| !g.answered()).collect();
    let singles = open.iter().filter(|g| g.count == 1).count();
    open.len() >= 2 && 2 * singles > open.len()
}

#[cfg(test)]
mod tests;
