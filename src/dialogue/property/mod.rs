//! Questions for a property of something: its price, how long it takes,
//! whether it is included ("how much is that?", "how long does it take?",
//! "is it free?"), asked right after an answer or with nothing before.
//!
//! Takes the analysed utterance, the ranking of its own words and the
//! intent answered last; says whether the answer just given states what
//! is asked (`states`: then it is given again), whether the message's own
//! answer states it of that topic instead (`answers_it`), and which
//! answers state it when nothing was said before (`unreferred`: then the
//! bot asks which). Property words are [`ATTRIBUTE_WORDS`]; what an answer
//! states is read from its text by `STATES`' patterns.

use super::context::{answer_has, answer_terms, is_pronoun, named_content, CONTEXT_MAX_WORDS};
use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Matcher, QueryToken};
use crate::schema::IntentKind;
use regex::Regex;

mod offered;
mod titles;
pub use offered::UNREFERRED_CHOICES;
pub(crate) use offered::{names_own_topic, offered_states, unreferred};
use std::sync::LazyLock;
use titles::two_properties_of_one_offer;

/// Words that ask for a property of something rather than name a topic:
/// its price ("how much is that?", "is that extra?"), its duration ("how
/// long does it take?") or whether it is included ("is it free?").
/// Compared with the words as typed (folded). In groups: what something
/// costs (the first 16), how long it takes (the next 5), how often or how
/// many (2), then "more". The time of day has words of its own
/// ([`CLOCK_WORDS`]).
pub const ATTRIBUTE_WORDS: &[&str] = &[
    "much",
    "cost",
    "costs",
    "price",
    "prices",
    "priced",
    "pay",
    "fee",
    "fees",
    "extra",
    "free",
    "included",
    "include",
    "includes",
    "expensive",
    "cheap",
    "long",
    "take",
    "takes",
    "last",
    "lasts",
    "many",
    "often",
    "more",
];
/// The words of [`ATTRIBUTE_WORDS`] that ask what something costs.
const MONEY: std::ops::Range<usize> = 0..16;
/// The words of [`ATTRIBUTE_WORDS`] that ask how long something takes.
const DURATION: std::ops::Range<usize> = 16..21;
/// The words of [`ATTRIBUTE_WORDS`] that ask how often or how many.
const FREQUENCY: std::ops::Range<usize> = 21..23;
/// Words that ask at what time of day something opens or closes, a
/// property only for giving the answer just given again
/// (`asks_the_time`; trial 46: "what time does it close?" right after
/// the café's answer, "from 9am until 4pm", got the farm shop's hours,
/// 5pm). Not [`ATTRIBUTE_WORDS`]: elsewhere "open" and "close" name what
/// the opening hours' entry is about.
pub const CLOCK_WORDS: &[&str] = &[
    "time", "times", "open", "opens", "opening", "close", "closes", "closing", "shut", "shuts",
];

mod days;
pub(crate) use days::names_days;
use days::{asks_the_day, DAYS};
pub use days::{DAY_NAMES, DAY_WORDS};

/// Words that give the unit a price or duration is asked in ("how much
/// is it per hour?", "how much is that a month?"): they name no topic.
/// Compared with the words as typed (folded). Trial 38: after the meeting
/// rooms' answer ("Rooms are $15/hour ..."), "how much is it per hour?"
/// was answered with the day pass's price at 0.70.
pub(super) const UNIT_WORDS: &[&str] = &[
    "per", "each", "hour", "hours", "hourly", "day", "days", "daily", "night", "nights", "nightly",
    "week", "weeks", "weekly", "month", "months", "monthly", "year", "years", "yearly", "annual",
    "annually", "person", "head",
];

/// The [`UNIT_WORDS`] that ask what a price is counted by on their own.
const PER: &[&str] = &["per", "each"];

/// Whether `analysis` asks for a property of what "it" or "that" refers
/// to ("how much is that?", "is that extra?", "how long does it take?"):
/// at most [`CONTEXT_MAX_WORDS`] words, one of them "it", "that", "this",
/// "those" or "them", and every content word one of [`ATTRIBUTE_WORDS`]
/// (at least one; or "per", "each": "is that per night?") or of
/// [`UNIT_WORDS`] ("how much is it per hour?").
/// Right after an answer, such a message asks about that answer's topic,
/// even where another intent covers the property in general (the price
/// list). A dog-grooming salon's author found "how much
/// is that?" after the flea-bath answer answered with the grooming prices.
pub(crate) fn asks_about_it(analysis: &Analysis) -> bool {
    refers(analysis) && property_words_only(analysis, false)
}

/// At most [`CONTEXT_MAX_WORDS`] words, one of them "it", "that", "this",
/// "those" or "them" (not "too", which names nothing a property could be
/// asked of).
fn refers(analysis: &Analysis) -> bool {
    let words = &analysis.tokens;
    // The cheap tests first: this runs on every ranked message.
    words.len() <= CONTEXT_MAX_WORDS && words.iter().any(|t| is_pronoun(&t.token.word))
}

/// Whether `analysis` asks at what time of day what it refers to opens or
/// closes ("what time does it close?", "when does that open?"; or bare:
/// "closing time?"): as [`asks_about_it`] or [`asks_bare`] with the words
/// of [`CLOCK_WORDS`] too. Only [`states`] asks it: an
/// answer just given that states a time of day is given again. Neither the
/// clarification between the answer just given and the message's own
/// answer nor the one among the answers that state a time (with nothing
/// answered before) takes it: "what time does it close?" is the opening
/// hours' question in its own right.
fn asks_the_time(analysis: &Analysis) -> bool {
    (refers(analysis) || analysis.tokens.len() <= BARE_MAX_WORDS)
        && property_words_only(analysis, true)
}

/// Most words of a bare property question (`asks_bare`: "how much?").
pub const BARE_MAX_WORDS: usize = 3;

/// Whether `analysis` is a bare property question, without a word that
/// refers to anything: "how much?", "price?", "how long?", "and the
/// cost?" (at most [`BARE_MAX_WORDS`] words, every content word a property
/// or unit word, as in [`asks_about_it`]). Right after an answer that
/// states the property ([`states`]), it asks about that answer as "how
/// much is it?" does: trial 45, "how much?" after the sports-massage
/// answer (which gives its prices) got the general session prices at 0.92,
/// "how much is it?" the sports massage's.
pub(crate) fn asks_bare(analysis: &Analysis) -> bool {
    analysis.tokens.len() <= BARE_MAX_WORDS && property_words_only(analysis, false)
}

/// Every content word of `analysis` a property word ([`ATTRIBUTE_WORDS`],
/// [`CLOCK_WORDS`] when `clock`, or "per", "each") or a unit
/// ([`UNIT_WORDS`]), and at least one a property word.
fn property_words_only(analysis: &Analysis, clock: bool) -> bool {
    let mut attribute = false;
    for t in named_content(analysis) {
        let w = t.token.word.as_str();
        // "per" or "each" asks what a price is counted by ("is that per
        // night?", trial 39): a property question of its own.
        if ATTRIBUTE_WORDS.contains(&w) || PER.contains(&w) || (clock && CLOCK_WORDS.contains(&w)) {
            attribute = true;
        } else if !UNIT_WORDS.contains(&w) {
            return false;
        }
    }
    attribute
}

/// What a property word ([`ATTRIBUTE_WORDS`]) asks for, as an answer
/// states it: an amount of money ("£14", "25 euros"; "free" alone does not
/// say what something costs: "every tenth coffee is free" is no price of
/// the loyalty card), a duration ("30
/// minutes", "2-3 days", "an hour", "2 working days", "the same day",
/// "while you wait": trial 51's laundrette, whose dry cleaning is "ready in
/// 2 working days", was left out of the choices for "how long does it
/// take?") or how often ("twice a day", "weekly"). Matched on the
/// answer's text in lower case.
pub(super) static STATES: LazyLock<[(&[&str], Regex); 4]> = LazyLock::new(|| {
    let re = |p: &str| Regex::new(p).expect("a valid pattern");
    [
        (
            &ATTRIBUTE_WORDS[MONEY],
            re(r"[£$€¥]\s?\d|\d\s?(p|pence|pounds?|dollars?|euros?|eur|usd|gbp|chf)\b"),
        ),
        (
            &ATTRIBUTE_WORDS[DURATION],
            re(
                r"\b(\d+|an?|one|two|three|four|five|six|half)\s*(-|–|to)?\s*(\d+)?\s*((working|business|calendar|full|school)\s+)?(mins?|minutes?|hours?|hrs?|days?|weeks?|months?|years?)\b|\b(same|next)[- ]day\b|\bwhile (you|u) wait\b|\bovernight\b",
            ),
        ),
        (
            &ATTRIBUTE_WORDS[FREQUENCY],
            re(r"\b(once|twice|daily|weekly|monthly|every|times|\d+)\b"),
        ),
        (
            CLOCK_WORDS,
            re(
                r"\b\d{1,2}([:.]\d{2})?\s?(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\b(noon|midday|midnight)\b",
            ),
        ),
    ]
});

/// Whether `answer` states a price (`STATES`' money pattern: "£12",
/// "15 euros"), as the price rules read an answer. `faqbot check`'s
/// `price-question` asks it of the entry a price question reaches.
#[cfg(feature = "authoring")]
pub(crate) fn states_a_price(answer: &str) -> bool {
    STATES[0].1.is_match(&answer.to_lowercase())
}

/// Whether the answer of intent `last` states what `analysis` asks of it
/// ([`asks_about_it`]: "how much is that?", "is it free?", "how long does
/// it take?"; [`asks_bare`]: "how much?"), or of something only that answer names
/// ([`asks_about_answer_words`]: "how much for a king size one"): every
/// content word of the message is a term of that
/// answer's text (as in [`super::context::continues`]) or a property word whose value the
/// text states ([`STATES`]: a price for "much", a duration for "long").
/// Then that answer is given again, rather than asking which topic "that"
/// is (two owners' trials: "and how much is that?" after a home-visit
/// answer saying "A 30-minute visit costs £14" was asked "home visits or
/// boarding prices?", and "is it free?" after "our free car park" was
/// asked to say more). "What days?" ([`asks_the_day`]) asks for a day
/// the answer names ([`DAYS`]).
pub(crate) fn states(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    last: usize,
    analysis: &Analysis,
) -> bool {
    // "What days?": the answer just given again when it names a day.
    if asks_the_day(analysis) {
        return DAYS.is_match(&kb.intents[last].answer.to_lowercase());
    }
    let about_it = asks_about_it(analysis) || asks_bare(analysis) || asks_the_time(analysis);
    let named = if about_it {
        Vec::new()
    } else {
        asks_about_answer_words(analysis)
    };
    if !about_it && named.is_empty() {
        return false;
    }
    // The answer's text read once, for both checks.
    let terms = answer_terms(kb, matcher, last);
    named.iter().all(|t| terms.contains(&t.token.term))
        && answer_has(kb, last, &terms, analysis, true)
}

/// Whether intent `top`, which the message's own words answer, answers
/// a question for a property of what it refers to ([`asks_about_it`],
/// "how long does that take?") better than the answer just given, of
/// intent `last`: `last`'s answer states the property in no sentence that
/// names its topic (a content word of its title or first example, not a
/// property word), while `top`'s answer states it and names that topic
/// with a word which no other intent's phrasings use and at most a
/// quarter of the FAQ answers ([`TOPIC_ANSWER_SHARE`]): "screen" on a
/// phone repair shop's sheet, whose rows are about many other parts; not
/// "dog" on a dog groomer's, whose answers speak of dogs throughout, nor
/// "cat" on a cattery's. Trial 37 (a phone repair shop): "and how long
/// does that take" after the screen prices, whose "6-month warranty" is
/// a duration, got the prices again, although its own reading answered
/// "Most screen and battery repairs are done in 45–60 minutes" at 0.83.
/// After the battery answer, "Yes, battery replacements cost £49 …, done
/// in about 30 minutes", the same question still gets that answer. When
/// `last`'s title names nothing but a property ("How much does it
/// cost?"), `top`'s answer stating the property is enough: trial 37's
/// "how long does it take" after an escape room's prices was asked
/// "prices or how long a game lasts?". So it is when `top`'s title
/// names nothing but what `last`'s names (its topic terms, at least one,
/// all among `last`'s): the two rows ask two properties of one thing, and
/// the word naming it may be the business's own ("service" at a garage,
/// in a third of its answers). Trial 47: "how long does it take" after
/// "How much is a service?", whose answer states no duration, was asked
/// "How much is a service? / How long does a service take?".
pub(crate) fn answers_it(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    top: usize,
    last: usize,
    analysis: &Analysis,
) -> bool {
    if two_properties_of_one_offer(kb, matcher, top, last, analysis) {
        return true;
    }
    let terms = answer_terms(kb, matcher, top);
    if !answer_has(kb, top, &terms, analysis, true) {
        return false;
    }
    let topic = topic_terms(kb, matcher, last);
    // `last` asks a property alone ("How much does it cost?"): what "it"
    // is, is the business's own service, which `top` answers.
    if topic.is_empty() {
        return true;
    }
    if states_of(kb, matcher, last, &topic, analysis) {
        return false;
    }
    // `top`'s title names what `last`'s names, and asks another property
    // of it ("How long does a service take?" after "How much is a
    // service?"): the same topic, however many rows use its word.
    let own = topic_terms(kb, matcher, top);
    if !own.is_empty() && own.iter().all(|t| topic.contains(t)) {
        return true;
    }
    topic.iter().any(|t| {
        terms.contains(t)
            && matcher.specificity(t) >= OWN_WORD
            && answer_share(kb, matcher, t) <= TOPIC_ANSWER_SHARE
    })
}

/// Intent `i`'s title as a phrasing, or without one its first example
/// (empty without either): what names its topic and the property it asks.
fn title_text(kb: &KnowledgeBase, i: usize) -> &str {
    let intent = &kb.intents[i];
    intent
        .phrasing_title()
        .or(intent.examples.first().map(String::as_str))
        .unwrap_or_default()
}

/// The terms naming intent `i`'s topic: the content words of its title
/// (or, without one, its first example) but property words
/// ([`ATTRIBUTE_WORDS`]).
fn topic_terms(kb: &KnowledgeBase, matcher: &Matcher, i: usize) -> Vec<String> {
    let text = title_text(kb, i);
    matcher
        .normalizer()
        .tokens(text)
        .into_iter()
        .filter(|t| !t.stop && !ATTRIBUTE_WORDS.contains(&t.word.as_str()))
        .map(|t| t.term)
        .collect()
}

/// Whether a sentence of intent `i`'s answer states every property
/// `analysis` asks for ([`STATES`]) and has one of the `topic` terms; for
/// a price alone, any sentence stating one: a price in an answer is what
/// the customer pays for what the answer offers. Trial 47 (a garage):
/// "how much is that?" after the warning-light answer ("… book a
/// diagnostic check (£40) and we'll read the fault codes", no word of
/// its title in that sentence) got the service prices, whose "depending
/// on engine size" names the title's "engine". A duration still needs
/// the topic: a screen repair's "6-month warranty" is no repair time
/// (trial 37, [`answers_it`]).
fn states_of(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    i: usize,
    topic: &[String],
    analysis: &Analysis,
) -> bool {
    let asked = asked_states(analysis);
    let price_only = asked.iter().all(|re| is_price(re));
    !asked.is_empty()
        && sentences(&kb.intents[i].answer).any(|sentence| {
            let lower = sentence.to_lowercase();
            asked.iter().all(|re| re.is_match(&lower))
                && (price_only
                    || matcher
                        .normalizer()
                        .tokens(sentence)
                        .iter()
                        .any(|t| !t.stop && topic.contains(&t.term)))
        })
}

/// Whether `re` is [`STATES`]' price pattern (its first: the one for the
/// money words of [`ATTRIBUTE_WORDS`]).
fn is_price(re: &Regex) -> bool {
    std::ptr::eq(re, &STATES[0].1)
}

/// The patterns ([`STATES`]) of the properties `analysis` asks for, one
/// a property word of its content ("how *much*", "how *long*").
fn asked_states(analysis: &Analysis) -> Vec<&'static Regex> {
    named_content(analysis)
        .filter_map(|t| {
            let word = t.token.word.as_str();
            STATES
                .iter()
                .find(|(words, _)| words.contains(&word))
                .map(|(_, re)| re)
        })
        .collect()
}

/// The sentences of `text`: split after '.', '!' or '?' followed by
/// white space ("£1.50" stays whole).
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .char_indices()
            .zip(rest.chars().skip(1))
            .find(|((_, c), next)| matches!(c, '.' | '!' | '?') && next.is_whitespace())
            .map_or(rest.len(), |((i, _), _)| i + 1);
        let (sentence, tail) = rest.split_at(end);
        rest = tail.trim_start();
        Some(sentence)
    })
}

/// [`Matcher::specificity`] of a term the phrasings of one intent alone
/// use (1.0; less for two or more).
const OWN_WORD: f32 = 0.999;

/// Largest share of the FAQ answers that may use a word naming one
/// intent's topic ([`answers_it`]); a word more answers use names the
/// business's domain.
const TOPIC_ANSWER_SHARE: f32 = 0.25;

/// The share (0.0..=1.0) of the FAQ intents whose answer text has `term`.
fn answer_share(kb: &KnowledgeBase, matcher: &Matcher, term: &str) -> f32 {
    let faq = (0..kb.intents.len()).filter(|&i| kb.intents[i].kind == IntentKind::Faq);
    let (mut all, mut with) = (0, 0);
    for i in faq {
        all += 1;
        with += usize::from(answer_terms(kb, matcher, i).iter().any(|t| t == term));
    }
    with as f32 / all.max(1) as f32
}

/// The words of [`ATTRIBUTE_WORDS`] that ask for a price or a duration
/// whatever else a message says ("how much", "what does ... cost", "how
/// long"); "pay", "free" or "take" also name what is done ("can i pay by
/// card" after an answer that says "handwritten card" asks something new).
const ASKS_VALUE: &[&str] = &["much", "cost", "costs", "price", "prices", "priced", "long"];

/// The words naming what `analysis` asks a price or duration of, when
/// that may be something only the answer just given names (empty
/// otherwise): at most [`CONTEXT_MAX_WORDS`] words, among its content
/// words at least one of [`ASKS_VALUE`] and at least one other, every
/// other one in no example, title or keyword of the knowledge base
/// ([`states`] then requires them all in that answer's text). Trial 36:
/// "how much for a king size one" right after the answer "Duvets from
/// £22 (single) to £30 (king size) ..." fell back (its own reading had
/// only "how much", which the suit prices' example has), and with the
/// semantic stage answered the suit prices; the king size duvet is
/// nowhere but in the answer just given.
fn asks_about_answer_words(analysis: &Analysis) -> Vec<&QueryToken> {
    if analysis.tokens.len() > CONTEXT_MAX_WORDS {
        return Vec::new();
    }
    let (attributes, named): (Vec<&QueryToken>, Vec<&QueryToken>) =
        named_content(analysis).partition(|t| ASKS_VALUE.contains(&t.token.word.as_str()));
    if attributes.is_empty() || named.iter().any(|t| t.known) {
        return Vec::new();
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_after_stops_followed_by_space() {
        let s: Vec<&str> = sentences("From £1.50 a wash. Open daily! Why? Ask.").collect();
        assert_eq!(s, ["From £1.50 a wash.", "Open daily!", "Why?", "Ask."]);
        assert_eq!(sentences("").count(), 0);
        assert_eq!(
            sentences("No stop at the end").collect::<Vec<_>>(),
            ["No stop at the end"]
        );
    }

    /// The groups [`STATES`] reads are the words they are meant to be.
    #[test]
    fn attribute_word_groups() {
        assert_eq!(
            (ATTRIBUTE_WORDS[MONEY][0], ATTRIBUTE_WORDS[MONEY][15]),
            ("much", "cheap")
        );
        assert_eq!(
            ATTRIBUTE_WORDS[DURATION],
            ["long", "take", "takes", "last", "lasts"]
        );
        assert_eq!(ATTRIBUTE_WORDS[FREQUENCY], ["many", "often"]);
        assert_eq!(ATTRIBUTE_WORDS[FREQUENCY.end..], ["more"]);
    }
}
