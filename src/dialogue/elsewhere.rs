//! "What time does the post office close?": a question about the opening
//! hours of another place, answered by the business's own hours.
//!
//! Customers ask a business's bot about places near it, and an hours
//! question has the hours row's shape whatever place it names: the
//! sentence model reads "what time does the post office close" as "What
//! are your opening hours?" (a gym's sheet 0.92, a dental practice's 0.96;
//! trial 66's sewing machine repairer 0.98), and the import's hours
//! patterns read "when does the library open" as the business's own (0.76
//! without the model). New owners' trials asked it of a cobbler ("what
//! time does the post office open", 0.85) and of allotments ("what time
//! does tesco close", 0.84).
//!
//! The frame ([`hours_elsewhere`], on the folded words): "what time" (or
//! "when"), then "does", "do", "is" or "will", then the place in one to
//! four words, then "open", "close" or "shut" (or "opens", "closes",
//! "shuts", "opening", "closing"). The place is another's when it names
//! something: after articles and possessives ("the", "a", "your") at
//! least one word is left, none is "you", "it" or the like (what time do
//! you close, when does it open), and the place is not just a word for
//! the business's own premises ([`OWN_PLACE`]: "when does the shop
//! shut", "what time is the office open"; "the post office" is another). The top of the
//! ranking, an FAQ intent, is then offered, not answered
//! (`Why::HoursElsewhere`), unless a word of the place is one the
//! knowledge base's phrasings or keywords use (a cinema's "what time does
//! the box office open", a leisure centre's "when does the pool close"):
//! a place its answers only mention ("next to the post office") is still
//! another.

use super::phrasings::faq_top_and_words;
use crate::kb::KnowledgeBase;
use crate::matcher::{Analysis, Scored};

word_list! {
    /// The words at which [`hours_elsewhere`]'s frame is tested (its
    /// verbs of opening and closing).
    pub OPENERS, opens_frame = [
        "open", "opens", "opening", "close", "closes", "closing", "shut", "shuts",
    ];
}
word_list! {
    /// Words between the auxiliary and the verb that name no place.
    pub NO_PLACE, is_no_place = ["the", "a", "an", "your", "ur", "yr", "this", "that"];
}
word_list! {
    /// Words that make the place the business itself wherever they stand
    /// ("when do you open", "what time does it close").
    pub PRONOUNS, is_pronoun = ["you", "u", "ya", "yall", "it", "they", "we", "here", "there"];
}
word_list! {
    /// Words for the business's own premises, when the place is just one
    /// of them ("when does the shop shut"; "the post office" is another).
    pub OWN_PLACE, is_own_place = [
        "shop", "store", "office", "place", "business", "branch", "reception", "centre",
        "center", "premises",
    ];
}

/// The place's words ("the post office") when `words` (folded, lower
/// case, in order) ask when another place opens or closes (module doc),
/// else `None`.
pub fn hours_elsewhere(words: &[&str]) -> Option<String> {
    let at = |k: usize| words.get(k).copied();
    for k in 0..words.len() {
        let asks_time = (matches!(words[k], "what" | "wat" | "wot") && at(k + 1) == Some("time"))
            || words[k] == "when";
        if !asks_time {
            continue;
        }
        let aux = if words[k] == "when" { k + 1 } else { k + 2 };
        if !matches!(at(aux), Some("does" | "do" | "is" | "will")) {
            continue;
        }
        let start = aux + 1;
        let verb = (start + 1..(start + 5).min(words.len())).find(|&n| opens_frame(words[n]))?;
        let place = &words[start..verb];
        let named: Vec<&str> = place.iter().copied().filter(|w| !is_no_place(w)).collect();
        let own = match named.as_slice() {
            [] => true,
            [one] => is_own_place(one),
            _ => false,
        };
        if own || named.iter().any(|w| is_pronoun(w)) {
            return None;
        }
        return Some(place.join(" "));
    }
    None
}

/// The place's words when the message asks about another place's opening
/// hours and no word of the place is one the knowledge base's phrasings
/// or keywords use (module doc), the top of `ranking` being an FAQ
/// intent; `None` otherwise.
pub(crate) fn asks_hours_elsewhere(
    kb: &KnowledgeBase,
    analysis: &Analysis,
    ranking: &[Scored],
) -> Option<String> {
    let (_, words) = faq_top_and_words(kb, analysis, ranking, opens_frame)?;
    let place = hours_elsewhere(&words)?;
    let named: Vec<&str> = place.split(' ').filter(|w| !is_no_place(w)).collect();
    let known = analysis
        .tokens
        .iter()
        .any(|t| t.known && named.contains(&t.token.word.as_str()));
    (!known).then_some(place)
}

#[cfg(test)]
mod tests {
    use super::{hours_elsewhere, opens_frame};

    fn of(text: &str) -> Option<String> {
        let words: Vec<&str> = text.split(' ').collect();
        hours_elsewhere(&words)
    }

    #[test]
    fn another_places_hours_are_read() {
        for (text, place) in [
            ("what time does the post office close", "the post office"),
            ("what time does tesco shut", "tesco"),
            ("when does the library open on sundays", "the library"),
            ("wat time is the chemist open till", "the chemist"),
        ] {
            assert_eq!(of(text).as_deref(), Some(place), "{text}");
            assert!(text.split(' ').any(opens_frame), "{text}: no opener");
        }
    }

    #[test]
    fn the_business_own_hours_are_not_elsewhere() {
        for text in [
            "what time do you close",
            "when do u open on saturday",
            "what time does it open",
            "when does the shop close",
            "what time is the office open",
            "when is your reception open",
            "what time do you guys shut tonight",
            "are you open on sunday",
            "how late are you open",
            "what time is it",
        ] {
            assert_eq!(of(text), None, "{text}");
        }
    }
}
