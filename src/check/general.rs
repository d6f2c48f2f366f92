//! `general-word`: a word of the whole business, asked alone, gets one
//! FAQ entry's answer.
//!
//! A tattoo studio's owner added the alternate "Do you tattoo teenagers?"
//! to the row "What is the minimum age for a tattoo?"; from then on "do
//! you do tattoos?" (0.90), "what kind of tattoos do you do" (0.82) and
//! "do you do colour tattoos" (0.76) all got the age answer (`faqbot
//! explain`: `words 'tattoo' +0.36`), and no lint could see it: every
//! example still reached its own row. This rule asks the bot, as a
//! customer would.
//!
//! **General words.** A content word (normalised and stemmed like user
//! input; stop words never) is *general* when the phrasings (title and
//! examples) of at least [`MIN_INTENTS`] FAQ intents use it, and either
//! at least [`MIN_SHARE`] of the FAQ intents' phrasings or at least
//! [`ANSWER_SHARE`] of their answers: the business's own subject
//! ("tattoo", "windows", "MINI"), which names no question. At most [`MAX_WORDS`] of them are probed, those
//! that the most intents' phrasings use first (ties by the word).
//!
//! **Probes.** Each general word is played as the first turn of a fresh
//! conversation through the whole pipeline ([`crate::Engine::respond`]), in
//! each of the neutral [`FRAMES`]: the word alone, as the phrasings spell
//! it most often (a noun in its plural when they use one), and "do you do
//! …?" with the word as a customer would write it there
//! ([`GeneralWord::asked`]: a noun in the plural, made regularly when the
//! phrasings only use the singular, "do you do plots?" where a trial read
//! "do you do plot?"), or "do you …?" for a word the phrasings use as a
//! verb ([`VERB_FRAME`]: "do you tune?", where the trial read "do you do
//! tune?"): at most
//! `MAX_WORDS × FRAMES.len()` replies (20), a few milliseconds. A probe
//! answered with an FAQ entry (reply kind `answer`) is a warning, one
//! per word, at that entry: its phrasings with the word are listed (one
//! of them is usually the cause), with `faqbot explain` to see the word's
//! weight. Not when the entry has a phrasing whose only content word is
//! that word ("Do you do tattoos?", "Tattoos?"), or that word beside one
//! of the [`OFFER_VERBS`] ("What classes do you run?"): its author wrote
//! the general question for it. A clarification or a fallback is what the
//! bot should do with a word that names no question.

use super::locate::SourceIndex;
use super::{reach, Finding, Outcome, Witness};
use crate::error::Diagnostic;
use crate::reply::ReplyKind;
use crate::schema::IntentKind;
use crate::{Engine, Session};

pub use crate::kb::general::{GeneralWord, ANSWER_SHARE, MIN_INTENTS, MIN_SHARE};

/// Most general words probed, the most widely used first: the check stays
/// a bounded number of replies whatever the size of the knowledge base.
pub const MAX_WORDS: usize = 10;
/// The probes' frames, `{}` standing for the word: the word alone, and a
/// question about it that asks nothing in particular. Both are what a
/// customer types first (a trial's "do you do tattoos?").
pub const FRAMES: [&str; 2] = ["{}", "do you do {}?"];
/// The second frame for a verb ([`GeneralWord::verb`]): a word the
/// phrasings mostly put right after "you" ("Do you groom cats?", "Can you
/// clean our shop front?") or also spell with `-ed` ("How often should my
/// piano be tuned?"), asked as "do you groom?", not "do you do groom?".
pub const VERB_FRAME: &str = "do you {}?";
/// Verbs that ask what the business offers, and nothing in particular:
/// "What classes do you run?", "Which courses do you offer?". A phrasing
/// of the general word and one of these is the general question (trial
/// 48's pottery studio was warned that "do you do class?" got "What
/// classes do you run?", which is the row for it).
pub const OFFER_VERBS: [&str; 8] = [
    "run", "offer", "offered", "provide", "sell", "teach", "hold", "organise",
];
/// How many of the answered intent's phrasings with the word a finding
/// lists.
const SHOWN: usize = 3;

/// The general words of `engine`'s knowledge base (see the module doc),
/// most widely used first, at most [`MAX_WORDS`].
pub fn general_words(engine: &Engine) -> Vec<GeneralWord> {
    let mut words =
        crate::kb::general::general_words(engine.knowledge_base(), engine.matcher().normalizer());
    words.truncate(MAX_WORDS);
    words
}

/// Runs the rule.
pub fn run(engine: &Engine, index: &SourceIndex<'_>) -> Vec<Finding> {
    let kb = engine.knowledge_base();
    let norm = engine.matcher().normalizer();
    let faq = kb
        .intents
        .iter()
        .filter(|d| d.kind == IntentKind::Faq)
        .count();
    let mut out = Vec::new();
    for g in general_words(engine) {
        // The entry's phrasings that use the word.
        let using = |i: usize| -> Vec<&str> {
            let d = &kb.intents[i];
            let mut out: Vec<&str> = Vec::new();
            // An imported row's question is its title and first example:
            // listed once.
            for t in std::iter::once(&d.title).chain(&d.examples) {
                if !out.contains(&t.as_str())
                    && norm.tokens(t).iter().any(|t| !t.stop && t.term == g.term)
                {
                    out.push(t);
                }
            }
            out
        };
        // A phrasing whose only content word is the word, beside a verb
        // of what the business offers ("What classes do you run?"): the
        // general question, written for this entry.
        let asks_it = |i: usize| {
            let d = &kb.intents[i];
            std::iter::once(&d.title).chain(&d.examples).any(|t| {
                let content: Vec<String> = norm
                    .tokens(t)
                    .into_iter()
                    .filter(|t| !t.stop && !OFFER_VERBS.contains(&t.word.as_str()))
                    .map(|t| t.term)
                    .collect();
                content == [g.term.as_str()]
            })
        };
        // The word alone as the rows spell it; in a question as a
        // customer asks it (a noun in the plural).
        let probes = [
            FRAMES[0].replace("{}", &g.word),
            if g.verb { VERB_FRAME } else { FRAMES[1] }.replace("{}", &g.asked),
        ];
        let answered = probes.into_iter().find_map(|text| {
            let reply = engine.respond(&mut Session::new(), &text);
            let i = reply.intent.as_deref().and_then(|id| kb.index_of(id))?;
            (reply.kind == ReplyKind::Answer
                && kb.intents[i].kind == IntentKind::Faq
                && !asks_it(i))
            .then_some((text, i, reply.confidence))
        });
        let Some((text, i, confidence)) = answered else {
            continue;
        };
        let d = &kb.intents[i];
        let phrasings = using(i);
        let spot = match phrasings.iter().find(|p| **p != d.title) {
            Some(p) => index.value(i, "examples", p),
            None => index.intent(i),
        };
        let quoted: Vec<String> = phrasings
            .iter()
            .take(SHOWN)
            .map(|p| format!("{p:?}"))
            .collect();
        let mut diag = Diagnostic::warning(
            "general-word",
            format!(
                "{text:?} is answered with `{}` ({confidence:.2}), though {:?} is a word of {} \
                 of {faq} FAQ entries' phrasings{}: a customer who asks about it in general gets \
                 this one entry",
                d.id,
                g.word,
                g.intents,
                if g.answers > 0 {
                    format!(" and {} answers", g.answers)
                } else {
                    String::new()
                },
            ),
        )
        .at(spot.location)
        .hint(format!(
            "its phrasings with {:?}: {}; say its own topic without the general word (or add an \
             entry that answers the general question, with {text:?} as an example); `faqbot \
             explain {text:?}` shows what each word adds",
            g.word,
            quoted.join(", ")
        ));
        diag.len = spot.len;
        out.push(Finding {
            diagnostic: diag,
            witness: Some(Witness::GeneralWord {
                word: g.word.clone(),
                intent: d.id.clone(),
                used_by: g.intents,
                phrasings: phrasings.iter().map(|p| p.to_string()).collect(),
                outcome: reach::probe(engine, &text, i),
            }),
        });
    }
    out
}

/// How a finding's probe fared, for [`Witness::notes`].
pub(super) fn note(outcome: &Outcome) -> String {
    format!("{:?} → {}", outcome.text, outcome.summary())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(dir: &str) -> Engine {
        Engine::load(format!("tests/fixtures/authoring/{dir}")).expect("fixture loads")
    }

    #[test]
    fn the_business_s_subject_is_general_and_probed_as_customers_ask() {
        let e = engine("general_word_reworded");
        let words = general_words(&e);
        // "windows": four of nine rows, and the most widely used word.
        assert_eq!(words[0].word, "windows", "{words:?}");
        assert_eq!(words[0].intents, 4);
        assert!(!words[0].verb);
        // Probed, and not answered: a clarification or a fallback.
        let kb = e.knowledge_base();
        assert!(run(&e, &SourceIndex::new(kb)).is_empty());
    }

    #[test]
    fn an_alternate_with_the_general_word_makes_its_row_answer_it() {
        let e = engine("general_word");
        let kb = e.knowledge_base();
        let found = run(&e, &SourceIndex::new(kb));
        assert_eq!(found.len(), 1, "{found:?}");
        let Some(Witness::GeneralWord {
            word,
            intent,
            phrasings,
            outcome,
            ..
        }) = &found[0].witness
        else {
            panic!("{found:?}");
        };
        assert_eq!(word, "windows");
        assert_eq!(intent, "do_you_look_after_shops_and_offices");
        assert_eq!(phrasings, &["Do you do windows for businesses?"]);
        assert_eq!(outcome.text, "do you do windows?");
        assert_eq!(outcome.kind, ReplyKind::Answer);
    }
}
