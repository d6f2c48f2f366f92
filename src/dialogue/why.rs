//! Why the policy decided as it did ([`Why`]), and its text for `/why`
//! and `faqbot explain`; rendered only when shown.

use super::verdict::CLARIFY_FLOOR;
use crate::kb::KnowledgeBase;

/// Why the policy decided as it did; rendered only when shown.
pub(crate) enum Why {
    NoEvidence,
    OutOfScope(usize),
    /// The top reached the threshold, but the out-of-scope intent
    /// `intent` is nearly as close (`top`, `near`: raw confidences, or
    /// confidences when the semantic stage raised a top of little lexical
    /// evidence).
    NearOutOfScope {
        intent: usize,
        top: f32,
        near: f32,
        /// Whether `top` and `near` are raw (lexical) evidence; else
        /// confidences (a top the semantic stage raised on little lexical
        /// evidence).
        raw: bool,
    },
    /// The top reached the threshold, but the message has every content
    /// word of `example`, an example of the out-of-scope intent `intent`
    /// ([`super::verdict::contains_out_of_scope`]).
    ContainsOutOfScope {
        intent: usize,
        example: String,
    },
    /// The message asks whether the business does `verb` to things its
    /// knowledge base never mentions (`unknown`): the top `intent`, which
    /// shares only the verb, is offered, not answered
    /// (`unknown_thing::asks_about_unknown`).
    UnknownThing {
        intent: usize,
        verb: String,
        unknown: Vec<String>,
    },
    /// The message asks about the business `asked` (buying or selling),
    /// and the top `intent`'s phrasings speak only of the other side: it
    /// is offered, not answered (`trade::opposite_trade`).
    OppositeTrade {
        intent: usize,
        asked: super::trade::Trade,
    },
    /// The message asks for a job (`frame`, its words: "you hiring"), and
    /// the top `intent`'s phrasings do not speak of jobs: it is offered,
    /// not answered (`job_enquiry::asks_for_a_job`).
    JobEnquiry {
        intent: usize,
        frame: String,
    },
    /// The message asks for a recommendation (`request`, its words:
    /// "recommend a good"), and the top `intent`'s phrasings and answer do
    /// not speak of recommending: it is offered, not answered
    /// (`recommendation::asks_for_a_recommendation`).
    Recommendation {
        intent: usize,
        request: String,
    },
    /// The message asks when another place (`place`, its words: "the post
    /// office") opens or closes, a place the knowledge base's phrasings
    /// never name: the top `intent` is offered, not answered
    /// (`elsewhere::asks_hours_elsewhere`).
    HoursElsewhere {
        intent: usize,
        place: String,
    },
    /// The FAQ intent `intent` reached the threshold (`top`) without any
    /// of the message's content words in its examples, keywords or answer,
    /// a pattern or the semantic stage: on stop words and its prior alone.
    Unspoken {
        intent: usize,
        top: f32,
        threshold: f32,
    },
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
    /// The top reached the threshold and the runner-up's raw evidence is
    /// within the margin, but `by` kept the runner-up from making the
    /// answer ambiguous.
    Decided {
        top: f32,
        threshold: f32,
        margin: f32,
        by: Decider,
    },
    Below {
        top: f32,
        threshold: f32,
    },
    Pair {
        top: f32,
        second: f32,
        threshold: f32,
    },
    /// Below the threshold, a near miss whose FAQ runner-up's raw
    /// evidence is within the margin (`lead` behind): both offered, and
    /// the fallback does not count towards the handoff.
    NearTie {
        top: f32,
        threshold: f32,
        lead: f32,
        margin: f32,
    },
    /// The verdict answered, but the message's one or two words are
    /// spread over several intents' phrasings ([`super::vague`]).
    Vague(super::vague::Spread),
    /// The verdict answered, but the message's two or three words point
    /// at two intents' topics ([`super::split`]).
    Split(super::split::Split),
    /// The verdict answered `top`, but the message only asks for a
    /// property of what it refers to right after the answer of `last`
    /// ([`super::property::asks_about_it`]): asked which.
    AboutLast {
        last: usize,
        top: usize,
    },
    /// The verdict answered `top`, but the message is a follow-up that
    /// starts with a connective ("what about a shirt?") and the answer of
    /// `last`, just given, has every one of its content words: asked which
    /// (`context::follows_on`, `context::answer_has`).
    FollowsOnLast {
        last: usize,
        top: usize,
    },
    /// The verdict answered `top`, whose title asks a property of the
    /// business's own service ("How much does a tuning cost?"), but the
    /// message asks it of "that" right after a fallback that offered
    /// choices: "that" is what the bot could not read (`property::
    /// names_own_topic`).
    GeneralAfterFallback {
        top: usize,
    },
    /// The verdict answered, but the message only asks for a property of
    /// what it refers to and nothing was answered before; `states` FAQ
    /// answers state that property ([`super::property::unreferred`]):
    /// asked which, offering `shown` of them (at most
    /// [`super::property::UNREFERRED_CHOICES`]).
    Unreferred {
        states: usize,
        shown: usize,
    },
    /// A short message asking a property of what it refers to right after
    /// a reply that offered choices, one of which (this intent) states it
    /// ([`super::property::offered_states`]): that choice, answered at the
    /// threshold.
    OfferedStates(usize),
}

impl Why {
    pub fn render(&self, kb: &KnowledgeBase) -> String {
        match *self {
            Why::NoEvidence => "no intent has any evidence".into(),
            Why::OutOfScope(i) => format!("best match `{}` is marked out of scope", kb.intents[i].id),
            Why::NearOutOfScope { intent, top, near, raw } => format!(
                "`{}`, marked out of scope, is nearly as close: {} {near:.2} ≥ {CLARIFY_FLOOR:.2} × {top:.2}",
                kb.intents[intent].id,
                if raw { "raw" } else { "confidence" }
            ),
            Why::UnknownThing {
                intent,
                ref verb,
                ref unknown,
            } => format!(
                "asks whether we {verb} {:?}, which no example, keyword or answer mentions; `{}` shares only {verb:?}: offered, not answered",
                unknown.join(" "),
                kb.intents[intent].id
            ),
            Why::OppositeTrade { intent, asked } => format!(
                "asks about {}, while the phrasings of `{}` speak of {}: offered, not answered",
                asked.words(),
                kb.intents[intent].id,
                asked.other().words()
            ),
            Why::JobEnquiry { intent, ref frame } => format!(
                "asks about working for us ({frame:?}), which the phrasings of `{}` do not speak of: offered, not answered",
                kb.intents[intent].id
            ),
            Why::Recommendation { intent, ref request } => format!(
                "asks for a recommendation ({request:?}), which `{}` does not speak of: offered, not answered",
                kb.intents[intent].id
            ),
            Why::HoursElsewhere { intent, ref place } => format!(
                "asks when {place:?} opens or closes, a place no example or keyword names: `{}` is offered, not answered",
                kb.intents[intent].id
            ),
            Why::ContainsOutOfScope { intent, ref example } => format!(
                "the message has every content word of {example:?}, an example of `{}`, marked out of scope: the top is offered, not answered",
                kb.intents[intent].id
            ),
            Why::Unspoken { intent, top, threshold } => format!(
                "`{}` reaches {top:.2} ≥ threshold {threshold:.2}, but on none of the message's content words (stop words and its prior alone): not an answer",
                kb.intents[intent].id
            ),
            Why::Close { top, threshold, margin } => format!(
                "{top:.2} ≥ threshold {threshold:.2} but the runner-up's raw evidence is within the margin {margin:.2}"
            ),
            Why::Clear { top, threshold, lead, margin } => {
                let (lead, margin) = apart(lead, margin);
                format!(
                    "{top:.2} ≥ threshold {threshold:.2} and raw margin to the runner-up {lead} > {margin}"
                )
            }
            Why::Decided { top, threshold, margin, ref by } => {
                let by = match *by {
                    Decider::Exact => format!(
                        "an example matches exactly (a runner-up within the raw margin {margin:.2} does not count)"
                    ),
                    Decider::Pattern => format!(
                        "one of its patterns matches (a runner-up within the raw margin {margin:.2} that no pattern speaks for does not count)"
                    ),
                    Decider::SmallTalk(i) => format!(
                        "the runner-up within the raw margin {margin:.2}, `{}`, is small talk, which never makes an answer ambiguous",
                        kb.intents[i].id
                    ),
                    Decider::OutOfScope(i) => format!(
                        "the runner-up within the raw margin {margin:.2}, `{}`, is marked out of scope and is not offered",
                        kb.intents[i].id
                    ),
                    Decider::Floor { top: t, near } => {
                        let share = if t > 0.0 { near / t } else { 0.0 };
                        let (share, floor) = apart(share, CLARIFY_FLOOR);
                        format!(
                            "the runner-up is within the raw margin {margin:.2} but has only {share} of the top's raw evidence (a clarification needs {floor})"
                        )
                    }
                };
                format!("{top:.2} ≥ threshold {threshold:.2} and {by}")
            }
            Why::Below { top, threshold } => {
                let (top, threshold) = apart(top, threshold);
                format!("{top} < threshold {threshold}")
            }
            Why::Pair { top, second, threshold } => {
                let sum = top + second;
                let (top, threshold) = apart(top, threshold);
                format!("{top} < threshold {threshold}, but the top two together reach it ({sum:.2})")
            }
            Why::NearTie { top, threshold, lead, margin } => {
                let (top, threshold) = apart(top, threshold);
                format!(
                    "{top} < threshold {threshold}, and the runner-up's raw evidence is within the margin ({lead:.2} ≤ {margin:.2}): both offered, not counted towards the handoff"
                )
            }
            Why::Vague(ref spread) => spread.render(kb),
            Why::Split(ref split) => split.render(kb),
            Why::GeneralAfterFallback { top } => format!(
                "`{}` asks it of the business's own service, but \"that\" is what the fallback before could not read",
                kb.intents[top].id
            ),
            Why::FollowsOnLast { last, top } => format!(
                "a follow-up (\"and ...\", \"what about ...\") whose content words the answer of `{}` just given has, while its own words point to `{}`: asked which",
                kb.intents[last].id, kb.intents[top].id
            ),
            Why::AboutLast { last, top } => format!(
                "a short message asking a property (how much, how long, extra, ...) of what it refers to (it, that, ...) right after the answer of `{}`: asked whether it means that topic or `{}`, which its own words point to",
                kb.intents[last].id, kb.intents[top].id
            ),
            Why::OfferedStates(i) => format!(
                "a short message asking a property (how much, how long, ...) of what it refers to (it, that, ...) right after a reply that offered choices: `{}`, the one of them whose answer states it, at the threshold",
                kb.intents[i].id
            ),
            Why::Unreferred { states, shown } => format!(
                "a short message asking a property (how much, how long, ...) of what it refers to (it, that, ...) when the reply just before answered nothing: {states} answers state one, asked which{} (first those the reply before offered, then the best ranked)",
                if shown < states {
                    format!(", offering {shown} of them")
                } else {
                    String::new()
                }
            ),
        }
    }
}

/// `a` and `b` for a strict comparison (`a < b`, `a > b`): with two
/// decimals, or as many more as it takes for the two to differ, so that
/// the comparison shown is true ("0.648 < threshold 0.650", not
/// "0.65 < threshold 0.65"). Rounding never reverses an order, it only
/// makes different numbers look equal.
pub(crate) fn apart(a: f32, b: f32) -> (String, String) {
    let mut shown = (format!("{a:.2}"), format!("{b:.2}"));
    for digits in 3..=9 {
        if shown.0 != shown.1 || a == b {
            break;
        }
        shown = (format!("{a:.digits$}"), format!("{b:.digits$}"));
    }
    shown
}

/// What kept a runner-up within the margin from making an answer a
/// clarification ([`Why::Decided`]).
pub(crate) enum Decider {
    /// The top matched one of its examples exactly.
    Exact,
    /// A pattern of the top matched, none of the runner-up's.
    Pattern,
    /// The runner-up (this intent) is small talk.
    SmallTalk(usize),
    /// The runner-up (this intent) is marked out of scope.
    OutOfScope(usize),
    /// The runner-up's raw evidence `near` is below [`CLARIFY_FLOOR`] of
    /// the top's `top`.
    Floor { top: f32, near: f32 },
}
