//! Lists of words a message's words are compared with whole.
//!
//! [`word_list!`] defines a list as a constant, as the rules' lists
//! always were, and with it a function that says whether a word is on it
//! by a `match` on the word: the compiler compares its length first and
//! then its bytes with the few listed words of that length, where
//! `LIST.contains(&word)` compares it with every word in turn (about 120
//! instructions a call for thirteen words, and the rules ask it of every
//! word of nearly every message; docs/benchmarks.md, speed42).

/// `word_list! { /// doc
/// pub LIST, is_listed = ["a", "b"]; }` defines `pub const LIST: [&str; 2]`
/// with the doc and `pub fn is_listed(w: &str) -> bool`, true exactly for
/// the words of `LIST`.
macro_rules! word_list {
    ($(#[$doc:meta])* $vis:vis $list:ident, $is:ident = [$($w:literal),+ $(,)?];) => {
        $(#[$doc])*
        // Kept as the list's text (its doc, the tests) also where the
        // code asks only the function.
        #[allow(dead_code)]
        $vis const $list: [&str; [$($w),+].len()] = [$($w),+];

        #[doc = concat!("Whether `w` is one of [`", stringify!($list), "`] (a `match`).")]
        #[allow(dead_code)]
        $vis fn $is(w: &str) -> bool {
            matches!(w, $($w)|+)
        }
    };
}

#[cfg(test)]
mod tests {
    word_list! {
        /// A list for the test.
        SOME, is_some_word = ["take", "work", "jobs", "job", "u", "apprenticeships"];
    }

    /// The function is true for the listed words and false for others of
    /// the same lengths, prefixes, longer words and the empty word.
    #[test]
    fn the_function_is_the_list() {
        for w in SOME {
            assert!(is_some_word(w), "{w}");
        }
        for w in [
            "",
            "tak",
            "takes",
            "Take",
            "wor",
            "jobz",
            "j",
            "uu",
            "apprenticeship",
            "x",
        ] {
            assert_eq!(is_some_word(w), SOME.contains(&w), "{w}");
        }
    }
}
