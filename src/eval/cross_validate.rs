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
//! intent's distinct texts (copies of one text, case and punctuation
//! aside, go together) are sorted by a hash of the text and the `j`-th goes
//! to fold `(j + o) mod k`, where the intent's offset `o` comes from its
//! smallest hash (so intents with one or two phrasings are spread over the
//! folds); every fold holds out at most `⌈n / k⌉` of an intent's `n`
//! texts. Every intent keeps a phrasing in every fold: its title (matched
//! as one more example, except an out-of-scope intent's), or, without one,
//! at least one text. An example that repeats the title (case and
//! punctuation aside) is never held out: the title would still match it.
//! So an imported spreadsheet row's alternate phrasings are held out (its
//! question stays, as the title), and an intent with neither a title nor a
//! second example keeps its example (listed in
//! [`CrossValidation::kept_whole`]). Small-talk intents are never dealt:
//! their examples stay in every fold and are not scored ("hi" is no
//! question the figures are about).
//!
//! The figures estimate what customers' own phrasings will get, with two
//! biases to keep in mind: an author's examples resemble each other more
//! than customers' messages resemble them (the estimate is optimistic),
//! and a fold's bot has about a `k`-th fewer examples than the real one
//! (slightly pessimistic). Patterns written from an example still match it when it is
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
    /// Folds that held out an example (bots built), 0..=[`MAX_FOLDS`]:
    /// fewer than asked when there are fewer texts to hold out than folds.
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
        // Small talk is no question the figures are about: "hi" counted as
        // an in-scope line made a knowledge base with small talk look
        // better than the same rows without it (trial 25). It stays whole
        // in every fold.
        if d.kind == IntentKind::SmallTalk {
            continue;
        }
        // Copies of one text (case and punctuation aside) are dealt as one:
        // a copy left in would answer its twin. An example that is the
        // title again (an imported row's question) is never held out: the
        // title would still match it.
        let title = title_phrasing(d).then(|| same_text_key(&d.title));
        let mut groups: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for (e, text) in d.examples.iter().enumerate() {
            let key = same_text_key(text);
            if title.as_ref() != Some(&key) {
                groups.entry(key).or_default().push(e);
            }
        }
        if groups.is_empty() || (groups.len() < 2 && title.is_none()) {
            continue;
        }
        let mut units: Vec<(u64, Vec<usize>)> = groups
            .into_iter()
            .map(|(key, es)| (crate::matcher::stable_hash(&key), es))
            .collect();
        units.sort();
        // Each intent starts at a fold of its own (by its smallest hash, so
        // neither ids nor order matter): with one or two phrasings an
        // intent, starting all at fold 0 emptied the later folds.
        let off = (units[0].0 % k as u64) as usize;
        for (j, (_, es)) in units.into_iter().enumerate() {
            held[(j + off) % k][i].extend(es);
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

/// A phrasing's text for telling copies apart: lower case, letters and
/// digits, words separated by one space ("Do you have parking?" and
/// "do you have  parking" are the same text).
fn same_text_key(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
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
    for fold in folds.iter().filter(|f| !f.held_out.is_empty()) {
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
    // Back to the knowledge base's order (intents by id, examples in
    // their order); the CLI sorts located misses by file and line.
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
        folds: folds.iter().filter(|f| !f.held_out.is_empty()).count(),
        kept_whole: kb
            .intents
            .iter()
            .enumerate()
            .filter(|(i, d)| {
                !d.examples.is_empty() && !dealt.contains(i) && d.kind != IntentKind::SmallTalk
            })
            .map(|(_, d)| d.id.clone())
            .collect(),
        report,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distinct texts of an intent that may be held out (not the
    /// title again), by their key.
    fn dealable(d: &crate::schema::IntentDef) -> std::collections::BTreeSet<String> {
        let title = title_phrasing(d).then(|| same_text_key(&d.title));
        d.examples
            .iter()
            .map(|e| same_text_key(e))
            .filter(|k| Some(k) != title.as_ref())
            .collect()
    }

    /// The bundled knowledge base, with copies of examples (one in other
    /// case and punctuation) and the title repeated as an example.
    fn with_copies() -> KnowledgeBase {
        let mut kb = KnowledgeBase::bundled().unwrap();
        for d in kb.intents.iter_mut().take(6) {
            let first = d.examples[0].clone();
            d.examples.push(format!("{}!", first.to_uppercase()));
            d.examples.push(first);
            d.examples.push(d.title.clone());
        }
        kb
    }

    #[test]
    fn every_text_is_held_out_once_with_its_copies_and_each_intent_keeps_one() {
        let kb = with_copies();
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
            for (i, d) in kb.intents.iter().enumerate() {
                let texts = dealable(d);
                let dealt = d.kind != IntentKind::SmallTalk
                    && (texts.len() >= 2 || (title_phrasing(d) && !texts.is_empty()));
                let held: std::collections::BTreeSet<String> = fs
                    .iter()
                    .flat_map(|f| f.held_out.iter())
                    .filter(|h| example_at(&kb, h.0).unwrap().0 == i)
                    .map(|h| same_text_key(&h.1))
                    .collect();
                assert_eq!(
                    held,
                    if dealt { texts } else { Default::default() },
                    "{}",
                    d.id
                );
            }
            for f in &fs {
                for (i, d) in f.kb.intents.iter().enumerate() {
                    let all = kb.intents[i].examples.len();
                    let phrasings = d.examples.len() + usize::from(title_phrasing(d));
                    assert!(phrasings > 0 || all == 0, "{} emptied", d.id);
                    let out = dealable(&kb.intents[i]).len() - dealable(d).len();
                    assert!(
                        out <= dealable(&kb.intents[i]).len().div_ceil(k),
                        "{}",
                        d.id
                    );
                }
                for (at, text, label) in &f.held_out {
                    // The position names the example, and the label its intent.
                    let (i, e) = example_at(&kb, *at).unwrap();
                    assert_eq!(&kb.intents[i].examples[e], text);
                    let d = &kb.intents[i];
                    let want = (d.kind != IntentKind::OutOfScope).then(|| d.id.clone());
                    assert_eq!(label, &want);
                    // No copy of it stays in the fold's bot.
                    let key = same_text_key(text);
                    assert!(
                        !f.kb.intents[i]
                            .examples
                            .iter()
                            .any(|e| same_text_key(e) == key),
                        "{text:?} stays in its fold"
                    );
                }
            }
        }
    }

    #[test]
    fn intents_with_one_phrasing_each_are_spread_over_the_folds() {
        // Ten rows of a sheet, each a title and one alternate: all in
        // fold 0 before, four folds of five empty.
        let mut kb = KnowledgeBase::bundled().unwrap();
        for d in &mut kb.intents {
            d.examples.truncate(1);
        }
        let sizes: Vec<usize> = folds(&kb, 5).iter().map(|f| f.held_out.len()).collect();
        let n: usize = sizes.iter().sum();
        assert!(n >= 20, "{sizes:?}");
        assert!(sizes.iter().all(|&s| s >= 1 && s <= n / 2), "{sizes:?}");
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
