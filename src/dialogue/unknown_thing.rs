//! "Do you sell hearing aids?": a question whether the business does
//! something to a thing its knowledge base never mentions.
//!
//! Such a question shares one word with an FAQ entry, the verb ("sell",
//! "fix", "fit", "install"), and names an object no example, keyword or
//! answer has. The verb alone carried confident answers: on FAQ sheets of
//! other businesses, "do you sell hearing aids" got a pharmacy's gift
//! card row at 0.80, "do you fix motorbikes" a bike shop's repair row at
//! 0.80, "can you install an electric car charger" a plumber's boiler row
//! at 0.70, "do you fit heat pumps" the same at 0.71 (trial 50's "can I
//! bring my dog" got a laundrette's detergent row at 0.74 the same way).
//! The entry is offered, not answered (`asks_about_unknown`).
//!
//! The frame is an offer question: "do", "does", "can", "could", "will"
//! or "would", then "you" (or "u", "ya"), perhaps "also", "still" or
//! "ever", then the verb; no question word (what, when, where, how, why,
//! which, who) before it, which asks something else of the verb ("what do
//! you charge for …"). The verb is a content word the knowledge base
//! knows; every other content word of the message is unknown to it (in no
//! example, keyword, title or answer) and everyday English (not a name:
//! "do you come out to wye" names a place the entry may cover), and at
//! least one of them follows the verb. With the semantic stage on, a top
//! the sentence model finds close (a positive semantic contribution, and
//! a closest phrasing at a cosine of at least [`SEMANTIC_CLOSE`]) is left
//! alone: the model may know the thing by another name ("do you sell
//! refurbished bicycles" for a bike shop's second-hand bikes, 0.73), but
//! not every neighbour is the same thing (trial 59: "do you clean
//! curtains" got a carpet cleaner's rugs row, 0.62 to "Do you clean
//! rugs?").

use super::context::CONTEXT_MAX_WORDS;
use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Matcher, Scored};
use crate::schema::IntentKind;
use crate::semantic::SemanticTrace;

word_list! {
    /// Auxiliaries that open an offer question ("do you …", "can you …").
    pub AUXILIARIES, is_auxiliary = ["do", "does", "can", "could", "will", "would"];
}
word_list! {
    /// Words for "you" in an offer question.
    pub YOU, is_you = ["you", "u", "ya"];
}
word_list! {
    /// Words that may stand between "you" and the verb.
    pub BETWEEN, is_between = ["also", "still", "ever", "even"];
}
word_list! {
    /// Question words that, before the frame, ask something other than
    /// whether the business does it ("what do you charge for a scale and
    /// polish").
    pub QUESTION_WORDS, is_question_word = ["what", "when", "where", "how", "why", "which", "who"];
}

/// The cosine (-1.0..=1.0) of the top's closest phrasing above which the
/// sentence model is trusted to know an unknown thing by another name
/// (module doc).
pub const SEMANTIC_CLOSE: f32 = 0.7;

/// The verb and the unknown words (as typed, in order) when the message
/// asks whether the business does something to things its knowledge base
/// never mentions (module doc) and the top of `ranking` is an FAQ intent
/// that is not exactly one of its examples; `None` otherwise. Messages of
/// more than [`CONTEXT_MAX_WORDS`] × 2 words are left alone: a long one
/// says more than its frame.
pub(crate) fn asks_about_unknown(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    analysis: &Analysis,
    ranking: &[Scored],
    semantic: Option<&SemanticTrace>,
) -> Option<(String, Vec<String>)> {
    let top = ranking.first()?;
    // With the semantic stage, a top it finds close is left alone: the
    // model may know the thing by another name ("do you sell refurbished
    // bicycles" for the second-hand bikes).
    let close = top.evidence.semantic > 0.0
        && semantic.is_some_and(|s| {
            s.parts
                .iter()
                .any(|p| p.intent == top.intent && p.phrasing >= SEMANTIC_CLOSE)
        });
    if kb.intents[top.intent].kind != IntentKind::Faq || top.evidence.is_exact() || close {
        return None;
    }
    let tokens = &analysis.tokens;
    if tokens.len() > 2 * CONTEXT_MAX_WORDS {
        return None;
    }
    let word = |k: usize| tokens.get(k).map(|t| t.token.word.as_str());
    // The frame: AUX YOU [BETWEEN] VERB.
    let aux = (0..tokens.len())
        .find(|&k| word(k).is_some_and(is_auxiliary) && word(k + 1).is_some_and(is_you))?;
    if tokens[..aux]
        .iter()
        .any(|t| is_question_word(&t.token.word))
    {
        return None;
    }
    let mut v = aux + 2;
    if word(v).is_some_and(is_between) {
        v += 1;
    }
    let verb = tokens.get(v).filter(|t| t.current_content() && t.known)?;
    let mut unknown = Vec::new();
    let mut after = false;
    for (k, t) in tokens.iter().enumerate() {
        if k == v || !t.current_content() {
            continue;
        }
        if t.known || !t.everyday || t.fills_slot() || matcher.answers_use(&t.token.term) {
            return None;
        }
        after |= k > v;
        unknown.push(t.token.word.clone());
    }
    after.then(|| (verb.token.word.clone(), unknown))
}
