//! Reply rendering: the policy's verdict → the [`Reply`] the user sees,
//! and the session's memory of it.
//!
//! Takes the kind decided, the intents involved and the ranking; gives
//! the reply text (an answer with its numbered follow-ups, a
//! clarification's numbered choices, a fallback with near misses or
//! popular topics, or the handoff that the `max_fallbacks`-th fallback in
//! a row becomes, its suggestions under `texts.or_pick`) with its suggestions and alternatives, and records in the
//! [`Session`] what was offered, the last answered intent and question,
//! and the fallbacks in a row. The bot's own replies, which no FAQ entry's
//! answer gives (a bare yes or no, the handoff text, a pleasantry, empty
//! input), are in `own`.

pub mod one;
mod own;

pub use one::one_near_miss;

use super::verdict::{NEAR_FILL, SUGGEST};
use crate::kb::KnowledgeBase;
use crate::matcher::Scored;
use crate::reply::{Alternative, Reply, ReplyKind, Suggestion};
use crate::schema::IntentKind;
use crate::session::Session;

/// The files whose intents come first among equally popular ones
/// ([`popular`]): the one `faqbot import` writes (a FAQ sheet's rows, in
/// row order) and the one `faqbot init` writes. A team's own files beside
/// them add to the knowledge base; they do not take over its first topics.
pub const MAIN_FILES: [&str; 2] = ["intents.ron", "faq.ron"];

/// FAQ intents ordered by popularity (descending; an intent without one
/// counts 0), equal ones in the order their files define them: first the
/// main files ([`MAIN_FILES`]: `intents.ron`, the sheet `faqbot import`
/// wrote, then `faq.ron`), then the other files in name order, each in
/// its own order (line); intents without a file (built in code) last;
/// then by id. A fresh import has no views counted, so its popular topics
/// are the sheet's first rows, also when the team adds a file of its own
/// beside it (`extra.ron` would sort first by name).
pub fn popular(kb: &KnowledgeBase) -> Vec<usize> {
    let mut v: Vec<usize> = (0..kb.intents.len())
        .filter(|&i| kb.intents[i].kind == IntentKind::Faq)
        .collect();
    let origin = |i: usize| {
        let o = kb.origins.get(i).and_then(|o| o.as_ref());
        let main = o.map_or(MAIN_FILES.len(), |o| {
            let name = o.file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            MAIN_FILES
                .iter()
                .position(|m| *m == name)
                .unwrap_or(MAIN_FILES.len())
        });
        (o.is_none(), main, o.map(|o| (&o.file, o.line)))
    };
    v.sort_by(|&a, &b| {
        kb.intents[b]
            .popularity
            .cmp(&kb.intents[a].popularity)
            .then_with(|| origin(a).cmp(&origin(b)))
            .then(a.cmp(&b))
    });
    v
}

/// Renders replies for one knowledge base.
pub(crate) struct Replies<'a> {
    pub kb: &'a KnowledgeBase,
    /// Intent indices by popularity, most popular first.
    pub popular: &'a [usize],
    /// Whether [`Replies::answer_reply`] writes what the next turn reads
    /// into the session ([`super::Policy::remember`]).
    pub remember: bool,
}

impl Replies<'_> {
    fn suggestion(&self, i: usize) -> Suggestion {
        let d = &self.kb.intents[i];
        Suggestion {
            intent: d.id.clone(),
            title: if d.title.is_empty() {
                d.id.clone()
            } else {
                d.title.clone()
            },
        }
    }

    /// Line before popular topics: `texts.popular` of `bot.ron` and a
    /// colon (the widget shows the same text above them under the greeting).
    pub fn popular_lead(&self) -> String {
        format!("{}:", self.kb.settings.texts.popular)
    }

    /// The `popular_topics` most popular FAQ intents.
    pub fn popular_topics(&self) -> Vec<usize> {
        self.popular
            .iter()
            .copied()
            .take(
                self.kb
                    .settings
                    .popular_topics
                    .min(super::choice::MAX_OFFERED),
            )
            .collect()
    }

    fn alternatives(&self, ranking: &[Scored], except: Option<usize>) -> Vec<Alternative> {
        ranking
            .iter()
            .filter(|r| Some(r.intent) != except)
            .take(3)
            .map(|r| Alternative {
                intent: self.kb.intents[r.intent].id.clone(),
                confidence: r.confidence,
            })
            .collect()
    }

    fn numbered(&self, head: String, offer: &[usize]) -> (String, Vec<Suggestion>) {
        use std::fmt::Write;
        let suggestions: Vec<Suggestion> = offer.iter().map(|&i| self.suggestion(i)).collect();
        let mut text = head;
        for (n, s) in suggestions.iter().enumerate() {
            // Writing to a String never fails.
            let _ = write!(text, "\n{}. {}", n + 1, s.title);
        }
        (text, suggestions)
    }

    /// The answer of intent `i` (or its handoff), with its follow-ups
    /// offered, after `also` (another intent the message may ask about,
    /// see [`super::also::also_asked`]); an FAQ answer becomes the context of the next
    /// turn (`utterance`, or the title when picked from a list).
    #[allow(clippy::too_many_arguments)]
    pub fn answer_reply(
        &self,
        input: &str,
        i: usize,
        confidence: f32,
        ranking: &[Scored],
        session: &mut Session,
        utterance: Option<&str>,
        also: Option<usize>,
    ) -> Reply {
        let d = &self.kb.intents[i];
        let mut offer: Vec<usize> = also.into_iter().collect();
        push_new(
            &mut offer,
            d.follow_ups.iter().filter_map(|f| self.kb.index_of(f)),
            // No more than a session's choices are read back.
            super::choice::MAX_OFFERED,
        );
        // A call for help or a greeting names no topic: the popular topics
        // show what the bot knows, as the bot's own greeting does (a user
        // trial: with `import --small-talk`, "hi" lost them).
        let topics = offer.is_empty() && (d.id == "help" || d.id == "greeting");
        if topics {
            offer = self.popular_topics();
        }
        let texts = &self.kb.settings.texts;
        let label = if offer.is_empty() {
            None
        } else if topics {
            Some(texts.popular.clone())
        } else {
            // The widget's label, so a German bot says "Verwandte Fragen:".
            Some(texts.related.clone())
        };
        let head = match &label {
            None => d.answer.clone(),
            Some(l) => format!("{}\n\n{l}:", d.answer),
        };
        let (text, suggestions) = self.numbered(head, &offer);
        let kind = if d.kind == IntentKind::Handoff {
            ReplyKind::Handoff
        } else {
            ReplyKind::Answer
        };
        session.fallbacks_in_row = 0;
        // For a session thrown away after the turn (not `remember`), what
        // the next turn would read is not made (two or three allocations).
        if self.remember {
            session.offered = offer
                .iter()
                .map(|&o| self.kb.intents[o].id.clone())
                .collect();
            if d.kind == IntentKind::Faq {
                session.last_intent = Some(d.id.clone());
                session.last_utterance =
                    Some(utterance.map_or_else(|| d.title.clone(), str::to_string));
            } else if d.kind == IntentKind::SmallTalk {
                // "thanks", "bye": the topic is closed; a short message
                // next is not read with the question before it.
                session.last_intent = None;
                session.last_utterance = None;
            }
        }
        Reply {
            input: input.to_string(),
            input_truncated: false,
            kind,
            intent: Some(d.id.clone()),
            title: Some(d.title.clone()).filter(|t| !t.is_empty()),
            confidence,
            raised_by: None,
            text,
            answer: Some(d.answer.clone()),
            answer_html: None,
            handoff_html: None,
            suggestions,
            suggestions_label: label,
            alternatives: self.alternatives(ranking, Some(i)),
            top_kind: None,
            miss: false,
        }
    }

    /// A clarification offering `picked` as numbered choices.
    pub fn clarify_reply(
        &self,
        input: &str,
        picked: &[usize],
        confidence: f32,
        ranking: &[Scored],
        session: &mut Session,
    ) -> Reply {
        let (text, suggestions) = self.numbered(self.kb.settings.clarify.clone(), picked);
        session.offered = suggestions.iter().map(|s| s.intent.clone()).collect();
        session.fallbacks_in_row = 0;
        no_answer(
            input,
            ReplyKind::Clarify,
            confidence,
            text,
            suggestions,
            self.alternatives(ranking, None),
        )
    }

    /// "Which one?" after a yes to several offers: the offers again as
    /// numbered choices (a clarification; not counted as a fallback).
    pub fn which_reply(&self, input: &str, offered: &[usize], session: &mut Session) -> Reply {
        let (text, suggestions) = self.numbered(self.kb.settings.texts.which.clone(), offered);
        session.offered = suggestions.iter().map(|s| s.intent.clone()).collect();
        no_answer(
            input,
            ReplyKind::Clarify,
            1.0,
            text,
            suggestions,
            Vec::new(),
        )
    }

    #[allow(clippy::too_many_arguments)]
    /// A fallback: `message`, then `lead` and `offer` as numbered
    /// choices; when `counts`, a handoff at the `max_fallbacks`-th in a
    /// row: `bot.ron`'s `handoff` text instead of `message`, and the choices
    /// under `texts.or_pick` ("Or pick one of these:") instead of `lead`,
    /// so that "Did you mean one of these?" does not follow the offer of
    /// a person as if the bot had not given up. A fallback (not the
    /// handoff) whose one choice is a near miss (`lead` is
    /// `texts.near_miss`) is worded as one line by [`one_near_miss`],
    /// its suggestion kept.
    pub fn fallback_reply(
        &self,
        input: &str,
        (message, lead): (&str, &str),
        offer: Vec<usize>,
        confidence: f32,
        ranking: &[Scored],
        session: &mut Session,
        counts: bool,
    ) -> Reply {
        let s = &self.kb.settings;
        let mut kind = ReplyKind::Fallback;
        let mut head = message.to_string();
        let mut lead = lead;
        if counts {
            // A question the bot could not answer moves the conversation
            // on: a later short message is not read as a follow-up of the
            // answer before it.
            session.last_intent = None;
            session.last_utterance = None;
            session.fallbacks_in_row = session.fallbacks_in_row.saturating_add(1);
            if session.fallbacks_in_row >= s.max_fallbacks {
                kind = ReplyKind::Handoff;
                // The handoff text replaces the fallback message: "Could
                // you rephrase your question?" and then "I can't answer
                // this one" in the same turn said sorry twice and asked
                // for what it gave up on.
                // A message in another language keeps saying so: the
                // handoff alone read as if the question had been understood
                // (a salon author's trial, in Spanish).
                head = if message == s.texts.english_only {
                    format!("{message} {}", s.handoff)
                } else {
                    s.handoff.clone()
                };
                lead = &s.texts.or_pick;
                session.fallbacks_in_row = 0;
            }
        }
        // One near miss: one line ("I'm not sure I understood. Did you
        // mean: …?"), not a list of one (`one::one_near_miss`); its
        // suggestion is kept, so "1" or "yes" picks it.
        let one = match offer.as_slice() {
            [i] if kind == ReplyKind::Fallback && lead == s.texts.near_miss => {
                one_near_miss(s, &head, &self.suggestion(*i).title)
            }
            _ => None,
        };
        let (text, suggestions) = if let Some(text) = one {
            (text, vec![self.suggestion(offer[0])])
        } else {
            if !offer.is_empty() && !lead.is_empty() {
                head = format!("{head}\n\n{lead}");
            }
            self.numbered(head, &offer)
        };
        session.offered = suggestions.iter().map(|s| s.intent.clone()).collect();
        let mut reply = no_answer(
            input,
            kind,
            confidence,
            text,
            suggestions,
            self.alternatives(ranking, None),
        );
        reply.miss = counts;
        reply
    }

    /// The reply to a message without a content word of its own right after
    /// the answer of FAQ intent `last` ("how?", "what else?", "why?"), or
    /// to a short one referring back to it that no reading answers ("how
    /// does that work exactly?"): what it asks is about that answer, but
    /// not what. The reply: `texts.say_more`, then under
    /// `texts.about_last` that intent again (its full answer one choice
    /// away) and its follow-ups, at most `popular_topics` in all. When the
    /// message's own words have `near` misses (the verdict's, for a
    /// message with a content word of its own: "how much deposit for
    /// that?" after the wedding cakes, whose own reading ranks the deposit
    /// entry at 0.61; without any, its best-ranked entries: the policy's
    /// `own_candidates`), those come first, under `texts.near_miss`, then
    /// that intent, then its follow-ups (trial 38: only the answer just
    /// read was offered). Kind `fallback` (no FAQ answer is given) that does not count
    /// towards the handoff and keeps `last` as the conversation's context,
    /// so "and on the watch?" next is still read with it.
    pub fn say_more_reply(
        &self,
        input: &str,
        last: usize,
        near: &[usize],
        confidence: f32,
        ranking: &[Scored],
        session: &mut Session,
    ) -> Reply {
        let s = &self.kb.settings;
        let near: Vec<usize> = near
            .iter()
            .copied()
            .filter(|&i| self.kb.intents[i].kind == IntentKind::Faq)
            .collect();
        let n = s.popular_topics.max(near.len() + 1);
        let mut offer = Vec::new();
        push_new(&mut offer, near.iter().copied(), n);
        push_new(&mut offer, [last], n);
        let follow = self.kb.intents[last]
            .follow_ups
            .iter()
            .filter_map(|id| self.kb.index_of(id));
        push_new(&mut offer, follow, n);
        let texts = &s.texts;
        let lead = if near.is_empty() {
            &texts.about_last
        } else {
            &texts.near_miss
        };
        let head = (texts.say_more.as_str(), lead.as_str());
        self.fallback_reply(input, head, offer, confidence, ranking, session, false)
    }

    /// A fallback's lead line and numbered suggestions, at most
    /// `popular_topics` of them (or as many near misses as there are):
    /// its near misses `near` (from the verdict) under `texts.near_miss`,
    /// then the other FAQ intents of `ranking` at or above [`SUGGEST`] ×
    /// `bot.ron`'s threshold (best first; beside near misses, only those
    /// at [`NEAR_FILL`] of the top's confidence or more). Without near
    /// misses, those candidates topped up with popular topics under
    /// `texts.might_help`; without any candidate, the popular topics under
    /// `texts.popular`.
    pub fn fallback_offer(&self, near: Vec<usize>, ranking: &[Scored]) -> (String, Vec<usize>) {
        let texts = &self.kb.settings.texts;
        let n = self.kb.settings.popular_topics.max(near.len());
        let had_near = !near.is_empty();
        let top = ranking.first().map_or(0.0, |r| r.confidence);
        let mut bar = SUGGEST * self.kb.settings.threshold;
        if had_near {
            bar = bar.max(NEAR_FILL * top);
        }
        let mut offer = near;
        let candidates = ranking
            .iter()
            .filter(|r| r.confidence >= bar && self.kb.intents[r.intent].kind == IntentKind::Faq)
            .map(|r| r.intent);
        push_new(&mut offer, candidates, n);
        if had_near {
            return (texts.near_miss.clone(), offer);
        }
        let popular = self.popular_topics();
        if offer.is_empty() {
            return (self.popular_lead(), popular);
        }
        push_new(&mut offer, popular, n);
        (texts.might_help.clone(), offer)
    }
}

/// A reply that gives no FAQ answer (a clarification, a fallback, a
/// handoff or a short reply to "no"): no intent, title or answer.
fn no_answer(
    input: &str,
    kind: ReplyKind,
    confidence: f32,
    text: String,
    suggestions: Vec<Suggestion>,
    alternatives: Vec<Alternative>,
) -> Reply {
    Reply {
        input: input.to_string(),
        input_truncated: false,
        kind,
        intent: None,
        title: None,
        confidence,
        raised_by: None,
        text,
        answer: None,
        answer_html: None,
        handoff_html: None,
        suggestions,
        suggestions_label: None,
        alternatives,
        top_kind: None,
        miss: false,
    }
}

/// Appends the intents of `more` that `list` does not hold yet, in order,
/// until it holds `n`.
fn push_new(list: &mut Vec<usize>, more: impl IntoIterator<Item = usize>, n: usize) {
    for i in more {
        if list.len() >= n {
            break;
        }
        if !list.contains(&i) {
            list.push(i);
        }
    }
}
