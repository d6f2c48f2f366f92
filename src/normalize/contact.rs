//! Contact details in a text: phone numbers, e-mail and web addresses.
//! What `faqbot import` reads from a sheet's answers for the handoff text
//! (`crate::import::contact`), and what tells whether a handoff text says
//! how to reach the team ([`gives_contact`]).

use super::typed::EMAIL_ANY_CASE;
use regex::Regex;
use std::sync::LazyLock;

/// A phone number: groups of digits, one space or dash between them,
/// optionally after a `+` and a country code and one pair of brackets,
/// whole words (so "01632 960278 - 9am" is the number without the time);
/// 9 to 15 digits in all ([`digits_ok`]), so prices, times and years are
/// none.
pub(crate) static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+\d{1,3}[ -]?)?(?:\(\d{1,5}\)[ -]?)?\b\d+(?:[ -]\d+)*\b")
        .expect("a valid pattern")
});

/// A web address: with `http(s)://` or `www.`, or a host name ending in
/// a common top-level domain (or `.example`, the reserved one sheets use
/// in examples).
pub(crate) static WEB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:https?://\S+|www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|info|biz|co\.uk|org\.uk|uk|ie|eu|de|fr|es|it|nl|be|ch|at|au|ca|nz|us|io|app|shop|example))\b(?:/[^\s,;)]*)?",
    )
    .expect("a valid pattern")
});

/// Whether a phone match has 9 to 15 digits (ITU E.164 allows at most 15;
/// national numbers have at least 9 in most countries).
pub(crate) fn digits_ok(m: &str) -> bool {
    let n = m.bytes().filter(u8::is_ascii_digit).count();
    (9..=15).contains(&n)
}

/// Whether `text` gives a way to reach the team: a phone number
/// (`PHONE`, 9 to 15 digits), an e-mail address or a web address
/// (`WEB`). The default handoff text ("A member of our support team can
/// help you further.") gives none, nor do opening times ("9:00 to 17:00").
pub fn gives_contact(text: &str) -> bool {
    may_give_contact(text) && matches_contact(text)
}

/// [`gives_contact`]'s three patterns themselves.
fn matches_contact(text: &str) -> bool {
    PHONE.find_iter(text).any(|m| digits_ok(m.as_str()))
        || EMAIL_ANY_CASE.is_match(text)
        || WEB.is_match(text)
}

/// Whether `text` holds what each of [`gives_contact`]'s patterns needs:
/// 9 ASCII digits (a phone number, [`digits_ok`]), an `@` (an e-mail
/// address), a `:` (`http://`) or a `.` before an ASCII letter or digit,
/// a `-` or a non-ASCII character (`www.`, a domain; under `(?i)` the
/// Kelvin sign and the long s are letters). A text without any (the
/// default handoff text) is spared the three regexes, and their
/// compilation (3.9 M instructions on the first fallback, docs/benchmarks.md
/// `speed41`). A text that passes still goes through the patterns.
fn may_give_contact(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().filter(|b| b.is_ascii_digit()).count() >= 9
        || bytes.iter().any(|&b| b == b'@' || b == b':')
        || bytes.windows(2).any(|w| {
            w[0] == b'.' && (w[1].is_ascii_alphanumeric() || w[1] == b'-' || !w[1].is_ascii())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handoff_text_gives_contact_details_with_a_number_or_an_address() {
        assert!(gives_contact("Call us on 01632 960123."));
        assert!(gives_contact("Email us at help@example.com."));
        assert!(gives_contact("Book at www.example.com"));
        assert!(!gives_contact(
            "A member of our support team can help you further."
        ));
        assert!(!gives_contact("Open 9 to 5, Monday to Friday."));
        assert!(!gives_contact("Ask at reception, open 9:00 to 17:00."));
    }

    #[test]
    fn the_test_before_the_patterns_keeps_every_text_that_matches_them() {
        let texts = [
            "A member of our support team can help you further.",
            "Call us on 01632 960123.",
            "Call +44 (0)1632 960123 or 0800-123-456.",
            "Phone 12345678 (eight digits).",
            "Email us at help@example.com.",
            "Write to HELP@EXAMPLE.CO.UK",
            "Book at www.example.com",
            "See https://example.org/contact",
            "see http://localhost",
            "Find us at framing.shop or ourplace.\u{17f}hop",
            "Open 9 to 5, Monday to Friday.",
            "Ask at reception, open 9:00 to 17:00.",
            "Ask at reception. Or phone.",
            "",
            "...",
            "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ",
        ];
        for text in texts {
            assert_eq!(gives_contact(text), matches_contact(text), "{text:?}");
            if matches_contact(text) {
                assert!(may_give_contact(text), "{text:?}");
            }
        }
        assert!(matches_contact("Find us at ourplace.\u{17f}hop"));
        assert!(!may_give_contact(
            "A member of our support team can help you further."
        ));
        assert!(!may_give_contact("Ask at reception. Or phone, 9 to 5."));
    }
}
