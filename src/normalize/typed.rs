//! Step 2 (after Unicode folding): typed tokens.
//!
//! Addresses and numbers that people paste into a question ("change my
//! email to jo@example.org", "order 1234567 has not arrived") say nothing
//! about which intent is meant, yet as words they would be unknown to the
//! knowledge base and dilute every intent's evidence. Each is replaced by
//! one typed word, checked in this order (each on the result of the one
//! before):
//!
//! | kind | rule | word |
//! |---|---|---|
//! | URL | `http://`, `https://` or `www.` and what follows up to a space | `_url_` |
//! | e-mail address | `local@domain.tld` | `_email_` |
//! | URL | a bare domain with a common top-level domain (`mini.com/app`) | `_url_` |
//! | date | three numbers of 1–4 digits joined by `-`, `.` or `/` | `_date_` |
//! | phone number | an optional `(` and `+`, a digit, digits and `-./()` or spaces, a digit: at least [`PHONE_DIGITS`] digits and a separator | `_phone_` |
//! | order, ticket or customer number | at least [`NUMBER_DIGITS`] digits in a row, or `#` and 3 digits, or up to 6 letters (`ORD-`, `TKT`) and 4 digits | `_number_` |
//!
//! Typed words begin and end with `_`, which folded text has nowhere else
//! (every other `_` becomes a space here), so [`is_typed`] recognises them
//! and a pattern's `\bemail\b` cannot match inside `_email_`. The matcher
//! leaves them out of the comparison: they neither count as unknown words
//! nor need to be listed by authors. The rules follow the log masking of
//! [`misses::mask`] (same digit counts; feature `misses`), which still
//! masks the logged text as typed.
//!
//! The cost is a few linear regex passes over the (already capped) text.
#![cfg_attr(
    feature = "misses",
    doc = "",
    doc = "[`misses::mask`]: crate::misses::mask"
)]
#![cfg_attr(
    not(feature = "misses"),
    doc = "",
    doc = "[`misses::mask`]: crate#cargo-features"
)]

use regex::{Captures, Regex};
use std::borrow::Cow;
use std::sync::LazyLock;

/// Fewest digits in a phone number (as `misses::mask::PHONE_DIGITS`).
pub const PHONE_DIGITS: usize = 7;
/// Fewest digits in a row read as a number (as `misses::mask::LONG_DIGITS`).
pub const NUMBER_DIGITS: usize = 5;

/// The typed words, one per kind.
pub const KINDS: [&str; 5] = ["_url_", "_email_", "_date_", "_phone_", "_number_"];

static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(?:https?://|www\.)[^\s<>"']+"#).expect("static regex"));
/// An e-mail address in text of any case: what `faqbot misses` masks in a
/// log (`crate::misses::mask`) and what `faqbot import` reads from a
/// sheet's answers for the handoff (`crate::import::contact`, through
/// [`super::contact`]). `EMAIL` below reads folded (lower-case) text.
pub(crate) static EMAIL_ANY_CASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+").expect("static regex")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[a-z0-9.%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+").expect("static regex")
});
static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9][a-z0-9\-]*)*\.(?:com|org|net|edu|gov|io|app|info|biz|eu|de|uk|fr|nl|at|ch|es|it)\b(?:/[^\s<>]*)?",
    )
    .expect("static regex")
});
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{1,4}[\-./]\d{1,2}[\-./]\d{1,4}\b").expect("static regex"));
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(?\+?\d[\d \-./()]*\d").expect("static regex"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"#\s?\d{3,}|\b(?:[a-z]{1,6}[\-#]?)?\d[\d\-]*\b").expect("static regex")
});

/// Compiles the typed-token patterns now (they are otherwise compiled by
/// the first [`mark`] that needs them): the loader does it on its helper
/// thread while the knowledge base's texts are being folded.
pub fn compile_now() {
    for re in [&URL, &EMAIL, &DOMAIN, &DATE, &PHONE, &NUMBER] {
        LazyLock::force(re);
    }
}

/// Whether a folded word is a typed word (`_email_`, ...; see [`KINDS`]).
// `#[inline]`: the analysis asks it of every word, and without link-time
// optimisation a function of another module is otherwise never inlined.
#[inline]
pub fn is_typed(word: &str) -> bool {
    word.len() > 2 && word.starts_with('_') && word.ends_with('_')
}

fn digits(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}

/// `folded` (lower case, after Unicode folding) with addresses and numbers
/// replaced by typed words, each with a space either side.
///
/// ```
/// use faqbot::normalize::typed::mark;
/// assert_eq!(mark("change my email to jo.doe@example.org").trim(), "change my email to  _email_");
/// assert_eq!(mark("order 1234567 is late"), "order  _number_  is late");
/// assert_eq!(mark("my id6 from 2024"), "my id6 from 2024");
/// ```
pub fn mark(folded: &str) -> Cow<'_, str> {
    let has = byte_classes(folded);
    if has == 0 {
        return Cow::Borrowed(folded);
    }
    // A pattern whose match needs a character the text lacks is not run
    // (the replacements add no digit and no `@`): an e-mail address needs
    // an `@`; dates, phone and other numbers need a digit.
    let has_digit = has & DIGIT != 0;
    let has_at = has & AT != 0;
    // Without those and without `_`, only the two URL patterns could
    // match, and they need `://` or `www.` (URL) or a `.` followed by the
    // letter a top-level domain starts with (DOMAIN): a text with only
    // sentence dots ("hi. card?") is returned as it is, as the patterns
    // would leave it.
    if !has_digit
        && !has_at
        && has & UNDERSCORE == 0
        && !folded.contains("://")
        && !folded.contains("www.")
        && !folded
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'.' && w[1].is_ascii_lowercase())
    {
        return Cow::Borrowed(folded);
    }
    mark_patterns(folded, has_digit, has_at, false)
}

/// Bits of [`byte_classes`] (2 is a `.`).
const DIGIT: u8 = 1;
const AT: u8 = 4;
const UNDERSCORE: u8 = 8;

/// Which of an ASCII digit, `.`, `@` and `_` `text` has ([`DIGIT`], 2,
/// [`AT`], [`UNDERSCORE`]), from one pass over its bytes eight at a time
/// (nearly every question has none of them but a `.`, and was read up
/// to four times, a byte at a time).
fn byte_classes(text: &str) -> u8 {
    let mut words = text.as_bytes().chunks_exact(8);
    let mut has = 0;
    for w in &mut words {
        has |= word_classes(u64::from_le_bytes(w.try_into().expect("8 bytes")));
    }
    // The rest padded with zero bytes, which are none of the four.
    let mut last = [0u8; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    has | word_classes(u64::from_le_bytes(last))
}

/// [`byte_classes`] of the eight bytes of `x`: whether a byte is zero,
/// or within a range, tested on all eight at once (exact as a yes or
/// no: the tests of "Bit Twiddling Hacks", `haszero` and `hasbetween`).
fn word_classes(x: u64) -> u8 {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let has_zero = |y: u64| y.wrapping_sub(ONES) & !y & HIGH != 0;
    let has = |b: u8| has_zero(x ^ (ONES * u64::from(b)));
    // A byte above b'0' − 1 and below b'9' + 1 (`hasbetween`).
    let low7 = x & (ONES * 127);
    let digit = (ONES * (127 + u64::from(b'9' + 1))).wrapping_sub(low7)
        & !x
        & low7.wrapping_add(ONES * (127 - u64::from(b'0' - 1)))
        & HIGH
        != 0;
    u8::from(digit) | u8::from(has(b'.')) << 1 | u8::from(has(b'@')) << 2 | u8::from(has(b'_')) << 3
}

/// [`mark`] with every pattern that may apply run (no shortcut for texts
/// the patterns cannot change but for texts without a digit, `.`, `@` or
/// `_`).
#[cfg(test)]
pub(super) fn mark_all(folded: &str) -> Cow<'_, str> {
    if !folded
        .bytes()
        .any(|b| b.is_ascii_digit() || b == b'.' || b == b'@' || b == b'_')
    {
        return Cow::Borrowed(folded);
    }
    let has_digit = folded.bytes().any(|b| b.is_ascii_digit());
    mark_patterns(folded, has_digit, folded.contains('@'), true)
}

/// The patterns of [`mark`], in order, on `folded` (`has_digit`,
/// `has_at`: whether it has a digit, an `@`; a pattern that needs one is
/// not run without it, the replacements add neither).
///
/// Unless `all` (the tests' reference), nor is a pattern run (or compiled) on a text where it cannot change
/// anything: URL needs `://` or `www.`, DOMAIN a `.` before a letter, a
/// phone number [`PHONE_DIGITS`] digits, a date [`may_be_date`], a number
/// [`may_be_number`]. Each test reads the text as the pattern then gets it.
fn mark_patterns(folded: &str, has_digit: bool, has_at: bool, all: bool) -> Cow<'_, str> {
    let mut t = folded.replace('_', " ");
    if all || t.contains("://") || t.contains("www.") {
        replace(&mut t, &URL, " _url_ ");
    }
    if has_at {
        replace(&mut t, &EMAIL, " _email_ ");
    }
    if all
        || t.as_bytes()
            .windows(2)
            .any(|w| w[0] == b'.' && w[1].is_ascii_lowercase())
    {
        replace(&mut t, &DOMAIN, " _url_ ");
    }
    if !has_digit {
        return Cow::Owned(t);
    }
    // Only texts with a digit come here: a few in a thousand questions.
    let chars: Vec<char> = t.chars().collect();
    if all || may_be_date(&chars) {
        replace(&mut t, &DATE, " _date_ ");
    }
    if all || digits(&t) >= PHONE_DIGITS {
        replace(&mut t, &PHONE, |c: &Captures<'_>| {
            let m = &c[0];
            let d = digits(m);
            // A plain run of digits is a number, not a phone number.
            if d >= PHONE_DIGITS && d < m.len() {
                " _phone_ ".to_string()
            } else {
                m.to_string()
            }
        });
    }
    let chars: Vec<char> = t.chars().collect();
    if all || may_be_number(&chars) {
        replace(&mut t, &NUMBER, |c: &Captures<'_>| {
            let m = &c[0];
            let d = digits(m);
            let letters = m.bytes().any(|b| b.is_ascii_alphabetic());
            let longest_run = m
                .split(|c: char| !c.is_ascii_digit())
                .map(str::len)
                .max()
                .unwrap_or(0);
            if longest_run >= NUMBER_DIGITS
                || (m.starts_with('#') && d >= 3)
                || (letters && longest_run >= 4)
            {
                " _number_ ".to_string()
            } else {
                m.to_string()
            }
        });
    }
    Cow::Owned(t)
}

/// `t` with `re`'s matches replaced (kept as it is without a match).
fn replace<R: regex::Replacer>(t: &mut String, re: &Regex, rep: R) {
    if let Cow::Owned(s) = re.replace_all(t, rep) {
        *t = s;
    }
}

/// Whether `c` may be a `\d`: an ASCII digit or any other numeric
/// character (more than `\d` has, which is all these tests need).
fn maybe_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// Whether `c` has a digit, `-`, `.` or `/`, one or two digits, one of
/// those again and a digit in a row: what a DATE match needs.
fn may_be_date(c: &[char]) -> bool {
    let sep = |c: &char| matches!(c, '-' | '.' | '/');
    (1..c.len()).any(|j| {
        if !sep(&c[j]) || !maybe_digit(c[j - 1]) {
            return false;
        }
        let n = c[j + 1..]
            .iter()
            .take(2)
            .take_while(|&&c| maybe_digit(c))
            .count();
        n > 0
            && c.get(j + 1 + n).is_some_and(sep)
            && c.get(j + 2 + n).is_some_and(|&c| maybe_digit(c))
    })
}

/// Whether a NUMBER match in `c` may be replaced: that needs a `#`,
/// [`NUMBER_DIGITS`] ASCII digits in a row, or four in a row with a
/// letter before them and only digits, `-` and `#` in between.
fn may_be_number(c: &[char]) -> bool {
    if c.contains(&'#') {
        return true;
    }
    let mut run = 0;
    for (i, &d) in c.iter().enumerate() {
        if !d.is_ascii_digit() {
            run = 0;
            continue;
        }
        run += 1;
        if run >= NUMBER_DIGITS {
            return true;
        }
        if run == 4 {
            let before = c[..i + 1 - run]
                .iter()
                .rev()
                .find(|&&c| !(maybe_digit(c) || c == '-' || c == '#'));
            if before.is_some_and(char::is_ascii_alphabetic) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{mark, mark_all};

    #[test]
    fn skipping_patterns_that_cannot_apply_changes_nothing() {
        // Pieces of addresses, dates and numbers, in pseudo-random strings;
        // `mark_all` runs every pattern.
        let pieces = [
            "1",
            "12",
            "2024",
            "12345",
            "1234567",
            "+49 ",
            "(030) ",
            "#",
            "-",
            ".",
            "/",
            ":",
            " ",
            "a",
            "ord",
            "ab-",
            "x#",
            "mail",
            "@",
            "_",
            "www.",
            "http://",
            "://",
            ".com",
            ".de",
            "e.g",
            "\u{661}",
            "\u{661}\u{662}",
            "\u{663}\u{664}\u{665}\u{666}",
            "\u{bd}",
            "\u{e9}",
        ];
        let mut rng = crate::testing::XorShift(0x9E37_79B9_7F4A_7C15);
        let mut next = || rng.next();
        for _ in 0..30_000 {
            let n = 1 + next() % 12;
            let s: String = (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            assert_eq!(mark(&s), mark_all(&s), "{s:?}");
        }
    }

    /// `byte_classes` says what a search for each byte says.
    #[test]
    fn byte_classes_are_the_bytes_searched() {
        let pieces = [
            "a", "1", "9", ".", "@", "_", " ", "é", "\u{661}", "/", ":", "0", "\u{0}", "\u{7f}",
            "\u{80}", "\u{ff}", "\u{130}", "^", "`", "?", "\u{fffd}",
        ];
        let mut rng = crate::testing::XorShift(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let n = rng.next() % 40;
            let s: String = (0..n)
                .map(|_| {
                    // Mostly letters, so that each class is often missing.
                    let k = (rng.next() % (3 * pieces.len() as u64)) as usize;
                    pieces.get(k).copied().unwrap_or("b")
                })
                .collect();
            let want = u8::from(s.bytes().any(|b| b.is_ascii_digit()))
                | u8::from(s.contains('.')) << 1
                | u8::from(s.contains('@')) << 2
                | u8::from(s.contains('_')) << 3;
            assert_eq!(super::byte_classes(&s), want, "{s:?}");
        }
    }

    /// `word_classes` on any eight bytes, mostly near the classes' edges.
    #[test]
    fn word_classes_are_the_bytes_tested() {
        let edges = [
            0u8, 1, b'-', b'.', b'/', b'0', b'5', b'9', b':', b'?', b'@', b'A', b'^', b'_', b'`',
            b'a', 0x7f, 0x80, 0xae, 0xaf, 0xb0, 0xb9, 0xba, 0xc0, 0xde, 0xdf, 0xff,
        ];
        let mut rng = crate::testing::XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..300_000 {
            let r = rng.next();
            let bytes: [u8; 8] = std::array::from_fn(|k| {
                let v = (r >> (8 * k)) as u8;
                if v % 4 == 0 {
                    v
                } else {
                    edges[usize::from(v) % edges.len()]
                }
            });
            let want = u8::from(bytes.iter().any(u8::is_ascii_digit))
                | u8::from(bytes.contains(&b'.')) << 1
                | u8::from(bytes.contains(&b'@')) << 2
                | u8::from(bytes.contains(&b'_')) << 3;
            assert_eq!(
                super::word_classes(u64::from_le_bytes(bytes)),
                want,
                "{bytes:?}"
            );
        }
    }

    fn words(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn types_addresses_and_numbers() {
        let cases = [
            ("mail me at a.b+c@mail.co.uk!", "mail me at _email_ !"),
            ("see https://example.org/a?b=1 now", "see _url_ now"),
            ("www.mini.com", "_url_"),
            ("open mini.com/app please", "open _url_ please"),
            ("call (030) 123-4567", "call _phone_"),
            ("call +49 170 1234567", "call _phone_"),
            ("order 1234567", "order _number_"),
            ("ticket #4821", "ticket _number_"),
            ("ticket ord-2024 please", "ticket _number_ please"),
            ("on 12.03.2024 and 2024-03-12", "on _date_ and _date_"),
            ("reset_password", "reset password"),
        ];
        for (input, want) in cases {
            assert_eq!(words(&mark(input)), want, "{input}");
        }
    }

    #[test]
    fn leaves_ordinary_words_and_small_numbers() {
        for s in [
            "charge to 80 % by 7:30",
            "pin 1234",
            "my id6 from 2024",
            "option #2",
            "version 2.1",
            "e.g. this",
        ] {
            assert_eq!(mark(s), s);
        }
    }
}
