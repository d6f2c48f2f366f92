//! The bot's own replies, which no FAQ entry's answer gives: a short
//! reply to a bare yes or no, the handoff text (a request for a person or
//! for contact details), the reply to a pleasantry, and the reply to empty
//! input.

use super::{no_answer, Replies};
use crate::dialogue::pleasantry::Pleasantry;
use crate::matcher::Scored;
use crate::reply::{Reply, ReplyKind};
use crate::session::Session;

impl Replies<'_> {
    /// `text` as a short reply of the bot's own (to a bare yes or no with
    /// nothing on offer): an answer without an intent, confidence 1.0,
    /// neither a fallback (it does not count towards the handoff) nor a
    /// miss.
    pub fn short_reply(&self, input: &str, text: &str, session: &mut Session) -> Reply {
        session.offered.clear();
        no_answer(
            input,
            ReplyKind::Answer,
            1.0,
            text.to_string(),
            Vec::new(),
            Vec::new(),
        )
    }

    /// A short, polite reply to a "no" to an offer: an answer without an
    /// intent, neither a fallback (it does not count towards the handoff)
    /// nor a miss. The offers are withdrawn.
    pub fn decline_reply(&self, input: &str, session: &mut Session) -> Reply {
        self.short_reply(input, &self.kb.settings.texts.declined, session)
    }

    /// [`Replies::decline_reply`] to a bare "no" right after an answer,
    /// with `others` (other FAQ intents for the question that answer was
    /// for, best first) offered under `texts.might_help`: the "no" may say
    /// the answer was not what was asked (trial 63: "want to buy my dad a
    /// valet as a birthday present" got how long a valet takes, and "no"
    /// only "anything else?", a dead end). Without `others`, the decline
    /// alone. Not a fallback, not a miss.
    pub fn decline_after_answer(
        &self,
        input: &str,
        others: &[usize],
        session: &mut Session,
    ) -> Reply {
        if others.is_empty() {
            return self.decline_reply(input, session);
        }
        let texts = &self.kb.settings.texts;
        let head = format!("{}\n\n{}", texts.declined, texts.might_help);
        let (text, suggestions) = self.numbered(head, others);
        session.offered = suggestions.iter().map(|s| s.intent.clone()).collect();
        no_answer(input, ReplyKind::Answer, 1.0, text, suggestions, Vec::new())
    }

    /// The reply to a request for a person in a knowledge base without a
    /// handoff intent: `bot.ron`'s `handoff` text, kind `handoff`, no
    /// intent, confidence 1.0; the fallback count starts again.
    pub fn handoff_reply(&self, input: &str, session: &mut Session) -> Reply {
        session.offered.clear();
        session.fallbacks_in_row = 0;
        no_answer(
            input,
            ReplyKind::Handoff,
            1.0,
            self.kb.settings.handoff.clone(),
            Vec::new(),
            Vec::new(),
        )
    }

    /// The reply to a request for contact details no FAQ entry answers
    /// ([`crate::dialogue::pleasantry::asks_for_contact_folded`]): the
    /// [`Replies::handoff_reply`], with the ranking's intents as its
    /// alternatives (what the message came closest to).
    pub fn contact_reply(&self, input: &str, ranking: &[Scored], session: &mut Session) -> Reply {
        let mut reply = self.handoff_reply(input, session);
        reply.alternatives = self.alternatives(ranking, None);
        reply
    }

    /// The reply to a pleasantry no small-talk intent answers
    /// (see [`crate::dialogue::pleasantry`]): the bot's `greeting` and the popular
    /// topics, `texts.welcome` for thanks, `texts.farewell` for goodbyes
    /// (both were `texts.declined`, "All right. Is there anything else…?",
    /// which reads as the answer to a "no"). Kind `answer`
    /// without an intent (as the reply to a "no"), confidence 1.0; not a
    /// fallback, so it does not count towards the handoff.
    pub fn pleasantry_reply(&self, input: &str, kind: Pleasantry, session: &mut Session) -> Reply {
        let s = &self.kb.settings;
        let (head, offer) = match kind {
            Pleasantry::Greeting => {
                let offer = self.popular_topics();
                let head = if offer.is_empty() {
                    s.greeting.clone()
                } else {
                    format!("{}\n\n{}", s.greeting, self.popular_lead())
                };
                (head, offer)
            }
            Pleasantry::Thanks => (s.texts.welcome.clone(), Vec::new()),
            Pleasantry::Goodbye => (s.texts.farewell.clone(), Vec::new()),
        };
        let (text, suggestions) = self.numbered(head, &offer);
        session.offered = suggestions.iter().map(|s| s.intent.clone()).collect();
        no_answer(input, ReplyKind::Answer, 1.0, text, suggestions, Vec::new())
    }

    /// The reply to empty input: `texts.empty` (`bot.ron`'s `fallback` for
    /// a message of only `symbols` or emoji), then the choices still on
    /// offer (`offered`, under `texts.or_pick`) or else the popular topics.
    /// Not a fallback that counts towards the handoff.
    pub fn empty_reply(
        &self,
        input: &str,
        offered: Vec<usize>,
        session: &mut Session,
        symbols: bool,
    ) -> Reply {
        let texts = &self.kb.settings.texts;
        let message = if symbols {
            &self.kb.settings.fallback
        } else {
            &texts.empty
        };
        let popular = self.popular_lead();
        let (lead, offer) = if offered.is_empty() {
            (&popular, self.popular_topics())
        } else {
            (&texts.or_pick, offered)
        };
        self.fallback_reply(input, (message, lead), offer, 0.0, &[], session, false)
    }
}
