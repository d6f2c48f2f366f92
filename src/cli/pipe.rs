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
use std::collections::BTreeMap;
use std::io::{BufRead, ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};

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
        if opts.stateless {
            session = Session::new();
        }
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
        let (reply, route) = engine.respond_routed(&mut session, &text);
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

/// Stateless pipe mode on `opts.jobs` threads.
///
/// Three kinds of thread, so that no core waits for another's serial
/// work: a reader takes the lines already read in (at most [`BATCH`]),
/// numbers them and hands them out in `opts.jobs` chunks; `opts.jobs`
/// workers answer a chunk each (the reply, its output bytes and its
/// unanswered-log line; the reply is dropped there); this
/// thread puts the chunks back in input order, logs and writes them, and
/// flushes whenever the next chunk is not ready yet, so a line typed alone
/// gets its answer. Queues are bounded, so memory is too.
///
/// # Errors
/// As [`run`].
pub fn run_parallel(engine: &Engine, opts: &Options, log: Option<&UnansweredLog>) -> Result<u8> {
    let jobs = opts.jobs.max(1);
    let closed = Arc::new(AtomicBool::new(false));
    let work = Mutex::new(spawn_reader(jobs, Arc::clone(&closed)));
    let (done_tx, done_rx) = mpsc::sync_channel::<Chunk<Answered>>(2 * jobs);
    let json = opts.json;
    let answers = Answers::new(engine);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            let (done_tx, work, closed, answers) = (done_tx.clone(), &work, &*closed, &answers);
            s.spawn(move || {
                let logging = log.is_some();
                work_on(engine, answers, work, &done_tx, closed, json, logging)
            });
        }
        drop(done_tx);
        write_in_order(&done_rx, log, &closed)
    })
}

/// Lines in input order, numbered by chunk: a chunk of lines, a chunk of
/// their answers, or the read error that ended the input.
struct Chunk<T> {
    seq: u64,
    items: std::io::Result<Vec<T>>,
}

/// One line's output bytes and, when it goes to the unanswered log, its
/// log line.
struct Answered {
    bytes: Vec<u8>,
    logged: Option<String>,
}

/// How long an idle worker waits before looking whether the output closed.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_millis(50);

/// A worker: answers chunks until the input ends or the output closes.
fn work_on(
    engine: &Engine,
    answers: &Answers,
    work: &Mutex<mpsc::Receiver<Chunk<Vec<u8>>>>,
    done: &mpsc::SyncSender<Chunk<Answered>>,
    closed: &AtomicBool,
    json: bool,
    logging: bool,
) {
    loop {
        // The lock is held while waiting: the next chunk goes to whichever
        // worker is free.
        let next = match work.lock() {
            Ok(rx) => rx.recv_timeout(IDLE_CHECK),
            Err(_) => return,
        };
        let Chunk { seq, items } = match next {
            Ok(chunk) => chunk,
            Err(mpsc::RecvTimeoutError::Timeout) if !closed.load(Ordering::Relaxed) => continue,
            Err(_) => return,
        };
        let items = items.map(|lines| {
            lines
                .iter()
                .map(|line| answer_line(engine, answers, line, json, logging))
                .collect()
        });
        if done.send(Chunk { seq, items }).is_err() {
            return;
        }
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

fn answer_line(
    engine: &Engine,
    answers: &Answers,
    line: &[u8],
    json: bool,
    logging: bool,
) -> Answered {
    let text = line_text(line);
    let (reply, route) = engine.respond_routed(&mut Session::new(), &text);
    Answered {
        bytes: {
            let mut bytes = Vec::with_capacity(1024);
            format_reply_into(&mut bytes, &reply, json, Some(answers));
            bytes
        },
        logged: logging
            .then(|| UnansweredLog::line_of_route(&reply, route))
            .flatten(),
    }
}

/// Size of the reader's own buffer: a pipe's lines arrive in full batches.
const READ_BUFFER: usize = 64 * 1024;

/// The reader thread: reads standard input in batches of the lines
/// already buffered (blocking only for a batch's first line, at most
/// [`BATCH`]) and sends each batch in `jobs` numbered chunks, until the
/// input ends, a read fails (sent as the last chunk) or the output is
/// `closed`. Not scoped: it may stay blocked on a terminal after the
/// output has closed.
fn spawn_reader(jobs: usize, closed: Arc<AtomicBool>) -> mpsc::Receiver<Chunk<Vec<u8>>> {
    let (tx, rx) = mpsc::sync_channel::<Chunk<Vec<u8>>>(2 * jobs);
    std::thread::spawn(move || {
        let mut input = std::io::BufReader::with_capacity(READ_BUFFER, std::io::stdin());
        let mut seq = 0u64;
        while !closed.load(Ordering::Relaxed) {
            let mut batch: Vec<Vec<u8>> = Vec::with_capacity(BATCH);
            let mut failed = None;
            while batch.len() < BATCH {
                match read_line_capped(&mut input, MAX_LINE_BYTES) {
                    Ok(Some(line)) => batch.push(line),
                    Ok(None) => break,
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
                if input.buffer().is_empty() {
                    break;
                }
            }
            let end = batch.is_empty() || failed.is_some();
            let size = batch.len().div_ceil(jobs).max(1);
            let mut lines = batch.into_iter();
            loop {
                let items: Vec<Vec<u8>> = lines.by_ref().take(size).collect();
                if items.is_empty() {
                    break;
                }
                if tx
                    .send(Chunk {
                        seq,
                        items: Ok(items),
                    })
                    .is_err()
                {
                    return;
                }
                seq += 1;
            }
            if let Some(e) = failed {
                let _ = tx.send(Chunk { seq, items: Err(e) });
            }
            if end {
                return;
            }
        }
    });
    rx
}

/// Takes answered chunks as they come, writes (and logs) them in
/// sequence, and flushes when the next one is not ready. After the output
/// pipe closes it sets `closed` and drains the rest unwritten.
///
/// # Errors
/// A read error of the input (after the lines before it are written);
/// write errors other than a closed pipe.
fn write_in_order(
    done: &mpsc::Receiver<Chunk<Answered>>,
    log: Option<&UnansweredLog>,
    closed: &AtomicBool,
) -> Result<u8> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut waiting: BTreeMap<u64, std::io::Result<Vec<Answered>>> = BTreeMap::new();
    let mut next = 0u64;
    let mut written: std::io::Result<()> = Ok(());
    let mut failed = None;
    loop {
        // Block only when nothing is ready to write, after a flush.
        let chunk = match done.try_recv() {
            Ok(c) => c,
            Err(mpsc::TryRecvError::Empty) => {
                if written.is_ok() {
                    written = out.flush();
                }
                match done.recv() {
                    Ok(c) => c,
                    Err(_) => break,
                }
            }
            Err(mpsc::TryRecvError::Disconnected) => break,
        };
        waiting.insert(chunk.seq, chunk.items);
        while let Some(items) = waiting.remove(&next) {
            next += 1;
            match items {
                Ok(items) if written.is_ok() && failed.is_none() => {
                    written = write_answers(&mut out, items, log);
                }
                Ok(_) => {}
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        if written.is_err() || failed.is_some() {
            closed.store(true, Ordering::Relaxed);
        }
    }
    if written.is_ok() {
        written = out.flush();
    }
    match written {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(crate::Error::io("<stdout>", e)),
        Err(_) => Ok(0),
        Ok(()) => match failed {
            Some(e) => Err(crate::Error::io("<stdin>", e)),
            None => Ok(0),
        },
    }
}

fn write_answers(
    out: &mut impl Write,
    items: Vec<Answered>,
    log: Option<&UnansweredLog>,
) -> std::io::Result<()> {
    for a in items {
        if let (Some(log), Some(line)) = (log, a.logged) {
            log.send_line(line);
        }
        out.write_all(&a.bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `line_text` gives what `String::from_utf8_lossy` gives, borrowed
    /// or not, on valid and invalid UTF-8.
    #[test]
    fn line_text_is_from_utf8_lossy() {
        let pieces: [&[u8]; 10] = [
            b"a",
            b" ",
            "é".as_bytes(),
            "😀".as_bytes(),
            b"\xff",
            b"\xc3",
            b"\xe2\x82",
            b"\xed\xa0\x80",
            b"\x00",
            b"\x7f",
        ];
        let mut rng = crate::testing::XorShift(0x853c_49e6_748f_ea9b);
        for len in 0..=40 {
            for _ in 0..200 {
                let line: Vec<u8> = (0..len)
                    .flat_map(|_| pieces[(rng.next() % pieces.len() as u64) as usize].to_vec())
                    .collect();
                let (a, b) = (line_text(&line), String::from_utf8_lossy(&line));
                assert_eq!(a, b, "{line:?}");
                assert_eq!(
                    matches!(a, std::borrow::Cow::Borrowed(_)),
                    matches!(b, std::borrow::Cow::Borrowed(_))
                );
            }
        }
    }

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

    /// One buffer reused for every line reads the lines a new one does.
    #[test]
    fn a_reused_line_buffer_reads_the_same_lines() {
        let pieces: [&[u8]; 6] = [b"a", b"long line ", b"\n", b"\r\n", b"\r", "é".as_bytes()];
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2_000 {
            let n = rng.next() % 30;
            let data: Vec<u8> = (0..n)
                .flat_map(|_| {
                    pieces[(rng.next() % pieces.len() as u64) as usize]
                        .iter()
                        .copied()
                })
                .collect();
            let cap = 1 + (rng.next() % 8) as usize;
            let max = 1 + (rng.next() % 20) as usize;
            let mut a = std::io::BufReader::with_capacity(cap, &data[..]);
            let mut b = std::io::BufReader::with_capacity(cap, &data[..]);
            let mut line = Vec::new();
            loop {
                let fresh = read_line_capped(&mut a, max).unwrap();
                let more = read_line_into(&mut b, max, &mut line).unwrap();
                assert_eq!(fresh.as_deref(), more.then_some(&line[..]), "{data:?}");
                if !more {
                    break;
                }
            }
        }
    }
}
