//! What the location row ([`super::location`]) and the hours row
//! ([`super::hours`]) share: finding the one FAQ row whose question or an
//! alternate asks a given thing, and giving it patterns for the ways
//! customers ask it.

use crate::schema::{IntentDef, IntentKind};
use regex::Regex;

/// The regexes of `patterns`, each valid by construction (constants of
/// this crate, checked by the modules' tests).
pub fn compile(patterns: &[&str]) -> Vec<Regex> {
    patterns
        .iter()
        .map(|p| Regex::new(p).expect("a valid pattern"))
        .collect()
}

/// Whether `text` (any case; folded here) matches one of `regexes`.
pub fn matches(regexes: &[Regex], text: &str) -> bool {
    let folded = crate::normalize::fold_text(text);
    regexes.iter().any(|re| re.is_match(&folded))
}

/// Whether `d` is an FAQ intent whose title or one of whose examples
/// `asks`.
pub fn row_asks(d: &IntentDef, asks: impl Fn(&str) -> bool) -> bool {
    d.kind == IntentKind::Faq
        && std::iter::once(&d.title)
            .chain(&d.examples)
            .any(|t| asks(t))
}

/// The index of the one FAQ intent of `intents` whose title or one of
/// whose examples `asks` ([`row_asks`]); `None` when no intent or more
/// than one does (the import cannot tell which is meant).
pub fn the_one_row(intents: &[IntentDef], asks: impl Fn(&str) -> bool) -> Option<usize> {
    let mut rows = intents
        .iter()
        .enumerate()
        .filter(|(_, d)| row_asks(d, &asks));
    let first = rows.next()?.0;
    rows.next().is_none().then_some(first)
}

/// Gives intent `row` of `intents` the `patterns`, unless it has patterns
/// of its own; returns `row` when it did.
pub fn give(intents: &mut [IntentDef], row: Option<usize>, patterns: &[&str]) -> Option<usize> {
    let row = row?;
    let d = &mut intents[row];
    if !d.patterns.is_empty() {
        return None;
    }
    d.patterns = patterns.iter().map(|p| p.to_string()).collect();
    Some(row)
}

/// An FAQ intent with `title` and `examples`, for the tests of the rows'
/// patterns.
#[cfg(test)]
pub(crate) fn row(id: &str, title: &str, examples: &[&str]) -> IntentDef {
    IntentDef {
        id: id.into(),
        title: title.into(),
        examples: examples.iter().map(|e| e.to_string()).collect(),
        answer: "An answer.".into(),
        ..Default::default()
    }
}
