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
//! | `bad-setting` | a `bot.ron` value out of range, or a `language` not in [`LANGUAGES`] |
//! | `no-intents` | a directory without any intent |

use crate::error::{Diagnostic, Error, Location, Result};
use crate::schema::{BotSettings, IntentDef};
use include_dir::{include_dir, Dir};
use std::ops::Range;
use std::path::{Path, PathBuf};

pub mod files;
pub mod general;
mod locate;
mod ron_error;
mod rules;
pub(crate) mod scan;

pub use files::read_dir_checked;
pub use locate::{did_you_mean, location, offset_of};
use locate::{intent_places, locations_in_order};
pub use ron_error::{ron_diagnostic, ron_diagnostic_in};
pub use rules::LANGUAGES;
use rules::{check_settings, no_intents, validate};

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
    /// Sorts the intents by id (stable), their `origins` with them, when
    /// they are not already: a knowledge base built in code (a struct
    /// literal) may list them in any order, and every lookup by id
    /// ([`KnowledgeBase::index_of`]) is a binary search. [`crate::Engine`]
    /// calls it; the loaders sort already.
    pub fn sort_intents(&mut self) {
        if self.intents.is_sorted_by(|a, b| a.id <= b.id) {
            return;
        }
        let mut order: Vec<usize> = (0..self.intents.len()).collect();
        order.sort_by(|&a, &b| self.intents[a].id.cmp(&self.intents[b].id));
        let mut intents: Vec<Option<IntentDef>> = self.intents.drain(..).map(Some).collect();
        self.intents = order.iter().filter_map(|&i| intents[i].take()).collect();
        if self.origins.len() == intents.len() {
            let mut origins: Vec<Option<Option<Location>>> =
                self.origins.drain(..).map(Some).collect();
            self.origins = order.iter().filter_map(|&i| origins[i].take()).collect();
        }
    }

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
    /// Entries rightly skipped (see [`files`]) and a directory without
    /// `bot.ron` are logged as warnings with `tracing` (so a server's
    /// reload says so); [`KnowledgeBase::load_dir_with_warnings`] returns
    /// them.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Self> {
        let (kb, warnings) = Self::load_dir_with_warnings(dir)?;
        for w in &warnings {
            tracing::warn!("{w}");
        }
        Ok(kb)
    }

    /// Like [`KnowledgeBase::load_dir`], also returning the warnings about
    /// skipped entries (symlinks to nothing that an editor left, FIFOs,
    /// directories named `*.ron`; see [`files`]) and `no-settings` when the
    /// directory has `.ron` files but no `bot.ron` (the default texts and
    /// settings are used).
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
        let (files, mut warnings) = read_dir_checked(dir)?;
        warnings.extend(no_settings_warning(dir, &files));
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

    /// A knowledge base built in memory (intents kept in a database, say),
    /// checked and sorted exactly as one loaded from files: every rule of
    /// the module doc's table that applies to values (`bad-id`,
    /// `duplicate-id`, `unknown-follow-up`, `bad-regex`, `empty-answer`
    /// (also for an FAQ intent whose answer was left empty: in memory a
    /// missing field and an empty one are the same), `bad-keyword`,
    /// `bad-setting` for a threshold or margin outside 0.0..=1.0 or NaN,
    /// `max_fallbacks` 0 or an unknown `language`, `no-intents`), then the
    /// intents sorted by id, in any order given. `origins` are all `None`
    /// and `sources` empty, so the popular topics of equal `popularity`
    /// are in id order.
    ///
    /// Build an [`crate::Engine`] from the result with [`crate::Engine::new`]
    /// (which does not validate: a [`KnowledgeBase`] made field by field
    /// skips these checks, and an unsorted one loses follow-ups).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Load`] with every diagnostic found. They have
    /// no `file:line:col` (`location` is `None`, `related` empty): a
    /// message names the intent by its position in `intents`, counted from
    /// 1 like the loader's lines and columns, and its id, then the problem
    /// (``intent #3 (`refund_policy`): follow-up `refunds` names no
    /// intent``). An id given more than once is one `duplicate-id` error
    /// naming every position (`` intents #2 and #4: duplicate intent id
    /// `refund_policy` ``). A settings error names the setting. The
    /// diagnostics are sorted by code, then by position.
    ///
    /// # Example
    ///
    /// ```
    /// use faqbot::schema::{BotSettings, IntentDef};
    /// use faqbot::{Engine, KnowledgeBase, Session};
    ///
    /// // Rows from a database, in its order.
    /// let rows = [
    ///     ("warranty", "How long is the warranty?", "Ten years on panels.", "inverter"),
    ///     ("inverter", "What does the inverter do?", "It turns DC into AC.", ""),
    /// ];
    /// let intents = rows
    ///     .iter()
    ///     .map(|(id, title, answer, follow_up)| IntentDef {
    ///         id: id.to_string(),
    ///         title: title.to_string(),
    ///         answer: answer.to_string(),
    ///         follow_ups: follow_up.split_whitespace().map(String::from).collect(),
    ///         ..IntentDef::default()
    ///     })
    ///     .collect();
    /// let kb = KnowledgeBase::from_intents(BotSettings::default(), intents)?;
    /// let engine = Engine::new(kb);
    /// let reply = engine.respond(&mut Session::new(), "how long is the warranty");
    /// assert_eq!(reply.intent.as_deref(), Some("warranty"));
    /// assert_eq!(reply.suggestions[0].intent, "inverter");
    ///
    /// // The loader's checks: a follow-up that names no intent.
    /// let broken = vec![IntentDef {
    ///     id: "warranty".into(),
    ///     answer: "Ten years.".into(),
    ///     follow_ups: vec!["invertor".into()],
    ///     ..IntentDef::default()
    /// }];
    /// let err = KnowledgeBase::from_intents(BotSettings::default(), broken).unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, "unknown-follow-up");
    /// assert_eq!(
    ///     err.diagnostics()[0].message,
    ///     "intent #1 (`warranty`): follow-up `invertor` names no intent"
    /// );
    /// # Ok::<(), faqbot::Error>(())
    /// ```
    pub fn from_intents(settings: BotSettings, intents: Vec<IntentDef>) -> Result<Self> {
        let mut diags = Vec::new();
        check_settings(&settings, None, &mut diags);
        let defs: Vec<Def> = intents
            .into_iter()
            .map(|d| (d, None, usize::MAX, None))
            .collect();
        if defs.is_empty() {
            diags.push(no_intents("the knowledge base has no intents"));
        }
        validate(&[], &defs, true, &mut diags);
        match Self::assemble(settings, defs, Vec::new(), diags) {
            (Some(kb), _) => Ok(kb),
            (None, diagnostics) => Err(Error::load(diagnostics)),
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
            if let Some(rest) = text.strip_prefix(BOM) {
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
                        check_settings(&s, Some((path, text)), &mut diags);
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
            diags.push(no_intents(
                "the knowledge base has no intents (no .ron file with a list of intents)",
            ));
        }
        validate(&files, &defs, check_patterns, &mut diags);
        Self::assemble(settings, defs, files, diags)
    }

    /// The knowledge base of validated `defs` (sorted by id), unless a
    /// diagnostic is an error; the diagnostics sorted by severity and place.
    fn assemble(
        settings: BotSettings,
        mut defs: Vec<Def>,
        files: Vec<(PathBuf, String)>,
        mut diags: Vec<Diagnostic>,
    ) -> (Option<Self>, Vec<Diagnostic>) {
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
pub(crate) type Def = (IntentDef, Option<Location>, usize, Option<Range<usize>>);

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

/// The `no-settings` warning for a knowledge base directory `dir` whose
/// read `.ron` files (`(path, text)` pairs) include intents but no
/// `bot.ron`: the default texts and settings are used. A deploy that
/// deleted bot.ron before copying the new one, or a sync tool, would swap
/// in an engine with the default greeting and handoff text (library
/// trial, finding 14). `None` when there is a `bot.ron` or no file.
pub(crate) fn no_settings_warning(dir: &Path, files: &[(PathBuf, String)]) -> Option<Diagnostic> {
    let settings = files
        .iter()
        .any(|(p, _)| p.file_name().is_some_and(|n| n == SETTINGS_FILE));
    (!settings && !files.is_empty()).then(|| {
        Diagnostic::warning(
            "no-settings",
            format!(
                "`{}` has no {SETTINGS_FILE}: the default texts and settings are used \
                 (greeting \"{}\", the default handoff text, no synonyms)",
                dir.display(),
                BotSettings::default().greeting
            ),
        )
        .hint("add a bot.ron (`faqbot init` writes one) to name the bot and say how customers reach you")
    })
}

/// The UTF-8 byte order mark that Notepad and other Windows tools write
/// at the start of a file: no RON, so it is dropped before parsing (a
/// knowledge base's files, conversation-test files), and lines and columns
/// count from the character after it.
pub(crate) const BOM: char = '\u{feff}';

#[cfg(test)]
mod tests;
