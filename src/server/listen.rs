//! Serving the application on a socket ([`serve`]) until the shutdown
//! signal ([`shutdown_signal`]).

use super::{ratelimit, wire};
use axum::http::Request;
use axum::Router;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

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
    /// Time a response may wait for the client to read any of it: a
    /// client that stops reading (and so would hold its connection, and a
    /// `max_connections` slot, for ever) is disconnected after it.
    /// Default 30 s.
    pub write_timeout: Duration,
    /// After the shutdown signal, how long requests in progress may take
    /// before the server exits anyway. Default 10 s.
    pub grace: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            max_connections: 4096,
            header_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            grace: Duration::from_secs(10),
        }
    }
}

/// Most bytes of a request's head (request line, headers and the blank
/// line after them; 256 KiB, for the head as a whole: one header may use
/// nearly all of it); larger heads get `431 headers_too_large`, and so do
/// more than 100 header lines (hyper's default `max_headers`, not set
/// here). Cases in `tests/server/raw_requests.json`.
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
        let stream = super::stall::StallIo::new(stream, options.write_timeout);
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
