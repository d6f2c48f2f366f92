//! Questions for a property of "it" or "that" when the reply before
//! answered nothing, or offered choices: which of the answers that state
//! the property "it" can be (`unreferred`: then the bot asks which), and
//! the one choice just offered that states it (`offered_states`: then
//! that choice is answered).

use super::{
    answer_share, asked_states, asks_about_it, named_content, topic_terms, TOPIC_ANSWER_SHARE,
};
use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Matcher, Scored};
use crate::schema::IntentKind;

/// Most FAQ intents an `unreferred` clarification offers.
pub const UNREFERRED_CHOICES: usize = 3;

/// The FAQ intents whose answers state the property `analysis` asks of
/// "it" or "that" ([`asks_about_it`]: "how much is it?", "how long does
/// that take?") when nothing was answered before in the session: those
/// the reply before `offered` as suggestions first (after "my phone got
/// wet" fell back offering the water-damage entry, "how much is that?"
/// most likely asks its price; trial 37), then those of the `ranking`,
/// then the knowledge base's others, at most
/// [`UNREFERRED_CHOICES`], and how many answers state it; `None`
/// when fewer than two do (then the one that does is what "it" can only
/// be), when a word of the message ([`UNIT_WORDS`]) is one of the top's
/// title ("how much is it per day?" for "How much is a day pass?"), or
/// when the top's title (or first example) names no topic of its
/// own (no word but property words and words more than a quarter of the
/// answers use, [`TOPIC_ANSWER_SHARE`]: "How long does a repair take?" at
/// a repair shop, whose answers speak of repairs throughout, is what "how
/// long does it take?" asks; "How much does a screen replacement cost?"
/// names the screen). Trial 37: "how
/// much is that" as a phone repair shop's first message was answered with
/// the screen prices (0.65 untuned, 0.86 tuned), although six rows state
/// a price.
pub(crate) fn unreferred(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    analysis: &Analysis,
    ranking: &[Scored],
    offered: &[usize],
) -> Option<(Vec<usize>, usize)> {
    if !asks_about_it(analysis) {
        return None;
    }
    let asked = asked_states(analysis);
    if asked.is_empty() {
        return None;
    }
    let top = ranking.first()?.intent;
    let topic = topic_terms(kb, matcher, top);
    // A unit the top's title has names its topic: "how much is it per
    // day?" asks the price of the day pass.
    let named = named_content(analysis).any(|t| topic.contains(&t.token.term));
    if !names_own_topic(kb, matcher, top) || named {
        return None;
    }
    let states = |i: usize| {
        let d = &kb.intents[i];
        let lower = d.answer.to_lowercase();
        d.kind == IntentKind::Faq && asked.iter().all(|re| re.is_match(&lower))
    };
    let all: Vec<usize> = (0..kb.intents.len()).filter(|&i| states(i)).collect();
    let total = all.len();
    if total < 2 {
        return None;
    }
    let mut picked: Vec<usize> = Vec::new();
    let order = offered
        .iter()
        .copied()
        .chain(ranking.iter().map(|r| r.intent))
        .chain(all);
    for i in order {
        if states(i) && !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.truncate(UNREFERRED_CHOICES);
    Some((picked, total))
}

/// Whether intent `i`'s title (or first example) names a topic of its
/// own: a word but property words that at most a quarter of the answers
/// use ([`TOPIC_ANSWER_SHARE`]). "How much does a tuning cost?" at a piano
/// tuner's, whose answers speak of tuning throughout, names none: it asks
/// the price of the business's own service.
pub(crate) fn names_own_topic(kb: &KnowledgeBase, matcher: &Matcher, i: usize) -> bool {
    topic_terms(kb, matcher, i)
        .iter()
        .any(|t| answer_share(kb, matcher, t) <= TOPIC_ANSWER_SHARE)
}

/// The one FAQ intent of `offered` (what the reply before offered, in
/// order) whose answer states the property `analysis` asks of "it" or
/// "that" ([`asks_about_it`]: "how much is that?"), when that reply
/// offered choices rather than the related questions of the answer of
/// `last` (the FAQ intent answered last, if any): "that" is what the
/// customer was just asked to choose among. The policy does not ask it
/// after a fallback: its suggestions are guesses at a message it could
/// not read, and [`unreferred`] asks which of them is meant (trial 37's
/// "how much is that?" after "my phone fell in the toilet" fell back
/// offering the water-damage entry). `None` when no choice or more
/// than one states it (then the other rules decide), or when the reply
/// before was `last`'s answer or offered it again (a clarification
/// between `last` and another intent; `last` is restated when it states
/// the property, [`super::states`]). Trial 47 (a garage): "mot" was asked
/// "How much is an MOT? / How do I book an MOT?", and "how much is that?"
/// next got the service prices at 0.90, whose title's topic ("service")
/// too many answers use for [`unreferred`] to ask which; after an
/// answer about the opening hours it was asked "opening hours or service
/// prices?".
pub(crate) fn offered_states(
    kb: &KnowledgeBase,
    analysis: &Analysis,
    last: Option<usize>,
    offered: &[usize],
) -> Option<usize> {
    if offered.is_empty() || !asks_about_it(analysis) {
        return None;
    }
    // An answer offers what its message asked too (at most one, first)
    // and then its related questions.
    let related = |l: usize, o: usize| {
        kb.intents[l]
            .follow_ups
            .iter()
            .any(|f| kb.index_of(f) == Some(o))
    };
    if let Some(l) = last {
        if offered.contains(&l) || offered.iter().skip(1).all(|&o| related(l, o)) {
            return None;
        }
    }
    let asked = asked_states(analysis);
    if asked.is_empty() {
        return None;
    }
    let mut stating = offered.iter().copied().filter(|&i| {
        let d = &kb.intents[i];
        let lower = d.answer.to_lowercase();
        d.kind == IntentKind::Faq && asked.iter().all(|re| re.is_match(&lower))
    });
    let one = stating.next()?;
    stating.next().is_none().then_some(one)
}
