//! The unanswered log: one JSON line per turn that ended in a fallback or
//! a clarification.
//!
//! ```json
//! {"time":"2026-11-30T07:28:16Z","kind":"fallback","route":"ranked",
//!  "utterance":"can I charge at <email>?",
//!  "candidates":[{"intent":"charging_interruption","confidence":0.31}]}
//! ```
//!
//! `time` is UTC (RFC 3339, seconds); `kind` is `fallback`, `clarify` or
//! `handoff` (a handoff offered after repeated fallbacks; a customer's own
//! request for a person, "talk to a human", is not logged); `utterance` is
//! masked with [`super::mask::mask_pii`]; `candidates` are the reply's top
//! alternatives (at most 3, best first, confidence in 0.0..=1.0).
//!
//! Not logged: answers, empty input, a number that picks (or fails to
//! pick) an offered choice, and a choice picked by its title.
//!
//! Logging never slows or breaks a conversation: [`UnansweredLog::record`]
//! formats the line and hands it to a writer thread through a bounded
//! queue without waiting; when the queue is full the line is dropped and
//! counted. A file that cannot be opened or written (a missing directory,
//! a full disk) is reported once; the writer keeps trying, and the bot
//! keeps answering.
//!
//! [`UnansweredLog::reopen`] opens the path again (`faqbot serve` does it
//! on `SIGHUP`), so the log can be rotated by renaming it (logrotate's
//! `create` mode): lines queued before the call go to the old file, later
//! ones to the new file at the same path.

use super::mask::mask_pii;
use crate::dialogue::{Decision, Route};
use crate::reply::{Alternative, Reply, ReplyKind};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, Sender, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;

/// Lines that may wait for the writer thread before new ones are dropped.
pub const QUEUE: usize = 4096;

/// What the writer thread is asked to do.
enum Job {
    /// Append this line (JSON and `\n`).
    Line(String),
    /// Open the path again and answer whether it worked.
    Reopen(Sender<std::io::Result<()>>),
}

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// When, in UTC, RFC 3339 to the second.
    pub time: String,
    /// `fallback`, `clarify` or `handoff`.
    pub kind: ReplyKind,
    /// Which dialogue rule replied: `ranked` or `context`.
    #[serde(default)]
    pub route: String,
    /// What the user typed, with personal data masked.
    pub utterance: String,
    /// The best-ranked intents, best first, at most 3.
    #[serde(default)]
    pub candidates: Vec<Alternative>,
}

impl LogEntry {
    /// The entry for a turn, or `None` when the turn is not logged (see
    /// the module documentation).
    pub fn of(reply: &Reply, decision: &Decision) -> Option<Self> {
        Self::of_route(reply, decision.route)
    }

    /// Whether the entry is a customer's own request for a person ("talk
    /// to a human": kind `handoff`, an utterance that asks for a person),
    /// not a miss. Logs written before such requests were left out have
    /// them; `faqbot misses` leaves them out.
    pub fn is_person_request(&self) -> bool {
        self.kind == ReplyKind::Handoff
            && crate::dialogue::pleasantry::asks_for_person(&self.utterance)
    }

    /// [`LogEntry::of`] from the reply and the policy's route alone (as
    /// [`crate::Engine::respond_routed`] gives them): the entry reads
    /// nothing else of the decision.
    pub fn of_route(reply: &Reply, route: Route) -> Option<Self> {
        let route = match route {
            Route::Ranked => "ranked",
            Route::Context => "context",
            Route::Empty | Route::Number | Route::Title | Route::Offer => return None,
        };
        let unanswered = match reply.kind {
            ReplyKind::Fallback | ReplyKind::Clarify => true,
            // A handoff after repeated fallbacks, not a customer's request
            // for a person ("talk to a human"): that was answered.
            ReplyKind::Handoff => {
                reply.intent.is_none()
                    && !crate::dialogue::pleasantry::asks_for_person(&reply.input)
            }
            ReplyKind::Answer => false,
        };
        if !unanswered || reply.input.trim().is_empty() {
            return None;
        }
        Some(LogEntry {
            time: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
            kind: reply.kind,
            route: route.to_string(),
            utterance: mask_pii(reply.input.trim()),
            candidates: reply.alternatives.clone(),
        })
    }
}

/// An append-only JSON-lines log of unanswered turns. `Send + Sync`;
/// share one per process (e.g. in an `Arc`). Dropping it writes out what
/// is queued and closes the file.
pub struct UnansweredLog {
    path: PathBuf,
    tx: Option<SyncSender<Job>>,
    worker: Option<JoinHandle<()>>,
    dropped: Arc<AtomicU64>,
    /// What keeps lines from the file now (set by the writer thread on a
    /// failure, cleared by the next line written).
    problem: Problem,
}

/// The writer thread's latest failure, shared with [`UnansweredLog::problem`].
type Problem = Arc<std::sync::Mutex<Option<String>>>;

impl std::fmt::Debug for UnansweredLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnansweredLog")
            .field("path", &self.path)
            .field("dropped", &self.dropped())
            .finish()
    }
}

impl UnansweredLog {
    /// Opens (creates or appends to) the log at `path`. Problems are
    /// reported once on standard error as `warning: ...`; they never fail
    /// the caller.
    pub fn open(path: impl Into<PathBuf>) -> Self {
        Self::open_with(path, |msg| eprintln!("warning: {msg}"))
    }

    /// Like [`UnansweredLog::open`], reporting the first problem through
    /// `report` (called at most once, from the writer thread).
    pub fn open_with(path: impl Into<PathBuf>, report: impl FnOnce(&str) + Send + 'static) -> Self {
        let path = path.into();
        let (tx, rx) = sync_channel::<Job>(QUEUE);
        let p = path.clone();
        let problem = Problem::default();
        let shared = problem.clone();
        let worker = std::thread::Builder::new()
            .name("faqbot-unanswered-log".into())
            .spawn(move || writer(&p, &rx, report, &shared))
            .ok();
        UnansweredLog {
            path,
            tx: worker.as_ref().map(|_| tx),
            worker,
            dropped: Arc::new(AtomicU64::new(0)),
            problem,
        }
    }

    /// The log file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why lines do not reach the file now (it cannot be opened or
    /// written: a missing directory, a full disk), as the first report on
    /// standard error says it; `None` once a line was written again, and
    /// while nothing went wrong. `faqbot serve`'s `/healthz` shows it
    /// (`log_unwritable`).
    pub fn problem(&self) -> Option<String> {
        self.problem.lock().ok().and_then(|p| p.clone())
    }

    /// Lines dropped because the writer fell [`QUEUE`] lines behind.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Logs the turn if it ended unanswered (see [`LogEntry::of`]). Never
    /// blocks on the disk and never fails.
    pub fn record(&self, reply: &Reply, decision: &Decision) {
        self.record_route(reply, decision.route);
    }

    /// [`UnansweredLog::record`] from the reply and the policy's route
    /// ([`LogEntry::of_route`]).
    pub fn record_route(&self, reply: &Reply, route: Route) {
        if let Some(line) = Self::line_of_route(reply, route) {
            self.send_line(line);
        }
    }

    /// The log line (JSON and `\n`) of the turn if it ended unanswered
    /// (see [`LogEntry::of`]); `None` otherwise. With
    /// [`UnansweredLog::send_line`] it splits [`UnansweredLog::record`], so
    /// that threads answering in parallel can build the lines and one
    /// thread log them in input order.
    pub fn line_of(reply: &Reply, decision: &Decision) -> Option<String> {
        Self::line_of_route(reply, decision.route)
    }

    /// [`UnansweredLog::line_of`] from the reply and the policy's route
    /// ([`LogEntry::of_route`]).
    pub fn line_of_route(reply: &Reply, route: Route) -> Option<String> {
        let entry = LogEntry::of_route(reply, route)?;
        let mut line = serde_json::to_string(&entry).ok()?;
        line.push('\n');
        Some(line)
    }

    /// Queues one line built by [`UnansweredLog::line_of`]. Never blocks
    /// on the disk and never fails (a full queue counts as
    /// [`UnansweredLog::dropped`]).
    pub fn send_line(&self, line: String) {
        let Some(tx) = &self.tx else { return };
        if let Err(TrySendError::Full(_)) = tx.try_send(Job::Line(line)) {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Closes the file and opens [`UnansweredLog::path`] again (creating
    /// it, appending), for log rotation: after the file was renamed, new
    /// lines go to a new file at the old path. Lines queued before the
    /// call are written to the old file first. Blocks until the writer
    /// thread has done it (it waits behind at most [`QUEUE`] queued lines:
    /// call it from a thread that may block, e.g. Tokio's
    /// `spawn_blocking`).
    ///
    /// # Errors
    /// When the path cannot be opened (e.g. its directory is gone or not
    /// writable): the log then keeps writing to the file it had open, if
    /// any. Also when the writer thread is not running.
    pub fn reopen(&self) -> std::io::Result<()> {
        let gone = || std::io::Error::other("the unanswered log's writer thread is not running");
        let tx = self.tx.as_ref().ok_or_else(gone)?;
        let (done, answer) = std::sync::mpsc::channel();
        tx.send(Job::Reopen(done)).map_err(|_| gone())?;
        answer.recv().map_err(|_| gone())?
    }
}

impl Drop for UnansweredLog {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

fn open_file(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

/// Whether the open file whose metadata is `open` was deleted: no name
/// links to it any more, so lines appended to it would be lost. (A file
/// renamed away, as log rotation does, still has its new name: writing
/// goes on there until the rotation's SIGHUP reopens the path.) `false`
/// when it cannot be told (not on Unix).
pub(crate) fn deleted(open: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        open.nlink() == 0
    }
    #[cfg(not(unix))]
    {
        let _ = open;
        false
    }
}

/// The writer thread: appends each line with one `write_all`; reopens the
/// file after a failure, when asked ([`Job::Reopen`]; a failed reopen
/// keeps the file open before) and when it was deleted ([`deleted`]);
/// reports the first write failure.
fn writer(path: &Path, rx: &Receiver<Job>, report: impl FnOnce(&str), problem: &Problem) {
    let mut report = Some(report);
    let set = |p: Option<String>| {
        if let Ok(mut slot) = problem.lock() {
            *slot = p;
        }
    };
    let mut fail = |what: &str, e: &std::io::Error| {
        let msg = format!(
            "unanswered log {}: cannot {what}: {e}; the bot keeps answering without logging",
            path.display()
        );
        if let Some(r) = report.take() {
            r(&msg);
        }
        set(Some(msg));
    };
    let mut file = match open_file(path) {
        Ok(f) => Some(f),
        Err(e) => {
            fail("open it", &e);
            None
        }
    };
    for job in rx {
        let line = match job {
            Job::Line(line) => line,
            Job::Reopen(done) => {
                let reopened = open_file(path).map(|new| {
                    if let Some(mut old) = file.replace(new) {
                        let _ = old.flush();
                    }
                });
                let _ = done.send(reopened);
                continue;
            }
        };
        // Deleted under us: open the path again, or the line is lost.
        let gone = file
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .is_some_and(|m| deleted(&m));
        if file.is_none() || gone {
            match open_file(path) {
                Ok(new) => file = Some(new),
                // A line written to the deleted file would be lost without
                // a word (an operator's trial: the rotated file and then the
                // log's directory deleted); said once, and the path is tried
                // again with each line.
                Err(e) if gone => {
                    fail("open it again after it was deleted", &e);
                    file = None;
                }
                Err(e) => fail("open it", &e),
            }
        }
        if let Some(f) = &mut file {
            let before = f.metadata().map(|m| m.len());
            if let Err(e) = f.write_all(line.as_bytes()) {
                // Part of the line may be written (a full disk): cut it
                // off, or the next line is appended to the fragment.
                if let Ok(len) = before {
                    let _ = f.set_len(len);
                }
                fail("write to it", &e);
                file = None;
            } else {
                set(None);
            }
        }
    }
    if let Some(mut f) = file {
        let _ = f.flush();
    }
}

#[cfg(test)]
mod tests;
