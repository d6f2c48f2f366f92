//! Checking one turn of a conversation test: the reply against the turn's
//! expectations ([`check_turn`]), and the intent ids the turn names
//! ([`unknown_ids`], with a "did you mean" from [`similar_ids`]).

use super::schema::TurnExpect;
use crate::normalize::Normalizer;
use crate::reply::Reply;
use crate::Engine;

/// Checks one reply against one turn's expectations; returns what broke.
pub fn check_turn(expect: &TurnExpect, reply: &Reply) -> Vec<String> {
    let mut problems = Vec::new();
    let got_intent = reply.intent.as_deref().unwrap_or("none");
    if let Some(want) = &expect.intent {
        if reply.intent.as_deref() != Some(want.as_str()) {
            problems.push(format!("intent: expected `{want}`, got `{got_intent}`"));
        }
    }
    if let Some(not) = &expect.not_intent {
        if reply.intent.as_deref() == Some(not.as_str()) {
            problems.push(format!("intent: expected anything but `{not}`"));
        }
    }
    if let Some(kind) = expect.kind {
        if reply.kind != kind {
            problems.push(format!(
                "kind: expected {}, got {}",
                kind.as_str(),
                reply.kind.as_str()
            ));
        }
    }
    if let Some(needle) = &expect.answer_contains {
        let answer = reply.answer.as_deref().unwrap_or("");
        if !answer.to_lowercase().contains(&needle.to_lowercase()) {
            problems.push(format!("answer: expected it to contain {needle:?}"));
        }
    }
    if let Some(needle) = &expect.text_contains {
        if !reply.text.to_lowercase().contains(&needle.to_lowercase()) {
            problems.push(format!("text: expected it to contain {needle:?}"));
        }
    }
    for s in &expect.suggestions_include {
        if !reply.suggestions.iter().any(|x| &x.intent == s) {
            let got: Vec<&str> = reply
                .suggestions
                .iter()
                .map(|x| x.intent.as_str())
                .collect();
            problems.push(format!("suggestions: expected `{s}` among {got:?}"));
        }
    }
    for s in &expect.suggestions_exclude {
        if reply.suggestions.iter().any(|x| &x.intent == s) {
            problems.push(format!("suggestions: expected no `{s}`"));
        }
    }
    if let Some(min) = expect.min_confidence {
        if reply.confidence < min {
            problems.push(format!(
                "confidence: expected at least {min:.2}, got {:.2}",
                reply.confidence
            ));
        }
    }
    if let Some(want) = &expect.raised_by {
        let got = reply.raised_by.map_or("none", |r| r.as_str());
        if got != want {
            problems.push(format!("raised_by: expected `{want}`, got `{got}`"));
        }
    }
    problems
}

/// Problems with the intent ids a turn names: ids the knowledge base does
/// not have, each with a "did you mean" when one is close.
pub fn unknown_ids(engine: &Engine, expect: &TurnExpect) -> Vec<String> {
    let kb = engine.knowledge_base();
    let ids = expect
        .intent
        .iter()
        .chain(&expect.not_intent)
        .chain(&expect.suggestions_include)
        .chain(&expect.suggestions_exclude);
    ids.filter(|id| kb.index_of(id).is_none())
        .map(|id| {
            let ids = kb.intents.iter().map(|d| d.id.as_str());
            let close = similar_ids(id, ids, engine.matcher().normalizer());
            let quoted: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
            match quoted.as_slice() {
                [] => format!("unknown intent `{id}` in the test"),
                [one] => format!("unknown intent `{id}` in the test (did you mean {one}?)"),
                [rest @ .., last] => format!(
                    "unknown intent `{id}` in the test (did you mean {} or {last}?)",
                    rest.join(", ")
                ),
            }
        })
        .collect()
}

/// The ids a mistyped or shortened intent id `id` may mean, best first,
/// at most 3: the one closest by spelling ([`crate::kb::did_you_mean`]:
/// `wiif` → `wifi`), then ids that hold `id`'s words in a row
/// (`opening_hours` → `what_are_your_opening_hours`; shortest first), then
/// ids that have more than half of its words (`dog_vaccination` →
/// `do_you_need_my_dog_s_vaccination_records`; most shared first). Ids
/// made from a sheet's questions are long, and a test names them short.
/// Words are compared as the matcher compares them, by their terms in
/// `norm` (stemmed and synonym-mapped): `areas_covered` →
/// `what_areas_do_you_cover` (trial 27).
pub fn similar_ids<'a>(
    id: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
    norm: &Normalizer,
) -> Vec<&'a str> {
    let words = |s: &str| -> Vec<String> {
        s.split('_')
            .filter(|w| !w.is_empty())
            .map(|w| norm.token(w).term)
            .collect()
    };
    let wanted = words(id);
    let mut out: Vec<&str> = crate::kb::did_you_mean(id, ids.clone())
        .into_iter()
        .collect();
    if wanted.is_empty() {
        return out;
    }
    let mut runs: Vec<&str> = ids
        .clone()
        .filter(|c| *c != id && words(c).windows(wanted.len()).any(|w| w == wanted))
        .collect();
    runs.sort_by_key(|c| (c.len(), *c));
    let mut shared: Vec<(usize, &str)> = ids
        .map(|c| {
            let cw = words(c);
            (wanted.iter().filter(|w| cw.contains(w)).count(), c)
        })
        .filter(|&(n, c)| c != id && 2 * n > wanted.len())
        .collect();
    shared.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.len().cmp(&b.1.len()))
            .then(a.1.cmp(b.1))
    });
    for c in runs.into_iter().chain(shared.into_iter().map(|(_, c)| c)) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out.truncate(3);
    out
}
