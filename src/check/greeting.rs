//! `greeting-mismatch`: the small-talk answer a user who says "hello"
//! gets differs from `bot.ron`'s `greeting`, the text the chat opens with.
//!
//! `faqbot import --small-talk` copies the greeting into the answer of the
//! small-talk intent for greetings. An author who then edits `bot.ron`'s
//! greeting (as the import's "next:" line asks) changes the opening text,
//! and "hello" still gets the old one (trial 27). The intent is found as a
//! user finds it, not by its id: [`GREETINGS`] are played as the first turn
//! of a fresh conversation, and a small-talk intent they are answered with
//! is the one compared.

use super::locate::SourceIndex;
use super::Finding;
use crate::error::{Diagnostic, Location};
use crate::kb::{location, scan, KnowledgeBase, SETTINGS_FILE};
use crate::reply::ReplyKind;
use crate::schema::IntentKind;
use crate::session::Session;
use crate::Engine;

/// The messages played to find the small-talk intent a greeting gets.
pub const GREETINGS: [&str; 2] = ["hello", "hi"];

/// Whether two texts read the same (white space aside).
pub fn alike(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// The small-talk intents that answer a [`GREETINGS`] message in a fresh
/// conversation, each with the messages it answers, in the order found.
pub fn greeting_intents(engine: &Engine) -> Vec<(usize, Vec<&'static str>)> {
    let kb = engine.knowledge_base();
    let mut out: Vec<(usize, Vec<&'static str>)> = Vec::new();
    for text in GREETINGS {
        let reply = engine.respond(&mut Session::new(), text);
        if reply.kind != ReplyKind::Answer {
            continue;
        }
        let Some(i) = reply.intent.as_deref().and_then(|id| kb.index_of(id)) else {
            continue;
        };
        if kb.intents[i].kind != IntentKind::SmallTalk {
            continue;
        }
        match out.iter_mut().find(|(j, _)| *j == i) {
            Some((_, said)) => said.push(text),
            None => out.push((i, vec![text])),
        }
    }
    out
}

/// One finding per small-talk intent that answers a greeting with a text
/// other than `bot.ron`'s greeting, at its answer, with the greeting's
/// place in `bot.ron` as related.
pub fn run(engine: &Engine, index: &SourceIndex<'_>) -> Vec<Finding> {
    let kb = engine.knowledge_base();
    let greeting = &kb.settings.greeting;
    let mut out = Vec::new();
    for (i, said) in greeting_intents(engine) {
        let def = &kb.intents[i];
        if alike(&def.answer, greeting) {
            continue;
        }
        let quoted: Vec<String> = said.iter().map(|s| format!("{s:?}")).collect();
        let spot = index.value(i, "answer", &def.answer);
        let mut d = Diagnostic::warning(
            "greeting-mismatch",
            format!(
                "a user who types {} gets the answer of small-talk intent `{}`, {:?}, not \
                 {SETTINGS_FILE}'s greeting {greeting:?} that the chat opens with",
                quoted.join(" or "),
                def.id,
                def.answer.trim()
            ),
        )
        .at(spot.location)
        .hint(format!(
            "make them alike: copy {SETTINGS_FILE}'s greeting into this answer, or this answer \
             into {SETTINGS_FILE}'s `greeting`"
        ));
        d.len = spot.len;
        if let Some(at) = setting_place(kb, "greeting") {
            d.related.push((
                at,
                format!("{SETTINGS_FILE}'s greeting: the text the chat opens with"),
            ));
        }
        out.push(d.into());
    }
    out
}

/// Where `bot.ron`'s setting `name` (e.g. `greeting`) is written (its
/// key), if the settings have a file of their own that sets it.
pub(crate) fn setting_place(kb: &KnowledgeBase, name: &str) -> Option<Location> {
    let (path, text) = kb
        .sources
        .iter()
        .find(|(p, _)| p.file_name().is_some_and(|n| n == SETTINGS_FILE))?;
    let (key, _) = scan::field(text, 0..text.len(), name)?;
    Some(location(path, text, key))
}
