//! The interactive REPL (rustyline): line editing, history, tab completion
//! of suggestion titles and commands.
//!
//! Keys: Ctrl-C clears the line, Ctrl-D exits. Commands: `/help`, `/why`
//! (why the last reply: route, ranking and contributions), `/reset`
//! (a new conversation), `/quit`. A bare `exit`, `quit`, `bye` or
//! `goodbye` ([`EXIT_WORDS`]) ends the REPL too, after the knowledge
//! base's goodbye reply when it has one.
//!
//! Every line is a question: the lines of a paste (bracketed paste hands
//! them over as one buffer) and lines typed ahead while the bot was busy
//! (kept between prompts by rustyline's `buffer-redux` feature) are each
//! answered, in order.

use super::style::{clean, Style};
use crate::dialogue::Decision;
use crate::explain;
use crate::misses::UnansweredLog;
use crate::{Engine, Reply, Result, Session};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Context, Editor, Helper, Highlighter, Hinter, Validator};

const COMMANDS: [&str; 4] = ["/help", "/why", "/reset", "/quit"];

/// Words that, typed alone, end the REPL (as in other REPLs and shells).
pub const EXIT_WORDS: [&str; 4] = ["exit", "quit", "bye", "goodbye"];

/// Whether `line` is a bare exit word (any case, trailing `!` or `.`).
pub fn is_exit_word(line: &str) -> bool {
    let w = line.trim().trim_end_matches(['!', '.']).to_lowercase();
    EXIT_WORDS.contains(&w.as_str())
}

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

fn print_reply(style: &Style, name: &str, reply: &Reply) {
    let text = clean(&reply.text);
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    println!("{} {}", style.cyan(&style.bold(&format!("{name}:"))), first);
    for l in lines {
        match l.split_once(". ") {
            Some((n, rest)) if n.parse::<usize>().is_ok() => {
                println!("  {} {}", style.yellow(&format!("{n}.")), rest)
            }
            _ => println!("  {l}"),
        }
    }
    println!();
}

const HELP: &str = "Type a question and press Enter. Pick a numbered suggestion by typing its number or part of its title (Tab completes titles).
Commands: /why (why the last reply), /reset (new conversation), /help, /quit (or exit, quit, bye). Ctrl-C clears the line, Ctrl-D exits.";

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
    println!(
        "{} {}\n{}\n",
        style.cyan(&style.bold(&format!("{name}:"))),
        clean(engine.greeting()),
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
                    println!("{HELP}\n");
                    continue;
                }
                "/reset" => {
                    session = Session::new();
                    last = None;
                    println!("{}\n", style.dim("(new conversation)"));
                    continue;
                }
                "/why" => {
                    match &last {
                        Some((reply, decision)) => {
                            println!(
                                "{}\n",
                                clean(&explain::render_decision(engine, reply, decision))
                            )
                        }
                        None => println!("Nothing to explain yet: ask a question first.\n"),
                    }
                    continue;
                }
                t if t.starts_with('/') => {
                    println!("Unknown command {t}. {HELP}\n");
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
    Ok(0)
}

/// The knowledge base's goodbye, if it has one: its answer to the exit
/// word typed, or else to "goodbye", when that is a small-talk answer.
/// Asked on a copy of the session, so nothing is counted or logged.
fn goodbye(engine: &Engine, session: &Session, typed: &str) -> Option<Reply> {
    [typed, "goodbye"].into_iter().find_map(|text| {
        let reply = engine.respond(&mut session.clone(), text);
        let small_talk = reply
            .intent
            .as_deref()
            .and_then(|id| engine.knowledge_base().intent(id))
            .is_some_and(|d| d.kind == crate::schema::IntentKind::SmallTalk);
        (reply.kind == crate::ReplyKind::Answer && small_talk).then_some(reply)
    })
}
