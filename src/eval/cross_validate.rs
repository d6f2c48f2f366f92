//! `faqbot eval --cross-validate`: how well a knowledge base answers
//! phrasings it has never seen, estimated from its own examples.
//!
//! k-fold cross-validation, as a support author would run it before
//! customers do: each intent's examples are dealt into `k` folds; for each
//! fold a bot is built from the knowledge base without that fold's examples
//! (same intents, titles, keywords, patterns, answers and settings) and
//! answers them, each in a fresh session. The predictions of all folds are
//! scored together as one labelled file would be ([`super::score`]): the
//! same [`Report`] as `faqbot eval FILE`, where an example's label is its
//! own intent, and the examples of an out-of-scope intent are out-of-scope
//! lines (they must get no answer).
//!
//! The deal is deterministic and does not depend on file order or ids: an
//! intent's examples are sorted by a hash of their text and the `j`-th goes
//! to fold `j mod k`, so every fold holds out at most `⌈n / k⌉` of an
//! intent's `n` examples. Every intent keeps a phrasing in every fold: its
//! title (matched as one more example, except an out-of-scope intent's),
//! or, without one, at least one example. An example that repeats the
//! title (case aside) is never held out: the title would still match it.
//! So an imported spreadsheet row's alternate phrasings are held out (its
//! question stays, as the title), and an intent with neither a title nor a
//! second example keeps its example (listed in
//! [`CrossValidation::kept_whole`]).
//!
//! The figures estimate what customers' own phrasings will get, with two
//! biases to keep in mind: an author's examples resemble each other more
//! than customers' messages resemble them (the estimate is optimistic),
//! and a fold's bot has a fifth fewer examples than the real one (slightly
//! pessimistic). Patterns written from an example still match it when it is
//! held out.

use super::{predict, score, Report};
use crate::kb::KnowledgeBase;
use crate::schema::IntentKind;
use crate::Engine;
use std::time::Duration;

/// Folds `faqbot eval --cross-validate` uses unless told otherwise.
pub const DEFAULT_FOLDS: usize = 5;
/// The most folds accepted (each fold builds a bot: 20 builds).
pub const MAX_FOLDS: usize = 20;

/// One fold: the knowledge base without its held-out examples, and those
/// examples with their labels.
#[derive(Clone, Debug)]
pub struct Fold {
    /// The knowledge base without the fold's examples (intents in the same
    /// order, so intent indices are those of the whole knowledge base).
    pub kb: KnowledgeBase,
    /// Held-out examples: (position among all the knowledge base's
    /// examples, from 1, in intent order; text; label: the intent's id, or
    /// `None` for an out-of-scope intent's example).
    pub held_out: Vec<(usize, String, Option<String>)>,
}

/// The result of [`cross_validate`]; `faqbot eval --cross-validate --json`
/// prints it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CrossValidation {
    /// Folds (bots built), 2..=[`MAX_FOLDS`].
    pub folds: usize,
    /// The intents with examples of which none was held out (a single
    /// example and no title, or examples that only repeat the title), by
    /// id: cross-validation says nothing about them.
    pub kept_whole: Vec<String>,
    /// The held-out examples scored as labelled lines: a miss's `line` is
    /// the example's position among all the knowledge base's examples,
    /// from 1, in intent order.
    pub report: Report,
}

/// Deals the examples of `kb` into `k` folds (see the module doc);
/// `k` is clamped to 2..=[`MAX_FOLDS`].
pub fn folds(kb: &KnowledgeBase, k: usize) -> Vec<Fold> {
    let k = k.clamp(2, MAX_FOLDS);
    let mut held: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); kb.intents.len()]; k];
    for (i, d) in kb.intents.iter().enumerate() {
        // An example that is the title again (an imported row's question)
        // is never held out: the title would still match it.
        let mut order: Vec<usize> = (0..d.examples.len())
            .filter(|&e| !(title_phrasing(d) && same_text(&d.examples[e], &d.title)))
            .collect();
        if order.is_empty() || (order.len() < 2 && !title_phrasing(d)) {
            continue;
        }
        order.sort_by_key(|&e| (crate::matcher::stable_hash(&d.examples[e]), e));
        for (j, e) in order.into_iter().enumerate() {
            held[j % k][i].push(e);
        }
    }
    let mut first = Vec::with_capacity(kb.intents.len());
    let mut n = 0;
    for d in &kb.intents {
        first.push(n);
        n += d.examples.len();
    }
    held.into_iter()
        .map(|per_intent| {
            let mut fold_kb = kb.clone();
            let mut out = Vec::new();
            for (i, mut es) in per_intent.into_iter().enumerate() {
                es.sort_unstable();
                let d = &kb.intents[i];
                let label = (d.kind != IntentKind::OutOfScope).then(|| d.id.clone());
                for &e in &es {
                    out.push((first[i] + e + 1, d.examples[e].clone(), label.clone()));
                }
                let kept = &mut fold_kb.intents[i].examples;
                let mut e = 0;
                kept.retain(|_| {
                    let keep = es.binary_search(&e).is_err();
                    e += 1;
                    keep
                });
            }
            out.sort_by_key(|h| h.0);
            Fold {
                kb: fold_kb,
                held_out: out,
            }
        })
        .collect()
}

/// Whether an intent's title is matched as one more phrasing (see the
/// `title` field in docs/authoring.md): a title an FAQ, small-talk or
/// handoff intent has.
fn title_phrasing(d: &crate::schema::IntentDef) -> bool {
    d.kind != IntentKind::OutOfScope && !d.title.trim().is_empty()
}

/// Whether two phrasings are the same text but for case and surrounding
/// spaces.
fn same_text(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The example at `position` (from 1, counted over all the knowledge
/// base's examples in intent order, as [`Fold::held_out`] and a
/// cross-validation miss's `line` count): (intent index, example index);
/// `None` past the last example.
pub fn example_at(kb: &KnowledgeBase, position: usize) -> Option<(usize, usize)> {
    let mut n = position.checked_sub(1)?;
    for (i, d) in kb.intents.iter().enumerate() {
        if n < d.examples.len() {
            return Some((i, n));
        }
        n -= d.examples.len();
    }
    None
}

/// Cross-validates the knowledge base of `engine` in `k` folds (see the
/// module doc): one bot per fold, built as `engine` was (with its semantic
/// stage's model when it has one; a fold's calibration is fitted on the
/// fold's own examples, not read from a cache). Cost: `k` bot builds plus
/// one reply per example.
pub fn cross_validate(engine: &Engine, k: usize) -> CrossValidation {
    let kb = engine.knowledge_base();
    let folds = folds(kb, k);
    let mut preds = Vec::new();
    let mut labels = Vec::new();
    let mut held = Vec::new();
    let mut elapsed = Duration::ZERO;
    for fold in &folds {
        let bot = Engine::new(fold.kb.clone());
        let stage = engine
            .semantic()
            .for_kb(bot.knowledge_base(), bot.matcher());
        let bot = bot.with_semantic(stage);
        let (p, t) = predict(&bot, fold.held_out.iter().map(|h| h.1.as_str()));
        elapsed += t;
        preds.extend(p);
        labels.extend(fold.held_out.iter().map(|h| h.2.clone()));
        held.extend(fold.held_out.iter().map(|h| (h.0, h.1.clone())));
    }
    // Back to the knowledge base's order, so that misses read in file order.
    let mut order: Vec<usize> = (0..held.len()).collect();
    order.sort_by_key(|&j| held[j].0);
    let preds: Vec<_> = order.iter().map(|&j| preds[j].clone()).collect();
    let labels: Vec<_> = order.iter().map(|&j| labels[j].clone()).collect();
    let held: Vec<_> = order.iter().map(|&j| held[j].clone()).collect();
    let dealt: std::collections::HashSet<usize> = held
        .iter()
        .filter_map(|h| example_at(kb, h.0).map(|(i, _)| i))
        .collect();
    let mut report = score(engine, &preds, &labels, elapsed);
    for m in &mut report.misses {
        let (at, text) = &held[m.line - 1];
        m.line = *at;
        m.text.clone_from(text);
    }
    CrossValidation {
        folds: folds.len(),
        kept_whole: kb
            .intents
            .iter()
            .enumerate()
            .filter(|(i, d)| !d.examples.is_empty() && !dealt.contains(i))
            .map(|(_, d)| d.id.clone())
            .collect(),
        report,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_is_held_out_once_and_each_intent_keeps_one() {
        let kb = KnowledgeBase::bundled().unwrap();
        let unlike_title = |d: &crate::schema::IntentDef| {
            d.examples
                .iter()
                .filter(|e| !(title_phrasing(d) && same_text(e, &d.title)))
                .count()
        };
        let total: usize = kb
            .intents
            .iter()
            .filter(|d| unlike_title(d) >= 2 || (title_phrasing(d) && unlike_title(d) == 1))
            .map(unlike_title)
            .sum();
        for k in [2, 5, 7] {
            let fs = folds(&kb, k);
            assert_eq!(fs.len(), k);
            let mut seen: Vec<usize> = fs
                .iter()
                .flat_map(|f| f.held_out.iter().map(|h| h.0))
                .collect();
            seen.sort_unstable();
            let n = seen.len();
            seen.dedup();
            assert_eq!(seen.len(), n, "an example held out twice");
            assert_eq!(n, total);
            for f in &fs {
                for (i, d) in f.kb.intents.iter().enumerate() {
                    let all = kb.intents[i].examples.len();
                    let phrasings = d.examples.len() + usize::from(title_phrasing(d));
                    assert!(phrasings > 0 || all == 0, "{} emptied", d.id);
                    let out = all - d.examples.len();
                    assert!(out <= all.div_ceil(k), "{}: {out} of {all} out", d.id);
                }
                for (at, text, label) in &f.held_out {
                    // The position names the example, and the label its intent.
                    let (i, e) = example_at(&kb, *at).unwrap();
                    assert_eq!(&kb.intents[i].examples[e], text);
                    let d = &kb.intents[i];
                    let want = (d.kind != IntentKind::OutOfScope).then(|| d.id.clone());
                    assert_eq!(label, &want);
                    assert!(!f.kb.intents[i].examples.contains(text) || dup(&kb, i, text));
                }
            }
        }
    }

    fn dup(kb: &KnowledgeBase, i: usize, text: &str) -> bool {
        kb.intents[i].examples.iter().filter(|e| *e == text).count() > 1
    }

    #[test]
    fn the_deal_does_not_depend_on_the_order_of_examples() {
        let kb = KnowledgeBase::bundled().unwrap();
        let mut reversed = kb.clone();
        for d in &mut reversed.intents {
            d.examples.reverse();
        }
        let texts = |kb: &KnowledgeBase| -> Vec<Vec<String>> {
            folds(kb, 5)
                .into_iter()
                .map(|f| {
                    let mut t: Vec<String> = f.held_out.into_iter().map(|h| h.1).collect();
                    t.sort();
                    t
                })
                .collect()
        };
        assert_eq!(texts(&kb), texts(&reversed));
    }
}
