//! Terminal output: colour only on a terminal and never with `NO_COLOR`;
//! bot text stripped of control characters so no escape sequence reaches it.

use std::io::IsTerminal;

/// Whether to colour standard output: a terminal, and `NO_COLOR` unset or empty.
pub fn colour_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
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

    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// Bold.
    pub fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    /// Dim (for secondary information).
    pub fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    /// Cyan (the bot's name).
    pub fn cyan(&self, s: &str) -> String {
        self.wrap("36", s)
    }
    /// Yellow (suggestion numbers).
    pub fn yellow(&self, s: &str) -> String {
        self.wrap("33", s)
    }
}
