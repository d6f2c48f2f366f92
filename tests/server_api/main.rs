//! The HTTP API in-process: the router built by `faqbot::server::router`,
//! driven with `tower::ServiceExt::oneshot` (no socket).

#[path = "../common/mod.rs"]
mod common;
mod http;

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
