//! `faqbot completions SHELL` and `faqbot man`: generated from the same
//! clap definition as the parser, so they cannot drift from it.
//!
//! ```sh
//! faqbot completions bash > ~/.local/share/bash-completion/completions/faqbot
//! faqbot completions zsh > ~/.zfunc/_faqbot
//! faqbot completions fish > ~/.config/fish/completions/faqbot.fish
//! faqbot man > ~/.local/share/man/man1/faqbot.1
//! ```

use super::Cli;
use crate::{Error, Result};
use clap::CommandFactory;

/// Arguments of `faqbot completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Prints the completion script for `args.shell` to standard output.
///
/// # Errors
/// Never in practice (the script is written to standard output).
pub fn run(args: &Args) -> Result<u8> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "faqbot", &mut std::io::stdout());
    Ok(0)
}

/// Prints the man page (roff, section 1) to standard output.
///
/// # Errors
/// Write errors on standard output.
pub fn man() -> Result<u8> {
    let page = clap_mangen::Man::new(Cli::command());
    let mut out = Vec::new();
    page.render(&mut out)
        .and_then(|_| std::io::Write::write_all(&mut std::io::stdout(), &out))
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(0)
}
