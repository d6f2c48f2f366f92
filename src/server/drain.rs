//! Draining before a shutdown, so a load balancer notices in time.
//!
//! With a drain period (`faqbot serve --shutdown-grace SECONDS`), the
//! first SIGTERM or Ctrl-C makes `/readyz` answer
//! `503 shutting_down` (and `/healthz` list the same reason) while every
//! endpoint keeps serving; only when the period is over does [`super::serve`]
//! stop accepting connections and let requests in progress finish. A
//! second signal during the period ends it at once. Without one (0, the
//! default) the server stops accepting at the first signal.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Resolves when the server should stop accepting connections: after the
/// first `signal()` has resolved, `draining` is set and then `grace` has
/// passed, or a second `signal()` has resolved, whichever comes first.
/// With a zero `grace` it resolves right after the first signal. `signal`
/// is called once per signal awaited (e.g. [`super::shutdown_signal`]).
pub async fn drain_then_stop<S, F>(mut signal: S, draining: Arc<AtomicBool>, grace: Duration)
where
    S: FnMut() -> F,
    F: Future<Output = ()>,
{
    signal().await;
    draining.store(true, Ordering::SeqCst);
    if grace.is_zero() {
        return;
    }
    tracing::info!(
        grace_s = grace.as_secs_f64(),
        "draining: /readyz answers 503 shutting_down, requests are still served; \
         stopping after the grace (a second signal stops at once)"
    );
    tokio::select! {
        () = tokio::time::sleep(grace) => {
            tracing::info!("drain over; no longer accepting connections");
        }
        () = signal() => {
            tracing::info!("second signal during the drain; no longer accepting connections");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signal that resolves at once the first `n` times, then never.
    fn signals(n: usize) -> impl FnMut() -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> {
        let mut left = n;
        move || {
            if left > 0 {
                left -= 1;
                Box::pin(std::future::ready(()))
            } else {
                Box::pin(std::future::pending())
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_drain_lasts_the_grace_and_sets_draining_first() {
        let draining = Arc::new(AtomicBool::new(false));
        let start = tokio::time::Instant::now();
        drain_then_stop(signals(1), draining.clone(), Duration::from_secs(10)).await;
        assert!(draining.load(Ordering::SeqCst));
        assert!(start.elapsed() >= Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn a_second_signal_ends_the_drain() {
        let draining = Arc::new(AtomicBool::new(false));
        let start = tokio::time::Instant::now();
        drain_then_stop(signals(2), draining.clone(), Duration::from_secs(10)).await;
        assert!(draining.load(Ordering::SeqCst));
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn no_grace_stops_at_the_first_signal() {
        let draining = Arc::new(AtomicBool::new(false));
        let start = tokio::time::Instant::now();
        drain_then_stop(signals(1), draining.clone(), Duration::ZERO).await;
        assert!(draining.load(Ordering::SeqCst));
        assert!(start.elapsed() < Duration::from_secs(1));
    }
}
