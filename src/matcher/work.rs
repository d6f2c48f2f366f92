//! Counting the work one utterance costs, so that tests can show it is
//! bounded without timing anything.
//!
//! The matcher adds one *unit* per byte of input that folding reads (at
//! most [`crate::normalize::MAX_RAW_CHARS`] characters), per byte of
//! folded text it analyses and per byte each pattern set scans, per token,
//! per string typo correction builds or compares, per compound split
//! tried and per posting entry it visits.
//! [`measure`] returns how many units a closure cost on this thread. The
//! counter is a thread-local integer: adding to it costs about as much as
//! the loop step it counts.

use std::cell::Cell;

thread_local! {
    static UNITS: Cell<u64> = const { Cell::new(0) };
}

/// Adds `n` units of work to this thread's count.
#[inline]
pub fn add(n: usize) {
    UNITS.with(|u| u.set(u.get().wrapping_add(n as u64)));
}

/// Runs `f` and returns its result and the units of work it added on
/// this thread.
///
/// ```
/// use faqbot::matcher::work;
/// let (_, units) = work::measure(|| work::add(3));
/// assert_eq!(units, 3);
/// ```
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = UNITS.with(Cell::get);
    let r = f();
    (r, UNITS.with(Cell::get).wrapping_sub(before))
}
