//! Rule 2, choices: a turn that picks one of the choices on offer (by
//! number, number word, ordinal or title), says yes or no to them (or
//! "none of these", "both"), or names a number with nothing on offer.
//! Read before the question is ranked.

use super::choice::{self, AboutAll};
use super::consent::{self, Consent};
use super::{Policy, Route};
use crate::reply::Reply;
use crate::session::Session;

impl Policy<'_> {
    /// The reply to a turn read as a choice, with its route and the reason
    /// (shown by `/why`); `None` when the turn is a question to rank.
    pub(super) fn read_choice(
        &self,
        session: &mut Session,
        input: &str,
        trimmed: &str,
    ) -> Option<(Reply, Route, String)> {
        // A number picks one of the choices on offer. One that was not
        // offered repeats them; with nothing on offer (a new conversation,
        // or one whose session expired while its choices were on screen)
        // it offers the popular topics: read as a question, "1" got a
        // fallback from whatever word evidence the digit had.
        // A number of more than six digits ("4294967296") while choices
        // are on offer is no choice either, and gets the same reply as
        // "12"; with nothing on offer it is read as a question (a phone
        // or order number pasted on its own).
        // A number word ("two", "option three") only while choices are on
        // offer, and before the titles are read: "one" picks choice 1 even
        // when another title has the word "one" in it.
        // `parse_choice` and `long_number` from one reading of the digits.
        let (choice, long) = match choice::typed_number(trimmed) {
            Some(Ok(n)) => (Some(n), None),
            Some(Err(digits)) => (None, Some(digits)),
            None => (None, None),
        };
        let number = choice
            .or_else(|| {
                (!session.offered.is_empty())
                    .then(|| choice::parse_number_word(trimmed))
                    .flatten()
            })
            .map(|n| (n, n.to_string()))
            .or_else(|| {
                long.filter(|_| !session.offered.is_empty())
                    .map(|digits| (usize::MAX, digits))
            });
        if let Some((n, shown)) = number {
            // Numbered as the user saw them: a choice whose intent a reload
            // removed is no choice, and the others keep their numbers.
            let numbered = choice::offered_numbered(self.kb, session);
            if let Some(&Some(i)) = n.checked_sub(1).and_then(|k| numbered.get(k)) {
                let reason = format!("picked choice {n} of {}", numbered.len());
                return Some(self.picked(input, i, session, Route::Number, reason));
            }
            let gone = n >= 1 && n <= numbered.len();
            let offered = choice::offered(self.kb, session);
            let texts = &self.kb.settings.texts;
            let (lead, offer, note) = if offered.is_empty() {
                let r = self.replies();
                (
                    r.popular_lead(),
                    r.popular_topics(),
                    " (nothing is on offer)",
                )
            } else {
                (texts.pick.clone(), offered, "")
            };
            let note = if gone {
                " (its intent is no longer in the knowledge base)"
            } else {
                note
            };
            let reply = self.replies().fallback_reply(
                input,
                (&texts.no_choice.replace("{n}", &shown), &lead),
                offer,
                0.0,
                &[],
                session,
                false,
            );
            return Some((
                reply,
                Route::Number,
                format!("choice {shown} was not offered{note}"),
            ));
        }
        // "none of these" with nothing on offer, right after an answer: a
        // no to that answer, as to choices (trial 30: it was a fallback
        // that counted towards the handoff).
        if session.offered.is_empty() && session.last_intent.is_some() {
            let folded = choice::short_folded(self.matcher.normalizer(), trimmed);
            if folded.as_deref().and_then(choice::about_all) == Some(AboutAll::None) {
                let reply = self.replies().decline_reply(input, session);
                // The topic is closed: the next message is not read with it.
                session.last_intent = None;
                session.last_utterance = None;
                let reason = "\"none of these\" right after an answer, with nothing on offer: a no to that answer";
                return Some((reply, Route::Offer, reason.to_string()));
            }
        }
        // An ordinal ("the first one", "the last one") with nothing on
        // offer names no choice: asked to say more, with the popular
        // topics, and no miss (trial 30: read as a question, "the first
        // one" got "Sorry, I don't know" and rows sharing the word "one").
        if session.offered.is_empty() && choice::may_name_ordinal(trimmed) {
            let folded = choice::short_folded(self.matcher.normalizer(), trimmed);
            let ordinal = folded
                .as_deref()
                .and_then(|f| choice::parse_ordinal(f, choice::MAX_OFFERED));
            if ordinal.is_some() {
                let r = self.replies();
                let texts = &self.kb.settings.texts;
                let reply = r.fallback_reply(
                    input,
                    (&texts.say_more, &r.popular_lead()),
                    r.popular_topics(),
                    0.0,
                    &[],
                    session,
                    false,
                );
                let reason = "an ordinal (\"the first one\") with nothing on offer names no choice: asked to say more";
                return Some((reply, Route::Number, reason.to_string()));
            }
        }
        if !session.offered.is_empty() {
            let numbered = choice::offered_numbered(self.kb, session);
            let offered = choice::offered(self.kb, session);
            let norm = self.matcher.normalizer();
            let folded = choice::short_folded(norm, trimmed);
            let folded = folded.as_deref();
            if let Some(n) = folded.and_then(|f| choice::parse_ordinal(f, numbered.len())) {
                if let Some(i) = numbered[n - 1] {
                    let reason = format!("picked choice {n} of {} by its ordinal", numbered.len());
                    return Some(self.picked(input, i, session, Route::Number, reason));
                }
            }
            // "none of these", "neither": a no to every choice; "both",
            // "the other one": no one choice named, so they are offered
            // again (asked which), not matched as a title word ("one").
            if let Some(about) = folded.and_then(choice::about_all) {
                let r = self.replies();
                let (reply, reason) = match about {
                    AboutAll::None => (r.decline_reply(input, session), "none of the choices"),
                    AboutAll::NotOne => (
                        r.which_reply(input, &offered, session),
                        "no one choice named (\"both\", \"the other one\"): asked which",
                    ),
                };
                return Some((reply, Route::Offer, reason.to_string()));
            }
            if let Some(i) = choice::match_title(self.kb, norm, &offered, trimmed) {
                let reason = "text matches an offered title".to_string();
                return Some(self.picked(input, i, session, Route::Title, reason));
            }
            if let Some(consent) = folded.and_then(consent::consent_of_folded) {
                let r = self.replies();
                let (reply, reason) = match (consent, offered.as_slice()) {
                    (Consent::Yes, &[i]) => (
                        r.answer_reply(input, i, 1.0, &[], session, None, None),
                        "yes to the one offer",
                    ),
                    (Consent::Yes, _) => (
                        r.which_reply(input, &offered, session),
                        "yes to several offers: asked which",
                    ),
                    (Consent::No, _) => (r.decline_reply(input, session), "no to the offer"),
                };
                return Some((reply, Route::Offer, reason.to_string()));
            }
        }

        None
    }

    /// The answer of the offered intent `i` the user picked (confidence
    /// 1.0), with its route and reason.
    fn picked(
        &self,
        input: &str,
        i: usize,
        session: &mut Session,
        route: Route,
        reason: String,
    ) -> (Reply, Route, String) {
        let reply = self
            .replies()
            .answer_reply(input, i, 1.0, &[], session, None, None);
        (reply, route, reason)
    }
}
