//! The sheet's location row, and the patterns that bring customers'
//! "where are you?" to it.
//!
//! "Where are you?" is among the commonest questions a local business
//! gets, and its words are all stop words: the matcher reads no content
//! word in it, and a message without one is never answered with an FAQ
//! entry (unless it is exactly an example, or a pattern of the entry
//! matches). "What's the address?" fares little better: "address" is in
//! few sheets' phrasings. Trial 48's pottery studio had a row "Where are
//! you and is there parking?" (alternate "How do I find you?"), and
//! "where are you", "whats the address" and "address?" all fell back.
//!
//! So `faqbot import` finds the row that asks where the business is
//! (its question or an alternate matches one of [`LOCATION_PATTERNS`]);
//! when exactly one row does, it gets those patterns in `intents.ron`
//! (a row with patterns of its own keeps them), and the import says so.
//! A pattern that matches adds the named contribution `pattern` (see
//! docs/matching.md); `/why` shows which.

use super::row_patterns::{compile, give, matches, the_one_row};
use crate::schema::IntentDef;
use regex::Regex;
use std::sync::LazyLock;

/// Customers' ways of asking where the business is, as regexes on the
/// folded text (lower case, punctuation folded, "what's" and "whats" read
/// as "what is"): "where are you (located)?", "where is your shop?",
/// "what is the address / postcode?", "address?", "how do I find you?",
/// "how do we get to you?", "where can I find you?", "postcode for the
/// satnav"; "address" also as customers misspell it ("adress",
/// "addres": trial 59's "adress?" fell back, as typo correction only
/// knows the examples' words). Written by hand from the location rows of the FAQ sheets in
/// `tests/fixtures` and the ways trials' customers asked; a row's own
/// question must match one of them for the row to get them.
pub const LOCATION_PATTERNS: [&str; 6] = [
    r"\bwhere\s+(are|r)\s+(you|u|ya)(\s+(located|based|situated|exactly))?\b",
    r"\bwhere\s+(is|s)\s+(your|ur|the)\s+(shop|store|office|premises|clinic|studio|workshop|salon|practice|garage|centre|center|venue|school|surgery|cafe|gallery|yard|unit|building|site)\b",
    r"\bwhat\s+(is|s)\s+(your|ur|the)\s+(address|adress|addres|postcode|post\s+code|location)\b",
    r"^\s*(your\s+|the\s+)?(address|adress|addres|postcode|post\s+code|location|directions)(\s+(please|pls|plz))?\s*$",
    r"\b(how|where)\s+(do|can|could|would|will|should)\s+(i|we)\s+(find|get\s+to)\s+(you|u)\b",
    r"\b(directions|postcode|post\s+code)\s+(to|for)\b",
];

static LOCATION: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&LOCATION_PATTERNS));

/// Whether `text` (any case; folded here) asks where the business is.
pub fn asks_where(text: &str) -> bool {
    matches(&LOCATION, text)
}

/// The index of the one FAQ intent of `intents` whose title or one of
/// whose examples asks where the business is ([`asks_where`]); `None`
/// when no intent or more than one does.
pub fn location_row(intents: &[IntentDef]) -> Option<usize> {
    the_one_row(intents, asks_where)
}

/// Gives the location row of `intents` ([`location_row`]) the
/// [`LOCATION_PATTERNS`], unless it has patterns of its own; returns its
/// index when it did.
pub fn add_patterns(intents: &mut [IntentDef]) -> Option<usize> {
    give(intents, location_row(intents), &LOCATION_PATTERNS)
}

#[cfg(test)]
mod tests {
    use super::super::row_patterns::row;
    use super::*;

    #[test]
    fn customers_ways_of_asking_where_are_recognised() {
        for q in [
            "where are you",
            "Where r u located?",
            "where's your shop",
            "whats the address",
            "What's your postcode?",
            "address?",
            "address pls",
            "adress?",
            "whats ur addres",
            "the postcode plz",
            "Directions please",
            "how do i find you",
            "how do we get to you from the station",
            "postcode for the satnav",
            "Where can I find you?",
        ] {
            assert!(asks_where(q), "{q}");
        }
        for q in [
            "where are your toilets",
            "i put the wrong address on my order",
            "what is your email address",
            "where do i park",
            "are you open on sundays",
            "can i change my address",
        ] {
            assert!(!asks_where(q), "{q}");
        }
    }

    #[test]
    fn the_one_location_row_gets_the_patterns() {
        let mut intents = vec![
            row("hours", "When are you open?", &[]),
            row(
                "where",
                "Where are you and is there parking?",
                &["How do I find you?"],
            ),
        ];
        assert_eq!(add_patterns(&mut intents), Some(1));
        assert_eq!(intents[1].patterns.len(), LOCATION_PATTERNS.len());
        assert!(intents[0].patterns.is_empty());
        // Its own patterns are kept.
        let mut own = intents.clone();
        own[1].patterns = vec!["^here$".into()];
        assert_eq!(add_patterns(&mut own), None);
        assert_eq!(own[1].patterns, vec!["^here$".to_string()]);
    }

    #[test]
    fn two_location_rows_or_none_get_nothing() {
        let mut two = vec![
            row("shop", "Where is your shop?", &[]),
            row("office", "What is the address of the office?", &[]),
        ];
        assert_eq!(add_patterns(&mut two), None);
        let mut none = vec![row("hours", "When are you open?", &[])];
        assert_eq!(add_patterns(&mut none), None);
        assert!(two.iter().chain(&none).all(|d| d.patterns.is_empty()));
    }
}
