//! The calibration samples of a knowledge base: what is held out, and
//! how the second matcher's rankings of it become [`Sample`]s (see the
//! parent module's doc).

use super::{fit, Calibration, Observation, Sample, HELD_OUT_EVERY, MAX_HELD_OUT, MAX_IN_SCOPE};
use super::{BACKGROUND_WEIGHT, FOLDS, HELD_OUT_WEIGHT, SMALL_KB, SUB_BUDGET};
use crate::kb::KnowledgeBase;
use crate::matcher::{intent_hash, stable_hash};
use crate::normalize::Normalizer;
use crate::schema::IntentKind;

/// The bundled background sentences (`data/background/out-of-domain.txt`).
pub fn background() -> impl Iterator<Item = &'static str> {
    include_str!("../../../data/background/out-of-domain.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

/// Fits the calibration of `kb` (see the module doc): [`split`]s the
/// samples off, calls `build` once with the rest to get a ranker (text →
/// the top intent, if any, and its [`Observation`]), ranks every sample
/// with it and [`fit`]s the model. `fold` is [`Normalizer::fold`] (the
/// caller may read it from a cache).
pub fn fit_to<D, F, R>(kb: &KnowledgeBase, fold: D, build: F) -> Calibration
where
    D: Fn(&str) -> String,
    F: Fn(&KnowledgeBase) -> R,
    R: Fn(&str) -> (Option<usize>, Observation),
{
    let examples: usize = kb.intents.iter().map(|d| d.examples.len()).sum();
    let folds = if examples <= SMALL_KB { FOLDS } else { 1 };
    let mut samples: Vec<Sample> = Vec::new();
    let mut held: Vec<Observation> = Vec::new();
    let mut other: Vec<Observation> = Vec::new();
    let fold_text = fold;
    for fold in 0..folds {
        let split = split_with(kb, &fold_text, fold, folds);
        let rank = build(&split.rest);
        samples.extend(split.in_scope.iter().map(|(text, i)| {
            let (top, observation) = rank(text);
            Sample {
                observation,
                right: top == Some(*i),
                weight: 1.0,
            }
        }));
        held.extend(split.held_out.iter().map(|t| rank(t).1));
        if fold == 0 {
            other.extend(background().map(|t| rank(t).1));
        }
    }
    let n_in = samples.len();
    let n_out = held.len() + other.len();
    for (set, share) in [(held, HELD_OUT_WEIGHT), (other, BACKGROUND_WEIGHT)] {
        let w = oos_weight(n_in, set.len(), share);
        samples.extend(set.into_iter().map(|observation| Sample {
            observation,
            right: false,
            weight: w,
        }));
    }
    fit(&samples, n_in, n_out, kb.settings.is_english())
}

/// What [`split`] sets aside for the calibration.
#[derive(Clone, Debug)]
pub struct Split {
    /// The knowledge base the second matcher is built from: same intents
    /// in the same order, without the held-out examples, held-out and
    /// small-talk intents emptied, no patterns.
    pub rest: KnowledgeBase,
    /// Held-out examples: (text, index of its intent).
    pub in_scope: Vec<(String, usize)>,
    /// Examples of held-out intents.
    pub held_out: Vec<String>,
    /// Intents emptied because they are held out (indices).
    pub held_out_intents: Vec<usize>,
}

/// Sets the calibration samples aside (see the module doc). Every choice
/// is by a stable hash of the text, so it does not depend on ids or order.
pub fn split(kb: &KnowledgeBase, norm: &Normalizer, fold: usize, folds: usize) -> Split {
    split_with(kb, &|t: &str| norm.fold(t), fold, folds)
}

/// [`split`] with `fold_text`, [`Normalizer::fold`] (perhaps from a cache).
fn split_with(
    kb: &KnowledgeBase,
    fold_text: &dyn Fn(&str) -> String,
    fold: usize,
    folds: usize,
) -> Split {
    let faq: Vec<usize> = (0..kb.intents.len())
        .filter(|&i| kb.intents[i].kind == IntentKind::Faq)
        .collect();
    let mut order = faq.clone();
    // The key (a hash of every text of the intent) is computed once per intent.
    order.sort_by_cached_key(|&i| {
        let d = &kb.intents[i];
        (intent_hash(d), i)
    });
    let held_out_intents: Vec<usize> = if faq.len() >= 3 {
        let mut v: Vec<usize> = order
            .iter()
            .copied()
            .skip(fold % HELD_OUT_EVERY)
            .step_by(HELD_OUT_EVERY)
            .collect();
        v.sort_unstable();
        v
    } else {
        Vec::new()
    };
    let per_intent = (SUB_BUDGET / faq.len().max(1)).max(2);
    let mut rest = kb.clone();
    let mut in_scope = Vec::new();
    let mut held_out = Vec::new();
    for d in &mut rest.intents {
        d.patterns.clear();
        // Small talk ("hi", "thank you", "good morning") is emptied like a
        // held-out intent: a background sentence that says "thanks" or
        // "hello" would rank it first and so never teach the fit what an
        // FAQ intent's weak match on an unrelated message looks like, and
        // the fit grew lenient whenever `import --small-talk` added its
        // three intents (twelve sheets: 58 right and 5 wrong answers of 360
        // without them, 54 and 11 with them; 57 and 8 with this).
        if d.kind == IntentKind::SmallTalk {
            d.examples.clear();
            d.title.clear();
            d.keywords.clear();
            d.answer.clear();
        }
    }
    for &i in &faq {
        let d = &mut rest.intents[i];
        if held_out_intents.binary_search(&i).is_ok() {
            held_out.append(&mut d.examples);
            if !d.title.trim().is_empty() && !held_out.contains(&d.title) {
                held_out.push(std::mem::take(&mut d.title));
            }
            d.title.clear();
            d.keywords.clear();
            continue;
        }
        let texts = d.examples.len() + usize::from(!d.title.trim().is_empty());
        if texts < 2 {
            continue;
        }
        let mut by_hash: Vec<(u64, usize)> = d
            .examples
            .iter()
            .enumerate()
            .map(|(k, e)| (stable_hash(e), k))
            .collect();
        by_hash.sort_unstable();
        // Fold f of k holds out the examples at hash-order positions ≡ f
        // (mod k); a single fold holds out the first third.
        let out_at = |p: usize| {
            if folds <= 1 {
                p < (d.examples.len() / 3).max(1)
            } else {
                p % folds == fold % folds
            }
        };
        let mut out: Vec<usize> = (0..by_hash.len()).filter(|&p| out_at(p)).collect();
        out.truncate(texts - 1);
        let title = fold_text(&d.title);
        let mut keep = vec![false; d.examples.len()];
        for &(_, k) in by_hash
            .iter()
            .enumerate()
            .filter(|(p, _)| !out.contains(p))
            .map(|(_, x)| x)
            .take(per_intent)
        {
            keep[k] = true;
        }
        for &(_, k) in out.iter().map(|&p| &by_hash[p]) {
            if !d.title.is_empty() && fold_text(&d.examples[k]) == title {
                d.title.clear();
            }
            in_scope.push((d.examples[k].clone(), i));
        }
        let mut k = 0;
        d.examples.retain(|_| {
            k += 1;
            keep[k - 1]
        });
    }
    in_scope.sort_by_cached_key(|(t, i)| (stable_hash(t), *i));
    in_scope.truncate(MAX_IN_SCOPE);
    held_out.sort_by_cached_key(|t| stable_hash(t));
    held_out.truncate(MAX_HELD_OUT);
    Split {
        rest,
        in_scope,
        held_out,
        held_out_intents,
    }
}

/// The weight of each of `out_of_scope` samples so that all of them
/// together weigh `share` (0.0..=1.0) of the `in_scope` samples (1.0 each;
/// at least 10 are assumed, so that a tiny knowledge base still learns
/// what out of scope looks like).
pub fn oos_weight(in_scope: usize, out_of_scope: usize, share: f32) -> f32 {
    if out_of_scope == 0 {
        return 0.0;
    }
    share * in_scope.max(10) as f32 / out_of_scope as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_sentences_are_bundled() {
        assert!(background().count() >= 200);
    }

    #[test]
    fn out_of_scope_samples_weigh_a_fixed_share() {
        let w = oos_weight(100, 400, HELD_OUT_WEIGHT);
        assert!((w * 400.0 - HELD_OUT_WEIGHT * 100.0).abs() < 1e-4);
        assert_eq!(oos_weight(100, 0, HELD_OUT_WEIGHT), 0.0);
        // A tiny knowledge base counts as 10 in-scope samples.
        assert!((oos_weight(2, 50, 0.5) * 50.0 - 5.0).abs() < 1e-4);
    }
}
