//! The language of an imported knowledge base, from its function words
//! ([`detect`]), so that `faqbot import` writes it to `bot.ron`'s
//! `language` (trial 23, finding 5: a German sheet imported as English,
//! and the bot told its German customers it only answers in English).
//!
//! The rule, kept simple enough to explain in the import's note: every
//! word of the questions, phrasings and answers that is a function word
//! ("und", "the", "vous", "och") of exactly one of the languages faqbot
//! stems counts for that language; a word listed for two ("de": Dutch,
//! French, Spanish, Portuguese, Italian; "was": English and German) counts
//! for none. A language is decided when it has at least [`MIN_WORDS`] such
//! words and [`RATIO`] times as many as any other language, English
//! included; otherwise the import stays English.
//!
//! Measured (December 2026): every English sheet of `tests/fixtures`
//! (`devsheets/*`, `spreadsheet*`, `import/*`, `semantic-timetable`: 15 to
//! 125 English words, at most 2 of another language) and the labelled
//! corpora of `../shared` (AskUbuntu, BANKING77, Chatbot, WebApps, the MINI
//! questions) read as English; three-row sheets in German, French,
//! Spanish, Italian, Dutch, Portuguese, Swedish, Finnish and Russian, and
//! five-row ones in Danish and Norwegian (which share most of their little
//! words: three rows had one or two words of their own), read as their
//! language (`tests/fixtures/import/languages`, `tests/import/language.rs`).
//! A text that reads as no language clearly but not as English either gets
//! a note ([`Guess::not_english`]).

use crate::schema::{IntentDef, IntentKind};
use std::collections::HashMap;

/// Fewest function words of one language that decide it.
pub const MIN_WORDS: usize = 3;

/// How many times as many function words the decided language needs as
/// the runner-up (English included).
pub const RATIO: usize = 3;

/// Frequent function words (articles, pronouns, auxiliaries, question
/// words, prepositions, conjunctions) of each language faqbot stems
/// ([`crate::kb::LANGUAGES`]), lower case, listed by hand for this rule.
/// English's list ends with English words that are another language's
/// function words ("was", "come", "van", "per", "com" of `example.com`):
/// listed in two, they count for neither.
#[rustfmt::skip]
pub const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "english",
        &[
           "the", "and", "you", "your", "do", "does", "can", "how", "what", "when", "where", "which",
           "who", "why", "to", "with", "this", "that", "have", "has", "will", "there", "be", "are",
           "our", "or", "not", "if", "from", "by", "my", "it", "i", "on", "at", "for", "is", "we",
           "of", "an", "a", "get", "was", "hat", "den", "die", "des", "mit", "von", "mon", "comment",
           "pour", "par", "son", "hay", "sin", "con", "come", "per", "non", "dove", "ha", "mia", "uno",
           "u", "met", "van", "er", "op", "as", "um", "com", "eu", "min", "till", "men", "mine", "dig",
           "he", "me", "no",
        ],
    ),
    (
        "german",
        &[
           "es", "ja", "der", "die", "das", "und", "ist", "sind", "ich", "sie", "wir", "ihr", "mein",
           "meine", "meinen", "nicht", "kein", "keine", "mit", "von", "auf", "für", "bei", "zu",
           "auch", "noch", "was", "wie", "wann", "wo", "warum", "kann", "können", "haben", "hat", "habe",
           "ein", "eine", "einen", "dem", "den", "des", "gibt", "wird", "werden", "oder", "aber",
           "nach", "uns", "unser", "unsere", "ihre", "ihren", "sich", "alle",
        ],
    ),
    (
        "french",
        &[
           "le", "la", "les", "un", "une", "des", "du", "de", "et", "est", "sont", "je", "vous",
           "nous", "il", "elle", "ils", "mon", "ma", "mes", "votre", "vos", "notre", "nos", "ne",
           "pas", "que", "qui", "quoi", "comment", "pourquoi", "quand", "où", "avec", "dans", "sur",
           "pour", "par", "mais", "au", "aux", "ce", "cette", "peux", "peut", "puis", "avez", "êtes",
           "sans",
        ],
    ),
    (
        "spanish",
        &[
           "el", "los", "las", "un", "una", "unos", "de", "del", "al", "y", "es", "son", "está",
           "están", "yo", "usted", "mi", "mis", "su", "sus", "tu", "nuestro", "no", "que", "qué",
           "cómo", "cuándo", "dónde", "por", "para", "con", "sin", "pero", "hay", "puedo", "puede",
           "tengo", "tiene", "se", "lo", "le", "muy", "también", "cuánto", "la",
        ],
    ),
    (
        "italian",
        &[
           "il", "lo", "gli", "le", "un", "una", "uno", "di", "del", "della", "dei", "e", "è", "sono",
           "io", "voi", "mio", "mia", "suo", "non", "che", "come", "quando", "dove", "perché", "con",
           "per", "su", "ma", "posso", "può", "ho", "ha", "avete", "questo", "questa", "anche", "nel",
           "nella", "al", "alla", "si", "la", "i", "siete", "ci", "sì", "dal", "dalle", "alle",
           "dalla", "tutti", "tutte", "siamo", "sempre", "dopo", "cosa", "quale", "quanto", "quanti",
           "vostro", "vostra", "nostro", "nostra",
        ],
    ),
    (
        "dutch",
        &[
           "de", "het", "een", "en", "zijn", "ik", "jij", "wij", "mijn", "uw", "onze", "niet", "geen",
           "met", "van", "op", "voor", "bij", "naar", "ook", "nog", "hoe", "wat", "wanneer", "waar",
           "waarom", "kan", "kunnen", "heb", "heeft", "hebben", "er", "dat", "dit", "deze", "wordt",
           "worden", "maar", "aan",
        ],
    ),
    (
        "portuguese",
        &[
           "o", "a", "os", "as", "um", "uma", "de", "do", "da", "dos", "das", "e", "é", "são", "está",
           "eu", "você", "vocês", "meu", "minha", "seu", "sua", "nosso", "não", "que", "como",
           "quando", "onde", "por", "porque", "para", "com", "sem", "mas", "posso", "pode", "tenho",
           "tem", "há", "no", "na", "nos", "nas", "ao", "também", "muito",
        ],
    ),
    (
        "swedish",
        &[
           "och", "är", "det", "att", "en", "ett", "jag", "du", "vi", "ni", "min", "mitt", "mina",
           "din", "inte", "ingen", "med", "av", "på", "för", "till", "hos", "också", "hur", "vad",
           "när", "var", "varför", "kan", "har", "den", "som", "om", "men", "från", "eller", "så",
           "vår", "våra", "finns", "ska", "vill", "kunna", "vara", "vilka", "efter", "mycket", "ut",
           "bara",
        ],
    ),
    (
        "danish",
        &[
           "og", "er", "det", "at", "en", "et", "jeg", "du", "vi", "i", "min", "mit", "mine", "din",
           "jeres", "ikke", "ingen", "med", "af", "på", "for", "til", "hos", "også", "hvordan", "hvad",
           "hvornår", "hvor", "hvorfor", "kan", "har", "den", "som", "om", "men", "fra", "eller", "så",
           "vores", "mig", "dig", "noget", "der", "nogen", "efter", "meget", "ud", "kun", "bliver",
           "være", "kunne", "skal", "vil", "hvilke", "alle", "os",
        ],
    ),
    (
        "norwegian",
        &[
           "og", "er", "det", "at", "en", "et", "ei", "jeg", "du", "vi", "dere", "min", "mitt", "mine",
           "din", "ikke", "ingen", "med", "av", "på", "for", "til", "hos", "også", "hvordan", "hva",
           "når", "hvor", "hvorfor", "kan", "har", "den", "som", "om", "men", "fra", "eller", "så",
           "vår", "våre", "meg", "deg", "noe", "noen", "etter", "mye", "ut", "kun", "blir", "være",
           "kunne", "skal", "vil", "hvilke", "alle", "oss",
        ],
    ),
    (
        "finnish",
        &[
           "ja", "on", "ovat", "ei", "en", "et", "minä", "sinä", "me", "te", "he", "minun", "sinun",
           "meidän", "teidän", "se", "ne", "mitä", "mikä", "miten", "kuinka", "milloin", "missä",
           "miksi", "voi", "voin", "voiko", "onko", "kanssa", "myös", "tai", "mutta", "että", "kun",
           "jos", "kaikki", "olla", "olen",
        ],
    ),
    (
        "russian",
        &[
           "и", "в", "во", "не", "на", "я", "вы", "мы", "что", "как", "когда", "где", "почему", "с",
           "со", "по", "для", "от", "до", "из", "у", "мой", "моя", "мои", "ваш", "ваша", "наш", "это",
           "этот", "есть", "можно", "ли", "или", "но", "а", "же", "так", "там", "тут", "к", "о",
        ],
    ),
];

/// How the function words of a text fell: per language, how many of its
/// words are that language's alone ([`FUNCTION_WORDS`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Guess {
    /// `(language, words)`, most words first (ties in the order of
    /// [`FUNCTION_WORDS`]), languages without any left out.
    pub counts: Vec<(&'static str, usize)>,
}

impl Guess {
    /// The words counted for `language`.
    pub fn words(&self, language: &str) -> usize {
        self.counts
            .iter()
            .find(|(l, _)| *l == language)
            .map_or(0, |(_, n)| *n)
    }

    /// The language the text is clearly in: the first of [`Guess::counts`]
    /// when it has at least [`MIN_WORDS`] words and [`RATIO`] times as
    /// many as the next; `None` otherwise.
    pub fn decided(&self) -> Option<&'static str> {
        let (top, n) = *self.counts.first()?;
        let next = self.counts.get(1).map_or(0, |c| c.1);
        (n >= MIN_WORDS && n >= RATIO * next).then_some(top)
    }

    /// Whether the text does not read as English although no language is
    /// [`Guess::decided`]: the other languages' words together are at
    /// least [`MIN_WORDS`] and [`RATIO`] times the English ones (two
    /// close languages, Danish and Norwegian, that share their little
    /// words).
    pub fn not_english(&self) -> bool {
        let english = self.words("english");
        let others: usize = self
            .counts
            .iter()
            .filter(|(l, _)| *l != "english")
            .map(|c| c.1)
            .sum();
        others >= MIN_WORDS && others >= RATIO * english
    }

    /// The counts as a note shows them: `german 4, spanish 1, english 0`
    /// (at most three languages, English always).
    pub fn shown(&self) -> String {
        let mut parts: Vec<String> = self
            .counts
            .iter()
            .take(3)
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        if !self.counts.iter().take(3).any(|(l, _)| *l == "english") {
            parts.push(format!("english {}", self.words("english")));
        }
        parts.join(", ")
    }
}

/// A language's name as prose writes it: `german` → `German`.
pub fn display_name(language: &str) -> String {
    let mut cs = language.chars();
    cs.next().map_or_else(String::new, |f| {
        f.to_uppercase()
            .chain(cs.flat_map(char::to_lowercase))
            .collect()
    })
}

/// Counts the function words of `texts` (see the module doc).
pub fn count<'a>(texts: impl IntoIterator<Item = &'a str>) -> Guess {
    let mut owner: HashMap<&str, Option<usize>> = HashMap::new();
    for (i, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
        for w in *words {
            owner
                .entry(w)
                .and_modify(|o| {
                    if *o != Some(i) {
                        *o = None;
                    }
                })
                .or_insert(Some(i));
        }
    }
    let mut n = vec![0usize; FUNCTION_WORDS.len()];
    for text in texts {
        for word in text.split(|c: char| !c.is_alphabetic()) {
            if word.is_empty() {
                continue;
            }
            if let Some(Some(i)) = owner.get(word.to_lowercase().as_str()) {
                n[*i] += 1;
            }
        }
    }
    let mut counts: Vec<(&'static str, usize)> = FUNCTION_WORDS
        .iter()
        .zip(n)
        .filter(|(_, n)| *n > 0)
        .map(|((l, _), n)| (*l, n))
        .collect();
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    Guess { counts }
}

/// [`count`] over what an import read: the titles, examples and answers
/// of `intents`, without out-of-scope intents and placeholder answers
/// ([`IntentDef::placeholder_answer`], always English).
pub fn detect(intents: &[IntentDef]) -> Guess {
    count(
        intents
            .iter()
            .filter(|d| d.kind != IntentKind::OutOfScope)
            .flat_map(|d| {
                let answer = (!d.has_placeholder_answer()).then_some(d.answer.as_str());
                // A sheet's question is the title and the first example:
                // counted once.
                let title = (!d.examples.contains(&d.title)).then_some(d.title.as_str());
                title
                    .into_iter()
                    .chain(d.examples.iter().map(String::as_str))
                    .chain(answer)
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_faqbot_stems_has_a_list() {
        let names: Vec<&str> = FUNCTION_WORDS.iter().map(|(l, _)| *l).collect();
        let stems: Vec<&str> = crate::kb::LANGUAGES.iter().map(|(l, _)| *l).collect();
        assert_eq!(names, stems);
        for (l, words) in FUNCTION_WORDS {
            let mut sorted = words.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), words.len(), "{l}: a word listed twice");
            assert!(words.iter().all(|w| *w == w.to_lowercase()), "{l}");
        }
    }

    #[test]
    fn a_word_of_two_languages_counts_for_neither() {
        // "de" is Dutch, French, Spanish, Portuguese and Italian; "hat"
        // English and German.
        assert_eq!(count(["de hat de"]).counts, []);
        let g = count(["Wann haben Sie geöffnet?", "Gibt es Parkplätze?"]);
        assert_eq!(g.counts, [("german", 4)]);
        assert_eq!(g.decided(), Some("german"));
        assert_eq!(g.shown(), "german 4, english 0");
    }

    #[test]
    fn english_stays_english_and_too_few_words_decide_nothing() {
        let g = count(["Do you have parking?", "Where can I leave my car?"]);
        assert_eq!(g.decided(), Some("english"));
        assert!(!g.not_english());
        // Two German words: not enough.
        let g = count(["Öffnungszeiten und Preise", "Parkplätze für Kunden"]);
        assert_eq!(g.decided(), None);
        assert!(!g.not_english());
        // An English sheet with a German row is still English.
        let g = count([
            "What are your opening hours?",
            "How much does it cost to park?",
            "Wie kann ich bezahlen?",
        ]);
        assert_ne!(g.decided(), Some("german"), "{g:?}");
        assert!(!g.not_english(), "{g:?}");
    }

    #[test]
    fn two_close_languages_are_not_english_but_not_decided() {
        // Danish "hvad", "mig" and Norwegian "hva", "meg".
        let g = count(["Hvad med mig?", "Hva med meg?"]);
        assert_eq!(g.counts, [("danish", 2), ("norwegian", 2)]);
        assert_eq!(g.decided(), None);
        assert!(g.not_english());
        assert_eq!(g.shown(), "danish 2, norwegian 2, english 0");
    }

    #[test]
    fn names_are_capitalised() {
        assert_eq!(display_name("german"), "German");
        assert_eq!(display_name(""), "");
    }
}
