//! Helpers for the crate's unit tests.

/// A xorshift64 generator (Marsaglia's 13/7/17 triple): the same
/// pseudo-random numbers on every machine and run, for tests that compare a
/// fast path with the code it replaces on many generated strings. The state
/// must not be 0 (it would stay 0).
pub(crate) struct XorShift(pub u64);

impl XorShift {
    /// The next number (never 0 from a non-zero state).
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}
