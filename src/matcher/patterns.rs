//! The knowledge base's regex patterns, compiled for matching user text
//! at a bounded cost.
//!
//! * **ASCII groups.** The patterns of a group of [`PATTERN_CHUNK`]
//!   (once compiled as one set each) that are all ASCII are matched
//!   byte-level without Unicode (`\b`, `\w`, `\d`, `\s` and case folding
//!   are ASCII). On text with non-ASCII letters, Unicode word boundaries
//!   make the regex engine leave its fast DFA for its slowest engine
//!   (64 KiB of Arabic or Hangul then cost milliseconds); ASCII boundaries
//!   keep it on the DFA, one pass over the text. For ASCII text the two
//!   agree; they differ only where a non-ASCII letter touches an ASCII
//!   one, which folded text of an ASCII-pattern knowledge base hardly
//!   has. A group with a non-ASCII pattern stays Unicode.
//! * **Literal prefilter, compiled on first use.** Each pattern is a
//!   regex of its own, compiled the first time a message could match it.
//!   At load every pattern is only parsed, for the set of literals one of
//!   which each of its matches must contain ([`literals`], e.g. `pin` for
//!   `\bpin\b.*\breset\b`); one Aho-Corasick scan of the folded text
//!   finds which patterns' literals occur, and only those patterns run.
//!   A set of 64 patterns as one lazy DFA (as `regex::RegexSet` builds
//!   it) cost the bundled knowledge base a 61 M-instruction compile at
//!   every start and, on a session's first few hundred messages, ~0.8 M
//!   instructions per message to grow its DFA states (every message
//!   built new combinations of the patterns' positions); one pattern's
//!   lazy DFA has few states, and a message reaches ~8 of the 104
//!   bundled patterns. Which patterns match does not change: a pattern
//!   matches exactly when its compiled regex (same syntax, same
//!   ASCII/Unicode choice, same engine options as the set had) matches.
//!
//! Patterns match the folded text, which is capped (see
//! [`crate::normalize::MAX_FOLDED_CHARS`]), so the scan is bounded too.

pub(crate) mod cache;
mod literals;

use aho_corasick::AhoCorasick;
use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::Hir;
use std::sync::OnceLock;

/// Patterns that share the ASCII-or-Unicode choice: a group whose
/// patterns are all ASCII (and parse as such) is matched byte-level
/// without Unicode, else with Unicode (as the sets of this many patterns
/// were compiled before).
pub const PATTERN_CHUNK: usize = 64;

/// One pattern: its source, its mode and its regex once compiled.
struct Pattern {
    source: String,
    /// `None`: the pattern does not parse and never matches.
    unicode: Option<bool>,
    /// Compiled on first use; `None` inside: it does not compile.
    re: OnceLock<Option<meta::Regex>>,
}

/// Compiled patterns; pattern `p` of the input list keeps index `p`.
pub(crate) struct Patterns {
    patterns: Vec<Pattern>,
    /// The literals of every pattern (deduplicated), ASCII case-insensitive.
    literals: Option<AhoCorasick>,
    /// Per literal of `literals`: its patterns, `owners[starts[l]..starts[l + 1]]`.
    starts: Vec<u32>,
    owners: Vec<u32>,
    /// Patterns without a required literal: they run on every text.
    always: Vec<u32>,
}

/// What loading needs to know of one pattern without compiling it: its
/// mode (`None`: it parses in neither mode and never matches; else
/// whether it is matched with Unicode) and the literals one of which each
/// of its matches contains (`None`: it runs on every text). This is what
/// the start-up cache keeps (`cache`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Analysis {
    pub unicode: Option<bool>,
    pub literals: Option<Vec<Vec<u8>>>,
}

/// Parses `sources` (see [`Patterns::new`]) for their modes and literals.
pub(crate) fn analyze(sources: &[String]) -> Vec<Analysis> {
    let mut out = Vec::with_capacity(sources.len());
    let mut push = |parsed: Option<(Hir, bool)>| {
        out.push(Analysis {
            literals: parsed.as_ref().and_then(|(h, _)| literals::required(h)),
            unicode: parsed.map(|(_, u)| u),
        });
    };
    for chunk in sources.chunks(PATTERN_CHUNK) {
        let ascii = chunk.iter().all(|p| p.is_ascii());
        let group = (if ascii { parse_all(chunk, false) } else { None })
            .map(|h| (h, false))
            .or_else(|| parse_all(chunk, true).map(|h| (h, true)));
        match group {
            Some((hirs, unicode)) => {
                for h in hirs {
                    push(Some((h, unicode)));
                }
            }
            None => {
                for p in chunk {
                    let one = (if p.is_ascii() { parse(p, false) } else { None })
                        .map(|h| (h, false))
                        .or_else(|| parse(p, true).map(|h| (h, true)));
                    push(one);
                }
            }
        }
    }
    out
}

impl Patterns {
    /// Parses `sources` (validated by the loader, already wrapped as the
    /// matcher wants them, e.g. `(?i:...)`) for their literals; they are
    /// compiled when first needed. A group of [`PATTERN_CHUNK`] patterns
    /// that does not parse as one (a pattern of a knowledge base built
    /// without the loader) chooses ASCII or Unicode pattern by pattern,
    /// and a pattern that parses in neither mode matches nothing.
    pub fn new(sources: &[String]) -> Self {
        Self::with_analysis(sources, &analyze(sources))
    }

    /// The patterns of `sources` with their [`analyze`] result `analysis`
    /// (one per source; computed now or read from the start-up cache).
    pub fn with_analysis(sources: &[String], analysis: &[Analysis]) -> Self {
        let patterns: Vec<Pattern> = sources
            .iter()
            .zip(analysis)
            .map(|(p, a)| Pattern {
                source: p.clone(),
                unicode: a.unicode,
                re: OnceLock::new(),
            })
            .collect();
        let required: Vec<_> = analysis.iter().map(|a| a.literals.as_ref()).collect();
        Self::with_literals(patterns, &required)
    }

    /// The prefilter over the patterns' `required` literals.
    fn with_literals(patterns: Vec<Pattern>, required: &[Option<&Vec<Vec<u8>>>]) -> Self {
        let mut by_literal: rustc_hash::FxHashMap<&[u8], Vec<u32>> = Default::default();
        let mut always = Vec::new();
        for (i, (p, r)) in patterns.iter().zip(required).enumerate() {
            match (p.unicode, r) {
                (None, _) => {}
                (Some(_), None) => always.push(i as u32),
                (Some(_), Some(set)) => {
                    for lit in set.iter() {
                        by_literal.entry(lit.as_slice()).or_default().push(i as u32);
                    }
                }
            }
        }
        let mut lits: Vec<(&[u8], Vec<u32>)> = by_literal.into_iter().collect();
        lits.sort_unstable();
        let mut starts = vec![0u32];
        let mut owners = Vec::new();
        for (_, o) in &lits {
            owners.extend_from_slice(o);
            starts.push(owners.len() as u32);
        }
        let literals = if lits.is_empty() {
            None
        } else {
            match AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(lits.iter().map(|(l, _)| l))
            {
                Ok(ac) => Some(ac),
                // Cannot happen for a few thousand short literals; if it
                // did, every pattern runs.
                Err(_) => {
                    always = (0..patterns.len() as u32)
                        .filter(|&i| patterns[i as usize].unicode.is_some())
                        .collect();
                    starts = vec![0];
                    owners.clear();
                    None
                }
            }
        };
        Patterns {
            patterns,
            literals,
            starts,
            owners,
            always,
        }
    }

    /// The regex of pattern `p`, compiled on first use, as
    /// `regex::RegexSetBuilder::new([source]).unicode(unicode)
    /// .size_limit(1 << 24).dfa_size_limit(1 << 24)` would (`regex::bytes`
    /// without Unicode), without the literal prefilter and with fewer
    /// engines (same matches).
    fn regex(&self, p: usize) -> Option<&meta::Regex> {
        let pat = &self.patterns[p];
        let unicode = pat.unicode?;
        pat.re
            .get_or_init(|| {
                // `regex`'s defaults (NFA size limit, lazy DFA cache) as
                // the two limits set them, and its set options.
                let config = meta::Config::new()
                    .nfa_size_limit(Some(1 << 24))
                    .hybrid_cache_capacity(1 << 24)
                    .match_kind(MatchKind::All)
                    .utf8_empty(unicode)
                    .which_captures(WhichCaptures::None)
                    .auto_prefilter(false)
                    // Only the lazy DFA (and the PikeVM it falls back
                    // on) answer "is there a match": building a full DFA
                    // for the smallest patterns, the one-pass DFA or the
                    // backtracker cost more than they save on short texts.
                    .dfa(false)
                    .onepass(false)
                    .backtrack(false);
                meta::Builder::new()
                    .configure(config)
                    .syntax(syntax_config(unicode))
                    .build(&pat.source)
                    .ok()
            })
            .as_ref()
    }

    /// Pushes the index of every pattern matching `text` onto `out`, ascending.
    pub fn matches(&self, text: &str, out: &mut Vec<u32>) {
        let n = self.patterns.len();
        if n == 0 {
            return;
        }
        // Candidates: a bit per pattern.
        let mut cand = vec![0u64; n.div_ceil(64)];
        for &p in &self.always {
            cand[p as usize / 64] |= 1 << (p % 64);
        }
        if let Some(ac) = &self.literals {
            super::work::add(text.len());
            for m in ac.find_overlapping_iter(text) {
                let l = m.pattern().as_usize();
                for &p in &self.owners[self.starts[l] as usize..self.starts[l + 1] as usize] {
                    cand[p as usize / 64] |= 1 << (p % 64);
                }
            }
        }
        for (w, &bits) in cand.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let p = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                super::work::add(text.len());
                if self
                    .regex(p)
                    .is_some_and(|re| re.is_match(Input::new(text)))
                {
                    out.push(p as u32);
                }
            }
        }
    }
}

/// The syntax the patterns are parsed and compiled with.
fn syntax_config(unicode: bool) -> syntax::Config {
    syntax::Config::new().unicode(unicode).utf8(unicode)
}

fn parse(p: &str, unicode: bool) -> Option<Hir> {
    syntax::parse_with(p, &syntax_config(unicode)).ok()
}

fn parse_all(chunk: &[String], unicode: bool) -> Option<Vec<Hir>> {
    chunk.iter().map(|p| parse(p, unicode)).collect()
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

    /// The bundled knowledge base's patterns match exactly as the pattern
    /// sets they replace (`regex::bytes::RegexSet` per chunk of
    /// [`PATTERN_CHUNK`], all ASCII) on every example, answer and title of
    /// the bundled intents, lower-cased, and on pairs of them joined.
    #[test]
    fn bundled_patterns_match_as_the_regex_sets_did() {
        let kb = crate::kb::KnowledgeBase::bundled().unwrap();
        let src: Vec<String> = kb
            .intents
            .iter()
            .flat_map(|d| d.patterns.iter().map(|p| format!("(?i:{p})")))
            .collect();
        assert!(src.len() > 64 && src.iter().all(|p| p.is_ascii()));
        let sets: Vec<regex::bytes::RegexSet> = src
            .chunks(PATTERN_CHUNK)
            .map(|c| {
                regex::bytes::RegexSetBuilder::new(c)
                    .unicode(false)
                    .size_limit(1 << 24)
                    .dfa_size_limit(1 << 24)
                    .build()
                    .unwrap()
            })
            .collect();
        let mut texts: Vec<String> = kb
            .intents
            .iter()
            .flat_map(|d| d.examples.iter().chain([&d.answer, &d.title]))
            .map(|t| t.to_lowercase())
            .collect();
        let joined: Vec<String> = texts.windows(2).map(|w| w.join(" ")).collect();
        texts.extend(joined);
        texts.extend(["".to_string(), "pin".to_string(), "ü pin ß".to_string()]);
        let p = Patterns::new(&src);
        let mut out = Vec::new();
        let mut matched = 0;
        for t in &texts {
            out.clear();
            p.matches(t, &mut out);
            let want: Vec<u32> = sets
                .iter()
                .enumerate()
                .flat_map(|(c, set)| {
                    set.matches(t.as_bytes())
                        .into_iter()
                        .map(move |i| (c * PATTERN_CHUNK + i) as u32)
                })
                .collect();
            assert_eq!(out, want, "{t:?}");
            matched += out.len();
        }
        assert!(matched > texts.len() / 2, "too few matches to compare");
    }
}
