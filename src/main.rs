//! The `faqbot` binary: parses arguments, runs, maps the result to an exit code.
//!
//! Exit codes: 0 success; 1 a check or test found failures; 2 usage error
//! or a knowledge base that does not load.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = faqbot::cli::Cli::parse();
    match faqbot::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("faqbot: {e}");
            ExitCode::from(2)
        }
    }
}
