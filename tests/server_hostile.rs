//! Hostile clients in-process: headers a client controls that end up in
//! the server's logs or responses.

use axum::body::Body;
use axum::http::Request;
use faqbot::server::{router, AppState};
use faqbot::Engine;
use tower::ServiceExt;

async fn request_id(app: &axum::Router, given: &[&str]) -> String {
    let mut req = Request::get("/healthz");
    for id in given {
        req = req.header("x-request-id", *id);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let ids: Vec<_> = resp.headers().get_all("x-request-id").iter().collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    ids[0].to_str().unwrap().to_string()
}

/// A client's `x-request-id` is written into every log line of its
/// request and sent back. Before, any id was kept: a 200 KB one made each
/// chat turn write 400 KB of log, and one with spaces and `=` could forge
/// fields of a text log line. Only a plausible id is kept now.
#[tokio::test]
async fn only_a_plausible_client_request_id_is_kept() {
    let app = router(AppState::new(Engine::bundled().unwrap()));
    for good in [
        "abc-123",
        "9e51196a-0f3c-4b1e-8a2d-2c4e6f8a0b1c",
        "lb.1:2_3",
    ] {
        assert_eq!(request_id(&app, &[good]).await, good);
    }
    let long = "a".repeat(200_000);
    for bad in [long.as_str(), "x status=500 latency_us=1", "id\"}", ""] {
        let got = request_id(&app, &[bad]).await;
        assert_ne!(got, bad);
        assert_eq!(got.len(), 36, "a fresh UUID instead of {bad:.20}: {got}");
    }
    // Two ids: neither is trusted, one fresh id is sent.
    let got = request_id(&app, &["a", "b"]).await;
    assert_eq!(got.len(), 36, "{got}");
}
