//! `--handoff-dead-letter FILE`: handoffs the webhook could not deliver,
//! kept to be replayed instead of lost.
//!
//! One JSON line per handoff that was given up on (every attempt failed,
//! the receiver refused it with a status that is not retried, or the
//! queue was full), an [`UndeliveredHandoff`]:
//!
//! ```json
//! {"time": 1764489607, "attempts": 4, "url": "http://127.0.0.1:9099/hook",
//!  "error": "error sending request: client error (Connect): tcp connect error: Connection refused (os error 111)",
//!  "event": {"event": "handoff", "event_id": "0f6c2d8e-...", "session": "9b2f4c1e-...", ...}}
//! ```
//!
//! `event` is the body that was posted, unchanged (replay it with its
//! `event_id` as the `Idempotency-Key`); `url` is shown without user info
//! or query string. The file is opened for each line and closed again, so
//! it can be rotated by renaming it at any time; lines are never cut
//! (one write each, under a lock).

use super::HandoffEvent;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One line of the dead-letter file. Field names are a public contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UndeliveredHandoff {
    /// When it was given up on, in Unix seconds.
    pub time: u64,
    /// Delivery attempts made (0 when the queue was full).
    pub attempts: u32,
    /// The webhook URL without user info, query string or fragment.
    pub url: String,
    /// Why the last attempt failed (its cause chain, or the status).
    pub error: String,
    /// The event, as it was (or would have been) posted.
    pub event: HandoffEvent,
}

/// The dead-letter file: appends [`UndeliveredHandoff`]s as JSON lines.
/// Cheap to clone.
#[derive(Clone, Debug)]
pub struct DeadLetter {
    path: PathBuf,
    /// One line at a time.
    lock: Arc<std::sync::Mutex<()>>,
}

impl DeadLetter {
    /// The dead-letter file at `path`, created now if missing so that a
    /// path that cannot be written is found at start-up, not when a
    /// handoff is lost.
    ///
    /// # Errors
    /// When `path` cannot be opened for appending.
    pub fn open(path: impl Into<PathBuf>) -> std::io::Result<Self> {
        let path = path.into();
        open(&path)?;
        Ok(DeadLetter {
            path,
            lock: Arc::default(),
        })
    }

    /// The file written to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `letter` as one line; blocks on the disk (call it from a
    /// blocking thread, e.g. Tokio's `spawn_blocking`).
    ///
    /// # Errors
    /// When the file cannot be opened or written.
    pub fn append(&self, letter: &UndeliveredHandoff) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(letter).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let _one_at_a_time = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut file = open(&self.path)?;
        let before = file.metadata()?.len();
        let written = file.write_all(&line).and_then(|()| file.flush());
        if written.is_err() {
            // Part of the line may be written (a full disk): cut it off,
            // or the next letter is appended to the fragment.
            let _ = file.set_len(before);
        }
        written
    }

    /// [`DeadLetter::append`] on Tokio's blocking pool, logging the
    /// outcome: an `error` line says the handoff was not delivered and
    /// where it was kept (or that it is lost, when the file cannot be
    /// written).
    pub async fn keep(&self, letter: UndeliveredHandoff) {
        let this = self.clone();
        let session = letter.event.session.chars().take(8).collect::<String>();
        let event_id = letter.event.event_id.clone();
        let written = tokio::task::spawn_blocking(move || this.append(&letter))
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        match written {
            Ok(()) => tracing::error!(
                session,
                event_id,
                file = %self.path.display(),
                "handoff webhook not delivered; kept in the dead-letter file for replay"
            ),
            Err(e) => tracing::error!(
                session,
                event_id,
                file = %self.path.display(),
                "handoff webhook not delivered, and the dead-letter file cannot be \
                 written ({e}); the handoff is lost"
            ),
        }
    }
}

fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_appended_as_json_lines_and_survive_a_rename() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dead.jsonl");
        let dl = DeadLetter::open(&path).unwrap();
        assert!(path.exists(), "created at start");
        let letter = UndeliveredHandoff {
            time: 1,
            attempts: 4,
            url: "http://127.0.0.1:9/hook".into(),
            error: "connection refused".into(),
            event: HandoffEvent {
                event: "handoff".into(),
                event_id: "e1".into(),
                handoffs_in_session: 1,
                session: "s1".into(),
                time: 1,
                bot: "Bot".into(),
                transcript: Vec::new(),
            },
        };
        dl.append(&letter).unwrap();
        std::fs::rename(&path, dir.path().join("dead.jsonl.1")).unwrap();
        dl.append(&letter).unwrap();
        for p in [path.clone(), dir.path().join("dead.jsonl.1")] {
            let text = std::fs::read_to_string(p).unwrap();
            let back: UndeliveredHandoff = serde_json::from_str(text.trim_end()).unwrap();
            assert_eq!(back, letter);
        }
        assert!(DeadLetter::open(dir.path().join("no/such/dir.jsonl")).is_err());
    }
}
