//! `duplicate-example`: the same example under two intents.
//!
//! Two examples are the same when their folded text is (case, accents,
//! punctuation and contractions do not count). The finding points at the
//! later occurrence, names the first, and says which intent the matcher
//! answers the text with (one of them, decided by their texts, not their
//! order).

use super::locate::SourceIndex;
use super::{Finding, Witness};
use crate::error::Diagnostic;
use crate::kb::KnowledgeBase;
use crate::Engine;
use std::collections::HashMap;

/// An example whose folded text another intent already has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The intent (index) with the later occurrence.
    pub intent: usize,
    /// Index of the example in that intent's `examples`.
    pub example: usize,
    /// The intent (index) with the first occurrence.
    pub first_intent: usize,
    /// Index of the example in the first intent's `examples`.
    pub first_example: usize,
    /// The intent (index) the matcher ranks first for the text, if any.
    pub ranked_first: Option<usize>,
}

/// Every cross-intent duplicate, in intent order.
pub fn find(engine: &Engine) -> Vec<Duplicate> {
    let kb = engine.knowledge_base();
    let norm = engine.matcher().normalizer();
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    let mut out = Vec::new();
    for (ii, def) in kb.intents.iter().enumerate() {
        for (ei, ex) in def.examples.iter().enumerate() {
            let folded = norm.fold(ex);
            if folded.is_empty() {
                continue;
            }
            match seen.get(&folded) {
                Some(&(fi, fe)) if fi != ii => out.push(Duplicate {
                    intent: ii,
                    example: ei,
                    first_intent: fi,
                    first_example: fe,
                    ranked_first: engine.rank(ex, 1).first().map(|r| r.intent),
                }),
                Some(_) => {}
                None => {
                    seen.insert(folded, (ii, ei));
                }
            }
        }
    }
    out
}

impl Duplicate {
    /// The finding, pointing at the later occurrence.
    pub fn finding(&self, kb: &KnowledgeBase, index: &SourceIndex<'_>) -> Finding {
        let def = &kb.intents[self.intent];
        let first = &kb.intents[self.first_intent];
        let ex = &def.examples[self.example];
        let spot = index.value(self.intent, "examples", ex);
        let first_ex = &first.examples[self.first_example];
        let first_spot = index.value(self.first_intent, "examples", first_ex);
        let mut d = Diagnostic::warning(
            "duplicate-example",
            format!(
                "example {ex:?} of `{}` is also an example of `{}`",
                def.id, first.id
            ),
        )
        .at(spot.location)
        .related(
            first_spot.location,
            match self.ranked_first {
                Some(i) => format!(
                    "also an example of `{}`; the matcher ranks `{}` first for it",
                    first.id, kb.intents[i].id
                ),
                None => format!("also an example of `{}`", first.id),
            },
        )
        .hint("keep the example in the intent it belongs to and remove it from the other");
        d.len = spot.len;
        Finding {
            diagnostic: d,
            witness: Some(Witness::Duplicate {
                example: ex.clone(),
                intent: def.id.clone(),
                other_intent: first.id.clone(),
            }),
        }
    }
}
