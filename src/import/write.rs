//! Writing an imported knowledge base: the RON text of a list of intents
//! ([`to_ron`]) and the knowledge-base directory ([`write_dir`]:
//! `intents.ron` and a default `bot.ron`).

use super::smalltalk::{smalltalk_for, SMALLTALK_FILE};
use super::INTENTS_FILE;
use crate::error::{Error, Result};
use crate::schema::{BotSettings, IntentDef, IntentKind};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The on-disk form of an intent: [`IntentDef`] without its empty fields.
#[derive(Serialize)]
struct Written<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    title: &'a str,
    #[serde(skip_serializing_if = "is_faq")]
    kind: IntentKind,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    examples: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    keywords: &'a [crate::schema::KeywordDef],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    patterns: &'a [String],
    answer: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    follow_ups: &'a [String],
    #[serde(skip_serializing_if = "is_zero")]
    popularity: u64,
}

fn is_faq(k: &IntentKind) -> bool {
    *k == IntentKind::Faq
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The RON text of a list of intents, as [`write_dir`] writes it, with a
/// leading comment. Deterministic.
///
/// # Errors
/// Only if RON serialisation fails, which plain strings never make it do.
pub fn to_ron(intents: &[IntentDef], comment: &str) -> Result<String> {
    let written: Vec<Written<'_>> = intents
        .iter()
        .map(|d| Written {
            id: &d.id,
            title: &d.title,
            kind: d.kind,
            examples: &d.examples,
            keywords: &d.keywords,
            patterns: &d.patterns,
            answer: &d.answer,
            follow_ups: &d.follow_ups,
            popularity: d.popularity,
        })
        .collect();
    let cfg = ron::ser::PrettyConfig::new()
        .indentor("    ".to_string())
        .struct_names(false)
        .separate_tuple_members(false)
        .escape_strings(false);
    let body = ron::ser::to_string_pretty(&written, cfg)
        .map_err(|e| Error::data("<ron>", e.to_string()))?;
    let mut out = String::new();
    for line in comment.lines() {
        out.push_str("// ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&body);
    out.push('\n');
    Ok(out)
}

/// Writes `intents` to `dir/intents.ron` and default settings to
/// `dir/bot.ron` (creating `dir`). Returns the paths written. With
/// `overwrite`, an existing `bot.ron` is kept, not overwritten: it holds
/// the team's settings (threshold, texts, synonyms), which a re-import of
/// the spreadsheet must not lose; delete it to get the defaults again.
///
/// # Errors
/// [`crate::ErrorKind::Io`] when the directory cannot be created or a file
/// not written; [`crate::ErrorKind::Data`] when `dir` holds other `.ron`
/// files (they would be loaded along) or, without `overwrite`, already
/// holds the files to be written.
pub fn write_dir(
    dir: &Path,
    intents: &[IntentDef],
    comment: &str,
    overwrite: bool,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let ours = [INTENTS_FILE, crate::kb::SETTINGS_FILE, SMALLTALK_FILE];
    let mut clash: Option<(PathBuf, bool)> = None;
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let own = ours.contains(&name);
        if (!overwrite || !own) && clash.as_ref().is_none_or(|c| c.1 && !own) {
            clash = Some((path, own));
        }
    }
    if let Some((path, own)) = clash {
        let hint = if own {
            "pass --force to overwrite the imported files (an existing bot.ron, your settings, is kept)"
        } else {
            "use an empty directory: every .ron file in it is loaded as part of the knowledge base"
        };
        return Err(Error::data(
            path.display().to_string(),
            format!("already exists in the output directory; {hint}"),
        ));
    }
    let intents_path = dir.join(INTENTS_FILE);
    let text = to_ron(intents, comment)?;
    std::fs::write(&intents_path, text).map_err(|e| Error::io(&intents_path, e))?;
    let bot_path = dir.join(crate::kb::SETTINGS_FILE);
    if bot_path.exists() {
        // Only reachable with `overwrite` (checked above): keep it.
        return Ok(vec![intents_path]);
    }
    let cfg = ron::ser::PrettyConfig::new()
        .indentor("    ".to_string())
        .escape_strings(false);
    let settings = ron::ser::to_string_pretty(&BotSettings::default(), cfg)
        .map_err(|e| Error::data("<ron>", e.to_string()))?;
    let bot = format!(
        "// Bot-wide settings (defaults); `faqbot eval` recommends a threshold.\n{settings}\n"
    );
    std::fs::write(&bot_path, bot).map_err(|e| Error::io(&bot_path, e))?;
    Ok(vec![intents_path, bot_path])
}

/// Writes the greeting, thanks and goodbye small talk
/// ([`super::SMALLTALK_RON`]) to `dir/smalltalk.ron`, leaving out any whose
/// id one of `intents` has; call it after [`write_dir`], which checks the
/// directory (`--force` overwrites an earlier `smalltalk.ron` too).
/// Returns the path written, or `None` when every id was taken.
///
/// # Errors
/// [`crate::ErrorKind::Io`] when the file cannot be written.
pub fn write_smalltalk(dir: &Path, intents: &[IntentDef]) -> Result<Option<PathBuf>> {
    let taken: Vec<&str> = intents.iter().map(|d| d.id.as_str()).collect();
    let Some(text) = smalltalk_for(&taken)? else {
        return Ok(None);
    };
    let path = dir.join(SMALLTALK_FILE);
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    Ok(Some(path))
}
