//! Rules 2 and 3, choosing from what was offered: a number (`2`, `#2`,
//! `option 2`) or text that names one offered title.
//!
//! Takes the typed text and the intents the last reply offered (from the
//! session); gives the number typed ([`parse_choice`]) or the one offered
//! intent whose title the text names (`match_title`), if any.

use crate::kb::KnowledgeBase;
use crate::normalize::Normalizer;
use crate::session::Session;

/// Share of a title's words that typed text must cover to select it.
pub const TITLE_COVERAGE: f32 = 0.6;

/// `2`, `#2`, `2.`, `2)`, `option 2`, `number 2`, `nr 2` → 2.
pub fn parse_choice(text: &str) -> Option<usize> {
    let t = text.trim().to_ascii_lowercase();
    let t = t
        .strip_prefix("option")
        .or_else(|| t.strip_prefix("number"))
        .or_else(|| t.strip_prefix("nr"))
        .or_else(|| t.strip_prefix("no."))
        .unwrap_or(&t)
        .trim();
    let t = t
        .trim_start_matches('#')
        .trim_end_matches(['.', ')', '!'])
        .trim();
    if t.is_empty() || t.len() > 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// The intents (indices into `kb.intents`) the last reply offered, in order.
pub(crate) fn offered(kb: &KnowledgeBase, session: &Session) -> Vec<usize> {
    session
        .offered
        .iter()
        .filter_map(|id| kb.index_of(id))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_choices() {
        assert_eq!(parse_choice("2"), Some(2));
        assert_eq!(parse_choice(" #3 "), Some(3));
        assert_eq!(parse_choice("option 1"), Some(1));
        assert_eq!(parse_choice("1."), Some(1));
        assert_eq!(parse_choice("12345678"), None);
        assert_eq!(parse_choice("1 2"), None);
        assert_eq!(parse_choice("two"), None);
    }
}
