//! `shared-keyword` and `same-terms-example`: what was meant to tell two
//! intents apart is shared by both.
//!
//! * **`shared-keyword`**: intents A and B list a keyword with the same
//!   terms (normalised and stemmed like user input, see
//!   [`super::keywords::keyword_terms`]), and every keyword of A is also a
//!   keyword of B (or the other way round): A's keywords add the same
//!   evidence to B, so they cannot tell A from B, and only the examples
//!   decide. Keywords that [`super::keywords`] already reports as too
//!   common are left to that rule.
//! * **`same-terms-example`**: an example of A and one of B differ as
//!   written but are the same to the matcher: the same sequence of content
//!   terms (stop words dropped, stems compared, e.g. "resetting the PINs" and
//!   "reset a PIN"). No word of either can tell the two intents apart on
//!   it. Examples the same after folding are `duplicate-example`s.
//!
//! Each finding points at the later intent (by id) and names both.

use super::keywords::{keyword_terms, COMMON_MIN};
use super::locate::SourceIndex;
use super::{Finding, Witness};
use crate::error::Diagnostic;
use crate::Engine;
use std::collections::{BTreeSet, HashMap};

/// Runs both rules.
pub fn run(engine: &Engine, index: &SourceIndex<'_>) -> Vec<Finding> {
    let mut out = shared_keywords(engine, index);
    out.extend(same_terms_examples(engine, index));
    out
}

fn shared_keywords(engine: &Engine, index: &SourceIndex<'_>) -> Vec<Finding> {
    let kb = engine.knowledge_base();
    let norm = engine.matcher().normalizer();
    // Per intent: its keywords' term sequences (and the first spelling).
    let sets: Vec<BTreeSet<Vec<String>>> = kb
        .intents
        .iter()
        .map(|d| {
            d.keywords
                .iter()
                .map(|k| keyword_terms(norm, k.word()))
                .filter(|t| !t.is_empty())
                .collect()
        })
        .collect();
    let mut by_terms: HashMap<&Vec<String>, Vec<usize>> = HashMap::new();
    for (i, set) in sets.iter().enumerate() {
        for t in set {
            by_terms.entry(t).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    let mut reported = std::collections::HashSet::new();
    let mut shared: Vec<(&Vec<String>, &Vec<usize>)> = by_terms
        .iter()
        .filter(|(_, owners)| owners.len() >= 2 && owners.len() < COMMON_MIN)
        .map(|(t, o)| (*t, o))
        .collect();
    shared.sort();
    for (terms, owners) in shared {
        for (x, &a) in owners.iter().enumerate() {
            for &b in &owners[x + 1..] {
                let (sa, sb) = (&sets[a], &sets[b]);
                if !(sa.is_subset(sb) || sb.is_subset(sa)) || !reported.insert((a, b)) {
                    continue;
                }
                let (first, later) = (&kb.intents[a], &kb.intents[b]);
                let word = |i: usize| {
                    kb.intents[i]
                        .keywords
                        .iter()
                        .map(|k| k.word())
                        .find(|w| keyword_terms(norm, w) == *terms)
                        .unwrap_or_default()
                        .to_string()
                };
                let (wa, wb) = (word(a), word(b));
                let spot = index.value(b, "keywords", &wb);
                let first_spot = index.value(a, "keywords", &wa);
                let mut d = Diagnostic::warning(
                    "shared-keyword",
                    format!(
                        "keyword {wb:?} of `{}` is also a keyword of `{}`, and it is all their keywords have to tell them apart",
                        later.id, first.id
                    ),
                )
                .at(spot.location)
                .related(first_spot.location, format!("also a keyword of `{}`", first.id))
                .hint(format!(
                    "give `{}` and `{}` keywords of their own, or keep {wb:?} in the intent it names",
                    first.id, later.id
                ));
                d.len = spot.len;
                out.push(Finding {
                    diagnostic: d,
                    witness: None,
                });
            }
        }
    }
    out
}

fn same_terms_examples(engine: &Engine, index: &SourceIndex<'_>) -> Vec<Finding> {
    let kb = engine.knowledge_base();
    let norm = engine.matcher().normalizer();
    let mut seen: HashMap<Vec<String>, (usize, usize, String)> = HashMap::new();
    let mut out = Vec::new();
    for (ii, def) in kb.intents.iter().enumerate() {
        for (ei, ex) in def.examples.iter().enumerate() {
            let folded = norm.fold(ex);
            let terms: Vec<String> = norm
                .tokens_of_folded(&folded)
                .into_iter()
                .filter(|t| !t.stop)
                .map(|t| t.term)
                .collect();
            if terms.is_empty() {
                continue;
            }
            match seen.get(&terms) {
                // Same folded text: a duplicate-example, reported there.
                Some((fi, fe, ff)) if *fi != ii && *ff != folded => {
                    let first = &kb.intents[*fi];
                    let first_ex = &first.examples[*fe];
                    let spot = index.value(ii, "examples", ex);
                    let first_spot = index.value(*fi, "examples", first_ex);
                    let mut d = Diagnostic::warning(
                        "same-terms-example",
                        format!(
                            "example {ex:?} of `{}` is the same to the matcher as {first_ex:?} of `{}` (terms: {})",
                            def.id,
                            first.id,
                            terms.join(" ")
                        ),
                    )
                    .at(spot.location)
                    .related(first_spot.location, format!("an example of `{}`", first.id))
                    .hint("reword one of them with the words that tell the two intents apart");
                    d.len = spot.len;
                    out.push(Finding {
                        diagnostic: d,
                        witness: Some(Witness::Duplicate {
                            example: ex.clone(),
                            intent: def.id.clone(),
                            other_intent: first.id.clone(),
                        }),
                    });
                }
                Some(_) => {}
                None => {
                    seen.insert(terms, (ii, ei, folded));
                }
            }
        }
    }
    out
}
