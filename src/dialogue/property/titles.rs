//! Two rows that ask two properties of the business's one offer ("What
//! are your opening hours?", "How much does it cost to get in?"): a
//! question for the one that refers back to the other is about that
//! offer (`two_properties_of_one_offer`, asked by `super::answers_it`).

use super::{
    answer_share, asked_states, states_of, title_text, topic_terms, ASKS_VALUE, CLOCK_WORDS,
    STATES, TOPIC_ANSWER_SHARE,
};
use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Matcher};
use regex::Regex;

/// Whether intent `top`'s title asks just what `analysis` asks ("How much
/// does it cost to get in?" for "how much is it?": a property word of
/// the same kind, [`STATES`]) of nothing but the business's offer, while
/// intent `last`'s title asks another property ("What are your opening
/// hours?", "How long does a game last?") and its answer does not state
/// the one asked ([`states_of`]). Of nothing but the offer: `top`'s title
/// has no content word but property words ("get" and "in" are stop
/// words), or, when `last`'s title asks a time of day or opening
/// ([`CLOCK_WORDS`]: the business's own hours), only words of the whole
/// business, used by more than [`TOPIC_ANSWER_SHARE`] of the answers
/// ("How much are tickets?" at a cinema). The two rows then ask two
/// properties of the business's one offer, and "it" is that offer: `top`
/// answers, though its answer may say "free" rather than give a price.
/// Trial 49: "how much is it?" after the museum's opening hours was
/// asked "opening hours or entry cost?" (both with and without the
/// model), and the entry row's answer is "Entry is free for everyone". A
/// last answer whose title asks no property ("Do you have a loyalty
/// card?") may have a price of its own that the FAQ does not state: then
/// the bot still asks which; so it does after "How much is an MOT?" for
/// "how long does it take?" when the duration row's title names a
/// service (a garage's word of the whole business, but another thing).
pub(super) fn two_properties_of_one_offer(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    top: usize,
    last: usize,
    analysis: &Analysis,
) -> bool {
    let asked = asked_states(analysis);
    if asked.is_empty() {
        return false;
    }
    let (top_asks, last_asks) = (
        title_states(kb, matcher, top),
        title_states(kb, matcher, last),
    );
    let same = |a: &Regex, b: &Regex| std::ptr::eq(a, b);
    if !asked.iter().all(|a| top_asks.iter().any(|t| same(a, t)))
        || last_asks.is_empty()
        || last_asks.iter().any(|l| asked.iter().any(|a| same(a, l)))
    {
        return false;
    }
    let clock = &STATES[3].1;
    let own = topic_terms(kb, matcher, top);
    let of_the_offer = own.is_empty()
        || (last_asks.iter().any(|l| same(l, clock))
            && own
                .iter()
                .all(|t| answer_share(kb, matcher, t) > TOPIC_ANSWER_SHARE));
    of_the_offer && !states_of(kb, matcher, last, &topic_terms(kb, matcher, last), analysis)
}

/// The words of a title that ask a property whatever else it says: the
/// price and duration words of [`ASKS_VALUE`] ("how *much*", "how
/// *long*"), how often or how many, and the time of day
/// ([`CLOCK_WORDS`]); not "take", "last", "pay" or "free", which also
/// name what is done ("Can I take photos?", "How do I make my bouquet
/// last longer?").
fn asks_property(word: &str) -> bool {
    ASKS_VALUE.contains(&word) || ["many", "often"].contains(&word) || CLOCK_WORDS.contains(&word)
}

/// The patterns ([`STATES`]) of the properties intent `i`'s title (or,
/// without one, its first example) asks for: one per word of it that
/// asks one ([`asks_property`]: "How *much* does it cost" the price's,
/// "What are your *opening* hours?" the time of day's).
fn title_states(kb: &KnowledgeBase, matcher: &Matcher, i: usize) -> Vec<&'static Regex> {
    let text = title_text(kb, i);
    matcher
        .normalizer()
        .tokens(text)
        .into_iter()
        .filter(|t| asks_property(&t.word))
        .filter_map(|t| {
            STATES
                .iter()
                .find(|(words, _)| words.contains(&t.word.as_str()))
                .map(|(_, re)| re)
        })
        .collect()
}
