//! Conversation tests: the runner behind `faqbot test` and `cargo test`.
//!
//! Files are RON lists of [`schema::TestCase`] (see [`schema`] for the
//! format). Each case plays in a fresh [`Session`]; a case fails when any
//! expectation of any of its turns does not hold. Cases run in parallel on
//! all cores; the report lists them in file order.

mod check;
pub mod junit;
pub mod schema;

pub use check::{check_turn, similar_ids, unknown_ids};

use crate::error::{Error, Result};
use crate::kb::ron_options;
use crate::reply::Reply;
use crate::session::Session;
use crate::Engine;
use schema::{TestCase, TurnExpect};
use std::fmt;
use std::path::{Path, PathBuf};

/// One test file and its cases.
#[derive(Clone, Debug)]
pub struct TestFile {
    /// Where the cases came from.
    pub path: PathBuf,
    /// The cases, in file order.
    pub cases: Vec<TestCase>,
    /// The 1-based line where each case (same index) starts, when found.
    pub lines: Vec<Option<usize>>,
}

/// The line of each case: where its name (or first user text) is written,
/// searched in order through the file.
fn case_lines(text: &str, cases: &[TestCase]) -> Vec<Option<usize>> {
    let mut from = 0;
    cases
        .iter()
        .map(|c| {
            let needle = match (
                &c.name,
                c.user.as_ref().or(c.turns.first().map(|t| &t.user)),
            ) {
                (Some(n), _) => format!("{n:?}"),
                (None, Some(u)) => format!("{u:?}"),
                (None, None) => return None,
            };
            let at = from + text[from..].find(&needle)?;
            from = at + needle.len();
            Some(text[..at].matches('\n').count() + 1)
        })
        .collect()
}

/// Reads one test file.
///
/// # Errors
/// I/O errors, or a `file:line:col` data error for malformed RON.
pub fn load_file(path: &Path) -> Result<TestFile> {
    let read = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let text = read.strip_prefix(crate::kb::BOM).unwrap_or(&read);
    let cases: Vec<TestCase> = ron_options().from_str(text).map_err(|e| {
        let d = crate::kb::ron_diagnostic_in(path, text, &e);
        let at = d
            .location
            .as_ref()
            .map_or_else(|| path.display().to_string(), |l| l.to_string());
        let mut message = format!("error[{}]: {}", d.code, d.message);
        if looks_like_knowledge_base(path, text) {
            message.push_str(
                "\n  hint: this looks like a knowledge-base file (bot settings or intents with \
                 `answer:`), not a conversation test: name the knowledge base with `--intents` \
                 and the test files after it (`faqbot test --intents KB TESTS.ron`)",
            );
        } else if let Some(h) = &d.hint {
            message.push_str(&format!("\n  hint: {h}"));
        }
        Error::data(at, message)
    })?;
    for (i, c) in cases.iter().enumerate() {
        if c.turns.is_empty() && c.user.is_none() {
            return Err(Error::data(
                path.display().to_string(),
                format!("case {} has neither `turns` nor `user`", i + 1),
            ));
        }
    }
    Ok(TestFile {
        path: path.to_path_buf(),
        lines: case_lines(text, &cases),
        cases,
    })
}

/// Whether a file that failed to parse as a test file is a knowledge-base
/// file: `bot.ron`, or intents (`answer:`) without a test's `user:`. A new
/// owner's `faqbot test --intents KB KB` got the RON parser's hint about
/// `bot.ron` settings, which did not say that the directory was the wrong
/// one (trial 55).
fn looks_like_knowledge_base(path: &Path, text: &str) -> bool {
    path.file_name().is_some_and(|name| name == "bot.ron")
        || (text.contains("answer:") && !text.contains("user:"))
}

/// Reads test files; a directory stands for the `*.ron` files directly in
/// it, sorted by name.
///
/// # Errors
/// As [`load_file`]; also an unreadable directory.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<TestFile>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect();
            inner.sort();
            for f in inner {
                files.push(load_file(&f)?);
            }
        } else {
            files.push(load_file(p)?);
        }
    }
    Ok(files)
}

impl TestCase {
    /// The turns, with the one-turn shorthand expanded.
    pub fn all_turns(&self) -> Vec<TurnExpect> {
        let mut turns = self.turns.clone();
        if let Some(user) = &self.user {
            turns.insert(
                0,
                TurnExpect {
                    user: user.clone(),
                    intent: self.intent.clone(),
                    not_intent: self.not_intent.clone(),
                    kind: self.kind,
                    answer_contains: self.answer_contains.clone(),
                    text_contains: self.text_contains.clone(),
                    suggestions_include: self.suggestions_include.clone(),
                    suggestions_exclude: self.suggestions_exclude.clone(),
                    min_confidence: self.min_confidence,
                    raised_by: self.raised_by.clone(),
                },
            );
        }
        turns
    }

    /// The case's name, or its first user turn.
    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| {
            self.all_turns()
                .first()
                .map(|t| format!("{:?}", t.user))
                .unwrap_or_default()
        })
    }
}

/// A turn whose reply broke an expectation.
#[derive(Clone, Debug)]
pub struct TurnFailure {
    /// 1-based turn number.
    pub turn: usize,
    /// What the user said.
    pub user: String,
    /// What the bot replied.
    pub reply: Reply,
    /// Each broken expectation: "intent: expected `a`, got `b`".
    pub problems: Vec<String>,
    /// The top intents for this turn with their confidences.
    pub top: Vec<(String, f32)>,
}

/// The outcome of one case.
#[derive(Clone, Debug)]
pub struct CaseOutcome {
    /// The file the case is in.
    pub file: PathBuf,
    /// The 1-based line where the case starts, when known.
    pub line: Option<usize>,
    /// The case's display name.
    pub name: String,
    /// The first failing turn, or `None` when the case passed.
    pub failure: Option<TurnFailure>,
}

/// Plays one case in a fresh session; `line` is where it starts in its file.
pub fn run_case(engine: &Engine, file: &Path, line: Option<usize>, case: &TestCase) -> CaseOutcome {
    let mut session = Session::new();
    let mut failure = None;
    for (n, turn) in case.all_turns().iter().enumerate() {
        let (reply, decision) = engine.respond_traced(&mut session, &turn.user);
        let mut problems = unknown_ids(engine, turn);
        problems.extend(check_turn(turn, &reply));
        if !problems.is_empty() {
            let kb = engine.knowledge_base();
            failure = Some(TurnFailure {
                turn: n + 1,
                user: turn.user.clone(),
                top: decision
                    .ranking
                    .iter()
                    .take(3)
                    .map(|s| (kb.intents[s.intent].id.clone(), s.confidence))
                    .collect(),
                reply,
                problems,
            });
            break;
        }
    }
    CaseOutcome {
        file: file.to_path_buf(),
        line,
        name: case.display_name(),
        failure,
    }
}

/// The outcome of a whole run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every case's outcome, in file order.
    pub outcomes: Vec<CaseOutcome>,
}

impl Report {
    /// Number of cases that passed.
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.failure.is_none()).count()
    }

    /// Number of cases that failed.
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }

    /// The failed cases.
    pub fn failures(&self) -> impl Iterator<Item = &CaseOutcome> {
        self.outcomes.iter().filter(|o| o.failure.is_some())
    }
}

impl fmt::Display for Report {
    /// Each failure with the reply, the expectation and the top
    /// alternatives, then `N passed, N failed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for o in self.failures() {
            let Some(t) = &o.failure else { continue };
            let at = match o.line {
                Some(l) => format!("{}:{l}", o.file.display()),
                None => o.file.display().to_string(),
            };
            writeln!(f, "FAIL {at}: {} (turn {})", o.name, t.turn)?;
            writeln!(f, "  user:  {:?}", t.user)?;
            let first_line = t.reply.text.lines().next().unwrap_or("");
            writeln!(
                f,
                "  reply: {} {} ({:.2}): {:?}",
                t.reply.kind.as_str(),
                t.reply.intent.as_deref().unwrap_or("-"),
                t.reply.confidence,
                crate::normalize::sanitize::shorten(first_line, 70)
            )?;
            for p in &t.problems {
                writeln!(f, "  {p}")?;
            }
            let top: Vec<String> = t.top.iter().map(|(i, c)| format!("{i} {c:.2}")).collect();
            writeln!(
                f,
                "  top:   {}",
                if top.is_empty() {
                    "(no intent ranked)".to_string()
                } else {
                    top.join(", ")
                }
            )?;
        }
        write!(f, "{} passed, {} failed", self.passed(), self.failed())
    }
}

/// Runs every case of every file, in parallel over the available cores.
pub fn run_all(engine: &Engine, files: &[TestFile]) -> Report {
    let jobs: Vec<(&Path, Option<usize>, &TestCase)> = files
        .iter()
        .flat_map(|f| {
            f.cases
                .iter()
                .enumerate()
                .map(move |(i, c)| (f.path.as_path(), f.lines.get(i).copied().flatten(), c))
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let chunk = jobs.len().div_ceil(threads).max(1);
    let outcomes = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(p, l, c)| run_case(engine, p, *l, c))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    Report { outcomes }
}

#[cfg(test)]
mod tests;
