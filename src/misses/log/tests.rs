use super::*;
use crate::{Engine, Session};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn is_send_and_sync() {
    assert_send_sync::<UnansweredLog>();
}

#[test]
fn logs_fallbacks_and_clarifications_only() {
    let engine = Engine::bundled().unwrap();
    let dir = std::env::temp_dir().join(format!("faqbot-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("misses.jsonl");
    let _ = std::fs::remove_file(&path);
    {
        let log = UnansweredLog::open(&path);
        let mut s = Session::new();
        for text in [
            "I forgot my PIN",
            "what is the weather on mars, mail me at a@b.io",
            "",
        ] {
            let (r, d) = engine.respond_traced(&mut s, text);
            log.record(&r, &d);
        }
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<LogEntry> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert_eq!(
        lines[0].utterance,
        "what is the weather on mars, mail me at <email>"
    );
    assert_eq!(lines[0].kind, ReplyKind::Fallback);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_directory_is_reported_once_and_never_fails() {
    let engine = Engine::bundled().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let log = UnansweredLog::open_with("/nonexistent-dir/x/misses.jsonl", move |m| {
            let _ = tx.send(m.to_string());
        });
        let mut s = Session::new();
        for _ in 0..3 {
            let (r, d) = engine.respond_traced(&mut s, "zzz qqq");
            log.record(&r, &d);
        }
    }
    let reports: Vec<String> = rx.iter().collect();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].contains("cannot open"), "{}", reports[0]);
}

/// Rotation by renaming: after `reopen` new lines go to a new file at
/// the path, the renamed file keeps what was written before; a reopen
/// that fails keeps writing to the file open before.
#[test]
fn reopen_follows_a_rename_and_a_failed_reopen_keeps_the_old_file() {
    let engine = Engine::bundled().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let path = logs.join("misses.jsonl");
    let rotated = dir.path().join("misses.jsonl.1");
    let count = |p: &Path| {
        std::fs::read_to_string(p)
            .unwrap_or_default()
            .lines()
            .count()
    };
    let log = UnansweredLog::open(&path);
    let miss = |log: &UnansweredLog| {
        let mut s = Session::new();
        let (r, d) = engine.respond_traced(&mut s, "what is the weather on venus");
        log.record(&r, &d);
    };
    miss(&log);
    // The writer thread creates the file and writes the line.
    let start = std::time::Instant::now();
    while count(&path) < 1 {
        assert!(start.elapsed().as_secs() < 60, "nothing written");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::fs::rename(&path, &rotated).unwrap();
    // Queued before the reopen: still the old file.
    miss(&log);
    log.reopen().unwrap();
    miss(&log);
    // The directory is gone: the reopen fails, the old file stays open.
    std::fs::rename(&path, logs.with_file_name("second.jsonl")).unwrap();
    std::fs::remove_dir(&logs).unwrap();
    let e = log.reopen().unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{e}");
    miss(&log);
    drop(log);
    assert_eq!(count(&rotated), 2);
    assert_eq!(count(&dir.path().join("second.jsonl")), 2);
}

/// The open file deleted and its path's directory gone: the next line
/// is not written to the deleted file without a word, it is reported;
/// once the directory is back, lines go to a new file at the path.
#[cfg(unix)]
#[test]
fn a_deleted_log_whose_path_cannot_be_opened_is_reported() {
    let engine = Engine::bundled().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let path = logs.join("misses.jsonl");
    let said = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let to = said.clone();
    let log = UnansweredLog::open_with(&path, move |m| to.lock().unwrap().push(m.to_string()));
    let miss = |log: &UnansweredLog| {
        let mut s = Session::new();
        let (r, d) = engine.respond_traced(&mut s, "what is the weather on venus");
        log.record(&r, &d);
    };
    let wait = |what: &dyn Fn() -> bool| {
        let start = std::time::Instant::now();
        while !what() {
            assert!(start.elapsed().as_secs() < 60, "timed out");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    };
    miss(&log);
    // Written (not only opened: the writer creates the file first), so
    // that the one line after the deletion is the only one to fail.
    wait(&|| std::fs::metadata(&path).is_ok_and(|m| m.len() > 0));
    std::fs::remove_dir_all(&logs).unwrap();
    miss(&log);
    wait(&|| !said.lock().unwrap().is_empty());
    let msg = said.lock().unwrap()[0].clone();
    assert!(
        msg.contains("cannot open it again after it was deleted"),
        "{msg}"
    );
    assert_eq!(log.problem(), Some(msg));
    std::fs::create_dir(&logs).unwrap();
    miss(&log);
    wait(&|| log.problem().is_none());
    drop(log);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
}
