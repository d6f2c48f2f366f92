//! The built matcher in the start-up cache: `KEY.mat` beside `KEY.cal`.
//!
//! A warm start of a knowledge base whose calibration (`calibration_cache`)
//! is cached still compiled the index, folded every example, built the
//! synonyms, the typo index and the postings: most of a start-up. All of
//! it depends only on the knowledge base and on the code, like the
//! calibration, so the built structures are kept under the same key (which
//! hashes the knowledge base's settings and intents, [`VERSION`] and
//! identifies the executable; see `calibration_cache`) and read back
//! instead of rebuilt. What is not in the file: the calibration (read from
//! `KEY.cal`, so it stays one small file the lead's fit owns) and the
//! regex patterns (compiled from the knowledge base with their cached
//! analysis, `KEY.lit`, on the helper thread meanwhile).
//!
//! Format (little-endian): `b"FQBTMAT5"`, the key's text length `u64` and
//! check `u64`, then four parts (the index, the word weights, the example
//! postings, the keywords with the answer terms), each its length `u64`
//! and its bytes (the structures in [postcard](https://docs.rs/postcard)'s
//! serde format: varint integers, `f32` as 4 bytes, the large arrays of
//! numbers packed, see [`packed`]), and last a 64-bit hash (FxHash) of
//! everything before it, each part's bytes fed to it in blocks of
//! [`BLOCK`] bytes (so that the writer streams a part into the file as it
//! serialises it, never holding the file's bytes: a 100,000-example
//! knowledge base's first start peaked at 210 MB, 70 MB of them two copies
//! of its 32 MB file, against 142 MB without the cache). A file is read only when its sizes add up, the
//! hash matches, every part decodes to its end and the structures agree
//! with each other and with the knowledge base's number of intents;
//! otherwise it is ignored, the matcher is built as without it, and the
//! file rewritten. It is read a part at a time (the peak memory of a
//! start is the structures and one part, not the whole file).
//! The [`KEEP`] newest files are kept (about 6 MB for 10,000 examples).
//!
//! [`VERSION`]: super::calibration_cache::VERSION

use super::answers::Answers;
use super::calibrate::Calibration;
use super::calibration_cache::{self, Key};
use super::evidence::{Dense, Weights};
use super::index::{Index, Keyword};
use super::nearest::{Examples, Rows, RunSets};
use super::rules::{KbPatterns, Rules};
use super::Matcher;
use rustc_hash::FxHasher;
use std::hash::Hasher;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub(crate) mod packed;

const MAGIC: &[u8; 8] = b"FQBTMAT5";
/// File name extension.
const EXT: &str = "mat";
/// Files kept in the directory.
pub(crate) const KEEP: usize = 8;
/// Bytes before the first part.
const HEADER: usize = 8 + 8 + 8;
/// The hash is fed a part's bytes in blocks of this many (the last block
/// of a part may be shorter).
pub(crate) const BLOCK: usize = 64 * 1024;

/// Feeds a part's bytes to the hash as [`BLOCK`]-byte blocks.
pub(crate) fn hash_part(h: &mut FxHasher, bytes: &[u8]) {
    for block in bytes.chunks(BLOCK) {
        h.write(block);
    }
}

/// The matcher's parts, as read.
pub(crate) struct Snapshot {
    index: Index,
    weights: Weights,
    examples: Examples,
    keywords: Vec<Keyword>,
    required: Vec<Vec<u32>>,
    answers: Answers,
}

impl Snapshot {
    /// The matcher: these parts with the knowledge base's `patterns` and
    /// `calibration`.
    pub(crate) fn into_matcher(self, patterns: KbPatterns, calibration: Calibration) -> Matcher {
        Matcher {
            dense: Dense::new(&self.weights, self.index.n_intents, &self.index.idf),
            near_rows: Rows::new(&self.examples, &self.index.int_start),
            near_sets: RunSets::new(&self.examples, self.index.n_intents),
            ix: self.index,
            weights: self.weights,
            examples: self.examples,
            rules: Rules::new(self.keywords, self.required, patterns),
            calibration,
            answers: self.answers,
        }
    }

    /// Whether the parts agree with each other and with a knowledge base
    /// of `n_intents` intents: every per-feature, per-example and
    /// per-intent array has its length and every id read at query time
    /// without a check is in range.
    fn fits(&self, n_intents: usize) -> bool {
        let ix = &self.index;
        let (n_feat, n_ex) = (ix.space.len(), ix.ex_text.len());
        let per_feature = [
            ix.idf.len(),
            ix.specificity.len(),
            ix.owners.len(),
            ix.rare.len(),
            self.weights.weights.len(),
        ];
        ix.n_intents == n_intents
            && per_feature.iter().all(|&n| n == n_feat)
            && ix.ex_intent.len() == n_ex
            && ix.int_start.len() == n_intents + 1
            && ix.int_start.windows(2).all(|w| w[0] <= w[1])
            && ix.int_start.last().is_some_and(|&e| e as usize == n_ex)
            && ix.tie.len() == n_intents
            && self.required.len() == n_intents
            && below(ix.ex_intent.iter().copied(), n_intents)
            && below(ix.out_of_scope.iter().copied(), n_intents)
            && below(ix.exact.values().copied(), n_ex)
            && below(ix.owners.iter().flatten().copied(), n_intents)
            && below(ix.slot_owners.iter().flatten().copied(), n_intents)
            && below(ix.slots.values().copied(), ix.slot_owners.len())
            && below(
                self.weights.weights.iter().flatten().map(|w| w.0),
                n_intents,
            )
            && below(self.keywords.iter().map(|k| k.intent), n_intents)
            && self.keywords.iter().all(|k| !k.terms.is_empty())
            && below(self.required.iter().flatten().copied(), self.keywords.len())
            && self.examples.fits(n_feat, n_ex, n_intents)
            && self.answers.fits(n_intents)
    }
}

/// Whether every id of `ids` is below `n`.
fn below(ids: impl IntoIterator<Item = u32>, n: usize) -> bool {
    ids.into_iter().all(|i| (i as usize) < n)
}

/// The built matcher cached for `key` in `dir`, for a knowledge base of
/// `n_intents` intents; `None` when there is none or the file does not
/// check out (see the module doc). The file is read a part at a time, so
/// that at most one part's bytes are in memory with the structures.
pub(crate) fn load(dir: &Path, key: &Key, n_intents: usize) -> Option<Snapshot> {
    let f = std::fs::File::open(key.file_with(dir, EXT)).ok()?;
    let len = usize::try_from(f.metadata().ok()?.len()).ok()?;
    read(
        &mut std::io::BufReader::with_capacity(HEADER, f),
        len,
        key,
        n_intents,
    )
}

/// [`load`] from the bytes of a file.
#[cfg(test)]
fn parse(b: &[u8], key: &Key, n_intents: usize) -> Option<Snapshot> {
    read(&mut &b[..], b.len(), key, n_intents)
}

/// One part of the file: its length, then its bytes; the hash `h` is fed
/// both (as [`bytes_of`] feeds it). `left`: the file's bytes not read yet.
fn part<'b>(
    r: &mut impl Read,
    buf: &'b mut Vec<u8>,
    left: &mut usize,
    h: &mut FxHasher,
) -> Option<&'b [u8]> {
    let mut n = [0u8; 8];
    r.read_exact(&mut n).ok()?;
    h.write(&n);
    let n = usize::try_from(u64::from_le_bytes(n)).ok()?;
    // A length past the file's end is never allocated.
    *left = left.checked_sub(8)?.checked_sub(n)?;
    buf.clear();
    buf.resize(n, 0);
    r.read_exact(buf).ok()?;
    hash_part(h, buf);
    Some(buf)
}

/// Decodes all of `b` as a `T`.
fn decode<'de, T: serde::Deserialize<'de>>(b: &'de [u8]) -> Option<T> {
    match postcard::take_from_bytes(b) {
        Ok((t, [])) => Some(t),
        _ => None,
    }
}

fn read(r: &mut impl Read, len: usize, key: &Key, n_intents: usize) -> Option<Snapshot> {
    read_parts(r, len, key).filter(|s| s.fits(n_intents))
}

/// [`read`] without the check that the parts fit.
fn read_parts(r: &mut impl Read, len: usize, key: &Key) -> Option<Snapshot> {
    let mut head = [0u8; HEADER];
    r.read_exact(&mut head).ok()?;
    let u64_at = |at: usize| u64::from_le_bytes(head[at..at + 8].try_into().unwrap_or_default());
    if &head[..8] != MAGIC || u64_at(8) != key.text_len() || u64_at(16) != key.check() {
        return None;
    }
    let mut h = FxHasher::default();
    h.write(&head);
    let mut left = len.checked_sub(HEADER + 8)?;
    let mut buf = Vec::new();
    let mut index: Index = decode(part(r, &mut buf, &mut left, &mut h)?)?;
    super::word_token::link(&mut index);
    let weights: Weights = decode(part(r, &mut buf, &mut left, &mut h)?)?;
    let examples: Examples = decode(part(r, &mut buf, &mut left, &mut h)?)?;
    let (keywords, required, answers) = decode(part(r, &mut buf, &mut left, &mut h)?)?;
    drop(buf);
    let mut check = [0u8; 8];
    r.read_exact(&mut check).ok()?;
    if left != 0 || h.finish() != u64::from_le_bytes(check) {
        return None;
    }
    // Nothing after the hash.
    if r.read(&mut [0u8; 1]).ok()? != 0 {
        return None;
    }
    Some(Snapshot {
        index,
        weights,
        examples,
        keywords,
        required,
        answers,
    })
}

/// Writes the snapshot of matcher `m` under `key` to `w`: the header, each
/// part's length (counted by serialising it once without storing it) and
/// its bytes as they are serialised, then the hash.
fn write_to(w: &mut impl Write, key: &Key, m: &Matcher) -> std::io::Result<()> {
    let mut head = [0u8; HEADER];
    head[..8].copy_from_slice(MAGIC);
    head[8..16].copy_from_slice(&key.text_len().to_le_bytes());
    head[16..].copy_from_slice(&key.check().to_le_bytes());
    let mut h = FxHasher::default();
    h.write(&head);
    w.write_all(&head)?;
    let (keywords, required) = m.rules.keywords();
    write_part(w, &mut h, &m.ix)?;
    write_part(w, &mut h, &m.weights)?;
    write_part(w, &mut h, &m.examples)?;
    write_part(w, &mut h, &(keywords, required, &m.answers))?;
    w.write_all(&h.finish().to_le_bytes())
}

/// One part: its serialised length, then its bytes, both fed to `h` as
/// the reader feeds them ([`hash_part`]).
fn write_part<T: serde::Serialize + ?Sized>(
    w: &mut impl Write,
    h: &mut FxHasher,
    value: &T,
) -> std::io::Result<()> {
    let n =
        postcard::serialize_with_flavor::<T, _, _>(value, postcard::ser_flavors::Size::default())
            .map_err(std::io::Error::other)?;
    let len = (n as u64).to_le_bytes();
    h.write(&len);
    w.write_all(&len)?;
    let mut blocks = Blocks {
        w,
        h,
        buf: Vec::with_capacity(BLOCK.min(n)),
        written: 0,
    };
    postcard::to_io(value, &mut blocks).map_err(std::io::Error::other)?;
    blocks.end()?;
    if blocks.written != n {
        return Err(std::io::Error::other(
            "a part's size changed while it was written",
        ));
    }
    Ok(())
}

/// A part's bytes on their way to the file, hashed a [`BLOCK`] at a time.
struct Blocks<'a, W: Write> {
    w: &'a mut W,
    h: &'a mut FxHasher,
    buf: Vec<u8>,
    written: usize,
}

impl<W: Write> Blocks<'_, W> {
    fn block(&mut self) -> std::io::Result<()> {
        self.h.write(&self.buf);
        self.w.write_all(&self.buf)?;
        self.written += self.buf.len();
        self.buf.clear();
        Ok(())
    }

    /// Writes the last, shorter block.
    fn end(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            self.block()
        }
    }
}

impl<W: Write> Write for Blocks<'_, W> {
    fn write(&mut self, mut data: &[u8]) -> std::io::Result<usize> {
        let n = data.len();
        // The packed arrays come a byte at a time (`packed`).
        if n < BLOCK - self.buf.len() {
            self.buf.extend_from_slice(data);
            return Ok(n);
        }
        while !data.is_empty() {
            let take = (BLOCK - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buf.len() == BLOCK {
                self.block()?;
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes matcher `m` (all but its calibration and patterns) as the
/// snapshot of `key` in `dir` (created if needed; atomically: a temporary
/// file, then a rename) and removes all but the [`KEEP`] newest snapshots.
/// The file is written as it is serialised: the peak memory is one
/// [`BLOCK`], not the file's size.
///
/// # Errors
/// The I/O error of creating the directory or writing the file; an error
/// of kind `Other` if the matcher does not serialise (it always does).
pub(crate) fn store(dir: &Path, key: &Key, m: &Matcher) -> std::io::Result<PathBuf> {
    calibration_cache::write_file_with(dir, key.file_with(dir, EXT), EXT, KEEP, |f| {
        write_to(f, key, m)
    })
}

#[cfg(test)]
mod tests;
