//! Step 5: stop-word classification.

/// English function words, plus filler words of support requests ("want",
/// "need", "possible", "else") and chat interjections ("lol", "haha",
/// "pls", "omg", "hmm") that say nothing about the topic: an example
/// "close my account pls lol" must not teach that "lol" means closing an
/// account. Negations
/// ("not", "no") are deliberately absent: they change what is asked.
const ENGLISH: &[&str] = &[
    "a",
    "able",
    "about",
    "all",
    "already",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anything",
    "are",
    "as",
    "at",
    "be",
    "been",
    "btw",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "else",
    "even",
    "ever",
    "for",
    "from",
    "get",
    "got",
    "had",
    "haha",
    "hahaha",
    "has",
    "have",
    "he",
    "hehe",
    "her",
    "here",
    "herself",
    "him",
    "himself",
    "his",
    "hmm",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "know",
    "let",
    "like",
    "lmao",
    "lol",
    "me",
    "might",
    "more",
    "most",
    "my",
    "myself",
    "need",
    "of",
    "omg",
    "on",
    "or",
    "other",
    "our",
    "ourselves",
    "own",
    "please",
    "pls",
    "plz",
    "possible",
    "quite",
    "really",
    "rofl",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "something",
    "still",
    "such",
    "tell",
    "than",
    "that",
    "the",
    "their",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "to",
    "too",
    "uh",
    "um",
    "umm",
    "us",
    "very",
    "want",
    "was",
    "way",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "will",
    "with",
    "would",
    "xd",
    "you",
    "your",
    "yourself",
];

/// Words of the other languages' lists that are kept as content words:
/// negations and "without" change what is asked ("kein WLAN", "sans
/// rendez-vous"), as English "not" and "no" do. Only words a list has are
/// named; a word that is a negation in one language only ("en" is one in
/// Finnish, "and" in Dutch) is kept for that language alone.
const NEGATIONS: &[(&str, &[&str])] = &[
    (
        "de",
        &[
            "kein", "keine", "keinem", "keinen", "keiner", "keines", "nicht", "nichts", "ohne",
        ],
    ),
    ("fr", &["n", "ne", "pas"]),
    ("es", &["nada", "ni", "no", "sin"]),
    ("it", &["non"]),
    ("nl", &["geen", "niet", "niets", "zonder"]),
    ("pt", &["nem", "não", "sem"]),
    ("sv", &["icke", "inte", "utan"]),
    ("da", &["ikke"]),
    ("no", &["ikke", "uten"]),
    ("fi", &["ei", "eivät", "emme", "en", "et", "ette"]),
    ("ru", &["без", "не", "нет", "ни"]),
];

/// Words added to a language's list: German's existential "es gibt" ("is
/// there", "gibt es Parkplätze?") is function words as Spanish "hay",
/// Portuguese "há" and French "il y a" are in their lists, but NLTK's German
/// list lacks "gibt".
const ADDED: &[(&str, &[&str])] = &[("de", &["gibt", "gibts"])];

/// The stop words of one language: English's own list above; for the other
/// languages of [`crate::kb::LANGUAGES`] the list NLTK ships for it (from
/// the Snowball project's stop-word lists, BSD licence; read through the
/// `stop-words` crate, MIT OR Apache-2.0), without the negations of
/// `NEGATIONS`, with the few words of `ADDED`, and folded as user text is (`für` → `fur`), so that a
/// German knowledge base does not count "ich", "kann" and "wie" as what a
/// question is about. Empty for a name that is no such language.
pub struct StopWords {
    words: Words,
}

enum Words {
    English,
    /// Folded, sorted, without duplicates.
    Folded(Vec<String>),
}

impl StopWords {
    /// The list for a language name or two-letter code (`"german"`,
    /// `"de"`), case-insensitive.
    pub fn new(language: &str) -> Self {
        let language = language.to_ascii_lowercase();
        let code = crate::kb::LANGUAGES
            .iter()
            .find(|(name, code)| language == *name || language == *code)
            .map(|(_, code)| *code);
        let words = match code {
            Some("en") => Words::English,
            Some(code) => Words::Folded(folded_list(code)),
            None => Words::Folded(Vec::new()),
        };
        StopWords { words }
    }

    /// Whether a folded word is a stop word.
    pub fn contains(&self, word: &str) -> bool {
        match &self.words {
            Words::English => ENGLISH.binary_search(&word).is_ok(),
            Words::Folded(words) => words.binary_search_by(|w| w.as_str().cmp(word)).is_ok(),
        }
    }
}

/// NLTK's list for a two-letter code, without its negations and with its
/// added words, each word
/// folded by [`super::unicode::fold`] (sorted, deduplicated).
fn folded_list(code: &str) -> Vec<String> {
    let kept: &[&str] = NEGATIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(&[], |(_, words)| *words);
    let mut words: Vec<String> = stop_words::lookup(code)
        .unwrap_or(&[])
        .iter()
        .chain(
            ADDED
                .iter()
                .filter(|(c, _)| *c == code)
                .flat_map(|(_, w)| w.iter()),
        )
        .filter(|w| !kept.contains(w))
        .map(|w| super::unicode::fold(w, super::MAX_WORD_CHARS))
        .filter(|w| !w.is_empty() && !w.contains(' '))
        .collect();
    words.sort();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use super::StopWords;

    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(super::ENGLISH.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_language_has_an_nltk_list() {
        for (name, code) in crate::kb::LANGUAGES {
            let list = stop_words::lookup(code).unwrap_or(&[]);
            assert!(list.len() > 50, "{name}: {} words", list.len());
        }
    }

    #[test]
    fn other_languages_have_function_words_folded_and_keep_negations() {
        let de = StopWords::new("German");
        for w in ["ich", "kann", "wie", "der", "fur", "uber", "gibt"] {
            assert!(de.contains(w), "{w}");
        }
        for w in ["nicht", "kein", "ohne", "hund", "parkplatz"] {
            assert!(!de.contains(w), "{w}");
        }
        let fr = StopWords::new("fr");
        assert!(fr.contains("je") && fr.contains("a") && !fr.contains("pas"));
        let es = StopWords::new("spanish");
        assert!(es.contains("el") && es.contains("para"));
        assert!(!es.contains("no") && !es.contains("sin"));
        let pt = StopWords::new("portuguese");
        assert!(!pt.contains("nao") && pt.contains("voce"));
        // Finnish "en" is a negation, Dutch "en" is "and".
        assert!(!StopWords::new("finnish").contains("en"));
        assert!(StopWords::new("dutch").contains("en"));
        assert!(StopWords::new("russian").contains("как"));
        assert!(!StopWords::new("russian").contains("не"));
    }

    #[test]
    fn english_keeps_its_own_list_and_unknown_names_have_none() {
        let en = StopWords::new("english");
        assert!(en.contains("the") && en.contains("lol") && !en.contains("not"));
        assert!(!StopWords::new("klingon").contains("the"));
    }
}
