//! Where the server keeps conversations between requests.
//!
//! The [`crate::Engine`] is stateless; each conversation is a small
//! [`Conversation`]: the engine's [`Session`] plus a short, masked
//! transcript (for the handoff webhook and for checking feedback). The HTTP
//! handlers reach conversations only through the [`SessionStore`] trait.
//! Two stores ship:
//!
//! - [`MemoryStore`] (the default): an in-process LRU map; conversations
//!   live and die with the process.
//! - [`RedisStore`] (`faqbot serve --sessions redis://HOST:PORT[/DB]`;
//!   cargo feature `redis`): conversations in Redis (or Valkey) as JSON
//!   with a time-to-live equal to the idle timeout, shared by every
//!   instance behind a load balancer and kept across restarts.
//!
//! Contract for every implementation:
//! - an unknown, evicted or expired id is `Ok(None)`, never an error: the
//!   handler then starts a new conversation;
//! - memory (or storage) stays bounded: conversations idle for longer than
//!   the idle timeout disappear, and there is a maximum count;
//! - [`SessionStore::lock`] serialises the requests of one conversation:
//!   the handler holds the lock from before `load` until after `save`, so
//!   two messages of one conversation that arrive at once (at one instance
//!   or at two) are answered one after the other and no update is lost;
//! - [`StoreError::Unavailable`] is for a backend that cannot be reached,
//!   or refuses this server ([`SessionStore::refusal`] says why); the API
//!   answers it with `503 session_store_unavailable`.
// Without the `redis` feature the link above points at the crate's list
// of features.
#![cfg_attr(
    not(feature = "redis"),
    doc = "",
    doc = "[`RedisStore`]: crate#cargo-features"
)]

pub mod memory;
#[cfg(feature = "redis")]
pub mod redis;

#[cfg(feature = "redis")]
pub use self::redis::{RedisOptions, RedisStore};
pub use memory::MemoryStore;

use crate::reply::Reply;
use crate::ReplyKind;
use crate::Session;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The future returned by [`SessionStore`] methods (boxed so that the trait
/// can be used as `Arc<dyn SessionStore>`).
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A session store operation failed.
///
/// The message goes to the server log only; clients see a generic JSON
/// error (`503 session_store_unavailable` or `409 session_busy`).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The backend cannot be reached or answered with an error.
    #[error("session store unavailable: {0}")]
    Unavailable(String),
    /// Another request of the same conversation held the lock for longer
    /// than the store waits for it.
    #[error("session is busy: another request of this conversation is still being answered")]
    Busy,
}

/// Counters for `/healthz` and `/metrics`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    /// Conversations held right now (for Redis: used within the idle
    /// timeout, by any instance).
    pub live: usize,
    /// The most conversations the store holds; the least recently used one
    /// is evicted to make room.
    pub capacity: usize,
    /// Conversations removed because they were idle for longer than the
    /// timeout.
    pub expired: u64,
    /// Conversations removed to make room for new ones.
    pub evicted: u64,
}

/// The connection of a store that has one (Redis), for monitoring
/// ([`SessionStore::connection`], `/metrics`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConnectionStatus {
    /// Whether the store holds a connection that worked last time it was
    /// used (`false` before the first connection and while reconnecting).
    pub up: bool,
    /// Connection attempts made since the store was opened, failed or not
    /// (at most one is in flight at a time).
    pub attempts: u64,
    /// Attempts that succeeded: 1 after the first connection, plus one per
    /// reconnection.
    pub connections: u64,
}

/// Most turns kept in a [`Conversation`]'s transcript (the oldest go first).
pub const MAX_TRANSCRIPT_TURNS: usize = 20;
/// Most characters of the user's side of a transcript turn; longer text
/// is cut and ends with `…`.
pub const MAX_USER_CHARS: usize = 500;
/// Most characters of the bot's side of a transcript turn (enough to
/// recognise the reply; its intent says which answer it was).
pub const MAX_BOT_CHARS: usize = 300;

/// One turn of a [`Conversation`]'s transcript.
///
/// ```json
/// {"time": 1764489600, "user": "my mail is <email>, I forgot my app PIN",
///  "kind": "answer", "intent": "reset_pin", "confidence": 0.95,
///  "bot": "After three incorrect PIN entries ..."}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// When the reply was sent, in Unix seconds.
    pub time: u64,
    /// What the user typed, with e-mail addresses, phone numbers and long
    /// digit runs masked as in the unanswered log
    /// ([`crate::misses::mask::mask_pii`]), cut to [`MAX_USER_CHARS`].
    pub user: String,
    /// The reply's kind (`answer`, `clarify`, `fallback`, `handoff`, ...).
    pub kind: String,
    /// The intent answered, if any.
    pub intent: Option<String>,
    /// The reply's confidence, in 0.0..=1.0.
    pub confidence: f32,
    /// The reply's text, cut to [`MAX_BOT_CHARS`].
    pub bot: String,
}

/// Most intents remembered per conversation as "answered" (for checking
/// feedback); the oldest is forgotten first.
pub const MAX_ANSWERED: usize = 20;

/// What a [`SessionStore`] keeps per conversation: the engine's state, the
/// intents it was answered with, and (only when a handoff webhook is
/// configured) the last [`MAX_TRANSCRIPT_TURNS`] turns. Serialised as
/// JSON: about 300 bytes without a transcript, a few KB with one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// The engine's state (offered choices, last intent, fallbacks in a
    /// row, ...).
    pub session: Session,
    /// Intents this conversation was answered with (replies of kind
    /// `answer` or `handoff`), oldest first, at most [`MAX_ANSWERED`],
    /// without repeats.
    #[serde(default)]
    pub answered: Vec<String>,
    /// The last turns, oldest first; empty unless kept (see
    /// [`Conversation::record`]).
    #[serde(default)]
    pub transcript: Vec<Turn>,
    /// Replies of kind `handoff` this conversation got so far (the
    /// webhook's `handoffs_in_session`); absent (0) in records written
    /// before it was kept.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub handoffs: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Conversation {
    /// A fresh conversation.
    pub fn new() -> Self {
        Conversation::default()
    }

    /// Notes the turn that produced `reply`: its intent among the answered
    /// ones, and with `keep_transcript` the turn itself (the user's text
    /// masked), dropping the oldest beyond [`MAX_TRANSCRIPT_TURNS`].
    /// Counts a `handoff` reply in [`Conversation::handoffs`].
    pub fn record(&mut self, reply: &Reply, time: u64, keep_transcript: bool) {
        if reply.kind == ReplyKind::Handoff {
            self.handoffs = self.handoffs.saturating_add(1);
        }
        if let (ReplyKind::Answer | ReplyKind::Handoff, Some(intent)) = (reply.kind, &reply.intent)
        {
            self.answered.retain(|i| i != intent);
            self.answered.push(intent.clone());
            if self.answered.len() > MAX_ANSWERED {
                self.answered.remove(0);
            }
        }
        if !keep_transcript {
            return;
        }
        self.transcript.push(Turn {
            time,
            user: cut(
                &crate::misses::mask::mask_pii(reply.input.trim()),
                MAX_USER_CHARS,
            ),
            kind: reply.kind.as_str().to_string(),
            intent: reply.intent.clone(),
            confidence: reply.confidence,
            bot: cut(&reply.text, MAX_BOT_CHARS),
        });
        if self.transcript.len() > MAX_TRANSCRIPT_TURNS {
            let extra = self.transcript.len() - MAX_TRANSCRIPT_TURNS;
            self.transcript.drain(..extra);
        }
    }

    /// Whether this conversation was answered with `intent` (among the
    /// last [`MAX_ANSWERED`] intents it was answered with).
    pub fn answered(&self, intent: &str) -> bool {
        self.answered.iter().any(|i| i == intent)
    }
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// Held while one request of a conversation is answered; dropping it lets
/// the next request of that conversation in (for Redis, the lock key is
/// deleted by a background task, and expires by itself if that fails).
#[must_use = "the conversation is unlocked when this is dropped"]
pub struct SessionLock {
    release: Option<Box<dyn FnOnce() + Send>>,
}

impl SessionLock {
    /// A lock that runs `release` when dropped.
    pub fn new(release: impl FnOnce() + Send + 'static) -> Self {
        SessionLock {
            release: Some(Box::new(release)),
        }
    }
}

impl std::fmt::Debug for SessionLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionLock")
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release();
        }
    }
}

/// How long a request waits for the lock of its conversation before it
/// gives up with `409 session_busy`: 5 s (a turn takes microseconds to
/// milliseconds; only a stuck request or a crashed instance holds it longer).
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// Storage of conversations by id. See the [module docs](self) for the
/// contract; ids are opaque strings of at most [`MAX_ID_LEN`] bytes.
pub trait SessionStore: Send + Sync + 'static {
    /// The conversation stored under `id`, refreshing its idle timer;
    /// `Ok(None)` when the id is unknown, evicted or expired.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the backend cannot be reached.
    fn load<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<Conversation>>;

    /// Stores `conversation` under `id` (creating or replacing it) and
    /// resets its idle timer. May evict the least recently used one.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the backend cannot be reached.
    fn save<'a>(&'a self, id: &'a str, conversation: Conversation) -> StoreFuture<'a, ()>;

    /// Waits (at most [`LOCK_WAIT`]) until no other request of conversation
    /// `id` holds its lock, and takes it until the returned guard drops.
    ///
    /// # Errors
    /// [`StoreError::Busy`] after waiting in vain;
    /// [`StoreError::Unavailable`] when the backend cannot be reached.
    fn lock<'a>(&'a self, id: &'a str) -> StoreFuture<'a, SessionLock>;

    /// Counters for monitoring; also tells whether the backend is reachable.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the backend cannot be reached.
    fn stats(&self) -> StoreFuture<'_, StoreStats>;

    /// A short name of the backend for `/healthz`: `"memory"`, `"redis"`.
    fn backend(&self) -> &'static str;

    /// The state of the connection to the backend, for a store that has
    /// one; `None` (the default) for an in-process store. Never waits.
    fn connection(&self) -> Option<ConnectionStatus> {
        None
    }

    /// Why the backend, although it answers, refuses this server (for
    /// Redis: no or a wrong password, a missing ACL permission, no such
    /// database): a sentence for the operator that says what to change,
    /// shown by `/healthz` and `/readyz` instead of "cannot be reached".
    /// `None` (the default) when it does not, or for an in-process store.
    /// Never waits.
    fn refusal(&self) -> Option<String> {
        None
    }
}

/// Longest session id, in bytes, that is looked up; longer ids are treated
/// as unknown (a new conversation starts).
pub const MAX_ID_LEN: usize = 64;

/// A new random session id: a UUID v4 (122 random bits) in hyphenated
/// lower-case form, e.g. `"9b2f4c1e-8a1d-4f0e-9c3b-2d7e6f5a4b3c"`.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_is_masked_cut_and_bounded() {
        let engine = crate::Engine::bundled().unwrap();
        let mut conv = Conversation::new();
        let mut s = Session::new();
        let reply = engine.respond(&mut s, "I forgot my app PIN, mail me at jo@example.com");
        conv.record(&reply, 7, true);
        let t = &conv.transcript[0];
        assert_eq!(t.user, "I forgot my app PIN, mail me at <email>");
        assert!(t.bot.chars().count() <= MAX_BOT_CHARS + 1);
        let long = "é".repeat(MAX_USER_CHARS + 5);
        assert_eq!(
            cut(&long, MAX_USER_CHARS).chars().count(),
            MAX_USER_CHARS + 1
        );
        assert!(cut(&long, MAX_USER_CHARS).ends_with('…'));
        assert_eq!(cut("short", 10), "short");
        for _ in 0..MAX_TRANSCRIPT_TURNS + 5 {
            let reply = engine.respond(&mut s, "I forgot my app PIN");
            conv.record(&reply, 8, true);
        }
        assert_eq!(conv.transcript.len(), MAX_TRANSCRIPT_TURNS);
        assert!(conv.transcript.iter().all(|t| t.time == 8));
        assert!(conv.answered("reset_pin"));
        assert!(!conv.answered("delete_app_data"));
        assert_eq!(conv.answered, ["reset_pin"]);
    }

    #[test]
    fn without_a_transcript_only_answered_intents_are_kept() {
        let engine = crate::Engine::bundled().unwrap();
        let mut conv = Conversation::new();
        let mut s = Session::new();
        for q in ["xyzzy plugh", "I forgot my app PIN", "hello"] {
            let reply = engine.respond(&mut s, q);
            conv.record(&reply, 1, false);
        }
        assert!(conv.transcript.is_empty());
        assert!(conv.answered("reset_pin"));
        assert_eq!(conv.answered.len(), 2, "{:?}", conv.answered); // reset_pin, greeting
    }
}
