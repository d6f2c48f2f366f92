//! The `--feedback`, `--log` and dead-letter files deleted while the
//! server runs, or on a full disk: what is written afterwards must land
//! in a file at the path as whole lines, not in the deleted file or glued
//! to a fragment.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use faqbot::misses::UnansweredLog;
use faqbot::server::{router, AppState, FeedbackLog};
use faqbot::{Engine, Session};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

async fn post(app: &axum::Router, path: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A router of the bundled bot writing feedback to `path`, and its reply
/// to a question it answers (the session and intent to rate).
async fn answered_with_feedback(path: &std::path::Path) -> (axum::Router, Value) {
    let mut state = AppState::new(Engine::bundled().unwrap());
    state.feedback = Some(Arc::new(FeedbackLog::open(path).unwrap()));
    let app = router(state);
    let (_, reply) = post(
        &app,
        "/api/v1/chat",
        json!({"message": "I forgot my app PIN"}),
    )
    .await;
    (app, reply)
}

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Before, a feedback sent after `rm feedback.jsonl` was answered
/// `{"recorded": true}` and written to the deleted file: lost.
#[tokio::test]
async fn feedback_after_its_file_was_deleted_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feedback.jsonl");
    let (app, reply) = answered_with_feedback(&path).await;
    let rate = |helpful: bool| json!({"session": reply["session"], "intent": reply["intent"], "helpful": helpful});
    let ok = (StatusCode::OK, json!({"recorded": true}));
    assert_eq!(post(&app, "/api/v1/feedback", rate(true)).await, ok);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(post(&app, "/api/v1/feedback", rate(false)).await, ok);
    let kept = lines(&path);
    assert_eq!(kept.len(), 1, "the record after the deletion: {kept:?}");
    assert_eq!(kept[0]["helpful"], false);

    // Renamed away (rotation) and replaced: records go on to the renamed
    // file, where nothing is lost, until SIGHUP reopens the path.
    let old = dir.path().join("old.jsonl");
    std::fs::rename(&path, &old).unwrap();
    std::fs::write(&path, "").unwrap();
    assert_eq!(post(&app, "/api/v1/feedback", rate(true)).await, ok);
    assert_eq!(lines(&old).len(), 2);
    assert_eq!(lines(&path).len(), 0);
    // The renamed file deleted too: the path is opened again.
    std::fs::remove_file(&old).unwrap();
    assert_eq!(post(&app, "/api/v1/feedback", rate(true)).await, ok);
    assert_eq!(lines(&path).len(), 1);

    // The directory itself gone: the record cannot be kept, and the client
    // is told so instead of "recorded".
    std::fs::remove_dir_all(dir.path()).unwrap();
    let (status, body) = post(&app, "/api/v1/feedback", rate(true)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "feedback_unavailable");
}

/// The unanswered log (`--log`) follows its path the same way.
#[test]
fn unanswered_lines_after_the_log_was_deleted_are_kept() {
    let engine = Engine::bundled().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("misses.jsonl");
    let log = UnansweredLog::open(&path);
    let mut s = Session::new();
    let (r, d) = engine.respond_traced(&mut s, "what is the weather on mars");
    log.record(&r, &d);
    // reopen() waits for the queue: the first line is written by then.
    log.reopen().unwrap();
    assert_eq!(lines(&path).len(), 1);
    std::fs::remove_file(&path).unwrap();
    let (r, d) = engine.respond_traced(&mut s, "how tall is the eiffel tower");
    log.record(&r, &d);
    drop(log);
    let kept = lines(&path);
    assert_eq!(kept.len(), 1, "the line after the deletion: {kept:?}");
    assert!(kept[0]["utterance"].as_str().unwrap().contains("eiffel"));
}

/// A 16 KiB tmpfs mounted for one test, unmounted when dropped; `None`
/// when this process may not mount (not root, or in a container that
/// forbids it): the test then passes with a note, unless
/// `FAQBOT_REQUIRE_SMALL_DISK` is set (`.ci/run` sets it where a mount
/// works), when it fails.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=16k", "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                std::env::var_os("FAQBOT_REQUIRE_SMALL_DISK").is_none(),
                "FAQBOT_REQUIRE_SMALL_DISK is set but a 16 KiB tmpfs cannot be mounted \
                 (the full-disk tests need root and a mount)"
            );
            eprintln!("cannot mount a small tmpfs here: skipping");
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn path(&self) -> &std::path::Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

/// A full disk: a feedback line only partly written is cut off again.
/// Before, the fragment stayed, and the first record after space came back
/// was appended to it: one broken line, both records lost to a JSON-lines
/// reader.
#[tokio::test]
async fn a_full_disk_leaves_no_broken_feedback_line() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let filler = disk.path().join("filler");
    std::fs::write(&filler, vec![b'x'; 10_000]).unwrap();
    let path = disk.path().join("feedback.jsonl");
    let (app, reply) = answered_with_feedback(&path).await;
    let rate = |input: String| {
        json!({"session": reply["session"], "intent": reply["intent"],
               "input": input, "helpful": true})
    };
    let mut refused = 0;
    for i in 0..12 {
        let (status, _) = post(
            &app,
            "/api/v1/feedback",
            rate(format!("{i} {}", "y".repeat(900))),
        )
        .await;
        refused += usize::from(status == StatusCode::SERVICE_UNAVAILABLE);
    }
    assert!(refused > 0, "the disk never filled up");
    std::fs::remove_file(&filler).unwrap();
    let (status, _) = post(&app, "/api/v1/feedback", rate("after".into())).await;
    assert_eq!(status, StatusCode::OK);
    // Every line parses (`lines` unwraps), and the last is the new record.
    let kept = lines(&path);
    assert_eq!(kept.last().unwrap()["input"], "after");
    assert_eq!(kept.len(), 12 - refused + 1);
}

/// The same for the unanswered log (`--log`).
#[test]
fn a_full_disk_leaves_no_broken_unanswered_line() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let filler = disk.path().join("filler");
    std::fs::write(&filler, vec![b'x'; 10_000]).unwrap();
    let engine = Engine::bundled().unwrap();
    let path = disk.path().join("misses.jsonl");
    let log = UnansweredLog::open_with(&path, |_| {});
    let mut s = Session::new();
    for i in 0..40 {
        let text = format!("what is the weather on mars {i} {}", "zq ".repeat(200));
        let (r, d) = engine.respond_traced(&mut s, &text);
        log.record(&r, &d);
    }
    log.reopen().unwrap();
    std::fs::remove_file(&filler).unwrap();
    let (r, d) = engine.respond_traced(&mut s, "how tall is the eiffel tower");
    log.record(&r, &d);
    drop(log);
    let kept = lines(&path);
    assert!(kept.len() < 41, "the disk never filled up");
    let last = kept.last().unwrap()["utterance"].as_str().unwrap();
    assert!(last.contains("eiffel"), "{last}");
}

/// The same for the handoff dead-letter file.
#[test]
fn a_full_disk_leaves_no_broken_dead_letter() {
    use faqbot::server::webhook::{DeadLetter, HandoffEvent, UndeliveredHandoff};
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let filler = disk.path().join("filler");
    std::fs::write(&filler, vec![b'x'; 10_000]).unwrap();
    let path = disk.path().join("dead.jsonl");
    let dl = DeadLetter::open(&path).unwrap();
    let letter = |error: String| UndeliveredHandoff {
        time: 1,
        attempts: 4,
        url: "http://127.0.0.1:9/hook".into(),
        error,
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
    let failed = (0..12)
        .filter(|i| {
            dl.append(&letter(format!("{i} {}", "y".repeat(900))))
                .is_err()
        })
        .count();
    assert!(failed > 0, "the disk never filled up");
    std::fs::remove_file(&filler).unwrap();
    dl.append(&letter("after".into())).unwrap();
    let kept = lines(&path);
    assert_eq!(kept.last().unwrap()["error"], "after");
}
