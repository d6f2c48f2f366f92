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
//!
//! Nothing grows without bound: conversations expire by TTL, the sorted set
//! is trimmed of ids older than the idle timeout on every save and holds
//! at most `capacity` ids, locks expire by themselves. Saving is one Lua
//! script (atomic); it deletes evicted conversations by key names it
//! builds, so this store is for a single Redis (with replicas), not Redis
//! Cluster.
//!
//! The connection is a [`redis::aio::ConnectionManager`]: one multiplexed
//! connection per instance that reconnects by itself after Redis restarts.
//! While Redis is down every operation fails within about
//! [`RedisOptions::timeout`] with [`StoreError::Unavailable`].

use super::{
    Conversation, SessionLock, SessionStore, StoreError, StoreFuture, StoreStats, LOCK_WAIT,
    MAX_ID_LEN,
};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncCommands, Script};
use std::time::Duration;

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
        }
    }
}

/// A [`SessionStore`] in Redis. See the [module docs](self) for the keys.
pub struct RedisStore {
    client: redis::Client,
    conn: tokio::sync::OnceCell<ConnectionManager>,
    options: RedisOptions,
    save: Script,
    load: Script,
    unlock: Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Stores the conversation, refreshes its place in the `live` set, trims
/// ids idle for longer than the timeout and evicts beyond the capacity.
/// KEYS: session, live, counters. ARGV: json, ttl_ms, now_ms, id,
/// capacity, session-key prefix.
const SAVE_LUA: &str = r"
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
local expired = redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (tonumber(ARGV[3]) - tonumber(ARGV[2])))
if expired > 0 then redis.call('HINCRBY', KEYS[3], 'expired', expired) end
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if over > 0 then
  local old = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #old, 2 do redis.call('DEL', ARGV[6] .. old[i]) end
  redis.call('HINCRBY', KEYS[3], 'evicted', over)
end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
";

/// Reads the conversation and renews its TTL and its place in `live`.
/// KEYS: session, live. ARGV: ttl_ms, now_ms, id.
const LOAD_LUA: &str = r"
local v = redis.call('GET', KEYS[1])
if v then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[2], 'XX', ARGV[2], ARGV[3])
end
return v
";

/// Deletes the lock only if it still holds our token. KEYS: lock. ARGV: token.
const UNLOCK_LUA: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl RedisStore {
    /// A store for the Redis at `url` (`redis://HOST:PORT[/DB]`, or
    /// `redis://:PASSWORD@HOST:PORT/DB`). Does not connect yet: the first
    /// operation does, and so does every one after a failure, so the
    /// server starts (degraded) while Redis is down.
    ///
    /// # Errors
    /// A URL that is not a Redis URL.
    pub fn open(url: &str, options: RedisOptions) -> Result<Self, StoreError> {
        let client = redis::Client::open(url)
            .map_err(|e| StoreError::Unavailable(format!("`{url}` is not a Redis URL: {e}")))?;
        Ok(RedisStore {
            client,
            conn: tokio::sync::OnceCell::new(),
            options,
            save: Script::new(SAVE_LUA),
            load: Script::new(LOAD_LUA),
            unlock: Script::new(UNLOCK_LUA),
        })
    }

    /// The settings.
    pub fn options(&self) -> &RedisOptions {
        &self.options
    }

    async fn conn(&self) -> Result<ConnectionManager, StoreError> {
        let timeout = self.options.timeout;
        let conn = self
            .conn
            .get_or_try_init(|| async {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(timeout)
                    .set_response_timeout(timeout)
                    .set_number_of_retries(1)
                    .set_factor(100)
                    .set_max_delay(1000);
                let client = self.client.clone();
                match tokio::time::timeout(
                    timeout * 2,
                    ConnectionManager::new_with_config(client, config),
                )
                .await
                {
                    Ok(Ok(c)) => {
                        tracing::info!("connected to Redis");
                        Ok(c)
                    }
                    Ok(Err(e)) => Err(unavailable(e)),
                    Err(_) => Err(unavailable("connecting to Redis timed out")),
                }
            })
            .await?;
        Ok(conn.clone())
    }

    fn key(&self, kind: &str, id: &str) -> String {
        format!("{}{kind}{id}", self.options.prefix)
    }

    async fn load_now(&self, id: &str) -> Result<Option<Conversation>, StoreError> {
        if id.len() > MAX_ID_LEN {
            return Ok(None);
        }
        let mut conn = self.conn().await?;
        let text: Option<String> = self
            .load
            .key(self.key("s:", id))
            .key(self.key("live", ""))
            .arg(millis(self.options.idle))
            .arg(now_ms())
            .arg(id)
            .invoke_async(&mut conn)
            .await
            .map_err(unavailable)?;
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
        let mut conn = self.conn().await?;
        let _: i64 = self
            .save
            .key(self.key("s:", id))
            .key(self.key("live", ""))
            .key(self.key("counters", ""))
            .arg(json)
            .arg(millis(self.options.idle))
            .arg(now_ms())
            .arg(id)
            .arg(self.options.capacity.max(1))
            .arg(self.key("s:", ""))
            .invoke_async(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn lock_now(&self, id: &str) -> Result<SessionLock, StoreError> {
        let mut conn = self.conn().await?;
        let key = self.key("lock:", id);
        let token = super::new_id();
        let deadline = tokio::time::Instant::now() + self.options.lock_wait;
        let mut pause = Duration::from_millis(2);
        loop {
            let got: Option<String> = redis::cmd("SET")
                .arg(&key)
                .arg(&token)
                .arg("NX")
                .arg("PX")
                .arg(millis(self.options.lock_ttl))
                .query_async(&mut conn)
                .await
                .map_err(unavailable)?;
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
        Ok(SessionLock::new(move || {
            let Ok(rt) = tokio::runtime::Handle::try_current() else {
                return; // the lock expires by itself
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
        let mut conn = self.conn().await?;
        let since = now_ms().saturating_sub(millis(self.options.idle));
        let live: usize = conn
            .zcount(self.key("live", ""), since, "+inf")
            .await
            .map_err(unavailable)?;
        let (expired, evicted): (Option<u64>, Option<u64>) = redis::cmd("HMGET")
            .arg(self.key("counters", ""))
            .arg("expired")
            .arg("evicted")
            .query_async(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(StoreStats {
            live,
            capacity: self.options.capacity,
            expired: expired.unwrap_or(0),
            evicted: evicted.unwrap_or(0),
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
}
