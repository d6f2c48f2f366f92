//! Unit tests of the analysis ([`super`]).

use super::under_three_chars;

/// `Words` gives the pieces `split(' ')` gives.
#[test]
fn words_are_the_split() {
    for text in ["", " ", "a", "a b", " a  b ", "ab cd ef", "é ü", "  ", "x "] {
        let words: Vec<&str> = super::Words(Some(text)).collect();
        assert_eq!(words, text.split(' ').collect::<Vec<_>>(), "{text:?}");
    }
}

/// `under_three_chars` says what counting the characters says.
#[test]
fn under_three_chars_is_the_count() {
    let pieces = ["a", "é", "ß", "日", "😀", "'", "1", "\u{301}"];
    let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
    for len in 0..=6 {
        for _ in 0..500 {
            let w: String = (0..len)
                .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
                .collect();
            assert_eq!(under_three_chars(&w), w.chars().count() < 3, "{w:?}");
        }
    }
}

/// An analysis made after others were recycled (their tokens and token
/// lists reused) is the analysis made afresh, token for token.
#[test]
fn a_recycled_analysis_is_the_fresh_one() {
    use crate::kb::KnowledgeBase;
    use crate::matcher::Matcher;
    let m = Matcher::new(&KnowledgeBase::bundled().unwrap());
    let texts = [
        "how do I reset my pin",
        "resset my pni please finger print",
        "the zorblax quantum widget twofactor",
        "hi",
        "",
        "charge charge charge charge charge charge charge charge charge charge charge",
    ];
    let show = |a: &super::Analysis| format!("{a:?}");
    let fresh: Vec<String> = texts.iter().map(|t| show(&m.analyze(t))).collect();
    for (k, t) in texts.iter().enumerate() {
        for other in texts {
            super::recycle(m.analyze(other));
            assert_eq!(show(&m.analyze(t)), fresh[k], "{t:?} after {other:?}");
        }
    }
}
