//! `text-placeholder`: a text of `bot.ron`'s `texts` that lacks the
//! placeholder the reply fills in: `one_near_miss` without `{title}` (the
//! fallback's one near miss is then offered as a numbered list under
//! `near_miss`, and the author's one-line wording is never shown), or
//! `no_choice` without `{n}` (the customer is not told which number was
//! not offered).

use super::Finding;
use crate::dialogue::render::one::TITLE;
use crate::error::{Diagnostic, Location};
use crate::kb::{location, scan, KnowledgeBase, SETTINGS_FILE};

/// One finding per `texts` field of `bot.ron` that is not empty and lacks
/// its placeholder, at its place in `bot.ron`.
pub fn run(kb: &KnowledgeBase) -> Vec<Finding> {
    let t = &kb.settings.texts;
    let fields = [
        (
            "one_near_miss",
            t.one_near_miss.as_str(),
            TITLE,
            "the near miss's title",
        ),
        ("no_choice", t.no_choice.as_str(), "{n}", "the number typed"),
    ];
    let mut out = Vec::new();
    for (name, text, placeholder, what) in fields {
        if text.is_empty() || text.contains(placeholder) {
            continue;
        }
        let d = Diagnostic::warning(
            "text-placeholder",
            format!(
                "{SETTINGS_FILE}'s texts.{name} {text:?} has no {placeholder}, which the reply \
                 replaces with {what}"
            ),
        )
        .at(text_place(kb, name))
        .hint(format!("write {placeholder} where {what} goes"));
        out.push(d.into());
    }
    out
}

/// Where `bot.ron`'s `texts.NAME` is written (its key), if the settings
/// have a file of their own that sets it.
fn text_place(kb: &KnowledgeBase, name: &str) -> Option<Location> {
    let (path, text) = kb
        .sources
        .iter()
        .find(|(p, _)| p.file_name().is_some_and(|n| n == SETTINGS_FILE))?;
    let (_, texts) = scan::field(text, 0..text.len(), "texts")?;
    let (key, _) = scan::field(text, texts, name)?;
    Some(location(path, text, key))
}
