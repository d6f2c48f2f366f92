//! Errors and diagnostics.
//!
//! Loading a knowledge base reports every problem it finds, each as a
//! [`Diagnostic`] that points at `file:line:col`. The public [`Error`] is
//! opaque; match on [`Error::kind`] for the cause.

use std::fmt;
use std::path::PathBuf;

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Loading fails; the knowledge base cannot be used.
    Error,
    /// The knowledge base works but something is likely wrong (`faqbot check`).
    Warning,
}

/// A place in a knowledge-base file. `line` and `col` are 1-based; `col`
/// counts characters, not bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Location {
    /// The file, as given to the loader (bundled files: `intents/NAME.ron`).
    pub file: PathBuf,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// One problem found in a knowledge base.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable, kebab-case name of the rule (`"duplicate-id"`, `"bad-regex"`, ...).
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, when known.
    pub location: Option<Location>,
    /// Other places involved (e.g. the first definition of a duplicate id).
    pub related: Vec<(Location, String)>,
    /// How to fix it, when there is a likely fix ("did you mean `reset_pin`?").
    pub hint: Option<String>,
    /// Length in characters of the offending text that starts at
    /// `location` (what a caret underlines); `None` lets a renderer pick
    /// the token found there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub len: Option<usize>,
}

impl Diagnostic {
    /// An error-severity diagnostic with no location yet.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            related: Vec::new(),
            hint: None,
            len: None,
        }
    }

    /// A warning-severity diagnostic with no location yet.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Sets the location.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Adds a related place with a note.
    pub fn related(mut self, location: Option<Location>, note: impl Into<String>) -> Self {
        if let Some(l) = location {
            self.related.push((l, note.into()));
        }
        self
    }

    /// Sets the length, in characters, of the text at the location.
    pub fn len(mut self, chars: usize) -> Self {
        self.len = Some(chars);
        self
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error[code]: message`, then indented notes and hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(l) = &self.location {
            write!(f, "{l}: ")?;
        }
        write!(f, "{sev}[{}]: {}", self.code, self.message)?;
        for (l, note) in &self.related {
            write!(f, "\n  note: {l}: {note}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// What went wrong; see [`Error::kind`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The knowledge base has errors; all of them are listed.
    Load {
        /// Every problem found, errors first, in file order.
        diagnostics: Vec<Diagnostic>,
    },
    /// A file or directory could not be read.
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A [`crate::dialogue::Decision`] was given to another engine than
    /// the one that made it (e.g. kept across a reload) to explain
    /// ([`crate::explain::Explanation::try_new`]): its intents are
    /// positions in that engine's knowledge base.
    WrongEngine {
        /// The engine that made the decision ([`crate::dialogue::Decision::engine`]).
        decision: crate::EngineId,
        /// The engine asked to explain it ([`crate::Engine::id`]).
        engine: crate::EngineId,
    },
    /// A server could not listen on its address (`faqbot serve --addr`).
    Listen {
        /// The address, as `HOST:PORT`.
        addr: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A data file (JSONL, CSV, RON test file) is malformed.
    Data {
        /// File and position, as `file:line[:col]`.
        at: String,
        /// What is wrong.
        message: String,
    },
}

/// The error type of this crate: an opaque wrapper around [`ErrorKind`].
#[derive(Debug, thiserror::Error)]
#[error("{}", render(&self.kind))]
pub struct Error {
    kind: ErrorKind,
}

fn render(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::Load { diagnostics } => {
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let mut s = String::new();
            for d in diagnostics {
                s.push_str(&d.to_string());
                s.push('\n');
            }
            s.push_str(&format!(
                "knowledge base not loaded: {errors} error{}",
                if errors == 1 { "" } else { "s" }
            ));
            s
        }
        ErrorKind::Io { path, source } => format!("cannot read {}: {source}", path.display()),
        ErrorKind::Listen { addr, source } => {
            format!("cannot listen on {addr}: {}", listen_reason(source))
        }
        ErrorKind::Data { at, message } => format!("{at}: {message}"),
        ErrorKind::WrongEngine { decision, engine } => format!(
            "this decision was made by {decision}, not by {engine} that was asked to explain it \
             (was the knowledge base reloaded in between?): explain a reply with the engine \
             that made it, e.g. keep its Arc<Engine> with the reply"
        ),
    }
}

/// Why an address cannot be listened on, in words an operator can act on.
fn listen_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as Io;
    match e.kind() {
        Io::AddrInUse => {
            "address already in use (is another faqbot or another server running on that port?)"
                .to_string()
        }
        Io::PermissionDenied => {
            "permission denied (ports below 1024 need privileges; use a higher port)".to_string()
        }
        Io::AddrNotAvailable => {
            "this machine has no such address (use 0.0.0.0 for all interfaces)".to_string()
        }
        _ => e.to_string(),
    }
}

impl Error {
    /// The cause.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The diagnostics of a [`ErrorKind::Load`] error; empty for other kinds.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match &self.kind {
            ErrorKind::Load { diagnostics } => diagnostics,
            _ => &[],
        }
    }

    /// A [`ErrorKind::Load`] error of the knowledge base in `dir`: its
    /// `no-intents` diagnostic names `dir` and hints at the subdirectories
    /// that hold `.ron` files ([`crate::kb::files::no_intents`]).
    pub(crate) fn name_the_directory(&mut self, dir: &std::path::Path) {
        if let ErrorKind::Load { diagnostics } = &mut self.kind {
            for d in diagnostics.iter_mut().filter(|d| d.code == "no-intents") {
                *d = crate::kb::files::no_intents(dir);
            }
        }
    }

    pub(crate) fn load(diagnostics: Vec<Diagnostic>) -> Self {
        Error {
            kind: ErrorKind::Load { diagnostics },
        }
    }

    pub(crate) fn wrong_engine(decision: crate::EngineId, engine: crate::EngineId) -> Self {
        Error {
            kind: ErrorKind::WrongEngine { decision, engine },
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error {
            kind: ErrorKind::Io {
                path: path.into(),
                source,
            },
        }
    }

    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub(crate) fn listen(addr: impl Into<String>, source: std::io::Error) -> Self {
        Error {
            kind: ErrorKind::Listen {
                addr: addr.into(),
                source,
            },
        }
    }

    #[cfg_attr(
        not(any(
            feature = "authoring",
            feature = "eval",
            feature = "cli",
            feature = "semantic"
        )),
        allow(dead_code)
    )]
    pub(crate) fn data(at: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Data {
                at: at.into(),
                message: message.into(),
            },
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
