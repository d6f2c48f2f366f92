//! Pipe mode: each line of standard input is a user turn.
//!
//! Plain output is the reply text with a blank line between replies (the
//! answer's Markdown rendered as text, links as "text (URL)");
//! `--json` prints exactly one [`crate::Reply`] object per input line.
//! Every input line gets a reply: empty lines, invalid UTF-8 (read
//! lossily), control characters and lines longer than [`MAX_LINE_BYTES`]
//! (cut there) included. A closed output pipe ends quietly.

use super::style::clean;
use crate::misses::UnansweredLog;
use crate::{Engine, Reply, Result, Session};
use std::io::{BufRead, ErrorKind, Write};

/// Bytes of one input line that are kept; the rest of the line is skipped.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Pipe-mode settings.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// One JSON object per line.
    pub json: bool,
    /// Each line in a fresh session.
    pub stateless: bool,
}

impl From<&super::Cli> for Options {
    fn from(cli: &super::Cli) -> Self {
        Options {
            json: cli.json,
            stateless: cli.stateless,
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
        return Ok(None);
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

/// Writes one reply: JSON on one line, or the cleaned text and a blank line.
///
/// # Errors
/// Write errors (a closed pipe is `BrokenPipe`).
pub fn write_reply(out: &mut impl Write, reply: &Reply, json: bool) -> std::io::Result<()> {
    if json {
        let line = serde_json::to_string(reply).map_err(std::io::Error::other)?;
        writeln!(out, "{line}")
    } else {
        writeln!(out, "{}\n", clean(&reply.plain_text()))
    }
}

/// Runs pipe mode over standard input; unanswered turns go to `log`.
///
/// # Errors
/// Never for a closed output pipe (that ends quietly); read errors are
/// reported.
pub fn run(engine: &Engine, opts: &Options, log: Option<&UnansweredLog>) -> Result<u8> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut session = Session::new();
    loop {
        let line = match read_line_capped(&mut input, MAX_LINE_BYTES) {
            Ok(Some(l)) => l,
            Ok(None) => break,
            Err(e) => return Err(crate::Error::io("<stdin>", e)),
        };
        let text = String::from_utf8_lossy(&line);
        if opts.stateless {
            session = Session::new();
        }
        let (reply, decision) = engine.respond_traced(&mut session, &text);
        if let Some(log) = log {
            log.record(&reply, &decision);
        }
        let written = write_reply(&mut out, &reply, opts.json).and_then(|_| {
            if opts.json {
                Ok(())
            } else {
                out.flush()
            }
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_long_lines_and_keeps_the_next() {
        let data = format!("{}\nnext\r\n\nlast", "x".repeat(100));
        let mut r = std::io::Cursor::new(data.into_bytes());
        assert_eq!(read_line_capped(&mut r, 10).unwrap().unwrap().len(), 10);
        assert_eq!(read_line_capped(&mut r, 10).unwrap().unwrap(), b"next");
        assert_eq!(read_line_capped(&mut r, 10).unwrap().unwrap(), b"");
        assert_eq!(read_line_capped(&mut r, 10).unwrap().unwrap(), b"last");
        assert_eq!(read_line_capped(&mut r, 10).unwrap(), None);
    }
}
