//! The application: [`router`] puts the routes, limits, JSON errors,
//! CORS, request ids, metrics and request logs together.

use super::errors::{self, ApiError};
use super::metrics::{self, Metrics};
use super::state::AppState;
use super::{handlers, web};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Builds the application: routes, limits, JSON errors, CORS, request ids,
/// metrics and request logs. See [`api`](super::api) for the routes. Must be called
/// inside a Tokio runtime when a rate limit is configured (it starts a
/// task that forgets idle clients).
///
/// # Panics
/// When [`Config::rate_limit`](super::Config::rate_limit) is set in a build without the cargo feature
/// `rate-limit`: the server would otherwise run without the limit asked
/// for.
pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let metrics = state.metrics.clone();
    let limited = Router::new()
        .route("/api/v1/chat", post(handlers::chat))
        .route("/api/v1/feedback", post(handlers::feedback));
    let limited = match config.rate_limit {
        #[cfg(feature = "rate-limit")]
        Some(limit) => match super::ratelimit::layer(limit, metrics.clone()) {
            Ok(layer) => limited.layer(layer),
            Err(e) => {
                tracing::error!("rate limit not applied: {e}");
                limited
            }
        },
        #[cfg(not(feature = "rate-limit"))]
        Some(_) => panic!(
            "faqbot::server::Config::rate_limit is set, but faqbot was built without \
             its `rate-limit` cargo feature"
        ),
        None => limited,
    };
    let app = Router::new()
        .merge(limited)
        .route("/api/v1/intents", get(handlers::intents))
        .route("/healthz", get(handlers::healthz))
        .route("/readyz", get(handlers::readyz))
        .route("/metrics", get(handlers::metrics))
        .route("/", get(web::index))
        .route("/widget.js", get(web::script))
        .route("/widget.css", get(web::style))
        .route("/demo.css", get(web::demo_style))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.body_limit_bytes))
        .layer(RequestBodyLimitLayer::new(config.body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(CatchPanicLayer::custom(on_panic))
        .layer(axum::middleware::map_response(errors::json_errors))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            count_requests,
        ));
    let app = match cors_layer(&config.cors_origins) {
        Some(cors) => app.layer(cors),
        None => app,
    };
    let request_id = HeaderName::from_static("x-request-id");
    app.layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!(
                        "request",
                        method = %clip(req.method().as_str()),
                        path = %clip(req.uri().path()),
                        id = %id,
                    )
                })
                .on_request(())
                .on_response(
                    |resp: &Response<_>, latency: Duration, _span: &tracing::Span| {
                        tracing::info!(
                            status = resp.status().as_u16(),
                            latency_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
                            "response"
                        );
                    },
                )
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_odd_request_id))
}

/// Longest `x-request-id` a client may give; longer ones are replaced.
const MAX_REQUEST_ID_LEN: usize = 128;

/// Removes a client's `x-request-id` unless it is a plausible id (at most
/// [`MAX_REQUEST_ID_LEN`] letters, digits and `-_.:`), so that the server
/// makes its own. The id is written into every log line of the request
/// and sent back: a 200 KB id was copied into each of them (400 KB of log
/// for one chat turn), and an id with spaces or quotes could forge what
/// looks like another field of a text log line.
async fn drop_odd_request_id(mut req: Request<axum::body::Body>) -> Request<axum::body::Body> {
    let headers = req.headers_mut();
    let ok = |v: &HeaderValue| {
        let b = v.as_bytes();
        !b.is_empty()
            && b.len() <= MAX_REQUEST_ID_LEN
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || b"-_.:".contains(c))
    };
    let all = headers.get_all("x-request-id");
    let mut ids = all.iter();
    let keep = matches!((ids.next(), ids.next()), (Some(v), None) if ok(v));
    if !keep {
        headers.remove("x-request-id");
    }
    req
}

/// Longest method or path written to the log as it is.
const LOGGED_LEN: usize = 200;

/// `text` cut to [`LOGGED_LEN`] bytes (at a character boundary) with `…`:
/// a client's 60 KB path (or made-up method) is not copied into every log
/// line of its request.
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= LOGGED_LEN {
        return text.into();
    }
    let mut end = LOGGED_LEN;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end]).into()
}

fn cors_layer(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::CONTENT_TYPE])
            .max_age(Duration::from_secs(3600)),
    )
}

fn on_panic(_: Box<dyn std::any::Any + Send + 'static>) -> Response<axum::body::Body> {
    tracing::error!("a request handler panicked");
    axum::response::IntoResponse::into_response(ApiError::internal())
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
}

/// The 405 reply. A browser's preflight (`OPTIONS`) reaches this only when no
/// `--cors-origin` is set (the CORS layer answers it otherwise), so its
/// message names the flag: trial 50's integrator saw a bare 405 from the
/// shop's site and nothing pointed at `--cors-origin`. The first such
/// preflight (with an `Origin` header) also logs a warning naming the flag
/// and the origin, once per process: in trial 51 the server's log showed
/// only `OPTIONS /api/v1/chat … status=405` while the widget on the
/// customer's site said it could not reach the server.
async fn method_not_allowed(
    axum::extract::State(st): axum::extract::State<AppState>,
    method: axum::http::Method,
    headers: axum::http::HeaderMap,
) -> ApiError {
    let message = if method == axum::http::Method::OPTIONS {
        if let Some(origin) = headers.get(header::ORIGIN) {
            if st.config.cors_origins.is_empty() {
                warn_cross_origin_once(origin.to_str().unwrap_or("?"));
            }
        }
        "method not allowed for this endpoint: a browser's cross-origin preflight (OPTIONS) is \
         answered only for the origins given with `faqbot serve --cors-origin ORIGIN`"
    } else {
        "method not allowed for this endpoint"
    };
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        message,
    )
}

/// Logs, the first time in this process, that a page of `origin` tried to
/// call the API and no CORS origin is configured.
fn warn_cross_origin_once(origin: &str) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            origin = %clip(origin),
            "a browser page of another origin tried to call the API (a CORS preflight), but no \
             --cors-origin is set, so browsers refuse: to embed the widget on that site, start \
             faqbot serve with --cors-origin ORIGIN (said once per process)"
        );
    }
}

/// Middleware: counts every response by route and status, with its
/// latency, in [`Metrics`].
async fn count_requests(
    axum::extract::State(metrics): axum::extract::State<Arc<Metrics>>,
    req: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response<axum::body::Body> {
    let route = metrics::route_label(req.uri().path());
    let start = std::time::Instant::now();
    let resp = next.run(req).await;
    metrics.response(route, resp.status().as_u16(), start.elapsed().as_secs_f64());
    resp
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_paths_are_clipped_in_the_log() {
        assert_eq!(super::clip("/api/v1/chat"), "/api/v1/chat");
        let long = format!("/{}", "é".repeat(30_000));
        let clipped = super::clip(&long);
        assert!(
            clipped.len() <= super::LOGGED_LEN + "…".len(),
            "{}",
            clipped.len()
        );
        assert!(clipped.ends_with('…'));
    }

    /// A rate limit asked for in a build without the `rate-limit` feature
    /// stops the router from being built instead of vanishing.
    #[cfg(not(feature = "rate-limit"))]
    #[test]
    #[should_panic(expected = "without its `rate-limit` cargo feature")]
    fn a_rate_limit_without_the_feature_panics() {
        let mut state = super::AppState::new(crate::Engine::bundled().unwrap());
        state.config.rate_limit = Some(crate::server::ratelimit::RateLimit {
            per_minute: 60,
            burst: 10,
            key: crate::server::ratelimit::ClientKey::Peer,
        });
        let _ = super::router(state);
    }
}
