//! Where each token of the trace came from in the typed text: a word as
//! typed, a synonym phrase read as one word ("sign out" → `logout`), two
//! typed words joined ("finger print") or one typed word split in two
//! ("faceid" → "face", "id").

use crate::matcher::{Matcher, QueryToken, CONTEXT_WEIGHT};
use crate::normalize::typed::is_typed;

/// How one token was read from the typed words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Source {
    /// The typed words of the synonym phrase the token stands for.
    pub phrase: Option<String>,
    /// Two typed words read as this one.
    pub joined: bool,
    /// The typed word this token is one of two parts of.
    pub split_from: Option<String>,
}

/// The [`Source`] of each token of an analysis of `folded` (context
/// tokens, which come last, get the default). The tokens are matched in
/// order to the words the analysis read ([`Matcher::read_words`]): a token
/// is such a word (or its typo fix), two of them joined, or a part of one.
pub(super) fn sources(m: &Matcher, folded: &str, tokens: &[QueryToken]) -> Vec<Source> {
    let typed: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let read: Vec<(String, Option<String>)> = m
        .read_words(folded)
        .into_iter()
        .filter(|(w, _, _)| !is_typed(w))
        .map(|(w, i, n)| {
            let phrase = (n > 1).then(|| typed[i..i + n].join(" "));
            (w, phrase)
        })
        .collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut p = 0;
    // The rest of a word split in two, still to be met.
    let mut rest: Option<&str> = None;
    for t in tokens {
        if t.weight <= CONTEXT_WEIGHT {
            out.push(Source::default());
            continue;
        }
        let word = t.corrected_from.as_deref().unwrap_or(&t.token.word);
        let here = read.get(p).map(|(w, _)| w.as_str());
        let next = read.get(p + 1).map(|(w, _)| w.as_str());
        let source = match (here, next) {
            (Some(h), _) if rest == Some(word) => {
                rest = None;
                p += 1;
                Source {
                    split_from: Some(h.to_string()),
                    ..Source::default()
                }
            }
            (Some(h), _) if h == word || h == t.token.word => {
                p += 1;
                Source {
                    phrase: read[p - 1].1.clone(),
                    ..Source::default()
                }
            }
            (Some(h), Some(n))
                if word.len() == h.len() + n.len() && word.starts_with(h) && word.ends_with(n) =>
            {
                p += 2;
                Source {
                    joined: true,
                    ..Source::default()
                }
            }
            (Some(h), _) if h.len() > word.len() && h.starts_with(word) => {
                rest = Some(&h[word.len()..]);
                Source {
                    split_from: Some(h.to_string()),
                    ..Source::default()
                }
            }
            // Not expected; the token is shown as it is.
            _ => Source::default(),
        };
        out.push(source);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    fn sources_of(engine: &Engine, text: &str) -> Vec<(String, Source)> {
        let m = engine.matcher();
        let a = m.analyze(text);
        let s = sources(m, &a.folded, &a.tokens);
        a.tokens
            .iter()
            .map(|t| t.token.word.clone())
            .zip(s)
            .collect()
    }

    /// The bundled knowledge base: "get rid of" is a phrase of the
    /// `delete` group, "air con" of `climate`; "faceid" is split in two.
    #[test]
    fn phrases_splits_and_plain_words() {
        let engine = Engine::bundled().unwrap();
        let got = sources_of(&engine, "get rid of my photo and turn the air con on");
        let phrases: Vec<(&str, Option<&str>)> = got
            .iter()
            .map(|(w, s)| (w.as_str(), s.phrase.as_deref()))
            .collect();
        assert_eq!(
            phrases,
            [
                ("delete", Some("get rid of")),
                ("my", None),
                ("photo", None),
                ("and", None),
                ("turn", None),
                ("the", None),
                ("climate", Some("air con")),
                ("on", None),
            ]
        );
        let got = sources_of(&engine, "open the app with faceid");
        let last: Vec<(&str, &Source)> = got.iter().map(|(w, s)| (w.as_str(), s)).collect();
        let split = Source {
            split_from: Some("faceid".into()),
            ..Source::default()
        };
        assert_eq!(last[4], ("face", &split));
        assert_eq!(last[5], ("id", &split));
        assert_eq!(last[0].1, &Source::default());
    }
}
