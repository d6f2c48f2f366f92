//! What an operator reads off a running server (an operator's trial 51):
//! which build answers (`faqbot --version`, `/healthz` `build`,
//! `faqbot_build_info`), whether the files on disk still load
//! (`faqbot_kb_reload_ok`), and misses and handoffs told apart
//! (`faqbot_misses_total`, `faqbot_handoff_reasons_total`).

mod common;

use axum::body::Body;
use axum::http::Request;
use faqbot::server::reload::LiveEngine;
use faqbot::server::{router, AppState};
use faqbot::Engine;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

async fn get(app: &axum::Router, path: &str) -> String {
    let resp = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8_lossy(&bytes).to_string()
}

async fn chat(app: &axum::Router, session: Option<&str>, message: &str) -> Value {
    let req = Request::post("/api/v1/chat")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"session": session, "message": message}).to_string(),
        ))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), 200);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

/// The value of the sample `series` (name with labels as printed).
fn sample(text: &str, series: &str) -> f64 {
    common::metric_sample(text, series).unwrap_or_else(|| panic!("no {series} in:\n{text}"))
}

fn git_head() -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Whether `git status` lists uncommitted changes to the files the
/// program is built from (build.rs's `BUILT_FROM`); `false` without git.
fn git_dirty() -> bool {
    let out = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no", "--"])
        .args(faqbot::build_info::BUILT_FROM.split(' '))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    out.is_ok_and(|o| o.status.success() && !o.stdout.trim_ascii().is_empty())
}

/// `faqbot --version` names the commit, marked `-dirty` when the build's
/// files had uncommitted changes (a build from a modified tree looked
/// like the commit it started from).
#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let commit = match git_head() {
        Some(head) if git_dirty() => format!("{head}-dirty"),
        Some(head) => head,
        None => "unknown".to_string(),
    };
    assert_eq!(
        text.trim(),
        format!("faqbot {} (commit {commit})", env!("CARGO_PKG_VERSION"))
    );
}

#[tokio::test]
async fn health_and_metrics_name_the_build() {
    let app = router(AppState::new(Engine::bundled().unwrap()));
    let health: Value = serde_json::from_str(&get(&app, "/healthz").await).unwrap();
    assert_eq!(health["build"]["version"], env!("CARGO_PKG_VERSION"));
    let commit = health["build"]["commit"].as_str().unwrap().to_string();
    let dirty = git_head().is_some() && git_dirty();
    if let Some(head) = git_head() {
        assert_eq!(commit, head);
    }
    assert_eq!(health["build"]["dirty"], dirty);
    let metrics = get(&app, "/metrics").await;
    let series = format!(
        r#"faqbot_build_info{{version="{}",commit="{commit}",dirty="{dirty}"}}"#,
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(sample(&metrics, &series), 1.0);
}

/// A rejected reload keeps the old knowledge base, and the gauge stays 0
/// for as long as the files on disk do not load (a counter's increase
/// clears after the alert's window; the hazard, a restart that fails,
/// remains): until a reload succeeds.
#[tokio::test]
async fn reload_ok_stays_zero_from_a_rejected_reload_until_one_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let good = r#"[(id: "opening_hours", title: "When are you open?", examples: ["when are you open"], answer: "9 to 5.")]"#;
    std::fs::write(dir.join("faq.ron"), good).unwrap();
    let live = Arc::new(LiveEngine::new(
        Engine::load(dir).unwrap(),
        Some(dir.to_path_buf()),
    ));
    let app = router(AppState::with_live(live.clone()));
    assert_eq!(
        sample(&get(&app, "/metrics").await, "faqbot_kb_reload_ok"),
        1.0
    );

    std::fs::write(dir.join("faq.ron"), &good[..30]).unwrap();
    assert!(live.reload().await.is_err());
    // Scraped twice, later: still 0 (it is not a rate).
    for _ in 0..2 {
        let metrics = get(&app, "/metrics").await;
        assert_eq!(sample(&metrics, "faqbot_kb_reload_ok"), 0.0);
        assert_eq!(
            sample(&metrics, r#"faqbot_reloads_total{result="failed"}"#),
            1.0
        );
    }
    assert_eq!(
        chat(&app, None, "when are you open").await["answer"],
        "9 to 5."
    );

    std::fs::write(dir.join("faq.ron"), good).unwrap();
    live.reload().await.unwrap();
    assert_eq!(
        sample(&get(&app, "/metrics").await, "faqbot_kb_reload_ok"),
        1.0
    );
}

/// `faqbot_fallbacks_total` counts replies of kind fallback, which are not
/// all misses ("There is no choice 7."), and the second miss in a row is a
/// handoff: `faqbot_misses_total` counts `miss: true`, and the handoffs are
/// told apart by reason.
#[tokio::test]
async fn misses_and_the_reasons_of_handoffs_are_counted() {
    let app = router(AppState::new(Engine::bundled().unwrap()));
    let first = chat(&app, None, "I forgot my app PIN").await;
    let id = first["session"].as_str().unwrap().to_string();
    let no_choice = chat(&app, Some(&id), "7").await;
    assert_eq!(no_choice["kind"], "fallback");
    assert_eq!(no_choice.get("miss"), None, "{no_choice}");
    let miss = chat(&app, Some(&id), "purple elephants dancing").await;
    assert_eq!(
        (miss["kind"].as_str(), miss["miss"].as_bool()),
        (Some("fallback"), Some(true))
    );
    let again = chat(&app, Some(&id), "zebra quantum toaster").await;
    assert_eq!(
        (again["kind"].as_str(), again["miss"].as_bool()),
        (Some("handoff"), Some(true))
    );
    let asked = chat(&app, Some(&id), "can I talk to a real person").await;
    assert_eq!(asked["kind"], "handoff");
    assert_eq!(asked.get("miss"), None, "{asked}");

    let m = get(&app, "/metrics").await;
    assert_eq!(sample(&m, "faqbot_fallbacks_total"), 2.0);
    assert_eq!(sample(&m, "faqbot_misses_total"), 2.0);
    assert_eq!(sample(&m, "faqbot_handoffs_total"), 2.0);
    assert_eq!(
        sample(
            &m,
            r#"faqbot_handoff_reasons_total{reason="repeated_misses"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(&m, r#"faqbot_handoff_reasons_total{reason="asked"}"#),
        1.0
    );
}

/// A browser's preflight from another origin to a server without
/// `--cors-origin`: 405 naming the flag, and one warning in the log naming
/// it and the origin, once per process however many preflights come.
#[test]
fn a_preflight_without_cors_origin_is_logged_once_naming_the_flag() {
    let (mut child, addr, logs) = spawn_serve(&[]);
    for _ in 0..3 {
        let out = std::process::Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-X",
                "OPTIONS",
            ])
            .args([
                "-H",
                "Origin: http://shop.example",
                "-H",
                "Access-Control-Request-Method: POST",
            ])
            .arg(format!("http://{addr}/api/v1/chat"))
            .output();
        match out {
            Ok(o) => assert_eq!(String::from_utf8_lossy(&o.stdout), "405"),
            Err(_) => return eprintln!("curl not found: skipping"),
        }
    }
    // The three responses are logged after the warning.
    let start = std::time::Instant::now();
    let warnings = loop {
        let lines = logs.lock().unwrap().clone();
        if lines.iter().filter(|l| l.contains("status=405")).count() == 3 {
            break lines
                .into_iter()
                .filter(|l| l.contains("WARN") && l.contains("--cors-origin"))
                .collect::<Vec<_>>();
        }
        assert!(start.elapsed().as_secs() < 60, "{lines:?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("http://shop.example"), "{warnings:?}");
}

fn spawn_serve(
    args: &[&str],
) -> (
    std::process::Child,
    std::net::SocketAddr,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    common::spawn_serve(args, std::time::Duration::from_secs(60))
}
