//! The sheet's opening-hours row, and the patterns that bring customers'
//! "what time do you shut?" to it.
//!
//! After "where are you?" ([`super::location`]), the hours are the
//! commonest question a local business gets, and customers ask them in
//! words the row rarely has: the row says "What are your opening hours?"
//! and its answer "open 9 to 5", the customer "what time do u close today"
//! or "what time do you shut on saturday". "Close", "shut" and "time" are
//! then words of no row, and the message fell back (four of the
//! development sheets' questions; trial 55's locksmith and garden centre
//! met it blind, as trial 54's bakery had).
//!
//! So `faqbot import` finds the row that asks for the opening hours (its
//! question or an alternate matches one of [`HOURS_QUESTIONS`]); when
//! exactly one row does, it gets [`HOURS_PATTERNS`] in `intents.ron` (a
//! row with patterns of its own keeps them), and the import says so. The
//! patterns ask for the times of the day, not whether the business opens
//! on a given day or holiday ("are you open on bank holidays?"), which a
//! sheet may answer in a row of its own.

use super::row_patterns::{compile, give, matches, the_one_row};
use crate::schema::IntentDef;
use regex::Regex;
use std::sync::LazyLock;

/// A row's question that asks for the opening hours, as regexes on the
/// folded text: "What are your opening hours?", "When are you open?",
/// "When is the practice open?", "What are your opening times?", "What
/// time do you open?", "What are your hours?", "What are the shop hours?". Written by hand from the hours rows of the FAQ sheets in
/// `tests/fixtures`.
pub const HOURS_QUESTIONS: [&str; 4] = [
    r"\b(opening|closing)\s+(hours|times)\b",
    r"\bwhen\s+(are|r|is)\s+(you|u|we|(the|your)\s+\w+)\s+open\b",
    r"\bwhat\s+(are|is)\s+(your|the)\s+((shop|store|office|business|clinic|practice|surgery|salon|studio|centre|center)\s+)?(hours|times)\b",
    r"\bwhat\s+time\s+(do|does)\s+(you|u|we|the\s+\w+)\s+(open|close)\b",
];

/// Customers' ways of asking the opening hours, as regexes on the folded
/// text (lower case, "wat" read as "what"): "what time (do) you open /
/// close / shut (today)?", "when do you close?", "how late are you
/// open?", "are you / is the shop open now / today / tonight / late / on
/// sundays / at the weekend?", "opening / closing times?", "hours?".
/// Bank holidays and Christmas are left out: sheets often answer them in
/// a row of their own. Written by hand from the ways customers ask in
/// everyday English, not from any test sentence.
pub const HOURS_PATTERNS: [&str; 5] = [
    r"\bwhat\s+time\s+((do|does|are|r)\s+)?(you|u|ya)(\s+guys)?\s+(open|close|shut|closed|finish)\b",
    r"\bwhen\s+(do|does)\s+(you|u|ya)(\s+guys)?\s+(open|close|shut)\b",
    r"\bhow\s+late\s+(are|r|is)\s+(you|u|ya|(your|the)\s+\w+)(\s+guys)?\s+open\b",
    r"\b(are|r|is)\s+(you|u|ya|(your|the)\s+\w+)(\s+guys)?\s+(still\s+)?(open|closed|shut)\s+(on\s+)?(now|today|tonight|tomorrow|late|yet|(mon|tues|wednes|thurs|fri|satur|sun)days?|weekends?|the\s+weekend)\b",
    r"^\s*(your\s+|the\s+)?(opening\s+|closing\s+)?(hours|times)(\s+(please|pls|plz|today))?\s*$",
];

static QUESTIONS: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&HOURS_QUESTIONS));

/// Whether `text` (a row's question; any case, folded here) asks for the
/// opening hours ([`HOURS_QUESTIONS`]).
pub fn asks_hours(text: &str) -> bool {
    matches(&QUESTIONS, text)
}

/// The index of the one FAQ intent of `intents` whose title or one of
/// whose examples asks for the opening hours ([`asks_hours`]); `None` when
/// no intent or more than one does.
pub fn hours_row(intents: &[IntentDef]) -> Option<usize> {
    the_one_row(intents, asks_hours)
}

/// Gives the hours row of `intents` ([`hours_row`]) the
/// [`HOURS_PATTERNS`], unless it has patterns of its own (the location
/// patterns included: a row "Where are you and when are you open?" keeps
/// those); returns its index when it did.
pub fn add_patterns(intents: &mut [IntentDef]) -> Option<usize> {
    give(intents, hours_row(intents), &HOURS_PATTERNS)
}

#[cfg(test)]
mod tests {
    use super::super::row_patterns::row;
    use super::*;

    /// Whether a customer's `text` matches one of [`HOURS_PATTERNS`], as
    /// the matcher's pattern stage reads it (folded text).
    fn customer_asks_hours(text: &str) -> bool {
        static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&HOURS_PATTERNS));
        matches(&PATTERNS, text)
    }

    #[test]
    fn rows_that_ask_the_hours_are_recognised() {
        for q in [
            "What are your opening hours?",
            "When are you open?",
            "What are your opening times?",
            "What time do you open?",
            "What are your hours?",
            "When is the practice open?",
            "What are the shop hours?",
            "Opening hours",
        ] {
            assert!(asks_hours(q), "{q}");
        }
        for q in [
            "Are you open on bank holidays?",
            "How many hours does a lesson take?",
            "Where are you?",
            "Can I open an account?",
            "What are the class times?",
        ] {
            assert!(!asks_hours(q), "{q}");
        }
    }

    #[test]
    fn customers_ways_of_asking_the_hours_are_recognised() {
        for q in [
            "what time do you close",
            "wat time do u shut",
            "What time do you guys open tomorrow?",
            "when do you close on fridays",
            "how late are you open",
            "are you still open now",
            "r u open today",
            "what time u guys shut tonight",
            "is your shop open on sundays",
            "are you open weekends",
            "opening times?",
            "hours pls",
        ] {
            assert!(customer_asks_hours(q), "{q}");
        }
        for q in [
            "are you open on bank holidays",
            "what time does the film start",
            "how many hours is the course",
            "can i open a tab",
            "the door shut behind me",
        ] {
            assert!(!customer_asks_hours(q), "{q}");
        }
        // An hours question in form about something else: the price of a
        // pattern without the row's words (the matcher still weighs the
        // other words).
        assert!(customer_asks_hours(
            "when do you close the bookings for christmas orders"
        ));
    }

    #[test]
    fn the_one_hours_row_gets_the_patterns() {
        let mut intents = vec![
            row("where", "Where are you?", &[]),
            row(
                "hours",
                "What are your opening hours?",
                &["When are you open?"],
            ),
            row("bank", "Are you open on bank holidays?", &[]),
        ];
        assert_eq!(add_patterns(&mut intents), Some(1));
        assert_eq!(intents[1].patterns.len(), HOURS_PATTERNS.len());
        assert!(intents[0].patterns.is_empty() && intents[2].patterns.is_empty());
        // Its own patterns are kept.
        let mut own = intents.clone();
        own[1].patterns = vec!["^here$".into()];
        assert_eq!(add_patterns(&mut own), None);
        assert_eq!(own[1].patterns, vec!["^here$".to_string()]);
    }

    #[test]
    fn two_hours_rows_or_none_get_nothing() {
        let mut two = vec![
            row("shop", "What are the shop's opening hours?", &[]),
            row(
                "cafe",
                "When is the cafe open? What are its opening times?",
                &[],
            ),
        ];
        assert_eq!(add_patterns(&mut two), None);
        let mut none = vec![row("where", "Where are you?", &[])];
        assert_eq!(add_patterns(&mut none), None);
        assert!(two.iter().chain(&none).all(|d| d.patterns.is_empty()));
    }
}
