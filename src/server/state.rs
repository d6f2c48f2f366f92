//! What the request handlers share ([`AppState`]), the hook called after
//! each chat turn, and the sweeper of the in-memory session store.

use super::config::{Config, DEFAULT_INFERENCE_SLOTS, DEFAULT_MATCHING_SLOTS};
use super::feedback_log::FeedbackLog;
use super::metrics::Metrics;
use super::reload::LiveEngine;
use super::sessions::{MemoryStore, SessionStore};
use super::webhook;
use crate::dialogue::Decision;
use crate::{Engine, Reply};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

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

/// Says why a log of the server cannot be written now (`None`: it can).
pub type LogProblem = Arc<dyn Fn() -> Option<String> + Send + Sync>;

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
    /// Why the unanswered-questions log cannot be written now, if it
    /// cannot (`faqbot serve` asks its [`crate::misses::UnansweredLog::problem`]);
    /// `/healthz` shows it as `log_unwritable`.
    pub log_problem: Option<LogProblem>,
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
            log_problem: None,
            metrics: Arc::new(Metrics::new()),
            webhook: None,
            matching: Arc::new(tokio::sync::Semaphore::new(DEFAULT_MATCHING_SLOTS)),
            inference: Arc::new(tokio::sync::Semaphore::new(DEFAULT_INFERENCE_SLOTS)),
            draining: Arc::new(AtomicBool::new(false)),
        }
    }
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
