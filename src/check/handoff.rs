//! `handoff-service-number`: `bot.ron`'s `handoff` gives a phone number
//! that the answers give only once, in a place tied to one service.
//!
//! A climbing wall's imported `handoff` gave its birthday-party booking
//! line (the first of two numbers, each written once, in "Do you run
//! kids' birthday parties? … book … on 01632 960341"): every customer the
//! bot could not answer twice was sent there, and `check` said nothing.
//! The number's place is judged as the import judges it
//! ([`crate::import::contact::Use::Service`]: the answer's sentence that
//! gives it, or the row's question, names a party, events, a "line", an
//! emergency). A number written in two answers or more, or once in a
//! plain or contact place, is taken to be the business's.

use super::greeting::setting_place;
use super::locate::SourceIndex;
use super::Finding;
use crate::error::Diagnostic;
use crate::import::contact::{mentions, Contact, Use};
use crate::kb::{KnowledgeBase, SETTINGS_FILE};
use crate::normalize::contact::{digits_ok, PHONE};

/// The digits of a phone number, to compare numbers written with other
/// spaces or dashes.
fn digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// One finding per phone number of `bot.ron`'s handoff that the answers
/// give exactly once, tied to one service: at that answer, with the
/// handoff's place in `bot.ron` as related.
pub fn run(kb: &KnowledgeBase, index: &SourceIndex<'_>) -> Vec<Finding> {
    let handoff = &kb.settings.handoff;
    let places = mentions(&kb.intents);
    let mut out = Vec::new();
    for m in PHONE.find_iter(handoff).filter(|m| digits_ok(m.as_str())) {
        let number = digits(m.as_str());
        let given: Vec<_> = places
            .iter()
            .filter(|p| digits(&p.number) == number)
            .collect();
        let [place] = given[..] else { continue };
        if place.used != Use::Service {
            continue;
        }
        let def = &kb.intents[place.intent];
        // The number itself within the answer (a label under the whole
        // answer ran to 230 characters: trial 56).
        let spot = index.value(place.intent, "answer", &place.number);
        let mut d = Diagnostic::warning(
            "handoff-service-number",
            format!(
                "{SETTINGS_FILE}'s handoff gives {}, which the answers give only once, for one \
                 service: `{}` ({:?}) says {:?}; every customer handed off (who asks for a \
                 person, or is not answered repeatedly) is sent to that line",
                place.number, def.id, def.title, place.sentence
            ),
        )
        .at(spot.location)
        .hint(format!(
            "put your general number in {SETTINGS_FILE}'s `handoff`; if this is it, say so in \
             an answer about contacting you (\"How do I contact you?\")"
        ));
        d.len = spot.len;
        if let Some(at) = setting_place(kb, "handoff") {
            d.related.push((
                at,
                format!("{SETTINGS_FILE}'s handoff: what a customer handed off is told"),
            ));
        }
        out.push(d.into());
    }
    out
}

/// The note `faqbot check` prints while `bot.ron`'s handoff gives the
/// phone number `faqbot import` guessed ([`Contact::unsure`]: numbers
/// written equally often, none in a row about contacting the business):
/// the import says so once, and a museum's owner in trial 49 went live
/// with its volunteering line, which `check` no longer mentioned. `None`
/// when the handoff gives another number (the owner chose), no number,
/// or the import was sure.
pub fn guess_note(kb: &KnowledgeBase) -> Option<String> {
    let contact = Contact::find(&kb.intents)?;
    let tie = contact.unsure.as_ref()?;
    let guess = digits(contact.phone.as_deref()?);
    PHONE
        .find_iter(&kb.settings.handoff)
        .any(|m| digits(m.as_str()) == guess)
        .then(|| {
            format!(
                "note: {SETTINGS_FILE}'s handoff gives {}, the import's guess among {} phone \
                 numbers your answers give equally often ({}); if it is not your general \
                 number, put that one in `handoff` (docs/authoring.md)",
                contact.phone.as_deref().unwrap_or_default(),
                tie.numbers.len(),
                tie.numbers.join(", ")
            )
        })
}
