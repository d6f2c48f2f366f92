//! Which instances share a Redis prefix, and with which knowledge base.
//!
//! Two knowledge bases on one prefix share conversations: a conversation
//! started on one bot continues on the other, whose intents it does not
//! know (an operator's trial 51 saw a laundrette's conversation answered
//! with another bot's opening hours). Each instance therefore records its
//! knowledge base's hash ([`crate::KnowledgeBase::content_hash`]) under
//! `PREFIX instances` (a hash: a random instance id -> `seen_ms kb_hash
//! label`), refreshed every [`HEARTBEAT`], and logs a warning for each
//! other live instance (heard from within [`STALE`]) whose hash differs,
//! naming `--redis-prefix`: when it starts or reloads, for every such
//! instance, and at each heartbeat for one it has not warned about yet (a
//! newcomer with another knowledge base: the older instances notice it
//! within [`HEARTBEAT`], not only the newcomer; an operator's trial looked
//! at the older instance's log and saw nothing). Once per instance and
//! hash. A rollout of a new knowledge base passes through that state for
//! a moment, so it is a warning, not a refusal. An instance removes its
//! entry when it stops.

use super::scripts::{ANNOUNCE_LUA, WITHDRAW_LUA};
use super::{now_ms, RedisStore, StoreError};
use crate::server::reload::LiveEngine;
use redis::Script;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

/// How often an instance renews its entry.
pub const HEARTBEAT: Duration = Duration::from_secs(20);
/// An entry not renewed for this long is another instance that stopped
/// (or lost Redis): forgotten, never warned about.
pub const STALE: Duration = Duration::from_secs(60);

/// Another live instance on the same prefix serving a different knowledge
/// base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherInstance {
    /// Where it runs: `HOST ADDR` as it announced itself.
    pub label: String,
    /// Its knowledge base's hash (16 hex digits).
    pub kb_hash: String,
}

impl RedisStore {
    /// Records (or renews) instance `id`, described by `label` (host,
    /// listen address, pid), as serving the knowledge base of hash
    /// `kb_hash`, and returns the other live instances on this prefix whose
    /// hash differs. Entries older than [`STALE`] are removed; one with
    /// this `label` but another `id` (this instance's predecessor on the
    /// same host and address, restarted within [`STALE`]) is not returned.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when Redis cannot be reached.
    pub async fn announce(
        &self,
        id: &str,
        kb_hash: &str,
        label: &str,
    ) -> Result<Vec<OtherInstance>, StoreError> {
        let script = Script::new(ANNOUNCE_LUA);
        let mut call = script.prepare_invoke();
        call.key(format!("{}instances", self.options.prefix))
            .arg(id)
            .arg(kb_hash)
            .arg(now_ms())
            .arg(u64::try_from(STALE.as_millis()).unwrap_or(u64::MAX))
            .arg(label);
        let call = &call;
        let flat: Vec<String> = self
            .run(|mut conn| async move { call.invoke_async(&mut conn).await })
            .await?;
        Ok(flat
            .chunks_exact(2)
            .filter(|pair| pair[0] != label)
            .map(|pair| OtherInstance {
                label: pair[0].clone(),
                kb_hash: pair[1].clone(),
            })
            .collect())
    }

    /// Removes instance `id`'s entry (when it stops).
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when Redis cannot be reached.
    pub async fn withdraw(&self, id: &str) -> Result<(), StoreError> {
        let script = Script::new(WITHDRAW_LUA);
        let mut call = script.prepare_invoke();
        call.key(format!("{}instances", self.options.prefix))
            .arg(id);
        let call = &call;
        let _: i64 = self
            .run(|mut conn| async move { call.invoke_async(&mut conn).await })
            .await?;
        Ok(())
    }
}

/// The warning for another instance with a different knowledge base.
pub fn mismatch_warning(prefix: &str, own_hash: &str, other: &OtherInstance) -> String {
    format!(
        "another faqbot instance ({}) serves a different knowledge base (kb.hash {}; this one {own_hash}) \
         on the same Redis prefix `{prefix}`: the two share conversations. Give each knowledge base its \
         own --redis-prefix (during a rollout of a new knowledge base this lasts until every instance \
         has it)",
        other.label, other.kb_hash
    )
}

/// This process, as other instances' warnings name it: `HOST ADDR`
/// (the host from `/proc/sys/kernel/hostname` or `$HOSTNAME`, the address
/// it listens on).
pub fn instance_label(addr: &str) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "?".to_string());
    format!("{host} {addr}")
}

/// Announces this instance now and every [`HEARTBEAT`], and after each
/// reload (checked every second); logs [`mismatch_warning`] for each other
/// instance whose knowledge base differs, once per instance (its label)
/// and hash: at start-up and after a reload for all of them, at a
/// heartbeat for those not warned about since (one that joined, or one
/// that reloaded to yet another knowledge base). Runs until aborted; Redis
/// errors are left to the store's own reporting (the next heartbeat tries
/// again).
pub fn spawn_announcer(
    store: Arc<RedisStore>,
    live: Arc<LiveEngine>,
    id: String,
    label: String,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // The generation last announced with a check, and whether that
        // check reached Redis.
        let mut checked: Option<u64> = None;
        // The other instances (label, hash) warned about since then and
        // still on the prefix.
        let mut warned: HashSet<(String, String)> = HashSet::new();
        let mut last = tokio::time::Instant::now() - HEARTBEAT;
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let generation = live.generation();
            let warn = checked != Some(generation);
            if !warn && last.elapsed() < HEARTBEAT {
                continue;
            }
            last = tokio::time::Instant::now();
            let hash = live.hash();
            match store.announce(&id, &hash, &label).await {
                Ok(others) => {
                    if warn {
                        warned.clear();
                        checked = Some(generation);
                    }
                    warned.retain(|(label, kb)| {
                        others.iter().any(|o| &o.label == label && &o.kb_hash == kb)
                    });
                    for other in &others {
                        if warned.insert((other.label.clone(), other.kb_hash.clone())) {
                            tracing::warn!(
                                "{}",
                                mismatch_warning(&store.options().prefix, &hash, other)
                            );
                        }
                    }
                }
                Err(e) => tracing::debug!("cannot record this instance in Redis: {e}"),
            }
        }
    })
}
