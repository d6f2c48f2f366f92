//! The server on a real socket (127.0.0.1, port 0): many conversations at
//! once keep their own state, and shutdown is graceful.

mod common;

use faqbot::server::{router, serve, AppState, ServeOptions};
use faqbot::Engine;
use serde_json::{json, Value};

/// 200 conversations run at the same time, each over its own keep-alive
/// connection; every reply must equal what a private session gets for the
/// same script. A reply from another conversation (or a mixed-up session)
/// would differ, because numbered choices and follow-ups depend on state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_conversations_over_a_socket_never_cross() {
    let engine = Engine::bundled().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        listener,
        router(AppState::new(Engine::bundled().unwrap())),
        async {
            let _ = stop_rx.await;
        },
        ServeOptions::default(),
    ));

    const SESSIONS: usize = 200;
    let mut tasks = Vec::new();
    for k in 0..SESSIONS {
        let script = common::script(&engine, k);
        let expected = common::oracle(&engine, &script);
        let http = common::Http::new(addr);
        tasks.push(tokio::spawn(async move {
            let mut id: Option<String> = None;
            for (turn, message) in script.iter().enumerate() {
                let (status, reply) = http
                    .post("/api/v1/chat", &json!({"session": id, "message": message}))
                    .await;
                assert_eq!(status, 200, "{reply}");
                let got = reply["session"].as_str().unwrap().to_string();
                if let Some(id) = &id {
                    assert_eq!(&got, id, "conversation {k} changed id at turn {turn}");
                }
                id = Some(got);
                assert_eq!(
                    common::without_session(&reply),
                    expected[turn],
                    "conversation {k}, turn {turn} ({message:?})"
                );
            }
            id.unwrap()
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.expect("conversation task"));
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), SESSIONS, "every conversation has its own id");

    let http = common::Http::new(addr);
    let (_, health) = http.get("/healthz").await;
    assert_eq!(health["sessions"]["live"], SESSIONS as u64);
    assert_eq!(health["sessions"]["evicted"], 0);

    stop_tx.send(()).unwrap();
    let stopped = server.await.expect("server task");
    assert!(stopped.is_ok(), "{stopped:?}");
    let refused = tokio::net::TcpStream::connect(addr).await;
    assert!(refused.is_err(), "the listener is closed after shutdown");
}

#[tokio::test]
async fn errors_over_the_socket_are_json_too() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(AppState::new(Engine::bundled().unwrap()));
    let server = tokio::spawn(serve(
        listener,
        app,
        std::future::pending(),
        ServeOptions::default(),
    ));
    let http = common::Http::new(addr);
    let (status, body) = http.get("/api/v1/chat").await;
    assert_eq!(status, 405);
    assert_eq!(body["error"]["code"], "method_not_allowed");
    let long: String = "x".repeat(1001);
    let (status, body) = http.post("/api/v1/chat", &json!({"message": long})).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "message_too_long");
    let (status, body): (u16, Value) = http.get("/healthz").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    server.abort();
}

/// Requests hyper rejects before the application sees them (cases in
/// `tests/server/raw_requests.json`) still get a JSON error body.
#[tokio::test]
async fn requests_hyper_rejects_get_json_bodies() {
    use tokio::io::AsyncWriteExt;
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("server/raw_requests.json")).expect("cases parse");
    let (addr, server) = start(ServeOptions::default()).await;
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let raw = if let Some(raw) = case["raw"].as_str() {
            raw.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>()
        } else if let Some(n) = case["path_len"].as_u64() {
            format!(
                "GET /{} HTTP/1.1\r\nHost: x\r\n\r\n",
                "a".repeat(n as usize)
            )
            .into_bytes()
        } else if let Some(n) = case["header_value_len"].as_u64() {
            // 62 bytes besides the value: the head is `n + 62` bytes.
            format!(
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
                "a".repeat(n as usize)
            )
            .into_bytes()
        } else {
            // `n` headers besides Host and Connection.
            let n = case["header_count"].as_u64().unwrap();
            let headers: String = (0..n).map(|i| format!("X-H{i}: v\r\n")).collect();
            format!("GET /healthz HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n")
                .into_bytes()
        };
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        // The server may answer and close before reading everything.
        let _ = stream.write_all(&raw).await;
        let text = read_to_close(&mut stream).await;
        let status: u16 = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        assert_eq!(
            status,
            case["status"].as_u64().unwrap() as u16,
            "{name}: {text}"
        );
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{name}: {head}"
        );
        let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        match case["code"].as_str() {
            Some(code) => {
                assert_eq!(body["error"]["code"], code, "{name}");
                assert!(body["error"]["message"].is_string(), "{name}");
            }
            None => assert_eq!(body["status"], "ok", "{name}"),
        }
    }
    server.abort();
}

async fn start(
    options: ServeOptions,
) -> (
    std::net::SocketAddr,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(AppState::new(Engine::bundled().unwrap()));
    let server = tokio::spawn(serve(listener, app, std::future::pending(), options));
    (addr, server)
}

/// Reads until the server closes the connection; returns what it sent.
async fn read_to_close(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        stream.read_to_end(&mut buf),
    )
    .await;
    assert!(read.is_ok(), "the server never closed the connection");
    String::from_utf8_lossy(&buf).into_owned()
}

/// A client that starts a request and never finishes its headers (or an
/// idle keep-alive connection) is disconnected after the header timeout.
#[tokio::test]
async fn slow_or_idle_clients_are_disconnected() {
    use tokio::io::AsyncWriteExt;
    let (addr, server) = start(ServeOptions {
        header_timeout: std::time::Duration::from_millis(500),
        ..ServeOptions::default()
    })
    .await;
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"POST /api/v1/chat HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let sent = read_to_close(&mut slow).await;
    assert!(!sent.contains("200 OK"), "{sent}");

    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let sent = read_to_close(&mut idle).await;
    assert!(sent.starts_with("HTTP/1.1 200 OK"), "{sent}");
    server.abort();
}

/// With `max_connections` 1, a second client is served only once the first
/// connection is gone.
#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_free_slot() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (addr, server) = start(ServeOptions {
        max_connections: 1,
        ..ServeOptions::default()
    })
    .await;
    let first = tokio::net::TcpStream::connect(addr).await.unwrap();
    // Let the server accept the first connection.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut second = tokio::net::TcpStream::connect(addr).await.unwrap();
    second
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(
        std::time::Duration::from_millis(300),
        second.read(&mut byte),
    )
    .await;
    assert!(early.is_err(), "served while the only slot was taken");
    drop(first);
    let sent = read_to_close(&mut second).await;
    assert!(sent.starts_with("HTTP/1.1 200 OK"), "{sent}");
    server.abort();
}

/// A client that sends requests and never reads the responses is
/// disconnected once the server has been unable to write to it for
/// `write_timeout`, freeing its connection slot. Before, it held the slot
/// for ever: with `max_connections` such clients nobody else was served.
#[tokio::test]
async fn clients_that_stop_reading_are_disconnected() {
    use tokio::io::AsyncWriteExt;
    let (addr, server) = start(ServeOptions {
        max_connections: 1,
        write_timeout: std::time::Duration::from_millis(500),
        ..ServeOptions::default()
    })
    .await;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut deaf = socket.connect(addr).await.unwrap();
    // 500 pipelined requests for the 23 KB widget script: far more than
    // the socket buffers hold, so the server's writes stall.
    let requests = b"GET /widget.js HTTP/1.1\r\nHost: x\r\n\r\n".repeat(500);
    deaf.write_all(&requests).await.unwrap();
    let mut other = tokio::net::TcpStream::connect(addr).await.unwrap();
    other
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let sent = read_to_close(&mut other).await;
    assert!(sent.starts_with("HTTP/1.1 200 OK"), "{sent}");
    drop(deaf);
    server.abort();
}
