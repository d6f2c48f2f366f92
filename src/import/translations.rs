//! The bot's texts in the other languages an import recognises.
//!
//! A sheet that [`super::language::detect`] reads as German used to get a
//! `bot.ron` with `language: "german"` and English texts: its customers
//! were greeted with "Hi! Ask me a question." and told "Sorry, I don't
//! know the answer to that." (a user trial). For German, French, Spanish,
//! Italian, Dutch and Portuguese the import now writes the texts of
//! `data/texts/LANGUAGE.ron` instead: `bot.ron`'s greeting, fallback,
//! clarify and handoff texts and every `texts` field (the same fields, so
//! an author edits them where they edit the English ones). The other
//! languages of [`crate::kb::LANGUAGES`] keep the English defaults, and the
//! import's note says to translate them.
//!
//! The files are compiled into the binary; the tests below check that
//! each one parses and spells every field (a missing field would silently
//! stay English: `texts` fields default).

use crate::schema::{BotSettings, UiTexts};
use serde::Deserialize;

/// The bundled translations: (language name as in [`crate::kb::LANGUAGES`],
/// the RON file's text).
pub const TRANSLATIONS: [(&str, &str); 6] = [
    ("german", include_str!("../../data/texts/german.ron")),
    ("french", include_str!("../../data/texts/french.ron")),
    ("spanish", include_str!("../../data/texts/spanish.ron")),
    ("italian", include_str!("../../data/texts/italian.ron")),
    ("dutch", include_str!("../../data/texts/dutch.ron")),
    (
        "portuguese",
        include_str!("../../data/texts/portuguese.ron"),
    ),
];

/// One translation file: the customer-facing texts of [`BotSettings`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Translation {
    greeting: String,
    fallback: String,
    clarify: String,
    handoff: String,
    texts: UiTexts,
}

/// The bundled translation file of `language` (a name or code of
/// [`crate::kb::LANGUAGES`], any case), if there is one.
fn source(language: &str) -> Option<&'static str> {
    let l = language.to_ascii_lowercase();
    let name = crate::kb::LANGUAGES
        .iter()
        .find(|(n, c)| l == *n || l == *c)
        .map(|(n, _)| *n)?;
    TRANSLATIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// Whether faqbot has the texts of `language` (a name or code of
/// [`crate::kb::LANGUAGES`], any case). English has them as
/// [`BotSettings::default`], and counts.
pub fn has_texts(language: &str) -> bool {
    let l = language.to_ascii_lowercase();
    l == "english" || l == "en" || source(&l).is_some()
}

/// The default settings of a knowledge base in `language`:
/// [`BotSettings::default`] with `language` set and, when faqbot has a
/// translation ([`has_texts`]), the greeting, fallback, clarify and
/// handoff texts and every `texts` field in that language. The name
/// ("faqbot"), threshold, margin and other numbers are the defaults.
pub fn default_settings(language: &str) -> BotSettings {
    let mut settings = BotSettings {
        language: language.to_string(),
        ..BotSettings::default()
    };
    // The files are checked by the tests below, so a bundled one always
    // parses; the English defaults are the safe fallback anyway.
    if let Some(t) = source(language).and_then(|text| ron::from_str::<Translation>(text).ok()) {
        settings.greeting = t.greeting;
        settings.fallback = t.fallback;
        settings.clarify = t.clarify;
        settings.handoff = t.handoff;
        settings.texts = t.texts;
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field names of [`UiTexts`], from its serialised default.
    fn ui_fields() -> Vec<String> {
        let ron = ron::to_string(&UiTexts::default()).unwrap();
        match ron::from_str::<ron::Value>(&ron).unwrap() {
            ron::Value::Map(m) => m
                .keys()
                .map(|k| match k {
                    ron::Value::String(s) => s.clone(),
                    other => panic!("unexpected key {other:?}"),
                })
                .collect(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn every_translation_parses_and_spells_every_field() {
        let fields = ui_fields();
        assert_eq!(
            fields.len(),
            29,
            "UiTexts grew: translate the new field in data/texts/"
        );
        for (language, text) in TRANSLATIONS {
            let t: Translation =
                ron::from_str(text).unwrap_or_else(|e| panic!("data/texts/{language}.ron: {e}"));
            for f in &fields {
                assert!(
                    text.contains(&format!("\n        {f}: \"")),
                    "data/texts/{language}.ron lacks texts.{f}"
                );
            }
            let english = BotSettings::default();
            assert_ne!(t.greeting, english.greeting, "{language}");
            assert_ne!(t.fallback, english.fallback, "{language}");
            assert_ne!(t.texts.farewell, english.texts.farewell, "{language}");
            assert!(
                t.texts.no_choice.contains("{n}"),
                "{language}: no_choice needs {{n}}"
            );
            assert!(
                t.texts.one_near_miss.contains("{title}"),
                "{language}: one_near_miss needs {{title}}"
            );
        }
    }

    #[test]
    fn every_language_with_a_file_is_a_known_language() {
        for (language, _) in TRANSLATIONS {
            assert!(
                crate::kb::LANGUAGES.iter().any(|(n, _)| *n == language),
                "{language}"
            );
        }
    }

    #[test]
    fn settings_by_name_or_code_and_english_unchanged() {
        let de = default_settings("german");
        assert_eq!(de.language, "german");
        assert_eq!(de.texts.yes, "Ja");
        assert_eq!(default_settings("DE").greeting, de.greeting);
        assert_eq!(default_settings("fr").texts.no, "Non");
        assert_eq!(
            BotSettings {
                language: "english".into(),
                ..BotSettings::default()
            },
            default_settings("english")
        );
        // No file: English texts, the language kept.
        let sv = default_settings("swedish");
        assert_eq!(sv.language, "swedish");
        assert_eq!(sv.texts, UiTexts::default());
        assert!(has_texts("german") && has_texts("EN") && !has_texts("swedish"));
    }
}
