//! Step 4: Snowball stemming (the `rust-stemmers` crate).

use rust_stemmers::{Algorithm, Stemmer};

/// A Snowball stemmer for one language, or the identity for unknown names.
pub struct Stem {
    stemmer: Option<Stemmer>,
    language: String,
}

impl Stem {
    /// The stemmer for a Snowball language name (`"english"`, `"german"`,
    /// ...; case-insensitive). Unknown names stem nothing.
    pub fn new(language: &str) -> Self {
        let algorithm = match language.to_ascii_lowercase().as_str() {
            "english" | "en" => Some(Algorithm::English),
            "german" | "de" => Some(Algorithm::German),
            "french" | "fr" => Some(Algorithm::French),
            "spanish" | "es" => Some(Algorithm::Spanish),
            "italian" | "it" => Some(Algorithm::Italian),
            "dutch" | "nl" => Some(Algorithm::Dutch),
            "portuguese" | "pt" => Some(Algorithm::Portuguese),
            "swedish" | "sv" => Some(Algorithm::Swedish),
            "danish" | "da" => Some(Algorithm::Danish),
            "norwegian" | "no" => Some(Algorithm::Norwegian),
            "finnish" | "fi" => Some(Algorithm::Finnish),
            "russian" | "ru" => Some(Algorithm::Russian),
            _ => None,
        };
        Stem {
            stemmer: algorithm.map(Stemmer::create),
            language: language.to_string(),
        }
    }

    /// The language name this stemmer was made for.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The stem of one folded word.
    pub fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(s) => s.stem(word).into_owned(),
            None => word.to_string(),
        }
    }
}
