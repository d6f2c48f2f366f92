//! `faqbot ask TEXT…`: answer one question and exit.
//!
//! Exit code 0 when the reply is of kind `answer` (an FAQ answer, small
//! talk, or the bot's own reply to a greeting or thanks in a knowledge base
//! without small talk) or `handoff`, 1 when it is a clarification or a
//! fallback, like `grep` without a match; 2 for usage and knowledge-base
//! errors. The reply is printed either way.

use super::{load_engine_with, pipe, Cli};
use crate::misses::UnansweredLog;
use crate::{ReplyKind, Result, Session};

/// Arguments of `faqbot ask`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The question; several words are joined with spaces.
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// Print the reply as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Runs `faqbot ask`; exit code 1 for a clarification or a fallback.
///
/// # Errors
/// Knowledge-base errors.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let engine = load_engine_with(cli)?;
    let (reply, decision) = engine.respond_traced(&mut Session::new(), &args.text.join(" "));
    if let Some(path) = &cli.log {
        UnansweredLog::open(path).record(&reply, &decision);
    }
    let mut out = std::io::stdout().lock();
    let _ = pipe::write_reply(&mut out, &reply, args.json || cli.json);
    super::exiting(engine);
    Ok(match reply.kind {
        ReplyKind::Answer | ReplyKind::Handoff => 0,
        _ => 1,
    })
}
