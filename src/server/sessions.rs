//! Where the server keeps conversations between requests.
//!
//! The [`crate::Engine`] is stateless; each conversation is a small
//! [`Session`] struct. The HTTP handlers reach sessions only through the
//! [`SessionStore`] trait, so the in-process [`MemoryStore`] (the default)
//! can be replaced by a shared store (Redis, a database) when several
//! `faqbot serve` instances run behind a load balancer. Such a store keeps
//! the serialised session (it is `serde`-serialisable, about 200 bytes of
//! JSON) under its id with a time-to-live equal to the idle timeout, and
//! refreshes the time-to-live on every [`SessionStore::load`] and
//! [`SessionStore::save`].
//!
//! Contract for every implementation:
//! - an unknown, evicted or expired id is `Ok(None)`, never an error: the
//!   handler then starts a new conversation;
//! - memory (or storage) stays bounded: sessions idle for longer than the
//!   idle timeout disappear, and there is a maximum count;
//! - errors are for an unreachable backend only; the API answers them with
//!   `503 session_store_unavailable`.
//!
//! Two requests of the same session that arrive at the same time are not
//! serialised: both read the same state and the later `save` wins. A chat
//! widget sends one message at a time, so this only matters for scripted
//! clients, which then see the state of one of their two turns.

use crate::Session;
use lru::LruCache;
use std::future::Future;
use std::num::NonZeroUsize;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::time::Instant;

/// The future returned by [`SessionStore`] methods (boxed so that the trait
/// can be used as `Arc<dyn SessionStore>`).
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A session store backend failed (e.g. a shared store is unreachable).
///
/// The message goes to the server log only; clients see a generic
/// `503 session_store_unavailable`.
#[derive(Debug, thiserror::Error)]
#[error("session store: {0}")]
pub struct StoreError(pub String);

/// Counters for `/healthz`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoreStats {
    /// Sessions held right now (including idle ones not yet swept).
    pub live: usize,
    /// The most sessions the store holds; the least recently used one is
    /// evicted to make room.
    pub capacity: usize,
    /// Sessions removed because they were idle for longer than the timeout.
    pub expired: u64,
    /// Sessions removed to make room for new ones.
    pub evicted: u64,
}

/// Storage of conversations by id. See the [module docs](self) for the
/// contract; ids are opaque strings of at most [`MAX_ID_LEN`] bytes.
pub trait SessionStore: Send + Sync + 'static {
    /// The session stored under `id`, refreshing its idle timer;
    /// `Ok(None)` when the id is unknown, evicted or expired.
    ///
    /// # Errors
    /// Only when the backend cannot be reached.
    fn load<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<Session>>;

    /// Stores `session` under `id` (creating or replacing it) and resets
    /// its idle timer. May evict the least recently used session.
    ///
    /// # Errors
    /// Only when the backend cannot be reached.
    fn save<'a>(&'a self, id: &'a str, session: Session) -> StoreFuture<'a, ()>;

    /// Counters for monitoring.
    ///
    /// # Errors
    /// Only when the backend cannot be reached.
    fn stats(&self) -> StoreFuture<'_, StoreStats>;
}

/// Longest session id, in bytes, that is looked up; longer ids are treated
/// as unknown (a new conversation starts).
pub const MAX_ID_LEN: usize = 64;

/// A new random session id: a UUID v4 (122 random bits) in hyphenated
/// lower-case form, e.g. `"9b2f4c1e-8a1d-4f0e-9c3b-2d7e6f5a4b3c"`.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

struct Entry {
    session: Session,
    last_seen: Instant,
}

struct Inner {
    cache: LruCache<String, Entry>,
    expired: u64,
    evicted: u64,
}

/// The default store: an in-process LRU map with an idle timeout.
///
/// Memory is bounded by `capacity` sessions: about 0.5 KiB each with its
/// id and map entry (measured: 10,000 sessions of the load test add about
/// 5 MiB of resident memory), at most a few KiB for a session whose last
/// question was 1000 characters long. A session unused for longer
/// than `idle` is gone: it is dropped when next looked up, when a `save`
/// sweeps the oldest entries, and by [`MemoryStore::sweep`] (which
/// `faqbot serve` runs periodically). All operations are O(1) under one
/// short mutex, and the clock is `tokio::time`, so tests can pause it.
pub struct MemoryStore {
    inner: Mutex<Inner>,
    idle: Duration,
    capacity: usize,
}

/// Expired entries removed from the tail by one `save`, bounding its cost.
const SWEEP_ON_SAVE: usize = 16;

impl MemoryStore {
    /// A store holding at most `capacity` sessions (at least 1), each for
    /// at most `idle` since its last use.
    pub fn new(capacity: usize, idle: Duration) -> Self {
        let cap = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        MemoryStore {
            inner: Mutex::new(Inner {
                cache: LruCache::new(cap),
                expired: 0,
                evicted: 0,
            }),
            idle,
            capacity: cap.get(),
        }
    }

    /// The idle timeout.
    pub fn idle_timeout(&self) -> Duration {
        self.idle
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the map inconsistent
        // (LruCache operations are not interrupted), so keep serving.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Removes up to `max` expired sessions, oldest first; returns how many.
    /// Sessions are kept in order of last use, so this stops at the first
    /// live one.
    pub fn sweep(&self, max: usize) -> usize {
        let now = Instant::now();
        let mut inner = self.lock();
        sweep_locked(&mut inner, now, self.idle, max)
    }

    fn load_now(&self, id: &str) -> Option<Session> {
        if id.len() > MAX_ID_LEN {
            return None;
        }
        let now = Instant::now();
        let mut inner = self.lock();
        let expired = match inner.cache.get_mut(id) {
            None => return None,
            Some(e) if now.duration_since(e.last_seen) > self.idle => true,
            Some(e) => {
                e.last_seen = now;
                return Some(e.session.clone());
            }
        };
        if expired {
            inner.cache.pop(id);
            inner.expired += 1;
        }
        None
    }

    fn save_now(&self, id: &str, session: Session) {
        if id.len() > MAX_ID_LEN {
            return;
        }
        let now = Instant::now();
        let mut inner = self.lock();
        sweep_locked(&mut inner, now, self.idle, SWEEP_ON_SAVE);
        let entry = Entry {
            session,
            last_seen: now,
        };
        if let Some((old, _)) = inner.cache.push(id.to_string(), entry) {
            if old != id {
                inner.evicted += 1;
            }
        }
    }

    fn stats_now(&self) -> StoreStats {
        let inner = self.lock();
        StoreStats {
            live: inner.cache.len(),
            capacity: self.capacity,
            expired: inner.expired,
            evicted: inner.evicted,
        }
    }
}

fn sweep_locked(inner: &mut Inner, now: Instant, idle: Duration, max: usize) -> usize {
    let mut n = 0;
    while n < max {
        match inner.cache.peek_lru() {
            Some((_, e)) if now.duration_since(e.last_seen) > idle => {
                inner.cache.pop_lru();
                inner.expired += 1;
                n += 1;
            }
            _ => break,
        }
    }
    n
}

impl SessionStore for MemoryStore {
    fn load<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<Session>> {
        let found = self.load_now(id);
        Box::pin(std::future::ready(Ok(found)))
    }

    fn save<'a>(&'a self, id: &'a str, session: Session) -> StoreFuture<'a, ()> {
        self.save_now(id, session);
        Box::pin(std::future::ready(Ok(())))
    }

    fn stats(&self) -> StoreFuture<'_, StoreStats> {
        let stats = self.stats_now();
        Box::pin(std::future::ready(Ok(stats)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(n: u32) -> Session {
        Session {
            turns: n,
            ..Session::new()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn idle_sessions_expire_and_use_refreshes_them() {
        let store = MemoryStore::new(10, Duration::from_secs(60));
        store.save("a", turn(1)).await.unwrap();
        store.save("b", turn(2)).await.unwrap();
        tokio::time::advance(Duration::from_secs(40)).await;
        assert_eq!(store.load("a").await.unwrap(), Some(turn(1)));
        tokio::time::advance(Duration::from_secs(40)).await;
        // "a" was used 40 s ago, "b" 80 s ago.
        assert_eq!(store.load("a").await.unwrap(), Some(turn(1)));
        assert_eq!(store.load("b").await.unwrap(), None);
        let stats = store.stats().await.unwrap();
        assert_eq!((stats.live, stats.expired), (1, 1));
        tokio::time::advance(Duration::from_secs(61)).await;
        assert_eq!(store.sweep(100), 1);
        assert_eq!(store.stats().await.unwrap().live, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn capacity_evicts_the_least_recently_used() {
        let store = MemoryStore::new(3, Duration::from_secs(60));
        for (i, id) in ["a", "b", "c"].iter().enumerate() {
            store.save(id, turn(i as u32)).await.unwrap();
        }
        store.load("a").await.unwrap();
        store.save("d", turn(9)).await.unwrap();
        assert_eq!(store.load("b").await.unwrap(), None);
        assert!(store.load("a").await.unwrap().is_some());
        assert!(store.load("d").await.unwrap().is_some());
        let stats = store.stats().await.unwrap();
        assert_eq!((stats.live, stats.capacity, stats.evicted), (3, 3, 1));
        // Replacing a session is not an eviction.
        store.save("d", turn(10)).await.unwrap();
        assert_eq!(store.stats().await.unwrap().evicted, 1);
        assert_eq!(store.load("d").await.unwrap(), Some(turn(10)));
    }

    #[tokio::test(start_paused = true)]
    async fn saving_sweeps_expired_sessions() {
        let store = MemoryStore::new(100, Duration::from_secs(10));
        for i in 0..5 {
            store.save(&format!("old{i}"), turn(0)).await.unwrap();
        }
        tokio::time::advance(Duration::from_secs(11)).await;
        store.save("new", turn(1)).await.unwrap();
        let stats = store.stats().await.unwrap();
        assert_eq!((stats.live, stats.expired), (1, 5));
    }

    #[tokio::test]
    async fn over_long_ids_are_unknown_and_not_stored() {
        let store = MemoryStore::new(10, Duration::from_secs(10));
        let long = "x".repeat(MAX_ID_LEN + 1);
        store.save(&long, turn(1)).await.unwrap();
        assert_eq!(store.load(&long).await.unwrap(), None);
        assert_eq!(store.stats().await.unwrap().live, 0);
        assert_ne!(new_id(), new_id());
        assert_eq!(new_id().len(), 36);
    }
}
