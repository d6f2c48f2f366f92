//! Pipe mode: each line of standard input is a user turn.
//!
//! Plain output is the reply text with a blank line between replies (the
//! answer's Markdown rendered as text, links as "text (URL)");
//! `--json` prints exactly one [`crate::Reply`] object per input line
//! (written by [`super::reply_json`]: the bytes serde_json writes).
//! Every input line gets a reply: empty lines, invalid UTF-8 (read
//! lossily), control characters and lines longer than [`MAX_LINE_BYTES`]
//! (cut there) included. A closed output pipe ends quietly.
//!
//! With `--stateless --jobs N` (N > 1) the lines are answered on N threads
//! ([`run_parallel`]): the lines already read in (at most [`BATCH`])
//! are answered at once and written in input order, so the output is the
//! same as with one thread, and a line typed alone is answered at once.

use super::reply_json::{self, Answers};
use super::style::clean;
use crate::misses::UnansweredLog;
use crate::{Engine, Reply, Result, Session};
use std::io::{BufRead, ErrorKind, Write};

mod parallel;
pub use parallel::run_parallel;

/// Bytes of one input line that are kept; the rest of the line is skipped.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Pipe-mode settings.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// One JSON object per line.
    pub json: bool,
    /// Each line in a fresh session.
    pub stateless: bool,
    /// Threads answering lines (stateless mode only; 1 or more).
    pub jobs: usize,
}

/// Most lines answered together in parallel pipe mode.
pub const BATCH: usize = 256;

impl From<&super::Cli> for Options {
    fn from(cli: &super::Cli) -> Self {
        Options {
            json: cli.json,
            stateless: cli.stateless,
            jobs: usize::from(cli.jobs).max(1),
        }
    }
}

/// Reads one line (without its `\n` or `\r\n`), keeping at most `max`
/// bytes. Returns `None` at end of input.
///
/// # Errors
/// Read errors of the underlying reader.
pub fn read_line_capped(r: &mut impl BufRead, max: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    Ok(read_line_into(r, max, &mut line)?.then_some(line))
}

/// [`read_line_capped`] into `line` (cleared first, its buffer reused):
/// `false` at end of input.
///
/// # Errors
/// Read errors of the underlying reader.
fn read_line_into(r: &mut impl BufRead, max: usize, line: &mut Vec<u8>) -> std::io::Result<bool> {
    line.clear();
    let mut any = false;
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        let room = max.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = done.unwrap_or(buf.len());
        r.consume(used);
        if done.is_some() {
            break;
        }
    }
    if !any {
        return Ok(false);
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(true)
}

/// Writes one reply: JSON on one line, or the cleaned text and a blank line.
///
/// # Errors
/// Write errors (a closed pipe is `BrokenPipe`).
pub fn write_reply(out: &mut impl Write, reply: &Reply, json: bool) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(1024);
    format_reply_into(&mut buf, reply, json, None);
    out.write_all(&buf)
}

/// Appends one reply as written by [`write_reply`] to `out`; JSON with
/// the answers already escaped in `answers`, if given.
fn format_reply_into(out: &mut Vec<u8>, reply: &Reply, json: bool, answers: Option<&Answers>) {
    if json {
        match answers {
            Some(a) => a.write(out, reply),
            None => reply_json::write(out, reply, Default::default()),
        }
        out.push(b'\n');
    } else {
        out.extend_from_slice(clean(&reply.plain_text()).as_bytes());
        out.extend_from_slice(b"\n\n");
    }
}

/// Runs pipe mode over standard input; unanswered turns go to `log`.
///
/// # Errors
/// Never for a closed output pipe (that ends quietly); read errors are
/// reported.
pub fn run(engine: &Engine, opts: &Options, log: Option<&UnansweredLog>) -> Result<u8> {
    if opts.stateless && opts.jobs > 1 {
        return run_parallel(engine, opts, log);
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut session = Session::new();
    let mut buf = Vec::with_capacity(1024);
    let answers = Answers::new(engine);
    // One buffer for every line.
    let mut line = Vec::new();
    // Whether a chat command ("/why") was noted on stderr.
    let mut noted = false;
    loop {
        match read_line_into(&mut input, MAX_LINE_BYTES, &mut line) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(crate::Error::io("<stdin>", e)),
        }
        let text = line_text(&line);
        if !noted && super::repl::is_command(text.trim()) {
            // A pipe of lines is a conversation's messages, each with its
            // reply: the line is answered as one, and said once (trial 31
            // piped "/why" and got "Could you tell me a bit more").
            noted = true;
            eprintln!(
                "note: {:?} is a command of the chat in a terminal, not of pipe mode: answered as a \
                 message; `faqbot explain TEXT` explains a reply",
                text.trim()
            );
        }
        let (reply, route) = if opts.stateless {
            engine.respond_routed_once(&text)
        } else {
            engine.respond_routed(&mut session, &text)
        };
        if let Some(log) = log {
            log.record_route(&reply, route);
        }
        buf.clear();
        format_reply_into(&mut buf, &reply, opts.json, Some(&answers));
        let written = out
            .write_all(&buf)
            .and_then(|_| if opts.json { Ok(()) } else { out.flush() });
        match written {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(0),
            Err(e) => return Err(crate::Error::io("<stdout>", e)),
        }
    }
    match out.flush() {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(crate::Error::io("<stdout>", e)),
        _ => Ok(0),
    }
}

/// A line as text, as `String::from_utf8_lossy` gives it: the bytes
/// themselves when they are UTF-8 (checked by `str::from_utf8`, which
/// reads ASCII a word at a time), else with every invalid sequence
/// replaced.
fn line_text(line: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(line) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(line),
    }
}

#[cfg(test)]
mod tests;
