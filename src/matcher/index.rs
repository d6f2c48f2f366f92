//! Stage 0, compiling: the knowledge base → an `Index` of every
//! statistic the query stages read.
//!
//! Takes the validated knowledge base; gives the examples (an intent's
//! title counts as one more example) with their features, the feature
//! space with its idf and owners, each term's specificity, the typical
//! familiarity, the vocabulary for typo correction and the compiled
//! keyword terms. Alongside the `Index` it hands over, once, what the
//! later stages build their own structures from (`Compiled`): the
//! examples' unit vectors (word weights, nearest examples) and the
//! keywords (rules). Deterministic, linear in the size of the examples
//! and keywords; no stage runs here.

use super::features::{self, Space};
use super::general_idf::GeneralIdf;
use super::prepared::Prepared;
use super::typo::Typos;
use super::word_token::{self, WordToken};
use crate::kb::KnowledgeBase;
use crate::normalize::{Normalizer, Token};
use crate::schema::IntentKind;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// Lower bound of the typical familiarity (see
/// [`super::Matcher::typical_familiarity`]).
pub const MIN_TYPICAL_FAMILIARITY: f32 = 0.25;

/// A keyword compiled to normalised terms.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Keyword {
    /// The intent it belongs to.
    pub intent: u32,
    /// Its index in the intent's `keywords`.
    pub index: u32,
    /// Its non-stop terms (all terms when it has only stop words).
    pub terms: Vec<String>,
    /// Its weight from the RON file.
    pub weight: f32,
    /// The highest specificity of its terms, 0.0..=1.0.
    pub specificity: f32,
}

/// The compiled vocabulary and statistics of one knowledge base.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Index {
    /// Shared with the calibration's second matcher (same settings).
    pub norm: Arc<Normalizer>,
    pub n_intents: usize,
    pub space: Space,
    #[serde(with = "super::snapshot::packed::array")]
    pub idf: Vec<f32>,
    #[serde(with = "super::snapshot::packed::array")]
    pub specificity: Vec<f32>,
    pub unknown_idf: f32,
    /// The blend of idf with English at large ([`super::general_idf`]).
    pub general: GeneralIdf,
    /// Per feature: the intents whose examples or keywords use it.
    #[serde(with = "super::snapshot::packed::lists")]
    pub owners: Vec<Vec<u32>>,
    pub typical_familiarity: f32,
    /// Examples of intent i: `int_start[i]..int_start[i + 1]`.
    #[serde(with = "super::snapshot::packed::array")]
    pub int_start: Vec<u32>,
    #[serde(with = "super::snapshot::packed::array")]
    pub ex_intent: Vec<u32>,
    pub ex_text: Vec<String>,
    /// Per intent, its rank (0-based) in the order of a stable hash of its
    /// title and examples: how ties between intents are broken, so that
    /// renaming or reordering intents changes nothing.
    #[serde(with = "super::snapshot::packed::array")]
    pub tie: Vec<u32>,
    /// Folded example text → its first example.
    pub exact: HashMap<String, u32>,
    pub typos: Typos,
    /// Typo correction against the words of synonym phrases alone.
    pub phrase_typos: Typos,
    /// Every word of the examples and keywords, normalised once, with
    /// its term's feature id.
    pub word_tokens: HashMap<String, WordToken>,
    /// Per feature: whether it is the term of a rare word (see [`features`]).
    pub rare: Vec<bool>,
    /// The positions where the FAQ intents' examples put names, by key
    /// (see [`super::slots`]) → slot id.
    pub slots: HashMap<String, u32>,
    /// Per slot id: the intents whose examples put names there (ascending).
    pub slot_owners: Vec<Vec<u32>>,
    /// The out-of-scope intents (ascending): each always gets its nearest
    /// example computed when it has any evidence (see [`super::nearest`]).
    pub out_of_scope: Vec<u32>,
    /// Bigram ids by their sides' ids (of `space`).
    pub pairs: features::Pairs,
}

/// What compiling hands to the later stages' builders, once.
pub(crate) struct Compiled {
    pub index: Index,
    /// Per example: its unit tf-idf vector, by feature id.
    pub ex_vecs: Vec<Vec<(u32, f32)>>,
    pub keywords: Vec<Keyword>,
    /// Per intent: its required keywords (indices into `keywords`).
    pub required: Vec<Vec<u32>>,
}

/// The normaliser for `kb`'s language and synonyms (with the common
/// English groups merged in when `bot.ron` turns them on and the language
/// is English: [`crate::normalize::common_synonyms`]).
pub(crate) fn normalizer(kb: &KnowledgeBase) -> Arc<Normalizer> {
    let s = &kb.settings;
    let common = s.common_synonyms && crate::normalize::stem::Stem::new(&s.language).is_english();
    let groups = crate::normalize::common_synonyms::merged(&s.synonyms, common);
    Arc::new(Normalizer::new(&s.language, &groups))
}

/// Compiles a validated knowledge base with `norm`, the normaliser built
/// from its settings ([`normalizer`]; a knowledge base with the same
/// language and synonyms may share it). Folded texts and word tokens are
/// read from `prep` (the same as computing them here).
pub(crate) fn compile(kb: &KnowledgeBase, norm: Arc<Normalizer>, prep: &Prepared) -> Compiled {
    let n_intents = kb.intents.len();

    // Examples, intent by intent; the title counts as one more example
    // (`IntentDef::phrasing_title`).
    let mut ex_text = Vec::new();
    let mut ex_intent = Vec::new();
    let mut int_start = Vec::with_capacity(n_intents + 1);
    let mut vocab: HashMap<String, u32> = HashMap::default();
    let mut exact = HashMap::default();
    // Each distinct word's token once (`tok_list`, by id); examples
    // hold ids, not copies of the token's strings.
    let mut tok_ids: HashMap<String, u32> = HashMap::default();
    let mut tok_list: Vec<Token> = Vec::new();
    let mut tok_uses: Vec<u32> = Vec::new();
    let mut space = Space::default();
    let mut ex_raw: Vec<Vec<(u32, f32)>> = Vec::new();
    let mut ex_content: Vec<Vec<u32>> = Vec::new();
    let mut buf = String::new();
    // Tokens of every example and the ids of its content terms; then
    // the rare terms (see `features`): used by at most one example and
    // by no keyword.
    let mut ex_tokens: Vec<Vec<u32>> = Vec::new();
    let mut term_df: Vec<u32> = Vec::new();
    let mut kw_terms: HashSet<String> = HashSet::default();
    // An example text in two intents is exact for the one whose texts hash
    // lower (never decided by position: reordering intents changes nothing).
    let int_key: Vec<u64> = kb.intents.iter().map(super::intent_hash).collect();
    let tie = {
        let mut by_key: Vec<usize> = (0..n_intents).collect();
        by_key.sort_by_key(|&i| (int_key[i], i));
        let mut tie = vec![0u32; n_intents];
        for (r, &i) in by_key.iter().enumerate() {
            tie[i] = r as u32;
        }
        tie
    };
    for (ii, def) in kb.intents.iter().enumerate() {
        int_start.push(ex_text.len() as u32);
        let texts = def
            .phrasing_title()
            .into_iter()
            .chain(def.examples.iter().map(String::as_str));
        for text in texts {
            let folded = prep.fold(text);
            let tokens: Vec<u32> = norm
                .rewrite_phrases(&folded)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(|w| match tok_ids.get(w) {
                    Some(&id) => id,
                    None => {
                        let id = tok_list.len() as u32;
                        tok_list.push(prep.token(&norm, w));
                        tok_uses.push(0);
                        tok_ids.insert(w.to_string(), id);
                        id
                    }
                })
                .collect();
            if tokens.is_empty() {
                continue;
            }
            let mut content = Vec::with_capacity(tokens.len());
            for &id in &tokens {
                tok_uses[id as usize] += 1;
                let t = &tok_list[id as usize];
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
            let here = ex_text.len() as u32;
            exact
                .entry(folded)
                .and_modify(|e: &mut u32| {
                    let there = ex_intent[*e as usize] as usize;
                    if tie[ii] < tie[there] {
                        *e = here;
                    }
                })
                .or_insert(here);
            ex_text.push(text.to_string());
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
    let mut slot_counts = super::slots::Counts::new(&tok_list);
    for (e, (tokens, rare)) in ex_tokens.iter().zip(&rare_ex).enumerate() {
        // An out-of-scope intent's examples are unrelated questions,
        // every word of them once-used: their everyday words would teach
        // the class "unfamiliar word → out of scope" instead of where
        // names sit; their names of other products do not (see
        // `features`).
        let oos = kb.intents[ex_intent[e] as usize].kind == IntentKind::OutOfScope;
        let mut content_rare = rare.iter();
        let weighted: Vec<features::Weighted<'_>> = tokens
            .iter()
            .map(|&id| {
                let t = &tok_list[id as usize];
                (
                    t,
                    1.0,
                    !t.stop
                        && content_rare.next() == Some(&true)
                        && (!oos || !crate::lexicon::english().is_everyday(&t.word)),
                )
            })
            .collect();
        if !oos {
            slot_counts.add(ex_intent[e], tokens);
        }
        let mut feats = Vec::with_capacity(tokens.len() * 2);
        features::for_each(&weighted, &mut buf, |f, w, _| {
            feats.push((space.intern(f), w));
        });
        features::merge(&mut feats);
        ex_raw.push(feats);
    }
    drop(ex_tokens);
    drop(tok_ids);
    let mut slots = HashMap::default();
    let mut slot_owners = Vec::new();
    for (k, owners) in slot_counts.slots() {
        slots.insert(k, slot_owners.len() as u32);
        slot_owners.push(owners);
    }
    // The lowest English frequency rank of each content term's words, by
    // feature id ([`super::general_idf`]; `None` for a term the lexicon
    // does not list; grown to every feature once keywords are interned).
    let mut ranks: Vec<Option<u32>> = vec![None; space.len()];
    {
        let lex = crate::lexicon::english();
        for t in tok_list.iter().filter(|t| !t.stop) {
            if let (Some(f), Some(r)) = (space.get(&t.term), GeneralIdf::rank(lex, &t.word)) {
                let e = &mut ranks[f as usize];
                *e = Some(e.map_or(r, |o| o.min(r)));
            }
        }
    }
    for (t, &n) in tok_list.iter().zip(&tok_uses) {
        vocab.insert(t.word.clone(), n);
    }
    let mut word_tokens: HashMap<String, WordToken> = HashMap::default();
    word_tokens.reserve(tok_list.len());
    for t in tok_list {
        word_tokens.insert(t.word.clone(), WordToken::new(t));
    }
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
    // Keyword owners: pushed, then each list sorted and deduplicated once
    // (linear in the keywords, however many intents share a term).
    let mut kw_touched = Vec::new();
    for k in &keywords {
        for term in &k.terms {
            let f = space.get(term).expect("interned") as usize;
            owners[f].push(k.intent);
            kw_touched.push(f);
        }
    }
    kw_touched.sort_unstable();
    kw_touched.dedup();
    for f in kw_touched {
        owners[f].sort_unstable();
        owners[f].dedup();
    }
    let n_ex = ex_raw.len() as f32;
    let mut idf: Vec<f32> = df
        .iter()
        .map(|&d| ((1.0 + n_ex) / (1.0 + d as f32)).ln() + 1.0)
        .collect();
    let unknown_idf = (1.0 + n_ex).ln() + 1.0;
    // Blended with English at large, as far as the knowledge base is small.
    let general = GeneralIdf::new(ex_raw.len());
    ranks.resize(n_feat, None);
    for (v, &r) in idf.iter_mut().zip(&ranks) {
        *v = general.blend(*v, r);
    }
    let typical_familiarity = typical_familiarity(
        &ex_content,
        &df,
        &idf,
        |f| general.blend(unknown_idf, ranks[f as usize]),
        &keywords,
        &space,
    );
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

    // Unit vectors: the word weights are learned from them and the
    // nearest examples found through them (later stages).
    let ex_vecs: Vec<Vec<(u32, f32)>> = ex_raw.into_iter().map(|f| unit(f, &idf)).collect();

    for w in vocab.keys() {
        if !word_tokens.contains_key(w) {
            word_tokens.insert(w.clone(), WordToken::new(prep.token(&norm, w)));
        }
    }
    // Words of synonym phrases are known words for typo correction, which
    // restores them before the phrase is read (see `analysis`).
    let mut phrase_vocab: HashMap<String, u32> = HashMap::default();
    for w in norm.phrase_words() {
        vocab.entry(w.to_string()).or_insert(1);
        phrase_vocab.insert(w.to_string(), 1);
    }
    let typos = Typos::new(vocab);
    let phrase_typos = Typos::new(phrase_vocab);
    let pairs = features::Pairs::of(&space);
    let mut index = Index {
        rare,
        slots,
        slot_owners,
        typos,
        phrase_typos,
        word_tokens,
        norm,
        n_intents,
        space,
        idf,
        specificity,
        unknown_idf,
        general,
        owners,
        typical_familiarity,
        int_start,
        ex_intent,
        ex_text,
        exact,
        tie,
        out_of_scope: (0..kb.intents.len())
            .filter(|&i| kb.intents[i].kind == IntentKind::OutOfScope)
            .map(|i| i as u32)
            .collect(),
        pairs,
    };
    word_token::link(&mut index);
    Compiled {
        index,
        ex_vecs,
        keywords,
        required,
    }
}

/// See [`super::Matcher::typical_familiarity`]; at least [`MIN_TYPICAL_FAMILIARITY`].
fn typical_familiarity(
    ex_content: &[Vec<u32>],
    df: &[u32],
    idf: &[f32],
    unknown_idf: impl Fn(u32) -> f32,
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
                unknown += unknown_idf(f);
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
