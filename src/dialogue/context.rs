//! Rule 4, context: a short follow-up read together with the previous
//! question ("and on my Apple Watch?" after an answer about the phone).
//!
//! Takes the analysed utterance, its own ranking and the session's last
//! answered question and intent; gives the contextual reading (analysis
//! with the previous question's words at reduced weight, and its
//! ranking) when it should replace the utterance's own: when the
//! utterance starts with a connective ("and", "what about", ...) and the
//! contextual reading scores higher, or when only the contextual reading
//! reaches an answer. After a connective the intent just answered is left
//! out of the contextual ranking: "and in the car?" asks for something else.
//! But a connective follow-up that nothing answers and whose every content
//! word the answer just given has ("and on sundays?" after opening hours
//! that say "including Sundays") gets that answer again (`continues`).
//! A question of its own (a question word first, nothing referring back,
//! no connective) is not read in context, nor is a message without a
//! content word of its own ("the", "why?"; the policy asks such a message
//! to say more, see `Replies::say_more_reply`). Questions for a price or
//! a duration of what was just answered ("how much is that?") are
//! [`super::property`]'s.

pub use super::property::ATTRIBUTE_WORDS;
use super::property::{STATES, UNIT_WORDS};
use super::verdict::verdict_at;
use crate::kb::KnowledgeBase;
use crate::matcher::general_idf::GeneralIdf;
use crate::matcher::{Analysis, Matcher, QueryToken, Scored};
use crate::reply::ReplyKind;
use crate::session::Session;

/// Most words an utterance may have to be read as a context follow-up.
pub const CONTEXT_MAX_WORDS: usize = 7;
/// Most words a longer follow-up may have when it refers back with a
/// pronoun ("will it show in the car too?", "how do I undo that?").
pub const CONTEXT_MAX_REFERRING_WORDS: usize = 14;

word_list! {
    /// Words that refer back to the previous question's topic.
    pub(super) REFERRING, is_referring = ["it", "that", "this", "those", "them", "too"];
}

/// Words that open a question of its own ("how do i join the library").
const QUESTION_WORDS: &[&str] = &[
    "how", "what", "where", "when", "why", "who", "which", "can", "could", "do", "does", "is",
    "are", "will", "would", "should", "may",
];

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

/// Whether `analysis` is a short message that refers back to what was
/// said before ("how does that work?", "can I turn it off?"): at most
/// [`CONTEXT_MAX_REFERRING_WORDS`] words, one of them a referring word.
pub(crate) fn refers_back(analysis: &Analysis) -> bool {
    analysis.tokens.len() <= CONTEXT_MAX_REFERRING_WORDS
        && analysis.tokens.iter().any(|t| is_referring(&t.token.word))
}

/// Whether `analysis` is a short message that points back at what was
/// said before with a pronoun ([`refers_back`] without "too"): "is that
/// number open at night?". "Too" adds to the conversation without
/// pointing at its topic: "can my 7 year old come too" after the
/// first-timers' answer asks about children (trial 47: with the semantic
/// stage on, the children's row was held back from the threshold as if
/// the message were about the first-timers' answer).
pub(crate) fn points_back(analysis: &Analysis) -> bool {
    analysis.tokens.len() <= CONTEXT_MAX_REFERRING_WORDS
        && analysis.tokens.iter().any(|t| is_pronoun(&t.token.word))
}

/// Whether `word` (folded) is one of the [`REFERRING`] words that name
/// what was said before: "it", "that", "this", "those", "them"; not
/// "too", which only adds to it.
pub(super) fn is_pronoun(word: &str) -> bool {
    word != "too" && is_referring(word)
}

/// Whether the current turn's only content words are negations ("why
/// not?", "not really"): said about the answer before, never a question
/// of its own.
pub(crate) fn only_negations(analysis: &Analysis) -> bool {
    let mut content = analysis.tokens.iter().filter(|t| t.current_content());
    let mut any = false;
    let all = content.all(|t| {
        any = true;
        matches!(t.token.word.as_str(), "not" | "no" | "never" | "nope")
    });
    any && all
}

/// The contextual reading of `analysis` (ranked alone as `alone`), if it
/// should replace it (see the module doc); at most 5 ranked intents.
pub(crate) fn reread(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    session: &Session,
    analysis: &Analysis,
    alone: &[Scored],
) -> Option<(Analysis, Vec<Scored>)> {
    let prev = session.last_utterance.as_deref()?;
    // A bare yes or no ("no", "no that's all") answers the bot ("anything
    // else?"), not the question before: read with it, "no" after "thanks"
    // repeated an earlier answer (a user trial: the delete-account steps).
    if super::consent::consent_of_folded(&analysis.folded).is_some() {
        return None;
    }
    let words = analysis.tokens.len();
    let refers = || analysis.tokens.iter().any(|t| is_referring(&t.token.word));
    // Nothing of its own to read with the previous question ("the", "á",
    // "why?"): the contextual reading would only be that question again,
    // answered again at its full confidence.
    let content = analysis.tokens.iter().any(|t| t.current_content());
    if !content || (words > CONTEXT_MAX_WORDS && (words > CONTEXT_MAX_REFERRING_WORDS || !refers()))
    {
        return None;
    }
    let connective = CONNECTIVES
        .iter()
        .any(|c| analysis.folded.starts_with(c) || analysis.folded == c.trim());
    // A question of its own (a question word first, nothing that refers
    // back, no connective) is read alone. Read with the question before,
    // it lands on the intent just answered, which the user has ("how do i
    // join the library" after the wifi answer, whose text says "join the
    // network"), or on a third intent that the two questions' words make
    // up together (trial 36: "do you do finger tattoos" after "ok and can
    // i get it back" about the deposit answered the cover-up entry). "How
    // do I undo that?" refers back and may be read with it.
    let own_question = analysis
        .tokens
        .first()
        .is_some_and(|t| QUESTION_WORDS.contains(&t.token.word.as_str()))
        && !refers();
    if own_question && !connective {
        return None;
    }
    let ctx = matcher.with_context(analysis, prev);
    let mut ranking = matcher.rank_for_decision(&ctx, 6);
    if connective {
        // "And in the car?" after an answer asks for something
        // other than what was just answered.
        let last = session.last_intent.as_deref();
        ranking.retain(|r| Some(kb.intents[r.intent].id.as_str()) != last);
        matcher.recalibrate(&ctx, &mut ranking);
    }
    ranking.truncate(5);
    let s = &kb.settings;
    let answers = |r: &[Scored]| verdict_at(kb, r, s.threshold, s.margin).0 == ReplyKind::Answer;
    let top = |r: &[Scored]| r.first().map_or(0.0, |s| s.confidence);
    let with_ctx = answers(&ranking);
    (with_ctx && ((connective && top(&ranking) > top(alone)) || !answers(alone)))
        .then_some((ctx, ranking))
}

/// Whether `analysis` is a short follow-up that starts with a connective
/// ("and on a mac?", "what about weekends?"): at most
/// [`CONTEXT_MAX_WORDS`] words. Right after an answer it is about that
/// answer's topic: one that nothing answers is asked to say more, with
/// that answer offered, and is no miss (trial 30: "and on a mac?" after
/// the eduroam answer got "Sorry, I don't know" with unrelated topics, and
/// "how do i do that" next was the handoff).
pub(crate) fn follows_on(analysis: &Analysis) -> bool {
    analysis.tokens.len() <= CONTEXT_MAX_WORDS
        && CONNECTIVES.iter().any(|c| analysis.folded.starts_with(c))
}

/// Whether `analysis`, a message that no reading answers right after the
/// answer of intent `last`, is about that answer: it refers back (it,
/// that, ...; [`refers_back`]) and is short (at most [`CONTEXT_MAX_WORDS`]
/// words: "how does that work exactly?"), or longer but with a content
/// word that answer's text has. The bot then asks it to say more, with
/// that answer offered. Trial 58: "you shrank my jumper, what are you
/// going to do about it" (twelve words, none of the answer's) right after
/// the collection answer was asked to say more about collections.
pub(crate) fn refers_back_to(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    last: usize,
    analysis: &Analysis,
) -> bool {
    refers_back(analysis)
        && (analysis.tokens.len() <= CONTEXT_MAX_WORDS || {
            let terms = answer_terms(kb, matcher, last);
            named_content(analysis).any(|t| terms.contains(&t.token.term))
        })
}

/// Whether `analysis` (the current turn, ranked on its own) continues the
/// answer of intent `last` just given: a follow-up of at most
/// [`CONTEXT_MAX_WORDS`] words that starts with a connective ("and on
/// sundays?", "what about a locker?") and whose every content word (at
/// least one) that answer's text has, compared as terms (stemmed, synonyms
/// read), but for everyday words the knowledge base does not know that
/// are more common English (a lower [`crate::lexicon::Lexicon::rank`])
/// than the rarest word the answer has ("what about propane tanks" after
/// an answer that names propane; not "what about pet cremation" after one
/// that says "pet"). The policy asks it only of a turn that would fall back: then the
/// answer just given, which speaks of what is asked, is given again (a user
/// trial on a self-storage sheet: "and on sundays?" after the opening
/// hours, whose answer says "including Sundays", and "what about a
/// locker?" after the prices, which list the locker's, both fell back).
///
/// A short message referring back to that answer (it, that, ...; at most
/// [`CONTEXT_MAX_WORDS`] words) whose every content word the answer's text
/// has continues it too: trial 46, "when do i collect it?" after the
/// Christmas-turkey answer ("… collection is 22nd to 24th December") was
/// asked to say more.
///
/// Not when it asks the same for someone else ("and for grown ups?")
/// whom the answer names only as company ("… with a grown-up";
/// `only_as_company`).
pub(crate) fn continues(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    last: usize,
    analysis: &Analysis,
) -> bool {
    (follows_on(analysis) || (analysis.tokens.len() <= CONTEXT_MAX_WORDS && refers_back(analysis)))
        && answer_has(kb, last, &answer_terms(kb, matcher, last), analysis, false)
        && !(asks_for_someone(analysis) && only_as_company(kb, matcher, last, analysis))
}

/// Whether `analysis` is a follow-up asking the same for someone else:
/// a connective, then "for" ("and for grown ups?", "what about for
/// teenagers?").
fn asks_for_someone(analysis: &Analysis) -> bool {
    CONNECTIVES.iter().any(|c| {
        analysis
            .folded
            .strip_prefix(c)
            .is_some_and(|rest| rest.starts_with("for "))
    })
}

/// Words that may stand between "with" and whom it names ("with *a*
/// grown-up", "with *your* child").
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "your", "their", "his", "her", "our", "my", "one",
];

/// Whether the answer of intent `last` names the content words of
/// `analysis` (at least one of them) only as company: every time one
/// of them occurs in its text, "with" comes before it, but for
/// determiners ([`DETERMINERS`]) and the message's other words ("with a
/// grown-up", "with an adult"). "And for X?" asks what there is for X; an
/// answer for someone else that X only accompanies does not say it.
/// Trial 48: "and for grown ups?" after a pottery's children's answer
/// ("… welcome at our family sessions … with a grown-up") got that
/// answer again ([`continues`]), model or not.
fn only_as_company(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    last: usize,
    analysis: &Analysis,
) -> bool {
    let own: Vec<&str> = named_content(analysis)
        .map(|t| t.token.term.as_str())
        .collect();
    let tokens = matcher.normalizer().tokens(&kb.intents[last].answer);
    let mut seen = false;
    for (i, t) in tokens.iter().enumerate() {
        if !own.contains(&t.term.as_str()) {
            continue;
        }
        seen = true;
        let before = tokens[..i]
            .iter()
            .rev()
            .find(|b| !DETERMINERS.contains(&b.word.as_str()) && !own.contains(&b.term.as_str()));
        if before.is_none_or(|b| b.word != "with") {
            return false;
        }
    }
    seen
}

/// Whether the answer of intent `last` has every content word of the
/// current turn of `analysis` (at least one): as one of its text's
/// `terms` ([`answer_terms`]) or, with `values`, as a property word whose
/// value the text states ([`STATES`]).
pub(super) fn answer_has(
    kb: &KnowledgeBase,
    last: usize,
    terms: &[String],
    analysis: &Analysis,
    values: bool,
) -> bool {
    let text = &kb.intents[last].answer;
    let lower = values.then(|| text.to_lowercase());
    // A unit ("per hour") is stated with any price or duration (the
    // first two of STATES; not with a bare number).
    let stated = |word: &str| {
        lower.as_deref().is_some_and(|lower| {
            STATES.iter().enumerate().any(|(k, (words, re))| {
                (words.contains(&word) || (k < 2 && UNIT_WORDS.contains(&word)))
                    && re.is_match(lower)
            })
        })
    };
    let own: Vec<&QueryToken> = named_content(analysis).collect();
    let inside = |t: &QueryToken| terms.contains(&t.token.term) || stated(&t.token.word);
    if values {
        return !own.is_empty() && own.iter().all(|t| inside(t));
    }
    // A follow-up may add an everyday word the knowledge base does not
    // know, when it is more common English than a word of it the answer
    // has: "what about propane tanks" after an answer that names propane
    // (trial 35), not "what about pet cremation" after one that says
    // "pet" (the new word is the topic).
    // The word's or its base form's rank ("tanks" as "tank").
    let rank = |t: &QueryToken| {
        GeneralIdf::rank(crate::lexicon::english(), &t.token.word).unwrap_or(u32::MAX)
    };
    let Some(rarest) = own.iter().filter(|t| inside(t)).map(|t| rank(t)).max() else {
        return false;
    };
    own.iter()
        .all(|t| inside(t) || (!t.known && t.everyday && rank(t) < rarest))
}

/// Words that stand for a thing named before ("a king size one", "the
/// blue ones"): they name nothing an answer could have.
const PRO_FORMS: &[&str] = &["one", "ones"];

/// The current turn's content words of `analysis` but [`PRO_FORMS`].
pub(super) fn named_content(analysis: &Analysis) -> impl Iterator<Item = &QueryToken> {
    analysis
        .tokens
        .iter()
        .filter(|t| t.current_content() && !PRO_FORMS.contains(&t.token.word.as_str()))
}

/// The content terms of intent `i`'s answer text, as the matcher reads a
/// message (stemmed, synonyms read, stop words left out).
pub(super) fn answer_terms(kb: &KnowledgeBase, matcher: &Matcher, i: usize) -> Vec<String> {
    matcher
        .normalizer()
        .tokens(&kb.intents[i].answer)
        .into_iter()
        .filter(|t| !t.stop)
        .map(|t| t.term)
        .collect()
}
