//! Slots: positions where the knowledge base's examples put names.
//!
//! A timetable bot's examples say "from Marienplatz to Laim", "from
//! Garching to Freising": the word after "from" is nearly always a name.
//! A customer who asks "from Harthaus to Hackerbrücke" types names the
//! knowledge base never saw, yet they sit exactly where it expects names.
//! Such an unknown word is not a sign of a foreign topic (another product,
//! another company): it fills a *slot*.
//!
//! A slot is a neighbour word and a side: "from ·" (the word after
//! "from") or "· to" (the word before "to"). It is one when, over the
//! examples of the FAQ intents, at least [`MIN_NAMES`] different names
//! (content words that are not everyday English, see [`crate::lexicon`])
//! stand in that position and they are at least [`MIN_SHARE`] of the
//! different content words there; it belongs to the intents whose own
//! examples put at least [`MIN_NAMES`] different names there (an intent
//! about any station, not a row about one). The bundled MINI knowledge base has
//! none: "my Countryman" next to "my car", "my phone", "my PIN" and forty
//! more does not make "my ·" a slot. A neighbour that is itself a name
//! opens no slot: in a technical knowledge base nearly every word is a
//! name, and "a name next to a name" says nothing.
//!
//! An unknown word of the utterance (not everyday English, not a typo of
//! a known word, not a stop word) whose neighbour opens a slot counts as
//! a known word that the intents filling that slot use
//! (`combine::Coverage`: familiarity and coverage), and not as
//! foreign in the calibration ([`super::calibrate::foreign_share`]).
//! Measured by cross-validation on the train splits (`examples/cv.rs`,
//! `--names` replaces the held-out lines' names by made-up words, as
//! customers ask about stations the examples never name): Chatbot
//! answered right .773 → .937, every other corpus unchanged.

use super::index::Index;
use crate::normalize::Token;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Fewest different names a position must hold to be a slot: one or two
/// names after the same neighbour happen by chance.
pub const MIN_NAMES: usize = 3;
/// Smallest share of names among the different content words in a
/// position for it to be a slot.
pub const MIN_SHARE: f32 = 0.5;

/// Whether a token is a name: a content word that is not everyday English.
pub(crate) fn is_name(word: &str, stop: bool) -> bool {
    !stop && !crate::lexicon::english().is_everyday(word)
}

/// The key of the position next to the neighbour with term `neighbour`:
/// `"from <"` for the word after "from" (`right`), `"> to"` for the word
/// before "to".
pub(crate) fn key(neighbour: &str, right: bool) -> String {
    if right {
        format!("{neighbour} <")
    } else {
        format!("> {neighbour}")
    }
}

/// Per position, the different content words there, how many of them
/// are names, and the intents whose examples put a name there. Words are
/// counted by term, through ids given by [`Counts::new`] (compiling a
/// knowledge base of 10,000 examples sees about 200,000 positions).
pub(crate) struct Counts<'a> {
    tokens: &'a [Token],
    /// Per token: its term's id.
    term: Vec<u32>,
    /// Per token: whether it is a name.
    name: Vec<bool>,
    /// Per term id: the term.
    terms: Vec<&'a str>,
    /// (neighbour's term id, slot to its right) → position.
    seen: HashMap<(u32, bool), Position>,
}

#[derive(Default)]
struct Position {
    words: HashSet<u32>,
    names: usize,
    /// Per intent with a name here: the different names its examples put here.
    owners: Vec<(u32, Vec<u32>)>,
}

impl<'a> Counts<'a> {
    /// Counts over the knowledge base's distinct tokens `tokens` (examples
    /// give their words as indices into it).
    pub fn new(tokens: &'a [Token]) -> Counts<'a> {
        let mut ids: HashMap<&str, u32> = HashMap::default();
        let mut terms = Vec::new();
        let term = tokens
            .iter()
            .map(|t| {
                *ids.entry(t.term.as_str()).or_insert_with(|| {
                    terms.push(t.term.as_str());
                    terms.len() as u32 - 1
                })
            })
            .collect();
        let name = tokens.iter().map(|t| is_name(&t.word, t.stop)).collect();
        Counts {
            tokens,
            term,
            name,
            terms,
            seen: HashMap::default(),
        }
    }

    /// Adds one example of the FAQ intent `intent`: its tokens in order.
    pub fn add(&mut self, intent: u32, example: &[u32]) {
        for pair in example.windows(2) {
            let (a, b) = (pair[0] as usize, pair[1] as usize);
            if !self.tokens[b].stop && !self.name[a] {
                self.bump((self.term[a], true), b, intent);
            }
            if !self.tokens[a].stop && !self.name[b] {
                self.bump((self.term[b], false), a, intent);
            }
        }
    }

    fn bump(&mut self, key: (u32, bool), word: usize, intent: u32) {
        let p = self.seen.entry(key).or_default();
        let name = self.name[word];
        if p.words.insert(self.term[word]) && name {
            p.names += 1;
        }
        if name {
            let term = self.term[word];
            match p.owners.iter_mut().find(|(i, _)| *i == intent) {
                Some((_, names)) if !names.contains(&term) => names.push(term),
                Some(_) => {}
                None => p.owners.push((intent, vec![term])),
            }
        }
    }

    /// The positions that are slots, by [`key`], each with the intents
    /// that fill it (ascending), in the order of their keys. An intent
    /// fills a slot when its own examples put at least [`MIN_NAMES`]
    /// different names there: it is about any station, not about one. A
    /// spreadsheet whose rows differ by a name ("Do you deliver to Leeds?",
    /// "… to York?") has no slot, so an unknown city is not read as one of
    /// its rows.
    pub fn slots(self) -> Vec<(String, Vec<u32>)> {
        let terms = self.terms;
        let mut out: Vec<(String, Vec<u32>)> = self
            .seen
            .into_iter()
            .filter(|(_, p)| {
                p.names >= MIN_NAMES && p.names as f32 >= MIN_SHARE * p.words.len() as f32
            })
            .filter_map(|((t, right), p)| {
                let mut owners: Vec<u32> = p
                    .owners
                    .into_iter()
                    .filter(|(_, names)| names.len() >= MIN_NAMES)
                    .map(|(i, _)| i)
                    .collect();
                owners.sort_unstable();
                (!owners.is_empty()).then(|| (key(terms[t as usize], right), owners))
            })
            .collect();
        out.sort_unstable();
        out
    }
}

/// One token of an utterance as [`fill`] reads it: (term, word, is a stop word).
pub(crate) type Word<'a> = (&'a str, &'a str, bool);

/// Per token of an utterance's current turn (in order), the slot it fills
/// (an index into `Index::slot_owners`): `words[j]` is the token as
/// (term, word, is a stop word) and `candidate[j]` whether it is an
/// unknown name; a candidate fills the slot its left or right neighbour
/// opens, if any.
pub(crate) fn fill(ix: &Index, words: &[Word<'_>], candidate: &[bool]) -> Vec<Option<u32>> {
    let n = words.len();
    let opens = |j: usize, right: bool| {
        let (term, word, stop) = words[j];
        if candidate[j] || is_name(word, stop) {
            return None;
        }
        ix.slots.get(&key(term, right)).copied()
    };
    (0..n)
        .map(|j| {
            if !candidate[j] {
                return None;
            }
            let left = j.checked_sub(1).and_then(|l| opens(l, true));
            left.or_else(|| (j + 1 < n).then(|| opens(j + 1, false)).flatten())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts over the examples `texts` (intent, text); a token is a stop
    /// word when it is one of a few function words.
    fn slots_of(texts: &[(u32, &str)]) -> Vec<(String, Vec<u32>)> {
        let mut tokens: Vec<Token> = Vec::new();
        let mut examples = Vec::new();
        for &(i, text) in texts {
            let ids: Vec<u32> = text
                .split(' ')
                .map(|w| {
                    let pos = tokens.iter().position(|t| t.word == w);
                    pos.unwrap_or_else(|| {
                        tokens.push(Token {
                            word: w.into(),
                            term: w.into(),
                            stop: matches!(w, "from" | "to" | "my" | "how" | "i"),
                        });
                        tokens.len() - 1
                    }) as u32
                })
                .collect();
            examples.push((i, ids));
        }
        let mut c = Counts::new(&tokens);
        for (i, ids) in &examples {
            c.add(*i, ids);
        }
        c.slots()
    }

    #[test]
    fn a_position_of_many_names_is_a_slot_and_one_of_own_words_is_not() {
        let mut texts: Vec<(u32, String)> = Vec::new();
        for (a, b) in [
            ("zorbqua", "quexley"),
            ("flimton", "garbrook"),
            ("wexmoor", "brixquo"),
        ] {
            texts.push((0, format!("from {a} to {b}")));
        }
        for w in ["car", "phone", "pin", "account", "quexley"] {
            texts.push((1, format!("how i reset my {w}")));
        }
        let texts: Vec<(u32, &str)> = texts.iter().map(|(i, t)| (*i, t.as_str())).collect();
        let slots = slots_of(&texts);
        let keys: Vec<&str> = slots.iter().map(|(k, _)| k.as_str()).collect();
        assert!(keys.contains(&"from <"), "{keys:?}");
        assert!(keys.contains(&"> to"), "{keys:?}");
        assert!(keys.contains(&"to <"), "{keys:?}");
        assert!(!keys.contains(&"my <"), "{keys:?}");
        let from = slots.iter().find(|(k, _)| k == "from <").unwrap();
        assert_eq!(from.1, vec![0]);
    }

    #[test]
    fn rows_that_differ_by_a_name_are_not_a_slot() {
        let slots = slots_of(&[
            (0, "deliver to zorbqua"),
            (1, "deliver to quexley"),
            (2, "deliver to flimton"),
            (3, "deliver to garbrook"),
        ]);
        assert!(slots.is_empty(), "{slots:?}");
    }

    #[test]
    fn two_names_by_chance_are_not_a_slot() {
        let slots = slots_of(&[
            (0, "from zorbqua to quexley"),
            (0, "from flimton to garbrook"),
        ]);
        assert!(slots.is_empty());
    }
}
