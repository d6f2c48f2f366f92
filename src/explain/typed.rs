//! A word feature in the user's words: the matcher compares stems
//! (`"delet"`), bigrams of them and the class `<rare>` ([`RARE`]); an
//! explanation shows the words of the utterance they came from
//! (`'delete'`, `'facebook (unknown word) account'`).

use super::TraceToken;
use crate::matcher::RARE;

/// The mark after a word that stands for the `<rare>` class and that the
/// knowledge base does not know.
pub const UNKNOWN_MARK: &str = "(unknown word)";
/// The mark after a word that stands for the `<rare>` class and that at
/// most one example uses.
pub const RARE_MARK: &str = "(rare word)";

/// The feature `feature` (a term, two terms, [`RARE`] or a bigram with
/// it) as the words of `tokens` it came from, in the trace's spelling
/// ([`TraceToken::shown`]), a word read as the `<rare>` class followed by
/// [`UNKNOWN_MARK`] or [`RARE_MARK`] (`"harthaus / laim (unknown words)"`
/// for the class itself in an utterance with two such words); several
/// different occurrences joined by `" / "`, at most [`MAX_SHOWN`] of them.
/// `None` when no token yields it.
pub(super) fn as_typed(feature: &str, tokens: &[TraceToken]) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !found.contains(&s) {
            found.push(s);
        }
    };
    match feature.split_once(' ') {
        None if feature == RARE => {
            // One part for all of them: each mark once, after its words.
            for known in [false, true] {
                let mut words: Vec<&str> = Vec::new();
                for t in tokens.iter().filter(|t| t.rare && t.known == known) {
                    if !words.contains(&t.shown()) {
                        words.push(t.shown());
                    }
                }
                if !words.is_empty() {
                    add(format!(
                        "{} {}",
                        words.join(" / "),
                        mark(known, words.len())
                    ));
                }
            }
        }
        None => tokens
            .iter()
            .filter(|t| t.term == feature)
            .for_each(|t| add(t.shown().to_string())),
        Some((first, second)) => {
            for pair in tokens.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                if !(reads_as(a, first) && reads_as(b, second)) {
                    continue;
                }
                // Two names of one kind: the mark once, after both.
                add(if a.rare && b.rare && a.known == b.known {
                    format!("{} {} {}", a.shown(), b.shown(), mark(a.known, 2))
                } else {
                    format!("{} {}", shown(a), shown(b))
                });
            }
        }
    }
    if found.len() > MAX_SHOWN {
        found.truncate(MAX_SHOWN);
        found.push("\u{2026}".to_string());
    }
    (!found.is_empty()).then(|| found.join(" / "))
}

/// Different occurrences of one feature shown; more are cut to `…` (a
/// bigram of two names repeated through a long, odd message).
const MAX_SHOWN: usize = 3;

/// Whether token `t` gives the name `part` in a bigram: [`RARE`] for a
/// rare token, its term otherwise (see `matcher::features::for_each`).
fn reads_as(t: &TraceToken, part: &str) -> bool {
    if t.rare {
        part == RARE
    } else {
        part == t.term
    }
}

/// `t` as a bigram shows it: marked when it stands for the rare class.
fn shown(t: &TraceToken) -> String {
    if t.rare {
        marked(t)
    } else {
        t.shown().to_string()
    }
}

/// `facebook (unknown word)` or `pumpkin (rare word)`.
fn marked(t: &TraceToken) -> String {
    format!("{} {}", t.shown(), mark(t.known, 1))
}

/// The mark after `n` words read as the rare class, known to the
/// knowledge base or not: [`RARE_MARK`], [`UNKNOWN_MARK`] or their plural.
fn mark(known: bool, n: usize) -> String {
    let one = if known { RARE_MARK } else { UNKNOWN_MARK };
    if n > 1 {
        one.replace("word)", "words)")
    } else {
        one.to_string()
    }
}
