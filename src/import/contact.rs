//! The business's contact details in its own answers, for the handoff
//! text that `faqbot import` writes into a new `bot.ron`.
//!
//! The handoff ("can I talk to a person", and the reply after
//! `max_fallbacks` misses in a row) is where a customer learns how to reach
//! the team. Its generic default, "A member of our support team can help
//! you further.", says nothing a customer can act on, and a freshly
//! imported sheet reaches it often: two new users' trials (a removals firm,
//! a window cleaner) were handed off "to nobody" within two turns. Most
//! FAQ sheets give a phone number, an e-mail address or a web address in
//! their answers ("Call us on 01632 960278 or fill in the form at
//! swiftmove.example"); the most frequent phone number goes into the
//! handoff, with the most frequent e-mail address when that is written
//! at least twice (or there is no phone number), else the most frequent
//! web address; `faqbot import` says so, to be checked like every other
//! text.
//!
//! Phone numbers written equally often are told apart by what their
//! places say ([`Use`]): a number in a row about reaching the business
//! ("How do I contact you?", "call us on …") beats one that says neither,
//! which beats one tied to a single service ("Do you run kids' birthday
//! parties? … book on …", "our 24-hour guest line"); then the first
//! written. A new user's trial (a climbing wall) had two numbers, each
//! written once, and the first was the party booking line: every customer
//! the bot could not answer was sent there. Of the 24 sheets under
//! `tests/fixtures` with contact details, three tie: a plumber's now gets
//! its "call us on" number instead of its emergency line, the climbing wall
//! its other number, and a cottage letting agent keeps its first; when no
//! tied number is in a row about reaching the business, [`Contact::unsure`]
//! names them for the import's note.

use crate::normalize::contact::{digits_ok, PHONE, WEB};
use crate::normalize::typed::EMAIL_ANY_CASE as EMAIL;
use crate::schema::IntentDef;
use regex::Regex;
use std::sync::LazyLock;

/// The contact details found in a knowledge base's answers: the most
/// frequent phone number (ties: see the module doc), e-mail address
/// (beside a phone number, only one written at least twice) and web
/// address, each as first written, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    /// A phone number, e.g. `01632 960278`.
    pub phone: Option<String>,
    /// An e-mail address, e.g. `hello@shop.example`.
    pub email: Option<String>,
    /// A web address, e.g. `shop.example/contact`.
    pub web: Option<String>,
    /// The phone numbers `phone` was chosen among when no single one of
    /// them is in a row about reaching the business ([`Use::Contact`]):
    /// `phone` is then a guess for the owner to check. `None` when `phone`
    /// was clear.
    pub unsure: Option<Tie>,
}

/// Phone numbers written equally often, none of them (or several) in a
/// row about reaching the business.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tie {
    /// How often each is written (1 or more).
    pub times: usize,
    /// The numbers, in the order first written (at least two).
    pub numbers: Vec<String>,
}

/// What the place a phone number is written says about it, from the
/// answer's sentence that gives it (from the previous `.`, `!` or `?`
/// to the next) and the row's question (title and examples). Ordered:
/// a later variant is a better handoff number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Use {
    /// Tied to one service ([`SERVICE`]: "parties", "events", "guest
    /// line", "emergency"), whatever else it says.
    Service,
    /// Neither a service nor a way to reach the business.
    Plain,
    /// About reaching the business ([`CONTACT`]: "contact", "call us",
    /// "get in touch", "get hold of", "speak to", "reception", "where are
    /// you", "opening hours").
    Contact,
}

/// Words of a question or sentence about reaching the business: the
/// contact rows of the sheets under `tests/fixtures` ("How do I contact
/// you?", "Call us on …", "give us a ring", "call reception on"), and
/// "How can I get hold of you?", which a first version missed.
pub static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:contact|get in touch|get hold of|(?:call|ring|phone) us|give us a (?:ring|call)|speak (?:to|with)|talk to|reach (?:us|you)|(?:tele)?phone number|reception|front desk|where are you|find (?:us|you)|opening (?:hours|times))\b",
    )
    .expect("a valid pattern")
});

/// Words that tie a phone number to one service: a party or event
/// booking line, a named line ("our 24-hour guest line"), an emergency
/// number. Not "book": most sheets' general number is the one to book on
/// ("Book online or call reception on …").
pub static SERVICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:part(?:y|ies)|events|functions?|weddings?|line|emergenc(?:y|ies)|out[- ]of[- ]hours)\b",
    )
    .expect("a valid pattern")
});

/// One place a phone number is written in an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The number as written (trailing dots, dashes and spaces trimmed).
    pub number: String,
    /// The index of the intent whose answer gives it.
    pub intent: usize,
    /// The answer's sentence that gives it, trimmed.
    pub sentence: String,
    /// What that sentence and the row's question say about it.
    pub used: Use,
}

/// Every phone number (9 to 15 digits) in the answers of `intents`, in
/// the order written.
pub fn mentions(intents: &[IntentDef]) -> Vec<Mention> {
    let mut out = Vec::new();
    for (i, d) in intents.iter().enumerate() {
        let question = std::iter::once(&d.title)
            .chain(&d.examples)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" / ");
        for m in PHONE.find_iter(&d.answer) {
            let number = m.as_str().trim_end_matches(['.', '-', ' ']);
            if !digits_ok(number) {
                continue;
            }
            let sentence = sentence(&d.answer, m.start(), m.start() + number.len());
            let about = |re: &Regex| re.is_match(sentence) || re.is_match(&question);
            let used = if about(&SERVICE) {
                Use::Service
            } else if about(&CONTACT) {
                Use::Contact
            } else {
                Use::Plain
            };
            out.push(Mention {
                number: number.to_string(),
                intent: i,
                sentence: sentence.to_string(),
                used,
            });
        }
    }
    out
}

/// The sentence of `text` around the bytes `start..end`: from after the
/// last `.`, `!` or `?` followed by white space before `start` to the
/// first such mark (or the end of `text`) from `end`, trimmed.
fn sentence(text: &str, start: usize, end: usize) -> &str {
    let b = text.as_bytes();
    let stop = |i: usize| {
        matches!(b[i], b'.' | b'!' | b'?') && b.get(i + 1).is_none_or(u8::is_ascii_whitespace)
    };
    let from = (0..start).rev().find(|&i| stop(i)).map_or(0, |i| i + 1);
    let to = (end..b.len()).find(|&i| stop(i)).map_or(b.len(), |i| i + 1);
    text[from..to].trim()
}

/// The phone number for the handoff among `mentions`: the most frequent,
/// ties broken by the best [`Use`] of its places, then the first written;
/// with the numbers it was [`Contact::unsure`] among.
fn pick_phone(mentions: &[Mention]) -> Option<(String, Option<Tie>)> {
    // (number, times written, best use), in the order first written.
    let mut seen: Vec<(&str, usize, Use)> = Vec::new();
    for m in mentions {
        match seen.iter_mut().find(|(n, _, _)| *n == m.number) {
            Some((_, times, used)) => {
                *times += 1;
                *used = (*used).max(m.used);
            }
            None => seen.push((&m.number, 1, m.used)),
        }
    }
    let most = seen.iter().map(|s| s.1).max()?;
    let tied: Vec<_> = seen.into_iter().filter(|s| s.1 == most).collect();
    let best = tied.iter().map(|s| s.2).max()?;
    let phone = tied.iter().find(|s| s.2 == best)?.0.to_string();
    let contact_rows = tied.iter().filter(|s| s.2 == Use::Contact).count();
    let unsure = (tied.len() > 1 && contact_rows != 1).then(|| Tie {
        times: most,
        numbers: tied.iter().map(|s| s.0.to_string()).collect(),
    });
    Some((phone, unsure))
}

impl Contact {
    /// The contact details in the answers of `intents` (see the module
    /// doc); `None` when they have none.
    pub fn find(intents: &[IntentDef]) -> Option<Contact> {
        let answers: Vec<&str> = intents.iter().map(|d| d.answer.as_str()).collect();
        let (phone, unsure) = pick_phone(&mentions(intents)).unzip();
        // Beside a phone number, an address written once is more often a
        // department's ("events@", "business@") than the team's.
        let email = most_frequent(&answers, &EMAIL, |_, _| true)
            .filter(|(_, n)| phone.is_none() || *n >= 2);
        let c = Contact {
            phone,
            unsure: unsure.flatten(),
            email: email.map(|e| e.0),
            // A host name of an e-mail address is no web address.
            web: most_frequent(&answers, &WEB, |m, before| {
                !before.ends_with('@') && !before.ends_with('.') && !m.contains('@')
            })
            .map(|w| w.0),
        };
        (c.phone.is_some() || c.email.is_some() || c.web.is_some()).then_some(c)
    }

    /// The import's note when the phone number is a guess ([`Self::unsure`]),
    /// naming the numbers and `settings`, the `bot.ron` to check:
    /// "note: your answers give 2 phone numbers, each written once
    /// (01632 960341, 01632 960342), none of them in a row about
    /// contacting you: the handoff gives 01632 960342, a guess; check
    /// `handoff` in kb/bot.ron …".
    pub fn unsure_note(&self, settings: &std::path::Path) -> Option<String> {
        let tie = self.unsure.as_ref()?;
        let times = match tie.times {
            1 => "once".to_string(),
            2 => "twice".to_string(),
            n => format!("{n} times"),
        };
        Some(format!(
            "note: your answers give {} phone numbers, each written {times} ({}), and no single \
             one of them in a row about contacting you: the handoff gives {}, a guess; check \
             `handoff` in {} (what a customer who asks for a person, or is not answered \
             repeatedly, is told) and put your general number there",
            tie.numbers.len(),
            tie.numbers.join(", "),
            self.phone.as_deref().unwrap_or_default(),
            settings.display()
        ))
    }

    /// The handoff text that gives these details: "A member of our team can
    /// help you further: call 01632 960278 or e-mail hello@shop.example."
    /// (the web address only without a phone number or an e-mail address).
    pub fn handoff(&self) -> String {
        let mut ways = Vec::new();
        if let Some(p) = &self.phone {
            ways.push(format!("call {p}"));
        }
        if let Some(e) = &self.email {
            ways.push(format!("e-mail {e}"));
        }
        if ways.is_empty() {
            if let Some(w) = &self.web {
                ways.push(format!("see {w}"));
            }
        }
        format!(
            "A member of our team can help you further: {}.",
            ways.join(" or ")
        )
    }
}

/// The match of `re` in `texts` that occurs most often (ties: the first
/// seen), kept by `keep(match, text before it)`, trailing dots, dashes and
/// spaces trimmed, and how often it occurs (1 or more).
fn most_frequent(
    texts: &[&str],
    re: &Regex,
    keep: impl Fn(&str, &str) -> bool,
) -> Option<(String, usize)> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for text in texts {
        for m in re.find_iter(text) {
            let found = m.as_str().trim_end_matches(['.', '-', ' ']);
            if !keep(found, &text[..m.start()]) {
                continue;
            }
            match seen.iter_mut().find(|(s, _)| s == found) {
                Some((_, n)) => *n += 1,
                None => seen.push((found.to_string(), 1)),
            }
        }
    }
    let best = seen.iter().map(|(_, n)| *n).max()?;
    seen.into_iter().find(|(_, n)| *n == best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Rows of `(question, answer)`.
    fn rows(rows: &[(&str, &str)]) -> Vec<IntentDef> {
        rows.iter()
            .enumerate()
            .map(|(i, (q, a))| IntentDef {
                id: format!("r{i}"),
                title: (*q).to_string(),
                answer: (*a).to_string(),
                ..IntentDef::default()
            })
            .collect()
    }

    fn intents(answers: &[&str]) -> Vec<IntentDef> {
        answers
            .iter()
            .enumerate()
            .map(|(i, a)| IntentDef {
                id: format!("i{i}"),
                answer: (*a).to_string(),
                ..IntentDef::default()
            })
            .collect()
    }

    #[test]
    fn finds_the_most_frequent_phone_email_and_web_address() {
        let kb = intents(&[
            "Call us on 01632 960278 or fill in the form at swiftmove.example/quote.",
            "Ring 01632 960278 any time; for storage ring 01632 960111.",
            "Email hello@swiftmove.example and we reply within a day.",
            "Send the inventory to hello@swiftmove.example; for events, events@swiftmove.example.",
            "A one-bedroom flat costs £350 to £500; the move takes 4-6 hours, 10am to 2pm.",
        ]);
        let c = Contact::find(&kb).expect("details");
        assert_eq!(c.phone.as_deref(), Some("01632 960278"));
        assert_eq!(c.email.as_deref(), Some("hello@swiftmove.example"));
        assert_eq!(c.web.as_deref(), Some("swiftmove.example/quote"));
        assert_eq!(
            c.handoff(),
            "A member of our team can help you further: call 01632 960278 or e-mail hello@swiftmove.example."
        );
    }

    #[test]
    fn a_time_after_a_phone_number_is_not_part_of_it() {
        let kb = intents(&["Our office (01632 960278 - 9am to 5pm) is closed on Sundays."]);
        assert_eq!(
            Contact::find(&kb).and_then(|c| c.phone).as_deref(),
            Some("01632 960278")
        );
    }

    #[test]
    fn prices_times_and_years_are_no_phone_numbers() {
        let kb = intents(&[
            "Prices from £1,200 to £2,500 (2024 rates), open 9-5, call-out within 2 hours.",
            "Up to 20 people; sessions at 10:30, 14:00 and 18:30.",
        ]);
        assert_eq!(Contact::find(&kb), None);
    }

    #[test]
    fn a_web_address_alone_is_offered_and_an_email_host_is_none() {
        let kb = intents(&["Book at www.lockbox.example/book or see our page."]);
        let c = Contact::find(&kb).expect("details");
        assert_eq!(c.web.as_deref(), Some("www.lockbox.example/book"));
        assert_eq!(
            c.handoff(),
            "A member of our team can help you further: see www.lockbox.example/book."
        );
        let once = intents(&["Ring 01632 960278.", "Events: events@shop.example."]);
        assert_eq!(Contact::find(&once).and_then(|c| c.email), None);
        let only_mail = intents(&["Write to team@shop.example."]);
        let c = Contact::find(&only_mail).expect("details");
        assert_eq!(
            (c.email.as_deref(), c.web),
            (Some("team@shop.example"), None)
        );
        assert_eq!(
            Contact::find(&intents(&["+44 (0)1632 960587, any day."]))
                .and_then(|c| c.phone)
                .as_deref(),
            Some("+44 (0)1632 960587")
        );
    }

    /// Two numbers written once each (a climbing wall's trial): the one
    /// whose row is about one service (a party) is not the handoff's, and
    /// with no row about contacting the business the pick is a guess,
    /// named for the import's note.
    #[test]
    fn a_tie_avoids_a_number_tied_to_one_service_and_says_it_is_a_guess() {
        let kb = rows(&[
            (
                "Can I hold my wedding reception here?",
                "Yes, up to 80 guests. Reserve your day on 01632 960901.",
            ),
            (
                "Is there step-free access?",
                "Yes, a ramp at the side door; ring 01632 960902 and we will meet you there.",
            ),
        ]);
        let c = Contact::find(&kb).expect("details");
        assert_eq!(c.phone.as_deref(), Some("01632 960902"));
        let tie = c.unsure.clone().expect("a guess");
        assert_eq!(
            (tie.times, tie.numbers),
            (
                1,
                vec!["01632 960901".to_string(), "01632 960902".to_string()]
            )
        );
        let note = c.unsure_note(Path::new("kb/bot.ron")).expect("a note");
        assert!(
            note.contains("2 phone numbers, each written once (01632 960901, 01632 960902)")
                && note.contains("the handoff gives 01632 960902, a guess")
                && note.contains("check `handoff` in kb/bot.ron"),
            "{note}"
        );
        // Only the sentence that gives a number counts, or the question:
        // "our events line" elsewhere in the answer does not bind it.
        let m = mentions(&rows(&[(
            "Where can I park?",
            "Our events line is 01632 960903. For anything else, call 01632 960904!",
        )]));
        let used: Vec<(&str, Use)> = m.iter().map(|m| (m.number.as_str(), m.used)).collect();
        assert_eq!(
            used,
            [("01632 960903", Use::Service), ("01632 960904", Use::Plain)]
        );
        assert_eq!(m[1].sentence, "For anything else, call 01632 960904!");
    }

    /// A tie decided by one number in a row about reaching the business
    /// (a plumber's sheet: its "call us on" number, not the emergency
    /// line) is no guess; more frequent still beats a contact row.
    #[test]
    fn a_tie_goes_to_the_number_of_a_contact_row() {
        let kb = rows(&[
            (
                "Do you repair roofs after storms?",
                "Yes, our emergency team answers on 01632 960911 day and night.",
            ),
            (
                "How can I get hold of you?",
                "Phone 01632 960912 in office hours.",
            ),
            (
                "Do you fit gutters?",
                "Yes, from £30 a metre; book a fitting on 01632 960913.",
            ),
        ]);
        let c = Contact::find(&kb).expect("details");
        assert_eq!((c.phone.as_deref(), c.unsure), (Some("01632 960912"), None));
        let mut twice = kb.clone();
        twice[0].answer.push_str(" Out of hours too: 01632 960911.");
        assert_eq!(
            Contact::find(&twice).and_then(|c| c.phone).as_deref(),
            Some("01632 960911")
        );
        // Two contact rows tie again: the first, named as a guess.
        let two = rows(&[
            ("How do I contact the shop?", "Ring 01632 960921."),
            ("How do I contact the workshop?", "Ring 01632 960922."),
        ]);
        let c = Contact::find(&two).expect("details");
        assert_eq!(c.phone.as_deref(), Some("01632 960921"));
        assert_eq!(c.unsure.map(|t| t.numbers.len()), Some(2));
    }
}
