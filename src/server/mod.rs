//! `faqbot serve`: the HTTP API and the chat widget.
//!
//! [`router`] builds the whole application (API, widget files, limits,
//! logging, CORS) from an [`AppState`], so tests can drive it in-process
//! with `tower::ServiceExt::oneshot`; [`serve`] runs it on a socket until a
//! shutdown signal. The wire format is documented in [`api`], errors in
//! [`errors`], session storage in [`sessions`] and hot reload in [`reload`].
//!
//! Inside, one file per part, re-exported here: `config.rs` ([`Config`]),
//! `state.rs` ([`AppState`], the turn hook, the session sweeper),
//! `feedback_log.rs` ([`FeedbackLog`]), `app.rs` ([`router`] and its
//! middleware), `handlers.rs` (the endpoints), `listen.rs` ([`serve`],
//! [`shutdown_signal`]) and `stall.rs` (closing clients that stop reading).
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
mod app;
mod config;
pub mod drain;
pub mod errors;
mod feedback_log;
mod handlers;
mod listen;
pub mod metrics;
pub mod ratelimit;
pub mod reload;
pub mod sessions;
mod stall;
mod state;
pub mod web;
pub mod webhook;
pub mod wire;

pub use app::router;
pub use config::{Config, DEFAULT_INFERENCE_SLOTS, DEFAULT_MATCHING_SLOTS};
pub use feedback_log::FeedbackLog;
pub use listen::{serve, shutdown_signal, ServeOptions, MAX_HEADER_BYTES};
pub use state::{
    spawn_sweeper, AppState, LogProblem, TurnHook, TurnRecord, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_SESSIONS,
};
