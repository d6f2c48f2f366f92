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
//! names a topic ([`super::property::ATTRIBUTE_WORDS`]: "how *much* is
//! whitening", where only the price list's phrasings say "much") never
//! splits, nor does a light verb ([`LIGHT_VERBS`]: "use", "get", "need",
//! "find"), which says what is done rather than what about: "what
//! username do i use for eduroam" on a service desk's sheet (trial 30)
//! asked "the username, or specialist software?" because two of the
//! three phrasings saying "use" were the software entry's; nor a verb
//! that relates a thing to what it holds ("contain", "include"): "does it
//! contain beeswax" on a candle shop's sheet (trial 31) asked "vegan, or
//! allergies?" because the allergies row alone says "contain". Nor does a
//! word for the business's own premises ([`super::elsewhere::OWN_PLACE`]:
//! "shop", "store", "office"), which names the business rather than a
//! topic: "do you have an online shop" on a bookshop's sheet (trial 67)
//! asked which of two rows because only another row's phrasings said "the
//! shop".
//!
//! Only for a message ranked on its own (no context, no number or title
//! pick), of two or three content words ([`MAX_WORDS`]) that the knowledge
//! base all knows (an unknown word is no evidence for another intent), whose top is an FAQ
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
/// Light verbs: common verbs that say what is done with a topic rather
/// than name one, compared by base form ("using", "got" too). A rank in
/// English would not do: "children" (246) and "home" (145) are as common
/// as "use" (211) and "get" (151), and name topics.
pub const LIGHT_VERBS: &[&str] = &[
    "use", "get", "make", "go", "want", "need", "know", "see", "find", "give", "put", "keep",
    "let", "try", "say", "tell", "ask", "come", "think", "seem", "mean", "contain", "include",
    "involve", "require",
];

/// Whether `word` (as typed, folded) is one of [`LIGHT_VERBS`] or an
/// inflection of one.
fn light_verb(word: &str) -> bool {
    LIGHT_VERBS.contains(&word)
        || crate::lexicon::english()
            .base_forms(word)
            .any(|b| LIGHT_VERBS.contains(&b))
}

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
///
/// Reads each word's phrasings per intent in the intents' order and keeps
/// only what the rule needs (whether the top has one, their total over the
/// FAQ intents, the first FAQ intent with most of them in the intents'
/// stable order), which is what the first entry of the word's counts
/// sorted most first would give, without sorting or copying them
/// (`reference` in the tests).
pub(crate) fn split(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    analysis: &Analysis,
    ranking: &[Scored],
) -> Option<Split> {
    let top = super::vague::ranked_faq_top(kb, ranking)?;
    let faq = |i: usize| super::vague::is_faq(kb, i);
    let words = matcher.known_content_words(analysis, MAX_WORDS)?;
    if words.len() < 2 {
        return None;
    }
    // The top must stand on at most half of the words: "can i chose a
    // profile foto" ranks the photo entry by two of its three words, and
    // "chose" (in two PIN phrasings) does not make it another topic. (The
    // top is an FAQ intent, so leaving out the others below keeps it.)
    let top_uses = |f: u32| matcher.phrasings_of(f).any(|(i, _)| i == top.intent);
    let used = words.iter().filter(|w| top_uses(w.0)).count();
    if 2 * used > words.len() {
        return None;
    }
    for (f, t) in words {
        let (word, term) = (&t.token.word, &t.token.term);
        // "how much is whitening" asks the whitening entry's price: a
        // word that asks for a property names no topic of its own.
        let attribute = super::property::ATTRIBUTE_WORDS.contains(&word.as_str())
            || light_verb(word)
            || super::elsewhere::is_own_place(word);
        let in_answer = top.evidence.answer_terms.iter().any(|(a, _)| a == term);
        if attribute || in_answer || top_uses(f) {
            continue;
        }
        // The FAQ intent with most phrasings using the word (the first of
        // equals in the stable order), and the phrasings of all of them.
        let rank = |&(i, n): &(usize, u32)| (std::cmp::Reverse(n), matcher.tie_rank(i));
        let mut total = 0u32;
        let mut best: Option<(usize, u32)> = None;
        for c in matcher.phrasings_of(f).filter(|&(i, _)| faq(i)) {
            total += c.1;
            if best.is_none_or(|b| rank(&c) < rank(&b)) {
                best = Some(c);
            }
        }
        if let Some((other, n)) = best {
            if n as f32 >= SPLIT_SHARE * total as f32 {
                return Some(Split {
                    word: word.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule as it was first written: every word's counts sorted most
    /// first (ties in the intents' stable order), the FAQ intents kept,
    /// the first taken.
    fn reference(
        kb: &KnowledgeBase,
        matcher: &Matcher,
        analysis: &Analysis,
        ranking: &[Scored],
    ) -> Option<Split> {
        let top = super::super::vague::ranked_faq_top(kb, ranking)?;
        let faq = |i: usize| super::super::vague::is_faq(kb, i);
        let words = matcher.known_content_words(analysis, MAX_WORDS)?;
        if words.len() < 2 {
            return None;
        }
        let words: Vec<(String, String, crate::matcher::PhrasingCounts)> = words
            .into_iter()
            .map(|(f, t)| {
                let mut counts: crate::matcher::PhrasingCounts = matcher.phrasings_of(f).collect();
                counts.sort_by_key(|&(i, n)| (std::cmp::Reverse(n), matcher.tie_rank(i)));
                (t.token.word.clone(), t.token.term.clone(), counts)
            })
            .collect();
        let top_uses = |counts: &[(usize, u32)]| counts.iter().any(|c| c.0 == top.intent);
        let used = words.iter().filter(|w| top_uses(&w.2)).count();
        if 2 * used > words.len() {
            return None;
        }
        for (word, term, mut counts) in words {
            counts.retain(|&(i, _)| faq(i));
            let attribute = super::super::property::ATTRIBUTE_WORDS.contains(&word.as_str())
                || light_verb(&word)
                || super::super::elsewhere::is_own_place(&word);
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

    fn fields(s: Option<Split>) -> Option<(String, usize, (usize, u32), u32)> {
        s.map(|s| (s.word, s.top, s.other, s.total))
    }

    /// `split` gives the reference's result on messages of two to four
    /// words drawn from the bundled knowledge base's phrasings and a few
    /// others, with every entry of each ranking in turn at its head.
    #[test]
    fn split_is_the_sorted_counts_first_entry() {
        let engine = crate::Engine::bundled().unwrap();
        let (kb, matcher) = (engine.knowledge_base(), engine.matcher());
        let mut vocab: Vec<String> = kb
            .intents
            .iter()
            .flat_map(|d| std::iter::once(&d.title).chain(&d.examples))
            .flat_map(|t| t.split_whitespace().map(str::to_lowercase))
            .collect();
        vocab.extend(["much", "cost", "price", "zzyzx", "the", "how"].map(String::from));
        vocab.sort();
        vocab.dedup();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let (mut cases, mut splits) = (0, 0);
        for _ in 0..3_000 {
            let len = 2 + next(3);
            let text: Vec<&str> = (0..len)
                .map(|_| vocab[next(vocab.len())].as_str())
                .collect();
            let a = matcher.analyze(&text.join(" "));
            let mut ranking = matcher.rank_for_decision(&a, 5);
            for _ in 0..ranking.len().max(1) {
                let want = fields(reference(kb, matcher, &a, &ranking));
                splits += usize::from(want.is_some());
                assert_eq!(fields(split(kb, matcher, &a, &ranking)), want, "{text:?}");
                cases += 1;
                if !ranking.is_empty() {
                    ranking.rotate_left(1);
                }
            }
        }
        assert!(
            cases > 3_000 && splits > 50,
            "{cases} cases, {splits} splits"
        );
    }

    /// A light verb ("use") names no topic: two of three phrasings using it
    /// in another entry do not make "what username do i use" ask which
    /// (trial 30); a topic word does.
    #[test]
    fn a_light_verb_names_no_topic_of_its_own() {
        let kb = KnowledgeBase::from_sources(vec![(
            std::path::PathBuf::from("desk.ron"),
            r#"[
                (id: "username", title: "I don't know my username", examples: ["forgot my username"], answer: "It is on your ID card."),
                (id: "software", title: "Specialist software from home", examples: ["use specialist software at home", "use the remote desktop"], answer: "Use the remote desktop."),
                (id: "wifi", title: "How do I connect to eduroam?", examples: ["eduroam wifi"], answer: "Choose eduroam."),
                (id: "hours", title: "When is the desk open?", examples: ["opening hours"], answer: "9 to 5."),
            ]"#
            .into(),
        )])
        .unwrap();
        let engine = crate::Engine::new(kb);
        let (kb, matcher) = (engine.knowledge_base(), engine.matcher());
        let split_of = |text: &str| {
            let analysis = matcher.analyze(text);
            let ranking = engine.rank(text, 5);
            split(kb, matcher, &analysis, &ranking).map(|s| kb.intents[s.other.0].id.clone())
        };
        assert_eq!(split_of("what username do i use"), None);
        assert_eq!(split_of("username for eduroam").as_deref(), Some("wifi"));
    }
}
