//! Whether the matcher's scatter stages may run their copies compiled for
//! wider vector instructions (AVX2, with POPCNT): [`super::Examples::find`]
//! and [`crate::matcher::evidence::Weights::score`] ask on every call and
//! take them when the CPU has both (docs/benchmarks.md, "speed8").

/// Whether this CPU has AVX2 and POPCNT (asked of the CPU once, then a
/// load of the cached answer).
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn available() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("popcnt")
}
