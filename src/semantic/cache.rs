//! The on-disk cache of knowledge-base embeddings.
//!
//! One file per model and knowledge base: `MODEL-KB.emb` in the cache
//! directory, where `MODEL` is [`Model::fingerprint`](super::Model::fingerprint)
//! and `KB` a hash of the embedded texts in order, both as 16 hex digits.
//! A restart with the same model and knowledge base reads that file; after
//! an edit (a reload), the texts that did not change are taken from the
//! files of the same model (newest first) and only the new ones are embedded. The
//! 16 newest files per model are kept.
//!
//! Format (little-endian): `b"FQBTSEM1"`, `dim: u32`, `count: u32`, then
//! `count` times `len: u32`, `len` bytes of UTF-8 text, `dim` f32s. A file
//! that does not parse is ignored. Texts are stored whole, so a hash
//! collision can never return the wrong vector.

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"FQBTSEM1";
/// Files kept per model.
const KEEP: usize = 16;
/// Bounds on what a cache file may claim, so that a corrupt file cannot
/// cost more than reading it.
const MAX_DIM: usize = 4096;
const MAX_TEXT: usize = 1 << 20;

/// How an index was built.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Texts in the index (titles, examples, answers).
    pub texts: usize,
    /// Texts embedded by the model during this build.
    pub embedded: usize,
    /// Texts whose embedding came from the cache.
    pub cached: usize,
    /// Whether a cache file was written.
    pub saved: bool,
}

/// The cache of one model in one directory.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
    model: u64,
}

impl Cache {
    /// The cache for the model with fingerprint `model` in `dir` (created
    /// when first written).
    pub fn new(dir: &Path, model: u64) -> Self {
        Cache {
            dir: dir.to_path_buf(),
            model,
        }
    }

    /// The file that holds exactly `texts`.
    pub fn file_for(&self, texts: &[&str]) -> PathBuf {
        let mut h = FxHasher::default();
        for t in texts {
            h.write(t.as_bytes());
            h.write_u8(0xff);
        }
        self.dir
            .join(format!("{:016x}-{:016x}.emb", self.model, h.finish()))
    }

    /// The cached embeddings of those of `texts` that this model embedded
    /// before: from the file of exactly these texts if there is one, else
    /// from the files of the same model, newest first, until every text is
    /// found (at most the 16 files kept; a knowledge base that gained
    /// texts, or another one that shares texts with it, costs only the new
    /// ones). Empty when there is none or none parses.
    pub fn lookup(&self, texts: &[&str], dim: usize) -> FxHashMap<String, Vec<f32>> {
        let mut wanted: FxHashSet<&str> = texts.iter().copied().collect();
        let exact = self.file_for(texts);
        if exact.is_file() {
            if let Some(found) = read(&exact, dim, &wanted) {
                if found.len() == wanted.len() {
                    return found;
                }
            }
        }
        let mut out = FxHashMap::default();
        for f in self.files() {
            if wanted.is_empty() {
                break;
            }
            if let Some(found) = read(&f, dim, &wanted) {
                for (t, v) in found {
                    wanted.remove(t.as_str());
                    out.insert(t, v);
                }
            }
        }
        out
    }

    /// Writes the embeddings `vecs` (`[texts.len(), dim]`) of `texts` to
    /// [`Self::file_for`] `texts` (atomically: a temporary file, then a
    /// rename) and removes all but the newest files of this model.
    ///
    /// # Errors
    /// The I/O error of creating the directory or writing the file.
    pub fn store(&self, texts: &[&str], vecs: &[f32], dim: usize) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.file_for(texts);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let mut buf = Vec::with_capacity(16 + vecs.len() * 4 + texts.len() * 64);
        buf.extend_from_slice(MAGIC);
        buf.extend_from_slice(&(dim as u32).to_le_bytes());
        buf.extend_from_slice(&(texts.len() as u32).to_le_bytes());
        for (t, v) in texts.iter().zip(vecs.chunks_exact(dim)) {
            buf.extend_from_slice(&(t.len() as u32).to_le_bytes());
            buf.extend_from_slice(t.as_bytes());
            for x in v {
                buf.extend_from_slice(&x.to_le_bytes());
            }
        }
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&buf)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        for old in self
            .files()
            .into_iter()
            .filter(|p| *p != path)
            .skip(KEEP - 1)
        {
            let _ = std::fs::remove_file(old);
        }
        Ok(path)
    }

    /// This model's cache files, newest first.
    fn files(&self) -> Vec<PathBuf> {
        let prefix = format!("{:016x}-", self.model);
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
            .flatten()
            .filter(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.starts_with(&prefix) && name.ends_with(".emb")
            })
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        files.sort_by(|a, b| b.cmp(a));
        files.into_iter().map(|(_, p)| p).collect()
    }
}

/// Reads a cache file, keeping the vectors of `wanted` texts; `None` if
/// it cannot be read, is not a cache file or has another `dim`.
fn read(path: &Path, dim: usize, wanted: &FxHashSet<&str>) -> Option<FxHashMap<String, Vec<f32>>> {
    let bytes = std::fs::read(path).ok()?;
    let mut r = Reader {
        bytes: &bytes,
        at: 0,
    };
    if r.take(8)? != MAGIC {
        return None;
    }
    let file_dim = r.u32()? as usize;
    if file_dim != dim || dim == 0 || dim > MAX_DIM {
        return None;
    }
    let count = r.u32()? as usize;
    let mut out = FxHashMap::default();
    for _ in 0..count {
        let len = r.u32()? as usize;
        if len > MAX_TEXT {
            return None;
        }
        let text = std::str::from_utf8(r.take(len)?).ok()?;
        let raw = r.take(dim * 4)?;
        if wanted.contains(text) && !out.contains_key(text) {
            let v = raw
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            out.insert(text.to_string(), v);
        }
    }
    Some(out)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set<'a>(texts: &[&'a str]) -> FxHashSet<&'a str> {
        texts.iter().copied().collect()
    }

    #[test]
    fn a_stored_file_reads_back_and_keys_by_model_and_texts() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), 7);
        let texts = ["is there parking?", "opening hours"];
        let vecs = [1.0, 0.0, 0.5, 0.25];
        let path = cache.store(&texts, &vecs, 2).unwrap();
        assert!(path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("0000000000000007-"));
        let got = cache.lookup(&texts, 2);
        assert_eq!(got.len(), 2);
        assert_eq!(got["opening hours"], vec![0.5, 0.25]);
        // Another model does not see it; another dim does not parse.
        assert!(Cache::new(dir.path(), 8).lookup(&texts, 2).is_empty());
        assert!(cache.lookup(&texts, 3).is_empty());
        // Changed texts reuse what did not change, from the newest file.
        let edited = ["is there parking?", "when are you open"];
        let got = cache.lookup(&edited, 2);
        assert_eq!(got.len(), 1);
        assert_eq!(got["is there parking?"], vec![1.0, 0.0]);
        assert_ne!(cache.file_for(&edited), cache.file_for(&texts));
        // Texts spread over several files (two knowledge bases) are all found.
        cache.store(&["is there a cafe?"], &[0.0, 1.0], 2).unwrap();
        let both = ["opening hours", "is there a cafe?", "new text"];
        let got = cache.lookup(&both, 2);
        assert_eq!(got.len(), 2);
        assert_eq!(got["opening hours"], vec![0.5, 0.25]);
        assert_eq!(got["is there a cafe?"], vec![0.0, 1.0]);
    }

    #[test]
    fn corrupt_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), 1);
        let texts = ["a", "b"];
        let path = cache.store(&texts, &[1.0, 2.0, 3.0, 4.0], 2).unwrap();
        let good = std::fs::read(&path).unwrap();
        for cut in [0, 5, 12, 16, good.len() - 1] {
            std::fs::write(&path, &good[..cut]).unwrap();
            assert_eq!(read(&path, 2, &set(&texts)), None, "cut at {cut}");
        }
        let mut huge = good.clone();
        huge[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(&path, &huge).unwrap();
        assert_eq!(read(&path, 2, &set(&texts)), None);
    }

    #[test]
    fn old_files_of_a_model_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), 3);
        let names: Vec<String> = (0..KEEP + 3).map(|i| format!("text {i}")).collect();
        let mut last = PathBuf::new();
        for n in &names {
            last = cache.store(&[n.as_str()], &[0.0], 1).unwrap();
        }
        assert_eq!(cache.files().len(), KEEP);
        // The file just written survives even when mtimes tie.
        assert!(last.is_file());
        assert_eq!(cache.lookup(&[names.last().unwrap().as_str()], 1).len(), 1);
    }
}
