//! Writing an imported knowledge base: the RON text of a list of intents
//! ([`to_ron`]) and the knowledge-base directory ([`write_dir`]:
//! `intents.ron` and a default `bot.ron`).

use super::smalltalk::{smalltalk_for, SMALLTALK_FILE};
use super::INTENTS_FILE;
use crate::error::{Error, Result};
use crate::schema::{IntentDef, IntentKind};
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
/// `dir/bot.ron` (creating `dir`). Returns the paths written.
///
/// `intents.ron` is [`to_ron`]'s text with one more comment line after
/// the leading comment, `// import-hash: …`, the hash of the rest of the
/// file: [`is_as_imported`] tells from it whether the file was edited
/// since, so that a later import with `overwrite` can keep the edited file
/// ([`back_up_edited`]).
///
/// Without `overwrite`, `dir` must hold no `.ron` file (every one would be
/// loaded as part of the knowledge base). With `overwrite` (`--force`: the
/// spreadsheet was edited and is imported again), only `intents.ron` is
/// replaced: an existing `bot.ron` (the team's settings: threshold, texts,
/// synonyms), `smalltalk.ron` and any other `.ron` file the team added
/// (intents the spreadsheet does not have) are kept and loaded along.
/// Take a [`Backup`] first and restore it when the result does not load
/// (an id of the sheet that one of the kept files has too, a follow-up
/// naming a row that is gone), so that nothing is lost.
///
/// # Errors
/// [`crate::ErrorKind::Io`] when the directory cannot be created or a file
/// not written; [`crate::ErrorKind::Data`] when, without `overwrite`, `dir`
/// holds a `.ron` file.
pub fn write_dir(
    dir: &Path,
    intents: &[IntentDef],
    comment: &str,
    overwrite: bool,
) -> Result<Vec<PathBuf>> {
    write_dir_in(dir, intents, comment, overwrite, "english")
}

/// [`write_dir`], with `language` (a name of [`crate::kb::LANGUAGES`],
/// e.g. what [`super::language::detect`] decided) as the written
/// `bot.ron`'s `language`; when it is not English, `bot.ron`'s texts are
/// faqbot's translation ([`super::translations::default_settings`]: German,
/// French, Spanish, Italian, Dutch, Portuguese) or else English defaults,
/// and its comment says that the import set the language and that the
/// texts are to be checked or translated. In English, the `handoff` text
/// gives the contact details the answers state ([`super::contact`]),
/// when they state any. An existing `bot.ron` is kept as
/// it is.
///
/// # Errors
/// As [`write_dir`].
pub fn write_dir_in(
    dir: &Path,
    intents: &[IntentDef],
    comment: &str,
    overwrite: bool,
    language: &str,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    if !overwrite {
        let ours = [INTENTS_FILE, crate::kb::SETTINGS_FILE, SMALLTALK_FILE];
        let ron = ron_files(dir)?;
        // Name an imported file first, `intents.ron` before the others
        // (what --force overwrites; a new user's trial was told that
        // bot.ron, which --force keeps, "already exists"): the hint to pass
        // --force fits it.
        let clash = ours
            .iter()
            .find_map(|o| ron.iter().find(|p| p.ends_with(o)))
            .or(ron.first());
        if let Some(path) = clash {
            let own = ours.iter().any(|o| path.ends_with(o));
            let hint = if own {
                "pass --force to overwrite the imported intents.ron (an edited one is first copied to intents.ron.bak; bot.ron, your settings, is kept, and so are smalltalk.ron and your own .ron files)"
            } else {
                "every .ron file in it is loaded as part of the knowledge base: use an empty directory, or pass --force to import beside your own files"
            };
            return Err(Error::data(
                path.display().to_string(),
                format!("already exists in the output directory; {hint}"),
            ));
        }
    }
    let intents_path = dir.join(INTENTS_FILE);
    let text = stamp(&to_ron(intents, comment)?);
    std::fs::write(&intents_path, text).map_err(|e| Error::io(&intents_path, e))?;
    let bot_path = dir.join(crate::kb::SETTINGS_FILE);
    if bot_path.exists() {
        // Only reachable with `overwrite` (checked above): keep it.
        return Ok(vec![intents_path]);
    }
    let cfg = ron::ser::PrettyConfig::new()
        .indentor("    ".to_string())
        .escape_strings(false);
    let mut defaults = super::translations::default_settings(language);
    // The way customers reach the team, from the answers
    // ([`super::contact`]); the texts of other languages stay translated.
    let english = language.eq_ignore_ascii_case("english");
    if english {
        if let Some(contact) = super::contact::Contact::find(intents) {
            defaults.handoff = contact.handoff();
        }
    }
    defaults.common_synonyms = english && common_synonyms_fit(intents);
    let settings = ron::ser::to_string_pretty(&defaults, cfg)
        .map_err(|e| Error::data("<ron>", e.to_string()))?;
    let mut head =
        "// Bot-wide settings (defaults); `faqbot eval` recommends a threshold.\n".to_string();
    if !language.eq_ignore_ascii_case("english") {
        let name = super::language::display_name(language);
        let texts = if super::translations::has_texts(language) {
            format!("faqbot's {name} defaults: check them")
        } else {
            "English defaults: translate them".to_string()
        };
        head.push_str(&format!(
            "// language: \"{language}\": `faqbot import` read the source as {name} (its function\n\
             // words); the texts below are {texts}.\n"
        ));
    }
    if defaults.common_synonyms {
        head.push_str(
            "// common_synonyms: true: `faqbot import` turned on the common English synonym groups\n\
             // (\"price\" ~ \"cost\", \"pet\" ~ \"dog\", \"refund\" ~ \"money back\"...; docs/lexicon.md) for this sheet.\n",
        );
    }
    let bot = format!("{head}{settings}\n");
    std::fs::write(&bot_path, bot).map_err(|e| Error::io(&bot_path, e))?;
    Ok(vec![intents_path, bot_path])
}

/// Whether an English sheet of `intents` gets `bot.ron`'s
/// `common_synonyms: true` from `faqbot import`: when it has at most
/// [`crate::matcher::calibrate::SMALL_KB`] examples, counted as the
/// calibration counts them for a small knowledge base.
/// Measured in session 38 (docs/lexicon.md, "Session 38: on for imported
/// small sheets"): on the thirteen test sheets, lexical right answers
/// 77 → 88 of 410, wrong 5 → 8, out of scope unanswered 123 → 124 of
/// 130; with the semantic stage 265 → 270, 23 → 22, 108 → 110. A larger
/// knowledge base (BANKING77) keeps them off: their phrase rewriting
/// costs it about 17 % more instructions a line, and its held-out
/// intents' lines were answered more often.
fn common_synonyms_fit(intents: &[IntentDef]) -> bool {
    let examples: usize = intents.iter().map(|d| d.examples.len()).sum();
    examples <= crate::matcher::calibrate::SMALL_KB
}

/// The start of the comment line that records the hash of what an import
/// wrote to `intents.ron` (see [`write_dir`]); 16 hex digits follow.
pub const IMPORT_HASH: &str = "// import-hash: ";

/// FNV-1a, 64 bits: a hash that stays the same across Rust and faqbot
/// versions (unlike `std`'s), so that a file imported by one version is
/// recognised by the next.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `text` with the [`IMPORT_HASH`] line of its hash inserted after its
/// leading comment lines.
fn stamp(text: &str) -> String {
    let head: usize = text
        .split_inclusive('\n')
        .take_while(|l| l.starts_with("//"))
        .map(str::len)
        .sum();
    format!(
        "{}{IMPORT_HASH}{:016x} (what `faqbot import` wrote; `--force` keeps a copy of this file when it differs)\n{}",
        &text[..head],
        fnv1a(text),
        &text[head..]
    )
}

/// Whether `text`, an `intents.ron`, is still what `faqbot import` wrote:
/// `Some(true)` when its [`IMPORT_HASH`] line matches the rest of the
/// file, `Some(false)` when the file was edited since (any change,
/// comments and line endings included), `None` when it has no such line
/// (written by hand, or by a faqbot from before the line).
pub fn is_as_imported(text: &str) -> Option<bool> {
    let start = text
        .match_indices(IMPORT_HASH)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n')?;
    let line_end = text[start..]
        .find('\n')
        .map_or(text.len(), |n| start + n + 1);
    let recorded = text[start + IMPORT_HASH.len()..line_end]
        .get(..16)
        .and_then(|h| u64::from_str_radix(h, 16).ok())?;
    let rest = format!("{}{}", &text[..start], &text[line_end..]);
    Some(fnv1a(&rest) == recorded)
}

/// Keeps a copy of the `intents.ron` an import with `overwrite` replaced,
/// when it held more than an import wrote: `previous` (its bytes before)
/// is written to `dir/intents.ron.bak` (or `.bak.2`, `.bak.3`, … when that
/// exists; not a `.ron` file, so not loaded) unless [`is_as_imported`]
/// says it was not edited, or it is byte for byte the file written now,
/// `now`. Returns the path of the copy.
///
/// # Errors
/// [`crate::ErrorKind::Io`] when the copy cannot be written.
pub fn back_up_edited(dir: &Path, previous: &[u8], now: &[u8]) -> Result<Option<PathBuf>> {
    if previous == now {
        return Ok(None);
    }
    if let Ok(text) = std::str::from_utf8(previous) {
        if is_as_imported(text) == Some(true) {
            return Ok(None);
        }
    }
    let name = format!("{INTENTS_FILE}.bak");
    let path = std::iter::once(dir.join(&name))
        .chain((2..).map(|n| dir.join(format!("{name}.{n}"))))
        .find(|p| !p.exists())
        .expect("an unused name exists");
    std::fs::write(&path, previous).map_err(|e| Error::io(&path, e))?;
    Ok(Some(path))
}

/// The `.ron` files directly in `dir`, sorted by name.
///
/// # Errors
/// [`crate::ErrorKind::Io`] when `dir` cannot be read.
pub fn ron_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "ron") && path.is_file() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// The files an import writes (`intents.ron`, `bot.ron`,
/// `smalltalk.ron`) as they were before it: their bytes, or that they did
/// not exist. [`Backup::restore`] puts them back, so that an import whose
/// result does not load leaves the directory as it found it.
#[derive(Debug)]
pub struct Backup {
    files: Vec<(PathBuf, Option<Vec<u8>>)>,
}

impl Backup {
    /// Reads the files an import may write in `dir` (which need not exist).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Io`] when one exists but cannot be read.
    pub fn take(dir: &Path) -> Result<Self> {
        let mut files = Vec::new();
        for name in [INTENTS_FILE, crate::kb::SETTINGS_FILE, SMALLTALK_FILE] {
            let path = dir.join(name);
            let bytes = match std::fs::read(&path) {
                Ok(b) => Some(b),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(Error::io(&path, e)),
            };
            files.push((path, bytes));
        }
        Ok(Backup { files })
    }

    /// The bytes `dir/name` had when the backup was taken, `None` when it
    /// did not exist (`name`: `intents.ron`, `bot.ron` or `smalltalk.ron`).
    pub fn before(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p.file_name().is_some_and(|n| n == name))
            .and_then(|(_, b)| b.as_deref())
    }

    /// Puts every file back as it was: earlier bytes rewritten, files that
    /// did not exist removed.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Io`] when a file cannot be written or removed.
    pub fn restore(&self) -> Result<()> {
        for (path, bytes) in &self.files {
            match bytes {
                Some(b) => std::fs::write(path, b).map_err(|e| Error::io(path, e))?,
                None => match std::fs::remove_file(path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(Error::io(path, e))
                    }
                    _ => {}
                },
            }
        }
        Ok(())
    }
}

/// Writes the greeting, thanks and goodbye small talk
/// ([`super::SMALLTALK_RON`]) to `dir/smalltalk.ron`, leaving out any whose
/// id one of `intents` has; call it after [`write_dir`], which checks the
/// directory. An existing `smalltalk.ron` is kept (its answers may have
/// been edited): returns `None` then, as when every id was taken, and
/// otherwise the path written. The greeting intent answers with
/// `greeting` (`bot.ron`'s), when given.
///
/// # Errors
/// [`crate::ErrorKind::Io`] when the file cannot be written.
pub fn write_smalltalk(
    dir: &Path,
    intents: &[IntentDef],
    greeting: Option<&str>,
) -> Result<Option<PathBuf>> {
    let taken: Vec<&str> = intents.iter().map(|d| d.id.as_str()).collect();
    let Some(text) = smalltalk_for(&taken, greeting)? else {
        return Ok(None);
    };
    let path = dir.join(SMALLTALK_FILE);
    if path.exists() {
        return Ok(None);
    }
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    Ok(Some(path))
}
