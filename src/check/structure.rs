//! Rules on single fields: `empty-pattern`, `self-follow-up`, `missing-title`,
//! `malformed-link`, `placeholder-answer`.

use super::locate::SourceIndex;
use super::Finding;
use crate::error::Diagnostic;
use crate::kb::{compile_pattern, KnowledgeBase};

/// Runs the rules over every intent.
pub fn run(kb: &KnowledgeBase, index: &SourceIndex<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, def) in kb.intents.iter().enumerate() {
        for p in &def.patterns {
            // Patterns that do not compile are loading errors already.
            if compile_pattern(p).is_ok_and(|re| re.is_match("")) {
                let spot = index.value(i, "patterns", p);
                let mut d = Diagnostic::warning(
                    "empty-pattern",
                    format!(
                        "pattern {p:?} of `{}` matches the empty string, so it matches every utterance",
                        def.id
                    ),
                )
                .at(spot.location)
                .hint("make at least one part mandatory: `+` instead of `*`, no `?` around the whole pattern");
                d.len = spot.len;
                out.push(d.into());
            }
        }
        if def.follow_ups.iter().any(|f| f == &def.id) {
            let spot = index.value(i, "follow_ups", &def.id);
            let mut d = Diagnostic::warning(
                "self-follow-up",
                format!("intent `{}` offers itself as a follow-up", def.id),
            )
            .at(spot.location)
            .hint("follow-ups name the questions people ask next; remove this one");
            d.len = spot.len;
            out.push(d.into());
        }
        for p in crate::markup::link_problems(&def.answer) {
            let spot = index.value(i, "answer", &p.link);
            let mut d = Diagnostic::warning(
                "malformed-link",
                format!(
                    "the answer of `{}` has a malformed link {:?}: {}",
                    def.id, p.link, p.problem
                ),
            )
            .at(spot.location)
            .hint("links are written [text](https://example.com/page); only http, https, mailto and tel links are shown");
            d.len = spot.len;
            out.push(d.into());
        }
        // `faqbot import` of labelled utterances writes placeholder
        // answers; shown as they are, they reach customers (trial 23).
        if def.has_placeholder_answer() && def.kind != crate::schema::IntentKind::OutOfScope {
            let spot = index.value(i, "answer", &def.answer);
            let mut d = Diagnostic::warning(
                "placeholder-answer",
                format!(
                    "the answer of `{}` is still the placeholder `faqbot import` wrote",
                    def.id
                ),
            )
            .at(spot.location)
            .hint("write the real answer: customers are shown this text as it is");
            d.len = spot.len;
            out.push(d.into());
        }
        // An out-of-scope intent is never offered as a choice.
        if def.title.trim().is_empty() && def.kind != crate::schema::IntentKind::OutOfScope {
            let spot = index.intent(i);
            let mut d = Diagnostic::warning(
                "missing-title",
                format!("intent `{}` has no title", def.id),
            )
            .at(spot.location)
            .hint("add `title: \"...\"`: the canonical question, shown when the bot offers this intent as a choice");
            d.len = spot.len;
            out.push(d.into());
        }
    }
    out
}
