//! The fusion's fit: its samples, drawn from the knowledge base itself at
//! load time, and the weighted logistic regression (see the module doc of
//! [`super::fusion`]).

use super::candidate::candidates;
use super::fusion::{
    Fusion, COEFFICIENTS, CUSTOMER_COEFFICIENTS, FOLDS, MAX_SAMPLES, OOS_SHARE, PRIOR,
    PRIOR_STRENGTH, SPARSE_SAMPLES,
};
use super::index::{IntentSimilarity, PhrasingKind, SemanticIndex};
use super::model::Arch;
use crate::kb::KnowledgeBase;
use crate::matcher::calibrate::logistic;
use crate::matcher::{calibrate, Matcher};
use crate::schema::IntentKind;
use rayon::prelude::*;

impl Fusion {
    /// Fits the fusion of `kb` (see the module doc): `index` is the
    /// embedded knowledge base. Cost: one matcher per fold (as at load)
    /// plus, per sample, a ranking and one dot product per embedded text,
    /// on rayon's pool; no sentence is embedded.
    /// `arch` is the model's: the customer coefficients of a sparse
    /// knowledge base ([`SPARSE_SAMPLES`]) were fitted to
    /// all-MiniLM-L6-v2's cosines, so MPNet's fusion is always fitted.
    pub fn fit_to(
        kb: &KnowledgeBase,
        matcher: &Matcher,
        index: &SemanticIndex,
        arch: Arch,
    ) -> Fusion {
        let rows = fit_samples(kb, matcher, index);
        let faq = |i: usize| kb.intents.get(i).is_some_and(|d| d.kind == IntentKind::Faq);
        let n_in = rows.iter().filter(|r| r.right.is_some()).count();
        let n_oos = rows.len() - n_in;
        let w = if n_oos == 0 {
            0.0
        } else {
            OOS_SHARE * n_in.max(10) as f32 / n_oos as f32
        };
        let examples: usize = kb.intents.iter().map(|d| d.examples.len()).sum();
        let small = examples <= calibrate::SMALL_KB;
        let k = Fusion::semantic_candidates(small);
        let mut samples: Vec<([f32; COEFFICIENTS], bool, f32)> = Vec::new();
        for r in &rows {
            for c in candidates(&r.lexical, &r.sims, k) {
                match r.right {
                    Some(right) => samples.push((c.features(), c.intent == right, 1.0)),
                    None if faq(c.intent) => samples.push((c.features(), false, w)),
                    None => {}
                }
            }
        }
        // A sparse knowledge base's held-out phrasings are no customers'
        // questions: it takes the coefficients fitted to those.
        let sparse = n_in < SPARSE_SAMPLES && arch == Arch::Bert;
        Fusion {
            coefficients: if sparse {
                CUSTOMER_COEFFICIENTS
            } else {
                fit(&samples)
            },
            in_scope: n_in,
            out_of_scope: n_oos,
            small,
            sparse,
        }
    }
}

/// One sample of the fusion's fit: a held-out text's lexical ranking and
/// semantic similarities, as a question would get them.
#[derive(Clone, Debug, PartialEq)]
pub struct FitSample {
    /// The text's intent (an in-scope sample), or `None` (out of scope).
    pub right: Option<usize>,
    /// The lexical ranking (intent, confidence 0.0..=1.0), best first, at
    /// most 5, by a matcher built without the held-out texts.
    pub lexical: Vec<(usize, f32)>,
    /// The semantic similarities ([`SemanticIndex::similarities_where`])
    /// without the held-out phrasings and answers.
    pub sims: Vec<IntentSimilarity>,
}

/// The samples of the fusion's fit of `kb` (see the module doc and
/// [`Fusion::fit_to`]): in-scope ones first per fold.
pub fn fit_samples(kb: &KnowledgeBase, matcher: &Matcher, index: &SemanticIndex) -> Vec<FitSample> {
    let examples: usize = kb.intents.iter().map(|d| d.examples.len()).sum();
    let folds = if examples <= calibrate::SMALL_KB {
        FOLDS
    } else {
        1
    };
    let phrasings = index.phrasings();
    let mut out: Vec<FitSample> = Vec::new();
    for fold in 0..folds {
        let mut split = calibrate::split(kb, matcher.normalizer(), fold, folds);
        split.in_scope.truncate(MAX_SAMPLES);
        split.held_out.truncate(MAX_SAMPLES);
        let held: Vec<bool> = (0..kb.intents.len())
            .map(|i| split.held_out_intents.binary_search(&i).is_ok())
            .collect();
        for &i in &split.held_out_intents {
            // Its answer words are no evidence either.
            split.rest.intents[i].answer.clear();
        }
        let rest = &split.rest;
        let keep_phrasing = |p: usize| {
            let ph = &phrasings[p];
            let d = &rest.intents[ph.intent];
            !held[ph.intent]
                && match ph.kind {
                    PhrasingKind::Title | PhrasingKind::Example => {
                        d.title == ph.text || d.examples.contains(&ph.text)
                    }
                    // Only while the title is in (a held-out example
                    // equal to the title clears it).
                    PhrasingKind::TitleAnswer => !d.title.trim().is_empty(),
                }
        };
        let keep_answer = |i: usize| !held[i];
        let sub = Matcher::new(rest);
        let vec_of = |text: &str, intent: Option<usize>| {
            phrasings
                .iter()
                .position(|ph| {
                    ph.kind != PhrasingKind::TitleAnswer
                        && ph.text == text
                        && intent.is_none_or(|i| ph.intent == i)
                })
                .map(|p| index.phrasing_vec(p))
        };
        let row = |text: &str, v: &[f32], right: Option<usize>| FitSample {
            right,
            lexical: sub
                .rank(text, 5)
                .iter()
                .map(|s| (s.intent, s.confidence))
                .collect(),
            sims: index.similarities_where(v, keep_phrasing, keep_answer),
        };
        out.par_extend(split.in_scope.par_iter().filter_map(|(text, i)| {
            let v = vec_of(text, Some(*i))?;
            Some(row(text, v, Some(*i)))
        }));
        out.par_extend(
            split
                .held_out
                .par_iter()
                .filter_map(|text| Some(row(text, vec_of(text, None)?, None))),
        );
        if fold == 0 {
            let bg: Vec<(&str, &[f32])> = calibrate::background()
                .zip(index.background_vecs())
                .collect();
            out.par_extend(bg.par_iter().map(|(t, v)| row(t, v, None)));
        }
    }
    out
}

/// The fusion's fit ([`logistic::fit`]): the prior [`PRIOR`] ×
/// [`PRIOR_STRENGTH`], at most 25 Newton steps, slopes kept `≥ 0` (the
/// lexical confidence, the phrasing and answer similarities and their
/// leads never lower the probability). Returns
/// the prior when the fit does not converge to finite values.
pub(crate) fn fit(samples: &[([f32; COEFFICIENTS], bool, f32)]) -> [f32; COEFFICIENTS] {
    let xs: Vec<logistic::Sample<COEFFICIENTS>> = samples
        .iter()
        .map(|(x, right, w)| (x.map(f64::from), *right, f64::from(*w)))
        .collect();
    let b = logistic::fit(
        &xs,
        PRIOR.map(f64::from),
        f64::from(PRIOR_STRENGTH),
        25,
        |b| {
            for v in b.iter_mut().skip(1) {
                *v = v.max(0.0);
            }
        },
    );
    let out = b.map(|v| v as f32);
    if out.iter().all(|v| v.is_finite()) {
        out
    } else {
        PRIOR
    }
}
