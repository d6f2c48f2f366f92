//! Hot reload: swap in a new knowledge base while the server runs.
//!
//! [`LiveEngine`] holds the current [`Engine`] behind an [`ArcSwap`]. Each
//! request takes the `Arc<Engine>` current at its start and answers with
//! it, so a reload never disturbs a request in progress, and conversations
//! simply continue with the new knowledge base on their next turn (a
//! session refers to intents by id; ids that no longer exist are ignored).
//!
//! A reload loads and validates the whole directory first; only a
//! knowledge base without errors is swapped in. Otherwise every diagnostic
//! is logged (`file:line:col: error[code]: ...`), `/healthz` shows the
//! failed attempt under `"reload"`, and the old knowledge base keeps
//! answering. Reloads are triggered by changes to `*.ron` files in the
//! directory ([`watch`], debounced; it follows the path when the directory
//! is replaced, re-created or a symlink swapped) and by `SIGHUP`
//! ([`on_sighup`], or [`on_sighup_with`] to do more on the signal, such as
//! reopening log files).

use super::api::ReloadInfo;
use crate::Engine;
use arc_swap::ArcSwap;
use notify::{EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;

/// The engine currently serving, and how to reload it.
pub struct LiveEngine {
    current: ArcSwap<Engine>,
    source: Option<PathBuf>,
    generation: AtomicU64,
    /// [`crate::KnowledgeBase::content_hash`] of the engine serving.
    hash: Mutex<String>,
    status: Mutex<ReloadInfo>,
    reloading: tokio::sync::Mutex<()>,
    /// [`fingerprint`] of the source directory's files when they were
    /// last loaded (or a load was tried); `None` when unknown.
    files: Mutex<Option<u64>>,
}

impl std::fmt::Debug for LiveEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveEngine")
            .field("source", &self.source)
            .field("generation", &self.generation())
            .finish_non_exhaustive()
    }
}

impl LiveEngine {
    /// Serves `engine`; `source` is the directory it was loaded from, or
    /// `None` for the bundled knowledge base (which cannot be reloaded).
    pub fn new(engine: Engine, source: Option<PathBuf>) -> Self {
        let files = source.as_deref().and_then(fingerprint);
        LiveEngine {
            hash: Mutex::new(engine.knowledge_base().content_hash()),
            current: ArcSwap::from_pointee(engine),
            source,
            generation: AtomicU64::new(1),
            status: Mutex::new(ReloadInfo {
                ok: true,
                ..ReloadInfo::default()
            }),
            reloading: tokio::sync::Mutex::new(()),
            files: Mutex::new(files),
        }
    }

    /// [`LiveEngine::reload`], unless the source directory's `.ron` files
    /// are byte for byte what was last loaded (or tried): then nothing is
    /// done and `Ok(None)` returned. What the file watcher calls: a change
    /// that leaves the files as they were (an editor saving an unchanged
    /// file, an import that failed and put the files back, as an operator's
    /// trial saw) neither reloads nor counts as a rejected reload. `SIGHUP`
    /// always reloads.
    ///
    /// # Errors
    /// As [`LiveEngine::reload`].
    pub async fn reload_if_changed(&self) -> Result<Option<u64>, Arc<crate::Error>> {
        let now = self.files_now().await;
        let last = *self.files.lock().unwrap_or_else(|e| e.into_inner());
        if now.is_some() && now == last {
            tracing::info!(
                "knowledge base files touched but unchanged since the last load; nothing to reload"
            );
            return Ok(None);
        }
        tracing::info!("knowledge base files changed; reloading");
        self.reload_with(now).await
    }

    /// The [`fingerprint`] of the source directory now (`None` for the
    /// bundled knowledge base or an unreadable directory), read before a
    /// load: a change made while it runs is another event, and its
    /// fingerprint will differ.
    async fn files_now(&self) -> Option<u64> {
        let dir = self.source.clone()?;
        tokio::task::spawn_blocking(move || fingerprint(&dir))
            .await
            .ok()
            .flatten()
    }

    /// The engine to answer one request with.
    pub fn engine(&self) -> Arc<Engine> {
        self.current.load_full()
    }

    /// The directory reloads read, if any.
    pub fn source(&self) -> Option<&Path> {
        self.source.as_deref()
    }

    /// Knowledge bases loaded so far: 1, plus one per successful reload.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The content hash of the knowledge base serving
    /// ([`crate::KnowledgeBase::content_hash`]): unlike the generation, the
    /// same on every instance serving the same files.
    pub fn hash(&self) -> String {
        self.hash.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The outcome of the last reload attempt.
    pub fn status(&self) -> ReloadInfo {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Loads the source directory again and, if it is valid, swaps it in.
    /// Concurrent calls run one after the other. Returns the new
    /// generation, or `Ok(None)` for the bundled knowledge base.
    ///
    /// # Errors
    /// The load error (all diagnostics) when the new knowledge base is
    /// rejected; the old one stays in service. Every diagnostic is also
    /// logged at `error` level.
    pub async fn reload(&self) -> Result<Option<u64>, Arc<crate::Error>> {
        let files = self.files_now().await;
        self.reload_with(files).await
    }

    /// [`LiveEngine::reload`] of the files whose [`fingerprint`] the
    /// caller read (`files`), so that the watcher's path reads them once
    /// for the comparison and once to load.
    async fn reload_with(&self, files: Option<u64>) -> Result<Option<u64>, Arc<crate::Error>> {
        let Some(dir) = self.source.clone() else {
            tracing::info!("serving the bundled knowledge base: nothing to reload");
            return Ok(None);
        };
        let _one_at_a_time = self.reloading.lock().await;
        *self.files.lock().unwrap_or_else(|e| e.into_inner()) = files;
        let shown = dir.clone();
        let current = self.engine();
        let loaded = tokio::task::spawn_blocking(move || current.load_like(&dir))
            .await
            .unwrap_or_else(|e| {
                let io = std::io::Error::other(format!("reload task failed: {e}"));
                Err(crate::Error::io(shown.clone(), io))
            });
        let before = self.status();
        let mut status = ReloadInfo {
            ok: true,
            attempts: before.attempts + 1,
            errors: 0,
            at: Some(unix_now()),
            failed: before.failed,
            message: None,
        };
        let result = match loaded {
            Ok(engine) => {
                let intents = engine.knowledge_base().intents.len();
                let hash = engine.knowledge_base().content_hash();
                self.current.store(Arc::new(engine));
                *self.hash.lock().unwrap_or_else(|e| e.into_inner()) = hash.clone();
                let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
                tracing::info!(
                    dir = %self.source.as_deref().unwrap_or(Path::new("")).display(),
                    intents,
                    generation,
                    hash,
                    "knowledge base reloaded"
                );
                Ok(Some(generation))
            }
            Err(e) => {
                let diagnostics = e.diagnostics();
                for d in diagnostics {
                    tracing::error!("{d}");
                }
                let errors = diagnostics
                    .iter()
                    .filter(|d| d.severity == crate::Severity::Error)
                    .count()
                    .max(1);
                if diagnostics.is_empty() {
                    tracing::error!("{e}");
                }
                tracing::error!(
                    errors,
                    generation = self.generation(),
                    "knowledge base rejected; still serving the previous one"
                );
                status.ok = false;
                status.errors = errors;
                status.failed += 1;
                status.message = Some(
                    first_cause(diagnostics).map_or_else(|| e.to_string(), ToString::to_string),
                );
                Err(Arc::new(e))
            }
        };
        *self.status.lock().unwrap_or_else(|e| e.into_inner()) = status;
        result
    }
}

/// A fingerprint of the `*.ron` files directly in `dir` (names and bytes,
/// in name order); `None` when the directory cannot be read. Stable within
/// a process only.
fn fingerprint(dir: &Path) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let (mut files, _) = crate::kb::read_dir_checked(dir).ok()?;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (path, text) in &files {
        path.file_name().hash(&mut h);
        text.hash(&mut h);
    }
    Some(h.finish())
}

/// The error `/healthz` shows for a rejected reload: the first one that is
/// not a follow-up naming a missing intent, when there is one. A file
/// truncated mid-write (or unreadable) also makes every follow-up to its
/// intents in other files an error, and those sort first when the other
/// files' names do: `/healthz` then named `account.ron`'s follow-up, not
/// the broken `charging.ron`.
fn first_cause(diagnostics: &[crate::error::Diagnostic]) -> Option<&crate::error::Diagnostic> {
    let errors = || {
        diagnostics
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
    };
    errors()
        .find(|d| d.code != "unknown-follow-up")
        .or_else(|| errors().next())
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A running file watcher; dropping it stops watching.
pub struct Watch {
    /// The task owns the watcher (it re-targets it when the directory is
    /// replaced); aborting the task drops it.
    task: JoinHandle<()>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Whether a file-system event should trigger a reload: a change (not a
/// mere read) to a `*.ron` file, to a `..`-prefixed entry (Kubernetes
/// ConfigMap volumes swap a `..data` symlink), or to the entry named
/// `name` (the knowledge-base directory itself, seen from its parent's
/// watch: replaced, removed, re-created). Reads never count: a reload
/// opens and lists the directory, which the parent's watch reports as an
/// access of `name`, and counting it reloaded again every debounce
/// interval, without end.
fn relevant(event: &notify::Event, name: Option<&std::ffi::OsStr>) -> bool {
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p| {
        p.extension().is_some_and(|e| e == "ron")
            || p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(".."))
            || (name.is_some() && p.file_name() == name)
    })
}

/// How often the watcher checks that the directory at the watched path is
/// still the one it watches (one `stat`), in case no event said so.
pub const IDENTITY_POLL: Duration = Duration::from_secs(1);

/// What the directory at a path is: (device, inode) of its target after
/// following symlinks; `None` while nothing is there.
fn identity(dir: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(dir).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
}

/// The directory that holds `dir` (`.` for a bare name).
fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Watches the engine's source directory and reloads when its `*.ron`
/// files change, once `debounce` has passed without further changes (an
/// editor's save is several events). Must be called inside a Tokio runtime.
/// Returns `Ok(None)` for the bundled knowledge base.
///
/// The *path* is watched, not the directory first found there: the parent
/// directory is watched too, and the directory's identity (device and
/// inode, after symlinks) is checked on every event and every
/// [`IDENTITY_POLL`]. When the directory is replaced (`mv kb kb.old;
/// mv kb.new kb`), removed and re-created, or a symlink at the path is
/// swapped to another directory, the watcher moves to the directory now at
/// the path and reloads from it. While nothing is at the path, the reload
/// fails (and is reported as any rejected reload), and the watcher picks
/// the directory up again once it reappears.
///
/// # Errors
/// When the operating system's watcher cannot be set up for the directory.
pub fn watch(live: Arc<LiveEngine>, debounce: Duration) -> notify::Result<Option<Watch>> {
    let Some(dir) = live.source().map(Path::to_path_buf) else {
        return Ok(None);
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
    let name = dir.file_name().map(|n| n.to_os_string());
    let mut watcher =
        notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
            Ok(event) if relevant(&event, name.as_deref()) => {
                // A full channel already holds a pending reload.
                let _ = tx.try_send(());
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("file watcher: {e}"),
        })?;
    watcher.watch(&dir, RecursiveMode::NonRecursive)?;
    let parent = parent_of(&dir);
    if let Err(e) = watcher.watch(&parent, RecursiveMode::NonRecursive) {
        tracing::warn!(dir = %parent.display(), "cannot watch the parent directory ({e}); checking every {IDENTITY_POLL:?}");
    }
    tracing::info!(dir = %dir.display(), "watching the knowledge base for changes");
    let task = tokio::spawn(async move {
        let mut watched = identity(&dir);
        let mut poll = tokio::time::interval(IDENTITY_POLL);
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                kick = rx.recv() => if kick.is_none() { return },
                _ = poll.tick() => if identity(&dir) == watched { continue },
            }
            loop {
                match tokio::time::timeout(debounce, rx.recv()).await {
                    Ok(Some(())) => continue,
                    Ok(None) => return,
                    Err(_quiet) => break,
                }
            }
            let now = identity(&dir);
            if now != watched {
                // The old watch may already be gone with its directory.
                let _ = watcher.unwatch(&dir);
                watched = match now {
                    Some(_) => match watcher.watch(&dir, RecursiveMode::NonRecursive) {
                        Ok(()) => {
                            tracing::info!(dir = %dir.display(), "the knowledge-base directory was replaced; watching the new one");
                            now
                        }
                        Err(e) => {
                            tracing::warn!(dir = %dir.display(), "cannot watch the new directory: {e}");
                            None
                        }
                    },
                    None => {
                        tracing::warn!(dir = %dir.display(), "the knowledge-base directory is gone; waiting for it to reappear");
                        None
                    }
                };
            }
            let _ = live.reload_if_changed().await;
        }
    });
    Ok(Some(Watch { task }))
}

/// Reloads on every `SIGHUP` (Unix only). Must be called inside a Tokio
/// runtime; the returned task runs until aborted.
///
/// # Errors
/// When the signal handler cannot be installed.
#[cfg(unix)]
pub fn on_sighup(live: Arc<LiveEngine>) -> std::io::Result<JoinHandle<()>> {
    on_sighup_with(live, || async {})
}

/// Like [`on_sighup`], running `first` on every `SIGHUP` before the
/// reload (and waiting for it): `faqbot serve` reopens its `--log` and
/// `--feedback` files there, so they can be rotated by renaming. Must be
/// called inside a Tokio runtime; the returned task runs until aborted.
///
/// # Errors
/// When the signal handler cannot be installed.
#[cfg(unix)]
pub fn on_sighup_with<F, Fut>(
    live: Arc<LiveEngine>,
    mut first: F,
) -> std::io::Result<JoinHandle<()>>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    use tokio::signal::unix::{signal, SignalKind};
    let mut hup = signal(SignalKind::hangup())?;
    Ok(tokio::spawn(async move {
        while hup.recv().await.is_some() {
            tracing::info!("SIGHUP received; reloading the knowledge base");
            first().await;
            let _ = live.reload().await;
        }
    }))
}
