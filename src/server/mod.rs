//! `faqbot serve`: the HTTP API and the chat widget.
//!
//! [`router`] builds the whole application (API, widget files, limits,
//! logging, CORS) from an [`AppState`], so tests can drive it in-process
//! with `tower::ServiceExt::oneshot`; [`serve`] runs it on a socket until a
//! shutdown signal. The wire format is documented in [`api`], errors in
//! [`errors`], session storage in [`sessions`] and hot reload in [`reload`].
//!
//! ```no_run
//! use faqbot::server::{router, serve, shutdown_signal, AppState, ServeOptions};
//!
//! # async fn run() -> std::io::Result<()> {
//! let state = AppState::new(faqbot::Engine::bundled().expect("bundled KB"));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! serve(listener, router(state), shutdown_signal(), ServeOptions::default()).await
//! # }
//! ```

pub mod api;
pub mod drain;
pub mod errors;
mod handlers;
pub mod metrics;
pub mod ratelimit;
pub mod reload;
pub mod sessions;
pub mod web;
pub mod webhook;
pub mod wire;

use crate::dialogue::Decision;
use crate::{Engine, Reply};
use api::FeedbackRecord;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use errors::ApiError;
use metrics::Metrics;
use reload::LiveEngine;
use sessions::{MemoryStore, SessionStore};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Limits and options of the HTTP layer. The defaults suit a public chat
/// widget; `faqbot serve` flags override them.
#[derive(Clone, Debug)]
pub struct Config {
    /// Longest chat message in characters (Unicode scalar values);
    /// default 1000, the engine's own input cap
    /// ([`crate::dialogue::MAX_INPUT_CHARS`]). Longer messages get
    /// `422 message_too_long`.
    pub max_message_chars: usize,
    /// Largest request body in bytes; default 16 KiB (a 1000-character
    /// message is at most 4 KB of UTF-8, or 6 KB with `\u` escapes).
    /// Larger bodies get `413 body_too_large`.
    pub body_limit_bytes: usize,
    /// Time allowed for one request, reading the body included; default
    /// 10 s. Slower requests get `408 timeout`.
    pub request_timeout: Duration,
    /// Origins allowed to call the API from a browser (CORS), e.g.
    /// `https://support.example.com`; `*` allows any. Empty (the default):
    /// no CORS headers, so only pages served by this server can call it.
    pub cors_origins: Vec<String>,
    /// Per-client rate limit of chat and feedback; `None` (the default):
    /// no limit. Applying it needs the cargo feature `rate-limit`: in a
    /// build without it, [`router`] panics when this is set.
    pub rate_limit: Option<ratelimit::RateLimit>,
    /// Whether a chat request may ask for the reply's explanation
    /// (`"why": true`, answered in the response's `why`: what `/why`
    /// shows in the REPL). Default `false`: an explanation shows the
    /// knowledge base's examples, keywords and scores, which an operator
    /// may not want every customer to read; such a request then gets
    /// `403 explain_disabled`. `faqbot serve --explain` turns it on.
    pub explain: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_message_chars: crate::dialogue::MAX_INPUT_CHARS,
            body_limit_bytes: 16 * 1024,
            request_timeout: Duration::from_secs(10),
            cors_origins: Vec::new(),
            rate_limit: None,
            explain: false,
        }
    }
}

/// Default most chat turns matched at once (on Tokio's blocking pool);
/// further requests wait for a slot. Matching one turn takes microseconds
/// to a few milliseconds of CPU, so this only bounds the threads a flood of
/// slow inputs can occupy.
pub const DEFAULT_MATCHING_SLOTS: usize = 64;
/// Default slots for questions being embedded by the semantic stage's
/// sentence model (milliseconds of CPU each): a burst of such questions
/// queues for these slots while the others are matched in microseconds.
pub const DEFAULT_INFERENCE_SLOTS: usize = 2;

/// What a [`TurnHook`] sees of one chat turn.
#[derive(Debug)]
pub struct TurnRecord<'a> {
    /// The conversation's id.
    pub session: &'a str,
    /// The reply sent.
    pub reply: &'a Reply,
    /// How the reply was decided (ranking, route, reason).
    pub decision: &'a Decision,
}

/// Called after every chat turn, e.g. to append unanswered questions to a
/// log. It runs on the request's task: it must be quick and must not
/// block (hand slow work to a channel).
pub type TurnHook = Arc<dyn Fn(&TurnRecord<'_>) + Send + Sync>;

/// Appends feedback records to a JSONL file, one line per request.
/// [`FeedbackLog::reopen`] opens the path again, for log rotation
/// (`faqbot serve` does it on `SIGHUP`).
#[derive(Debug)]
pub struct FeedbackLog {
    path: PathBuf,
    file: tokio::sync::Mutex<tokio::fs::File>,
}

impl FeedbackLog {
    /// Opens (creating if needed) `path` for appending.
    ///
    /// # Errors
    /// When the file cannot be opened for appending.
    pub fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        Ok(FeedbackLog {
            path,
            file: tokio::sync::Mutex::new(tokio::fs::File::from_std(file)),
        })
    }

    /// The file written to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the file and opens [`FeedbackLog::path`] again (creating it,
    /// appending), so that after the file was renamed (logrotate's
    /// `create` mode) new records go to a new file at the old path.
    /// Records being appended finish in the old file first.
    ///
    /// # Errors
    /// When the path cannot be opened (e.g. its directory is gone or not
    /// writable); the log then keeps appending to the file it had open.
    pub async fn reopen(&self) -> std::io::Result<()> {
        let new = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .await?;
        let mut file = self.file.lock().await;
        let _ = file.flush().await;
        *file = new;
        Ok(())
    }

    /// Appends one record as one line and flushes it.
    ///
    /// # Errors
    /// Write errors.
    pub async fn append(&self, record: &FeedbackRecord) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut file = self.file.lock().await;
        file.write_all(&line).await?;
        file.flush().await
    }
}

/// Everything the handlers share. Cheap to clone (all `Arc`s).
#[derive(Clone)]
pub struct AppState {
    /// The engine serving now (swapped by hot reload).
    pub live: Arc<LiveEngine>,
    /// Where conversations are kept.
    pub sessions: Arc<dyn SessionStore>,
    /// Where feedback goes, if anywhere.
    pub feedback: Option<Arc<FeedbackLog>>,
    /// Limits and CORS.
    pub config: Config,
    /// Called after each chat turn (for an unanswered-questions log).
    pub on_turn: Option<TurnHook>,
    /// Counters for `GET /metrics`.
    pub metrics: Arc<Metrics>,
    /// Where handoffs are posted (`--handoff-webhook`), if anywhere; only
    /// [`webhook::Webhook::spawn`] (cargo feature `webhook`) makes one.
    #[cfg_attr(
        not(feature = "webhook"),
        doc = "",
        doc = "[`webhook::Webhook::spawn`]: crate#cargo-features"
    )]
    pub webhook: Option<webhook::Webhook>,
    /// Slots for chat turns being matched ([`DEFAULT_MATCHING_SLOTS`]).
    pub matching: Arc<tokio::sync::Semaphore>,
    /// Slots for questions being embedded by the semantic stage
    /// ([`DEFAULT_INFERENCE_SLOTS`]); only turns the lexical stages are
    /// unsure about take one.
    pub inference: Arc<tokio::sync::Semaphore>,
    /// Set once shutdown begins: `/readyz` then answers 503.
    pub draining: Arc<AtomicBool>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("live", &self.live)
            .field("feedback", &self.feedback)
            .field("config", &self.config)
            .field("on_turn", &self.on_turn.is_some())
            .field("store", &self.sessions.backend())
            .field("webhook", &self.webhook.is_some())
            .finish_non_exhaustive()
    }
}

/// Default most sessions held in memory.
pub const DEFAULT_MAX_SESSIONS: usize = 10_000;
/// Default idle timeout of a session: 30 minutes.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

impl AppState {
    /// State serving `engine` (not reloadable) with a [`MemoryStore`] of
    /// [`DEFAULT_MAX_SESSIONS`] and [`DEFAULT_IDLE_TIMEOUT`], no feedback
    /// file and default [`Config`].
    pub fn new(engine: Engine) -> Self {
        AppState::with_live(Arc::new(LiveEngine::new(engine, None)))
    }

    /// Like [`AppState::new`] for an existing [`LiveEngine`].
    pub fn with_live(live: Arc<LiveEngine>) -> Self {
        AppState {
            live,
            sessions: Arc::new(MemoryStore::new(DEFAULT_MAX_SESSIONS, DEFAULT_IDLE_TIMEOUT)),
            feedback: None,
            config: Config::default(),
            on_turn: None,
            metrics: Arc::new(Metrics::new()),
            webhook: None,
            matching: Arc::new(tokio::sync::Semaphore::new(DEFAULT_MATCHING_SLOTS)),
            inference: Arc::new(tokio::sync::Semaphore::new(DEFAULT_INFERENCE_SLOTS)),
            draining: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// Builds the application: routes, limits, JSON errors, CORS, request ids,
/// metrics and request logs. See [`api`] for the routes. Must be called
/// inside a Tokio runtime when a rate limit is configured (it starts a
/// task that forgets idle clients).
///
/// # Panics
/// When [`Config::rate_limit`] is set in a build without the cargo feature
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
        Some(limit) => match ratelimit::layer(limit, metrics.clone()) {
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
                        method = %req.method(),
                        path = %req.uri().path(),
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

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed for this endpoint",
    )
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

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received; shutting down"),
        () = term => tracing::info!("SIGTERM received; shutting down"),
    }
}

/// Connection-level limits of [`serve`].
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Most connections open at once; further clients wait in the
    /// listen backlog until one closes. Default 4096 (each idle connection
    /// costs a few KiB; raise `ulimit -n` to match).
    pub max_connections: usize,
    /// Time a client has to send a request's headers, counted from when
    /// the connection starts waiting for them, so it also closes idle
    /// keep-alive connections and clients that trickle bytes. Default 30 s.
    pub header_timeout: Duration,
    /// After the shutdown signal, how long requests in progress may take
    /// before the server exits anyway. Default 10 s.
    pub grace: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            max_connections: 4096,
            header_timeout: Duration::from_secs(30),
            grace: Duration::from_secs(10),
        }
    }
}

/// Most bytes of a request's head (request line and headers); larger
/// heads get `431 headers_too_large`.
pub const MAX_HEADER_BYTES: usize = 256 * 1024;

/// Serves `app` on `listener` (HTTP/1.1, keep-alive) until `shutdown`
/// resolves, then stops accepting connections, closes idle ones and lets
/// requests in progress finish, for at most `options.grace`.
///
/// # Errors
/// None so far: accept errors (e.g. too many open files) are logged and
/// retried after a short pause; the `Result` leaves room for fatal ones.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: ServeOptions,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};

    let mut http = hyper::server::conn::http1::Builder::new();
    // An explicit bound on the request head: hyper's buffer limit alone
    // let a 500 KB header through when it arrived in one read.
    http.timer(TokioTimer::new())
        .header_read_timeout(options.header_timeout)
        .max_header_size(MAX_HEADER_BYTES);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(options.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ratelimit::PeerAddr(peer));
            tower::ServiceExt::oneshot(app.clone(), req)
        });
        let io = TokioIo::new(wire::JsonErrorIo::new(stream));
        let conn = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection: {e}");
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("server stopped"),
        () = tokio::time::sleep(options.grace) => tracing::warn!(
            grace_s = options.grace.as_secs(),
            "connections still open after the grace period; exiting"
        ),
    }
    Ok(())
}

/// Removes expired sessions from a [`MemoryStore`] every `every` (runs
/// until aborted), in batches so the store's lock is held only briefly.
pub fn spawn_sweeper(store: Arc<MemoryStore>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let mut removed = 0;
            loop {
                let n = store.sweep(1024);
                removed += n;
                if n < 1024 {
                    break;
                }
                tokio::task::yield_now().await;
            }
            if removed > 0 {
                tracing::debug!(removed, "expired sessions swept");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    /// A rate limit asked for in a build without the `rate-limit` feature
    /// stops the router from being built instead of vanishing.
    #[cfg(not(feature = "rate-limit"))]
    #[test]
    #[should_panic(expected = "without its `rate-limit` cargo feature")]
    fn a_rate_limit_without_the_feature_panics() {
        let mut state = super::AppState::new(crate::Engine::bundled().unwrap());
        state.config.rate_limit = Some(super::ratelimit::RateLimit {
            per_minute: 60,
            burst: 10,
            key: super::ratelimit::ClientKey::Peer,
        });
        let _ = super::router(state);
    }
}
