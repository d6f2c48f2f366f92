//! `faqbot test [FILES…]`: run conversation tests.

use super::{load_engine, Cli};
use crate::convtest::{load_paths, run_all};
use crate::Result;
use std::path::PathBuf;

/// Arguments of `faqbot test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Test files or directories of them (default: `tests/conversations`).
    pub files: Vec<PathBuf>,
}

/// Runs `faqbot test`; exit code 1 when any case fails.
///
/// # Errors
/// Knowledge-base errors and malformed test files.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let engine = load_engine(cli.intents.as_ref())?;
    let files = if args.files.is_empty() {
        vec![PathBuf::from("tests/conversations")]
    } else {
        args.files.clone()
    };
    let suites = load_paths(&files)?;
    let report = run_all(&engine, &suites);
    println!("{report}");
    Ok(if report.failed() == 0 { 0 } else { 1 })
}
