//! The default store: conversations in this process's memory.

use super::{
    Conversation, SessionLock, SessionStore, StoreError, StoreFuture, StoreStats, LOCK_WAIT,
    MAX_ID_LEN,
};
use lru::LruCache;
use std::hash::BuildHasher;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::time::Instant;

struct Entry {
    session: Conversation,
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
/// question was 1000 characters long; with a handoff webhook configured
/// each also keeps a transcript of up to 20 turns (up to about 20 KiB,
/// typically 5). A session unused for longer
/// than `idle` is gone: it is dropped when next looked up, when a `save`
/// sweeps the oldest entries, and by [`MemoryStore::sweep`] (which
/// `faqbot serve` runs periodically). All operations are O(1) under one
/// short mutex, and the clock is `tokio::time`, so tests can pause it.
///
/// Requests of one conversation are serialised by [`SessionStore::lock`]
/// on one of [`LOCK_STRIPES`] async mutexes chosen by the id's hash: a
/// fixed amount of memory whatever the number of conversations, at the
/// price that two conversations sharing a stripe also wait for each other
/// (for the microseconds a turn takes).
pub struct MemoryStore {
    inner: Mutex<Inner>,
    idle: Duration,
    capacity: usize,
    stripes: Vec<Arc<tokio::sync::Mutex<()>>>,
    hasher: std::collections::hash_map::RandomState,
}

/// Number of per-conversation lock stripes of a [`MemoryStore`].
pub const LOCK_STRIPES: usize = 1024;

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
            stripes: (0..LOCK_STRIPES).map(|_| Arc::default()).collect(),
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }

    /// The idle timeout.
    pub fn idle_timeout(&self) -> Duration {
        self.idle
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the map inconsistent
        // (LruCache operations are not interrupted), so keep serving.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Removes up to `max` expired sessions, oldest first; returns how many.
    /// Sessions are kept in order of last use, so this stops at the first
    /// live one.
    pub fn sweep(&self, max: usize) -> usize {
        let now = Instant::now();
        let mut inner = self.inner();
        sweep_locked(&mut inner, now, self.idle, max)
    }

    fn load_now(&self, id: &str) -> Option<Conversation> {
        if id.len() > MAX_ID_LEN {
            return None;
        }
        let now = Instant::now();
        let mut inner = self.inner();
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

    fn save_now(&self, id: &str, session: Conversation) {
        if id.len() > MAX_ID_LEN {
            return;
        }
        let now = Instant::now();
        let mut inner = self.inner();
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
        let inner = self.inner();
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
    fn load<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<Conversation>> {
        let found = self.load_now(id);
        Box::pin(std::future::ready(Ok(found)))
    }

    fn save<'a>(&'a self, id: &'a str, session: Conversation) -> StoreFuture<'a, ()> {
        self.save_now(id, session);
        Box::pin(std::future::ready(Ok(())))
    }

    fn lock<'a>(&'a self, id: &'a str) -> StoreFuture<'a, SessionLock> {
        let hash = self.hasher.hash_one(id);
        let stripe = self.stripes[(hash % self.stripes.len() as u64) as usize].clone();
        Box::pin(async move {
            match tokio::time::timeout(LOCK_WAIT, stripe.lock_owned()).await {
                Ok(guard) => Ok(SessionLock::new(move || drop(guard))),
                Err(_) => Err(StoreError::Busy),
            }
        })
    }

    fn backend(&self) -> &'static str {
        "memory"
    }

    fn stats(&self) -> StoreFuture<'_, StoreStats> {
        let stats = self.stats_now();
        Box::pin(std::future::ready(Ok(stats)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(n: u32) -> Conversation {
        Conversation {
            session: crate::Session {
                turns: n,
                ..crate::Session::new()
            },
            ..Conversation::default()
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
        assert_ne!(super::super::new_id(), super::super::new_id());
        assert_eq!(super::super::new_id().len(), 36);
    }
}

#[cfg(test)]
mod lock_tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn one_conversation_at_a_time_and_busy_after_the_wait() {
        let store = MemoryStore::new(10, Duration::from_secs(60));
        let held = SessionStore::lock(&store, "a").await.unwrap();
        // The second request of "a" waits for the first one ...
        let err = SessionStore::lock(&store, "a").await.unwrap_err();
        assert!(matches!(err, StoreError::Busy), "{err}");
        // ... and gets in once it is done.
        drop(held);
        let again = SessionStore::lock(&store, "a").await.unwrap();
        drop(again);
    }
}
