//! The knowledge base's regex patterns, compiled for matching user text
//! at a bounded cost.
//!
//! * **Chunks.** Patterns are compiled in sets of at most
//!   [`PATTERN_CHUNK`]: the regex compiler's prefix-literal extraction is
//!   quadratic in the number of patterns of one set (a knowledge base of
//!   20,000 intents with 2,000 patterns spent most of its load time there),
//!   so compiling chunks keeps loading linear.
//! * **ASCII sets.** A chunk whose patterns are all ASCII is compiled as a
//!   byte-level set without Unicode (`\b`, `\w`, `\d`, `\s` and case
//!   folding are ASCII). On text with non-ASCII letters, Unicode word
//!   boundaries make the regex engine leave its fast DFA for its slowest
//!   engine (64 KiB of Arabic or Hangul then cost milliseconds); ASCII
//!   boundaries keep it on the DFA, one pass over the text. For ASCII
//!   text the two agree; they differ only where a non-ASCII letter touches
//!   an ASCII one, which folded text of an ASCII-pattern knowledge base
//!   hardly has. A chunk with a non-ASCII pattern stays Unicode.
//!
//! * **No prefilter.** The sets are built like `regex::RegexSet` (the
//!   same engine, `regex_automata::meta`, with the same syntax and
//!   options) except that no literal prefilter is extracted: extracting
//!   the literals of a chunk of case-insensitive alternations was 43 % of
//!   compiling the bundled knowledge base's patterns, and on questions of
//!   a few dozen characters a prefilter saves little, since the lazy DFA
//!   scans them in one pass anyway. Which patterns match does not change.
//!
//! Patterns match the folded text, which is capped (see
//! [`crate::normalize::MAX_FOLDED_CHARS`]), so the scan is bounded too.

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, PatternSet};

/// Most patterns compiled into one set.
pub const PATTERN_CHUNK: usize = 64;

/// One compiled chunk: a `regex_automata` meta regex matching all its
/// patterns (as `regex::RegexSet` builds one), byte-level without Unicode
/// for ASCII chunks.
struct Set {
    re: meta::Regex,
}

/// Compiled pattern sets; pattern `p` of the input list keeps index `p`.
pub(crate) struct Patterns {
    sets: Vec<(usize, Set)>,
}

impl Patterns {
    /// Compiles `sources` (validated by the loader, already wrapped as the
    /// matcher wants them, e.g. `(?i:...)`). A chunk that does not compile
    /// as one set (size limits, or a pattern of a knowledge base built
    /// without the loader) is compiled pattern by pattern, and a pattern
    /// that does not compile alone matches nothing.
    pub fn new(sources: &[String]) -> Self {
        let mut sets = Vec::new();
        for (c, chunk) in sources.chunks(PATTERN_CHUNK).enumerate() {
            match Self::set(chunk) {
                Some(set) => sets.push((c * PATTERN_CHUNK, set)),
                None => {
                    for (j, p) in chunk.iter().enumerate() {
                        if let Some(set) = Self::set(std::slice::from_ref(p)) {
                            sets.push((c * PATTERN_CHUNK + j, set));
                        }
                    }
                }
            }
        }
        Patterns { sets }
    }

    /// One set of `chunk`: ASCII-only when every pattern is ASCII and that
    /// compiles, else Unicode; `None` when neither compiles.
    fn set(chunk: &[String]) -> Option<Set> {
        let ascii = chunk.iter().all(|p| p.is_ascii());
        let set = if ascii {
            Self::build(chunk, false)
        } else {
            None
        };
        set.or_else(|| Self::build(chunk, true))
    }

    /// The set of `chunk` as `regex::RegexSetBuilder::new(chunk)
    /// .unicode(unicode).size_limit(1 << 24).dfa_size_limit(1 << 24)`
    /// builds it (`regex::bytes` for `unicode == false`), without the
    /// literal prefilter.
    fn build(chunk: &[String], unicode: bool) -> Option<Set> {
        // `regex`'s defaults (NFA size limit, lazy DFA cache) as the two
        // limits set them, and its set options.
        let config = meta::Config::new()
            .nfa_size_limit(Some(1 << 24))
            .hybrid_cache_capacity(1 << 24)
            .match_kind(MatchKind::All)
            .utf8_empty(unicode)
            .which_captures(WhichCaptures::None)
            .auto_prefilter(false);
        let syntax = syntax::Config::new().unicode(unicode).utf8(unicode);
        meta::Builder::new()
            .configure(config)
            .syntax(syntax)
            .build_many(chunk)
            .ok()
            .map(|re| Set { re })
    }

    /// Pushes the index of every pattern matching `text` onto `out`, ascending.
    pub fn matches(&self, text: &str, out: &mut Vec<u32>) {
        for (offset, set) in &self.sets {
            super::work::add(text.len());
            let mut found = PatternSet::new(set.re.pattern_len());
            set.re
                .which_overlapping_matches(&Input::new(text), &mut found);
            out.extend(found.iter().map(|p| (offset + p.as_usize()) as u32));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_indices_and_ascii_sets_match_like_unicode_ones() {
        let mut src: Vec<String> = (0..600).map(|i| format!(r"(?i:\bword{i}\b)")).collect();
        src.push(r"(?i:\bstraße\b)".to_string());
        let p = Patterns::new(&src);
        let mut out = Vec::new();
        p.matches("a word7 and word599 here, strasse", &mut out);
        assert_eq!(out, [7, 599]);
        out.clear();
        p.matches("straße word300", &mut out);
        assert_eq!(out, [300, 600]);
        out.clear();
        p.matches("مرحبا word1x word2", &mut out);
        assert_eq!(out, [2]);
    }

    #[test]
    fn a_pattern_that_does_not_compile_leaves_the_rest_of_its_chunk_working() {
        let src: Vec<String> = ["(?i:\\bpin\\b)", "(?i:(unclosed)", "(?i:\\bcharge\\b)"]
            .map(String::from)
            .to_vec();
        let p = Patterns::new(&src);
        let mut out = Vec::new();
        p.matches("charge my pin", &mut out);
        assert_eq!(out, [0, 2]);
    }
}
