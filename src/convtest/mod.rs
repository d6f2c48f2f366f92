//! Conversation tests: the runner behind `faqbot test` and `cargo test`.
//!
//! Files are RON lists of [`schema::TestCase`] (see [`schema`] for the
//! format). Each case plays in a fresh [`Session`]; a case fails when any
//! expectation of any of its turns does not hold. Cases run in parallel on
//! all cores; the report lists them in file order.

pub mod schema;

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
}

/// Reads one test file.
///
/// # Errors
/// I/O errors, or a `file:line:col` data error for malformed RON.
pub fn load_file(path: &Path) -> Result<TestFile> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let cases: Vec<TestCase> = ron_options().from_str(&text).map_err(|e| {
        Error::data(
            format!(
                "{}:{}:{}",
                path.display(),
                e.span.start.line,
                e.span.start.col
            ),
            e.code.to_string(),
        )
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
        cases,
    })
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
                    ..TurnExpect::default()
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
    /// The case's display name.
    pub name: String,
    /// The first failing turn, or `None` when the case passed.
    pub failure: Option<TurnFailure>,
}

/// Checks one reply against one turn's expectations; returns what broke.
pub fn check_turn(expect: &TurnExpect, reply: &Reply) -> Vec<String> {
    let mut problems = Vec::new();
    let got_intent = reply.intent.as_deref().unwrap_or("none");
    if let Some(want) = &expect.intent {
        if reply.intent.as_deref() != Some(want.as_str()) {
            problems.push(format!("intent: expected `{want}`, got `{got_intent}`"));
        }
    }
    if let Some(not) = &expect.not_intent {
        if reply.intent.as_deref() == Some(not.as_str()) {
            problems.push(format!("intent: expected anything but `{not}`"));
        }
    }
    if let Some(kind) = expect.kind {
        if reply.kind != kind {
            problems.push(format!(
                "kind: expected {}, got {}",
                kind.as_str(),
                reply.kind.as_str()
            ));
        }
    }
    if let Some(needle) = &expect.answer_contains {
        let answer = reply.answer.as_deref().unwrap_or("");
        if !answer.to_lowercase().contains(&needle.to_lowercase()) {
            problems.push(format!("answer: expected it to contain {needle:?}"));
        }
    }
    if let Some(needle) = &expect.text_contains {
        if !reply.text.to_lowercase().contains(&needle.to_lowercase()) {
            problems.push(format!("text: expected it to contain {needle:?}"));
        }
    }
    for s in &expect.suggestions_include {
        if !reply.suggestions.iter().any(|x| &x.intent == s) {
            let got: Vec<&str> = reply
                .suggestions
                .iter()
                .map(|x| x.intent.as_str())
                .collect();
            problems.push(format!("suggestions: expected `{s}` among {got:?}"));
        }
    }
    if let Some(min) = expect.min_confidence {
        if reply.confidence < min {
            problems.push(format!(
                "confidence: expected at least {min:.2}, got {:.2}",
                reply.confidence
            ));
        }
    }
    problems
}

/// Plays one case in a fresh session.
pub fn run_case(engine: &Engine, file: &Path, case: &TestCase) -> CaseOutcome {
    let mut session = Session::new();
    let mut failure = None;
    for (n, turn) in case.all_turns().iter().enumerate() {
        let (reply, decision) = engine.respond_traced(&mut session, &turn.user);
        let problems = check_turn(turn, &reply);
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
            writeln!(f, "FAIL {}: {} (turn {})", o.file.display(), o.name, t.turn)?;
            writeln!(f, "  user:  {:?}", t.user)?;
            writeln!(
                f,
                "  reply: {} {} ({:.2})",
                t.reply.kind.as_str(),
                t.reply.intent.as_deref().unwrap_or("-"),
                t.reply.confidence
            )?;
            for p in &t.problems {
                writeln!(f, "  {p}")?;
            }
            let top: Vec<String> = t.top.iter().map(|(i, c)| format!("{i} {c:.2}")).collect();
            writeln!(f, "  top:   {}", top.join(", "))?;
        }
        write!(f, "{} passed, {} failed", self.passed(), self.failed())
    }
}

/// Runs every case of every file, in parallel over the available cores.
pub fn run_all(engine: &Engine, files: &[TestFile]) -> Report {
    let jobs: Vec<(&Path, &TestCase)> = files
        .iter()
        .flat_map(|f| f.cases.iter().map(move |c| (f.path.as_path(), c)))
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
                        .map(|(p, c)| run_case(engine, p, c))
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
