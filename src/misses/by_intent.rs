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
//! from (small talk and out-of-scope intents left out; with the semantic
//! stage on, the fused ranking the bot answers from). How close it is
//! ([`Tier`]) is read from the evidence the bot itself had:
//!
//! * **Without the semantic stage** (or when it did not run), from the
//!   raw confidence (the evidence before calibration: the calibrated
//!   confidence does not tell, as a small knowledge base gives almost any
//!   message one near 0.5): *close* from [`PAIR_EVIDENCE_FLOOR`] (0.2),
//!   *weak* (listed under the entry, marked) from [`WEAK_EVIDENCE`] (0.1),
//!   else close to no entry. But a turn whose only content words in
//!   common with the entry's phrasings are general words of the business
//!   ([`crate::kb::general`]: "boat" on a boat hire's sheet) is close to no
//!   entry whatever its confidence ([`NearestFaq::general_only`]): trial
//!   43 listed "is there a toilet on the boat" and "what time's the last
//!   boat out" under the fishing row.
//! * **With the semantic stage**, from the fused confidence: *close* from
//!   [`FUSED_CLOSE`] (0.3) when the entry's closest phrasing also leads
//!   every other entry's by [`FUSED_LEAD`] (0.05), *weak* from
//!   [`FUSED_WEAK`] (0.15), else close to no entry (so is a turn that
//!   shares only general words with the entry and whose closest phrasing
//!   does not lead: "is there a toilet in the canoe", fused 0.58 on the
//!   word "canoe", its phrasing 0.09 behind another entry's). The lexical raw
//!   confidence alone put most of the turns whose right entry the model
//!   ranks first under "close to no entry" (trial 43: "pets allowed?",
//!   closest the dog row at 0.43) and listed others on lexical crumbs
//!   ("my son cant swim…" at 0.09 under the rain row).
//!
//! Measured on the unanswered turns of eight development sheets (the four
//! of `tests/fixtures/devsheets` and the four of trials 41 and 42 in
//! `tests/fixtures/trial-sheets`, each question piped with `--stateless
//! --log`; `scripts/misses-figures.py`), as turns under the right entry /
//! under another entry / out of scope, before → now:
//!
//! | | close | weak | close to no entry |
//! |---|---|---|---|
//! | without the model (288 turns) | 53/20/7 → 53/19/6 | 33/62/47 → 31/58/44 | 7/34/25 → 9/39/29 |
//! | with the model (140 turns) | 3/1/0 → 10/4/9 | 7/11/17 → 20/22/30 | 24/25/52 → 4/11/30 |
//!
//! With the model the turns left unanswered are the hard ones (half out
//! of scope) and no bar separates them well: the fused confidence alone
//! (≥ 0.3) called 18/15/24 close, the lead makes it 10/4/9; a weak bar
//! of 0.2 instead of 0.15 put 4 more right turns under "close to no
//! entry"; the general words moved 1 wrong and 3 out-of-scope turns
//! from weak to close to no entry, and no right one. On trial 43's two sheets (test sheets, not tuned on): without
//! the model 11/3/3 → 11/2/1 close and 1/6/8 → 1/12/10 close to no
//! entry; with it 0/1/0 → 3/2/1 close and 5/7/11 → 0/3/5 close to no
//! entry. (The near-miss bar of a fallback's "did you mean", a confidence
//! of at least `NEAR_MISS` × the threshold and a word in common, called
//! 93 of 216 turns of six of these sheets close: 44 right, 31 another
//! entry's, 18 out of scope.) Samples the current knowledge base answers
//! now are left out: they are fixed.

use super::group::{MissGroup, Sample};
use crate::dialogue::verdict::PAIR_EVIDENCE_FLOOR;
use crate::matcher::Scored;
use crate::schema::IntentKind;
use crate::semantic::SemanticTrace;
use crate::Engine;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Raw confidence (0.0..=1.0) below which a turn's closest FAQ intent is
/// not worth listing it under: the turn is close to no entry (module
/// documentation).
pub const WEAK_EVIDENCE: f32 = 0.1;

/// With the semantic stage on, the fused confidence (0.0..=1.0) from which
/// a turn is close to its closest FAQ intent, when that intent's closest
/// phrasing also leads every other intent's by [`FUSED_LEAD`] (module
/// documentation).
pub const FUSED_CLOSE: f32 = 0.3;

/// With the semantic stage on, how much (cosine, -2.0..=2.0) the closest
/// FAQ intent's closest phrasing must lead every other intent's for the
/// turn to be close to it (with [`FUSED_CLOSE`]): the row stands out
/// semantically, not only in a fused confidence that out-of-scope turns
/// get as often as in-scope ones (module documentation).
pub const FUSED_LEAD: f32 = 0.05;

/// With the semantic stage on, the fused confidence (0.0..=1.0) below
/// which a turn is close to no entry (module documentation).
pub const FUSED_WEAK: f32 = 0.15;

/// How close a turn is to its closest FAQ intent (module documentation);
/// in `--json` a sample's `closest.tier`: `"close"`, `"weak"` or `"far"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Close to no entry: listed apart, each may need an entry of its own.
    Far,
    /// Listed under the entry, marked weak.
    Weak,
    /// Close: likely one more phrasing of the entry.
    Close,
}

/// The FAQ intent a logged utterance comes closest to, in `--json` as a
/// sample's `closest`: `{"intent", "confidence", "raw_confidence", "close",
/// "tier", "fused", "phrasing_lead", "general_only"}` (`phrasing_lead`
/// only when `fused`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NearestFaq {
    /// Intent id.
    pub intent: String,
    /// The utterance's confidence for it, 0.0..=1.0, with the current
    /// knowledge base (with the semantic stage on, the fused confidence the
    /// bot answers from).
    pub confidence: f32,
    /// The raw confidence (before calibration) of the lexical stages,
    /// 0.0..=1.0 (0 for an intent only the semantic stage ranks).
    pub raw_confidence: f32,
    /// Whether it is close enough for the utterance to be one more phrasing
    /// of it: [`NearestFaq::tier`] is [`Tier::Close`]. `false`: the right
    /// entry is another one, or none.
    pub close: bool,
    /// How close (module documentation).
    pub tier: Tier,
    /// Whether the tier was read from the fused ranking (the semantic stage
    /// ran for the utterance) rather than the lexical raw confidence.
    pub fused: bool,
    /// When `fused`: how much the intent's closest phrasing's cosine to the
    /// utterance leads the best other intent's (-2.0..=2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phrasing_lead: Option<f32>,
    /// The general words of the business ([`crate::kb::general`]) the
    /// utterance shares with the intent's phrasings (title and examples),
    /// when they are all the content words it shares with them (as the
    /// phrasings spell them, "boats"); empty when it shares another, or
    /// none. Such a turn is [`Tier::Far`], unless `fused` and the
    /// intent's closest phrasing leads (module documentation).
    pub general_only: Vec<String>,
}

/// What a turn's closest FAQ intent is judged with: the general words of
/// the knowledge base and each FAQ intent's content terms.
#[derive(Debug, Default)]
pub(crate) struct Judge {
    /// General term → its spelling.
    general: HashMap<String, String>,
    /// Per intent (knowledge-base order): the content terms of its title
    /// and examples (where general words are counted; an answer's words
    /// are weaker evidence, "out" of "we don't hire out rods" kept "what
    /// time's the last boat out" close to the fishing row); empty for an
    /// intent other than FAQ.
    terms: Vec<HashSet<String>>,
}

impl Judge {
    pub(crate) fn new(engine: &Engine) -> Judge {
        let kb = engine.knowledge_base();
        let norm = engine.matcher().normalizer();
        let general = crate::kb::general::general_words(kb, norm)
            .into_iter()
            .map(|g| (g.term, g.word))
            .collect();
        let terms = kb
            .intents
            .iter()
            .map(|d| {
                if d.kind != IntentKind::Faq {
                    return HashSet::new();
                }
                std::iter::once(&d.title)
                    .chain(&d.examples)
                    .flat_map(|t| norm.tokens(t))
                    .filter(|t| !t.stop)
                    .map(|t| t.term)
                    .collect()
            })
            .collect();
        Judge { general, terms }
    }

    /// The general words `question` shares with intent `i`, when they are
    /// all the content words it shares with it (sorted); else empty.
    fn general_only(&self, engine: &Engine, question: &str, i: usize) -> Vec<String> {
        let Some(terms) = self.terms.get(i) else {
            return Vec::new();
        };
        let norm = engine.matcher().normalizer();
        let mut shared: Vec<String> = norm
            .tokens(question)
            .into_iter()
            .filter(|t| !t.stop && terms.contains(&t.term))
            .map(|t| t.term)
            .collect();
        shared.sort_unstable();
        shared.dedup();
        if shared.iter().all(|t| self.general.contains_key(t)) {
            shared.iter().map(|t| self.general[t].clone()).collect()
        } else {
            Vec::new()
        }
    }

    /// The first FAQ intent of `ranking` (best first; the fused ranking
    /// when `semantic` says the stage ran for `question`), if any, with
    /// how close it is (module documentation).
    pub(crate) fn nearest_faq(
        &self,
        engine: &Engine,
        ranking: &[Scored],
        semantic: Option<&SemanticTrace>,
        question: &str,
    ) -> Option<NearestFaq> {
        let kb = engine.knowledge_base();
        let top = ranking
            .iter()
            .find(|s| kb.intents[s.intent].kind == IntentKind::Faq)?;
        let raw = top.evidence.raw_confidence;
        let general_only = self.general_only(engine, question, top.intent);
        // The fusion's own input: the closest phrasing's lead (feature 4).
        let lead = semantic.filter(|s| s.ran).map(|s| {
            s.candidates
                .iter()
                .find(|c| c.intent == top.intent)
                .map_or(0.0, |c| c.features[4])
        });
        let evidence = match lead {
            Some(lead) => Evidence::Fused {
                confidence: top.confidence,
                lead,
                general_only: !general_only.is_empty(),
            },
            None => Evidence::Lexical {
                raw,
                general_only: !general_only.is_empty(),
            },
        };
        let tier = tier(evidence);
        Some(NearestFaq {
            intent: kb.intents[top.intent].id.clone(),
            confidence: top.confidence,
            raw_confidence: raw,
            close: tier == Tier::Close,
            tier,
            fused: lead.is_some(),
            phrasing_lead: lead,
            general_only,
        })
    }
}

/// What a turn's closeness to its closest FAQ intent is read from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Evidence {
    /// The lexical stages alone (no semantic stage, or it did not run).
    Lexical {
        /// The raw confidence, 0.0..=1.0.
        raw: f32,
        /// Whether the turn shares only general words of the business
        /// with the intent ([`NearestFaq::general_only`]).
        general_only: bool,
    },
    /// The fused ranking.
    Fused {
        /// The fused confidence, 0.0..=1.0.
        confidence: f32,
        /// The lead of the intent's closest phrasing ([`NearestFaq::phrasing_lead`]).
        lead: f32,
        /// As for [`Evidence::Lexical`]: a turn that shares only general
        /// words with the intent is close to it on its phrasing's lead
        /// alone, else close to no entry.
        general_only: bool,
    },
}

/// The tier of a turn's closest FAQ intent (module documentation).
pub fn tier(evidence: Evidence) -> Tier {
    match evidence {
        Evidence::Fused {
            confidence,
            lead,
            general_only,
        } => {
            if confidence >= FUSED_CLOSE && lead >= FUSED_LEAD {
                Tier::Close
            } else if general_only {
                Tier::Far
            } else if confidence >= FUSED_WEAK {
                Tier::Weak
            } else {
                Tier::Far
            }
        }
        Evidence::Lexical {
            general_only: true, ..
        } => Tier::Far,
        Evidence::Lexical { raw, .. } => {
            if raw >= PAIR_EVIDENCE_FLOOR {
                Tier::Close
            } else if raw >= WEAK_EVIDENCE {
                Tier::Weak
            } else {
                Tier::Far
            }
        }
    }
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
    /// The turns close to no entry ([`Tier::Far`]), the most confident
    /// first (those no FAQ intent ranks for last).
    pub not_close: Vec<Turn<'a>>,
    /// The follow-ups ([`Sample::follow_up`]: "how much is that?", "and a
    /// dress?"), whatever their closest entry: no phrasing to add to one
    /// entry. Most logged first.
    pub follow_ups: Vec<Turn<'a>>,
}

impl ByIntent<'_> {
    /// Logged turns in [`ByIntent::not_close`].
    pub fn not_close_turns(&self) -> usize {
        self.not_close.iter().map(|t| t.count).sum()
    }

    /// Logged turns in [`ByIntent::follow_ups`].
    pub fn follow_up_turns(&self) -> usize {
        self.follow_ups.iter().map(|t| t.count).sum()
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
        if s.follow_up {
            out.follow_ups.push(turn);
            continue;
        }
        match &s.closest {
            Some(c) if c.tier > Tier::Far => {
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
    out.follow_ups
        .sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(b.text)));
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
