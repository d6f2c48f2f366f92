//! Stateless pipe mode on several threads ([`run_parallel`]): the reader
//! thread, the workers that answer chunks of lines, and the writer that
//! puts their answers back in input order.

use super::{format_reply_into, line_text, read_line_capped, Options, BATCH, MAX_LINE_BYTES};
use crate::cli::reply_json::Answers;
use crate::misses::UnansweredLog;
use crate::{Engine, Result};
use std::collections::BTreeMap;
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};

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
/// As [`run`](super::run).
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

fn answer_line(
    engine: &Engine,
    answers: &Answers,
    line: &[u8],
    json: bool,
    logging: bool,
) -> Answered {
    let text = line_text(line);
    let (reply, route) = engine.respond_routed_once(&text);
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
