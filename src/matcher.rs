//! The compiled matcher: scores an utterance against every intent.
//!
//! # The formula
//!
//! Built once per knowledge base (all statistics are derived from it,
//! deterministically, at load time):
//!
//! * **Features.** Each example (and each intent's title, which counts as
//!   one more example) becomes a bag of *features*: the terms of its tokens
//!   (stop words weigh [`STOP_WEIGHT`]) and the bigrams of adjacent
//!   non-stop terms (weight [`BIGRAM_WEIGHT`]).
//! * **idf(f)** = ln((1 + E) / (1 + df)) + 1, over the E examples.
//! * **specificity(f)** = ln((N + 1) / n_f) / ln(N + 1) in 0.0..=1.0, where
//!   n_f of the N intents use the feature: 1.0 for a word only one intent
//!   uses, near 0.0 for a word every intent uses.
//!
//! Per utterance, for each intent that shares a feature with it (found
//! through an inverted index, so the cost grows with the matching postings,
//! not with the number of intents):
//!
//! 1. **similarity** s = [`NEAREST_SHARE`] · max over the intent's examples
//!    of cos(u, e) + (1 − [`NEAREST_SHARE`]) · cos(u, centroid), with tf-idf
//!    vectors. An utterance equal to an example after normalisation has
//!    s = 1. Words the knowledge base has never seen count in |u| with the
//!    highest idf, so unknown words lower the similarity.
//! 2. **keywords** k = min(1, Σ over matched keywords of
//!    [`KEYWORD_UNIT`] · weight · specificity(keyword)); a keyword matches
//!    when its terms occur contiguously among the utterance's non-stop terms.
//! 3. **pattern** p = 1 when any of the intent's regexes matches the
//!    folded utterance, else 0.
//!
//! The confidence combines them as a noisy-OR, which keeps it in
//! 0.0..=1.0 and lets every source add a named, positive contribution:
//!
//! ```text
//! c₁ = s
//! c₂ = c₁ + (1 − c₁) · KEYWORD_GAIN · k
//! c₃ = c₂ + (1 − c₂) · PATTERN_GAIN · p
//! c₄ = c₃ · REQUIRED_PENALTY   if a required keyword is missing, else c₃
//! c  = c₄ · (COVERAGE_FLOOR + (1 − COVERAGE_FLOOR) · coverage)
//! ```
//!
//! where *coverage* is the idf-weighted share of the utterance's content
//! words that the intent's examples or keywords use at all: an utterance
//! about "Netflix passwords" is only partly explained by the PIN-reset
//! intent, whose confidence drops accordingly.
//!
//! Typos: an utterance word unknown to the knowledge base ([`MIN_TYPO_LEN`] letters or
//! more) is replaced by a known word with the same first letter at
//! Damerau-Levenshtein distance 1 (strsim), found through a deletion index
//! (SymSpell); ties go to the more frequent word, then the alphabetically
//! first. A corrected word weighs [`CORRECTED_WEIGHT`]. Two adjacent words
//! whose concatenation is a known word are read as that word ("finger
//! print" → "fingerprint").
//!
//! Ties in confidence break by intent id (ascending), so rankings are
//! deterministic.

use crate::kb::{compile_pattern, KnowledgeBase};
use crate::normalize::{Normalizer, Token};
use std::cell::RefCell;
use std::collections::HashMap;

/// Weight of a stop word relative to a content word.
pub const STOP_WEIGHT: f32 = 0.2;
/// Weight of a bigram feature relative to a unigram.
pub const BIGRAM_WEIGHT: f32 = 0.5;
/// Share of the nearest example in the similarity; the rest is the centroid.
pub const NEAREST_SHARE: f32 = 0.65;
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
/// Shortest word (in characters) that typo correction touches.
pub const MIN_TYPO_LEN: usize = 5;
/// Weight of a typo-corrected word relative to a word typed right.
pub const CORRECTED_WEIGHT: f32 = 0.8;
/// The coverage factor's floor: an intent that explains none of the
/// utterance's content words keeps this share of its confidence.
pub const COVERAGE_FLOOR: f32 = 0.5;

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
    /// 1.0 for the current turn, [`CONTEXT_WEIGHT`] for context words.
    pub weight: f32,
    /// Whether the knowledge base knows this term.
    pub known: bool,
}

/// Why an intent got its confidence: the named, additive contributions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evidence {
    /// The nearest example (index into [`Matcher::example`]) and its cosine.
    pub nearest: Option<(usize, f32)>,
    /// Cosine similarity with the intent's centroid, 0.0..=1.0.
    pub centroid: f32,
    /// The blended similarity s, 0.0..=1.0.
    pub similarity: f32,
    /// Matched keywords: (index into the intent's `keywords`, evidence added to k).
    pub keywords: Vec<(usize, f32)>,
    /// Keyword evidence k, 0.0..=1.0.
    pub keyword_score: f32,
    /// Index of the first matching pattern in the intent's `patterns`.
    pub pattern: Option<usize>,
    /// Required keywords (indices into the intent's `keywords`) that are missing.
    pub missing_required: Vec<usize>,
    /// Share (0.0..=1.0, idf-weighted) of the utterance's content words
    /// that the intent's examples and keywords use.
    pub coverage: f32,
    /// Confidence added by similarity, keywords and pattern, then the
    /// (negative) changes from the required-keyword penalty and the
    /// coverage factor; they sum to the confidence.
    pub contributions: [f32; 5],
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

#[derive(Default)]
struct Scratch {
    ex_dot: Vec<f32>,
    ex_touched: Vec<u32>,
    cen_dot: Vec<f32>,
    int_touched: Vec<u32>,
    nearest: Vec<(f32, u32)>,
    kw: Vec<f32>,
    pat: Vec<u32>,
    cov: Vec<f32>,
    cov_total: f32,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The compiled, immutable matcher for one knowledge base. `Send + Sync`.
pub struct Matcher {
    norm: Normalizer,
    n_intents: usize,
    feature_ids: HashMap<String, u32>,
    idf: Vec<f32>,
    specificity: Vec<f32>,
    unknown_idf: f32,
    owners: Vec<Vec<u32>>,
    ex_post: Vec<Vec<(u32, f32)>>,
    ex_norm: Vec<f32>,
    ex_intent: Vec<u32>,
    ex_text: Vec<String>,
    exact: HashMap<String, u32>,
    cen_post: Vec<Vec<(u32, f32)>>,
    cen_norm: Vec<f32>,
    keywords: Vec<Keyword>,
    kw_by_first: HashMap<String, Vec<u32>>,
    required: Vec<Vec<u32>>,
    patterns: regex::RegexSet,
    pattern_owner: Vec<(u32, u32)>,
    vocab: HashMap<String, u32>,
    deletes: HashMap<String, Vec<u32>>,
    vocab_words: Vec<String>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("intents", &self.n_intents)
            .field("examples", &self.ex_text.len())
            .field("features", &self.idf.len())
            .finish()
    }
}

fn bigram(a: &str, b: &str) -> String {
    format!("{a} {b}")
}

/// Features of a token sequence: (feature text, weight), unigrams then bigrams.
fn features_of(tokens: &[(&Token, f32)]) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = tokens
        .iter()
        .map(|(t, w)| (t.term.clone(), if t.stop { STOP_WEIGHT * w } else { *w }))
        .collect();
    let content: Vec<&(&Token, f32)> = tokens.iter().filter(|(t, _)| !t.stop).collect();
    for pair in content.windows(2) {
        out.push((
            bigram(&pair[0].0.term, &pair[1].0.term),
            BIGRAM_WEIGHT * pair[0].1.min(pair[1].1),
        ));
    }
    out
}

impl Matcher {
    /// Compiles the matcher for a validated knowledge base. Cost: linear in
    /// the total size of examples and keywords.
    pub fn new(kb: &KnowledgeBase) -> Self {
        let s = &kb.settings;
        let norm = Normalizer::new(&s.language, &s.synonyms);
        let n_intents = kb.intents.len();

        // Examples: the title counts as one more example.
        let mut ex_text = Vec::new();
        let mut ex_intent = Vec::new();
        let mut ex_tokens: Vec<Vec<Token>> = Vec::new();
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut exact = HashMap::new();
        for (ii, def) in kb.intents.iter().enumerate() {
            let texts = std::iter::once(&def.title)
                .filter(|t| !t.trim().is_empty())
                .chain(def.examples.iter());
            for text in texts {
                let folded = norm.fold(text);
                let tokens = norm.tokens_of_folded(&folded);
                if tokens.is_empty() {
                    continue;
                }
                for t in &tokens {
                    *vocab.entry(t.word.clone()).or_default() += 1;
                }
                exact.entry(folded).or_insert(ex_text.len() as u32);
                ex_text.push(text.clone());
                ex_intent.push(ii as u32);
                ex_tokens.push(tokens);
            }
        }

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

        // Feature interning and document frequencies.
        let mut feature_ids: HashMap<String, u32> = HashMap::new();
        let mut df_ex: Vec<u32> = Vec::new();
        let mut intents_of: Vec<Vec<u32>> = Vec::new();
        let mut ex_feats: Vec<Vec<(u32, f32)>> = Vec::with_capacity(ex_tokens.len());
        let intern = |f: String, ids: &mut HashMap<String, u32>| -> u32 {
            let next = ids.len() as u32;
            *ids.entry(f).or_insert(next)
        };
        for (ei, tokens) in ex_tokens.iter().enumerate() {
            let weighted: Vec<(&Token, f32)> = tokens.iter().map(|t| (t, 1.0)).collect();
            let mut feats: Vec<(u32, f32)> = features_of(&weighted)
                .into_iter()
                .map(|(f, w)| (intern(f, &mut feature_ids), w))
                .collect();
            merge(&mut feats);
            df_ex.resize(feature_ids.len(), 0);
            intents_of.resize(feature_ids.len(), Vec::new());
            for &(f, _) in &feats {
                df_ex[f as usize] += 1;
                let owners = &mut intents_of[f as usize];
                if owners.last() != Some(&ex_intent[ei]) {
                    owners.push(ex_intent[ei]);
                }
            }
            ex_feats.push(feats);
        }
        // Keyword terms are features too (for specificity).
        for k in &keywords {
            for term in &k.terms {
                let f = intern(term.clone(), &mut feature_ids);
                df_ex.resize(feature_ids.len(), 0);
                intents_of.resize(feature_ids.len(), Vec::new());
                let owners = &mut intents_of[f as usize];
                if !owners.contains(&k.intent) {
                    owners.push(k.intent);
                }
            }
        }
        let n_ex = ex_feats.len() as f32;
        let idf: Vec<f32> = df_ex
            .iter()
            .map(|&d| ((1.0 + n_ex) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        let unknown_idf = (1.0 + n_ex).ln() + 1.0;
        let denom = ((n_intents + 1) as f32).ln().max(f32::MIN_POSITIVE);
        let specificity: Vec<f32> = intents_of
            .iter()
            .map(|o| {
                let n = o.len().max(1) as f32;
                (((n_intents + 1) as f32 / n).ln() / denom).clamp(0.0, 1.0)
            })
            .collect();
        for k in &mut keywords {
            let spec: f32 = k
                .terms
                .iter()
                .map(|t| specificity[feature_ids[t] as usize])
                .fold(0.0, f32::max);
            k.specificity = spec;
        }

        // Postings: examples and centroids.
        let n_feat = feature_ids.len();
        let mut ex_post = vec![Vec::new(); n_feat];
        let mut ex_norm = Vec::with_capacity(ex_feats.len());
        let mut centroids: Vec<HashMap<u32, f32>> = vec![HashMap::new(); n_intents];
        for (ei, feats) in ex_feats.iter().enumerate() {
            let norm2: f32 = feats
                .iter()
                .map(|&(f, w)| (w * idf[f as usize]).powi(2))
                .sum();
            let n = norm2.sqrt().max(f32::MIN_POSITIVE);
            ex_norm.push(n);
            for &(f, w) in feats {
                let v = w * idf[f as usize];
                ex_post[f as usize].push((ei as u32, v));
                *centroids[ex_intent[ei] as usize].entry(f).or_default() += v / n;
            }
        }
        let mut cen_post = vec![Vec::new(); n_feat];
        let mut cen_norm = vec![f32::MIN_POSITIVE; n_intents];
        for (ii, c) in centroids.iter().enumerate() {
            let mut entries: Vec<(&u32, &f32)> = c.iter().collect();
            entries.sort_by_key(|e| *e.0);
            cen_norm[ii] = entries
                .iter()
                .map(|(_, v)| *v * *v)
                .sum::<f32>()
                .sqrt()
                .max(f32::MIN_POSITIVE);
            for (f, v) in entries {
                cen_post[*f as usize].push((ii as u32, *v));
            }
        }

        let mut kw_by_first: HashMap<String, Vec<u32>> = HashMap::new();
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
            .build()
            .unwrap_or_else(|_| regex::RegexSet::empty());

        // Typo index: every known word and its single deletions.
        let mut vocab_words: Vec<String> = vocab.keys().cloned().collect();
        vocab_words.sort();
        let mut deletes: HashMap<String, Vec<u32>> = HashMap::new();
        for (wi, w) in vocab_words.iter().enumerate() {
            if w.chars().count() < 3 || w.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            for d in single_deletions(w).chain(std::iter::once(w.clone())) {
                let list = deletes.entry(d).or_default();
                if list.last() != Some(&(wi as u32)) {
                    list.push(wi as u32);
                }
            }
        }

        Matcher {
            norm,
            n_intents,
            feature_ids,
            idf,
            specificity,
            unknown_idf,
            owners: intents_of,
            ex_post,
            ex_norm,
            ex_intent,
            ex_text,
            exact,
            cen_post,
            cen_norm,
            keywords,
            kw_by_first,
            required,
            patterns,
            pattern_owner,
            vocab,
            deletes,
            vocab_words,
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

    /// The text of example `i` and the index of its intent.
    pub fn example(&self, i: usize) -> (&str, usize) {
        (&self.ex_text[i], self.ex_intent[i] as usize)
    }

    /// Specificity (0.0..=1.0) of a term across intents; 1.0 for unknown terms.
    pub fn specificity(&self, term: &str) -> f32 {
        self.feature_ids
            .get(term)
            .map_or(1.0, |&f| self.specificity[f as usize])
    }

    /// Normalises `text` and corrects typos against the knowledge base's vocabulary.
    pub fn analyze(&self, text: &str) -> Analysis {
        let folded = self.norm.fold(text);
        let mut raw = self.norm.tokens_of_folded(&folded);
        // Compounds typed apart ("finger print", "log in") are read as the
        // known word ("fingerprint", "login").
        let mut i = 0;
        while i + 1 < raw.len() {
            let joined = format!("{}{}", raw[i].word, raw[i + 1].word);
            if self.vocab.contains_key(&joined) && !raw[i].stop {
                raw[i] = self.norm.token(&joined);
                raw.remove(i + 1);
            }
            i += 1;
        }
        let tokens = raw.into_iter().map(|t| self.correct(t)).collect();
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

    fn correct(&self, token: Token) -> QueryToken {
        let known =
            self.vocab.contains_key(&token.word) || self.feature_ids.contains_key(&token.term);
        if known
            || token.stop
            || token.word.chars().count() < MIN_TYPO_LEN
            || token.word.chars().any(|c| c.is_ascii_digit())
        {
            return QueryToken {
                token,
                corrected_from: None,
                weight: 1.0,
                known,
            };
        }
        let w = &token.word;
        let mut best: Option<(usize, u32, &str)> = None;
        let mut consider = |cands: Option<&Vec<u32>>| {
            for &ci in cands.into_iter().flatten() {
                let c = self.vocab_words[ci as usize].as_str();
                let d = strsim::damerau_levenshtein(w, c);
                if d == 0 || d > 1 || c.chars().next() != w.chars().next() {
                    continue;
                }
                let freq = self.vocab[c];
                let better = match best {
                    None => true,
                    Some((bd, bf, bc)) => {
                        (d, std::cmp::Reverse(freq), c) < (bd, std::cmp::Reverse(bf), bc)
                    }
                };
                if better {
                    best = Some((d, freq, c));
                }
            }
        };
        consider(self.deletes.get(w.as_str()));
        for d in single_deletions(w) {
            consider(self.deletes.get(&d));
        }
        match best {
            Some((_, _, c)) => {
                let fixed = self.norm.token(c);
                QueryToken {
                    corrected_from: Some(token.word),
                    known: true,
                    token: fixed,
                    weight: CORRECTED_WEIGHT,
                }
            }
            None => QueryToken {
                token,
                corrected_from: None,
                weight: 1.0,
                known: false,
            },
        }
    }

    /// Ranks every intent that has any evidence for `text`, best first,
    /// at most `top` of them. Intents without evidence are left out.
    pub fn rank(&self, text: &str, top: usize) -> Vec<Scored> {
        self.rank_analysis(&self.analyze(text), top)
    }

    /// Like [`Matcher::rank`] for an already analysed utterance.
    pub fn rank_analysis(&self, a: &Analysis, top: usize) -> Vec<Scored> {
        SCRATCH.with(|s| self.rank_with(a, top, &mut s.borrow_mut()))
    }

    /// The query's feature vector (feature id, tf-idf value) and its norm.
    fn query_vector(&self, a: &Analysis) -> (Vec<(u32, f32)>, f32) {
        let weighted: Vec<(&Token, f32)> = a.tokens.iter().map(|t| (&t.token, t.weight)).collect();
        let mut feats = Vec::new();
        let mut norm2 = 0.0f32;
        for (f, w) in features_of(&weighted) {
            match self.feature_ids.get(&f) {
                Some(&id) => feats.push((id, w)),
                None if !f.contains(' ') => norm2 += (w * self.unknown_idf).powi(2),
                None => {}
            }
        }
        merge(&mut feats);
        for (f, w) in &mut feats {
            *w *= self.idf[*f as usize];
            norm2 += *w * *w;
        }
        (feats, norm2.sqrt())
    }

    fn rank_with(&self, a: &Analysis, top: usize, s: &mut Scratch) -> Vec<Scored> {
        let n_ex = self.ex_text.len();
        s.ex_dot.clear();
        s.ex_dot.resize(n_ex, 0.0);
        s.cen_dot.clear();
        s.cen_dot.resize(self.n_intents, 0.0);
        s.nearest.clear();
        s.nearest.resize(self.n_intents, (0.0, u32::MAX));
        s.kw.clear();
        s.kw.resize(self.n_intents, 0.0);
        s.cov.clear();
        s.cov.resize(self.n_intents, 0.0);
        s.cov_total = 0.0;
        for t in a
            .tokens
            .iter()
            .filter(|t| !t.token.stop && t.weight > CONTEXT_WEIGHT)
        {
            match self.feature_ids.get(&t.token.term) {
                Some(&f) => {
                    let w = self.idf[f as usize];
                    s.cov_total += w;
                    for &i in &self.owners[f as usize] {
                        s.cov[i as usize] += w;
                    }
                }
                None => s.cov_total += self.unknown_idf,
            }
        }
        s.ex_touched.clear();
        s.int_touched.clear();
        s.pat.clear();

        let (q, qnorm) = self.query_vector(a);
        if qnorm > 0.0 {
            for &(f, qv) in &q {
                for &(e, ev) in &self.ex_post[f as usize] {
                    let d = &mut s.ex_dot[e as usize];
                    if *d == 0.0 {
                        s.ex_touched.push(e);
                    }
                    *d += qv * ev;
                }
                for &(i, cv) in &self.cen_post[f as usize] {
                    let d = &mut s.cen_dot[i as usize];
                    if *d == 0.0 {
                        s.int_touched.push(i);
                    }
                    *d += qv * cv;
                }
            }
            for &e in &s.ex_touched {
                let cos = s.ex_dot[e as usize] / (qnorm * self.ex_norm[e as usize]);
                let i = self.ex_intent[e as usize] as usize;
                let slot = &mut s.nearest[i];
                if cos > slot.0 || (cos == slot.0 && e < slot.1) {
                    *slot = (cos, e);
                }
            }
        }
        if let Some(&e) = self.exact.get(&a.folded) {
            let i = self.ex_intent[e as usize] as usize;
            if s.nearest[i].1 == u32::MAX && s.cen_dot[i] == 0.0 {
                s.int_touched.push(i as u32);
            }
            s.nearest[i] = (1.0, e);
        }

        // Keywords: contiguous runs of non-stop terms.
        let terms: Vec<&str> = a
            .tokens
            .iter()
            .filter(|t| !t.token.stop && t.weight > CONTEXT_WEIGHT)
            .map(|t| t.token.term.as_str())
            .collect();
        let mut matched_kw: Vec<u32> = Vec::new();
        for (pos, t) in terms.iter().enumerate() {
            for &ki in self.kw_by_first.get(*t).into_iter().flatten() {
                let k = &self.keywords[ki as usize];
                if terms.len() - pos >= k.terms.len()
                    && k.terms.iter().zip(&terms[pos..]).all(|(a, b)| a == b)
                    && !matched_kw.contains(&ki)
                {
                    matched_kw.push(ki);
                }
            }
        }
        for &ki in &matched_kw {
            let k = &self.keywords[ki as usize];
            let i = k.intent as usize;
            if s.kw[i] == 0.0 && s.nearest[i].1 == u32::MAX && s.cen_dot[i] == 0.0 {
                s.int_touched.push(i as u32);
            }
            s.kw[i] += KEYWORD_UNIT * k.weight * k.specificity.max(0.05);
        }
        if !self.pattern_owner.is_empty() && !a.folded.is_empty() {
            for pi in self.patterns.matches(&a.folded).iter() {
                let (i, _) = self.pattern_owner[pi];
                s.pat.push(pi as u32);
                if !s.int_touched.contains(&i) {
                    s.int_touched.push(i);
                }
            }
        }
        s.int_touched.sort_unstable();
        s.int_touched.dedup();

        let mut scored: Vec<(f32, u32)> = s
            .int_touched
            .iter()
            .map(|&i| {
                let ev = self.evidence_fast(i as usize, qnorm, s, &matched_kw);
                (ev, i)
            })
            .filter(|(c, _)| *c > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(top);
        scored
            .into_iter()
            .map(|(_, i)| self.evidence(i as usize, qnorm, s, &matched_kw))
            .collect()
    }

    fn evidence_fast(&self, i: usize, qnorm: f32, s: &Scratch, matched_kw: &[u32]) -> f32 {
        self.evidence(i, qnorm, s, matched_kw).confidence
    }

    fn evidence(&self, i: usize, qnorm: f32, s: &Scratch, matched_kw: &[u32]) -> Scored {
        let (near, ne) = s.nearest[i];
        let centroid = if qnorm > 0.0 {
            (s.cen_dot[i] / (qnorm * self.cen_norm[i])).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let near = near.clamp(0.0, 1.0);
        let similarity = if near >= 1.0 {
            1.0
        } else {
            NEAREST_SHARE * near + (1.0 - NEAREST_SHARE) * centroid
        };
        let keywords: Vec<(usize, f32)> = matched_kw
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
        let k = s.kw[i].min(1.0);
        let pattern = s
            .pat
            .iter()
            .map(|&p| self.pattern_owner[p as usize])
            .find(|(owner, _)| *owner as usize == i)
            .map(|(_, pi)| pi as usize);
        let p = if pattern.is_some() { 1.0 } else { 0.0 };
        let missing_required: Vec<usize> = self.required[i]
            .iter()
            .filter(|ki| !matched_kw.contains(ki))
            .map(|&ki| self.keywords[ki as usize].index as usize)
            .collect();
        let c1 = similarity;
        let c2 = c1 + (1.0 - c1) * KEYWORD_GAIN * k;
        let c3 = c2 + (1.0 - c2) * PATTERN_GAIN * p;
        let c4 = if missing_required.is_empty() {
            c3
        } else {
            c3 * REQUIRED_PENALTY
        };
        let coverage = if s.cov_total > 0.0 {
            (s.cov[i] / s.cov_total).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let c = c4 * (COVERAGE_FLOOR + (1.0 - COVERAGE_FLOOR) * coverage);
        Scored {
            intent: i,
            confidence: c.clamp(0.0, 1.0),
            evidence: Evidence {
                nearest: (ne != u32::MAX).then_some((ne as usize, near)),
                centroid,
                similarity,
                keywords,
                keyword_score: k,
                pattern,
                missing_required,
                coverage,
                contributions: [c1, c2 - c1, c3 - c2, c4 - c3, c - c4],
            },
        }
    }

    /// Per-feature contributions to the cosine between `a` and example
    /// `example`: (feature text, share of the cosine), largest first.
    pub fn feature_contributions(&self, a: &Analysis, example: usize) -> Vec<(String, f32)> {
        let (q, qnorm) = self.query_vector(a);
        let mut names: Vec<(&String, &u32)> = self.feature_ids.iter().collect();
        names.sort_by_key(|(_, id)| **id);
        let mut out = Vec::new();
        for (f, qv) in q {
            if let Some(&(_, ev)) = self.ex_post[f as usize]
                .iter()
                .find(|(e, _)| *e as usize == example)
            {
                let share = qv * ev / (qnorm * self.ex_norm[example]);
                out.push((names[f as usize].0.clone(), share));
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// Sorts by feature id and sums duplicate features.
fn merge(feats: &mut Vec<(u32, f32)>) {
    feats.sort_by_key(|f| f.0);
    feats.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 += b.1;
            true
        } else {
            false
        }
    });
}

/// Every string made from `w` by deleting one character.
fn single_deletions(w: &str) -> impl Iterator<Item = String> + '_ {
    w.char_indices().map(move |(i, c)| {
        let mut s = String::with_capacity(w.len());
        s.push_str(&w[..i]);
        s.push_str(&w[i + c.len_utf8()..]);
        s
    })
}
