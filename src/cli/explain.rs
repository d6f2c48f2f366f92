//! `faqbot explain TEXT… [--json | --short]`: why the bot would reply what
//! it does.

use super::{load_engine_with, style::clean, Cli};
use crate::explain::Explanation;
use crate::{Result, Session};
use std::io::Write;

/// Arguments of `faqbot explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The utterance to explain; several words are joined with spaces.
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// Print the explanation as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Print only the short form, as `/why` does in the chat: the decision,
    /// the top 3 intents and their biggest contributions.
    #[arg(long, conflicts_with = "json")]
    pub short: bool,
}

/// Runs `faqbot explain` on a fresh conversation.
///
/// # Errors
/// Knowledge-base errors.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    let engine = load_engine_with(cli)?;
    let (reply, decision) = engine.respond_traced(&mut Session::new(), &args.text.join(" "));
    let x = Explanation::new(&engine, &reply, &decision);
    let text = if args.json || cli.json {
        serde_json::to_string(&x)
            .map_err(|e| crate::Error::io("<json>", std::io::Error::other(e)))?
    } else if args.short {
        let mut text = clean(&x.render_short());
        if !x.ranking.is_empty() {
            text.push_str("\n(without --short: the whole trace)");
        }
        text
    } else {
        clean(&x.render())
    };
    // A closed pipe (`| head`) ends quietly.
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    Ok(0)
}
