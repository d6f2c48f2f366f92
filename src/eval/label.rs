//! What the `"intent"` label of a `faqbot eval` line may be: an intent id,
//! or the title of one intent (an owner labels a test question with the
//! row's question, not with the id the import derived from it, such as
//! `do_i_need_a_licence_or_experience_to_drive_a`).
//!
//! A label is looked up in this order, the first that matches wins:
//!
//! 1. an intent whose id is the label;
//! 2. an intent whose id is the label's import slug
//!    ([`crate::import::slug`]: `"Make Update"` → `make_update`);
//! 3. the one intent whose title, folded ([`fold_title`]), is the label
//!    folded. A title two intents share is [`Label::Ambiguous`]:
//!    `faqbot eval` stops and names both ([`check_labels`]).
//!
//! An id thus wins over a title.

use crate::error::{Error, Result};
use crate::kb::KnowledgeBase;

/// What a label names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    /// One intent (its index in the knowledge base).
    Intent(usize),
    /// A title (folded) of two or more intents, and no id: their indexes,
    /// in knowledge-base order.
    Ambiguous(Vec<usize>),
    /// Neither an id nor a title.
    Unknown,
}

/// A title as labels are compared with it: surrounding whitespace and the
/// punctuation (any character but a letter or digit) at its end left out,
/// runs of whitespace made one space, lower case. `" Do you deliver?! "`
/// and `"do you  DELIVER"` fold alike, `"Do you deliver to Spain?"` does
/// not.
pub fn fold_title(text: &str) -> String {
    let kept = text.trim().trim_end_matches(|c: char| !c.is_alphanumeric());
    kept.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What `label` names in `kb` (module documentation).
pub fn resolve(kb: &KnowledgeBase, label: &str) -> Label {
    if let Some(i) = kb
        .index_of(label)
        .or_else(|| kb.index_of(&crate::import::slug(label)))
    {
        return Label::Intent(i);
    }
    let folded = fold_title(label);
    if folded.is_empty() {
        return Label::Unknown;
    }
    let same: Vec<usize> = kb
        .intents
        .iter()
        .enumerate()
        .filter(|(_, d)| fold_title(&d.title) == folded)
        .map(|(i, _)| i)
        .collect();
    match same.as_slice() {
        [] => Label::Unknown,
        [i] => Label::Intent(*i),
        _ => Label::Ambiguous(same),
    }
}

/// Stops on the first label (of `labels`, one per line of `file`, `None`
/// for out of scope) that is the title of several intents and no id.
///
/// # Errors
/// [`crate::ErrorKind::Data`] at `file:line`, naming the intents (id and
/// title) and how many lines carry such labels.
pub fn check_labels(kb: &KnowledgeBase, file: &str, labels: &[Option<String>]) -> Result<()> {
    let mut first: Option<(usize, &str, Vec<usize>)> = None;
    let mut count = 0;
    for (n, label) in labels.iter().enumerate() {
        let Some(label) = label else { continue };
        if let Label::Ambiguous(same) = resolve(kb, label) {
            count += 1;
            first.get_or_insert((n + 1, label, same));
        }
    }
    let Some((line, label, same)) = first else {
        return Ok(());
    };
    let named: Vec<String> = same
        .iter()
        .map(|&i| format!("`{}` ({:?})", kb.intents[i].id, kb.intents[i].title))
        .collect();
    let more = match count {
        1 => String::new(),
        2 => " (1 more line has such a label)".to_string(),
        n => format!(" ({} more lines have such labels)", n - 1),
    };
    Err(Error::data(
        format!("{file}:{line}"),
        format!(
            "the label {label:?} is the title of {} intents, {}: label the line with the id of \
             the one meant{more}",
            same.len(),
            named.join(" and ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn kb() -> KnowledgeBase {
        KnowledgeBase::from_sources(vec![(
            PathBuf::from("kb.ron"),
            r#"[
    (id: "do_i_need_a_licence", title: "Do I need a licence?", examples: ["licence"], answer: "No."),
    (id: "prices", title: "Boat hire prices", examples: ["price"], answer: "£45."),
    (id: "hours", title: "Prices", examples: ["hours"], answer: "10 to 6."),
    (id: "cost_a", title: "What does it cost?", examples: ["cost"], answer: "A."),
    (id: "cost_b", title: "what does it cost", examples: ["costs"], answer: "B."),
]"#
            .into(),
        )])
        .unwrap()
    }

    #[test]
    fn titles_fold_case_whitespace_and_final_punctuation() {
        assert_eq!(fold_title("  Do you   DELIVER?! "), "do you deliver");
        assert_eq!(fold_title("Prices (2025)"), "prices (2025");
        assert_eq!(fold_title("?"), "");
    }

    #[test]
    fn a_label_is_an_id_or_the_title_of_one_intent() {
        let kb = kb();
        let at = |id: &str| Label::Intent(kb.index_of(id).unwrap());
        assert_eq!(resolve(&kb, "prices"), at("prices"));
        assert_eq!(
            resolve(&kb, "do i need a licence"),
            at("do_i_need_a_licence")
        );
        assert_eq!(
            resolve(&kb, " DO I NEED A LICENCE? "),
            at("do_i_need_a_licence")
        );
        assert_eq!(resolve(&kb, "Boat hire prices."), at("prices"));
        // An id wins over a title: "Prices" is `prices` (its slug), not
        // the intent titled "Prices".
        assert_eq!(resolve(&kb, "Prices"), at("prices"));
        assert_eq!(resolve(&kb, "Do I need a licence or"), Label::Unknown);
        assert_eq!(resolve(&kb, "..."), Label::Unknown);
        assert_eq!(
            resolve(&kb, "What does it cost?"),
            Label::Ambiguous(vec![
                kb.index_of("cost_a").unwrap(),
                kb.index_of("cost_b").unwrap()
            ])
        );
    }

    #[test]
    fn a_title_of_two_intents_stops_at_its_first_line_naming_both() {
        let kb = kb();
        let labels = [
            Some("prices".to_string()),
            None,
            Some("What does it cost?".to_string()),
            Some("what does it cost".to_string()),
        ];
        let e = check_labels(&kb, "q.jsonl", &labels)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("q.jsonl:3: the label \"What does it cost?\""),
            "{e}"
        );
        assert!(
            e.contains("`cost_a` (\"What does it cost?\") and `cost_b`"),
            "{e}"
        );
        assert!(e.contains("(1 more line has such a label)"), "{e}");
        assert!(check_labels(&kb, "q.jsonl", &labels[..2]).is_ok());
    }
}
