//! `example-conflict`, `weak-example`, `no-content-example`,
//! `unreachable-intent` and `fragile-example`: each example (and title) is played as the first turn
//! of a fresh conversation, and so are its robustness variants.
//!
//! A variant whose folded text equals its example's is not played: the
//! matcher sees exactly the same input, so it fares exactly the same.
//! Intents are checked in parallel (rayon); the cost is one reply per
//! example plus one per distinct variant (in practice: the typo).

use super::duplicates::Duplicate;
use super::locate::SourceIndex;
use super::variants::variants;
use super::{CheckOptions, Finding, Outcome, VariantOutcome, Witness};
use crate::error::Diagnostic;
use crate::reply::{Alternative, ReplyKind};
use crate::schema::IntentKind;
use crate::{Engine, Session};
use rayon::prelude::*;
use std::collections::HashSet;

/// How many missed probes an `unreachable-intent` finding shows.
const SHOWN: usize = 3;

/// Plays `text` as the first turn of a fresh conversation; `own` is the
/// index of the intent it should reach.
pub fn probe(engine: &Engine, text: &str, own: usize) -> Outcome {
    let kb = engine.knowledge_base();
    let (reply, decision) = engine.respond_traced(&mut Session::new(), text);
    let ranked = decision.ranking.iter().find(|s| s.intent == own);
    let own_score = match ranked {
        Some(s) => s.confidence,
        None => engine
            .rank(text, usize::MAX)
            .iter()
            .find(|s| s.intent == own)
            .map_or(0.0, |s| s.confidence),
    };
    Outcome {
        text: text.to_string(),
        kind: reply.kind,
        intent: reply.intent,
        top: decision
            .ranking
            .iter()
            .take(3)
            .map(|s| Alternative {
                intent: kb.intents[s.intent].id.clone(),
                confidence: s.confidence,
            })
            .collect(),
        own: own_score,
        ranked: ranked.is_some(),
        reason: decision.reason,
    }
}

/// Whether `o` counts as reaching intent `own` (see the module table in
/// [`super`]).
pub fn reached(engine: &Engine, o: &Outcome, own: usize) -> bool {
    let def = &engine.knowledge_base().intents[own];
    if def.kind == IntentKind::OutOfScope {
        return o.top.first().is_some_and(|t| t.intent == def.id);
    }
    matches!(o.kind, ReplyKind::Answer | ReplyKind::Handoff)
        && o.intent.as_deref() == Some(def.id.as_str())
}

/// Runs the reachability lints over every intent.
pub fn run(
    engine: &Engine,
    index: &SourceIndex<'_>,
    dups: &[Duplicate],
    opts: &CheckOptions,
) -> Vec<Finding> {
    let dup: HashSet<(usize, usize)> = dups.iter().map(|d| (d.intent, d.example)).collect();
    let n = engine.knowledge_base().intents.len();
    (0..n)
        .into_par_iter()
        .flat_map_iter(|i| intent(engine, index, &dup, opts, i))
        .collect()
}

fn intent(
    engine: &Engine,
    index: &SourceIndex<'_>,
    dup: &HashSet<(usize, usize)>,
    opts: &CheckOptions,
    i: usize,
) -> Vec<Finding> {
    let def = &engine.knowledge_base().intents[i];
    let norm = engine.matcher().normalizer();
    let mut out = Vec::new();
    let mut probes = 0;
    let mut reached_any = false;
    let mut missed: Vec<Outcome> = Vec::new();
    // Folded texts probed so far: a phrasing given twice (an imported
    // row's question is its title and its first example) is counted and
    // shown once (trial 27: a duplicated row's witness line came twice).
    let mut probed: HashSet<String> = HashSet::new();
    if let Some(title) = def.phrasing_title().filter(|t| !norm.fold(t).is_empty()) {
        probed.insert(norm.fold(title));
        probes += 1;
        let o = probe(engine, title, i);
        if reached(engine, &o, i) {
            reached_any = true;
        } else {
            missed.push(o);
        }
    }
    for (ei, ex) in def.examples.iter().enumerate() {
        let folded = norm.fold(ex);
        if folded.is_empty() {
            continue;
        }
        let fresh = probed.insert(folded.clone());
        if fresh {
            probes += 1;
        }
        let o = probe(engine, ex, i);
        if reached(engine, &o, i) {
            reached_any = true;
            if opts.robustness {
                out.extend(fragile(engine, index, i, ex, &folded));
            }
            continue;
        }
        if !dup.contains(&(i, ei)) {
            out.push(conflict(engine, index, i, ex, &o));
        }
        if fresh {
            missed.push(o);
        }
    }
    // An FAQ intent with nothing to match a message against: no title, no
    // example, no keyword and no pattern. No message can reach it.
    let bare = def.kind == IntentKind::Faq && def.keywords.is_empty() && def.patterns.is_empty();
    if probes == 0 && bare {
        let spot = index.intent(i);
        let mut d = Diagnostic::warning(
            "unreachable-intent",
            format!(
                "`{}` has no title and no examples: no message can reach it",
                def.id
            ),
        )
        .at(spot.location)
        .hint("add a title (the question it answers) and examples in the words customers use");
        d.len = spot.len;
        out.push(Finding {
            diagnostic: d,
            witness: Some(Witness::Unreachable {
                intent: def.id.clone(),
                probes,
                outcomes: Vec::new(),
            }),
        });
    }
    if probes > 0 && !reached_any {
        let spot = index.intent(i);
        let mut d = Diagnostic::warning(
            "unreachable-intent",
            format!(
                "no example of `{}` gets it answered ({probes} tried)",
                def.id
            ),
        )
        .at(spot.location)
        .hint("add examples that say what only this intent is about, or merge it into the intent its examples reach");
        d.len = spot.len;
        missed.truncate(SHOWN);
        out.push(Finding {
            diagnostic: d,
            witness: Some(Witness::Unreachable {
                intent: def.id.clone(),
                probes,
                outcomes: missed,
            }),
        });
    }
    out
}

/// Whether `ex`, an example of the FAQ intent `i`, has no content word:
/// such a message is never answered with an FAQ entry (see
/// [`crate::dialogue`]), so the example can never be reached, whatever it
/// scores.
fn contentless(engine: &Engine, i: usize, ex: &str) -> bool {
    engine.knowledge_base().intents[i].kind == IntentKind::Faq
        && engine
            .matcher()
            .normalizer()
            .tokens(ex)
            .iter()
            .all(|t| t.stop)
}

fn conflict(engine: &Engine, index: &SourceIndex<'_>, i: usize, ex: &str, o: &Outcome) -> Finding {
    let def = &engine.knowledge_base().intents[i];
    let spot = index.value(i, "examples", ex);
    let winner = o
        .top
        .first()
        .filter(|t| t.intent != def.id)
        .map(|t| (&t.intent, t.confidence));
    let missing: Vec<String> = engine
        .rank(ex, usize::MAX)
        .iter()
        .find(|s| s.intent == i)
        .map(|s| {
            s.evidence
                .missing_required
                .iter()
                .filter_map(|&k| def.keywords.get(k).map(|kw| format!("`{}`", kw.word())))
                .collect()
        })
        .unwrap_or_default();
    let required_hint = (!missing.is_empty()).then(|| {
        format!(
            "the example lacks the required keyword{} {} of `{}`: add {} to the example, or make the keyword optional",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            def.id,
            if missing.len() == 1 { "it" } else { "them" },
        )
    });
    let d = match winner {
        _ if contentless(engine, i, ex) => Diagnostic::warning(
            "no-content-example",
            format!(
                "example {ex:?} of `{}` has only stop words and does not get it answered: a message without a content word is answered with an FAQ entry only when it is exactly one of its examples or one of its patterns matches",
                def.id
            ),
        )
        .hint("say what it is about (\"where is your shop\" instead of \"where are you\"), or put it under a small-talk intent"),
        Some((w, c)) => Diagnostic::warning(
            "example-conflict",
            format!(
                "example {ex:?} of `{}` ranks under `{w}` ({c:.2}; `{}` scores {:.2})",
                def.id, def.id, o.own
            ),
        )
        .hint(required_hint.clone().unwrap_or_else(|| format!(
            "move the example to `{w}` if it belongs there; otherwise reword it, or give `{}` keywords `{w}` does not use",
            def.id
        ))),
        None => Diagnostic::warning(
            "weak-example",
            format!(
                "example {ex:?} of `{}` ranks first but is not answered: {}",
                def.id, o.reason
            ),
        )
        .hint(required_hint.unwrap_or_else(|| {
            "add examples close to this one, or check the threshold and margin in bot.ron".into()
        })),
    };
    let mut d = d.at(spot.location);
    d.len = spot.len;
    Finding {
        diagnostic: d,
        witness: Some(Witness::Conflict {
            intent: def.id.clone(),
            outcome: o.clone(),
        }),
    }
}

fn fragile(
    engine: &Engine,
    index: &SourceIndex<'_>,
    i: usize,
    ex: &str,
    folded: &str,
) -> Option<Finding> {
    let def = &engine.knowledge_base().intents[i];
    let norm = engine.matcher().normalizer();
    let mut seen: HashSet<String> = HashSet::from([folded.to_string()]);
    let mut failed = Vec::new();
    let mut tried = 0;
    let content = |w: &str| !norm.token(w).stop;
    for (change, v) in variants(ex, content) {
        if !seen.insert(norm.fold(&v)) {
            continue;
        }
        tried += 1;
        let o = probe(engine, &v, i);
        if !reached(engine, &o, i) {
            failed.push(VariantOutcome { change, outcome: o });
        }
    }
    if failed.is_empty() {
        return None;
    }
    let spot = index.value(i, "examples", ex);
    let changes: Vec<&str> = failed.iter().map(|v| v.change.as_str()).collect();
    let mut d = Diagnostic::warning(
        "fragile-example",
        format!(
            "example {ex:?} of `{}` is fragile: its {} variant{} no longer get{} it answered",
            def.id,
            changes.join(", "),
            if failed.len() == 1 { "" } else { "s" },
            if failed.len() == 1 { "s" } else { "" },
        ),
    )
    .at(spot.location)
    .hint(format!(
        "add an example phrased like the variant, or a keyword only `{}` uses ({} of {tried} distinct variants missed)",
        def.id,
        failed.len()
    ));
    d.len = spot.len;
    Some(Finding {
        diagnostic: d,
        witness: Some(Witness::Fragile {
            intent: def.id.clone(),
            example: ex.to_string(),
            variants: failed,
        }),
    })
}
