//! Conversations in Redis (or Valkey), shared by several `faqbot serve`
//! instances.
//!
//! Keys, all under a prefix (default `faqbot:`):
//!
//! | key | type | what |
//! |---|---|---|
//! | `PREFIX s:ID` | string | the [`Conversation`] as JSON, with a TTL of the idle timeout, renewed on every load and save |
//! | `PREFIX lock:ID` | string | the conversation's lock: a random token, `SET NX PX` with [`RedisOptions::lock_ttl`] |
//! | `PREFIX live` | sorted set | ids by last use (milliseconds); bounds the count (the oldest is evicted beyond `capacity`) and gives `live` |
//! | `PREFIX counters` | hash | `expired` and `evicted` counts |
//! | `PREFIX instances` | hash | the instances using the prefix and their knowledge bases' hashes ([`instances`]), TTL twice [`instances::STALE`] |
//!
//! Nothing grows without bound: conversations expire by TTL, the sorted set
//! is trimmed of ids older than the idle timeout on every save and every
//! `/healthz` or `/metrics` (each trimmed id counts as `expired`), expires
//! a day after the idle timeout following the last save and holds at most
//! `capacity` ids, locks expire by themselves. Saving is one Lua
//! script (atomic); it deletes evicted conversations by key names it
//! builds, so this store is for a single Redis (with replicas), not Redis
//! Cluster.
//!
//! # While Redis is down
//!
//! The store holds one multiplexed connection (the redis crate's
//! [`redis::aio::MultiplexedConnection`]) behind a circuit breaker. When a
//! command fails because the connection broke, or an attempt to connect
//! fails, the store is marked down and a single background task reconnects,
//! retrying after [`RedisOptions::reconnect_min`], doubling up to
//! [`RedisOptions::reconnect_max`] (with jitter). Meanwhile every operation
//! fails with [`StoreError::Unavailable`] at once, or after at most
//! [`RedisOptions::reconnect_wait`] when an attempt is in flight: requests
//! never queue behind connection attempts, and `/readyz` and `/metrics`
//! answer as fast. A request that finds the store down also has the task
//! try at once (if its last attempt ended `reconnect_min` ago or more), so
//! the first request after Redis is back succeeds rather than waiting for
//! the next scheduled attempt; a request whose connection had dropped
//! (Redis restarted while the store was idle) is retried once on the new
//! connection. Connection attempts are one at a time, at most one per
//! `reconnect_min`; [`RedisStore::connection`] counts them.
//!
//! (The crate's `ConnectionManager`, used before, reconnects only when a
//! command fails and makes every caller wait for its reconnection with its
//! back-off, about 1.5 s per request while Redis was down, and its first
//! command after Redis came back failed.)

use super::{
    ConnectionStatus, Conversation, SessionLock, SessionStore, StoreError, StoreFuture, StoreStats,
    LOCK_WAIT, MAX_ID_LEN,
};
use redis::aio::MultiplexedConnection;
use redis::{RedisResult, Script};
use std::future::Future;
use std::time::Duration;

pub mod instances;
mod link;
mod refusal;
mod scripts;
use link::Link;
use scripts::{LOAD_LUA, SAVE_LUA, STATS_LUA, UNLOCK_LUA};

/// Settings of a [`RedisStore`].
#[derive(Clone, Debug)]
pub struct RedisOptions {
    /// Prefix of every key; default `faqbot:`. Give instances serving
    /// different knowledge bases different prefixes (or databases).
    pub prefix: String,
    /// Idle timeout: a conversation's TTL, renewed on every use.
    pub idle: Duration,
    /// Most conversations kept; the least recently used is evicted beyond.
    pub capacity: usize,
    /// How long a lock lives if its holder dies without releasing it;
    /// default 10 s (the default request timeout).
    pub lock_ttl: Duration,
    /// Longest wait for a conversation's lock; default [`LOCK_WAIT`].
    pub lock_wait: Duration,
    /// Time allowed to connect and for each command; default 3 s (generous
    /// for a loaded machine: a Redis command normally takes well under a
    /// millisecond).
    pub timeout: Duration,
    /// Longest time an operation waits for a connection attempt in flight
    /// while the store is not connected; default 25 ms. Beyond it the
    /// operation fails with [`StoreError::Unavailable`] and the attempt
    /// goes on in the background. (Operations before the first attempt
    /// has ended, such as the first requests of a server that started
    /// connecting at boot, wait for it up to [`RedisOptions::timeout`].)
    pub reconnect_wait: Duration,
    /// Pause after the first failed connection attempt; default 20 ms.
    /// Each further failure doubles it, up to [`RedisOptions::reconnect_max`].
    /// A request that finds the store down asks for an attempt at once if
    /// the last one ended at least this long ago, so this is also the most
    /// often requests make the store try (one attempt at a time).
    pub reconnect_min: Duration,
    /// Longest pause between connection attempts, before jitter (which
    /// adds up to as much again); default 250 ms, so the store is back
    /// within about half a second of Redis accepting connections, at a
    /// cost of a few refused connections a second while it is down.
    pub reconnect_max: Duration,
}

impl Default for RedisOptions {
    fn default() -> Self {
        RedisOptions {
            prefix: "faqbot:".to_string(),
            idle: super::super::DEFAULT_IDLE_TIMEOUT,
            capacity: 1_000_000,
            lock_ttl: Duration::from_secs(10),
            lock_wait: LOCK_WAIT,
            timeout: Duration::from_secs(3),
            reconnect_wait: Duration::from_millis(25),
            reconnect_min: Duration::from_millis(20),
            reconnect_max: Duration::from_millis(250),
        }
    }
}

/// A [`SessionStore`] in Redis. See the [module docs](self) for the keys.
pub struct RedisStore {
    link: Link,
    /// `HOST:PORT/DB`, for logs.
    address: String,
    /// Whether the URL has a password.
    password: bool,
    options: RedisOptions,
    save: Script,
    load: Script,
    unlock: Script,
    stats: Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// Longest TTL given to Redis: 100 years. Redis refuses an expiry that
/// overflows its clock ("value is not an integer or out of range"), so
/// `--session-idle` or `--timeout` of about 9.2e15 s or more made every
/// save (or every lock) fail: chat answered 503 while `/healthz` said ok.
const MAX_TTL_MS: u64 = 100 * 365 * 24 * 3600 * 1000;

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis())
        .unwrap_or(u64::MAX)
        .clamp(1, MAX_TTL_MS)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl RedisStore {
    /// A store for the Redis at `url` (`redis://HOST:PORT[/DB]`, or
    /// `redis://:PASSWORD@HOST:PORT/DB`). Does not connect yet: the first
    /// operation (or [`RedisStore::start`]) does, in the background, so
    /// the server starts (degraded) while Redis is down.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] for a URL that is not a Redis URL, and
    /// for `rediss://` (TLS, not supported). The message never repeats the
    /// URL, which may hold a password.
    pub fn open(url: &str, options: RedisOptions) -> Result<Self, StoreError> {
        if url.starts_with("rediss://") {
            return Err(StoreError::Unavailable(
                "rediss:// (Redis over TLS) is not supported; use redis:// on a private network, \
                 or a local TLS tunnel (e.g. stunnel) to the Redis server at redis://127.0.0.1:PORT"
                    .to_string(),
            ));
        }
        let client = redis::Client::open(url).map_err(|e| {
            // The description only ("Missing hostname"), not the details
            // (which may quote the URL) or the error kind's debug name.
            let text = e.to_string();
            let why = text.split("- ").next().unwrap_or_default().trim();
            StoreError::Unavailable(format!(
                "not a Redis URL of the form redis://[:PASSWORD@]HOST:PORT[/DB] ({why})"
            ))
        })?;
        let info = client.get_connection_info();
        let address = format!("{}/{}", info.addr, info.redis.db);
        let password = info.redis.password.is_some();
        let link = Link::new(
            client,
            options.timeout,
            options.reconnect_wait,
            (options.reconnect_min, options.reconnect_max),
        );
        Ok(RedisStore {
            link,
            address,
            password,
            options,
            save: Script::new(SAVE_LUA),
            load: Script::new(LOAD_LUA),
            unlock: Script::new(UNLOCK_LUA),
            stats: Script::new(STATS_LUA),
        })
    }

    /// Starts connecting now, in the background, rather than at the first
    /// operation; does nothing once started. Must be called inside a Tokio
    /// runtime.
    pub fn start(&self) {
        self.link.start();
    }

    /// Why Redis, although it answers, refused the last connection attempt
    /// or command (no or a wrong password, a missing ACL permission, no
    /// such database), with what to change; `None` when it did not. A
    /// command that works clears it.
    pub fn refusal(&self) -> Option<String> {
        self.link.refusal()
    }

    /// Which Redis, for logs: `HOST:PORT/DB` (e.g. `10.0.0.5:6379/0`),
    /// never the user or password of the URL.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Whether the URL gives a password (`redis://:PASSWORD@...`).
    pub fn has_password(&self) -> bool {
        self.password
    }

    /// The settings.
    pub fn options(&self) -> &RedisOptions {
        &self.options
    }

    /// Whether the store is connected and how many connection attempts it
    /// made. Never waits.
    pub fn connection(&self) -> ConnectionStatus {
        let c = self.link.counts();
        ConnectionStatus {
            up: c.up,
            attempts: c.attempts,
            connections: c.connections,
        }
    }

    /// Runs `op` on the connection; when the connection turns out to have
    /// dropped, once more on a new one (see the [module docs](self)).
    async fn run<T, F, Fut>(&self, op: F) -> Result<T, StoreError>
    where
        F: Fn(MultiplexedConnection) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        let used = self.link.get().await?;
        let e = match op(used.conn.clone()).await {
            Ok(v) => {
                self.link.note(Ok(()));
                return Ok(v);
            }
            Err(e) => e,
        };
        if let Some(why) = self.link.note(Err(&e)) {
            return Err(StoreError::Unavailable(format!("{why} (Redis said: {e})")));
        }
        if !self.link.failed(&used, &e) {
            return Err(unavailable(e));
        }
        let fresh = self.link.fresh(&used).await.map_err(|_| unavailable(&e))?;
        tracing::info!("retrying on a new connection to Redis after: {e}");
        match op(fresh.conn.clone()).await {
            Ok(v) => {
                self.link.note(Ok(()));
                Ok(v)
            }
            Err(e) => {
                self.link.failed(&fresh, &e);
                Err(match self.link.note(Err(&e)) {
                    Some(why) => StoreError::Unavailable(format!("{why} (Redis said: {e})")),
                    None => unavailable(e),
                })
            }
        }
    }

    fn key(&self, kind: &str, id: &str) -> String {
        format!("{}{kind}{id}", self.options.prefix)
    }

    async fn load_now(&self, id: &str) -> Result<Option<Conversation>, StoreError> {
        if id.len() > MAX_ID_LEN {
            return Ok(None);
        }
        let mut load = self.load.prepare_invoke();
        load.key(self.key("s:", id))
            .key(self.key("live", ""))
            .arg(millis(self.options.idle))
            .arg(now_ms())
            .arg(id);
        let load = &load;
        let text: Option<String> = self
            .run(|mut conn| async move { load.invoke_async(&mut conn).await })
            .await?;
        Ok(text.and_then(|t| match serde_json::from_str(&t) {
            Ok(c) => Some(c),
            Err(e) => {
                // Written by an incompatible version: start afresh.
                tracing::warn!("ignoring a stored conversation that does not parse: {e}");
                None
            }
        }))
    }

    async fn save_now(&self, id: &str, conversation: Conversation) -> Result<(), StoreError> {
        if id.len() > MAX_ID_LEN {
            return Ok(());
        }
        let json = serde_json::to_string(&conversation).map_err(unavailable)?;
        let mut save = self.save.prepare_invoke();
        save.key(self.key("s:", id))
            .key(self.key("live", ""))
            .key(self.key("counters", ""))
            .arg(json)
            .arg(millis(self.options.idle))
            .arg(now_ms())
            .arg(id)
            .arg(self.options.capacity.max(1))
            .arg(self.key("s:", ""));
        let save = &save;
        let _: i64 = self
            .run(|mut conn| async move { save.invoke_async(&mut conn).await })
            .await?;
        Ok(())
    }

    async fn lock_now(&self, id: &str) -> Result<SessionLock, StoreError> {
        let key = self.key("lock:", id);
        let token = super::new_id();
        let deadline = tokio::time::Instant::now() + self.options.lock_wait;
        let mut pause = Duration::from_millis(2);
        let mut set = redis::cmd("SET");
        set.arg(&key)
            .arg(&token)
            .arg("NX")
            .arg("PX")
            .arg(millis(self.options.lock_ttl));
        let set = &set;
        loop {
            let got: Option<String> = self
                .run(|mut conn| async move { set.query_async(&mut conn).await })
                .await?;
            if got.is_some() {
                break;
            }
            if tokio::time::Instant::now() + pause > deadline {
                return Err(StoreError::Busy);
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(50));
        }
        let unlock = self.unlock.clone();
        let link = self.link.clone();
        Ok(SessionLock::new(move || {
            let Ok(rt) = tokio::runtime::Handle::try_current() else {
                return; // the lock expires by itself
            };
            // Without a connection now, the lock expires by itself.
            let Some(mut conn) = link.current() else {
                return;
            };
            rt.spawn(async move {
                let r: redis::RedisResult<i64> =
                    unlock.key(&key).arg(&token).invoke_async(&mut conn).await;
                if let Err(e) = r {
                    tracing::warn!("cannot release a session lock (it expires by itself): {e}");
                }
            });
        }))
    }

    async fn stats_now(&self) -> Result<StoreStats, StoreError> {
        let since = now_ms().saturating_sub(millis(self.options.idle));
        let mut stats = self.stats.prepare_invoke();
        stats
            .key(self.key("live", ""))
            .key(self.key("counters", ""))
            .arg(since);
        let stats = &stats;
        let (live, expired, evicted): (usize, u64, u64) = self
            .run(|mut conn| async move { stats.invoke_async(&mut conn).await })
            .await?;
        Ok(StoreStats {
            live,
            capacity: self.options.capacity,
            expired,
            evicted,
        })
    }
}

impl SessionStore for RedisStore {
    fn load<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<Conversation>> {
        Box::pin(self.load_now(id))
    }

    fn save<'a>(&'a self, id: &'a str, conversation: Conversation) -> StoreFuture<'a, ()> {
        Box::pin(self.save_now(id, conversation))
    }

    fn lock<'a>(&'a self, id: &'a str) -> StoreFuture<'a, SessionLock> {
        Box::pin(self.lock_now(id))
    }

    fn stats(&self) -> StoreFuture<'_, StoreStats> {
        Box::pin(self.stats_now())
    }

    fn backend(&self) -> &'static str {
        "redis"
    }

    fn connection(&self) -> Option<ConnectionStatus> {
        Some(RedisStore::connection(self))
    }

    fn refusal(&self) -> Option<String> {
        RedisStore::refusal(self)
    }
}
