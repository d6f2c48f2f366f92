//! Rules 2 and 3, choosing from what was offered: a number (`2`, `#2`,
//! `option 2`) or text that names one offered title.
//!
//! Takes the typed text and the intents the last reply offered (from the
//! session); gives the number typed ([`parse_choice`]) or the one offered
//! intent whose title the text names (`match_title`), if any. A bare yes
//! or no to the offer is [`super::consent`]'s.

use crate::kb::KnowledgeBase;
use crate::normalize::Normalizer;
use crate::session::Session;

/// Share of a title's words that typed text must cover to select it.
pub const TITLE_COVERAGE: f32 = 0.6;

/// `2`, `#2`, `2.`, `2)`, `option 2`, `number 2`, `nr 2`, also with
/// "please" or "thanks" around it (`2 please`, `number 2 pls`) and in
/// full-width or Arabic-Indic digits (`１`, `٢`) → 2; at most six digits: a
/// longer number is no choice on offer (the policy answers it "There is
/// no choice N.", as for any number not offered).
pub fn parse_choice(text: &str) -> Option<usize> {
    let digits = choice_digits(text)?;
    if digits.len() > 6 {
        return None;
    }
    digits.parse().ok()
}

/// The digits of a number typed as a choice (as [`parse_choice`] reads
/// it) that has more than six of them: never a choice on offer, so it gets
/// the reply to any number not offered ("There is no choice 4294967296.")
/// rather than being read as a question. (The policy reads it with
/// [`parse_choice`] through [`typed_number`].)
#[cfg(test)]
pub(crate) fn long_number(text: &str) -> Option<String> {
    choice_digits(text).filter(|d| d.len() > 6)
}

/// [`parse_choice`] and [`long_number`] of `text` from one reading of
/// its digits: `Ok(n)` for a choice, `Err(digits)` for a number of more
/// than six digits.
pub(crate) fn typed_number(text: &str) -> Option<Result<usize, String>> {
    let digits = choice_digits(text)?;
    if digits.len() > 6 {
        return Some(Err(digits));
    }
    digits.parse().ok().map(Ok)
}

/// Number words a choice can be typed as ("two", "option three", "two
/// please"), for choices 1 to [`MAX_OFFERED`].
pub const NUMBER_WORDS: [&str; MAX_OFFERED] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// The choice a number word names ("two", "option two", "number two
/// please"; [`NUMBER_WORDS`]), 1-based. Read only while choices are on
/// offer, and before the offered titles: "one" is choice 1 even when
/// choice 2's title has the word "one" in it (a user trial: "one" picked
/// choice 2, "three" answered the PIN reset, whose answer says "three
/// incorrect PIN entries").
pub(crate) fn parse_number_word(text: &str) -> Option<usize> {
    if text.len() > 40 {
        return None;
    }
    let core = choice_core(text);
    NUMBER_WORDS
        .iter()
        .position(|w| *w == core)
        .map(|k| k + 1)
        .or_else(|| {
            OTHER_NUMBER_WORDS
                .iter()
                .find(|(w, _)| *w == core)
                .map(|(_, n)| *n)
        })
}

/// Number words 1 to 5 in the languages `faqbot import` writes the bot's
/// texts in (German, French, Spanish, Italian, Dutch, Portuguese), as typed
/// and without accents: a German customer's "zwei bitte" picks the second
/// choice as "two please" does (it was a fallback). Not Portuguese "um",
/// which is English hesitation.
const OTHER_NUMBER_WORDS: &[(&str, usize)] = &[
    ("eins", 1),
    ("une", 1),
    ("uno", 1),
    ("una", 1),
    ("een", 1),
    ("één", 1),
    ("uma", 1),
    ("zwei", 2),
    ("deux", 2),
    ("dos", 2),
    ("due", 2),
    ("twee", 2),
    ("dois", 2),
    ("duas", 2),
    ("drei", 3),
    ("trois", 3),
    ("tres", 3),
    ("tre", 3),
    ("drie", 3),
    ("três", 3),
    ("vier", 4),
    ("quatre", 4),
    ("cuatro", 4),
    ("quattro", 4),
    ("quatro", 4),
    ("fünf", 5),
    ("funf", 5),
    ("cinq", 5),
    ("cinco", 5),
    ("cinque", 5),
    ("vijf", 5),
];

/// A digit in any of the forms a keyboard or input method types for a
/// choice: ASCII, full-width (`１`, Chinese and Japanese input methods)
/// and Arabic-Indic (`٢`, `۲`), as its ASCII digit.
fn ascii_digit(c: char) -> Option<char> {
    let base = match c {
        '0'..='9' => return Some(c),
        '\u{ff10}'..='\u{ff19}' => 0xff10,
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06f0}'..='\u{06f9}' => 0x06f0,
        _ => return None,
    };
    char::from_digit(c as u32 - base, 10)
}

/// Words of politeness after (or before) a choice: "2 please", "two
/// pls", "3 thanks", and in the languages of [`OTHER_NUMBER_WORDS`]
/// ("zwei bitte", "deux s'il vous plaît", "dos por favor").
const POLITE: [&str; 18] = [
    "please",
    "pls",
    "plz",
    "thanks",
    "thank you",
    "thx",
    "ok",
    "bitte",
    "danke",
    "s'il vous plaît",
    "s'il vous plait",
    "svp",
    "merci",
    "por favor",
    "gracias",
    "per favore",
    "grazie",
    "graag",
];

/// Words before the number that name it a choice: "option 2", "number
/// two", "choice 3", "no. 2", "nr 2".
const NUMBER_PREFIXES: [&str; 5] = ["option", "number", "choice", "nr", "no."];

/// Phrases before a choice: "I want 2", "I'll take option two".
const LEADS: [&str; 8] = [
    "i want",
    "i mean",
    "i meant",
    "i choose",
    "i pick",
    "i will take",
    "i'll take",
    "i would like",
];

/// `text` lower-cased, digits in ASCII, without the words around a typed
/// choice ([`POLITE`], [`LEADS`], [`NUMBER_PREFIXES`]) and without a
/// leading `#` or trailing `.`, `)`, `!`: "Number 2, please!" → "2",
/// "option two" → "two", "２" → "2". What is left is the number (or
/// number word) when the text is a choice, anything else otherwise.
fn choice_core(text: &str) -> String {
    let lower: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '\u{ff03}' => '#',
            '\u{2019}' => '\'',
            c => ascii_digit(c).unwrap_or(c),
        })
        .flat_map(char::to_lowercase)
        .collect();
    let ends = |c: char| c.is_whitespace() || matches!(c, '.' | ')' | '!' | '?' | ',');
    let mut t = lower.trim_matches(ends);
    loop {
        let before = t.len();
        for p in POLITE {
            if let Some(rest) = t.strip_suffix(p).filter(|r| r.ends_with([' ', ','])) {
                t = rest.trim_end_matches(ends);
            }
            if let Some(rest) = t.strip_prefix(p).filter(|r| r.starts_with([' ', ','])) {
                t = rest.trim_start_matches(ends);
            }
        }
        for l in LEADS {
            if let Some(rest) = t.strip_prefix(l).filter(|r| r.starts_with(' ')) {
                t = rest.trim_start();
            }
        }
        if t.len() == before {
            break;
        }
    }
    for p in NUMBER_PREFIXES {
        if let Some(rest) = t.strip_prefix(p) {
            t = rest.trim_start();
            break;
        }
    }
    t.trim_start_matches('#')
        .trim_end_matches(['.', ')', '!'])
        .trim()
        .to_string()
}

/// The digits of `text` read as a choice (`#2`, `option 2`, `2 please`,
/// `２`, ...), any number of them.
fn choice_digits(text: &str) -> Option<String> {
    // Every turn asks this (a number with nothing on offer is read too):
    // text without a digit, nearly every question, is no choice, and
    // costs no lower-cased copy.
    if !has_digit(text) {
        return None;
    }
    let t = choice_core(text);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(t)
}

/// Whether `text` has a digit [`ascii_digit`] reads: ASCII text has every
/// byte looked at without an early exit, which the compiler vectorises
/// (nearly every question has no digit, and is read to its end either
/// way); other text is read char by char.
fn has_digit(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes().fold(false, |any, b| any | b.is_ascii_digit())
    } else {
        text.chars().any(|c| ascii_digit(c).is_some())
    }
}

/// Folded texts that decline every choice on offer, as a "no" to an offer
/// does ("none of these" was a fallback that counted towards the handoff).
pub const NONE_OF_THESE: &[&str] = &[
    "none",
    "none of these",
    "none of them",
    "none of those",
    "none of the above",
    "none of these questions",
    "neither",
    "neither one",
    "neither of them",
    "neither of these",
    "neither of those",
    "not these",
    "not those",
    "not any of these",
    "no none of these",
    "no neither",
];

/// Folded texts that name no one choice: "both", "the other one", "any".
/// The choices are offered again ("Which one would you like?") instead of
/// picking one: "both" and "the other one" picked choice 2 because its
/// title had the word "one" (a user trial).
pub const NOT_ONE: &[&str] = &[
    "both",
    "both of them",
    "both of these",
    "all",
    "all of them",
    "all of these",
    "the other",
    "the other one",
    "other one",
    "another one",
    "the others",
    "either",
    "either one",
    "either of them",
    "any",
    "any of them",
    "any one",
    "whichever",
];

/// `folded` without a trailing "please", "pls" or "thanks".
fn without_polite(folded: &str) -> &str {
    let mut t = folded.trim();
    for p in POLITE {
        if let Some(rest) = t.strip_suffix(p).filter(|r| r.ends_with(' ')) {
            t = rest.trim_end();
        }
    }
    t
}

/// What a short reply to choices on offer says about them as a whole
/// ([`NONE_OF_THESE`], [`NOT_ONE`]), from the folded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AboutAll {
    /// None of them: declined, as a "no".
    None,
    /// More than one, or one not named: asked which.
    NotOne,
}

/// [`AboutAll`] of a folded text, if it is one.
pub(crate) fn about_all(folded: &str) -> Option<AboutAll> {
    let t = without_polite(folded);
    if NONE_OF_THESE.contains(&t) {
        Some(AboutAll::None)
    } else if NOT_ONE.contains(&t) {
        Some(AboutAll::NotOne)
    } else {
        None
    }
}

/// The ordinal words [`parse_ordinal`] reads.
const ORDINALS: [&str; 11] = [
    "first", "1st", "second", "2nd", "third", "3rd", "fourth", "4th", "fifth", "5th", "last",
];

/// Whether `text` may name an ordinal for [`parse_ordinal`]: at most 40
/// bytes (what [`short_folded`] folds) and a word that is one of
/// [`ORDINALS`] in ASCII letters of any case. A cheap test before the
/// folding, which every message with nothing on offer would otherwise
/// pay (1.7 k instructions a line in stateless pipe mode).
pub(crate) fn may_name_ordinal(text: &str) -> bool {
    text.len() <= 40
        && text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| ORDINALS.iter().any(|o| w.eq_ignore_ascii_case(o)))
}

/// The choice an ordinal names ("the first one", "second", "3rd please",
/// "the last one"), 1-based, among `offered` choices; `None` for any other
/// text. Read only while choices are on offer: with nothing offered, "the
/// first one" is no choice.
/// `folded` is the text folded ([`short_folded`]).
pub(crate) fn parse_ordinal(folded: &str, offered: usize) -> Option<usize> {
    let mut t = folded;
    for prefix in ["i want ", "i mean ", "i meant ", "the "] {
        t = t.strip_prefix(prefix).unwrap_or(t);
    }
    for suffix in [" please", " pls", " one", " option", " question"] {
        t = t.strip_suffix(suffix).unwrap_or(t);
    }
    let n = match t {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" => 4,
        "fifth" | "5th" => 5,
        "last" => offered,
        _ => return None,
    };
    (n >= 1 && n <= offered).then_some(n)
}

/// Most choices a session's `offered` is read for, and most a reply
/// offers (`popular_topics`, an answer's follow-ups and the help intent's
/// list are cut to it; a clarification offers three), so every offered
/// choice can be picked and a session from outside (a cookie, a request
/// body) that lists 200,000 ids costs no more than one that lists 20.
pub const MAX_OFFERED: usize = 20;

/// The choices the last reply offered, by their number (index + 1): the
/// intent (an index into `kb.intents`) of each, `None` for an id the
/// knowledge base no longer has (removed by a reload), so the others keep
/// the numbers the user saw. At most [`MAX_OFFERED`].
pub(crate) fn offered_numbered(kb: &KnowledgeBase, session: &Session) -> Vec<Option<usize>> {
    session
        .offered
        .iter()
        .take(MAX_OFFERED)
        .map(|id| kb.index_of(id))
        .collect()
}

/// The intents the last reply offered that the knowledge base still has,
/// in order, each once (see [`offered_numbered`]).
pub(crate) fn offered(kb: &KnowledgeBase, session: &Session) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for i in offered_numbered(kb, session).into_iter().flatten() {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// The one intent of `offered` whose title `text` names: the text is
/// contained in the title (and has a space), or its content words all
/// occur in the title and cover at least [`TITLE_COVERAGE`] of the
/// title's. `None` when no title or more than one qualifies, or the text
/// is shorter than 3 characters.
pub(crate) fn match_title(
    kb: &KnowledgeBase,
    norm: &Normalizer,
    offered: &[usize],
    text: &str,
) -> Option<usize> {
    let folded = norm.fold(text);
    if folded.chars().count() < 3 {
        return None;
    }
    let typed: Vec<String> = norm
        .tokens_of_folded(&folded)
        .into_iter()
        .filter(|t| !t.stop)
        .map(|t| t.term)
        .collect();
    let mut hits = Vec::new();
    for &i in offered {
        let title = &kb.intents[i].title;
        let tf = norm.fold(title);
        let contained = tf.contains(&folded) && folded.contains(' ');
        let title_terms: Vec<String> = norm
            .tokens_of_folded(&tf)
            .into_iter()
            .filter(|t| !t.stop)
            .map(|t| t.term)
            .collect();
        let covered = typed.iter().filter(|t| title_terms.contains(t)).count();
        let coverage = if title_terms.is_empty() {
            0.0
        } else {
            covered as f32 / title_terms.len() as f32
        };
        let all_typed_in_title = !typed.is_empty() && covered == typed.len();
        if contained || (coverage >= TITLE_COVERAGE && all_typed_in_title) {
            hits.push(i);
        }
    }
    (hits.len() == 1).then(|| hits[0])
}

/// `text` folded, when it is short enough (40 bytes) to be a bare yes
/// or no or an ordinal: what [`super::consent::consent_of_folded`] and [`parse_ordinal`]
/// read, folded once for both.
pub(crate) fn short_folded(norm: &Normalizer, text: &str) -> Option<String> {
    (text.len() <= 40).then(|| norm.fold(text))
}

#[cfg(test)]
mod tests;
