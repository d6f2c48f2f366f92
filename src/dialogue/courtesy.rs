//! Greetings, thanks, goodbyes and closing phrases in a ranked turn: the
//! step of the policy that reads a message as what it says rather than as
//! a question once its ranking is decided (see the module doc of
//! [`super`], rule 5, and [`super::pleasantry`]). A method of
//! [`Policy`], split off to keep `mod.rs` readable.

use super::consent::Consent;
use super::pleasantry::{self, Closing, Pleasantry};
use super::{Decision, Policy};
use crate::reply::{RaisedBy, ReplyKind};
use crate::schema::IntentKind;

/// What the step reads of the turn.
pub(super) struct TurnText<'a> {
    /// The sanitised input, trimmed.
    pub trimmed: &'a str,
    /// A leading greeting was cut off before ranking.
    pub greeted: bool,
    /// The question's folded text when a contextual reading replaced its
    /// analysis (else the decision's analysis holds it).
    pub question_folded: Option<&'a str>,
    /// Content words of the question as ranked alone.
    pub content: usize,
    /// The message asks for a person (and no handoff intent answers it).
    pub person: bool,
}

/// The turn's verdict, which the step may change.
pub(super) struct Outcome {
    pub kind: ReplyKind,
    /// The intents of the reply (the answer, or the choices).
    pub picked: Vec<usize>,
    /// A bare yes or no to play.
    pub consent: Option<Consent>,
    /// The confidence of the reply, 0.0..=1.0.
    pub top_conf: f32,
    /// The rule that set `top_conf` to the threshold, if one did (cleared
    /// when this step sets it to 1.0).
    pub raised_by: Option<RaisedBy>,
}

impl Policy<'_> {
    /// The pleasantry the bot answers itself and the closing phrase the
    /// message is, if any, with `o` changed to match; `decision.reason`
    /// says why when traced.
    pub(super) fn courtesy(
        &self,
        t: &TurnText<'_>,
        o: &mut Outcome,
        decision: &mut Decision,
    ) -> (Option<Pleasantry>, Option<Closing>) {
        let of_message = || match t.greeted {
            // The question is the trimmed input: its folded text is known.
            false => pleasantry::of_folded(
                t.trimmed,
                t.question_folded.unwrap_or(&decision.analysis.folded),
            ),
            true => pleasantry::of(t.trimmed),
        };
        // A pleasantry that the knowledge base's own small talk answers but
        // whose words it does not list ("danke", "merci" in the bundled
        // MINI knowledge base, whose thanks intent is English): that
        // intent's answer, not a fallback.
        let mut own_small_talk = None;
        let mut pleasantry = match o.kind {
            // The message is read once: a fallback that is no pleasantry
            // (most of them) costs one pass of the patterns.
            ReplyKind::Fallback => match of_message() {
                Some(p) if !self.kinds.answers(p) => Some(p),
                Some(p) => {
                    if let Some(i) = self.kinds.intent(p) {
                        o.kind = ReplyKind::Answer;
                        o.picked = vec![i];
                        own_small_talk = Some("a fallback");
                    }
                    None
                }
                None => None,
            },
            // A whole message of small talk ("help", "good morning") with at
            // most one content word is not an FAQ question even where an
            // entry's words match it ("My dog is nervous. Can you help?"),
            // unless it is one of the entry's examples exactly; nor is it
            // another small-talk intent's ("bye" ranking the greeting). Nor
            // is one of only thanks or goodbye words and politeness ("ok
            // great thanks", `pleasantry::words`), however many. Thanks or
            // a goodbye that ranked an FAQ entry ("ok thanks" → an example
            // with "ok") gets the knowledge base's own small talk for it.
            ReplyKind::Answer | ReplyKind::Clarify
                if !decision
                    .ranking
                    .first()
                    .is_some_and(|r| r.evidence.is_exact())
                    && (t.content <= 1
                        || pleasantry::words::of_words(
                            t.question_folded.unwrap_or(&decision.analysis.folded),
                        )
                        .is_some()) =>
            {
                let faq_top = o
                    .picked
                    .first()
                    .is_some_and(|&i| self.kb.intents[i].kind == IntentKind::Faq);
                let p = (self.kinds.pleasantries != [true; 3] || faq_top)
                    .then(of_message)
                    .flatten();
                match p {
                    Some(p) if !self.kinds.answers(p) => {
                        o.kind = ReplyKind::Fallback;
                        o.picked.clear();
                        Some(p)
                    }
                    Some(p @ (Pleasantry::Thanks | Pleasantry::Goodbye)) if faq_top => {
                        if let Some(i) = self.kinds.intent(p) {
                            o.kind = ReplyKind::Answer;
                            o.picked = vec![i];
                            own_small_talk = Some("an FAQ entry");
                        }
                        None
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if own_small_talk.is_some() {
            o.top_conf = 1.0;
            o.raised_by = None;
        }
        if let (true, Some(instead)) = (self.trace, own_small_talk) {
            decision.reason = format!(
                "a greeting, thanks or goodbye (the bundled small talk's patterns) that `{}` \
                 answers: its answer, not {instead} (ranked: {})",
                o.picked
                    .first()
                    .map_or("", |&i| self.kb.intents[i].id.as_str()),
                decision.reason
            );
        }
        // A closing phrase ("never mind", "exit", "end chat", "no that's
        // it") as a whole message: what it says, whatever the ranking
        // (the context reading of "never mind" repeated the answer before;
        // "end chat" answered `about_bot`), unless an FAQ intent has it as
        // an example exactly.
        let closing = (!t.person)
            .then(|| pleasantry::closing(t.question_folded.unwrap_or(&decision.analysis.folded)))
            .flatten()
            .filter(|c| {
                let exact = decision.ranking.first().is_some_and(|r| {
                    r.evidence.is_exact() && self.kb.intents[r.intent].kind == IntentKind::Faq
                });
                // "that's it" that the knowledge base's goodbye answers.
                let goodbye = self.kinds.intent(Pleasantry::Goodbye);
                let answered = *c == Closing::Goodbye
                    && o.kind == ReplyKind::Answer
                    && goodbye.is_some()
                    && o.picked.first() == goodbye.as_ref();
                !exact && !answered
            });
        match closing {
            Some(Closing::Declined) => {
                o.kind = ReplyKind::Fallback;
                o.picked.clear();
                pleasantry = None;
                o.consent = Some(Consent::No);
            }
            Some(Closing::Goodbye) => {
                match self.kinds.intent(Pleasantry::Goodbye) {
                    // The knowledge base's own goodbye.
                    Some(g) => {
                        o.kind = ReplyKind::Answer;
                        o.picked = vec![g];
                        pleasantry = None;
                        o.top_conf = 1.0;
                        o.raised_by = None;
                    }
                    None => {
                        o.kind = ReplyKind::Fallback;
                        o.picked.clear();
                        pleasantry = Some(Pleasantry::Goodbye);
                    }
                }
            }
            None => {}
        }
        (pleasantry, closing)
    }

    /// `decision.reason` for a turn read as closing phrase `c`, around the
    /// ranking's own reason `ranked`.
    pub(super) fn closing_reason(c: Closing, ranked: &str) -> String {
        format!(
            "a closing phrase ({}): {}, not a question (ranked: {ranked})",
            match c {
                Closing::Goodbye => "a goodbye: \"exit\", \"end chat\", \"that's it\"",
                Closing::Declined => "\"never mind\", \"forget it\"",
            },
            match c {
                Closing::Goodbye => "the goodbye",
                Closing::Declined => "answered as a no",
            },
        )
    }
}
