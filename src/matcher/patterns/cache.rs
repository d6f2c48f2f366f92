//! The on-disk cache of the patterns' [`Analysis`] (mode and literals):
//! parsing the bundled knowledge base's 104 patterns for their literals
//! is most of what loading its patterns costs, and the result depends
//! only on the pattern sources and the code, so it is kept beside the
//! calibration under the same key (`KEY.lit` beside `KEY.cal`; the key
//! hashes the knowledge base's settings and intents, patterns included,
//! and identifies the executable; see `calibration_cache`).
//!
//! Format (little-endian): `b"FQBTLIT1"`, the key's text length `u64` and
//! check `u64`, the number of patterns `u32`, then per pattern its mode
//! (`u8`: 0 never matches, 1 ASCII, 2 Unicode), its number of literals
//! `u32` (`u32::MAX`: none, the pattern always runs) and each literal as
//! its length `u32` and bytes; last a 64-bit hash (FxHash) of everything
//! before it. A file is read only when it parses to the end, the hash
//! matches and it has as many patterns as the knowledge base; otherwise it
//! is ignored and the patterns are parsed (and the file rewritten). The
//! [`KEEP`] newest files are kept (a few KB each).

use super::Analysis;
use crate::matcher::calibration_cache::{self, Key};
use rustc_hash::FxHasher;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"FQBTLIT1";
/// File name extension.
const EXT: &str = "lit";
/// Files kept in the directory.
pub(crate) const KEEP: usize = 32;
/// No literal set: the pattern always runs.
const NONE: u32 = u32::MAX;

/// The analysis of the `n` patterns cached for `key` in `dir`; `None`
/// when there is none or the file does not check out (see the module doc).
pub(crate) fn load(dir: &Path, key: &Key, n: usize) -> Option<Vec<Analysis>> {
    parse(&std::fs::read(key.file_with(dir, EXT)).ok()?, key, n)
}

/// Reads little-endian numbers and byte runs from a slice, front to back.
struct Reader<'a> {
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.b.split_at_checked(n)?;
        self.b = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

fn parse(b: &[u8], key: &Key, n: usize) -> Option<Vec<Analysis>> {
    let body = b.len().checked_sub(8)?;
    let mut h = FxHasher::default();
    h.write(&b[..body]);
    if h.finish().to_le_bytes() != b[body..] {
        return None;
    }
    let mut r = Reader { b: &b[..body] };
    if r.take(8)? != MAGIC || r.u64()? != key.text_len() || r.u64()? != key.check() {
        return None;
    }
    if r.u32()? as usize != n {
        return None;
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let unicode = match r.take(1)?[0] {
            0 => None,
            1 => Some(false),
            2 => Some(true),
            _ => return None,
        };
        let count = r.u32()?;
        let literals = if count == NONE {
            None
        } else {
            // Each literal takes at least 4 bytes: a count larger than
            // the rest of the file is corrupt, not a huge allocation.
            if count as usize > r.b.len() / 4 {
                return None;
            }
            let mut set = Vec::with_capacity(count as usize);
            for _ in 0..count {
                let len = r.u32()? as usize;
                set.push(r.take(len)?.to_vec());
            }
            Some(set)
        };
        out.push(Analysis { unicode, literals });
    }
    r.b.is_empty().then_some(out)
}

/// Writes `analysis` as the cached pattern analysis of `key` in `dir`
/// (created if needed; atomically: a temporary file, then a rename) and
/// removes all but the [`KEEP`] newest such files.
///
/// # Errors
/// The I/O error of creating the directory or writing the file.
pub(crate) fn store(dir: &Path, key: &Key, analysis: &[Analysis]) -> std::io::Result<PathBuf> {
    let too_large = || std::io::Error::other("too many patterns or literals to cache");
    let mut buf = Vec::new();
    buf.extend_from_slice(MAGIC);
    buf.extend_from_slice(&key.text_len().to_le_bytes());
    buf.extend_from_slice(&key.check().to_le_bytes());
    let n = u32::try_from(analysis.len()).map_err(|_| too_large())?;
    buf.extend_from_slice(&n.to_le_bytes());
    for a in analysis {
        buf.push(match a.unicode {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        });
        match &a.literals {
            None => buf.extend_from_slice(&NONE.to_le_bytes()),
            Some(set) => {
                let count = u32::try_from(set.len())
                    .ok()
                    .filter(|&c| c != NONE)
                    .ok_or_else(too_large)?;
                buf.extend_from_slice(&count.to_le_bytes());
                for lit in set {
                    let len = u32::try_from(lit.len()).map_err(|_| too_large())?;
                    buf.extend_from_slice(&len.to_le_bytes());
                    buf.extend_from_slice(lit);
                }
            }
        }
    }
    let mut h = FxHasher::default();
    h.write(&buf);
    buf.extend_from_slice(&h.finish().to_le_bytes());
    calibration_cache::write_file(dir, key.file_with(dir, EXT), &buf, EXT, KEEP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::KnowledgeBase;

    fn sample() -> Vec<Analysis> {
        vec![
            Analysis {
                unicode: Some(false),
                literals: Some(vec![b"pin".to_vec(), b"code".to_vec()]),
            },
            Analysis {
                unicode: Some(true),
                literals: None,
            },
            Analysis {
                unicode: None,
                literals: None,
            },
            Analysis {
                unicode: Some(false),
                literals: Some(vec![]),
            },
        ]
    }

    #[test]
    fn round_trip_and_every_damaged_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let kb = KnowledgeBase::bundled().unwrap();
        let key = Key::with_program(&kb, "test program");
        let a = sample();
        let path = store(dir.path(), &key, &a).unwrap();
        assert_eq!(load(dir.path(), &key, a.len()), Some(a.clone()));
        // Another pattern count or another program: not read.
        assert_eq!(load(dir.path(), &key, a.len() + 1), None);
        let other = Key::with_program(&kb, "another program");
        assert_eq!(load(dir.path(), &other, a.len()), None);
        let bytes = std::fs::read(&path).unwrap();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert_eq!(parse(&b, &key, a.len()), None, "byte {i} flipped");
        }
        for len in 0..bytes.len() {
            assert_eq!(parse(&bytes[..len], &key, a.len()), None, "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(parse(&longer, &key, a.len()), None);
    }
}
