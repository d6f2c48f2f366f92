//! The on-disk cache of fitted calibrations ([`super::calibrate`]).
//!
//! Fitting the calibration builds one to four more matchers and ranks
//! about a thousand samples: more than half of the start-up of a small
//! knowledge base. The result is a few numbers that depend only on the
//! knowledge base and on the code, so it is kept in one small file per
//! knowledge base and program: `KEY.cal` in the cache directory
//! (`calibration` in [`crate::cache::dir`]).
//!
//! The key hashes everything the fit reads: the knowledge base's settings
//! (their `Debug` text) and intents (every field, in order, in postcard's
//! length-prefixed form; not where the files are), [`VERSION`], the crate version and the size and
//! modification time of the running executable (the code that fits, the
//! bundled lexicon and background sentences; a rebuilt or updated binary
//! never reads a calibration an older one wrote). The file name is one
//! 64-bit hash (FxHash) of that text; the file repeats its length and a
//! second, independent 64-bit hash (SipHash), so a collision of names
//! reads as a miss, never as another knowledge base's calibration.
//!
//! Format (little-endian, 65 bytes): `b"FQBTCAL1"`, text length `u64`,
//! SipHash `u64`, the 5 coefficients as `f32` bits, `in_scope: u64`,
//! `out_of_scope: u64`, `typical_foreign` as `f32` bits, `sparse` as one
//! byte (0 or 1). A file of another
//! size, magic or check is ignored. The 32 newest files are kept.

use super::calibrate::{Calibration, COEFFICIENTS};
use crate::kb::KnowledgeBase;
use crate::schema::IntentDef;
use rustc_hash::FxHasher;
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Bump when the calibration's result, or the learned word weights (cached
/// under the same key, see `weights_cache`), change for the same knowledge
/// base and the executable's size and time might not (a library embedded
/// in a program that is not rebuilt, say).
pub const VERSION: u32 = 29;

const MAGIC: &[u8; 8] = b"FQBTCAL1";
const SIZE: usize = 8 + 8 + 8 + 4 * COEFFICIENTS + 8 + 8 + 4 + 1;
/// Files kept in the directory.
const KEEP: usize = 32;

/// What identifies one knowledge base's calibration by one program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Key {
    name: u64,
    len: u64,
    check: u64,
}

/// Feeds formatted text to both hashes.
struct Both {
    fx: FxHasher,
    sip: DefaultHasher,
    len: u64,
}

impl std::fmt::Write for Both {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

impl Both {
    fn bytes(&mut self, b: &[u8]) {
        self.fx.write(b);
        self.sip.write(b);
        self.len += b.len() as u64;
    }
}

impl Key {
    /// The key of `kb`'s calibration by this executable; `None` when the
    /// executable's size or time cannot be read (then nothing is cached).
    pub(crate) fn of(kb: &KnowledgeBase) -> Option<Key> {
        let exe = std::env::current_exe().ok()?.metadata().ok()?;
        let time = exe
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        Some(Self::with_program(
            kb,
            &format!(
                "{} {} {}",
                env!("CARGO_PKG_VERSION"),
                exe.len(),
                time.as_nanos()
            ),
        ))
    }

    /// The key of `kb`'s calibration by the program identified by `program`.
    pub(crate) fn with_program(kb: &KnowledgeBase, program: &str) -> Key {
        let mut h = Both {
            fx: FxHasher::default(),
            sip: DefaultHasher::new(),
            len: 0,
        };
        // Writing to a hasher cannot fail.
        let _ = write!(h, "faqbot calibration {VERSION}\n{program}\n");
        feed_kb(&mut h, kb);
        Key {
            name: h.fx.finish(),
            len: h.len,
            check: h.sip.finish(),
        }
    }

    /// The cache file of this key in `dir`.
    pub(crate) fn file(&self, dir: &Path) -> PathBuf {
        self.file_with(dir, "cal")
    }

    /// The file of this key in `dir` with the extension `ext` (another
    /// value cached under the same key, such as the learned weights).
    pub(crate) fn file_with(&self, dir: &Path, ext: &str) -> PathBuf {
        dir.join(format!("{:016x}.{ext}", self.name))
    }

    /// Length of the hashed text, repeated in the files as a check.
    pub(crate) fn text_len(&self) -> u64 {
        self.len
    }

    /// The second hash of the text, repeated in the files as a check.
    pub(crate) fn check(&self) -> u64 {
        self.check
    }
}

/// Feeds `kb`'s settings (their `Debug` text) and intents (every field)
/// to `h`.
fn feed_kb(h: &mut Both, kb: &KnowledgeBase) {
    let _ = write!(h, "{:?}\n{}\n", kb.settings, kb.intents.len());
    // The intents in postcard's form (every string and list prefixed
    // by its length, so the text tells each field apart): a tenth of
    // the cost of their `Debug` text, which escapes every character.
    let mut buf = Vec::new();
    for d in &kb.intents {
        // Every field: one added to `IntentDef` fails to compile here
        // until it is hashed too.
        let IntentDef {
            id,
            title,
            kind,
            examples,
            keywords,
            patterns,
            answer,
            follow_ups,
            popularity,
        } = d;
        // A keyword as the build reads it (its two written forms
        // are one value).
        let keywords: Vec<(&str, u32, bool)> = keywords
            .iter()
            .map(|k| (k.word(), k.weight().to_bits(), k.required()))
            .collect();
        let fields = (
            id, title, kind, examples, keywords, patterns, answer, follow_ups, popularity,
        );
        buf.clear();
        // Serialising strings, numbers and lists into memory cannot
        // fail; if it did, the error's text stands in.
        buf = postcard::to_extend(&fields, std::mem::take(&mut buf))
            .unwrap_or_else(|e| e.to_string().into_bytes());
        h.bytes(&buf);
    }
}

/// A hash of `kb`'s content (its settings and every field of every
/// intent, in order; not where the files are or when they were written),
/// as 16 hex digits: the same for the same knowledge base on every machine
/// running the same faqbot build (`kb.hash` in `/healthz`).
pub(crate) fn content_hash(kb: &KnowledgeBase) -> String {
    let mut h = Both {
        fx: FxHasher::default(),
        sip: DefaultHasher::new(),
        len: 0,
    };
    h.bytes(b"faqbot knowledge base\n");
    feed_kb(&mut h, kb);
    format!("{:016x}", h.fx.finish())
}

/// The calibration cached for `key` in `dir`; `None` when there is none or
/// the file does not parse or belongs to another key.
pub(crate) fn load(dir: &Path, key: &Key) -> Option<Calibration> {
    parse(&std::fs::read(key.file(dir)).ok()?, key)
}

fn parse(bytes: &[u8], key: &Key) -> Option<Calibration> {
    if bytes.len() != SIZE || &bytes[..8] != MAGIC {
        return None;
    }
    let mut at = 8;
    let mut take = |n: usize| {
        let s = &bytes[at..at + n];
        at += n;
        s
    };
    let u64_of = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
    let f32_of = |b: &[u8]| f32::from_bits(u32::from_le_bytes(b.try_into().unwrap_or_default()));
    if u64_of(take(8)) != key.len || u64_of(take(8)) != key.check {
        return None;
    }
    let mut coefficients = [0.0; COEFFICIENTS];
    for c in &mut coefficients {
        *c = f32_of(take(4));
    }
    let in_scope = usize::try_from(u64_of(take(8))).ok()?;
    let out_of_scope = usize::try_from(u64_of(take(8))).ok()?;
    let typical_foreign = f32_of(take(4));
    let sparse = match take(1) {
        [0] => false,
        [1] => true,
        _ => return None,
    };
    Some(Calibration {
        coefficients,
        in_scope,
        out_of_scope,
        typical_foreign,
        sparse,
    })
}

fn bytes_of(key: &Key, c: &Calibration) -> Vec<u8> {
    let mut buf = Vec::with_capacity(SIZE);
    buf.extend_from_slice(MAGIC);
    buf.extend_from_slice(&key.len.to_le_bytes());
    buf.extend_from_slice(&key.check.to_le_bytes());
    for b in c.coefficients {
        buf.extend_from_slice(&b.to_bits().to_le_bytes());
    }
    buf.extend_from_slice(&(c.in_scope as u64).to_le_bytes());
    buf.extend_from_slice(&(c.out_of_scope as u64).to_le_bytes());
    buf.extend_from_slice(&c.typical_foreign.to_bits().to_le_bytes());
    buf.push(u8::from(c.sparse));
    buf
}

/// Writes `c` as the calibration of `key` in `dir` (created if needed;
/// atomically: a temporary file, then a rename) and removes all but the
/// newest files.
///
/// # Errors
/// The I/O error of creating the directory or writing the file.
pub(crate) fn store(dir: &Path, key: &Key, c: &Calibration) -> std::io::Result<PathBuf> {
    write_file(dir, key.file(dir), &bytes_of(key, c), "cal", KEEP)
}

/// Writes `bytes` to `path` in `dir` through a temporary file renamed into
/// place (a reader never sees half a file; two threads may store the same
/// key), then keeps only the `keep` newest files of `dir` with the
/// extension `ext`. Shared by the start-up cache's files (`.cal`, `.wts`,
/// `.lit`).
///
/// # Errors
/// The I/O error of creating the directory or writing the file.
pub(crate) fn write_file(
    dir: &Path,
    path: PathBuf,
    bytes: &[u8],
    ext: &str,
    keep: usize,
) -> std::io::Result<PathBuf> {
    write_file_with(dir, path, ext, keep, |f| f.write_all(bytes))
}

/// [`write_file`] with the contents written by `write` into the temporary
/// file (buffered); an error of `write` removes the temporary file.
///
/// # Errors
/// The I/O error of creating the directory, of `write` or of the rename.
pub(crate) fn write_file_with(
    dir: &Path,
    path: PathBuf,
    ext: &str,
    keep: usize,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    // Unique per process and call: two threads may store the same key.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("{ext}tmp{}-{call}", std::process::id()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    let written = write(&mut f).and_then(|()| f.flush());
    drop(f);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &path)?;
    prune(dir, &path, ext, keep);
    Ok(path)
}

/// Removes all but the `newest` newest files of `dir` with the extension
/// `ext` (never `keep`).
pub(crate) fn prune(dir: &Path, keep: &Path, ext: &str, newest: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext) && p != keep)
        .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
        .collect();
    files.sort_by(|a, b| b.cmp(a));
    for (_, old) in files.into_iter().skip(newest.saturating_sub(1)) {
        let _ = std::fs::remove_file(old);
    }
}

#[cfg(test)]
mod tests;
