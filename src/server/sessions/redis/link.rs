//! The connection of a [`super::RedisStore`], with a circuit breaker.
//!
//! Either the link holds a working connection (`Up`), or it is
//! `Connecting` (one attempt in flight) or `Down` (waiting before the next
//! attempt). One background task at a time, the *prober*, makes the
//! attempts, spaced by an exponential back-off; requests never connect
//! themselves. While the link is not up an operation fails at once, or
//! after waiting at most [`super::RedisOptions::reconnect_wait`] for the
//! attempt in flight, so a Redis outage costs requests no more than that.
//! Until the first attempt has ended, operations wait for it up to the
//! store's timeout instead: nothing has failed yet.
//!
//! So that the first request after Redis is back does not fail for want of
//! an attempt, a request that finds the link down wakes the prober early
//! (and waits for that attempt as above) when the last attempt ended at
//! least [`super::RedisOptions::reconnect_min`] ago: still one attempt at
//! a time, and at most one per `reconnect_min` however many requests come.
//! A command that fails because the connection dropped (e.g. Redis
//! restarted while the store was idle) marks the link `Connecting` and is
//! retried once on the new connection, so that request is not lost.
//!
//! A Redis that answers but refuses (no or a wrong password, see
//! [`super::refusal`]) is remembered as the link's *refusal*: operations
//! then fail with that reason instead of "cannot be reached", and the
//! prober checks a new connection with `PING`, since without a password
//! in the URL connecting succeeds and only the first command is refused.

use super::refusal::refusal;
use super::StoreError;
use backon::{BackoffBuilder, ExponentialBuilder};
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, RedisError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::time::Instant;

/// Where the link stands.
#[derive(Clone)]
enum State {
    /// Never used: the first operation starts the prober.
    Idle,
    /// The prober is making an attempt.
    Connecting,
    /// The last attempt failed; the prober waits before the next one.
    Down,
    /// A working connection; `generation` counts connections made, so a
    /// failure reported on an old connection does not drop a new one.
    Up {
        conn: MultiplexedConnection,
        generation: u64,
    },
}

/// Connection counters of a [`Link`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub up: bool,
    pub attempts: u64,
    pub connections: u64,
}

struct Shared {
    client: redis::Client,
    config: AsyncConnectionConfig,
    /// Bound of one attempt (TCP connect and handshake).
    attempt_timeout: Duration,
    backoff: ExponentialBuilder,
    /// Shortest time between the end of a failed attempt and an early
    /// one asked for by a request.
    early_after: Duration,
    /// Wakes the prober from its back-off for an early attempt.
    wake: Arc<Notify>,
    /// When the last failed attempt ended.
    failed_at: std::sync::Mutex<Option<Instant>>,
    state: watch::Sender<State>,
    attempts: AtomicU64,
    connections: AtomicU64,
    /// Why Redis refused the last attempt or command, if it did (see
    /// [`super::refusal`]); cleared by a command or attempt that works.
    refused: std::sync::Mutex<Option<String>>,
}

impl Shared {
    fn refusal(&self) -> Option<String> {
        self.refused.lock().ok().and_then(|r| r.clone())
    }

    fn set_refusal(&self, why: Option<String>) {
        if let Ok(mut r) = self.refused.lock() {
            *r = why;
        }
    }

    /// The error of an operation that finds no connection.
    fn down(&self) -> StoreError {
        StoreError::Unavailable(self.refusal().map_or_else(
            || "Redis cannot be reached; reconnecting in the background".to_string(),
            |why| format!("{why}; retrying in the background"),
        ))
    }
}

/// A shared, self-healing connection to one Redis. Cheap to clone.
#[derive(Clone)]
pub(super) struct Link {
    shared: Arc<Shared>,
    /// Longest wait of an operation for an attempt in flight.
    wait: Duration,
}

/// What an operation gets to run its commands on.
pub(super) struct Conn {
    pub conn: MultiplexedConnection,
    generation: u64,
}

impl Link {
    pub(super) fn new(
        client: redis::Client,
        timeout: Duration,
        wait: Duration,
        backoff: (Duration, Duration),
    ) -> Link {
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(timeout)
            .set_response_timeout(timeout);
        let backoff_min = backoff.0;
        let backoff = ExponentialBuilder::new()
            .with_min_delay(backoff.0)
            .with_max_delay(backoff.1.max(backoff.0))
            .with_jitter()
            .without_max_times();
        Link {
            shared: Arc::new(Shared {
                client,
                config,
                attempt_timeout: timeout,
                backoff,
                early_after: backoff_min,
                wake: Arc::new(Notify::new()),
                failed_at: std::sync::Mutex::new(None),
                state: watch::Sender::new(State::Idle),
                attempts: AtomicU64::new(0),
                connections: AtomicU64::new(0),
                refused: std::sync::Mutex::new(None),
            }),
            wait,
        }
    }

    /// Starts connecting in the background if nothing was tried yet.
    /// Must be called inside a Tokio runtime.
    pub(super) fn start(&self) -> bool {
        let started = self.shared.state.send_if_modified(|s| match s {
            State::Idle => {
                *s = State::Connecting;
                true
            }
            _ => false,
        });
        if started {
            tokio::spawn(probe(Arc::downgrade(&self.shared)));
        }
        started
    }

    /// The connection, if the link is up (or comes up within the wait).
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] at once while Redis is known to be down,
    /// or after waiting in vain for the attempt in flight.
    pub(super) async fn get(&self) -> Result<Conn, StoreError> {
        let rx = self.shared.state.subscribe();
        // The borrow ends with this statement: `wake_early` and `start`
        // change the state, which waits for every borrow to end.
        let down_now = match &*rx.borrow() {
            State::Up { conn, generation } => {
                return Ok(Conn {
                    conn: conn.clone(),
                    generation: *generation,
                })
            }
            State::Down => true,
            State::Idle | State::Connecting => false,
        };
        let wait = if down_now {
            if !self.wake_early() {
                return Err(self.shared.down());
            }
            self.wait
        } else if self.start() || self.first_attempt_in_flight() {
            // Operations wait for the first attempt as long as that may
            // take: nothing has failed yet. (`faqbot serve` starts it at
            // boot, so the first requests find it in flight; with the
            // short wait, a server under load answered them 503 when the
            // first connection took longer than 25 ms.)
            self.shared.attempt_timeout
        } else {
            self.wait
        };
        self.wait_for(rx, wait, 0).await
    }

    /// Whether the attempt in flight is the link's first: no connection
    /// was made and no attempt has failed.
    fn first_attempt_in_flight(&self) -> bool {
        self.shared.connections.load(Ordering::Relaxed) == 0
            && self.shared.failed_at.lock().is_ok_and(|t| t.is_none())
    }

    /// Asks the prober, now waiting out its back-off, for an attempt now
    /// if the last one ended at least `early_after` ago. `true` when an
    /// attempt is worth waiting for: asked for by this call or by a
    /// concurrent one (only one of them wakes the prober).
    fn wake_early(&self) -> bool {
        let due = self.shared.failed_at.lock().map_or(true, |t| {
            t.is_none_or(|t| t.elapsed() >= self.shared.early_after)
        });
        if !due {
            return false;
        }
        let woke = self.shared.state.send_if_modified(|s| match s {
            State::Down => {
                *s = State::Connecting;
                true
            }
            _ => false,
        });
        if woke {
            self.shared.wake.notify_one();
        }
        // Lost the race to another request: wait for its attempt as well.
        true
    }

    /// The connection as it is now, without waiting.
    pub(super) fn current(&self) -> Option<MultiplexedConnection> {
        match &*self.shared.state.borrow() {
            State::Up { conn, .. } => Some(conn.clone()),
            _ => None,
        }
    }

    /// Reports that a command on `used` failed with `e`. A connection
    /// error marks the link down and starts the prober; the answer says
    /// whether to retry on a new connection (see [`Link::fresh`]): yes
    /// when the connection had dropped, not after a timeout (a slow or
    /// unreachable Redis would make the retry wait as long again).
    pub(super) fn failed(&self, used: &Conn, e: &RedisError) -> bool {
        let broken = e.is_unrecoverable_error() || e.is_timeout() || e.is_io_error();
        if !broken {
            return false; // an error reply: the connection itself is fine
        }
        let tripped = self.shared.state.send_if_modified(|s| match s {
            State::Up { generation, .. } if *generation == used.generation => {
                *s = State::Connecting;
                true
            }
            _ => false,
        });
        if tripped {
            tracing::warn!("lost the connection to Redis ({e}); reconnecting in the background");
            tokio::spawn(probe(Arc::downgrade(&self.shared)));
        }
        e.is_unrecoverable_error() && !e.is_timeout()
    }

    /// A connection newer than `used`, waiting for the prober's attempt
    /// at most as long as one attempt may take (only requests that were
    /// on the dropped connection wait this long; later ones see the link
    /// down and wait at most the short `wait`).
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the attempt fails or takes longer.
    pub(super) async fn fresh(&self, used: &Conn) -> Result<Conn, StoreError> {
        let rx = self.shared.state.subscribe();
        self.wait_for(rx, self.shared.attempt_timeout, used.generation + 1)
            .await
    }

    async fn wait_for(
        &self,
        mut rx: watch::Receiver<State>,
        wait: Duration,
        min_generation: u64,
    ) -> Result<Conn, StoreError> {
        let settled = |s: &State| match s {
            State::Up { generation, .. } => *generation >= min_generation,
            State::Down => true,
            State::Idle | State::Connecting => false,
        };
        match tokio::time::timeout(wait, rx.wait_for(settled)).await {
            Ok(Ok(s)) => match &*s {
                State::Up { conn, generation } => Ok(Conn {
                    conn: conn.clone(),
                    generation: *generation,
                }),
                _ => Err(self.shared.down()),
            },
            Ok(Err(_)) => Err(self.shared.down()),
            Err(_) => Err(StoreError::Unavailable(format!(
                "Redis did not accept a connection within {} ms; still trying in the background",
                wait.as_millis()
            ))),
        }
    }

    /// Why Redis refused the last connection attempt or command, if it
    /// did (see [`super::refusal`]).
    pub(super) fn refusal(&self) -> Option<String> {
        self.shared.refusal()
    }

    /// Records how a command ended: a refusal is remembered (and returned),
    /// a success forgets one.
    pub(super) fn note(&self, result: Result<(), &RedisError>) -> Option<String> {
        let why = result.err().and_then(refusal);
        self.shared.set_refusal(why.clone());
        why
    }

    pub(super) fn counts(&self) -> Counts {
        Counts {
            up: matches!(&*self.shared.state.borrow(), State::Up { .. }),
            attempts: self.shared.attempts.load(Ordering::Relaxed),
            connections: self.shared.connections.load(Ordering::Relaxed),
        }
    }
}

/// The prober: connects, waiting between failed attempts, until it has a
/// connection or the store is dropped. Only started on a transition to
/// `Connecting` from `Idle` or `Up`, so at most one runs at a time.
async fn probe(shared: Weak<Shared>) {
    let mut delays = match shared.upgrade() {
        Some(s) => s.backoff.build(),
        None => return,
    };
    let mut failures = 0u64;
    loop {
        let Some(s) = shared.upgrade() else { return };
        s.state.send_replace(State::Connecting);
        s.attempts.fetch_add(1, Ordering::Relaxed);
        let attempt = s
            .client
            .get_multiplexed_async_connection_with_config(&s.config);
        // The crate bounds connecting and the handshake; this is a guard.
        let result = tokio::time::timeout(s.attempt_timeout * 2, attempt).await;
        // Connecting without a password to a Redis that wants one works;
        // its first command is refused (NOAUTH). Find out now.
        let result = match result {
            Ok(Ok(mut conn)) => {
                let cmd = redis::cmd("PING");
                let ping = cmd.query_async::<()>(&mut conn);
                match tokio::time::timeout(s.attempt_timeout, ping).await {
                    Ok(Ok(())) => Ok(Ok(conn)),
                    Ok(Err(e)) => Ok(Err(e)),
                    Err(elapsed) => Err(elapsed),
                }
            }
            other => other,
        };
        let (error, refused) = match result {
            Ok(Ok(conn)) => {
                s.set_refusal(None);
                let generation = s.connections.fetch_add(1, Ordering::Relaxed) + 1;
                s.state.send_replace(State::Up { conn, generation });
                if generation == 1 {
                    tracing::info!("connected to Redis");
                } else {
                    tracing::info!(failed_attempts = failures, "reconnected to Redis");
                }
                return;
            }
            Ok(Err(e)) => (e.to_string(), refusal(&e)),
            Err(_) => ("connecting timed out".to_string(), None),
        };
        s.set_refusal(refused.clone());
        if let Ok(mut t) = s.failed_at.lock() {
            *t = Some(Instant::now());
        }
        s.state.send_replace(State::Down);
        failures += 1;
        // Every attempt at debug level; a warning now and then. A refusal
        // says what to change rather than "cannot connect".
        let said = match &refused {
            Some(why) => format!("{why} (Redis said: {error})"),
            None => format!("cannot connect to Redis: {error}"),
        };
        if failures.is_power_of_two() {
            tracing::warn!(failed_attempts = failures, "{said}");
        } else {
            tracing::debug!(failed_attempts = failures, "{said}");
        }
        let pause = delays.next().unwrap_or(Duration::from_secs(1));
        // Not holding the store while waiting: when it is dropped, the
        // prober ends after this pause.
        let wake = s.wake.clone();
        drop(s);
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = wake.notified() => {}
        }
    }
}
