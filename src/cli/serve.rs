//! `faqbot serve`: the HTTP API and chat widget (see [`crate::server`]).
//!
//! Logs go to standard error, one line per request and per chat turn; the
//! level filter comes from `FAQBOT_LOG` (or `RUST_LOG`), default `info`.

use super::Cli;
use crate::server::reload::{self, LiveEngine};
use crate::server::sessions::MemoryStore;
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
    /// use `0.0.0.0:8080` to accept connections from other machines.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: SocketAddr,
    /// Append "was this helpful?" feedback to this JSONL file.
    #[arg(long, value_name = "FILE")]
    pub feedback: Option<PathBuf>,
    /// Allow browser pages from this origin to call the API (CORS); repeat
    /// for several, `*` for any. Default: only pages served by this server.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
    /// Most conversations kept in memory; the least recently used is
    /// dropped to make room.
    #[arg(long, default_value_t = srv::DEFAULT_MAX_SESSIONS, value_name = "N")]
    pub max_sessions: usize,
    /// Seconds after which an idle conversation is forgotten.
    #[arg(long, default_value_t = srv::DEFAULT_IDLE_TIMEOUT.as_secs(), value_name = "SECS")]
    pub session_idle: u64,
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
    /// Do not watch the `--intents` directory (reload on SIGHUP only).
    #[arg(long)]
    pub no_watch: bool,
    /// Log line format.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("FAQBOT_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    // A second initialisation (e.g. in tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

fn io_error(what: impl Into<PathBuf>, e: std::io::Error) -> Error {
    Error::io(what, e)
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
    let engine = super::load_engine(cli.intents.as_ref())?;
    let intents = engine.knowledge_base().intents.len();
    let live = Arc::new(LiveEngine::new(engine, cli.intents.clone()));
    let feedback = match &args.feedback {
        Some(path) => Some(Arc::new(
            FeedbackLog::open(path).map_err(|e| io_error(path, e))?,
        )),
        None => None,
    };
    let idle = Duration::from_secs(args.session_idle.max(1));
    let store = Arc::new(MemoryStore::new(args.max_sessions, idle));
    let state = AppState {
        live: live.clone(),
        sessions: store.clone(),
        feedback,
        config: Config {
            max_message_chars: args.max_message,
            body_limit_bytes: args.body_limit,
            request_timeout: Duration::from_secs(args.timeout.max(1)),
            cors_origins: args.cors_origins.clone(),
        },
        on_turn: cli.log.as_ref().map(|path| {
            let log = Arc::new(crate::misses::UnansweredLog::open(path));
            let hook: srv::TurnHook =
                Arc::new(move |t: &srv::TurnRecord<'_>| log.record(t.reply, t.decision));
            hook
        }),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| io_error("<tokio runtime>", e))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| io_error(args.addr.to_string(), e))?;
        let local = listener
            .local_addr()
            .map_err(|e| io_error(args.addr.to_string(), e))?;
        let sweep_every = (idle / 4).clamp(Duration::from_secs(1), Duration::from_secs(60));
        let _sweeper = srv::spawn_sweeper(store, sweep_every);
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
        let _hup = reload::on_sighup(live.clone())
            .map_err(|e| tracing::warn!("cannot handle SIGHUP: {e}"))
            .ok();
        tracing::info!(
            kb = %cli.intents.as_ref().map_or("bundled MINI App".to_string(), |d| d.display().to_string()),
            intents,
            max_sessions = args.max_sessions,
            session_idle_s = idle.as_secs(),
            "faqbot serving on http://{local}/ (widget: http://{local}/widget.js)"
        );
        let options = srv::ServeOptions {
            max_connections: args.max_connections,
            ..srv::ServeOptions::default()
        };
        srv::serve(
            listener,
            srv::router(state),
            srv::shutdown_signal(),
            options,
        )
        .await
        .map_err(|e| io_error(local.to_string(), e))?;
        Ok(0)
    })
}
