//! Several `faqbot serve` instances sharing conversations through a real
//! Redis (`redis-server` from Debian's package), started by each test on
//! a free port with its data in a temporary directory.
//!
//! Without `redis-server` on the PATH these tests print a note and pass,
//! unless `FAQBOT_REQUIRE_REDIS=1` (set by `.ci/run`), which makes them
//! fail instead.

#[path = "../common/mod.rs"]
mod common;
mod instances;

use serde_json::{json, Value};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest wait for a process to start or a state to be reached; the
/// tests poll and normally wait far less.
const PATIENCE: Duration = Duration::from_secs(60);

fn redis_available() -> bool {
    let found = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var("FAQBOT_REQUIRE_REDIS").as_deref() != Ok("1"),
            "redis-server is not installed but FAQBOT_REQUIRE_REDIS=1"
        );
        eprintln!("redis-server not found: skipping (apt-get install redis-server)");
    }
    found
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A private `redis-server`, persisting every write (append-only file,
/// fsync always) so that a restart keeps the conversations.
struct Redis {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Redis {
    fn start() -> Redis {
        Redis::start_with(&[])
    }

    /// [`Redis::start`] with more `redis-server` flags, e.g.
    /// `["--requirepass", "PW"]`.
    fn start_with(flags: &[&str]) -> Redis {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Redis::spawn(port, dir.path(), flags);
        Redis { child, port, dir }
    }

    fn spawn(port: u16, dir: &std::path::Path, flags: &[&str]) -> Child {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(flags)
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .arg("--dir")
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        // Listening is not enough: while it loads its data, Redis answers
        // commands with `-LOADING`. Wait for a PONG.
        let start = Instant::now();
        while !Redis::pong(port) {
            assert!(start.elapsed() < PATIENCE, "redis-server did not answer");
            std::thread::sleep(Duration::from_millis(20));
        }
        child
    }

    fn pong(port: u16) -> bool {
        use std::io::{Read, Write};
        let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
            return false;
        };
        let mut reply = [0u8; 5];
        // `-NOAU(TH)`: up, and wants a password.
        s.write_all(b"PING\r\n").is_ok()
            && s.read_exact(&mut reply).is_ok()
            && (&reply == b"+PONG" || &reply == b"-NOAU")
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn restart(&mut self) {
        self.stop();
        self.child = Redis::spawn(self.port, self.dir.path(), &[]);
    }

    /// The stored conversation of `session`, straight from Redis.
    async fn conversation(&self, session: &str) -> Value {
        let client = redis::Client::open(self.url()).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        let text: String = redis::cmd("GET")
            .arg(format!("faqbot:s:{session}"))
            .query_async(&mut conn)
            .await
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    async fn info_memory(&self) -> String {
        let client = redis::Client::open(self.url()).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        redis::cmd("INFO")
            .arg("memory")
            .query_async(&mut conn)
            .await
            .unwrap()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A `faqbot serve` process.
struct Server {
    child: Child,
    addr: SocketAddr,
    logs: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(redis: &Redis, extra: &[&str]) -> Server {
        let url = redis.url();
        let mut args = vec!["--sessions", url.as_str()];
        args.extend_from_slice(extra);
        let (child, addr, logs) = common::spawn_serve(&args, PATIENCE);
        Server { child, addr, logs }
    }

    fn http(&self) -> common::Http {
        common::Http::new(self.addr)
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    async fn chat(&self, session: Option<&str>, message: &str) -> (u16, Value) {
        self.http()
            .post(
                "/api/v1/chat",
                &json!({"session": session, "message": message}),
            )
            .await
    }

    /// Waits until the server has reconnected to Redis by itself: polls
    /// `/metrics`, which makes no connection attempt.
    async fn wait_until_connected(&self) {
        let start = Instant::now();
        loop {
            let (_, metrics) = raw_get(self.addr, "/metrics").await;
            if metric(&metrics, "faqbot_session_store_up") == 1.0 {
                return;
            }
            assert!(start.elapsed() < PATIENCE, "never reconnected: {metrics}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn chat_ok(&self, session: Option<&str>, message: &str) -> Value {
        let (status, reply) = self.chat(session, message).await;
        if status != 200 {
            let logs = self.logs.lock().unwrap();
            let tail = &logs[logs.len().saturating_sub(10)..];
            panic!("status {status}: {reply}; log ends:\n{}", tail.join("\n"));
        }
        reply
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A Redis, a server on it, and a conversation started there ("I forgot
/// my app PIN", whose reply offers follow-ups): that reply and its session id.
async fn one_conversation() -> (Redis, Server, Value, String) {
    let redis = Redis::start();
    let server = Server::start(&redis, &[]);
    let first = server.chat_ok(None, "I forgot my app PIN").await;
    let session = first["session"].as_str().unwrap().to_string();
    (redis, server, first, session)
}

fn engine() -> faqbot::Engine {
    faqbot::Engine::bundled().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_moves_between_instances_and_survives_one_dying() {
    if !redis_available() {
        return;
    }
    let redis = Redis::start();
    let mut a = Server::start(&redis, &[]);
    let b = Server::start(&redis, &[]);

    // "1" on B picks the first suggestion that A offered.
    let first = a.chat_ok(None, "I forgot my app PIN").await;
    let session = first["session"].as_str().unwrap().to_string();
    let offered = first["suggestions"][0]["intent"].clone();
    assert!(offered.is_string(), "{first}");
    let picked = b.chat_ok(Some(&session), "1").await;
    assert_eq!(picked["session"], session.as_str());
    assert_eq!(picked["intent"], offered);

    // A whole scripted conversation alternating between A and B gets
    // exactly the replies of a private session.
    let engine = engine();
    let script = common::script(&engine, 5);
    let expected = common::oracle(&engine, &script);
    let mut id: Option<String> = None;
    for (turn, (message, want)) in script.iter().zip(&expected).enumerate() {
        let server = if turn % 2 == 0 { &a } else { &b };
        let reply = server.chat_ok(id.as_deref(), message).await;
        id = Some(reply["session"].as_str().unwrap().to_string());
        assert_eq!(&common::without_session(&reply), want, "turn {turn}");
    }

    // Kill A mid-conversation (SIGKILL, nothing saved on the way out):
    // B carries on with the context, and so does a new A.
    let second = a.chat_ok(None, "I forgot my app PIN").await;
    let session = second["session"].as_str().unwrap().to_string();
    a.kill();
    let on_b = b.chat_ok(Some(&session), "1").await;
    assert_eq!(on_b["session"], session.as_str());
    assert_eq!(on_b["intent"], second["suggestions"][0]["intent"]);
    let a2 = Server::start(&redis, &[]);
    let on_a2 = a2.chat_ok(Some(&session), "2").await;
    assert_eq!(on_a2["session"], session.as_str());
    assert_eq!(on_a2["intent"], on_b["suggestions"][1]["intent"]);
    // Both instances count the same conversations.
    let (_, h) = b.http().get("/healthz").await;
    assert_eq!(h["store"], "redis");
    assert_eq!(h["status"], "ok");
    assert!(h["sessions"]["live"].as_u64().unwrap() >= 3, "{h}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_means_503_and_degraded_then_it_reconnects_by_itself() {
    if !redis_available() {
        return;
    }
    let (mut redis, server, first, session) = one_conversation().await;

    redis.stop();
    let (status, body) = server.chat(Some(&session), "1").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "session_store_unavailable");
    // A new conversation cannot be stored either.
    let (status, _) = server.chat(None, "hello").await;
    assert_eq!(status, 503);
    for _ in 0..20 {
        let (status, body) = server.chat(Some(&session), "2").await;
        assert_eq!(status, 503, "{body}");
    }
    let (status, h) = server.http().get("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(h["status"], "degraded", "{h}");
    assert_eq!(h["reasons"][0]["code"], "session_store_unavailable");
    assert_eq!(h["sessions"], Value::Null);
    let (status, r) = server.http().get("/readyz").await;
    assert_eq!((status, r["ready"].clone()), (503, json!(false)));
    let (_, metrics) = raw_get(server.addr, "/metrics").await;
    assert_eq!(
        metric(&metrics, "faqbot_session_store_up"),
        0.0,
        "{metrics}"
    );
    assert_eq!(metric(&metrics, "faqbot_sessions_live"), -1.0, "{metrics}");

    // Redis comes back (with its data): the server reconnects without
    // help, no request needed (polling /metrics makes no attempt) ...
    redis.restart();
    server.wait_until_connected().await;
    // ... so the very next chat succeeds, where the conversation was.
    let reply = server.chat_ok(Some(&session), "1").await;
    assert_eq!(reply["session"], session.as_str());
    assert_eq!(reply["intent"], first["suggestions"][0]["intent"]);
    let (_, h) = server.http().get("/healthz").await;
    assert_eq!(h["status"], "ok", "{h}");
    assert_eq!(server.http().get("/readyz").await.0, 200);
    let (_, metrics) = raw_get(server.addr, "/metrics").await;
    let errors = metric(&metrics, "faqbot_session_store_errors_total");
    assert!(errors >= 2.0, "{metrics}");
    assert!(
        metric(&metrics, "faqbot_session_store_connect_attempts_total") >= 2.0,
        "{metrics}"
    );
}

/// Regression (an operator's trial): while Redis was down every request
/// that touched the store waited about 1.5 s for the connection manager's
/// reconnection attempts. Now one background task makes the attempts and
/// operations fail at once: counted here with a back-off so long that the
/// task makes no second attempt during the test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_redis_is_down_operations_fail_without_each_trying_to_connect() {
    use faqbot::server::sessions::{
        ConnectionStatus, Conversation, RedisOptions, RedisStore, SessionStore, StoreError,
    };
    if !redis_available() {
        return;
    }
    let mut redis = Redis::start();
    let hour = Duration::from_secs(3600);
    let options = RedisOptions {
        reconnect_min: hour,
        reconnect_max: hour,
        ..RedisOptions::default()
    };
    let store = RedisStore::open(&redis.url(), options).unwrap();
    assert_eq!(store.connection(), ConnectionStatus::default());
    store.save("s1", Conversation::new()).await.unwrap();
    let up = ConnectionStatus {
        up: true,
        attempts: 1,
        connections: 1,
    };
    assert_eq!(store.connection(), up);

    redis.stop();
    const CALLS: usize = 30;
    for i in 0..CALLS {
        let unavailable = |r: Result<(), StoreError>| {
            assert!(
                matches!(r, Err(StoreError::Unavailable(_))),
                "call {i}: {r:?}"
            );
        };
        unavailable(store.load("s1").await.map(|_| ()));
        unavailable(store.save("s1", Conversation::new()).await);
        unavailable(store.lock("s1").await.map(drop));
        unavailable(store.stats().await.map(|_| ()));
    }
    // The first failure marked the store down and started one attempt
    // (refused); the other 4 * CALLS - 1 operations made none.
    let down = store.connection();
    assert_eq!(
        down,
        ConnectionStatus {
            up: false,
            attempts: 2,
            connections: 1,
        }
    );
}

/// Regression (CI under load): `faqbot serve` starts connecting at boot,
/// so its first requests found the first attempt in flight and waited only
/// `reconnect_wait` (25 ms) for it: when the connection took longer, they
/// were answered 503 although nothing had failed. Until the first attempt
/// ends, operations wait for it up to the store's timeout. Here the
/// connection goes through a proxy that holds each new connection 300 ms
/// before passing it on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_operations_wait_for_a_slow_first_connection() {
    use faqbot::server::sessions::{Conversation, RedisOptions, RedisStore, SessionStore};
    if !redis_available() {
        return;
    }
    let redis = Redis::start();
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_port = proxy.local_addr().unwrap().port();
    let redis_port = redis.port;
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = proxy.accept().await {
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                let mut outbound = tokio::net::TcpStream::connect(("127.0.0.1", redis_port))
                    .await
                    .unwrap();
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    let options = RedisOptions::default();
    assert!(options.reconnect_wait < Duration::from_millis(300));
    let store = RedisStore::open(&format!("redis://127.0.0.1:{proxy_port}/0"), options).unwrap();
    store.start();
    let start = Instant::now();
    store.save("s1", Conversation::new()).await.unwrap();
    assert!(store.load("s1").await.unwrap().is_some());
    assert!(
        start.elapsed() >= Duration::from_millis(250),
        "{:?}",
        start.elapsed()
    );
}

/// Regression (an operator's trial): the first request after a Redis
/// restart failed, because the dropped connection was only noticed then.
/// Now that request is retried once on a new connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_restart_while_idle_costs_no_request() {
    if !redis_available() {
        return;
    }
    let (mut redis, server, first, session) = one_conversation().await;
    redis.restart();
    let reply = server.chat_ok(Some(&session), "1").await;
    assert_eq!(reply["session"], session.as_str());
    assert_eq!(reply["intent"], first["suggestions"][0]["intent"]);
    let fresh = server.chat_ok(None, "hello").await;
    assert_eq!(fresh["kind"], "answer", "{fresh}");
}

/// Regression (an operator's trial): a turn answered `503` because its
/// conversation could not be stored was written to the unanswered log, as
/// if the bot had not understood it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_turn_answered_503_is_not_in_the_unanswered_log() {
    if !redis_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("unanswered.jsonl");
    let mut redis = Redis::start();
    let server = Server::start(&redis, &["--log", log.to_str().unwrap()]);
    let lines = |n: usize| {
        let log = log.clone();
        async move {
            let start = Instant::now();
            loop {
                let text = std::fs::read_to_string(&log).unwrap_or_default();
                if text.lines().count() >= n {
                    return text;
                }
                assert!(start.elapsed() < PATIENCE, "log has not {n} lines: {text}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    let reply = server.chat_ok(None, "xyzzy plugh").await;
    assert_eq!(reply["kind"], "fallback", "{reply}");
    lines(1).await;

    redis.stop();
    let (status, body) = server.chat(None, "zork frobozz").await;
    assert_eq!(status, 503, "{body}");
    redis.restart();
    server.wait_until_connected().await;
    let reply = server.chat_ok(None, "grue quendor").await;
    assert_eq!(reply["kind"], "fallback", "{reply}");
    // The log is written in order: once the third turn's line is there,
    // the second turn's would be too.
    let text = lines(2).await;
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("xyzzy plugh"), "{text}");
    assert!(text.contains("grue quendor"), "{text}");
    assert!(!text.contains("zork"), "{text}");
}

/// `GET` of a non-JSON body: one request on a fresh connection.
async fn raw_get(addr: SocketAddr, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    let code = out.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (code, body)
}

/// The value of an unlabelled metric in Prometheus text.
fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
        .unwrap_or(f64::NAN)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_conversations_over_two_instances_never_cross() {
    if !redis_available() {
        return;
    }
    let redis = Redis::start();
    let servers = Arc::new([Server::start(&redis, &[]), Server::start(&redis, &[])]);
    let engine = Arc::new(engine());
    let mut tasks = Vec::new();
    for k in 0..200usize {
        let (servers, engine) = (servers.clone(), engine.clone());
        tasks.push(tokio::spawn(async move {
            let script = common::script(&engine, k);
            let expected = common::oracle(&engine, &script);
            let mut id: Option<String> = None;
            let mut mismatches = 0;
            for (turn, (message, want)) in script.iter().zip(&expected).enumerate() {
                // Each conversation hops between the instances its own way.
                let server = &servers[(k + turn * (1 + k % 3)) % 2];
                let reply = server.chat_ok(id.as_deref(), message).await;
                let got = reply["session"].as_str().unwrap().to_string();
                if let Some(prev) = &id {
                    assert_eq!(&got, prev, "conversation {k} lost its session");
                }
                id = Some(got);
                if &common::without_session(&reply) != want {
                    mismatches += 1;
                }
            }
            mismatches
        }));
    }
    let mut mismatches = 0;
    for t in tasks {
        mismatches += t.await.unwrap();
    }
    assert_eq!(
        mismatches, 0,
        "replies that differ from a private session's"
    );
    let (_, h) = servers[0].http().get("/healthz").await;
    assert_eq!(h["sessions"]["live"], 200, "{h}");
    assert!(redis.info_memory().await.contains("used_memory:"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_requests_of_one_conversation_lose_no_update() {
    if !redis_available() {
        return;
    }
    let redis = Redis::start();
    let servers = Arc::new([Server::start(&redis, &[]), Server::start(&redis, &[])]);
    let first = servers[0].chat_ok(None, "hello").await;
    let session = first["session"].as_str().unwrap().to_string();
    const RACERS: usize = 40;
    let mut tasks = Vec::new();
    for i in 0..RACERS {
        let (servers, session) = (servers.clone(), session.clone());
        tasks.push(tokio::spawn(async move {
            servers[i % 2]
                .chat_ok(Some(&session), "I forgot my app PIN")
                .await
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap()["session"], session.as_str());
    }
    // Every turn was played on the state the previous one left: none of
    // the 1 + RACERS turns was lost.
    let stored = redis.conversation(&session).await;
    assert_eq!(stored["session"]["turns"], 1 + RACERS, "{stored}");
    assert_eq!(
        stored["answered"],
        json!(["greeting", "reset_pin"]),
        "{stored}"
    );
    // No webhook: no transcript is kept.
    assert_eq!(stored["transcript"], json!([]));
}

/// Operator trial: a Redis with `requirepass` and a URL without the
/// password (or with a wrong one) was reported as "cannot be reached"
/// (and the log said "connected to Redis"). `/readyz`, `/healthz` and the
/// log now say that Redis refused authentication and how to give the
/// password; with the password (from `FAQBOT_SESSIONS`) it works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_that_wants_a_password_is_reported_as_refusing_not_unreachable() {
    if !redis_available() {
        return;
    }
    let redis = Redis::start_with(&["--requirepass", "s3cretPW"]);
    let url = |auth: &str| format!("redis://{auth}127.0.0.1:{}/0", redis.port);
    for (auth, says) in [("", "(NOAUTH)"), (":wrongPW@", "(WRONGPASS)")] {
        let sessions = url(auth);
        let (child, addr, logs) = common::spawn_serve(&["--sessions", &sessions], PATIENCE);
        let server = Server { child, addr, logs };
        // The first connection attempt runs in the background: until it
        // has been refused, the store is only not connected yet.
        let start = Instant::now();
        let ready = loop {
            let (status, ready) = server.http().get("/readyz").await;
            assert_eq!(status, 503, "{ready}");
            if ready.to_string().contains("refused") || start.elapsed() > PATIENCE {
                break ready;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let reason = &ready["reasons"][0];
        assert_eq!(reason["code"], "session_store_unavailable", "{ready}");
        let message = reason["message"].as_str().unwrap();
        for part in [
            "the Redis session store refused authentication",
            says,
            "redis://:PASSWORD@HOST:PORT/DB",
            "FAQBOT_SESSIONS",
        ] {
            assert!(message.contains(part), "{part:?} not in {message}");
        }
        assert!(!message.contains("cannot be reached"), "{message}");
        let (_, health) = server.http().get("/healthz").await;
        assert_eq!(health["reasons"][0]["message"], message, "{health}");
        let (status, body) = server.chat(None, "hello").await;
        assert_eq!(status, 503, "{body}");
        let log = server.logs.lock().unwrap().join("\n");
        assert!(
            log.contains("WARN") && log.contains("refused authentication") && log.contains(says),
            "{log}"
        );
        assert!(!log.contains("connected to Redis"), "{log}");
        // The start-up log says which Redis, and whether a password was given.
        let which = format!(
            "redis=\"127.0.0.1:{}/0\" password={}",
            redis.port,
            !auth.is_empty()
        );
        assert!(log.contains(&which), "{which} not in {log}");
        assert!(
            !log.contains("wrongPW"),
            "the password is never logged: {log}"
        );
    }
    // The password through the environment: ready, and chat works.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"));
    child.env("FAQBOT_SESSIONS", url(":s3cretPW@"));
    let (child, addr, logs) = common::spawn_serve_with(child, &[], PATIENCE);
    let server = Server { child, addr, logs };
    server.wait_until_connected().await;
    assert_eq!(server.http().get("/readyz").await.0, 200);
    server.chat_ok(None, "I forgot my app PIN").await;
}

/// Keys of the wrong type under the prefix (another program's, or written
/// by hand): before, a string at `faqbot:live` made every chat request
/// `503` and `/readyz` `503` ("cannot be reached") for good, and a hash at
/// a conversation's key did the same to that conversation. Now the
/// conversation starts afresh and the store's own keys are replaced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_of_the_wrong_type_do_not_take_the_store_down() {
    if !redis_available() {
        return;
    }
    let (redis, server, _, session) = one_conversation().await;
    let client = redis::Client::open(redis.url()).unwrap();
    let conn = client.get_multiplexed_async_connection().await.unwrap();
    let run = |args: &[&str]| {
        let mut cmd = redis::cmd(args[0]);
        for a in &args[1..] {
            cmd.arg(*a);
        }
        let mut conn = conn.clone();
        async move {
            let _: redis::Value = cmd.query_async(&mut conn).await.unwrap();
        }
    };
    let key = format!("faqbot:s:{session}");
    run(&["DEL", &key]).await;
    run(&["HSET", &key, "a", "b"]).await;
    run(&["DEL", "faqbot:live", "faqbot:counters"]).await;
    run(&["SET", "faqbot:live", "garbage"]).await;
    run(&["SET", "faqbot:counters", "garbage"]).await;

    let (status, _) = server.http().get("/readyz").await;
    assert_eq!(status, 200, "readyz with a wrong-typed live set");
    let (_, h) = server.http().get("/healthz").await;
    assert_eq!(h["status"], "ok", "{h}");
    // The wrong-typed conversation reads as none: a new one starts.
    let reply = server.chat_ok(Some(&session), "hello").await;
    assert_ne!(reply["session"], session.as_str());
    // Every other conversation works, and the bookkeeping is whole again.
    let other = server.chat_ok(None, "I forgot my app PIN").await;
    let id = other["session"].as_str().unwrap();
    let next = server.chat_ok(Some(id), "1").await;
    assert_eq!(next["session"], id);
    assert_eq!(next["intent"], other["suggestions"][0]["intent"]);
    let (_, h) = server.http().get("/healthz").await;
    assert_eq!(h["status"], "ok", "{h}");
    assert_eq!(h["sessions"]["live"], 2, "{h}");
}

/// A careless `--session-idle` (or `--timeout`) far beyond any real use,
/// as for "never expire": before, Redis refused the TTL ("value is not an
/// integer or out of range") and every chat got 503 while `/healthz` said
/// ok. Such TTLs are capped at 100 years.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absurdly_long_timeouts_still_store_conversations() {
    if !redis_available() {
        return;
    }
    let redis = Redis::start();
    let server = Server::start(
        &redis,
        &[
            "--session-idle",
            "9223372036854776",
            "--timeout",
            "9223372036854776",
        ],
    );
    let first = server.chat_ok(None, "I forgot my app PIN").await;
    let id = first["session"].as_str().unwrap();
    let next = server.chat_ok(Some(id), "1").await;
    assert_eq!(next["session"], id);
    assert_eq!(next["intent"], first["suggestions"][0]["intent"]);
}
