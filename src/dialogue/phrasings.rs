//! The words of a message and of an intent's phrasings, read alike by the
//! rules that look at the words themselves (`trade`, `job_enquiry`).

use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Scored};
use crate::schema::IntentKind;

/// The message's words as the analysis read them: folded, lower case, in
/// order, stop words included.
pub(crate) fn message_words(analysis: &Analysis) -> Vec<&str> {
    analysis
        .tokens
        .iter()
        .map(|t| t.token.word.as_str())
        .collect()
}

/// The top of `ranking` and the message's words, for a rule that may offer
/// an FAQ top instead of answering it: `None` when the top is not an FAQ
/// intent, is one of its examples exactly (the author's own words always
/// answer), or no word of the message passes `opens`, the rule's cheap
/// pre-test (nearly every message fails it and gets no list of words).
pub(crate) fn faq_top_and_words<'a>(
    kb: &KnowledgeBase,
    analysis: &'a Analysis,
    ranking: &'a [Scored],
    opens: impl Fn(&str) -> bool,
) -> Option<(&'a Scored, Vec<&'a str>)> {
    let top = ranking.first()?;
    if kb.intents[top.intent].kind != IntentKind::Faq || top.evidence.is_exact() {
        return None;
    }
    if !analysis.tokens.iter().any(|t| opens(&t.token.word)) {
        return None;
    }
    Some((top, message_words(analysis)))
}

/// Whether `f` holds for the words of any of intent `i`'s phrasings (its
/// title, then its examples), each folded as a message is
/// ([`crate::normalize::fold_text`]: "I'd" → "i would"). A phrasing for
/// which `skip` is true is not folded (a cheap test that spares most
/// phrasings the folding, about 3 k instructions each).
pub(crate) fn any_phrasing(
    kb: &KnowledgeBase,
    i: usize,
    skip: impl Fn(&str) -> bool,
    mut f: impl FnMut(&[&str]) -> bool,
) -> bool {
    let intent = &kb.intents[i];
    std::iter::once(&intent.title)
        .chain(&intent.examples)
        .filter(|text| !skip(text))
        .any(|text| {
            let folded = crate::normalize::fold_text(text);
            let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
            f(&words)
        })
}
