//! Rule 5b, a vague message: one or two words that several intents'
//! phrasings share ("account", "mini id").
//!
//! A customer who types a single topic word names a topic, not a question.
//! When the knowledge base's own phrasings with that word are spread over
//! several FAQ intents, the word alone cannot tell which one is meant, however
//! high the ranking puts the intent that happens to use it most ("account"
//! was answered with the delete-MINI-ID steps at 0.93, because that intent
//! says "account" 15 times, against 11 for one car in several accounts and
//! 6 for the account's country). A support agent would ask which topic;
//! so does the bot: an answer the verdict gave becomes a clarification
//! among the intents using the word most, when the top holds less than
//! [`VAGUE_SHARE`] of the FAQ phrasings that use every content word of the
//! message.
//!
//! Only for a message ranked on its own (no context, no number or title
//! pick), of one or two content words the knowledge base knows
//! ([`crate::matcher::Matcher::phrasings_using`]), whose top is an FAQ
//! intent without an exact example or a pattern (the author's own
//! decision). "pin" (36 of 46 phrasings with it are `reset_pin`'s) and
//! "watch" are still answered; "delete account" names a question.

use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Matcher, Scored};
use crate::schema::IntentKind;

/// The share (0.0..=1.0) of the FAQ phrasings using a vague message's words
/// that the top intent must hold to be answered. Half: the word is then
/// more the top's than every other intent's together. On the bundled MINI
/// knowledge base it turns "account" (top share 0.36), "mini id", "id"
/// and "car" into clarifications; "data" (0.63), "country" (0.72), "pin"
/// (0.78) and "photo" (0.76) stay answers.
pub const VAGUE_SHARE: f32 = 0.5;

/// Most intents a vague message's clarification offers (the top and the
/// two next by phrasings, as a close-call clarification does).
pub const VAGUE_CHOICES: usize = 3;

/// Most stop words a vague message has beside its content words: "my
/// account", "the app" name a topic; "where is my card" asks a question
/// whose stop words say what about the card (BANKING77's test lines of
/// that kind lost 3 points of right answers to clarifications without
/// this bound).
pub const MAX_STOP_WORDS: usize = 1;

/// Whether intent `i` is an FAQ intent.
pub(crate) fn is_faq(kb: &KnowledgeBase, i: usize) -> bool {
    kb.intents.get(i).is_some_and(|d| d.kind == IntentKind::Faq)
}

/// `ranking`'s top when the ranking alone put it there: an FAQ intent
/// without an exact example or a pattern (the author's own decision).
/// The rules that turn such an answer into a clarification (this one and
/// [`super::split`]) leave every other answer alone.
pub(crate) fn ranked_faq_top<'r>(kb: &KnowledgeBase, ranking: &'r [Scored]) -> Option<&'r Scored> {
    let top = ranking.first()?;
    let by_author = top.evidence.is_exact() || top.evidence.pattern.is_some();
    (is_faq(kb, top.intent) && !by_author).then_some(top)
}

/// How a vague message's words are spread over the FAQ intents' phrasings.
pub(crate) struct Spread {
    /// The message's content words, as typed (normalised).
    words: Vec<String>,
    /// `(intent, phrasings using every word)`, most first; FAQ intents only.
    counts: Vec<(usize, u32)>,
    /// The top intent and its phrasings with the words.
    top: (usize, u32),
}

/// The spread of a message whose verdict answered `ranking`'s top, when
/// the rule applies (see the module doc); `None` when the answer stands.
pub(crate) fn spread(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    analysis: &Analysis,
    ranking: &[Scored],
) -> Option<Spread> {
    let top = ranked_faq_top(kb, ranking)?;
    let faq = |i: usize| is_faq(kb, i);
    // A topic named, not a question asked: at most one stop word beside
    // the content words ("my account"; "where is my card" asks where).
    let stops = analysis.tokens.iter().filter(|t| t.token.stop).count();
    if stops > MAX_STOP_WORDS {
        return None;
    }
    let (words, mut counts) = matcher.phrasings_using(analysis)?;
    counts.retain(|&(i, _)| faq(i));
    let total: u32 = counts.iter().map(|c| c.1).sum();
    let mine = counts.iter().find(|c| c.0 == top.intent).map_or(0, |c| c.1);
    if counts.len() < 2 || mine as f32 >= VAGUE_SHARE * total as f32 {
        return None;
    }
    Some(Spread {
        words,
        counts,
        top: (top.intent, mine),
    })
}

impl Spread {
    /// The clarification's choices: the top, then the intents using the
    /// words most, at most [`VAGUE_CHOICES`].
    pub fn choices(&self) -> Vec<usize> {
        let mut all = vec![self.top.0];
        all.extend(
            self.counts
                .iter()
                .map(|c| c.0)
                .filter(|&i| i != self.top.0)
                .take(VAGUE_CHOICES - 1),
        );
        all
    }

    /// Why the answer became a clarification, for `/why`.
    pub fn render(&self, kb: &KnowledgeBase) -> String {
        let total: u32 = self.counts.iter().map(|c| c.1).sum();
        let spread: Vec<String> = self
            .counts
            .iter()
            .take(4)
            .map(|&(i, n)| format!("`{}` {n}", kb.intents[i].id))
            .collect();
        let more = if self.counts.len() > 4 { ", ..." } else { "" };
        format!(
            "a vague message: of the {total} FAQ phrasings that use '{}', {} intents share them ({}{more}); the top `{}` has {} of them, less than {:.0}%: asked which",
            self.words.join("' and '"),
            self.counts.len(),
            spread.join(", "),
            kb.intents[self.top.0].id,
            self.top.1,
            VAGUE_SHARE * 100.0
        )
    }
}
