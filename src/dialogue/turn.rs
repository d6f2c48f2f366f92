//! A ranked turn of the policy, before its reply is played: the message
//! read and ranked ([`Policy::read`]: without a greeting or an
//! acknowledgement before the question, with the semantic stage and the
//! contextual reading, rule 4 of [`super`]), the verdict and the
//! dialogue's rules on top of it ([`Policy::rules`]: rule 5's
//! clarifications of a vague or split message, an out-of-scope example
//! contained whole, "how much is that?" after an answer, a follow-up the
//! last answer covers) and why, in one sentence ([`Policy::reason`]).
//! Methods of [`Policy`], split off to keep `mod.rs` readable.

use super::verdict::Why;
use super::{context, pleasantry, property, split, vague, Decision, Policy, Route};
use crate::reply::ReplyKind;
use crate::schema::IntentKind;
use crate::semantic::Fused;
use crate::session::Session;

/// What [`Policy::read`] read of a message.
pub(super) struct Read<'t> {
    /// The question as ranked: the trimmed message without a leading
    /// greeting or acknowledgement.
    pub question: &'t str,
    /// A leading greeting was cut off ("hi there, do you have parking").
    pub greeted: bool,
    /// A leading acknowledgement was cut off ("ok and how long ...").
    pub acknowledged: bool,
    /// The message asks for a person (and no handoff intent answers it).
    pub person: bool,
    /// Content words of the question as ranked alone.
    pub content: usize,
    /// The question's folded text when a contextual reading replaced its
    /// analysis (else the decision's analysis holds it).
    pub question_folded: Option<String>,
    /// No content word at all ("what is your"): no FAQ entry is ranked.
    pub contentless: bool,
    /// Only negations as content words ("why not?"): likewise.
    pub negations_only: bool,
}

/// The verdict of a ranked turn after the dialogue's rules.
pub(super) struct Verdict {
    pub kind: ReplyKind,
    /// The intents of the reply (the answer, or the choices).
    pub picked: Vec<usize>,
    pub why: Why,
    /// The answer just given states what the message asks of it ("how
    /// much is that?"): given again (`property::states`).
    pub restated: bool,
    /// Given again, restated or a follow-up nothing else answers whose
    /// words the answer just given has (`context::continues`).
    pub continued: bool,
    /// The one choice the reply before offered that states what the
    /// message asks of "that" (`property::offered_states`): answered.
    pub chosen: bool,
    /// A property question referring back to the answer just given that
    /// the message's own answer states of its topic and that answer does
    /// not (`property::answers_it`): the own answer kept, no clarification.
    pub own_kept: bool,
}

impl Policy<'_> {
    /// Ranks the message (`trimmed`: sanitised, trimmed, with a letter or
    /// digit): the lexical stages, the semantic stage when they are unsure,
    /// then the contextual reading. `Err(())` when the semantic stage
    /// needs the embedding and the policy defers it.
    pub(super) fn read<'t>(
        &self,
        session: &Session,
        trimmed: &'t str,
    ) -> Result<(Read<'t>, Decision), ()> {
        let engine = self.engine;
        // "hi there, do you have parking": the question is ranked without
        // the greeting (see `pleasantry::after_greeting`).
        let greeted = pleasantry::after_greeting(trimmed);
        let question = greeted.unwrap_or(trimmed);
        // "ok and how long does that take?": likewise without the
        // acknowledgement (see `pleasantry::after_acknowledgement`).
        let acknowledged = pleasantry::after_acknowledgement(question);
        let question = acknowledged.unwrap_or(question);
        let analysis = self.matcher.analyze(question);
        // The analysis holds the question folded: the pleasantry checks
        // below read it instead of folding the question again.
        let person =
            !self.kinds.handoff && pleasantry::asks_for_person_folded(question, &analysis.folded);
        let mut ranking = self.matcher.rank_for_decision(&analysis, 5);
        // The semantic stage, when on and the lexical stages are unsure;
        // for one content word only when they fall back (`runs_for`:
        // "charging" stays a clarification).
        let content = analysis
            .tokens
            .iter()
            .filter(|t| t.current_content())
            .count();
        let (threshold, margin) = (self.kb.settings.threshold, self.kb.settings.margin);
        let falls_back = || self.verdict_at(&ranking, threshold, margin).0 == ReplyKind::Fallback;
        let semantic = if crate::semantic::runs_for(content, falls_back) {
            // "is that number open at night?" right after an answer: about
            // that answer, so no fusion rule raises another intent. Read
            // only when the stage is on: without a model this turn is the
            // lexical hot path, and nothing would use it.
            let refers_to = session
                .last_intent
                .as_deref()
                .filter(|_| self.semantic.is_on() && context::points_back(&analysis))
                .and_then(|id| self.kb.index_of(id));
            match self.semantic.fuse(
                question,
                &analysis,
                &mut ranking,
                5,
                threshold,
                margin,
                self.embedding,
                refers_to,
            ) {
                Fused::Done(trace) => self.semantic.is_on().then_some(trace),
                Fused::Needed => return Err(()),
            }
        } else {
            self.semantic
                .is_on()
                .then(|| crate::semantic::SemanticTrace {
                    ran: false,
                    note: format!(
                        "fewer than {} content words, and the lexical stages do not fall back",
                        crate::semantic::MIN_CONTENT_WORDS
                    ),
                    raised: None,
                    parts: Vec::new(),
                    candidates: Vec::new(),
                })
        };
        let mut decision = Decision {
            engine,
            analysis,
            ranking,
            route: Route::Ranked,
            reason: String::new(),
            semantic,
        };
        let (a, r) = (&decision.analysis, &decision.ranking);
        // The question's folded text, when a contextual reading replaces
        // its analysis.
        let mut question_folded = None;
        if let Some((analysis, ranking)) = context::reread(self.kb, self.matcher, session, a, r) {
            question_folded = Some(std::mem::take(&mut decision.analysis.folded));
            decision = Decision {
                engine,
                analysis,
                ranking,
                route: Route::Context,
                reason: String::new(),
                semantic: None,
            };
        }

        // A message without any content word ("what is your", "ok so") is
        // never answered with an FAQ entry; small talk still may be.
        let contentless = decision.route == Route::Ranked
            && !decision.analysis.tokens.iter().any(|t| t.current_content());
        // Nor is one whose only content words are negations ("why not?",
        // "not really"): "not" alone names no topic (it ranked an FAQ
        // entry from an example with "not", and clarified between two).
        let negations_only =
            decision.route == Route::Ranked && context::only_negations(&decision.analysis);
        // Unless the message is exactly one of the intent's examples, or
        // one of its patterns matches: the author wrote "where are you"
        // for the location entry, and customers type it (two trials'
        // sheets: `faqbot check` warned, and an author has no content word
        // to add that customers would type); `faqbot import` gives a
        // sheet's location row patterns for it (`import::location`).
        if contentless || negations_only {
            let kb = self.kb;
            decision.ranking.retain(|r| {
                kb.intents[r.intent].kind != IntentKind::Faq
                    || r.evidence.is_exact()
                    || r.evidence.pattern.is_some()
            });
        }
        let read = Read {
            question,
            greeted: greeted.is_some(),
            acknowledged: acknowledged.is_some(),
            person,
            content,
            question_folded,
            contentless,
            negations_only,
        };
        Ok((read, decision))
    }

    /// The verdict on the decision's ranking at `bot.ron`'s threshold and
    /// margin, and the dialogue's rules on top of it; `last` is the FAQ
    /// intent answered last, `offered` the intents the reply before offered
    /// as suggestions (not the popular topics), `fell_back` whether that
    /// reply was a fallback (one of a row). May set the decision's
    /// route to [`Route::Context`] (an answer that depends on the turn
    /// before).
    pub(super) fn rules(
        &self,
        decision: &mut Decision,
        last: Option<usize>,
        offered: &[usize],
        fell_back: bool,
    ) -> Verdict {
        let s = &self.kb.settings;
        let (mut kind, mut picked, mut why) =
            self.verdict_at(&decision.ranking, s.threshold, s.margin);
        // One or two words several intents' phrasings share: ask which.
        if kind == ReplyKind::Answer && decision.route == Route::Ranked {
            if let Some(spread) =
                vague::spread(self.kb, self.matcher, &decision.analysis, &decision.ranking)
            {
                kind = ReplyKind::Clarify;
                picked = spread.choices();
                why = Why::Vague(spread);
            } else if let Some(split) =
                split::split(self.kb, self.matcher, &decision.analysis, &decision.ranking)
            {
                // Two or three words of two intents' topics: ask which.
                kind = ReplyKind::Clarify;
                picked = split.choices();
                why = Why::Split(split);
            }
        }
        // The message asks something the top only seems to answer (an
        // out-of-scope example whole, a thing no row mentions, the other
        // side of a trade): the top is offered, not answered
        // (`offered_top`).
        if kind == ReplyKind::Answer && decision.route == Route::Ranked {
            if let Some(reason) = self.top_offered(decision) {
                kind = ReplyKind::Fallback;
                picked = vec![decision.ranking[0].intent];
                why = reason;
            }
        }
        // "How much is that?" right after a clarification ("How much is an
        // MOT? / How do I book an MOT?"): the one choice whose answer
        // states a price (`property::offered_states`).
        let chosen = (!fell_back)
            .then(|| property::offered_states(self.kb, &decision.analysis, last, offered))
            .flatten();
        if let Some(i) = chosen {
            kind = ReplyKind::Answer;
            picked = vec![i];
            why = Why::OfferedStates(i);
            decision.route = Route::Context;
        }
        let chosen = chosen.is_some();
        // "How much is that?" right after an answer that states its price
        // ("A 30-minute visit costs £14"): that answer again
        // (`property::states`), whatever the message's own reading gave.
        // Unless the message's own answer states it of that topic too
        // ("and how long does that take" after the screen prices: the
        // repair times, `property::answers_it`).
        let own_answers = |kind: ReplyKind, picked: &[usize], l: usize| {
            kind == ReplyKind::Answer
                && picked.first().is_some_and(|&top| {
                    top != l
                        && property::answers_it(self.kb, self.matcher, top, l, &decision.analysis)
                })
        };
        // So is "and on weekends?" that nothing answers, right after an
        // answer that names its days (`property::names_days`).
        let restated = !chosen
            && matches!(decision.route, Route::Ranked | Route::Context)
            && last.is_some_and(|l| {
                !(kind == ReplyKind::Answer && picked.first() == Some(&l))
                    && (property::states(self.kb, self.matcher, l, &decision.analysis)
                        || (kind != ReplyKind::Answer
                            && property::names_days(self.kb, l, &decision.analysis)))
                    && !own_answers(kind, &picked, l)
            });
        // "How much is it?" with nothing answered before, where several
        // answers state a price: asked which, those the reply before
        // offered first (`property::unreferred`), also when its own
        // reading falls just short of an answer.
        if !chosen
            && matches!(kind, ReplyKind::Answer | ReplyKind::Fallback)
            && decision.route == Route::Ranked
            && last.is_none()
        {
            if let Some((choices, states)) = property::unreferred(
                self.kb,
                self.matcher,
                &decision.analysis,
                &decision.ranking,
                offered,
            ) {
                kind = ReplyKind::Clarify;
                why = Why::Unreferred {
                    states,
                    shown: choices.len(),
                };
                picked = choices;
            }
        }
        // "How much is that?" right after the flea-bath answer: its own
        // words answer the price list, "that" points at the flea bath.
        // Unless the message's own answer states it of that topic
        // (`property::answers_it`): then that answer, and `/why` says so.
        let mut own_kept = false;
        if kind == ReplyKind::Answer && decision.route == Route::Ranked && !restated {
            if let (Some(l), Some(&top)) = (last, picked.first()) {
                let about_last = l != top
                    && self.kb.intents[top].kind == IntentKind::Faq
                    && property::asks_about_it(&decision.analysis);
                own_kept = about_last && own_answers(kind, &picked, l);
                if about_last && !own_kept {
                    kind = ReplyKind::Clarify;
                    picked = vec![l, top];
                    why = Why::AboutLast { last: l, top };
                    // The reply depends on the turn before: logged as
                    // such, `faqbot misses` never counts it answered now
                    // (an operator's trial: "and how much is that?" after
                    // the renewals answer was listed as answered by the
                    // fines entry, which it answers when asked alone).
                    decision.route = Route::Context;
                }
            }
        }
        // "How much would that be?" right after a reply that offered
        // choices (a fallback's near misses, which need not count as a
        // miss, or a clarification's options; nothing answered before),
        // answered by the row on the business's own service's
        // price ("How much does a tuning cost?"): "that" is what the
        // fallback could not read. A fallback here, which the policy turns
        // into "say more" with those choices offered again (trial 52:
        // after "the sustain pedal on my piano squeaks" offered the
        // repairs, the tuning price was answered at 0.92).
        if kind == ReplyKind::Answer
            && decision.route == Route::Ranked
            && last.is_none()
            && !offered.is_empty()
            && property::asks_about_it(&decision.analysis)
        {
            if let Some(&top) = picked.first() {
                if self.kb.intents[top].kind == IntentKind::Faq
                    && !offered.contains(&top)
                    && !property::names_own_topic(self.kb, self.matcher, top)
                {
                    kind = ReplyKind::Fallback;
                    why = Why::GeneralAfterFallback { top };
                }
            }
        }
        // "what about a shirt?" right after the dry-cleaning answer, which
        // lists "a shirt £4", while the message's own words answer the row
        // on damaged items ("My shirt was ruined", 0.98): a follow-up that
        // starts with a connective and whose every content word the answer
        // just given has asks which (trial 51; `context::continues` gives
        // that answer again only when nothing else answers).
        if kind == ReplyKind::Answer && decision.route == Route::Ranked && !restated && !own_kept {
            if let (Some(l), Some(&top)) = (last, picked.first()) {
                if l != top
                    && self.kb.intents[top].kind == IntentKind::Faq
                    && context::follows_on(&decision.analysis)
                    && context::answer_has(
                        self.kb,
                        l,
                        &context::answer_terms(self.kb, self.matcher, l),
                        &decision.analysis,
                        false,
                    )
                {
                    kind = ReplyKind::Clarify;
                    picked = vec![l, top];
                    why = Why::FollowsOnLast { last: l, top };
                    decision.route = Route::Context;
                }
            }
        }
        // "and on sundays?" right after the opening hours, whose answer
        // says "including Sundays": nothing else answers it, and that
        // answer speaks of it (`context::continues`): given again.
        let continued = restated
            || kind == ReplyKind::Fallback
                && decision.route == Route::Ranked
                && last.is_some_and(|l| {
                    context::continues(self.kb, self.matcher, l, &decision.analysis)
                });
        if let (true, Some(l)) = (continued, last) {
            kind = ReplyKind::Answer;
            picked = vec![l];
        }
        Verdict {
            kind,
            picked,
            why,
            restated,
            continued,
            chosen,
            own_kept,
        }
    }

    /// Why the turn got its verdict, in one sentence (before courtesy and
    /// playing the reply may say more); `last` as for [`Policy::rules`].
    pub(super) fn reason(
        &self,
        read: &Read,
        verdict: &Verdict,
        decision: &Decision,
        last: Option<usize>,
    ) -> String {
        // What let an FAQ top through a message without a content word
        // (see `read`): exactly an example, or a pattern of the entry.
        let kept_by = decision
            .ranking
            .first()
            .filter(|r| {
                (read.contentless || read.negations_only)
                    && self.kb.intents[r.intent].kind == IntentKind::Faq
            })
            .and_then(|r| {
                if r.evidence.is_exact() {
                    Some("exactly an example")
                } else {
                    r.evidence.pattern.map(|_| "a pattern of the entry matches")
                }
            });
        let mut reason = if let Some(by) = kept_by {
            format!("no content word, but {by}: {}", verdict.why.render(self.kb))
        } else if read.contentless && decision.ranking.is_empty() {
            "no content word (only stop words): no FAQ answer".to_string()
        } else if read.negations_only && decision.ranking.is_empty() {
            "no content word but a negation (\"why not?\"): no FAQ answer".to_string()
        } else {
            verdict.why.render(self.kb)
        };
        if read.greeted && decision.route == Route::Ranked {
            reason = format!("read without the greeting: {reason}");
        }
        if read.acknowledged && decision.route == Route::Ranked {
            reason = format!("read without the acknowledgement: {reason}");
        }
        if let (true, Some(l)) = (verdict.restated, last) {
            reason = format!(
                "asks for a property (how much, how long, is it free) of what it refers to, of \
                 what only the answer just given names, or on its own (\"how much?\"), which the \
                 answer of `{}` states: that answer again, at the threshold (ranked: {reason})",
                self.kb.intents[l].id
            );
        } else if let (true, Some(l)) = (verdict.own_kept, last) {
            reason = format!(
                "{reason}; it asks a property (how much, how long, ...) of what it refers to right \
                 after the answer of `{}`, which does not state it, while this answer states it of \
                 that topic, or this entry's title asks just that of the business's offer and that \
                 entry's another property: no clarification between the two",
                self.kb.intents[l].id
            );
        } else if let (true, Some(l)) = (verdict.continued, last) {
            reason = format!(
                "a follow-up (\"and ...\", \"what about ...\", or short and referring back: \"when do \
                 i collect it?\") that nothing answers, whose content \
                 words the answer of `{}` just given has (but everyday words the knowledge base \
                 does not know, more common than one it has): that answer again, at the \
                 threshold (ranked: {reason})",
                self.kb.intents[l].id
            );
        }
        reason
    }
}
