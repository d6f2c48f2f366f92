//! "Can you recommend a good mechanic?": a request for a recommendation
//! of something the business does not sell or do, answered by a row that
//! shares a word or a sentence shape with it.
//!
//! Customers ask a small business's bot for a referral ("can you
//! recommend a good accountant", "best pizza place nearby", "whats the
//! best vacuum cleaner to buy"). A FAQ sheet answers such a request only
//! when one of its rows is about recommending; otherwise the word that
//! names the thing, or the model's sense of the sentence, carries some row
//! over the threshold. In the customer questions of `tests/fixtures` (53
//! files, most of them new owners' blind trials) 42 ask this way, all out
//! of scope. With the sentence model five of the 38 before session 44's
//! sheets were answered ("best pizza in ashworth" by a kennels' address
//! row at 0.65, the town being in its answer; "whats the best vacuum
//! cleaner to buy" by a carpet cleaner's price row), without it two
//! ("whats the best insurance for a puppy" by a groomer's puppy row at
//! 0.83), and trial 61's "can you recommend a good tent to buy" got a
//! campsite's tent hire row at 0.98. The one in-scope question near the
//! frame ("what kind of container is best to keep loose tea fresh") is a
//! "best to", which is no request.
//!
//! A message asks for a recommendation ([`recommendation_request`]) when
//! its words (folded, in order) have "recommend" (or "recommends",
//! "suggest") followed, perhaps after "me" or "us", by "a", "an", "any",
//! "some" or "good" ("can you recommend a plumber", "recommend me a good
//! film"; "do you recommend booking ahead" asks the business's advice on
//! its own service and is not one), or "recommendation(s)", or "best"
//! before a word that names a thing: not "way", "time", "day", "to",
//! "for", "if" and the like ("whats the best way to get to you", "best
//! time to visit", "which is best for beginners" ask about the business).
//!
//! The top of the ranking, an FAQ intent, is offered, not answered
//! (`Why::Recommendation`), unless its title, examples or answer have a
//! word of recommending (recommend…, suggest…, best, favourite, advice,
//! advise) and it uses a content word of the message besides those and
//! words of praise ("good", "nice": the thing asked about): a campsite's
//! row "Can you recommend somewhere to eat?" keeps answering "recommend
//! me a good pub nearby", but not "can you recommend a good tent to buy",
//! which it matched on "can you recommend a" alone.

use super::phrasings::{any_phrasing, faq_top_and_words};
use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Matcher, Scored};

word_list! {
    /// The words at which [`recommendation_request`]'s frames are tested:
    /// a message without any of them is no request.
    pub OPENERS, opens_frame = [
        "recommend",
        "recommends",
        "suggest",
        "recommendation",
        "recommendations",
        "best",
    ];
}
word_list! {
    /// Words after "recommend" that make it a request for a thing or a
    /// person ("recommend a good …", "recommend any …").
    pub REQUEST_NEXT, is_request_next = ["a", "an", "any", "some", "good", "somewhere", "someone"];
}
word_list! {
    /// Words after "best" that ask about the business's own service or a
    /// way of doing something, not for a thing elsewhere.
    pub BEST_NOT_A_THING, is_best_not_a_thing = [
        "way", "ways", "time", "times", "day", "days", "to", "for", "if", "when",
        "option", "options", "thing", "choice", "deal", "price", "value", "one",
        "ones", "and", "or", "of", "in", "at", "is", "are", "with", "place",
    ];
}
word_list! {
    /// Words of praise that a request puts before its thing ("a good
    /// plumber"): not the thing asked about.
    pub PRAISE, is_praise = ["good", "nice", "decent", "great", "reliable", "top"];
}
word_list! {
    /// Words of recommending in a row's phrasings or answer: such a row
    /// may answer a request.
    pub RECOMMENDING, is_recommending = [
        "recommend", "recommends", "recommended", "recommendation", "recommendations",
        "suggest", "suggestion", "suggestions", "best", "favourite", "favourites",
        "favorite", "favorites", "advice", "advise",
    ];
}

/// The words of the request ("recommend a good", "best pizza") when
/// `words` (folded, lower case, in order) ask for a recommendation (module
/// doc), else `None`.
pub fn recommendation_request(words: &[&str]) -> Option<String> {
    let at = |k: usize| words.get(k).copied();
    for (k, &w) in words.iter().enumerate() {
        match w {
            "recommend" | "recommends" | "suggest" => {
                let mut n = k + 1;
                if matches!(at(n), Some("me" | "us")) {
                    n += 1;
                }
                if at(n).is_some_and(is_request_next) {
                    return Some(words[k..=n].join(" "));
                }
            }
            "recommendation" | "recommendations" => return Some(w.to_string()),
            "best" => {
                if let Some(next) = at(k + 1).filter(|n| !is_best_not_a_thing(n)) {
                    return Some(format!("best {next}"));
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether intent `i`'s title, examples or answer have a word of
/// recommending ([`RECOMMENDING`]).
fn speaks_of_recommending(kb: &KnowledgeBase, i: usize) -> bool {
    let answer = crate::normalize::fold_text(&kb.intents[i].answer);
    answer.split(' ').any(is_recommending)
        || any_phrasing(
            kb,
            i,
            |_| false,
            |words| words.iter().any(|w| is_recommending(w)),
        )
}

/// The request's words when the message asks for a recommendation and the
/// top of `ranking`, an FAQ intent, may not answer it: it does not speak
/// of recommending, or it uses none of the message's content words but
/// words of recommending (module doc); `None` otherwise.
pub(crate) fn asks_for_a_recommendation(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    analysis: &Analysis,
    ranking: &[Scored],
) -> Option<String> {
    let (top, words) = faq_top_and_words(kb, analysis, ranking, opens_frame)?;
    let request = recommendation_request(&words)?;
    let answers = speaks_of_recommending(kb, top.intent)
        && analysis.tokens.iter().any(|t| {
            t.current_content()
                && !is_recommending(&t.token.word)
                && !is_praise(&t.token.word)
                && matcher.intent_uses(top.intent, t)
        });
    (!answers).then_some(request)
}

#[cfg(test)]
mod tests {
    use super::{opens_frame, recommendation_request};

    fn of(text: &str) -> Option<String> {
        let words: Vec<&str> = text.split(' ').collect();
        recommendation_request(&words)
    }

    #[test]
    fn requests_for_a_recommendation_are_read() {
        for (text, request) in [
            ("can you recommend a good accountant", "recommend a"),
            ("recommend me a good film", "recommend me a"),
            ("could you suggest somewhere to eat", "suggest somewhere"),
            ("any recommendations for a babysitter", "recommendations"),
            ("best pizza place near the station", "best pizza"),
            ("whats the best vacuum cleaner to buy", "best vacuum"),
        ] {
            assert_eq!(of(text).as_deref(), Some(request), "{text}");
            assert!(text.split(' ').any(opens_frame), "{text}: no opener");
        }
    }

    #[test]
    fn questions_about_the_business_are_not_requests() {
        for text in [
            "do you recommend booking ahead",
            "whats the best way to get to you",
            "best time to visit",
            "which lenses are best for driving",
            "what kind of container is best to keep loose tea fresh",
            "is it best if i arrive early",
            "what is your best price",
            "im doing my best",
            "how much is a lesson",
        ] {
            assert_eq!(of(text), None, "{text}");
        }
    }
}
