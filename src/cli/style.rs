//! Terminal output: colour per `--color auto|always|never`; bot text
//! stripped of control characters so no escape sequence reaches the
//! terminal from a knowledge base or a user.
//!
//! `auto` (the default) colours standard output when it is a terminal,
//! `NO_COLOR` is unset or empty and `TERM` is not `dumb`; `CLICOLOR_FORCE`
//! (non-empty, not `0`) forces colour even into a pipe. The rules are
//! anstream's, which clap uses for its own help.

use anstyle::{AnsiColor, Style as Ansi};
use std::sync::OnceLock;

/// When to colour output: `--color auto|always|never`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
    #[default]
    Auto,
    /// Always, even into a pipe or file.
    Always,
    /// Never.
    Never,
}

static CHOICE: OnceLock<ColorWhen> = OnceLock::new();

/// Sets the process-wide choice (once, from the command line); later calls
/// are ignored.
pub fn set_color(when: ColorWhen) {
    let _ = CHOICE.set(when);
}

/// Whether to colour standard output under the process-wide choice.
pub fn colour_stdout() -> bool {
    match CHOICE.get().copied().unwrap_or_default() {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

/// Removes control characters except newline and tab.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// ANSI styles, or nothing when colour is off.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    on: bool,
}

impl Style {
    /// Styles for standard output.
    pub fn stdout() -> Self {
        Style {
            on: colour_stdout(),
        }
    }

    /// No styles at all.
    pub fn plain() -> Self {
        Style { on: false }
    }

    /// Whether styles produce escape sequences.
    pub fn is_on(&self) -> bool {
        self.on
    }

    fn wrap(&self, style: Ansi, s: &str) -> String {
        if self.on {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_string()
        }
    }

    /// Bold.
    pub fn bold(&self, s: &str) -> String {
        self.wrap(Ansi::new().bold(), s)
    }
    /// Dim (for secondary information).
    pub fn dim(&self, s: &str) -> String {
        self.wrap(Ansi::new().dimmed(), s)
    }
    /// Bold cyan (the bot's name).
    pub fn name(&self, s: &str) -> String {
        self.wrap(Ansi::new().bold().fg_color(Some(AnsiColor::Cyan.into())), s)
    }
    /// Yellow (suggestion numbers).
    pub fn yellow(&self, s: &str) -> String {
        self.wrap(Ansi::new().fg_color(Some(AnsiColor::Yellow.into())), s)
    }
}
