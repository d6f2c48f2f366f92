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

use crate::normalize::contact::{digits_ok, PHONE, WEB};
use crate::normalize::typed::EMAIL_ANY_CASE as EMAIL;
use crate::schema::IntentDef;
use regex::Regex;

/// The contact details found in a knowledge base's answers: the most
/// frequent phone number, e-mail address (beside a phone number, only one
/// written at least twice) and web address, each as first written, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    /// A phone number, e.g. `01632 960278`.
    pub phone: Option<String>,
    /// An e-mail address, e.g. `hello@shop.example`.
    pub email: Option<String>,
    /// A web address, e.g. `shop.example/contact`.
    pub web: Option<String>,
}

impl Contact {
    /// The contact details in the answers of `intents` (see the module
    /// doc); `None` when they have none.
    pub fn find(intents: &[IntentDef]) -> Option<Contact> {
        let answers: Vec<&str> = intents.iter().map(|d| d.answer.as_str()).collect();
        let phone = most_frequent(&answers, &PHONE, |m, _| digits_ok(m));
        // Beside a phone number, an address written once is more often a
        // department's ("events@", "business@") than the team's.
        let email = most_frequent(&answers, &EMAIL, |_, _| true)
            .filter(|(_, n)| phone.is_none() || *n >= 2);
        let c = Contact {
            phone: phone.map(|p| p.0),
            email: email.map(|e| e.0),
            // A host name of an e-mail address is no web address.
            web: most_frequent(&answers, &WEB, |m, before| {
                !before.ends_with('@') && !before.ends_with('.') && !m.contains('@')
            })
            .map(|w| w.0),
        };
        (c.phone.is_some() || c.email.is_some() || c.web.is_some()).then_some(c)
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
}
