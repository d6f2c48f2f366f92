//! `faqbot check [--intents DIR] [--format text|json | --json] [--deny-warnings]`:
//! validate and lint a knowledge base.
//!
//! Findings go to standard output (compiler-style text, or one JSON object
//! per line); a one-line summary goes to standard error. Exit code 1 when
//! there are errors, or warnings with `--deny-warnings`; 0 otherwise; 2
//! when the directory cannot be read.

use super::style::colour_stdout;
use super::Cli;
use crate::check::{check_sources, render, CheckOptions};
use crate::error::ErrorKind;
use crate::kb::{bundled_sources, read_dir_checked};
use crate::Result;
use std::io::Write;

/// Output format of `faqbot check`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style text with the source line and a caret.
    #[default]
    Text,
    /// One JSON object per finding and line.
    Json,
}

/// Arguments of `faqbot check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Same as `--format json`.
    #[arg(long)]
    pub json: bool,
    /// Exit with 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Skip the robustness-variant lint (`fragile-example`).
    #[arg(long)]
    pub no_variants: bool,
}

/// Runs `faqbot check`.
///
/// # Errors
/// An unreadable directory or file (exit code 2).
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let opts = CheckOptions {
        robustness: !args.no_variants,
    };
    let json = args.json || cli.json || args.format == Format::Json;
    let (files, skipped) = match &cli.intents {
        None => (bundled_sources(), Vec::new()),
        Some(dir) => match read_dir_checked(dir) {
            Ok(f) => f,
            // Entries that should have been read and could not be (not
            // UTF-8, symlink loops, dangling symlinks, unreadable): report
            // them like any other finding.
            Err(e) if matches!(e.kind(), ErrorKind::Load { .. }) => {
                let report = crate::check::Report {
                    findings: e.diagnostics().iter().cloned().map(Into::into).collect(),
                    ..Default::default()
                };
                return Ok(emit(&report, args, json, false));
            }
            Err(e) => return Err(e),
        },
    };
    // A directory without bot.ron: said by `check` too, so an author
    // (and `--deny-warnings` in CI) sees it before a deploy.
    let no_settings = cli
        .intents
        .as_deref()
        .and_then(|dir| crate::kb::no_settings_warning(dir, &files));
    let mut report = check_sources(files, &opts);
    let no_settings_found = no_settings.is_some();
    report.findings.extend(no_settings.map(Into::into));
    // Entries rightly skipped (FIFOs, directories named `*.ron`, ...).
    report
        .findings
        .splice(0..0, skipped.into_iter().map(Into::into));
    Ok(emit(&report, args, json, no_settings_found))
}

fn emit(report: &crate::check::Report, args: &Args, json: bool, no_settings: bool) -> u8 {
    let out = if json {
        render::render_json(report)
    } else {
        render::render_text(report, colour_stdout())
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    let (e, w) = (report.errors(), report.warnings());
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if e > 0 {
        eprintln!(
            "faqbot check: {e} error{}, {w} warning{}; the knowledge base does not load",
            plural(e),
            plural(w)
        );
    } else {
        eprintln!(
            "faqbot check: {} intent{}, {w} warning{}",
            report.intents,
            plural(report.intents),
            plural(w)
        );
        if let Some(note) = crate::check::thin_note(&report.thin, report.faq_intents) {
            eprintln!("{note}");
        }
        // Without bot.ron the `no-settings` warning says it already.
        if let Some(note) = crate::check::generic_note(&report.generic).filter(|_| !no_settings) {
            eprintln!("{note}");
        }
        if let Some(note) = &report.handoff_guess {
            eprintln!("{note}");
        }
    }
    u8::from(e > 0 || (args.deny_warnings && w > 0))
}
