//! The `--feedback` file: "was this helpful?" answers as JSON lines.

use super::api::FeedbackRecord;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Appends feedback records to a JSONL file, one line per request.
/// [`FeedbackLog::reopen`] opens the path again, for log rotation
/// (`faqbot serve` does it on `SIGHUP`).
#[derive(Debug)]
pub struct FeedbackLog {
    path: PathBuf,
    file: tokio::sync::Mutex<tokio::fs::File>,
    /// The last append's failure, `None` after one that succeeded.
    problem: std::sync::Mutex<Option<String>>,
}

impl FeedbackLog {
    /// Opens (creating if needed) `path` for appending.
    ///
    /// # Errors
    /// When the file cannot be opened for appending.
    pub fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        Ok(FeedbackLog {
            path,
            file: tokio::sync::Mutex::new(tokio::fs::File::from_std(file)),
            problem: std::sync::Mutex::default(),
        })
    }

    /// Why the last record could not be appended (its request was
    /// answered `503 feedback_unavailable`); `None` once one was appended
    /// again, and while nothing went wrong. `/healthz` shows it
    /// (`feedback_unwritable`).
    pub fn problem(&self) -> Option<String> {
        self.problem.lock().ok().and_then(|p| p.clone())
    }

    /// The file written to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the file and opens [`FeedbackLog::path`] again (creating it,
    /// appending), so that after the file was renamed (logrotate's
    /// `create` mode) new records go to a new file at the old path.
    /// Records being appended finish in the old file first.
    ///
    /// # Errors
    /// When the path cannot be opened (e.g. its directory is gone or not
    /// writable); the log then keeps appending to the file it had open.
    pub async fn reopen(&self) -> std::io::Result<()> {
        let new = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .await?;
        let mut file = self.file.lock().await;
        let _ = file.flush().await;
        *file = new;
        Ok(())
    }

    /// Appends one record as one line and flushes it.
    ///
    /// # Errors
    /// Write errors.
    pub async fn append(&self, record: &FeedbackRecord) -> std::io::Result<()> {
        let result = self.append_line(record).await;
        if let Ok(mut p) = self.problem.lock() {
            *p = result.as_ref().err().map(|e| {
                format!(
                    "the --feedback file {} cannot be written: {e}; feedback answers 503",
                    self.path.display()
                )
            });
        }
        result
    }

    async fn append_line(&self, record: &FeedbackRecord) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut file = self.file.lock().await;
        // Deleted under us (`rm`, not the rotation's rename, which the
        // SIGHUP follows): open the path again, or the record is lost while
        // the client is told it was recorded.
        let gone = crate::misses::log::deleted(&file.metadata().await?);
        if gone {
            match tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .await
            {
                Ok(new) => {
                    tracing::warn!(
                        file = %self.path.display(),
                        "the --feedback file was deleted; writing to a new one at its path"
                    );
                    let _ = file.flush().await;
                    *file = new;
                }
                Err(e) => return Err(e),
            }
        }
        // On a full disk part of the line may be written: cut it off again,
        // or the next record would be appended to the fragment and both
        // lost as one broken line.
        let before = file.metadata().await?.len();
        let written = async {
            file.write_all(&line).await?;
            file.flush().await
        }
        .await;
        if written.is_err() {
            let _ = file.set_len(before).await;
        }
        written
    }
}
