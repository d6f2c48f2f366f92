//! The days of the week as a property: "what days?" ([`super::states`])
//! or "and on weekends?" ([`names_days`]) right after an answer that
//! names its days gives that answer again. Kept apart from `STATES`, since "day" is also a
//! unit of a price ("how much is it per day?", `UNIT_WORDS`).

use super::{refers, BARE_MAX_WORDS};
use crate::dialogue::context::{follows_on, named_content};
use crate::kb::KnowledgeBase;
use crate::matcher::Analysis;
use regex::Regex;
use std::sync::LazyLock;

/// Words that ask on which days of the week something is: "what days?",
/// "which day is it on?". A property only for giving the answer just
/// given again, when it names a day (`asks_the_day`, `DAYS`). Trial 49:
/// "what days?" after the archive's answer ("open by appointment on
/// Thursdays") was handed off, and with the model got the museum's
/// opening hours.
pub const DAY_WORDS: &[&str] = &["day", "days", "weekday", "weekdays"];

/// Words that name days of the week, as typed (folded): the seven days,
/// singular and plural, and the weekend. A follow-up naming only these
/// ("and on weekends?", "what about saturdays?") asks on which of them
/// the answer just given holds, as [`DAY_WORDS`] do, whether or not that
/// answer uses the same word: trial 50, "and on weekends?" after a
/// cobbler's hours ("Monday to Friday ..., Saturday 9am to 4pm. We're
/// closed on Sundays ...") was asked to say more, while "and on sundays?"
/// got the hours again (the answer has "Sundays"). No abbreviations:
/// "sat" and "sun" are words of their own.
pub const DAY_NAMES: &[&str] = &[
    "monday",
    "mondays",
    "tuesday",
    "tuesdays",
    "wednesday",
    "wednesdays",
    "thursday",
    "thursdays",
    "friday",
    "fridays",
    "saturday",
    "saturdays",
    "sunday",
    "sundays",
    "weekend",
    "weekends",
];

/// A day of the week named in an answer (lower case): "Thursdays", "Mon",
/// "weekends", "every day", "daily".
pub(super) static DAYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b|\b(mon|tues|wednes|thurs|fri|satur|sun)days?\b|\bweek(day|end)s?\b|\bevery\s+day\b|\bdaily\b",
    )
    .expect("a valid pattern")
});

/// Whether `analysis` asks on which days what it refers to is: at most
/// [`BARE_MAX_WORDS`] words or one referring back ("what day is it
/// on?"), and every content word one of [`DAY_WORDS`].
pub(super) fn asks_the_day(analysis: &Analysis) -> bool {
    (refers(analysis) || analysis.tokens.len() <= BARE_MAX_WORDS)
        && named_content(analysis).next().is_some()
        && named_content(analysis).all(|t| DAY_WORDS.contains(&t.token.word.as_str()))
}

/// Whether `analysis` asks on some days of the week what the answer of
/// intent `last` (just given) says ("and on weekends?", "what about
/// saturdays?", "and on sundays then?"), and that answer names a day
/// ([`DAYS`]): at most [`BARE_MAX_WORDS`] words, one referring back or a
/// short follow-up starting with a connective ([`follows_on`]), and
/// every content word (at least one) one of [`DAY_NAMES`] or
/// [`DAY_WORDS`]. The policy asks it only of a turn whose own reading
/// answers nothing (a day name may be another entry's topic: "and at
/// weekends?" after a cottage's changeover day may ask for its weekend
/// breaks); then that answer is given again.
pub(crate) fn names_days(kb: &KnowledgeBase, last: usize, analysis: &Analysis) -> bool {
    (refers(analysis) || analysis.tokens.len() <= BARE_MAX_WORDS || follows_on(analysis))
        && named_content(analysis).next().is_some()
        && named_content(analysis).all(|t| {
            let w = t.token.word.as_str();
            DAY_WORDS.contains(&w) || DAY_NAMES.contains(&w)
        })
        && DAYS.is_match(&kb.intents[last].answer.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every day name is one an answer's `DAYS` pattern reads as a day.
    #[test]
    fn day_names_are_days() {
        for w in DAY_NAMES {
            assert!(DAYS.is_match(w), "{w}");
        }
        assert!(!DAYS.is_match("3-5 working days"));
    }
}
