//! Masking personal data in logged utterances.
//!
//! Applied in this order, each on the result of the one before:
//!
//! | what | rule | replaced by |
//! |---|---|---|
//! | e-mail address | `local@domain.tld` | `<email>` |
//! | phone number | an optional `(` and `+`, a digit, then digits, spaces and `-./()`, ending in a digit: at least [`PHONE_DIGITS`] digits and at least one separator | `<phone>` |
//! | long digit run | at least [`LONG_DIGITS`] digits in a row (customer, card or order numbers, postcodes) | `<number>` |
//!
//! Masking errs on the side of hiding: a date written `12.03.2024` has
//! eight digits and is masked as a phone number.

use crate::normalize::typed::EMAIL_ANY_CASE;
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// Fewest digits in a phone number.
pub const PHONE_DIGITS: usize = 7;
/// Fewest digits in a row that are masked as a number.
pub const LONG_DIGITS: usize = 5;

static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(?\+?\d[\d \-./()]*\d").expect("static regex"));
static DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\d{{{LONG_DIGITS},}}")).expect("static regex"));

/// `text` with e-mail addresses, phone numbers and long digit runs masked.
///
/// ```
/// use faqbot::misses::mask::mask_pii;
/// assert_eq!(
///     mask_pii("mail jo.doe@example.com or call +49 170 1234567, order 123456"),
///     "mail <email> or call <phone>, order <number>"
/// );
/// assert_eq!(mask_pii("my ID6 MINI from 2024"), "my ID6 MINI from 2024");
/// ```
pub fn mask_pii(text: &str) -> String {
    let t = EMAIL_ANY_CASE.replace_all(text, "<email>");
    let t = PHONE.replace_all(&t, |c: &Captures<'_>| {
        let m = &c[0];
        let digits = m.bytes().filter(u8::is_ascii_digit).count();
        // A plain run of digits is a number, not a phone number.
        if digits >= PHONE_DIGITS && digits < m.len() {
            "<phone>".to_string()
        } else {
            m.to_string()
        }
    });
    DIGITS.replace_all(&t, "<number>").into_owned()
}

#[cfg(test)]
mod tests {
    use super::mask_pii;

    #[test]
    fn masks_what_it_should_and_nothing_else() {
        assert_eq!(mask_pii("a.b+c@mail.co.uk!"), "<email>!");
        assert_eq!(mask_pii("call (030) 123-4567"), "call <phone>");
        assert_eq!(mask_pii("0170/1234567"), "<phone>");
        assert_eq!(mask_pii("card 4111111111111111"), "card <number>");
        assert_eq!(mask_pii("postcode 80331"), "postcode <number>");
        assert_eq!(mask_pii("charge to 80 % by 7:30"), "charge to 80 % by 7:30");
        assert_eq!(mask_pii("pin 1234"), "pin 1234");
        assert_eq!(mask_pii(""), "");
    }
}
