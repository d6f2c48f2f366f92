//! The words of a message and of an intent's phrasings, read alike by the
//! rules that look at the words themselves (`trade`, `job_enquiry`).

use crate::kb::KnowledgeBase;
use crate::matcher::Analysis;

/// The message's words as the analysis read them: folded, lower case, in
/// order, stop words included.
pub(crate) fn message_words(analysis: &Analysis) -> Vec<&str> {
    analysis
        .tokens
        .iter()
        .map(|t| t.token.word.as_str())
        .collect()
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
