//! The compiled matcher: scores an utterance against every intent.
//!
//! # The formula
//!
//! Built once per knowledge base; every statistic below is derived from
//! the knowledge base alone, deterministically, when it is loaded. There
//! is no model file and no training step to run.
//!
//! * **Features** ([`features`]): each example (an intent's title counts as
//!   one more example) and each utterance is a bag of word unigrams (stop
//!   words weigh less) and bigrams of adjacent words, after normalisation
//!   and typo correction; a rare word (one at most one example uses, or
//!   an unknown one: typically a name) also counts as the class `<rare>`,
//!   which stands for it in its bigrams.
//! * **idf(f)** = ln((1 + E) / (1 + df)) + 1 over the E examples. Vectors are
//!   tf-idf, scaled to unit length. Words the knowledge base has never seen
//!   count towards an utterance's length with the highest idf, so unknown
//!   words dilute every intent's evidence (their `<rare>` class is a known
//!   feature like any other).
//! * **Word weights** ([`linear`]): a weight `w[f][i]` per feature and
//!   intent, set from the examples by a deterministic averaged perceptron:
//!   positive for words that speak for an intent, negative for words that
//!   speak for a rival it is confused with. In knowledge bases of more
//!   than [`linear::COMMON_MIN_INTENTS`] intents, a feature used by more
//!   than [`linear::COMMON_SHARE`] of them carries no weight (it still
//!   counts in the vector's length, the nearest example and coverage).
//! * **Word scale** m: the typical word evidence of a correctly matched
//!   utterance the weights have not learned from, measured while they are
//!   learned (progressive validation, see [`Matcher::word_scale`]). It
//!   makes word evidence comparable across knowledge bases, so that one
//!   threshold fits all.
//!
//! Per utterance `u` with unit feature vector `x`, for each candidate intent
//! `i` (found through inverted indexes: the [`WORD_CANDIDATES`] intents
//! with the most word evidence, and every intent with keyword, pattern or
//! exact-example evidence; the cost grows with the postings of the
//! utterance's features and the examples of a few candidates, not with the
//! number of examples):
//!
//! 1. **word evidence** `l = Σ_f x_f · w[f][i]` (each term is one named
//!    contribution) and its calibrated form
//!    `e = 1 − exp(−WORD_GAIN · max(l, 0) / m)` in 0.0..=1.0.
//! 2. **nearest example** `n`: the highest cosine between `x` and one of
//!    the intent's examples, computed for the [`NEAREST_CANDIDATES`]
//!    intents with the best evidence without it; an utterance equal to an
//!    example after normalisation has `n = 1`.
//! 3. **similarity** `s = NEAREST_SHARE · n + (1 − NEAREST_SHARE) · e`,
//!    or 1 for an exact example.
//! 4. **keywords** `k = min(1, Σ KEYWORD_UNIT · weight · specificity)` over
//!    the intent's keywords that occur (contiguously, among non-stop
//!    terms), where specificity(t) = ln((N + 1) / n_t) / ln(N + 1) is 1.0
//!    for a word only one of the N intents uses and near 0.0 for a word all
//!    use.
//! 5. **pattern** `p = 1` when one of the intent's regexes matches the
//!    folded utterance.
//!
//! The confidence combines them as a noisy-OR, which keeps it in
//! 0.0..=1.0 and gives every source a named, positive contribution:
//!
//! ```text
//! c₁ = s
//! c₂ = c₁ + (1 − c₁) · KEYWORD_GAIN · k
//! c₃ = c₂ + (1 − c₂) · PATTERN_GAIN · p
//! c₄ = c₃ · REQUIRED_PENALTY   if a required keyword is missing, else c₃
//! c₅ = c₄ · (COVERAGE_FLOOR + (1 − COVERAGE_FLOOR) · coverage)
//! c  = c₅ · (FAMILIARITY_FLOOR + (1 − FAMILIARITY_FLOOR) · familiarity)
//! ```
//!
//! where *coverage* is the idf-weighted share of the utterance's known
//! content words that the intent's examples or keywords use at all, and
//! *familiarity* the idf-weighted share of its content words that the
//! knowledge base knows at all (the same for every intent, so it lowers
//! confidence without changing the ranking): an utterance about "Netflix
//! passwords" is only partly explained by the PIN-reset intent, and
//! "Netflix" is a word the knowledge base has never seen. The word part of `c₁`,
//! `(1 − NEAREST_SHARE) · e`, is split among the features in proportion
//! to their terms `x_f · w[f][i]` of `l`; `/why` lists them.
//!
//! Ties in confidence break by intent id (ascending), so rankings are
//! deterministic.

pub mod features;
pub mod linear;
pub mod typo;

pub use features::{BIGRAM_WEIGHT, STOP_WEIGHT};
pub use typo::{CORRECTED_WEIGHT, MIN_TYPO_LEN};

use crate::kb::{compile_pattern, KnowledgeBase};
use crate::normalize::{Normalizer, Token};
use crate::schema::IntentKind;
use features::Space;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;
use typo::Typos;

/// Share of the nearest example in the similarity; the rest is word evidence.
pub const NEAREST_SHARE: f32 = 0.35;
/// Word evidence l equal to the word scale m gives e = 1 − exp(−WORD_GAIN).
pub const WORD_GAIN: f32 = 1.2;
/// How many candidate intents (best by evidence without it) get their
/// nearest example computed.
pub const NEAREST_CANDIDATES: usize = 3;
/// How many intents with the most word evidence are scored in full (all
/// intents with keyword, pattern or exact-example evidence are, too).
pub const WORD_CANDIDATES: usize = 24;
/// Keyword evidence of one keyword of weight 1.0 and specificity 1.0.
pub const KEYWORD_UNIT: f32 = 0.5;
/// How much of the remaining distance to 1.0 full keyword evidence closes.
pub const KEYWORD_GAIN: f32 = 0.6;
/// How much of the remaining distance to 1.0 a matching pattern closes.
pub const PATTERN_GAIN: f32 = 0.5;
/// Factor applied when a required keyword is missing.
pub const REQUIRED_PENALTY: f32 = 0.25;
/// Weight of the previous turn's words when a short follow-up is read in context.
pub const CONTEXT_WEIGHT: f32 = 0.5;
/// The coverage factor's floor: an intent that explains none of the
/// utterance's known content words keeps this share of its confidence.
pub const COVERAGE_FLOOR: f32 = 0.4;
/// The familiarity factor's floor: an utterance of words the knowledge base
/// has never seen keeps this share of its confidence.
pub const FAMILIARITY_FLOOR: f32 = 0.4;

/// Lower bound of [`Matcher::typical_familiarity`].
pub const MIN_TYPICAL_FAMILIARITY: f32 = 0.25;

/// The steps of one intent's confidence.
struct Steps {
    c: f32,
    steps: [f32; 5],
    e: f32,
    coverage: f32,
    familiarity: f32,
}

/// An utterance after normalisation and typo correction.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// The folded text (what patterns are matched on).
    pub folded: String,
    /// Tokens in order, each with its weight and any typo correction.
    pub tokens: Vec<QueryToken>,
}

/// One token of an analysed utterance.
#[derive(Clone, Debug)]
pub struct QueryToken {
    /// The normalised token (after correction, if any).
    pub token: Token,
    /// The word as typed, when typo correction replaced it.
    pub corrected_from: Option<String>,
    /// 1.0 for the current turn, [`CONTEXT_WEIGHT`] for context words,
    /// [`CORRECTED_WEIGHT`] for corrected typos.
    pub weight: f32,
    /// Whether the knowledge base knows this term.
    pub known: bool,
}

/// Why an intent got its confidence: the named, additive contributions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evidence {
    /// The nearest example (index into [`Matcher::example`]) and its cosine
    /// (0.0..=1.0); `None` when not computed or no example shares a feature.
    pub nearest: Option<(usize, f32)>,
    /// Word evidence l (unbounded; about [`Matcher::word_scale`] for a
    /// typical right match).
    pub word_score: f32,
    /// Calibrated word evidence e, 0.0..=1.0.
    pub words: f32,
    /// Each feature's share of the similarity's word part: (feature id for
    /// [`Matcher::feature_name`], contribution to the confidence before the
    /// keyword, pattern, penalty and coverage steps), largest magnitude
    /// first. They sum to `(1 − NEAREST_SHARE) · words`.
    pub features: Vec<(u32, f32)>,
    /// The similarity s, 0.0..=1.0.
    pub similarity: f32,
    /// Matched keywords: (index into the intent's `keywords`, evidence added to k).
    pub keywords: Vec<(usize, f32)>,
    /// Keyword evidence k, 0.0..=1.0.
    pub keyword_score: f32,
    /// Index of the first matching pattern in the intent's `patterns`.
    pub pattern: Option<usize>,
    /// Required keywords (indices into the intent's `keywords`) that are missing.
    pub missing_required: Vec<usize>,
    /// Share (0.0..=1.0, idf-weighted) of the utterance's known content
    /// words that the intent's examples and keywords use.
    pub coverage: f32,
    /// Share (0.0..=1.0, idf-weighted) of the utterance's content words
    /// that the knowledge base knows at all (the same for every intent).
    pub familiarity: f32,
    /// Confidence added by similarity, keywords and pattern, then the
    /// (negative) changes from the required-keyword penalty, the coverage
    /// factor and the familiarity factor; they sum to the confidence.
    pub contributions: [f32; 6],
}

/// One ranked intent.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    /// Index of the intent in [`KnowledgeBase::intents`].
    pub intent: usize,
    /// Confidence in 0.0..=1.0.
    pub confidence: f32,
    /// How the confidence was reached.
    pub evidence: Evidence,
}

#[derive(Clone, Debug)]
struct Keyword {
    intent: u32,
    index: u32,
    terms: Vec<String>,
    weight: f32,
    specificity: f32,
}

/// Per-thread scratch space. Invariant between calls: every per-intent
/// and per-feature array is all zeros (entries used are reset at the end).
#[derive(Default)]
struct Scratch {
    lin: Vec<f32>,
    seen: Vec<bool>,
    touched: Vec<u32>,
    kw: Vec<f32>,
    cov: Vec<f32>,
    cov_touched: Vec<u32>,
    near: Vec<(f32, u32)>,
    qdense: Vec<f32>,
    q: Vec<(u32, f32)>,
    pat: Vec<u32>,
    matched_kw: Vec<u32>,
    cand: Vec<(f32, u32)>,
    known_mass: f32,
    unknown_mass: f32,
    is_cand: Vec<bool>,
    ex_dot: Vec<f32>,
    buf: String,
}

impl Scratch {
    fn fit(&mut self, n_intents: usize, n_features: usize) {
        if self.lin.len() < n_intents {
            self.lin.resize(n_intents, 0.0);
            self.seen.resize(n_intents, false);
            self.kw.resize(n_intents, 0.0);
            self.cov.resize(n_intents, 0.0);
            self.near.resize(n_intents, (0.0, u32::MAX));
            self.is_cand.resize(n_intents, false);
        }
        if self.qdense.len() < n_features {
            self.qdense.resize(n_features, 0.0);
        }
    }

    fn touch(&mut self, i: u32) {
        if !self.seen[i as usize] {
            self.seen[i as usize] = true;
            self.touched.push(i);
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The compiled, immutable matcher for one knowledge base. `Send + Sync`.
pub struct Matcher {
    norm: Normalizer,
    n_intents: usize,
    space: Space,
    idf: Vec<f32>,
    specificity: Vec<f32>,
    unknown_idf: f32,
    /// Per feature: the intents whose examples or keywords use it.
    owners: Vec<Vec<u32>>,
    /// Per feature: (intent, weight), sorted by intent.
    weights: Vec<Vec<(u32, f32)>>,
    word_scale: f32,
    typical_familiarity: f32,
    /// Per feature: (example, value in the example's unit vector), by example.
    ex_post: Vec<Vec<(u32, f32)>>,
    /// Per feature: (intent, range of `ex_post[f]` holding its examples), by intent.
    ex_ranges: Vec<Vec<(u32, u32, u32)>>,
    /// Examples of intent i: `int_start[i]..int_start[i + 1]`.
    int_start: Vec<u32>,
    ex_intent: Vec<u32>,
    ex_text: Vec<String>,
    exact: HashMap<String, u32>,
    keywords: Vec<Keyword>,
    kw_by_first: HashMap<String, Vec<u32>>,
    required: Vec<Vec<u32>>,
    patterns: regex::RegexSet,
    pattern_owner: Vec<(u32, u32)>,
    typos: Typos,
    /// Every word of the examples and keywords, normalised once.
    word_tokens: HashMap<String, Token>,
    /// Per feature: whether it is the term of a rare word (see [`features`]).
    rare: Vec<bool>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("intents", &self.n_intents)
            .field("examples", &self.ex_text.len())
            .field("features", &self.idf.len())
            .field("word_scale", &self.word_scale)
            .finish()
    }
}

/// See [`Matcher::typical_familiarity`]; at least [`MIN_TYPICAL_FAMILIARITY`].
fn typical_familiarity(
    ex_content: &[Vec<u32>],
    df: &[u32],
    idf: &[f32],
    unknown_idf: f32,
    keywords: &[Keyword],
    space: &Space,
) -> f32 {
    let mut keyword_term = vec![false; idf.len()];
    for k in keywords {
        for t in &k.terms {
            if let Some(f) = space.get(t) {
                keyword_term[f as usize] = true;
            }
        }
    }
    let (mut sum, mut n) = (0.0f64, 0usize);
    for content in ex_content.iter().filter(|c| !c.is_empty()) {
        let (mut known, mut unknown) = (0.0f32, 0.0f32);
        for &f in content {
            // Held out, a word only this example uses would be unknown.
            if df[f as usize] > 1 || keyword_term[f as usize] {
                known += idf[f as usize];
            } else {
                unknown += unknown_idf;
            }
        }
        sum += f64::from(known / (known + unknown));
        n += 1;
    }
    if n == 0 {
        return 1.0;
    }
    ((sum / n as f64) as f32).clamp(MIN_TYPICAL_FAMILIARITY, 1.0)
}

/// Unit-length tf-idf vector of an example's features.
fn unit(mut feats: Vec<(u32, f32)>, idf: &[f32]) -> Vec<(u32, f32)> {
    for (f, w) in &mut feats {
        *w *= idf[*f as usize];
    }
    let n = feats.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if n > 0.0 {
        for (_, w) in &mut feats {
            *w /= n;
        }
    }
    feats
}

impl Matcher {
    /// Compiles the matcher for a validated knowledge base. Cost: linear in
    /// the total size of examples and keywords, times the few passes of the
    /// word-weight learning ([`linear`]).
    pub fn new(kb: &KnowledgeBase) -> Self {
        let s = &kb.settings;
        let norm = Normalizer::new(&s.language, &s.synonyms);
        let n_intents = kb.intents.len();

        // Examples, intent by intent; the title counts as one more example.
        let mut ex_text = Vec::new();
        let mut ex_intent = Vec::new();
        let mut int_start = Vec::with_capacity(n_intents + 1);
        let mut vocab: HashMap<String, u32> = HashMap::default();
        let mut exact = HashMap::default();
        let mut word_tokens: HashMap<String, Token> = HashMap::default();
        let mut space = Space::default();
        let mut ex_raw: Vec<Vec<(u32, f32)>> = Vec::new();
        let mut ex_content: Vec<Vec<u32>> = Vec::new();
        let mut buf = String::new();
        // Tokens of every example and the ids of its content terms; then
        // the rare terms (see `features`): used by at most one example and
        // by no keyword.
        let mut ex_tokens: Vec<Vec<Token>> = Vec::new();
        let mut term_df: Vec<u32> = Vec::new();
        let mut kw_terms: HashSet<String> = HashSet::default();
        for (ii, def) in kb.intents.iter().enumerate() {
            int_start.push(ex_text.len() as u32);
            let texts = std::iter::once(&def.title)
                .filter(|t| !t.trim().is_empty())
                .chain(def.examples.iter());
            for text in texts {
                let folded = norm.fold(text);
                let tokens: Vec<Token> = folded
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(|w| {
                        word_tokens
                            .entry(w.to_string())
                            .or_insert_with(|| norm.token(w))
                            .clone()
                    })
                    .collect();
                if tokens.is_empty() {
                    continue;
                }
                let mut content = Vec::with_capacity(tokens.len());
                for t in &tokens {
                    *vocab.entry(t.word.clone()).or_default() += 1;
                    if !t.stop {
                        let f = space.intern(&t.term);
                        if term_df.len() <= f as usize {
                            term_df.resize(f as usize + 1, 0);
                        }
                        if !content.contains(&f) {
                            term_df[f as usize] += 1;
                        }
                        content.push(f);
                    }
                }
                ex_content.push(content);
                exact.entry(folded).or_insert(ex_text.len() as u32);
                ex_text.push(text.clone());
                ex_intent.push(ii as u32);
                ex_tokens.push(tokens);
            }
            for k in &def.keywords {
                kw_terms.extend(norm.tokens(k.word()).into_iter().map(|t| t.term));
            }
        }
        let rare_id = |f: u32| {
            term_df.get(f as usize).is_none_or(|&n| n <= 1) && !kw_terms.contains(space.name(f))
        };
        let rare_ex: Vec<Vec<bool>> = ex_content
            .iter()
            .map(|c| c.iter().map(|&f| rare_id(f)).collect())
            .collect();
        for (e, (tokens, rare)) in ex_tokens.iter().zip(&rare_ex).enumerate() {
            // An out-of-scope intent's examples are unrelated questions,
            // every word of them once-used: they would teach the class
            // "unfamiliar word → out of scope" instead of where names sit.
            let oos = kb.intents[ex_intent[e] as usize].kind == IntentKind::OutOfScope;
            let mut content_rare = rare.iter();
            let weighted: Vec<features::Weighted<'_>> = tokens
                .iter()
                .map(|t| {
                    (
                        t,
                        1.0,
                        !t.stop && content_rare.next() == Some(&true) && !oos,
                    )
                })
                .collect();
            let mut feats = Vec::with_capacity(tokens.len() * 2);
            features::for_each(&weighted, &mut buf, |f, w, _| {
                feats.push((space.intern(f), w));
            });
            features::merge(&mut feats);
            ex_raw.push(feats);
        }
        drop(ex_tokens);
        int_start.push(ex_text.len() as u32);

        // Keywords.
        let mut keywords = Vec::new();
        let mut required = vec![Vec::new(); n_intents];
        for (ii, def) in kb.intents.iter().enumerate() {
            for (ki, k) in def.keywords.iter().enumerate() {
                let toks = norm.tokens(k.word());
                for t in &toks {
                    *vocab.entry(t.word.clone()).or_default() += 1;
                }
                let content: Vec<String> = toks
                    .iter()
                    .filter(|t| !t.stop)
                    .map(|t| t.term.clone())
                    .collect();
                let terms = if content.is_empty() {
                    toks.iter().map(|t| t.term.clone()).collect()
                } else {
                    content
                };
                if terms.is_empty() {
                    continue;
                }
                if k.required() {
                    required[ii].push(keywords.len() as u32);
                }
                keywords.push(Keyword {
                    intent: ii as u32,
                    index: ki as u32,
                    terms,
                    weight: k.weight(),
                    specificity: 0.0,
                });
            }
        }

        // Document frequencies, owners, idf, specificity.
        for k in &keywords {
            for term in &k.terms {
                space.intern(term);
            }
        }
        let n_feat = space.len();
        let rare: Vec<bool> = (0..n_feat as u32)
            .map(|f| {
                (f as usize) < term_df.len() && term_df[f as usize] <= 1 && {
                    let name = space.name(f);
                    !name.contains(' ') && name != features::RARE && !kw_terms.contains(name)
                }
            })
            .collect();
        let mut df = vec![0u32; n_feat];
        let mut owners: Vec<Vec<u32>> = vec![Vec::new(); n_feat];
        for (e, feats) in ex_raw.iter().enumerate() {
            for &(f, _) in feats {
                df[f as usize] += 1;
                let o = &mut owners[f as usize];
                if o.last() != Some(&ex_intent[e]) {
                    o.push(ex_intent[e]);
                }
            }
        }
        for k in &keywords {
            for term in &k.terms {
                let o = &mut owners[space.get(term).expect("interned") as usize];
                if !o.contains(&k.intent) {
                    o.push(k.intent);
                    o.sort_unstable();
                }
            }
        }
        let n_ex = ex_raw.len() as f32;
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| ((1.0 + n_ex) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        let unknown_idf = (1.0 + n_ex).ln() + 1.0;
        let typical_familiarity =
            typical_familiarity(&ex_content, &df, &idf, unknown_idf, &keywords, &space);
        let denom = ((n_intents + 1) as f32).ln().max(f32::MIN_POSITIVE);
        let specificity: Vec<f32> = owners
            .iter()
            .map(|o| {
                let n = o.len().max(1) as f32;
                (((n_intents + 1) as f32 / n).ln() / denom).clamp(0.0, 1.0)
            })
            .collect();
        for k in &mut keywords {
            k.specificity = k
                .terms
                .iter()
                .map(|t| specificity[space.get(t).expect("interned") as usize])
                .fold(0.0, f32::max);
        }

        // Unit vectors, word weights, word scale.
        let ex_vecs: Vec<Vec<(u32, f32)>> = ex_raw.into_iter().map(|f| unit(f, &idf)).collect();
        // The learning leaves common features out (see `linear`).
        let common: Vec<bool> = owners
            .iter()
            .map(|o| linear::is_common(o.len(), n_intents))
            .collect();
        let pruned: Vec<Vec<(u32, f32)>> = if common.contains(&true) {
            ex_vecs
                .iter()
                .map(|x| {
                    x.iter()
                        .copied()
                        .filter(|&(f, _)| !common[f as usize])
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        };
        let train_x = if pruned.is_empty() { &ex_vecs } else { &pruned };
        let samples: Vec<linear::Sample<'_>> = train_x
            .iter()
            .zip(&ex_intent)
            .map(|(x, &y)| linear::Sample { x, y })
            .collect();
        let mut progress = Vec::new();
        let weights = linear::train_with_progress(&samples, n_feat, n_intents, &mut progress);
        let word_scale = linear::typical_score(progress);
        let mut ex_post: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n_feat];
        let mut ex_ranges: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); n_feat];
        for (e, v) in ex_vecs.iter().enumerate() {
            let i = ex_intent[e];
            for &(f, x) in v {
                let (post, ranges) = (&mut ex_post[f as usize], &mut ex_ranges[f as usize]);
                match ranges.last_mut() {
                    Some(r) if r.0 == i => r.2 += 1,
                    _ => ranges.push((i, post.len() as u32, post.len() as u32 + 1)),
                }
                post.push((e as u32, x));
            }
        }

        let mut kw_by_first: HashMap<String, Vec<u32>> = HashMap::default();
        for (i, k) in keywords.iter().enumerate() {
            kw_by_first
                .entry(k.terms[0].clone())
                .or_default()
                .push(i as u32);
        }

        // Patterns (already validated by the loader).
        let mut pattern_src = Vec::new();
        let mut pattern_owner = Vec::new();
        for (ii, def) in kb.intents.iter().enumerate() {
            for (pi, p) in def.patterns.iter().enumerate() {
                if compile_pattern(p).is_ok() {
                    pattern_src.push(format!("(?i:{p})"));
                    pattern_owner.push((ii as u32, pi as u32));
                }
            }
        }
        let patterns = regex::RegexSetBuilder::new(&pattern_src)
            .size_limit(1 << 24)
            .dfa_size_limit(1 << 24)
            .build()
            .unwrap_or_else(|_| regex::RegexSet::empty());

        for w in vocab.keys() {
            if !word_tokens.contains_key(w) {
                word_tokens.insert(w.clone(), norm.token(w));
            }
        }
        let typos = Typos::new(vocab);
        Matcher {
            rare,
            typos,
            word_tokens,
            norm,
            n_intents,
            space,
            idf,
            specificity,
            unknown_idf,
            owners,
            weights,
            word_scale,
            typical_familiarity,
            ex_post,
            ex_ranges,
            int_start,
            ex_intent,
            ex_text,
            exact,
            keywords,
            kw_by_first,
            required,
            patterns,
            pattern_owner,
        }
    }

    /// The normaliser built from the knowledge base's language and synonyms.
    pub fn normalizer(&self) -> &Normalizer {
        &self.norm
    }

    /// Number of examples indexed (titles included).
    pub fn example_count(&self) -> usize {
        self.ex_text.len()
    }

    /// Number of distinct features (unigrams and bigrams) of the examples and keywords.
    pub fn feature_count(&self) -> usize {
        self.space.len()
    }

    /// The text of example `i` and the index of its intent.
    pub fn example(&self, i: usize) -> (&str, usize) {
        (&self.ex_text[i], self.ex_intent[i] as usize)
    }

    /// The text of a feature: a term (`"refund"`) or a bigram (`"reset pin"`).
    pub fn feature_name(&self, id: u32) -> &str {
        self.space.name(id)
    }

    /// The word scale m (> 0.0): the median word evidence l of the right
    /// intent for examples scored before they were learned from (see
    /// the [`linear`] module).
    pub fn word_scale(&self) -> f32 {
        self.word_scale
    }

    /// The typical familiarity (0.0..=1.0] of an utterance the knowledge
    /// base has not seen: the mean, over the examples, of the idf-weighted
    /// share of an example's content words that other examples (or
    /// keywords) use too. Familiarity is measured relative to it, so that
    /// knowledge bases full of names (stations, products) do not treat
    /// every new name as a sign of an unrelated question.
    pub fn typical_familiarity(&self) -> f32 {
        self.typical_familiarity
    }

    /// Specificity (0.0..=1.0) of a term across intents; 1.0 for unknown terms.
    pub fn specificity(&self, term: &str) -> f32 {
        self.space
            .get(term)
            .map_or(1.0, |f| self.specificity[f as usize])
    }

    /// Normalises `text` and corrects typos against the knowledge base's vocabulary.
    pub fn analyze(&self, text: &str) -> Analysis {
        let folded = self.norm.fold(text);
        let mut raw: Vec<Token> = folded
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| match self.word_tokens.get(w) {
                Some(t) => t.clone(),
                None => self.norm.token(w),
            })
            .collect();
        // Compounds typed apart ("finger print") are read as the known
        // word ("fingerprint"), unless the knowledge base itself writes
        // them apart ("top up" next to "topup").
        let mut i = 0;
        while i + 1 < raw.len() {
            if !raw[i].stop {
                let joined = format!("{}{}", raw[i].word, raw[i + 1].word);
                if let Some(t) = self.word_tokens.get(&joined) {
                    let apart = format!("{} {}", raw[i].term, raw[i + 1].term);
                    if self.space.get(&apart).is_none() {
                        raw[i] = t.clone();
                        raw.remove(i + 1);
                    }
                }
            }
            i += 1;
        }
        let tokens = raw
            .into_iter()
            .map(|t| {
                let known =
                    self.word_tokens.contains_key(&t.word) || self.space.get(&t.term).is_some();
                self.typos.correct(&self.norm, t, known)
            })
            .collect();
        Analysis { folded, tokens }
    }

    /// Adds the previous turn's words to `a` at [`CONTEXT_WEIGHT`], for
    /// reading a short follow-up ("and on my Apple Watch?") in context.
    pub fn with_context(&self, a: &Analysis, previous: &str) -> Analysis {
        let mut out = a.clone();
        let prev = self.analyze(previous);
        for mut t in prev.tokens {
            t.weight = CONTEXT_WEIGHT;
            out.tokens.push(t);
        }
        out
    }

    /// Ranks every intent that has any evidence for `text`, best first,
    /// at most `top` of them. Intents without evidence are left out.
    pub fn rank(&self, text: &str, top: usize) -> Vec<Scored> {
        self.rank_analysis(&self.analyze(text), top)
    }

    /// Like [`Matcher::rank`] for an already analysed utterance.
    pub fn rank_analysis(&self, a: &Analysis, top: usize) -> Vec<Scored> {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            s.fit(self.n_intents, self.space.len());
            let out = self.rank_with(a, top, &mut s);
            self.reset(&mut s);
            out
        })
    }

    /// Fills `s.q` with the utterance's unit feature vector.
    fn query_vector(&self, a: &Analysis, s: &mut Scratch) {
        let weighted: Vec<features::Weighted<'_>> = a
            .tokens
            .iter()
            .map(|t| {
                let tok = &t.token;
                let rare = !tok.stop
                    && self
                        .space
                        .get(&tok.term)
                        .is_none_or(|f| self.rare[f as usize]);
                (tok, t.weight, rare)
            })
            .collect();
        let mut unknown2 = 0.0f32;
        let Scratch { q, buf, .. } = s;
        q.clear();
        features::for_each(&weighted, buf, |f, w, unigram| match self.space.get(f) {
            Some(id) => q.push((id, w)),
            None if unigram => unknown2 += (w * self.unknown_idf).powi(2),
            None => {}
        });
        features::merge(q);
        let mut norm2 = unknown2;
        for (f, w) in q.iter_mut() {
            *w *= self.idf[*f as usize];
            norm2 += *w * *w;
        }
        let n = norm2.sqrt();
        if n > 0.0 {
            for (_, w) in q.iter_mut() {
                *w /= n;
            }
        }
    }

    fn rank_with(&self, a: &Analysis, top: usize, s: &mut Scratch) -> Vec<Scored> {
        self.query_vector(a, s);

        // Word evidence through the weight postings.
        for qi in 0..s.q.len() {
            let (f, x) = s.q[qi];
            s.qdense[f as usize] = x;
            for &(i, w) in &self.weights[f as usize] {
                s.touch(i);
                s.lin[i as usize] += x * w;
            }
        }

        // Coverage of the current turn's content words.
        s.known_mass = 0.0;
        s.unknown_mass = 0.0;
        for t in a
            .tokens
            .iter()
            .filter(|t| !t.token.stop && t.weight > CONTEXT_WEIGHT)
        {
            match self.space.get(&t.token.term) {
                Some(f) => {
                    let w = self.idf[f as usize];
                    s.known_mass += w;
                    for &i in &self.owners[f as usize] {
                        if s.cov[i as usize] == 0.0 {
                            s.cov_touched.push(i);
                        }
                        s.cov[i as usize] += w;
                    }
                }
                None => s.unknown_mass += self.unknown_idf,
            }
        }

        // An utterance equal to an example.
        if let Some(&e) = self.exact.get(&a.folded) {
            let i = self.ex_intent[e as usize];
            s.touch(i);
            s.near[i as usize] = (1.0, e);
        }

        // Keywords: contiguous runs of non-stop terms.
        let terms: Vec<&str> = a
            .tokens
            .iter()
            .filter(|t| !t.token.stop && t.weight > CONTEXT_WEIGHT)
            .map(|t| t.token.term.as_str())
            .collect();
        for (pos, t) in terms.iter().enumerate() {
            for &ki in self.kw_by_first.get(*t).into_iter().flatten() {
                let k = &self.keywords[ki as usize];
                if terms.len() - pos >= k.terms.len()
                    && k.terms.iter().zip(&terms[pos..]).all(|(a, b)| a == b)
                    && !s.matched_kw.contains(&ki)
                {
                    s.matched_kw.push(ki);
                }
            }
        }
        for mi in 0..s.matched_kw.len() {
            let k = &self.keywords[s.matched_kw[mi] as usize];
            s.touch(k.intent);
            s.kw[k.intent as usize] += KEYWORD_UNIT * k.weight * k.specificity.max(0.05);
        }
        if !self.pattern_owner.is_empty() && !a.folded.is_empty() {
            for pi in self.patterns.matches(&a.folded).iter() {
                let (i, _) = self.pattern_owner[pi];
                s.pat.push(pi as u32);
                s.touch(i);
            }
        }

        // Candidates: the WORD_CANDIDATES intents with the most word
        // evidence and every intent with keyword, pattern or exact-example
        // evidence are scored; the best of them by the evidence without
        // nearest examples get their nearest example computed.
        let by_conf = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        s.cand.clear();
        for ti in 0..s.touched.len() {
            let i = s.touched[ti];
            let forced = s.kw[i as usize] > 0.0 || s.near[i as usize].0 >= 1.0;
            s.cand.push((
                if forced {
                    f32::INFINITY
                } else {
                    s.lin[i as usize]
                },
                i,
            ));
        }
        for &p in &s.pat {
            let i = self.pattern_owner[p as usize].0;
            if let Some(c) = s.cand.iter_mut().find(|c| c.1 == i) {
                c.0 = f32::INFINITY;
            }
        }
        let keep = WORD_CANDIDATES.max(top);
        if s.cand.len() > keep {
            s.cand.select_nth_unstable_by(keep, by_conf);
            let forced = s.cand[keep..]
                .iter()
                .filter(|c| c.0 == f32::INFINITY)
                .count();
            if forced == 0 {
                s.cand.truncate(keep);
            }
        }
        for ci in 0..s.cand.len() {
            let i = s.cand[ci].1;
            s.cand[ci].0 = self.confidence(i as usize, s).c;
        }
        let keep = top.max(NEAREST_CANDIDATES);
        if s.cand.len() > keep {
            s.cand.select_nth_unstable_by(keep, by_conf);
            s.cand.truncate(keep);
        }
        s.cand.sort_unstable_by(by_conf);
        let k = s.cand.len().min(NEAREST_CANDIDATES);
        for ci in 0..k {
            s.is_cand[s.cand[ci].1 as usize] = true;
        }
        self.nearest(s);
        for ci in 0..k {
            let i = s.cand[ci].1 as usize;
            s.is_cand[i] = false;
            s.cand[ci].0 = self.confidence(i, s).c;
        }
        s.cand.sort_unstable_by(by_conf);
        let n = s.cand.len().min(top);
        (0..n)
            .filter(|&ci| s.cand[ci].0 > 0.0)
            .map(|ci| self.scored(s.cand[ci].1 as usize, s))
            .collect()
    }

    /// The nearest example and its cosine for every candidate intent
    /// (`s.is_cand`) without an exact match, through the postings of the
    /// utterance's features restricted to the candidates' examples.
    fn nearest(&self, s: &mut Scratch) {
        if s.ex_dot.len() < self.ex_text.len() {
            s.ex_dot.resize(self.ex_text.len(), 0.0);
        }
        let k = s.cand.len().min(NEAREST_CANDIDATES);
        for &(f, x) in &s.q {
            let post = &self.ex_post[f as usize];
            let ranges = &self.ex_ranges[f as usize];
            let mut add = |&(_, from, to): &(u32, u32, u32)| {
                for &(e, v) in &post[from as usize..to as usize] {
                    s.ex_dot[e as usize] += x * v;
                }
            };
            // A feature many intents use (ranges by intent, ascending):
            // look the few candidates up instead of scanning them all.
            if ranges.len() > 8 * k.max(1) {
                for c in &s.cand[..k] {
                    if let Ok(r) = ranges.binary_search_by_key(&c.1, |r| r.0) {
                        add(&ranges[r]);
                    }
                }
            } else {
                for r in ranges.iter().filter(|r| s.is_cand[r.0 as usize]) {
                    add(r);
                }
            }
        }
        for ci in 0..s.cand.len().min(NEAREST_CANDIDATES) {
            let i = s.cand[ci].1 as usize;
            let mut best = (0.0f32, u32::MAX);
            for e in self.int_start[i]..self.int_start[i + 1] {
                let d = &mut s.ex_dot[e as usize];
                if *d > best.0 {
                    best = (d.min(1.0), e);
                }
                *d = 0.0;
            }
            if s.near[i].0 < 1.0 {
                s.near[i] = best;
            }
        }
    }

    /// Restores the scratch invariant (all zeros) after a ranking.
    fn reset(&self, s: &mut Scratch) {
        for &i in &s.touched {
            let i = i as usize;
            s.lin[i] = 0.0;
            s.seen[i] = false;
            s.kw[i] = 0.0;
            s.near[i] = (0.0, u32::MAX);
        }
        s.touched.clear();
        for &i in &s.cov_touched {
            s.cov[i as usize] = 0.0;
        }
        s.cov_touched.clear();
        for &(f, _) in &s.q {
            s.qdense[f as usize] = 0.0;
        }
        s.q.clear();
        s.pat.clear();
        s.matched_kw.clear();
    }

    /// The confidence of intent `i` and its steps.
    fn confidence(&self, i: usize, s: &Scratch) -> Steps {
        let l = s.lin[i];
        let e = 1.0 - (-WORD_GAIN * l.max(0.0) / self.word_scale).exp();
        let near = s.near[i].0.clamp(0.0, 1.0);
        let similarity = if near >= 1.0 {
            1.0
        } else {
            NEAREST_SHARE * near + (1.0 - NEAREST_SHARE) * e
        };
        let k = s.kw[i].min(1.0);
        let p = if s
            .pat
            .iter()
            .any(|&p| self.pattern_owner[p as usize].0 as usize == i)
        {
            1.0
        } else {
            0.0
        };
        let c1 = similarity;
        let c2 = c1 + (1.0 - c1) * KEYWORD_GAIN * k;
        let c3 = c2 + (1.0 - c2) * PATTERN_GAIN * p;
        let missing = self.required[i].iter().any(|ki| !s.matched_kw.contains(ki));
        let c4 = if missing { c3 * REQUIRED_PENALTY } else { c3 };
        let coverage = if s.known_mass > 0.0 {
            (s.cov[i] / s.known_mass).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let total = s.known_mass + s.unknown_mass;
        let familiarity = if total > 0.0 {
            (s.known_mass / total / self.typical_familiarity).min(1.0)
        } else {
            1.0
        };
        let c5 = c4 * (COVERAGE_FLOOR + (1.0 - COVERAGE_FLOOR) * coverage);
        let c = c5 * (FAMILIARITY_FLOOR + (1.0 - FAMILIARITY_FLOOR) * familiarity);
        Steps {
            c: c.clamp(0.0, 1.0),
            steps: [c1, c2, c3, c4, c5],
            e,
            coverage,
            familiarity,
        }
    }

    /// The full evidence of intent `i`.
    fn scored(&self, i: usize, s: &Scratch) -> Scored {
        let Steps {
            c,
            steps: [c1, c2, c3, c4, c5],
            e,
            coverage,
            familiarity,
        } = self.confidence(i, s);
        let l = s.lin[i];
        let (near, ne) = s.near[i];
        let word_part = if near >= 1.0 {
            0.0
        } else {
            (1.0 - NEAREST_SHARE) * e
        };
        let mut feats: Vec<(u32, f32)> = Vec::new();
        if l > 0.0 && word_part > 0.0 {
            for &(f, x) in &s.q {
                let list = &self.weights[f as usize];
                if let Ok(k) = list.binary_search_by_key(&(i as u32), |e| e.0) {
                    feats.push((f, word_part * x * list[k].1 / l));
                }
            }
            feats.sort_unstable_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        }
        let keywords: Vec<(usize, f32)> = s
            .matched_kw
            .iter()
            .map(|&ki| &self.keywords[ki as usize])
            .filter(|k| k.intent as usize == i)
            .map(|k| {
                (
                    k.index as usize,
                    KEYWORD_UNIT * k.weight * k.specificity.max(0.05),
                )
            })
            .collect();
        let pattern = s
            .pat
            .iter()
            .map(|&p| self.pattern_owner[p as usize])
            .find(|(owner, _)| *owner as usize == i)
            .map(|(_, pi)| pi as usize);
        let missing_required: Vec<usize> = self.required[i]
            .iter()
            .filter(|ki| !s.matched_kw.contains(ki))
            .map(|&ki| self.keywords[ki as usize].index as usize)
            .collect();
        Scored {
            intent: i,
            confidence: c,
            evidence: Evidence {
                nearest: (ne != u32::MAX).then_some((ne as usize, near.clamp(0.0, 1.0))),
                word_score: l,
                words: e,
                features: feats,
                similarity: c1,
                keywords,
                keyword_score: s.kw[i].min(1.0),
                pattern,
                missing_required,
                coverage,
                familiarity,
                contributions: [c1, c2 - c1, c3 - c2, c4 - c3, c5 - c4, c - c5],
            },
        }
    }
}
