//! Rule 5c, a split message: two or three words that belong to different
//! intents ("emergency dentist", "do kids pay").
//!
//! A short message whose words point at two FAQ entries names a topic that
//! neither answers alone. The ranking still puts one first, by whichever
//! word weighs more, and can be sure of it: on a dental practice's sheet
//! "emergency dentist" was answered with the nervous-patients text at
//! 0.82, because "dentist" is in that row's title and "emergency" only in
//! the emergency-appointment row (trial 26). A receptionist would ask
//! which; so does the bot: an answer the verdict gave becomes a
//! clarification between the top and the other intent, when the top's
//! phrasings (its title and examples) use at most half of the message's
//! content words, and one word that none of them uses, nor its answer
//! text, is one other intent's: it holds at least [`SPLIT_SHARE`] of the
//! FAQ phrasings that use it. A word that asks for a property rather than
//! names a topic ([`super::context::ATTRIBUTE_WORDS`]: "how *much* is
//! whitening", where only the price list's phrasings say "much") never
//! splits.
//!
//! Only for a message ranked on its own (no context, no number or title
//! pick), of two or three content words ([`MAX_WORDS`]) that the knowledge
//! base all knows ([`crate::matcher::Matcher::phrasings_per_word`]: an
//! unknown word is no evidence for another intent), whose top is an FAQ
//! intent without an exact example or a pattern (the author's own
//! decision). Longer messages are questions whose other words say what
//! about the topic ("how do i get the contactless feature to work for my
//! card"); on 500 BANKING77 test lines the rule, bounded so, turned one
//! right answer into a clarification that offers it.

use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Matcher, Scored};

/// The share (0.0..=1.0) of the FAQ phrasings using the word the top lacks
/// that one other intent must hold: half, as for a vague message
/// ([`super::vague::VAGUE_SHARE`]); the word is then more that intent's
/// than every other's together.
pub const SPLIT_SHARE: f32 = 0.5;

/// Most content words of a split message.
pub const MAX_WORDS: usize = 3;

/// A message whose words belong to two intents.
pub(crate) struct Split {
    /// The content word the top's phrasings lack, as typed.
    word: String,
    /// The top intent (answered by the verdict).
    top: usize,
    /// The intent holding most of the word's FAQ phrasings, and how many.
    other: (usize, u32),
    /// FAQ phrasings that use the word.
    total: u32,
}

/// The split of a message whose verdict answered `ranking`'s top, when the
/// rule applies (see the module doc); `None` when the answer stands.
pub(crate) fn split(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    analysis: &Analysis,
    ranking: &[Scored],
) -> Option<Split> {
    let top = super::vague::ranked_faq_top(kb, ranking)?;
    let faq = |i: usize| super::vague::is_faq(kb, i);
    let words = matcher.phrasings_per_word(analysis, MAX_WORDS)?;
    // The top must stand on at most half of the words: "can i chose a
    // profile foto" ranks the photo entry by two of its three words, and
    // "chose" (in two PIN phrasings) does not make it another topic.
    let top_uses = |counts: &[(usize, u32)]| counts.iter().any(|c| c.0 == top.intent);
    let used = words.iter().filter(|w| top_uses(&w.2)).count();
    if 2 * used > words.len() {
        return None;
    }
    for (word, term, mut counts) in words {
        counts.retain(|&(i, _)| faq(i));
        // "how much is whitening" asks the whitening entry's price: a
        // word that asks for a property names no topic of its own.
        let attribute = super::context::ATTRIBUTE_WORDS.contains(&word.as_str());
        let in_answer = top.evidence.answer_terms.iter().any(|(t, _)| *t == term);
        if attribute || in_answer || top_uses(&counts) {
            continue;
        }
        let total: u32 = counts.iter().map(|c| c.1).sum();
        if let Some(&(other, n)) = counts.first() {
            if n as f32 >= SPLIT_SHARE * total as f32 {
                return Some(Split {
                    word,
                    top: top.intent,
                    other: (other, n),
                    total,
                });
            }
        }
    }
    None
}

impl Split {
    /// The clarification's choices: the top, then the intent the other
    /// word points at.
    pub fn choices(&self) -> Vec<usize> {
        vec![self.top, self.other.0]
    }

    /// Why the answer became a clarification, for `/why`.
    pub fn render(&self, kb: &KnowledgeBase) -> String {
        format!(
            "a message that joins two topics: no phrasing of the top `{}` uses '{}', and `{}` has {} of the {} FAQ phrasings that do (at least {:.0}%): asked which",
            kb.intents[self.top].id,
            self.word,
            kb.intents[self.other.0].id,
            self.other.1,
            self.total,
            SPLIT_SHARE * 100.0
        )
    }
}
