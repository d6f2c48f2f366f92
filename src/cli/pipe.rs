//! Pipe mode: each line of standard input is a user turn.
//!
//! Plain output is the reply text with a blank line between replies (the
//! answer's Markdown rendered as text, links as "text (URL)");
//! `--json` prints exactly one [`crate::Reply`] object per input line.
//! Every input line gets a reply: empty lines, invalid UTF-8 (read
//! lossily), control characters and lines longer than [`MAX_LINE_BYTES`]
//! (cut there) included. A closed output pipe ends quietly.
//!
//! With `--stateless --jobs N` (N > 1) the lines are answered on N threads
//! ([`run_parallel`]): whatever input is waiting (at most [`BATCH`] lines)
//! is answered at once and written in input order, so the output is the
//! same as with one thread, and a line typed alone is answered at once.

use super::style::clean;
use crate::dialogue::Decision;
use crate::misses::UnansweredLog;
use crate::{Engine, Reply, Result, Session};
use rayon::prelude::*;
use std::io::{BufRead, ErrorKind, Write};
use std::sync::mpsc;

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
    out.write_all(&format_reply(reply, json))
}

/// One reply as written by [`write_reply`].
fn format_reply(reply: &Reply, json: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    format_reply_into(&mut out, reply, json);
    out
}

/// Appends one reply as written by [`write_reply`] to `out`.
fn format_reply_into(out: &mut Vec<u8>, reply: &Reply, json: bool) {
    if json {
        // serde_json into the caller's reused buffer (a Vec never fails).
        let _ = serde_json::to_writer(&mut *out, reply);
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
        buf.clear();
        format_reply_into(&mut buf, &reply, opts.json);
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

/// Stateless pipe mode on `opts.jobs` threads: a reader thread feeds lines;
/// the lines waiting (at most [`BATCH`]) are answered in parallel, then
/// logged and written in input order.
///
/// # Errors
/// As [`run`]; a thread pool that cannot be started.
pub fn run_parallel(engine: &Engine, opts: &Options, log: Option<&UnansweredLog>) -> Result<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .build()
        .map_err(|e| crate::Error::io("<threads>", std::io::Error::other(e)))?;
    let (tx, rx) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(4 * BATCH);
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            let line = read_line_capped(&mut input, MAX_LINE_BYTES).transpose();
            let stop = !matches!(line, Some(Ok(_)));
            if let Some(l) = line {
                if tx.send(l).is_err() {
                    return;
                }
            }
            if stop {
                return;
            }
        }
    });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut batch: Vec<Vec<u8>> = Vec::with_capacity(BATCH);
    let mut failed = None;
    while failed.is_none() {
        batch.clear();
        // Block for one line, then take what is already waiting.
        let mut next = rx.recv().ok();
        while let Some(item) = next {
            match item {
                Ok(line) => batch.push(line),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
            next = if batch.len() < BATCH {
                rx.try_recv().ok()
            } else {
                None
            };
        }
        if batch.is_empty() {
            break;
        }
        let json = opts.json;
        let answered: Vec<(Reply, Decision, Vec<u8>)> = pool.install(|| {
            batch
                .par_iter()
                .map(|line| {
                    let text = String::from_utf8_lossy(line);
                    let (reply, decision) = engine.respond_traced(&mut Session::new(), &text);
                    let bytes = format_reply(&reply, json);
                    (reply, decision, bytes)
                })
                .collect()
        });
        for (reply, decision, bytes) in answered {
            if let Some(log) = log {
                log.record(&reply, &decision);
            }
            match out.write_all(&bytes) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(0),
                Err(e) => return Err(crate::Error::io("<stdout>", e)),
            }
        }
        // Flush between batches: a line typed alone gets its answer.
        match out.flush() {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(0),
            Err(e) => return Err(crate::Error::io("<stdout>", e)),
        }
    }
    if let Some(e) = failed {
        return Err(crate::Error::io("<stdin>", e));
    }
    Ok(0)
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
