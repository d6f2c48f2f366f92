//! The HTTP API in-process: the router built by `faqbot::server::router`,
//! driven with `tower::ServiceExt::oneshot` (no socket).

mod common;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use faqbot::server::sessions::MemoryStore;
use faqbot::server::{router, AppState, Config, FeedbackLog, TurnHook};
use faqbot::Engine;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

fn engine() -> Engine {
    Engine::bundled().expect("bundled knowledge base")
}

fn app() -> Router {
    router(AppState::new(engine()))
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, HeaderMap, Value) {
    let resp = app.clone().oneshot(req).await.expect("router never fails");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, json)
}

async fn post(app: &Router, path: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (s, _, j) = send(app, req).await;
    (s, j)
}

async fn get(app: &Router, path: &str) -> (StatusCode, Value) {
    let (s, _, j) = send(app, Request::get(path).body(Body::empty()).unwrap()).await;
    (s, j)
}

async fn chat(app: &Router, session: Option<&str>, message: &str) -> Value {
    let (status, body) = post(
        app,
        "/api/v1/chat",
        json!({"session": session, "message": message}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn chat_reply_is_the_pipe_mode_reply_plus_the_session() {
    let app = app();
    let first = chat(&app, None, "I forgot my app PIN").await;
    let id = first["session"].as_str().expect("session id").to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let mut own = faqbot::Session::new();
    let expected = common::wire(&engine().respond(&mut own, "I forgot my app PIN"));
    assert_eq!(common::without_session(&first), expected);
    assert_eq!(first["intent"], "reset_pin");

    assert_eq!(first["new_session"], true, "{first}");
    // The session carries the offered choices: "1" picks the first one.
    let next = chat(&app, Some(&id), "1").await;
    assert_eq!(next["session"], id.as_str());
    assert_eq!(next["new_session"], false, "{next}");
    assert_eq!(next["intent"], first["suggestions"][0]["intent"]);
    assert_eq!(next["kind"], "answer");
}

#[tokio::test]
async fn conversations_do_not_share_state() {
    let app = app();
    let engine = engine();
    let mut ids = Vec::new();
    let scripts: Vec<Vec<String>> = (0..6).map(|k| common::script(&engine, k)).collect();
    let mut got: Vec<Vec<Value>> = vec![Vec::new(); scripts.len()];
    // Interleave the turns of six conversations.
    for turn in 0..scripts[0].len() {
        for (k, script) in scripts.iter().enumerate() {
            let id = ids.get(k).cloned();
            let reply = chat(&app, id.as_deref(), &script[turn]).await;
            if id.is_none() {
                ids.push(reply["session"].as_str().unwrap().to_string());
            }
            assert_eq!(reply["session"], ids[k].as_str());
            got[k].push(common::without_session(&reply));
        }
    }
    for (k, script) in scripts.iter().enumerate() {
        assert_eq!(got[k], common::oracle(&engine, script), "conversation {k}");
    }
}

#[tokio::test]
async fn unknown_or_malformed_session_ids_start_a_new_conversation() {
    let app = app();
    for bad in ["no-such-session", "", &"x".repeat(500)] {
        let reply = chat(&app, Some(bad), "1").await;
        let id = reply["session"].as_str().unwrap();
        assert_ne!(id, bad);
        assert_eq!(id.len(), 36);
        // Said, so that an integration sending ids of its own (a new
        // user's "cust1", trial 31) sees that each turn started over.
        assert_eq!(reply["new_session"], true, "{reply}");
        // Nothing was offered in a new conversation, so "1" is not a choice.
        assert_eq!(reply["kind"], "fallback", "{reply}");
    }
}

#[tokio::test(start_paused = true)]
async fn an_expired_session_starts_over_under_a_new_id() {
    let mut state = AppState::new(engine());
    state.sessions = Arc::new(MemoryStore::new(100, Duration::from_secs(60)));
    let app = router(state);
    let first = chat(&app, None, "I forgot my app PIN").await;
    let id = first["session"].as_str().unwrap().to_string();
    tokio::time::advance(Duration::from_secs(30)).await;
    assert_eq!(chat(&app, Some(&id), "1").await["session"], id.as_str());
    tokio::time::advance(Duration::from_secs(61)).await;
    let after = chat(&app, Some(&id), "1").await;
    assert_ne!(after["session"], id.as_str());
    assert_eq!(after["new_session"], true, "{after}");
    assert_eq!(after["kind"], "fallback");
    let (_, health) = get(&app, "/healthz").await;
    assert_eq!(health["sessions"]["expired"], 1);
}

#[tokio::test]
async fn the_session_count_is_bounded() {
    let mut state = AppState::new(engine());
    state.sessions = Arc::new(MemoryStore::new(3, Duration::from_secs(600)));
    let app = router(state);
    let mut ids = Vec::new();
    for _ in 0..10 {
        let r = chat(&app, None, "I forgot my app PIN").await;
        ids.push(r["session"].as_str().unwrap().to_string());
    }
    let (_, health) = get(&app, "/healthz").await;
    assert_eq!(health["sessions"]["live"], 3);
    assert_eq!(health["sessions"]["evicted"], 7);
    // The oldest conversation is gone, the newest continues.
    assert_ne!(
        chat(&app, Some(&ids[0]), "1").await["session"],
        ids[0].as_str()
    );
    let last = chat(&app, Some(&ids[9]), "1").await;
    assert_eq!(last["session"], ids[9].as_str());
    assert_eq!(last["kind"], "answer");
}

#[tokio::test]
async fn intents_menu_lists_faq_titles_most_popular_first() {
    let app = app();
    let (status, menu) = get(&app, "/api/v1/intents").await;
    assert_eq!(status, StatusCode::OK);
    let engine = engine();
    let kb = engine.knowledge_base();
    assert_eq!(menu["name"], kb.settings.name.as_str());
    assert_eq!(menu["greeting"], kb.settings.greeting.as_str());
    let items = menu["intents"].as_array().unwrap();
    let expected: Vec<&str> = engine
        .popular()
        .iter()
        .map(|&i| kb.intents[i].id.as_str())
        .collect();
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, expected);
    assert!(!ids.contains(&"greeting") && !ids.contains(&"human_handoff"));
    // Sending a menu title as a message answers that intent.
    for item in items {
        let reply = chat(&app, None, item["title"].as_str().unwrap()).await;
        assert_eq!(reply["intent"], item["id"], "{}", item["title"]);
    }
}

/// bot.ron's handoff text is plain text; the widget gets it as HTML too,
/// its phone number, e-mail and web address links: in the menu (shown
/// after a "No") and in a handoff reply (`handoff_html`, only there).
#[tokio::test]
async fn the_handoff_text_comes_with_its_contact_details_as_links() {
    let kb = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kb/contact");
    let app = router(AppState::new(Engine::load(&kb).unwrap()));
    let (status, menu) = get(&app, "/api/v1/intents").await;
    assert_eq!(status, StatusCode::OK);
    let html = menu["handoff_html"].as_str().expect("handoff_html");
    for link in [
        r#"<a href="tel:01632960735" target="_blank" rel="noopener">01632 960735</a>"#,
        r#"<a href="mailto:workshop@bikes.example.com" target="_blank" rel="noopener">"#,
        r#"<a href="https://bikes.example.com/contact" target="_blank" rel="noopener">"#,
    ] {
        assert!(html.contains(link), "{html}");
    }
    let reply = chat(&app, None, "can I speak to someone").await;
    assert_eq!(reply["kind"], "handoff");
    assert_eq!(reply["handoff_html"], html);
    let answer = chat(&app, None, "when does the workshop open").await;
    assert_eq!(answer["kind"], "answer");
    assert!(answer.get("handoff_html").is_none(), "{answer}");
}

#[tokio::test]
async fn healthz_reports_the_knowledge_base_and_sessions() {
    let app = app();
    chat(&app, None, "hello").await;
    let (status, h) = get(&app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["status"], "ok");
    assert_eq!(h["kb"]["generation"], 1);
    assert_eq!(
        h["kb"]["intents"],
        engine().knowledge_base().intents.len() as u64
    );
    assert_eq!(h["reload"]["ok"], true);
    assert_eq!(h["sessions"]["live"], 1);
    // No model given: the stage is off, and says why in one code.
    let semantic = if cfg!(feature = "semantic") {
        "no_model"
    } else {
        "not_built"
    };
    assert_eq!(h["kb"]["semantic"], semantic);
}

#[tokio::test]
async fn feedback_is_appended_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feedback.jsonl");
    let mut state = AppState::new(engine());
    state.feedback = Some(Arc::new(FeedbackLog::open(&path).unwrap()));
    let app = router(state);
    let reply = chat(&app, None, "I forgot my app PIN").await;
    for helpful in [true, false] {
        let (status, body) = post(
            &app,
            "/api/v1/feedback",
            json!({"session": reply["session"], "intent": reply["intent"],
                   "input": "I forgot my app PIN\u{1b}[31m", "helpful": helpful}),
        )
        .await;
        assert_eq!((status, body), (StatusCode::OK, json!({"recorded": true})));
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["intent"], "reset_pin");
    assert_eq!(lines[0]["session"], reply["session"]);
    // The escape sequence is removed whole (issue 8).
    assert_eq!(lines[0]["input"], "I forgot my app PIN");
    assert_eq!(lines[0]["helpful"], true);
    assert_eq!(lines[1]["helpful"], false);
    assert!(lines[0]["time"].as_u64().unwrap() > 1_600_000_000);

    // Without --feedback the request is accepted but not recorded.
    let app = self::app();
    let reply = chat(&app, None, "I forgot my app PIN").await;
    let (status, body) = post(
        &app,
        "/api/v1/feedback",
        json!({"session": reply["session"], "intent": reply["intent"], "helpful": true}),
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"recorded": false})));
}

#[tokio::test]
async fn feedback_needs_a_live_session_answered_with_that_intent() {
    let app = self::app();
    let reply = chat(&app, None, "I forgot my app PIN").await;
    assert_eq!(reply["intent"], "reset_pin");
    let other = chat(&app, None, "how do I delete the data stored by the app").await;
    let cases = [
        // (body, status, code)
        (json!({"helpful": true}), 422, "invalid_intent"),
        (
            json!({"intent": "reset_pin", "helpful": true}),
            404,
            "unknown_session",
        ),
        (
            json!({"session": "no-such-session", "intent": "reset_pin", "helpful": true}),
            404,
            "unknown_session",
        ),
        (
            json!({"session": reply["session"], "intent": other["intent"], "helpful": false}),
            422,
            "intent_not_answered",
        ),
        (
            json!({"session": other["session"], "intent": "reset_pin", "helpful": true}),
            422,
            "intent_not_answered",
        ),
    ];
    for (body, status, code) in cases {
        let (s, b) = post(&app, "/api/v1/feedback", body.clone()).await;
        assert_eq!(
            (s.as_u16(), b["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
    }
}

#[tokio::test]
async fn the_turn_hook_sees_every_reply_and_decision() {
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let sink = seen.clone();
    let hook: TurnHook = Arc::new(move |t| {
        sink.lock().unwrap().push((
            t.reply.kind.as_str().to_string(),
            format!("{:?}", t.decision.route),
        ));
    });
    let mut state = AppState::new(engine());
    state.on_turn = Some(hook);
    let app = router(state);
    let r = chat(&app, None, "I forgot my app PIN").await;
    chat(&app, r["session"].as_str(), "1").await;
    chat(&app, None, "xyzzy plugh").await;
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            ("answer".into(), "Ranked".into()),
            ("answer".into(), "Number".into()),
            ("fallback".into(), "Ranked".into())
        ]
    );
}

#[derive(serde::Deserialize)]
struct ErrorCase {
    name: String,
    method: String,
    path: String,
    content_type: Option<String>,
    body: Option<String>,
    message_of: Option<Repeat>,
    status: u16,
    code: Option<String>,
}

#[derive(serde::Deserialize)]
struct Repeat {
    repeat: String,
    times: usize,
}

/// Every case of `tests/server/http_errors.json`: the status, the JSON
/// error code, and no internals in the message.
#[tokio::test]
async fn bad_requests_get_json_errors_with_proper_statuses() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/server/http_errors.json");
    let cases: Vec<ErrorCase> =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(cases.len() >= 20);
    let app = app();
    let mut failures = Vec::new();
    for case in &cases {
        let body = match (&case.body, &case.message_of) {
            (_, Some(r)) => json!({"message": r.repeat.repeat(r.times)}).to_string(),
            (Some(b), None) => b.clone(),
            (None, None) => String::new(),
        };
        let mut req = Request::builder()
            .method(case.method.as_str())
            .uri(&case.path);
        if let Some(ct) = &case.content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let (status, headers, json) = send(&app, req.body(Body::from(body)).unwrap()).await;
        let ctype = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let code = json["error"]["code"].as_str().map(str::to_string);
        let message = json["error"]["message"].as_str().unwrap_or("");
        let leaks = [
            "src/",
            ".rs",
            "panicked",
            env!("CARGO_MANIFEST_DIR"),
            "tokio",
            "hyper",
            // serde naming a Rust type ("expected struct ChatRequest").
            "struct ",
        ]
        .iter()
        .any(|s| message.contains(s));
        let ok = status.as_u16() == case.status
            && code == case.code
            && ctype.starts_with("application/json")
            && !leaks;
        if !ok {
            failures.push(format!(
                "{}: got {} {ctype} {json}, expected {} {:?}",
                case.name, status, case.status, case.code
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[tokio::test(start_paused = true)]
async fn a_request_body_that_never_arrives_times_out() {
    let mut state = AppState::new(engine());
    state.config = Config {
        request_timeout: Duration::from_secs(5),
        ..Config::default()
    };
    let app = router(state);
    let never = futures_util::stream::pending::<Result<axum::body::Bytes, std::io::Error>>();
    let req = Request::post("/api/v1/chat")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(never))
        .unwrap();
    let (status, _, json) = send(&app, req).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(json["error"]["code"], "timeout");
}

#[tokio::test]
async fn cors_allows_only_listed_origins() {
    let preflight = |origin: &str| {
        Request::options("/api/v1/chat")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let mut state = AppState::new(engine());
    state.config.cors_origins = vec!["https://support.example.com".to_string()];
    let app = router(state);
    let (_, h, _) = send(&app, preflight("https://support.example.com")).await;
    assert_eq!(
        h.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
        "https://support.example.com"
    );
    let (_, h, _) = send(&app, preflight("https://evil.example.net")).await;
    assert!(h.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    // Without an allow-list there are no CORS headers at all, and the
    // 405 names the flag that allows the page's origin.
    let (status, h, json) = send(&self::app(), preflight("https://support.example.com")).await;
    assert!(h.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json["error"]["code"], "method_not_allowed");
    let message = json["error"]["message"].as_str().unwrap();
    assert!(message.contains("--cors-origin"), "{message}");
    // Another wrong method keeps the plain message.
    let req = Request::delete("/api/v1/chat").body(Body::empty()).unwrap();
    let (status, _, json) = send(&self::app(), req).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!json["error"]["message"].as_str().unwrap().contains("cors"));
}

#[tokio::test]
async fn the_widget_files_are_served_with_safe_headers() {
    let app = app();
    for (path, ctype) in [
        ("/", "text/html"),
        ("/widget.js", "text/javascript"),
        ("/widget.css", "text/css"),
        ("/demo.css", "text/css"),
    ] {
        let resp = app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        let h = resp.headers();
        assert!(
            h[header::CONTENT_TYPE].to_str().unwrap().starts_with(ctype),
            "{path}"
        );
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(h.contains_key("x-request-id"));
    }
    let resp = app
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let csp = resp.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let page = resp.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&page).contains(r#"<script src="/widget.js" defer></script>"#));
}

/// The widget inserts text only through `textContent`: none of the DOM
/// APIs that parse HTML into the page appear in its source. The one HTML
/// parse is of the sanitised `answer_html`, into a separate inert document
/// (`DOMParser`), copied from there by an allow-list.
#[test]
fn the_widget_never_parses_html_into_the_page() {
    let js = faqbot::server::web::WIDGET_JS;
    for api in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ] {
        assert!(!js.contains(api), "widget.js uses {api}");
    }
    assert!(js.contains("textContent"));
    assert_eq!(js.matches("new DOMParser()").count(), 1);
    assert!(js.contains("copyRich(inert.body, box, 0)"));
}

#[tokio::test]
async fn a_reply_is_explained_only_when_asked_and_allowed() {
    let ask = json!({"message": "I forgot my app PIN", "why": true});
    // Off by default: the explanation shows the knowledge base's examples.
    let (status, body) = post(&app(), "/api/v1/chat", ask.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "explain_disabled");

    let mut state = AppState::new(engine());
    state.config = Config {
        explain: true,
        ..Config::default()
    };
    let app = router(state);
    let (status, body) = post(&app, "/api/v1/chat", ask).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["intent"], "reset_pin");
    let why = body["why"].as_str().expect("an explanation");
    assert!(why.starts_with("decision: answer `reset_pin`"), "{why}");
    assert!(why.contains("top intents"), "{why}");
    // Not asked: no `why` field, the reply as before.
    let plain = chat(&app, None, "I forgot my app PIN").await;
    assert!(plain.get("why").is_none(), "{plain}");
}

/// A log file that cannot be written shows in `/healthz` (degraded, with
/// the reason), not only once on standard error, and leaves `/readyz`
/// ready: replies still go out (an operator's trial deleted the log
/// directory and health stayed "ok"). It clears once writing works again.
#[cfg(unix)]
#[tokio::test]
async fn unwritable_log_files_show_in_health_but_not_in_readiness() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let path = logs.join("feedback.jsonl");
    let mut state = AppState::new(engine());
    state.feedback = Some(Arc::new(FeedbackLog::open(&path).unwrap()));
    let broken = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let flag = broken.clone();
    state.log_problem = Some(Arc::new(move || {
        flag.load(std::sync::atomic::Ordering::SeqCst)
            .then(|| "the --log file cannot be written".to_string())
    }));
    let app = router(state);
    let reply = chat(&app, None, "I forgot my app PIN").await;
    std::fs::remove_dir_all(&logs).unwrap();
    let rate = json!({"session": reply["session"], "intent": reply["intent"], "helpful": false});
    let (status, _) = post(&app, "/api/v1/feedback", rate.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (_, health) = get(&app, "/healthz").await;
    assert_eq!(health["status"], "degraded", "{health}");
    let codes: Vec<&str> = health["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["log_unwritable", "feedback_unwritable"], "{health}");
    let (ready, body) = get(&app, "/readyz").await;
    assert_eq!(ready, StatusCode::OK, "{body}");
    // Writable again: the reasons clear.
    std::fs::create_dir(&logs).unwrap();
    broken.store(false, std::sync::atomic::Ordering::SeqCst);
    let (status, _) = post(&app, "/api/v1/feedback", rate).await;
    assert_eq!(status, StatusCode::OK);
    let (_, health) = get(&app, "/healthz").await;
    assert_eq!(health["status"], "ok", "{health}");
}
