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
//! patterns ask for the times of the day and whether the business is open
//! on a given day ("do you open on sundays?", "are you around on saturday
//! afternoons?"). Holidays ("are you open on bank holiday monday?") get
//! [`HOLIDAY_PATTERNS`] too, unless another row asks whether the business
//! opens on a holiday ("Are you open over Christmas?"): that row answers
//! them by its own words. Most sheets' hours rows say the holidays in
//! their answer ("closed on Sundays and bank holidays"); trial 56's soft
//! play customer's bank-holiday question fell back without them.

use super::row_patterns::{compile, give, matches, row_asks, the_one_row};
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
/// "Are you around / in / working on saturday (afternoons)?" (said of
/// you, not of a thing: "is the lift working today?" is not one) and "do
/// you open / close on sundays?" ask the same of a day. Holidays are in
/// [`HOLIDAY_PATTERNS`]. "What time does your office close?", "when does
/// the shop open?" ask it of the business's premises, named by a word for
/// them ("shop", "office", "salon", "studio"...: the words of
/// `dialogue::elsewhere::OWN_PLACE` and a few trades' own; "when does the
/// post office close" is another place's, and the dialogue's
/// `elsewhere` rule reads any other word as one; trial 67's plumber).
/// "Are you there on mondays?" asks it as "are you around" does. Written
/// by hand from the ways customers ask in everyday English, not from any
/// test sentence.
pub const HOURS_PATTERNS: [&str; 7] = [
    r"\bwhat\s+time\s+((do|does|are|r)\s+)?(you|u|ya)(\s+guys)?\s+(open|close|shut|closed|finish)\b",
    r"\bwhen\s+(do|does)\s+(you|u|ya)(\s+guys)?\s+(open|close|shut)\b",
    r"\bhow\s+late\s+(are|r|is)\s+(you|u|ya|(your|the)\s+\w+)(\s+guys)?\s+open\b",
    r"(\b(are|r|is)\s+(you|u|ya|(your|the)\s+\w+)(\s+guys)?\s+(still\s+)?(open|closed|shut)|\b(are|r)\s+(you|u|ya)(\s+guys)?\s+(around|in|there|working))\s+(on\s+)?(now|today|tonight|tomorrow|late|yet|((mon|tues|wednes|thurs|fri|satur|sun)day|weekend)s?(\s+(morning|afternoon|evening)s?)?|the\s+weekend)\b",
    r"\b(do|does)\s+(you|u|ya|(your|the)\s+\w+)(\s+guys)?\s+(open|close|shut)\s+(early\s+|late\s+)?(on\s+|at\s+)?(today|tomorrow|(mon|tues|wednes|thurs|fri|satur|sun)days?|weekends?|the\s+weekend|lunch(time)?)\b",
    r"^\s*(your\s+|the\s+)?(opening\s+|closing\s+)?(hours|times)(\s+(please|pls|plz|today))?\s*$",
    r"\b(what\s+time|when)\s+(does|do|will|is)\s+(the|your|ur)\s+(shop|store|office|place|business|branch|reception|centre|center|premises|salon|studio|clinic|surgery|practice|cafe|workshop|showroom|yard|unit)\s+(open|opens|close|closes|shut|shuts|closed)\b",
];

/// Customers' ways of asking whether the business opens on a holiday, as
/// regexes on the folded text: "are you / do you open on bank holiday
/// monday / over christmas / at easter?", "christmas opening hours?".
/// Given to the hours row only when no other row asks it
/// ([`asks_holiday_opening`]). Written by hand, as [`HOURS_PATTERNS`].
pub const HOLIDAY_PATTERNS: [&str; 2] = [
    r"(\b(are|r|is|do|does)\s+(you|u|ya|(your|the)\s+\w+)(\s+guys)?\s+(still\s+)?(open|closed|close|shut)|\b(are|r)\s+(you|u|ya)(\s+guys)?\s+(around|working))\s+((on|over|at|during|for)\s+)?(the\s+)?((bank|public)\s+holidays?|christmas|xmas|easter|boxing\s+day|new\s+years?)\b",
    r"^\s*((bank|public)\s+holiday|christmas|xmas|easter)\s+(opening\s+)?(hours|times)(\s+(please|pls|plz))?\s*$",
];

/// A row's question that asks whether the business opens on a holiday
/// ("Are you open on bank holidays?", "Christmas opening hours"): a
/// holiday and a word of opening, on the folded text.
const HOLIDAY_QUESTIONS: [&str; 2] = [
    r"\b((bank|public)\s+holidays?|christmas|xmas|easter|boxing\s+day|new\s+years?)\b",
    r"\b(open|opening|closed?|shut|hours|times)\b",
];

static QUESTIONS: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&HOURS_QUESTIONS));
static HOLIDAY: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&HOLIDAY_QUESTIONS));

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

/// Whether `text` (a row's question; any case, folded here) asks whether
/// the business opens on a holiday: it names one and a word of opening
/// ("Are you open on bank holidays?"; not "Do you sell Christmas trees?").
pub fn asks_holiday_opening(text: &str) -> bool {
    let folded = crate::normalize::fold_text(text);
    HOLIDAY.iter().all(|re| re.is_match(&folded))
}

/// Gives the hours row of `intents` ([`hours_row`]) the
/// [`HOURS_PATTERNS`], and the [`HOLIDAY_PATTERNS`] when no other FAQ row
/// asks whether the business opens on a holiday
/// ([`asks_holiday_opening`]), unless it has patterns of its own (the
/// location patterns included: a row "Where are you and when are you
/// open?" keeps those); returns its index when it did.
pub fn add_patterns(intents: &mut [IntentDef]) -> Option<usize> {
    let row = hours_row(intents)?;
    let holiday_row = intents
        .iter()
        .enumerate()
        .any(|(i, d)| i != row && row_asks(d, asks_holiday_opening));
    let patterns: Vec<&str> = if holiday_row {
        HOURS_PATTERNS.to_vec()
    } else {
        HOURS_PATTERNS
            .iter()
            .chain(&HOLIDAY_PATTERNS)
            .copied()
            .collect()
    };
    give(intents, Some(row), &patterns)
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
            "do you open on sundays",
            "does the shop close early on wednesdays",
            "are you around sunday mornings",
            "r u working weekends",
            "what time does your office close on fridays",
            "when does the shop open",
            "when is the studio open",
            "are you there on mondays",
        ] {
            assert!(customer_asks_hours(q), "{q}");
        }
        for q in [
            "are you open on bank holidays",
            "do you open bank accounts",
            "are you in the yellow pages",
            "is the car working today",
            "what time does the film start",
            "how many hours is the course",
            "can i open a tab",
            "the door shut behind me",
            "when does the post office close",
            "what time does the class finish",
            "are you there",
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
    fn customers_ways_of_asking_about_holidays_are_recognised() {
        static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&HOLIDAY_PATTERNS));
        for q in [
            "are you open on bank holiday monday",
            "r u open over christmas",
            "do you open at easter",
            "is the shop closed on boxing day",
            "christmas opening hours?",
        ] {
            assert!(matches(&PATTERNS, q), "{q}");
        }
        for q in [
            "do you sell christmas trees",
            "are you open on sundays",
            "can i book for the bank holiday weekend",
        ] {
            assert!(!matches(&PATTERNS, q), "{q}");
        }
        for q in [
            "Are you open on bank holidays?",
            "Christmas opening hours",
            "Are you closed over Easter?",
        ] {
            assert!(asks_holiday_opening(q), "{q}");
        }
        for q in [
            "Do you sell Christmas trees?",
            "What are your opening hours?",
            "Do you run holiday courses?",
        ] {
            assert!(!asks_holiday_opening(q), "{q}");
        }
    }

    #[test]
    fn the_hours_row_gets_the_holiday_patterns_when_no_other_row_asks_them() {
        let mut intents = vec![
            row("hours", "What are your opening hours?", &[]),
            row("trees", "Do you sell Christmas trees?", &[]),
        ];
        assert_eq!(add_patterns(&mut intents), Some(0));
        assert_eq!(
            intents[0].patterns.len(),
            HOURS_PATTERNS.len() + HOLIDAY_PATTERNS.len()
        );
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
