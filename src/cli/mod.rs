//! Command-line interface: one module per subcommand.
//!
//! Without a subcommand, `faqbot` chats: a REPL when standard input is a
//! terminal ([`repl`]), pipe mode otherwise ([`pipe`]).

pub mod ask;
pub mod check;
pub mod completions;
pub mod eval;
pub mod explain;
pub mod import;
pub mod init;
pub mod intents;
pub mod misses;
mod one_line;
pub mod pipe;
pub mod repl;
pub mod reply_json;
pub mod serve;
pub mod style;
pub mod test;

use crate::misses::UnansweredLog;
use crate::semantic;
use crate::{Engine, Result};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;

/// A rule-based, explainable FAQ chatbot. Runs on the bundled MINI App
/// knowledge base unless `--intents DIR` names another.
///
/// A single-value flag given twice takes its last value (clap's
/// `args_override_self`, in every subcommand), so settings appended to a
/// command line override the ones before them: `deploy/faqbot.service`
/// runs `serve --addr 127.0.0.1:8080 --log-format json $FAQBOT_ARGS`, and
/// `FAQBOT_ARGS=--addr 0.0.0.0:8080` in `/etc/default/faqbot` wins.
/// Repeatable flags (`--cors-origin`) still collect every value.
#[derive(Debug, Parser)]
#[command(name = "faqbot", version = crate::build_info::LONG_VERSION, about, long_about = None, args_override_self = true)]
pub struct Cli {
    /// Knowledge-base directory of `.ron` files (default: the bundled MINI App FAQ).
    #[arg(long, global = true, value_name = "DIR")]
    pub intents: Option<PathBuf>,
    /// Append one JSON line per unanswered turn (fallback or clarification)
    /// to FILE, with e-mail addresses, phone numbers and long digit runs
    /// masked (chat, pipe mode, `ask` and the server; the server reopens it
    /// on SIGHUP, for log rotation).
    #[arg(long, global = true, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// When to colour output: `auto` (a terminal without `NO_COLOR`;
    /// `CLICOLOR_FORCE` forces it), `always` or `never`.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = style::ColorWhen::Auto)]
    pub color: style::ColorWhen,

    /// Directory of the sentence model for the optional semantic stage
    /// (in the default binary, feature `semantic`; obtain the model with
    /// `scripts/get-semantic-model.sh`). Default: `$FAQBOT_SEMANTIC_MODEL`,
    /// else `semantic_model` in `bot.ron`, else the stage is off. A DIR
    /// given here that holds no loadable model is an error (exit status
    /// 2); one from the variable or bot.ron only a warning.
    #[arg(long, global = true, value_name = "DIR")]
    pub semantic_model: Option<PathBuf>,
    /// Pipe mode: print one JSON object per input line instead of text.
    #[arg(long)]
    pub json: bool,
    /// Pipe mode: answer each line on its own, without conversation state.
    #[arg(long)]
    pub stateless: bool,
    /// Pipe mode with `--stateless`: answer lines on N threads (output in
    /// input order, the same as with one).
    #[arg(long, value_name = "N", default_value_t = 1, requires = "stateless",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// The subcommand; none means chat (REPL on a terminal, else pipe mode).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
// One value per process, parsed once: `serve`'s many flags making it
// larger than the others costs nothing worth a `Box` in the public enum.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer one question and exit.
    Ask(ask::Args),
    /// Validate and lint the knowledge base: errors, conflicts, unreachable intents.
    Check(check::Args),
    /// Measure matching on labelled utterances, or on the knowledge base's
    /// own examples (`--cross-validate`): accuracy, F1, out-of-scope
    /// handling, a threshold sweep and throughput.
    Eval(eval::Args),
    /// Explain the reply to one utterance: terms, ranking, contributions, policy.
    Explain(explain::Args),
    /// Turn labelled utterances (JSONL) or a FAQ spreadsheet (CSV, .xlsx,
    /// .ods) into a knowledge-base directory.
    Import(import::Args),
    /// List the knowledge base's intents.
    Intents(intents::Args),
    /// Group the unanswered log by similarity: what to write next.
    Misses(misses::Args),
    /// Run conversation tests (RON files or directories of them).
    Test(test::Args),
    /// Serve the HTTP API and the chat widget (hot-reloads `--intents DIR`).
    Serve(serve::Args),
    /// Create a new knowledge base: DIR/intents (bot.ron, two intents) and
    /// DIR/tests (a conversation test) that check and test cleanly.
    Init(init::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Print the man page (roff) to standard output: `faqbot man > faqbot.1`.
    Man,
}

/// Loads the knowledge base the flags name, with the calibration cached
/// in [`crate::cache::dir`]`("calibration")` (when there is one).
///
/// # Errors
/// Every diagnostic of a knowledge base that does not load.
/// Entries of the directory that were rightly skipped (a FIFO, a
/// directory named `*.ron`, ...) are named on stderr as warnings; a
/// directory without `bot.ron` is a `tracing` warning (in `faqbot serve`'s
/// log).
pub fn load_engine(intents: Option<&PathBuf>) -> Result<Engine> {
    let cache = crate::cache::dir("calibration");
    let mut kb = match intents {
        Some(dir) => {
            let (kb, warnings) = crate::KnowledgeBase::load_dir_with_warnings(dir)?;
            for w in &warnings {
                if w.code == "no-settings" {
                    // For `faqbot serve`'s log (a tracing subscriber); a
                    // one-shot command on a knowledge base being written
                    // does not repeat it on every run.
                    tracing::warn!("{w}");
                } else {
                    eprintln!("faqbot: {w}");
                }
            }
            kb
        }
        None => crate::KnowledgeBase::bundled()?,
    };
    // The files' text serves only diagnostics of loading (`faqbot check`
    // reads the files itself); no engine reads it. Freed before the
    // matcher is built, it does not add to the peak memory (0.8 MB for a
    // knowledge base of 10,000 examples).
    kb.sources = Vec::new();
    Ok(Engine::with_calibration_cache(kb, cache.as_deref()))
}

/// Loads the knowledge base the flags name, with the semantic stage when
/// a model directory is given (`--semantic-model`, `FAQBOT_SEMANTIC_MODEL`
/// or `bot.ron`; see [`crate::semantic::model_dir`]).
///
/// A model named by `--semantic-model` that does not load is an error
/// (a new user who typed the flag missed the warning it used to be). One
/// named by the environment variable or `bot.ron` leaves the stage off
/// with a warning on standard error that answers come without it: a
/// server must not refuse to start because a shared variable is stale.
///
/// # Errors
/// Every diagnostic of a knowledge base that does not load; a build with
/// the feature `semantic` whose `--semantic-model DIR` holds no loadable
/// model ([`crate::ErrorKind::Data`] at `--semantic-model`, naming DIR,
/// what is missing and how to get the model).
pub fn load_engine_with(cli: &Cli) -> Result<Engine> {
    let engine = load_engine(cli.intents.as_ref())?;
    let settings = &engine.knowledge_base().settings;
    let Some((dir, source)) = semantic::model_dir(
        cli.semantic_model.as_deref(),
        settings,
        cli.intents.as_deref(),
    ) else {
        return Ok(engine);
    };
    let cache = semantic::cache_dir();
    let engine = engine.with_semantic_model(&dir, cache.as_deref());
    let status = engine.semantic().status();
    match (status.failure(), source) {
        (Some(why), semantic::ModelSource::Flag) => {
            return Err(crate::Error::data(
                "--semantic-model",
                format!(
                    "no sentence model loaded: {why}. A model directory holds {}: {}, or \
                     leave out --semantic-model to answer without the semantic stage",
                    semantic::MODEL_FILES.join(", "),
                    semantic::GET_MODEL
                ),
            ));
        }
        (Some(_), source) => eprintln!(
            "warning: {}. Answers will come WITHOUT the semantic stage. The model directory \
             is from {}: {}, or correct or remove that setting.",
            status.line(),
            source.name(),
            semantic::GET_MODEL
        ),
        (None, _) if !matches!(status, semantic::Status::On(_)) => {
            eprintln!("warning: {}", status.line())
        }
        (None, _) => {}
    }
    Ok(engine)
}

/// Hands the engine back to the operating system at exit instead of
/// freeing its many small allocations one by one (a tenth of a start-up
/// with the bundled knowledge base). The engine has nothing to flush:
/// logs and sessions live outside it.
pub(crate) fn exiting(engine: Engine) {
    std::mem::forget(engine);
}

/// Runs the parsed command line; returns the exit code.
///
/// # Errors
/// Knowledge-base and I/O errors (exit code 2).
pub fn run(cli: Cli) -> Result<u8> {
    // One-shot subcommands print with `println!`, which panics on a closed
    // stdout (`faqbot import … | head -1`): let the default SIGPIPE end them
    // quietly, as it ends other Unix tools. Chat and pipe mode handle a
    // closed stdout themselves (exit 0), and the server writes to sockets.
    if matches!(
        cli.command,
        Some(
            Command::Check(_)
                | Command::Eval(_)
                | Command::Explain(_)
                | Command::Import(_)
                | Command::Intents(_)
                | Command::Misses(_)
                | Command::Test(_)
                | Command::Init(_)
                | Command::Completions(_)
                | Command::Man
        )
    ) {
        default_sigpipe();
    }
    style::set_color(cli.color);
    match &cli.command {
        Some(Command::Ask(a)) => ask::run(&cli, a),
        Some(Command::Check(a)) => check::run(&cli, a),
        Some(Command::Eval(a)) => eval::run(&cli, a),
        Some(Command::Explain(a)) => explain::run(&cli, a),
        Some(Command::Import(a)) => import::run(&cli, a),
        Some(Command::Intents(a)) => intents::run(&cli, a),
        Some(Command::Misses(a)) => misses::run(&cli, a),
        Some(Command::Test(a)) => test::run(&cli, a),
        Some(Command::Serve(a)) => serve::run(&cli, a),
        Some(Command::Init(a)) => init::run(a),
        Some(Command::Completions(a)) => completions::run(a),
        Some(Command::Man) => completions::man(),
        None => {
            let engine = load_engine_with(&cli)?;
            let log = cli.log.as_ref().map(UnansweredLog::open);
            let code = if std::io::stdin().is_terminal() && !cli.json && !cli.stateless {
                repl::run(&engine, log.as_ref())
            } else {
                pipe::run(&engine, &pipe::Options::from(&cli), log.as_ref())
            };
            exiting(engine);
            code
        }
    }
}

/// Restores the default SIGPIPE action (terminate) for this process.
fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: `signal` with `SIG_DFL` only changes this process's signal
    // disposition; it is called before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
