//! The request-for-a-person pattern ([`super::ASKS_FOR_PERSON`]) read
//! word by word on plain folded text, without the regex.
//!
//! Folded text of ASCII input (nearly every question) is words of
//! lower-case letters, digits and `_` between single spaces. On such text
//! each part of the pattern is a comparison of whole words: `\s+` is one
//! space, `\b` the start or end of a word, `\w*` the rest of a word, and
//! case-insensitivity changes nothing. [`asks`] gives the regex's answer
//! on it (a test compares the two on every short sequence of the pattern's
//! words), so that a line neither compiles the regex (1.8 k instructions
//! a line of the BANKING77 test run) nor runs it.

/// What the regex gives on `folded`, when `folded` is plain (see the
/// module doc); `None` for any other text (the regex then decides).
pub(super) fn asks(folded: &str) -> Option<bool> {
    if folded.is_empty() {
        return Some(false);
    }
    // A first pass that keeps no words: only a word starting as a verb of
    // the pattern or being "real"/"live" can start a match of the
    // unanchored alternatives, and the anchored ones need at most four
    // words. Without either (most questions), the answer is no, and the
    // words are not stored.
    let mut may_start = false;
    let n = each_plain_word(folded, |w| may_start |= may_start_match(w))?;
    if !may_start && n > 4 {
        return Some(false);
    }
    let mut words = [""; crate::normalize::MAX_WORDS];
    let mut k = 0;
    each_plain_word(folded, |w| {
        words[k] = w;
        k += 1;
    })?;
    let w = &words[..k];
    let unanchored = (0..w.len()).any(|i| match w[i].as_bytes()[0] {
        b't' | b's' | b'c' => talks_to_person(&w[i..]),
        b'r' | b'l' => real_person(&w[i..]),
        _ => false,
    });
    Some(unanchored || (w.len() <= 4 && whole(w)))
}

/// Calls `f` with each word of `folded` (not empty) and returns how many
/// there were, when `folded` is plain: words of `a-z`, `0-9` and `_`
/// between single spaces, none at either end, fewer than
/// [`crate::normalize::MAX_WORDS`] spaces (more words than folding
/// leaves). `None` for any other text (some words may have been passed to
/// `f` by then). Inlined, with its closure, into each of its two calls.
#[inline(always)]
fn each_plain_word<'a>(folded: &'a str, mut f: impl FnMut(&'a str)) -> Option<usize> {
    let (mut n, mut start) = (0, 0);
    for (i, &b) in folded.as_bytes().iter().enumerate() {
        if b == b' ' {
            if i == start || n + 1 == crate::normalize::MAX_WORDS {
                return None;
            }
            f(&folded[start..i]);
            n += 1;
            start = i + 1;
        } else if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return None;
        }
    }
    if start == folded.len() {
        return None;
    }
    f(&folded[start..]);
    Some(n + 1)
}

/// Whether a match of the unanchored alternatives may start at word `w`:
/// what [`talks_to_person`] and [`real_person`] ask of their first word.
fn may_start_match(w: &str) -> bool {
    match w.as_bytes()[0] {
        b't' => w.starts_with("talk"),
        b's' => w.starts_with("speak"),
        b'c' => w.starts_with("chat"),
        b'r' => w == "real",
        b'l' => w == "live",
        _ => false,
    }
}

/// `\b(talk|speak|chat)\w*\s+(to|with)\s+(a\s+|an\s+|the\s+|your\s+|some\s+)?(real\s+|live\s+)?`
/// then a person `\b`, starting at `w[0]`.
fn talks_to_person(w: &[&str]) -> bool {
    let [verb, to, rest @ ..] = w else {
        return false;
    };
    if !["talk", "speak", "chat"]
        .iter()
        .any(|v| verb.starts_with(v))
        || !is(to, &["to", "with"])
    {
        return false;
    }
    // With and without the article, each with and without "real"/"live".
    let article = !rest.is_empty() && is(rest[0], &["a", "an", "the", "your", "some"]);
    let starts = [Some(rest), article.then(|| &rest[1..])];
    starts
        .into_iter()
        .flatten()
        .any(|s| person(s) || (!s.is_empty() && is(s[0], &["real", "live"]) && person(&s[1..])))
}

/// `(human|person|agent|some\s*one|somebody|operator|representative|rep|employee|staff|support)\b`
/// at `w[0]`.
fn person(w: &[&str]) -> bool {
    const PEOPLE: [&str; 11] = [
        "human",
        "person",
        "agent",
        "someone",
        "somebody",
        "operator",
        "representative",
        "rep",
        "employee",
        "staff",
        "support",
    ];
    match w {
        ["some", "one", ..] => true,
        [p, ..] => is(p, &PEOPLE),
        [] => false,
    }
}

/// `\b(real|live)\s+(person|human|agent)\b` at `w[0]`.
fn real_person(w: &[&str]) -> bool {
    matches!(w, [r, p, ..] if is(r, &["real", "live"]) && is(p, &["person", "human", "agent"]))
}

/// The two alternatives anchored at both ends:
/// `^\s*(a\s+)?(human|agent|operator|representative)(\s+(please|pls|plz))?\s*$` and
/// `^\s*(contact\s+|call\s+)?customer\s+(service|support|care)(\s+(please|pls|plz))?\s*$`.
fn whole(w: &[&str]) -> bool {
    let w = match w {
        [rest @ .., "please" | "pls" | "plz"] => rest,
        _ => w,
    };
    let agent = match w {
        ["a", x] | [x] => is(x, &["human", "agent", "operator", "representative"]),
        _ => false,
    };
    let service = match w {
        ["contact" | "call", "customer", s] | ["customer", s] => {
            is(s, &["service", "support", "care"])
        }
        _ => false,
    };
    agent || service
}

fn is(word: &str, set: &[&str]) -> bool {
    set.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::asks;
    use crate::dialogue::pleasantry::ASKS_FOR_PERSON;

    #[test]
    fn reads_plain_text_as_the_regex_does() {
        // The pattern's own words, words that merely start or end like
        // them, and others.
        let mut vocab: Vec<String> = ASKS_FOR_PERSON
            .as_str()
            .split(|c: char| !c.is_ascii_lowercase())
            .filter(|w| w.len() > 1 || *w == "a")
            .map(str::to_string)
            .collect();
        vocab.sort();
        vocab.dedup();
        assert!(vocab.contains(&"representative".to_string()), "{vocab:?}");
        let extra = [
            "talking", "chatbot", "xtalk", "humans", "persona", "one", "i", "want", "please",
            "_url_", "12", "some1",
        ];
        vocab.extend(extra.iter().map(|s| s.to_string()));
        let mut rng = crate::testing::XorShift(0x9E37_79B9_7F4A_7C15);
        let mut next = || rng.next();
        let mut matched = 0;
        for _ in 0..200_000 {
            let n = next() % 7;
            let text = (0..n)
                .map(|_| vocab[(next() % vocab.len() as u64) as usize].as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let want = ASKS_FOR_PERSON.is_match(&text);
            assert_eq!(asks(&text), Some(want), "{text:?}");
            matched += usize::from(want);
        }
        assert!(matched > 1000, "{matched}");
        for text in [
            "i want to talk to someone",
            "chatting with some one",
            "speak with the live agent",
            "talk to your real staff please",
            "a human please",
            "call customer care",
        ] {
            assert_eq!(asks(text), Some(true), "{text}");
        }
    }

    #[test]
    fn leaves_other_text_to_the_regex() {
        for text in [
            " human",
            "human ",
            "talk  to a human",
            "Human",
            "caf\u{e9} human",
        ] {
            assert_eq!(asks(text), None, "{text:?}");
        }
    }
}
