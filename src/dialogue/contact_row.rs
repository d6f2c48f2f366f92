//! The FAQ entry that gives the business's contact details, for a
//! request for them that no entry answers.
//!
//! "whats your phone number" in a knowledge base without a handoff intent
//! used to get `bot.ron`'s handoff text whenever no FAQ entry reached the
//! threshold ("A member of our team can help you further: call 01632
//! 960412."). Owners' sheets say more in a row of their own: "How do I
//! contact you?" with the phone number, the e-mail address and when
//! someone answers, or "How do I book?" with the number to book on. Twelve
//! of the 1,430 customer questions of the blind trials' test sheets asked
//! for a phone number, an e-mail address or how to reach the business
//! without naming a row; their writers labelled all twelve with the row
//! whose answer gives the details (the handoff text got ten of them, the
//! right row was on top for four). So such a request that would fall back
//! gets that row's answer ([`contact_row`]), at the threshold (the reply's
//! `raised_by` is `contact_row`: no probability was measured), and the
//! handoff text only when no single row can be told to be the one.

use crate::kb::KnowledgeBase;
use crate::matcher::Scored;
use crate::normalize::contact::{digits_ok, gives_contact, PHONE, WEB};
use crate::normalize::typed::EMAIL_ANY_CASE;
use crate::schema::IntentKind;
use regex::Regex;
use std::sync::LazyLock;

/// A row's question (title or example) about reaching the business:
/// "How do I contact you?", "How can I get in touch?", "What is your phone
/// number?", "What's your e-mail address?", "How do I get a quote or
/// contact you?". Not "Do you fit contact lenses?". Written by hand from
/// the contact rows of the sheets under `tests/fixtures`.
pub static ASKS_CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:contact(?:\s+(?:you|us|details|info|information|number))?(?:\s*[?.!]|\s*$)|contact\s+(?:you|us)\b|get\s+in\s+touch|get\s+hold\s+of|reach\s+(?:you|us)|(?:tele)?phone\s+number|e-?mail\s+address)",
    )
    .expect("a valid pattern")
});

/// An answer's words that invite the customer to get in touch ("Call us
/// on …", "ring me", "email us", "get in touch"): of two answers that
/// give the same number, the one that is about reaching the business
/// ("Call us on 01632 960456 or book online") rather than one that
/// mentions it in passing ("We give free quotes on 01632 960456").
pub static INVITES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:call|ring|phone|text|e-?mail|contact|message)\s+(?:us|me)|get\s+in\s+touch)\b")
        .expect("a valid pattern")
});

/// The FAQ intent whose answer a request for contact details gets, given
/// `handoff` (`bot.ron`'s handoff text) and the message's `ranking` (best
/// first). Among the FAQ intents whose answer gives contact details (a
/// phone number, an e-mail or web address: [`gives_contact`]):
///
/// 1. the only one whose title or an example asks how to reach the
///    business ([`ASKS_CONTACT`]: "How do I contact you?");
/// 2. else, of those that give the most of the handoff text's own details
///    (at least one: the number `faqbot import` chose as the business's),
///    the only one, else the only one that invites the customer to get in
///    touch ([`INVITES`]), else the best-ranked of them in `ranking`.
///
/// `None` when no answer gives one of the handoff text's details (a
/// swimming pool's only web address, for booking lanes, is no answer to
/// "whats your phone number" when the handoff text gives reception's
/// number), or several tie and none is ranked.
///
/// Cost: one pass over the answers (a byte test spares most of them the
/// patterns); called only for a contact request that would fall back.
pub fn contact_row(kb: &KnowledgeBase, handoff: &str, ranking: &[Scored]) -> Option<usize> {
    let giving: Vec<usize> = kb
        .intents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == IntentKind::Faq && gives_contact(&d.answer))
        .map(|(i, _)| i)
        .collect();
    let titled: Vec<usize> = giving
        .iter()
        .copied()
        .filter(|&i| {
            let d = &kb.intents[i];
            std::iter::once(&d.title)
                .chain(&d.examples)
                .any(|t| ASKS_CONTACT.is_match(t))
        })
        .collect();
    if let [one] = titled.as_slice() {
        return Some(*one);
    }
    // How many of the handoff text's details each answer gives, read once.
    let own = details(handoff);
    let shared: Vec<(usize, usize)> = giving
        .iter()
        .map(|&i| {
            let theirs = details(&kb.intents[i].answer);
            (i, own.iter().filter(|d| theirs.contains(d)).count())
        })
        .collect();
    let most = shared.iter().map(|&(_, n)| n).max().filter(|&n| n > 0)?;
    let best: Vec<usize> = shared
        .iter()
        .filter(|&&(_, n)| n == most)
        .map(|&(i, _)| i)
        .collect();
    let inviting: Vec<usize> = best
        .iter()
        .copied()
        .filter(|&i| INVITES.is_match(&kb.intents[i].answer))
        .collect();
    match (best.as_slice(), inviting.as_slice()) {
        ([one], _) | (_, [one]) => Some(*one),
        _ => ranking.iter().map(|s| s.intent).find(|i| best.contains(i)),
    }
}

/// The contact details `text` gives, comparable across texts: each phone
/// number as its digits, each e-mail and web address in lower case.
fn details(text: &str) -> Vec<String> {
    let mut out: Vec<String> = PHONE
        .find_iter(text)
        .filter(|m| digits_ok(m.as_str()))
        .map(|m| m.as_str().chars().filter(char::is_ascii_digit).collect())
        .collect();
    out.extend(
        EMAIL_ANY_CASE
            .find_iter(text)
            .chain(WEB.find_iter(text))
            .map(|m| m.as_str().to_lowercase()),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A knowledge base of `rows` (id, title, answer), sorted by id.
    fn kb(rows: &[(&str, &str, &str)]) -> KnowledgeBase {
        let ron: String = rows
            .iter()
            .map(|(id, title, answer)| {
                format!(
                    "(id: {id:?}, title: {title:?}, examples: [{title:?}], answer: {answer:?}),"
                )
            })
            .collect();
        KnowledgeBase::from_sources(vec![("kb.ron".into(), format!("[{ron}]"))]).unwrap()
    }

    fn id(kb: &KnowledgeBase, i: Option<usize>) -> Option<&str> {
        i.map(|i| kb.intents[i].id.as_str())
    }

    const HANDOFF: &str = "A member of our team can help you further: call 01632 960111.";

    #[test]
    fn the_row_that_asks_how_to_reach_the_business_wins() {
        let kb = kb(&[
            ("book", "How do I book?", "Call us on 01632 960111 to book."),
            (
                "contact",
                "How do I contact you?",
                "Call 01632 960111 or email hi@blinds.example.",
            ),
            (
                "shutters",
                "Do you fit shutters?",
                "Yes, in oak or painted.",
            ),
        ]);
        assert_eq!(id(&kb, contact_row(&kb, HANDOFF, &[])), Some("contact"));
    }

    #[test]
    fn the_only_answer_with_contact_details_is_the_row() {
        let kb = kb(&[
            (
                "showroom",
                "Where is your showroom?",
                "Unit 4, Mill Road; ring 01632 960111 first.",
            ),
            (
                "shutters",
                "Do you fit shutters?",
                "Yes, in oak or painted.",
            ),
        ]);
        assert_eq!(id(&kb, contact_row(&kb, HANDOFF, &[])), Some("showroom"));
        // An answer with other details than the handoff text's is none.
        let other = self::kb(&[
            (
                "lanes",
                "Do I need to book a lane?",
                "Book lanes at pool.example.",
            ),
            (
                "shutters",
                "Do you fit shutters?",
                "Yes, in oak or painted.",
            ),
        ]);
        assert_eq!(contact_row(&other, HANDOFF, &[]), None);
        let none = self::kb(&[(
            "shutters",
            "Do you fit shutters?",
            "Yes, in oak or painted.",
        )]);
        assert_eq!(contact_row(&none, HANDOFF, &[]), None);
    }

    #[test]
    fn of_answers_with_the_handoff_number_the_one_that_invites_a_call_wins() {
        let kb = kb(&[
            (
                "book",
                "How do I book a visit?",
                "Call us on 01632 960111 or book at blinds.example.",
            ),
            (
                "cost",
                "How much do blinds cost?",
                "From £45 a window; free quotes on 01632 960111.",
            ),
            (
                "partner",
                "Do you fit curtains?",
                "No, but Curtain Co do: 01632 960999.",
            ),
        ]);
        assert_eq!(id(&kb, contact_row(&kb, HANDOFF, &[])), Some("book"));
        // Two answers alike in both: the best-ranked of them, else none.
        let tie = self::kb(&[
            ("a_cost", "How much?", "Free quotes on 01632 960111."),
            ("b_book", "How do I book?", "Bookings on 01632 960111."),
        ]);
        assert_eq!(contact_row(&tie, HANDOFF, &[]), None);
        let engine = crate::Engine::new(tie);
        let ranking = engine.rank("how do i book", 5);
        let kb = engine.knowledge_base();
        assert_eq!(id(kb, contact_row(kb, HANDOFF, &ranking)), Some("b_book"));
    }

    #[test]
    fn a_row_about_reaching_the_business_is_told_by_its_question() {
        for q in [
            "How do I contact you?",
            "How can I contact you",
            "How do I get a quote or contact you?",
            "How can I get in touch?",
            "What is your phone number?",
            "What's your e-mail address?",
            "Contact details",
            "How can I reach you?",
        ] {
            assert!(ASKS_CONTACT.is_match(q), "{q}");
        }
        for q in [
            "Do you fit contact lenses?",
            "Do you sell contact lens solution?",
            "What are your opening hours?",
            "How do I book?",
        ] {
            assert!(!ASKS_CONTACT.is_match(q), "{q}");
        }
    }
}
