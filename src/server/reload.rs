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
//! directory ([`watch`], debounced) and by `SIGHUP` ([`on_sighup`]).

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
    status: Mutex<ReloadInfo>,
    reloading: tokio::sync::Mutex<()>,
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
        LiveEngine {
            current: ArcSwap::from_pointee(engine),
            source,
            generation: AtomicU64::new(1),
            status: Mutex::new(ReloadInfo {
                ok: true,
                ..ReloadInfo::default()
            }),
            reloading: tokio::sync::Mutex::new(()),
        }
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
        let Some(dir) = self.source.clone() else {
            tracing::info!("serving the bundled knowledge base: nothing to reload");
            return Ok(None);
        };
        let _one_at_a_time = self.reloading.lock().await;
        let shown = dir.clone();
        let loaded = tokio::task::spawn_blocking(move || Engine::load(&dir))
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
                self.current.store(Arc::new(engine));
                let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
                tracing::info!(
                    dir = %self.source.as_deref().unwrap_or(Path::new("")).display(),
                    intents,
                    generation,
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
                    diagnostics
                        .iter()
                        .find(|d| d.severity == crate::Severity::Error)
                        .map_or_else(|| e.to_string(), ToString::to_string),
                );
                Err(Arc::new(e))
            }
        };
        *self.status.lock().unwrap_or_else(|e| e.into_inner()) = status;
        result
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A running file watcher; dropping it stops watching.
pub struct Watch {
    _watcher: notify::RecommendedWatcher,
    task: JoinHandle<()>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Whether a file-system event should trigger a reload: a change (not a
/// mere read) to a `*.ron` file, or to a `..`-prefixed entry (Kubernetes
/// ConfigMap volumes swap a `..data` symlink).
fn relevant(event: &notify::Event) -> bool {
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p| {
        p.extension().is_some_and(|e| e == "ron")
            || p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(".."))
    })
}

/// Watches the engine's source directory and reloads when its `*.ron`
/// files change, once `debounce` has passed without further changes (an
/// editor's save is several events). Must be called inside a Tokio runtime.
/// Returns `Ok(None)` for the bundled knowledge base.
///
/// # Errors
/// When the operating system's watcher cannot be set up for the directory.
pub fn watch(live: Arc<LiveEngine>, debounce: Duration) -> notify::Result<Option<Watch>> {
    let Some(dir) = live.source().map(Path::to_path_buf) else {
        return Ok(None);
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
    let mut watcher =
        notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
            Ok(event) if relevant(&event) => {
                // A full channel already holds a pending reload.
                let _ = tx.try_send(());
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("file watcher: {e}"),
        })?;
    watcher.watch(&dir, RecursiveMode::NonRecursive)?;
    tracing::info!(dir = %dir.display(), "watching the knowledge base for changes");
    let task = tokio::spawn(async move {
        while rx.recv().await.is_some() {
            loop {
                match tokio::time::timeout(debounce, rx.recv()).await {
                    Ok(Some(())) => continue,
                    Ok(None) => return,
                    Err(_quiet) => break,
                }
            }
            tracing::info!("knowledge base files changed; reloading");
            let _ = live.reload().await;
        }
    });
    Ok(Some(Watch {
        _watcher: watcher,
        task,
    }))
}

/// Reloads on every `SIGHUP` (Unix only). Must be called inside a Tokio
/// runtime; the returned task runs until aborted.
///
/// # Errors
/// When the signal handler cannot be installed.
#[cfg(unix)]
pub fn on_sighup(live: Arc<LiveEngine>) -> std::io::Result<JoinHandle<()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hup = signal(SignalKind::hangup())?;
    Ok(tokio::spawn(async move {
        while hup.recv().await.is_some() {
            tracing::info!("SIGHUP received; reloading the knowledge base");
            let _ = live.reload().await;
        }
    }))
}
