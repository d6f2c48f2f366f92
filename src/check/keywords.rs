//! `common-keyword`: a keyword so common that it cannot tell intents apart.
//!
//! A keyword is *used by* an intent when its words (normalised and stemmed
//! like user input; stop words dropped unless the keyword has nothing
//! else) occur, contiguously, in that intent's title, one of its examples
//! or one of its keywords. The rule: a keyword used by more than
//! [`COMMON_SHARE`] of all intents, and by at least [`COMMON_MIN`] of them,
//! is reported once, at the first intent that lists it.
//!
//! Why these numbers: the matcher already scales a keyword's evidence by
//! its *specificity* ln((N + 1) / n) / ln(N + 1) (see [`crate::matcher`]);
//! a word used by a quarter of the intents keeps well under half of its
//! weight in any knowledge base of more than a dozen intents, so listing
//! it buys little and suggests a signal that is not there. [`COMMON_MIN`]
//! keeps tiny knowledge bases (where two intents are already "a quarter")
//! quiet.

use super::locate::SourceIndex;
use super::{Finding, Witness};
use crate::error::Diagnostic;
use crate::normalize::Normalizer;
use crate::Engine;
use std::collections::{BTreeMap, HashMap};

/// Share of all intents above which a keyword is too common (0.0..=1.0).
pub const COMMON_SHARE: f32 = 0.25;
/// Fewest intents that must use a keyword for it to be too common.
pub const COMMON_MIN: usize = 4;
/// How many of the intents that use a keyword a finding names.
const SAMPLE: usize = 5;

/// The matched terms of `text`: non-stop terms, or all terms when it has
/// only stop words (the way the matcher reads keywords).
pub fn keyword_terms(norm: &Normalizer, text: &str) -> Vec<String> {
    let toks = norm.tokens(text);
    let content: Vec<String> = toks
        .iter()
        .filter(|t| !t.stop)
        .map(|t| t.term.clone())
        .collect();
    if content.is_empty() {
        toks.into_iter().map(|t| t.term).collect()
    } else {
        content
    }
}

/// Runs the rule.
pub fn run(engine: &Engine, index: &SourceIndex<'_>) -> Vec<Finding> {
    let kb = engine.knowledge_base();
    let norm = engine.matcher().normalizer();
    let n = kb.intents.len();
    // Per intent: its term sequences (title, examples, keywords).
    let seqs: Vec<Vec<Vec<String>>> = kb
        .intents
        .iter()
        .map(|d| {
            std::iter::once(&d.title)
                .chain(&d.examples)
                .map(|t| keyword_terms(norm, t))
                .chain(d.keywords.iter().map(|k| keyword_terms(norm, k.word())))
                .filter(|s| !s.is_empty())
                .collect()
        })
        .collect();
    // term -> intents (ascending) that use it anywhere.
    let mut by_term: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, ss) in seqs.iter().enumerate() {
        for t in ss.iter().flatten() {
            let v = by_term.entry(t.as_str()).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
    }
    // Distinct keywords by their terms: (first intent, keyword text) and all listers.
    let mut keywords: BTreeMap<Vec<String>, Vec<(usize, String)>> = BTreeMap::new();
    for (i, d) in kb.intents.iter().enumerate() {
        for k in &d.keywords {
            let terms = keyword_terms(norm, k.word());
            if !terms.is_empty() {
                keywords
                    .entry(terms)
                    .or_default()
                    .push((i, k.word().to_string()));
            }
        }
    }
    let mut out = Vec::new();
    for (terms, listers) in &keywords {
        let Some(cands) = by_term.get(terms[0].as_str()) else {
            continue;
        };
        let users: Vec<usize> = if terms.len() == 1 {
            cands.clone()
        } else {
            cands
                .iter()
                .copied()
                .filter(|&i| {
                    seqs[i]
                        .iter()
                        .any(|s| s.windows(terms.len()).any(|w| w == &terms[..]))
                })
                .collect()
        };
        if users.len() < COMMON_MIN || (users.len() as f32) <= COMMON_SHARE * n as f32 {
            continue;
        }
        let (first, word) = &listers[0];
        let spot = index.value(*first, "keywords", word);
        let mut d = Diagnostic::warning(
            "common-keyword",
            format!(
                "keyword {word:?} of `{}` is used by {} of {n} intents ({:.0}%), so it cannot tell them apart",
                kb.intents[*first].id,
                users.len(),
                100.0 * users.len() as f32 / n as f32
            ),
        )
        .at(spot.location)
        .hint("remove it, or use a longer phrase that only this intent's questions contain");
        d.len = spot.len;
        for (i, w) in listers.iter().skip(1).take(SAMPLE) {
            let s = index.value(*i, "keywords", w);
            d = d.related(
                s.location,
                format!("also a keyword of `{}`", kb.intents[*i].id),
            );
        }
        out.push(Finding {
            diagnostic: d,
            witness: Some(Witness::CommonKeyword {
                keyword: word.clone(),
                used_by: users.len(),
                intents: n,
                sample: users
                    .iter()
                    .take(SAMPLE)
                    .map(|&i| kb.intents[i].id.clone())
                    .collect(),
            }),
        });
    }
    out
}
