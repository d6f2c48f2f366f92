//! The dialogue policy: from a ranking and a session to a reply.
//!
//! Rules, in order, for one user turn:
//!
//! 1. **Empty input** (or only punctuation: no letter or digit) → a
//!    fallback asking for a question (`texts.empty`); only symbols and
//!    emoji ("😡") → the `fallback` text. Neither is counted towards the
//!    human handoff nor logged as a miss; earlier suggestions stay
//!    selectable.
//! 2. **Selection by number**: when the last reply offered choices, `2`
//!    (also `#2`, `2.`, `option 2`, `2 please`, `２`) answers the second; a
//!    number that was not offered is a fallback that repeats the choices.
//!    While choices are on offer, a number word ("two", "option two") and
//!    an ordinal ("the second one", "3rd", "the last one") pick too, before
//!    any title is read; "none of these" declines the choices as a no does,
//!    "both" or "the other one" offers them again.
//! 3. **Selection by title**: text contained in exactly one offered title,
//!    or covering at least [`TITLE_COVERAGE`] of the words of exactly one,
//!    answers that choice. **Yes or no to the offer**: a bare yes ("yes",
//!    "sure", "ok please", ... [`consent::YES`]; a bare "ok" is no yes)
//!    answers the one choice offered, or asks which when several were; a
//!    bare no ("no", "no thanks", ... [`consent::NO`]) gets a short polite
//!    reply that is neither a fallback (it does not count towards the
//!    handoff) nor logged as a miss; so does a bare yes or no with nothing
//!    on offer that would fall back (`texts.go_on`, `texts.declined`, or
//!    `texts.farewell` once the topic is closed). A bare yes or no is never
//!    read in context (rule 4).
//! 4. **Context**: a short utterance (≤ [`CONTEXT_MAX_WORDS`] words) after
//!    an answer is also ranked together with the previous question's words
//!    (at reduced weight). The contextual reading wins when it starts with a
//!    connective ("and", "what about", ...) and scores higher, or when the
//!    utterance alone does not reach an answer but the contextual one does.
//!    After a connective the intent just answered is left out of the
//!    contextual ranking: "and in the car?" asks for something else;
//!    unless nothing answers and the answer just given has every content
//!    word of the follow-up but everyday words more common than one it has
//!    ("and on sundays?" after opening hours that say "including Sundays",
//!    "what about propane tanks" after an answer naming propane,
//!    `context::continues`): that answer again,
//!    at the threshold. A small-talk answer ("thanks") closes the topic.
//! 5. **Ranking policy**: with `t` the threshold and `m` the margin from
//!    `bot.ron`: a message without any content word is never answered
//!    with an FAQ entry, unless it is exactly one of its examples. The best intent answers when its confidence (the
//!    calibrated probability that it is right) is ≥ `t` and no other
//!    intent's raw evidence is within `m` of it; intents within `m` (and ≥
//!    [`CLARIFY_FLOOR`] of the top's raw evidence) make a clarification
//!    listing up to 3 of them, and so do the top two when each is a near
//!    miss, together they reach `t` and the top's raw evidence is at least
//!    [`verdict::PAIR_EVIDENCE_FLOOR`]; else a fallback offers the near
//!    misses (≥ [`NEAR_MISS`]·`t`) or the most popular topics (see
//!    [`verdict`]). The `max_fallbacks`-th fallback in a row becomes a
//!    handoff offer (an out-of-scope intent's own answer is no fallback
//!    towards it). A message that would fall back and is only a greeting,
//!    thanks or goodbye ([`pleasantry`]; also thanks or a goodbye with
//!    politeness around it, "ok great, thanks for your help",
//!    [`pleasantry::words`]) that no small-talk intent of the
//!    knowledge base answers (each kind on its own: a knowledge base with
//!    a greeting but no goodbye intent) gets the bot's `greeting` (with the popular
//!    topics), `texts.welcome` (`texts.declined` for approval alone, "ok":
//!    [`pleasantry::words::only_approval`]) or `texts.farewell` instead, and is no fallback; in one
//!    without a handoff intent, a request for a person gets `bot.ron`'s
//!    `handoff` text. A greeting before a question ("hi there, ...") is
//!    cut off before the question is ranked. A closing phrase as a whole
//!    message ([`pleasantry::closing`]: "never mind", "exit", "end chat",
//!    "no that's it") is a goodbye or a no whatever the ranking, unless an
//!    FAQ intent has it as an example. A near tie below the threshold
//!    (`Why::NearTie`) is a fallback that does not count towards the
//!    handoff. Right after an answer, a
//!    message that would fall back and has no content word of its own
//!    ("how?"), only negations ("why not?") or refers back ("does that
//!    cost extra?") gets `texts.say_more` with that answer and its
//!    follow-ups on offer; right after a fallback that offered choices,
//!    one asking only a property of "that" gets it with those choices
//!    offered again, and is no fallback towards the handoff.
//!
//! # Files
//!
//! [`mod@choice`] (reading rules 2 and 3), [`consent`] (a bare yes or no)
//! and `offers` (playing them),
//! [`context`] (rule 4), [`verdict`] (rule 5's decision), `turn` (a
//! ranked turn: the message read and ranked, the verdict and the rules on
//! top of it, why), `courtesy`
//! (a ranked message read as the greeting, thanks, goodbye or closing
//! phrase it is), [`vague`] (a
//! topic word several intents share: a clarification), [`split`] (two
//! or three words of two intents' topics: a clarification), `play` (the
//! reply of the decided kind), [`language`] (a message in another
//! language), [`pleasantry`] (greetings and requests for a person that no
//! intent answers) and [`render`] (the reply text, a fallback's
//! suggestions, and what the session remembers of it); this module plays
//! them in the order above. Only `offers`, `play`, `turn` and `courtesy`
//! read from this module (they are its methods, split off to keep it
//! readable).

#[macro_use]
mod word_list;
mod also;
pub mod choice;
pub mod consent;
pub mod contact_row;
pub mod context;
mod courtesy;
pub mod elsewhere;
pub mod job_enquiry;
pub mod language;
mod offered_top;
mod offers;
mod phrasings;
mod play;
pub mod pleasantry;
pub mod property;
pub mod recommendation;
pub mod render;
pub mod split;
pub mod trade;
mod turn;
pub mod unknown_thing;
pub mod vague;
pub mod verdict;
mod why;

pub use choice::{parse_choice, TITLE_COVERAGE};
pub use context::CONTEXT_MAX_WORDS;
pub use verdict::{CLARIFY_FLOOR, NEAR_FILL, NEAR_MISS, SUGGEST};
pub(crate) use why::apart;

use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Matcher, Scored};
use crate::reply::{RaisedBy, Reply, ReplyKind};
use crate::schema::IntentKind;
use crate::semantic::{Embedding, Stage};
use crate::session::Session;
pub(crate) use pleasantry::Kinds;
use render::Replies;
pub use render::{popular, MAIN_FILES};
use verdict::Why;

/// Longest utterance, in characters, that is matched; the rest is ignored.
pub const MAX_INPUT_CHARS: usize = 1000;

/// How the policy reached its decision; shown by `/why` and `faqbot explain`.
///
/// It serialises (serde's `Serialize`; to JSON for a log of why each
/// reply was made) as an object of its fields: intents as positions in
/// the engine's knowledge base, `engine` as a number, `route` in lower
/// case (`"ranked"`), a query token without the matcher's internal
/// fields. It does not deserialise: a decision only means something to
/// the engine that made it (see [`Decision::engine`]), and a number
/// read back in another process could name another engine there.
/// [`crate::explain::Explanation`] is the form with intent ids.
///
/// ```
/// use faqbot::{Engine, Session};
///
/// let engine = Engine::bundled()?;
/// let (_reply, decision) = engine.respond_traced(&mut Session::new(), "how do I reset my pin");
/// let json = serde_json::to_value(&decision).unwrap();
/// assert_eq!(json["route"], "ranked");
/// assert_eq!(json["ranking"][0]["intent"], decision.ranking[0].intent);
/// # Ok::<(), faqbot::Error>(())
/// ```
#[derive(Clone, Debug, serde::Serialize)]
pub struct Decision {
    /// The engine that made it ([`crate::Engine::id`]): the ranking's
    /// intents are positions in its knowledge base, so only it can explain
    /// the decision ([`crate::explain::Explanation::try_new`]).
    pub engine: crate::engine::EngineId,
    /// The analysed utterance that was ranked (with context words, if used).
    pub analysis: Analysis,
    /// The ranking, best first (at most 5).
    pub ranking: Vec<Scored>,
    /// Which route produced the reply.
    pub route: Route,
    /// The policy's reason in one sentence.
    pub reason: String,
    /// What the semantic stage did ([`crate::semantic`]); `None` when the
    /// utterance was not ranked (a choice, an empty input) or the stage
    /// is off.
    pub semantic: Option<crate::semantic::SemanticTrace>,
}

/// Which rule of the policy produced a reply; serialised in lower case
/// (`"ranked"`), as `faqbot explain --json` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// Empty input.
    Empty,
    /// A number picked an offered choice.
    Number,
    /// Typed text picked an offered choice by its title.
    Title,
    /// The utterance was ranked on its own.
    Ranked,
    /// The utterance was ranked together with the previous question.
    Context,
    /// A "yes" or "no" answered what the last reply offered.
    Offer,
}

/// Every Unicode whitespace to a space, terminal escape sequences removed
/// whole, other control characters and format characters (bidi controls,
/// zero-width characters; but those inside an emoji) removed, and the
/// length capped at [`MAX_INPUT_CHARS`] (see
/// [`crate::normalize::sanitize::clean`], which lists them).
pub fn sanitize(input: &str) -> String {
    crate::normalize::sanitize::clean(input, MAX_INPUT_CHARS)
}

/// Whether [`sanitize`] cuts `input` at [`MAX_INPUT_CHARS`] (see
/// [`crate::normalize::sanitize::is_cut`]): [`Reply::input_truncated`].
pub fn input_truncated(input: &str) -> bool {
    crate::normalize::sanitize::is_cut(input, MAX_INPUT_CHARS)
}

/// Whether `c` is white space or punctuation (ASCII, general punctuation
/// `U+2000..=U+206F`, CJK punctuation, `¡ ¿ « »`): what a message of
/// nothing to read ("?", "...") is made of, unlike emoji and symbols.
fn is_punctuation(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(c, '\u{2000}'..='\u{206f}' | '\u{3000}'..='\u{303f}' | '¡' | '¿' | '«' | '»' | '·')
        // Full-width forms ("？", "！") and Arabic punctuation ("؟").
        || matches!(c, '\u{ff01}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}' | '\u{ff3b}'..='\u{ff40}' | '\u{ff5b}'..='\u{ff65}' | '\u{060c}' | '\u{061b}' | '\u{061f}')
}

pub(crate) struct Policy<'a> {
    /// The engine the policy decides for, recorded in each [`Decision`].
    pub engine: crate::engine::EngineId,
    pub kb: &'a KnowledgeBase,
    pub matcher: &'a Matcher,
    pub popular: &'a [usize],
    pub semantic: &'a Stage,
    /// How the semantic stage gets the question's embedding.
    pub embedding: Embedding<'a>,
    /// Which kinds of intent the knowledge base has ([`Kinds::of`]).
    pub kinds: Kinds,
    /// Whether `kb.settings.handoff` gives contact details
    /// ([`crate::normalize::contact::gives_contact`]), once known: the
    /// engine keeps it, as the text is the same for every turn.
    pub handoff_contact: &'a std::sync::OnceLock<bool>,
    /// Each intent's trades (`trade::opposite_trade`), once known: the
    /// engine keeps them, as they depend on the knowledge base alone.
    pub trade_sides: &'a trade::Sides,
    /// Whether the decision's reason text is written: without it
    /// ([`crate::Engine::respond_routed`]) `Decision::reason` stays empty,
    /// and nothing else changes.
    pub trace: bool,
    /// Whether an answer is remembered in the session (its intent, the
    /// question and the follow-ups offered, for the next turn); without
    /// it ([`crate::Engine::respond_routed_once`], a session that is
    /// thrown away after the turn) the reply is the same.
    pub remember: bool,
}

impl Policy<'_> {
    /// Whether a fallback to `input` (its analysis `analysis`) becomes
    /// the handoff text because it asks for contact details that text gives
    /// (`pleasantry::asks_for_contact_folded`, in a knowledge base without
    /// a handoff intent).
    fn gives_contact_for(&self, input: &str, analysis: &Analysis) -> bool {
        !self.kinds.handoff
            && *self
                .handoff_contact
                .get_or_init(|| crate::normalize::contact::gives_contact(&self.kb.settings.handoff))
            && pleasantry::asks_for_contact_folded(input, &analysis.folded)
    }

    fn replies(&self) -> Replies<'_> {
        Replies {
            kb: self.kb,
            popular: self.popular,
            remember: self.remember,
        }
    }

    /// One turn; `Err(())` when the semantic stage needs the question's
    /// embedding and the policy was built with [`Embedding::Defer`] (the
    /// session is then left as it was given).
    pub fn respond(&self, session: &mut Session, raw: &str) -> Result<(Reply, Decision), ()> {
        let before = matches!(self.embedding, Embedding::Defer).then(|| session.clone());
        let mut out = self.respond_inner(session, raw);
        if let Ok((reply, _)) = &mut out {
            reply.input_truncated = input_truncated(raw);
        }
        if let (Err(()), Some(before)) = (&out, before) {
            *session = before;
        }
        out
    }

    fn respond_inner(&self, session: &mut Session, raw: &str) -> Result<(Reply, Decision), ()> {
        let input = sanitize(raw);
        session.turns = session.turns.saturating_add(1);
        // A session from outside (a cookie, a request body) is user input:
        // its last question is read up to the length of any message (and
        // its offered choices up to `choice::MAX_OFFERED`).
        if let Some(u) = session.last_utterance.as_mut() {
            if let Some((cut, _)) = u.char_indices().nth(MAX_INPUT_CHARS) {
                u.truncate(cut);
            }
        }
        let trimmed = input.trim();
        let (trace, engine) = (self.trace, self.engine);
        let empty_decision = |route, reason: &str| Decision {
            engine,
            analysis: Analysis::default(),
            ranking: Vec::new(),
            route,
            reason: if trace {
                reason.to_string()
            } else {
                String::new()
            },
            semantic: None,
        };
        // Nothing to read: empty, or only punctuation, symbols and emoji
        // ("?", "😀📚"): `texts.empty`, no fallback (a support author's trial:
        // "?" twice made a handoff and was logged as a miss).
        // Emoji or other symbols ("🔋⚡️😡") say something the bot cannot
        // read: the fallback text, not "Please type a question." as if
        // nothing was typed (a library trial); still no fallback towards
        // the handoff.
        if pleasantry::is_thanks_emoji(trimmed) {
            // Read as the word it stands for; the turn is counted once.
            session.turns = session.turns.saturating_sub(1);
            let (mut reply, decision) = self.respond_inner(session, "thanks")?;
            reply.input = input;
            return Ok((reply, decision));
        }
        if !trimmed.chars().any(char::is_alphanumeric) {
            let offered = choice::offered(self.kb, session);
            let symbols = !trimmed.chars().all(is_punctuation);
            let reply = self
                .replies()
                .empty_reply(&input, offered, session, symbols);
            let reason = if symbols {
                "only symbols or emoji: nothing to read"
            } else {
                "empty input"
            };
            return Ok((reply, empty_decision(Route::Empty, reason)));
        }

        if let Some((reply, route, reason)) = self.read_choice(session, &input, trimmed) {
            return Ok((reply, empty_decision(route, &reason)));
        }

        let (read, mut decision) = self.read(session, trimmed)?;
        // The FAQ intent answered last, for a message without content.
        let last = session
            .last_intent
            .as_deref()
            .and_then(|id| self.kb.index_of(id))
            .filter(|&i| self.kb.intents[i].kind == IntentKind::Faq);
        // What the reply before offered as suggestions ("Did you mean one
        // of these?"); the popular topics name nothing the customer said.
        // (The popular topics are listed only when something was offered:
        // most turns of a pipe have nothing on offer.)
        let mut suggested = choice::offered(self.kb, session);
        if !suggested.is_empty() && suggested == self.replies().popular_topics() {
            suggested.clear();
        }
        // A fallback's suggestions are guesses at an unread message, not
        // choices the message was read as (`property::offered_states`).
        let fell_back = session.fallbacks_in_row > 0;
        let verdict = self.rules(&mut decision, last, &suggested, fell_back);
        // A bare yes or no with nothing on offer, for a turn that falls
        // back (`session.offered` is still the turn's own here).
        let consent = (verdict.kind == ReplyKind::Fallback && session.offered.is_empty())
            .then(|| consent::consent(self.matcher.normalizer(), trimmed))
            .flatten();
        if trace {
            decision.reason = self.reason(&read, &verdict, &decision, last);
        }
        let turn::Verdict {
            kind,
            picked,
            why,
            restated,
            continued,
            chosen,
            ..
        } = verdict;
        // A rule's answer is given at the threshold (as the semantic
        // stage's rules are): its probability is "at least the threshold".
        let top_conf = match decision.ranking.first() {
            _ if continued || chosen => self.kb.settings.threshold,
            Some(r) => r.confidence,
            None => 0.0,
        };
        // The rule behind a confidence at the threshold, if one set it
        // (the reply's `raised_by`): the dialogue's, else the semantic
        // stage's for the ranking it fused.
        let raised_by = if chosen {
            Some(RaisedBy::OfferedProperty)
        } else if restated {
            Some(RaisedBy::LastAnswerProperty)
        } else if continued {
            Some(RaisedBy::LastAnswerFollowUp)
        } else {
            decision.semantic.as_ref().and_then(|t| t.raised)
        };
        let mut outcome = courtesy::Outcome {
            kind,
            picked,
            consent,
            top_conf,
            raised_by,
        };
        let text = courtesy::TurnText {
            trimmed,
            greeted: read.greeted,
            question_folded: read.question_folded.as_deref(),
            content: read.content,
            person: read.person,
        };
        let (pleasantry, closing) = self.courtesy(&text, &mut outcome, &mut decision);
        let courtesy::Outcome {
            kind,
            picked,
            consent,
            top_conf,
            raised_by,
        } = outcome;
        // A restated answer keeps the question that led to it as the one a
        // next follow-up is read with ("how long does it take?" after "how
        // much is that?" asks about the home visits, not a price).
        // A choice answered by `property::offered_states` keeps its title:
        // "how much is that?" names nothing a next follow-up could use.
        let kept = if chosen {
            picked.first().map(|&i| self.kb.intents[i].title.clone())
        } else {
            restated.then(|| session.last_utterance.clone()).flatten()
        };
        let turn = play::Turn {
            input: &input,
            question: kept.as_deref().unwrap_or(read.question),
            person: read.person,
            last,
            contentless: read.contentless,
            negations_only: read.negations_only,
            consent,
            top_conf,
            raised_by,
            out_of_scope: match why {
                Why::OutOfScope(i) => Some(i),
                _ => None,
            },
            near_tie: matches!(why, Why::NearTie { .. }),
            // The choices of a reply that answered nothing (nothing was
            // answered before it in the conversation): a counted
            // fallback's, a near tie's "Did you mean", which is no miss
            // (trial 52: "how much would that be?" after one), or a
            // clarification's.
            offered_before: if fell_back || last.is_none() {
                &suggested
            } else {
                &[]
            },
        };
        let reply = self.play(&turn, kind, picked, pleasantry, &mut decision, session);
        if let (true, Some(c)) = (trace, closing) {
            decision.reason = Self::closing_reason(c, &why.render(self.kb));
        }
        // The max_fallbacks-th fallback in a row hands off: say so, not
        // only why this one message fell back.
        if trace
            && kind == ReplyKind::Fallback
            && reply.kind == ReplyKind::Handoff
            && !read.person
            && !self.gives_contact_for(&input, &decision.analysis)
        {
            decision.reason = format!(
                "{} fallbacks in a row hand off (max_fallbacks); this message: {}",
                self.kb.settings.max_fallbacks, decision.reason
            );
        }
        Ok((reply, decision))
    }

    /// The policy on a ranking at a threshold and margin (`bot.ron`'s, or
    /// another in the threshold sweep of `faqbot eval`): reply kind, the
    /// intents involved, and why (rendered only when shown).
    pub(crate) fn verdict_at(
        &self,
        ranking: &[Scored],
        threshold: f32,
        margin: f32,
    ) -> (ReplyKind, Vec<usize>, Why) {
        verdict::verdict_at(self.kb, ranking, threshold, margin)
    }
}

#[cfg(test)]
mod tests;
