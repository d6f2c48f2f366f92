//! "Do you buy old frames?" answered with "Yes, we stock ready-made
//! frames": a question about the business buying, answered by an entry
//! about it selling (or the other way round).
//!
//! "Buy" and "sell" name one trade seen from its two sides, so a customer
//! who wants to sell shares the entry's words (or, for the sentence model,
//! its meaning) with the entry on what the business sells. On FAQ sheets
//! of other businesses (trials 52 and 53), without the semantic stage "do
//! you buy pianos" got a piano tuner's "Will you look at a piano before I
//! buy it?" at 0.80 and "can i sell you my piano" its "Do you sell
//! pianos?" at 0.91; with it, "do you buy old frames" got a framing shop's
//! "Do you sell ready-made frames?" at 0.90.
//!
//! A phrase's *trade* is read from each "buy" or "sell" word (any form,
//! and "purchase") and the person before it, the nearest of "I", "we",
//! "me" (the customer) or "you", "u", "ya" (the business) among the four
//! words before the verb: the customer buying or the business selling is
//! [`Trade::ShopSells`] ("can I buy …", "do you sell …"), the business
//! buying or the customer selling [`Trade::ShopBuys`] ("would you buy
//! it", "I want to sell my piano"). A verb with no person that near says
//! nothing; two that disagree make the phrase say nothing. When the
//! message has a trade and the top's own phrasings (its title and
//! examples, questions in the customer's words) have only the other one,
//! the top is offered, not answered (`opposite_trade`). An entry that
//! names both sides ("Do you buy and sell used bikes?") or neither ("Can
//! I part-exchange my old bike?") is left alone.

use super::phrasings::{any_phrasing, faq_top_and_words};
use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Scored};
use std::sync::OnceLock;

/// Which way goods go between the business and the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trade {
    /// The business sells, the customer buys ("do you sell gift cards",
    /// "can I buy a gift card").
    ShopSells,
    /// The business buys, the customer sells ("do you buy old pianos",
    /// "can I sell you my piano").
    ShopBuys,
}

impl Trade {
    /// The other side of the same trade.
    pub fn other(self) -> Trade {
        match self {
            Trade::ShopSells => Trade::ShopBuys,
            Trade::ShopBuys => Trade::ShopSells,
        }
    }

    /// The business's side in words ("selling to the customer"), for `/why`.
    pub fn words(self) -> &'static str {
        match self {
            Trade::ShopSells => "selling to the customer",
            Trade::ShopBuys => "buying from the customer",
        }
    }
}

word_list! {
    /// Forms of "buy" (and "purchase").
    pub BUY, is_buy = [
        "buy",
        "buys",
        "buying",
        "bought",
        "purchase",
        "purchases",
        "purchasing",
        "purchased",
    ];
}
word_list! {
    /// Forms of "sell".
    pub SELL, is_sell = ["sell", "sells", "selling", "sold"];
}
/// Words for the customer as the one who buys or sells.
pub const CUSTOMER: [&str; 3] = ["i", "we", "me"];
/// Words for the business as the one who buys or sells.
pub const BUSINESS: [&str; 3] = super::unknown_thing::YOU;
/// How many words before the verb its person may be ("would you ever
/// want to buy": four).
pub const PERSON_WINDOW: usize = 4;

/// The trade that `words` (folded, lower case, in order) speak of, if
/// every "buy" or "sell" with a person near it agrees (module doc).
pub fn trade_of(words: &[&str]) -> Option<Trade> {
    let mut found = None;
    for (k, w) in words.iter().enumerate() {
        let buys = is_buy(w);
        if !buys && !is_sell(w) {
            continue;
        }
        let person = words[k.saturating_sub(PERSON_WINDOW)..k]
            .iter()
            .rev()
            .find_map(|p| {
                if CUSTOMER.contains(p) {
                    Some(false)
                } else if BUSINESS.contains(p) {
                    Some(true)
                } else {
                    None
                }
            });
        let Some(business) = person else { continue };
        let trade = if buys == business {
            Trade::ShopBuys
        } else {
            Trade::ShopSells
        };
        match found {
            None => found = Some(trade),
            Some(t) if t != trade => return None,
            Some(_) => {}
        }
    }
    found
}

/// The trades the title and examples of intent `i` speak of: (any says
/// [`Trade::ShopSells`], any says [`Trade::ShopBuys`]). Folds every
/// phrasing (about 3 k instructions each): the engine keeps the answer
/// per intent ([`Sides`]).
fn trades_of_intent(kb: &KnowledgeBase, i: usize) -> (bool, bool) {
    let mut sides = (false, false);
    any_phrasing(kb, i, has_no_verb, |words| {
        match trade_of(words) {
            Some(Trade::ShopSells) => sides.0 = true,
            Some(Trade::ShopBuys) => sides.1 = true,
            None => {}
        }
        false // every phrasing
    });
    sides
}

/// Whether `w` is in [`BUY`] or [`SELL`]; every form starts with `b`, `p`
/// or `s`, which spares the twelve comparisons for most words.
fn is_verb(w: &str) -> bool {
    matches!(w.as_bytes().first(), Some(b'b' | b'p' | b's')) && (is_buy(w) || is_sell(w))
}

/// Letters that every form in [`BUY`] and [`SELL`] holds in a row.
const VERB_STEMS: [&str; 5] = ["buy", "bought", "purchas", "sell", "sold"];

/// Whether ASCII `text` cannot fold ([`crate::normalize::fold_text`]) to
/// a word of [`BUY`] or [`SELL`]: its letters, lower-cased and read
/// without whatever stands between them, hold none of [`VERB_STEMS`].
/// Folding ASCII text lower-cases its letters, drops what is not a letter
/// or splits words there, and adds only fixed words of its own
/// (contractions and chat spellings: "not", "you", "would", …; none holds
/// a stem), so a word of the folded text is a run of the text's letters
/// in order or one of those. One pass over the bytes, a fraction of the
/// cost of folding (most phrasings have neither verb). Text that is not
/// ASCII is folded.
fn has_no_verb(text: &str) -> bool {
    if !text.is_ascii() {
        return false;
    }
    // The last eight letters read, lower case, the newest in the low byte.
    let mut last: u64 = 0;
    for b in text.bytes().filter(u8::is_ascii_alphabetic) {
        last = (last << 8) | u64::from(b | 0x20);
        // Each stem's last letter picks the one stem to compare.
        let stem = match b | 0x20 {
            b'y' => VERB_PACKED[0],
            b't' => VERB_PACKED[1],
            b's' => VERB_PACKED[2],
            b'l' => VERB_PACKED[3],
            b'd' => VERB_PACKED[4],
            _ => continue,
        };
        if last & stem.1 == stem.0 {
            return false;
        }
    }
    true
}

/// [`VERB_STEMS`] packed as [`has_no_verb`] reads letters: (the stem's
/// letters, one a byte, the last in the low byte; the mask of its length).
const VERB_PACKED: [(u64, u64); 5] = {
    let mut out = [(0, 0); 5];
    let mut i = 0;
    while i < VERB_STEMS.len() {
        let s = VERB_STEMS[i].as_bytes();
        let mut j = 0;
        while j < s.len() {
            out[i].0 = (out[i].0 << 8) | s[j] as u64;
            out[i].1 = (out[i].1 << 8) | 0xff;
            j += 1;
        }
        i += 1;
    }
    out
};

/// Each intent's trades ([`trades_of_intent`]), found the first time a
/// message with "buy" or "sell" has it on top and kept: they depend on
/// the knowledge base alone, which an engine never changes. One slot per
/// intent, in the knowledge base's order.
pub(crate) type Sides = [OnceLock<(bool, bool)>];

/// Empty [`Sides`] for a knowledge base of `n` intents.
pub(crate) fn sides(n: usize) -> Box<Sides> {
    (0..n).map(|_| OnceLock::new()).collect()
}

/// The message's trade when the top of `ranking`, an FAQ intent, speaks
/// only of the other one (module doc); `None` otherwise. `sides` keeps
/// the intents' trades between calls (an intent without a slot has its
/// trades found again).
pub(crate) fn opposite_trade(
    kb: &KnowledgeBase,
    sides: &Sides,
    analysis: &Analysis,
    ranking: &[Scored],
) -> Option<Trade> {
    let (top, words) = faq_top_and_words(kb, analysis, ranking, is_verb)?;
    let asked = trade_of(&words)?;
    let (sells, buys) = match sides.get(top.intent) {
        Some(slot) => *slot.get_or_init(|| trades_of_intent(kb, top.intent)),
        None => trades_of_intent(kb, top.intent),
    };
    let other = match asked {
        Trade::ShopSells => buys && !sells,
        Trade::ShopBuys => sells && !buys,
    };
    other.then_some(asked)
}

#[cfg(test)]
mod tests {
    use super::{has_no_verb, is_verb, trade_of, Trade, BUY, SELL, VERB_STEMS};

    fn of(text: &str) -> Option<Trade> {
        let words: Vec<&str> = text.split(' ').collect();
        trade_of(&words)
    }

    #[test]
    fn the_person_before_the_verb_gives_the_side() {
        assert_eq!(of("do you sell gift cards"), Some(Trade::ShopSells));
        assert_eq!(of("can i buy a gift card here"), Some(Trade::ShopSells));
        assert_eq!(of("where can we purchase tickets"), Some(Trade::ShopSells));
        assert_eq!(of("would you buy my old bike"), Some(Trade::ShopBuys));
        assert_eq!(of("can i sell you my sofa"), Some(Trade::ShopBuys));
        assert_eq!(
            of("we want to sell our caravan would you buy it"),
            Some(Trade::ShopBuys)
        );
        assert_eq!(of("do u ever buy used phones"), Some(Trade::ShopBuys));
    }

    #[test]
    fn a_phrasing_without_a_verb_s_letters_is_not_folded_and_has_no_trade() {
        for form in BUY.iter().chain(&SELL) {
            assert!(VERB_STEMS.iter().any(|s| form.contains(s)), "{form}");
            assert!(!has_no_verb(form), "{form}");
            assert!(!has_no_verb(&form.to_uppercase()), "{form}");
            assert!(is_verb(form), "{form}");
        }
        for text in [
            "Do you buy old frames?",
            "Can I SELL you my piano",
            "can i s-e-l-l u my bike",
            "i'd b.u.y one",
            "Where can we Purchase tickets?",
            "sold out?",
            "we BOUGHT it here",
            "purchased a gift card",
            "could i se'll it",
            "do u b\u{1}uy phones",
            "How much is a frame?",
            "I won't be selling",
            "r u buying",
            "cant u sell it",
            "Can I pay by card?",
            "Kaufen Sie Möbel? do you buy",
            "",
        ] {
            let folded = crate::normalize::fold_text(text);
            let words: Vec<&str> = folded.split(' ').collect();
            let verb = words.iter().any(|w| BUY.contains(w) || SELL.contains(w));
            if verb {
                assert!(!has_no_verb(text), "{text:?}");
            }
            if has_no_verb(text) {
                assert_eq!(trade_of(&words), None, "{text:?}");
            }
        }
        assert!(has_no_verb("How much is a frame?"));
        for word in [
            "",
            "b",
            "by",
            "shop",
            "seller",
            "purchasable",
            "sale",
            "you",
        ] {
            assert!(!is_verb(word), "{word}");
        }
        assert!(!has_no_verb("can i s-e-l-l u my bike"));
    }

    #[test]
    fn no_person_or_two_sides_say_nothing() {
        assert_eq!(of("buy one get one free"), None);
        assert_eq!(of("where is the best place to buy a frame"), None);
        assert_eq!(of("do you buy and sell used bikes"), None);
        assert_eq!(of("i bought it here can you buy it back"), None);
        assert_eq!(of("how much is a frame"), None);
    }
}
