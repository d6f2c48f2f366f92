//! `faqbot serve`: the HTTP API and chat widget (see [`crate::server`]).
//!
//! Logs go to standard error, one line per request and per chat turn; the
//! level filter comes from `FAQBOT_LOG` (or `RUST_LOG`), default `info`
//! (`info,notify=error`: the file watcher's own messages only from `error`).

use super::Cli;
use crate::misses::UnansweredLog;
use crate::server::metrics::Metrics;
use crate::server::ratelimit::{ClientKey, RateLimit};
use crate::server::reload::{self, LiveEngine};
use crate::server::sessions::redis::instances;
use crate::server::sessions::{MemoryStore, RedisOptions, RedisStore, SessionStore};
use crate::server::webhook::{DeadLetter, Webhook, WebhookOptions};
use crate::server::{self as srv, AppState, Config, FeedbackLog};
use crate::{Error, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Log line format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines with key=value fields.
    Text,
    /// One JSON object per line (for log shippers).
    Json,
}

/// Arguments of `faqbot serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on. The default accepts local connections only;
    /// use `0.0.0.0:8080` to accept connections from other machines. A host
    /// name (`localhost:8080`) is resolved once, at start-up, to its first
    /// IPv4 address (else its first address).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT", value_parser = listen_address)]
    pub addr: SocketAddr,
    /// Append "was this helpful?" feedback to this JSONL file (reopened on
    /// SIGHUP, for log rotation).
    #[arg(long, value_name = "FILE")]
    pub feedback: Option<PathBuf>,
    /// Allow browser pages from this origin to call the API (CORS); repeat
    /// for several, `*` for any. Default: only pages served by this server.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
    /// Where conversations are kept: `memory` (this process; the default)
    /// or `redis://HOST:PORT[/DB]` (shared by every instance using that
    /// Redis or Valkey, kept across restarts). From the environment
    /// variable when the flag is not given: a password in the URL then
    /// does not show in `ps`.
    #[arg(
        long,
        default_value = "memory",
        value_name = "memory|URL",
        env = "FAQBOT_SESSIONS",
        hide_env_values = true
    )]
    pub sessions: String,
    /// Prefix of the Redis keys (with `--sessions redis://...`).
    #[arg(long, default_value = "faqbot:", value_name = "PREFIX")]
    pub redis_prefix: String,
    /// Most conversations kept; the least recently used is dropped to make
    /// room.
    #[arg(long, default_value_t = srv::DEFAULT_MAX_SESSIONS, value_name = "N")]
    pub max_sessions: usize,
    /// Seconds after which an idle conversation is forgotten (the Redis TTL
    /// with `--sessions redis://...`).
    #[arg(long, default_value_t = srv::DEFAULT_IDLE_TIMEOUT.as_secs(), value_name = "SECS")]
    pub session_idle: u64,
    /// Let chat requests ask for the reply's explanation (`"why": true`;
    /// what `/why` shows in the REPL). Off by default: it shows the
    /// knowledge base's examples and scores.
    #[arg(long)]
    pub explain: bool,
    /// Longest chat message, in characters.
    #[arg(long, default_value_t = crate::dialogue::MAX_INPUT_CHARS, value_name = "CHARS")]
    pub max_message: usize,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 16 * 1024, value_name = "BYTES")]
    pub body_limit: usize,
    /// Seconds allowed for one request.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    pub timeout: u64,
    /// Most connections open at once; more clients wait until one closes.
    #[arg(long, default_value_t = 4096, value_name = "N")]
    pub max_connections: usize,
    /// Seconds to keep serving after SIGTERM or Ctrl-C with `/readyz`
    /// answering `503 shutting_down`, so a load balancer stops sending
    /// traffic before the server stops accepting connections (10 suits a
    /// load-balanced deployment). A second signal stops at once. 0: stop
    /// accepting at the first signal.
    #[arg(
        long,
        default_value_t = 0,
        value_name = "SECS",
        env = "FAQBOT_SHUTDOWN_GRACE"
    )]
    pub shutdown_grace: u64,
    /// Do not watch the `--intents` directory (reload on SIGHUP only).
    #[arg(long)]
    pub no_watch: bool,
    /// Log line format.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// POST the (masked) conversation as JSON to this URL when it is handed
    /// to a human; see docs/deployment.md for the payload. From the
    /// environment variable when the flag is not given: credentials in the
    /// URL then do not show in `ps`.
    #[arg(
        long,
        value_name = "URL",
        env = "FAQBOT_HANDOFF_WEBHOOK",
        hide_env_values = true
    )]
    pub handoff_webhook: Option<String>,
    /// Append each handoff the webhook could not deliver (after its
    /// retries) to this JSONL file, to be replayed, instead of losing it
    /// (with `--handoff-webhook`; see docs/deployment.md).
    #[arg(long, value_name = "FILE")]
    pub handoff_dead_letter: Option<PathBuf>,
    /// Seconds allowed for one webhook attempt.
    #[arg(long, default_value_t = 5, value_name = "SECS")]
    pub webhook_timeout: u64,
    /// Webhook attempts in all (retries with backoff 1 s, 2 s, 4 s, ...).
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub webhook_attempts: u32,
    /// Limit chat and feedback requests per client to this many per minute
    /// (off by default; 0 turns it off, e.g. to override an earlier
    /// `--rate-limit` on the command line).
    #[arg(long, value_name = "PER_MINUTE")]
    pub rate_limit: Option<u32>,
    /// Requests a client may send at once before `--rate-limit` applies
    /// (at least 1); default: the per-minute rate / 6 (10 seconds' worth),
    /// at least 1.
    #[arg(long, value_name = "N", requires = "rate_limit",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_burst: Option<u32>,
    /// How `--rate-limit` tells clients apart: `peer` (the TCP peer's
    /// address) or `forwarded` (the right-most X-Forwarded-For entry, which
    /// the one proxy in front of the server appended; see
    /// docs/deployment.md for more than one proxy).
    #[arg(long, value_enum, default_value_t = ClientKey::Peer)]
    pub rate_limit_key: ClientKey,
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("FAQBOT_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        // The file watcher's own messages only from `error`: it logged an
        // INFO and a false WARN with a path into the build machine's
        // Cargo registry when a watched directory was re-created (an
        // operator's trial); faqbot says what happened to the reload.
        .unwrap_or_else(|_| EnvFilter::new("info,notify=error"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    // A second initialisation (e.g. in tests) keeps the first subscriber.
    // Text: one line per event, also for a multi-line message.
    let _ = match format {
        LogFormat::Text => builder
            .with_writer(super::one_line::OneLine(std::io::stderr))
            .try_init(),
        LogFormat::Json => builder.with_writer(std::io::stderr).json().try_init(),
    };
}

fn io_error(what: impl Into<PathBuf>, e: std::io::Error) -> Error {
    Error::io(what, e)
}

/// A file given with `flag` that cannot be opened for appending (not "cannot
/// read": it is written).
fn cannot_append(flag: &str, path: &std::path::Path, e: &std::io::Error) -> Error {
    Error::data(
        flag,
        format!("cannot open {} for appending: {e}", path.display()),
    )
}

/// Reopens the `--feedback` and `--log` files (on `SIGHUP`), so that
/// logrotate can rename them; a file that cannot be reopened keeps its old
/// handle, with a warning.
async fn reopen_logs(feedback: Option<Arc<FeedbackLog>>, unanswered: Option<Arc<UnansweredLog>>) {
    let said = |flag: &str, path: &std::path::Path, result: std::io::Result<()>| match result {
        Ok(()) => tracing::info!(file = %path.display(), "{flag} file reopened"),
        Err(e) => tracing::warn!(
            file = %path.display(),
            "cannot reopen the {flag} file: {e}; still writing to the file opened before \
             (renamed or deleted if it was rotated)"
        ),
    };
    if let Some(feedback) = feedback {
        said("--feedback", feedback.path(), feedback.reopen().await);
    }
    if let Some(log) = unanswered {
        let path = log.path().to_path_buf();
        let result = tokio::task::spawn_blocking(move || log.reopen())
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        said("--log", &path, result);
    }
}

/// The rate limit the flags ask for: `None` without `--rate-limit` or
/// with `--rate-limit 0` (off).
fn rate_limit(args: &Args) -> Option<RateLimit> {
    let per_minute = args.rate_limit.filter(|&n| n > 0)?;
    Some(RateLimit {
        per_minute,
        burst: args.rate_limit_burst.unwrap_or(per_minute / 6).max(1),
        key: args.rate_limit_key,
    })
}

/// Parses `--addr`: an IP address with its port (`127.0.0.1:8080`,
/// `[::1]:8080`), or a host name with its port (`localhost:8080`), resolved
/// by the system's resolver to its first IPv4 address, else its first one.
///
/// # Errors
///
/// A message for clap when the text has no port, or the name does not
/// resolve to any address.
fn listen_address(text: &str) -> Result<SocketAddr, String> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let resolved: Vec<SocketAddr> = std::net::ToSocketAddrs::to_socket_addrs(text)
        .map_err(|e| format!("not an address to listen on (HOST:PORT, e.g. 127.0.0.1:8080): {e}"))?
        .collect();
    resolved
        .iter()
        .find(|a| a.is_ipv4())
        .or_else(|| resolved.first())
        .copied()
        .ok_or_else(|| format!("`{text}` resolves to no address"))
}

/// Runs `faqbot serve` until Ctrl-C or SIGTERM.
///
/// # Errors
/// A knowledge base that does not load, an address that cannot be bound,
/// a feedback file that cannot be opened, or an invalid CORS origin.
pub fn run(cli: &Cli, args: &Args) -> Result<u8> {
    init_logging(args.log_format);
    for origin in &args.cors_origins {
        let valid = origin == "*"
            || ((origin.starts_with("http://") || origin.starts_with("https://"))
                && axum::http::HeaderValue::from_str(origin).is_ok());
        if !valid {
            return Err(Error::data(
                "--cors-origin",
                format!("`{origin}` is not an origin such as https://support.example.com"),
            ));
        }
    }
    let engine = super::load_engine_with(cli)?;
    let intents = engine.knowledge_base().intents.len();
    // "off (built without the `semantic` feature)", "on (model DIR)".
    let semantic = engine.semantic().status().line();
    let semantic = semantic.trim_start_matches("semantic: ").to_string();
    let live = Arc::new(LiveEngine::new(engine, cli.intents.clone()));
    let feedback = match &args.feedback {
        Some(path) => Some(Arc::new(
            FeedbackLog::open(path).map_err(|e| cannot_append("--feedback", path, &e))?,
        )),
        None => None,
    };
    let idle = Duration::from_secs(args.session_idle.max(1));
    let timeout = Duration::from_secs(args.timeout.max(1));
    let mut redis = None;
    let (sessions, memory): (Arc<dyn SessionStore>, Option<Arc<MemoryStore>>) =
        if args.sessions == "memory" {
            let store = Arc::new(MemoryStore::new(args.max_sessions, idle));
            (store.clone(), Some(store))
        } else if args.sessions.starts_with("redis://") || args.sessions.starts_with("rediss://") {
            let options = RedisOptions {
                prefix: args.redis_prefix.clone(),
                idle,
                capacity: args.max_sessions,
                lock_ttl: timeout,
                ..RedisOptions::default()
            };
            let store = Arc::new(
                RedisStore::open(&args.sessions, options)
                    .map_err(|e| Error::data("--sessions", e.to_string()))?,
            );
            redis = Some(store.clone());
            (store, None)
        } else {
            return Err(Error::data(
                "--sessions",
                format!("`{}` is neither `memory` nor a redis:// URL", args.sessions),
            ));
        };
    let metrics = Arc::new(Metrics::new());
    let unanswered = cli
        .log
        .as_ref()
        .map(|path| Arc::new(UnansweredLog::open(path)));
    let reopen = {
        let feedback = feedback.clone();
        let unanswered = unanswered.clone();
        move || reopen_logs(feedback.clone(), unanswered.clone())
    };
    let state = AppState {
        live: live.clone(),
        sessions,
        feedback,
        config: Config {
            max_message_chars: args.max_message,
            body_limit_bytes: args.body_limit,
            request_timeout: timeout,
            cors_origins: args.cors_origins.clone(),
            rate_limit: rate_limit(args),
            explain: args.explain,
        },
        on_turn: unanswered.clone().map(|log| {
            let hook: srv::TurnHook =
                Arc::new(move |t: &srv::TurnRecord<'_>| log.record(t.reply, t.decision));
            hook
        }),
        log_problem: unanswered.clone().map(|log| {
            let probe: srv::LogProblem = Arc::new(move || log.problem());
            probe
        }),
        metrics: metrics.clone(),
        webhook: None,
        matching: Arc::new(tokio::sync::Semaphore::new(srv::DEFAULT_MATCHING_SLOTS)),
        inference: Arc::new(tokio::sync::Semaphore::new(srv::DEFAULT_INFERENCE_SLOTS)),
        draining: Arc::default(),
    };
    let mut state = state;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| io_error("<tokio runtime>", e))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| Error::listen(args.addr.to_string(), e))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::listen(args.addr.to_string(), e))?;
        if let Some(url) = &args.handoff_webhook {
            let options = WebhookOptions {
                timeout: Duration::from_secs(args.webhook_timeout.max(1)),
                attempts: args.webhook_attempts.max(1),
                ..WebhookOptions::default()
            };
            let dead_letter = match &args.handoff_dead_letter {
                Some(path) => Some(
                    DeadLetter::open(path)
                        .map_err(|e| cannot_append("--handoff-dead-letter", path, &e))?,
                ),
                None => None,
            };
            state.webhook = Some(
                Webhook::spawn_with_dead_letter(url, options, metrics, dead_letter)
                    .map_err(|e| Error::data("--handoff-webhook", e))?,
            );
        } else if args.handoff_dead_letter.is_some() {
            return Err(Error::data(
                "--handoff-dead-letter",
                "needs --handoff-webhook (or FAQBOT_HANDOFF_WEBHOOK): it keeps the handoffs \
                 the webhook could not deliver",
            ));
        }
        // Connect to Redis now, in the background: the first request then
        // finds the connection ready (or Redis known to be down).
        if let Some(store) = &redis {
            tracing::info!(
                redis = store.address(),
                password = store.has_password(),
                "sessions in Redis; connecting in the background"
            );
            store.start();
        }
        // This instance's knowledge base under the prefix: a warning when
        // another one on the same prefix serves a different one.
        let instance = crate::server::sessions::new_id();
        let _announcer = redis.as_ref().map(|store| {
            instances::spawn_announcer(
                store.clone(),
                live.clone(),
                instance.clone(),
                instances::instance_label(&local.to_string()),
            )
        });
        let sweep_every = (idle / 4).clamp(Duration::from_secs(1), Duration::from_secs(60));
        let _sweeper = memory.map(|store| srv::spawn_sweeper(store, sweep_every));
        let _watch = if args.no_watch {
            None
        } else {
            match reload::watch(live.clone(), Duration::from_millis(300)) {
                Ok(w) => w,
                Err(e) => {
                    tracing::warn!("cannot watch the knowledge base ({e}); reload with SIGHUP");
                    None
                }
            }
        };
        #[cfg(unix)]
        let _hup = reload::on_sighup_with(live.clone(), reopen)
            .map_err(|e| tracing::warn!("cannot handle SIGHUP: {e}"))
            .ok();
        tracing::info!(
            version = crate::build_info::VERSION,
            commit = crate::build_info::COMMIT,
            dirty = crate::build_info::DIRTY,
            kb = %cli.intents.as_ref().map_or("bundled MINI App".to_string(), |d| d.display().to_string()),
            intents,
            kb_hash = %live.hash(),
            max_sessions = args.max_sessions,
            session_idle_s = idle.as_secs(),
            sessions = state.sessions.backend(),
            semantic = %semantic,
            "faqbot serving on http://{local}/ (widget: http://{local}/widget.js)"
        );
        let options = srv::ServeOptions {
            max_connections: args.max_connections,
            ..srv::ServeOptions::default()
        };
        let shutdown = srv::drain::drain_then_stop(
            srv::shutdown_signal,
            state.draining.clone(),
            Duration::from_secs(args.shutdown_grace),
        );
        srv::serve(listener, srv::router(state), shutdown, options)
        .await
        .map_err(|e| io_error(local.to_string(), e))?;
        if let Some(store) = &redis {
            // Not an error when Redis is gone: the entry goes stale.
            let _ = store.withdraw(&instance).await;
        }
        Ok(0)
    })
}

#[cfg(test)]
mod tests;
