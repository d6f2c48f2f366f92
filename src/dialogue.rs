//! The dialogue policy: from a ranking and a session to a reply.
//!
//! Rules, in order, for one user turn:
//!
//! 1. **Empty input** → a fallback asking for a question (not counted
//!    towards the human handoff; earlier suggestions stay selectable).
//! 2. **Selection by number**: when the last reply offered choices, `2`
//!    (also `#2`, `2.`, `option 2`) answers the second; a number that was not
//!    offered is a fallback that repeats the choices.
//! 3. **Selection by title**: text contained in exactly one offered title,
//!    or covering at least [`TITLE_COVERAGE`] of the words of exactly one,
//!    answers that choice.
//! 4. **Context**: a short utterance (≤ [`CONTEXT_MAX_WORDS`] words) after
//!    an answer is also ranked together with the previous question's words
//!    (at reduced weight). The contextual reading wins when it starts with a
//!    connective ("and", "what about", ...) and scores higher, or when the
//!    utterance alone does not reach an answer but the contextual one does.
//!    After a connective the intent just answered is left out of the
//!    contextual ranking: "and in the car?" asks for something else.
//! 5. **Ranking policy**: with `t` the threshold and `m` the margin from
//!    `bot.ron`: the best intent answers when its confidence is ≥ `t` and
//!    no other intent is within `m` of it; intents within `m` (and ≥
//!    [`CLARIFY_FLOOR`]·`t`) make a clarification listing up to 3 of them;
//!    below `t` is a fallback offering the near misses (≥
//!    [`NEAR_MISS`]·`t`) or else the most popular topics. The
//!    `max_fallbacks`-th fallback in a row becomes a handoff offer.

use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Matcher, Scored};
use crate::reply::{Alternative, Reply, ReplyKind, Suggestion};
use crate::schema::IntentKind;
use crate::session::Session;

/// Longest utterance, in characters, that is matched; the rest is ignored.
pub const MAX_INPUT_CHARS: usize = 1000;
/// Most words an utterance may have to be read as a context follow-up.
pub const CONTEXT_MAX_WORDS: usize = 7;
/// Share of a title's words that typed text must cover to select it.
pub const TITLE_COVERAGE: f32 = 0.6;
/// A close runner-up joins a clarification only if its confidence is at
/// least this share of the threshold.
pub const CLARIFY_FLOOR: f32 = 0.8;
/// Below the threshold, intents at or above this share of it are offered
/// as "did you mean" suggestions instead of popular topics.
pub const NEAR_MISS: f32 = 0.6;

/// Line before the suggestions of a fallback that offers near misses.
pub const NEAR_MISS_LEAD: &str = "Did you mean one of these?";
/// Line before the suggestions of a fallback that offers popular topics.
pub const POPULAR_LEAD: &str = "Popular topics:";

const CONNECTIVES: &[&str] = &[
    "and ",
    "what about ",
    "how about ",
    "also ",
    "same for ",
    "what if ",
    "but ",
    "or ",
    "and what about ",
    "and how about ",
];

/// How the policy reached its decision; shown by `/why` and `faqbot explain`.
#[derive(Clone, Debug)]
pub struct Decision {
    /// The analysed utterance that was ranked (with context words, if used).
    pub analysis: Analysis,
    /// The ranking, best first (at most 5).
    pub ranking: Vec<Scored>,
    /// Which route produced the reply.
    pub route: Route,
    /// The policy's reason in one sentence.
    pub reason: String,
}

/// Which rule of the policy produced a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

/// Removes control characters (including terminal escape sequences' ESC)
/// and caps the length at [`MAX_INPUT_CHARS`].
pub fn sanitize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_control() || *c == ' ')
        .take(MAX_INPUT_CHARS)
        .collect()
}

/// Intents ordered by popularity (descending, then id): FAQ intents only.
pub fn popular(kb: &KnowledgeBase) -> Vec<usize> {
    let mut v: Vec<usize> = (0..kb.intents.len())
        .filter(|&i| kb.intents[i].kind == IntentKind::Faq)
        .collect();
    v.sort_by(|&a, &b| {
        kb.intents[b]
            .popularity
            .cmp(&kb.intents[a].popularity)
            .then(a.cmp(&b))
    });
    v
}

/// Why the policy decided as it did; rendered only when shown.
pub(crate) enum Why {
    NoEvidence,
    OutOfScope(usize),
    Close {
        top: f32,
        threshold: f32,
        margin: f32,
    },
    Clear {
        top: f32,
        threshold: f32,
        lead: f32,
        margin: f32,
    },
    Below {
        top: f32,
        threshold: f32,
    },
}

impl Why {
    fn render(&self, kb: &KnowledgeBase) -> String {
        match *self {
            Why::NoEvidence => "no intent has any evidence".into(),
            Why::OutOfScope(i) => format!("best match `{}` is marked out of scope", kb.intents[i].id),
            Why::Close { top, threshold, margin } => format!(
                "{top:.2} ≥ threshold {threshold:.2} but the runner-up is within the margin {margin:.2}"
            ),
            Why::Clear { top, threshold, lead, margin } => format!(
                "{top:.2} ≥ threshold {threshold:.2} and margin to the runner-up {lead:.2} > {margin:.2}"
            ),
            Why::Below { top, threshold } => format!("{top:.2} < threshold {threshold:.2}"),
        }
    }
}

struct Thresholds {
    threshold: f32,
    margin: f32,
}

pub(crate) struct Policy<'a> {
    pub kb: &'a KnowledgeBase,
    pub matcher: &'a Matcher,
    pub popular: &'a [usize],
}

impl Policy<'_> {
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

    fn popular_topics(&self) -> Vec<usize> {
        self.popular
            .iter()
            .copied()
            .take(self.kb.settings.popular_topics)
            .collect()
    }

    pub fn respond(&self, session: &mut Session, raw: &str) -> (Reply, Decision) {
        let input = sanitize(raw);
        session.turns = session.turns.saturating_add(1);
        let trimmed = input.trim();
        let empty_decision = |route, reason: &str| Decision {
            analysis: Analysis::default(),
            ranking: Vec::new(),
            route,
            reason: reason.to_string(),
        };
        if trimmed.is_empty() {
            let offered = self.offered_indices(session);
            let reply = self.fallback_reply(
                &input,
                (
                    "Please type a question.",
                    if offered.is_empty() {
                        POPULAR_LEAD
                    } else {
                        "Or pick one of these:"
                    },
                ),
                if offered.is_empty() {
                    self.popular_topics()
                } else {
                    offered
                },
                0.0,
                &[],
                session,
                false,
            );
            return (reply, empty_decision(Route::Empty, "empty input"));
        }

        if !session.offered.is_empty() {
            if let Some(n) = parse_choice(trimmed) {
                let offered = self.offered_indices(session);
                if n >= 1 && n <= offered.len() {
                    let i = offered[n - 1];
                    let reply = self.answer_reply(&input, i, 1.0, &[], session, None);
                    return (
                        reply,
                        empty_decision(
                            Route::Number,
                            &format!("picked choice {n} of {}", offered.len()),
                        ),
                    );
                }
                let reply = self.fallback_reply(
                    &input,
                    (
                        &format!("There is no choice {n}."),
                        "Please pick one of these:",
                    ),
                    offered,
                    0.0,
                    &[],
                    session,
                    false,
                );
                return (
                    reply,
                    empty_decision(Route::Number, &format!("choice {n} was not offered")),
                );
            }
            if let Some(i) = self.match_title(session, trimmed) {
                let reply = self.answer_reply(&input, i, 1.0, &[], session, None);
                return (
                    reply,
                    empty_decision(Route::Title, "text matches an offered title"),
                );
            }
        }

        let analysis = self.matcher.analyze(trimmed);
        let ranking = self.matcher.rank_analysis(&analysis, 5);
        let mut decision = Decision {
            analysis,
            ranking,
            route: Route::Ranked,
            reason: String::new(),
        };
        if let Some(prev) = session.last_utterance.clone() {
            let words = decision.analysis.tokens.len();
            if words > 0 && words <= CONTEXT_MAX_WORDS {
                let connective = CONNECTIVES.iter().any(|c| {
                    decision.analysis.folded.starts_with(c) || decision.analysis.folded == c.trim()
                });
                let ctx = self.matcher.with_context(&decision.analysis, &prev);
                let mut ranking = self.matcher.rank_analysis(&ctx, 6);
                if connective {
                    // "And in the car?" after an answer asks for something
                    // other than what was just answered.
                    let last = session.last_intent.as_deref();
                    ranking.retain(|r| Some(self.kb.intents[r.intent].id.as_str()) != last);
                }
                ranking.truncate(5);
                let alone = self.verdict(&decision.ranking).0 == ReplyKind::Answer;
                let with_ctx = self.verdict(&ranking).0 == ReplyKind::Answer;
                let top = |r: &[Scored]| r.first().map_or(0.0, |s| s.confidence);
                if with_ctx && ((connective && top(&ranking) > top(&decision.ranking)) || !alone) {
                    decision = Decision {
                        analysis: ctx,
                        ranking,
                        route: Route::Context,
                        reason: String::new(),
                    };
                }
            }
        }

        let (kind, picked, reason) = self.verdict(&decision.ranking);
        decision.reason = reason;
        let top_conf = decision.ranking.first().map_or(0.0, |s| s.confidence);
        let reply = match kind {
            ReplyKind::Answer | ReplyKind::Handoff => self.answer_reply(
                &input,
                picked[0],
                top_conf,
                &decision.ranking,
                session,
                Some(trimmed),
            ),
            ReplyKind::Clarify => {
                self.clarify_reply(&input, &picked, top_conf, &decision.ranking, session)
            }
            ReplyKind::Fallback => {
                let (lead, offer) = if picked.is_empty() {
                    (POPULAR_LEAD, self.popular_topics())
                } else {
                    (NEAR_MISS_LEAD, picked)
                };
                let text = self.kb.settings.fallback.clone();
                self.fallback_reply(
                    &input,
                    (&text, lead),
                    offer,
                    top_conf,
                    &decision.ranking,
                    session,
                    true,
                )
            }
        };
        (reply, decision)
    }

    /// The policy on a ranking: reply kind, the intents involved, and why.
    pub fn verdict(&self, ranking: &[Scored]) -> (ReplyKind, Vec<usize>, String) {
        let s = &self.kb.settings;
        let (kind, picked, why) = self.verdict_at(ranking, s.threshold, s.margin);
        (kind, picked, why.render(self.kb))
    }

    /// [`Policy::verdict`] with another threshold and margin than `bot.ron`'s
    /// (used by the threshold sweep of `faqbot eval`); the reason is not
    /// rendered.
    pub(crate) fn verdict_at(
        &self,
        ranking: &[Scored],
        threshold: f32,
        margin: f32,
    ) -> (ReplyKind, Vec<usize>, Why) {
        let s = Thresholds { threshold, margin };
        let Some(top) = ranking.first() else {
            return (ReplyKind::Fallback, Vec::new(), Why::NoEvidence);
        };
        let kind_of = |i: usize| self.kb.intents[i].kind;
        // Small talk never outranks an FAQ answer that reaches the
        // threshold ("hi, I forgot my PIN" is about the PIN).
        let faq_ok = |r: &Scored| kind_of(r.intent) != IntentKind::SmallTalk;
        let filtered: Vec<Scored>;
        let ranking = if kind_of(top.intent) == IntentKind::SmallTalk
            && ranking
                .iter()
                .any(|r| faq_ok(r) && r.confidence >= s.threshold)
        {
            filtered = ranking.iter().filter(|r| faq_ok(r)).cloned().collect();
            &filtered[..]
        } else {
            ranking
        };
        let top = &ranking[0];
        if top.confidence >= s.threshold {
            if kind_of(top.intent) == IntentKind::OutOfScope {
                return (ReplyKind::Fallback, Vec::new(), Why::OutOfScope(top.intent));
            }
            let exact = top.evidence.nearest.is_some_and(|(_, c)| c >= 1.0);
            // An authored pattern is a precise signal: a runner-up that no
            // pattern speaks for does not make a pattern-backed winner ambiguous.
            let decisive =
                |r: &Scored| top.evidence.pattern.is_some() && r.evidence.pattern.is_none();
            let close: Vec<usize> = ranking[1..]
                .iter()
                .filter(|r| {
                    !exact
                        && !decisive(r)
                        && faq_ok(r)
                        && r.confidence >= top.confidence - s.margin
                        && r.confidence >= CLARIFY_FLOOR * s.threshold
                        && kind_of(r.intent) != IntentKind::OutOfScope
                })
                .map(|r| r.intent)
                .take(2)
                .collect();
            if !close.is_empty() {
                let mut all = vec![top.intent];
                all.extend(close);
                return (
                    ReplyKind::Clarify,
                    all,
                    Why::Close {
                        top: top.confidence,
                        threshold: s.threshold,
                        margin: s.margin,
                    },
                );
            }
            let kind = if kind_of(top.intent) == IntentKind::Handoff {
                ReplyKind::Handoff
            } else {
                ReplyKind::Answer
            };
            let runner = ranking.get(1).map_or(0.0, |r| r.confidence);
            return (
                kind,
                vec![top.intent],
                Why::Clear {
                    top: top.confidence,
                    threshold: s.threshold,
                    lead: top.confidence - runner,
                    margin: s.margin,
                },
            );
        }
        let near: Vec<usize> = ranking
            .iter()
            .filter(|r| {
                r.confidence >= NEAR_MISS * s.threshold
                    && matches!(kind_of(r.intent), IntentKind::Faq)
            })
            .map(|r| r.intent)
            .take(3)
            .collect();
        (
            ReplyKind::Fallback,
            near,
            Why::Below {
                top: top.confidence,
                threshold: s.threshold,
            },
        )
    }

    fn offered_indices(&self, session: &Session) -> Vec<usize> {
        session
            .offered
            .iter()
            .filter_map(|id| self.kb.index_of(id))
            .collect()
    }

    fn match_title(&self, session: &Session, text: &str) -> Option<usize> {
        let norm = self.matcher.normalizer();
        let folded = norm.fold(text);
        if folded.chars().count() < 3 {
            return None;
        }
        let typed: Vec<String> = norm
            .tokens_of_folded(&folded)
            .into_iter()
            .filter(|t| !t.stop)
            .map(|t| t.term)
            .collect();
        let offered = self.offered_indices(session);
        let mut hits = Vec::new();
        for &i in &offered {
            let title = &self.kb.intents[i].title;
            let tf = norm.fold(title);
            let contained = tf.contains(&folded) && folded.contains(' ');
            let title_terms: Vec<String> = norm
                .tokens_of_folded(&tf)
                .into_iter()
                .filter(|t| !t.stop)
                .map(|t| t.term)
                .collect();
            let covered = typed.iter().filter(|t| title_terms.contains(t)).count();
            let coverage = if title_terms.is_empty() {
                0.0
            } else {
                covered as f32 / title_terms.len() as f32
            };
            let all_typed_in_title = !typed.is_empty() && covered == typed.len();
            if contained || (coverage >= TITLE_COVERAGE && all_typed_in_title) {
                hits.push(i);
            }
        }
        (hits.len() == 1).then(|| hits[0])
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

    fn numbered(&self, head: &str, offer: &[usize]) -> (String, Vec<Suggestion>) {
        let suggestions: Vec<Suggestion> = offer.iter().map(|&i| self.suggestion(i)).collect();
        let mut text = head.to_string();
        for (n, s) in suggestions.iter().enumerate() {
            text.push_str(&format!("\n{}. {}", n + 1, s.title));
        }
        (text, suggestions)
    }

    fn answer_reply(
        &self,
        input: &str,
        i: usize,
        confidence: f32,
        ranking: &[Scored],
        session: &mut Session,
        utterance: Option<&str>,
    ) -> Reply {
        let d = &self.kb.intents[i];
        let mut offer: Vec<usize> = d
            .follow_ups
            .iter()
            .filter_map(|f| self.kb.index_of(f))
            .collect();
        if offer.is_empty() && d.id == "help" {
            offer = self.popular_topics();
        }
        let head = if offer.is_empty() {
            d.answer.clone()
        } else if d.id == "help" {
            format!("{}\n\nPopular topics:", d.answer)
        } else {
            // The widget's label, so a German bot says "Verwandte Fragen:".
            format!("{}\n\n{}:", d.answer, self.kb.settings.texts.related)
        };
        let (text, suggestions) = self.numbered(&head, &offer);
        let kind = if d.kind == IntentKind::Handoff {
            ReplyKind::Handoff
        } else {
            ReplyKind::Answer
        };
        session.offered = offer
            .iter()
            .map(|&o| self.kb.intents[o].id.clone())
            .collect();
        session.fallbacks_in_row = 0;
        if d.kind == IntentKind::Faq {
            session.last_intent = Some(d.id.clone());
            session.last_utterance =
                Some(utterance.map_or_else(|| d.title.clone(), str::to_string));
        }
        Reply {
            input: input.to_string(),
            kind,
            intent: Some(d.id.clone()),
            title: Some(d.title.clone()).filter(|t| !t.is_empty()),
            confidence,
            text,
            answer: Some(d.answer.clone()),
            answer_html: None,
            suggestions,
            alternatives: self.alternatives(ranking, Some(i)),
        }
    }

    fn clarify_reply(
        &self,
        input: &str,
        picked: &[usize],
        confidence: f32,
        ranking: &[Scored],
        session: &mut Session,
    ) -> Reply {
        let (text, suggestions) = self.numbered(&self.kb.settings.clarify, picked);
        session.offered = suggestions.iter().map(|s| s.intent.clone()).collect();
        session.fallbacks_in_row = 0;
        Reply {
            input: input.to_string(),
            kind: ReplyKind::Clarify,
            intent: None,
            title: None,
            confidence,
            text,
            answer: None,
            answer_html: None,
            suggestions,
            alternatives: self.alternatives(ranking, None),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn fallback_reply(
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
        if counts {
            session.fallbacks_in_row = session.fallbacks_in_row.saturating_add(1);
            if session.fallbacks_in_row >= s.max_fallbacks {
                kind = ReplyKind::Handoff;
                head = format!("{head}\n\n{}", s.handoff);
                session.fallbacks_in_row = 0;
            }
        }
        if !offer.is_empty() && !lead.is_empty() {
            head = format!("{head}\n\n{lead}");
        }
        let (text, suggestions) = self.numbered(&head, &offer);
        session.offered = suggestions.iter().map(|s| s.intent.clone()).collect();
        Reply {
            input: input.to_string(),
            kind,
            intent: None,
            title: None,
            confidence,
            text,
            answer: None,
            answer_html: None,
            suggestions,
            alternatives: self.alternatives(ranking, None),
        }
    }
}

/// `2`, `#2`, `2.`, `2)`, `option 2`, `number 2`, `nr 2` → 2.
pub fn parse_choice(text: &str) -> Option<usize> {
    let t = text.trim().to_ascii_lowercase();
    let t = t
        .strip_prefix("option")
        .or_else(|| t.strip_prefix("number"))
        .or_else(|| t.strip_prefix("nr"))
        .or_else(|| t.strip_prefix("no."))
        .unwrap_or(&t)
        .trim();
    let t = t
        .trim_start_matches('#')
        .trim_end_matches(['.', ')', '!'])
        .trim();
    if t.is_empty() || t.len() > 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_choices() {
        assert_eq!(parse_choice("2"), Some(2));
        assert_eq!(parse_choice(" #3 "), Some(3));
        assert_eq!(parse_choice("option 1"), Some(1));
        assert_eq!(parse_choice("1."), Some(1));
        assert_eq!(parse_choice("12345678"), None);
        assert_eq!(parse_choice("1 2"), None);
        assert_eq!(parse_choice("two"), None);
    }

    #[test]
    fn sanitizes_escapes_and_length() {
        assert_eq!(sanitize("a\u{1b}[31mb\u{7}"), "a[31mb");
        assert_eq!(sanitize(&"x".repeat(5000)).len(), MAX_INPUT_CHARS);
    }
}
