//! Stage 3, rules: the author's keywords, required keywords and regex
//! patterns.
//!
//! Takes the [`Analysis`] (keywords match contiguous runs of the current
//! turn's non-stop terms; patterns match the folded text); gives `Hits`:
//! the matched keywords in the order found, each intent's raw keyword
//! evidence `Σ KEYWORD_UNIT · weight · specificity`, and the matching
//! patterns. `Rules::of` reads one intent's share of them: `k`, `p` and
//! whether a required keyword is missing (the inputs of the noisy-OR),
//! and `Rules::explain` the indices the trace names.

use super::analysis::Analysis;
use super::answers::Answers;
use super::calibration_cache::Key;
use super::combine::Coverage;
use super::index::Index;
use super::index::Keyword;
use super::patterns::{self, Patterns};
use crate::kb::KnowledgeBase;
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

/// The folded text of `a` with each typo-corrected word of the current
/// turn that is not everyday English replaced by its correction (words
/// are runs of letters and digits), or `None` when there is none.
fn fixed_text(a: &Analysis) -> Option<String> {
    let fixes: Vec<(&str, &str)> = a
        .tokens
        .iter()
        .filter(|t| t.current_content())
        .filter_map(|t| Some((t.corrected_from.as_deref()?, t.token.word.as_str())))
        // A real word is not read as another one here ("smart" fixed to
        // "start" would make "smart charge" a start-charging pattern's).
        .filter(|(from, to)| from != to && !crate::lexicon::english().is_everyday(from))
        .collect();
    if fixes.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(a.folded.len() + 8);
    let mut word_start = None;
    let flush = |out: &mut String, word: &str| {
        let fixed = fixes.iter().find(|f| f.0 == word).map_or(word, |f| f.1);
        out.push_str(fixed);
    };
    for (k, c) in a.folded.char_indices() {
        if c.is_alphanumeric() {
            word_start.get_or_insert(k);
        } else {
            if let Some(w) = word_start.take() {
                flush(&mut out, &a.folded[w..k]);
            }
            out.push(c);
        }
    }
    if let Some(w) = word_start {
        flush(&mut out, &a.folded[w..]);
    }
    Some(out)
}

/// Keyword evidence of one keyword of weight 1.0 and specificity 1.0.
pub const KEYWORD_UNIT: f32 = 0.5;

/// The compiled keywords and patterns.
pub(crate) struct Rules {
    keywords: Vec<Keyword>,
    kw_by_first: HashMap<String, Vec<u32>>,
    required: Vec<Vec<u32>>,
    patterns: Patterns,
    /// Per pattern of the set: (intent, index in the intent's `patterns`).
    pattern_owner: Vec<(u32, u32)>,
    /// Per pattern of the set: the words written literally in it
    /// ([`literal_words`]).
    pattern_words: Vec<Vec<String>>,
}

/// The words an author wrote literally in a regex pattern, folded as
/// utterances are ([`crate::normalize::fold_text`]), deduplicated: the
/// source with every escape (`\b`, `\s`, `\.`) removed, split at every
/// character that is not a letter or digit. `who\s+(made|built)\s+you`
/// gives `who`, `made`, `built`, `you`; a character class gives its
/// letters (harmless: one-letter words are no content words). When the
/// pattern matches, these words of the utterance are the author's own
/// words for the intent ([`super::combine::Coverage::credit_pattern`]).
pub(crate) fn literal_words(source: &str) -> Vec<String> {
    let mut plain = String::with_capacity(source.len());
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
            plain.push(' ');
        } else if c.is_alphanumeric() {
            plain.push(c);
        } else {
            plain.push(' ');
        }
    }
    let mut words: Vec<String> = crate::normalize::fold_text(&plain)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The compiled regex patterns of a knowledge base. They depend on nothing
/// but the intents' pattern sources, so [`super::Matcher::new`] may compile
/// them on a thread of their own (the largest single step of loading the
/// bundled knowledge base).
pub(crate) struct KbPatterns {
    set: Patterns,
    /// Per pattern of the set: (intent, index in the intent's `patterns`).
    owner: Vec<(u32, u32)>,
    /// Per pattern of the set: its [`literal_words`].
    words: Vec<Vec<String>>,
}

impl KbPatterns {
    /// Compiles every pattern of `kb`, in intent order: with `cache` (the
    /// start-up cache directory and the knowledge base's key), the
    /// patterns' analysis is read from it when there, else computed and
    /// written there (see `patterns::cache`); the result is the same.
    pub fn new(kb: &KnowledgeBase, cache: Option<(&Path, &Key)>) -> Self {
        let mut src = Vec::new();
        let mut owner = Vec::new();
        let mut words = Vec::new();
        for (ii, def) in kb.intents.iter().enumerate() {
            for (pi, p) in def.patterns.iter().enumerate() {
                src.push(format!("(?i:{p})"));
                owner.push((ii as u32, pi as u32));
                words.push(literal_words(p));
            }
        }
        let set = match cache {
            // Nothing to parse, nothing to keep.
            _ if src.is_empty() => Patterns::new(&src),
            None => Patterns::new(&src),
            Some((dir, key)) => {
                let analysis = patterns::cache::load(dir, key, src.len()).unwrap_or_else(|| {
                    let a = patterns::analyze(&src);
                    // A cache that cannot be written costs only the next parse.
                    let _ = patterns::cache::store(dir, key, &a);
                    a
                });
                Patterns::with_analysis(&src, &analysis)
            }
        };
        KbPatterns { set, owner, words }
    }
}

/// One intent's rule evidence, as the noisy-OR reads it.
pub(crate) struct RuleParts {
    /// Keyword evidence k, 0.0..=1.0.
    pub k: f32,
    /// Whether one of the intent's patterns matches.
    pub pattern: bool,
    /// Whether a required keyword is missing.
    pub missing: bool,
}

/// The rule facts the `/why` trace names for one intent.
pub(crate) struct RuleTrace {
    /// (index into the intent's `keywords`, evidence added to k).
    pub keywords: Vec<(usize, f32)>,
    /// Index of the first matching pattern in the intent's `patterns`.
    pub pattern: Option<usize>,
    /// Required keywords (indices into the intent's `keywords`) missing.
    pub missing_required: Vec<usize>,
    /// Answer-text terms found (see [`super::answers`]): (term, evidence added to k).
    pub answer_terms: Vec<(String, f32)>,
}

/// What the rules found in one utterance (scratch reused between
/// utterances; all zeros between calls).
#[derive(Default)]
pub(crate) struct Hits {
    /// Per intent: raw keyword evidence (not yet capped at 1).
    pub kw: Vec<f32>,
    /// Matched keywords (indices into [`Rules`]' list), in the order found.
    pub matched: Vec<u32>,
    /// Matching patterns (indices into the set), ascending.
    pub patterns: Vec<u32>,
    /// Intents with rule evidence, in the order found (may repeat).
    pub intents: Vec<u32>,
    /// Answer-text hits (see [`super::answers`]): (intent, term, evidence).
    pub answers: Vec<(u32, String, f32)>,
}

impl Hits {
    /// Makes room for `n` intents.
    pub fn fit(&mut self, n: usize) {
        if self.kw.len() < n {
            self.kw.resize(n, 0.0);
        }
    }

    /// Back to all zeros.
    pub fn reset(&mut self) {
        for &i in &self.intents {
            self.kw[i as usize] = 0.0;
        }
        self.intents.clear();
        self.answers.clear();
        self.matched.clear();
        self.patterns.clear();
    }
}

fn keyword_evidence(k: &Keyword) -> f32 {
    KEYWORD_UNIT * k.weight * k.specificity.max(0.05)
}

impl Rules {
    /// Indexes the compiled keywords by first term; `patterns` are the
    /// knowledge base's, compiled by [`KbPatterns::new`].
    pub fn new(keywords: Vec<Keyword>, required: Vec<Vec<u32>>, patterns: KbPatterns) -> Self {
        let mut kw_by_first: HashMap<String, Vec<u32>> = HashMap::default();
        for (i, k) in keywords.iter().enumerate() {
            kw_by_first
                .entry(k.terms[0].clone())
                .or_default()
                .push(i as u32);
        }
        Rules {
            keywords,
            kw_by_first,
            required,
            patterns: patterns.set,
            pattern_owner: patterns.owner,
            pattern_words: patterns.words,
        }
    }

    /// The compiled keywords and each intent's required keywords, as
    /// [`Rules::new`] took them.
    pub fn keywords(&self) -> (&[Keyword], &[Vec<u32>]) {
        (&self.keywords, &self.required)
    }

    /// Adds the answer-text terms of `a` found by `answers` to the keyword
    /// evidence (into `out`, after [`Rules::find`]).
    pub fn find_answers(&self, answers: &Answers, a: &Analysis, out: &mut Hits) {
        answers.find(a, |i, term, ev| {
            out.intents.push(i);
            out.kw[i as usize] += ev;
            out.answers.push((i, term.to_string(), ev));
        });
    }

    /// Finds the keywords and patterns of `a` (into `out`, which is all zeros).
    pub fn find(&self, a: &Analysis, out: &mut Hits) {
        // No keyword can match without keywords (an imported FAQ sheet):
        // the content terms are not even collected then.
        if !self.kw_by_first.is_empty() {
            self.find_keywords(a, out);
        }
        if !self.pattern_owner.is_empty() && !a.folded.is_empty() {
            let from = out.patterns.len();
            self.patterns.matches(&a.folded, &mut out.patterns);
            // The text with the typo fixes applied, too: the author's
            // pattern names the word the customer meant ("delete my acount"
            // missed the delete-account pattern, and an out-of-scope
            // example about another product's account won).
            if let Some(fixed) = fixed_text(a) {
                let mut found = out.patterns.split_off(from);
                self.patterns.matches(&fixed, &mut found);
                found.sort_unstable();
                found.dedup();
                out.patterns.extend(found);
            }
            for &pi in &out.patterns[from..] {
                out.intents.push(self.pattern_owner[pi as usize].0);
            }
        }
    }

    /// The keyword part of [`Rules::find`]: every keyword whose terms
    /// the current turn's content terms hold in a row.
    fn find_keywords(&self, a: &Analysis, out: &mut Hits) {
        let terms: Vec<&str> = a
            .tokens
            .iter()
            .filter(|t| t.current_content())
            .map(|t| t.token.term.as_str())
            .collect();
        for (pos, t) in terms.iter().enumerate() {
            for &ki in self.kw_by_first.get(*t).into_iter().flatten() {
                let k = &self.keywords[ki as usize];
                if terms.len() - pos >= k.terms.len()
                    && k.terms.iter().zip(&terms[pos..]).all(|(a, b)| a == b)
                    && !out.matched.contains(&ki)
                {
                    out.matched.push(ki);
                }
            }
        }
        for &ki in &out.matched {
            let k = &self.keywords[ki as usize];
            out.intents.push(k.intent);
            out.kw[k.intent as usize] += keyword_evidence(k);
        }
    }

    /// Credits each matching pattern's literal words ([`literal_words`])
    /// to its intent's coverage (see [`Coverage::credit_pattern`]); call
    /// after [`Rules::find`] and [`Coverage::measure`].
    pub fn credit_patterns(
        &self,
        ix: &Index,
        answers: &Answers,
        a: &Analysis,
        h: &Hits,
        cover: &mut Coverage,
    ) {
        for &p in &h.patterns {
            let (i, _) = self.pattern_owner[p as usize];
            cover.credit_pattern(ix, answers, a, i, &self.pattern_words[p as usize]);
        }
    }

    /// The intent that owns matching pattern `p` (from [`Hits::patterns`]).
    pub fn pattern_intent(&self, p: u32) -> u32 {
        self.pattern_owner[p as usize].0
    }

    /// Intent `i`'s keyword evidence k, pattern match and missing required keyword.
    // Always inlined: ~29 calls a line from the pipeline, which a plain
    // `#[inline]` left out of line there (see `combine::confidence`).
    #[inline(always)]
    pub fn of(&self, i: usize, h: &Hits) -> RuleParts {
        RuleParts {
            k: h.kw[i].min(1.0),
            pattern: h
                .patterns
                .iter()
                .any(|&p| self.pattern_owner[p as usize].0 as usize == i),
            missing: self.required[i].iter().any(|ki| !h.matched.contains(ki)),
        }
    }

    /// Which of intent `i`'s keywords and patterns matched, and which
    /// required keywords are missing.
    pub fn explain(&self, i: usize, h: &Hits) -> RuleTrace {
        // A list is collected only from a source that has entries: most
        // lines match no keyword and no answer term, and most intents
        // require no keyword (a collect of nothing was still a call of its
        // own in a build without link-time optimisation). The lists are
        // the same.
        let keywords = if h.matched.is_empty() {
            Vec::new()
        } else {
            h.matched
                .iter()
                .map(|&ki| &self.keywords[ki as usize])
                .filter(|k| k.intent as usize == i)
                .map(|k| (k.index as usize, keyword_evidence(k)))
                .collect()
        };
        let required = &self.required[i];
        let missing_required = if required.is_empty() {
            Vec::new()
        } else {
            required
                .iter()
                .filter(|ki| !h.matched.contains(ki))
                .map(|&ki| self.keywords[ki as usize].index as usize)
                .collect()
        };
        let answer_terms = if h.answers.is_empty() {
            Vec::new()
        } else {
            h.answers
                .iter()
                .filter(|h| h.0 as usize == i)
                .map(|h| (h.1.clone(), h.2))
                .collect()
        };
        RuleTrace {
            keywords,
            pattern: h
                .patterns
                .iter()
                .map(|&p| self.pattern_owner[p as usize])
                .find(|(owner, _)| *owner as usize == i)
                .map(|(_, pi)| pi as usize),
            missing_required,
            answer_terms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::literal_words;

    #[test]
    fn literal_words_are_what_the_author_wrote_without_regex_syntax() {
        assert_eq!(
            literal_words(r"^\s*who\s+(made|built|Created)\s+you\b"),
            ["built", "created", "made", "who", "you"]
        );
        // Escapes are no letters: `\bpin\b` is "pin", not "bpinb".
        assert_eq!(literal_words(r"\bpin\b.*\breset\b"), ["pin", "reset"]);
        assert_eq!(literal_words(r"[0-9]+\s*km"), ["0", "9", "km"]);
        assert!(literal_words(r"\d+\s*\.\s*").is_empty());
    }
}
