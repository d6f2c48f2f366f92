//! `faqbot test [FILES…]`: run conversation tests.

use super::{load_engine_with, Cli};
use crate::convtest::{load_paths, run_all};
use crate::Result;
use std::path::{Path, PathBuf};

/// Arguments of `faqbot test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Test files or directories of them (default: `tests/conversations`).
    pub files: Vec<PathBuf>,
    /// Also write the results as JUnit XML to FILE (for CI systems).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

/// Where `faqbot test` looks when no file is named, relative to the
/// working directory (the layout of this repository).
const DEFAULT_TESTS: &str = "tests/conversations";

/// The error for `faqbot test` without files where [`DEFAULT_TESTS`] does
/// not exist: what to name instead. A knowledge base made by `faqbot
/// import` has no tests of its own (a new owner's trial met the bare "No
/// such file or directory"); one made by `faqbot init DIR` has them in
/// `DIR/tests`, beside `--intents DIR/intents`, which the message names
/// when it exists.
fn no_default_tests(intents: Option<&Path>) -> crate::Error {
    let sibling = intents
        .and_then(|dir| dir.parent())
        .map(|parent| parent.join("tests"))
        .filter(|tests| tests.is_dir());
    let hint = match (intents, sibling) {
        (Some(kb), Some(tests)) => format!(
            "did you mean `faqbot test --intents {} {}`?",
            kb.display(),
            tests.display()
        ),
        _ => "name the test files or directories to run: `faqbot test --intents KB FILE.ron`; \
              docs/authoring.md (\"Test it\") shows a test file (a knowledge base from `faqbot import` \
              has none until you write one)"
            .to_string(),
    };
    crate::Error::io(
        DEFAULT_TESTS,
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "no such directory here, and `faqbot test` without files runs the tests in it; {hint}"
            ),
        ),
    )
}

/// The error for files or directories that hold no test case: a
/// directory without `.ron` files printed "0 passed, 0 failed" and exited
/// 0, which a new owner took for success (trial 55, `faqbot test --intents
/// KB KB`).
fn no_cases(files: &[PathBuf]) -> crate::Error {
    let first = files.first().cloned().unwrap_or_default();
    crate::Error::io(
        first,
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no test case here: `faqbot test` runs the conversation tests of `.ron` files \
             (a directory is searched for them, not its subdirectories); docs/authoring.md \
             (\"Test it\") shows one",
        ),
    )
}

/// Runs `faqbot test`; exit code 1 when any case fails.
///
/// # Errors
/// Knowledge-base errors, malformed test files, no files named where
/// `tests/conversations` does not exist, and files or directories without
/// a single test case.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let engine = load_engine_with(cli)?;
    let files = if args.files.is_empty() {
        let default = PathBuf::from(DEFAULT_TESTS);
        if !default.exists() {
            return Err(no_default_tests(cli.intents.as_deref()));
        }
        vec![default]
    } else {
        args.files.clone()
    };
    let suites = load_paths(&files)?;
    if suites.iter().all(|suite| suite.cases.is_empty()) {
        return Err(no_cases(&files));
    }
    let report = run_all(&engine, &suites);
    println!("{report}");
    if let Some(path) = &args.junit {
        let xml = crate::convtest::junit::to_junit(&report)
            .map_err(|e| crate::Error::io(path, std::io::Error::other(e)))?;
        std::fs::write(path, xml).map_err(|e| crate::Error::io(path, e))?;
    }
    Ok(if report.failed() == 0 { 0 } else { 1 })
}
