//! `faqbot explain TEXT…`: why the bot would reply what it does.

use super::{load_engine, style::clean, Cli};
use crate::{explain, Result, Session};

/// Arguments of `faqbot explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The utterance to explain; several words are joined with spaces.
    #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true)]
    pub text: Vec<String>,
}

/// Runs `faqbot explain`.
///
/// # Errors
/// Knowledge-base errors.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let engine = load_engine(cli.intents.as_ref())?;
    let (reply, decision) = engine.respond_traced(&mut Session::new(), &args.text.join(" "));
    println!(
        "{}",
        clean(&explain::render_decision(&engine, &reply, &decision))
    );
    Ok(0)
}
