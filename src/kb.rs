//! Loading a knowledge base: RON files → validated [`KnowledgeBase`].
//!
//! Loading never stops at the first problem: every file is parsed and every
//! intent validated, and all errors come back together, each with a
//! `file:line:col`. The rules checked here (all errors):
//!
//! | code | rule |
//! |---|---|
//! | `ron-syntax` | the file is not valid RON, or a value has the wrong type |
//! | `unknown-field` | a field the schema does not have (with a "did you mean") |
//! | `bad-id` | an id that is not `snake_case` (`[a-z0-9_]+`) |
//! | `duplicate-id` | the same id twice (both places are named) |
//! | `unknown-follow-up` | a follow-up naming no intent (with a "did you mean") |
//! | `bad-regex` | a pattern that does not compile (with the regex error) |
//! | `empty-answer` | an answer that is empty or only white space |
//! | `bad-keyword` | an empty keyword, or a weight that is not a positive number |
//! | `bad-setting` | a `bot.ron` value out of range |
//! | `no-intents` | a directory without any intent |

use crate::error::{Diagnostic, Error, Location, Result};
use crate::schema::{BotSettings, IntentDef, IntentKind};
use include_dir::{include_dir, Dir};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub mod files;
mod locate;
pub(crate) mod scan;

pub use files::read_dir_checked;
pub use locate::{did_you_mean, location, offset_of, ron_diagnostic, ron_diagnostic_in};
use locate::{field_key, field_string, intent_places, locations_in_order};

static BUNDLED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/intents");

/// The name of the settings file in a knowledge-base directory.
pub const SETTINGS_FILE: &str = "bot.ron";

/// A validated knowledge base: settings plus intents sorted by id.
///
/// Intents are sorted by id, so the result does not depend on the order of
/// files or of intents within them.
#[derive(Clone, Debug)]
pub struct KnowledgeBase {
    /// Bot-wide settings (defaults when there is no `bot.ron`).
    pub settings: BotSettings,
    /// The intents, sorted by id.
    pub intents: Vec<IntentDef>,
    /// Where each intent (same index as `intents`) was defined.
    pub origins: Vec<Option<Location>>,
    /// The source files as loaded: (path, text). Used by diagnostics.
    pub sources: Vec<(PathBuf, String)>,
}

impl KnowledgeBase {
    /// A hash of the content (the settings and every field of every intent,
    /// in order; not file names, paths or times) as 16 hex digits: equal
    /// for the same knowledge base on every machine running the same
    /// faqbot build, so instances can be compared (`kb.hash` in
    /// `/healthz`). It may differ between faqbot versions.
    pub fn content_hash(&self) -> String {
        crate::matcher::content_hash(self)
    }

    /// The MINI App knowledge base compiled into the binary from `intents/`.
    ///
    /// # Errors
    /// Only if the bundled files are broken, which the test suite rules out.
    ///
    /// Its regex patterns are not compiled to be checked: the test suite
    /// checks every one of them (`bundled_patterns_compile`), so they are
    /// known to compile and the matcher compiles them once, into its sets.
    pub fn bundled() -> Result<Self> {
        match Self::parse_checked(bundled_sources(), false) {
            (Some(kb), _) => Ok(kb),
            (None, diagnostics) => Err(Error::load(diagnostics)),
        }
    }

    /// Loads every `*.ron` file directly inside `dir` (sorted by name).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Io`] when the directory or a file cannot be read;
    /// [`crate::ErrorKind::Load`] with every diagnostic when files are invalid.
    ///
    /// Entries rightly skipped (see [`files`]) are logged as warnings with
    /// `tracing`; [`KnowledgeBase::load_dir_with_warnings`] returns them.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Self> {
        let (kb, warnings) = Self::load_dir_with_warnings(dir)?;
        for w in &warnings {
            tracing::warn!("{w}");
        }
        Ok(kb)
    }

    /// Like [`KnowledgeBase::load_dir`], also returning the warnings about
    /// skipped entries (symlinks to nothing that an editor left, FIFOs,
    /// directories named `*.ron`; see [`files`]).
    ///
    /// # Errors
    /// As [`KnowledgeBase::load_dir`]; an entry that should have been read
    /// and was not (a symlink loop, a dangling symlink, an unreadable file)
    /// is a [`crate::ErrorKind::Load`] diagnostic naming it.
    ///
    /// A directory without intents (`no-intents`) is named in the message,
    /// as given and absolute; the hint names its subdirectories that hold
    /// `.ron` files (the parent of the real knowledge base was given). A
    /// file instead of a directory is an [`crate::ErrorKind::Io`] error
    /// whose message names the file's directory.
    pub fn load_dir_with_warnings(dir: impl AsRef<Path>) -> Result<(Self, Vec<Diagnostic>)> {
        let dir = dir.as_ref();
        let (files, warnings) = read_dir_checked(dir)?;
        match Self::from_sources(files) {
            Ok(kb) => Ok((kb, warnings)),
            Err(mut e) => {
                e.name_the_directory(dir);
                Err(e)
            }
        }
    }

    /// Parses and validates already-read files: `(path, text)` pairs. The
    /// file named `bot.ron` holds settings; every other file a list of intents.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Load`] with every diagnostic found.
    pub fn from_sources(files: Vec<(PathBuf, String)>) -> Result<Self> {
        let (kb, diagnostics) = Self::parse(files);
        match kb {
            Some(kb) => Ok(kb),
            None => Err(Error::load(diagnostics)),
        }
    }

    /// Like [`KnowledgeBase::from_sources`] but returns the diagnostics
    /// alongside: the knowledge base is `Some` exactly when no diagnostic
    /// is an error.
    pub fn parse(files: Vec<(PathBuf, String)>) -> (Option<Self>, Vec<Diagnostic>) {
        Self::parse_checked(files, true)
    }

    /// [`KnowledgeBase::parse`]; `check_patterns: false` skips compiling the
    /// regex patterns to check them (for the bundled files, which the test
    /// suite checks).
    fn parse_checked(
        mut files: Vec<(PathBuf, String)>,
        check_patterns: bool,
    ) -> (Option<Self>, Vec<Diagnostic>) {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        // A UTF-8 byte order mark (Notepad and other Windows tools write
        // one) is no RON: it is dropped, and lines and columns are counted
        // from the character after it, as an editor shows them.
        for (_, text) in &mut files {
            if let Some(rest) = text.strip_prefix('\u{feff}') {
                *text = rest.to_string();
            }
        }
        let mut diags = Vec::new();
        let mut settings = BotSettings::default();
        let mut defs: Vec<Def> = Vec::new();
        for (fi, (path, text)) in files.iter().enumerate() {
            if path.file_name().is_some_and(|n| n == SETTINGS_FILE) {
                match ron_options().from_str::<BotSettings>(text) {
                    Ok(s) => {
                        check_settings(&s, path, text, &mut diags);
                        settings = s;
                    }
                    Err(e) => diags.push(ron_diagnostic_in(path, text, &e)),
                }
                continue;
            }
            match ron_options().from_str::<Vec<IntentDef>>(text) {
                Ok(list) => {
                    let places = intent_places(text, &list);
                    let starts: Vec<Option<usize>> =
                        places.iter().map(|p| p.as_ref().map(|p| p.1)).collect();
                    let locs = locations_in_order(path, text, &starts);
                    for ((def, loc), place) in list.into_iter().zip(locs).zip(places) {
                        defs.push((def, loc, fi, place.map(|p| p.0)));
                    }
                }
                Err(e) => diags.push(ron_diagnostic_in(path, text, &e)),
            }
        }
        if defs.is_empty() && diags.is_empty() {
            diags.push(Diagnostic::error(
                "no-intents",
                "the knowledge base has no intents (no .ron file with a list of intents)",
            ));
        }
        validate(&files, &defs, check_patterns, &mut diags);
        diags.sort_by(|a, b| {
            (a.severity, &a.location, a.code).cmp(&(b.severity, &b.location, b.code))
        });
        if diags
            .iter()
            .any(|d| d.severity == crate::error::Severity::Error)
        {
            return (None, diags);
        }
        defs.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        let (intents, origins) = defs.into_iter().map(|(d, l, _, _)| (d, l)).unzip();
        (
            Some(KnowledgeBase {
                settings,
                intents,
                origins,
                sources: files,
            }),
            diags,
        )
    }

    /// The index of the intent with this id, if any.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.intents
            .binary_search_by(|i| i.id.as_str().cmp(id))
            .ok()
    }

    /// The intent with this id, if any.
    pub fn intent(&self, id: &str) -> Option<&IntentDef> {
        self.index_of(id).map(|i| &self.intents[i])
    }
}

/// The `(path, text)` pairs of the bundled knowledge base, sorted by path;
/// paths are `intents/NAME.ron`.
pub fn bundled_sources() -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = BUNDLED
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "ron"))
        .map(|f| {
            (
                Path::new("intents").join(f.path()),
                String::from_utf8_lossy(f.contents()).into_owned(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Reads `(path, text)` of every `*.ron` file directly inside `dir`
/// (see [`read_dir_checked`], whose warnings this drops).
///
/// # Errors
/// [`crate::ErrorKind::Io`] for an unreadable directory;
/// [`crate::ErrorKind::Load`] for an entry that should have been read and
/// could not be (symlink loop, dangling symlink, unreadable, not UTF-8).
pub fn read_dir_sources(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    Ok(read_dir_checked(dir)?.0)
}

/// The RON dialect of knowledge-base and test files: `Option` fields are
/// written without `Some(...)`.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// An intent as loaded: its definition, where its id is, the index of its
/// file and its byte range in that file (when known).
type Def = (IntentDef, Option<Location>, usize, Option<Range<usize>>);

fn validate(
    files: &[(PathBuf, String)],
    defs: &[Def],
    check_patterns: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, &Option<Location>> = HashMap::new();
    for (def, loc, _, _) in defs {
        if def.id.is_empty()
            || !def
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            diags.push(
                Diagnostic::error(
                    "bad-id",
                    format!("intent id `{}` is not snake_case", def.id),
                )
                .at(loc.clone())
                .hint("ids use lower-case letters, digits and `_`, e.g. `reset_pin`"),
            );
        }
        if let Some(first) = seen.get(def.id.as_str()) {
            diags.push(
                Diagnostic::error("duplicate-id", format!("duplicate intent id `{}`", def.id))
                    .at(loc.clone())
                    .related((*first).clone(), "first defined here"),
            );
        } else {
            seen.insert(&def.id, loc);
        }
    }
    let ids: Vec<&str> = defs.iter().map(|d| d.0.id.as_str()).collect();
    let id_set: std::collections::HashSet<&str> = ids.iter().copied().collect();
    for (def, loc, fi, span) in defs {
        let (path, text) = &files[*fi];
        // A field's key, or a string in a field; else the intent's id.
        let key = |field: &str| {
            span.as_ref()
                .and_then(|r| field_key(path, text, r, field))
                .or_else(|| loc.clone())
        };
        let string = |field: &str, value: &str, inside: bool| {
            span.as_ref()
                .and_then(|r| field_string(path, text, r, field, value, inside))
                .or_else(|| loc.clone())
        };
        if def.answer.trim().is_empty() && def.kind != IntentKind::OutOfScope {
            let written = span
                .as_ref()
                .and_then(|r| field_key(path, text, r, "answer"))
                .is_some();
            // The code of a missing field stays what the RON reader gave
            // before an out-of-scope intent could leave it out.
            let (code, what) = if written {
                ("empty-answer", "has an empty answer")
            } else {
                ("missing-field", "has no `answer`, which FAQ, small-talk and handoff intents need (an out-of-scope intent may leave it out)")
            };
            diags.push(
                Diagnostic::error(code, format!("intent `{}` {what}", def.id)).at(key("answer")),
            );
        }
        for f in &def.follow_ups {
            if !id_set.contains(f.as_str()) {
                let mut d = Diagnostic::error(
                    "unknown-follow-up",
                    format!("follow-up `{f}` of intent `{}` names no intent", def.id),
                )
                .at(string("follow_ups", f, false));
                if let Some(s) = did_you_mean(f, ids.iter().copied()) {
                    d = d.hint(format!("did you mean `{s}`?"));
                }
                diags.push(d);
            }
        }
        for p in def.patterns.iter().filter(|_| check_patterns) {
            if let Err(e) = compile_pattern(p) {
                diags.push(
                    Diagnostic::error(
                        "bad-regex",
                        format!("pattern of intent `{}` does not compile: {e}", def.id),
                    )
                    .at(string("patterns", p, true)),
                );
            }
        }
        for k in &def.keywords {
            let w = k.weight();
            if k.word().trim().is_empty() || !(w.is_finite() && w > 0.0) {
                diags.push(
                    Diagnostic::error(
                        "bad-keyword",
                        format!(
                            "keyword `{}` of intent `{}` must be non-empty with a positive weight",
                            k.word(),
                            def.id
                        ),
                    )
                    .at(string("keywords", k.word(), false)),
                );
            }
        }
    }
}

/// Compiles an authored pattern the way the matcher uses it:
/// case-insensitive, with a size limit so a hostile pattern cannot
/// exhaust memory.
///
/// # Errors
/// The `regex` crate's error, e.g. for an unclosed group.
pub fn compile_pattern(p: &str) -> std::result::Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(p)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
}

fn check_settings(s: &BotSettings, path: &Path, text: &str, diags: &mut Vec<Diagnostic>) {
    let mut bad = |field: &str, msg: String| {
        let off = scan::field(text, 0..text.len(), field).map_or(0, |(key, _)| key);
        diags.push(Diagnostic::error("bad-setting", msg).at(Some(location(path, text, off))));
    };
    if !(0.0..=1.0).contains(&s.threshold) {
        bad(
            "threshold",
            format!("threshold {} is not in 0.0..=1.0", s.threshold),
        );
    }
    if !(0.0..=1.0).contains(&s.margin) {
        bad("margin", format!("margin {} is not in 0.0..=1.0", s.margin));
    }
    if s.max_fallbacks == 0 {
        bad("max_fallbacks", "max_fallbacks must be at least 1".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_patterns_compile() {
        // `KnowledgeBase::bundled` relies on this instead of compiling them.
        let (kb, diags) = KnowledgeBase::parse(bundled_sources());
        let kb = kb.unwrap_or_else(|| panic!("the bundled knowledge base: {diags:?}"));
        let patterns: Vec<&String> = kb.intents.iter().flat_map(|d| &d.patterns).collect();
        assert!(!patterns.is_empty());
        for p in patterns {
            assert!(compile_pattern(p).is_ok(), "{p}");
        }
    }
}
