//! Rule 3's second part, a bare yes or no to what the last reply offered ("sure",
//! "no thanks", "ja", "non merci"): [`YES`], [`NO`], read on folded text
//! (case and punctuation do not count).

use super::choice::short_folded;
use crate::normalize::Normalizer;

/// A bare yes or no to what the last reply offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Consent {
    /// Take the offer.
    Yes,
    /// Decline it.
    No,
}

/// Folded texts that accept an offer.
pub const YES: &[&str] = &[
    "yes",
    "yes please",
    "yes sure",
    "yes thanks",
    "yes thank you",
    "yeah",
    "yep",
    "yup",
    "sure",
    "sure please",
    "sure thing",
    // A bare "ok" or "okay" is "got it", not "yes please": read as a yes
    // after an answer with follow-ups, it asked "which one?" again and
    // again (a user trial).
    "ok please",
    "okay please",
    "ok sure",
    "please",
    "go ahead",
    "of course",
    "y",
    "yes i would",
    "i would",
    "please do",
    // German, French, Spanish, Italian, Portuguese and Dutch, the
    // languages `faqbot import` writes the bot's texts in (folded: "sí" is
    // "si", "não" is "nao").
    "ja",
    "ja bitte",
    "ja gerne",
    "gerne",
    "oui",
    "oui merci",
    "si",
    "si por favor",
    "si gracias",
    "claro",
    "si grazie",
    "certo",
    "sim",
    "sim obrigado",
    "sim obrigada",
    "ja graag",
    "graag",
];
/// Folded texts that decline an offer.
pub const NO: &[&str] = &[
    "no",
    "no thanks",
    "no thank you",
    "nope",
    "nah",
    "n",
    "not now",
    "no need",
    "not really",
    "no i am fine",
    "no i am good",
    "i am fine",
    "i am good",
    "no that is all",
    "that is all",
    // The languages of [`YES`]'s second part.
    "nein",
    "nein danke",
    "non",
    "non merci",
    "no gracias",
    "no grazie",
    "nao",
    "nao obrigado",
    "nao obrigada",
    "nee",
    "nee dank je",
    "nee bedankt",
];

/// Whether `text` is a bare yes or no (after folding: case and
/// punctuation do not count, "Sure!" is "sure").
pub(crate) fn consent(norm: &Normalizer, text: &str) -> Option<Consent> {
    consent_of_folded(&short_folded(norm, text)?)
}

/// [`consent`] of a text already folded.
pub(crate) fn consent_of_folded(folded: &str) -> Option<Consent> {
    if YES.contains(&folded) {
        Some(Consent::Yes)
    } else if NO.contains(&folded) {
        Some(Consent::No)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both lists are read on folded text: a word with an accent or an
    /// upper-case letter could never be typed into them, and one text in
    /// both would be read as yes only.
    #[test]
    fn lists_are_folded_and_disjoint() {
        for w in YES.iter().chain(NO) {
            assert_eq!(crate::normalize::fold_text(w), *w, "{w}");
        }
        assert!(YES.iter().all(|y| !NO.contains(y)));
    }

    #[test]
    fn reads_bare_yes_and_no_but_not_ok() {
        let norm = Normalizer::new("english", &[]);
        assert_eq!(consent(&norm, "Sure!"), Some(Consent::Yes));
        assert_eq!(consent(&norm, "Sí, por favor"), Some(Consent::Yes));
        assert_eq!(consent(&norm, "no thanks."), Some(Consent::No));
        assert_eq!(consent(&norm, "Não, obrigado"), Some(Consent::No));
        assert_eq!(consent(&norm, "ok"), None);
        assert_eq!(consent(&norm, "yes how do i charge my car"), None);
    }
}
