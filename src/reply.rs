//! The reply to one user turn, and its JSON wire format.
//!
//! One [`Reply`] serialises to exactly one JSON object; pipe mode's `--json`
//! prints one per input line and the HTTP API returns the same object:
//!
//! ```json
//! {"input": "I forgot my app PIN", "kind": "answer", "intent": "reset_pin",
//!  "title": "How do I reset the PIN protection for opening the MINI App?",
//!  "confidence": 0.93, "raised_by": null,
//!  "text": "After three incorrect PIN entries ...\n\n1. ...",
//!  "answer": "After three incorrect PIN entries ...",
//!  "answer_html": "<p>After three incorrect PIN entries ...</p>",
//!  "suggestions": [{"intent": "biometric_login", "title": "..."}],
//!  "alternatives": [{"intent": "delete_mini_id", "confidence": 0.12}],
//!  "top_kind": "faq"}
//! ```

use crate::schema::IntentKind;
use serde::{Deserialize, Serialize};

/// What kind of reply the dialogue policy chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplyKind {
    /// An intent won clearly: its answer is shown, and `intent` names it.
    ///
    /// Also the bot's own short reply to a turn that is no question and no
    /// miss, with `intent`, `title` and `answer` all `null` and
    /// `confidence` 1.0: a bare "yes" with nothing on offer
    /// (`texts.go_on`), a "no" (`texts.declined`, or `texts.farewell` once
    /// the topic is closed), and a greeting, thanks or goodbye that no
    /// small-talk intent answers (`greeting` with the popular topics,
    /// `texts.welcome`, `texts.farewell`). Read `intent` as an `Option`:
    /// `kind == Answer` alone does not promise one.
    Answer,
    /// Two or three intents were too close: the user is asked to pick one.
    Clarify,
    /// Nothing reached the threshold: an honest "I don't know" with popular topics.
    Fallback,
    /// The user asked for a person, or fallbacks repeated: how to reach support.
    Handoff,
}

impl ReplyKind {
    /// The lower-case name used in JSON and test files.
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyKind::Answer => "answer",
            ReplyKind::Clarify => "clarify",
            ReplyKind::Fallback => "fallback",
            ReplyKind::Handoff => "handoff",
        }
    }
}

/// The rule that set a reply's `confidence` to `bot.ron`'s threshold
/// instead of the probability the calibration computed (the reply's
/// `raised_by`; in JSON the snake_case names below). Every such rule
/// gives "at least the threshold": the answer is given, but nothing
/// measured says how likely it is to be right.
///
/// Not named: a confidence the semantic stage's agreement rule kept at
/// the lexical stages' value ("is also the semantically closest intent:
/// kept its lexical confidence"; that value is the lexical calibration's
/// probability), an answer the user picked from the offered choices
/// (1.0), and the bot's own replies that no intent is behind (`top_kind`
/// `null`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RaisedBy {
    /// `"semantic_lead"`: the semantic stage's lead rule
    /// (`semantic::fusion::SEMANTIC_LEAD`): the intent's closest
    /// phrasing is at least 0.5 similar to the question and leads every
    /// other intent's by at least 0.15.
    SemanticLead,
    /// `"semantic_unanimous"`: the semantic stage's unanimity rule
    /// (`semantic::fusion::UNANIMOUS_FLOOR`, knowledge bases of at
    /// most 1,500 examples): the fused top is at least 0.3 likely (0.4
    /// on a sparse knowledge base, `SPARSE_UNANIMOUS_FLOOR`, where it
    /// must also lead the next intent by `UNANIMOUS_LEAD`) and the
    /// closest intent both by phrasing and by answer.
    SemanticUnanimous,
    /// `"last_answer_property"`: a short question for a property ("how
    /// much is that?", "how long does it take?") that the answer just
    /// given states: that answer again (`dialogue::property::states`).
    LastAnswerProperty,
    /// `"last_answer_follow_up"`: a follow-up ("and on sundays?", "is that
    /// within 5 miles?") that
    /// nothing answers, whose content words the answer just given has:
    /// that answer again (`dialogue::context::continues`).
    LastAnswerFollowUp,
    /// `"offered_property"`: a short question for a property ("how much
    /// is that?") right after a reply that offered choices, one of which
    /// states it: that choice (`dialogue::property::offered_states`).
    OfferedProperty,
    /// `"contact_row"`: a request for the business's contact details
    /// ("whats your phone number") that no FAQ entry answers, in a
    /// knowledge base without a handoff intent: the FAQ entry whose answer
    /// gives them (`dialogue::contact_row`) instead of the handoff text.
    ContactRow,
}

impl RaisedBy {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RaisedBy::SemanticLead => "semantic_lead",
            RaisedBy::SemanticUnanimous => "semantic_unanimous",
            RaisedBy::LastAnswerProperty => "last_answer_property",
            RaisedBy::LastAnswerFollowUp => "last_answer_follow_up",
            RaisedBy::OfferedProperty => "offered_property",
            RaisedBy::ContactRow => "contact_row",
        }
    }
}

/// An intent offered to the user as a numbered choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Intent id.
    pub intent: String,
    /// The intent's title (its canonical question).
    pub title: String,
}

/// A runner-up intent and its confidence (0.0..=1.0).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// Intent id.
    pub intent: String,
    /// Confidence in 0.0..=1.0: the calibrated probability that this
    /// intent is right, capped at `1 − p_top` and `p_top` for a runner-up
    /// (the ranking never promises more than one right answer), so two
    /// runner-ups that reach the cap show the same value.
    pub confidence: f32,
}

/// The bot's reply to one user turn. Field names are a public contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// The user's text as received, cleaned ([`crate::dialogue::sanitize`]):
    /// every Unicode whitespace as a space, terminal escape sequences,
    /// other control characters and format characters (bidi controls such
    /// as U+202E, zero-width characters, the BOM, the soft hyphen; but the
    /// joiners and tags inside an emoji) removed, and cut after its first
    /// [`crate::dialogue::MAX_INPUT_CHARS`] (1000) characters (Unicode
    /// scalar values, counted after cleaning): the text that was matched.
    /// `input_truncated` says whether it was cut.
    pub input: String,
    /// Whether `input` was cut at [`crate::dialogue::MAX_INPUT_CHARS`]
    /// characters (the rest of the message was not read). In JSON only
    /// when `true`: a reply without the field was not cut.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub input_truncated: bool,
    /// What the policy decided.
    pub kind: ReplyKind,
    /// The intent answered: set for an `answer` from an intent and for a
    /// `handoff` from the handoff intent. `null` for `clarify` and
    /// `fallback`, for a `handoff` without a handoff intent (a request for
    /// a person, or repeated fallbacks), and for an `answer` that is the
    /// bot's own short reply (a bare yes or no, or a greeting, thanks or
    /// goodbye no small-talk intent answers; see [`ReplyKind::Answer`]).
    pub intent: Option<String>,
    /// Title of `intent`, or `null`.
    pub title: Option<String>,
    /// Confidence of the best-ranked intent, 0.0..=1.0: the calibrated
    /// probability that it is the right one. On an `answer`, that of
    /// `intent` (1.0 when picked from the offered choices); on a
    /// `clarify`, `fallback` or `handoff` without `intent`, that of the
    /// top-ranked intent, whose kind is `top_kind`: with an out-of-scope
    /// intent on top it is the probability that the question is out of
    /// scope (high on a clear off-topic question), else the probability
    /// that the best FAQ answer would have been right (low).
    pub confidence: f32,
    /// The rule that set `confidence` to `bot.ron`'s threshold, where the
    /// calibration (or the semantic fusion's model) computed less: `null`
    /// when `confidence` is the computed probability (nearly every reply).
    /// With a rule named, `confidence` is "at least the threshold" by the
    /// rule's judgement, not a measured probability: in a new owner's
    /// blind trial (a tattoo studio and a window cleaner, with the semantic
    /// stage) answers set at the threshold by a rule were 10 right and 5
    /// wrong, those computed above it 20 right and 0 wrong. A widget may
    /// word such an answer less firmly. See [`RaisedBy`] for the names
    /// (stable, snake_case; more may be added). Added in session 35; no
    /// other field changed.
    pub raised_by: Option<RaisedBy>,
    /// Everything shown to the user: the message and the numbered
    /// suggestions, as text with the answer's Markdown subset left as written
    /// (`**Settings**`); [`Reply::plain_text`] gives it without the marks,
    /// `answer_html` the answer as HTML.
    pub text: String,
    /// The intent's answer text as written (a small Markdown subset, see
    /// [`crate::markup`]), or `null` when no intent was answered.
    pub answer: Option<String>,
    /// `answer` as sanitised HTML (`faqbot::markup::to_html`: paragraphs,
    /// line breaks, emphasis, inline code, lists and http/https/mailto/tel
    /// links with `rel="noopener"`; a phone number in the text is a `tel:`
    /// link), or `null` when `answer` is `null`. Safe to
    /// insert into a page as HTML. Always `null` when faqbot is built
    /// without the cargo feature `html` (on by default).
    #[serde(default)]
    pub answer_html: Option<String>,
    /// On a `handoff` that gives no intent's answer (`answer` is `null`:
    /// `bot.ron`'s `handoff` text, for a request for a person, a request
    /// for contact details no entry answers, or the `max_fallbacks`-th
    /// miss in a row): the reply's message, `text` without its numbered
    /// choices (what a widget shows above its choice buttons), as
    /// sanitised HTML (`markup::text_to_html`, feature `html`): the text exactly
    /// as written, its phone numbers (`tel:`), e-mail and web addresses
    /// links, as an answer's are in `answer_html`. In JSON only when set
    /// (a later addition: no other field changed); never set without the
    /// cargo feature `html`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff_html: Option<String>,
    /// Intents offered as numbered choices, in the order numbered (1-based).
    pub suggestions: Vec<Suggestion>,
    /// On an `answer` with `suggestions`: the heading `text` puts above
    /// them, for a chat widget that shows the answer and the choices apart
    /// (`texts.related` of `bot.ron`, "Related questions", above an
    /// answer's follow-ups; `texts.popular`, "Popular topics", above the
    /// topics a greeting or a call for help offers). In JSON only when
    /// set: clarifications, fallbacks and handoffs introduce their
    /// suggestions with their own lead-in line, which `text` holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestions_label: Option<String>,
    /// The top-ranked intents other than `intent`, best first, at most 3.
    pub alternatives: Vec<Alternative>,
    /// The kind of the intent `confidence` belongs to, in JSON
    /// `"faq"`, `"small_talk"`, `"handoff"` or `"out_of_scope"`: the
    /// top-ranked intent (on a `clarify`, `fallback` or `handoff` without
    /// `intent` it is `alternatives[0]`), or the intent picked from the
    /// offered choices. `"out_of_scope"` means `confidence` is the
    /// probability that the question is one the knowledge base declares
    /// out of scope, not that an answer is right. `null` when nothing was
    /// ranked (an empty message, no evidence at all, a choice that was not
    /// offered, a yes to several offers or a no) or when the reply is the
    /// bot's own text whatever ranked (a greeting, thanks or goodbye in a
    /// knowledge base without a small-talk intent for it, a request for a person in one
    /// without a handoff intent): `confidence` is then 0.0, or 1.0 for a
    /// reply to a yes or no, such a pleasantry or such a request.
    /// A greeting, thanks or goodbye counts as such a pleasantry when no
    /// small-talk intent answers its kind.
    #[serde(default, with = "kind_name")]
    pub top_kind: Option<IntentKind>,
    /// Whether this turn is a miss: a `fallback` for a question the bot
    /// could not answer, or the `handoff` the `max_fallbacks`-th such turn
    /// in a row becomes. It counts towards the handoff. Not a miss: a
    /// clarification, a fallback that asks the user to say more about the
    /// answer just given ("and how much is that?" that nothing answers), an
    /// out-of-scope intent's own reply, a request for a person. In JSON only
    /// when true (an embedding application told the "say more" fallback from
    /// an off-topic one only by its text: trial 28).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub miss: bool,
}

/// [`IntentKind`] in the reply's JSON: lower case with underscores, like
/// `kind` (`"out_of_scope"`), not the RON variant names of the intent files.
pub(crate) mod kind_name {
    use crate::schema::IntentKind;
    use serde::{Deserialize, Deserializer, Serializer};

    const NAMES: [(IntentKind, &str); 4] = [
        (IntentKind::Faq, "faq"),
        (IntentKind::SmallTalk, "small_talk"),
        (IntentKind::Handoff, "handoff"),
        (IntentKind::OutOfScope, "out_of_scope"),
    ];

    pub fn serialize<S: Serializer>(k: &Option<IntentKind>, s: S) -> Result<S::Ok, S::Error> {
        match k.and_then(|k| NAMES.iter().find(|(n, _)| *n == k)) {
            Some((_, name)) => s.serialize_some(name),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<IntentKind>, D::Error> {
        let Some(name) = Option::<String>::deserialize(d)? else {
            return Ok(None);
        };
        NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(k, _)| Some(*k))
            .ok_or_else(|| {
                serde::de::Error::unknown_variant(
                    &name,
                    &["faq", "small_talk", "handoff", "out_of_scope"],
                )
            })
    }
}

impl Reply {
    /// `text` without the numbered choices [`Reply::suggestions`] appends
    /// to it (one line `N. title` each): the message a widget shows above
    /// its choice buttons. All of `text` when it does not end with them.
    pub fn message(&self) -> &str {
        let mut end = self.text.len();
        for (n, s) in self.suggestions.iter().enumerate().rev() {
            let line = format!("\n{}. {}", n + 1, s.title);
            match self.text[..end].strip_suffix(line.as_str()) {
                Some(rest) => end = rest.len(),
                None => return &self.text,
            }
        }
        self.text[..end].trim_end()
    }

    /// The reply as readable plain text for a terminal: `text` with the
    /// answer's Markdown rendered by [`crate::markup::to_plain`] (links as
    /// "text (URL)"). Equal to `text` when the answer has no Markdown.
    pub fn plain_text(&self) -> String {
        match &self.answer {
            Some(a) if self.text.starts_with(a.as_str()) => {
                let mut out = crate::markup::to_plain(a);
                out.push_str(&self.text[a.len()..]);
                out
            }
            _ => self.text.clone(),
        }
    }
}
