//! An acknowledgement before a follow-up: "ok and how long does that
//! take?", "great, how much is that?", "thanks, what about keynsham?".
//! The opening words say the answer was read, not what is asked: read with
//! them, "ok" counted as a word the knowledge base has never seen (the
//! follow-up fell back or was answered as a new question), and "thanks,
//! what about ..." was taken for thanks. A new-user trial (a plumber's
//! sheet): "ok and how long does that take?" after the areas answer got the
//! bathroom fitting's duration; "and how long does that take?" is asked
//! which. The policy ranks the rest, as it does after a greeting.

use regex::{Regex, RegexBuilder};
use std::sync::LazyLock;

/// Acknowledgements, one to three of which may open a follow-up (a space
/// in one stands for any white space). The regex below is made from them.
const ACKNOWLEDGEMENTS: &[&str] = &[
    "ok",
    "okay",
    "k",
    "kk",
    "great",
    "cool",
    "thanks",
    "thank you",
    "perfect",
    "alright",
    "right",
    "nice",
    "fine",
    "sure",
    "brilliant",
    "lovely",
    "ah",
    "oh",
    "so",
];

/// One to three [`ACKNOWLEDGEMENTS`], each followed by spaces or punctuation.
static ACKNOWLEDGEMENT: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<String> = ACKNOWLEDGEMENTS
        .iter()
        .map(|w| w.replace(' ', r"\s+"))
        .collect();
    RegexBuilder::new(&format!(
        r"^\s*(?:(?:{})[\s,.!:;]+){{1,3}}",
        words.join("|")
    ))
    .case_insensitive(true)
    .build()
    .expect("a valid pattern")
});

/// What may follow the acknowledgement: a connective or a question word
/// (compared with the rest's first words, lower-cased).
const FOLLOW_UPS: &[&str] = &[
    "and ",
    "what about ",
    "how about ",
    "also ",
    "but ",
    "or ",
    "what if ",
    "same for ",
    "how ",
    "what ",
    "where ",
    "when ",
    "why ",
    "who ",
    "which ",
    "can ",
    "could ",
    "do ",
    "does ",
    "is ",
    "are ",
    "will ",
    "would ",
    "should ",
];

/// The follow-up after a leading acknowledgement ("ok and how long does
/// that take?" → "and how long does that take?"), when the rest opens with
/// a connective or a question word and has at least two words; `None`
/// otherwise ("ok thanks", "thanks, that's all": a closing, read as a whole).
pub fn after_acknowledgement(text: &str) -> Option<&str> {
    // Most messages are turned away here, without the regex: "so" only
    // follows another acknowledgement ("okay so what if ..."), never opens one.
    let t = text.trim_start();
    let first = &t[..t.find(|c: char| !c.is_alphanumeric()).unwrap_or(t.len())];
    if first.eq_ignore_ascii_case("so") || !opens_one(first) {
        return None;
    }
    let m = ACKNOWLEDGEMENT.find(text)?;
    let rest = text[m.end()..].trim();
    let lower = rest.to_lowercase();
    (rest.split_whitespace().nth(1).is_some() && FOLLOW_UPS.iter().any(|f| lower.starts_with(f)))
        .then_some(rest)
}

/// Whether some acknowledgement's first word is `first` (which has no
/// space), ASCII case aside: what comparing `first` with the first word
/// of each of the [`ACKNOWLEDGEMENTS`] gives (a test compares), as one
/// `match` on the word lower-cased instead of 19 comparisons.
fn opens_one(first: &str) -> bool {
    const LONGEST: usize = 9;
    let b = first.as_bytes();
    if b.is_empty() || b.len() > LONGEST {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    let lower = &mut lower[..b.len()];
    lower.copy_from_slice(b);
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"ok"
            | b"okay"
            | b"k"
            | b"kk"
            | b"great"
            | b"cool"
            | b"thanks"
            | b"thank"
            | b"perfect"
            | b"alright"
            | b"right"
            | b"nice"
            | b"fine"
            | b"sure"
            | b"brilliant"
            | b"lovely"
            | b"ah"
            | b"oh"
            | b"so"
    )
}

#[cfg(test)]
mod tests {
    use super::{after_acknowledgement, ACKNOWLEDGEMENTS};

    /// Whether `w`'s first word (up to its first space) is `first` (which
    /// has no space), ASCII case aside, compared byte by byte: the
    /// reference for `opens_one`.
    fn first_word_is(w: &str, first: &str) -> bool {
        let (w, f) = (w.as_bytes(), first.as_bytes());
        w.len() >= f.len()
            && w[..f.len()].eq_ignore_ascii_case(f)
            && w.get(f.len()).is_none_or(|&b| b == b' ')
    }

    /// `opens_one` says what asking `first_word_is` of every
    /// acknowledgement says.
    #[test]
    fn opens_one_is_any_first_word() {
        let mut words: Vec<String> = [
            "",
            "x",
            "okayy",
            "brilliants",
            "thankyou",
            "ökay",
            "\u{212a}",
            "kK",
            "OH",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        for a in ACKNOWLEDGEMENTS {
            for w in a.split(' ') {
                for v in [
                    w.to_string(),
                    w.to_ascii_uppercase(),
                    format!("{w}s"),
                    w[1..].to_string(),
                    w[..w.len() - 1].to_string(),
                ] {
                    words.push(v);
                }
            }
        }
        for first in &words {
            let any = ACKNOWLEDGEMENTS.iter().any(|w| first_word_is(w, first));
            assert_eq!(super::opens_one(first), any, "{first:?}");
        }
    }

    /// `first_word_is` says what splitting off the first word says.
    #[test]
    fn first_word_is_the_split() {
        let mut words = vec![
            "", "x", "Thank", "THANK", "thankyou", "oK", "ökay", "k", "kk", "kkk", "\u{212a}",
        ];
        for a in ACKNOWLEDGEMENTS {
            for w in a.split(' ') {
                words.extend([w, &w[..w.len() - 1], &w[1..]]);
            }
        }
        let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
        let plus: Vec<String> = words.iter().map(|w| format!("{w}s")).collect();
        let all = words
            .iter()
            .copied()
            .chain(upper.iter().map(|w| w.as_str()))
            .chain(plus.iter().map(|w| w.as_str()));
        for first in all {
            for w in ACKNOWLEDGEMENTS
                .iter()
                .copied()
                .chain(["thank  you", " ok", "ok "])
            {
                let split = w
                    .split(' ')
                    .next()
                    .is_some_and(|w| w.eq_ignore_ascii_case(first));
                assert_eq!(first_word_is(w, first), split, "{w:?} {first:?}");
            }
        }
    }

    #[test]
    fn a_follow_up_is_read_without_its_acknowledgement() {
        for (text, rest) in [
            (
                "ok and how long does that take?",
                "and how long does that take?",
            ),
            ("Great, how much is that?", "how much is that?"),
            ("thanks, what about keynsham?", "what about keynsham?"),
            (
                "ok thank you, and do you work weekends?",
                "and do you work weekends?",
            ),
            ("okay so what if i cancel", "what if i cancel"),
        ] {
            assert_eq!(after_acknowledgement(text), Some(rest), "{text}");
        }
    }

    #[test]
    fn closings_and_plain_questions_are_left_whole() {
        for text in [
            "ok thanks",
            "thanks, that's all",
            "ok",
            "great thanks bye",
            "thanks for your help",
            "how much is that?",
            "okay",
            "ok and",
            "right to cancel within 14 days?",
            "sure",
        ] {
            assert_eq!(after_acknowledgement(text), None, "{text}");
        }
    }
}
