//! `faqbot test [FILES…]`: run conversation tests.

use super::{load_engine_with, Cli};
use crate::convtest::{load_paths, run_all};
use crate::Result;
use std::path::PathBuf;

/// Arguments of `faqbot test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Test files or directories of them (default: `tests/conversations`).
    pub files: Vec<PathBuf>,
    /// Also write the results as JUnit XML to FILE (for CI systems).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

/// Runs `faqbot test`; exit code 1 when any case fails.
///
/// # Errors
/// Knowledge-base errors and malformed test files.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let engine = load_engine_with(cli)?;
    let files = if args.files.is_empty() {
        vec![PathBuf::from("tests/conversations")]
    } else {
        args.files.clone()
    };
    let suites = load_paths(&files)?;
    let report = run_all(&engine, &suites);
    println!("{report}");
    if let Some(path) = &args.junit {
        let xml = crate::convtest::junit::to_junit(&report)
            .map_err(|e| crate::Error::io(path, std::io::Error::other(e)))?;
        std::fs::write(path, xml).map_err(|e| crate::Error::io(path, e))?;
    }
    Ok(if report.failed() == 0 { 0 } else { 1 })
}
