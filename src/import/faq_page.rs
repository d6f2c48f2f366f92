//! A FAQ page in Markdown (`faq.md`) as a FAQ sheet: one intent per
//! question, its answer the Markdown up to the next question.
//!
//! Many help desks keep their FAQ as a page of their documentation or web
//! site rather than a spreadsheet. [`read_markdown`] reads the two ways
//! such a page marks its questions:
//!
//! * **headings**: a heading whose text ends with `?` (`## How do I return
//!   an item?`) is a question. A page whose headings never end with `?`
//!   (`### Returns`) has its deepest heading level read as questions, and
//!   the levels above as sections;
//! * **bold paragraphs**: a paragraph that is only strong text ending
//!   with `?` (`**Can I pay by card?**`), as FAQ pages without headings
//!   write them.
//!
//! A question's answer is the page's own Markdown from the end of the
//! question to the next question or heading, trimmed: links, lists and
//! emphasis are kept (an answer's Markdown subset, see
//! `docs/authoring.md`). A question without text before the next one is
//! left out with a note, like a sheet's row without an answer. Each
//! question is the intent's title and only phrasing: add alternates as in
//! a sheet (`faqbot import` says so).
//!
//! Parsing is pulldown-cmark's (CommonMark), whose offsets give the
//! answers' source text.

use super::{short_slug, unique_id, LeftOut, Sheet};
use crate::error::{Error, Result};
use crate::schema::{IntentDef, IntentKind};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

/// A place that may start a question: a heading or a paragraph of only
/// strong text.
#[derive(Debug)]
struct Block {
    /// Heading level 1..=6; `None` for a bold paragraph.
    level: Option<u8>,
    /// Its text, without the Markdown.
    text: String,
    /// Its source bytes.
    range: Range<usize>,
}

/// The headings and bold paragraphs of `text`, in page order.
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    // (level, start, text so far, only strong text so far).
    let mut open: Option<(Option<u8>, usize, String, bool)> = None;
    let mut strong = 0usize;
    // A paragraph's leading bold question: (start, end, text).
    let mut lead: Option<(usize, usize, String)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some((Some(heading_level(level)), range.start, String::new(), true));
            }
            Event::Start(Tag::Paragraph) => {
                open = Some((None, range.start, String::new(), true));
            }
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => {
                strong = strong.saturating_sub(1);
                // "**Do you deliver?**" and its answer on the next line
                // of the same paragraph: the bold line is the question.
                if let Some((None, start, s, true)) = open.as_ref() {
                    if strong == 0 && s.trim_end().ends_with('?') {
                        lead = Some((*start, range.end, s.clone()));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if strong == 0 && !t.trim().is_empty() {
                    lead = None;
                }
                if let Some((_, _, s, only_strong)) = open.as_mut() {
                    s.push_str(&t);
                    *only_strong &= strong > 0 || t.trim().is_empty();
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((start, end, q)) = lead.take() {
                    out.push(Block {
                        level: None,
                        text: q.split_whitespace().collect::<Vec<_>>().join(" "),
                        range: start..end,
                    });
                    // The rest of the paragraph is answer text.
                    open = None;
                } else if let Some((_, _, s, _)) = open.as_mut() {
                    s.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph) => {
                lead = None;
                if let Some((level, start, s, only_strong)) = open.take() {
                    let text = s.split_whitespace().collect::<Vec<_>>().join(" ");
                    let question = level.is_some() || (only_strong && text.ends_with('?'));
                    if question && !text.is_empty() {
                        out.push(Block {
                            level,
                            text,
                            range: start..range.end,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Whether each block is a question (see the module doc).
fn questions(blocks: &[Block]) -> Vec<bool> {
    let asks = |b: &Block| b.text.ends_with('?');
    let any_heading_asks = blocks.iter().any(|b| b.level.is_some() && asks(b));
    // Bold questions make every heading a section (a page's title).
    let any_bold = blocks.iter().any(|b| b.level.is_none());
    let deepest = blocks.iter().filter_map(|b| b.level).max();
    blocks
        .iter()
        .map(|b| match b.level {
            None => true,
            Some(_) if any_heading_asks => asks(b),
            Some(_) if any_bold => false,
            Some(l) => Some(l) == deepest,
        })
        .collect()
}

/// `n` and `noun`, plural unless `n` is 1 ("1 question", "3 questions").
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The 1-based line of byte `at` of `text`.
fn line_of(text: &str, at: usize) -> u64 {
    1 + text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}

/// [`read_markdown`] of the file at `path`.
///
/// # Errors
/// [`crate::ErrorKind::Io`] when it cannot be read; [`crate::ErrorKind::Data`]
/// at `path:LINE` when it is not UTF-8 (the first line that is not), and
/// as [`read_markdown`].
pub fn read_markdown_file(path: &Path) -> Result<Sheet> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match String::from_utf8(bytes) {
        Ok(text) => read_markdown(path, &text),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            Err(Error::data(
                format!("{}:{line}", path.display()),
                "a Markdown FAQ page must be UTF-8 text (save it as UTF-8)".to_string(),
            ))
        }
    }
}

/// The FAQ page `text` (from `path`, for notes and errors) as a sheet:
/// one intent per question with an answer, in page order, each its
/// question's title and only example; questions without an answer are
/// [`Sheet::left_out`].
///
/// # Errors
/// [`crate::ErrorKind::Data`] at `path` when the page has no question (no
/// heading, no bold paragraph ending in `?`), or no question with an
/// answer.
pub fn read_markdown(path: &Path, text: &str) -> Result<Sheet> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let blocks = blocks(text);
    let is_question = questions(&blocks);
    let mut intents = Vec::new();
    let mut left_out = Vec::new();
    let mut taken = HashSet::new();
    for (k, b) in blocks.iter().enumerate() {
        if !is_question[k] {
            continue;
        }
        // The answer runs to the next heading or question.
        let end = blocks[k + 1..]
            .iter()
            .zip(&is_question[k + 1..])
            .find(|(n, q)| n.level.is_some() || **q)
            .map_or(text.len(), |(n, _)| n.range.start);
        let answer = text[b.range.end..end].trim();
        if answer.is_empty() {
            left_out.push(LeftOut {
                path: path.to_path_buf(),
                line: line_of(text, b.range.start),
                question: b.text.clone(),
                answer: String::new(),
                short: None,
            });
            continue;
        }
        intents.push(IntentDef {
            id: unique_id(&short_slug(&b.text), &mut taken),
            title: b.text.clone(),
            kind: IntentKind::Faq,
            examples: vec![b.text.clone()],
            keywords: Vec::new(),
            patterns: Vec::new(),
            answer: answer.to_string(),
            follow_ups: Vec::new(),
            popularity: 0,
        });
    }
    if intents.is_empty() {
        let why = if is_question.iter().any(|&q| q) {
            "no question on the page has an answer (text between it and the next question)"
        } else {
            "no question found: a FAQ page's questions are headings (`## How do I return an \
             item?`) or paragraphs of bold text ending in `?` (`**Can I pay by card?**`), each \
             followed by its answer"
        };
        return Err(Error::data(path.display().to_string(), why.to_string()));
    }
    let sections = blocks
        .iter()
        .zip(&is_question)
        .filter(|(b, q)| b.level.is_some() && !**q)
        .count();
    let notes = vec![format!(
        "{}: read as a FAQ page: {}{}; each question is its intent's only phrasing: \
         add alternates (`examples`) in the customers' words",
        path.display(),
        count(intents.len() + left_out.len(), "question"),
        if sections > 0 {
            format!(" under {}", count(sections, "section heading"))
        } else {
            String::new()
        }
    )];
    Ok(Sheet {
        intents,
        left_out,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Sheet {
        read_markdown(Path::new("faq.md"), text).unwrap()
    }

    fn titles(s: &Sheet) -> Vec<&str> {
        s.intents.iter().map(|d| d.title.as_str()).collect()
    }

    #[test]
    fn headings_that_ask_are_questions_and_their_text_the_answer() {
        let s = read(
            "# Help\n\nIntro text.\n\n## Delivery\n\n### How long does delivery take?\n\n\
             Two to three days. See [tracking](https://example.com/track).\n\n\
             - UK: 2 days\n- EU: 5 days\n\n### Can I pay by card?\nYes, *all* cards.\n\n\
             ## Returns\n\n### How do I return an item?\n\nUse the form.\n",
        );
        assert_eq!(
            titles(&s),
            [
                "How long does delivery take?",
                "Can I pay by card?",
                "How do I return an item?"
            ]
        );
        assert_eq!(
            s.intents[0].answer,
            "Two to three days. See [tracking](https://example.com/track).\n\n\
             - UK: 2 days\n- EU: 5 days"
        );
        assert_eq!(s.intents[1].answer, "Yes, *all* cards.");
        // The next section's heading ends the answer before it.
        assert_eq!(s.intents[2].answer, "Use the form.");
        assert_eq!(s.intents[0].id, "how_long_does_delivery_take");
        assert_eq!(s.intents[0].examples, ["How long does delivery take?"]);
        assert!(
            s.notes[0].contains("3 questions under 3 section headings"),
            "{:?}",
            s.notes
        );
    }

    #[test]
    fn without_asking_headings_the_deepest_level_is_read() {
        let s = read("# Shop\n\n## Opening hours\n\n9 to 5.\n\n## Parking\n\nBehind the shop.\n");
        assert_eq!(titles(&s), ["Opening hours", "Parking"]);
        assert_eq!(s.intents[1].answer, "Behind the shop.");
    }

    #[test]
    fn bold_paragraphs_that_ask_are_questions() {
        let s = read(
            "Our FAQ.\n\n**Do you deliver?**\nYes, within the city.\n\n\
             **Is there parking?**\n\nYes. **Free** on Sundays.\n\nAsk us anything else.\n",
        );
        assert_eq!(titles(&s), ["Do you deliver?", "Is there parking?"]);
        assert_eq!(s.intents[0].answer, "Yes, within the city.");
        // A paragraph with some bold text is answer text.
        assert_eq!(
            s.intents[1].answer,
            "Yes. **Free** on Sundays.\n\nAsk us anything else."
        );
    }

    #[test]
    fn with_bold_questions_headings_are_sections() {
        let s = read("# Studio FAQ\n\n**Do I need a mat?**\nNo, borrow one.\n");
        assert_eq!(titles(&s), ["Do I need a mat?"]);
        assert!(s.left_out.is_empty());
        assert!(
            s.notes[0].contains("1 question under 1 section heading"),
            "{:?}",
            s.notes
        );
    }

    #[test]
    fn a_question_without_an_answer_is_left_out_with_its_line() {
        let s = read("## Do you deliver?\n\n## Is there parking?\n\nYes.\n");
        assert_eq!(s.intents.len(), 1);
        assert_eq!(s.left_out.len(), 1);
        assert_eq!(
            s.left_out[0].to_string(),
            "faq.md:1: \"Do you deliver?\" has no answer yet; left out"
        );
    }

    #[test]
    fn a_page_without_questions_is_an_error_that_says_what_a_question_is() {
        for text in [
            "Just text.\n\nMore text.",
            "",
            "\u{feff}",
            "## Only a heading?\n",
        ] {
            let e = read_markdown(Path::new("faq.md"), text)
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("faq.md: "), "{e}");
            assert!(e.contains("question"), "{e}");
        }
    }

    #[test]
    fn a_page_that_is_not_utf8_is_an_error_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("faq.md");
        std::fs::write(&path, b"## Price?\n\nFive \xa3.\n").unwrap();
        let e = read_markdown_file(&path).unwrap_err().to_string();
        assert!(
            e.contains("faq.md:3: a Markdown FAQ page must be UTF-8 text"),
            "{e}"
        );
    }

    #[test]
    fn repeated_questions_get_distinct_ids() {
        let s = read("## Price?\n\nOne.\n\n## Price?\n\nTwo.\n");
        let ids: Vec<_> = s.intents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["price", "price_2"]);
    }
}
