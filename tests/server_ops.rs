//! Operating `faqbot serve`: metrics that move, the handoff webhook (a
//! local receiver), rate limiting, one conversation's racing requests on
//! the in-memory store, and slow inputs that must not starve normal ones.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use faqbot::server::ratelimit::{ClientKey, RateLimit};
use faqbot::server::sessions::{
    Conversation, MemoryStore, SessionLock, SessionStore, StoreError, StoreFuture, StoreStats,
};
use faqbot::server::webhook::{Webhook, WebhookOptions};
use faqbot::server::{router, serve, AppState, ServeOptions};
use faqbot::Engine;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

/// Longest wait for something that normally takes milliseconds.
const PATIENCE: Duration = Duration::from_secs(60);

fn engine() -> Engine {
    Engine::bundled().unwrap()
}

async fn call(
    app: &axum::Router,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).to_string(),
    )
}

async fn chat(app: &axum::Router, session: Option<&str>, message: &str) -> (StatusCode, Value) {
    let req = Request::post("/api/v1/chat")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"session": session, "message": message}).to_string(),
        ))
        .unwrap();
    let (status, _, body) = call(app, req).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

async fn scrape(app: &axum::Router) -> String {
    let (status, headers, body) =
        call(app, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(status, 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    body
}

/// The value of the sample `series` (name with labels as printed), 0 when
/// absent.
fn sample(text: &str, series: &str) -> f64 {
    common::metric_sample(text, series).unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_count_requests_replies_fallbacks_and_handoffs() {
    let app = router(AppState::new(engine()));
    let before = scrape(&app).await;
    let (_, a) = chat(&app, None, "I forgot my app PIN").await;
    assert_eq!(a["kind"], "answer");
    let (_, f) = chat(&app, None, "xyzzy plugh").await;
    assert_eq!(f["kind"], "fallback");
    let (_, h) = chat(&app, None, "talk to a human").await;
    assert_eq!(h["kind"], "handoff");
    // Empty messages get a fallback ("Please type a question.") but are
    // no fallback of the knowledge base's.
    for empty in ["", "   "] {
        let (_, e) = chat(&app, None, empty).await;
        assert_eq!(e["kind"], "fallback");
    }
    let (s, _, _) = call(
        &app,
        Request::get("/no/such/page").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, 404);
    let after = scrape(&app).await;
    let moved = |series: &str| sample(&after, series) - sample(&before, series);
    assert_eq!(
        moved(r#"faqbot_http_requests_total{route="/api/v1/chat",status="200"}"#),
        5.0
    );
    assert_eq!(
        moved(r#"faqbot_http_requests_total{route="other",status="404"}"#),
        1.0
    );
    assert_eq!(
        moved(r#"faqbot_http_requests_total{route="/metrics",status="200"}"#),
        1.0
    );
    assert_eq!(
        moved(r#"faqbot_http_request_duration_seconds_count{route="/api/v1/chat"}"#),
        5.0
    );
    assert_eq!(
        moved(r#"faqbot_replies_total{kind="answer",intent="reset_pin"}"#),
        1.0
    );
    assert_eq!(
        moved(r#"faqbot_replies_total{kind="fallback",intent="none"}"#),
        3.0
    );
    assert_eq!(moved("faqbot_fallbacks_total"), 1.0);
    assert_eq!(moved("faqbot_handoffs_total"), 1.0);
    assert_eq!(sample(&after, "faqbot_sessions_live"), 5.0);
    assert_eq!(
        sample(&after, r#"faqbot_reloads_total{result="failed"}"#),
        0.0
    );
    assert_eq!(sample(&after, "faqbot_kb_generation"), 1.0);
}

/// A session store that is always down.
struct DownStore;

impl SessionStore for DownStore {
    fn load<'a>(&'a self, _: &'a str) -> StoreFuture<'a, Option<Conversation>> {
        Box::pin(async { Err(StoreError::Unavailable("down".into())) })
    }
    fn save<'a>(&'a self, _: &'a str, _: Conversation) -> StoreFuture<'a, ()> {
        Box::pin(async { Err(StoreError::Unavailable("down".into())) })
    }
    fn lock<'a>(&'a self, _: &'a str) -> StoreFuture<'a, SessionLock> {
        Box::pin(async { Err(StoreError::Unavailable("down".into())) })
    }
    fn stats(&self) -> StoreFuture<'_, StoreStats> {
        Box::pin(async { Err(StoreError::Unavailable("down".into())) })
    }
    fn backend(&self) -> &'static str {
        "down"
    }
}

#[tokio::test]
async fn store_errors_count_customers_requests_not_probes() {
    let mut state = AppState::new(engine());
    state.sessions = Arc::new(DownStore);
    let app = router(state);
    for session in [None, Some("a-session"), None] {
        assert_eq!(chat(&app, session, "hello").await.0, 503);
    }
    for path in ["/healthz", "/readyz", "/metrics", "/healthz", "/readyz"] {
        call(&app, Request::get(path).body(Body::empty()).unwrap()).await;
    }
    let metrics = scrape(&app).await;
    assert_eq!(sample(&metrics, "faqbot_session_store_errors_total"), 3.0);
    assert_eq!(sample(&metrics, "faqbot_sessions_live"), -1.0);
}

/// A local webhook receiver: answers 500 to the first `fail_first` posts,
/// then 200; with `hang`, never answers at all.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Value>>>,
    /// Every post, refused or not: its `Idempotency-Key` and body.
    posted: Arc<Mutex<Vec<(String, Value)>>>,
    attempts: Arc<AtomicUsize>,
    notify: Arc<tokio::sync::Notify>,
}

async fn receiver(fail_first: usize, hang: bool) -> Receiver {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let posted: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let attempts = Arc::new(AtomicUsize::new(0));
    let notify = Arc::new(tokio::sync::Notify::new());
    let (g, p, a, n) = (
        got.clone(),
        posted.clone(),
        attempts.clone(),
        notify.clone(),
    );
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let (g, p, a, n) = (g.clone(), p.clone(), a.clone(), n.clone());
            async move {
                let key = headers
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                p.lock()
                    .unwrap()
                    .push((key, serde_json::from_str(&body).unwrap()));
                let k = a.fetch_add(1, Ordering::SeqCst);
                n.notify_one();
                if hang {
                    std::future::pending::<()>().await;
                }
                if k < fail_first {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                g.lock().unwrap().push(serde_json::from_str(&body).unwrap());
                n.notify_one();
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver {
        url,
        got,
        posted,
        attempts,
        notify,
    }
}

fn with_webhook(url: &str, options: WebhookOptions) -> axum::Router {
    let mut state = AppState::new(engine());
    state.webhook = Some(Webhook::spawn(url, options, state.metrics.clone()).unwrap());
    router(state)
}

#[tokio::test]
async fn a_handoff_posts_the_masked_conversation_with_retries() {
    let rx = receiver(1, false).await;
    let options = WebhookOptions {
        backoff: Duration::from_millis(10),
        ..WebhookOptions::default()
    };
    let app = with_webhook(&rx.url, options);
    let (_, first) = chat(
        &app,
        None,
        "my car xyzzy, mail jo.doe@example.com or call +49 170 1234567",
    )
    .await;
    let session = first["session"].as_str().unwrap().to_string();
    let (status, reply) = chat(&app, Some(&session), "talk to a human").await;
    assert_eq!(
        (status, reply["kind"].as_str()),
        (StatusCode::OK, Some("handoff"))
    );
    let event = tokio::time::timeout(PATIENCE, async {
        loop {
            if let Some(e) = rx.got.lock().unwrap().first().cloned() {
                return e;
            }
            rx.notify.notified().await;
        }
    })
    .await
    .expect("the webhook is delivered");
    // The first attempt got a 500, the retry went through: the same
    // event, under the same id (also the `Idempotency-Key` header).
    assert_eq!(rx.attempts.load(Ordering::SeqCst), 2);
    let posted = rx.posted.lock().unwrap().clone();
    let id = event["event_id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(posted[0].1, event);
    assert_eq!(
        (posted[0].0.as_str(), posted[1].0.as_str()),
        (id.as_str(), id.as_str())
    );
    assert_eq!(event["handoffs_in_session"], 1);
    assert_eq!(event["event"], "handoff");
    assert_eq!(event["session"], session.as_str());
    assert_eq!(event["bot"], "MINI App Assistant");
    let turns = event["transcript"].as_array().unwrap();
    assert_eq!(turns.len(), 2);
    let user = turns[0]["user"].as_str().unwrap();
    assert_eq!(user, "my car xyzzy, mail <email> or call <phone>");
    assert_eq!(turns[1]["kind"], "handoff");
    assert_eq!(turns[1]["intent"], "handoff");
    assert_eq!(turns[1]["bot"], reply["text"]);
    // Counted once the receiver's answer is in.
    tokio::time::timeout(PATIENCE, async {
        loop {
            let metrics = scrape(&app).await;
            if sample(&metrics, r#"faqbot_webhook_deliveries_total{result="ok"}"#) == 1.0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the delivery is counted");
    // Asking again in the same conversation is a new event that says it
    // is a repeat.
    let (_, again) = chat(&app, Some(&session), "talk to a human").await;
    assert_eq!(again["kind"], "handoff");
    let second = tokio::time::timeout(PATIENCE, async {
        loop {
            if let Some(e) = rx.got.lock().unwrap().get(1).cloned() {
                return e;
            }
            rx.notify.notified().await;
        }
    })
    .await
    .expect("the second handoff is delivered");
    assert_eq!(second["session"], session.as_str());
    assert_eq!(second["handoffs_in_session"], 2);
    assert_ne!(second["event_id"], event["event_id"]);
}

#[tokio::test]
async fn a_webhook_that_never_answers_does_not_delay_the_reply() {
    let rx = receiver(0, true).await;
    let options = WebhookOptions {
        timeout: Duration::from_secs(3600),
        ..WebhookOptions::default()
    };
    let app = with_webhook(&rx.url, options);
    let reply = tokio::time::timeout(PATIENCE, chat(&app, None, "talk to a human"))
        .await
        .expect("the reply does not wait for the webhook");
    assert_eq!(reply.0, StatusCode::OK);
    assert_eq!(reply.1["kind"], "handoff");
    // The receiver did get the post (and is still holding it).
    tokio::time::timeout(PATIENCE, async {
        while rx.attempts.load(Ordering::SeqCst) == 0 {
            rx.notify.notified().await;
        }
    })
    .await
    .expect("the webhook was posted");
    assert!(rx.got.lock().unwrap().is_empty());
}

#[tokio::test]
async fn rate_limit_applies_to_chat_and_feedback_only() {
    let mut state = AppState::new(engine());
    state.config.rate_limit = Some(RateLimit {
        per_minute: 1,
        burst: 2,
        key: ClientKey::Peer,
    });
    let app = router(state);
    assert_eq!(chat(&app, None, "hello").await.0, 200);
    assert_eq!(chat(&app, None, "hello").await.0, 200);
    let req = Request::post("/api/v1/chat")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"message": "hello"}"#))
        .unwrap();
    let (status, headers, body) = call(&app, req).await;
    assert_eq!(status, 429);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // One request a minute: the next is allowed in a minute, rounded up,
    // and the message says the same as the header.
    let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(
        body["error"]["message"],
        format!("too many requests; retry in {retry} s")
    );
    let fb = Request::post("/api/v1/feedback")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"helpful": true}"#))
        .unwrap();
    assert_eq!(call(&app, fb).await.0, 429);
    // Other endpoints are not limited.
    for _ in 0..5 {
        let (s, _, _) = call(
            &app,
            Request::get("/api/v1/intents").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(s, 200);
    }
    let metrics = scrape(&app).await;
    assert_eq!(sample(&metrics, "faqbot_rate_limited_total"), 2.0);
    // Off by default.
    let open = router(AppState::new(engine()));
    for _ in 0..10 {
        assert_eq!(chat(&open, None, "hello").await.0, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_requests_of_one_conversation_lose_no_update_in_memory() {
    let store = Arc::new(MemoryStore::new(100, Duration::from_secs(600)));
    let mut state = AppState::new(engine());
    state.sessions = store.clone();
    let app = router(state);
    let (_, first) = chat(&app, None, "hello").await;
    let session = first["session"].as_str().unwrap().to_string();
    const RACERS: u32 = 40;
    let mut tasks = Vec::new();
    for _ in 0..RACERS {
        let (app, session) = (app.clone(), session.clone());
        tasks.push(tokio::spawn(async move {
            chat(&app, Some(&session), "I forgot my app PIN").await.0
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let conv = store.load(&session).await.unwrap().unwrap();
    assert_eq!(conv.session.turns, 1 + RACERS);
}

/// Status of a chat request carrying these `X-Forwarded-For` lines.
async fn chat_forwarded(app: &axum::Router, lines: &[&str]) -> u16 {
    let mut req = Request::post("/api/v1/chat").header("content-type", "application/json");
    for l in lines {
        req = req.header("x-forwarded-for", *l);
    }
    let req = req.body(Body::from(r#"{"message": "hello"}"#)).unwrap();
    call(app, req).await.0.as_u16()
}

#[tokio::test]
async fn the_forwarded_key_is_the_address_the_proxy_appended() {
    let mut state = AppState::new(engine());
    state.config.rate_limit = Some(RateLimit {
        per_minute: 1,
        burst: 2,
        key: ClientKey::Forwarded,
    });
    let app = router(state);
    // One client behind the proxy (10.0.0.9) forging a new first entry
    // each time: the same bucket.
    let mut seen = Vec::new();
    for i in 1..=4 {
        let forged = format!("203.0.113.{i}, 10.0.0.9");
        seen.push(chat_forwarded(&app, &[forged.as_str()]).await);
    }
    assert_eq!(seen, [200, 200, 429, 429]);
    // The proxy's own header line counts, not the client's.
    assert_eq!(chat_forwarded(&app, &["10.0.0.7", "10.0.0.9"]).await, 429);
    // Another client has a bucket of its own, whatever it forges.
    assert_eq!(chat_forwarded(&app, &["10.0.0.9, 10.0.0.8"]).await, 200);
    assert_eq!(chat_forwarded(&app, &["10.0.0.8"]).await, 200);
    assert_eq!(chat_forwarded(&app, &["10.0.0.9, 10.0.0.8"]).await, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_inputs_do_not_starve_normal_requests() {
    let mut state = AppState::new(engine());
    state.config.max_message_chars = 64 * 1024;
    state.config.body_limit_bytes = 1024 * 1024;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        listener,
        router(state),
        async {
            let _ = stop_rx.await;
        },
        ServeOptions::default(),
    ));
    let slow_inputs = Arc::new([
        "\u{FDFA}".repeat(1000),
        "한국어 문장입니다 ".repeat(64 * 1024 / 28),
        "x".repeat(60_000),
    ]);
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let slow_served = Arc::new(AtomicUsize::new(0));
    let mut slow = Vec::new();
    for k in 0..8 {
        let (inputs, done, served) = (slow_inputs.clone(), done.clone(), slow_served.clone());
        slow.push(tokio::spawn(async move {
            let http = common::Http::new(addr);
            let mut i = k;
            while !done.load(Ordering::SeqCst) {
                let msg = &inputs[i % inputs.len()];
                let (status, _) = http.post("/api/v1/chat", &json!({"message": msg})).await;
                // A slow input may run into the request timeout (408) in
                // an unoptimised build; it must not fail otherwise.
                assert!(status == 200 || status == 408, "status {status}");
                served.fetch_add(1, Ordering::SeqCst);
                i += 1;
            }
        }));
    }
    // Normal questions, one after the other, while the slow ones flood.
    let http = common::Http::new(addr);
    let normal = tokio::time::timeout(PATIENCE, async {
        let mut answered = 0;
        for _ in 0..100 {
            let (status, reply) = http
                .post("/api/v1/chat", &json!({"message": "I forgot my app PIN"}))
                .await;
            assert_eq!(status, 200);
            assert_eq!(reply["intent"], "reset_pin");
            answered += 1;
        }
        answered
    })
    .await
    .expect("normal requests complete while slow ones run");
    let slow_during = slow_served.load(Ordering::SeqCst);
    done.store(true, Ordering::SeqCst);
    for t in slow {
        t.await.unwrap();
    }
    assert_eq!(normal, 100);
    // The slow clients were served too, at the same time.
    assert!(slow_during >= 1, "no slow request was served");
    let _ = stop_tx.send(());
    server.await.unwrap().unwrap();
}
