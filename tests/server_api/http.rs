//! The HTTP edges of the API: bad requests and their JSON errors, a body
//! that never arrives, CORS, the widget's files and headers, explanations
//! only when asked, and a log file that cannot be written in `/healthz`.

use super::*;

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
