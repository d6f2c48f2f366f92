//! A second question in one message: the runner-up of an answered
//! ranking that the message may ask about as well, offered first among
//! the answer's related questions ("what is the wifi password and when do
//! you close on sunday").

use crate::kb::KnowledgeBase;
use crate::matcher::calibrate::{self, Observation};
use crate::matcher::{Analysis, Matcher, Scored};
use crate::schema::IntentKind;

/// The runner-up of an answered `ranking` that the message may ask about
/// as well, and its own probability: an FAQ intent, not the answer, that
/// no required keyword vetoes, while neither intent covers the message's
/// content words alone and together they could (coverage: the top at
/// most [`ALSO_TOP_COVERAGE`], the two at least [`ALSO_JOINT_COVERAGE`]),
/// and whose calibrated probability with the top left out (the third
/// intent as its rival) reaches `threshold`. "What is the wifi password
/// and when do you close on sunday" answers the wifi and offers the
/// opening hours first among the related questions (a support author's
/// trial found the second question silently dropped).
pub(crate) fn also_asked(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    analysis: &Analysis,
    ranking: &[Scored],
    threshold: f32,
) -> Option<(usize, f32)> {
    let top = ranking.first()?;
    let r = ranking.get(1)?;
    let (c1, c2) = (top.evidence.coverage, r.evidence.coverage);
    if r.intent == top.intent
        || kb.intents[r.intent].kind != IntentKind::Faq
        || !r.evidence.missing_required.is_empty()
        || c1 > ALSO_TOP_COVERAGE
        || c1 + c2 < ALSO_JOINT_COVERAGE
    {
        return None;
    }
    // The lexical evidence, as the calibration saw it (before any
    // semantic step).
    let own = Observation {
        raw: r.evidence.raw_confidence,
        rival: ranking.get(2).map_or(0.0, |s| s.evidence.raw_confidence),
        familiarity: r.evidence.familiarity,
        foreign: calibrate::foreign_share(analysis, r),
    };
    let p = matcher.calibration().probability(&own);
    (p >= threshold && !spoken_of_in_answer(matcher, analysis, top, r)).then_some((r.intent, p))
}

/// Whether every content word of the message that speaks for the
/// runner-up `r` (a feature of positive share, [`Matcher::word_shares`]) is a word of the top's
/// own answer text: the answer speaks of it, so it asks nothing more. A
/// new-user trial (a plumber's sheet): "do you cover bath?" answered the
/// areas, whose answer names Bath, and offered the bathroom fitting first.
fn spoken_of_in_answer(matcher: &Matcher, analysis: &Analysis, top: &Scored, r: &Scored) -> bool {
    if top.evidence.answer_terms.is_empty() {
        return false;
    }
    let shares = matcher.word_shares(analysis, r);
    let mut words = shares
        .iter()
        .filter(|&&(_, c)| c > 0.0)
        .map(|&(f, _)| matcher.feature_name(f))
        .filter(|&name| {
            analysis
                .tokens
                .iter()
                .any(|t| t.current_content() && t.token.term == name)
        })
        .peekable();
    words.peek().is_some() && words.all(|w| top.evidence.answer_terms.iter().any(|(t, _)| t == w))
}

/// An answer offers another intent the message may ask about (`also_asked`)
/// only when the answered intent covers at most this share (0.0..=1.0) of
/// the message's content words: a message one intent explains almost alone
/// asks one thing. With the runner-up's own probability alone, 13 of the
/// bundled golden conversations' answers offered an unrelated entry first
/// ("stop the mini app from using my location" offered starting and
/// stopping charging); with this bound and [`ALSO_JOINT_COVERAGE`], one.
pub const ALSO_TOP_COVERAGE: f32 = 0.75;
/// The answered intent's and the runner-up's coverage together must reach
/// this (0.0..=2.0; overlapping words count twice): between them they can
/// explain the message ("what is the wifi password and when do you close
/// on sunday": the wifi covers two of its content words, the opening hours
/// the rest).
pub const ALSO_JOINT_COVERAGE: f32 = 0.9;
