//! `faqbot serve` as a user runs it: the real binary on a real socket,
//! with a knowledge base in a temporary directory that the test edits
//! (hot reload by file watching and by SIGHUP), breaks (the old knowledge
//! base keeps answering and the errors are logged) and stops with SIGTERM.

#[path = "../common/mod.rs"]
mod common;
mod logs;

use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest wait for the server to start or to pick up a change. Generous
/// for a loaded CI machine; the test polls and normally waits < 1 s.
const PATIENCE: Duration = Duration::from_secs(60);

struct Server {
    child: Child,
    addr: SocketAddr,
    logs: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let (child, addr, logs) = common::spawn_serve(args, PATIENCE);
        Server { child, addr, logs }
    }

    fn http(&self) -> common::Http {
        common::Http::new(self.addr)
    }

    fn log_text(&self) -> String {
        self.logs.lock().unwrap().join("\n")
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    async fn health(&self) -> Value {
        self.http().get("/healthz").await.1
    }

    /// Polls `/healthz` until `done` holds.
    async fn wait_for(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let h = self.health().await;
            if done(&h) {
                return h;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "gave up waiting for {what}; last health {h}; log:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn chat(&self, session: Option<&str>, message: &str) -> Value {
        let (status, reply) = self
            .http()
            .post(
                "/api/v1/chat",
                &json!({"session": session, "message": message}),
            )
            .await;
        assert_eq!(status, 200, "{reply}");
        reply
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A copy of the bundled knowledge base to edit.
fn kb_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("intents");
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

const PIN_ANSWER_START: &str = "After three incorrect PIN entries";

fn edit_pin_answer(file: &Path, prefix: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(PIN_ANSWER_START));
    let first = text.replacen(PIN_ANSWER_START, &format!("{prefix}{PIN_ANSWER_START}"), 1);
    // Write to a temporary file and rename, as editors do.
    let tmp = file.with_extension("ron.tmp");
    std::fs::write(&tmp, first).unwrap();
    std::fs::rename(&tmp, file).unwrap();
}

fn account_file(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("account.ron")
}

#[tokio::test]
async fn a_changed_file_is_reloaded_and_a_broken_one_is_rejected() {
    let dir = kb_copy();
    let server = Server::start(&["--intents", dir.path().to_str().unwrap()]);

    let before = server.chat(None, "I forgot my app PIN").await;
    assert!(before["answer"]
        .as_str()
        .unwrap()
        .starts_with(PIN_ANSWER_START));
    let session = before["session"].as_str().unwrap().to_string();

    // 1. Change the answer: the new text is served without a restart.
    edit_pin_answer(&account_file(&dir), "UPDATED: ");
    server
        .wait_for("the edit to be loaded", |h| h["kb"]["generation"] == 2)
        .await;
    let after = server.chat(None, "I forgot my app PIN").await;
    assert!(
        after["answer"].as_str().unwrap().starts_with("UPDATED: "),
        "{after}"
    );
    // The conversation started before the reload continues: "1" picks the
    // first choice offered by the reply it got from the old knowledge base.
    let next = server.chat(Some(&session), "1").await;
    assert_eq!(next["session"], session.as_str());
    assert_eq!(next["intent"], before["suggestions"][0]["intent"]);

    // 2. Break the file: the reload is rejected, the errors are logged with
    // file:line:col, and the last good knowledge base keeps answering.
    let broken = std::fs::read_to_string(account_file(&dir)).unwrap() + "\n(((oops";
    std::fs::write(account_file(&dir), broken).unwrap();
    let h = server
        .wait_for("the broken file to be rejected", |h| {
            h["reload"]["ok"] == false && h["reload"]["attempts"].as_u64() >= Some(2)
        })
        .await;
    assert_eq!(h["kb"]["generation"], 2);
    assert!(h["reload"]["errors"].as_u64().unwrap() >= 1);
    // /healthz says the bot is degraded, and why, with the error itself.
    assert_eq!(h["status"], "degraded", "{h}");
    assert_eq!(h["reasons"][0]["code"], "reload_failed", "{h}");
    let why = h["reasons"][0]["message"].as_str().unwrap();
    assert!(
        why.contains("account.ron:") && why.contains("error[ron-syntax]"),
        "{h}"
    );
    assert_eq!(h["reload"]["message"].as_str(), Some(why));
    assert_eq!(h["reload"]["failed"], 1);
    // A rejected reload does not take the instance out of the load balancer.
    assert_eq!(server.http().get("/readyz").await.0, 200);
    let still = server.chat(None, "I forgot my app PIN").await;
    assert!(still["answer"].as_str().unwrap().starts_with("UPDATED: "));
    let log = server.log_text();
    assert!(
        log.contains("account.ron:") && log.contains("error[ron-syntax]"),
        "diagnostic with file:line:col in the log:\n{log}"
    );
    assert!(log.contains("knowledge base rejected; still serving the previous one"));

    // 3. Fix it again: the next good version goes live.
    edit_pin_answer_from_scratch(&dir, "FIXED: ");
    server
        .wait_for("the fixed file to be loaded", |h| {
            h["kb"]["generation"] == 3 && h["reload"]["ok"] == true && h["status"] == "ok"
        })
        .await;
    let fixed = server.chat(None, "I forgot my app PIN").await;
    assert!(fixed["answer"].as_str().unwrap().starts_with("FIXED: "));

    // 4. SIGTERM: a graceful stop with exit status 0.
    let mut server = server;
    server.signal("TERM");
    let status = wait_exit(&mut server.child);
    assert!(status.success(), "exit status {status}");
    assert!(server
        .log_text()
        .contains("SIGTERM received; shutting down"));
}

/// With `--shutdown-grace`, SIGTERM first drains: `/readyz` answers
/// `503 shutting_down` (and `/healthz` lists the reason) while chat is
/// still answered, then the server stops by itself with exit status 0.
#[tokio::test]
async fn sigterm_with_a_shutdown_grace_drains_before_stopping() {
    // A grace long enough for a loaded CI machine to answer the three
    // requests below inside it (the test then waits it out).
    let mut server = Server::start(&["--shutdown-grace", "8"]);
    let (status, ready) = server.http().get("/readyz").await;
    assert_eq!(status, 200, "{ready}");

    server.signal("TERM");
    // The signal is handled asynchronously: poll until the drain shows.
    let start = Instant::now();
    let ready = loop {
        let (status, ready) = server.http().get("/readyz").await;
        if status == 503 {
            break ready;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "/readyz still {status} {ready}; log:\n{}",
            server.log_text()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(ready["ready"], false, "{ready}");
    assert_eq!(ready["reasons"][0]["code"], "shutting_down", "{ready}");
    let reply = server.chat(None, "I forgot my app PIN").await;
    assert!(reply["answer"].as_str().is_some(), "{reply}");
    let health = server.health().await;
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["reasons"][0]["code"], "shutting_down", "{health}");

    let status = wait_exit(&mut server.child);
    assert!(status.success(), "exit status {status}");
    let log = server.log_text();
    assert!(log.contains("draining: /readyz answers 503"), "{log}");
    assert!(log.contains("drain over"), "{log}");
}

fn edit_pin_answer_from_scratch(dir: &tempfile::TempDir, prefix: &str) {
    let original = Path::new(env!("CARGO_MANIFEST_DIR")).join("intents/account.ron");
    std::fs::copy(original, account_file(dir)).unwrap();
    edit_pin_answer(&account_file(dir), prefix);
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(start.elapsed() < PATIENCE, "server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn sighup_reloads_when_watching_is_off() {
    let dir = kb_copy();
    let server = Server::start(&["--intents", dir.path().to_str().unwrap(), "--no-watch"]);
    edit_pin_answer(&account_file(&dir), "HUP: ");
    // Not watching: the old answer stays until the signal.
    let old = server.chat(None, "I forgot my app PIN").await;
    assert!(old["answer"]
        .as_str()
        .unwrap()
        .starts_with(PIN_ANSWER_START));
    let hash = server.health().await["kb"]["hash"].clone();
    server.signal("HUP");
    let reloaded = server
        .wait_for("the SIGHUP reload", |h| h["kb"]["generation"] == 2)
        .await;
    let new = server.chat(None, "I forgot my app PIN").await;
    assert!(new["answer"].as_str().unwrap().starts_with("HUP: "));
    assert!(server
        .log_text()
        .contains("SIGHUP received; reloading the knowledge base"));
    // The content hash moved with the content ...
    assert_ne!(reloaded["kb"]["hash"], hash);
    // ... and a reload of the same files changes the generation, not it.
    server.signal("HUP");
    let again = server
        .wait_for("the second reload", |h| h["kb"]["generation"] == 3)
        .await;
    assert_eq!(again["kb"]["hash"], reloaded["kb"]["hash"]);
    // Another instance serving the same files: generation 1, same hash.
    let other = Server::start(&["--intents", dir.path().to_str().unwrap(), "--no-watch"]);
    let h = other.health().await;
    assert_eq!(h["kb"]["generation"], 1);
    assert_eq!(h["kb"]["hash"], again["kb"]["hash"]);
    let hex = h["kb"]["hash"].as_str().unwrap();
    assert!(
        hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        "{hex}"
    );
}

/// Runs `faqbot serve --addr 127.0.0.1:0 ARGS` with the environment
/// changed by `env` (a value of `None` removes the variable), asserts that
/// it refuses to start (exit code 2) and returns its stderr.
fn serve_refused(args: &[&str], env: &[(&str, Option<&str>)]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    cmd.args(["serve", "--addr", "127.0.0.1:0"]).args(args);
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    err
}

#[test]
fn a_broken_knowledge_base_at_start_is_a_usage_error() {
    let dir = kb_copy();
    std::fs::write(account_file(&dir), "[ (id: \"x\", answer: ) ]").unwrap();
    let err = serve_refused(&["--intents", dir.path().to_str().unwrap()], &[]);
    assert!(err.contains("account.ron:1:"), "{err}");
}

#[test]
fn a_port_in_use_says_so() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    // `--addr` twice: the last one is used.
    let err = serve_refused(&["--addr", &addr], &[]);
    assert_eq!(
        err.lines().last().unwrap_or_default(),
        format!(
            "faqbot: cannot listen on {addr}: address already in use \
             (is another faqbot or another server running on that port?)"
        )
    );
}

/// `--sessions` from the environment (kept out of `ps`); `rediss://` is
/// refused with a message that says so and does not repeat the password.
#[test]
fn sessions_from_the_environment_and_no_tls() {
    let tls = [("FAQBOT_SESSIONS", Some("rediss://:Secret123@127.0.0.1:1/0"))];
    let err = serve_refused(&[], &tls);
    assert!(
        err.contains(
            "--sessions: session store unavailable: rediss:// (Redis over TLS) is not supported"
        ),
        "{err}"
    );
    assert!(!err.contains("Secret123"), "{err}");
    // The flag wins over the variable.
    let err = serve_refused(&["--sessions", "nowhere"], &tls);
    assert!(
        err.contains("`nowhere` is neither `memory` nor a redis:// URL"),
        "{err}"
    );
}
