//! General words: the words of the whole business ("tattoo", "boat",
//! "MINI"), which name no question.
//!
//! A content word (normalised and stemmed like user input; stop words
//! never) is *general* when the phrasings (title and examples) of at least
//! [`MIN_INTENTS`] FAQ intents use it, and either at least [`MIN_SHARE`]
//! of the FAQ intents' phrasings or at least [`ANSWER_SHARE`] of their
//! answers. `faqbot check`'s `general-word` rule asks the bot each one
//! (`crate::check::general`); `faqbot misses` calls no turn close to an
//! entry on such a word alone (`crate::misses::by_intent`).

use super::KnowledgeBase;
use crate::normalize::Normalizer;
use crate::schema::IntentKind;
use std::collections::{BTreeMap, BTreeSet};

/// Fewest FAQ intents whose phrasings use a word for it to be general: a
/// word two rows share is a shared topic ("deposit" of the booking and the
/// cancellation rows), not the business's subject.
pub const MIN_INTENTS: usize = 3;
/// Share (0.0..=1.0) of the FAQ intents whose phrasings must use a word
/// for it to be general (with [`MIN_INTENTS`]): a third (0.33 lets 4 of
/// 12 and 5 of 15 count). A quarter, the `common-keyword` rule's
/// `crate::check::keywords::COMMON_SHARE`, also probed words of one part of
/// the business ("adult" and "child" of a pool's lessons, "membership"
/// of 3 of a gym's 10 rows): 24 warnings instead of 16 on the bundled
/// knowledge base, the 36 that load under tests/fixtures and the 12
/// sheets of tests/fixtures imported (session 35), five of them on one
/// pool, some of them answers a customer would take as right ("adults"
/// → the adult lessons).
pub const MIN_SHARE: f32 = 0.33;
/// Share (0.0..=1.0) of the FAQ intents whose answers use a word that
/// makes it general (with [`MIN_INTENTS`] intents' phrasings) when fewer
/// than [`MIN_SHARE`] of the phrasings do: a subject most answers speak
/// of ("your course", "the dog") even where the questions leave it out.
pub const ANSWER_SHARE: f32 = 0.5;

/// A general word of a knowledge base.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneralWord {
    /// The term the matcher compares (stemmed).
    pub term: String,
    /// The word as the phrasings spell it most often (folded); for a noun,
    /// its plural when they use one; for a verb, its plain form when they
    /// use one ("tune", not "tuning" or "tuned").
    pub word: String,
    /// The word as `faqbot check` asks a customer's question with it: a
    /// noun in the plural (`word`, or made from it by [`plural`] when the
    /// phrasings only use the singular: "plots" for "plot"; a trial read
    /// "do you do plot?"), a verb as `word`.
    pub asked: String,
    /// FAQ intents whose phrasings use it.
    pub intents: usize,
    /// FAQ intents whose answers use it.
    pub answers: usize,
    /// Whether it is a verb: the phrasings put it right after "you" more
    /// often than not ("Do you groom cats?"), or they also spell it with
    /// `-ed` ("tune" and "tuned": "How often should my piano be tuned?").
    /// `faqbot check` probes a verb as "do you …?".
    pub verb: bool,
}

/// Irregular plurals a small business's customers write, which [`plural`]
/// returns as they are ("children", not "childrens": trial 56's soft play
/// centre was probed with "do you do childrens?"), with their singulars,
/// which it makes plural.
const IRREGULAR: [(&str, &str); 9] = [
    ("child", "children"),
    ("person", "people"),
    ("man", "men"),
    ("woman", "women"),
    ("tooth", "teeth"),
    ("foot", "feet"),
    ("mouse", "mice"),
    ("goose", "geese"),
    ("sheep", "sheep"),
];

/// The plural of an English noun by the regular rules: `-es` after s, x,
/// z, ch and sh ("box" → "boxes"), `-ies` for a consonant and y ("party"
/// → "parties"), else `-s` ("plot" → "plots", "tattoo" → "tattoos"); nine
/// common irregular ones are known (child, person, man, woman, tooth, foot,
/// mouse, goose, sheep: "child" → "children"; "children" stays). Other
/// irregular nouns come out regular; a word that already
/// ends in `s` is taken as a plural and returned as it is.
pub fn plural(noun: &str) -> String {
    if let Some(&(_, many)) = IRREGULAR
        .iter()
        .find(|&&(one, many)| noun == one || noun == many)
    {
        return many.to_string();
    }
    let consonant_y = noun.strip_suffix('y').is_some_and(|stem| {
        stem.chars()
            .last()
            .is_some_and(|c| c.is_alphabetic() && !"aeiou".contains(c))
    });
    if noun.ends_with('s') {
        noun.to_string()
    } else if ["x", "z", "ch", "sh"].iter().any(|e| noun.ends_with(e)) {
        format!("{noun}es")
    } else if consonant_y {
        format!("{}ies", &noun[..noun.len() - 1])
    } else {
        format!("{noun}s")
    }
}

/// Whether `spelling` is a past form (`-ed`, `-d`) of another of the
/// term's `spellings`: "tuned" of "tune", "cleaned" of "clean".
fn past_form(spelling: &str, spellings: &BTreeMap<String, usize>) -> bool {
    [spelling.strip_suffix("ed"), spelling.strip_suffix('d')]
        .into_iter()
        .flatten()
        .any(|base| !base.is_empty() && spellings.contains_key(base))
}

/// The general words of `kb` (see the module doc), read with `norm` (the
/// knowledge base's matcher's, [`crate::matcher::Matcher::normalizer`]),
/// most widely used first (ties by the word).
pub fn general_words(kb: &KnowledgeBase, norm: &Normalizer) -> Vec<GeneralWord> {
    let faq: Vec<usize> = (0..kb.intents.len())
        .filter(|&i| kb.intents[i].kind == IntentKind::Faq)
        .collect();
    // term -> (intents whose phrasings use it, spellings and their
    // counts, occurrences right after "you")
    type Uses = (BTreeSet<usize>, BTreeMap<String, usize>, usize);
    let mut phrased: BTreeMap<String, Uses> = BTreeMap::new();
    let mut answered: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for &i in &faq {
        let d = &kb.intents[i];
        for text in std::iter::once(&d.title).chain(&d.examples) {
            let mut after_you = false;
            for t in norm.tokens(text) {
                let you = t.word == "you";
                if !t.stop {
                    let e = phrased.entry(t.term).or_default();
                    e.0.insert(i);
                    *e.1.entry(t.word).or_default() += 1;
                    e.2 += usize::from(after_you);
                }
                after_you = you;
            }
        }
        for t in norm.tokens(&d.answer).into_iter().filter(|t| !t.stop) {
            answered.entry(t.term).or_default().insert(i);
        }
    }
    let n = faq.len() as f32;
    let mut words: Vec<GeneralWord> = phrased
        .into_iter()
        .filter_map(|(term, (intents, spellings, after_you))| {
            let uses: usize = spellings.values().sum();
            let verb = 2 * after_you > uses || spellings.keys().any(|s| past_form(s, &spellings));
            let answers = answered.get(&term).map_or(0, BTreeSet::len);
            let share = intents.len() as f32 >= MIN_SHARE * n;
            let in_answers = answers as f32 >= ANSWER_SHARE * n;
            // Digits and one-letter words name no subject.
            let wordlike = term.chars().count() > 1 && term.chars().any(char::is_alphabetic);
            // The spelling the phrasings use most; for a noun its plural
            // when they use one ("do you do windows?", as customers ask),
            // for a verb a plain form ("do you tune?", not "do you
            // tuning?").
            let preferred = |w: &str| {
                if verb {
                    !(w.ends_with("ing") || w.ends_with("ed") || past_form(w, &spellings))
                } else {
                    w.ends_with('s')
                }
            };
            let word = spellings
                .iter()
                .max_by(|a, b| {
                    (preferred(a.0), a.1)
                        .cmp(&(preferred(b.0), b.1))
                        .then(b.0.cmp(a.0))
                })
                .map(|(w, _)| w.clone())?;
            let asked = if verb { word.clone() } else { plural(&word) };
            (intents.len() >= MIN_INTENTS && (share || in_answers) && wordlike).then_some(
                GeneralWord {
                    term,
                    word,
                    asked,
                    intents: intents.len(),
                    answers,
                    verb,
                },
            )
        })
        .collect();
    words.sort_by(|a, b| b.intents.cmp(&a.intents).then(a.word.cmp(&b.word)));
    words
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn a_noun_gets_its_regular_plural() {
        for (one, many) in [
            ("plot", "plots"),
            ("boat", "boats"),
            ("tattoo", "tattoos"),
            ("box", "boxes"),
            ("brush", "brushes"),
            ("party", "parties"),
            ("day", "days"),
            ("windows", "windows"),
            ("class", "class"),
            ("child", "children"),
            ("children", "children"),
            ("people", "people"),
        ] {
            assert_eq!(plural(one), many, "{one}");
        }
    }
}
