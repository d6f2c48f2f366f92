//! The interactive REPL (rustyline): line editing, history, tab completion
//! of suggestion titles and commands.
//!
//! Keys: Ctrl-C clears the line, Ctrl-D exits. Commands: `/help`, `/why`
//! (why the last reply, in short: the decision, the top intents and their
//! main contributions), `/why all` (the whole trace, as `faqbot explain`
//! prints it), `/reset`
//! (a new conversation), `/quit`. A bare `exit`, `quit`, `bye` or
//! `goodbye` ([`EXIT_WORDS`]) ends the REPL too, after the knowledge
//! base's goodbye reply, or without a goodbye intent the bot's farewell.
//!
//! Every line is a question: the lines of a paste (bracketed paste hands
//! them over as one buffer) and lines typed ahead while the bot was busy
//! (kept between prompts by rustyline's `buffer-redux` feature) are each
//! answered, in order.
//!
//! Replies are wrapped at word boundaries to the terminal's width
//! (`textwrap`), answers' Markdown shown as text with each link's URL after
//! it. The input history is kept between runs in the user's data directory
//! ([`history_path`]).

use super::style::{clean, Style};
use crate::dialogue::Decision;
use crate::explain;
use crate::misses::UnansweredLog;
use crate::{Engine, Reply, Result, Session};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Context, Editor, Helper, Highlighter, Hinter, Validator};
use std::path::PathBuf;

const COMMANDS: [&str; 5] = ["/help", "/why", "/why all", "/reset", "/quit"];

/// Whether `line` (trimmed) is one of the chat's commands ([`COMMANDS`],
/// `/exit`, `/q`), which pipe mode answers as messages and notes once.
pub(crate) fn is_command(line: &str) -> bool {
    // Every command starts with `/` (a test checks): nearly every line
    // is then told apart by its first byte.
    line.starts_with('/') && (COMMANDS.contains(&line) || matches!(line, "/exit" | "/q"))
}

/// Words that, typed alone, end the REPL (as in other REPLs and shells).
pub const EXIT_WORDS: [&str; 4] = ["exit", "quit", "bye", "goodbye"];

/// Whether `line` ends the REPL: a bare exit word (any case, trailing `!`
/// or `.`), or a short farewell of at most [`FAREWELL_WORDS`] words whose
/// last word is "bye" or "goodbye" ("thanks, bye", "ok bye!").
pub fn is_exit_word(line: &str) -> bool {
    let w = line.trim().trim_end_matches(['!', '.']).to_lowercase();
    if EXIT_WORDS.contains(&w.as_str()) {
        return true;
    }
    let words: Vec<&str> = w
        .split(|c: char| !c.is_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect();
    words.len() <= FAREWELL_WORDS && matches!(words.last(), Some(&("bye" | "goodbye")))
}

/// Longest farewell (in words) that ends the REPL (see [`is_exit_word`]):
/// "thank you goodbye" does, "how do I say bye" is a question.
pub const FAREWELL_WORDS: usize = 3;

/// Completes commands, the titles offered in the last reply, then all titles.
#[derive(Helper, Hinter, Highlighter, Validator)]
pub struct TitleCompleter {
    titles: Vec<String>,
    offered: Vec<String>,
}

impl Completer for TitleCompleter {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let typed = line[..pos].to_lowercase();
        let pool: Vec<&String> = if typed.starts_with('/') {
            return Ok((
                0,
                COMMANDS
                    .iter()
                    .filter(|c| c.starts_with(&typed))
                    .map(|c| Pair {
                        display: c.to_string(),
                        replacement: c.to_string(),
                    })
                    .collect(),
            ));
        } else {
            self.offered.iter().chain(self.titles.iter()).collect()
        };
        let mut seen = std::collections::HashSet::new();
        let pairs = pool
            .into_iter()
            .filter(|t| {
                let l = t.to_lowercase();
                (l.starts_with(&typed) || (!typed.is_empty() && l.contains(&typed)))
                    && seen.insert(t.as_str())
            })
            .map(|t| Pair {
                display: t.clone(),
                replacement: t.clone(),
            })
            .collect();
        Ok((0, pairs))
    }
}

/// The history file: `$FAQBOT_HISTORY` when set (empty: no history), else
/// `history.txt` in the user's data directory (`~/.local/share/faqbot/` on
/// Linux, `~/Library/Application Support/faqbot/` on macOS,
/// `%APPDATA%\\faqbot\\data\\` on Windows).
pub fn history_path() -> Option<PathBuf> {
    match std::env::var_os("FAQBOT_HISTORY") {
        Some(p) if p.is_empty() => None,
        Some(p) => Some(PathBuf::from(p)),
        None => directories::ProjectDirs::from("", "", "faqbot")
            .map(|d| d.data_dir().join("history.txt")),
    }
}

/// Lays out a reply for a terminal `width` columns wide: the first line
/// after `name:`, the rest indented by two spaces, every line wrapped at
/// word boundaries (list items hang under their text), suggestion numbers
/// highlighted.
pub fn layout_reply(style: &Style, name: &str, reply: &Reply, width: usize) -> String {
    let text = clean(&reply.plain_text());
    let answer_lines = reply
        .answer
        .as_deref()
        .map_or(0, |a| clean(&crate::markup::to_plain(a)).lines().count());
    let mut out = String::new();
    if reply.input_truncated {
        // JSON says so in `input_truncated`; a person at the prompt is told.
        let max = crate::dialogue::MAX_INPUT_CHARS;
        out.push_str(&style.dim(&format!(
            "(your message is longer than {max} characters: only its first {max} were read)"
        )));
        out.push('\n');
    }
    for (n, line) in text.lines().enumerate() {
        let indent = if n == 0 {
            format!("{} ", style.name(&format!("{name}:")))
        } else {
            "  ".to_string()
        };
        let mut body = line.to_string();
        // A list item's continuation lines hang under its text.
        let trimmed = line.trim_start();
        let marker = trimmed
            .split_once(' ')
            .filter(|(m, _)| {
                *m == "-" || (m.ends_with('.') && m[..m.len() - 1].parse::<u32>().is_ok())
            })
            .map_or(0, |(m, _)| m.len() + 1 + line.len() - trimmed.len());
        if n >= answer_lines && marker > 0 {
            // A numbered suggestion after the answer.
            let (num, rest) = line.split_at(marker - 1);
            body = format!("{}{rest}", style.yellow(num));
        }
        let hang = format!("{}{}", "  ", " ".repeat(marker));
        // Lines break at spaces only: the default (Unicode line-break
        // rules) also breaks after the `/` of a URL, and a terminal then
        // cannot open it ("My Account (https://" on one line, the rest on
        // the next). A word longer than the line is still cut.
        let opts = textwrap::Options::new(width.max(20))
            .initial_indent(&indent)
            .subsequent_indent(if n == 0 { "  " } else { &hang })
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true);
        if body.is_empty() {
            out.push('\n');
            continue;
        }
        for l in textwrap::wrap(&body, opts) {
            out.push_str(l.trim_end());
            out.push('\n');
        }
    }
    out
}

fn print_reply(style: &Style, name: &str, reply: &Reply) {
    println!(
        "{}",
        layout_reply(style, name, reply, textwrap::termwidth())
    );
}

const HELP: &str = "Type a question and press Enter. Pick a numbered suggestion by typing its number or part of its title (Tab completes titles).
Commands: /why (why the last reply, in short: the decision, the top intents and their main contributions), /why all (the whole trace: normalisation, every contribution and word), /reset (new conversation), /help, /quit (or exit, quit, bye). Ctrl-C clears the line, Ctrl-D exits.
Up/Down recall earlier questions, also from earlier runs (kept in the user's data directory; FAQBOT_HISTORY=FILE moves it, FAQBOT_HISTORY= turns it off).";

/// The last line of `/why`: where the rest is.
const WHY_ALL: &str = "(/why all: the whole trace, every word and contribution of the top 5)";

/// The `/help` text, each paragraph wrapped at word boundaries to a
/// terminal `width` columns wide (as replies are), continuation lines
/// indented by two spaces.
pub fn layout_help(width: usize) -> String {
    HELP.lines()
        .map(|l| {
            textwrap::fill(
                l,
                textwrap::Options::new(width.max(20)).subsequent_indent("  "),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the REPL until `/quit` or Ctrl-D; unanswered turns go to `log`.
///
/// # Errors
/// Terminal errors from rustyline.
pub fn run(engine: &Engine, log: Option<&UnansweredLog>) -> Result<u8> {
    let style = Style::stdout();
    let kb = engine.knowledge_base();
    let name = clean(&kb.settings.name);
    let mut rl: Editor<TitleCompleter, DefaultHistory> =
        Editor::new().map_err(|e| crate::Error::io("<terminal>", std::io::Error::other(e)))?;
    rl.set_helper(Some(TitleCompleter {
        titles: kb
            .intents
            .iter()
            .filter(|d| !d.title.is_empty())
            .map(|d| clean(&d.title))
            .collect(),
        offered: Vec::new(),
    }));
    let history = history_path();
    if let Some(h) = &history {
        // A missing file is the first run; an unreadable one starts empty.
        let _ = rl.load_history(h);
    }
    let greeting = textwrap::fill(
        &clean(engine.greeting()),
        textwrap::Options::new(textwrap::termwidth().max(20))
            .initial_indent(&format!("{} ", style.name(&format!("{name}:"))))
            .subsequent_indent("  "),
    );
    println!(
        "{greeting}\n{}\n",
        style.dim("(/help for commands, Ctrl-D to quit)")
    );
    let mut session = Session::new();
    let mut last: Option<(Reply, Decision)> = None;
    'read: loop {
        let input = match rl.readline("you> ") {
            Ok(l) => l,
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(crate::Error::io("<terminal>", std::io::Error::other(e))),
        };
        // A paste of several lines arrives as one buffer (shown as typed):
        // each line is a question of its own.
        let lines: Vec<&str> = input.lines().filter(|l| !l.trim().is_empty()).collect();
        for line in lines {
            let trimmed = line.trim();
            let _ = rl.add_history_entry(trimmed);
            match trimmed {
                "/quit" | "/exit" | "/q" => break 'read,
                "/help" => {
                    println!("{}\n", layout_help(textwrap::termwidth()));
                    continue;
                }
                "/reset" => {
                    session = Session::new();
                    last = None;
                    println!("{}\n", style.dim("(new conversation)"));
                    continue;
                }
                "/why" | "/why all" => {
                    match &last {
                        Some((reply, decision)) => {
                            let x = explain::Explanation::new(engine, reply, decision);
                            let text = if trimmed == "/why" && !x.ranking.is_empty() {
                                format!("{}\n{WHY_ALL}", x.render_short())
                            } else if trimmed == "/why" {
                                x.render_short()
                            } else {
                                x.render()
                            };
                            println!("{}\n", wrap_trace(&clean(&text), textwrap::termwidth()))
                        }
                        None => println!("Nothing to explain yet: ask a question first.\n"),
                    }
                    continue;
                }
                t if t.starts_with('/') => {
                    let width = textwrap::termwidth().max(20);
                    let unknown = textwrap::fill(&format!("Unknown command {t}."), width);
                    println!("{unknown}\n{}\n", layout_help(width));
                    continue;
                }
                t if is_exit_word(t) => {
                    if let Some(reply) = goodbye(engine, &session, t) {
                        print_reply(&style, &name, &reply);
                    }
                    break 'read;
                }
                _ => {}
            }
            let (reply, decision) = engine.respond_traced(&mut session, line);
            if let Some(log) = log {
                log.record(&reply, &decision);
            }
            print_reply(&style, &name, &reply);
            if let Some(h) = rl.helper_mut() {
                h.offered = reply.suggestions.iter().map(|s| clean(&s.title)).collect();
            }
            last = Some((reply, decision));
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = rl.save_history(h) {
            eprintln!("faqbot: history not saved to {}: {e}", h.display());
        }
    }
    Ok(0)
}

/// The knowledge base's goodbye, if it has one: its answer to "goodbye",
/// or else to the exit word typed, when that is a small-talk answer or,
/// in a knowledge base without a goodbye intent, the bot's own farewell
/// (`texts.farewell`, an answer without an intent; trial 25: "bye" to an
/// imported sheet ended the chat without a word). The
/// REPL ends after it, so "goodbye" comes first: "ok cheers bye" ranks
/// the thanks answer first, whose "Is there anything else?" is no way to
/// leave. Asked on a copy of the session, so nothing is counted or logged.
fn goodbye(engine: &Engine, session: &Session, typed: &str) -> Option<Reply> {
    ["goodbye", typed].into_iter().find_map(|text| {
        let reply = engine.respond(&mut session.clone(), text);
        let small_talk = reply
            .intent
            .as_deref()
            .and_then(|id| engine.knowledge_base().intent(id))
            .is_some_and(|d| d.kind == crate::schema::IntentKind::SmallTalk);
        let own = reply.intent.is_none();
        (reply.kind == crate::ReplyKind::Answer && (small_talk || own)).then_some(reply)
    })
}

/// The `/why` trace wrapped at word boundaries to `width` columns; a
/// continuation line is indented four columns past its line's own indent,
/// so the trace's structure stays readable on a narrow terminal.
fn wrap_trace(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (k, line) in text.lines().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let more = format!("{indent}    ");
        let opts = textwrap::Options::new(width.max(20))
            .initial_indent(indent)
            .subsequent_indent(&more);
        out.push_str(&textwrap::fill(body, opts));
    }
    out
}

#[cfg(test)]
mod tests;
