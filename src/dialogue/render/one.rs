//! A fallback that offers exactly one near miss, worded as one line:
//! "I'm not sure I understood. Did you mean: Is there parking at the
//! club?" instead of "Sorry, I don't know the answer to that." and "Did
//! you mean one of these?" over a list of one (trial 49, finding 2: the
//! right entry was the only suggestion, just under the threshold, and
//! the reply read as if the bot had understood nothing).

use crate::schema::{BotSettings, UiTexts};

/// The placeholder of `texts.one_near_miss` that the near miss's title
/// replaces.
pub const TITLE: &str = "{title}";

/// The text of a fallback whose message is `message` and that offers
/// exactly one near miss, titled `title`: the message, or `texts.unsure`
/// in place of `bot.ron`'s `fallback`, then `texts.one_near_miss` with
/// [`TITLE`] replaced by the title ("?" added when the title ends with no
/// "?", "!", "." or "…"), on one line. `None` when the knowledge base
/// keeps the numbered list: `one_near_miss` is empty or has no
/// [`TITLE`], or it is the default while `near_miss` is not (a team's own
/// lead line, or a translation written before this text existed, is
/// not mixed with an English default).
///
/// `texts.unsure` replaces the message only when `message` is `bot.ron`'s
/// `fallback` (not an out-of-scope intent's own answer, nor another
/// language's reply), `unsure` is not empty, and either `fallback` is
/// still the default or `unsure` was set to a text of its own: a team
/// that wrote its own fallback text keeps it.
pub fn one_near_miss(s: &BotSettings, message: &str, title: &str) -> Option<String> {
    // The defaults compared with as constants: building `UiTexts::default()`
    // allocated its 29 strings on every such fallback.
    let t = &s.texts;
    if !t.one_near_miss.contains(TITLE)
        || (t.one_near_miss == UiTexts::DEFAULT_ONE_NEAR_MISS
            && t.near_miss != UiTexts::DEFAULT_NEAR_MISS)
    {
        return None;
    }
    let own_fallback = s.fallback != BotSettings::DEFAULT_FALLBACK;
    let message = if message == s.fallback
        && !t.unsure.is_empty()
        && (t.unsure != UiTexts::DEFAULT_UNSURE || !own_fallback)
    {
        t.unsure.as_str()
    } else {
        message
    };
    let title = title.trim();
    let title = if title.ends_with(['?', '!', '.', '\u{2026}']) {
        title.to_string()
    } else {
        format!("{title}?")
    };
    let line = t.one_near_miss.replace(TITLE, &title);
    Some(if message.trim().is_empty() {
        line
    } else {
        format!("{} {line}", message.trim_end())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLE_TEXT: &str = "Is there parking at the club?";

    #[test]
    fn defaults_give_the_one_line_wording() {
        let s = BotSettings::default();
        assert_eq!(
            one_near_miss(&s, &s.fallback, TITLE_TEXT).as_deref(),
            Some("I'm not sure I understood. Did you mean: Is there parking at the club?")
        );
        // A title without a question mark gets one.
        assert_eq!(
            one_near_miss(&s, &s.fallback, "Opening hours").as_deref(),
            Some("I'm not sure I understood. Did you mean: Opening hours?")
        );
    }

    #[test]
    fn a_teams_own_fallback_text_is_kept() {
        let mut s = BotSettings {
            fallback: "Hmm, that one is not in our FAQ.".into(),
            ..BotSettings::default()
        };
        assert_eq!(
            one_near_miss(&s, &s.fallback, TITLE_TEXT).as_deref(),
            Some("Hmm, that one is not in our FAQ. Did you mean: Is there parking at the club?")
        );
        // Unless the team set `unsure` too.
        s.texts.unsure = "Not sure I got that.".into();
        assert_eq!(
            one_near_miss(&s, &s.fallback, TITLE_TEXT).as_deref(),
            Some("Not sure I got that. Did you mean: Is there parking at the club?")
        );
        // An empty `unsure` keeps the fallback text.
        s.texts.unsure.clear();
        assert!(one_near_miss(&s, &s.fallback, TITLE_TEXT)
            .unwrap()
            .starts_with("Hmm, that one"));
    }

    #[test]
    fn another_message_than_the_fallback_is_kept() {
        let s = BotSettings::default();
        let other = "Sorry, we don't sell dog food.";
        assert_eq!(
            one_near_miss(&s, other, TITLE_TEXT).as_deref(),
            Some("Sorry, we don't sell dog food. Did you mean: Is there parking at the club?")
        );
    }

    #[test]
    fn an_own_near_miss_line_or_no_title_keeps_the_list() {
        // A translation written before `one_near_miss` existed: its own
        // `near_miss`, the English default `one_near_miss`.
        let mut s = BotSettings::default();
        s.texts.near_miss = "Meinten Sie eine dieser Fragen?".into();
        assert_eq!(one_near_miss(&s, &s.fallback, TITLE_TEXT), None);
        // Its own one-line text is used.
        s.texts.one_near_miss = "Meinten Sie: {title}".into();
        assert!(one_near_miss(&s, &s.fallback, TITLE_TEXT)
            .unwrap()
            .ends_with("Meinten Sie: Is there parking at the club?"));
        // Empty, or without the placeholder: the list.
        s.texts.one_near_miss.clear();
        assert_eq!(one_near_miss(&s, &s.fallback, TITLE_TEXT), None);
        s.texts.one_near_miss = "Did you mean this one?".into();
        assert_eq!(one_near_miss(&s, &s.fallback, TITLE_TEXT), None);
    }
}
