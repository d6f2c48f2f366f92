//! The notes `faqbot import` prints after writing the knowledge base:
//! the patterns it gave, the language it read, placeholder answers, the
//! semantic stage, and the greeting's copy in `smalltalk.ron`.

use super::Cli;
use crate::schema::{IntentDef, IntentKind};
use crate::KnowledgeBase;
use std::path::{Path, PathBuf};

/// The notes on the rows that got patterns: the location row (index
/// `location` of `intents`, [`crate::import::location`]) and the hours row
/// (`hours`, [`crate::import::hours`]), in that order.
pub(super) fn pattern_notes(
    intents: &[IntentDef],
    location: Option<usize>,
    hours: Option<usize>,
) -> Vec<String> {
    let file = crate::import::INTENTS_FILE;
    let mut notes = Vec::new();
    if let Some(row) = location {
        notes.push(format!(
            "`{}` says where you are: it got patterns for customers' \"where are you?\", \"what's the address?\" and \"how do I find you?\" (in {file}; docs/authoring.md, \"Where are you?\")",
            intents[row].id
        ));
    }
    if let Some(row) = hours {
        notes.push(format!(
            "`{}` gives your opening hours: it got patterns for customers' \"what time do you close?\", \"when do you open?\" and \"are you open now?\" (in {file}; docs/authoring.md, \"Opening hours\")",
            intents[row].id
        ));
    }
    notes
}

/// The note on the language the import read the source in (`guess`),
/// when it is not English: the `language` it wrote to a new `bot.ron`, or
/// that the kept `bot.ron` (`settings`) names another; or, when no
/// language was decided but the source does not read as English, that
/// `language` stays English. `source` is `sheet` or `text`.
pub(super) fn language_note(
    guess: &crate::import::language::Guess,
    language: &str,
    source: &str,
    settings: &crate::schema::BotSettings,
    kept_settings: bool,
) -> Option<String> {
    use crate::import::language::display_name;
    let names = crate::kb::LANGUAGES
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let counts = guess.shown();
    if language == "english" {
        return (guess.not_english() && settings.is_english()).then(|| {
            format!(
                "note: the {source} does not read as English (function words: {counts}), nor \
                 clearly as one other language; bot.ron's `language` is \"{}\": set it to the \
                 {source}'s language ({names}) so that its words are stemmed as that language \
                 and its customers are not told the bot answers only in English",
                settings.language
            )
        });
    }
    let name = display_name(language);
    let kept = settings.language.to_ascii_lowercase();
    let same = crate::kb::LANGUAGES
        .iter()
        .any(|(n, code)| *n == language && (kept == *n || kept == *code));
    if kept_settings {
        return (!same).then(|| {
            format!(
                "note: the {source} reads as {name} (function words: {counts}), but the kept \
                 bot.ron has `language: \"{}\"`: set `language: \"{language}\"` there if the \
                 {source} is in {name}",
                settings.language
            )
        });
    }
    let texts = if crate::import::translations::has_texts(language) {
        format!("are faqbot's {name} defaults: check them")
    } else {
        "are English defaults: translate them".to_string()
    };
    Some(format!(
        "note: the {source} reads as {name} (function words: {counts}), so bot.ron has \
         `language: \"{language}\"`: words are stemmed as {name}, and customers are not told \
         the bot answers only in English; its greeting, fallback, handoff and `texts` {texts} \
         (docs/authoring.md, `bot.ron`). If the {source} is not in {name}, set `language` \
         there ({names})"
    ))
}

/// The note on the answers an import wrote as placeholders (`ids`, in
/// `file`), naming the first five; `None` when there are none.
pub(super) fn placeholder_note(ids: &[&str], file: &Path) -> Option<String> {
    let n = ids.len();
    if n == 0 {
        return None;
    }
    let mut named = ids.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    if n > 5 {
        named.push_str(", ...");
    }
    let (answers, are) = if n == 1 {
        ("answer", "is a placeholder")
    } else {
        ("answers", "are placeholders")
    };
    Some(format!(
        "note: {n} {answers} {are} (in {}: {named}): \
         write them before going live; `faqbot check` warns about each (placeholder-answer), \
         so `--deny-warnings` fails until they are written",
        file.display()
    ))
}

/// The hint a spreadsheet with thinly phrased rows gets when the semantic
/// stage would be off for it: the build lacks the stage, or no model
/// directory is configured (flag, `FAQBOT_SEMANTIC_MODEL` or `bot.ron`).
/// `None` when a model directory is configured in a build with the stage.
/// The figures are the 47 test sheets' (`tests/fixtures/spreadsheet*` and
/// the test sheets of `tests/fixtures/trial-sheets`: 1,430 in-scope and
/// 470 out-of-scope customer questions, written blind; docs/semantic.md;
/// measured in session 45): right answers 343 → 838, wrong answers 19 →
/// 44, out-of-scope questions answered 19 → 54.
pub(super) fn semantic_hint(cli: &Cli, kb: &KnowledgeBase, dir: &Path) -> Option<String> {
    const GAIN: &str =
        "note: on FAQ sheets like this the optional semantic stage (a sentence model) \
        answered 838 instead of 343 of 1,430 customer questions right (wrong: 44 instead of 19; \
        out-of-scope questions answered: 54 of 470 instead of 19; docs/semantic.md)";
    if !crate::semantic::BUILT {
        return Some(format!(
            "{GAIN}; it needs a build with the cargo feature `semantic` (part of the default \
             binary; this one was built without it) and the model \
             (`scripts/get-semantic-model.sh DIR`, then `--semantic-model DIR`)"
        ));
    }
    let configured =
        crate::semantic::model_dir(cli.semantic_model.as_deref(), &kb.settings, Some(dir));
    configured.is_none().then(|| {
        format!(
            "{GAIN}; get the model (`scripts/get-semantic-model.sh DIR` from faqbot's repository, \
             or by hand with pip and unzip: docs/semantic.md, \"For owners\") and run faqbot with \
             `--semantic-model DIR` (or FAQBOT_SEMANTIC_MODEL=DIR, or `semantic_model` in bot.ron)"
        )
    })
}

/// The rest of the "next: edit bot.ron" line when this import wrote
/// `smalltalk.ron` with bot.ron's greeting as the answer of a small-talk
/// intent (found by its text, not its id): that answer is what "hello"
/// gets, so an edited greeting must be made there too (trial 27: the
/// greeting went stale without a word). Empty otherwise.
pub(super) fn greeting_copy_note(kb: &KnowledgeBase, written: &[PathBuf], out: &Path) -> String {
    let smalltalk = out.join(crate::import::SMALLTALK_FILE);
    if !written.contains(&smalltalk) {
        return String::new();
    }
    let greeting = &kb.settings.greeting;
    match kb.intents.iter().find(|d| {
        d.kind == IntentKind::SmallTalk && crate::check::greeting::alike(&d.answer, greeting)
    }) {
        Some(d) => format!(
            "; the greeting is also the answer of the small-talk intent `{}` in {} (what \
             \"hello\" gets): edit both alike (`faqbot check` warns when they differ)",
            d.id,
            smalltalk.display()
        ),
        None => String::new(),
    }
}
