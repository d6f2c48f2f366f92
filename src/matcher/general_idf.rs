//! How specific a word is in English at large, blended into the knowledge
//! base's own idf when the knowledge base is too small to tell.
//!
//! A knowledge base's idf comes from its own examples. In a ten-row
//! spreadsheet of thirty phrasings, "sell" used once looks more specific
//! than "gluten" used twice, so "do you sell bicycles" matches the row
//! that says "do you sell gluten free products" as if "sell" named its
//! topic. English at large knows better: "sell" is a common word (rank
//! 1,149 of the bundled lexicon), "gluten" a rare one. Retrieval over small
//! collections borrows document frequencies from a background corpus for
//! the same reason.
//!
//! Each word with a frequency rank `r` in [`crate::lexicon`] gets a
//! *general idf* on the knowledge base's own scale:
//!
//! ```text
//! s(r)        = clamp(ln(r / R₀) / ln(R_max / R₀), 0, 1)      (R₀ = COMMON_RANK, R_max = 80,000)
//! general(r)  = 1 + ln(1 + N) · s(r)                          (N examples; 1 … the idf of an unseen word)
//! idf'        = (N · idf + K · general(r)) / (N + K)          (K = WEIGHT)
//! ```
//!
//! so the knowledge base's own idf takes over as it grows (BANKING77's
//! 10,000 examples keep 97 % of theirs, the MINI knowledge base's
//! 1,000 about three quarters, a ten-row sheet of 30 phrasings 9 %). A word the
//! lexicon does not list (a name, a stem of one) keeps the knowledge
//! base's idf. The same blend weighs an utterance's word the knowledge
//! base does not know, if it is everyday English (its own idf is that of
//! an unseen word): an unknown common word ("lately", "look") is less of
//! the message than an unknown rare one; names ("Netflix") keep the full
//! idf of an unseen word.
//!
//! Measured (December 2026, `docs/confidence.md`): cross-validated on the
//! train splits, AskUbuntu answered right .940 → .960 and WebApps .869 →
//! .893; the MINI development set's out-of-scope messages without an FAQ
//! answer .881 → .905.

use crate::lexicon::Lexicon;

/// Words at least this common (rank ≤ R₀) get the lowest general idf, 1.0.
pub const COMMON_RANK: f32 = 100.0;
/// The lexicon's largest rank (its 80,000 most frequent words).
pub const MAX_RANK: f32 = 80_000.0;
/// K: how many examples' worth of evidence the general idf counts as.
/// Chosen by cross-validation on the shared corpora's train splits, the
/// development sheets and the MINI development set (`docs/confidence.md`).
pub const WEIGHT: f32 = 300.0;

/// The blend of one knowledge base: its size and the general weight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct GeneralIdf {
    /// Examples N of the knowledge base (≥ 0).
    n: f32,
    /// K ([`WEIGHT`]; 0.0 turns the blend off).
    k: f32,
}

impl GeneralIdf {
    /// The blend for a knowledge base of `n` examples.
    pub fn new(n: usize) -> Self {
        GeneralIdf {
            n: n as f32,
            k: WEIGHT,
        }
    }

    /// The lowest frequency rank (1 = most frequent) of `word` and its
    /// base forms ("journeys" → "journey"), `None` for a word the lexicon
    /// does not list.
    pub fn rank(lex: &Lexicon, word: &str) -> Option<u32> {
        let own = lex.rank(word);
        lex.base_forms(word)
            .filter_map(|b| lex.rank(b))
            .chain(own)
            .min()
    }

    /// General idf of rank `r`, on the scale of this knowledge base
    /// (1.0 ..= 1 + ln(1 + N)).
    fn general(&self, r: u32) -> f32 {
        let top = (MAX_RANK / COMMON_RANK).ln();
        let s = ((r as f32 / COMMON_RANK).max(1.0).ln() / top).clamp(0.0, 1.0);
        1.0 + (1.0 + self.n).ln() * s
    }

    /// `idf` (the knowledge base's own, > 0.0) blended with the general
    /// idf of rank `rank`; `idf` unchanged for `None`.
    pub fn blend(&self, idf: f32, rank: Option<u32>) -> f32 {
        match rank {
            Some(r) if self.k > 0.0 => {
                (self.n * idf + self.k * self.general(r)) / (self.n + self.k)
            }
            _ => idf,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_knowledge_base_borrows_english_specificity() {
        let g = GeneralIdf { n: 30.0, k: WEIGHT };
        let kb_idf = |df: f32| ((1.0 + 30.0) / (1.0 + df)).ln() + 1.0;
        // "sell" once, "gluten" twice in the examples: the knowledge base
        // alone finds "sell" more specific; blended, the rarer English word wins.
        assert!(kb_idf(1.0) > kb_idf(2.0));
        assert!(g.blend(kb_idf(2.0), Some(20_000)) > g.blend(kb_idf(1.0), Some(1_149)));
        // A word the lexicon does not list keeps its idf.
        assert_eq!(g.blend(kb_idf(1.0), None), kb_idf(1.0));
    }

    #[test]
    fn a_large_knowledge_base_keeps_most_of_its_own_idf() {
        let g = GeneralIdf {
            n: 10_000.0,
            k: WEIGHT,
        };
        let own = 5.0;
        let b = g.blend(own, Some(100));
        assert!(b < own && b > 0.85 * own, "{b}");
        let off = GeneralIdf { n: 10.0, k: 0.0 };
        assert_eq!(off.blend(own, Some(100)), own);
    }
}
