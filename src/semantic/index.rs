//! The embedded knowledge base and per-intent similarity of a question.

use super::cache::{self, Cache};
use super::model::Model;
use crate::kb::KnowledgeBase;
use rayon::prelude::*;
use std::path::Path;

/// Weight of the answer text's similarity in [`IntentSimilarity::score`]:
/// the answer is weaker evidence than a phrasing of the question. 0.5 is
/// the throwaway prototype's choice behind issue 14 ("question + 0.5 ×
/// answer", top-1 0.75 on 122 customer questions of four imported FAQs).
pub const ANSWER_WEIGHT: f32 = 0.5;

/// What a phrasing is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhrasingKind {
    /// The intent's `title` (its canonical question).
    Title,
    /// One of the intent's `examples`.
    Example,
    /// The intent's title followed by its answer, embedded as one text:
    /// customers describe their situation, and the answer's words often
    /// say it better than the title's (on the three ten-row spreadsheets
    /// of `tests/fixtures`, pure semantic top-1 0.63/0.63/0.47 by the
    /// closest title or example, 0.87/0.77/0.70 by title + answer). Only
    /// for intents with both a title and an answer.
    TitleAnswer,
}

/// The text embedded for [`PhrasingKind::TitleAnswer`]: the title, a
/// space, the answer (`None` when either is blank).
pub fn title_answer(title: &str, answer: &str) -> Option<String> {
    (!title.trim().is_empty() && !answer.trim().is_empty())
        .then(|| format!("{} {}", title.trim(), answer.trim()))
}

/// One embedded phrasing of an intent's question.
#[derive(Clone, Debug, PartialEq)]
pub struct Phrasing {
    /// Index of the intent in the knowledge base.
    pub intent: usize,
    /// Title or example.
    pub kind: PhrasingKind,
    /// The text as written in the knowledge base.
    pub text: String,
}

/// The semantic evidence for one intent, for one question.
#[derive(Clone, Debug, PartialEq)]
pub struct IntentSimilarity {
    /// Index of the intent in the knowledge base.
    pub intent: usize,
    /// Cosine similarity (-1.0..=1.0; in practice about -0.1..=1.0) of the
    /// question to the closest of the intent's phrasings (title, examples,
    /// title + answer); -1.0 when the intent has none.
    pub phrasing: f32,
    /// Index into [`SemanticIndex::phrasings`] of that closest phrasing.
    pub closest: Option<usize>,
    /// Cosine similarity (-1.0..=1.0) of the question to the intent's answer.
    pub answer: f32,
    /// `phrasing + ANSWER_WEIGHT × answer` (-1.5..=1.5): the ranking score,
    /// raw evidence, not a probability; the calibration maps it.
    pub score: f32,
}

/// The knowledge base's titles, examples and answers, embedded.
///
/// Memory: `dim` × 4 bytes per text (1.5 KB for MiniLM, 3 KB for MPNet), i.e. about 15 MB
/// for a 10,000-example knowledge base.
#[derive(Clone, Debug)]
pub struct SemanticIndex {
    dim: usize,
    phrasings: Vec<Phrasing>,
    /// `[phrasings.len(), dim]`, row-major, rows L2-normalised.
    phrasing_vecs: Vec<f32>,
    /// `[intents, dim]`, row-major.
    answer_vecs: Vec<f32>,
    /// The bundled background sentences (out-of-scope samples of the
    /// fusion's fit, [`crate::matcher::calibrate::background`]),
    /// `[n, dim]`, row-major.
    background_vecs: Vec<f32>,
    intents: usize,
    stats: cache::Stats,
}

impl SemanticIndex {
    /// Embeds every title, example and answer of `kb` with `model`, reusing
    /// the embeddings cached in `cache_dir` when the same model embedded the
    /// same texts before (see [`super::cache`]); `None` disables the cache.
    /// Embedding runs on rayon's pool; cost without the cache is about
    /// 3–10 ms of CPU per text (the 200-text MINI knowledge base: about a
    /// second on two cores), with it a file read.
    ///
    /// Never fails: a cache that cannot be read or written is ignored (the
    /// texts are embedded again); see [`SemanticIndex::stats`].
    pub fn build(model: &Model, kb: &KnowledgeBase, cache_dir: Option<&Path>) -> Self {
        let mut phrasings = Vec::new();
        for (i, intent) in kb.intents.iter().enumerate() {
            let title = intent.phrasing_title();
            let kinds = title
                .into_iter()
                .map(|t| (PhrasingKind::Title, t.to_string()))
                .chain(
                    intent
                        .examples
                        .iter()
                        .map(|e| (PhrasingKind::Example, e.clone())),
                )
                .chain(
                    title
                        .and_then(|t| title_answer(t, &intent.answer))
                        .map(|t| (PhrasingKind::TitleAnswer, t)),
                );
            for (kind, text) in kinds {
                phrasings.push(Phrasing {
                    intent: i,
                    kind,
                    text,
                });
            }
        }
        let texts: Vec<&str> = phrasings
            .iter()
            .map(|p| p.text.as_str())
            .chain(kb.intents.iter().map(|i| i.answer.as_str()))
            .chain(crate::matcher::calibrate::background().map(|t| -> &str { t }))
            .collect();
        let cache = cache_dir.map(|d| Cache::new(d, model.fingerprint()));
        let (vecs, stats) = embed_all(model, &texts, cache.as_ref());
        let dim = model.dim();
        let split = phrasings.len() * dim;
        let answers_end = split + kb.intents.len() * dim;
        SemanticIndex {
            dim,
            phrasing_vecs: vecs[..split].to_vec(),
            answer_vecs: vecs[split..answers_end].to_vec(),
            background_vecs: vecs[answers_end..].to_vec(),
            phrasings,
            intents: kb.intents.len(),
            stats,
        }
    }

    /// The embedded phrasings, in knowledge-base order (per intent: title
    /// first, then its examples).
    pub fn phrasings(&self) -> &[Phrasing] {
        &self.phrasings
    }

    /// The embedding (`dim` values, L2 norm 1) of phrasing `p` (an index
    /// into [`Self::phrasings`]); empty when out of range.
    pub fn phrasing_vec(&self, p: usize) -> &[f32] {
        self.phrasing_vecs
            .get(p * self.dim..(p + 1) * self.dim)
            .unwrap_or(&[])
    }

    /// How `/why` names phrasing `p`: its text, or for a
    /// [`PhrasingKind::TitleAnswer`] its intent's title followed by
    /// " + answer"; `None` when out of range.
    pub fn closest_label(&self, p: usize) -> Option<String> {
        let ph = self.phrasings.get(p)?;
        if ph.kind != PhrasingKind::TitleAnswer {
            return Some(ph.text.clone());
        }
        let title = self
            .phrasings
            .iter()
            .find(|t| t.intent == ph.intent && t.kind == PhrasingKind::Title)
            .map_or("", |t| t.text.as_str());
        Some(format!("{title} + answer"))
    }

    /// Whether phrasing `p` is an intent's title embedded with its answer
    /// ([`PhrasingKind::TitleAnswer`]); `false` when out of range.
    pub fn is_title_answer(&self, p: usize) -> bool {
        self.phrasings
            .get(p)
            .is_some_and(|ph| ph.kind == PhrasingKind::TitleAnswer)
    }

    /// The embeddings of the bundled background sentences, in file order.
    pub fn background_vecs(&self) -> impl Iterator<Item = &[f32]> {
        self.background_vecs.chunks_exact(self.dim.max(1))
    }

    /// How the index was built: texts embedded, texts read from the cache.
    pub fn stats(&self) -> &cache::Stats {
        &self.stats
    }

    /// Embeds `question` with `model` and returns [`Self::similarities_to`]
    /// of it. Cost: one [`Model::embed`] (milliseconds) plus a dot product
    /// per text.
    pub fn similarities(&self, model: &Model, question: &str) -> Vec<IntentSimilarity> {
        self.similarities_to(&model.embed(question))
    }

    /// Per-intent similarity to an embedded question (`dim` values, L2
    /// norm 1, from the same model), one entry per intent, best
    /// [`IntentSimilarity::score`] first (ties: knowledge-base order). A
    /// vector of another length gives an empty list.
    pub fn similarities_to(&self, q: &[f32]) -> Vec<IntentSimilarity> {
        self.similarities_where(q, |_| true, |_| true)
    }

    /// [`Self::similarities_to`] over part of the index: the phrasings `p`
    /// with `keep_phrasing(p)` and the answers of the intents `i` with
    /// `keep_answer(i)`. An intent with neither is left out (the fusion's
    /// fit uses this to hold examples and whole intents out).
    pub fn similarities_where(
        &self,
        q: &[f32],
        keep_phrasing: impl Fn(usize) -> bool,
        keep_answer: impl Fn(usize) -> bool,
    ) -> Vec<IntentSimilarity> {
        if q.len() != self.dim || self.dim == 0 {
            return Vec::new();
        }
        let mut has_answer = vec![false; self.intents];
        let mut out: Vec<IntentSimilarity> = (0..self.intents)
            .map(|i| {
                has_answer[i] = keep_answer(i);
                IntentSimilarity {
                    intent: i,
                    phrasing: -1.0,
                    closest: None,
                    answer: if has_answer[i] {
                        dot(q, &self.answer_vecs[i * self.dim..(i + 1) * self.dim])
                    } else {
                        -1.0
                    },
                    score: 0.0,
                }
            })
            .collect();
        for (p, (phrasing, v)) in self
            .phrasings
            .iter()
            .zip(self.phrasing_vecs.chunks_exact(self.dim))
            .enumerate()
        {
            if !keep_phrasing(p) {
                continue;
            }
            let s = dot(q, v);
            let e = &mut out[phrasing.intent];
            if e.closest.is_none() || s > e.phrasing {
                e.phrasing = s;
                e.closest = Some(p);
            }
        }
        out.retain(|e| e.closest.is_some() || has_answer[e.intent]);
        for e in &mut out {
            e.score = e.phrasing + ANSWER_WEIGHT * e.answer;
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.intent.cmp(&b.intent)));
        out
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Embeds `texts` (`[texts.len(), dim]`), from the cache where it has them.
fn embed_all(model: &Model, texts: &[&str], cache: Option<&Cache>) -> (Vec<f32>, cache::Stats) {
    let dim = model.dim();
    let known = cache.map(|c| c.lookup(texts, dim)).unwrap_or_default();
    let missing: Vec<usize> = (0..texts.len())
        .filter(|&i| !known.contains_key(texts[i]))
        .collect();
    let fresh: Vec<Vec<f32>> = missing.par_iter().map(|&i| model.embed(texts[i])).collect();
    let mut vecs = Vec::with_capacity(texts.len() * dim);
    let mut fresh_iter = fresh.iter();
    for t in texts {
        match known.get(*t) {
            Some(v) => vecs.extend_from_slice(v),
            None => vecs.extend_from_slice(fresh_iter.next().map_or(&[][..], |v| v)),
        }
    }
    let mut stats = cache::Stats {
        texts: texts.len(),
        embedded: missing.len(),
        cached: texts.len() - missing.len(),
        saved: false,
    };
    if let Some(c) = cache {
        if !missing.is_empty() || !c.file_for(texts).is_file() {
            stats.saved = c.store(texts, &vecs, dim).is_ok();
        }
    }
    (vecs, stats)
}
