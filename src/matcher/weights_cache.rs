//! The on-disk cache of the answering matcher's learned word weights
//! ([`super::linear`], [`Weights::learn`]).
//!
//! Learning the weights is about half of loading a knowledge base of
//! 10,000 examples when the calibration comes from its cache
//! ([`super::calibration_cache`]), and the dense form of the learning is
//! what sets the peak memory of that load. The weights depend only on the
//! knowledge base and on the code, exactly like the calibration, so they
//! are kept next to it under the same key: `KEY.wts` beside `KEY.cal` (the
//! key hashes the knowledge base's settings and intents and identifies the
//! executable; see `calibration_cache`). Only the answering matcher's
//! weights are kept; the calibration's matchers never read this cache.
//!
//! Format (little-endian): `b"FQBTWTS1"`, the key's text length `u64` and
//! check `u64`, features `u32`, intents `u32`, the word scale as `f32`
//! bits, the number of weights `u64`, per feature its number of weights
//! `u32`, then every weight as (intent `u32`, weight `f32` bits), feature
//! by feature, and last a 64-bit hash (FxHash) of everything before it. A
//! file is read only when every size adds up, the hash matches, the
//! feature and intent counts are those of the matcher being built and each
//! feature's intents are ascending and in range; otherwise it is ignored
//! and the weights are learned (and the file rewritten). The
//! [`KEEP`] newest files are kept (a few MB each for 10,000 examples).

use super::calibration_cache::Key;
use super::evidence::Weights;
use rustc_hash::FxHasher;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"FQBTWTS1";
/// File name extension.
const EXT: &str = "wts";
/// Files kept in the directory.
pub(crate) const KEEP: usize = 8;
/// Bytes before the per-feature counts.
const HEADER: usize = 8 + 8 + 8 + 4 + 4 + 4 + 8;

/// The weights cached for `key` in `dir`, for a matcher of `n_features`
/// features and `n_intents` intents; `None` when there is none or the file
/// does not check out (see the module doc).
pub(crate) fn load(dir: &Path, key: &Key, n_features: usize, n_intents: usize) -> Option<Weights> {
    parse(
        &std::fs::read(key.file_with(dir, EXT)).ok()?,
        key,
        n_features,
        n_intents,
    )
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn parse(b: &[u8], key: &Key, n_features: usize, n_intents: usize) -> Option<Weights> {
    if b.get(..8)? != MAGIC || u64_at(b, 8)? != key.text_len() || u64_at(b, 16)? != key.check() {
        return None;
    }
    if u32_at(b, 24)? as usize != n_features || u32_at(b, 28)? as usize != n_intents {
        return None;
    }
    let word_scale = f32::from_bits(u32_at(b, 32)?);
    let total = usize::try_from(u64_at(b, 36)?).ok()?;
    let entries_at = n_features.checked_mul(4)?.checked_add(HEADER)?;
    let end = total.checked_mul(8)?.checked_add(entries_at)?;
    if end.checked_add(8)? != b.len() {
        return None;
    }
    let mut h = FxHasher::default();
    h.write(&b[..end]);
    if h.finish() != u64_at(b, end)? {
        return None;
    }
    let mut weights = Vec::with_capacity(n_features);
    let mut at = entries_at;
    let mut seen = 0usize;
    for f in 0..n_features {
        let n = u32_at(b, HEADER + 4 * f)? as usize;
        seen = seen.checked_add(n)?;
        if seen > total {
            return None;
        }
        let mut list: Vec<(u32, f32)> = Vec::with_capacity(n);
        for _ in 0..n {
            let intent = u32_at(b, at)?;
            if intent as usize >= n_intents || list.last().is_some_and(|l| l.0 >= intent) {
                return None;
            }
            list.push((intent, f32::from_bits(u32_at(b, at + 4)?)));
            at += 8;
        }
        weights.push(list);
    }
    (seen == total).then_some(Weights {
        weights,
        word_scale,
    })
}

/// Writes the weights `w` of a matcher of `n_intents` intents as the
/// cached weights of `key` in `dir` (created if needed; atomically: a
/// temporary file, then a rename) and removes all but the [`KEEP`] newest
/// weight files.
///
/// # Errors
/// The I/O error of creating the directory or writing the file.
pub(crate) fn store(
    dir: &Path,
    key: &Key,
    n_intents: usize,
    w: &Weights,
) -> std::io::Result<PathBuf> {
    let too_large = || std::io::Error::other("too many features or intents to cache");
    let n_features = u32::try_from(w.weights.len()).map_err(|_| too_large())?;
    let n_intents = u32::try_from(n_intents).map_err(|_| too_large())?;
    let total: usize = w.weights.iter().map(Vec::len).sum();
    let mut buf = Vec::with_capacity(HEADER + 4 * w.weights.len() + 8 * total + 8);
    buf.extend_from_slice(MAGIC);
    buf.extend_from_slice(&key.text_len().to_le_bytes());
    buf.extend_from_slice(&key.check().to_le_bytes());
    buf.extend_from_slice(&n_features.to_le_bytes());
    buf.extend_from_slice(&n_intents.to_le_bytes());
    buf.extend_from_slice(&w.word_scale.to_bits().to_le_bytes());
    buf.extend_from_slice(&(total as u64).to_le_bytes());
    for list in &w.weights {
        let n = u32::try_from(list.len()).map_err(|_| too_large())?;
        buf.extend_from_slice(&n.to_le_bytes());
    }
    for &(intent, weight) in w.weights.iter().flatten() {
        buf.extend_from_slice(&intent.to_le_bytes());
        buf.extend_from_slice(&weight.to_bits().to_le_bytes());
    }
    let mut h = FxHasher::default();
    h.write(&buf);
    buf.extend_from_slice(&h.finish().to_le_bytes());
    super::calibration_cache::write_file(dir, key.file_with(dir, EXT), &buf, EXT, KEEP)
}

#[cfg(test)]
mod tests;
