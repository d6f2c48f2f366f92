//! Playing the verdict: the reply for a ranked turn once its kind is
//! decided (rule 5's answer, clarification or fallback, and the replies of
//! the bot's own that stand in for a fallback: a request for a person, a
//! pleasantry, a bare yes or no, "say more" right after an answer, and a
//! message in another language).

use super::consent::Consent;
use super::pleasantry::Pleasantry;
use super::verdict::{NEAR_FILL, SUGGEST};
use super::{also, context, language, property, Decision, Policy, Route};
use crate::matcher::Scored;
use crate::reply::{RaisedBy, Reply, ReplyKind};
use crate::schema::IntentKind;
use crate::session::Session;

/// What the reply to one ranked turn is made from, beside its verdict.
pub(super) struct Turn<'t> {
    /// The sanitised input.
    pub input: &'t str,
    /// The question ranked (the input without a leading greeting); for an
    /// answer given again because it states what was asked (`property::states`),
    /// the question that led to it: the session keeps it for the next follow-up.
    pub question: &'t str,
    /// The message asks for a person and no handoff intent answers that.
    pub person: bool,
    /// The FAQ intent answered last in the session, if any.
    pub last: Option<usize>,
    /// The message has no content word.
    pub contentless: bool,
    /// The message's only content words are negations.
    pub negations_only: bool,
    /// A bare yes or no with nothing on offer, for a turn that falls back.
    pub consent: Option<Consent>,
    /// The top's confidence, 0.0..=1.0 (0.0 when nothing ranks).
    pub top_conf: f32,
    /// The rule that set `top_conf` to the threshold, if one did: the
    /// `raised_by` of a reply whose confidence is `top_conf`.
    pub raised_by: Option<RaisedBy>,
    /// The out-of-scope intent that won the verdict, if it did.
    pub out_of_scope: Option<usize>,
    /// The verdict is a near tie below the threshold (`Why::NearTie`):
    /// a fallback that does not count towards the handoff.
    pub near_tie: bool,
    /// What the reply before offered as suggestions when it answered
    /// nothing and nothing was answered before it (a fallback, counted or
    /// a near tie's, or a clarification; not the popular topics); empty
    /// otherwise.
    pub offered_before: &'t [usize],
}

impl Policy<'_> {
    /// The reply of kind `kind` (the verdict's, involving `picked`) to
    /// `turn`, recording why in `decision.reason` when traced.
    pub(super) fn play(
        &self,
        turn: &Turn<'_>,
        kind: ReplyKind,
        picked: Vec<usize>,
        pleasantry: Option<Pleasantry>,
        decision: &mut Decision,
        session: &mut Session,
    ) -> Reply {
        let Turn {
            input,
            question,
            person,
            last,
            contentless,
            negations_only,
            consent,
            top_conf,
            raised_by,
            out_of_scope,
            near_tie,
            offered_before,
        } = *turn;
        let trace = self.trace;
        let s = &self.kb.settings;
        match (kind, pleasantry) {
            // An explicit request for a person wins over any FAQ entry.
            _ if person => {
                if trace {
                    decision.reason = "asks for a person, and the knowledge base has no handoff intent: bot.ron's handoff text".to_string();
                }
                self.replies().handoff_reply(input, session)
            }
            (ReplyKind::Answer | ReplyKind::Handoff, _) => {
                let also = (kind == ReplyKind::Answer
                    && self.kb.intents[picked[0]].kind == IntentKind::Faq)
                    .then(|| {
                        also::also_asked(
                            self.kb,
                            self.matcher,
                            &decision.analysis,
                            &decision.ranking,
                            s.threshold,
                        )
                    })
                    .flatten();
                if let (true, Some((a, p))) = (trace, also) {
                    decision.reason = format!(
                    "{}; `{}` offered first: the message may ask about it too (its own probability {p:.2} with the top left out)",
                    decision.reason, self.kb.intents[a].id
                );
                }
                let also = also.map(|(a, _)| a);
                let mut reply = self.replies().answer_reply(
                    input,
                    picked[0],
                    top_conf,
                    &decision.ranking,
                    session,
                    Some(question),
                    also,
                );
                reply.raised_by = raised_by;
                reply
            }
            (ReplyKind::Clarify, _) => {
                let mut reply = self.replies().clarify_reply(
                    input,
                    &picked,
                    top_conf,
                    &decision.ranking,
                    session,
                );
                reply.raised_by = raised_by;
                reply
            }
            // "ok" (approval alone, no thanks word): read as thanks by the
            // bundled patterns, but nothing was given to thank for; the
            // polite `texts.declined` ("All right. Is there anything else
            // I can help you with?") fits after any reply.
            (ReplyKind::Fallback, Some(Pleasantry::Thanks))
                if super::pleasantry::words::only_approval(&decision.analysis.folded) =>
            {
                if trace {
                    decision.reason = "an acknowledgement (\"ok\") that no small-talk intent answers: `texts.declined`, not counted as a fallback".to_string();
                }
                self.replies().decline_reply(input, session)
            }
            (ReplyKind::Fallback, Some(p)) => {
                if trace {
                    decision.reason = format!(
                    "{} that no small-talk intent answers: the bot's own text, not counted as a fallback",
                    match p {
                        Pleasantry::Greeting => "a greeting",
                        Pleasantry::Thanks => "thanks",
                        Pleasantry::Goodbye => "a goodbye",
                    }
                );
                }
                self.replies().pleasantry_reply(input, p, session)
            }
            // A bare "no" or "yes" with nothing on offer (after an answer
            // without follow-ups, whose reader may still be answering
            // "anything else?" or "was that clear?"): ranked as usual
            // (small talk may answer "that's all"), but a fallback becomes
            // the polite `texts.declined` ("All right. Is there anything
            // else...?") for a no and `texts.go_on` ("Sure, what would you
            // like to know?") for a yes, not a miss that brings the handoff
            // nearer (an owner's trial: "yes" after a good answer, then the
            // next question handed off).
            (ReplyKind::Fallback, None) if consent.is_some() => {
                let yes = consent == Some(Consent::Yes);
                if trace {
                    decision.reason = format!(
                        "a bare {} with nothing on offer: the reply to it, not a fallback ({})",
                        if yes { "yes" } else { "no" },
                        decision.reason
                    );
                }
                // A no once the topic is closed (after "thanks" and "is
                // there anything else?"): asking "anything else?" again
                // went in circles (a user trial); the conversation ends.
                // ("never mind" with choices on offer declines them.)
                let closing =
                    !yes && last.is_none() && session.turns >= 2 && session.offered.is_empty();
                let texts = &self.kb.settings.texts;
                if !yes && !closing {
                    let others = self.others_for_last(last, session);
                    return self.replies().decline_after_answer(input, &others, session);
                }
                let text = if yes { &texts.go_on } else { &texts.farewell };
                self.replies().short_reply(input, text, session)
            }
            // "What's your phone number?" that no FAQ entry answers, in a
            // knowledge base without a handoff intent whose handoff text
            // says how to reach the team (`pleasantry::asks_for_contact_folded`):
            // the FAQ entry that gives the contact details when one can be
            // told (`contact_row`), else the handoff text.
            (ReplyKind::Fallback, None) if self.gives_contact_for(input, &decision.analysis) => {
                if let Some(row) =
                    super::contact_row::contact_row(self.kb, &s.handoff, &decision.ranking)
                {
                    if trace {
                        decision.reason = format!(
                            "asks for contact details, and no FAQ entry answers ({}): `{}`, whose answer gives them, at the threshold",
                            decision.reason, self.kb.intents[row].id
                        );
                    }
                    let mut reply = self.replies().answer_reply(
                        input,
                        row,
                        s.threshold,
                        &decision.ranking,
                        session,
                        Some(question),
                        None,
                    );
                    reply.raised_by = Some(RaisedBy::ContactRow);
                    return reply;
                }
                if trace {
                    decision.reason = format!(
                        "asks for contact details, and no FAQ entry answers ({}): bot.ron's handoff text",
                        decision.reason
                    );
                }
                self.replies()
                    .contact_reply(input, &decision.ranking, session)
            }
            // Nothing of its own right after an answer ("how?", "what
            // else?"), or a short message referring back to it that no
            // reading answers ("how does that work exactly?"): about that
            // answer, but the bot cannot tell what; it asks, and offers
            // that answer and its follow-ups.
            (ReplyKind::Fallback, None)
                if last.is_some()
                    && (contentless
                        || last.is_some_and(|l| {
                            context::refers_back_to(self.kb, self.matcher, l, &decision.analysis)
                        })
                        || context::follows_on(&decision.analysis)
                        || negations_only) =>
            {
                let last = last.unwrap_or_default();
                // Its own words' near misses are offered first when it has
                // any ("how much deposit for that?" after the wedding
                // cakes: the deposit entry; trial 38); without any, its
                // own best-ranked entries (`own_candidates`).
                let weak = !(contentless || negations_only) && picked.is_empty();
                let near: Vec<usize> = if contentless || negations_only {
                    Vec::new()
                } else if weak {
                    self.own_candidates(&decision.ranking, last)
                } else {
                    picked
                };
                if trace {
                    let what = if contentless {
                        "no content word of its own"
                    } else if negations_only {
                        "no content word but a negation (\"why not?\")"
                    } else if context::refers_back_to(
                        self.kb,
                        self.matcher,
                        last,
                        &decision.analysis,
                    ) {
                        if decision.analysis.tokens.len() <= context::CONTEXT_MAX_WORDS {
                            "a short message referring back (it, that, this, ...) that no reading answers"
                        } else {
                            "a message referring back (it, that, this, ...) with a word of that answer, that no reading answers"
                        }
                    } else {
                        "a short follow-up (\"and ...\", \"what about ...\") that no reading answers"
                    };
                    let own = if near.is_empty() {
                        ""
                    } else if weak {
                        "its own best-ranked entries (no near miss), "
                    } else {
                        "its own near misses, "
                    };
                    decision.reason = format!(
                    "{what} right after the answer of `{}`: asked to say more, with {own}that answer and its follow-ups offered ({})",
                    self.kb.intents[last].id,
                    decision.reason
                );
                }
                let mut reply = self.replies().say_more_reply(
                    input,
                    last,
                    &near,
                    top_conf,
                    &decision.ranking,
                    session,
                );
                reply.raised_by = raised_by;
                reply
            }
            // "Does that cost extra?" right after a fallback that offered
            // choices: it names nothing but the property, so "that" is one
            // of those choices. Asked to say more, with them offered again
            // (then its own near misses), and no miss towards the handoff
            // (trial 50: "my old boy takes heart tablets every morning"
            // offered the medication entry first, and "does that cost
            // extra?" next was handed off, with the price list offered).
            (ReplyKind::Fallback, None)
                if last.is_none()
                    && !offered_before.is_empty()
                    && property::asks_about_it(&decision.analysis) =>
            {
                if trace {
                    decision.reason = format!(
                        "asks for a property (how much, how long, is it free) of what it refers to, \
                         right after a fallback that offered choices, and nothing answers it: asked \
                         to say more, with those choices offered again, not counted towards the \
                         handoff ({})",
                        decision.reason
                    );
                }
                let n = s.popular_topics.max(offered_before.len());
                let mut offer: Vec<usize> = offered_before.iter().copied().take(n).collect();
                for i in picked {
                    if offer.len() < n + 1 && !offer.contains(&i) {
                        offer.push(i);
                    }
                }
                let texts = &s.texts;
                let head = (texts.say_more.as_str(), texts.near_miss.as_str());
                let mut reply = self.replies().fallback_reply(
                    input,
                    head,
                    offer,
                    top_conf,
                    &decision.ranking,
                    session,
                    false,
                );
                reply.raised_by = raised_by;
                reply
            }
            (ReplyKind::Fallback, None) => {
                let (lead, offer) = self.replies().fallback_offer(picked, &decision.ranking);
                let s = &self.kb.settings;
                // The author's own answer of a winning out-of-scope intent is
                // a confident reply, not a miss: it does not count towards
                // the handoff (a second such question in a row handed the
                // customer to support for something the business does not do).
                // Nor does a near tie's "Did you mean": two candidates as
                // close as a clarification's are a way on, not a miss that
                // brings the handoff nearer (a user trial: "is the app
                // free", then "how do I charge" handed off). It does not
                // end a run of misses either.
                let mut counts = !near_tie;
                let text = if s.is_english()
                    && decision.route == Route::Ranked
                    && language::not_english(&decision.analysis)
                {
                    if trace {
                        decision.reason = format!(
                        "{}; most words are neither the knowledge base's nor English: told the bot answers in English",
                        decision.reason
                    );
                    }
                    s.texts.english_only.clone()
                } else if let Some(text) =
                    out_of_scope.and_then(|i| self.kb.intents[i].out_of_scope_reply())
                {
                    // The author's own word for what the bot does not do
                    // ("Sorry, we don't sell dog food.").
                    counts = false;
                    // Still no answer to build on: the next short message
                    // is not read with the question before. A confident
                    // reply ends a run of misses, as an answer does.
                    session.last_intent = None;
                    session.last_utterance = None;
                    session.fallbacks_in_row = 0;
                    if trace {
                        decision.reason = format!(
                            "{}; its own answer is shown, not counted as a fallback",
                            decision.reason
                        );
                    }
                    text.to_string()
                } else {
                    s.fallback.clone()
                };
                let mut reply = self.replies().fallback_reply(
                    input,
                    (&text, &lead),
                    offer,
                    top_conf,
                    &decision.ranking,
                    session,
                    counts,
                );
                reply.raised_by = raised_by;
                reply
            }
        }
    }

    /// The FAQ intents of a message's own `ranking` offered before the
    /// answer of `last` when it is asked to say more and has no near miss
    /// ([`super::NEAR_MISS`]): those a fallback would suggest (at or above
    /// [`SUGGEST`] × the threshold) and at [`NEAR_FILL`] of the top's
    /// confidence or more, best first, but `last`; at most
    /// `popular_topics` − 1 of them (at least one), so that answer stays
    /// among the choices. Trial 50: "and if he gets poorly?" after the
    /// medication answer ranked the "pet gets ill" entry first at 0.28
    /// (below 0.6 × 0.65), and only the medication answer was offered.
    fn own_candidates(&self, ranking: &[Scored], last: usize) -> Vec<usize> {
        let s = &self.kb.settings;
        let top = ranking.first().map_or(0.0, |r| r.confidence);
        let bar = (SUGGEST * s.threshold).max(NEAR_FILL * top);
        ranking
            .iter()
            .filter(|r| {
                r.intent != last
                    && r.confidence >= bar
                    && self.kb.intents[r.intent].kind == IntentKind::Faq
            })
            .map(|r| r.intent)
            .take(s.popular_topics.saturating_sub(1).max(1))
            .collect()
    }
}

impl Policy<'_> {
    /// Other FAQ intents for the question the last answer was for
    /// (`session.last_utterance`, ranked again, lexically): at most three
    /// that reach [`SUGGEST`] × the threshold (the bar of a fallback's
    /// suggestions), best first, `last` (the intent answered) left out.
    /// Empty without a last answer.
    fn others_for_last(&self, last: Option<usize>, session: &Session) -> Vec<usize> {
        let (Some(last), Some(question)) = (last, session.last_utterance.as_deref()) else {
            return Vec::new();
        };
        let floor = SUGGEST * self.kb.settings.threshold;
        self.matcher
            .rank(question, 8)
            .into_iter()
            .filter(|s| {
                s.intent != last
                    && self.kb.intents[s.intent].kind == IntentKind::Faq
                    && s.confidence >= floor
            })
            .take(3)
            .map(|s| s.intent)
            .collect()
    }
}
